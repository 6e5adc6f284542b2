-- Records and their revisions. A record row is the current state, kept for
-- queries; the revisions table is the history and is append-only: triggers
-- refuse every UPDATE and DELETE on it, and every DELETE on records.

CREATE TABLE records (
    id           TEXT PRIMARY KEY,
    type         TEXT NOT NULL,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    retracted    INTEGER NOT NULL DEFAULT 0 CHECK (retracted IN (0, 1)),
    body         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    date_start   TEXT NOT NULL DEFAULT '',
    date_end     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL
);
CREATE INDEX records_type_updated ON records (type, updated_at, id);
CREATE INDEX records_type_date ON records (type, date_start, id);

CREATE TABLE revisions (
    record_id    TEXT NOT NULL REFERENCES records (id),
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    type         TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('create', 'update', 'retract', 'restore')),
    retracted    INTEGER NOT NULL CHECK (retracted IN (0, 1)),
    body         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    author       TEXT NOT NULL CHECK (author <> ''),
    reason       TEXT NOT NULL CHECK (reason <> ''),
    created_at   TEXT NOT NULL,
    batch_id     TEXT NOT NULL,
    PRIMARY KEY (record_id, revision)
);
CREATE INDEX revisions_batch ON revisions (batch_id);
CREATE INDEX revisions_created ON revisions (created_at);

CREATE TRIGGER revisions_immutable_update BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
CREATE TRIGGER revisions_immutable_delete BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are never deleted: retract them'); END;

-- Values a record is filtered by (incident kinds, actors, grading …),
-- rewritten with each revision.
CREATE TABLE record_terms (
    record_id TEXT NOT NULL REFERENCES records (id),
    field     TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (record_id, field, value)
);
CREATE INDEX record_terms_value ON record_terms (field, value, record_id);

-- References from one record to another (an act's incident, a claim's
-- report), so a record's dependants can be listed; rewritten with each
-- revision.
CREATE TABLE record_refs (
    record_id TEXT NOT NULL REFERENCES records (id),
    field     TEXT NOT NULL,
    target_id TEXT NOT NULL REFERENCES records (id),
    PRIMARY KEY (record_id, field, target_id)
);
CREATE INDEX record_refs_target ON record_refs (target_id, record_id);

-- Unique keys that make intake idempotent (a report's original content
-- hash). A key, once taken, stays with its record.
CREATE TABLE record_keys (
    key       TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES records (id)
);
