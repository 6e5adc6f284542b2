-- The ledger: an RFC 6962 Merkle log of commitments (internal/ledger,
-- docs/spec/ledger-leaf.md). A leaf is appended in the same transaction as
-- the change it attests. All three tables are append-only: triggers refuse
-- every UPDATE and DELETE.
--
-- Portable SQL but for the triggers. On PostgreSQL: BIGINT for idx, number
-- and size, BYTEA for BLOB, and the triggers as a plpgsql function raising
-- an exception. SQLite keeps INTEGER PRIMARY KEY, the rowid itself.

-- Entries, dense from idx 0. kind, item_id and number repeat the leaf's
-- own fields so a revision's (or custody event's) leaf can be found
-- without reading leaves; ledger.Verify checks they agree with data.
CREATE TABLE ledger_leaves (
    idx        INTEGER PRIMARY KEY CHECK (idx >= 0),
    data       BLOB NOT NULL,
    kind       TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    number     INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
-- One leaf per revision or event: attesting the same thing twice is a bug.
CREATE UNIQUE INDEX ledger_leaves_item ON ledger_leaves (kind, item_id, number);

-- Merkle tree hashes by golang.org/x/mod/sumdb/tlog stored-hash index:
-- every leaf hash and every complete subtree hash, written once as each
-- leaf is appended, so roots, proofs and tiles never recompute the tree.
CREATE TABLE ledger_hashes (
    idx  INTEGER PRIMARY KEY CHECK (idx >= 0),
    hash BLOB NOT NULL CHECK (length(hash) = 32)
);

-- Signed checkpoints (C2SP signed notes), one per tree size.
CREATE TABLE ledger_checkpoints (
    size       INTEGER PRIMARY KEY CHECK (size >= 0),
    root       BLOB NOT NULL CHECK (length(root) = 32),
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TRIGGER ledger_leaves_immutable_update BEFORE UPDATE ON ledger_leaves
BEGIN SELECT RAISE(ABORT, 'ledger leaves are immutable'); END;
CREATE TRIGGER ledger_leaves_immutable_delete BEFORE DELETE ON ledger_leaves
BEGIN SELECT RAISE(ABORT, 'ledger leaves are immutable'); END;
CREATE TRIGGER ledger_hashes_immutable_update BEFORE UPDATE ON ledger_hashes
BEGIN SELECT RAISE(ABORT, 'ledger hashes are immutable'); END;
CREATE TRIGGER ledger_hashes_immutable_delete BEFORE DELETE ON ledger_hashes
BEGIN SELECT RAISE(ABORT, 'ledger hashes are immutable'); END;
CREATE TRIGGER ledger_checkpoints_immutable_update BEFORE UPDATE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'ledger checkpoints are immutable'); END;
CREATE TRIGGER ledger_checkpoints_immutable_delete BEFORE DELETE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'ledger checkpoints are immutable'); END;
