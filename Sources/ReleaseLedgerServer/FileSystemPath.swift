#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few process-level calls the server makes without Foundation.
enum FileSystemPath {
    static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "." }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    static func printLine(_ text: String) { writeAll(to: 1, text + "\n") }

    static func printError(_ text: String) { writeAll(to: 2, text + "\n") }

    /// One `write` per line, so lines from several threads never interleave.
    static func writeAll(to descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes {
                write(descriptor, $0.baseAddress! + offset, $0.count - offset)
            }
            if written <= 0 { return }
            offset += written
        }
    }
}
