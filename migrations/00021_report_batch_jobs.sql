-- +goose Up
-- A batch's reports are rendered one job per leader, by whichever server
-- process takes the job. Each stored report names the process that drew it
-- (host name and process id), so the work of several replicas can be
-- counted. A report that cannot be drawn is recorded once, like a rendered
-- one: a leader's job then counts as done, and the batch ends when every
-- leader has a report or a failure.
ALTER TABLE report_files ADD COLUMN rendered_by TEXT NOT NULL DEFAULT '';

CREATE TABLE report_failures (
    batch_id       TEXT NOT NULL REFERENCES report_batches (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    failure        TEXT NOT NULL,
    failed_by      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (batch_id, participant_id)
);
