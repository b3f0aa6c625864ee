-- Schema version 2: a candidate's whole state leaves its read-model row for a snapshot table.
-- Version 1 rewrote the whole state (every run and step) on each append; now an append updates
-- the small `candidates` row, the state is saved every few events of a candidate, and reading a
-- candidate folds the events recorded after its snapshot (few, and found by events_by_sha).

CREATE TABLE candidate_snapshots (
    sha      TEXT PRIMARY KEY,
    -- the last event folded into `state`
    position INTEGER NOT NULL,
    state    TEXT NOT NULL
) STRICT;

INSERT INTO candidate_snapshots (sha, position, state) SELECT sha, last_position, state FROM candidates;

ALTER TABLE candidates DROP COLUMN state;
