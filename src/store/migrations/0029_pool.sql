-- Version 29: the shared pool (公海). An account with no owner is in the pool; the moves in
-- and out of it (a claim, a release, a recycling by `kith pool sweep`) are kept in
-- pool_moves with their reason (a release's words, a recycling's rule and its days), the write's batch in the change log beside them, so that
-- the pool list can say when and why an account fell back and who had it, and the caps
-- can count a rep's claims of a day and the day an account left a rep. A locked account
-- (account_locks: who locked it, when) is never recycled. The sweep reads, in one pass,
-- each owned account's latest activity (account_last_activity), latest new deal, latest
-- win, open deals and last claim, each from an index.
CREATE TABLE pool_moves (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('claim', 'release', 'recycle')),
    from_owner  TEXT,
    to_owner    TEXT,
    reason      TEXT,
    rule        TEXT,
    days        INTEGER,
    at          TEXT NOT NULL,
    user        TEXT NOT NULL,
    batch       INTEGER
);
CREATE INDEX pool_moves_by_account ON pool_moves(account_id, id);
CREATE INDEX pool_moves_claims_by_user ON pool_moves(user, at) WHERE kind = 'claim';
CREATE INDEX pool_moves_by_from_owner ON pool_moves(from_owner, account_id, at)
    WHERE from_owner IS NOT NULL;
CREATE TABLE account_locks (
    account_id  INTEGER PRIMARY KEY,
    login       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX account_locks_by_login ON account_locks(login);
CREATE INDEX accounts_live_by_owner ON accounts(owner, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_live_by_account_created ON deals(account_id, created_at)
    WHERE deleted_at IS NULL;
