//! The service desk's reads for the interface: how satisfied a case's, a contact's or an
//! account's customers were, summed up from their surveys in one pass.

use super::query::Reader;
use crate::core::error::Result;
use crate::model::Entity;

/// The surveys of one record summed up: how many, their average score (1–5), and the NPS
/// of the latest that gave one.
#[derive(Debug, Clone, PartialEq)]
pub struct Satisfaction {
    pub count: usize,
    pub average: f64,
    pub latest_nps: Option<i64>,
}

impl Reader<'_> {
    /// The surveys of a case, a contact or an account, summed up; `None` when it has none
    /// (or is of another kind).
    pub fn satisfaction(&self, entity: Entity, id: i64) -> Result<Option<Satisfaction>> {
        let column = match entity {
            Entity::Case => "case_id",
            Entity::Contact => "contact_id",
            Entity::Account => "account_id",
            _ => return Ok(None),
        };
        let seen = self.seen(Entity::Survey, "t");
        let sql = format!(
            "SELECT count(*), avg(t.score),
                    (SELECT t.nps FROM surveys t
                      WHERE t.{column} = ?1 AND t.deleted_at IS NULL AND t.nps IS NOT NULL{seen}
                      ORDER BY t.\"on\" DESC, t.id DESC LIMIT 1)
               FROM surveys t
              WHERE t.{column} = ?1 AND t.deleted_at IS NULL{seen}"
        );
        let (count, average, latest_nps): (i64, Option<f64>, Option<i64>) = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok((count > 0).then(|| Satisfaction {
            count: count as usize,
            average: average.unwrap_or_default(),
            latest_nps,
        }))
    }
}
