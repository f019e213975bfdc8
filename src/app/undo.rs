//! Undo, from the change log. A batch (one write transaction: a command, a form saved, an
//! import) is undone as a whole, newest change first: a created record goes to the trash,
//! an update gets its old values back, a trash is restored and a restore trashed. The undo
//! is itself a batch in the change log, marked as undoing the other; an undone batch cannot
//! be undone twice. If a field was changed again after the batch, the undo is refused
//! rather than overwrite the later change.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::app::crm::Crm;
use crate::core::error::Result;
use crate::model::Entity;
use crate::store::{Change, Writer};

/// What an undo did (or would do).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Undone {
    pub batch: i64,
    pub at: String,
    pub user: String,
    /// One line per change reverted: "trash account 12 (created)".
    pub steps: Vec<String>,
}

/// The undo a redo would take back for the current user, if any.
pub fn redoable(crm: &Crm) -> Result<Option<i64>> {
    crm.reader().redoable_batch(&crm.env.user)
}

/// The batches `kith undo --steps N` would undo for the current user, newest first.
pub fn last_batches(crm: &Crm, steps: usize) -> Result<Vec<i64>> {
    let batches = crm.reader().undoable_batches(&crm.env.user, steps)?;
    if batches.is_empty() {
        return Err(crate::err!(
            NotFound,
            "undo.made_change_undone",
            user = crm.env.user
        ));
    }
    Ok(batches)
}

/// Describe a batch without changing anything.
pub fn describe(crm: &Crm, batch: i64) -> Result<Undone> {
    let changes = crm.reader().batch_changes(batch)?;
    let first = changes
        .first()
        .ok_or_else(|| crate::err!(Invalid, "undo.there_batch", batch = batch))?;
    Ok(Undone {
        batch,
        at: first.at.clone(),
        user: first.user.clone(),
        steps: changes.iter().rev().map(step_text).collect(),
    })
}

/// Describe a batch by its newest `n` changes (a bulk import has millions), and how many
/// changes it has in all.
pub fn describe_head(crm: &Crm, batch: i64, n: usize) -> Result<(Undone, usize)> {
    let (head, count) = crm.reader().batch_head(batch, n)?;
    let first = head
        .first()
        .ok_or_else(|| crate::err!(Invalid, "undo.there_batch", batch = batch))?;
    Ok((
        Undone {
            batch,
            at: first.at.clone(),
            user: first.user.clone(),
            steps: head.iter().map(step_text).collect(),
        },
        count,
    ))
}

fn step_text(c: &Change) -> String {
    let fields = |v: &Value| {
        v.as_object()
            .map(|o| {
                o.keys()
                    .filter(|k| *k != "updated_at")
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    match c.op.as_str() {
        "create" => crate::tr!(
            "undo.trash_created",
            kind = c.entity,
            record_id = c.record_id
        ),
        "update" => crate::tr!(
            "undo.restore_fields",
            kind = c.entity,
            record_id = c.record_id,
            fields = fields(&c.before)
        ),
        "trash" => crate::tr!(
            "undo.restore_trash",
            kind = c.entity,
            record_id = c.record_id
        ),
        _ => crate::tr!(
            "undo.trash_restored",
            kind = c.entity,
            record_id = c.record_id
        ),
    }
}

/// Undo one batch inside a write.
pub fn undo_batch(w: &mut Writer<'_>, batch: i64) -> Result<Undone> {
    if w.reader().undo_depth(batch)? % 2 == 1 {
        return Err(crate::err!(
            Invalid,
            "undo.batch_itself_undo",
            batch = batch
        ));
    }
    take_back(w, batch)
}

/// Redo: take back an undo (a batch that undid another), which applies the other's
/// changes again, as a batch of its own that can itself be undone.
pub fn redo_batch(w: &mut Writer<'_>, undo: i64) -> Result<Undone> {
    if w.reader().undo_depth(undo)? % 2 == 0 {
        return Err(crate::err!(Invalid, "undo.not_an_undo", batch = undo));
    }
    take_back(w, undo)
}

/// Revert every change of a batch, newest first, marking this write as its undo.
fn take_back(w: &mut Writer<'_>, batch: i64) -> Result<Undone> {
    if let Some(by) = w.reader().undone_by(batch)? {
        return Err(crate::err!(
            Invalid,
            "undo.batch_undone_already",
            batch = batch,
            by = by
        ));
    }
    let changes = w.reader().batch_changes(batch)?;
    let first = changes
        .first()
        .ok_or_else(|| crate::err!(Invalid, "undo.there_batch", batch = batch))?
        .clone();
    w.set_undo_of(batch);
    let mut steps = Vec::new();
    for c in changes.iter().rev() {
        let entity = Entity::from_name(&c.entity).ok_or_else(|| {
            crate::err!(
                Failed,
                "undo.change_unknown_kind",
                id = c.id,
                kind = c.entity
            )
        })?;
        revert(w, entity, c)?;
        steps.push(step_text(c));
    }
    Ok(Undone {
        batch,
        at: first.at,
        user: first.user,
        steps,
    })
}

fn revert(w: &mut Writer<'_>, entity: Entity, c: &Change) -> Result<()> {
    let id = c.record_id;
    let current = w.reader().raw(entity, id)?.ok_or_else(|| {
        crate::err!(
            Invalid,
            "undo.longer_exists",
            entity = entity.label(),
            id = id
        )
    })?;
    match c.op.as_str() {
        "create" => {
            w.trash(entity, id)?;
        }
        "trash" => {
            w.restore(entity, id)?;
        }
        "restore" => {
            w.trash(entity, id)?;
        }
        _ => {
            let empty = Map::new();
            let after = c.after.as_object().unwrap_or(&empty);
            let before = c.before.as_object().unwrap_or(&empty);
            for (col, v) in after {
                let now = current.get(col).unwrap_or(&Value::Null);
                if now != v {
                    return Err(crate::err!(
                        Invalid,
                        "undo.changed_again_after",
                        entity = entity.label(),
                        id = id,
                        col = col,
                        batch = c.batch.unwrap_or(0)
                    ));
                }
            }
            let values: Vec<(String, Value)> =
                before.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            w.update(entity, id, &values)?;
            // A deal taken back to a stage entered it again, for the stage history.
            if entity == Entity::Deal {
                if let (Some(Value::Number(to)), Some(Value::Number(from))) =
                    (before.get("stage_id"), after.get("stage_id"))
                {
                    if let (Some(to), Some(from)) = (to.as_i64(), from.as_i64()) {
                        w.record_stage_change(id, Some(from), to)?;
                    }
                }
            }
        }
    }
    Ok(())
}
