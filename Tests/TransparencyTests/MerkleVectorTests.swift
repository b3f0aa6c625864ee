import Foundation
import Testing
@testable import Transparency

/// transparency-dev/merkle's RFC 6962 vectors: every valid proof is accepted, every mutated one refused.
struct MerkleVectorTests {
    static let inclusionCases = Vectors.files(under: "transparency-dev-merkle/testdata/inclusion")
    static let consistencyCases = Vectors.files(under: "transparency-dev-merkle/testdata/consistency")

    @Test func everyVectorFolderIsFound() {
        #expect(Self.inclusionCases.count == 98)
        #expect(Self.consistencyCases.count == 98)
    }

    @Test(arguments: inclusionCases)
    func inclusionVector(_ path: String) throws {
        let vector = try #require(Vectors.json(path) as? [String: Any])
        let index = try #require((vector["leafIdx"] as? NSNumber)?.uint64Value)
        let size = try #require((vector["treeSize"] as? NSNumber)?.uint64Value)
        let wantError = try #require(vector["wantErr"] as? Bool)
        var error: ProofError?
        do {
            try MerkleProof.verifyInclusion(
                index: index, size: size, leafHash: Vectors.bytes(vector["leafHash"]),
                proof: Vectors.hashes(vector["proof"]),
                root: Vectors.bytes(vector["root"]))
        } catch let failure { error = failure }
        #expect((error != nil) == wantError, "\(path): \(vector["desc"] ?? "") \(error.map { "\($0)" } ?? "accepted")")
    }

    @Test(arguments: consistencyCases)
    func consistencyVector(_ path: String) throws {
        let vector = try #require(Vectors.json(path) as? [String: Any])
        let size1 = try #require((vector["size1"] as? NSNumber)?.uint64Value)
        let size2 = try #require((vector["size2"] as? NSNumber)?.uint64Value)
        let wantError = try #require(vector["wantErr"] as? Bool)
        var error: ProofError?
        do {
            try MerkleProof.verifyConsistency(
                size1: size1, size2: size2, proof: Vectors.hashes(vector["proof"]),
                root1: Vectors.bytes(vector["root1"]),
                root2: Vectors.bytes(vector["root2"]))
        } catch let failure { error = failure }
        #expect((error != nil) == wantError, "\(path): \(vector["desc"] ?? "") \(error.map { "\($0)" } ?? "accepted")")
    }

    /// constants.go: the leaf inputs, every complete subtree's hash, and the roots of sizes 0-8.
    @Test func rfc6962RootsForSizesZeroToEight() throws {
        let source = try Vectors.text("transparency-dev-merkle/constants.go.txt")
        func hexList(after marker: String, before end: String) -> [[UInt8]] {
            let start = source.range(of: marker)!.upperBound
            let stop = source.range(of: end, range: start..<source.endIndex)!.lowerBound
            let regex = try! NSRegularExpression(pattern: "hd\\(\"([0-9a-f]*)\"\\)")
            let region = String(source[start..<stop])
            return regex.matches(in: region, range: NSRange(region.startIndex..., in: region)).map {
                Vectors.hex(String(region[Range($0.range(at: 1), in: region)!]))
            }
        }
        let inputs = hexList(after: "func LeafInputs()", before: "func NodeHashes()")
        let roots = [RFC6962.emptyRoot] + hexList(after: "func RootHashes()", before: "func CompactTrees()")
        #expect(inputs.count == 8)
        #expect(roots.count == 9)
        #expect(Hex.encode(RFC6962.emptyRoot) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var tree = CompactRange()
        #expect(tree.root == roots[0])
        for (size, input) in inputs.enumerated() {
            tree.append(leafHash: RFC6962.leafHash(input))
            #expect(tree.root == roots[size + 1], "size \(size + 1)")
        }
    }
}
