//! Which records the acting user may see: the one condition every read of records in the
//! store takes.

use crate::model::Entity;

/// Which records the acting user may see. Every read of records in the store takes its
/// condition from [`Visibility::condition`], the one place where visibility rules apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Visibility {
    /// Every record, every field (one person's kith, or an administrator).
    #[default]
    All,
    /// Only records owned by one of these logins; kinds without an owner (pipelines,
    /// stages, users) are all visible.
    OwnedBy(Vec<String>),
    /// What a role gives (src/domain/team/rights.rs): per kind, whose records, the
    /// records shared, the accounts in the pool, and the fields limited.
    Scoped(std::sync::Arc<Scoped>),
}

/// The records and fields a user's roles let them see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scoped {
    /// Per kind with an owner: the logins whose records are seen, None for every record.
    /// A kind not named is seen whole.
    pub owners: Vec<(Entity, Option<Vec<String>>)>,
    /// Per kind: the ids of records shared with the user (or a team of theirs).
    pub shared: Vec<(Entity, Vec<i64>)>,
    /// The fields limited, by kind: hidden ones read as nothing and are left out of the
    /// record, masked ones read as `***`.
    pub fields: Vec<(Entity, String, Limit)>,
    /// Whether the accounts nobody owns (the shared pool) are seen.
    pub pool: bool,
}

/// How a limited field reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Not read at all: absent from the record.
    Hidden,
    /// Read as `***`.
    Masked,
    /// Read as it is (and refused in a change, by the write's guard).
    Read,
}

/// What a masked field reads as.
pub const MASK: &str = "***";

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
            Visibility::OwnedBy(_) | Visibility::Scoped(_) => {
                if let Some(owner) = entity.owner_field() {
                    return self.owner_condition(entity, owner, alias);
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

    /// The condition on a kind with an owner: owned by one of the logins seen, shared, or
    /// (an account) in the pool; None when every one is seen.
    fn owner_condition(&self, entity: Entity, owner: &str, alias: &str) -> Option<String> {
        let (logins, shared): (&[String], &[i64]) = match self {
            Visibility::All => return None,
            Visibility::OwnedBy(logins) => (logins, &[]),
            Visibility::Scoped(s) => {
                let logins = match s.owners.iter().find(|(e, _)| *e == entity) {
                    None | Some((_, None)) => return None,
                    Some((_, Some(logins))) => logins,
                };
                let shared = s
                    .shared
                    .iter()
                    .find(|(e, _)| *e == entity)
                    .map_or(&[][..], |(_, ids)| ids.as_slice());
                (logins, shared)
            }
        };
        let list: Vec<String> = logins.iter().map(|l| sql_text(l)).collect();
        let mut terms = Vec::new();
        if !list.is_empty() {
            terms.push(format!("{alias}.{owner} IN ({})", list.join(", ")));
        }
        // An account nobody owns is in the shared pool (公海), which everyone sees. Written
        // so that no index answers it: a page of accounts then reads in its order's index
        // and stops at the page, instead of gathering every account of the owner and the
        // pool to sort them.
        if matches!(self, Visibility::Scoped(s) if s.pool) && entity == Entity::Account {
            terms.push(format!("ifnull({alias}.{owner}, '') = ''"));
        }
        if !shared.is_empty() {
            let ids: Vec<String> = shared.iter().map(i64::to_string).collect();
            terms.push(format!("{alias}.id IN ({})", ids.join(", ")));
        }
        Some(match terms.as_slice() {
            // Nobody's records: none.
            [] => format!("{alias}.{owner} IN (NULL)"),
            [one] => one.clone(),
            many => format!("({})", many.join(" OR ")),
        })
    }

    /// How a field of a kind reads, when it is limited.
    pub fn limit(&self, entity: Entity, field: &str) -> Option<Limit> {
        match self {
            Visibility::Scoped(s) => s
                .fields
                .iter()
                .find(|(e, f, _)| *e == entity && f == field)
                .map(|(_, _, l)| *l),
            _ => None,
        }
    }

    /// Whether some field of this kind is hidden or masked.
    pub fn limits(&self, entity: Entity) -> bool {
        match self {
            Visibility::Scoped(s) => s
                .fields
                .iter()
                .any(|(e, _, l)| *e == entity && *l != Limit::Read),
            _ => false,
        }
    }

    /// What this sees of the records owned by `logins` alone (a team's report): every
    /// scope narrowed to those owners, without the shared records and the pool; the
    /// field limits as they were.
    pub fn narrowed_to(&self, logins: &[String]) -> Visibility {
        let keep = |o: Option<&Vec<String>>| -> Option<Vec<String>> {
            Some(match o {
                None => logins.to_vec(),
                Some(seen) => seen
                    .iter()
                    .filter(|l| logins.contains(l))
                    .cloned()
                    .collect(),
            })
        };
        let kinds = Entity::RECORDS
            .into_iter()
            .filter(|e| e.owner_field().is_some());
        match self {
            Visibility::All => Visibility::Scoped(std::sync::Arc::new(Scoped {
                owners: kinds.map(|e| (e, keep(None))).collect(),
                ..Scoped::default()
            })),
            Visibility::OwnedBy(seen) => Visibility::OwnedBy(keep(Some(seen)).unwrap_or_default()),
            Visibility::Scoped(s) => Visibility::Scoped(std::sync::Arc::new(Scoped {
                owners: kinds
                    .map(|e| {
                        let seen = s
                            .owners
                            .iter()
                            .find(|(k, _)| *k == e)
                            .and_then(|(_, o)| o.as_ref());
                        (e, keep(seen))
                    })
                    .collect(),
                shared: Vec::new(),
                fields: s.fields.clone(),
                pool: false,
            })),
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
