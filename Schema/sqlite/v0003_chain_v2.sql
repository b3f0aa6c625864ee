-- Schema version 3: each row records the chain version its hash was computed with (ChainHasher).
-- Rows written before keep version 1 and are verified as they were written; every row written
-- from now on is version 2, whose envelope is unambiguous. Adding a column rewrites no row.
ALTER TABLE events ADD COLUMN chain_version INTEGER NOT NULL DEFAULT 1 CHECK (chain_version IN (1, 2));

-- Only the ledger moves the head: its connection defines written_only_by_release_ledger(), the
-- sqlite3 shell and other programs do not, so their writes fail while the statement is prepared.
CREATE TRIGGER chain_head_is_written_by_the_ledger BEFORE UPDATE ON chain_head
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the chain head');
END;

CREATE TRIGGER chain_head_is_inserted_by_the_ledger BEFORE INSERT ON chain_head
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the chain head');
END;
