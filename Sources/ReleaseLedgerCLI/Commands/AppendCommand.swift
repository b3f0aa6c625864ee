import ArgumentParser
import ReleaseLedgerCore

struct AppendCommand: LedgerCommand {
    static let configuration = CommandConfiguration(
        commandName: "append", abstract: "Append one event, or a batch of events atomically.",
        discussion: """
            Examples:
              release-ledger append --type x-note --sha $GITHUB_SHA \\
                  --data '{"text":"hello"}' --id step-42
              release-ledger append --type candidate.frozen --sha $SHA \\
                  --data @frozen.json --expect none
              # one {"type","sha","data",...} object per line; all or nothing
              release-ledger append --batch events.jsonl
            """)

    @OptionGroup var options: AppendOptions

    @Option(help: "Event type, e.g. candidate.frozen, or x-<anything> for a free-form note.") var type: String?
    @Option(help: "Commit SHA (40 lowercase hex).") var sha: String?
    @Option(help: "Payload: JSON text, @file, or - for standard input.") var data: String?
    @Option(help: "Stream (default: candidate-<sha>).") var stream: String?
    @Option(help: "JSON Lines of events (@file is implied; - for standard input), appended atomically.") var batch:
        String?

    var request: AppendRequest {
        AppendRequest(options: options.settings, type: type, sha: sha, data: data, stream: stream, batch: batch)
    }

    func validate() throws {
        if let problem = request.usageProblem { throw ValidationError(problem) }
    }

    func execute(in context: CommandContext) throws(LedgerError) { try request.execute(in: context) }
}

/// What `append` was asked, as plain values, and the append itself. `QuickParse` builds one
/// straight from a CI step's command line; ArgumentParser's `AppendCommand` converts to one.
struct AppendRequest: Equatable {
    var options = AppendSettings()
    var type: String?
    var sha: String?
    var data: String?
    var stream: String?
    var batch: String?

    /// Why the options do not combine, if they do not (ArgumentParser reports it as a usage error).
    var usageProblem: String? {
        if batch != nil {
            guard type == nil, sha == nil, data == nil else {
                return "--batch cannot be combined with --type, --sha or --data"
            }
            return nil
        }
        guard type != nil else { return "append needs --type (or --batch)" }
        guard sha != nil else { return "append needs --sha" }
        guard data != nil else { return "append needs --data (JSON, @file or -)" }
        return nil
    }

    func execute(in context: CommandContext) throws(LedgerError) {
        let events: [ProposedEvent]
        if let batch {
            events = try readBatch(batch, context: context)
        } else if let type, let sha, let data {
            let payload = try readDocument(data, field: "data", context: context)
            events = [try options.proposed(type: type, sha: sha, data: payload, context: context, stream: stream)]
        } else {
            preconditionFailure("usageProblem lets no append through without --batch or --type, --sha and --data")
        }
        let store = try context.openLedger(options.ledger, for: .writing, toAppend: events)
        let receipts = try store.append(events)
        printReceipts(receipts, json: options.ledger.json, console: context.console)
        try GitHubActions(context, options.ledger).setOutputs(for: receipts[receipts.count - 1], store: store)
    }

    func readBatch(_ argument: String, context: CommandContext) throws(LedgerError) -> [ProposedEvent] {
        let bytes: [UInt8]
        let limit = InputLimits.standard.maxBatchBytes
        if argument == "-" {
            bytes = try context.readStandardInput(field: "batch", limit: limit)
        } else {
            let path = argument.hasPrefix("@") ? String(argument.dropFirst()) : argument
            bytes = try readFile(path, field: "batch", context: context, limit: limit)
        }
        var events: [ProposedEvent] = []
        for (number, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let field = "batch line \(number + 1)"
            let value: JSONValue
            do { value = try JSONParser.parse(bytes: Array(line), field: field) } catch {
                throw .invalidInput(field: error.path, rule: error.rule)
            }
            guard case .object(let object) = value else {
                throw .invalidInput(field: field, rule: "must be a JSON object")
            }
            for key in object.keys where !["type", "sha", "data", "id", "stream", "expect", "metadata"].contains(key) {
                throw .invalidInput(field: field + JSONPath.member(key), rule: "is not a known field of a batch line")
            }
            guard let type = object["type"]?.stringValue else {
                throw .invalidInput(field: "\(field).type", rule: "is required (a string)")
            }
            guard let sha = object["sha"]?.stringValue else {
                throw .invalidInput(field: "\(field).sha", rule: "is required (a string)")
            }
            guard let data = object["data"] else { throw .invalidInput(field: "\(field).data", rule: "is required") }
            // A non-string id would otherwise be replaced by a random one, and a retried batch would record twice.
            for key in ["id", "stream"] where object[key] != nil && object[key]?.stringValue == nil {
                throw .invalidInput(field: "\(field).\(key)", rule: "must be a string")
            }
            var metadata = options.metadata.eventMetadata(context.environment)
            if let given = object["metadata"] {
                let parsed: EventMetadata
                do { parsed = try EventMetadata(json: given) } catch {
                    // Name the line, as every other problem of a batch line does.
                    if case .invalidInput(let name, let rule) = error {
                        throw .invalidInput(field: "\(field).\(name)", rule: rule)
                    }
                    throw error
                }
                metadata.override(with: parsed)
            }
            var expected = ExpectedVersion.any
            if let expect = object["expect"] {
                let text = expect.stringValue ?? expect.intValue.map(String.init) ?? ""
                guard let parsed = ExpectedVersion(argument: text) else {
                    throw .invalidInput(field: "\(field).expect", rule: "must be any, none, exists or a version number")
                }
                expected = parsed
            }
            // A batch is retried whole: each line's derived id names its line and is idempotent by itself.
            var id = object["id"]?.stringValue
            if id == nil,
                let key = try options.retryKey(type: type, sha: sha, data: data, environment: context.environment)
            {
                id = "\(key)-line\(number + 1)"
            }
            events.append(
                ProposedEvent(
                    id: id, type: type, sha: sha, stream: object["stream"]?.stringValue, data: data, metadata: metadata,
                    expectedVersion: expected))
        }
        guard !events.isEmpty else { throw .usage("the batch has no events") }
        return events
    }
}

func printReceipts(_ receipts: [AppendReceipt], json: Bool, console: Console) {
    for receipt in receipts {
        if json {
            console.line(CanonicalJSON.encode(receipt.json))
        } else if receipt.status == .recorded {
            console.line(
                """
                recorded \(receipt.type) for \(receipt.sha.prefix(12)) at position \(receipt.position) \
                (\(receipt.stream) v\(receipt.version), id \(receipt.id))
                """
            )
        } else {
            console.line(
                """
                already recorded: \(receipt.type) for \(receipt.sha.prefix(12)) is at position \(receipt.position) \
                (id \(receipt.id)); nothing written
                """
            )
        }
    }
}

extension AppendReceipt {
    var json: JSONValue {
        [
            "status": .string(status.rawValue), "position": .number(.integer(position)), "id": .string(id),
            "stream": .string(stream),
            "version": .number(.integer(version)), "type": .string(type), "sha": .string(sha),
            "recordedAt": .string(recordedAt.description), "hash": .string(hash),
        ]
    }
}
