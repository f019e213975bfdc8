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

    /// Whether the acting user's roles hide a field of a kind: it is absent from what they
    /// read, and the faces leave its column and its form field out.
    pub fn field_hidden(&self, entity: Entity, field: &str) -> bool {
        self.store.visibility().limit(entity, field) == Some(crate::store::Limit::Hidden)
    }
}

pub use crate::domain::team::rights::Rights;

impl Crm {
    /// Act from now on with the rights of the acting user's roles: every read sees what
    /// they may see, every write checks what they may do. `system_login` is the
    /// operating-system login kith runs under; when the acting user was not named (`--as`,
    /// `KITH_USER`, the configuration's `user`), it is the user that login is mapped to
    /// (`os_login`). Once roles apply, only an administrator acts as someone else, a login
    /// that is no user may do nothing, and a deactivated user's access is frozen.
    pub fn act(&mut self, system_login: Option<&str>, named: bool) -> Result<()> {
        let system = system_login.map(str::trim).filter(|s| !s.is_empty());
        let person = match system {
            Some(os) => self.store.reader().user_at_keyboard(os)?,
            None => None,
        };
        if !named {
            if let Some(login) = &person {
                self.env.user = login.clone();
            }
        }
        let rights = Rights::load(&self.store.reader(), &self.env.user)?;
        if rights.enforced {
            if let Some(me) = person.filter(|p| *p != self.env.user) {
                let mine = Rights::load(&self.store.reader(), &me)?;
                if !mine.is_admin() {
                    return Err(crate::err!(
                        NotAllowed,
                        "rights.not_as",
                        login = self.env.user,
                        me = me
                    ));
                }
            }
            if !rights.known {
                return Err(crate::err!(
                    NotAllowed,
                    "rights.not_a_user",
                    login = rights.login
                ));
            }
            if !rights.active {
                return Err(crate::err!(
                    NotAllowed,
                    "rights.frozen",
                    login = rights.login
                ));
            }
            self.store
                .set_guard(Some(std::sync::Arc::new(rights.clone())));
        }
        self.store.set_visibility(rights.visibility());
        self.rights = std::sync::Arc::new(rights);
        Ok(())
    }

    /// What the acting user may see and do.
    pub fn rights(&self) -> &Rights {
        &self.rights
    }

    /// Refuse unless the acting user may do `right` (`export`, `import`, `administer` …).
    pub fn require(&self, right: &str) -> Result<()> {
        self.rights.require(right)
    }

    /// Run `f` as a write that the acting user's rights do not check: a rule everyone
    /// agreed to moving records (the shared pool's sweep), recorded under the acting user.
    pub fn write_by_rule<T>(
        &mut self,
        f: impl FnOnce(&mut crate::store::Writer<'_>, &crate::app::crm::Env) -> Result<T>,
    ) -> Result<T> {
        let guard = self.store.set_guard(None);
        let out = self.write(f);
        self.store.set_guard(guard);
        out
    }
}
