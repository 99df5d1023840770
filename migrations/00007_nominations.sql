-- +goose Up
-- Raters a leader proposes for themself when the cycle lets leaders
-- nominate (cycle_settings.leaders_nominate), or an admin adds during the
-- review. Approval turns a leader's list into rater assignments and stamps
-- approved_at; a person is nominated at most once per leader.
CREATE TABLE nominations (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    cycle_id        TEXT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    participant_id  TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email           TEXT NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
    relationship    TEXT NOT NULL CHECK (relationship IN ('manager', 'peer', 'direct_report', 'other')),
    by_admin        BOOLEAN NOT NULL DEFAULT FALSE,
    approved_at     TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (participant_id, email)
);
CREATE INDEX nominations_cycle_idx ON nominations (cycle_id);
