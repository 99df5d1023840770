-- +goose Up
-- Issue #16, item 1: the limits on sign-in attempts, reset emails and dead
-- links count across every replica, so they live here rather than in one
-- process's memory. One row is one key's token bucket under one limit: its
-- tokens as of updated_at. The key (a client address, or an email as tried
-- from one address) is stored as its SHA-256, so the table keeps no address
-- or email. A row whose full_at has passed is the same as no row; the
-- periodic purge deletes it.
CREATE TABLE throttle_buckets (
    limit_name TEXT NOT NULL,
    key_hash   TEXT NOT NULL CHECK (length(key_hash) = 64),
    tokens     DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    full_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (limit_name, key_hash)
);
CREATE INDEX throttle_buckets_full_idx ON throttle_buckets (full_at);
