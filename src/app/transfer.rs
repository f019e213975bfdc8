//! Handing ownership over: the accounts a filter matches, with the records of chosen kinds
//! that belong to them (`kith account transfer`), or everything a leaver owns (`kith user
//! deactivate --transfer-to`). Each is one write, so `kith undo` takes it back whole, and
//! every record moved has its owner change in the change log under the acting user.
//!
//! What moves is read through the same path as a list ([`Crm::list`]), so only records the
//! acting user may see move. A record's user is its owner field
//! ([`Entity::owner_field`]): its `owner`, or a case's `assignee`.

use serde::Serialize;
use serde_json::Value;

use crate::app::crm::{list_query, lookup, update_in, Crm, Input, Lookup};
use crate::core::error::Result;
use crate::model::query::{Op, Term};
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::ListQuery;

/// The kinds `--with` may name: the records of an account that have an owner.
pub const WITH_KINDS: [Entity; 4] = [Entity::Contact, Entity::Deal, Entity::Task, Entity::Case];

/// What a transfer of accounts is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Transfer {
    /// The login of the user the records go to.
    pub to: String,
    /// Only what this login owns moves (the accounts and their records).
    pub from: Option<String>,
    /// The kinds of record of the accounts that move with them.
    pub with: Vec<Entity>,
    /// Say what would move and write nothing.
    pub dry_run: bool,
}

/// The records of one kind that moved (or would move).
#[derive(Debug, Clone, Serialize)]
pub struct KindMoved {
    /// The kind's name (`account`, `contact` …).
    pub kind: &'static str,
    /// The field that changed: `owner`, or a case's `assignee`.
    pub field: &'static str,
    pub count: usize,
    /// The ids of the records moved, in the order read.
    pub ids: Vec<i64>,
    /// Of them, how many were in the trash.
    pub trashed: usize,
    #[serde(skip)]
    pub entity: Option<Entity>,
}

/// What a hand-over moved: to whom, and per kind which records.
#[derive(Debug, Clone, Serialize)]
pub struct Handover {
    pub to: String,
    pub from: Option<String>,
    pub dry_run: bool,
    /// The kinds with at least one record moved, in the order of [`Entity::RECORDS`].
    pub moved: Vec<KindMoved>,
}

impl Handover {
    /// How many records moved, of every kind.
    pub fn total(&self) -> usize {
        self.moved.iter().map(|k| k.count).sum()
    }
}

/// What `kith user deactivate` did: the user, whether they were active until now, what
/// moved to whom, and what they still own.
#[derive(Debug, Clone, Serialize)]
pub struct Leaver {
    pub login: String,
    /// Whether this deactivated them (false: they were inactive already).
    pub deactivated: bool,
    pub handover: Option<Handover>,
    /// What they own after it, per kind (live records and the trash).
    pub still_owns: Vec<KindMoved>,
}

/// One record to give to someone else.
struct Move {
    entity: Entity,
    field: &'static str,
    id: i64,
    trashed: bool,
}

fn same(rec: &Record, field: &str, login: &str) -> bool {
    rec.text(field) == login
}

fn owner_is(field: &str, login: &str) -> Term {
    Term::Field {
        field: field.into(),
        op: Op::Eq,
        value: login.into(),
    }
}

/// The moves grouped by kind, in the order of [`Entity::RECORDS`].
fn grouped(moves: &[Move]) -> Vec<KindMoved> {
    Entity::RECORDS
        .iter()
        .filter_map(|&e| {
            let of: Vec<&Move> = moves.iter().filter(|m| m.entity == e).collect();
            let first = of.first()?;
            Some(KindMoved {
                kind: e.name(),
                field: first.field,
                count: of.len(),
                ids: of.iter().map(|m| m.id).collect(),
                trashed: of.iter().filter(|m| m.trashed).count(),
                entity: Some(e),
            })
        })
        .collect()
}

impl Crm {
    /// The login of a user who may be given records: known and active.
    fn receiver(&self, login: &str) -> Result<String> {
        let login = login.trim();
        match self.reader().user_active(login)? {
            None => Err(crate::err!(Invalid, "transfer.unknown_user", login = login)),
            Some(false) => Err(crate::err!(Invalid, "user.owner_inactive", login = login)),
            Some(true) => Ok(login.to_string()),
        }
    }

    /// The accounts a transfer names: a single reference (`#3`, a name) when it finds one
    /// account, else the accounts matching the filter. None matched is not found (exit 1).
    fn transfer_accounts(&self, filter: &[String]) -> Result<Vec<Record>> {
        if let [one] = filter {
            if let Lookup::Found(id) = lookup(&self.reader(), Entity::Account, one, false)? {
                return Ok(vec![self.get(Entity::Account, id)?]);
            }
        }
        let filter = crate::model::query::parse_args(filter)?;
        let q = ListQuery {
            filter,
            ..ListQuery::default()
        };
        self.list(Entity::Account, &q)
    }

    /// Give the accounts `filter` matches to `t.to`, with the records of the kinds of
    /// `t.with` that belong to them and that the account's owner (or `t.from`) owned, in
    /// one write. With `t.from`, only what that user owns moves. Records `t.to` owns
    /// already are left as they are.
    pub fn transfer(&mut self, filter: &[String], t: &Transfer) -> Result<Handover> {
        let to = self.receiver(&t.to)?;
        let from = match &t.from {
            Some(f) => {
                let f = f.trim();
                if self.reader().user_active(f)?.is_none() {
                    return Err(crate::err!(Invalid, "transfer.unknown_user", login = f));
                }
                Some(f.to_string())
            }
            None => None,
        };
        for e in &t.with {
            if !WITH_KINDS.contains(e) {
                return Err(crate::err!(
                    Invalid,
                    "transfer.unknown_kind",
                    kind = e.plural(),
                    kinds = WITH_KINDS.map(|e| e.plural()).join(", ")
                ));
            }
        }
        let accounts: Vec<Record> = self
            .transfer_accounts(filter)?
            .into_iter()
            .filter(|a| from.as_deref().is_none_or(|f| same(a, "owner", f)))
            .collect();
        if accounts.is_empty() {
            return Err(crate::err!(NotFound, "transfer.none_match"));
        }
        let mut moves = Vec::new();
        for a in &accounts {
            let old = from.clone().unwrap_or_else(|| a.text("owner"));
            if !same(a, "owner", &to) {
                moves.push(Move {
                    entity: Entity::Account,
                    field: "owner",
                    id: a.id(),
                    trashed: false,
                });
            }
            if old == to {
                continue;
            }
            for &e in Entity::RECORDS.iter().filter(|e| t.with.contains(e)) {
                let Some(field) = e.owner_field() else {
                    continue;
                };
                let q = list_query(vec![crate::app::crm::by("account", a.id())], "", None);
                for rec in self.list(e, &q)? {
                    let known = moves.iter().any(|m| m.entity == e && m.id == rec.id());
                    if same(&rec, field, &old) && !known {
                        moves.push(Move {
                            entity: e,
                            field,
                            id: rec.id(),
                            trashed: false,
                        });
                    }
                }
            }
        }
        self.hand_over(&moves, &to, t.dry_run, None)?;
        Ok(Handover {
            to,
            from,
            dry_run: t.dry_run,
            moved: grouped(&moves),
        })
    }

    /// Every record `login` owns, of every kind with an owner (a case: its assignee),
    /// live and in the trash, as the acting user may see them.
    fn owned(&self, login: &str) -> Result<Vec<Move>> {
        let mut moves = Vec::new();
        for e in Entity::RECORDS {
            let Some(field) = e.owner_field() else {
                continue;
            };
            for trash in [false, true] {
                let q = ListQuery {
                    trash,
                    ..list_query(vec![owner_is(field, login)], "", None)
                };
                for rec in self.list(e, &q)? {
                    if same(&rec, field, login) {
                        moves.push(Move {
                            entity: e,
                            field,
                            id: rec.id(),
                            trashed: trash,
                        });
                    }
                }
            }
        }
        Ok(moves)
    }

    /// What `login` owns, per kind, live records and the trash.
    pub fn owned_by(&self, login: &str) -> Result<Vec<KindMoved>> {
        Ok(grouped(&self.owned(login)?))
    }

    /// Deactivate the user `user` names (a login, `#id`) and, given `to`, give everything
    /// they own to that user, in one write: records of every kind, those in the trash too
    /// (so that restoring one does not bring back a frozen owner). A leaver is not given
    /// their own records; `to` is known and active.
    pub fn deactivate_user(
        &mut self,
        user: &str,
        to: Option<&str>,
        dry_run: bool,
    ) -> Result<Leaver> {
        let id = self.resolve(Entity::User, user)?;
        let rec = self.get(Entity::User, id)?;
        let login = rec.text("login");
        let to = match to {
            Some(to) if to.trim() == login => {
                return Err(crate::err!(Invalid, "transfer.to_self", login = login));
            }
            Some(to) => Some(self.receiver(to)?),
            None => None,
        };
        let moves = match &to {
            Some(_) => self.owned(&login)?,
            None => vec![],
        };
        let active = rec.bool("active");
        let handover = to.map(|to| Handover {
            to,
            from: Some(login.clone()),
            dry_run,
            moved: grouped(&moves),
        });
        let target = handover.as_ref().map(|h| h.to.clone()).unwrap_or_default();
        self.hand_over(&moves, &target, dry_run, active.then_some(id))?;
        // After a dry run that hands over, they would own nothing the acting user sees.
        let still_owns = if dry_run && handover.is_some() {
            vec![]
        } else {
            self.owned_by(&login)?
        };
        Ok(Leaver {
            login,
            deactivated: active,
            handover,
            still_owns,
        })
    }

    /// Give each record of `moves` to `to`, and deactivate the user `deactivate` if any,
    /// in one write (none for a dry run). Only the owner field changes (a case's
    /// assignee), and is logged: whose a record is is not what it says, so a sent quote,
    /// an issued invoice, a closed case or a record in the trash changes hands as well.
    fn hand_over(
        &mut self,
        moves: &[Move],
        to: &str,
        dry_run: bool,
        deactivate: Option<i64>,
    ) -> Result<()> {
        if dry_run || (moves.is_empty() && deactivate.is_none()) {
            return Ok(());
        }
        self.write(|w, env| {
            for m in moves {
                let values = vec![(m.field.to_string(), Value::String(to.to_string()))];
                w.update(m.entity, m.id, &values)?;
            }
            if let Some(user) = deactivate {
                update_in(
                    w,
                    env,
                    Entity::User,
                    user,
                    &Input::new().with("active", "no"),
                )?;
            }
            Ok(())
        })
    }
}

/// The names `--with` takes, as typed (`contacts`, `deal` …), into kinds; an unknown one
/// is refused.
pub fn with_kinds(names: &[String]) -> Result<Vec<Entity>> {
    let mut kinds = Vec::new();
    for name in names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let kind = Entity::from_name(name).filter(|e| WITH_KINDS.contains(e));
        match kind {
            Some(e) if !kinds.contains(&e) => kinds.push(e),
            Some(_) => {}
            None => {
                return Err(crate::err!(
                    Invalid,
                    "transfer.unknown_kind",
                    kind = name,
                    kinds = WITH_KINDS.map(|e| e.plural()).join(", ")
                ))
            }
        }
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::crm::testing::{add, crm};

    #[test]
    fn every_kind_with_an_owner_has_its_count_in_the_catalog() {
        for e in Entity::RECORDS {
            if e.owner_field().is_some() {
                for form in ["one", "other"] {
                    let id = format!("transfer.count.{}.{form}", e.name());
                    assert!(crate::core::text::has(&id), "no message {id}");
                }
            }
        }
    }

    #[test]
    fn a_transfer_moves_the_accounts_and_their_records_in_one_batch() {
        let mut crm = crm();
        add(&mut crm, Entity::User, &[("login", "ann")]);
        add(&mut crm, Entity::User, &[("login", "lin")]);
        let a = add(
            &mut crm,
            Entity::Account,
            &[("name", "Acme"), ("owner", "ann")],
        );
        let b = add(
            &mut crm,
            Entity::Account,
            &[("name", "Beta"), ("owner", "t")],
        );
        let c = add(
            &mut crm,
            Entity::Contact,
            &[("name", "Wang"), ("account", "Acme"), ("owner", "ann")],
        );
        let other = add(
            &mut crm,
            Entity::Contact,
            &[("name", "Li"), ("account", "Acme"), ("owner", "t")],
        );
        let t = Transfer {
            to: "lin".into(),
            with: vec![Entity::Contact],
            ..Transfer::default()
        };
        let done = crm.transfer(&["Acme".into()], &t).unwrap();
        assert_eq!(done.total(), 2);
        assert_eq!(crm.get(Entity::Account, a).unwrap().text("owner"), "lin");
        assert_eq!(crm.get(Entity::Account, b).unwrap().text("owner"), "t");
        assert_eq!(crm.get(Entity::Contact, c).unwrap().text("owner"), "lin");
        assert_eq!(crm.get(Entity::Contact, other).unwrap().text("owner"), "t");
        let err = crm.transfer(&["nothing-like-this".into()], &t).unwrap_err();
        assert_eq!(err.code(), "transfer.none_match");
    }
}
