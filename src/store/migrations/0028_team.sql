-- Version 28: the team (src/domain/team/). Teams in a tree (销售部 → 华南区), each with a
-- lead; roles saying which records a user sees (own, team, subtree, all; per kind where
-- needed), what they may do and which fields they may not see or change; a user's team,
-- roles and operating-system login; and records shared with a user or a team.
CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    parent_id   INTEGER REFERENCES teams(id),
    lead        TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX teams_by_name ON teams(name COLLATE NOCASE);
CREATE INDEX teams_by_parent ON teams(parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE roles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    scope       TEXT NOT NULL CHECK (scope IN ('own', 'team', 'subtree', 'all')),
    scopes      TEXT,
    rights      TEXT,
    fields      TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX roles_by_name ON roles(name COLLATE NOCASE);

ALTER TABLE users ADD COLUMN team_id INTEGER REFERENCES teams(id);
ALTER TABLE users ADD COLUMN roles TEXT;
ALTER TABLE users ADD COLUMN os_login TEXT;
CREATE INDEX users_by_team ON users(team_id, login) WHERE team_id IS NOT NULL;
CREATE INDEX users_by_os_login ON users(os_login) WHERE os_login IS NOT NULL;

CREATE TABLE shares (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    record      INTEGER NOT NULL,
    user        TEXT,
    team_id     INTEGER REFERENCES teams(id),
    write       INTEGER NOT NULL DEFAULT 0 CHECK (write IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    CHECK ((user IS NULL) <> (team_id IS NULL))
);
CREATE INDEX shares_by_record ON shares(entity, record);
CREATE INDEX shares_by_user ON shares(user, entity) WHERE user IS NOT NULL;
CREATE INDEX shares_by_team ON shares(team_id, entity) WHERE team_id IS NOT NULL;

-- The roles every database starts with. Nobody holds one yet: until a user is given a
-- role, kith is one person's and every user may do everything.
INSERT INTO roles (name, scope, scopes, rights, fields, notes, created_at, updated_at) VALUES
    ('admin', 'all', NULL, 'create, edit, trash, export, transfer, import, administer', NULL,
     'Sees and does everything, and administers users, roles, teams, fields, pipelines and rules.',
     '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z'),
    ('manager', 'subtree', NULL, 'create, edit, trash, export, transfer, import', NULL,
     'Sees the records of their teams and the teams below them; hands records over.',
     '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z'),
    ('rep', 'own', NULL, 'create, edit, trash', NULL,
     'Sees their own records, those shared with them and the shared pool.',
     '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z'),
    ('read-only', 'all', NULL, NULL, NULL,
     'Sees every record and changes none.',
     '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z');
