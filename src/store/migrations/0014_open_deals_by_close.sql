-- Version 14: the live deals by status and expected close, those without one last, as a list
-- of one status is ordered. Such a list (the interface opens on the open deals) then reads its
-- first page, and `G` its last, from one end of the index or the other; ordered by a CASE on
-- the status, SQLite had read and sorted every open deal for either (50-60 ms on the large
-- dataset, against 1 ms). It is on lower(status), which only that list's query tests (beside
-- the filter's own test of the status): a filter of more terms, which the filter's test of the
-- status cannot answer from this index, is planned as it was before (by the index of another
-- term), not by walking every open deal in order.
CREATE INDEX deals_live_by_close ON deals(lower(status), expected_close IS NULL, expected_close)
    WHERE deleted_at IS NULL;
