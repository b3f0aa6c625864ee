import ArgumentParser
import ReleaseLedgerCore
import ReleaseLedgerSQLite

/// `fold DB`: W4's child process, so its time and peak memory are its own. Folds every event into
/// every candidate's state and derives every candidate's artifacts.
struct FoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fold", abstract: "Fold every event and derive every artifact (W4's child process).")

    @Argument(help: "The ledger file.") var db: String
    @Option(help: "Cores that derive artifacts.") var workers: Int = SQLiteEventStore.cores
    @Flag(help: "Also time reading the rows alone and a fold that parses every payload (on stderr).")
    var phases = false

    func run() {
        let store = BenchLedger.existing(db)
        let start = MonotonicClock.milliseconds()
        let fold: LedgerFold
        do { fold = try store.foldAll() } catch { Console.fail("\(error)") }
        let folded = MonotonicClock.milliseconds()
        var artifactBytes = 0
        Artifacts.forEveryCandidate(fold.candidates, workers: workers) { files in
            artifactBytes += files.reduce(0) { $0 + $1.utf8.count }
        }
        let end = MonotonicClock.milliseconds()
        if phases { reportPhases(store, foldAll: folded - start, artifacts: end - folded) }
        Console.out("events \(fold.lastPosition) ms \(end - start) artifactBytes \(artifactBytes)")
    }

    private func reportPhases(_ store: SQLiteEventStore, foldAll: Double, artifacts: Double) {
        var count = 0
        let read = MonotonicClock.measure {
            do {
                try store.forEachEvent(EventQuery()) { _ in
                    count += 1
                    return true
                }
            } catch { Console.fail("\(error)") }
        }
        var again = LedgerFold()
        let tree = MonotonicClock.measure {
            do {
                try store.forEachEvent(EventQuery()) {
                    again.apply($0)
                    return true
                }
            } catch { Console.fail("\(error)") }
        }
        Console.err(
            "phases: read as RecordedEvents \(read) ms, fold parsing every payload \(tree) ms;"
                + " foldAll \(foldAll) ms, artifacts \(artifacts) ms")
    }
}
