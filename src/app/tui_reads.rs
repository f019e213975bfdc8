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
use crate::model::record::Record;
use crate::model::Entity;

pub use crate::store::{Cell, Change, ListQuery, Row};

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
