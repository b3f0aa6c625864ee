-- Privileges, applied by every `init` (idempotent), for two group roles the database's
-- administrator creates (init grants to the ones that exist, and says which are missing):
--
--   release_ledger_writer: what `serve` and the appending commands connect as (a login role that
--     is a member of it). It may SELECT and INSERT the event log and nothing else there: UPDATE,
--     DELETE and TRUNCATE are not granted, and the triggers refuse them even to the owner. It may
--     read and move the chain head (forward only, by trigger), and write the read model, which
--     it keeps in the same transaction as each append and which `rebuild` refills.
--   release_ledger_reader: audit, read-only everything.
--
-- The owner role (the one that ran `init`) owns the tables and alone may change the schema.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'release_ledger_writer') THEN
        REVOKE ALL ON events, chain_head, ledger_schema, candidates, runs, production, candidate_snapshots, time_floors
            FROM release_ledger_writer;
        GRANT SELECT, INSERT ON events TO release_ledger_writer;
        GRANT SELECT, UPDATE ON chain_head TO release_ledger_writer;
        GRANT SELECT ON ledger_schema TO release_ledger_writer;
        GRANT SELECT, INSERT, UPDATE, DELETE ON candidates, runs, production, candidate_snapshots, time_floors
            TO release_ledger_writer;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'release_ledger_reader') THEN
        REVOKE ALL ON events, chain_head, ledger_schema, candidates, runs, production, candidate_snapshots, time_floors
            FROM release_ledger_reader;
        GRANT SELECT ON events, chain_head, ledger_schema, candidates, runs, production, candidate_snapshots, time_floors
            TO release_ledger_reader;
    END IF;
END;
$$;
