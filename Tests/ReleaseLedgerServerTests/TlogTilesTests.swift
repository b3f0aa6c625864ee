import Foundation
import ReleaseLedgerCore
import Testing
import Transparency

/// Issue 17: the server serves the ledger as a tiled transparency log (c2sp.org/tlog-tiles). A
/// client that knows only the spec rebuilds the signed root from the tiles and the entries.
@Suite struct TlogTilesTests {
    /// `curl` into a file, so binary bodies arrive intact: (status, bytes, content type).
    static func fetch(_ url: String) throws -> (status: Int, body: [UInt8], contentType: String?) {
        let file = ServerProcess.temporaryFolder() + "/body"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sS", "-o", file, "-w", "%{http_code} %{content_type}", url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let written = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = written.split(separator: " ", maxSplits: 1).map(String.init)
        let body = (try? Data(contentsOf: URL(fileURLWithPath: file))).map { Array($0) } ?? []
        return (Int(fields.first ?? "") ?? 0, body, fields.count > 1 ? fields[1] : nil)
    }

    /// A ledger of 300 notes and a checkpoint of them, made with the command line; then the server on it.
    static func servedLedger() throws -> (server: ServerProcess, url: String, note: String, verifier: String) {
        let server = ServerProcess()
        let lines = (1...300).map { i in
            #"{"type":"x-note","sha":"\#(String(repeating: "a", count: 40))","data":{"text":"note \#(i)"}}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: server.folder + "/notes.jsonl", atomically: true, encoding: .utf8)
        let db = ["--db", server.database]
        #expect(try RemoteClientTests.cli(["append", "--batch", "notes.jsonl"] + db, in: server.folder).code == 0)
        let key = try RemoteClientTests.cli(
            ["key", "generate", "--name", "ledger.example.com/tiles", "--out", "signing.key"], in: server.folder)
        let checkpoint = try RemoteClientTests.cli(
            ["checkpoint", "--key", "signing.key", "--json"] + db, in: server.folder)
        #expect(checkpoint.code == 0, "\(checkpoint.err)")
        let note = try #require(try JSONParser.parse(checkpoint.out, limits: .internal)["checkpoint"]?.stringValue)
        let url = try server.start()
        return (server, url, note, key.out.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func aSpecOnlyClientRebuildsTheSignedRootFromTilesAndEntries() throws {
        let (server, url, note, verifierKey) = try Self.servedLedger()
        defer { server.stop() }
        let served = try Self.fetch(url + "/checkpoint")
        #expect(served.status == 200 && served.contentType == "text/plain; charset=utf-8")
        #expect(String(decoding: served.body, as: UTF8.self) == note)
        let checkpoint = try Checkpoint.open(note, verifier: try NoteVerifier(verifierKey: verifierKey))
        #expect(checkpoint.size == 300, "the checkpoint covers the notes, not its own record")

        // Level 0 for size 300: one full tile and a partial one of 300 mod 256 = 44 hashes.
        let full = try Self.fetch(url + "/tile/0/000")
        let partial = try Self.fetch(url + "/tile/0/001.p/44")
        #expect(full.status == 200 && full.body.count == 256 * 32 && full.contentType == "application/octet-stream")
        #expect(partial.status == 200 && partial.body.count == 44 * 32)
        let leafHashes = stride(from: 0, to: full.body.count + partial.body.count, by: 32).map { offset in
            Array((full.body + partial.body)[offset..<offset + 32])
        }
        var tree = CompactRange()
        for hash in leafHashes { _ = tree.append(leafHash: hash) }
        #expect(tree.root == checkpoint.rootHash, "the tiles rebuild the signed root")

        // Each entry hashes to its leaf: SHA-256(0x00 || entry), entries as uint16-length-prefixed bytes.
        let bundle = try Self.fetch(url + "/tile/entries/000")
        #expect(bundle.status == 200)
        let entries = try #require(EntryBundle.entries(bundle.body), "whole uint16-length-prefixed entries")
        #expect(entries.count == 256)
        #expect(entries.map(RFC6962.leafHash) == Array(leafHashes.prefix(256)))
        #expect(String(decoding: entries[0], as: UTF8.self).contains("note 1"))

        // Level 1 holds the hash of each full level-0 tile.
        let level1 = try Self.fetch(url + "/tile/1/000.p/1")
        var firstTile = CompactRange()
        for hash in leafHashes.prefix(256) { _ = firstTile.append(leafHash: hash) }
        #expect(level1.body == firstTile.root)
    }

    /// `prove`, `checkpoint` and `verify --checkpoint` against the server give what they give
    /// against the file: the client computes roots and proofs from the tiles.
    @Test func proofsAndCheckpointsWorkThroughTheServer() throws {
        let (server, url, _, verifierKey) = try Self.servedLedger()
        defer { server.stop() }
        func cli(_ arguments: [String]) throws -> RemoteClientTests.Run {
            try RemoteClientTests.cli(arguments, in: server.folder)
        }
        let remote = ["--server", url]
        let local = ["--db", server.database]
        // A second checkpoint, issued through the server: 302 events now, the new one covers 301.
        let issued = try cli(["checkpoint", "--key", "signing.key", "--out", "remote-checkpoint.txt"] + remote)
        #expect(issued.code == 0, "\(issued.err)")
        for arguments in [
            ["prove", "--position", "1", "--json"], ["prove", "--position", "257", "--size", "300", "--json"],
            ["prove", "--position", "301", "--json"], ["prove", "--from", "1", "--to", "301", "--json"],
            ["prove", "--from", "256", "--to", "300", "--json"], ["prove", "--position", "200"],
        ] {
            let throughServer = try cli(arguments + remote)
            let fromFile = try cli(arguments + local)
            #expect(throughServer.code == 0 && fromFile.code == 0, "\(arguments): \(throughServer.err)\(fromFile.err)")
            #expect(throughServer.out == fromFile.out, "\(arguments)")
        }
        let proof = try cli(["prove", "--position", "200"] + remote)
        try proof.out.write(toFile: server.folder + "/event.tlog-proof", atomically: true, encoding: .utf8)
        let offline = try cli([
            "verify", "--checkpoint", "remote-checkpoint.txt", "--verifier-key", verifierKey, "--proof",
            "event.tlog-proof",
        ])
        #expect(offline.code == 0, "\(offline.out)\(offline.err)")
        let online = try cli(
            ["verify", "--checkpoint", "remote-checkpoint.txt", "--verifier-key", verifierKey] + remote)
        #expect(online.code == 0 && online.out.contains("chain intact"), "\(online.out)\(online.err)")
        let past = try cli(["prove", "--position", "303", "--json"] + remote)
        #expect(past.code == 65, "\(past.err)")
    }

    @Test func onlyCanonicalPathsOfCompleteTilesAreServed() throws {
        let (server, url, _, _) = try Self.servedLedger()
        defer { server.stop() }
        // The ledger holds 301 events (the checkpoint's record is one): level 0 has 45 hashes past the first tile.
        #expect(try Self.fetch(url + "/tile/0/001.p/45").status == 200)
        for missing in ["/tile/0/001", "/tile/0/001.p/46", "/tile/0/002.p/1", "/tile/1/000", "/tile/2/000.p/1"] {
            #expect(try Self.fetch(url + missing).status == 404, "\(missing)")
        }
        for bad in ["/tile/0/1", "/tile/0/x000/000", "/tile/00/000", "/tile/0/000.p/0", "/tile/64/000", "/tile/x"] {
            let response = try HTTPExchange.curl("GET", url + bad)
            #expect(response.status == 404 && response.json?["exitCode"]?.intValue == 65, "\(bad): \(response.body)")
        }
    }

    @Test func theCheckpointIsNotFoundBeforeTheFirstAndTilesNeedTheAuditScope() throws {
        let server = ServerProcess()
        let url = try server.start()
        defer { server.stop() }
        let none = try HTTPExchange.curl("GET", url + "/checkpoint")
        #expect(none.status == 404 && none.body.contains("release-ledger checkpoint"), "\(none.body)")
        let closed = ServerProcess(arguments: [])
        let closedURL = try closed.start()
        defer { closed.stop() }
        #expect(try HTTPExchange.curl("GET", closedURL + "/tile/0/000").status == 401)
        #expect(try HTTPExchange.curl("GET", closedURL + "/checkpoint").status == 401)
    }
}
