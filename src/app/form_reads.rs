//! What a form's pickers read beyond a plain list: the records linked to one record (an
//! account's contacts and deals, offered first once the form names the account), through
//! the index on the link, so an account's deals among 200,000 are read in a moment.

use crate::app::crm::{by, list_query, Crm};
use crate::core::error::Result;
use crate::model::record::Record;
use crate::model::{Entity, Ty};

impl Crm {
    /// The live records of `kind` whose link `field` points at record `id` (a contact's
    /// `account`), in the kind's list order, `limit` at most. Read through the link's
    /// index (`contacts_by_account`, `deals_by_account` …): only the linked rows are read.
    pub fn linked_records(
        &self,
        kind: Entity,
        field: &str,
        id: i64,
        limit: usize,
    ) -> Result<Vec<Record>> {
        self.list(kind, &list_query(vec![by(field, id)], "", Some(limit)))
    }
}

/// The link field of `kind` that names its account (`account`), if it has one the user
/// sets: contacts, deals, activities and tasks have it; accounts, leads and the rest do not.
pub fn account_link(kind: Entity) -> Option<&'static str> {
    kind.fields()
        .iter()
        .find(|f| f.name == "account" && f.ty == Ty::Ref(Entity::Account) && !f.system)
        .map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::crm::testing::crm;
    use crate::app::crm::Input;

    #[test]
    fn an_accounts_records_are_read_by_their_link() {
        let mut crm = crm();
        let a = crm
            .create(Entity::Account, &Input::new().with("name", "Acme"))
            .unwrap();
        let b = crm
            .create(Entity::Account, &Input::new().with("name", "Globex"))
            .unwrap();
        for (name, acc) in [("Ann", a), ("Bob", b), ("Cy", a)] {
            crm.create(
                Entity::Contact,
                &Input::new()
                    .with("name", name)
                    .with("account", format!("#{acc}")),
            )
            .unwrap();
        }
        let names: Vec<String> = crm
            .linked_records(Entity::Contact, "account", a, 10)
            .unwrap()
            .iter()
            .map(|r| r.label().to_string())
            .collect();
        assert_eq!(names, ["Ann", "Cy"]);
        assert_eq!(account_link(Entity::Deal), Some("account"));
        assert_eq!(account_link(Entity::Task), Some("account"));
        assert_eq!(account_link(Entity::Account), None);
        assert_eq!(account_link(Entity::Lead), None);
    }
}
