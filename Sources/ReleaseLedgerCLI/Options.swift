import ArgumentParser
import ReleaseLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Options every command takes.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: "The ledger file (default: $RELEASE_LEDGER_DB, else .release-ledger/ledger.sqlite).")
    var db: String?

    @Option(
        name: .long, help: "A ledger server's URL (default: $RELEASE_LEDGER_URL); the file options then do not apply.")
    var server: String?

    @Option(
        name: .long,
        help:
            """
            A PostgreSQL ledger instead of a file: postgres://USER@HOST[:PORT]/DATABASE (default: \
            $RELEASE_LEDGER_POSTGRES).
            """
    )
    var postgres: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text for people.")
    var json = false

    // Unconditional, so `--busy-timeout -1` reaches the range check instead of "Missing value".
    @Option(
        name: .customLong("busy-timeout"), parsing: .unconditional,
        help:
            """
            Milliseconds to wait for another writer, 0 to 86400000 (default: $RELEASE_LEDGER_BUSY_TIMEOUT_MS, else \
            10000).
            """
    )
    var busyTimeout: Int?

    @Flag(
        name: .customLong("github-output"), inversion: .prefixedNo,
        help: "Write $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY (default: when GITHUB_ACTIONS is true).")
    var githubOutput: Bool?

    var settings: LedgerSettings {
        LedgerSettings(
            db: db, server: server, postgres: postgres, json: json, busyTimeout: busyTimeout, githubOutput: githubOutput
        )
    }
}

/// The options every command takes, as plain values: what the commands read. ArgumentParser
/// fills `LedgerOptions` and converts; `QuickParse` fills these directly for a CI step, since
/// building ArgumentParser's property wrappers costs a quarter of an `append` (README, W7).
struct LedgerSettings: Equatable {
    var db: String?
    var server: String?
    var postgres: String?
    var json = false
    var busyTimeout: Int?
    var githubOutput: Bool?

    func busyTimeoutMilliseconds(_ environment: [String: String]) throws(LedgerError) -> Int {
        if let busyTimeout { return try NumericOption.busyTimeout(busyTimeout, name: "--busy-timeout") }
        guard let text = environment["RELEASE_LEDGER_BUSY_TIMEOUT_MS"], !text.isEmpty else { return 10_000 }
        guard let value = Int(text) else {
            throw .usage(
                """
                RELEASE_LEDGER_BUSY_TIMEOUT_MS must be a whole number of milliseconds, 0 to \
                \(NumericOption.maxBusyTimeoutMilliseconds)
                """
            )
        }
        return try NumericOption.busyTimeout(value, name: "RELEASE_LEDGER_BUSY_TIMEOUT_MS")
    }
}

/// Who recorded the event. Inside GitHub Actions these fill themselves from the environment.
struct MetadataOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Who did it (default: $GITHUB_ACTOR).") var actor: String?
    @Option(parsing: .unconditional, help: "Where it came from (default: $GITHUB_SERVER_URL/$GITHUB_REPOSITORY).")
    var source: String?
    @Option(name: .customLong("run-id"), help: "CI run id (default: $GITHUB_RUN_ID).") var runID: String?
    @Option(name: .customLong("run-attempt"), help: "CI run attempt (default: $GITHUB_RUN_ATTEMPT).") var runAttempt:
        String?
    @Option(parsing: .unconditional, help: "CI workflow (default: $GITHUB_WORKFLOW).") var workflow: String?
    @Option(parsing: .unconditional, help: "CI job (default: $GITHUB_JOB).") var job: String?
    @Option(help: "Repository (default: $GITHUB_REPOSITORY).") var repository: String?
    @Option(name: .customLong("correlation-id"), parsing: .unconditional, help: "Ties related events together.")
    var correlationID: String?
    @Option(name: .customLong("causation-id"), parsing: .unconditional, help: "The event id that caused this one.")
    var causationID: String?

    var settings: MetadataSettings {
        MetadataSettings(
            actor: actor, source: source, runID: runID, runAttempt: runAttempt, workflow: workflow, job: job,
            repository: repository, correlationID: correlationID, causationID: causationID)
    }
}

/// `MetadataOptions` as plain values (see `LedgerSettings`).
struct MetadataSettings: Equatable {
    var actor: String?
    var source: String?
    var runID: String?
    var runAttempt: String?
    var workflow: String?
    var job: String?
    var repository: String?
    var correlationID: String?
    var causationID: String?

    func eventMetadata(_ environment: [String: String]) -> EventMetadata {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let server = env("GITHUB_SERVER_URL")
        let repository = repository ?? env("GITHUB_REPOSITORY")
        let defaultSource = server.map { server in repository.map { "\(server)/\($0)" } ?? server }
        return EventMetadata(
            actor: actor ?? env("GITHUB_ACTOR") ?? env("RELEASE_LEDGER_ACTOR"), source: source ?? defaultSource,
            runId: runID ?? env("GITHUB_RUN_ID"), runAttempt: runAttempt ?? env("GITHUB_RUN_ATTEMPT"),
            workflow: workflow ?? env("GITHUB_WORKFLOW"), job: job ?? env("GITHUB_JOB"), repository: repository,
            correlationId: correlationID, causationId: causationID, toolVersion: ReleaseLedger.version)
    }
}

/// Options of every command that appends one event.
struct AppendOptions: ParsableArguments {
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var metadata: MetadataOptions

    @Option(
        name: .customLong("id"), help: "Idempotency key: a retry with the same key and content records nothing new.")
    var id: String?

    @Option(name: .customLong("expect"), help: "Expected stream version: any, none, exists or a number.")
    var expect: String = "any"

    var settings: AppendSettings {
        AppendSettings(ledger: ledger.settings, metadata: metadata.settings, id: id, expect: expect)
    }
}

/// `AppendOptions` as plain values (see `LedgerSettings`).
struct AppendSettings: Equatable {
    var ledger = LedgerSettings()
    var metadata = MetadataSettings()
    var id: String?
    var expect = "any"

    func expectedVersion() throws(LedgerError) -> ExpectedVersion {
        guard let version = ExpectedVersion(argument: expect) else {
            throw .usage("--expect must be any, none, exists or a version number, not '\(expect)'")
        }
        return version
    }

    /// The key a CI step's event is recognised by when it sends no `--id`: inside GitHub Actions,
    /// the workflow run, attempt, job and step, and what the step supplied (nil outside Actions:
    /// the ledger then generates a UUID). The ledger adds the run the event joins (`RetryKey`).
    func retryKey(type: String, sha: String, data: JSONValue, environment: [String: String]) throws(LedgerError)
        -> String?
    {
        guard id == nil, let run = environment["GITHUB_RUN_ID"], !run.isEmpty else { return nil }
        let attempt = environment["GITHUB_RUN_ATTEMPT"].flatMap { $0.isEmpty ? nil : $0 } ?? "1"
        for (name, value) in [("GITHUB_RUN_ID", run), ("GITHUB_RUN_ATTEMPT", attempt)]
        where value.utf8.count > 20 || !value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            throw .invalidInput(field: name, rule: "must be the run number GitHub Actions sets (digits only)")
        }
        let step = [environment["GITHUB_JOB"] ?? "", environment["GITHUB_ACTION"] ?? ""]
        let digest = ChainHasher.hash((step + [type, sha, CanonicalJSON.encode(data)]).joined(separator: "\n"))
        return "gha-\(run)-\(attempt)-\(digest.prefix(24))"
    }

    func proposed(type: String, sha: String, data: JSONValue, context: CommandContext, stream: String? = nil)
        throws(LedgerError) -> ProposedEvent
    {
        ProposedEvent(
            id: id, type: type, sha: sha, stream: stream, data: data,
            metadata: metadata.eventMetadata(context.environment),
            expectedVersion: try expectedVersion(),
            retryKey: try retryKey(type: type, sha: sha, data: data, environment: context.environment))
    }
}

/// Reads `--data`: inline JSON, `@file`, or `-` for standard input.
func readDocument(_ argument: String, field: String, context: CommandContext) throws(LedgerError) -> JSONValue {
    let bytes: [UInt8]
    let limit = InputLimits.standard.maxDocumentBytes
    if argument == "-" {
        bytes = try context.readStandardInput(field: field, limit: limit)
    } else if argument.hasPrefix("@") {
        bytes = try readFile(String(argument.dropFirst()), field: field, context: context, limit: limit)
    } else {
        bytes = Array(argument.utf8)
    }
    do { return try JSONParser.parse(bytes: bytes, field: field) } catch {
        throw .invalidInput(field: error.path, rule: error.rule)
    }
}

/// Reads a file named on the command line, relative to the working directory; refused past `limit` bytes.
func readFile(_ path: String, field: String, context: CommandContext, limit: Int) throws(LedgerError) -> [UInt8] {
    let resolved = path.hasPrefix("/") ? path : context.currentDirectory + "/" + path
    guard let bytes = readFileUpTo(resolved, limit: limit + 1) else {
        // The input is fine; the file system is not: 74, as for the ledger file itself.
        throw .storage("\(field): cannot read the file \(path) (missing or unreadable)")
    }
    guard bytes.count <= limit else { throw overLimit(field: field, path: resolved, limit: limit) }
    return bytes
}

/// Parses `--since`/`--until`/`at` times: RFC 3339, or a date meaning its midnight UTC.
func parseTime(_ text: String, option: String) throws(LedgerError) -> Timestamp {
    guard let time = Timestamp(rfc3339: text, allowDateOnly: true) else {
        throw .usage(
            "\(option) must be an RFC 3339 date-time (2026-11-29T10:00:00Z) or a date (2026-11-29), not '\(text)'")
    }
    return time
}
