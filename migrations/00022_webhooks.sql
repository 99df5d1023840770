-- +goose Up
-- Issue #15, item 3: webhooks. An admin registers an endpoint of another
-- system and the events it wants; each event is recorded as one delivery
-- per subscribed endpoint, in the transaction of the change that causes it,
-- and a job of the queue POSTs it, signed, until the receiver answers 2xx.
--
-- The signing secret is made by lead360 and shown once. Unlike an API
-- token it cannot be kept as a hash: every delivery is signed with it. It
-- is kept sealed with the server's key (sealed_secret), so a copy of the
-- database alone cannot sign. events is the subscribed event names,
-- separated by spaces. A disabled endpoint is kept (disabled_at) with its
-- log; a removed one goes with its deliveries.
CREATE TABLE webhook_endpoints (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    url             TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    events          TEXT NOT NULL,
    sealed_secret   TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    disabled_at     TIMESTAMP
);
CREATE INDEX webhook_endpoints_organization_idx ON webhook_endpoints (organization_id, created_at);

-- A delivery's payload is fixed when the event happens: a retry sends the
-- same bytes under the same id (the Webhook-Id header), so a receiver can
-- drop duplicates. It holds ids, names, dates and counts, never a rater.
CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    delivered_at    TIMESTAMP
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at);

-- One row per try: the receiver's status code, or why there was none.
CREATE TABLE webhook_attempts (
    delivery_id  TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      INTEGER NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    status_code  INTEGER NOT NULL DEFAULT 0,
    failure      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, attempt)
);
