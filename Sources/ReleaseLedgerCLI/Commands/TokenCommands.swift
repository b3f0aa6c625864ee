import ArgumentParser
import ReleaseLedgerCore

/// `token create|list|revoke`: static bearer tokens for `release-ledger serve`, managed on the
/// local ledger file like `init`. Grants and revocations are events; a token is printed once and
/// only its SHA-256 is stored.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke the static tokens a ledger server accepts.",
        discussion: """
            Examples:
              release-ledger token create --name bot --scope production,audit --expires 90
              release-ledger token list
              release-ledger token revoke bot --reason "rotated"
            """,
        subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self])
}

struct TokenCreateCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Grant a token: print it once, record its name, scopes and hash.",
        discussion: """
            Scopes: candidate, acceptance, production-control-plane, production, audit, admin.
            The token is printed alone on standard output (the note goes to standard error), so
            TOKEN=$(release-ledger token create ...) captures it. Names are never reused.
            Example:
              release-ledger token create --name ci --scope acceptance,audit --expires 30
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var metadata: MetadataOptions

    @Option(help: "The token's name: 1 to 64 of a-z 0-9 . _ - (it names the identity in every event it records).")
    var name: String

    @Option(
        help:
            """
            Scopes, comma-separated or repeated: candidate, acceptance, production-control-plane, production, audit, \
            admin.
            """
    )
    var scope: [String] = []

    @Option(help: "Days until the token expires, 1 to 3650 (default: never).")
    var expires: Int?

    func execute(in context: CommandContext) throws(LedgerError) {
        if let problem = TokenEvent.nameProblem(name) { throw .invalidInput(field: "--name", rule: problem) }
        guard !scope.isEmpty else { throw .usage("--scope is required: one or more of \(AccessScope.validNames)") }
        var scopes: Set<AccessScope> = []
        for list in scope { scopes.formUnion(try AccessScope.parseList(list, field: "--scope")) }
        if let expires, !(1...3650).contains(expires) {
            throw .usage("--expires must be a whole number of days, 1 to 3650")
        }

        let store = try context.openLedger(ledger.settings, for: .writing)
        let table = try TokenTable.read(from: store)
        if let existing = table[name] {
            throw .conflict(
                "a token named '\(name)' was granted at \(existing.grantedAt); names are never reused, choose another")
        }
        var random = SystemRandomNumberGenerator()
        let token = StaticToken.generate(using: &random)
        let expiresAt = expires.map { context.clock.now().adding(milliseconds: Int64($0) * 86_400_000) }
        let grant = TokenEvent.grant(
            name: name, scopes: scopes, hash: StaticToken.hash(token), expiresAt: expiresAt,
            metadata: metadata.settings.eventMetadata(context.environment))
        let receipt = try store.append([grant])[0]
        let scopeNames = scopes.sorted().map(\.rawValue)
        if ledger.json {
            context.console.line(
                CanonicalJSON.encode([
                    "name": .string(name), "scopes": .array(scopeNames.map { .string($0) }), "token": .string(token),
                    "expiresAt": .optionalString(expiresAt?.description),
                    "position": .number(.integer(receipt.position)),
                ]))
        } else {
            context.console.line(token)
            context.console.error(
                "token '\(name)' granted with \(scopeNames.joined(separator: ", ")), expires "
                    + "\(expiresAt?.description ?? "never") (position \(receipt.position)); "
                    + "it is shown this once: the ledger keeps only its SHA-256")
        }
    }
}

struct TokenListCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the tokens: names, scopes, when created and by whom, expiry, revocation. Never a hash.",
        discussion: """
            Example:
              release-ledger token list --json
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var format: FormatOptions

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(ledger.settings, for: .reading)
        let table = try TokenTable.read(from: store)
        let now = context.clock.now()
        func status(_ entry: TokenTable.Entry) -> String {
            entry.revokedAt != nil ? "revoked" : entry.isExpired(at: now) ? "expired" : "active"
        }
        switch format.resolved(ledger.settings) {
        case .json:
            let tokens: [JSONValue] = table.entries.map { entry in
                [
                    "name": .string(entry.name), "scopes": .array(entry.scopes.sorted().map { .string($0.rawValue) }),
                    "status": .string(status(entry)), "createdAt": .string(entry.grantedAt.description),
                    "createdBy": .optionalString(entry.grantedBy), "position": .number(.integer(entry.grantedPosition)),
                    "expiresAt": .optionalString(entry.expiresAt?.description),
                    "revokedAt": .optionalString(entry.revokedAt?.description),
                    "revokedBy": .optionalString(entry.revokedBy),
                    "revocationReason": .optionalString(entry.revocationReason),
                ]
            }
            context.console.line(CanonicalJSON.encode(["tokens": .array(tokens)]))
        case let other:
            let rows = table.entries.map { entry in
                [
                    entry.name, entry.scopes.sorted().map(\.rawValue).joined(separator: ","), status(entry),
                    entry.grantedAt.description,
                    entry.grantedBy ?? "-", entry.expiresAt?.description ?? "never",
                    entry.revokedAt?.description ?? "-",
                ]
            }
            let headers = ["NAME", "SCOPES", "STATUS", "CREATED", "CREATED BY", "EXPIRES", "REVOKED"]
            context.console.line(Table(title: nil, headers: headers, rows: rows).render(other))
        }
    }
}

struct TokenRevokeCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a token: the server refuses it from the next request on.",
        discussion: """
            Revoking a revoked token records nothing and exits 0; an unknown name exits 65.
            Example:
              release-ledger token revoke deploy-bot --reason "left the team"
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var metadata: MetadataOptions

    @Argument(help: "The token's name.") var name: String

    @Option(parsing: .unconditional, help: "Why, recorded with the revocation.") var reason: String?

    func execute(in context: CommandContext) throws(LedgerError) {
        let store = try context.openLedger(ledger.settings, for: .writing)
        let table = try TokenTable.read(from: store)
        guard let entry = table[name] else {
            let known = table.entries.filter { $0.revokedAt == nil }.prefix(10).map(\.name)
            let hint =
                known.isEmpty ? "the ledger has no active token" : "active tokens: \(known.joined(separator: ", "))"
            throw .invalidInput(field: "NAME", rule: "no token is named '\(name)'; \(hint)")
        }
        if let revokedAt = entry.revokedAt {
            context.console.line(
                ledger.json
                    ? CanonicalJSON.encode([
                        "name": .string(name), "status": "already-revoked", "revokedAt": .string(revokedAt.description),
                    ])
                    : "token '\(name)' was already revoked at \(revokedAt); nothing written")
            return
        }
        let revocation = TokenEvent.revocation(
            name: name, reason: reason, metadata: metadata.settings.eventMetadata(context.environment))
        let receipt: AppendReceipt
        do { receipt = try store.append([revocation])[0] } catch { throw error.namingFlags() }
        context.console.line(
            ledger.json
                ? CanonicalJSON.encode([
                    "name": .string(name), "status": "revoked", "revokedAt": .string(receipt.recordedAt.description),
                    "position": .number(.integer(receipt.position)),
                ])
                : "token '\(name)' revoked at \(receipt.recordedAt) (position \(receipt.position))")
    }
}
