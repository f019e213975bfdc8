//! The front door's verbs of the team beyond the record verbs: sharing a record with a user
//! or a team (to read, or to read and change), and a role's field rules.

use crate::app::crm::{create_in, trash_in, Crm, Input};
use crate::app::queries::ListQuery;
use crate::core::error::Result;
use crate::model::record::Record;
use crate::model::Entity;

/// Whom a record is shared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum With {
    /// A user, by login.
    User(String),
    /// A team, by id.
    Team(i64),
}

impl Crm {
    /// The live shares of one record.
    pub fn shares_of(&self, entity: Entity, id: i64) -> Result<Vec<Record>> {
        let filter = crate::model::query::parse_args(&[
            format!("entity:{}", entity.name()),
            format!("record:{id}"),
        ])?;
        self.list(
            Entity::Share,
            &ListQuery {
                filter,
                ..ListQuery::default()
            },
        )
    }

    /// Share a record with a user or a team, to read or (`write`) to change too; a share
    /// already there with the other `write` is replaced, in the same write. Returns
    /// whether anything changed.
    pub fn share(&mut self, entity: Entity, id: i64, with: &With, write: bool) -> Result<bool> {
        let same: Vec<Record> = self
            .shares_of(entity, id)?
            .into_iter()
            .filter(|s| matches_with(s, with))
            .collect();
        if same.iter().any(|s| s.bool("write") == write) {
            return Ok(false);
        }
        let mut input = Input::new()
            .with("entity", entity.name())
            .with("record", id.to_string())
            .with("write", if write { "yes" } else { "no" });
        input = match with {
            With::User(login) => input.with("user", login.as_str()),
            With::Team(team) => input.with("team", format!("#{team}")),
        };
        self.write(|w, env| {
            for s in &same {
                trash_in(w, env, Entity::Share, s.id())?;
            }
            create_in(w, env, Entity::Share, &input)
        })?;
        Ok(true)
    }

    /// Stop sharing a record with a user or a team, or with everyone (`None`); how many
    /// shares ended.
    pub fn unshare(&mut self, entity: Entity, id: i64, with: Option<&With>) -> Result<usize> {
        let gone: Vec<i64> = self
            .shares_of(entity, id)?
            .into_iter()
            .filter(|s| with.is_none_or(|w| matches_with(s, w)))
            .map(|s| s.id())
            .collect();
        if gone.is_empty() {
            return Ok(0);
        }
        self.write(|w, env| {
            for s in &gone {
                trash_in(w, env, Entity::Share, *s)?;
            }
            Ok(gone.len())
        })
    }

    /// Set how a role sees one field (`deal.cost`): `hidden`, `masked`, `read`, or `full`
    /// to lift the limit. Returns whether the role changed.
    pub fn set_role_field(&mut self, role: i64, field: &str, access: &str) -> Result<bool> {
        let r = self.get(Entity::Role, role)?;
        let reader = self.reader();
        let mut rules = crate::domain::team::roles::parse_fields(&reader, &r.text("fields"))
            .unwrap_or_default();
        let lifted = access.trim().eq_ignore_ascii_case("full");
        let rule = crate::domain::team::roles::parse_field_rule(
            &reader,
            field,
            if lifted { "read" } else { access },
        )?;
        drop(reader);
        rules.retain(|(e, f, _)| (*e, f.as_str()) != (rule.0, rule.1.as_str()));
        if !lifted {
            rules.push(rule);
        }
        let text = crate::domain::team::roles::fields_text(&rules);
        let input = if text.is_empty() {
            Input::new().with("fields", "")
        } else {
            Input::new().with("fields", text)
        };
        self.update(Entity::Role, role, &input)
    }
}

impl Crm {
    /// The logins of a team's members and of the teams below it, with their leads.
    pub fn team_members(&self, team: i64) -> Result<Vec<String>> {
        let teams = self.list(Entity::Team, &ListQuery::default())?;
        let mut subtree = vec![team];
        let mut grew = true;
        while grew {
            grew = false;
            for t in &teams {
                if !subtree.contains(&t.id())
                    && t.i64("parent_id").is_some_and(|p| subtree.contains(&p))
                {
                    subtree.push(t.id());
                    grew = true;
                }
            }
        }
        let mut logins: Vec<String> = teams
            .iter()
            .filter(|t| subtree.contains(&t.id()))
            .map(|t| t.text("lead"))
            .filter(|l| !l.is_empty())
            .collect();
        for u in self.list(Entity::User, &ListQuery::default())? {
            if u.i64("team_id").is_some_and(|t| subtree.contains(&t)) {
                logins.push(u.text("login"));
            }
        }
        logins.sort();
        logins.dedup();
        Ok(logins)
    }

    /// From now on, read only the records a team's members own (`--team` of the reports),
    /// within what the acting user sees.
    pub fn narrow_to_team(&mut self, team: i64) -> Result<()> {
        let logins = self.team_members(team)?;
        let vis = self.visibility().narrowed_to(&logins);
        self.set_visibility(vis);
        Ok(())
    }
}

fn matches_with(share: &Record, with: &With) -> bool {
    match with {
        With::User(login) => share.str("user") == Some(login.as_str()),
        With::Team(team) => share.i64("team_id") == Some(*team),
    }
}
