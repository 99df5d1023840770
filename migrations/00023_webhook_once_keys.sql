-- +goose Up
-- Issue #15: webhook events that must reach each endpoint once only, though
-- what causes them can happen twice (a failed email recorded again by a
-- second run of its job; two raters submitting at once past a response
-- rate threshold). Such a delivery carries a key naming its occasion
-- ("invitation.failed:<invitation id>"); the unique index lets the second
-- insert do nothing, instead of trusting a read before the write. Cycle
-- events keep once_key NULL: both engines let NULLs repeat in a unique
-- index, and a cycle's status change is already a compare-and-set.
ALTER TABLE webhook_deliveries ADD COLUMN once_key TEXT;
CREATE UNIQUE INDEX webhook_deliveries_once_idx ON webhook_deliveries (endpoint_id, once_key);
