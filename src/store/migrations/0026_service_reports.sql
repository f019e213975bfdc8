-- Version 26: what the service report (`kith report service`) reads its periods by. Each
-- count is dated by its own moment — opened, a first response, a resolution, a deadline
-- passed, still unresolved — and each is read from an index on that moment holding what
-- the count needs of a case, so that a year of cases is read without their rows.
CREATE INDEX cases_service_opened ON cases(opened, deleted_at);
CREATE INDEX cases_service_responded ON cases(responded_at, response_minutes, respond_due, deleted_at)
    WHERE responded_at IS NOT NULL;
CREATE INDEX cases_service_resolved ON cases(resolved_at, resolution_minutes, resolve_due, opened, deleted_at)
    WHERE resolved_at IS NOT NULL;
CREATE INDEX cases_service_respond_due ON cases(respond_due, responded_at, deleted_at)
    WHERE respond_due IS NOT NULL;
CREATE INDEX cases_service_resolve_due ON cases(resolve_due, resolved_at, deleted_at)
    WHERE resolve_due IS NOT NULL;
CREATE INDEX cases_service_unresolved ON cases(opened, deleted_at) WHERE resolved_at IS NULL;
CREATE INDEX surveys_service_on ON surveys("on", case_id, score, nps, deleted_at);
