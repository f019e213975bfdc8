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
