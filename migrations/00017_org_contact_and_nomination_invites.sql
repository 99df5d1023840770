-- +goose Up
-- Issue #14, items 8 and 9: who answers leaders' and raters' questions, and
-- which leaders were asked to nominate their raters.
--
-- The organisation's contact (organization_contacts): the person or team
-- every email names under "Questions?" and answers through Reply-To. A table
-- of its own, not a column of organization_settings, because a settings row
-- means "HR saved its email domains": a contact saved first must not turn
-- the seeded domains into an empty saved list. No row: emails name the
-- configured sender, as before.
CREATE TABLE organization_contacts (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email           TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    updated_at      TIMESTAMP NOT NULL
);

-- A draft cycle whose leaders HR asked to nominate (one row per cycle): a
-- leader added to it later is asked when added.
CREATE TABLE nomination_calls (
    cycle_id        TEXT PRIMARY KEY REFERENCES cycles (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    called_at       TIMESTAMP NOT NULL
);

-- Each leader asked to nominate, once: the row is claimed (inserted) in the
-- transaction that records the email, so a second click, or two at once,
-- mails nobody twice.
CREATE TABLE nomination_invites (
    participant_id  TEXT PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    cycle_id        TEXT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    invited_at      TIMESTAMP NOT NULL
);
CREATE INDEX nomination_invites_cycle_idx ON nomination_invites (cycle_id);
