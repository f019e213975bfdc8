-- Version 3: undo and merge. Every write transaction has a number, kept in `batch` on
-- each change it made (an import is one batch); a change made to undo another batch names
-- it in `undo_of`. Merged records are remembered so the kept one's history includes them.
UPDATE changes SET batch = id WHERE batch IS NULL;
ALTER TABLE changes ADD COLUMN undo_of INTEGER;
CREATE INDEX changes_by_undo ON changes(undo_of) WHERE undo_of IS NOT NULL;
CREATE TABLE merges (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    kept_id    INTEGER NOT NULL,
    merged_id  INTEGER NOT NULL,
    batch      INTEGER NOT NULL,
    at         TEXT NOT NULL,
    user       TEXT NOT NULL
);
CREATE INDEX merges_by_kept ON merges(entity, kept_id);
