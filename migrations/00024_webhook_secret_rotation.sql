-- +goose Up
-- Issue #15: an endpoint's signing secret can be rotated. The secret it
-- replaces stays usable for a grace period (previous_secret_until):
-- deliveries until then carry a signature under each secret, so a
-- receiver can switch to the new one without dropping a delivery. Sealed
-- as sealed_secret is; empty when the endpoint was never rotated.
ALTER TABLE webhook_endpoints ADD COLUMN previous_sealed_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_until TIMESTAMP;
