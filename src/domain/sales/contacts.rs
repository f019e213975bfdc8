//! Contacts (联系人): the people of accounts; their description.

use crate::model::headers::{COMPANY, JOB, PERSON};
use crate::model::{alias, f, listed, required, text, DupeKeys, Entity, Kind, Section, Ty, Within};

/// Contacts (联系人): people at accounts.
pub static CONTACT: Kind = Kind {
    name: "contact",
    plural: "contacts",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        listed(alias(f("account", Ty::Ref(Entity::Account)), &["company"])),
        listed(text(f("title", Ty::Text))),
        text(f("role", Ty::Text)),
        listed(text(alias(
            f(
                "emails",
                Ty::List {
                    elem: &Ty::Email,
                    first: "email",
                },
            ),
            &["email"],
        ))),
        listed(text(alias(
            f(
                "phones",
                Ty::List {
                    elem: &Ty::Phone,
                    first: "phone",
                },
            ),
            &["phone", "mobile"],
        ))),
        f("birthday", Ty::Date),
        f("owner", Ty::Text),
        listed(f("tags", Ty::Tags)),
        text(f("notes", Ty::LongText)),
        // The UID of the vCard the contact came from: kept, written back out, and the key a
        // re-import of the address book matches on.
        f("uid", Ty::Text),
    ],
    default_order: "t.name_key ASC, t.id ASC",
    record: true,
    linkable: true,
    sections: &[
        Section {
            name: "deals",
            kind: Entity::Deal,
            via: "contact",
            only: None,
            sort: "expected_close",
            limit: None,
        },
        Section {
            name: "cases",
            kind: Entity::Case,
            via: "contact",
            only: None,
            sort: "-id",
            limit: Some(10),
        },
        Section {
            name: "surveys",
            kind: Entity::Survey,
            via: "contact",
            only: None,
            sort: "-on",
            limit: Some(10),
        },
    ],
    dupes: Some(DupeKeys {
        emails: "emails",
        phones: "phones",
        website: None,
        within: Within::Same("account"),
    }),
    synonyms: &[
        ("name", PERSON),
        ("account", COMPANY),
        ("account", &["employer"]),
        ("title", JOB),
    ],
    summary: &["title", "email"],
    hint: Some("account"),
    search: Some(["account", "title"]),
    name_key: true,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};
