-- Version 7: the latest live activity of each account and each deal, kept by triggers on
-- activities. The care rules of `kith remind` and the customers report read one row per
-- account or deal here instead of seeking its last activity in an index of millions; only
-- where the latest activity lies after the moment asked about (a planned meeting) do they
-- seek the latest one before it. An insert can only raise a latest activity; any other
-- change (its time, its account or deal, trashing, restoring, deleting) looks the latest
-- one up again for the account and deal it left and joined. Partial covering indexes hold
-- what the care rules read of the accounts they look after and of the open deals, in id
-- order, and the live contacts by birthday, so a cron run reads none of those tables whole;
-- the delivered reminders' keys are indexed by kind and record, the order the rules look
-- them up in (the columns of their WHERE are in
-- them too: SQLite reads the table for a column it does not find in the index).
CREATE INDEX accounts_cared_for ON accounts(id, tier, created_at, deleted_at, status, type)
    WHERE deleted_at IS NULL AND status <> 'lost'
      AND type IN ('customer', 'prospect', 'partner', 'distributor');
CREATE INDEX deals_open_by_id ON deals(id, expected_close, created_at, account_id, deleted_at, status)
    WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX contacts_live_by_birthday ON contacts(substr(birthday, 6))
    WHERE deleted_at IS NULL AND birthday IS NOT NULL;
DROP INDEX deliveries_delivered;
CREATE INDEX deliveries_delivered_by_kind ON deliveries(kind, record_id, key)
    WHERE state = 'delivered';
CREATE TABLE account_last_activity (
    account_id  INTEGER PRIMARY KEY,
    at          TEXT NOT NULL
);
CREATE TABLE deal_last_activity (
    deal_id  INTEGER PRIMARY KEY,
    at       TEXT NOT NULL
);
CREATE TRIGGER activities_last_insert AFTER INSERT ON activities
WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO account_last_activity (account_id, at)
         SELECT NEW.account_id, NEW.at WHERE NEW.account_id IS NOT NULL
        ON CONFLICT (account_id) DO UPDATE SET at = max(at, excluded.at);
    INSERT INTO deal_last_activity (deal_id, at)
         SELECT NEW.deal_id, NEW.at WHERE NEW.deal_id IS NOT NULL
        ON CONFLICT (deal_id) DO UPDATE SET at = max(at, excluded.at);
END;
CREATE TRIGGER activities_last_update AFTER UPDATE OF at, account_id, deal_id, deleted_at ON activities
BEGIN
    DELETE FROM account_last_activity WHERE account_id IN (OLD.account_id, NEW.account_id);
    INSERT INTO account_last_activity (account_id, at)
         SELECT account_id, max(at) FROM activities
          WHERE account_id IN (OLD.account_id, NEW.account_id) AND deleted_at IS NULL
          GROUP BY account_id;
    DELETE FROM deal_last_activity WHERE deal_id IN (OLD.deal_id, NEW.deal_id);
    INSERT INTO deal_last_activity (deal_id, at)
         SELECT deal_id, max(at) FROM activities
          WHERE deal_id IN (OLD.deal_id, NEW.deal_id) AND deleted_at IS NULL
          GROUP BY deal_id;
END;
CREATE TRIGGER activities_last_delete AFTER DELETE ON activities
BEGIN
    DELETE FROM account_last_activity WHERE account_id = OLD.account_id;
    INSERT INTO account_last_activity (account_id, at)
         SELECT account_id, max(at) FROM activities
          WHERE account_id = OLD.account_id AND deleted_at IS NULL
          GROUP BY account_id;
    DELETE FROM deal_last_activity WHERE deal_id = OLD.deal_id;
    INSERT INTO deal_last_activity (deal_id, at)
         SELECT deal_id, max(at) FROM activities
          WHERE deal_id = OLD.deal_id AND deleted_at IS NULL
          GROUP BY deal_id;
END;
