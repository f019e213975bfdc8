//! The team: who uses kith (users), the teams they are in (a tree of departments), the
//! roles that say which records they see and what they may do (rights), records shared
//! with a user or a team.

pub mod pool;
pub mod rights;
pub mod roles;
pub mod shares;
pub mod teams;
pub mod users;

use crate::core::error::Result;
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::{Reader, Values};

/// When making `parent` the parent of `record` (a team's parent, a user's manager, through
/// `column`) would put `record` inside itself: the names from `record` back to itself
/// (`华南区`, `销售部`, `华南区`).
pub(crate) fn cycle_through(
    r: &Reader<'_>,
    record: &Record,
    parent: i64,
    column: &str,
) -> Result<Option<Vec<String>>> {
    let mut chain = vec![record.label().to_string()];
    let mut cur = Some(parent);
    while let Some(id) = cur {
        let Some(rec) = r.get(record.entity, id)? else {
            break;
        };
        chain.push(rec.label().to_string());
        if id == record.id() {
            return Ok(Some(chain));
        }
        if chain.len() > 10_000 {
            break;
        }
        cur = rec.i64(column);
    }
    Ok(None)
}

/// The rules of the team's kinds for a new record's checked values.
pub fn on_create(r: &Reader<'_>, entity: Entity, values: &mut Values) -> Result<()> {
    match entity {
        Entity::User => {
            users::on_create(r, values)?;
            users::check_roles(r, values)
        }
        Entity::Team => teams::check(r, values, None),
        Entity::Role => roles::check(r, values, None),
        Entity::Share => shares::check(r, values),
        _ => Ok(()),
    }
}

/// The rules of the team's kinds for a change's checked values.
pub fn on_update(
    r: &Reader<'_>,
    entity: Entity,
    existing: &Record,
    values: &mut Values,
) -> Result<()> {
    match entity {
        Entity::User => {
            users::on_update(r, existing, values)?;
            users::check_roles(r, values)
        }
        Entity::Team => teams::check(r, values, Some(existing)),
        Entity::Role => roles::check(r, values, Some(existing)),
        Entity::Share => Err(crate::err!(Invalid, "share.not_edited")),
        _ => Ok(()),
    }
}
