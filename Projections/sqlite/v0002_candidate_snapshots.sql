-- Schema version 2: a candidate's whole state leaves its read-model row for a snapshot table.
-- Version 1 rewrote the candidate's row, with its whole state (every run and step), on each
-- append. Now the state is saved every few events of a candidate, reading a candidate folds the
-- events recorded after its snapshot (few, and found by events_by_sha), and the small
-- `candidates` row is written only when one of its columns changes. The newest event of a SHA
-- comes from events_by_sha, so the row no longer keeps `last_position`.

CREATE TABLE candidate_snapshots (
    sha      TEXT PRIMARY KEY,
    -- the last event folded into `state`
    position INTEGER NOT NULL,
    state    TEXT NOT NULL
) STRICT;

INSERT INTO candidate_snapshots (sha, position, state) SELECT sha, last_position, state FROM candidates;

ALTER TABLE candidates DROP COLUMN state;
ALTER TABLE candidates DROP COLUMN last_position;
