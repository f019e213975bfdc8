//! Roles (角色): which records a user sees (their own, their team's, their team's and the
//! teams below it, or all; per kind where needed), what they may do, and which fields they
//! may not see or change. A user with several roles has the most permissive union of them.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::shared::value_of;
use crate::model::record::Record;
use crate::model::{f, listed, required, text, Entity, Kind, Ty};
use crate::store::{Reader, Values};

/// The record scopes, from the narrowest.
pub const SCOPES: &[&str] = &["own", "team", "subtree", "all"];

/// What a role may do beyond reading what it sees.
pub const RIGHTS: &[&str] = &[
    "create",
    "edit",
    "trash",
    "export",
    "transfer",
    "import",
    "administer",
];

/// How a role sees a field it limits, from the most hidden.
pub const ACCESS: &[&str] = &["hidden", "masked", "read"];

/// The roles every database starts with (made by the migration to version 28).
pub const SHIPPED: &[&str] = &["admin", "manager", "rep", "read-only"];

/// Which records of a kind a role sees, from the narrowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Own,
    Team,
    Subtree,
    All,
}

impl Scope {
    pub fn of(word: &str) -> Option<Scope> {
        Some(match word {
            "own" => Scope::Own,
            "team" => Scope::Team,
            "subtree" => Scope::Subtree,
            "all" => Scope::All,
            _ => return None,
        })
    }
}

/// How a field a role limits is seen, from the most hidden: absent, shown as `***`, or
/// shown and never changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    Hidden,
    Masked,
    Read,
}

impl Access {
    pub fn of(word: &str) -> Option<Access> {
        Some(match word {
            "hidden" => Access::Hidden,
            "masked" => Access::Masked,
            "read" => Access::Read,
            _ => return None,
        })
    }

    pub fn word(self) -> &'static str {
        match self {
            Access::Hidden => "hidden",
            Access::Masked => "masked",
            Access::Read => "read",
        }
    }
}

/// Roles.
pub static ROLE: Kind = Kind {
    name: "role",
    plural: "roles",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        // Which records it sees: `own`, `team`, `subtree` or `all`; given with kinds
        // (`team, deal=own`), those go to `scopes`.
        listed(required(f("scope", Ty::Text))),
        // Per kind, where it differs from `scope`: `deal=own, account=team`.
        listed(f("scopes", Ty::Text)),
        // What it may do: `create, edit, trash, export, transfer, import, administer`.
        listed(f("rights", Ty::Text)),
        // The fields it limits: `deal.cost=masked, contact.phone=hidden`.
        listed(f("fields", Ty::Text)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["scope", "rights"],
    hint: Some("scope"),
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// The words of a list written `a, b`, `a，b` or `a b`, empty ones left out.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '，', '、', ';', ' '])
        .map(str::trim)
        .filter(|w| !w.is_empty())
}

/// A kind a role may scope or limit: one users keep as records, with an owner for scopes.
fn kind_named(word: &str, what: &str) -> Result<Entity> {
    Entity::from_name(word)
        .filter(|e| Entity::RECORDS.contains(e))
        .ok_or_else(|| {
            let kinds: Vec<&str> = Entity::RECORDS.iter().map(|e| e.name()).collect();
            crate::err!(
                Invalid,
                "role.kind_unknown",
                kind = word,
                what = what,
                kinds = kinds.join(", ")
            )
        })
}

/// `deal=own, account=team`: the scope of each kind named.
pub fn parse_scopes(text: &str) -> Result<Vec<(Entity, Scope)>> {
    let mut out: Vec<(Entity, Scope)> = Vec::new();
    for w in words(text) {
        let (kind, scope) = w
            .split_once('=')
            .ok_or_else(|| crate::err!(Invalid, "role.bad_scopes", part = w))?;
        let e = kind_named(kind.trim(), "scopes")?;
        let s = Scope::of(scope.trim().to_lowercase().as_str()).ok_or_else(|| {
            crate::err!(
                Invalid,
                "role.scope_unknown",
                scope = scope.trim(),
                scopes = SCOPES.join(", ")
            )
        })?;
        out.retain(|(x, _)| *x != e);
        out.push((e, s));
    }
    Ok(out)
}

/// `create, edit` (or `all`, or `none`): the rights named, in [`RIGHTS`] order.
pub fn parse_rights(text: &str) -> Result<Vec<&'static str>> {
    let mut on = [false; RIGHTS.len()];
    for w in words(text) {
        let w = w.to_lowercase();
        match w.as_str() {
            "all" => on = [true; RIGHTS.len()],
            "none" => {}
            _ => {
                let i = RIGHTS.iter().position(|r| *r == w).ok_or_else(|| {
                    crate::err!(
                        Invalid,
                        "role.right_unknown",
                        right = w,
                        rights = RIGHTS.join(", ")
                    )
                })?;
                on[i] = true;
            }
        }
    }
    Ok(RIGHTS
        .iter()
        .zip(on)
        .filter_map(|(r, on)| on.then_some(*r))
        .collect())
}

/// One field rule as written: `deal.cost` and `masked`, checked against the kind's fields
/// (custom fields too).
pub fn parse_field_rule(
    r: &Reader<'_>,
    field: &str,
    access: &str,
) -> Result<(Entity, String, Access)> {
    let (kind, name) = field
        .trim()
        .split_once('.')
        .ok_or_else(|| crate::err!(Invalid, "role.bad_field", field = field.trim()))?;
    let e = kind_named(kind.trim(), "fields")?;
    let name = name.trim();
    let Some(fd) = r.fields(e).into_iter().find(|f| f.name == name) else {
        return Err(crate::err!(
            Invalid,
            "role.field_unknown",
            field = name,
            kind = e.name()
        ));
    };
    if fd.name == e.label_field() || e.owner_field() == Some(fd.name) {
        return Err(crate::err!(
            Invalid,
            "role.field_kept",
            field = fd.name,
            kind = e.name()
        ));
    }
    let a = Access::of(access.trim().to_lowercase().as_str()).ok_or_else(|| {
        crate::err!(
            Invalid,
            "role.access_unknown",
            access = access.trim(),
            accesses = ACCESS.join(", ")
        )
    })?;
    Ok((e, fd.name.to_string(), a))
}

/// `deal.cost=masked, contact.phone=hidden`: each rule, checked.
pub fn parse_fields(r: &Reader<'_>, text: &str) -> Result<Vec<(Entity, String, Access)>> {
    let mut out: Vec<(Entity, String, Access)> = Vec::new();
    for w in words(text) {
        let (field, access) = w
            .split_once('=')
            .ok_or_else(|| crate::err!(Invalid, "role.bad_field", field = w))?;
        let rule = parse_field_rule(r, field, access)?;
        out.retain(|(e, f, _)| (*e, f.as_str()) != (rule.0, rule.1.as_str()));
        out.push(rule);
    }
    Ok(out)
}

/// The field rules as a role keeps them.
pub fn fields_text(rules: &[(Entity, String, Access)]) -> String {
    rules
        .iter()
        .map(|(e, f, a)| format!("{}.{f}={}", e.name(), a.word()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A new role's or a change's checked values: the name is free, and its scopes, rights and
/// field rules are read and kept in one spelling.
pub fn check(r: &Reader<'_>, values: &mut Values, existing: Option<&Record>) -> Result<()> {
    let text_of =
        |values: &Values, c: &str| value_of(values, c).and_then(|v| v.as_str().map(str::to_string));
    if let Some(name) = text_of(values, "name") {
        let same = crate::domain::toolkit::with_value(r, Entity::Role, "name", &name, false, 2)?;
        if same
            .iter()
            .any(|t| Some(t.id()) != existing.map(Record::id))
        {
            return Err(crate::err!(Invalid, "role.exists", name = name));
        }
    }
    let set = |values: &mut Values, c: &str, text: String| {
        values.retain(|(k, _)| k != c);
        values.push((
            c.to_string(),
            if text.is_empty() {
                Value::Null
            } else {
                Value::String(text)
            },
        ));
    };
    if existing.is_none() && text_of(values, "scope").is_none() {
        set(values, "scope", "own".to_string());
    }
    // `--scope team, deal=own`: the plain word is the scope, the others are per kind.
    let mut per_kind: Option<String> = text_of(values, "scopes");
    if let Some(s) = text_of(values, "scope") {
        let (plain, kinds): (Vec<&str>, Vec<&str>) = words(&s).partition(|w| !w.contains('='));
        let scope = match plain.as_slice() {
            [] if existing.is_some() => existing.map(|e| e.text("scope")).unwrap_or_default(),
            [] => "own".to_string(),
            [one] => {
                let w = one.to_lowercase();
                Scope::of(&w).ok_or_else(|| {
                    crate::err!(
                        Invalid,
                        "role.scope_unknown",
                        scope = one,
                        scopes = SCOPES.join(", ")
                    )
                    .context("--scope")
                })?;
                w
            }
            _ => return Err(crate::err!(Invalid, "role.bad_scopes", part = s).context("--scope")),
        };
        set(values, "scope", scope);
        if !kinds.is_empty() {
            let before = per_kind
                .clone()
                .or_else(|| existing.map(|e| e.text("scopes")))
                .unwrap_or_default();
            per_kind = Some(format!("{before}, {}", kinds.join(", ")));
        }
    }
    if let Some(s) = per_kind {
        let scopes = parse_scopes(&s).map_err(|e| e.context("--scope"))?;
        let text = scopes
            .iter()
            .map(|(e, s)| format!("{}={}", e.name(), SCOPES[*s as usize]))
            .collect::<Vec<_>>()
            .join(", ");
        set(values, "scopes", text);
    }
    if let Some(s) = text_of(values, "rights") {
        let rights = parse_rights(&s).map_err(|e| e.context("--rights"))?;
        set(values, "rights", rights.join(", "));
    }
    if let Some(s) = text_of(values, "fields") {
        let rules = parse_fields(r, &s).map_err(|e| e.context("--fields"))?;
        set(values, "fields", fields_text(&rules));
    }
    Ok(())
}

/// Refuse to remove a role a user holds.
pub fn check_unused(r: &Reader<'_>, id: i64) -> Result<()> {
    let Some(role) = r.get(Entity::Role, id)? else {
        return Ok(());
    };
    let name = role.text("name");
    let q = crate::store::ListQuery::default();
    let holders: Vec<String> = r
        .list(Entity::User, &q, &crate::store::QueryCtx::none())?
        .iter()
        .filter(|u| {
            u.text("roles")
                .split(',')
                .any(|x| x.trim().eq_ignore_ascii_case(&name))
        })
        .map(|u| u.text("login"))
        .collect();
    if holders.is_empty() {
        return Ok(());
    }
    Err(crate::err!(
        Invalid,
        "role.held",
        name = name,
        users = holders.join(", ")
    ))
}
