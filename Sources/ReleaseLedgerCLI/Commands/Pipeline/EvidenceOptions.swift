import ArgumentParser
import ReleaseLedgerCore

/// `--evidence NAME=URL`, repeatable: links a step's record to what proves it.
struct EvidenceOptions: ParsableArguments {
    @Option(parsing: .unconditionalSingleValue, help: "NAME=URL of evidence (repeatable).") var evidence: [String] = []

    /// The payload's `evidence` list, nil when none was given.
    func list() throws(LedgerError) -> JSONValue? {
        guard !evidence.isEmpty else { return nil }
        var list: [JSONValue] = []
        for item in evidence {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw .usage("--evidence must be NAME=URL, e.g. report=https://ci.example/run/1")
            }
            list.append(["name": .string(String(item[..<equals])), "url": .string(String(item[item.index(after: equals)...]))])
        }
        return .array(list)
    }
}
