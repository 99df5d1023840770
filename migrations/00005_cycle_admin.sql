-- +goose Up
-- The admin's choices about a cycle beyond its dates (cycle administration
-- in the dashboard). A cycle without a row has the defaults, so cycles made
-- before this migration, or from the command line, need no back-fill.
--   leaders_nominate: leaders propose their own raters (the nomination
--     flow reads it); group limits below bound how many per group.
--   rater_cap: how many survey requests one person should get in the
--     cycle; going over it is a warning in imports, never a refusal.
--   reminder_rounds: reminder emails sent outside the schedule ("remind
--     now", extensions) so far; each round claims its own reminder index.
CREATE TABLE cycle_settings (
    cycle_id         TEXT PRIMARY KEY REFERENCES cycles (id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    leaders_nominate BOOLEAN NOT NULL DEFAULT FALSE,
    rater_cap        INTEGER NOT NULL DEFAULT 8 CHECK (rater_cap BETWEEN 1 AND 100),
    reminder_rounds  INTEGER NOT NULL DEFAULT 0 CHECK (reminder_rounds >= 0),
    updated_at       TIMESTAMP NOT NULL
);

-- How many raters a leader may nominate per group; only groups with a
-- limit have a row.
CREATE TABLE cycle_group_limits (
    cycle_id        TEXT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    relationship    TEXT NOT NULL CHECK (relationship IN ('manager', 'peer', 'direct_report', 'other')),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    min_raters      INTEGER NOT NULL CHECK (min_raters BETWEEN 0 AND 50),
    max_raters      INTEGER NOT NULL CHECK (max_raters BETWEEN 1 AND 50 AND max_raters >= min_raters),
    PRIMARY KEY (cycle_id, relationship)
);

-- Reminders sent outside the schedule use indices from 100 up (see
-- assessment.ManualReminderBase), which the old CHECK (0 to 2) refused.
-- SQLite cannot change a CHECK in place, so the table is rebuilt; this is
-- the one portable way.
CREATE TABLE reminders_sent_new (
    cycle_id        TEXT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    reminder_index  INTEGER NOT NULL CHECK (reminder_index >= 0),
    person_id       TEXT NOT NULL REFERENCES people (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    message_id      TEXT NOT NULL CHECK (length(message_id) BETWEEN 3 AND 250),
    claimed_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (cycle_id, reminder_index, person_id)
);
INSERT INTO reminders_sent_new (cycle_id, reminder_index, person_id, organization_id, message_id, claimed_at)
    SELECT cycle_id, reminder_index, person_id, organization_id, message_id, claimed_at FROM reminders_sent;
DROP TABLE reminders_sent;
ALTER TABLE reminders_sent_new RENAME TO reminders_sent;

