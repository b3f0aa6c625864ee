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
        _ = try SQLiteShell.run(
            ledger.path,
            "DROP TABLE merkle_subtrees; ALTER TABLE chain_head DROP COLUMN open_block; PRAGMA user_version = 4;")
        let migrated = try ledger.open(create: false)
        #expect(try migrated.treeSize() == 37)
        #expect(try migrated.treeRoot(size: 37) == root)
        #expect(try migrated.verify(anchor: nil).isIntact)
    }

    /// Only blocks of 16 leaves and their parents are stored: 15 appends in 16 write no tree row.
    @Test func onlyEverySixteenthAppendWritesTheTree() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        func rows() throws -> String {
            try SQLiteShell.run(ledger.path, "SELECT count(*), ifnull(min(level), -1) FROM merkle_subtrees;")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        for n in 1...15 { _ = try store.append([Fixtures.note(1, "n\(n)")]) }
        #expect(try rows() == "0|-1")
        #expect(try store.treeSize() == 15, "the leaves after the last block are hashed from their events")
        _ = try store.append([Fixtures.note(1, "n16")])
        #expect(try rows() == "1|4")
        for n in 17...32 { _ = try store.append([Fixtures.note(1, "n\(n)")]) }
        #expect(try rows() == "3|4", "the second block and the parent of both")
    }

    /// A version 5 ledger stored every level; the migration to 6 drops those below 4, and the
    /// roots and proofs stay the same.
    @Test func aVersion5LedgerDropsTheLowLevelsAndKeepsItsRoots() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        for n in 1...40 { _ = try store.append([Fixtures.note(1, "n\(n)")]) }
        let roots = try (1...40).map { try store.treeRoot(size: UInt64($0)) }
        // What version 5 kept beside them: every leaf and every complete subtree below 16 leaves.
        var insert = "DROP TRIGGER merkle_subtrees_are_inserted_by_the_ledger;\n"
        var range = CompactRange()
        for event in try store.events(EventQuery()) {
            for node in range.append(leafHash: RFC6962.leafHash(event.envelopeBytes)) where node.level < 4 {
                let hex = node.hash.map { String(format: "%02x", $0) }.joined()
                insert += "INSERT INTO merkle_subtrees VALUES (\(node.level), \(node.index), x'\(hex)');\n"
            }
        }
        insert += "ALTER TABLE chain_head DROP COLUMN open_block; PRAGMA user_version = 5;"
        _ = try SQLiteShell.run(ledger.path, insert)
        let migrated = try ledger.open(create: false)
        #expect(
            try SQLiteShell.run(ledger.path, "SELECT count(*) FROM merkle_subtrees WHERE level < 4;")
                .trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try (1...40).map { try migrated.treeRoot(size: UInt64($0)) } == roots)
        #expect(try migrated.verify(anchor: nil).isIntact)
    }

    /// Two writers on one file take turns: each append finds the open block the other left in
    /// the chain head, and the tree stays the one the events make.
    @Test func writersTakingTurnsKeepTheTreeRight() throws {
        let ledger = TemporaryLedger()
        let engine = Fixtures.engine()
        let first = try ledger.open(engine: engine)
        let second = try ledger.open(engine: engine, create: false)
        for n in 1...40 { _ = try (n % 3 == 0 ? second : first).append([Fixtures.note(1, "n\(n)")]) }
        var range = CompactRange()
        for event in try first.events(EventQuery()) { range.append(leafHash: RFC6962.leafHash(event.envelopeBytes)) }
        #expect(try second.treeRoot(size: 40) == range.root)
        #expect(try first.verify(anchor: nil).isIntact)
    }

    /// The open block in the chain head is checked by `verify` and rewritten by `rebuild`; one of
    /// the wrong length is recomputed from the events by the next append.
    @Test func theChainHeadsOpenBlockIsCheckedAndRepaired() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        for n in 1...20 { _ = try store.append([Fixtures.note(1, "n\(n)")]) }
        let root = try store.treeRoot(size: 20)
        let zeros = String(repeating: "00", count: 4 * 32)
        try LedgerShell.edit(ledger.path, "UPDATE chain_head SET open_block = x'\(zeros)';")
        let report = try store.verify(anchor: nil)
        #expect(!report.isIntact)
        #expect(report.firstBadPosition == 17, "\(report)")
        #expect(report.problem?.contains("open Merkle block") == true, "\(report)")
        _ = try store.rebuildReadModel()
        #expect(try store.verify(anchor: nil).isIntact)
        // A block of the wrong length is not trusted: the next appends hash the events instead.
        try LedgerShell.edit(ledger.path, "UPDATE chain_head SET open_block = x'00';")
        for n in 21...32 { _ = try store.append([Fixtures.note(1, "n\(n)")]) }
        #expect(try store.verify(anchor: nil).isIntact)
        #expect(try store.treeRoot(size: 20) == root)
    }

    /// A stored block deleted behind the ledger's back is named by position, as an edited one is.
    @Test func aMissingStoredBlockIsNamedByVerify() throws {
        let ledger = TemporaryLedger()
        let store = try ledger.open()
        for n in 1...40 { _ = try store.append([Fixtures.note(1, "n\(n)")]) }
        _ = try SQLiteShell.run(
            ledger.path,
            "DROP TRIGGER merkle_subtrees_are_deleted_by_the_ledger; "
                + "DELETE FROM merkle_subtrees WHERE level = 4 AND idx = 0;"
        )
        let report = try store.verify(anchor: nil)
        #expect(report.firstBadPosition == 1, "\(report)")
        #expect(report.problem?.contains("positions 1-16 is missing") == true, "\(report)")
    }
}
