import EventStoreConformance
import Foundation
import ReleaseLedgerCore
import Testing

/// The scope table: who may append what, mirroring the runbook's environments.
@Suite struct AccessScopeTests {
    static let expected: [(type: String, scopes: Set<AccessScope>)] = [
        ("candidate.frozen", [.candidate]), ("x-note", [.candidate]), ("x-cache-warmed", [.candidate]),
        ("acceptance.recorded", [.acceptance]), ("readiness.recorded", [.acceptance]),
        ("identity.preflight.recorded", [.acceptance, .production]), ("approval.recorded", [.productionControlPlane]),
        ("apply.recorded", [.production]), ("migration.recorded", [.production]), ("deploy.recorded", [.production]),
        ("smoke.recorded", [.production]), ("deployment.recorded", [.production]), ("verdict.recorded", [.production]),
        ("replay.requested", [.production]), ("token.granted", [.admin]), ("token.revoked", [.admin]),
    ]

    @Test(arguments: expected.map(\.type))
    func eachEventTypeIsAllowedToExactlyTheRunbooksScopes(_ type: String) throws {
        let scopes = try #require(Self.expected.first { $0.type == type }).scopes
        #expect(AccessScope.allowedToAppend(type) == scopes)
    }

    @Test func everyEventTypeTheLedgerAcceptsHasARowAndAScope() {
        let rows = AccessScope.appendTable.map(\.eventType)
        #expect(Set(rows).count == rows.count, "an event type has two rows")
        for type in EventType.allCases.map(\.rawValue) + TokenEvent.types {
            #expect(rows.contains(type), "\(type) has no row in the scope table")
            #expect(!AccessScope.allowedToAppend(type).isEmpty, "\(type) can be appended by no scope")
        }
        for row in AccessScope.appendTable { #expect(!row.commands.isEmpty && !row.scopes.isEmpty, "\(row.eventType)") }
    }

    @Test func nothingOutsideTheCatalogCanBeAppendedByAnyScope() {
        for type in ["x-", "deploy", "Deploy.Recorded", "token.created", "", "candidate.frozen "] {
            #expect(AccessScope.allowedToAppend(type).isEmpty, "\(type)")
        }
    }

    /// Every (scope, event type) pair the table does not allow is refused, naming what it needs.
    @Test(arguments: AccessScope.allCases)
    func everyScopeIsRefusedEverythingTheTableDoesNotGiveIt(_ scope: AccessScope) {
        let identity = VerifiedIdentity.token(named: "ci", scopes: [scope])
        for (type, allowed) in Self.expected {
            let refusal = identity.refusal(for: [.append(type: type)])
            if allowed.contains(scope) {
                #expect(refusal == nil, "\(scope) must be allowed to append \(type)")
            } else {
                let needs = allowed.sorted().map(\.rawValue).joined(separator: " or ")
                #expect(refusal == "token:ci (scopes \(scope.rawValue)) may not append \(type): it needs \(needs)")
            }
        }
        #expect(identity.may(.read) == (scope == .audit))
        #expect(identity.may(.rebuild) == (scope == .admin))
    }

    @Test func aBatchIsRefusedWholeForItsFirstForbiddenEvent() {
        let identity = VerifiedIdentity.token(named: "deployer", scopes: [.production])
        let batch: [LedgerAction] = [
            .append(type: "deploy.recorded"), .append(type: "approval.recorded"), .append(type: "x-note"),
        ]
        #expect(
            identity.refusal(for: batch)
                == "token:deployer (scopes production) may not append approval.recorded: it needs production-control-plane"
        )
        #expect(identity.refusal(for: [.append(type: "deploy.recorded"), .append(type: "smoke.recorded")]) == nil)
        #expect(
            VerifiedIdentity.token(named: "none", scopes: []).refusal(for: [.read])
                == "token:none (no scope) may not read the ledger: it needs audit")
    }

    @Test func scopeListsNameTheFieldAndTheValidValues() throws {
        #expect(try AccessScope.parseList("production,audit", field: "--scope") == [.production, .audit])
        #expect(try AccessScope.parseList("production-control-plane", field: "--scope") == [.productionControlPlane])
        #expect(
            throws: LedgerError.invalidInput(
                field: "--scope",
                rule:
                    "'prod' is not a scope; valid scopes: candidate, acceptance, production-control-plane, production, audit, admin"
            )
        ) { try AccessScope.parseList("audit,prod", field: "--scope") }
        #expect(throws: LedgerError.self) { try AccessScope.parseList("audit,", field: "--scope") }
    }

    @Test func theMarkdownTableHasOneRowPerScopeFromTheSameTable() {
        let lines = AccessScope.markdownTable.split(separator: "\n")
        #expect(lines.count == 2 + AccessScope.allCases.count)
        #expect(lines.contains("| `production-control-plane` | `approve` | `approval.recorded` |"))
        #expect(lines.contains("| `candidate` | `freeze`, `append --type x-…` | `candidate.frozen`, `x-*` |"))
        #expect(
            lines.contains("| `admin` | `rebuild`, `token create`, `token revoke` | `token.granted`, `token.revoked` |")
        )
        let production = lines.first { $0.hasPrefix("| `production` |") } ?? ""
        for command in [
            "preflight", "apply", "migrate", "deploy", "smoke", "record-deployment", "verdict", "rollback", "replay",
        ] {
            #expect(production.contains("`\(command)`"), "\(command)")
        }
    }

    /// The README's table is printed by `AccessScope.markdownTable`: it is checked wherever the
    /// README carries the marker line above it.
    @Test func theREADMETableIsTheGeneratedOne() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let marker = "<!-- scope table: printed by AccessScope.markdownTable"
        guard let range = text.range(of: marker) else { return }  // not yet in the README
        let after = text[range.upperBound...].drop { $0 != "\n" }.dropFirst()
        #expect(
            after.hasPrefix(AccessScope.markdownTable), "README.md's scope table differs from AccessScope.markdownTable"
        )
    }
}
