-- +goose Up
-- Issue #15, item 2: API tokens. An admin (or an operator with
-- `lead360 token create`) makes a token for another system; it reads, or
-- reads and writes, one organisation's data through /api/v1.
--
-- Only the SHA-256 of the secret is stored (token_hash): the secret is 32
-- random bytes, so a fast hash is enough (nobody can guess through 2^256
-- candidates, salted or not) and lets a request find its token with one
-- indexed lookup. The secret itself is shown once, when it is made.
-- created_by names who made it as the audit log would: an admin's name, or
-- the operator at the command line. A revoked token is kept (revoked_at) so
-- the list and the audit log still name it; it opens nothing.
CREATE TABLE api_tokens (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scope           TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    token_hash      TEXT NOT NULL UNIQUE,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    last_used_at    TIMESTAMP,
    revoked_at      TIMESTAMP
);
CREATE INDEX api_tokens_organization_idx ON api_tokens (organization_id, created_at);
