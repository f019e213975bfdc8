-- Version 2: reminders. Each reminder occurrence (a task due at a time, an account gone
-- quiet since a date, a birthday in a year) has a key; a run of `kith remind` claims the
-- keys it will deliver, then marks them delivered, or drops the claim when delivery fails.
CREATE TABLE deliveries (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    record_kind  TEXT NOT NULL,
    record_id    INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('claimed', 'delivered')),
    at           TEXT NOT NULL
);
CREATE INDEX deliveries_by_record ON deliveries(record_kind, record_id);
