//! The rest of the front door: every read and write a face needs beyond the record verbs in
//! `crm.rs` — the whole database (open, backup, restore, check, dump), the sales verbs
//! (convert a lead, move a deal, complete a task, edit a pipeline), undo, merge, search and
//! duplicates. A face calls these and never holds the store, a reader or a writer, so any
//! rule put in the library (who may see what, what happens after a write) reaches it.
//!
//! The types a face sees in the answers (rows of a report, findings of a check, the query
//! of a list) are re-exported here, so a face names `crate::app::queries`, not the store.

use std::path::Path;

use serde_json::Value;

use super::crm::{AllKinds, Crm, Env};
use crate::core::error::Result;
use crate::domain::sales::deals::Move;
use crate::domain::sales::leads::{Convert, Converted};
use crate::domain::sales::pipelines::{Board, Place, StageSpec};
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::Store;

pub use crate::store::{Cell, Collate, Finding, ListQuery, Row};

impl Crm {
    /// The database at `path` (made or upgraded on first use) with the given environment,
    /// its default pipeline in place.
    pub fn open(path: &Path, env: Env) -> Result<Crm> {
        let mut crm = Crm::new(Store::open(path)?, env);
        crm.ensure_setup()?;
        Ok(crm)
    }

    /// True when the database at `path` holds no records (a new file counts as empty).
    pub fn is_empty_at(path: &Path) -> Result<bool> {
        if !path.exists() {
            return Ok(true);
        }
        Store::open(path)?.reader().is_empty()
    }

    /// What SQLite finds wrong in a file too damaged to open as a kith database (read only).
    pub fn check_damaged(path: &Path) -> Result<Vec<Finding>> {
        Store::check_damaged(path)
    }

    /// Every problem `kith check` looks for.
    pub fn check(&self) -> Result<Vec<Finding>> {
        self.store.check()
    }

    /// Make again what kith derives; one line per thing made. No record changes (only
    /// indexes, triggers and tables kith fills from the records), so nothing is heard of it.
    pub fn repair(&mut self) -> Result<Vec<String>> {
        self.store.repair()
    }

    /// Copy the whole database to `dest` (administrators only, once roles apply: a copy
    /// of the file holds every record).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        self.require_whole()?;
        self.store.backup_to(dest)
    }

    /// The whole database as one JSON document (`export json --all`; administrators only,
    /// once roles apply).
    pub fn dump(&self) -> Result<Value> {
        self.require_whole()?;
        self.store.dump()
    }

    /// Refuse unless the acting user may have the whole database.
    fn require_whole(&self) -> Result<()> {
        if self.rights().is_admin() {
            return Ok(());
        }
        Err(crate::err!(
            NotAllowed,
            "rights.dump_admin",
            login = self.rights().login
        ))
    }

    /// One record, trashed or not, if it exists.
    pub fn get_any(&self, entity: Entity, id: i64) -> Result<Option<Record>> {
        self.reader().get(entity, id)
    }

    // --- cross-cutting reads ---------------------------------------------------------

    pub fn search(
        &self,
        text: &str,
        kinds: &[Entity],
        limit: usize,
    ) -> Result<Vec<super::search::Hit>> {
        super::search::search(&self.reader(), text, kinds, limit)
    }

    pub fn duplicate_pairs(&self, entity: Entity) -> Result<Vec<crate::domain::dupes::Pair>> {
        crate::domain::dupes::pairs(&self.reader(), entity)
    }

    // --- undo and merge --------------------------------------------------------------

    /// Undo these batches, in order, in one write; the batches undone.
    pub fn undo_batches(&mut self, batches: &[i64]) -> Result<Vec<i64>> {
        self.write(|w, _| {
            let mut done = Vec::new();
            for b in batches {
                done.push(super::undo::undo_batch(w, *b)?.batch);
            }
            Ok(done)
        })
    }

    pub fn undo_batch(&mut self, batch: i64) -> Result<super::undo::Undone> {
        self.write(|w, _| super::undo::undo_batch(w, batch))
    }

    /// Take back an undo (see [`super::undo::redo_batch`]).
    pub fn redo_batch(&mut self, undo: i64) -> Result<super::undo::Undone> {
        self.write(|w, _| super::undo::redo_batch(w, undo))
    }

    /// Merge `other` into `keep`; with `dry`, only what would happen.
    pub fn merge(
        &mut self,
        entity: Entity,
        keep: i64,
        other: i64,
        dry: bool,
    ) -> Result<super::merge::Merged> {
        if dry {
            self.dry_run(|w, _| super::merge::merge(w, entity, keep, other))
        } else {
            self.write(|w, _| super::merge::merge(w, entity, keep, other))
        }
    }

    // --- sales verbs -----------------------------------------------------------------

    pub fn convert_lead(&mut self, lead: i64, c: &Convert) -> Result<Converted> {
        self.write(|w, env| crate::domain::sales::leads::convert(w, env, &AllKinds, lead, c))
    }

    /// Move a deal to a stage of its pipeline; false when it was there already.
    pub fn move_deal(&mut self, deal: i64, stage: &str, m: &Move) -> Result<bool> {
        self.write(|w, env| crate::domain::sales::deals::move_to(w, env, deal, stage, m))
    }

    /// Close a deal `won` or `lost`; false when it was closed so already.
    pub fn close_deal(&mut self, deal: i64, outcome: &str, m: &Move) -> Result<bool> {
        self.write(|w, env| crate::domain::sales::deals::close(w, env, deal, outcome, m))
    }

    /// Mark tasks done (or open again), in one write; for each, its next occurrence if
    /// it repeats.
    pub fn set_tasks_done(&mut self, ids: &[i64], done: bool) -> Result<Vec<Option<i64>>> {
        self.write(|w, env| {
            let mut next = Vec::new();
            for id in ids {
                next.push(crate::domain::sales::tasks::set_done(
                    w, env, &AllKinds, *id, done,
                )?);
            }
            Ok(next)
        })
    }

    /// Put a task off; its new due.
    pub fn snooze_task(&mut self, id: i64, when: &str) -> Result<String> {
        self.write(|w, env| crate::domain::sales::tasks::snooze(w, env, &AllKinds, id, when))
    }

    // --- pipelines -------------------------------------------------------------------

    /// Every pipeline with its stages and the sums of their open deals. Summing the open
    /// deals takes a while on a large file (90,000 deals: 35–60 ms), and the interface
    /// shows the default board on two screens, so the boards are kept while the data
    /// stays as it was ([`Store::moment`]) and the same records are visible; any write,
    /// here or by another program, reads them again.
    pub fn boards(&self) -> Result<Vec<Board>> {
        let moment = self.store.moment()?;
        let vis = self.visibility().clone();
        let mut kept = self.boards.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = kept.as_ref().filter(|k| k.moment == moment && k.vis == vis) {
            return Ok(k.boards.clone());
        }
        let boards = crate::domain::sales::pipelines::boards(&self.reader())?;
        *kept = Some(super::crm::KeptBoards {
            moment,
            vis,
            boards: boards.clone(),
        });
        Ok(boards)
    }

    pub fn resolve_pipeline(&self, text: &str) -> Result<Record> {
        crate::domain::sales::pipelines::resolve(&self.reader(), text)
    }

    pub fn resolve_stage(&self, pipeline: i64, text: &str) -> Result<Record> {
        crate::domain::sales::pipelines::resolve_stage(&self.reader(), pipeline, text)
    }

    pub fn add_pipeline(
        &mut self,
        name: &str,
        stages: &[StageSpec],
        make_default: bool,
    ) -> Result<i64> {
        self.write(|w, _| crate::domain::sales::pipelines::add(w, name, stages, make_default))
    }

    pub fn rename_pipeline(&mut self, pipeline: i64, name: &str) -> Result<bool> {
        self.write(|w, _| crate::domain::sales::pipelines::rename(w, pipeline, name))
    }

    pub fn set_default_pipeline(&mut self, pipeline: i64) -> Result<()> {
        self.write(|w, _| crate::domain::sales::pipelines::set_default(w, pipeline))
    }

    pub fn add_stage(&mut self, pipeline: i64, spec: &StageSpec, place: &Place) -> Result<i64> {
        self.write(|w, _| crate::domain::sales::pipelines::add_stage(w, pipeline, spec, place))
    }

    pub fn edit_stage(
        &mut self,
        pipeline: i64,
        stage: i64,
        name: Option<&str>,
        probability: Option<i64>,
        outcome: Option<&str>,
    ) -> Result<bool> {
        self.write(|w, _| {
            crate::domain::sales::pipelines::edit_stage(
                w,
                pipeline,
                stage,
                name,
                probability,
                outcome,
            )
        })
    }

    pub fn move_stage(&mut self, pipeline: i64, stage: i64, place: &Place) -> Result<()> {
        self.write(|w, _| crate::domain::sales::pipelines::move_stage(w, pipeline, stage, place))
    }

    pub fn remove_stage(&mut self, pipeline: i64, stage: i64) -> Result<()> {
        self.write(|w, _| crate::domain::sales::pipelines::remove_stage(w, pipeline, stage))
    }
}
