-- Version 22: what the quote-to-cash reminders read, from indexes alone. `kith remind`
-- asks every run for the open plan items due up to yesterday and the active contracts
-- ending from today on; without these it read each item and each contract row.
-- The open plan items by due day, with their contracts.
CREATE INDEX plans_open_by_due ON plans(due, contract_id)
    WHERE status IN ('pending', 'partly-paid') AND deleted_at IS NULL;
-- The active contracts by id and by end, with their notice periods.
CREATE INDEX contracts_active ON contracts(id, "end", notice)
    WHERE status = 'active' AND deleted_at IS NULL;
CREATE INDEX contracts_active_by_end ON contracts("end", notice)
    WHERE status = 'active' AND deleted_at IS NULL;
