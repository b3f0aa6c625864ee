// release-ledger-bench: measures the ledger beside a C baseline on the same machine, in one run.
//
//   release-ledger-bench generate --db PATH --events N   a realistic ledger through the real append path
//   release-ledger-bench run [--tiny] [--only W1,W2] [--events N] [--work DIR] [--baseline PATH] [--cli PATH] [--stress PATH]
//   release-ledger-bench fold DB                          (child process of W4/W8)
//
// Prints one markdown table. Timings are medians of several runs, with min and max.
import ReleaseLedgerCore
import ReleaseLedgerSQLite

#if canImport(Glibc)
import Glibc
#endif

func monotonicMilliseconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
}

func fail(_ message: String) -> Never {
    FileHandleOut.err("release-ledger-bench: \(message)")
    exit(1)
}

enum FileHandleOut {
    static func out(_ text: String) { var t = text + "\n"; t.withUTF8 { _ = write(1, $0.baseAddress, $0.count) } }
    static func err(_ text: String) { var t = text + "\n"; t.withUTF8 { _ = write(2, $0.baseAddress, $0.count) } }
}

func option(_ name: String, _ arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func openStore(_ path: String, clock: any LedgerClock, create: Bool = true, synchronous: String = "FULL") -> SQLiteEventStore {
    var options = SQLiteEventStore.Options()
    options.create = create
    options.synchronous = synchronous
    do { return try SQLiteEventStore(path: path, engine: AppendEngine(clock: clock), options: options) } catch { fail("\(error)") }
}

/// Appends a realistic history of at least `events` events, one pipeline step group per transaction.
@discardableResult
func generate(path: String, events target: Int, synchronous: String = "OFF") -> Int {
    let clock = SimulatedClock(start: Timestamp(rfc3339: "2024-01-01T00:00:00Z")!)
    let store = openStore(path, clock: clock, synchronous: synchronous)
    var simulator = PipelineSimulator(start: clock.now())
    var written = (try? store.head().position).map(Int.init) ?? 0
    while written < target {
        for batch in simulator.next(now: clock.now()) {
            do { written += try store.append(batch).count } catch { fail("generate: \(error)") }
        }
    }
    return written
}

struct Stats {
    var samples: [Double]
    var median: Double { let s = samples.sorted(); return s[s.count / 2] }
    var min: Double { samples.min() ?? 0 }
    var max: Double { samples.max() ?? 0 }
    func percentile(_ p: Double) -> Double {
        let s = samples.sorted()
        return s[Swift.min(s.count - 1, Int((p * Double(s.count)).rounded(.up)) - 1)]
    }
}

/// Starts a child process with its standard output on a pipe; returns its pid and the pipe's read end.
func startChild(_ path: String, _ arguments: [String]) -> (pid: pid_t, output: Int32) {
    var pipe: [Int32] = [0, 0]
    _ = pipe.withUnsafeMutableBufferPointer { Glibc.pipe($0.baseAddress!) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
    posix_spawn_file_actions_addclose(&actions, pipe[0])
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
    argv.forEach { free($0) }
    posix_spawn_file_actions_destroy(&actions)
    close(pipe[1])
    guard rc == 0 else { fail("cannot start \(path)") }
    return (pid, pipe[0])
}

/// Reads a child's output to the end and waits for it; returns the output and its exit status.
func finishChild(_ child: (pid: pid_t, output: Int32)) -> (output: String, status: Int32) {
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(child.output, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        output += buffer[0..<count]
    }
    close(child.output)
    var status: Int32 = 0
    waitpid(child.pid, &status, 0)
    return (String(decoding: output, as: UTF8.self), (status >> 8) & 0xFF)
}

/// Runs a child process to the end: its output, wall time and exit status.
func spawn(_ path: String, _ arguments: [String]) -> (output: String, milliseconds: Double, status: Int32) {
    let start = monotonicMilliseconds()
    let result = finishChild(startChild(path, arguments))
    return (result.output, monotonicMilliseconds() - start, result.status)
}

/// Peak resident memory of a command, in KiB, measured by GNU time. wait4's figure is no use
/// here: a child spawned from this (large) process inherits its high-water mark at exec.
func peakMemoryKiB(_ path: String, _ arguments: [String]) -> Int? {
    guard access("/usr/bin/time", X_OK) == 0 else { return nil }
    let report = "\(work)/time-\(getpid()).txt"
    _ = spawn("/usr/bin/time", ["-f", "%M", "-o", report, path] + arguments)
    guard let file = fopen(report, "r") else { return nil }
    defer { fclose(file); unlink(report) }
    var line = [CChar](repeating: 0, count: 64)
    guard fgets(&line, 64, file) != nil else { return nil }
    return Int(String(cString: line).trimmingCharacters(in: " \n"))
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}

func field(_ name: String, in text: String) -> Double {
    let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard let index = parts.firstIndex(where: { $0 == name }), index + 1 < parts.count else { return 0 }
    return Double(parts[index + 1]) ?? 0
}

/// Events made ahead of time, so only the append is timed. The store's clock steps one second per
/// event, and each canary is stamped green an hour before the time its events will be recorded.
let benchStart = Timestamp(rfc3339: "2024-01-01T00:00:00Z")!
func pregenerated(_ count: Int) -> [ProposedEvent] {
    var simulator = PipelineSimulator(start: benchStart)
    var events: [ProposedEvent] = []
    while events.count < count {
        events += simulator.next(now: benchStart.adding(milliseconds: Int64(events.count) * 1000)).flatMap { $0 }
    }
    return events
}

// MARK: child modes

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "generate":
    guard let db = option("--db", arguments), let events = option("--events", arguments).flatMap(Int.init) else {
        fail("usage: release-ledger-bench generate --db PATH --events N")
    }
    let start = monotonicMilliseconds()
    let written = generate(path: db, events: events)
    FileHandleOut.out("generated \(written) events in \(db) (\(Int(monotonicMilliseconds() - start)) ms)")
    exit(0)
case "fold":
    // W4: fold every event into every candidate's state and artifacts.
    let store = openStore(arguments[1], clock: SimulatedClock(start: Timestamp(millisecondsSinceEpoch: 0)), create: false)
    let start = monotonicMilliseconds()
    let fold: LedgerFold
    do { fold = try store.foldAll() } catch { fail("\(error)") }
    let folded = monotonicMilliseconds()
    var artifacts = 0
    let workers = option("--workers", arguments).flatMap(Int.init) ?? SQLiteEventStore.cores
    Artifacts.forEveryCandidate(fold.candidates, workers: workers) { files in artifacts += files.reduce(0) { $0 + $1.utf8.count } }
    let end = monotonicMilliseconds()
    if arguments.contains("--phases") {
        var t = monotonicMilliseconds()
        var n = 0
        do { try store.forEachEvent(EventQuery()) { _ in n += 1; return true } } catch { fail("\(error)") }
        let readMs = monotonicMilliseconds() - t
        t = monotonicMilliseconds()
        var again = LedgerFold()
        do {
            try store.forEachEvent(EventQuery()) { event in
                do throws(LedgerError) { try again.apply(event) } catch { fail("\(error)") }
                return true
            }
        } catch { fail("\(error)") }
        let treeMs = monotonicMilliseconds() - t
        FileHandleOut.err(
            "phases: read as RecordedEvents \(readMs) ms, fold parsing every payload \(treeMs) ms; foldAll \(folded - start) ms, artifacts \(end - folded) ms")
    }
    FileHandleOut.out("events \(fold.lastPosition) ms \(end - start) artifactBytes \(artifacts)")
    exit(0)
case "profile":
    // A fixed amount of work for valgrind --tool=callgrind: `profile append|single|batch|verify|fold DB N`.
    let db = arguments[2]
    let count = Int(arguments[3]) ?? 1000
    switch arguments[1] {
    case "append": generate(path: db, events: count)
    case "single":
        // W1's path: one event per transaction (synchronous off, so the profile shows our CPU, not fsync).
        let clock = SimulatedClock(start: Timestamp(rfc3339: "2024-01-01T00:00:00Z")!, stepSeconds: 1)
        let store = openStore(db, clock: clock, synchronous: "OFF")
        var simulator = PipelineSimulator(start: clock.now())
        var written = 0
        while written < count {
            for event in simulator.next(now: Timestamp(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch - 1000)).flatMap({ $0 }) {
                _ = try? store.append([event])
                written += 1
            }
        }
    case "batch":
        // W2's path: the pregenerated events, 100 per transaction (synchronous off).
        let store = openStore(db, clock: SimulatedClock(start: benchStart, stepSeconds: 1), synchronous: "OFF")
        let events = pregenerated(count)
        for start in stride(from: 0, to: count, by: 100) { _ = try? store.append(Array(events[start..<min(start + 100, count)])) }
    case "verify": _ = try? openStore(db, clock: SimulatedClock(start: Timestamp(millisecondsSinceEpoch: 0)), create: false).verify(anchor: nil)
    default:
        _ = try? openStore(db, clock: SimulatedClock(start: Timestamp(millisecondsSinceEpoch: 0)), create: false).foldAll()
    }
    exit(0)
case "run":
    break
default:
    fail("usage: release-ledger-bench run [--tiny] | generate --db PATH --events N | fold DB")
}

// MARK: the run

let tiny = arguments.contains("--tiny")
let work = option("--work", arguments) ?? "/tmp/release-ledger-bench"
func required(_ name: String, _ what: String) -> String {
    guard let value = option(name, arguments) else { fail("\(name) PATH (\(what)) is required") }
    return value
}
let baseline = required("--baseline", "the compiled tools/bench/baseline.c")
let cli = required("--cli", "the release-ledger binary")
let stress = required("--stress", "the ledger-stress binary")
let self_ = CommandLine.arguments[0]
let bigEvents = option("--events", arguments).flatMap(Int.init) ?? (tiny ? 3_000 : 1_000_000)
let smallEvents = tiny ? 1_000 : 10_000
let repeats = tiny ? 1 : 3
/// The append workloads (W1-W3) take seconds and fsync makes single runs noisy: more runs for their medians.
let appendRepeats = tiny ? 1 : 7
let appendCount = tiny ? 100 : 2_000
let writers = 16
/// `--only W1,W5` runs just those workloads (W7 includes W8).
let only = option("--only", arguments).map { Set($0.split(separator: ",").map(String.init)) }
func selected(_ workload: String) -> Bool { only?.contains(workload) ?? true }
let perWriter = tiny ? 10 : 150
_ = mkdir(work, 0o755)

@MainActor func fresh(_ name: String) -> String {
    let path = "\(work)/\(name).sqlite"
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    return path
}

var rows: [String] = []
@MainActor func row(_ workload: String, _ ledger: String, _ base: String, _ ratio: String, _ goal: String, _ met: Bool?) {
    rows.append("| \(workload) | \(ledger) | \(base) | \(ratio) | \(goal) | \(met.map { $0 ? "yes" : "**no**" } ?? "-") |")
}
func fmt(_ value: Double, _ digits: Int = 0) -> String {
    if digits == 0 { return String(Int(value.rounded())) }
    let scale = (0..<digits).reduce(1.0) { value, _ in value * 10 }
    let rounded = (value * scale).rounded() / scale
    return String(rounded)
}
func spread(_ stats: Stats, _ transform: (Double) -> Double, _ digits: Int = 0) -> String {
    "\(fmt(transform(stats.median), digits)) (\(fmt(transform(stats.min), digits))–\(fmt(transform(stats.max), digits)))"
}

if selected("W1") {
// W1: durable single-event appends with the release rules and the chain.
var w1Ledger: [Double] = []
var w1Latencies: [Double] = []
var w1Base: [Double] = []
for _ in 0..<appendRepeats {
    let path = fresh("w1")
    let store = openStore(path, clock: SimulatedClock(start: benchStart, stepSeconds: 1))
    let events = pregenerated(appendCount)
    let start = monotonicMilliseconds()
    for event in events.prefix(appendCount) {
        let t0 = monotonicMilliseconds()
        do { _ = try store.append([event]) } catch { fail("W1: \(error)") }
        w1Latencies.append(monotonicMilliseconds() - t0)
    }
    w1Ledger.append(Double(appendCount) / (monotonicMilliseconds() - start) * 1000)
    // The baseline inserts the very rows the ledger just wrote (ids, SHAs, streams, payloads).
    let base = spawn(baseline, ["w1", fresh("w1c"), String(appendCount), "w", path])
    w1Base.append(Double(appendCount) / field("ms", in: base.output) * 1000)
}
let w1 = Stats(samples: w1Ledger), w1b = Stats(samples: w1Base), w1l = Stats(samples: w1Latencies)
row("W1 durable append (events/s)", spread(w1, { $0 }), spread(w1b, { $0 }), fmt(w1.median / w1b.median, 2) + "x", "≥ 0.8x", w1.median / w1b.median >= 0.8)
row("W1 append latency p50 / p99 (ms)", "\(fmt(w1l.percentile(0.5), 2)) / \(fmt(w1l.percentile(0.99), 2))", "-", "-", "reported", nil)

}

if selected("W2") {
// W2: batches of 100 events.
var w2Ledger: [Double] = []
var w2Base: [Double] = []
let batchTotal = tiny ? 1_000 : 20_000
for _ in 0..<appendRepeats {
    let path = fresh("w2")
    let store = openStore(path, clock: SimulatedClock(start: benchStart, stepSeconds: 1))
    let events = pregenerated(batchTotal)
    let start = monotonicMilliseconds()
    var index = 0
    while index < batchTotal {
        do { _ = try store.append(Array(events[index..<min(index + 100, batchTotal)])) } catch { fail("W2: \(error)") }
        index += 100
    }
    w2Ledger.append(Double(batchTotal) / (monotonicMilliseconds() - start) * 1000)
    let base = spawn(baseline, ["w2", fresh("w2c"), String(batchTotal), "w", path])
    w2Base.append(Double(batchTotal) / field("ms", in: base.output) * 1000)
}
let w2 = Stats(samples: w2Ledger), w2b = Stats(samples: w2Base)
row("W2 batch append, 100/transaction (events/s)", spread(w2, { $0 }), spread(w2b, { $0 }), fmt(w2.median / w2b.median, 2) + "x", "≥ 0.6x", w2.median / w2b.median >= 0.6)

}

if selected("W3") {
// W3: 16 writer processes at once.
@MainActor func contention(_ binary: String, _ argumentsFor: (Int, String) -> [String], db: String) -> (throughput: Double, worst: Double, total: Int) {
    let start = monotonicMilliseconds()
    let children = (1...writers).map { startChild(binary, argumentsFor($0, db)) }
    var worst = 0.0
    for child in children {
        let text = finishChild(child).output
        worst = max(worst, max(field("max_wait_ms", in: text), field("max-ms", in: text)))
    }
    let elapsed = monotonicMilliseconds() - start
    return (Double(writers * perWriter) / elapsed * 1000, worst, writers * perWriter)
}
var w3Ledger: [Double] = [], w3Base: [Double] = [], w3Worst = 0.0, w3BaseWorst = 0.0, w3Lost = 0
for _ in 0..<appendRepeats {
    let db = fresh("w3")
    _ = openStore(db, clock: SimulatedClock(start: benchStart))
    let result = contention(stress, { writer, db in [db, "w\(writer)", String(perWriter)] }, db: db)
    w3Ledger.append(result.throughput)
    w3Worst = max(w3Worst, result.worst)
    let store = openStore(db, clock: SimulatedClock(start: Timestamp(millisecondsSinceEpoch: 0)), create: false)
    let count = (try? store.head().position) ?? 0
    w3Lost += result.total - Int(count)
    // The file and its WAL mode exist before the writers start, for both sides alike.
    let baseDB = fresh("w3c")
    _ = spawn(baseline, ["w1", baseDB, "0", "setup"])
    let base = contention(baseline, { writer, db in ["w3", db, String(perWriter), "w\(writer)"] }, db: baseDB)
    w3Base.append(base.throughput)
    w3BaseWorst = max(w3BaseWorst, base.worst)
}
let w3 = Stats(samples: w3Ledger), w3b = Stats(samples: w3Base)
row("W3 16 processes (events/s total)", spread(w3, { $0 }), spread(w3b, { $0 }), fmt(w3.median / w3b.median, 2) + "x", "≥ 0.8x, nothing lost", w3.median / w3b.median >= 0.8 && w3Lost == 0)
row("W3 longest single append wait (ms)", fmt(w3Worst, 1), fmt(w3BaseWorst, 1), "-", "≤ 500 ms", w3Worst <= 500)

}

// The large ledger for W4-W8.
let big = "\(work)/big-\(bigEvents).sqlite"
if tiny { _ = fresh("big-\(bigEvents)"); _ = fresh("big-\(bigEvents)-baseline"); _ = fresh("small-\(smallEvents)") }  // seconds to remake
if access(big, F_OK) != 0 {
    let start = monotonicMilliseconds()
    let count = generate(path: big, events: bigEvents)
    FileHandleOut.err("generated \(count) events in \(Int(monotonicMilliseconds() - start)) ms")
}
// The C baseline writes rows without the chain: it gets its own copy, never the ledger itself.
let bigForBaseline = "\(work)/big-\(bigEvents)-baseline.sqlite"
if access(bigForBaseline, F_OK) != 0 {
    _ = spawn("/bin/cp", [big, bigForBaseline])
    _ = spawn("/bin/sync", [])  // the copy's dirty pages must not land on the baseline's first fsync
}
let small = "\(work)/small-\(smallEvents).sqlite"
if access(small, F_OK) != 0 { generate(path: small, events: smallEvents) }
let bigStore = openStore(big, clock: SimulatedClock(start: Timestamp(millisecondsSinceEpoch: 0)), create: false)
let bigCount = Double((try? bigStore.head().position) ?? 0)

var w4RSS = 0
if selected("W4") {
// W4: fold everything, in a child process so its peak memory is its own.
var w4: [Double] = [], w4b: [Double] = []
for _ in 0..<repeats {
    let child = spawn(self_, ["fold", big])
    w4.append(bigCount / field("ms", in: child.output) * 1000)
    let base = spawn(baseline, ["w4", big, "0"])
    w4b.append(bigCount / field("ms", in: base.output) * 1000)
}
w4RSS = peakMemoryKiB(self_, ["fold", big]) ?? 0
let w4s = Stats(samples: w4), w4bs = Stats(samples: w4b)
row("W4 rebuild: fold \(Int(bigCount)) events into states and artifacts (events/s)", spread(w4s, { $0 }), spread(w4bs, { $0 }) + " (read only)", fmt(w4s.median / w4bs.median, 2) + "x", "≥ 1,000,000/s", w4s.median >= 1_000_000)

}

if selected("W5") {
// W5: verify the chain.
var w5: [Double] = []
for _ in 0..<repeats {
    let start = monotonicMilliseconds()
    guard let report = try? bigStore.verify(anchor: nil), report.isIntact else { fail("W5: the generated ledger does not verify") }
    w5.append(bigCount / (monotonicMilliseconds() - start) * 1000)
}
let w5s = Stats(samples: w5)
row("W5 verify \(Int(bigCount)) events (events/s)", spread(w5s, { $0 }), "-", "-", "≥ 500,000/s", w5s.median >= 500_000)

}

if selected("W6") {
// W6: audit queries in process, on the small and the large ledger.
@MainActor func queries(_ path: String) -> (status: Stats, show: Stats, at: Stats) {
    let store = openStore(path, clock: SimulatedClock(start: Timestamp(millisecondsSinceEpoch: 0)), create: false)
    let shas = (try? store.latestDecisions(limit: 50).map(\.sha)) ?? []
    let head = (try? store.events(EventQuery(afterPosition: max(0, (try? store.head().position) ?? 0) - 1)).first?.recordedAt) ?? Timestamp(millisecondsSinceEpoch: 0)
    var status: [Double] = [], show: [Double] = [], at: [Double] = []
    for i in 0..<200 {
        var t0 = monotonicMilliseconds()
        let production = try? store.production()
        _ = try? store.latestDecisions(limit: 5)
        if let open = production?.openRun, let candidate = try? store.candidate(open.sha) { _ = GateTable.evaluate(candidate, run: candidate.openRun) }
        status.append(monotonicMilliseconds() - t0)
        t0 = monotonicMilliseconds()
        let sha = shas.isEmpty ? "" : shas[i % shas.count]
        _ = try? store.candidate(sha)
        _ = try? store.events(EventQuery(sha: sha))
        show.append(monotonicMilliseconds() - t0)
        t0 = monotonicMilliseconds()
        let moment = head.adding(milliseconds: -Int64(i) * 3_600_000)
        if let position = try? store.lastPosition(atOrBefore: moment) {
            _ = try? store.liveRun(atOrBeforePosition: position)
            _ = try? store.openRun(atPosition: position)
        }
        at.append(monotonicMilliseconds() - t0)
    }
    return (Stats(samples: status), Stats(samples: show), Stats(samples: at))
}
let qSmall = queries(small), qBig = queries(big)
for (name, s, b) in [("status", qSmall.status, qBig.status), ("show SHA", qSmall.show, qBig.show), ("at TIME", qSmall.at, qBig.at)] {
    row("W6 \(name) p50 ms (\(smallEvents) → \(Int(bigCount)) events)", "\(fmt(s.median, 3)) → \(fmt(b.median, 3))", "-", "-", "< 1 ms, flat", b.median < 1 && b.median < max(0.05, s.median * 3))
}

}

if selected("W7") {
// W7: the whole CI step: start, open the large ledger, append one event, exit; W8: its memory.
var w7: [Double] = [], w7b: [Double] = [], w7RSSBig = 0, w7RSSSmall = 0
let noteSHA = String(ChainHasher.hash("w7").prefix(40))
// One warm-up each, so both sides start with the same page cache.
_ = spawn(cli, ["append", "--db", big, "--type", "x-note", "--sha", noteSHA, "--data", "{\"warm\":1}"])
_ = spawn(baseline, ["w7", bigForBaseline, "1", "warm-\(getpid())"])
for i in 0..<(tiny ? 3 : 15) {
    let child = spawn(cli, ["append", "--db", big, "--type", "x-note", "--sha", noteSHA, "--data", "{\"i\":\(i)}"])
    if child.status != 0 { fail("W7: release-ledger exited \(child.status)") }
    w7.append(child.milliseconds)
    let base = spawn(baseline, ["w7", bigForBaseline, "1", "w7-\(i)-\(getpid())"])
    w7b.append(base.milliseconds)
}
w7RSSBig = peakMemoryKiB(cli, ["append", "--db", big, "--type", "x-note", "--sha", noteSHA, "--data", "{\"memory\":1}"]) ?? 0
w7RSSSmall = peakMemoryKiB(cli, ["append", "--db", small, "--type", "x-note", "--sha", noteSHA, "--data", "{\"memory\":1}"]) ?? 0
let w7s = Stats(samples: w7), w7bs = Stats(samples: w7b)
row("W7 CI step: start, open, append one, exit (ms), static stdlib", spread(w7s, { $0 }, 2), spread(w7bs, { $0 }, 2), fmt(w7s.median / w7bs.median, 2) + "x", "≤ 2.5x", w7s.median / w7bs.median <= 2.5)
if let dynamic = option("--cli-dynamic", arguments) {
    var samples: [Double] = []
    for i in 0..<(tiny ? 3 : 15) {
        samples.append(spawn(dynamic, ["append", "--db", big, "--type", "x-note", "--sha", noteSHA, "--data", "{\"d\":\(i)}"]).milliseconds)
    }
    let d = Stats(samples: samples)
    row("W7 the same, Swift runtime linked dynamically (ms)", spread(d, { $0 }, 2), spread(w7bs, { $0 }, 2), fmt(d.median / w7bs.median, 2) + "x", "reported", nil)
}
row("W8 peak memory: W4 fold / W7 step (MiB)", "\(fmt(Double(w4RSS) / 1024, 1)) / \(fmt(Double(w7RSSBig) / 1024, 1))", "-", "-", "reported; W7 flat", nil)
row("W8 W7 memory, \(smallEvents) → \(Int(bigCount)) events (MiB)", "\(fmt(Double(w7RSSSmall) / 1024, 1)) → \(fmt(Double(w7RSSBig) / 1024, 1))", "-", "-", "does not grow", Double(w7RSSBig) <= Double(w7RSSSmall) * 1.25 + 2048)

}

FileHandleOut.out("| workload | ledger: median (min–max) | C baseline | ratio | goal | met |")
FileHandleOut.out("|---|---|---|---|---|---|")
rows.forEach(FileHandleOut.out)
