//! Teams (团队 / 部门): a tree of them (销售部 → 华南区), each with a lead. A team's name is
//! unique, its parent is never itself or a team below it, and its lead is a user.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::shared::value_of;
use crate::model::record::Record;
use crate::model::{f, listed, required, text, Entity, Kind, Section, Ty};
use crate::store::{Reader, Values};

/// Teams.
pub static TEAM: Kind = Kind {
    name: "team",
    plural: "teams",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        listed(f("parent", Ty::Ref(Entity::Team))),
        // The login of the user who leads it (组长 / 经理).
        listed(f("lead", Ty::Text)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.name ASC, t.id ASC",
    record: false,
    linkable: false,
    sections: &[
        Section {
            name: "members",
            kind: Entity::User,
            via: "team",
            only: None,
            sort: "login",
            limit: None,
        },
        Section {
            name: "teams",
            kind: Entity::Team,
            via: "parent",
            only: None,
            sort: "name",
            limit: None,
        },
    ],
    dupes: None,
    synonyms: &[],
    summary: &["parent", "lead"],
    hint: Some("parent"),
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// A new team's or a change's checked values: the name is free, the lead is a user, and
/// the parent is not the team itself or one below it.
pub fn check(r: &Reader<'_>, values: &mut Values, existing: Option<&Record>) -> Result<()> {
    if let Some(name) = value_of(values, "name").and_then(|v| v.as_str().map(str::to_string)) {
        let same = crate::domain::toolkit::with_value(r, Entity::Team, "name", &name, false, 2)?;
        if same
            .iter()
            .any(|t| Some(t.id()) != existing.map(Record::id))
        {
            return Err(crate::err!(Invalid, "team.exists", name = name));
        }
    }
    if let Some(lead) = value_of(values, "lead").and_then(|v| v.as_str().map(str::to_string)) {
        let lead = lead.trim().to_string();
        if r.user_by_login(&lead)?.is_none() {
            return Err(crate::err!(Invalid, "team.lead_unknown", login = lead));
        }
        values.retain(|(c, _)| c != "lead");
        values.push(("lead".into(), Value::String(lead)));
    }
    if let (Some(team), Some(parent)) = (
        existing,
        value_of(values, "parent_id").and_then(|v| v.as_i64()),
    ) {
        if let Some(chain) = super::cycle_through(r, team, parent, "parent_id")? {
            return Err(crate::err!(
                Invalid,
                "team.cycle",
                name = team.text("name"),
                chain = chain.join(" → ")
            ));
        }
    }
    Ok(())
}
