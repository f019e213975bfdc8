//! The rules of users: a login is given once and never changes (`owner` fields and the
//! change log hold it), a user without a display name is shown by their login, and no user
//! manages themselves, directly or through others.

use serde_json::Value;

use crate::core::error::{Error, Result};
use crate::model::record::Record;
use crate::model::text as searched;
use crate::model::{f, listed, required, Entity, Kind, Section, Ty};
use crate::store::{Reader, Values};

fn text<'v>(values: &'v Values, col: &str) -> Option<&'v str> {
    values
        .iter()
        .find(|(c, _)| c == col)
        .and_then(|(_, v)| v.as_str())
}

/// Users: the login they act and own records under (never changes once made; `owner`
/// fields hold it), the name shown for them, whether they may still act, and whom they
/// report to.
pub static USER: Kind = Kind {
    name: "user",
    plural: "users",
    label: "login",
    fields: &[
        listed(searched(required(f("login", Ty::Text)))),
        listed(searched(f("name", Ty::Text))),
        listed(searched(f("email", Ty::Email))),
        listed(f("active", Ty::Bool)),
        listed(f("manager", Ty::Ref(Entity::User))),
        listed(f("team", Ty::Ref(Entity::Team))),
        // The names of their roles, `rep` or `rep, manager`.
        listed(f("roles", Ty::Text)),
        // The operating-system login they run kith under, when it is not their login.
        f("os_login", Ty::Text),
    ],
    default_order: "t.login ASC, t.id ASC",
    record: false,
    linkable: false,
    sections: &[Section {
        name: "direct_reports",
        kind: Entity::User,
        via: "manager",
        only: None,
        sort: "login",
        limit: None,
    }],
    dupes: None,
    synonyms: &[],
    summary: &["name", "email"],
    hint: Some("name"),
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// Refuse checked values that make a deactivated user the owner of a record (a new record,
/// or another owner for one); an owner not known yet becomes a user when written. A
/// record a deactivated user owns already keeps them until it is given to someone else.
pub fn check_owner(r: &Reader<'_>, values: &Values, existing: Option<&Record>) -> Result<()> {
    // A record's user is its `owner`, or a case's `assignee`.
    for field in ["owner", "assignee"] {
        let Some(login) = text(values, field) else {
            continue;
        };
        if existing.is_some_and(|e| e.text(field) == login) {
            continue;
        }
        if r.user_active(login)? == Some(false) {
            return Err(crate::err!(Invalid, "user.owner_inactive", login = login));
        }
    }
    Ok(())
}

/// A new user's checked values: the login is free, the display name defaults to the login.
pub fn on_create(r: &Reader<'_>, values: &mut Values) -> Result<()> {
    let login = text(values, "login").unwrap_or_default().to_string();
    if r.user_by_login(&login)?.is_some() {
        return Err(Error::invalid(crate::tr!("user.exists", login = login)));
    }
    if text(values, "name").is_none_or(str::is_empty) {
        values.retain(|(c, _)| c != "name");
        values.push(("name".into(), Value::String(login)));
    }
    Ok(())
}

/// A change to a user: the login stays, the display name is never emptied, and the new
/// manager is not the user or someone they manage.
pub fn on_update(r: &Reader<'_>, existing: &Record, values: &Values) -> Result<()> {
    if let Some(login) = text(values, "login") {
        if login != existing.text("login") {
            return Err(Error::invalid(crate::tr!(
                "user.login_fixed",
                login = existing.text("login")
            )));
        }
    }
    if values.iter().any(|(c, v)| c == "name" && v.is_null()) {
        return Err(Error::invalid(crate::tr!("user.name_required")));
    }
    if let Some(manager) = values
        .iter()
        .find(|(c, _)| c == "manager_id")
        .and_then(|(_, v)| v.as_i64())
    {
        check_no_cycle(r, existing, manager)?;
    }
    Ok(())
}

/// Refuse `manager` as the manager of `user` when it is `user` or someone `user` manages.
fn check_no_cycle(r: &Reader<'_>, user: &Record, manager: i64) -> Result<()> {
    match super::cycle_through(r, user, manager, "manager_id")? {
        Some(chain) => Err(Error::invalid(crate::tr!(
            "user.manager_cycle",
            login = user.text("login"),
            chain = chain[1..].join(" → ")
        ))),
        None => Ok(()),
    }
}

/// The roles given to a user are roles there are, kept by their names as the roles spell
/// them, once each.
pub fn check_roles(r: &Reader<'_>, values: &mut Values) -> Result<()> {
    let Some(given) = text(values, "roles").map(str::to_string) else {
        return Ok(());
    };
    let mut names: Vec<String> = Vec::new();
    for w in given
        .split([',', '，', '、', ';'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        let found = crate::domain::toolkit::with_value(r, Entity::Role, "name", w, false, 1)?;
        let Some(role) = found.first() else {
            return Err(crate::err!(
                Invalid,
                "user.role_unknown",
                role = w,
                roles = role_names(r)?.join(", ")
            ));
        };
        let name = role.text("name");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    values.retain(|(c, _)| c != "roles");
    values.push((
        "roles".into(),
        if names.is_empty() {
            Value::Null
        } else {
            Value::String(names.join(", "))
        },
    ));
    Ok(())
}

/// The names of the roles there are.
pub fn role_names(r: &Reader<'_>) -> Result<Vec<String>> {
    let q = crate::store::ListQuery::default();
    Ok(r.list(Entity::Role, &q, &crate::store::QueryCtx::none())?
        .iter()
        .map(|x| x.text("name"))
        .collect())
}
