// ledger-stress: one OS process appending single-event transactions in a loop, for the
// contention and crash tests and the W3 benchmark. Prints each acknowledged event id on its
// own line, flushed at once, so a test that kills it knows exactly what was acknowledged.
//
// usage: ledger-stress DB WRITER COUNT [--retry-half] [--busy-timeout MS] [--forever]
import ReleaseLedgerCore
import ReleaseLedgerSQLite

#if canImport(Glibc)
import Glibc
#endif

struct WallClock: LedgerClock {
    func now() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(millisecondsSinceEpoch: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }
}

func say(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[3]) else {
    say("usage: ledger-stress DB WRITER COUNT [--retry-half] [--busy-timeout MS] [--forever]")
    exit(64)
}
let path = arguments[1]
let writer = arguments[2]
let retryHalf = arguments.contains("--retry-half")
let forever = arguments.contains("--forever")
var options = SQLiteEventStore.Options()
options.create = true
if let index = arguments.firstIndex(of: "--busy-timeout"), index + 1 < arguments.count,
    let ms = Int(arguments[index + 1])
{
    options.busyTimeoutMilliseconds = ms
}

let store: SQLiteEventStore
do {
    store = try SQLiteEventStore(path: path, engine: AppendEngine(clock: WallClock()), options: options)
} catch {
    say("error: \(error)")
    exit(error.exitCode)
}

let sha = String(ChainHasher.hash("writer-\(writer)").prefix(40))
var index = 0
var busyRetries = 0
var longestMilliseconds = 0.0

func monotonicMilliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
}
while forever || index < count {
    let id = "\(writer)-\(index)"
    // A realistic 300-600 byte payload.
    let event = ProposedEvent(
        id: id, type: "x-stress", sha: sha,
        data: [
            "writer": .string(writer), "index": .int(index),
            "image": .string("ghcr.io/acme/api@sha256:" + ChainHasher.hash(id)),
            "note": .string(String(repeating: "release evidence ", count: 12)),
        ],
        metadata: EventMetadata(actor: "stress-\(writer)", runId: "run-\(writer)"))
    // Half the events are sent twice, as a CI step retried after a timeout would send them.
    let attempts = retryHalf && index % 2 == 1 ? 2 : 1
    var attempt = 0
    let started = monotonicMilliseconds()
    while attempt < attempts {
        do {
            let receipt = try store.append([event])[0]
            if attempt == 0 {
                say("ack \(id) \(receipt.position) \(receipt.status.rawValue)")
            } else {
                say("retry \(id) \(receipt.position) \(receipt.status.rawValue)")
            }
            attempt += 1
        } catch {
            if error.exitCode == 75 {
                busyRetries += 1
                continue
            }  // busy: safe to retry
            say("error \(id): \(error)")
            exit(error.exitCode)
        }
    }
    // How long this append waited, busy retries included: the fairness figure of W3.
    longestMilliseconds = max(longestMilliseconds, monotonicMilliseconds() - started)
    index += 1
}
say("done \(writer) busy-retries \(busyRetries) max-ms \(longestMilliseconds)")
