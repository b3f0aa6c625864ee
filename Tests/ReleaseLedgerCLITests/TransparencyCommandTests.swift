import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// Keys, checkpoints, proofs and attestations from the command line.
@Suite struct TransparencyCommandTests {
    /// A ledger with one promoted candidate, a key, and a checkpoint of it: (harness, verifier key, checkpoint file).
    static func signedLedger() throws -> (cli: CLIHarness, verifierKey: String) {
        let cli = CLIHarness()
        cli.prepare(1)
        cli.promote(1)
        #expect(cli.setupFailures.isEmpty)
        let key = cli.run(["key", "generate", "--name", "ledger.example.com/release", "--out", "signing.key"])
        #expect(key.exitCode == 0, "\(key.stderr)")
        let checkpoint = cli.run(["checkpoint", "--key", "signing.key", "--out", "checkpoint.txt"])
        #expect(checkpoint.exitCode == 0, "\(checkpoint.stderr)")
        return (cli, key.stdout.trimmingCharacters(in: .newlines))
    }

    static func file(_ cli: CLIHarness, _ name: String) throws -> String {
        try String(contentsOfFile: cli.folder + "/" + name, encoding: .utf8)
    }

    static func write(_ cli: CLIHarness, _ name: String, _ text: String) throws {
        try text.write(toFile: cli.folder + "/" + name, atomically: true, encoding: .utf8)
    }

    @Test func keyGenerateWritesAnOwnerOnlyFileAndPrintsTheVerifierKey() throws {
        let cli = CLIHarness()
        let result = cli.run(["key", "generate", "--name", "ledger.example.com/release", "--out", "signing.key"])
        #expect(result.exitCode == 0)
        let parts = result.stdout.trimmingCharacters(in: .newlines).split(separator: "+", maxSplits: 2)
        #expect(parts.count == 3 && parts[0] == "ledger.example.com/release" && parts[1].count == 8)
        let mode =
            try FileManager.default.attributesOfItem(atPath: cli.folder + "/signing.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Self.file(cli, "signing.key").hasPrefix("PRIVATE+KEY+ledger.example.com/release+\(parts[1])+"))
        // Never over an existing key.
        let again = cli.run(["key", "generate", "--name", "other", "--out", "signing.key"])
        #expect(again.exitCode == 74)
        #expect(try Self.file(cli, "signing.key").contains("ledger.example.com/release"))
    }

    @Test func aKeyFileOthersCanReadOrThatIsNotAKeyIsRefusedNamingTheField() throws {
        let (cli, _) = try Self.signedLedger()
        let head = try cli.store().head()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cli.folder + "/signing.key")
        let open = cli.run(["checkpoint", "--key", "signing.key"])
        #expect(open.exitCode == 65)
        #expect(open.stderr.contains("--key:") && open.stderr.contains("owner only"))
        try Self.write(cli, "bad.key", "PRIVATE+KEY+name+00000000+c2VjcmV0\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: cli.folder + "/bad.key")
        let bad = cli.run(["checkpoint"], environment: ["RELEASE_LEDGER_SIGNING_KEY_FILE": "bad.key"])
        #expect(bad.exitCode == 65)
        #expect(bad.stderr.contains("RELEASE_LEDGER_SIGNING_KEY_FILE:"))
        #expect(!bad.stderr.contains("c2VjcmV0"), "the key's bytes are never echoed")
        #expect(bad.stderr.split(separator: "\n").count == 1)
        #expect(try cli.store().head() == head, "nothing was recorded")
    }

    @Test func checkpointIsRecordedAndVerifiesAgainstTheLedger() throws {
        let (cli, verifierKey) = try Self.signedLedger()
        let note = try Self.file(cli, "checkpoint.txt")
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "ledger.example.com/release")
        let issued = try cli.store().events(EventQuery(type: "checkpoint.issued"))
        #expect(issued.count == 1)
        #expect(
            issued.first.map { Int64(lines[1]) == $0.position - 1 } == true,
            "the checkpoint covers every event before its record")
        #expect((try issued.first?.payload())?["signedNote"]?.stringValue == note)
        #expect(!(issued.first?.data.contains("PRIVATE") ?? true), "the private key never enters the ledger")
        let result = cli.run(["verify", "--checkpoint", "checkpoint.txt", "--verifier-key", verifierKey])
        #expect(result.exitCode == 0, "\(result.stderr)")
        // More events later: the ledger still extends the old checkpoint.
        cli.expectSuccess(
            cli.run(["append", "--type", "x-note", "--sha", Fixtures.sha(1), "--data", #"{"text":"later"}"#]))
        #expect(cli.run(["verify", "--checkpoint", "checkpoint.txt", "--verifier-key", verifierKey]).exitCode == 0)
        // A different key does not vouch for it.
        _ = cli.run(["key", "generate", "--name", "ledger.example.com/release", "--out", "other.key"])
        let other = cli.run(["key", "generate", "--name", "ledger.example.com/release", "--out", "third.key"]).stdout
        let wrongKey = cli.run([
            "verify", "--checkpoint", "checkpoint.txt", "--verifier-key", other.trimmingCharacters(in: .newlines),
        ])
        #expect(wrongKey.exitCode == 4)
    }

    /// The README's limit of the hash chain: rewrite a row and every later row and the head
    /// consistently, rebuild, and plain `verify` passes. An old signed checkpoint catches it.
    @Test func aConsistentlyRewrittenHistoryIsCaughtByAnOldCheckpoint() throws {
        let (cli, verifierKey) = try Self.signedLedger()
        let events = try cli.store().events(EventQuery())
        let target = try #require(events.first { $0.type == "acceptance.recorded" })
        var previous = events[Int(target.position) - 2].hash
        var sql = """
            DROP TRIGGER events_are_immutable; DROP TRIGGER chain_head_only_moves_forward; DROP TRIGGER \
            chain_head_is_written_by_the_ledger;
            DROP TRIGGER merkle_subtrees_are_deleted_by_the_ledger; DELETE FROM merkle_subtrees;

            """
        for event in events where event.position >= target.position {
            let data =
                event.position == target.position
                ? event.data.replacingOccurrences(of: "\"YES\"", with: "\"YES\",\"reason\":\"forged\"") : event.data
            let rewritten = RecordedEvent(
                position: event.position, id: event.id, stream: event.stream, version: event.version, type: event.type,
                typeVersion: event.typeVersion, sha: event.sha, data: data, metadata: event.metadata,
                recordedAt: event.recordedAt,
                previousHash: previous, hash: "", chainVersion: event.chainVersion)
            let hash = ChainHasher.hash(of: rewritten)
            sql +=
                """
                UPDATE events SET data = '\(data)', previous_hash = '\(previous)', hash = '\(hash)' WHERE position = \
                \(event.position);\n
                """
            previous = hash
        }
        sql += "UPDATE chain_head SET hash = '\(previous)';"
        let output = try SQLiteShell.run(cli.defaultLedger, sql)
        #expect(!output.contains("Error"), "\(output)")
        #expect(cli.run("rebuild").exitCode == 0)
        #expect(cli.run("verify").exitCode == 0, "the rewrite is self-consistent: the chain alone cannot tell")
        let caught = cli.run(["verify", "--checkpoint", "checkpoint.txt", "--verifier-key", verifierKey])
        #expect(caught.exitCode == 4)
        #expect(caught.stderr.contains("rewritten"), "\(caught.stderr)")
        // And the ledger refuses to sign a checkpoint that contradicts the one it issued.
        let refused = cli.run(["checkpoint", "--key", "signing.key"])
        #expect(refused.exitCode == 4, "\(refused.stderr)")
    }

    @Test func aStoredTreeEditedBehindTheLedgersBackFailsVerify() throws {
        let (cli, _) = try Self.signedLedger()
        // Enough events for two stored blocks of 16 leaves; the second one is edited.
        for n in 1...32 {
            cli.expectSuccess(
                cli.run(["append", "--type", "x-note", "--sha", Fixtures.sha(1), "--data", #"{"text":"n\#(n)"}"#]))
        }
        let output = try SQLiteShell.run(
            cli.defaultLedger,
            "DROP TRIGGER merkle_subtrees_are_updated_by_the_ledger; "
                + "UPDATE merkle_subtrees SET hash = zeroblob(32) WHERE level = 4 AND idx = 1;"
        )
        #expect(!output.contains("Error"), "\(output)")
        let result = cli.run("verify")
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("position 17:") && result.stderr.contains("positions 17-32"), "\(result.stderr)")
        #expect(cli.run("rebuild").exitCode == 0)
        #expect(cli.run("verify").exitCode == 0)
    }

    @Test func proofsVerifyOfflineAndOneFlippedBitFails() throws {
        let (cli, verifierKey) = try Self.signedLedger()
        let size = try #require(Int(try Self.file(cli, "checkpoint.txt").split(separator: "\n")[1]))
        for position in [1, size / 2, size] {
            let tlog = cli.run(["prove", "--position", "\(position)"])
            #expect(
                tlog.stdout.hasPrefix("c2sp.org/tlog-proof@v1\nextra "), "a checkpoint covers it: the proof carries it")
            try Self.write(cli, "p.tlog-proof", tlog.stdout)
            let ok = cli.run([
                "verify", "--checkpoint", "checkpoint.txt", "--verifier-key", verifierKey, "--proof", "p.tlog-proof",
            ])
            #expect(ok.exitCode == 0, "\(ok.stderr)")
            let json = cli.run(["prove", "--position", "\(position)", "--json"])
            try Self.write(cli, "p.json", json.stdout)
            #expect(
                cli.run([
                    "verify", "--checkpoint", "checkpoint.txt", "--verifier-key", verifierKey, "--proof", "p.json",
                ]).exitCode == 0)
            // One bit flipped in a path hash (JSON), in the leaf's envelope (tlog extra) and in the root line.
            var flipped = json.stdout
            let pathStart = try #require(flipped.range(of: "\"path\":[\""))
            let digit = flipped.index(pathStart.upperBound, offsetBy: 5)
            if size > 1 {
                flipped.replaceSubrange(digit...digit, with: flipped[digit] == "0" ? "1" : "0")
                try Self.write(cli, "bad.json", flipped)
                #expect(
                    cli.run([
                        "verify", "--checkpoint", "checkpoint.txt", "--verifier-key", verifierKey, "--proof",
                        "bad.json",
                    ]).exitCode == 4)
            }
            let lines = tlog.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var extra = Array(lines[1].utf8)
            extra[20] ^= 0x01
            var badTlog = lines
            badTlog[1] = String(decoding: extra, as: UTF8.self)
            try Self.write(cli, "bad.tlog-proof", badTlog.joined(separator: "\n"))
            let bad = cli.run([
                "verify", "--checkpoint", "checkpoint.txt", "--verifier-key", verifierKey, "--proof", "bad.tlog-proof",
            ])
            #expect(bad.exitCode != 0)
        }
        let consistency = cli.run(["prove", "--from", "3", "--to", "\(size)", "--json"])
        try Self.write(cli, "c.json", consistency.stdout)
        #expect(
            cli.run(["verify", "--checkpoint", "checkpoint.txt", "--verifier-key", verifierKey, "--proof", "c.json"])
                .exitCode == 0)
        var checkpoint = try Self.file(cli, "checkpoint.txt")
        checkpoint = checkpoint.replacingOccurrences(of: "\n\(size)\n", with: "\n\(size - 1)\n")
        try Self.write(cli, "bad-checkpoint.txt", checkpoint)
        #expect(cli.run(["verify", "--checkpoint", "bad-checkpoint.txt", "--verifier-key", verifierKey]).exitCode == 4)
    }

    /// tools/transparency/verify_tlog_proof.py, written from RFC 9162 and the C2SP specs with
    /// hashlib and `cryptography` only, accepts every proof and refuses a flipped bit.
    @Test func anIndependentPythonVerifierAcceptsTheProofs() throws {
        let (cli, verifierKey) = try Self.signedLedger()
        let script = ExportTests.root + "/tools/transparency/verify_tlog_proof.py"
        let size = try #require(Int(try Self.file(cli, "checkpoint.txt").split(separator: "\n")[1]))
        for position in 1...size {
            try Self.write(cli, "p.tlog-proof", cli.run(["prove", "--position", "\(position)"]).stdout)
            let result = try CDEventsTests.runPython([script, verifierKey, cli.folder + "/p.tlog-proof"])
            #expect(result.exitCode == 0, "position \(position): \(result.stdout)")
            #expect(result.stdout == "ok: entry \(position - 1) is in ledger.example.com/release at size \(size)\n")
        }
        let proof = cli.run(["prove", "--position", "2"]).stdout
        var lines = proof.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = String(lines[3].reversed())
        try Self.write(cli, "bad.tlog-proof", lines.joined(separator: "\n"))
        #expect(try CDEventsTests.runPython([script, verifierKey, cli.folder + "/bad.tlog-proof"]).exitCode != 0)
    }

    @Test func proveJSONHasExactlyTheDocumentedKeys() throws {
        let (cli, _) = try Self.signedLedger()
        let inclusion = try #require(
            try JSONSerialization.jsonObject(
                with: Data(cli.run(["prove", "--position", "2", "--size", "7", "--json"]).stdout.utf8))
                as? [String: Any])
        #expect(Set(inclusion.keys) == ["leafIndex", "treeSize", "leafHash", "rootHash", "path"])
        #expect(inclusion["leafIndex"] as? Int == 1 && inclusion["treeSize"] as? Int == 7)
        let consistency = try #require(
            try JSONSerialization.jsonObject(
                with: Data(cli.run(["prove", "--from", "2", "--to", "7", "--json"]).stdout.utf8)) as? [String: Any])
        #expect(Set(consistency.keys) == ["fromSize", "toSize", "fromRoot", "toRoot", "path"])
        #expect((consistency["toRoot"] as? String)?.allSatisfy { "0123456789abcdef".contains($0) } == true)
        #expect(cli.run(["prove", "--position", "0"]).exitCode == 65)
        #expect(cli.run(["prove", "--position", "3", "--size", "2"]).exitCode == 65)
        #expect(cli.run(["prove", "--position", "3", "--from", "1", "--to", "2"]).exitCode == 64)
    }

    @Test func verdictWithCheckpointSignsOneCoveringTheDecision() throws {
        let cli = CLIHarness()
        _ = cli.run(["key", "generate", "--name", "ledger.example.com/release", "--out", "signing.key"])
        cli.prepare(1)
        cli.deploy(1)
        cli.expectSuccess(cli.run(["smoke", "--sha", Fixtures.sha(1), "--suite", "api", "--outcome", "passed"]))
        cli.expectSuccess(cli.run(["smoke", "--sha", Fixtures.sha(1), "--suite", "browser", "--outcome", "passed"]))
        cli.expectSuccess(cli.run(["record-deployment", "--sha", Fixtures.sha(1), "--deployment-id", "1"]))
        #expect(cli.setupFailures.isEmpty)
        let verdict = cli.run(["verdict", "--sha", Fixtures.sha(1), "--checkpoint", "--key", "signing.key", "--json"])
        #expect(verdict.exitCode == 0, "\(verdict.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(verdict.stdout.utf8)) as? [String: Any])
        let checkpoint = try #require(json["checkpoint"] as? [String: Any])
        #expect(checkpoint["size"] as? Int == json["position"] as? Int, "the checkpoint's tree ends with the verdict")
    }

    @Test func materializeWithAKeyWritesTheAttestationBesideTheDecision() throws {
        let (cli, _) = try Self.signedLedger()
        let sha = Fixtures.sha(1)
        #expect(cli.run(["materialize", "--sha", sha, "--out", "out", "--key", "signing.key"]).exitCode == 0)
        let written = try Self.file(cli, "out/release/\(sha)/decision.intoto.jsonl")
        #expect(written == cli.run(["attest", "--sha", sha, "--key", "signing.key"]).stdout)
        #expect(
            cli.run(["materialize", "--sha", sha, "--out", "out", "--key", "signing.key", "--check"]).exitCode == 0)
        #expect(cli.run(["materialize", "--all", "--out", "all", "--key", "signing.key"]).exitCode == 0)
        #expect(try Self.file(cli, "all/release/\(sha)/decision.intoto.jsonl") == written)
        // Without a key, nothing is signed.
        #expect(cli.run(["materialize", "--sha", sha, "--out", "plain"]).exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: cli.folder + "/plain/release/\(sha)/decision.intoto.jsonl"))
    }

    /// The attestation is rebuilt byte for byte, and an independent DSSE implementation
    /// (securesystemslib, from PyPI) verifies it with the public key taken from the verifier key.
    @Test func attestationIsDeterministicAndVerifiesWithSecuresystemslib() throws {
        let (cli, verifierKey) = try Self.signedLedger()
        let first = cli.run([
            "attest", "--sha", Fixtures.sha(1), "--key", "signing.key", "--out", "decision.intoto.jsonl",
        ])
        #expect(first.exitCode == 0, "\(first.stderr)")
        let again = cli.run(["attest", "--sha", Fixtures.sha(1), "--key", "signing.key"])
        #expect(again.stdout == (try Self.file(cli, "decision.intoto.jsonl")))
        let predicate = cli.run(["attest", "--sha", Fixtures.sha(1), "--predicate-only"])
        #expect(predicate.exitCode == 0)
        #expect(predicate.stdout.contains("\"verificationResult\": \"PASSED\""))
        let script = """
            import base64, json, sys
            from securesystemslib.dsse import Envelope
            from securesystemslib.signer import SSlibKey
            vkey, path = sys.argv[1], sys.argv[2]
            name, keyid, material = vkey.split("+", 2)
            raw = base64.b64decode(material)
            assert raw[0] == 1 and len(raw) == 33
            key = SSlibKey(vkey, "ed25519", "ed25519", {"public": raw[1:].hex()})
            envelope = Envelope.from_dict(json.loads(open(path).read()))
            accepted = envelope.verify([key], 1)
            assert vkey in accepted, accepted
            statement = json.loads(envelope.payload)
            assert statement["_type"] == "https://in-toto.io/Statement/v1"
            assert statement["predicateType"] == "https://slsa.dev/verification_summary/v1"
            print(statement["predicate"]["verificationResult"])
            """
        try Self.write(cli, "check.py", script)
        let checked = try CDEventsTests.runPython([
            cli.folder + "/check.py", verifierKey, cli.folder + "/decision.intoto.jsonl",
        ])
        #expect(checked.exitCode == 0, "\(checked.stdout)")
        #expect(checked.stdout == "PASSED\n")
        // A changed payload no longer verifies.
        var envelope = try #require(
            try JSONSerialization.jsonObject(with: Data(try Self.file(cli, "decision.intoto.jsonl").utf8))
                as? [String: Any])
        let payload = try #require(Data(base64Encoded: envelope["payload"] as? String ?? ""))
        let forged = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "PASSED", with: "FAILED")
        envelope["payload"] = Data(forged.utf8).base64EncodedString()
        try Self.write(
            cli, "forged.intoto.jsonl",
            String(decoding: try JSONSerialization.data(withJSONObject: envelope), as: UTF8.self))
        let refused = try CDEventsTests.runPython([
            cli.folder + "/check.py", verifierKey, cli.folder + "/forged.intoto.jsonl",
        ])
        #expect(refused.exitCode != 0)
    }
}
