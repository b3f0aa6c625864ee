-- Schema version 1: the event log, its integrity triggers, and the read model.
-- Applied by the migrator inside one transaction; PRAGMA user_version records the version.

-- The log. `position` is the global order (1..N, no gaps: the writer assigns head+1 inside
-- BEGIN IMMEDIATE). Rows are never updated or deleted (triggers below).
CREATE TABLE events (
    position      INTEGER PRIMARY KEY,
    event_id      TEXT    NOT NULL UNIQUE,
    stream        TEXT    NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    type          TEXT    NOT NULL,
    type_version  INTEGER NOT NULL,
    sha           TEXT    NOT NULL CHECK (length(sha) = 40),
    data          TEXT    NOT NULL,
    metadata      TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    previous_hash TEXT    NOT NULL,
    hash          TEXT    NOT NULL,
    UNIQUE (stream, version)
) STRICT;

CREATE INDEX events_by_sha ON events (sha, position);
CREATE INDEX events_by_type ON events (type, position);

CREATE TRIGGER events_are_immutable BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'release ledger: events are immutable');
END;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'release ledger: events are never deleted');
END;

-- The head of the chain, written in the same transaction as each append, so that
-- rows deleted from the end are noticed by verify.
CREATE TABLE chain_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL,
    hash     TEXT    NOT NULL
) STRICT;

CREATE TRIGGER chain_head_only_moves_forward BEFORE UPDATE ON chain_head
WHEN NEW.position <= OLD.position
BEGIN
    SELECT RAISE(ABORT, 'release ledger: the chain head only moves forward');
END;

CREATE TRIGGER chain_head_is_never_deleted BEFORE DELETE ON chain_head
BEGIN
    SELECT RAISE(ABORT, 'release ledger: the chain head is never deleted');
END;
