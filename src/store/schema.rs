//! Versioned migrations. Each entry of [`STEPS`] is one step, a `.sql` file of
//! `migrations/`; the version lives in SQLite's `user_version`. Never edit a released step:
//! add a new file and name it in [`STEPS`].
//!
//! The steps run in one `BEGIN IMMEDIATE` transaction that reads the version only once it
//! holds the write lock, so two kith processes opening a new file at the same moment
//! cannot both create the schema (rusqlite_migration reads the version before it locks,
//! which races exactly there).

use rusqlite::{Connection, TransactionBehavior};

/// The steps, oldest first; step N brings the schema to version N. Each step is a file of
/// `migrations/`, named by its number and what it brings, whose comment says why.
pub const STEPS: &[&str] = &[
    include_str!("migrations/0001_sales_core.sql"),
    include_str!("migrations/0002_reminders.sql"),
    include_str!("migrations/0003_undo_and_merge.sql"),
    include_str!("migrations/0004_deal_cost.sql"),
    include_str!("migrations/0005_report_indexes.sql"),
    include_str!("migrations/0006_start_indexes.sql"),
    concat!(
        include_str!("migrations/0007_last_activity.sql"),
        include_str!("migrations/last_activity_rebuild.sql")
    ),
    include_str!("migrations/0008_contact_uid.sql"),
    include_str!("migrations/0009_dupe_keys.sql"),
    include_str!("migrations/0010_exact_money.sql"),
    concat!(
        include_str!("migrations/0011_users.sql"),
        include_str!("migrations/users_from_names.sql")
    ),
    include_str!("migrations/0012_forecast_index.sql"),
    include_str!("migrations/0013_name_keys.sql"),
    include_str!("migrations/0014_open_deals_by_close.sql"),
    include_str!("migrations/0015_closed_deals_by_stage.sql"),
    include_str!("migrations/0016_name_readings.sql"),
    include_str!("migrations/0017_phone_keys.sql"),
    include_str!("migrations/0018_products.sql"),
    include_str!("migrations/0019_quotes.sql"),
    include_str!("migrations/0020_orders.sql"),
    include_str!("migrations/0021_rates.sql"),
    include_str!("migrations/0022_remind_cash_indexes.sql"),
    include_str!("migrations/0023_remind_sweeps.sql"),
    include_str!("migrations/0024_contracts_money.sql"),
    include_str!("migrations/0025_service.sql"),
    include_str!("migrations/0026_service_reports.sql"),
    include_str!("migrations/0027_case_numbers.sql"),
    include_str!("migrations/0028_team.sql"),
    include_str!("migrations/0029_pool.sql"),
];

/// The version whose step made the index of duplicate keys, filled after the steps.
const DUPE_KEYS_VERSION: usize = 9;

/// The version from which the index keys phones as numbers (their last 7 digits), made
/// again after the steps.
const PHONE_KEYS_VERSION: usize = 17;

/// The version whose step last changed how names' sort keys are made (13 made them, 16
/// reads names as names are read): they are made again after the steps.
const NAME_KEYS_VERSION: usize = 16;

/// The version from which a custom field's index holds its kind's order, made again after
/// the steps.
const CUSTOM_INDEX_VERSION: usize = 14;

/// The version that made the first kind of record after custom fields existed (products):
/// a database with custom fields gets its `custom` column on every kind made since, after
/// the steps (products in 18, price lists and quotes in 19).
const NEWEST_KIND_VERSION: usize = 19;

/// Refill the last-activity tables from the activities (after a bulk load, which drops their
/// triggers while it runs, and on repair); also the end of step 7.
pub const LAST_ACTIVITY_REBUILD: &str = include_str!("migrations/last_activity_rebuild.sql");

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
    if version < DUPE_KEYS_VERSION.max(PHONE_KEYS_VERSION) {
        super::dupe_index::rebuild(&tx)?;
    }
    if version < NAME_KEYS_VERSION {
        super::name_keys::fill(&tx, true)?;
    }
    if version < CUSTOM_INDEX_VERSION {
        super::custom::ensure_indexes(&tx)?;
    }
    // Custom fields made before products or quotes: their `custom` column on the new
    // tables too.
    if version < NEWEST_KIND_VERSION && super::custom::has_table(&tx)? {
        super::custom::ensure_schema(&tx)?;
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
    fn every_numbered_file_is_a_step_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/store/migrations");
        let mut numbers: Vec<usize> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                name.split_once('_')
                    .and_then(|(n, _)| n.parse().ok())
                    .filter(|_| name.ends_with(".sql"))
            })
            .collect();
        numbers.sort();
        let want: Vec<usize> = (1..=STEPS.len()).collect();
        assert_eq!(
            numbers, want,
            "one file per step, numbered from 1 without gaps"
        );
    }

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
        conn.execute_batch(STEPS[0]).unwrap();
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
        conn.execute_batch(STEPS[0]).unwrap();
        conn.execute_batch(STEPS[1]).unwrap();
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
                want("contact", "p:6066999"),
                want("lead", "n:lilei\u{1f}bolt"),
            ]
        );
    }

    #[test]
    fn version_16_keys_a_version_15_files_phones_as_numbers() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..15] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 15).unwrap();
        // Three contacts and an account, with the index as version 15 kept it: each
        // phone's last 8 digits.
        conn.execute_batch(
            "INSERT INTO accounts (id, name, phone, created_at, updated_at)
             VALUES (1, '广州白云国际机场', '(020) 3606 6999', 'x', 'x');
             INSERT INTO contacts (id, name, phones, created_at, updated_at) VALUES
               (1, '王芳', '[\"+86 138-0013-8000\"]', 'x', 'x'),
               (2, '李娜', '[\"13800138000\", \"123\"]', 'x', 'x'),
               (3, '张伟', '[\"139 0013 8000\"]', 'x', 'x');
             INSERT INTO dupe_keys (entity, key, record_id) VALUES
               ('account', 'n:广州白云国际机场\u{1f}', 1),
               ('account', 'p:36066999', 1),
               ('contact', 'n:王芳\u{1f}', 1), ('contact', 'p:00138000', 1),
               ('contact', 'n:李娜\u{1f}', 2), ('contact', 'p:00138000', 2),
               ('contact', 'n:张伟\u{1f}', 3), ('contact', 'p:00138000', 3);",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let phones: Vec<(String, String, i64)> = conn
            .prepare(
                "SELECT entity, key, record_id FROM dupe_keys WHERE key LIKE 'p:%' ORDER BY 1, 2, 3",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let want = |e: &str, k: &str, id| (e.to_string(), k.to_string(), id);
        // The last 7 digits of +862036066999 and of +8613800138000 (and +8613900138000,
        // which shares them and is told apart when compared); "123" is too short.
        assert_eq!(
            phones,
            vec![
                want("account", "p:6066999", 1),
                want("contact", "p:0138000", 1),
                want("contact", "p:0138000", 2),
                want("contact", "p:0138000", 3),
            ]
        );
        let names: i64 = conn
            .query_row(
                "SELECT count(*) FROM dupe_keys WHERE key LIKE 'n:%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(names, 4, "the other keys are made again as they were");
    }

    #[test]
    fn version_13_gives_a_version_12_files_names_their_sort_keys() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..12] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 12).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (id, name, created_at, updated_at) VALUES (1, '广州白云国际机场', 'x', 'x');
             INSERT INTO contacts (id, name, created_at, updated_at) VALUES (1, '黄伟', 'x', 'x');
             INSERT INTO contacts (id, name, created_at, updated_at) VALUES (2, 'Ann Lee', 'x', 'x');
             INSERT INTO leads (id, name, created_at, updated_at) VALUES (1, 'Li Lei', 'x', 'x');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let mut keys: Vec<String> = Vec::new();
        for t in ["accounts", "contacts", "leads"] {
            let mut stmt = conn
                .prepare(&format!("SELECT name_key FROM {t} ORDER BY id"))
                .unwrap();
            for k in stmt.query_map([], |r| r.get(0)).unwrap() {
                keys.push(k.unwrap());
            }
        }
        assert_eq!(
            keys,
            [
                "guang zhou bai yun guo ji ji chang",
                "huang wei",
                "ann lee",
                "li lei"
            ]
        );
    }

    #[test]
    fn version_29_gives_a_version_27_file_an_empty_pool_history_and_keeps_its_owners() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..27] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 27).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts (id, name, owner, created_at, updated_at)
             VALUES (1, 'Acme', 'mei', 'x', 'x'), (2, 'Bolt', NULL, 'x', 'x');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let owners: Vec<Option<String>> = conn
            .prepare("SELECT owner FROM accounts ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(owners, vec![Some("mei".to_string()), None]);
        let moves: i64 = conn
            .query_row("SELECT count(*) FROM pool_moves", [], |r| r.get(0))
            .unwrap();
        let locks: i64 = conn
            .query_row("SELECT count(*) FROM account_locks", [], |r| r.get(0))
            .unwrap();
        assert_eq!((moves, locks), (0, 0));
    }

    #[test]
    fn version_21_gives_a_version_19_file_its_exchange_rates() {
        let mut conn = Connection::open_in_memory().unwrap();
        for step in &STEPS[..19] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 19).unwrap();
        conn.execute_batch(
            "INSERT INTO products (id, name, price, currency, created_at, updated_at)
             VALUES (1, 'Meter', 12000000, 'USD', 'x', 'x');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let product: (String, i64) = conn
            .query_row(
                "SELECT currency, price FROM products WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(product, ("USD".to_string(), 12000000));
        conn.execute_batch(
            "INSERT INTO rates (from_currency, to_currency, day, rate, created_at, updated_at)
             VALUES ('USD', 'CNY', '2026-03-01', 712000000, 'x', 'x');",
        )
        .unwrap();
        // A rate is positive, between two currencies.
        for bad in [
            "('USD', 'CNY', '2026-03-01', 0, 'x', 'x')",
            "('USD', 'USD', '2026-03-01', 1, 'x', 'x')",
        ] {
            assert!(conn
                .execute_batch(&format!(
                    "INSERT INTO rates (from_currency, to_currency, day, rate, created_at, updated_at)
                     VALUES {bad};"
                ))
                .is_err());
        }
    }

    #[test]
    fn a_newer_file_is_reported() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), Outcome::Newer(99));
    }
}
