//! The SQLite store: the only module that speaks SQL.
//!
//! - [`Store::open`] opens (or creates, mode 0600) one database file, sets WAL, foreign keys
//!   and a busy timeout, and brings the schema up to date.
//! - [`Store::write`] is the one write path: a `BEGIN IMMEDIATE` transaction whose
//!   [`Writer`] records every insert, update, trash and restore in the change log with the
//!   user, the time and the values before and after.
//! - [`Reader`] runs every query; filters, sorting and (later) visibility rules are applied
//!   in one place, [`Reader::list`].

mod bulk;
mod cash_reports;
#[cfg(test)]
mod coverage;
mod custom;
mod dump;
mod dupe_index;
mod health;
mod name_keys;
mod pool;
mod query;
mod reports;
mod schema;
mod service;
mod service_reports;
mod service_tui;
mod sweeps;
mod users;
mod visibility;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::core::clock::Clock;
use crate::core::error::Result;

pub use bulk::{
    AccountRow, ActivityRow, AllocationRow, BulkLoader, BulkStage, CalendarDayRow, CalendarRow,
    CaseRow, ContactRow, ContractRow, DealRow, InvoiceRow, LeadRow, LineRow, LoadOptions, OrderRow,
    PaymentRow, PlanRow, PriceListRow, PriceRow, ProductRow, QuoteRow, SlaRow, SurveyRow, TaskRow,
};
pub use cash_reports::{orders_else_deals, Kept, Owed, AGING};
pub use health::Finding;
pub use pool::{FellBack, PoolMove, Standing};
pub use query::{
    Change, Collate, DedupeQuery, DedupeRow, LastTouch, ListQuery, QueryCtx, Reader, SearchRows,
    StageStep, StageSummary,
};
pub use reports::{
    period_sql, with_deals, Cell, Conversion, Customer, CustomerDeals, Row, Scope, LINE_GROUPS,
};
pub use service_reports::{Desk, DeskPart, Minutes, SERVICE_GROUPS};
pub use service_tui::Satisfaction;
pub use sweeps::Sweep;
pub use visibility::{Limit, Scoped, Visibility, MASK};
pub use write::{Act, Batch, Bulk, Changed, Delivery, Guard, Op, StageMove, Values, Writer};

/// How long a writer waits for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Why this store can only read (its file or its directory is not writable), if so.
    read_only: Option<ReadOnlyWhy>,
    /// Which records its reads see (see [`Visibility`]).
    vis: Visibility,
    /// What its writes check before each change (the acting user's rights), if anything.
    guard: Option<std::sync::Arc<dyn Guard>>,
    /// Its custom fields, read when it opens and again when they change.
    custom: std::sync::Arc<crate::model::custom::Custom>,
    /// The clock `kith_today()` reads in SQL: the day computed states are read against
    /// (shared with the function, so that setting it needs no new registration).
    clock: SharedClock,
}

type SharedClock = std::sync::Arc<std::sync::Mutex<Clock>>;

fn system_clock() -> SharedClock {
    std::sync::Arc::new(std::sync::Mutex::new(Clock::system()))
}

/// `kith_today()` in this connection's SQL: today's date (`YYYY-MM-DD`, local) by `clock`,
/// read at each call, so that states computed when read (a quote past its validity reads
/// `expired`) follow the clock kith runs with — a pinned one too.
fn today_function(conn: &Connection, clock: &SharedClock) -> rusqlite::Result<()> {
    let clock = clock.clone();
    conn.create_scalar_function(
        "kith_today",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8,
        move |_| {
            let c = *clock.lock().unwrap_or_else(|e| e.into_inner());
            Ok(c.today().format("%Y-%m-%d").to_string())
        },
    )
}

/// `kith_now()` in this connection's SQL: the moment by `clock` as a UTC stamp
/// (`YYYY-MM-DDTHH:MM:SSZ`), read at each call, against which states read from deadlines
/// (a case's SLA) are computed.
fn now_function(conn: &Connection, clock: &SharedClock) -> rusqlite::Result<()> {
    let clock = clock.clone();
    conn.create_scalar_function(
        "kith_now",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8,
        move |_| {
            let c = *clock.lock().unwrap_or_else(|e| e.into_inner());
            Ok(c.stamp())
        },
    )
}

/// Why a store was opened read-only, and how.
#[derive(Debug, Clone)]
struct ReadOnlyWhy {
    reason: String,
    /// Opened as immutable: no -wal or -shm beside the file, and none can be made.
    immutable: bool,
}

/// The cache and temp-store settings a large write changed, to put back.
#[derive(Debug, Clone, Copy)]
pub struct LargeWrite {
    cache: i64,
    temp: i64,
}

/// A read-only connection made by [`Store::second_reader`]; it can move to another thread.
struct ReadOnly {
    conn: Connection,
    vis: Visibility,
    custom: std::sync::Arc<crate::model::custom::Custom>,
}

impl ReadOnly {
    pub fn reader(&self) -> Reader<'_> {
        Reader::seeing(&self.conn, self.vis.clone(), &self.custom)
    }
}

/// Keep the query planner's statistics up to date: as the database grows from a few demo
/// records to hundreds of thousands, a plan chosen without them can scan every open task to
/// show one deal. SQLite's `optimize` analyses only the tables that need it, within a bounded
/// number of rows, and costs next to nothing otherwise; a failure (a read-only file) is
/// harmless, so it is ignored.
impl Drop for Store {
    fn drop(&mut self) {
        if self.path.is_some() && self.read_only.is_none() {
            // Only if nobody else is writing: a command that only read must not wait at
            // its exit for another process's write to finish.
            let _ = self.conn.busy_timeout(Duration::ZERO);
            let _ = self
                .conn
                .execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize;");
        }
    }
}

impl Store {
    /// Open the database at `path`, creating it (and its folder) if needed.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                crate::err!(
                    Failed,
                    "store.create_folder",
                    dir = dir.display(),
                    reason = e
                )
            })?;
        }
        crate::core::files::create_private(path)?;
        let opened = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| {
            crate::err!(
                Failed,
                "store.cannot_open",
                path = path.display(),
                reason = e
            )
        })
        .and_then(|conn| {
            let mut store = Store {
                conn,
                path: Some(path.to_path_buf()),
                read_only: None,
                vis: Visibility::All,
                guard: None,
                custom: Default::default(),
                clock: system_clock(),
            };
            store.setup()?;
            Ok(store)
        });
        match opened {
            Ok(store) => Ok(store),
            // SQLite needs to write beside the file even to read it in WAL mode; when it
            // cannot, the file is opened to read only, and writes say why they cannot be.
            Err(e) => match not_writable(path) {
                Some(reason) => Store::open_read_only(path, reason).map_err(|_| e),
                None => Err(e),
            },
        }
    }

    /// Open an existing database only to read it, on a connection that never writes —
    /// not even the planner's statistics when it closes — so other connections' changes
    /// are the only ones another connection's `data_version` sees (the interface reads
    /// what is due on one of these, beside its own).
    pub fn open_for_reading(path: &Path) -> Result<Store> {
        Store::open_read_only(path, String::new())
    }

    /// Open an existing database that kith may not write (see [`not_writable`]): read only,
    /// and, when SQLite cannot make the -shm file it reads a WAL database through, as an
    /// immutable file (nobody can write it then either: no writer can make its -wal).
    fn open_read_only(path: &Path, reason: String) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let try_open = |immutable: bool| -> Result<Store> {
            let conn = if immutable {
                Connection::open_with_flags(immutable_uri(path), flags)?
            } else {
                Connection::open_with_flags(path, flags)?
            };
            conn.busy_timeout(BUSY_TIMEOUT)?;
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            let custom = std::sync::Arc::new(custom::load(&conn)?);
            Ok(Store {
                conn,
                path: Some(path.to_path_buf()),
                read_only: Some(ReadOnlyWhy {
                    reason: reason.clone(),
                    immutable,
                }),
                vis: Visibility::All,
                guard: None,
                custom,
                clock: system_clock(),
            })
            .and_then(|s| {
                today_function(&s.conn, &s.clock)?;
                now_function(&s.conn, &s.clock)?;
                Ok(s)
            })
            .and_then(|s| s.check_read_only_version(version))
        };
        try_open(false).or_else(|_| try_open(true))
    }

    /// A read-only store can read only a file of this kith's schema version.
    fn check_read_only_version(self, version: i64) -> Result<Store> {
        let want = schema::STEPS.len() as i64;
        let why = self
            .read_only
            .as_ref()
            .map(|r| r.reason.clone())
            .unwrap_or_default();
        match version {
            v if v == want => Ok(self),
            v if v > want => Err(crate::err!(Failed, "store.database_written_newer", v = v)),
            v => Err(crate::err!(
                Failed,
                "store.database_schema_version",
                v = v,
                want = want,
                why = why
            )),
        }
    }

    /// Fail with the reason when this store can only read.
    fn writable(&self) -> Result<()> {
        match &self.read_only {
            Some(r) => Err(crate::err!(Failed, "store.cannot_write", reason = r.reason)),
            None => Ok(()),
        }
    }

    /// Whether this store was opened to read only, and why.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_ref().map(|r| r.reason.as_str())
    }

    /// Read computed states against `clock`'s today (see [`today_function`]).
    pub fn set_clock(&self, clock: Clock) {
        *self.clock.lock().unwrap_or_else(|e| e.into_inner()) = clock;
    }

    /// A private database in memory (for tests and dry runs).
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            path: None,
            read_only: None,
            vis: Visibility::All,
            guard: None,
            custom: Default::default(),
            clock: system_clock(),
        };
        store.setup()?;
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// How long a write waits for another process's write lock before it fails with
    /// [`crate::core::error::Error::is_busy`]: [`Store::BUSY_TIMEOUT`] unless set here (the
    /// interface sets a short one, and waits itself without freezing the screen).
    pub fn set_busy_timeout(&mut self, wait: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(wait)?)
    }

    /// The wait a store opens with.
    pub const BUSY_TIMEOUT: Duration = BUSY_TIMEOUT;

    fn setup(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        today_function(&self.conn, &self.clock)?;
        now_function(&self.conn, &self.clock)?;
        // Every transaction, the migrations' included, takes the write lock at BEGIN: a
        // deferred transaction that later writes fails at once with SQLITE_BUSY.
        self.conn
            .set_transaction_behavior(TransactionBehavior::Immediate);
        self.set_wal()?;
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA synchronous = NORMAL;",
        )?;
        match schema::migrate(&mut self.conn)
            .map_err(|e| crate::err!(Failed, "store.update_database_schema", reason = e))?
        {
            schema::Outcome::Newer(v) => {
                Err(crate::err!(Failed, "store.database_written_newer", v = v))
            }
            _ => {
                self.custom = std::sync::Arc::new(custom::load(&self.conn)?);
                Ok(())
            }
        }
    }

    /// Switch to WAL. Another process switching the same new file at the same moment holds
    /// the lock this needs, and SQLite answers "locked" without waiting, so wait here.
    fn set_wal(&mut self) -> Result<()> {
        let started = std::time::Instant::now();
        loop {
            match self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            {
                Ok(mode) if self.path.is_none() || mode.eq_ignore_ascii_case("wal") => {
                    return Ok(())
                }
                Ok(mode) => {
                    return Err(crate::err!(
                        Failed,
                        "store.database_could_switched",
                        mode = mode
                    ))
                }
                Err(rusqlite::Error::SqliteFailure(f, _))
                    if matches!(
                        f.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// A number that changes when another connection commits a change to the file
    /// (SQLite's `data_version`; this connection's own writes leave it as it is). Read
    /// without a lock: it never waits for a writer.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// A value that changes whenever the data may have changed: another connection's
    /// commit ([`Store::data_version`]) or a row this connection wrote (SQLite's count of
    /// rows changed, which grows with every write, even one rolled back). What is derived
    /// from the data may be kept while it stays the same.
    pub fn moment(&self) -> Result<(i64, u64)> {
        Ok((self.data_version()?, self.conn.total_changes()))
    }

    /// The schema version stored in the file (SQLite `user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Queries outside a write. They see what the store's [`Visibility`] lets them.
    pub fn reader(&self) -> Reader<'_> {
        Reader::seeing(&self.conn, self.vis.clone(), &self.custom)
    }

    /// Set which records this store's reads see (the acting user's scope).
    pub fn set_visibility(&mut self, vis: Visibility) {
        self.vis = vis;
    }

    /// Which records this store's reads see.
    pub fn visibility(&self) -> &Visibility {
        &self.vis
    }

    /// Set what this store's writes check before each change (the acting user's rights);
    /// None to check nothing. Returns the one set before.
    pub fn set_guard(
        &mut self,
        guard: Option<std::sync::Arc<dyn Guard>>,
    ) -> Option<std::sync::Arc<dyn Guard>> {
        std::mem::replace(&mut self.guard, guard)
    }

    /// Read with `first` here and `second` on a second connection on another thread, at
    /// the same time — one after the other for a database in memory (no file to share).
    /// Each sees what was committed when its own queries ran.
    pub fn read_both<A, B>(
        &self,
        first: impl FnOnce(&Reader<'_>) -> Result<A>,
        second: impl FnOnce(&Reader<'_>) -> Result<B> + Send,
    ) -> Result<(A, B)>
    where
        B: Send,
    {
        let Some(other) = self.second_reader()? else {
            let a = first(&self.reader())?;
            return Ok((a, second(&self.reader())?));
        };
        std::thread::scope(|s| {
            let b = s.spawn(move || second(&other.reader()));
            let a = first(&self.reader());
            let b = b
                .join()
                .unwrap_or_else(|_| Err(crate::err!(Failed, "store.reading_second_thread")));
            Ok((a?, b?))
        })
    }

    /// Start `f` on a second connection on another thread and return at once: its answer
    /// is the thread's (None for a database in memory, which has no file to share, or when
    /// no second connection opens — the caller reads for itself when it needs the answer).
    /// The thread runs at the lowest priority ([`run_in_background`]): what it reads is
    /// ahead of the user, who should not wait behind it for a key.
    ///
    /// [`run_in_background`]: crate::core::threads::run_in_background
    pub fn read_on_thread<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader<'_>) -> Result<T> + Send + 'static,
    ) -> Option<std::thread::JoinHandle<Result<T>>> {
        let other = self.second_reader().ok()??;
        Some(std::thread::spawn(move || {
            crate::core::threads::run_in_background();
            f(&other.reader())
        }))
    }

    /// A second, read-only connection to the same file, to read on another thread while
    /// this one reads too (None for a database in memory, which has no file to share).
    fn second_reader(&self) -> Result<Option<ReadOnly>> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = if self.read_only.as_ref().is_some_and(|r| r.immutable) {
            Connection::open_with_flags(immutable_uri(path), flags)
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(|e| {
            crate::err!(
                Failed,
                "store.cannot_open",
                path = path.display(),
                reason = e
            )
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        today_function(&conn, &self.clock)?;
        now_function(&conn, &self.clock)?;
        Ok(Some(ReadOnly {
            conn,
            vis: self.vis.clone(),
            custom: self.custom.clone(),
        }))
    }

    /// Run `f` in one `BEGIN IMMEDIATE` transaction as `user` at time `at` (UTC, ISO 8601).
    /// If `f` fails, nothing it did is kept. Outside the library every write goes through
    /// [`crate::Crm::write`], which tells its subscribers what changed.
    pub(crate) fn write<T>(
        &mut self,
        user: &str,
        at: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        Ok(self.transaction(user, at, true, false, f)?.0)
    }

    /// [`Store::write`], and what it changed, gathered into a [`Batch`] once it committed.
    pub(crate) fn write_with_events<T>(
        &mut self,
        user: &str,
        at: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<(T, Batch)> {
        let (out, batch) = self.transaction(user, at, true, true, f)?;
        Ok((out, batch.unwrap_or_default()))
    }

    /// Set the store for one large write: a page cache of `kib` KiB and statement journals
    /// in memory, so SQLite keeps the changed pages until the commit, and the journal each
    /// savepoint keeps (an import row's) is not written to a temporary file page by page.
    /// Returns what [`Store::large_write_end`] puts back ([`crate::Crm::for_large_write`]
    /// does both, whatever happens in between).
    pub fn large_write_begin(&mut self, kib: i64) -> Result<LargeWrite> {
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        let temp: i64 = self.conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
        self.conn.execute_batch(&format!(
            "PRAGMA cache_size = -{}; PRAGMA temp_store = MEMORY;",
            kib.max(2000)
        ))?;
        Ok(LargeWrite { cache, temp })
    }

    /// Put back what [`Store::large_write_begin`] changed.
    pub fn large_write_end(&mut self, saved: LargeWrite) -> Result<()> {
        Ok(self.conn.execute_batch(&format!(
            "PRAGMA cache_size = {}; PRAGMA temp_store = {};",
            saved.cache, saved.temp
        ))?)
    }

    /// Run `f` as a write, then roll everything back: what would happen, changing nothing.
    pub(crate) fn dry_run<T>(
        &mut self,
        user: &str,
        at: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        Ok(self.transaction(user, at, false, false, f)?.0)
    }

    /// One write transaction, kept or rolled back; with `events`, what it changed (only
    /// when it was kept and committed).
    fn transaction<T>(
        &mut self,
        user: &str,
        at: &str,
        keep: bool,
        events: bool,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<(T, Option<Batch>)> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut w = Writer::new(tx, user, at, &self.custom, self.guard.clone());
        if events && keep {
            w.collect_events();
        }
        let out = f(&mut w);
        let batch = match (&out, keep) {
            (Ok(_), true) => w.commit()?,
            _ => {
                w.rollback()?;
                None
            }
        };
        Ok((out?, batch))
    }
}

#[cfg(test)]
fn migrations_len() -> i64 {
    schema::STEPS.len() as i64
}

/// Why kith cannot write the existing database at `path`, if it cannot: the file is not
/// writable, or its directory is not (SQLite makes its -wal and -shm files there). Found by
/// trying, which is what counts (also for root, whom only a read-only file system stops).
fn not_writable(path: &Path) -> Option<String> {
    use std::io::ErrorKind;
    let denied = |e: &std::io::Error| {
        matches!(
            e.kind(),
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
        )
    };
    if !path.is_file() {
        return None;
    }
    if let Err(e) = std::fs::OpenOptions::new().write(true).open(path) {
        return denied(&e).then(|| format!("{} is not writable", path.display()));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name()?.to_string_lossy();
    let probe = dir.join(format!(".{name}.kith-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            None
        }
        Err(e) if denied(&e) => Some(format!(
            "the directory {} is not writable (SQLite keeps {name}-wal and {name}-shm beside the database while it is in use)",
            dir.display()
        )),
        Err(_) => None,
    }
}

/// The URI that opens `path` as an immutable file.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'?' | b'#' | b'%' | 0x80.. => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(b as char),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PRAGMA's value, for tests.
    pub(crate) fn pragma(s: &Store, name: &str) -> i64 {
        s.conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_large_write_sets_the_cache_and_temp_store_and_puts_them_back() {
        let mut store = Store::open_in_memory().unwrap();
        let before = (pragma(&store, "cache_size"), pragma(&store, "temp_store"));
        let saved = store.large_write_begin(64 * 1024).unwrap();
        let seen = (pragma(&store, "cache_size"), pragma(&store, "temp_store"));
        store.large_write_end(saved).unwrap();
        assert_eq!(seen, (-64 * 1024, 2));
        assert_eq!(
            (pragma(&store, "cache_size"), pragma(&store, "temp_store")),
            before
        );
    }

    #[test]
    fn reading_on_two_connections_gives_both_answers() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("k.db")).unwrap();
        let count = |r: &Reader<'_>| -> Result<i64> {
            Ok(r.conn
                .query_row("SELECT count(*) FROM stages", [], |x| x.get(0))?)
        };
        let version = |r: &Reader<'_>| -> Result<i64> {
            Ok(r.conn.query_row("PRAGMA user_version", [], |x| x.get(0))?)
        };
        assert_eq!(
            store.read_both(count, version).unwrap(),
            (0, migrations_len())
        );
        // In memory: one after the other on the one connection.
        let memory = Store::open_in_memory().unwrap();
        assert_eq!(
            memory.read_both(count, version).unwrap(),
            (0, migrations_len())
        );
        let failed = store.read_both(count, |_| -> Result<i64> {
            Err(crate::core::error::Error::invalid("no"))
        });
        assert!(failed.is_err());
    }

    #[test]
    fn a_new_file_is_private_and_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("k.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), migrations_len());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn reopening_keeps_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        drop(Store::open(&path).unwrap());
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), migrations_len());
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        {
            let store = Store::open(&path).unwrap();
            store
                .conn
                .execute_batch("PRAGMA user_version = 99")
                .unwrap();
        }
        let err = Store::open(&path).err().unwrap();
        assert!(err.to_string().contains("newer kith"), "{err}");
    }
}
