import ReleaseLedgerCore

/// Range checks of the numeric options, so that no number a user can type reaches arithmetic
/// that traps (an Int64 conversion of 1e19, a nanosecond product past 2^64).
enum NumericOption {
    /// One day: far beyond any sensible wait, and far below the nanosecond overflow at ~1.8e13 ms.
    static let maxBusyTimeoutMilliseconds = 86_400_000
    /// Ten years of hours: a freshness SLO longer than that is a typo.
    static let maxSLOHours = 87_600.0

    static func busyTimeout(_ value: Int, name: String) throws(LedgerError) -> Int {
        guard value >= 0 else { throw .usage("\(name) must be 0 or more milliseconds") }
        guard value <= maxBusyTimeoutMilliseconds else {
            throw .usage("\(name) must be at most \(maxBusyTimeoutMilliseconds) milliseconds (one day)")
        }
        return value
    }

    /// `readiness --slo-hours`: a finite number of hours, more than 0 and at most ten years.
    static func sloHours(_ value: Double?) throws(LedgerError) {
        guard let value else { return }
        guard value.isFinite, value > 0, value <= maxSLOHours else {
            throw .usage("--slo-hours must be a number of hours greater than 0 and at most \(Int(maxSLOHours))")
        }
    }
}
