-- +goose Up
-- Each leader's focus skill in a snapshot, written when the cycle is
-- released, so the organisation view counts focus skills from one small
-- table instead of decoding every leader's result (tens of kilobytes of
-- JSON each). Derived from an immutable snapshot, so it never goes stale.
CREATE TABLE score_snapshot_focus (
    snapshot_id    TEXT NOT NULL REFERENCES score_snapshots (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL,
    skill          TEXT NOT NULL DEFAULT '' CHECK (length(skill) <= 100),
    PRIMARY KEY (snapshot_id, participant_id)
);

-- A leader's action plan after reading their report: one per
-- participation, edited in place. check_in_date is a calendar date stored
-- as midnight UTC.
CREATE TABLE action_plans (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    participant_id  TEXT NOT NULL UNIQUE REFERENCES participants (id) ON DELETE CASCADE,
    skill           TEXT NOT NULL CHECK (length(skill) BETWEEN 1 AND 100),
    behaviour       TEXT NOT NULL CHECK (length(behaviour) BETWEEN 1 AND 4000),
    situation       TEXT NOT NULL CHECK (length(situation) BETWEEN 1 AND 4000),
    feedback_from   TEXT NOT NULL CHECK (length(feedback_from) BETWEEN 1 AND 4000),
    check_in_date   TIMESTAMP NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

-- The audit page reads newest first within an organisation.
CREATE INDEX audit_log_organization_newest_idx ON audit_log (organization_id, created_at DESC, id DESC);
