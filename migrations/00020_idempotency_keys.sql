-- +goose Up
-- Issue #15, item 1: Idempotency-Key on the API's POSTs. The first answer to
-- a key is stored in the transaction of the change it answers, so a client
-- that retries after a lost answer gets that answer again and nothing is
-- done twice: either the change and its answer are both stored, or neither.
-- request_hash tells a retry from a different request reusing the key.
-- Keys are the organisation's (its tokens share them) and are deleted a day
-- after they were first used.
CREATE TABLE idempotency_keys (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_hash    TEXT NOT NULL,
    status          INTEGER NOT NULL,
    body            TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (organization_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
