-- The read model, as in SQLite's version 3: per-candidate and per-run rows for the queries, the
-- production row the rules read, and sealed candidate snapshots. It holds nothing the events do
-- not: `rebuild` empties these tables and folds them again. Applied by `init` (IF NOT EXISTS, so a
-- dropped table comes back). The server role writes them (see grants.sql); what guards them is the
-- seal on production and snapshots, and `verify`, which compares every table with the events.

CREATE TABLE IF NOT EXISTS candidates (
    sha            TEXT COLLATE "C" PRIMARY KEY,
    frozen_at      TEXT COLLATE "C",
    acceptance     TEXT COLLATE "C",
    open_run       BIGINT,
    last_decision  TEXT COLLATE "C"
);

CREATE TABLE IF NOT EXISTS runs (
    sha              TEXT COLLATE "C" NOT NULL,
    run              BIGINT NOT NULL,
    kind             TEXT COLLATE "C" NOT NULL,
    replaces         TEXT COLLATE "C",
    opened_at        TEXT COLLATE "C" NOT NULL,
    opened_position  BIGINT NOT NULL,
    decision         TEXT COLLATE "C",
    decided_at       TEXT COLLATE "C",
    decided_position BIGINT,
    actor            TEXT COLLATE "C",
    PRIMARY KEY (sha, run)
);

-- history: newest runs first; status and rollback: the latest decisions; at: what was live then.
CREATE INDEX IF NOT EXISTS runs_by_opened ON runs (opened_position);
CREATE INDEX IF NOT EXISTS runs_by_decided ON runs (decided_position) WHERE decided_position IS NOT NULL;
CREATE INDEX IF NOT EXISTS runs_yes_by_position ON runs (decided_position) WHERE decision = 'YES';
CREATE INDEX IF NOT EXISTS runs_yes_by_time ON runs (decided_at, decided_position) WHERE decision = 'YES';

-- `seal` binds the state to the chain (ChainHasher.seal). The row always exists after `init`.
CREATE TABLE IF NOT EXISTS production (
    id       BIGINT PRIMARY KEY CHECK (id = 1),
    position BIGINT NOT NULL,
    state    TEXT COLLATE "C" NOT NULL,
    seal     TEXT COLLATE "C" NOT NULL
);

CREATE TABLE IF NOT EXISTS candidate_snapshots (
    sha      TEXT COLLATE "C" PRIMARY KEY,
    position BIGINT NOT NULL,
    state    TEXT COLLATE "C" NOT NULL,
    seal     TEXT COLLATE "C" NOT NULL
);

-- Rows copied from a SQLite ledger written before its schema version 3 whose time is earlier
-- than a row before them, with the latest time before them (see the SQLite read model).
CREATE TABLE IF NOT EXISTS time_floors (
    position    BIGINT PRIMARY KEY,
    recorded_at TEXT COLLATE "C" NOT NULL
);
