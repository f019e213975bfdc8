//! Which records the acting user may see: the one condition every read of records in the
//! store takes.

use crate::model::Entity;

/// Which records the acting user may see. Every read of records in the store takes its
/// condition from [`Visibility::condition`], the one place where visibility rules apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Visibility {
    /// Every record (what kith allows today).
    #[default]
    All,
    /// Only records owned by one of these logins; kinds without an owner (pipelines,
    /// stages, users) are all visible. The shape the team's own/team scopes will take.
    OwnedBy(Vec<String>),
}

impl Visibility {
    /// Only records owned by `login`.
    pub fn owned_by(login: &str) -> Visibility {
        Visibility::OwnedBy(vec![login.to_string()])
    }

    /// The SQL condition a row of `entity`, read under the name `alias`, must meet to be
    /// seen; None when every row may be. `alias` is a table alias (`t`) or a table name.
    pub fn condition(&self, entity: Entity, alias: &str) -> Option<String> {
        match self {
            Visibility::All => None,
            Visibility::OwnedBy(logins) => {
                if let Some(owner) = entity.owner_field() {
                    let list: Vec<String> = logins.iter().map(|l| sql_text(l)).collect();
                    return Some(format!("{alias}.{owner} IN ({})", list.join(", ")));
                }
                // A record that belongs to another is seen when that one is: the one it
                // points at, of the references it may have.
                let parents: Vec<String> = entity
                    .kind()
                    .belongs
                    .iter()
                    .filter_map(|f| {
                        let field = entity.field(f)?;
                        let parent = field.is_ref()?;
                        let inner = format!("{alias}_{f}");
                        let seen = self.condition(parent, &inner)?;
                        Some(format!(
                            "EXISTS (SELECT 1 FROM {} {inner} WHERE {inner}.id = {alias}.{} AND {seen})",
                            parent.table(),
                            field.column()
                        ))
                    })
                    .collect();
                match parents.as_slice() {
                    [] => None,
                    [one] => Some(one.clone()),
                    many => Some(format!("({})", many.join(" OR "))),
                }
            }
        }
    }

    /// `AND <condition>`, or nothing: to append to a WHERE clause.
    pub fn and(&self, entity: Entity, alias: &str) -> String {
        self.condition(entity, alias)
            .map(|c| format!(" AND {c}"))
            .unwrap_or_default()
    }

    /// Whether every record is visible (reads may then take their fastest paths).
    pub fn is_all(&self) -> bool {
        *self == Visibility::All
    }
}

/// A text as an SQL string literal.
fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_condition_names_the_owners_and_leaves_kinds_without_one_alone() {
        let vis = Visibility::OwnedBy(vec!["mei".into(), "o'neil".into()]);
        assert_eq!(
            vis.condition(Entity::Deal, "t").as_deref(),
            Some("t.owner IN ('mei', 'o''neil')")
        );
        assert_eq!(
            vis.and(Entity::Task, "tasks"),
            " AND tasks.owner IN ('mei', 'o''neil')"
        );
        assert_eq!(vis.condition(Entity::Pipeline, "t"), None);
        // A plan item is seen when its contract is; an allocation when its payment's
        // contract is.
        assert_eq!(
            vis.condition(Entity::Plan, "t").as_deref(),
            Some("EXISTS (SELECT 1 FROM contracts t_contract WHERE t_contract.id = t.contract_id AND t_contract.owner IN ('mei', 'o''neil'))")
        );
        assert!(vis
            .condition(Entity::Allocation, "t")
            .unwrap()
            .contains("FROM payments t_payment WHERE t_payment.id = t.payment_id AND EXISTS (SELECT 1 FROM contracts t_payment_contract"));
        assert_eq!(vis.condition(Entity::User, "t"), None);
        assert_eq!(Visibility::All.condition(Entity::Deal, "t"), None);
        assert_eq!(Visibility::All.and(Entity::Deal, "t"), "");
    }
}
