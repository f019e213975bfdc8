//! Accounts (客户): an account may be a branch of another, never of itself.

use serde_json::Value;

use crate::core::error::Result;
use crate::model::Entity;
use crate::store::{Reader, Values};

/// A new parent among an account's changed values must not make a loop.
pub(crate) fn check_parent(r: &Reader<'_>, id: i64, values: &Values) -> Result<()> {
    if let Some((_, Value::Number(p))) = values.iter().find(|(c, _)| c == "parent_id") {
        check_no_cycle(r, id, p.as_i64().unwrap_or(0))?;
    }
    Ok(())
}

/// Refuse `parent` as account `id`'s parent when it is `id` itself or one of its branches.
pub fn check_no_cycle(r: &Reader<'_>, id: i64, parent: i64) -> Result<()> {
    let mut cur = Some(parent);
    let mut seen = 0;
    while let Some(p) = cur {
        if p == id {
            return Err(crate::err!(
                Invalid,
                "accounts.parent_account_account",
                parent = parent,
                id = id
            ));
        }
        seen += 1;
        if seen > 10_000 {
            break;
        }
        cur = r.get(Entity::Account, p)?.and_then(|a| a.i64("parent_id"));
    }
    Ok(())
}
