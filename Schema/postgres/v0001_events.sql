-- PostgreSQL schema version 1: the event log, its chain head, and the triggers that keep both
-- append-only. Applied by the owner role (`release-ledger init --postgres URL`) in one transaction;
-- `ledger_schema` records the version. Text compares byte by byte (COLLATE "C"), as in SQLite.

CREATE TABLE ledger_schema (
    id          BIGINT PRIMARY KEY CHECK (id = 1),
    application TEXT   NOT NULL CHECK (application = 'release-ledger'),
    version     BIGINT NOT NULL
);

-- `position` is the global order, 1..N with no gap: an append takes the chain_head row FOR UPDATE,
-- then inserts head+1, head+2, ... and moves the head, all in one transaction. No sequence: its
-- gaps and out-of-order commits would break the chain.
CREATE TABLE events (
    position      BIGINT PRIMARY KEY CHECK (position >= 1),
    event_id      TEXT COLLATE "C" NOT NULL UNIQUE,
    stream        TEXT COLLATE "C" NOT NULL,
    version       BIGINT NOT NULL CHECK (version >= 1),
    type          TEXT COLLATE "C" NOT NULL,
    type_version  BIGINT NOT NULL,
    sha           TEXT COLLATE "C" NOT NULL CHECK (length(sha) = 40),
    data          TEXT COLLATE "C" NOT NULL,
    metadata      TEXT COLLATE "C" NOT NULL,
    recorded_at   TEXT COLLATE "C" NOT NULL,
    previous_hash TEXT COLLATE "C" NOT NULL,
    hash          TEXT COLLATE "C" NOT NULL,
    chain_version BIGINT NOT NULL CHECK (chain_version IN (1, 2)),
    UNIQUE (stream, version)
);

CREATE INDEX events_by_sha ON events (sha, position);
CREATE INDEX events_by_type ON events (type, position);

-- The last link of the chain. The row always exists (position 0 and the genesis hash when empty).
CREATE TABLE chain_head (
    id       BIGINT PRIMARY KEY CHECK (id = 1),
    position BIGINT NOT NULL,
    hash     TEXT COLLATE "C" NOT NULL
);
INSERT INTO chain_head (id, position, hash) VALUES (1, 0, repeat('0', 64));

CREATE FUNCTION release_ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'release ledger: %', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER events_are_immutable BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION release_ledger_refuse('events are immutable');
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION release_ledger_refuse('events are never deleted');
CREATE TRIGGER events_are_never_truncated BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION release_ledger_refuse('events are never deleted');
CREATE TRIGGER chain_head_is_never_deleted BEFORE DELETE ON chain_head
    FOR EACH ROW EXECUTE FUNCTION release_ledger_refuse('the chain head is never deleted');
CREATE TRIGGER chain_head_is_never_truncated BEFORE TRUNCATE ON chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION release_ledger_refuse('the chain head is never deleted');

-- Every new row extends the chain by exactly one link: its position follows the head's and its
-- previous hash is the head's hash. A writer that skipped the head lock, or any other program
-- with INSERT on the table, cannot leave a gap or a fork.
CREATE FUNCTION release_ledger_event_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head chain_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM chain_head WHERE id = 1 FOR UPDATE;
    IF NEW.position <> head.position + 1 OR NEW.previous_hash <> head.hash THEN
        RAISE EXCEPTION 'release ledger: event % does not extend the chain head (position %)', NEW.position, head.position
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    UPDATE chain_head SET position = NEW.position, hash = NEW.hash WHERE id = 1;
    RETURN NEW;
END;
$$;

CREATE TRIGGER events_extend_the_head BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION release_ledger_event_extends_head();

-- The head moves only forward, one event at a time, and only through the trigger above (an
-- UPDATE that does not match the newest event is refused).
CREATE FUNCTION release_ledger_head_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.position <> OLD.position + 1 THEN
        RAISE EXCEPTION 'release ledger: the chain head only moves forward, one event at a time'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER chain_head_moves_forward BEFORE UPDATE ON chain_head
    FOR EACH ROW EXECUTE FUNCTION release_ledger_head_moves_forward();

INSERT INTO ledger_schema (id, application, version) VALUES (1, 'release-ledger', 1);
