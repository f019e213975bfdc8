-- Version 6: partial covering indexes for what every start and every cron run reads: open
-- tasks by due date (reminders, Today); open deals per stage with what a board, the
-- pipeline report and the forecast sum (the default pipeline on Today); live deals by stage
-- and amount (a stage's deals by size without sorting them); live activities per deal (a
-- deal's last activity, for stale deals, without reading each activity); and the delivered
-- reminders' keys.
CREATE INDEX deals_live_by_stage ON deals(stage_id, amount) WHERE deleted_at IS NULL;
CREATE INDEX activities_live_by_deal ON activities(deal_id, at) WHERE deleted_at IS NULL;
CREATE INDEX tasks_open_by_due ON tasks(due, id) WHERE done = 0 AND deleted_at IS NULL;
CREATE INDEX deals_open_by_stage ON deals(stage_id, amount, probability, expected_close)
    WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX deliveries_delivered ON deliveries(key) WHERE state = 'delivered';
