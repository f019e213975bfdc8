//! Merging two records of one kind into one: everything that points at OTHER (contacts,
//! deals, activities, tasks, child accounts, converted leads…) is moved onto KEEP, KEEP's
//! empty fields are filled from OTHER (lists and tags are joined), OTHER goes to the trash,
//! and the merge is remembered so KEEP's history includes OTHER's. One batch: `kith undo`
//! takes it back.

use serde::Serialize;
use serde_json::Value;

use crate::core::error::{Error, Result};
use crate::domain::toolkit::{by, list_query};
use crate::model::{Entity, Ty};
use crate::store::{QueryCtx, Writer};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merged {
    pub kind: String,
    pub kept: i64,
    pub merged: i64,
    /// Records moved onto KEEP, as "contact 12 (account)".
    pub moved: Vec<String>,
    /// KEEP's fields filled from OTHER.
    pub filled: Vec<String>,
}

pub fn merge(w: &mut Writer<'_>, entity: Entity, keep: i64, other: i64) -> Result<Merged> {
    if keep == other {
        return Err(crate::err!(Invalid, "merge.merge_keep_other"));
    }
    // A user's login is what owners and the change log hold: two users stay two.
    if entity == Entity::User {
        return Err(Error::invalid(crate::tr!("user.no_merge")));
    }
    let r = w.reader();
    let k = r
        .get(entity, keep)?
        .filter(|x| !x.is_trashed())
        .ok_or_else(|| {
            crate::err!(
                Invalid,
                "merge.merge_live_keep",
                entity = entity.label(),
                keep = keep
            )
        })?;
    let o = r
        .get(entity, other)?
        .filter(|x| !x.is_trashed())
        .ok_or_else(|| {
            crate::err!(
                Invalid,
                "merge.merge_live_other",
                entity = entity.label(),
                other = other
            )
        })?;
    if entity == Entity::Deal && k.i64("pipeline_id") != o.i64("pipeline_id") {
        return Err(crate::err!(Invalid, "merge.merge_deals_different"));
    }
    let ctx = QueryCtx::none();

    // Everything that points at OTHER, live or in the trash, now points at KEEP.
    let mut moves: Vec<(Entity, i64, String)> = Vec::new();
    for e in Entity::RECORDS {
        for f in r.fields(e).into_iter().filter(|f| f.ty == Ty::Ref(entity)) {
            for trash in [false, true] {
                let mut q = list_query(vec![by(f.name, other)], "id", None);
                q.trash = trash;
                for rec in r.list(e, &q, &ctx)? {
                    moves.push((e, rec.id(), f.column()));
                }
            }
        }
    }
    let mut moved = Vec::new();
    for (e, id, col) in moves {
        // KEEP as its own parent would be a loop: it takes OTHER's parent instead.
        let to = if e == entity && id == keep {
            o.get(&col).cloned().unwrap_or(Value::Null)
        } else {
            Value::from(keep)
        };
        w.update(e, id, &vec![(col.clone(), to)])?;
        moved.push(format!("{e} {id} ({})", col.trim_end_matches("_id")));
    }

    // KEEP's empty fields from OTHER; lists and tags joined.
    let mut fill: Vec<(String, Value)> = Vec::new();
    let mut filled = Vec::new();
    let fields = w.reader().fields(entity);
    for f in fields.into_iter().filter(|f| !f.system) {
        let col = f.column();
        let kv = k.fields.get(&col).cloned().unwrap_or(Value::Null);
        let ov = o.fields.get(&col).cloned().unwrap_or(Value::Null);
        match (f.ty, &kv, &ov) {
            (Ty::List { .. } | Ty::Tags, Value::Array(a), Value::Array(b)) => {
                let mut joined = a.clone();
                for x in b {
                    if !joined.contains(x) {
                        joined.push(x.clone());
                    }
                }
                if f.ty == Ty::Tags {
                    joined.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
                }
                if joined.len() != a.len() {
                    fill.push((col, Value::Array(joined)));
                    filled.push(f.name.to_string());
                }
            }
            // A deal's stage and pipeline stay KEEP's.
            (Ty::Ref(Entity::Stage | Entity::Pipeline), _, _) => {}
            // OTHER's parent is KEEP or one of KEEP's branches (OTHER was a branch of KEEP):
            // taking it would make KEEP its own parent.
            (Ty::Ref(e), Value::Null, Value::Number(p))
                if e == entity
                    && crate::domain::sales::accounts::check_no_cycle(
                        &w.reader(),
                        keep,
                        p.as_i64().unwrap_or(0),
                    )
                    .is_err() => {}
            (_, Value::Null, v) if !v.is_null() => {
                fill.push((col, v.clone()));
                filled.push(f.name.to_string());
            }
            _ => {}
        }
    }
    if !fill.is_empty() {
        w.update(entity, keep, &fill)?;
    }
    w.trash(entity, other)?;
    w.record_merge(entity, keep, other)?;
    Ok(Merged {
        kind: entity.name().to_string(),
        kept: keep,
        merged: other,
        moved,
        filled,
    })
}
