-- +goose Up
CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (name);

-- A person can lead in one cycle and rate in another; the email is stored
-- lower-cased so one address is one person.
CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email           TEXT NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (organization_id, email)
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email           TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'leader')),
    person_id       TEXT REFERENCES people (id),
    created_at      TIMESTAMP NOT NULL
);

-- Instruments are immutable: a new wording is a new version. The definition
-- is the whole questionnaire as JSON; organization_id is NULL for the
-- built-in ones every organisation may use.
CREATE TABLE instruments (
    id              TEXT PRIMARY KEY,
    organization_id TEXT REFERENCES organizations (id),
    key             TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    name            TEXT NOT NULL,
    definition      TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (key, version)
);

CREATE TABLE cycles (
    id                  TEXT PRIMARY KEY,
    organization_id     TEXT NOT NULL REFERENCES organizations (id),
    instrument_id       TEXT NOT NULL REFERENCES instruments (id),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    opens_at            TIMESTAMP NOT NULL,
    closes_at           TIMESTAMP NOT NULL,
    anonymity_threshold INTEGER NOT NULL CHECK (anonymity_threshold >= 3),
    reminder_days       TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'released')),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX cycles_organization_idx ON cycles (organization_id);

CREATE TABLE participants (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    cycle_id        TEXT NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    person_id       TEXT NOT NULL REFERENCES people (id),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (cycle_id, person_id)
);

-- Who was asked. Kept apart from responses (what was said) so a person's
-- identity can be erased without touching anonymous results.
CREATE TABLE rater_assignments (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    participant_id  TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    person_id       TEXT NOT NULL REFERENCES people (id),
    relationship    TEXT NOT NULL CHECK (relationship IN ('self', 'manager', 'peer', 'direct_report', 'other')),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (participant_id, person_id)
);
CREATE UNIQUE INDEX rater_assignments_one_self ON rater_assignments (participant_id) WHERE relationship = 'self';
CREATE INDEX rater_assignments_person_idx ON rater_assignments (person_id);

-- Only the SHA-256 of a survey token is stored (hex). A resend revokes the
-- old invitation, so at most one live invitation exists per assignment.
CREATE TABLE invitations (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    assignment_id   TEXT NOT NULL REFERENCES rater_assignments (id) ON DELETE CASCADE,
    token_hash      TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    sent_at         TIMESTAMP,
    reminded_at     TIMESTAMP,
    revoked_at      TIMESTAMP,
    failed_at       TIMESTAMP,
    failure         TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX invitations_one_live ON invitations (assignment_id) WHERE revoked_at IS NULL;

-- What was said: one response per assignment, with an optimistic version.
CREATE TABLE responses (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    assignment_id   TEXT NOT NULL UNIQUE REFERENCES rater_assignments (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    version         INTEGER NOT NULL CHECK (version >= 1),
    submitted_at    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CHECK ((status = 'submitted' AND submitted_at IS NOT NULL) OR (status = 'draft' AND submitted_at IS NULL))
);

-- A NULL value is "not observed": missing data, never a zero.
CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    item_key    TEXT NOT NULL CHECK (length(item_key) BETWEEN 1 AND 100),
    value       INTEGER CHECK (value BETWEEN 1 AND 5),
    PRIMARY KEY (response_id, item_key)
);

CREATE TABLE comments (
    response_id  TEXT NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_key TEXT NOT NULL CHECK (length(question_key) BETWEEN 1 AND 100),
    body         TEXT NOT NULL CHECK (length(body) <= 4000),
    PRIMARY KEY (response_id, question_key)
);
