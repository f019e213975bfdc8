//! Shares (共享): a record someone else owns, shared with a user or a team, to read or to
//! read and change. A share names a record of a kind with an owner, and one user or one
//! team.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::shared::value_of;
use crate::model::{f, listed, required, Entity, Kind, Ty};
use crate::store::{Reader, Values};

/// Shares.
pub static SHARE: Kind = Kind {
    name: "share",
    plural: "shares",
    label: "entity",
    fields: &[
        listed(required(f("entity", Ty::Text))),
        listed(required(f(
            "record",
            Ty::Int {
                min: 1,
                max: i64::MAX,
            },
        ))),
        listed(f("user", Ty::Text)),
        listed(f("team", Ty::Ref(Entity::Team))),
        listed(f("write", Ty::Bool)),
    ],
    default_order: "t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["user", "team"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// A new share's checked values: a live record of a kind with an owner, and a known user
/// or a team (one of them).
pub fn check(r: &Reader<'_>, values: &mut Values) -> Result<()> {
    let kind = value_of(values, "entity")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let entity = Entity::from_name(&kind)
        .filter(|e| Entity::RECORDS.contains(e) && e.owner_field().is_some())
        .ok_or_else(|| crate::err!(Invalid, "share.kind_unknown", kind = kind))?;
    values.retain(|(c, _)| c != "entity");
    values.push(("entity".into(), Value::String(entity.name().into())));
    let record = value_of(values, "record")
        .and_then(|v| v.as_i64())
        .unwrap_or(0);
    if r.get(entity, record)?.is_none_or(|x| x.is_trashed()) {
        return Err(crate::err!(
            NotFound,
            "write.no_id",
            entity = entity.label(),
            id = record
        ));
    }
    let user = value_of(values, "user").and_then(|v| v.as_str().map(str::to_string));
    let team = value_of(values, "team_id");
    match (&user, &team) {
        (Some(u), None) => {
            if r.user_by_login(u)?.is_none() {
                return Err(crate::err!(Invalid, "share.user_unknown", login = u));
            }
        }
        (None, Some(_)) => {}
        _ => return Err(crate::err!(Invalid, "share.one_of")),
    }
    Ok(())
}
