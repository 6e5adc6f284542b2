-- The organisation's keyring and the per-record data keys of sealed fields
-- (internal/sealed). No secret is stored here: the org key's secret lives
-- in a passphrase-encrypted file beside the database, the recovery key's
-- secret with its custodians.
--
-- org_keys: the public age X25519 recipients ("age1…"), id the first 16
-- hex digits of the SHA-256 of public_key. kind 'org' is the key the server
-- unlocks with the passphrase, 'recovery' the offline key kept for when the
-- passphrase is lost. At most one active key of each kind (retired_at NULL),
-- by the partial unique index. Rows are history: never deleted, and the only
-- change allowed is setting retired_at once.
--
-- data_keys: one random 32-byte key per record, age-encrypted ("wrapped")
-- to every active recipient; key_ids lists their ids, comma-separated, in
-- the order org, recovery. No foreign key to records, so the keyring stays
-- independent of the record schema.
--
-- On PostgreSQL: BYTEA for wrapped, the triggers as a plpgsql function.
CREATE TABLE org_keys (
    id         TEXT PRIMARY KEY CHECK (length(id) = 16),
    public_key TEXT NOT NULL UNIQUE CHECK (public_key LIKE 'age1%'),
    kind       TEXT NOT NULL CHECK (kind IN ('org', 'recovery')),
    created_at TEXT NOT NULL,
    retired_at TEXT
);

CREATE UNIQUE INDEX org_keys_one_active ON org_keys (kind) WHERE retired_at IS NULL;

CREATE TRIGGER org_keys_no_delete BEFORE DELETE ON org_keys
BEGIN SELECT RAISE(ABORT, 'org keys are kept as history'); END;
CREATE TRIGGER org_keys_retire_only BEFORE UPDATE ON org_keys
WHEN OLD.retired_at IS NOT NULL
  OR NEW.retired_at IS NULL
  OR NEW.id IS NOT OLD.id
  OR NEW.public_key IS NOT OLD.public_key
  OR NEW.kind IS NOT OLD.kind
  OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'org keys can only be retired, once'); END;

CREATE TABLE data_keys (
    record_id  TEXT PRIMARY KEY CHECK (record_id <> ''),
    wrapped    BLOB NOT NULL,
    key_ids    TEXT NOT NULL CHECK (key_ids <> ''),
    updated_at TEXT NOT NULL
);
