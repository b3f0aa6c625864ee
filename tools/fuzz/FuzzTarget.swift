import ReleaseLedgerCLI
import ReleaseLedgerCore

#if canImport(Glibc)
import Glibc
#endif

// libFuzzer target (tools/fuzz.sh builds and runs it). One input is a mode byte and a body:
// - mode even: the body is a JSON document for the strict parser; what it accepts must encode
//   to canonical text that parses back to the same text, and pass the payload rules;
// - mode odd: the body is an argument vector, arguments separated by NUL bytes, run in process
//   against a seeded temporary ledger restored before every input. Bit 1 of the mode sets
//   RELEASE_LEDGER_BUSY_TIMEOUT_MS to the first argument instead.
// Any trap (overflow, force-unwrap, out-of-range index) or memory error is a finding; an exit
// code of any kind is a correct answer.

/// A clock that never moves, so a crash reproduces from its input alone.
struct FixedClock: LedgerClock {
    func now() -> Timestamp { Timestamp(millisecondsSinceEpoch: 1_795_600_000_000) }
}

struct CountingIDs: EventIDGenerator {
    func next() -> String { "fuzz-\(UInt64.random(in: 0...UInt64.max))" }
}

/// `RELEASE_LEDGER_FUZZ_ONLY`: `json` or `arguments` fixes the mode whatever the first byte says.
let onlyMode = getenv("RELEASE_LEDGER_FUZZ_ONLY").map { String(cString: $0) }

/// The folder every input runs in, and the seeded ledger's bytes.
nonisolated(unsafe) var workspace: (folder: String, seed: [UInt8])?

func silentContext(folder: String, environment: [String: String] = [:], standardInput: [UInt8] = []) -> CommandContext {
    CommandContext(
        environment: environment, currentDirectory: folder, clock: FixedClock(), ids: CountingIDs(),
        console: Console(out: { _ in }, err: { _ in }), readStandardInput: { standardInput })
}

func prepareWorkspace() -> (folder: String, seed: [UInt8]) {
    if let workspace { return workspace }
    var template = Array("/tmp/release-ledger-fuzz-XXXXXX".utf8CString)
    let folder = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    let sha = String(repeating: "a", count: 40)
    let digest = String(repeating: "b", count: 64)
    let seedCommands: [[String]] = [
        [
            "freeze", "--sha", sha, "--api-image", "ghcr.io/acme/api@sha256:" + digest, "--web-image",
            "ghcr.io/acme/web@sha256:" + digest,
            "--scope", "runtime", "--migration-required",
        ],
        ["accept", "--sha", sha, "--verdict", "YES"],
        [
            "readiness", "--sha", sha, "--check", "entra-canary", "--status", "pass", "--last-green-at",
            "2026-11-25T00:00:00Z", "--slo-hours", "24",
        ],
        [
            "readiness", "--sha", sha, "--check", "delegated-probe", "--status", "pass", "--target-api-base-url",
            "https://api.example.com",
        ],
        [
            "migrate", "--sha", sha, "--step", "image-updated", "--image", "ghcr.io/acme/api@sha256:" + digest,
            "--outcome", "succeeded",
        ],
        ["append", "--type", "x-note", "--sha", sha, "--data", #"{"text":"seed","n":1.5}"#, "--id", "seed-1"],
    ]
    for arguments in seedCommands {
        let code = ReleaseLedger.main(
            arguments: arguments,
            context: silentContext(folder: folder, environment: ["RELEASE_LEDGER_SYNCHRONOUS": "OFF"]))
        precondition(code == 0, "seeding the fuzz ledger failed: \(arguments)")
    }
    let seed = readWhole(folder + "/.release-ledger/ledger.sqlite")
    workspace = (folder, seed)
    return (folder, seed)
}

func readWhole(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { return [] }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { return bytes }
        bytes += chunk[0..<count]
    }
}

/// Puts the seeded ledger back and removes whatever the last input wrote.
func restore(_ folder: String, _ seed: [UInt8]) {
    let ledger = folder + "/.release-ledger/ledger.sqlite"
    for suffix in ["-wal", "-shm", "-journal"] { unlink(ledger + suffix) }
    if let file = fopen(ledger, "wb") {
        _ = seed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard var mode = bytes.first else { return 0 }
    // tools/fuzz.sh gives each kind its own share of the time: the JSON parser runs a thousand
    // times faster than a command against a ledger and would otherwise get little of it.
    switch onlyMode {
    case "json": mode &= ~1
    case "arguments": mode |= 1
    default: break
    }
    let body = Array(bytes.dropFirst())
    if mode & 1 == 0 {
        if let value = try? JSONParser.parse(bytes: body, field: "data") {
            // What the ledger stores must read back as itself: canonical text is a fixed point.
            let text = CanonicalJSON.encode(value)
            guard let again = try? JSONParser.parse(text, field: "data") else {
                fatalError("canonical text does not parse: \(text)")
            }
            precondition(CanonicalJSON.encode(again) == text, "canonical text changes on a second pass: \(text)")
            try? PayloadRules.check(value, field: "data")
        }
        return 0
    }
    var arguments = body.split(separator: 0, omittingEmptySubsequences: false).map { Array($0) }
    // Paths stay inside the workspace: no argument may name another folder.
    if arguments.contains(where: { $0.contains(UInt8(ascii: "/")) }) || arguments.count > 24 { return 0 }
    // No fsync per append: durability is not what is fuzzed, and it would cost most of the time.
    var environment = ["RELEASE_LEDGER_BUSY_TIMEOUT_MS": "0", "RELEASE_LEDGER_SYNCHRONOUS": "OFF"]
    if mode & 2 != 0, !arguments.isEmpty {
        environment["RELEASE_LEDGER_BUSY_TIMEOUT_MS"] = String(decoding: arguments.removeFirst(), as: UTF8.self)
    }
    let (folder, seed) = prepareWorkspace()
    restore(folder, seed)
    let standardInput = Array(#"{"text":"from stdin"}"#.utf8)
    _ = ReleaseLedger.main(
        rawArguments: arguments,
        context: silentContext(folder: folder, environment: environment, standardInput: standardInput))
    return 0
}
