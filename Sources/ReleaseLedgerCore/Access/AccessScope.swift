/// What a credential may do, one scope per boundary of the runbook's environments: the jobs of
/// one GitHub environment (`acceptance`, `production-control-plane`, `production`) can record
/// that environment's facts and nothing else. `AccessScope.appendTable` is the one table that
/// says which scopes may append each event type; the README's scope table is printed from it.
public enum AccessScope: String, CaseIterable, Comparable, Sendable {
    /// The candidate freeze job, and free-form `x-` notes.
    case candidate
    /// The acceptance job: the verdict, auth readiness and the identity preflight.
    case acceptance
    /// The control-plane approval job.
    case productionControlPlane = "production-control-plane"
    /// The production jobs: every production step, the verdict, rollback and replay.
    case production
    /// Every read: events, verify, status, history, show, at, diff, metrics, artifacts.
    case audit
    /// Rebuilding the read model, and granting and revoking tokens.
    case admin

    public static func < (a: AccessScope, b: AccessScope) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Parses `production,audit` (as `--scope` and a policy file give them); names the field and
    /// the valid values when one is unknown.
    public static func parseList(_ text: String, field: String) throws(LedgerError) -> Set<AccessScope> {
        var scopes: Set<AccessScope> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            scopes.insert(try parse(String(name), field: field))
        }
        return scopes
    }

    public static func parse(_ name: String, field: String) throws(LedgerError) -> AccessScope {
        guard let scope = AccessScope(rawValue: name) else {
            let shown = name.isEmpty ? "an empty name" : "'\(EventCatalog.printable(name))'"
            throw .invalidInput(field: field, rule: "\(shown) is not a scope; valid scopes: \(validNames)")
        }
        return scope
    }

    public static let validNames = allCases.map(\.rawValue).joined(separator: ", ")
}

/// Something a client asks the ledger to do, as the server authorizes it.
public enum LedgerAction: Equatable, Sendable, CustomStringConvertible {
    /// Append an event of this type (one line of a batch is one action).
    case append(type: String)
    /// Any read: events, verify, status, history, show, at, diff, metrics, artifacts.
    case read
    /// Drop and rebuild the read model from the events.
    case rebuild

    /// The scopes any one of which allows the action; empty when nothing does (an unknown type).
    public var allowedScopes: Set<AccessScope> {
        switch self {
        case .append(let type): AccessScope.allowedToAppend(type)
        case .read: [.audit]
        case .rebuild: [.admin]
        }
    }

    public var description: String {
        switch self {
        case .append(let type): "append \(EventCatalog.printable(type))"
        case .read: "read the ledger"
        case .rebuild: "rebuild the read model"
        }
    }
}

/// One row of the scope table: an event type, the commands that append it, the scopes allowed to.
public struct AppendGrant: Equatable, Sendable {
    /// The event type; `x-*` stands for every free-form note.
    public let eventType: String
    public let commands: [String]
    public let scopes: [AccessScope]
}

extension AccessScope {
    /// Every event type the ledger accepts, in the catalog's order, then notes and token events.
    public static let appendTable: [AppendGrant] =
        EventType.allCases.map(grant(for:)) + [
            AppendGrant(eventType: "x-*", commands: ["append --type x-…"], scopes: [.candidate]),
            AppendGrant(eventType: TokenEvent.granted, commands: ["token create"], scopes: [.admin]),
            AppendGrant(eventType: TokenEvent.revoked, commands: ["token revoke"], scopes: [.admin]),
        ]

    /// The runbook's environments, event type by event type. A switch, so a new event type does
    /// not compile until someone decides who may record it.
    static func grant(for type: EventType) -> AppendGrant {
        let (commands, scopes): ([String], [AccessScope]) =
            switch type {
            case .candidateFrozen: (["freeze"], [.candidate])
            case .acceptanceRecorded: (["accept"], [.acceptance])
            case .readinessRecorded: (["readiness"], [.acceptance])
            // The runbook runs the identity preflight before acceptance and again before the identity apply.
            case .identityPreflightRecorded: (["preflight"], [.acceptance, .production])
            case .approvalRecorded: (["approve"], [.productionControlPlane])
            case .applyRecorded: (["apply"], [.production])
            case .migrationRecorded: (["migrate"], [.production])
            case .deployRecorded: (["deploy"], [.production])
            case .smokeRecorded: (["smoke"], [.production])
            case .deploymentRecorded: (["record-deployment"], [.production])
            case .verdictRecorded: (["verdict"], [.production])
            case .replayRequested: (["rollback", "replay"], [.production])
            }
        return AppendGrant(eventType: type.rawValue, commands: commands, scopes: scopes)
    }

    private static let scopesByType: [String: Set<AccessScope>] = Dictionary(
        uniqueKeysWithValues: appendTable.map { ($0.eventType, Set($0.scopes)) })

    /// The scopes allowed to append an event of `type`; empty for a type the ledger does not accept.
    public static func allowedToAppend(_ type: String) -> Set<AccessScope> {
        if EventType.isExtension(type) { return scopesByType["x-*"]! }
        return scopesByType[type] ?? []
    }

    /// The README's scope table, printed from `appendTable`: one row per scope.
    public static var markdownTable: String {
        var lines = ["| scope | commands | event types |", "|---|---|---|"]
        for scope in allCases {
            let rows = appendTable.filter { $0.scopes.contains(scope) }
            var commands = rows.flatMap(\.commands).map { "`\($0)`" }
            var types = rows.map { "`\($0.eventType)`" }
            switch scope {
            case .audit:
                commands = [
                    "every read: `events`, `verify`, `status`, `history`, `show`, `at`, `diff`, `metrics`, artifacts"
                ]
                types = ["(reads only)"]
            case .admin:
                commands.insert("`rebuild`", at: 0)
            default:
                break
            }
            lines.append(
                "| `\(scope.rawValue)` | \(commands.joined(separator: ", ")) | \(types.joined(separator: ", ")) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
