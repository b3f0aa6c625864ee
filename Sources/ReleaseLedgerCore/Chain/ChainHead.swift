/// The last link of the chain.
public struct ChainHead: Equatable, Sendable {
    public let position: Int64
    public let hash: String
    public static let genesis = ChainHead(position: 0, hash: ChainHasher.genesisHash)

    public init(position: Int64, hash: String) {
        self.position = position
        self.hash = hash
    }
}
