import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing
@testable import ReleaseLedgerSQLite
import Transparency

/// The stored tree against a tree recomputed from the events: every proof of every position of
/// every size from 1 to 300 verifies against the recomputed root.
@Suite struct MerkleTreeTests {
    @Test func everyProofOfLedgersOfSizes1To300Verifies() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        var leaves: [[UInt8]] = []
        var roots: [[UInt8]] = [RFC6962.emptyRoot]
        var tree = CompactRange()
        for n in 1...300 {
            let receipt = try store.append([Fixtures.note(n % 7 + 1, "event \(n)")])[0]
            let event = try #require(try store.events(EventQuery(afterPosition: receipt.position - 1, limit: 1)).first)
            // The leaf, recomputed here: SHA-256(0x00 || the envelope bytes the chain hashes).
            var envelope = JSONBytes()
            ChainHasher.writeEnvelope(
                chainVersion: Int64(event.chainVersion), into: &envelope, position: event.position, id: event.id,
                stream: event.stream,
                version: event.version, type: event.type, typeVersion: Int64(event.typeVersion), sha: event.sha,
                data: event.data,
                metadata: event.metadata, recordedAt: event.recordedAt, previousHash: event.previousHash)
            leaves.append(RFC6962.leafHash(envelope.bytes))
            tree.append(leafHash: leaves.last!)
            roots.append(tree.root)
            #expect(try store.treeRoot(size: UInt64(n)) == tree.root)
        }
        var checked = 0
        for size in 1...300 {
            for index in 0..<size {
                let proof = try store.inclusionProof(index: UInt64(index), size: UInt64(size))
                #expect(proof.leafHash == leaves[index])
                try MerkleProof.verifyInclusion(
                    index: UInt64(index), size: UInt64(size), leafHash: leaves[index], proof: proof.path,
                    root: roots[size])
                checked += 1
            }
        }
        for size1 in stride(from: 1, through: 300, by: 7) {
            for size2 in size1...300 {
                let proof = try store.consistencyProof(from: UInt64(size1), to: UInt64(size2))
                try MerkleProof.verifyConsistency(
                    size1: UInt64(size1), size2: UInt64(size2), proof: proof.path, root1: roots[size1],
                    root2: roots[size2])
            }
        }
        #expect(checked == 300 * 301 / 2)
        #expect(
            try store.verify(anchor: nil, rootsAt: [1, 150, 300]).roots == [
                1: roots[1], 150: roots[150], 300: roots[300],
            ])
    }

    /// A ledger written before schema version 5 gains its whole tree on the next write.
    @Test func aVersion4LedgerGainsTheTreeOnTheNextWrite() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        for n in 1...37 { _ = try store.append([Fixtures.note(1, "n\(n)")]) }
        let root = try store.treeRoot(size: 37)
        _ = try SQLiteShell.run(ledger.path, "DROP TABLE merkle_subtrees; PRAGMA user_version = 4;")
        let migrated = try ledger.open(create: false)
        #expect(try migrated.treeSize() == 37)
        #expect(try migrated.treeRoot(size: 37) == root)
        #expect(try migrated.verify(anchor: nil).isIntact)
    }
}
