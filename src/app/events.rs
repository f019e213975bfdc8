//! Events after every write: the seam automation rules, approvals, SLA clocks and hooks
//! hang on.
//!
//! Every write goes through the store's one write path ([`crate::store::Writer`]), reached
//! through [`Crm::write`](crate::Crm::write) (and `for_large_write`, `load_dump`,
//! `ensure_setup`). While a transaction runs, the writer gathers what it changes — each
//! record's kind, id, operation and fields before and after (the same as its change-log
//! row), each stage a deal entered, each reminder delivery — into one [`Batch`]. When the
//! transaction has committed, the front door hands the batch to every subscriber, in the
//! order they subscribed. Nothing is heard of a write that failed and was rolled back, of a
//! savepoint taken back (an import's bad row), or of a dry run; a write that changed nothing
//! is not announced either.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use kith::app::events::{Batch, Op};
//! # use kith::{Crm, Env, Input};
//! # use kith::model::Entity;
//! # let env = Env {
//! #     clock: kith::core::clock::Clock::pinned("2026-11-22T10:00").unwrap(),
//! #     user: "ann".into(),
//! #     currency: "CNY".into(),
//! #     allow_duplicates: false,
//! # };
//! # let mut crm = Crm::new(kith::store::Store::open_in_memory().unwrap(), env);
//! let heard: Arc<Mutex<Vec<Batch>>> = Arc::default();
//! let to = heard.clone();
//! crm.subscribe(move |b: &Batch| to.lock().unwrap().push(b.clone()));
//! let id = crm.create(Entity::Account, &Input::new().with("name", "Acme")).unwrap();
//! let heard = heard.lock().unwrap();
//! assert_eq!(heard[0].changes[0].op, Op::Create);
//! assert_eq!(heard[0].changes[0].id, id);
//! assert_eq!(heard[0].changes[0].after("name"), "Acme");
//! ```
//!
//! Records made in bulk (a CSV or vCard import) come as one [`Bulk`] per kind and
//! transaction — ids without values — so a million-row import is one event, not a million;
//! an import's updates of existing records come as ordinary [`Changed`]s. A whole-database
//! dump loaded by `kith import json`, and a backup restored by `kith restore`, are
//! announced as [`Op::Load`] bulks, one per kind.
//!
//! A subscriber cannot change the write it hears of (that has committed), and runs on the
//! thread that wrote. It should be quick; a slow one delays the command.

use std::sync::mpsc;

pub use crate::store::{Batch, Bulk, Changed, Delivery, Op, StageMove};

/// A subscriber: called with each committed batch.
pub type Subscriber = Box<dyn FnMut(&Batch) + Send>;

/// What [`Events::subscribe`] returns, to unsubscribe with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubscriberId(u64);

/// The subscribers of one front door.
#[derive(Default)]
pub struct Events {
    subscribers: Vec<(SubscriberId, Subscriber)>,
    next: u64,
}

impl Events {
    pub fn new() -> Events {
        Events::default()
    }

    /// Call `f` with every batch committed from now on.
    pub fn subscribe(&mut self, f: impl FnMut(&Batch) + Send + 'static) -> SubscriberId {
        let id = SubscriberId(self.next);
        self.next += 1;
        self.subscribers.push((id, Box::new(f)));
        id
    }

    /// Every batch committed from now on, sent to a channel (dropped once the receiver is).
    pub fn channel(&mut self) -> mpsc::Receiver<Batch> {
        let (tx, rx) = mpsc::channel();
        self.subscribe(move |b| {
            let _ = tx.send(b.clone());
        });
        rx
    }

    /// Stop calling a subscriber. Returns whether it was subscribed.
    pub fn unsubscribe(&mut self, id: SubscriberId) -> bool {
        let before = self.subscribers.len();
        self.subscribers.retain(|(s, _)| *s != id);
        self.subscribers.len() != before
    }

    /// Whether anyone listens (if not, writes gather nothing).
    pub fn is_empty(&self) -> bool {
        self.subscribers.is_empty()
    }

    /// Hand a committed batch to every subscriber (an empty one to none).
    pub fn emit(&mut self, batch: &Batch) {
        if batch.is_empty() {
            return;
        }
        for (_, f) in &mut self.subscribers {
            f(batch);
        }
    }
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("subscribers", &self.subscribers.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use serde_json::{json, Value};

    use super::*;
    use crate::app::crm::testing::{add, crm};
    use crate::app::crm::{AllKinds, Crm, Input};
    use crate::core::error::Error;
    use crate::model::Entity;

    /// Every batch the CRM announces, kept for the test to read.
    fn listen(crm: &mut Crm) -> Arc<Mutex<Vec<Batch>>> {
        let heard: Arc<Mutex<Vec<Batch>>> = Arc::default();
        let to = heard.clone();
        crm.subscribe(move |b| to.lock().unwrap().push(b.clone()));
        heard
    }

    /// The batches heard since the last call.
    fn take(heard: &Arc<Mutex<Vec<Batch>>>) -> Vec<Batch> {
        std::mem::take(&mut *heard.lock().unwrap())
    }

    /// The only batch heard since the last call.
    fn one(heard: &Arc<Mutex<Vec<Batch>>>) -> Batch {
        let mut got = take(heard);
        assert_eq!(got.len(), 1, "one batch: {got:#?}");
        got.remove(0)
    }

    /// (kind, id, op) of each change.
    fn ops(b: &Batch) -> Vec<(Entity, i64, Op)> {
        b.changes.iter().map(|c| (c.kind, c.id, c.op)).collect()
    }

    fn fields(pairs: &[(&str, Value)]) -> Option<serde_json::Map<String, Value>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn every_kind_of_write_is_heard_after_it_commits_with_what_it_changed() {
        let mut c = crm();
        let heard = listen(&mut c);
        let stamp = c.env.clock.stamp();
        // The default pipeline was made before anyone listened: batch 1.

        // Create.
        let acme = add(&mut c, Entity::Account, &[("name", "Acme"), ("tier", "A")]);
        assert_eq!(acme, 1);
        let b = one(&heard);
        assert_eq!(b.number, Some(2));
        assert_eq!((b.user.as_str(), b.at.as_str()), ("t", stamp.as_str()));
        assert_eq!(b.undo_of, None);
        assert_eq!(ops(&b), vec![(Entity::Account, 1, Op::Create)]);
        assert_eq!(b.changes[0].before, None);
        assert_eq!(b.changes[0].after("name"), "Acme");
        assert_eq!(b.changes[0].after("tier"), "A");
        assert_eq!(b.changes[0].after("owner"), "t");
        assert!(b.stage_moves.is_empty() && b.bulk.is_empty());

        // Edit: only the changed field, before and after.
        c.update(Entity::Account, acme, &Input::new().with("tier", "B"))
            .unwrap();
        let b = one(&heard);
        assert_eq!(b.number, Some(3));
        assert_eq!(ops(&b), vec![(Entity::Account, 1, Op::Update)]);
        assert_eq!(b.changes[0].before, fields(&[("tier", json!("A"))]));
        assert_eq!(b.changes[0].after, fields(&[("tier", json!("B"))]));

        // An edit that changes nothing is not announced.
        c.update(Entity::Account, acme, &Input::new().with("tier", "B"))
            .unwrap();
        assert!(take(&heard).is_empty());

        // A deal made enters the first stage (qualification, stage 1).
        let deal = add(
            &mut c,
            Entity::Deal,
            &[("title", "Lease"), ("amount", "5"), ("account", "1")],
        );
        let b = one(&heard);
        assert_eq!(ops(&b), vec![(Entity::Deal, deal, Op::Create)]);
        assert_eq!(b.changes[0].after("stage_id"), 1);
        assert_eq!(b.changes[0].after("probability"), 10);
        assert_eq!(
            b.stage_moves,
            vec![StageMove {
                deal,
                from: None,
                to: 1,
                at: stamp.clone()
            }]
        );

        // Moving it: stage 1 → proposal (stage 3), its probability along.
        c.write(|w, env| {
            crate::domain::sales::deals::move_to(w, env, deal, "proposal", &Default::default())
        })
        .unwrap();
        let b = one(&heard);
        assert_eq!(ops(&b), vec![(Entity::Deal, deal, Op::Update)]);
        assert_eq!(
            b.changes[0].before,
            // Still open: its status is not a change.
            fields(&[("stage_id", json!(1)), ("probability", json!(10))])
        );
        assert_eq!(b.changes[0].after("stage_id"), 3);
        assert_eq!(b.changes[0].after("probability"), 50);
        assert_eq!(
            b.stage_moves,
            vec![StageMove {
                deal,
                from: Some(1),
                to: 3,
                at: stamp.clone()
            }]
        );

        // Trash and restore.
        assert_eq!(c.trash(Entity::Account, &[acme]).unwrap(), 1);
        let b = one(&heard);
        assert_eq!(ops(&b), vec![(Entity::Account, 1, Op::Trash)]);
        assert_eq!(b.changes[0].before("deleted_at"), &Value::Null);
        assert_eq!(b.changes[0].after("deleted_at"), stamp.as_str());
        assert_eq!(c.restore(Entity::Account, &[acme]).unwrap(), 1);
        let b = one(&heard);
        assert_eq!(ops(&b), vec![(Entity::Account, 1, Op::Restore)]);
        assert_eq!(b.changes[0].before("deleted_at"), stamp.as_str());
        assert_eq!(b.changes[0].after("deleted_at"), &Value::Null);

        // Merge Beta (account 2, with contact 1) into Acme.
        let beta = add(
            &mut c,
            Entity::Account,
            &[("name", "Beta"), ("industry", "aviation")],
        );
        let bo = add(&mut c, Entity::Contact, &[("name", "Bo"), ("account", "2")]);
        assert_eq!((beta, bo), (2, 1));
        take(&heard);
        let merged = c
            .write(|w, _| crate::app::merge::merge(w, Entity::Account, acme, beta))
            .unwrap();
        assert_eq!(merged.kept, 1);
        let b = one(&heard);
        let merge_batch = b.number.unwrap();
        assert_eq!(merge_batch, 10);
        assert_eq!(
            ops(&b),
            vec![
                (Entity::Contact, 1, Op::Update),
                (Entity::Account, 1, Op::Update),
                (Entity::Account, 2, Op::Trash),
                (Entity::Account, 2, Op::Merge),
            ]
        );
        assert_eq!(b.changes[0].before, fields(&[("account_id", json!(2))]));
        assert_eq!(b.changes[0].after, fields(&[("account_id", json!(1))]));
        assert_eq!(b.changes[1].before, fields(&[("industry", Value::Null)]));
        assert_eq!(
            b.changes[1].after,
            fields(&[("industry", json!("aviation"))])
        );
        assert_eq!(b.changes[3].after, fields(&[("kept_id", json!(1))]));

        // Undo the merge: newest change first, marked as undoing it.
        c.write(|w, _| crate::app::undo::undo_batch(w, merge_batch))
            .unwrap();
        let b = one(&heard);
        assert_eq!(b.number, Some(11));
        assert_eq!(b.undo_of, Some(merge_batch));
        assert_eq!(
            ops(&b),
            vec![
                (Entity::Account, 2, Op::Restore),
                (Entity::Account, 1, Op::Update),
                (Entity::Contact, 1, Op::Update),
            ]
        );
        assert_eq!(b.changes[1].after, fields(&[("industry", Value::Null)]));
        assert_eq!(b.changes[2].after, fields(&[("account_id", json!(2))]));

        // Undoing a stage move moves the deal back, and says so.
        let moved = c.reader().batch_changes(5).unwrap();
        assert_eq!(moved[0].entity, "deal", "batch 5 moved the deal");
        c.write(|w, _| crate::app::undo::undo_batch(w, 5)).unwrap();
        let b = one(&heard);
        assert_eq!(b.undo_of, Some(5));
        assert_eq!(ops(&b), vec![(Entity::Deal, deal, Op::Update)]);
        assert_eq!(b.changes[0].after("stage_id"), 1);
        assert_eq!(b.stage_moves.len(), 1);
        assert_eq!((b.stage_moves[0].from, b.stage_moves[0].to), (Some(3), 1));

        // A CSV import: one summarising entry per kind; the rejected row is not in it.
        let csv = "name,tier\nGamma,A\nEps,Z\nDelta,C\n";
        let src = crate::io::import::source::Source::open(
            Box::new(std::io::Cursor::new(csv.as_bytes().to_vec())),
            &Default::default(),
        )
        .unwrap();
        let opts = crate::io::import::Options {
            entity: Some(Entity::Account),
            skip_invalid: true,
            ..Default::default()
        };
        let summary = crate::io::import::import_csv(&mut c, src, &opts, |_| {}, |_| {}).unwrap();
        assert_eq!((summary.created, summary.rejected), (2, 1));
        let b = one(&heard);
        assert_eq!(b.number, Some(13));
        assert_eq!(summary.batch, Some(13));
        assert!(b.changes.is_empty());
        assert_eq!(
            b.bulk,
            vec![Bulk {
                kind: Entity::Account,
                op: Op::Create,
                ids: vec![3, 4]
            }]
        );

        // Nothing is heard of a dry run or of a write that failed.
        let src = crate::io::import::source::Source::open(
            Box::new(std::io::Cursor::new(b"name\nZeta\n".to_vec())),
            &Default::default(),
        )
        .unwrap();
        let dry = crate::io::import::Options {
            dry_run: true,
            ..opts.clone()
        };
        crate::io::import::import_csv(&mut c, src, &dry, |_| {}, |_| {}).unwrap();
        c.dry_run(|w, env| {
            crate::app::crm::create_in(w, env, Entity::Account, &Input::new().with("name", "Y"))
        })
        .unwrap();
        let failed: crate::core::error::Result<()> = c.write(|w, env| {
            crate::app::crm::create_in(w, env, Entity::Account, &Input::new().with("name", "X"))?;
            Err(Error::invalid("no"))
        });
        assert!(failed.is_err());
        assert!(take(&heard).is_empty());
        assert_eq!(c.reader().batch_changes(14).unwrap().len(), 0);

        // A dump loaded by `import json`: one batch, the records loaded by kind.
        let dump = c.store.dump().unwrap();
        let mut fresh = Crm::new(
            crate::store::Store::open_in_memory().unwrap(),
            c.env.clone(),
        );
        let loaded = listen(&mut fresh);
        fresh.load_dump(&dump).unwrap();
        let b = one(&loaded);
        let bulk: Vec<(Entity, Op, Vec<i64>)> = b
            .bulk
            .iter()
            .map(|x| (x.kind, x.op, x.ids.clone()))
            .collect();
        assert_eq!(
            bulk,
            vec![
                (Entity::Account, Op::Load, vec![1, 2, 3, 4]),
                (Entity::Contact, Op::Load, vec![1]),
                (Entity::Deal, Op::Load, vec![1]),
                (Entity::Pipeline, Op::Load, vec![1]),
                (Entity::Stage, Op::Load, vec![1, 2, 3, 4, 5, 6]),
                // kith (who made the default pipeline) and t (who made the rest).
                (Entity::User, Op::Load, vec![1, 2]),
                // The roles every database starts with.
                (Entity::Role, Op::Load, vec![1, 2, 3, 4]),
            ]
        );
    }

    #[test]
    fn a_restored_backup_is_heard_as_one_batch_loading_every_record_it_holds() {
        let mut c = crm();
        add(&mut c, Entity::Account, &[("name", "Acme")]);
        let globex = add(&mut c, Entity::Account, &[("name", "Globex")]);
        add(
            &mut c,
            Entity::Contact,
            &[("name", "Ann"), ("account", "Acme")],
        );
        c.trash(Entity::Account, &[globex]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.db");
        c.backup_to(&file).unwrap();
        let mut fresh = Crm::new(
            crate::store::Store::open_in_memory().unwrap(),
            c.env.clone(),
        );
        fresh.ensure_setup().unwrap();
        let heard = listen(&mut fresh);
        fresh.restore_from(&file).unwrap();
        let b = one(&heard);
        let bulk: Vec<(Entity, Op, Vec<i64>)> = b
            .bulk
            .iter()
            .map(|x| (x.kind, x.op, x.ids.clone()))
            .collect();
        assert_eq!(
            bulk,
            vec![
                // The trashed account too: it is in the backup.
                (Entity::Account, Op::Load, vec![1, 2]),
                (Entity::Contact, Op::Load, vec![1]),
                (Entity::Pipeline, Op::Load, vec![1]),
                (Entity::Stage, Op::Load, vec![1, 2, 3, 4, 5, 6]),
                (Entity::User, Op::Load, vec![1, 2]),
                (Entity::Role, Op::Load, vec![1, 2, 3, 4]),
            ]
        );
        // Repairing changes no record: nothing is heard.
        fresh.repair().unwrap();
        assert!(take(&heard).is_empty());
    }

    #[test]
    fn a_bulk_load_is_heard_as_one_batch_naming_every_record_it_made() {
        let mut c = Crm::new(
            crate::store::Store::open_in_memory().unwrap(),
            crm().env.clone(),
        );
        let heard = listen(&mut c);
        c.ensure_setup().unwrap();
        take(&heard); // the default pipeline, made on first use
        let counts = crate::samples::bulk::Counts {
            accounts: 3,
            contacts: 5,
            leads: 2,
            deals: 4,
            activities: 6,
            tasks: 2,
            products: 3,
            pricelists: 1,
            quotes: 4,
            ..Default::default()
        };
        c.bulk_load(|store, env| {
            crate::samples::bulk::generate_counts(store, &counts, 7, env.clock.now(), &env.user)
        })
        .unwrap();
        let b = one(&heard);
        let ids = |kind: Entity| -> Vec<i64> {
            b.bulk
                .iter()
                .filter(|x| x.kind == kind && x.op == Op::Load)
                .flat_map(|x| x.ids.clone())
                .collect()
        };
        assert_eq!(ids(Entity::Account), vec![1, 2, 3]);
        assert_eq!(ids(Entity::Contact), (1..=5).collect::<Vec<i64>>());
        assert_eq!(ids(Entity::Lead), vec![1, 2]);
        assert_eq!(ids(Entity::Deal), vec![1, 2, 3, 4]);
        assert_eq!(ids(Entity::Task), vec![1, 2]);
        // The default pipeline was there before the load: not announced again.
        assert!(ids(Entity::Pipeline).is_empty());
    }

    #[test]
    fn domain_verbs_are_heard_too_and_subscribers_can_leave() {
        let mut c = crm();
        let heard = listen(&mut c);
        // Converting a lead makes its account and contact and marks it converted.
        let lead = add(
            &mut c,
            Entity::Lead,
            &[("name", "Li Lei"), ("company", "Kite Air")],
        );
        take(&heard);
        c.write(|w, env| {
            crate::domain::sales::leads::convert(w, env, &AllKinds, lead, &Default::default())
        })
        .unwrap();
        let b = one(&heard);
        assert_eq!(
            ops(&b),
            vec![
                (Entity::Account, 1, Op::Create),
                (Entity::Contact, 1, Op::Create),
                (Entity::Lead, lead, Op::Update),
            ]
        );
        assert_eq!(b.changes[0].after("name"), "Kite Air");
        assert_eq!(b.changes[2].after("status"), "converted");
        // Marking a repeating task done makes its next occurrence in the same batch.
        let task = add(
            &mut c,
            Entity::Task,
            &[
                ("title", "Call"),
                ("due", "2026-11-22"),
                ("repeat", "daily"),
            ],
        );
        take(&heard);
        c.write(|w, env| crate::domain::sales::tasks::set_done(w, env, &AllKinds, task, true))
            .unwrap();
        let b = one(&heard);
        assert_eq!(
            ops(&b),
            vec![
                (Entity::Task, task, Op::Update),
                (Entity::Task, task + 1, Op::Create)
            ]
        );
        assert_eq!(b.changes[1].after("due"), "2026-11-23");
        // Renaming the pipeline (pipeline 1, made with the database).
        c.write(|w, _| crate::domain::sales::pipelines::rename(w, 1, "Sales 2027"))
            .unwrap();
        let b = one(&heard);
        assert_eq!(ops(&b), vec![(Entity::Pipeline, 1, Op::Update)]);
        assert_eq!(b.changes[0].after("name"), "Sales 2027");
        // Reminders claimed, then delivered: bookkeeping, heard all the same.
        let pay = add(
            &mut c,
            Entity::Task,
            &[("title", "Pay"), ("due", "2026-11-22")],
        );
        take(&heard);
        let due = crate::domain::sales::remind::collect(
            &c,
            None,
            &Default::default(),
            crate::domain::sales::remind::Which::All,
        )
        .unwrap();
        let due: Vec<_> = due.into_iter().filter(|r| r.kind == "task").collect();
        let keys: Vec<String> = due.iter().map(|r| r.key.clone()).collect();
        assert_eq!(keys, vec![format!("task:{pay}:2026-11-22")]);
        crate::domain::sales::remind::claim(&mut c, due).unwrap();
        crate::domain::sales::remind::settle(&mut c, &keys, &[]).unwrap();
        let b = take(&heard);
        let claimed: Vec<Delivery> = keys.iter().map(|k| Delivery::Claimed(k.clone())).collect();
        let delivered: Vec<Delivery> = keys
            .iter()
            .map(|k| Delivery::Delivered(k.clone()))
            .collect();
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].number, &b[0].deliveries), (None, &claimed));
        assert_eq!(b[1].deliveries, delivered);
        // A channel hears the same; one who left hears nothing more.
        let rx = c.events_channel();
        let id = c.subscribe(|_| panic!("unsubscribed"));
        assert!(c.unsubscribe(id));
        add(&mut c, Entity::Account, &[("name", "Solo")]);
        let b = rx.try_recv().unwrap();
        assert_eq!(ops(&b), vec![(Entity::Account, 2, Op::Create)]);
        assert!(rx.try_recv().is_err(), "one batch");
        assert_eq!(one(&heard), b);
    }
}
