//! The library's front door. Every face (scripted commands, the full-screen interface,
//! cron jobs) holds a [`Crm`] and calls it; it reads and writes through the store, with the
//! toolkit ([`crate::domain::toolkit`]) and the domains' rules ([`crate::domain`]), and tells
//! subscribers what each write changed ([`crate::app::events`]).
//!
//! The toolkit's and the record verbs' names are re-exported here, as the faces know them.

use serde_json::Value;

use crate::app::events::{Batch, Events, SubscriberId};
use crate::core::error::Result;
use crate::model::query::{Op, Term};
use crate::model::record::Record;
use crate::model::Entity;
/// What an account or a deal is owed in one currency ([`Overview::owed`]).
pub use crate::store::Owed;
use crate::store::{Change, ListQuery, Reader, StageStep, Store, Writer};

pub use crate::domain::records::{
    create_in, find_duplicate, new_values, trash_in, update_full, update_in, AllKinds, New,
};
pub use crate::domain::sales::accounts::check_no_cycle;
pub use crate::domain::toolkit::Updated;
pub use crate::domain::toolkit::{
    by, choose, list_query, normalize_tag, settable, validate, when_text, Door, Env, Input,
    SYSTEM_USER,
};
pub(crate) use crate::domain::toolkit::{lookup, resolve, Lookup};

/// A record with the records around it, as `show` presents it.
#[derive(Debug, Clone)]
pub struct Overview {
    pub record: Record,
    /// Named groups of related records: ("contacts", [...]), ("open_deals", [...]) …
    pub related: Vec<(&'static str, Vec<Record>)>,
    /// For deals: every stage entered, as (from, to, at, user).
    pub stage_history: Vec<StageStep>,
    /// For accounts and deals: what their contracts are owed today, per currency
    /// ([`crate::app::commerce::owed_via`]); empty when nothing is.
    pub owed: Vec<Owed>,
}

pub struct Crm {
    pub store: Store,
    pub env: Env,
    /// Who hears of each committed write (see [`crate::app::events`]).
    events: Events,
    /// The pipelines' boards as last read, with the moment of the data and the visibility
    /// they were read at ([`Crm::boards`]).
    pub(super) boards: std::sync::Mutex<Option<KeptBoards>>,
    /// What the acting user may see and do (see [`Crm::act`]); everything unless set.
    pub(super) rights: std::sync::Arc<crate::domain::team::rights::Rights>,
}

/// [`Crm::boards`] as read at a moment of the data ([`Store::moment`]), by a reader seeing
/// what `vis` lets it.
pub(super) struct KeptBoards {
    pub(super) moment: (i64, u64),
    pub(super) vis: crate::store::Visibility,
    pub(super) boards: Vec<crate::domain::sales::pipelines::Board>,
}

impl Crm {
    pub fn new(store: Store, env: Env) -> Crm {
        store.set_clock(env.clock);
        let rights = crate::domain::team::rights::Rights::everything(&env.user);
        Crm {
            store,
            env,
            events: Events::new(),
            boards: std::sync::Mutex::new(None),
            rights: std::sync::Arc::new(rights),
        }
    }

    /// Call `f` with what each write commits from now on (see [`crate::app::events`]).
    pub fn subscribe(&mut self, f: impl FnMut(&Batch) + Send + 'static) -> SubscriberId {
        self.events.subscribe(f)
    }

    /// What each write commits from now on, sent to a channel.
    pub fn events_channel(&mut self) -> std::sync::mpsc::Receiver<Batch> {
        self.events.channel()
    }

    /// Stop calling a subscriber.
    pub fn unsubscribe(&mut self, id: SubscriberId) -> bool {
        self.events.unsubscribe(id)
    }

    /// How long a write waits for another program's write to finish before it fails (with
    /// an error that [`crate::core::error::Error::is_busy`]): 30 s unless set here.
    pub fn set_busy_timeout(&mut self, wait: std::time::Duration) -> Result<()> {
        self.store.set_busy_timeout(wait)
    }

    /// The wait for another program's write that a database opens with.
    pub const BUSY_TIMEOUT: std::time::Duration = Store::BUSY_TIMEOUT;

    pub fn reader(&self) -> Reader<'_> {
        // States computed when read follow the clock this Crm runs with now.
        self.store.set_clock(self.env.clock);
        self.store.reader()
    }

    /// Read with `f` on another thread while this one goes on (see
    /// [`Store::read_on_thread`]).
    pub fn read_on_thread<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader<'_>) -> Result<T> + Send + 'static,
    ) -> Option<std::thread::JoinHandle<Result<T>>> {
        self.store.set_clock(self.env.clock);
        self.store.read_on_thread(f)
    }

    /// Run `f` as one transaction recorded under the current user and time.
    /// Once it committed, its subscribers hear what it changed.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>, &Env) -> Result<T>) -> Result<T> {
        // One moment for the whole write: every stamp it makes agrees.
        let env = self.frozen_env();
        self.write_as(&env, f)
    }

    /// [`Crm::write`] as the user and at the time of `env`.
    fn write_as<T>(
        &mut self,
        env: &Env,
        f: impl FnOnce(&mut Writer<'_>, &Env) -> Result<T>,
    ) -> Result<T> {
        let at = env.clock.stamp();
        self.store.set_clock(env.clock);
        if self.events.is_empty() {
            return self.store.write(&env.user, &at, |w| f(w, env));
        }
        let (out, batch) = self
            .store
            .write_with_events(&env.user, &at, |w| f(w, env))?;
        self.events.emit(&batch);
        Ok(out)
    }

    /// Load a whole-database dump (`kith import json`) into this database, which holds no
    /// records yet; see [`Store::load_dump`]. Its subscribers hear of one batch: the
    /// records loaded, by kind, as [`crate::app::events::Op::Load`]. Returns the rows loaded.
    pub fn load_dump(&mut self, doc: &Value) -> Result<usize> {
        self.require("administer")?;
        let n = self.store.load_dump(doc)?;
        if !self.events.is_empty() {
            let tables = doc.get("tables");
            let loaded = Entity::ALL
                .iter()
                .map(|&e| {
                    let ids = tables
                        .and_then(|t| t.get(e.table()))
                        .and_then(Value::as_array)
                        .map(|rows| {
                            rows.iter()
                                .filter_map(|r| r.get("id").and_then(Value::as_i64))
                                .collect()
                        })
                        .unwrap_or_default();
                    (e, ids)
                })
                .collect();
            let batch = Batch::loaded(&self.env.user, &self.env.clock.stamp(), loaded);
            self.events.emit(&batch);
        }
        Ok(n)
    }

    /// Replace the database with a backup. Heard as one batch that loaded every record
    /// of the backup ([`crate::app::events::Op::Load`], one bulk per kind): what was there
    /// before is gone, and what is there now came as it is stored.
    pub fn restore_from(&mut self, src: &std::path::Path) -> Result<()> {
        self.require("administer")?;
        self.store.restore_from(src)?;
        if !self.events.is_empty() {
            let r = self.reader();
            let loaded = Entity::ALL
                .iter()
                .map(|&e| Ok((e, r.ids(e)?)))
                .collect::<Result<Vec<_>>>()?;
            let batch = Batch::loaded(&self.env.user, &self.env.clock.stamp(), loaded);
            self.events.emit(&batch);
        }
        Ok(())
    }

    /// Write many records at once with the store's bulk loader (the large generated
    /// dataset, `kith demo --size`), which logs each record's creation itself, past the
    /// one write path's per-record work. Subscribers then hear of the load as one batch
    /// ([`crate::app::events::Op::Load`]) naming every record it made.
    pub fn bulk_load<T>(&mut self, f: impl FnOnce(&mut Store, &Env) -> Result<T>) -> Result<T> {
        self.ensure_setup()?;
        let before = self.max_ids()?;
        let env = self.frozen_env();
        let out = f(&mut self.store, &env)?;
        if !self.events.is_empty() {
            let loaded = before
                .into_iter()
                .zip(self.max_ids()?)
                .map(|((e, from), (_, to))| (e, (from + 1..=to).collect()))
                .collect();
            let batch = Batch::loaded(&env.user, &env.clock.stamp(), loaded);
            self.events.emit(&batch);
        }
        Ok(out)
    }

    fn max_ids(&self) -> Result<Vec<(Entity, i64)>> {
        let r = self.reader();
        Entity::ALL
            .into_iter()
            .map(|e| Ok((e, r.max_id(e)?)))
            .collect()
    }

    /// The environment of one write: this one with its clock stopped at this moment, so
    /// every stamp the write makes agrees.
    fn frozen_env(&self) -> Env {
        Env {
            clock: self.env.clock.frozen(),
            ..self.env.clone()
        }
    }

    /// Like [`Crm::write`], then roll back: for `--dry-run`. Nobody hears of it.
    pub fn dry_run<T>(&mut self, f: impl FnOnce(&mut Writer<'_>, &Env) -> Result<T>) -> Result<T> {
        let env = self.frozen_env();
        let at = env.clock.stamp();
        self.store.set_clock(env.clock);
        self.store.dry_run(&env.user, &at, |w| f(w, &env))
    }

    /// Run `f` (one large write, as [`Crm::write`] or [`Crm::dry_run`]) with the store set
    /// for it: see [`Store::large_write_begin`].
    pub fn for_large_write<T>(
        &mut self,
        kib: i64,
        f: impl FnOnce(&mut Crm) -> Result<T>,
    ) -> Result<T> {
        let saved = self.store.large_write_begin(kib)?;
        let out = f(self);
        let restored = self.store.large_write_end(saved);
        let out = out?;
        restored?;
        Ok(out)
    }

    /// Make sure the database has a default pipeline (a new database gets the sales one).
    /// Setup is recorded as done by kith itself, so no user's `kith undo` takes it back.
    pub fn ensure_setup(&mut self) -> Result<()> {
        // Most runs find a pipeline: a read, so they take no write lock (and do not wait
        // for another process's long write). Otherwise the write checks again.
        let any = self.reader().list(
            Entity::Pipeline,
            &list_query(vec![], "", Some(1)),
            &self.env.ctx(),
        )?;
        if !any.is_empty() {
            return Ok(());
        }
        let env = Env {
            user: SYSTEM_USER.to_string(),
            ..self.env.clone()
        };
        self.write_as(&env, |w, env| {
            crate::domain::sales::pipelines::ensure_default(w, env)
        })
    }

    pub fn create(&mut self, entity: Entity, input: &Input) -> Result<i64> {
        self.write(|w, env| create_in(w, env, entity, input))
    }

    /// Log an activity, with the follow-up task it asks for if any: (activity id, task id).
    pub fn log_activity(
        &mut self,
        input: &Input,
        next: Option<&crate::domain::sales::activities::FollowUp>,
    ) -> Result<(i64, Option<i64>)> {
        self.write(|w, env| crate::domain::sales::activities::log(w, env, &AllKinds, input, next))
    }

    pub fn update(&mut self, entity: Entity, id: i64, input: &Input) -> Result<bool> {
        self.write(|w, env| update_in(w, env, entity, id, input))
    }

    /// Move records to the trash (all or none). Returns how many were not there already.
    pub fn trash(&mut self, entity: Entity, ids: &[i64]) -> Result<usize> {
        self.write(|w, env| {
            let mut n = 0;
            for &id in ids {
                n += crate::domain::records::trash_in(w, env, entity, id)? as usize;
            }
            Ok(n)
        })
    }

    pub fn restore(&mut self, entity: Entity, ids: &[i64]) -> Result<usize> {
        self.write(|w, env| {
            let mut n = 0;
            for &id in ids {
                n += crate::domain::records::restore_in(w, env, entity, id)? as usize;
            }
            Ok(n)
        })
    }

    pub fn get(&self, entity: Entity, id: i64) -> Result<Record> {
        self.reader()
            .get(entity, id)?
            .ok_or_else(|| crate::err!(NotFound, "crm.no_id", entity = entity.label(), id = id))
    }

    pub fn list(&self, entity: Entity, q: &ListQuery) -> Result<Vec<Record>> {
        self.reader().list(entity, q, &self.env.ctx())
    }

    pub fn history(&self, entity: Entity, id: i64) -> Result<Vec<Change>> {
        self.reader().history(entity, id)
    }

    /// Find a live record by id or name, for commands that change it: unknown and
    /// ambiguous references are bad input (exit 2).
    pub fn resolve(&self, entity: Entity, text: &str) -> Result<i64> {
        resolve(&self.reader(), entity, text, false)
    }

    /// Find a record in the trash by id or name (for `restore`).
    pub fn resolve_trashed(&self, entity: Entity, text: &str) -> Result<i64> {
        resolve(&self.reader(), entity, text, true)
    }

    /// Find a record to show: an unknown reference means nothing matched (exit 1). Trashed
    /// records are found by id.
    pub fn find(&self, entity: Entity, text: &str) -> Result<i64> {
        match lookup(&self.reader(), entity, text, false)? {
            Lookup::Found(id) => Ok(id),
            Lookup::Missing(msg) => {
                let t = text.trim().trim_start_matches('#');
                match t.parse::<i64>() {
                    Ok(id) if self.reader().get(entity, id)?.is_some() => Ok(id),
                    _ => Err(msg.of_kind(crate::core::error::Kind::NotFound)),
                }
            }
            Lookup::Ambiguous(msg) => Err(msg),
        }
    }

    /// A record and everything around it: the 360° view.
    pub fn overview(&self, entity: Entity, id: i64) -> Result<Overview> {
        let record = self.get(entity, id)?;
        let ctx = self.env.ctx();
        let r = self.reader();
        let open = |field: &str, value: &str| Term::Field {
            field: field.into(),
            op: Op::Eq,
            value: value.into(),
        };
        /// One group of related records: its name, what it lists, the field linking it
        /// here, an extra condition, the sort and the limit.
        struct Group(
            &'static str,
            Entity,
            &'static str,
            Option<Term>,
            &'static str,
            Option<usize>,
        );
        let mut groups: Vec<Group> = entity
            .kind()
            .sections
            .iter()
            .map(|s| {
                Group(
                    s.name,
                    s.kind,
                    s.via,
                    s.only.map(|(f, v)| open(f, v)),
                    s.sort,
                    s.limit,
                )
            })
            .collect();
        if entity.is_linkable() {
            let link = entity.name();
            groups.push(Group(
                "recent_activities",
                Entity::Activity,
                link,
                None,
                "-at",
                Some(10),
            ));
            groups.push(Group(
                "open_tasks",
                Entity::Task,
                link,
                Some(open("done", "no")),
                "due",
                None,
            ));
        }
        let mut related = Vec::new();
        for Group(name, kind, field, extra, sort, limit) in groups {
            let mut terms = vec![by(field, id)];
            terms.extend(extra);
            related.push((name, r.list(kind, &list_query(terms, sort, limit), &ctx)?));
        }
        let stage_history = if entity == Entity::Deal {
            r.stage_history(id)?
        } else {
            vec![]
        };
        let owed = match crate::app::commerce::owed_via(entity) {
            Some(field) => r.owed(
                &crate::model::query::Filter {
                    terms: vec![by(field, id)],
                },
                &self.env.clock.today().to_string(),
                &self.env.currency,
                &ctx,
            )?,
            None => vec![],
        };
        Ok(Overview {
            record,
            related,
            stage_history,
            owed,
        })
    }
}

impl Door for Crm {
    fn env(&self) -> &Env {
        &self.env
    }

    fn store(&self) -> &Store {
        &self.store
    }

    fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>, &Env) -> Result<T>) -> Result<T> {
        Crm::write(self, f)
    }
}

/// The fixture the library's unit tests share: an in-memory CRM with its default pipeline,
/// the clock pinned to 2026-11-22 10:00 local time, user `t`, currency CNY.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Crm, Entity, Env, Input};
    use crate::core::clock::Clock;
    use crate::store::Store;
    use chrono::NaiveDate;

    /// The environment of the tests: user `t`, duplicates refused (the one place tests
    /// build an [`Env`]).
    pub(crate) fn env(clock: Clock, currency: &str) -> Env {
        Env {
            clock,
            user: "t".into(),
            currency: currency.into(),
            allow_duplicates: false,
        }
    }

    pub(crate) fn crm() -> Crm {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let mut crm = Crm::new(
            Store::open_in_memory().unwrap(),
            env(Clock::at_local(now), "CNY"),
        );
        crm.ensure_setup().unwrap();
        crm
    }

    /// Create a record from (field, value) pairs; the test fails if it is refused.
    pub(crate) fn add(crm: &mut Crm, entity: Entity, fields: &[(&str, &str)]) -> i64 {
        let mut input = Input::new();
        for (f, v) in fields {
            input.set(f, *v);
        }
        crm.create(entity, &input).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::clock::Clock;
    use crate::store::tests::pragma;
    use proptest::prelude::*;

    #[test]
    fn a_large_write_puts_the_cache_and_temp_store_back_even_when_it_fails() {
        let mut crm = crm();
        let before = (
            pragma(&crm.store, "cache_size"),
            pragma(&crm.store, "temp_store"),
        );
        let seen = crm
            .for_large_write(64 * 1024, |c| {
                Ok((
                    pragma(&c.store, "cache_size"),
                    pragma(&c.store, "temp_store"),
                ))
            })
            .unwrap();
        assert_eq!(seen, (-64 * 1024, 2));
        assert_eq!(
            (
                pragma(&crm.store, "cache_size"),
                pragma(&crm.store, "temp_store")
            ),
            before
        );
        let failed: Result<()> = crm.for_large_write(64 * 1024, |c| {
            c.write(|_, _| Err(crate::core::error::Error::invalid("bad row")))
        });
        assert!(failed.is_err());
        assert_eq!(
            (
                pragma(&crm.store, "cache_size"),
                pragma(&crm.store, "temp_store")
            ),
            before
        );
    }

    fn crm() -> Crm {
        let env = testing::env(Clock::pinned("2026-11-22T10:00").unwrap(), "USD");
        let mut crm = Crm::new(Store::open_in_memory().unwrap(), env);
        crm.ensure_setup().unwrap();
        crm.create(
            Entity::Account,
            &Input::new()
                .with("name", "广州白云国际机场")
                .with("tier", "A"),
        )
        .unwrap();
        crm.create(
            Entity::Deal,
            &Input::new()
                .with("title", "d")
                .with("amount", "5")
                .with("account", "1"),
        )
        .unwrap();
        crm
    }

    #[test]
    fn birthdays_in_a_window_across_the_year_end_and_29_february() {
        let mut c = crm();
        for (name, b) in [
            ("a", "1980-12-30"),
            ("b", "1990-01-02"),
            ("c", "1992-02-29"),
            ("d", "1985-06-01"),
        ] {
            c.create(
                Entity::Contact,
                &Input::new().with("name", name).with("birthday", b),
            )
            .unwrap();
        }
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let got: Vec<(String, chrono::NaiveDate)> = c
            .reader()
            .birthdays(d(2026, 12, 28), 7)
            .unwrap()
            .into_iter()
            .map(|(r, day)| (r.label().to_string(), day))
            .collect();
        assert_eq!(
            got,
            vec![("a".into(), d(2026, 12, 30)), ("b".into(), d(2027, 1, 2))]
        );
        // 2027 has no 29 February: c's birthday is on the 28th.
        let got = c.reader().birthdays(d(2027, 2, 27), 3).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, d(2027, 2, 28));
        assert!(
            c.reader().birthdays(d(2028, 2, 28), 1).unwrap().is_empty(),
            "2028 has a 29th"
        );
    }

    #[test]
    fn input_values_are_checked_by_type() {
        let mut c = crm();
        let e = c
            .create(
                Entity::Deal,
                &Input::new().with("title", "x").with("amount", "-1"),
            )
            .unwrap_err();
        assert_eq!(e.to_string(), "amount: -1 is negative");
        let e = c
            .create(
                Entity::Account,
                &Input::new().with("name", "x").with("nope", "1"),
            )
            .unwrap_err();
        assert!(
            e.to_string().starts_with("account has no field 'nope'"),
            "{e}"
        );
        let e = c
            .create(
                Entity::Task,
                &Input::new().with("title", "x").with("done_at", "now"),
            )
            .unwrap_err();
        assert_eq!(e.to_string(), "done_at is set by kith, not by hand");
        assert_eq!(
            choose(crate::domain::sales::accounts::ACCOUNT_TYPES, "dist").unwrap(),
            "distributor"
        );
        assert!(
            choose(crate::domain::sales::accounts::ACCOUNT_TYPES, "p").is_err(),
            "p is prospect or partner"
        );
        assert_eq!(normalize_tag("+VIP").unwrap(), "vip");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_filter_or_sort_gives_rows_or_an_error_never_a_panic(
            terms in proptest::collection::vec("\\PC{0,24}", 0..4),
            sort in "\\PC{0,16}",
            kind in 0usize..6,
        ) {
            let c = crm();
            let entity = Entity::RECORDS[kind];
            if let Ok(filter) = crate::model::query::parse_args(&terms) {
                let sort = crate::model::query::parse_sort(&sort).unwrap_or_default();
                let q = ListQuery { filter, sort, ..ListQuery::default() };
                match c.list(entity, &q) {
                    Ok(_) => {}
                    Err(e) => prop_assert_eq!(e.exit_code(), 2, "{}", e),
                }
            }
        }

        #[test]
        fn any_field_value_is_accepted_or_refused_never_a_panic(
            field in 0usize..30,
            value in "\\PC{0,30}",
            kind in 0usize..6,
        ) {
            let mut c = crm();
            let entity = Entity::RECORDS[kind];
            let settable = settable(entity);
            let name = settable[field % settable.len()];
            let mut input = Input::new().with(name, value);
            if !input.has(entity.label_field()) {
                input.set(entity.label_field(), "x");
            }
            if entity == Entity::Activity && !input.has("kind") {
                input.set("kind", "call");
            }
            if let Err(e) = c.create(entity, &input) {
                prop_assert_eq!(e.exit_code(), 2, "{}", e);
            }
        }
    }
}
