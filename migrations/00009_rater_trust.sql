-- +goose Up
-- Raters HR can vouch for (issue #10, "fake raters").
--
-- An organisation's own email domains, as HR sets them: leaders nominate
-- people at these domains (or people HR already added), and a
-- sub-address tag is removed from addresses at them. One row per
-- organisation; no row means HR never set them (lead360 then seeds them
-- from the admins' and leaders' addresses). email_domains is the sorted
-- list, one domain per line (empty: none).
CREATE TABLE organization_settings (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
    email_domains   TEXT NOT NULL DEFAULT '' CHECK (length(email_domains) <= 20000),
    updated_at      TIMESTAMP NOT NULL
);

-- HR can exclude a submitted response: it stays stored but counts in no
-- figure (scoring input, comments, progress counts). exclusion_seen_at is
-- when a release confirmation showed what the exclusion changes.
ALTER TABLE responses ADD COLUMN excluded_at TIMESTAMP;
ALTER TABLE responses ADD COLUMN exclusion_seen_at TIMESTAMP;
