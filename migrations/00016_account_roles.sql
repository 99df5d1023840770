-- +goose Up
-- Roles belong to the account: one account may be an admin, a leader, or
-- both. Before, an HR admin who was also assessed kept one admin account and
-- could not reach their own leader pages with the same sign-in. The one
-- role column becomes two flags; an account with neither (an admin whose
-- role was removed) signs in nowhere but stays, so the audit log keeps
-- naming who did what.
--
-- role's CHECK is a constraint of that column alone, which both engines
-- drop with the column (SQLite refuses DROP COLUMN only for a column named
-- in another column's or the table's CHECK), so users is not rebuilt.
ALTER TABLE users ADD COLUMN admin BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN leader BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET admin = (role = 'admin'), leader = (role = 'leader');
ALTER TABLE users DROP COLUMN role;

-- When the account last signed in, for the admins page; NULL before the
-- first sign-in.
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP;
