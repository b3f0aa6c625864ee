-- Schema version 6: the Merkle tree keeps complete subtrees of 16 leaves and more (levels 4 and
-- up). The leaf hashes of the block still open (at most 15) ride in the chain head's row, which
-- every append rewrites anyway, so an append adds no page for the tree until its block completes.
-- Smaller subtrees for proofs are hashed from their events. An empty open_block (as this
-- migration leaves it) or one of the wrong length is recomputed from the events by the next append;
-- `rebuild` rewrites it and `verify` checks it.
ALTER TABLE chain_head ADD COLUMN open_block BLOB NOT NULL DEFAULT x'';

-- `rebuild` rewrites open_block in place: the head may stay where it is if its hash does too.
DROP TRIGGER IF EXISTS chain_head_only_moves_forward;
CREATE TRIGGER chain_head_only_moves_forward BEFORE UPDATE ON chain_head
WHEN NEW.position < OLD.position OR (NEW.position = OLD.position AND NEW.hash IS NOT OLD.hash)
BEGIN
    SELECT RAISE(ABORT, 'release ledger: the chain head only moves forward');
END;

DELETE FROM merkle_subtrees WHERE level < 4;
