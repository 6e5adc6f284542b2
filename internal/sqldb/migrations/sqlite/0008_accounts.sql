-- Accounts, sessions and API tokens (internal/auth). No secret is kept in
-- clear: a password is an argon2id PHC string; a session is kept under the
-- hex SHA-256 of its secret (the secret lives only in the browser's cookie);
-- a token keeps its short public id in clear, for listing and revoking, and
-- the hex SHA-256 of the whole secret.
--
-- users: one row per account. role is one of the four account roles
-- ("public" is what anyone without an account gets, never stored).
-- failed_signins counts wrong passwords since the last success or lockout;
-- locked_until is set when it reaches the threshold.
--
-- sessions: one row per signed-in browser; ended by sign-out, by a role or
-- password change, by disabling the account, or when idle or too old.
--
-- api_tokens: a token acts with the lower of its own role and its owner's
-- current role; a revoked one keeps its row (and revoked_at) for the record.
--
-- Times are RFC 3339 UTC text with nine fraction digits, fixed width, so
-- that comparing the text compares the times.
--
-- On PostgreSQL: TIMESTAMPTZ for the times, BOOLEAN for disabled.
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE CHECK (username <> ''),
    display_name   TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL CHECK (role IN ('reporter', 'analyst', 'reviewer', 'admin')),
    password_hash  TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_signins INTEGER NOT NULL DEFAULT 0 CHECK (failed_signins >= 0),
    locked_until   TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
    user_id     TEXT NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL CHECK (name <> ''),
    role        TEXT NOT NULL CHECK (role IN ('reporter', 'analyst', 'reviewer', 'admin')),
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    revoked_at  TEXT,
    last_used   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);
