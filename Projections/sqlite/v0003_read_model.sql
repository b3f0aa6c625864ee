-- The read model as of schema version 3, applied by the migration to version 3 and by every
-- `rebuild`, which drops these tables and folds them again from the events: a dropped or edited
-- table comes back as the events say. It holds nothing the events do not.
--
-- Only the ledger writes these tables: its connection defines written_only_by_release_ledger();
-- the sqlite3 shell and other programs do not, so their writes fail when the statement is
-- prepared. Someone who drops the triggers is still caught: snapshots and production carry a
-- seal, and `verify` compares every table with the fold of the events.

CREATE TABLE IF NOT EXISTS candidates (
    sha            TEXT PRIMARY KEY,
    frozen_at      TEXT,
    acceptance     TEXT,
    open_run       INTEGER,
    last_decision  TEXT
) STRICT;

CREATE TRIGGER IF NOT EXISTS candidates_insert_by_the_ledger BEFORE INSERT ON candidates
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS candidates_update_by_the_ledger BEFORE UPDATE ON candidates
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS candidates_delete_by_the_ledger BEFORE DELETE ON candidates
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TABLE IF NOT EXISTS runs (
    sha              TEXT    NOT NULL,
    run              INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    replaces         TEXT,
    opened_at        TEXT    NOT NULL,
    opened_position  INTEGER NOT NULL,
    decision         TEXT,
    decided_at       TEXT,
    decided_position INTEGER,
    actor            TEXT,
    PRIMARY KEY (sha, run)
) STRICT;

-- history: newest runs first; status and rollback: the latest decisions; at: what was live then.
CREATE INDEX IF NOT EXISTS runs_by_opened ON runs (opened_position);
CREATE INDEX IF NOT EXISTS runs_by_decided ON runs (decided_position) WHERE decided_position IS NOT NULL;
CREATE INDEX IF NOT EXISTS runs_yes_by_position ON runs (decided_position) WHERE decision = 'YES';
CREATE INDEX IF NOT EXISTS runs_yes_by_time ON runs (decided_at, decided_position) WHERE decision = 'YES';

CREATE TRIGGER IF NOT EXISTS runs_insert_by_the_ledger BEFORE INSERT ON runs
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS runs_update_by_the_ledger BEFORE UPDATE ON runs
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS runs_delete_by_the_ledger BEFORE DELETE ON runs
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

-- `seal` binds the state to the chain: SHA-256 of the state and of the event `position` names
-- (ReadModelSeal). The row always exists, so a deleted row cannot read as "nothing in production".
CREATE TABLE IF NOT EXISTS production (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL,
    state    TEXT NOT NULL,
    seal     TEXT NOT NULL
) STRICT;

CREATE TRIGGER IF NOT EXISTS production_insert_by_the_ledger BEFORE INSERT ON production
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS production_update_by_the_ledger BEFORE UPDATE ON production
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS production_delete_by_the_ledger BEFORE DELETE ON production
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

-- A candidate's whole state up to `position` (its last event folded in), sealed like production.
CREATE TABLE IF NOT EXISTS candidate_snapshots (
    sha      TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    state    TEXT NOT NULL,
    seal     TEXT NOT NULL
) STRICT;

CREATE TRIGGER IF NOT EXISTS candidate_snapshots_insert_by_the_ledger BEFORE INSERT ON candidate_snapshots
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS candidate_snapshots_update_by_the_ledger BEFORE UPDATE ON candidate_snapshots
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS candidate_snapshots_delete_by_the_ledger BEFORE DELETE ON candidate_snapshots
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

-- Rows written before schema version 3 whose time is earlier than a row before them (the clock
-- stepped back), with the latest time before them: `at TIME` answers by the greatest time so far.
-- Rows written since never run backwards (AppendEngine), so none of them is listed.
CREATE TABLE IF NOT EXISTS time_floors (
    position    INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER IF NOT EXISTS time_floors_insert_by_the_ledger BEFORE INSERT ON time_floors
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS time_floors_update_by_the_ledger BEFORE UPDATE ON time_floors
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;

CREATE TRIGGER IF NOT EXISTS time_floors_delete_by_the_ledger BEFORE DELETE ON time_floors
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the read model; run `release-ledger rebuild`');
END;
