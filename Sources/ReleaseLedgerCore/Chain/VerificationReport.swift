/// The result of recomputing the chain.
public struct VerificationReport: Equatable, Sendable {
    public var eventCount: Int64
    public var head: ChainHead
    /// The first position whose row or link does not check out, if any.
    public var firstBadPosition: Int64?
    /// What was wrong there, in one sentence.
    public var problem: String?

    public var isIntact: Bool { firstBadPosition == nil && problem == nil }
}
