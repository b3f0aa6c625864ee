import ArgumentParser

/// `generate`: a realistic ledger through the real append path (tools/generate-ledger.sh).
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Append a realistic history of at least N events to a ledger.")

    @Option(help: "The ledger file (created when missing).") var db: String
    @Option(help: "How many events the ledger should hold at least.") var events: Int

    func run() {
        var written = 0
        let milliseconds = MonotonicClock.measure { written = BenchLedger.generate(path: db, events: events) }
        Console.out("generated \(written) events in \(db) (\(Int(milliseconds)) ms)")
    }
}
