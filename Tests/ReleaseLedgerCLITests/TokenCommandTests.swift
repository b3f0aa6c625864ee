import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// `token create|list|revoke` through the built `release-ledger`, as an operator runs them.
@Suite struct TokenCommandTests {
    let harness = CLIHarness()

    func binary(_ arguments: [String]) throws -> CommandResult {
        try BuiltBinary.run(arguments + ["--db", harness.defaultLedger], in: harness.folder)
    }

    func storedText() throws -> String {
        try harness.store().events(EventQuery()).map { $0.data + $0.metadata + $0.id + $0.stream }.joined()
    }

    @Test func createPrintsTheTokenOnceAndTheLedgerKeepsOnlyItsHash() throws {
        let created = try binary([
            "token", "create", "--name", "deploy-bot", "--scope", "production,audit", "--expires", "90",
        ])
        #expect(created.exitCode == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .newlines)
        #expect(StaticToken.isWellFormed(token), "stdout is the token alone")
        #expect(created.stderr.contains("token 'deploy-bot' granted with production, audit, expires 20"))
        #expect(!created.stderr.contains(token))
        let stored = try storedText()
        #expect(!stored.contains(token))
        #expect(stored.contains(StaticToken.hash(token)))
        let event = try #require(try harness.store().events(EventQuery()).first)
        #expect(event.type == "token.granted" && event.stream == "token-deploy-bot" && event.sha == TokenEvent.sha)

        let second = try binary(["token", "create", "--name", "audit-bot", "--scope", "audit", "--json"])
        #expect(second.exitCode == 0)
        let json = try JSONParser.parse(second.stdout.trimmingCharacters(in: .newlines), field: "stdout")
        let secondToken = try #require(json["token"]?.stringValue)
        #expect(StaticToken.isWellFormed(secondToken) && secondToken != token)
        #expect(json["scopes"] == ["audit"] && json["expiresAt"] == .null && json["position"] == 2)
    }

    @Test func listShowsNamesScopesDatesAndRevocationsButNeverAHash() throws {
        let created = try binary([
            "token", "create", "--name", "deploy-bot", "--scope", "production", "--scope", "audit", "--actor", "alice",
        ])
        #expect(created.exitCode == 0)
        #expect(try binary(["token", "create", "--name", "old-bot", "--scope", "candidate"]).exitCode == 0)
        let revoked = try binary(["token", "revoke", "old-bot", "--reason", "rotated", "--actor", "bob"])
        #expect(revoked.exitCode == 0, "\(revoked.stderr)")
        #expect(revoked.stdout.hasPrefix("token 'old-bot' revoked at "))

        let list = try binary(["token", "list"])
        #expect(list.exitCode == 0)
        #expect(
            list.lines.first
                == "NAME        SCOPES            STATUS   CREATED                   CREATED BY  EXPIRES  REVOKED")
        #expect(list.lines.count == 3)
        #expect(list.lines[1].hasPrefix("deploy-bot  production,audit  active   "))
        #expect(list.lines[1].contains("alice") && list.lines[1].hasSuffix("never    -"))
        #expect(list.lines[2].hasPrefix("old-bot     candidate         revoked  "))
        let json = try JSONParser.parse(
            try binary(["token", "list", "--json"]).stdout.trimmingCharacters(in: .newlines), field: "stdout")
        let tokens = try #require(json["tokens"]?.arrayValue)
        #expect(tokens.map { $0["name"] } == ["deploy-bot", "old-bot"])
        #expect(
            tokens[1]["status"] == "revoked" && tokens[1]["revokedBy"] == "bob"
                && tokens[1]["revocationReason"] == "rotated")
        for output in [list.stdout, CanonicalJSON.encode(json)] {
            #expect(!output.contains("sha256:") && !output.contains("rlt_"))
        }
    }

    @Test func aDuplicateNameIsAConflictAndNothingIsWritten() throws {
        #expect(try binary(["token", "create", "--name", "ci", "--scope", "audit"]).exitCode == 0)
        #expect(try binary(["token", "revoke", "ci"]).exitCode == 0)
        let again = try binary(["token", "create", "--name", "ci", "--scope", "admin"])
        #expect(again.exitCode == 3)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.hasPrefix("release-ledger: error: conflict: a token named 'ci' was granted at "))
        #expect(again.stderr.hasSuffix("; names are never reused, choose another\n"))
        #expect(try harness.store().head().position == 2)
    }

    @Test func anUnknownScopeNamesTheFlagAndTheValidScopes() throws {
        let result = try binary(["token", "create", "--name", "ci", "--scope", "production,root"])
        #expect(result.exitCode == 65)
        #expect(
            result.stderr == """
                release-ledger: error: --scope: 'root' is not a scope; valid scopes: candidate, acceptance, \
                production-control-plane, production, audit, admin

                """)
        #expect(!FileManager.default.fileExists(atPath: harness.defaultLedger), "nothing was opened, nothing created")
    }

    @Test func badInputIsOneLineWithItsExitCode() throws {
        let cases: [([String], Int32, String)] = [
            (
                ["token", "create", "--name", "Deploy Bot", "--scope", "audit"], 65,
                "--name: must be lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
            ),
            (["token", "create", "--name", "ci"], 64, "--scope is required: one or more of candidate, acceptance"),
            (
                ["token", "create", "--name", "ci", "--scope", "audit", "--expires", "0"], 64,
                "--expires must be a whole number of days, 1 to 3650"
            ),
            (["token", "revoke", "nobody"], 65, "NAME: no token is named 'nobody'; the ledger has no active token"),
        ]
        for (arguments, code, message) in cases {
            let result = harness.run(arguments)
            #expect(result.exitCode == code, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
        #expect(try harness.store().head().position == 0)
    }

    @Test func revokingARevokedTokenWritesNothingAndSucceeds() throws {
        #expect(harness.run(["token", "create", "--name", "ci", "--scope", "audit"]).exitCode == 0)
        #expect(harness.run(["token", "revoke", "ci"]).exitCode == 0)
        let again = harness.run(["token", "revoke", "ci", "--json"])
        #expect(again.exitCode == 0)
        #expect(again.stdout.contains(#""status":"already-revoked""#))
        #expect(try harness.store().head().position == 2)
        let unknown = harness.run(["token", "revoke", "cj"])
        #expect(unknown.stderr.contains("NAME: no token is named 'cj'; active tokens: ") == false)
        #expect(unknown.stderr.contains("the ledger has no active token"))
    }

    @Test func aTokenIsNeverAcceptedAsEventContent() throws {
        let created = harness.run(["token", "create", "--name", "ci", "--scope", "audit"])
        let token = created.stdout.trimmingCharacters(in: .newlines)
        let sha = Fixtures.sha(1)
        let result = harness.run(["append", "--type", "x-note", "--sha", sha, "--data", #"{"text":"use \#(token)"}"#])
        #expect(result.exitCode == 65)
        #expect(result.stderr.contains("release-ledger access token") && !result.stderr.contains(token))
    }
}
