import ReleaseLedgerCore

/// `--evidence NAME=URL` (repeatable, on `accept` and `smoke`) as the payload's `evidence` list;
/// nil when none was given. A plain option, not an option group: groups cost start-up time.
func evidenceList(_ items: [String]) throws(LedgerError) -> JSONValue? {
    guard !items.isEmpty else { return nil }
    var list: [JSONValue] = []
    for item in items {
        guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
            throw .usage("--evidence must be NAME=URL, e.g. report=https://ci.example/run/1")
        }
        list.append([
            "name": .string(String(item[..<equals])), "url": .string(String(item[item.index(after: equals)...])),
        ])
    }
    return .array(list)
}
