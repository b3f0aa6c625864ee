/// SQLite's `PRAGMA synchronous` levels the store accepts ("PRAGMA synchronous" in the SQLite
/// documentation). `FULL` is the default: an acknowledged append survives power loss.
public enum SynchronousMode: String, CaseIterable, Sendable {
    case off = "OFF"
    case normal = "NORMAL"
    case full = "FULL"
    case extra = "EXTRA"
}
