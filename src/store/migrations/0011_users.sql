-- Version 11: users. Someone who uses kith: the login they act and own records under, the
-- name shown for them, an email, whether they may still act, and whom they report to. A
-- login never changes once made, so the text the `owner` columns, the change log's `user`
-- and the stage history's `user` already hold is the reference to a user (by natural key):
-- every owner and every user those logs name becomes a user whose login and display name
-- are that text, so no stored value changes and nothing is lost. The users are numbered in
-- the order they first appear.
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    login       TEXT NOT NULL UNIQUE CHECK (login <> ''),
    name        TEXT NOT NULL CHECK (name <> ''),
    email       TEXT,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    manager_id  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX users_by_manager ON users(manager_id) WHERE manager_id IS NOT NULL;
CREATE INDEX users_by_name ON users(name COLLATE NOCASE);
CREATE INDEX users_by_email ON users(email COLLATE NOCASE) WHERE email IS NOT NULL;

INSERT INTO users (login, name, created_at, updated_at)
SELECT login, login, min(at), min(at) FROM (
    SELECT owner AS login, created_at AS at FROM accounts
    UNION ALL SELECT owner, created_at FROM contacts
    UNION ALL SELECT owner, created_at FROM leads
    UNION ALL SELECT owner, created_at FROM deals
    UNION ALL SELECT owner, created_at FROM activities
    UNION ALL SELECT owner, created_at FROM tasks
    UNION ALL SELECT user, at FROM changes
    UNION ALL SELECT user, at FROM deal_stage_history
    UNION ALL SELECT user, at FROM merges
)
WHERE login IS NOT NULL AND login <> ''
GROUP BY login
ORDER BY min(at), login;
