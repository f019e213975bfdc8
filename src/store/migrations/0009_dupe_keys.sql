-- Version 9: the index of duplicate keys (see `super::dupe_index`): each account's,
-- contact's and lead's emails in lower case, phones' last 8 digits, an account's domain
-- and the name key, one row each, so a new record's duplicates are found by a few lookups
-- instead of a scan. Filled by [`migrate`] from the records (the keys are made in Rust).
CREATE TABLE dupe_keys (
    entity     TEXT NOT NULL,
    key        TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    PRIMARY KEY (entity, key, record_id)
) WITHOUT ROWID;
