-- Version 24: what the money reports ask of every contract they keep — where it stands,
-- its currency, its owner, its account and number — from an index of the live contracts,
-- not from their wide rows: `report receivables` and `report collections` read them all
-- once, by id, before summing their items.
CREATE INDEX contracts_money ON contracts(id, status, currency, owner, account_id, number)
    WHERE deleted_at IS NULL;
