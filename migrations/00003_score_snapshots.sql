-- +goose Up
-- A snapshot is one immutable scoring of a cycle: every report, export and
-- API answer reads one, and re-scoring inserts a new one (TRUST.md rule 5).
-- result is the engine's JSON without its leaders; each leader's JSON is a
-- row of score_snapshot_leaders, because a 10,000-leader result is about
-- 690 MB of JSON (PostgreSQL caps one value at 1 GB) and a report needs one
-- leader, not all of them.
CREATE TABLE score_snapshots (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations (id),
    cycle_id           TEXT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    engine_version     TEXT NOT NULL CHECK (length(engine_version) BETWEEN 1 AND 50),
    instrument_key     TEXT NOT NULL,
    instrument_version INTEGER NOT NULL CHECK (instrument_version >= 1),
    input_hash         TEXT NOT NULL CHECK (length(input_hash) = 64),
    result             TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX score_snapshots_cycle_idx ON score_snapshots (cycle_id, created_at);

CREATE TABLE score_snapshot_leaders (
    snapshot_id    TEXT NOT NULL REFERENCES score_snapshots (id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL,
    result         TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, participant_id)
);
