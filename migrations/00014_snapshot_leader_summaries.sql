-- +goose Up
-- What the results table shows of each leader besides the focus skill,
-- written with it at release: how many people answered in each shown group
-- (JSON, group name to count, as the report's "Who responded" counts them)
-- and the skills flagged as blind spots (JSON array of skill keys). Reading
-- them from here instead of decoding every leader's result keeps the table
-- of a 1,000-leader cycle one small query. NULL for rows recorded before
-- this migration: the table then reads the snapshot itself.
ALTER TABLE score_snapshot_focus ADD COLUMN raters TEXT;
ALTER TABLE score_snapshot_focus ADD COLUMN blind_spots TEXT;
