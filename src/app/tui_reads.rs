//! What the full-screen interface asks of the library beyond the plain verbs of
//! [`Crm`](crate::app::crm::Crm): the pipeline boards, a pipeline's stages for a form,
//! the names a list's fuzzy filter ranks, records by id, search as you type, and the deal
//! moves of the board. The interface holds no store and no reader; it calls these.
//!
//! The store's plain value types the interface draws (a change of the log, a report's
//! rows and cells, a list's query) are named here too, so the face never names the store.

use std::thread::JoinHandle;

use crate::app::crm::{Crm, Overview};
use crate::app::search::{Finder, Pool};
use crate::core::error::Result;
use crate::domain::sales::deals::{self, Step};
use crate::domain::sales::pipelines::{self, Board};
use crate::domain::sales::remind::{self, care::Care, Reminder};
use crate::model::record::Record;
use crate::model::Entity;

pub use crate::store::{Cell, Change, ListQuery, Row};

/// The reminders due now, each with whether a run of `kith remind` delivered it already.
pub type Preview = Vec<(Reminder, bool)>;

impl Crm {
    /// The default pipeline's board, if there is one.
    pub fn default_board(&self) -> Result<Option<Board>> {
        Ok(self.boards()?.into_iter().find(|b| b.is_default))
    }

    /// The stages of a pipeline named as a user types it (by name or id), or of the
    /// default pipeline when `pipeline` is blank, in order.
    pub fn pipeline_stages(&self, pipeline: &str) -> Result<Vec<Record>> {
        let r = self.reader();
        let p = if pipeline.trim().is_empty() {
            pipelines::default_pipeline(&r)?
        } else {
            pipelines::resolve(&r, pipeline)?
        };
        pipelines::stages(&r, p.id(), &crate::store::QueryCtx::none())
    }

    /// Records by id, in the order of `ids` (those that exist).
    pub fn get_many(&self, entity: Entity, ids: &[i64]) -> Result<Vec<Record>> {
        self.reader().get_many(entity, ids)
    }

    /// The last `n` records of a list, in its order, read from its end (the `G` key on a
    /// list of 200,000 records reads one page, not all of them).
    pub fn list_tail(&self, entity: Entity, query: &ListQuery, n: usize) -> Result<Vec<Record>> {
        self.reader().list_tail(entity, query, n, &self.env.ctx())
    }

    /// How many records a list query selects, counted without reading them.
    pub fn count(&self, entity: Entity, query: &ListQuery) -> Result<usize> {
        self.reader().count(entity, query, &self.env.ctx())
    }

    /// [`Crm::count`] on another connection, on another thread (`None` for a database in
    /// memory, which has no second connection).
    pub fn count_ahead(
        &self,
        entity: Entity,
        query: &ListQuery,
    ) -> Option<JoinHandle<Result<usize>>> {
        let (query, ctx) = (query.clone(), self.env.ctx());
        self.read_on_thread(move |r| r.count(entity, &query, &ctx))
    }

    /// How many open tasks are due by the end of `day`, from the open tasks' index.
    pub fn count_tasks_due_by(&self, day: chrono::NaiveDate) -> Result<usize> {
        self.reader()
            .count_open_tasks_due(&format!("{}T23:59:59", day.format("%Y-%m-%d")))
    }

    /// How many open deals are expected to close by the end of `day`'s month (or were,
    /// and are still open), from the open deals' index.
    pub fn count_deals_closing_in_month_of(&self, day: chrono::NaiveDate) -> Result<usize> {
        use chrono::Datelike;
        let (y, m) = if day.month() == 12 {
            (day.year() + 1, 1)
        } else {
            (day.year(), day.month() + 1)
        };
        let last = chrono::NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        self.reader()
            .count_open_deals_closing(&last.format("%Y-%m-%d").to_string())
    }

    /// The names of the records a list query selects, to rank by fuzzy match.
    pub fn name_pool(&self, entity: Entity, query: &ListQuery) -> Result<Pool> {
        Ok(Pool::new(self.reader().labels(
            entity,
            query,
            &self.env.ctx(),
        )?))
    }

    /// [`Crm::name_pool`] read on another thread (`None` for a database in memory, which
    /// has no second connection).
    pub fn name_pool_ahead(
        &self,
        entity: Entity,
        query: &ListQuery,
    ) -> Option<JoinHandle<Result<Pool>>> {
        let (query, ctx) = (query.clone(), self.env.ctx());
        self.read_on_thread(move |r| Ok(Pool::new(r.labels(entity, &query, &ctx)?)))
    }

    /// Every record the finder ranks (those `search` looks through), read once.
    pub fn finder(&self) -> Result<Finder> {
        Finder::read(&self.reader())
    }

    /// [`Crm::finder`] read on another thread (`None` for a database in memory).
    pub fn finder_ahead(&self) -> Option<JoinHandle<Result<Finder>>> {
        self.read_on_thread(Finder::read)
    }

    /// Changes whenever the data may have changed, by a write here or another program's
    /// (see [`Store::moment`](crate::store::Store::moment)): what the interface derived
    /// from the data may be kept while it stays the same.
    pub fn moment(&self) -> Result<(i64, u64)> {
        self.store.moment()
    }

    /// Changes when another program commits a change to the database (see
    /// [`Store::data_version`](crate::store::Store::data_version)): the interface reads
    /// its screens again.
    pub fn data_version(&self) -> Result<i64> {
        self.store.data_version()
    }

    /// What `kith remind` would deliver now, without delivering or claiming anything.
    /// With `all`, every reminder due by the end of today, each with whether a run
    /// delivered it already; without, only those it would deliver (read as `kith remind`
    /// reads them: a rule passes over what was delivered before reading more of it).
    pub fn remind_preview(&self, care: &Care, all: bool) -> Result<Preview> {
        if !all {
            let fresh = remind::collect(self, None, care, remind::Which::Undelivered)?;
            return Ok(fresh.into_iter().map(|r| (r, false)).collect());
        }
        let all = remind::collect(self, None, care, remind::Which::All)?;
        let fresh: std::collections::HashSet<String> = remind::undelivered(self, all.clone())?
            .into_iter()
            .map(|r| r.key)
            .collect();
        Ok(all
            .into_iter()
            .map(|r| {
                let delivered = !fresh.contains(&r.key);
                (r, delivered)
            })
            .collect())
    }

    /// [`Crm::remind_preview`] on another thread, through a connection of its own (a
    /// database in memory, which has no second connection, gives `None`).
    pub fn remind_preview_ahead(
        &self,
        care: &Care,
        all: bool,
    ) -> Option<JoinHandle<Result<Preview>>> {
        let path = self.store.path()?.to_path_buf();
        let (env, care, vis) = (self.env.clone(), care.clone(), self.visibility().clone());
        Some(std::thread::spawn(move || {
            crate::core::threads::run_in_background();
            let mut crm = Crm::new(crate::store::Store::open_for_reading(&path)?, env);
            crm.set_visibility(vis);
            crm.remind_preview(&care, all)
        }))
    }

    /// A live record by id or name, if exactly one matches.
    pub fn lookup(&self, entity: Entity, text: &str) -> Option<Record> {
        self.resolve(entity, text)
            .ok()
            .and_then(|id| self.get(entity, id).ok())
    }

    /// A record, its history and what surrounds it: everything a detail view shows.
    pub fn detail(&self, entity: Entity, id: i64) -> Result<(Overview, Vec<Change>)> {
        Ok((self.overview(entity, id)?, self.history(entity, id)?))
    }

    /// Move a deal one open stage on or back; the stage it entered, or `None` when there
    /// is none that way (nothing changes).
    pub fn step_deal(&mut self, deal: i64, way: Step) -> Result<Option<Record>> {
        self.write(|w, env| deals::step(w, env, deal, way))
    }
}
