-- The read model: per-candidate and per-run state for audit queries, updated in the same
-- transaction as each append. It holds nothing the events do not: `rebuild` recreates it.

CREATE TABLE candidates (
    sha            TEXT PRIMARY KEY,
    frozen_at      TEXT,
    acceptance     TEXT,
    open_run       INTEGER,
    last_decision  TEXT,
    last_position  INTEGER NOT NULL,
    state          TEXT NOT NULL
) STRICT;

CREATE TABLE runs (
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
CREATE INDEX runs_by_opened ON runs (opened_position);
CREATE INDEX runs_by_decided ON runs (decided_position) WHERE decided_position IS NOT NULL;
CREATE INDEX runs_yes_by_position ON runs (decided_position) WHERE decision = 'YES';
CREATE INDEX runs_yes_by_time ON runs (decided_at, decided_position) WHERE decision = 'YES';

CREATE TABLE production (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL
) STRICT;
