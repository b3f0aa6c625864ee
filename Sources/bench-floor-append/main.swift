// W7's Swift floor: what the CI step costs in Swift before any of the ledger's own work. It does
// exactly what tools/bench/baseline.c does in `w7` mode (open, the same pragmas and schema, one
// prepared INSERT through the SQLite C API, exit), with the Swift runtime and no argument parser.
//
// usage: bench-floor-append DB WRITER
import CSQLite

#if canImport(Glibc)
import Glibc
#endif

// Swift cannot import function-like macros: SQLITE_TRANSIENT is ((sqlite3_destructor_type)-1).
let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

func fail(_ message: String, _ code: Int32) -> Never {
    var line = "bench-floor-append: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(code)
}

func check(_ rc: Int32, _ db: OpaquePointer?, _ what: String) {
    guard rc != SQLITE_OK, rc != SQLITE_DONE, rc != SQLITE_ROW else { return }
    fail("\(what): \(String(cString: sqlite3_errmsg(db)))", 74)
}

let schema = """
    CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, \
    stream TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, type_version INTEGER NOT NULL, \
    sha TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, \
    previous_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream, version)) STRICT;\
    CREATE INDEX IF NOT EXISTS events_by_sha ON events (sha, position);\
    CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
    """
let insert = """
    INSERT INTO events (position, event_id, stream, version, type, type_version, sha, data, metadata, \
    recorded_at, previous_hash, hash) VALUES ((SELECT ifnull(max(position),0)+1 FROM events), ?1, ?2, \
    (SELECT ifnull(max(version),0)+1 FROM events WHERE stream = ?2), 'x-bench', 1, ?3, ?4, ?5, \
    '2026-11-29T10:00:00.000Z', ?6, ?7)
    """

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fail("usage: bench-floor-append DB WRITER", 64) }
let writer = arguments[2]
var db: OpaquePointer?
check(sqlite3_open(arguments[1], &db), db, "open")
sqlite3_busy_timeout(db, 10000)
check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nil, nil, nil), db, "pragmas")
check(sqlite3_exec(db, schema, nil, nil, nil), db, "schema")
var statement: OpaquePointer?
check(sqlite3_prepare_v2(db, insert, -1, &statement, nil), db, "prepare")
let sha = String(repeating: "a", count: 40)
let hash = String(repeating: "b", count: 64)
let index = 0
let image = String(repeating: "0", count: 64)
let payload = """
    {"app":"api","image":"ghcr.io/acme/api@sha256:\(image)","index":\(index),"note":"release evidence release \
    evidence release evidence release evidence release evidence release evidence release evidence release \
    evidence release evidence","outcome":"succeeded","writer":"\(writer)"}
    """
let metadata = """
    {"actor":"ci-bot","job":"deploy","repository":"acme/shop","runAttempt":"1","runId":"7000001","toolVersion":"0.1.0"}
    """
check(sqlite3_exec(db, "BEGIN IMMEDIATE", nil, nil, nil), db, "begin")
sqlite3_bind_text(statement, 1, "w7-\(writer)-\(index)", -1, transient)
sqlite3_bind_text(statement, 2, "candidate-\(sha)-w7-\(writer)", -1, transient)
sqlite3_bind_text(statement, 3, sha, -1, transient)
sqlite3_bind_text(statement, 4, payload, -1, transient)
sqlite3_bind_text(statement, 5, metadata, -1, transient)
sqlite3_bind_text(statement, 6, hash, -1, transient)
sqlite3_bind_text(statement, 7, hash, -1, transient)
check(sqlite3_step(statement), db, "insert")
check(sqlite3_exec(db, "COMMIT", nil, nil, nil), db, "commit")
sqlite3_finalize(statement)
sqlite3_close(db)
