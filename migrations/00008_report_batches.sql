-- +goose Up
-- A batch renders every leader's report of a cycle in the background. Each
-- rendered PDF is stored as soon as it exists, so a job interrupted by a
-- restart resumes with the leaders still missing instead of starting over.
CREATE TABLE report_batches (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    cycle_id        TEXT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
    total           INTEGER NOT NULL CHECK (total >= 0),
    failure         TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP
);
CREATE INDEX report_batches_cycle_idx ON report_batches (cycle_id, created_at);

-- The PDF is base64 text: one portable column type for both engines.
CREATE TABLE report_files (
    batch_id       TEXT NOT NULL REFERENCES report_batches (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    file_name      TEXT NOT NULL,
    pdf            TEXT NOT NULL,
    PRIMARY KEY (batch_id, participant_id)
);
