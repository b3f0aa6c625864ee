-- Schema version 5: the RFC 6962 Merkle tree over the events, for signed checkpoints and proofs.
-- One row per complete subtree: level 0 holds leaf i = SHA-256(0x00 || envelope of position i+1),
-- level L index N covers leaves N*2^L .. (N+1)*2^L - 1. An append adds its leaf and the parents
-- it completes (two rows on average, at most 1 + log2(n)); a proof or a root reads at most two
-- rows per level. The tree is derived from the events: `verify` recomputes it and `rebuild`
-- refills it, so it is a cache an auditor never has to trust.
CREATE TABLE merkle_subtrees (
    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- As for the chain head: only release-ledger's connection may write it.
CREATE TRIGGER merkle_subtrees_are_inserted_by_the_ledger BEFORE INSERT ON merkle_subtrees
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the Merkle tree');
END;

CREATE TRIGGER merkle_subtrees_are_updated_by_the_ledger BEFORE UPDATE ON merkle_subtrees
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the Merkle tree');
END;

CREATE TRIGGER merkle_subtrees_are_deleted_by_the_ledger BEFORE DELETE ON merkle_subtrees
WHEN NOT written_only_by_release_ledger()
BEGIN
    SELECT RAISE(ABORT, 'release ledger: only release-ledger writes the Merkle tree');
END;
