import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes a small text file named on the command line (a checkpoint, a proof, an attestation), atomically.
func writeText(_ text: String, to path: String, field: String, context: CommandContext) throws(LedgerError) {
    let resolved = path.hasPrefix("/") ? path : context.currentDirectory + "/" + path
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: resolved), options: .atomic)
    } catch {
        throw .storage("\(field): cannot write \(path): \(fileWriteProblem(error))")
    }
}

/// Reads a small text file named on the command line (at most 1 MiB).
func readText(_ path: String, field: String, context: CommandContext) throws(LedgerError) -> String {
    let bytes = try readFile(path, field: field, context: context, limit: 1 << 20)
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw .invalidInput(field: field, rule: "\(path) is not UTF-8 text")
    }
    return text
}
