-- +goose Up
-- Issue #15: an audit entry made without a dashboard account (an API token,
-- an operator at the command line) names who made it in a column of its own,
-- so the audit log's Who column can say "API token "HRIS sync"" instead of
-- pointing at the details. Empty for an account's entries (actor_user_id
-- names them) and for the system's own (the automatic close, the jobs).
--
-- Entries made before this column held the operator at the end of their
-- detail ("...; by API token "HRIS sync""). Parsing that out differs between
-- the engines, so those rows get a label that points at the detail, and
-- the system's own rows (no "by") stay empty.
ALTER TABLE audit_log ADD COLUMN actor_label TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET actor_label = 'Command line or API token (Details say which)'
    WHERE actor_user_id IS NULL AND (detail LIKE 'by %' OR detail LIKE '%; by %');
