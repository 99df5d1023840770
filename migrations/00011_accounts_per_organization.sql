-- +goose Up
-- An account belongs to one organisation: a login email is unique within
-- its organisation, no longer across all of them. Before, an organisation
-- that listed someone else's address as a leader took that address for
-- itself, and the person could no longer reach their own results in their
-- own organisation. Sign-in finds every account of the email and checks the
-- password against each (assessment.Accounts.Authenticate).
--
-- SQLite cannot drop a UNIQUE column constraint, so users is rebuilt (the
-- new-table, copy, drop, rename pattern of 00005). The three tables that
-- refer to users are rebuilt with it: with foreign keys on, SQLite would
-- run their ON DELETE actions when the old users table is dropped (ending
-- every session and link, forgetting every audit actor), and PostgreSQL
-- refuses to drop a table others refer to. Renaming users_new to users
-- makes SQLite rewrite the new tables' references; PostgreSQL's follow the
-- table itself. The CHECK constraints are named as PostgreSQL named the old
-- ones, so its error messages name the table, not the "_new" copy.
CREATE TABLE users_new (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email           TEXT NOT NULL CONSTRAINT users_email_check CHECK (email = lower(email)),
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CONSTRAINT users_role_check CHECK (role IN ('admin', 'leader')),
    person_id       TEXT REFERENCES people (id),
    created_at      TIMESTAMP NOT NULL,
    name            TEXT NOT NULL DEFAULT '' CONSTRAINT users_name_check CHECK (length(name) <= 200),
    CONSTRAINT users_organization_email_key UNIQUE (organization_id, email)
);
INSERT INTO users_new (id, organization_id, email, password_hash, role, person_id, created_at, name)
    SELECT id, organization_id, email, password_hash, role, person_id, created_at, name FROM users;
-- Sign-in looks accounts up by email alone, before it knows the
-- organisation.
CREATE INDEX users_email_idx ON users_new (email);

CREATE TABLE sessions_new (
    token_hash TEXT PRIMARY KEY CONSTRAINT sessions_token_hash_check CHECK (length(token_hash) = 64),
    user_id    TEXT REFERENCES users_new (id) ON DELETE CASCADE,
    data       TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
INSERT INTO sessions_new (token_hash, user_id, data, expires_at)
    SELECT token_hash, user_id, data, expires_at FROM sessions;

CREATE TABLE password_tokens_new (
    token_hash TEXT PRIMARY KEY CONSTRAINT password_tokens_token_hash_check CHECK (length(token_hash) = 64),
    user_id    TEXT NOT NULL REFERENCES users_new (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CONSTRAINT password_tokens_purpose_check CHECK (purpose IN ('reset', 'invite')),
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT password_tokens_check CHECK (expires_at > created_at)
);
INSERT INTO password_tokens_new (token_hash, user_id, purpose, expires_at, used_at, created_at)
    SELECT token_hash, user_id, purpose, expires_at, used_at, created_at FROM password_tokens;

CREATE TABLE audit_log_new (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    actor_user_id   TEXT REFERENCES users_new (id) ON DELETE SET NULL,
    action          TEXT NOT NULL CONSTRAINT audit_log_action_check CHECK (length(action) BETWEEN 1 AND 100),
    subject_type    TEXT NOT NULL DEFAULT '' CONSTRAINT audit_log_subject_type_check CHECK (length(subject_type) <= 100),
    subject_id      TEXT NOT NULL DEFAULT '' CONSTRAINT audit_log_subject_id_check CHECK (length(subject_id) <= 100),
    detail          TEXT NOT NULL DEFAULT '' CONSTRAINT audit_log_detail_check CHECK (length(detail) <= 2000),
    created_at      TIMESTAMP NOT NULL
);
INSERT INTO audit_log_new (id, organization_id, actor_user_id, action, subject_type, subject_id, detail, created_at)
    SELECT id, organization_id, actor_user_id, action, subject_type, subject_id, detail, created_at FROM audit_log;

DROP TABLE sessions;
DROP TABLE password_tokens;
DROP TABLE audit_log;
DROP TABLE users;

ALTER TABLE users_new RENAME TO users;
ALTER TABLE sessions_new RENAME TO sessions;
ALTER TABLE password_tokens_new RENAME TO password_tokens;
ALTER TABLE audit_log_new RENAME TO audit_log;

-- The indexes of 00004 and 00006 went with the old tables.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX password_tokens_user_idx ON password_tokens (user_id);
CREATE INDEX audit_log_organization_idx ON audit_log (organization_id, created_at);
CREATE INDEX audit_log_organization_newest_idx ON audit_log (organization_id, created_at DESC, id DESC);
