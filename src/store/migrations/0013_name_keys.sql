-- Names sort by a key kept beside them (src/model/name_order.rs: a Chinese name by its
-- pinyin, among Latin names), indexed with the id so a list in name order pages from the
-- index. SQLite cannot make the key: the step ends by filling it from Rust
-- (src/store/name_keys.rs), in the same transaction.
ALTER TABLE accounts ADD COLUMN name_key TEXT;
ALTER TABLE contacts ADD COLUMN name_key TEXT;
ALTER TABLE leads ADD COLUMN name_key TEXT;
CREATE INDEX accounts_by_name_key ON accounts(name_key, id);
CREATE INDEX contacts_by_name_key ON contacts(name_key, id);
CREATE INDEX leads_by_name_key ON leads(name_key, id);
