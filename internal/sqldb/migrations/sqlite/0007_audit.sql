-- The audit log (internal/auditlog): every read of a sealed field, every
-- export, every sign-in (success and failure), every change to an account,
-- a token or a key. One row per event, numbered from 1; each appends an
-- "audit" leaf to the ledger in the same transaction, attesting the
-- SHA-256 of the event's canonical JSON and nothing else. Rows hold no
-- sealed data: no passwords, tokens, keys, identities or network addresses.
-- Append-only: triggers refuse every UPDATE and DELETE.
--
-- On PostgreSQL: BIGINT for seq, the triggers as a plpgsql function.
CREATE TABLE audit_events (
    seq          INTEGER PRIMARY KEY CHECK (seq >= 1),
    at           TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action <> ''),
    actor        TEXT NOT NULL,
    role         TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    fields       TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome <> ''),
    detail       TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id, seq);

CREATE TRIGGER audit_events_immutable_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are immutable'); END;
CREATE TRIGGER audit_events_immutable_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are immutable'); END;
