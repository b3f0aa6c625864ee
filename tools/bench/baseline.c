/* The physical ceiling for tools/bench.sh: the same table, pragmas and payload sizes as the
 * ledger, written directly against the SQLite C API, with no rules, no hashing, no JSON.
 *
 * usage: baseline MODE DB N [WRITER [SOURCE]]
 *   w1: N single-row transactions        w2: N rows in transactions of 100
 *       With SOURCE (a ledger file), w1 and w2 insert the first N rows the ledger itself wrote
 *       there: the same ids, SHAs, streams and payloads, so the same index pages are touched.
 *   w3: N single-row transactions (one of many concurrent writer processes; prints max wait)
 *   w4: read every row                    w7: open, insert one row, exit
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "baseline: %s: %s\n", what, sqlite3_errmsg(db));
        exit(74);
    }
}

/* Named, not implied: the ledger's own table (which w1 SOURCE and w7 write into a copy of) has
 * more columns than this one since schema 3, with defaults. */
#define COLUMNS "position, event_id, stream, version, type, type_version, sha, data, metadata, recorded_at, previous_hash, hash"

static const char *schema =
    "CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,"
    " version INTEGER NOT NULL, type TEXT NOT NULL, type_version INTEGER NOT NULL, sha TEXT NOT NULL, data TEXT NOT NULL,"
    " metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL,"
    " UNIQUE (stream, version)) STRICT;"
    "CREATE INDEX IF NOT EXISTS events_by_sha ON events (sha, position);"
    "CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);";

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: baseline MODE DB N [WRITER]\n"); return 64; }
    const char *mode = argv[1];
    long n = atol(argv[3]);
    const char *writer = argc > 4 ? argv[4] : "w";
    sqlite3 *db;
    check(sqlite3_open(argv[2], &db), db, "open");
    sqlite3_busy_timeout(db, 10000); /* SQLite's default busy handler */
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", 0, 0, 0), db, "pragmas");
    if (strcmp(mode, "w4") == 0) {
        sqlite3_stmt *s;
        check(sqlite3_prepare_v2(db, "SELECT position, event_id, stream, version, type, type_version, sha, data, metadata,"
                                     " recorded_at, previous_hash, hash FROM events ORDER BY position", -1, &s, 0), db, "select");
        long rows = 0, bytes = 0;
        double start = now_ms();
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < 12; c++) bytes += sqlite3_column_bytes(s, c);
            rows++;
        }
        printf("rows %ld ms %.3f bytes %ld\n", rows, now_ms() - start, bytes);
        return 0;
    }
    check(sqlite3_exec(db, schema, 0, 0, 0), db, "schema");
    sqlite3_stmt *ins;
    check(sqlite3_prepare_v2(db, "INSERT INTO events (" COLUMNS ") VALUES ((SELECT ifnull(max(position),0)+1 FROM events), ?1, ?2,"
                                 " (SELECT ifnull(max(version),0)+1 FROM events WHERE stream = ?2), 'x-bench', 1, ?3, ?4, ?5,"
                                 " '2026-11-29T10:00:00.000Z', ?6, ?7)", -1, &ins, 0), db, "prepare");
    /* Rows copied from the ledger's own file, read before the clock starts. */
    char **rows = 0;
    if (argc > 5) {
        sqlite3 *source;
        sqlite3_stmt *q;
        check(sqlite3_open_v2(argv[5], &source, SQLITE_OPEN_READONLY, 0), source, "open source");
        check(sqlite3_prepare_v2(source, "SELECT event_id, stream, sha, data, metadata, recorded_at, previous_hash, hash"
                                         " FROM events ORDER BY position LIMIT ?1", -1, &q, 0), source, "select source");
        sqlite3_bind_int64(q, 1, n);
        rows = calloc((size_t)n * 8, sizeof(char *));
        long got = 0;
        while (got < n && sqlite3_step(q) == SQLITE_ROW) {
            for (int c = 0; c < 8; c++) rows[got * 8 + c] = strdup((const char *)sqlite3_column_text(q, c));
            got++;
        }
        if (got < n) { fprintf(stderr, "baseline: %s has %ld rows, %ld wanted\n", argv[5], got, n); return 74; }
        sqlite3_finalize(q);
        sqlite3_close(source);
    }
    sqlite3_stmt *copy = 0;
    check(sqlite3_prepare_v2(db, "INSERT INTO events (" COLUMNS ") VALUES ((SELECT ifnull(max(position),0)+1 FROM events), ?1, ?2,"
                                 " (SELECT ifnull(max(version),0)+1 FROM events WHERE stream = ?2), 'x-bench', 1, ?3, ?4, ?5,"
                                 " ?6, ?7, ?8)", -1, &copy, 0), db, "prepare copy");
    char payload[700], id[96], stream[96], sha[41], hash[65];
    memset(sha, 'a', 40); sha[40] = 0;
    memset(hash, 'b', 64); hash[64] = 0;
    snprintf(stream, sizeof stream, "candidate-%s-%s-%s", sha, mode, writer);
    const char *metadata = "{\"actor\":\"ci-bot\",\"job\":\"deploy\",\"repository\":\"acme/shop\",\"runAttempt\":\"1\",\"runId\":\"7000001\",\"toolVersion\":\"0.1.0\"}";
    long per_txn = strcmp(mode, "w2") == 0 ? 100 : 1;
    double worst = 0, start = now_ms();
    for (long i = 0; i < n; i += per_txn) {
        double t0 = now_ms();
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
        for (long j = i; j < i + per_txn && j < n; j++) {
            if (rows) {
                for (int c = 0; c < 8; c++) sqlite3_bind_text(copy, c + 1, rows[j * 8 + c], -1, SQLITE_STATIC);
                check(sqlite3_step(copy), db, "insert");
                sqlite3_reset(copy);
                continue;
            }
            snprintf(id, sizeof id, "%s-%s-%ld", mode, writer, j);
            snprintf(payload, sizeof payload,
                     "{\"app\":\"api\",\"image\":\"ghcr.io/acme/api@sha256:%064ld\",\"index\":%ld,\"note\":\"release evidence release evidence"
                     " release evidence release evidence release evidence release evidence release evidence release evidence"
                     " release evidence\",\"outcome\":\"succeeded\",\"writer\":\"%s\"}", j, j, writer);
            sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, stream, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 3, sha, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 4, payload, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 5, metadata, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 6, hash, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 7, hash, -1, SQLITE_STATIC);
            check(sqlite3_step(ins), db, "insert");
            sqlite3_reset(ins);
        }
        check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
        double took = now_ms() - t0;
        if (took > worst) worst = took;
    }
    printf("rows %ld ms %.3f max_wait_ms %.3f\n", n, now_ms() - start, worst);
    sqlite3_finalize(ins);
    sqlite3_finalize(copy);
    sqlite3_close(db);
    return 0;
}
