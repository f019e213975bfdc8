-- Version 17: phones are compared as numbers (src/core/phones.rs), so `+86 138 0013 8000`
-- and `13800138000` are one number and `138 0013 8000` and `139 0013 8000` are two; the
-- index of duplicate keys holds a phone's last 7 digits (it held the last 8). The old
-- phone entries go here; [`migrate`] makes the whole index again from the records (the
-- keys are made in Rust), in the same transaction.
DELETE FROM dupe_keys WHERE key LIKE 'p:%';
