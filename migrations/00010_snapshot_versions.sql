-- +goose Up
-- Each snapshot of a cycle is a numbered version, and a cycle's current
-- snapshot is its highest version (TRUST.md rule 5). A scoring stores
-- "the version after the one I read": the unique key makes two servers that
-- release or re-release the same cycle at once store one version between
-- them, and the other is told, instead of both storing one.
ALTER TABLE score_snapshots ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
-- Snapshots stored before versions existed are numbered in the order the
-- reports read them (newest last: created_at, then the time-ordered id).
UPDATE score_snapshots SET version = (
    SELECT COUNT(*) FROM score_snapshots older
    WHERE older.cycle_id = score_snapshots.cycle_id
      AND (older.created_at < score_snapshots.created_at
           OR (older.created_at = score_snapshots.created_at AND older.id <= score_snapshots.id)));
CREATE UNIQUE INDEX score_snapshots_cycle_version_idx ON score_snapshots (cycle_id, version);

-- A closed cycle's survey links open nothing any more, so the sealed copies
-- of their tokens (kept only to put links into emails) are erased; the
-- hashes stay, so an old link still says that its survey has closed.
-- Closing a cycle now erases them; this erases those of cycles closed before.
UPDATE invitations SET token_sealed = ''
WHERE token_sealed <> '' AND assignment_id IN (
    SELECT a.id FROM rater_assignments a
    JOIN participants p ON p.id = a.participant_id
    JOIN cycles c ON c.id = p.cycle_id
    WHERE c.status IN ('closed', 'released'));
