import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

extension CommandContext {
    /// The real process: its environment, working directory, clock and standard streams.
    public static func process() -> CommandContext {
        let console = Console(
            isTerminal: isatty(STDOUT_FILENO) == 1,
            out: { text in writeAll(STDOUT_FILENO, text) },
            err: { text in writeAll(STDERR_FILENO, text) })
        return CommandContext(
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath,
            clock: SystemClock(), console: console, readStandardInput: { readAll(STDIN_FILENO) },
            readStandardInputUpTo: { limit in readUpTo(STDIN_FILENO, limit: limit) ?? [] })
    }
}

private func writeAll(_ descriptor: Int32, _ text: String) {
    var text = text
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

private func readAll(_ descriptor: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count <= 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<count])
    }
}
