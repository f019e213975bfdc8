-- Fill the last-activity tables from the activities (version 7; a bulk load, which drops
-- their triggers while it runs).
DELETE FROM account_last_activity;
INSERT INTO account_last_activity (account_id, at)
     SELECT account_id, max(at) FROM activities INDEXED BY activities_live_by_account
      WHERE account_id IS NOT NULL AND deleted_at IS NULL
      GROUP BY account_id;
DELETE FROM deal_last_activity;
INSERT INTO deal_last_activity (deal_id, at)
     SELECT deal_id, max(at) FROM activities INDEXED BY activities_live_by_deal
      WHERE deal_id IS NOT NULL AND deleted_at IS NULL
      GROUP BY deal_id;
