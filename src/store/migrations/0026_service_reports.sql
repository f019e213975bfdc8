-- Version 26: what the service report (`kith report service`) reads its periods by. Each
-- count is dated by its own moment — a first response, a deadline passed, a case still
-- unresolved at the period's end — and each is found from an index on that moment rather
-- than by reading every case.
CREATE INDEX cases_by_responded ON cases(responded_at) WHERE responded_at IS NOT NULL;
CREATE INDEX cases_by_respond_due ON cases(respond_due) WHERE respond_due IS NOT NULL;
CREATE INDEX cases_by_resolve_due ON cases(resolve_due) WHERE resolve_due IS NOT NULL;
CREATE INDEX cases_unresolved ON cases(opened) WHERE resolved_at IS NULL;
