-- +goose Up
-- The survey token sealed (AES-GCM) with the server's secret key, so the
-- outbox can put the link into an email, and a reminder can repeat it,
-- without the raw token ever being stored: a database dump opens no survey.
-- Only token_hash is used to look a token up.
ALTER TABLE invitations ADD COLUMN token_sealed TEXT NOT NULL DEFAULT '';

-- One row per reminder email: the primary key makes a reminder go out at
-- most once per cycle, reminder and rater, even with two server processes.
-- message_id is the claim of the job that sends it, so that job's retries
-- keep sending while any other sender stands back.
CREATE TABLE reminders_sent (
    cycle_id        TEXT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    reminder_index  INTEGER NOT NULL CHECK (reminder_index BETWEEN 0 AND 2),
    person_id       TEXT NOT NULL REFERENCES people (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    message_id      TEXT NOT NULL CHECK (length(message_id) BETWEEN 3 AND 250),
    claimed_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (cycle_id, reminder_index, person_id)
);
CREATE INDEX invitations_assignment_idx ON invitations (assignment_id);
