-- Version 4: reports. A deal's cost, so customers can be valued by profit, not only by
-- revenue; and an index for reports by close date.
ALTER TABLE deals ADD COLUMN cost REAL CHECK (cost >= 0);
CREATE INDEX deals_by_closed ON deals(status, closed_at);
CREATE INDEX accounts_by_status ON accounts(status, tier);
