//! Versioned migrations. Each entry of [`STEPS`] is one step; the version lives in SQLite's
//! `user_version`. Never edit a released step: add a new one.
//!
//! The steps run in one `BEGIN IMMEDIATE` transaction that reads the version only once it
//! holds the write lock, so two kith processes opening a new file at the same moment
//! cannot both create the schema (rusqlite_migration reads the version before it locks,
//! which races exactly there).

use rusqlite::{Connection, TransactionBehavior};

/// Version 1: the sales core.
const V1: &str = r#"
CREATE TABLE pipelines (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);

CREATE TABLE stages (
    id           INTEGER PRIMARY KEY,
    pipeline_id  INTEGER NOT NULL REFERENCES pipelines(id),
    name         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    probability  INTEGER NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
    outcome      TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'won', 'lost')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX stages_by_pipeline ON stages(pipeline_id, position);

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    kind        TEXT NOT NULL DEFAULT 'company' CHECK (kind IN ('company', 'person')),
    type        TEXT NOT NULL DEFAULT 'prospect',
    tier        TEXT CHECK (tier IN ('A', 'B', 'C')),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dormant', 'lost')),
    industry    TEXT,
    owner       TEXT,
    parent_id   INTEGER REFERENCES accounts(id),
    phone       TEXT,
    email       TEXT,
    website     TEXT,
    address     TEXT,
    city        TEXT,
    region      TEXT,
    country     TEXT,
    source      TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX accounts_by_name ON accounts(name COLLATE NOCASE);
CREATE INDEX accounts_by_owner ON accounts(owner);
CREATE INDEX accounts_by_parent ON accounts(parent_id);
CREATE INDEX accounts_by_tier ON accounts(tier);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    account_id  INTEGER REFERENCES accounts(id),
    title       TEXT,
    role        TEXT,
    emails      TEXT NOT NULL DEFAULT '[]',
    phones      TEXT NOT NULL DEFAULT '[]',
    birthday    TEXT,
    owner       TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX contacts_by_name ON contacts(name COLLATE NOCASE);
CREATE INDEX contacts_by_account ON contacts(account_id);
CREATE INDEX contacts_by_birthday ON contacts(substr(birthday, 6));

CREATE TABLE leads (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL CHECK (name <> ''),
    company               TEXT,
    title                 TEXT,
    email                 TEXT,
    phone                 TEXT,
    source                TEXT,
    status                TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'contacted', 'qualified', 'converted', 'disqualified')),
    score                 INTEGER CHECK (score BETWEEN 0 AND 100),
    owner                 TEXT,
    tags                  TEXT NOT NULL DEFAULT '[]',
    notes                 TEXT,
    converted_account_id  INTEGER REFERENCES accounts(id),
    converted_contact_id  INTEGER REFERENCES contacts(id),
    converted_deal_id     INTEGER REFERENCES deals(id),
    converted_at          TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    deleted_at            TEXT
);
CREATE INDEX leads_by_name ON leads(name COLLATE NOCASE);
CREATE INDEX leads_by_status ON leads(status);
CREATE INDEX leads_by_source ON leads(source);

CREATE TABLE deals (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (title <> ''),
    account_id      INTEGER REFERENCES accounts(id),
    contact_id      INTEGER REFERENCES contacts(id),
    amount          REAL CHECK (amount >= 0),
    currency        TEXT,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id        INTEGER NOT NULL REFERENCES stages(id),
    probability     INTEGER CHECK (probability BETWEEN 0 AND 100),
    expected_close  TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    owner           TEXT,
    source          TEXT,
    competitor      TEXT,
    reason          TEXT,
    closed_at       TEXT,
    tags            TEXT NOT NULL DEFAULT '[]',
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX deals_by_account ON deals(account_id);
CREATE INDEX deals_by_stage ON deals(stage_id);
CREATE INDEX deals_by_status_close ON deals(status, expected_close);
CREATE INDEX deals_by_amount ON deals(amount);
CREATE INDEX deals_by_owner ON deals(owner);

-- Every stage a deal entered, when and by whom: the base of funnel and velocity reports.
CREATE TABLE deal_stage_history (
    id             INTEGER PRIMARY KEY,
    deal_id        INTEGER NOT NULL REFERENCES deals(id),
    from_stage_id  INTEGER REFERENCES stages(id),
    to_stage_id    INTEGER NOT NULL REFERENCES stages(id),
    at             TEXT NOT NULL,
    user           TEXT NOT NULL
);
CREATE INDEX deal_stage_history_by_deal ON deal_stage_history(deal_id, at);
CREATE INDEX deal_stage_history_by_stage ON deal_stage_history(to_stage_id, at);

CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('call', 'visit', 'meeting', 'email', 'note')),
    subject     TEXT NOT NULL CHECK (subject <> ''),
    at          TEXT NOT NULL,
    body        TEXT,
    outcome     TEXT,
    minutes     INTEGER CHECK (minutes >= 0),
    account_id  INTEGER REFERENCES accounts(id),
    contact_id  INTEGER REFERENCES contacts(id),
    lead_id     INTEGER REFERENCES leads(id),
    deal_id     INTEGER REFERENCES deals(id),
    owner       TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX activities_by_at ON activities(at);
CREATE INDEX activities_by_account ON activities(account_id, at);
CREATE INDEX activities_by_contact ON activities(contact_id, at);
CREATE INDEX activities_by_lead ON activities(lead_id, at);
CREATE INDEX activities_by_deal ON activities(deal_id, at);
CREATE INDEX activities_by_owner ON activities(owner, at);

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL CHECK (title <> ''),
    due          TEXT,
    priority     TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    done         INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    done_at      TEXT,
    account_id   INTEGER REFERENCES accounts(id),
    contact_id   INTEGER REFERENCES contacts(id),
    lead_id      INTEGER REFERENCES leads(id),
    deal_id      INTEGER REFERENCES deals(id),
    owner        TEXT,
    tags         TEXT NOT NULL DEFAULT '[]',
    notes        TEXT,
    recurrence   TEXT,
    parent_id    INTEGER REFERENCES tasks(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX tasks_by_due ON tasks(done, due);
CREATE INDEX tasks_by_account ON tasks(account_id);
CREATE INDEX tasks_by_contact ON tasks(contact_id);
CREATE INDEX tasks_by_lead ON tasks(lead_id);
CREATE INDEX tasks_by_deal ON tasks(deal_id);
CREATE INDEX tasks_by_owner ON tasks(owner, done, due);

-- The change log: every write, who made it, when, and the values before and after.
CREATE TABLE changes (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user       TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('create', 'update', 'trash', 'restore')),
    entity     TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    before     TEXT,
    after      TEXT,
    batch      INTEGER
);
CREATE INDEX changes_by_record ON changes(entity, record_id, id);
CREATE INDEX changes_by_user ON changes(user, id);
CREATE INDEX changes_by_batch ON changes(batch) WHERE batch IS NOT NULL;
"#;

/// Version 2: reminders. Each reminder occurrence (a task due at a time, an account gone
/// quiet since a date, a birthday in a year) has a key; a run of `kith remind` claims the
/// keys it will deliver, then marks them delivered, or drops the claim when delivery fails.
const V2: &str = r#"
CREATE TABLE deliveries (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    record_kind  TEXT NOT NULL,
    record_id    INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('claimed', 'delivered')),
    at           TEXT NOT NULL
);
CREATE INDEX deliveries_by_record ON deliveries(record_kind, record_id);
"#;

/// Version 3: undo and merge. Every write transaction has a number, kept in `batch` on
/// each change it made (an import is one batch); a change made to undo another batch names
/// it in `undo_of`. Merged records are remembered so the kept one's history includes them.
const V3: &str = r#"
UPDATE changes SET batch = id WHERE batch IS NULL;
ALTER TABLE changes ADD COLUMN undo_of INTEGER;
CREATE INDEX changes_by_undo ON changes(undo_of) WHERE undo_of IS NOT NULL;
CREATE TABLE merges (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    kept_id    INTEGER NOT NULL,
    merged_id  INTEGER NOT NULL,
    batch      INTEGER NOT NULL,
    at         TEXT NOT NULL,
    user       TEXT NOT NULL
);
CREATE INDEX merges_by_kept ON merges(entity, kept_id);
"#;

/// Version 4: reports. A deal's cost, so customers can be valued by profit, not only by
/// revenue; and an index for reports by close date.
const V4: &str = r#"
ALTER TABLE deals ADD COLUMN cost REAL CHECK (cost >= 0);
CREATE INDEX deals_by_closed ON deals(status, closed_at);
CREATE INDEX accounts_by_status ON accounts(status, tier);
"#;

/// Version 5: covering indexes for the reports over the live (not deleted) records:
/// activities per owner and kind (counted per period without reading the activities), per
/// account (last activity, accounts touched) and visits per account (coverage); deals per
/// account with what the customer report sums, closed deals by date (forecast, funnel) and
/// each deal's stage changes in order (funnel).
const V5: &str = r#"
CREATE INDEX activities_by_owner_kind ON activities(owner, kind, at) WHERE deleted_at IS NULL;
CREATE INDEX activities_live_by_account ON activities(account_id, at) WHERE deleted_at IS NULL;
CREATE INDEX activities_visits_by_account ON activities(account_id, at)
    WHERE deleted_at IS NULL AND kind = 'visit';
CREATE INDEX deals_live_by_account ON deals(account_id, status, closed_at, amount, cost)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_live_by_closed ON deals(status, closed_at, pipeline_id, created_at, amount)
    WHERE deleted_at IS NULL;
CREATE INDEX deal_stage_history_by_deal_id ON deal_stage_history(deal_id, id, to_stage_id, at);
"#;

/// Version 6: partial covering indexes for what every start and every cron run reads: open
/// tasks by due date (reminders, Today); open deals per stage with what a board, the
/// pipeline report and the forecast sum (the default pipeline on Today); live deals by stage
/// and amount (a stage's deals by size without sorting them); live activities per deal (a
/// deal's last activity, for stale deals, without reading each activity); and the delivered
/// reminders' keys.
const V6: &str = r#"
CREATE INDEX deals_live_by_stage ON deals(stage_id, amount) WHERE deleted_at IS NULL;
CREATE INDEX activities_live_by_deal ON activities(deal_id, at) WHERE deleted_at IS NULL;
CREATE INDEX tasks_open_by_due ON tasks(due, id) WHERE done = 0 AND deleted_at IS NULL;
CREATE INDEX deals_open_by_stage ON deals(stage_id, amount, probability, expected_close)
    WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX deliveries_delivered ON deliveries(key) WHERE state = 'delivered';
"#;

/// Fill the last-activity tables from the activities (version 7; a bulk load, which drops
/// their triggers while it runs).
macro_rules! last_activity_rebuild {
    () => {
        r#"
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
"#
    };
}

/// Version 7: the latest live activity of each account and each deal, kept by triggers on
/// activities. The care rules of `kith remind` and the customers report read one row per
/// account or deal here instead of seeking its last activity in an index of millions; only
/// where the latest activity lies after the moment asked about (a planned meeting) do they
/// seek the latest one before it. An insert can only raise a latest activity; any other
/// change (its time, its account or deal, trashing, restoring, deleting) looks the latest
/// one up again for the account and deal it left and joined. Partial covering indexes hold
/// what the care rules read of the accounts they look after and of the open deals, in id
/// order, and the live contacts by birthday, so a cron run reads none of those tables whole;
/// the delivered reminders' keys are indexed by kind and record, the order the rules look
/// them up in (the columns of their WHERE are in
/// them too: SQLite reads the table for a column it does not find in the index).
const V7: &str = concat!(
    r#"
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
"#,
    last_activity_rebuild!()
);

/// Version 9: the index of duplicate keys (see `super::dupe_index`): each account's,
/// contact's and lead's emails in lower case, phones' last 8 digits, an account's domain
/// and the name key, one row each, so a new record's duplicates are found by a few lookups
/// instead of a scan. Filled by [`migrate`] from the records (the keys are made in Rust).
const V9: &str = r#"
CREATE TABLE dupe_keys (
    entity     TEXT NOT NULL,
    key        TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    PRIMARY KEY (entity, key, record_id)
) WITHOUT ROWID;
"#;

/// The version whose step made the index of duplicate keys, filled after the steps.
const DUPE_KEYS_VERSION: usize = 9;

/// Refill the last-activity tables from the activities.
pub const LAST_ACTIVITY_REBUILD: &str = last_activity_rebuild!();

/// Version 8: a contact's vCard UID, kept from the card it was imported from, written back
/// out on export, and matched on (case-insensitively, as filters compare text) when the
/// address book is imported again.
const V8: &str = r#"
ALTER TABLE contacts ADD COLUMN uid TEXT;
CREATE INDEX contacts_by_uid ON contacts(uid COLLATE NOCASE) WHERE uid IS NOT NULL;
"#;

/// Version 10: exact money. A deal's amount and cost become whole numbers of
/// ten-thousandths (INTEGER; see `crate::core::money`) instead of floating-point REAL, so
/// sums, comparisons and ordering are exact in SQL too. SQLite cannot change a column's
/// type, so the table is made again with its columns in the same order (cost last, where
/// version 4 put it), every value copied (amounts rounded to the fourth place: what kith
/// wrote had at most two), and its indexes made again. The covering indexes that the board,
/// the reports and the customers report read gain the currency, as every sum is now per
/// currency. Run with foreign keys off (see [`migrate`]), as SQLite's way of changing a
/// table asks.
const V10: &str = r#"
CREATE TABLE deals_v10 (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (title <> ''),
    account_id      INTEGER REFERENCES accounts(id),
    contact_id      INTEGER REFERENCES contacts(id),
    amount          INTEGER CHECK (amount >= 0),
    currency        TEXT,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id        INTEGER NOT NULL REFERENCES stages(id),
    probability     INTEGER CHECK (probability BETWEEN 0 AND 100),
    expected_close  TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    owner           TEXT,
    source          TEXT,
    competitor      TEXT,
    reason          TEXT,
    closed_at       TEXT,
    tags            TEXT NOT NULL DEFAULT '[]',
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    cost            INTEGER CHECK (cost >= 0)
);
INSERT INTO deals_v10 (id, title, account_id, contact_id, amount, currency, pipeline_id,
                       stage_id, probability, expected_close, status, owner, source,
                       competitor, reason, closed_at, tags, notes, created_at, updated_at,
                       deleted_at, cost)
     SELECT id, title, account_id, contact_id, CAST(round(amount * 10000) AS INTEGER),
            currency, pipeline_id, stage_id, probability, expected_close, status, owner,
            source, competitor, reason, closed_at, tags, notes, created_at, updated_at,
            deleted_at, CAST(round(cost * 10000) AS INTEGER)
       FROM deals ORDER BY id;
DROP TABLE deals;
ALTER TABLE deals_v10 RENAME TO deals;
CREATE INDEX deals_by_account ON deals(account_id);
CREATE INDEX deals_by_stage ON deals(stage_id);
CREATE INDEX deals_by_status_close ON deals(status, expected_close);
CREATE INDEX deals_by_amount ON deals(amount);
CREATE INDEX deals_by_owner ON deals(owner);
CREATE INDEX deals_by_closed ON deals(status, closed_at);
CREATE INDEX deals_live_by_account ON deals(account_id, status, closed_at, amount, cost, currency)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_live_by_closed ON deals(status, closed_at, pipeline_id, created_at, amount, currency)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_live_by_stage ON deals(stage_id, amount) WHERE deleted_at IS NULL;
CREATE INDEX deals_open_by_stage ON deals(stage_id, currency, amount, probability, expected_close)
    WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX deals_open_by_id ON deals(id, expected_close, created_at, account_id, deleted_at, status)
    WHERE deleted_at IS NULL AND status = 'open';
"#;

/// The steps, oldest first; step N brings the schema to version N.
pub const STEPS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10];

/// What [`migrate`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    UpToDate,
    Migrated {
        from: usize,
        to: usize,
    },
    /// The file was written by a newer kith.
    Newer(usize),
}

/// Bring the schema up to date, all steps or none.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<Outcome> {
    // Up to date (nearly always): known from a read, without taking the write lock. Else
    // the version is read again under the lock, so two first runs cannot both migrate.
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    match version.max(0) as usize {
        v if v == STEPS.len() => return Ok(Outcome::UpToDate),
        v if v > STEPS.len() => return Ok(Outcome::Newer(v)),
        _ => {}
    }
    // Making a table again (version 10) drops the old one, which foreign keys would refuse
    // while other tables point at it: they are off for the migration (the pragma is a no-op
    // inside a transaction, so it is set before) and put back after.
    let foreign_keys: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    if foreign_keys {
        conn.pragma_update(None, "foreign_keys", false)?;
    }
    let outcome = migrate_steps(conn);
    if foreign_keys {
        conn.pragma_update(None, "foreign_keys", true)?;
    }
    outcome
}

fn migrate_steps(conn: &mut Connection) -> rusqlite::Result<Outcome> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let version = version.max(0) as usize;
    if version > STEPS.len() {
        return Ok(Outcome::Newer(version));
    }
    if version == STEPS.len() {
        return Ok(Outcome::UpToDate);
    }
    for step in &STEPS[version..] {
        tx.execute_batch(step)?;
    }
    if version < DUPE_KEYS_VERSION {
        super::dupe_index::rebuild(&tx)?;
    }
    tx.pragma_update(None, "user_version", STEPS.len() as i64)?;
    tx.commit()?;
    Ok(Outcome::Migrated {
        from: version,
        to: STEPS.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_gets_every_step_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(
            migrate(&mut conn).unwrap(),
            Outcome::Migrated {
                from: 0,
                to: STEPS.len()
            }
        );
        assert_eq!(migrate(&mut conn).unwrap(), Outcome::UpToDate);
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n >= 9, "{n} tables");
    }

    #[test]
    fn a_version_1_database_is_upgraded_with_its_data() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO accounts (name, created_at, updated_at) VALUES ('Acme', 'x', 'x')",
            [],
        )
        .unwrap();
        assert_eq!(
            migrate(&mut conn).unwrap(),
            Outcome::Migrated {
                from: 1,
                to: STEPS.len()
            }
        );
        let name: String = conn
            .query_row("SELECT name FROM accounts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Acme");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM deliveries", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        // Changes made before version 3 each count as their own batch.
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(V1).unwrap();
        conn.execute_batch(V2).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "INSERT INTO changes (at, user, op, entity, record_id) VALUES ('x', 'u', 'create', 'account', 1)",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let batch: i64 = conn
            .query_row("SELECT batch FROM changes WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(batch, 1);
    }

    #[test]
    fn version_7_fills_the_latest_activities_of_a_version_6_file() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..6] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (id, name, created_at, updated_at) VALUES (1, 'Acme', 'x', 'x');
             INSERT INTO accounts (id, name, created_at, updated_at) VALUES (2, 'Bolt', 'x', 'x');
             INSERT INTO activities (kind, subject, at, account_id, created_at, updated_at, deleted_at)
             VALUES ('call', 'a', '2026-01-02T10:00:00', 1, 'x', 'x', NULL),
                    ('call', 'b', '2026-03-04T10:00:00', 1, 'x', 'x', NULL),
                    ('call', 'c', '2026-05-06T10:00:00', 1, 'x', 'x', 'trashed'),
                    ('call', 'd', '2026-05-06T10:00:00', 2, 'x', 'x', 'trashed');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let latest = |conn: &Connection| -> Vec<(i64, String)> {
            conn.prepare("SELECT account_id, at FROM account_last_activity ORDER BY 1")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        assert_eq!(latest(&conn), vec![(1, "2026-03-04T10:00:00".to_string())]);
        // From here the triggers keep it: a later insert raises it, a trash lowers it.
        conn.execute_batch(
            "INSERT INTO activities (kind, subject, at, account_id, created_at, updated_at)
             VALUES ('call', 'e', '2026-07-08T10:00:00', 2, 'x', 'x');
             UPDATE activities SET deleted_at = 'trashed' WHERE subject = 'b';",
        )
        .unwrap();
        assert_eq!(
            latest(&conn),
            vec![
                (1, "2026-01-02T10:00:00".to_string()),
                (2, "2026-07-08T10:00:00".to_string())
            ]
        );
    }

    #[test]
    fn version_10_turns_a_version_9_files_amounts_into_exact_minor_units() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        for step in &STEPS[..9] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 9).unwrap();
        conn.execute_batch(
            "INSERT INTO pipelines (id, name, created_at, updated_at) VALUES (1, 'p', 'x', 'x');
             INSERT INTO stages (id, pipeline_id, name, position, created_at, updated_at)
                  VALUES (1, 1, 's', 0, 'x', 'x');
             INSERT INTO deals (id, title, amount, cost, currency, pipeline_id, stage_id, created_at, updated_at)
                  VALUES (1, 'a', 19.99, 0.1, 'USD', 1, 1, 'x', 'x'),
                         (2, 'b', 1234567.89, NULL, 'CNY', 1, 1, 'x', 'x'),
                         (3, 'c', NULL, 0.30000000000000004, NULL, 1, 1, 'x', 'x');
             INSERT INTO activities (kind, subject, at, deal_id, created_at, updated_at)
                  VALUES ('call', 'hi', '2026-01-01T10:00:00', 2, 'x', 'x');",
        )
        .unwrap();
        assert_eq!(
            migrate(&mut conn).unwrap(),
            Outcome::Migrated {
                from: 9,
                to: STEPS.len()
            }
        );
        let rows: Vec<(i64, Option<i64>, Option<i64>, String)> = conn
            .prepare("SELECT id, amount, cost, typeof(amount) FROM deals ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (1, Some(199_900), Some(1_000), "integer".to_string()),
                (2, Some(12_345_678_900), None, "integer".to_string()),
                (3, None, Some(3_000), "null".to_string()),
            ]
        );
        // The activity still points at its deal; foreign keys are on again.
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let broken: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(broken, 0);
        let ty: String = conn
            .query_row(
                "SELECT type FROM pragma_table_info('deals') WHERE name = 'amount'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(ty, "INTEGER");
    }

    #[test]
    fn version_8_gives_a_version_7_files_contacts_no_uid() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..7] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute(
            "INSERT INTO contacts (name, created_at, updated_at) VALUES ('Jane', 'x', 'x')",
            [],
        )
        .unwrap();
        assert_eq!(
            migrate(&mut conn).unwrap(),
            Outcome::Migrated {
                from: 7,
                to: STEPS.len()
            }
        );
        let uid: Option<String> = conn
            .query_row("SELECT uid FROM contacts WHERE name = 'Jane'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(uid, None);
        conn.execute("UPDATE contacts SET uid = 'ABC-1' WHERE name = 'Jane'", [])
            .unwrap();
        // The lookup a re-import makes is answered from the index.
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE uid = 'abc-1' COLLATE NOCASE",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("contacts_by_uid"), "{plan}");
    }

    #[test]
    fn version_9_fills_the_duplicate_keys_of_a_version_7_file() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..7] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (id, name, email, website, created_at, updated_at)
             VALUES (1, 'Acme Co., Ltd.', 'Info@Acme.com', NULL, 'x', 'x');
             INSERT INTO contacts (id, name, account_id, emails, phones, created_at, updated_at)
             VALUES (1, '王芳', 1, '[\"W@B.cn\"]', '[\"+86 20 3606-6999\"]', 'x', 'x');
             INSERT INTO leads (id, name, company, created_at, updated_at)
             VALUES (1, 'Li Lei', 'BOLT', 'x', 'x');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let keys: Vec<(String, String, i64)> = conn
            .prepare("SELECT entity, key, record_id FROM dupe_keys ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let want = |e: &str, k: &str| (e.to_string(), k.to_string(), 1);
        assert_eq!(
            keys,
            vec![
                want("account", "d:acme.com"),
                want("account", "e:info@acme.com"),
                want("account", "n:acme\u{1f}"),
                want("contact", "e:w@b.cn"),
                want("contact", "n:王芳\u{1f}1"),
                want("contact", "p:36066999"),
                want("lead", "n:lilei\u{1f}bolt"),
            ]
        );
    }

    #[test]
    fn a_newer_file_is_reported() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), Outcome::Newer(99));
    }
}
