import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CommandContext {
    /// The real process: its environment, working directory, clock and standard streams.
    public static func process() -> CommandContext {
        let console = Console(
            isTerminal: isatty(STDOUT_FILENO) == 1,
            out: { text in writeAll(STDOUT_FILENO, text) },
            err: { text in writeAll(STDERR_FILENO, text) })
        return CommandContext(
            environment: processEnvironment(), currentDirectory: workingDirectory(),
            clock: SystemClock(), console: console, readStandardInput: { readAll(STDIN_FILENO) },
            readStandardInputUpTo: { limit in readUpTo(STDIN_FILENO, limit: limit) ?? [] })
    }
}

/// The environment, read from `environ` directly: FoundationEssentials' `ProcessInfo.environment`
/// took 18 K instructions per variable, 13% of a CI step's start-up with 35 variables (a GitHub
/// runner sets over a hundred). As `getenv`, the first of two equal names wins.
func processEnvironment() -> [String: String] {
    var count = 0
    while environ[count] != nil { count += 1 }
    // Sized once: growing a dictionary of strings cost more than filling it.
    var variables = [String: String](minimumCapacity: count)
    var entry = environ
    while let pointer = entry.pointee {
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
        if let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<equals]), as: UTF8.self)
            if variables[name] == nil {
                variables[name] = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)...]), as: UTF8.self)
            }
        }
        entry += 1
    }
    return variables
}

/// The working directory from `getcwd` (what `FileManager.currentDirectoryPath` returns).
private func workingDirectory() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    return String(cString: buffer)
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
