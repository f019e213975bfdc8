//! The front door's verbs on users beyond the record verbs: deactivating (a user who made
//! changes or owns records is never deleted) and making active again.

use crate::app::crm::{update_in, Crm, Input};
use crate::core::error::Result;
use crate::model::Entity;

impl Crm {
    /// Set users active or not, in one write; for each, whether it changed.
    pub fn set_users_active(&mut self, ids: &[i64], active: bool) -> Result<Vec<bool>> {
        let input = Input::new().with("active", if active { "yes" } else { "no" });
        self.write(|w, env| {
            ids.iter()
                .map(|&id| update_in(w, env, Entity::User, id, &input))
                .collect()
        })
    }
}
