#if canImport(Glibc)
import Glibc
#endif
import ReleaseLedgerCore

extension ReleaseLedger {
    /// The process's arguments as the bytes the kernel passed (without the program name).
    /// `CommandLine.arguments` has already turned invalid UTF-8 into U+FFFD.
    public static func processArguments() -> [[UInt8]] {
        (1..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
        }
    }

    /// Runs one command line given as raw bytes: an argument that is not valid UTF-8 is refused
    /// (exit 65), as the same bytes in a file are, instead of being recorded with U+FFFD in it.
    public static func main(rawArguments: [[UInt8]], context: CommandContext) -> Int32 {
        // The annotation's title only names a known verb, so a lossy reading is enough for it.
        let readable = rawArguments.map { String(decoding: $0, as: UTF8.self) }
        return GitHubActions.guardingWorkflowCommands(context, arguments: readable) { context in
            var arguments: [String] = []
            for (index, bytes) in rawArguments.enumerated() {
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    let error = LedgerError.invalidInput(
                        field: argumentName(rawArguments, index), rule: "is not valid UTF-8")
                    context.console.error("release-ledger: error: \(oneLine(error.description))")
                    return error.exitCode
                }
                arguments.append(text)
            }
            return run(arguments: arguments, context: context)
        }
    }

    /// The option an argument belongs to (`--data` for `--data VALUE` or `--data=VALUE`), else its
    /// position. Never the value itself: it may hold anything.
    static func argumentName(_ arguments: [[UInt8]], _ index: Int) -> String {
        func option(_ bytes: [UInt8]) -> String? {
            guard bytes.starts(with: Array("--".utf8)) else { return nil }
            let name = bytes.prefix { $0 != UInt8(ascii: "=") }
            guard name.count > 2,
                name.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) })
            else {
                return nil
            }
            return String(decoding: name, as: UTF8.self)
        }
        if let own = option(arguments[index]), arguments[index].contains(UInt8(ascii: "=")) { return own }
        if index > 0, let previous = option(arguments[index - 1]), !arguments[index - 1].contains(UInt8(ascii: "=")) {
            return previous
        }
        return "argument \(index + 1)"
    }
}
