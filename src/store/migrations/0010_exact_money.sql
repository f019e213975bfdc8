-- Version 10: exact money. A deal's amount and cost become whole numbers of
-- ten-thousandths (INTEGER; see `crate::core::money`) instead of floating-point REAL, so
-- sums, comparisons and ordering are exact in SQL too. SQLite cannot change a column's
-- type, so the table is made again with its columns in the same order (cost last, where
-- version 4 put it), every value copied (amounts rounded to the fourth place: what kith
-- wrote had at most two), and its indexes made again. The covering indexes that the board,
-- the reports and the customers report read gain the currency, as every sum is now per
-- currency. Run with foreign keys off (see [`migrate`]), as SQLite's way of changing a
-- table asks.
CREATE TABLE deals_v10 (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (title <> ''),
    account_id      INTEGER REFERENCES accounts(id),
    contact_id      INTEGER REFERENCES contacts(id),
    amount          INTEGER CHECK (amount >= 0),
    currency        TEXT,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id        INTEGER NOT NULL REFERENCES stages(id),
    probability     INTEGER CHECK (probability BETWEEN 0 AND 100),
    expected_close  TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    owner           TEXT,
    source          TEXT,
    competitor      TEXT,
    reason          TEXT,
    closed_at       TEXT,
    tags            TEXT NOT NULL DEFAULT '[]',
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    cost            INTEGER CHECK (cost >= 0)
);
INSERT INTO deals_v10 (id, title, account_id, contact_id, amount, currency, pipeline_id,
                       stage_id, probability, expected_close, status, owner, source,
                       competitor, reason, closed_at, tags, notes, created_at, updated_at,
                       deleted_at, cost)
     SELECT id, title, account_id, contact_id, CAST(round(amount * 10000) AS INTEGER),
            currency, pipeline_id, stage_id, probability, expected_close, status, owner,
            source, competitor, reason, closed_at, tags, notes, created_at, updated_at,
            deleted_at, CAST(round(cost * 10000) AS INTEGER)
       FROM deals ORDER BY id;
DROP TABLE deals;
ALTER TABLE deals_v10 RENAME TO deals;
CREATE INDEX deals_by_account ON deals(account_id);
CREATE INDEX deals_by_stage ON deals(stage_id);
CREATE INDEX deals_by_status_close ON deals(status, expected_close);
CREATE INDEX deals_by_amount ON deals(amount);
CREATE INDEX deals_by_owner ON deals(owner);
CREATE INDEX deals_by_closed ON deals(status, closed_at);
CREATE INDEX deals_live_by_account ON deals(account_id, status, closed_at, amount, cost, currency)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_live_by_closed ON deals(status, closed_at, pipeline_id, created_at, amount, currency)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_live_by_stage ON deals(stage_id, amount) WHERE deleted_at IS NULL;
CREATE INDEX deals_open_by_stage ON deals(stage_id, currency, amount, probability, expected_close)
    WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX deals_open_by_id ON deals(id, expected_close, created_at, account_id, deleted_at, status)
    WHERE deleted_at IS NULL AND status = 'open';
