//! What the acting user may see and do: the union of their roles, worked out once when kith
//! opens. [`Rights::visibility`] is the condition every read takes (the store's one place
//! where visibility applies), and the rights are the [`Guard`] every write checks before
//! each change.
//!
//! While nobody holds a role, kith is one person's: everyone may see and do everything.
//! Once a user is given a role, each user acts with theirs; a user with none acts as a
//! `rep`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::roles::{self, Access, Scope};
use crate::core::error::Result;
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::{Act, Guard, Limit, ListQuery, QueryCtx, Reader, Scoped, Values, Visibility};

/// The role a user without one acts with.
pub const DEFAULT_ROLE: &str = "rep";

/// The right each kind of configuration needs to be changed.
const ADMINISTER: &str = "administer";

/// One role as read: its scope, its scopes per kind, its field rules.
type RoleRules = (Scope, Vec<(Entity, Scope)>, Vec<(Entity, String, Access)>);

/// What one user may see and do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rights {
    /// Their login.
    pub login: String,
    /// Whether roles apply: false while nobody holds one (everything is allowed).
    pub enforced: bool,
    /// Whether the login is a user of this database.
    pub known: bool,
    /// Whether that user is active (a deactivated user's access is frozen).
    pub active: bool,
    /// The names of their roles.
    pub roles: Vec<String>,
    /// What they may do, from [`roles::RIGHTS`].
    rights: Vec<&'static str>,
    /// Per kind with an owner, which records they see.
    scopes: Vec<(Entity, Scope)>,
    /// The fields their roles limit, with how.
    pub fields: Vec<(Entity, String, Access)>,
    /// The logins whose records each scope sees: own, team, subtree.
    own: Vec<String>,
    team: Vec<String>,
    subtree: Vec<String>,
    /// Records shared with them or a team of theirs: kind, id, and whether to change.
    shared: Vec<(Entity, i64, bool)>,
}

impl Rights {
    /// Everything, for `login`: one person's kith.
    pub fn everything(login: &str) -> Rights {
        Rights {
            login: login.to_string(),
            enforced: false,
            known: true,
            active: true,
            roles: Vec::new(),
            rights: roles::RIGHTS.to_vec(),
            scopes: Vec::new(),
            fields: Vec::new(),
            own: vec![login.to_string()],
            team: Vec::new(),
            subtree: Vec::new(),
            shared: Vec::new(),
        }
    }

    /// The rights of `login` in the database `r` reads (every record seen).
    pub fn load(r: &Reader<'_>, login: &str) -> Result<Rights> {
        let q = ListQuery::default();
        let ctx = QueryCtx::none();
        let users = r.list(Entity::User, &q, &ctx)?;
        if !users.iter().any(|u| !u.text("roles").is_empty()) {
            return Ok(Rights::everything(login));
        }
        let me = users.iter().find(|u| u.text("login") == login);
        let mut names: Vec<String> = me.map(|u| split(&u.text("roles"))).unwrap_or_default();
        if names.is_empty() && me.is_some() {
            names.push(DEFAULT_ROLE.to_string());
        }
        let all_roles = r.list(Entity::Role, &q, &ctx)?;
        let held: Vec<&Record> = all_roles
            .iter()
            .filter(|x| {
                names
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(&x.text("name")))
            })
            .collect();

        let mut rights: BTreeSet<usize> = BTreeSet::new();
        let mut per_role: Vec<RoleRules> = Vec::new();
        for role in &held {
            for w in roles::parse_rights(&role.text("rights"))? {
                rights.insert(roles::RIGHTS.iter().position(|r| *r == w).unwrap_or(0));
            }
            let scope = Scope::of(&role.text("scope")).unwrap_or(Scope::Own);
            let scopes = roles::parse_scopes(&role.text("scopes"))?;
            let fields = roles::parse_fields(r, &role.text("fields")).unwrap_or_default();
            per_role.push((scope, scopes, fields));
        }
        let scopes = Entity::RECORDS
            .into_iter()
            .filter(|e| e.owner_field().is_some())
            .map(|e| {
                let widest = per_role
                    .iter()
                    .map(|(s, per, _)| per.iter().find(|(k, _)| *k == e).map_or(*s, |(_, s)| *s))
                    .max()
                    .unwrap_or(Scope::Own);
                (e, widest)
            })
            .collect();
        // A field is limited only when every role limits it, and then as the most open.
        let mut fields: Vec<(Entity, String, Access)> = Vec::new();
        if let Some((_, _, first)) = per_role.first() {
            for (e, f, _) in first {
                let each: Option<Vec<Access>> = per_role
                    .iter()
                    .map(|(_, _, rules)| {
                        rules
                            .iter()
                            .find(|(x, g, _)| x == e && g == f)
                            .map(|(_, _, a)| *a)
                    })
                    .collect();
                if let Some(max) = each.and_then(|a| a.into_iter().max()) {
                    fields.push((*e, f.clone(), max));
                }
            }
        }

        // The teams: theirs and those they lead; the teams below those; and above theirs.
        let teams = r.list(Entity::Team, &q, &ctx)?;
        let parent: HashMap<i64, Option<i64>> =
            teams.iter().map(|t| (t.id(), t.i64("parent_id"))).collect();
        let mine: Vec<i64> = me
            .and_then(|u| u.i64("team_id"))
            .into_iter()
            .chain(
                teams
                    .iter()
                    .filter(|t| t.text("lead") == login)
                    .map(Record::id),
            )
            .collect();
        let below = |id: i64| {
            let mut cur = parent.get(&id).copied().flatten();
            let mut steps = 0;
            while let Some(p) = cur {
                if mine.contains(&p) {
                    return true;
                }
                steps += 1;
                if steps > teams.len() {
                    break;
                }
                cur = parent.get(&p).copied().flatten();
            }
            false
        };
        let subtree_teams: Vec<i64> = teams
            .iter()
            .map(Record::id)
            .filter(|id| mine.contains(id) || below(*id))
            .collect();
        let mut above: Vec<i64> = Vec::new();
        for t in &mine {
            let mut cur = Some(*t);
            while let Some(id) = cur {
                if above.contains(&id) {
                    break;
                }
                above.push(id);
                cur = parent.get(&id).copied().flatten();
            }
        }
        let members = |of: &[i64]| -> Vec<String> {
            let mut out: Vec<String> = vec![login.to_string()];
            for u in &users {
                if u.i64("team_id").is_some_and(|t| of.contains(&t)) {
                    let l = u.text("login");
                    if !out.contains(&l) {
                        out.push(l);
                    }
                }
            }
            out
        };

        let shared = r
            .list(Entity::Share, &q, &ctx)?
            .into_iter()
            .filter(|s| {
                s.text("user") == login || s.i64("team_id").is_some_and(|t| above.contains(&t))
            })
            .filter_map(|s| {
                let e = Entity::from_name(&s.text("entity"))?;
                Some((e, s.i64("record")?, s.bool("write")))
            })
            .collect();

        Ok(Rights {
            login: login.to_string(),
            enforced: true,
            known: me.is_some(),
            active: me.is_some_and(|u| u.bool("active")),
            roles: held.iter().map(|x| x.text("name")).collect(),
            rights: rights.into_iter().map(|i| roles::RIGHTS[i]).collect(),
            scopes,
            fields,
            own: vec![login.to_string()],
            team: members(&mine),
            subtree: members(&subtree_teams),
            shared,
        })
    }

    /// Whether they may do `right` (one of [`roles::RIGHTS`]).
    pub fn may(&self, right: &str) -> bool {
        !self.enforced || self.rights.contains(&right)
    }

    /// Whether they administer (users, roles, teams, fields, pipelines, rules).
    pub fn is_admin(&self) -> bool {
        self.may(ADMINISTER)
    }

    /// Refuse unless they may do `right`.
    pub fn require(&self, right: &str) -> Result<()> {
        if self.may(right) {
            return Ok(());
        }
        Err(crate::err!(
            NotAllowed,
            "rights.no_right",
            login = self.login,
            right = right,
            roles = self.roles_text()
        ))
    }

    fn roles_text(&self) -> String {
        if self.roles.is_empty() {
            "-".to_string()
        } else {
            self.roles.join(", ")
        }
    }

    /// Which records of `entity` (a kind with an owner) they see.
    pub fn scope(&self, entity: Entity) -> Scope {
        if !self.enforced {
            return Scope::All;
        }
        self.scopes
            .iter()
            .find(|(e, _)| *e == entity)
            .map_or(Scope::All, |(_, s)| *s)
    }

    /// The logins whose records of `entity` they see; None for every record.
    pub fn owners(&self, entity: Entity) -> Option<&[String]> {
        match self.scope(entity) {
            Scope::All => None,
            Scope::Own => Some(&self.own),
            Scope::Team => Some(&self.team),
            Scope::Subtree => Some(&self.subtree),
        }
    }

    /// How a field is limited for them, if it is.
    pub fn limit(&self, entity: Entity, field: &str) -> Option<Access> {
        self.fields
            .iter()
            .find(|(e, f, _)| *e == entity && f == field)
            .map(|(_, _, a)| *a)
    }

    /// The condition every read of theirs takes.
    pub fn visibility(&self) -> Visibility {
        if !self.enforced {
            return Visibility::All;
        }
        let owners: Vec<(Entity, Option<Vec<String>>)> = self
            .scopes
            .iter()
            .map(|(e, _)| (*e, self.owners(*e).map(<[String]>::to_vec)))
            .collect();
        if owners.iter().all(|(_, o)| o.is_none()) && self.fields.is_empty() {
            return Visibility::All;
        }
        let mut shared: Vec<(Entity, Vec<i64>)> = Vec::new();
        for (e, id, _) in &self.shared {
            match shared.iter_mut().find(|(x, _)| x == e) {
                Some((_, ids)) => ids.push(*id),
                None => shared.push((*e, vec![*id])),
            }
        }
        let fields = self
            .fields
            .iter()
            .map(|(e, f, a)| {
                let limit = match a {
                    Access::Hidden => Limit::Hidden,
                    Access::Masked => Limit::Masked,
                    Access::Read => Limit::Read,
                };
                (*e, f.clone(), limit)
            })
            .collect();
        Visibility::Scoped(Arc::new(Scoped {
            owners,
            shared,
            fields,
            pool: true,
        }))
    }

    /// Whether they may change the record of `entity` whose row is `row`: one they own or
    /// whose owner is in their scope, one shared with them to change, or (a kind without
    /// an owner) one whose record it belongs to they may change.
    fn may_change(&self, r: &Reader<'_>, entity: Entity, row: &Map<String, Value>) -> Result<bool> {
        if let Some(owner) = entity.owner_field() {
            let id = row.get("id").and_then(Value::as_i64);
            if self
                .shared
                .iter()
                .any(|(e, i, write)| *e == entity && Some(*i) == id && *write)
            {
                return Ok(true);
            }
            return Ok(match self.owners(entity) {
                None => true,
                Some(logins) => row
                    .get(owner)
                    .and_then(Value::as_str)
                    .is_some_and(|o| logins.iter().any(|l| l == o)),
            });
        }
        for f in entity.kind().belongs {
            let Some(field) = entity.field(f) else {
                continue;
            };
            let (Some(parent), Some(pid)) = (
                field.is_ref(),
                row.get(&field.column()).and_then(Value::as_i64),
            ) else {
                continue;
            };
            let Some(p) = r.get(parent, pid)? else {
                continue;
            };
            return self.may_change(r, parent, &p.fields);
        }
        Ok(true)
    }

    fn refuse_record(&self, entity: Entity, row: &Map<String, Value>) -> crate::core::error::Error {
        let owner = entity
            .owner_field()
            .and_then(|o| row.get(o))
            .and_then(Value::as_str)
            .unwrap_or("-")
            .to_string();
        crate::err!(
            NotAllowed,
            "rights.not_theirs",
            login = self.login,
            entity = entity.label(),
            id = row.get("id").and_then(Value::as_i64).unwrap_or(0),
            owner = owner
        )
    }

    /// Refuse a value for a field their roles limit.
    fn check_fields<'a>(
        &self,
        r: &Reader<'_>,
        entity: Entity,
        columns: impl Iterator<Item = &'a str>,
    ) -> Result<()> {
        if self.fields.is_empty() {
            return Ok(());
        }
        let fields = r.fields(entity);
        for c in columns {
            let name = c.strip_prefix("custom.").unwrap_or(c);
            let Some(f) = fields.iter().find(|f| f.name == name || f.has_column(c)) else {
                continue;
            };
            if let Some(a) = self.limit(entity, f.name) {
                return Err(crate::err!(
                    NotAllowed,
                    "rights.field_limited",
                    login = self.login,
                    field = format!("{}.{}", entity.name(), f.name),
                    access = a.word()
                ));
            }
        }
        Ok(())
    }

    /// Refuse an owner outside their scope for a record they make or hand over.
    fn check_owner(&self, entity: Entity, owner: Option<&str>) -> Result<()> {
        let (Some(logins), Some(owner)) = (self.owners(entity), owner) else {
            return Ok(());
        };
        if logins.iter().any(|l| l == owner) {
            return Ok(());
        }
        Err(crate::err!(
            NotAllowed,
            "rights.owner_outside",
            login = self.login,
            owner = owner,
            owners = logins.join(", ")
        ))
    }
}

/// The kinds only an administrator changes.
fn administered(entity: Entity) -> bool {
    matches!(
        entity,
        Entity::User
            | Entity::Team
            | Entity::Role
            | Entity::Pipeline
            | Entity::Stage
            | Entity::Calendar
            | Entity::CalendarDay
            | Entity::Sla
            | Entity::Rate
    )
}

fn split(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn value<'a>(values: &'a Values, column: &str) -> Option<&'a Value> {
    values
        .iter()
        .rev()
        .find(|(c, _)| c == column)
        .map(|(_, v)| v)
}

impl Guard for Rights {
    fn check(&self, r: &Reader<'_>, act: Act<'_>) -> Result<()> {
        if !self.enforced {
            return Ok(());
        }
        match act {
            Act::Create { entity, values } => {
                if administered(entity) {
                    return self.require(ADMINISTER);
                }
                if entity == Entity::Share {
                    return self.check_share(r, values);
                }
                self.require("create")?;
                if let Some(owner) = entity.owner_field() {
                    self.check_owner(entity, value(values, owner).and_then(Value::as_str))?;
                }
                self.check_fields(
                    r,
                    entity,
                    values
                        .iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(c, _)| c.as_str()),
                )?;
                let row: Map<String, Value> = values.iter().cloned().collect();
                if entity.owner_field().is_none() && !self.may_change(r, entity, &row)? {
                    return Err(self.refuse_record(entity, &row));
                }
                Ok(())
            }
            Act::Update {
                entity,
                before,
                changed,
                ..
            } => {
                let system = |c: &str| {
                    c != "deleted_at"
                        && (c == "name_key"
                            || entity.fields().iter().any(|f| f.system && f.has_column(c)))
                };
                // What a kind's rules keep up to date follows the change that moved it.
                if changed.iter().all(|(c, _)| system(c)) {
                    return Ok(());
                }
                let trash = changed.iter().any(|(c, _)| c == "deleted_at");
                if administered(entity) {
                    return self.require(ADMINISTER);
                }
                if entity == Entity::Share {
                    let values: Values =
                        before.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    return self.check_share(r, &values);
                }
                self.require(if trash { "trash" } else { "edit" })?;
                let owner = entity.owner_field();
                let new_owner = owner.and_then(|o| {
                    changed
                        .iter()
                        .find(|(c, _)| c == o)
                        .map(|(_, v)| v.as_str())
                });
                let was = owner.and_then(|o| before.get(o)).and_then(Value::as_str);
                // The shared pool: an account nobody owns is claimed by whoever takes it,
                // and its owner gives it back (the pool's own rules cap both).
                let pool = entity == Entity::Account
                    && match new_owner {
                        Some(Some(to)) => was.is_none() && to == self.login,
                        Some(None) => was == Some(self.login.as_str()),
                        None => false,
                    };
                if !pool && !self.may_change(r, entity, before)? {
                    return Err(self.refuse_record(entity, before));
                }
                if let (Some(Some(to)), false) = (new_owner, pool) {
                    if was != Some(to) {
                        self.require("transfer")?;
                    }
                }
                self.check_fields(
                    r,
                    entity,
                    changed
                        .iter()
                        .map(|(c, _)| c.as_str())
                        .filter(|c| !system(c) && *c != "deleted_at"),
                )
            }
        }
    }
}

impl Rights {
    /// A share is made by someone who may change the record it shares (or administers).
    fn check_share(&self, r: &Reader<'_>, values: &Values) -> Result<()> {
        if self.is_admin() {
            return Ok(());
        }
        let entity = value(values, "entity")
            .and_then(Value::as_str)
            .and_then(Entity::from_name);
        let id = value(values, "record").and_then(Value::as_i64);
        let (Some(entity), Some(id)) = (entity, id) else {
            return Ok(());
        };
        let Some(row) = r.get(entity, id)? else {
            return Ok(());
        };
        if self.may_change(r, entity, &row.fields)? {
            return Ok(());
        }
        Err(self.refuse_record(entity, &row.fields))
    }
}
