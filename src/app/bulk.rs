//! One change made to many records at once — the interface's marked rows — in one write:
//! one batch in the change log, so one `u` (or `kith undo`) takes all of it back, and
//! all or nothing: a record the change cannot be made to leaves every record as it was,
//! and the error names that record.

use crate::app::crm::{update_in, AllKinds, Crm, Input};
use crate::core::error::Result;
use crate::domain::sales::deals::{self, Move, Step};
use crate::model::Entity;

/// What to do to each record.
#[derive(Debug, Clone, PartialEq)]
pub enum Bulk {
    /// Tasks done (`true`) or open again (`false`).
    Done(bool),
    /// Deals one open stage on or back.
    Step(Step),
    /// Deals to the stage of this name (or id) in their own pipelines.
    Stage(String),
    /// Deals closed `won` or `lost`, with the reason lost ones need.
    Close {
        outcome: String,
        reason: Option<String>,
    },
    /// Fields set and tags added or taken off, as `kith <kind> edit` does (an owner, tags).
    Set(Input),
    /// Records moved to the trash.
    Trash,
}

impl Crm {
    /// Do `op` to every record of `ids`, in one write; how many of them it changed.
    pub fn bulk(&mut self, entity: Entity, ids: &[i64], op: &Bulk) -> Result<usize> {
        let deal_op = matches!(op, Bulk::Step(_) | Bulk::Stage(_) | Bulk::Close { .. });
        if deal_op && entity != Entity::Deal {
            return Err(crate::err!(Invalid, "marked.only_deals"));
        }
        if matches!(op, Bulk::Done(_)) && entity != Entity::Task {
            return Err(crate::err!(Invalid, "marked.only_tasks"));
        }
        self.write(|w, env| {
            let mut changed = 0;
            for &id in ids {
                let at = || format!("{entity} {id}");
                let did = match op {
                    Bulk::Done(done) => {
                        let before = w.reader().get(entity, id)?.map(|r| r.bool("done"));
                        crate::domain::sales::tasks::set_done(w, env, &AllKinds, id, *done)
                            .map_err(|e| e.context(at()))?;
                        before != Some(*done)
                    }
                    Bulk::Step(way) => match deals::step(w, env, id, *way) {
                        Ok(Some(_)) => true,
                        Ok(None) => {
                            return Err(match way {
                                Step::Next => crate::err!(Invalid, "marked.no_next_stage", id = id),
                                Step::Previous => {
                                    crate::err!(Invalid, "marked.no_previous_stage", id = id)
                                }
                            })
                        }
                        Err(e) => return Err(e.context(at())),
                    },
                    Bulk::Stage(stage) => deals::move_to(w, env, id, stage, &Move::default())
                        .map_err(|e| e.context(at()))?,
                    Bulk::Close { outcome, reason } => {
                        let m = Move {
                            probability: None,
                            reason: reason.clone(),
                        };
                        deals::close(w, env, id, outcome, &m).map_err(|e| e.context(at()))?
                    }
                    Bulk::Set(input) => {
                        update_in(w, env, entity, id, input).map_err(|e| e.context(at()))?
                    }
                    Bulk::Trash => crate::domain::records::trash_in(w, env, entity, id)
                        .map_err(|e| e.context(at()))?,
                };
                changed += did as usize;
            }
            Ok(changed)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::crm::testing;
    use crate::core::clock::Clock;
    use crate::store::Store;

    fn crm() -> Crm {
        let env = testing::env(Clock::pinned("2026-11-22T10:00").unwrap(), "USD");
        let mut crm = Crm::new(Store::open_in_memory().unwrap(), env);
        crm.ensure_setup().unwrap();
        crm
    }

    fn deal(crm: &mut Crm, title: &str, stage: &str) -> i64 {
        let a = crm
            .create(Entity::Account, &Input::new().with("name", "Acme"))
            .or_else(|_| crm.resolve(Entity::Account, "Acme"))
            .unwrap();
        crm.create(
            Entity::Deal,
            &Input::new()
                .with("title", title)
                .with("account", a.to_string())
                .with("stage", stage)
                .with("amount", "100"),
        )
        .unwrap()
    }

    fn stage(crm: &Crm, id: i64) -> String {
        let r = crm.get(Entity::Deal, id).unwrap();
        crm.get(Entity::Stage, r.i64("stage_id").unwrap())
            .unwrap()
            .label()
            .to_string()
    }

    #[test]
    fn a_bulk_change_is_one_batch_or_nothing() {
        let mut crm = crm();
        let a = deal(&mut crm, "A", "needs analysis");
        let b = deal(&mut crm, "B", "proposal");
        let batches = |crm: &Crm| crm.history(Entity::Deal, a).unwrap().len();
        let before = batches(&crm);
        let n = crm
            .bulk(Entity::Deal, &[a, b], &Bulk::Step(Step::Next))
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(stage(&crm, a), "proposal");
        assert_eq!(stage(&crm, b), "negotiation");
        assert!(batches(&crm) > before);
        // Both moves are one batch: one undo takes both back.
        let last = crate::app::undo::last_batches(&crm, 1).unwrap()[0];
        crm.undo_batch(last).unwrap();
        assert_eq!(stage(&crm, a), "needs analysis");
        assert_eq!(stage(&crm, b), "proposal");
        // A deal that cannot go back leaves the other as it was too.
        let first = deal(&mut crm, "C", "qualification");
        let err = crm
            .bulk(Entity::Deal, &[a, first], &Bulk::Step(Step::Previous))
            .unwrap_err();
        assert!(err.to_string().contains(&format!("deal {first}")), "{err}");
        assert_eq!(stage(&crm, a), "needs analysis");
    }

    #[test]
    fn tags_and_owners_are_set_on_every_record() {
        let mut crm = crm();
        let a = deal(&mut crm, "A", "needs analysis");
        let b = deal(&mut crm, "B", "needs analysis");
        let mut input = Input::new().with("owner", "lin.wei");
        input.tags_add = vec!["vip".into()];
        assert_eq!(
            crm.bulk(Entity::Deal, &[a, b], &Bulk::Set(input)).unwrap(),
            2
        );
        for id in [a, b] {
            let r = crm.get(Entity::Deal, id).unwrap();
            assert_eq!(r.str("owner"), Some("lin.wei"));
            assert_eq!(r.get("tags"), Some(&serde_json::json!(["vip"])));
        }
        let err = crm
            .bulk(Entity::Account, &[1], &Bulk::Done(true))
            .unwrap_err();
        assert!(err.to_string().contains("tasks"), "{err}");
    }
}
