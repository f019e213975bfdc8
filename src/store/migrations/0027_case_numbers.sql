-- Version 27: a case is found by its number ignoring case (`kith case show cs-2026-0001`),
-- as quotes, orders, contracts, payments and invoices are; the index of version 25 kept
-- the number's case, so the lookup read every case.
DROP INDEX cases_by_number;
CREATE INDEX cases_by_number ON cases(number COLLATE NOCASE);
