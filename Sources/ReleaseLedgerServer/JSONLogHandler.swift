import Logging
import ReleaseLedgerCLI
import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One JSON object per line on standard error: time, level, message and metadata (the request
/// id among them). Callers log names and numbers only, never a header value or a body.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var members: [(String, JSONValue)] = [
            ("time", .string(SystemClock().now().description)), ("level", .string(event.level.rawValue)),
            ("label", .string(label)), ("message", .string(event.message.description)),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { members.append((key, .string(value.description))) }
        let line = CanonicalJSON.encode(.object(JSONObject(members))) + "\n"
        FileSystemPath.writeAll(to: 2, line)
    }
}
