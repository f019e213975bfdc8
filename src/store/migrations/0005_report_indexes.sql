-- Version 5: covering indexes for the reports over the live (not deleted) records:
-- activities per owner and kind (counted per period without reading the activities), per
-- account (last activity, accounts touched) and visits per account (coverage); deals per
-- account with what the customer report sums, closed deals by date (forecast, funnel) and
-- each deal's stage changes in order (funnel).
CREATE INDEX activities_by_owner_kind ON activities(owner, kind, at) WHERE deleted_at IS NULL;
CREATE INDEX activities_live_by_account ON activities(account_id, at) WHERE deleted_at IS NULL;
CREATE INDEX activities_visits_by_account ON activities(account_id, at)
    WHERE deleted_at IS NULL AND kind = 'visit';
CREATE INDEX deals_live_by_account ON deals(account_id, status, closed_at, amount, cost)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_live_by_closed ON deals(status, closed_at, pipeline_id, created_at, amount)
    WHERE deleted_at IS NULL;
CREATE INDEX deal_stage_history_by_deal_id ON deal_stage_history(deal_id, id, to_stage_id, at);
