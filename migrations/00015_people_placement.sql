-- +goose Up
-- Where a person sits in the organisation, for the organisation view's
-- groups and filters: department, their manager's email and location.
-- Optional, so empty rather than NULL; set by the rater CSV import.
ALTER TABLE people ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN manager_email TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN location TEXT NOT NULL DEFAULT '';
