/// The runbook's "nightly Entra canary is green and within freshness SLO".
public enum CanaryFreshness {
    public static func isFresh(lastGreenAt: Timestamp?, sloHours: Double?, at time: Timestamp) -> Bool {
        guard let lastGreenAt, let sloHours else { return false }
        let age = time.millisecondsSinceEpoch - lastGreenAt.millisecondsSinceEpoch
        // A few minutes of clock skew between the canary's host and ours is tolerated.
        return age >= -300_000 && Double(age) <= sloHours * 3_600_000
    }
}
