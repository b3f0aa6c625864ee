#if canImport(Glibc)
import Glibc
#endif
import ReleaseLedgerCore

extension CommandContext {
    /// Standard input for `--data -` or `--batch -`: reading stops one byte past `limit`, so an
    /// endless producer is refused after `limit` bytes instead of filling memory.
    func readStandardInput(field: String, limit: Int) throws(LedgerError) -> [UInt8] {
        let bytes = readStandardInputUpTo(limit + 1)
        guard bytes.count <= limit else {
            throw .invalidInput(field: field, rule: "is over the limit of \(limit) bytes")
        }
        return bytes
    }
}

/// At most `limit` bytes from `descriptor`; nil when the first read fails (a directory, say).
func readUpTo(_ descriptor: Int32, limit: Int) -> [UInt8]? {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while bytes.count < limit {
        let wanted = min(chunk.count, limit - bytes.count)
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
        if count < 0, errno == EINTR { continue }
        if count < 0, bytes.isEmpty { return nil }
        if count <= 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
}

/// At most `limit` bytes of the file at `path`; nil when it cannot be opened or read.
func readFileUpTo(_ path: String, limit: Int) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    return readUpTo(descriptor, limit: limit)
}

/// The refusal of an input past `limit`: with the file's size when it has one (a FIFO has not).
func overLimit(field: String, path: String, limit: Int) -> LedgerError {
    var info = stat()
    if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
        return .invalidInput(field: field, rule: "is \(info.st_size) bytes, over the limit of \(limit)")
    }
    return .invalidInput(field: field, rule: "is over the limit of \(limit) bytes")
}
