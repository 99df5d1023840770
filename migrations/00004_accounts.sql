-- +goose Up
-- Dashboard accounts: a display name for the header and the audit log.
ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 200);

-- Server-side sessions (github.com/alexedwards/scs). Only the SHA-256 of the
-- cookie's token is stored (hex), so a database dump logs nobody in. data is
-- scs's encoded session as base64 text: one portable column type on both
-- engines. user_id lets a password reset end every session of the account.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
    data       TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Single-use links that set a password: "reset" (asked for by the user,
-- valid 30 minutes) and "invite" (a leader's first password, sent when a
-- cycle that assesses them opens). Only the SHA-256 of the token is stored.
CREATE TABLE password_tokens (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX password_tokens_user_idx ON password_tokens (user_id);

-- The one-time setup page claims this single row in the same transaction
-- that creates the first admin, so two concurrent setups cannot both win.
CREATE TABLE installation (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    first_admin_at TIMESTAMP NOT NULL
);

-- Who did what, per organisation. actor_user_id is NULL for the command line
-- and the system; subject_type and subject_id name the record acted on.
CREATE TABLE audit_log (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    actor_user_id   TEXT REFERENCES users (id) ON DELETE SET NULL,
    action          TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    subject_type    TEXT NOT NULL DEFAULT '' CHECK (length(subject_type) <= 100),
    subject_id      TEXT NOT NULL DEFAULT '' CHECK (length(subject_id) <= 100),
    detail          TEXT NOT NULL DEFAULT '' CHECK (length(detail) <= 2000),
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_organization_idx ON audit_log (organization_id, created_at);
