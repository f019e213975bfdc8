-- Version 21: exchange rates (汇率; src/domain/commerce/rates.rs). A rate says how many
-- units of to_currency one unit of from_currency is worth from its day on, until the next
-- rate of the pair; it is a whole number of hundred-millionths (crate::core::exchange):
-- 7.12 is 712000000. Rates are kept, not records users own: no owner, no custom fields.
CREATE TABLE rates (
    id             INTEGER PRIMARY KEY,
    from_currency  TEXT NOT NULL CHECK (length(from_currency) = 3),
    to_currency    TEXT NOT NULL CHECK (length(to_currency) = 3),
    day            TEXT NOT NULL,
    rate           INTEGER NOT NULL CHECK (rate > 0),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    CHECK (from_currency <> to_currency)
);
-- The rate in effect for a pair on a day is the latest of the pair on or before it.
CREATE INDEX rates_by_pair ON rates(from_currency, to_currency, day);
