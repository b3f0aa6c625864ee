/// Where instants come from. The command line passes the system clock; tests pass a fixed one.
public protocol LedgerClock: Sendable {
    func now() -> Timestamp
}
