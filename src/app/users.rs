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

impl Crm {
    /// The email of each active user who has one, by login: where `kith remind
    /// --mail-people` sends what is for them.
    pub fn user_emails(&self) -> Result<std::collections::HashMap<String, String>> {
        let users = self.list(Entity::User, &crate::store::ListQuery::default())?;
        Ok(users
            .iter()
            .filter(|u| u.bool("active"))
            .filter_map(|u| {
                let email = u.str("email")?.trim();
                (!email.is_empty()).then(|| (u.text("login"), email.to_string()))
            })
            .collect())
    }
}

pub use crate::store::Visibility;

impl Crm {
    /// Set which records every read from now on sees: lists, shows, search, reports,
    /// exports, the agenda, reminders and the interface's reads all pass through
    /// [`Visibility::condition`]. Every record, unless set.
    pub fn set_visibility(&mut self, vis: Visibility) {
        self.store.set_visibility(vis);
    }

    /// Which records reads see.
    pub fn visibility(&self) -> &Visibility {
        self.store.visibility()
    }
}
