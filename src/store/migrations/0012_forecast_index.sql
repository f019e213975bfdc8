-- Version 12: the open deals by currency and expected close, with what the forecast sums.
-- The forecast groups them by period and currency; read in this order it sums each day of
-- each currency as it goes and sorts only those few hundred sums, where the index per stage
-- had it sort every open deal (73 ms against 20 ms on the large dataset).
CREATE INDEX deals_open_by_close ON deals(currency, expected_close, amount, probability, stage_id)
    WHERE deleted_at IS NULL AND status = 'open';
