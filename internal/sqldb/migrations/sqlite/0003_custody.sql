-- Chain of custody of evidence (internal/evidence): one row per event —
-- received, stored, accessed, exported, copy_made, integrity_checked —
-- numbered per evidence item from 1. Each event appends a "custody" leaf
-- to the ledger in the same transaction. Append-only: triggers refuse
-- every UPDATE and DELETE.
--
-- On PostgreSQL: BIGINT for seq, the triggers as a plpgsql function.
CREATE TABLE custody_events (
    evidence_id  TEXT NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    sha256       TEXT NOT NULL,
    action       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    detail       TEXT NOT NULL,
    at           TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (evidence_id, seq)
);

CREATE TRIGGER custody_events_immutable_update BEFORE UPDATE ON custody_events
BEGIN SELECT RAISE(ABORT, 'custody events are immutable'); END;
CREATE TRIGGER custody_events_immutable_delete BEFORE DELETE ON custody_events
BEGIN SELECT RAISE(ABORT, 'custody events are immutable'); END;
