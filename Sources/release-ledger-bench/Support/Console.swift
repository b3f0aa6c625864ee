#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered lines on standard output and standard error, and the benchmark's one way to give up.
enum Console {
    static func out(_ text: String) { write(text + "\n", to: 1) }
    static func err(_ text: String) { write(text + "\n", to: 2) }

    static func fail(_ message: String) -> Never {
        err("release-ledger-bench: \(message)")
        exit(1)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { _ = Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
}
