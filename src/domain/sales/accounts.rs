//! Accounts (客户): an account may be a branch of another, never of itself.

use serde_json::Value;

use crate::core::error::Result;
use crate::model::headers::COMPANY;
use crate::model::Entity;
use crate::model::{f, listed, required, text, DupeKeys, Kind, Section, Ty, Within};
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

pub const ACCOUNT_KINDS: &[&str] = &["company", "person"];

pub const ACCOUNT_TYPES: &[&str] = &[
    "prospect",
    "customer",
    "partner",
    "distributor",
    "competitor",
    "supplier",
];

pub const TIERS: &[&str] = &["A", "B", "C"];

pub const ACCOUNT_STATUSES: &[&str] = &["active", "dormant", "lost"];

/// Accounts (客户): companies and people the business deals with.
pub static ACCOUNT: Kind = Kind {
    name: "account",
    plural: "accounts",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        f("kind", Ty::Enum(ACCOUNT_KINDS)),
        listed(f("type", Ty::Enum(ACCOUNT_TYPES))),
        listed(f("tier", Ty::Enum(TIERS))),
        listed(f("status", Ty::Enum(ACCOUNT_STATUSES))),
        listed(text(f("industry", Ty::Text))),
        listed(f("owner", Ty::Text)),
        f("parent", Ty::Ref(Entity::Account)),
        text(f("phone", Ty::Phone)),
        text(f("email", Ty::Email)),
        text(f("website", Ty::Text)),
        text(f("address", Ty::Text)),
        listed(text(f("city", Ty::Text))),
        text(f("region", Ty::Text)),
        text(f("country", Ty::Text)),
        f("source", Ty::Text),
        listed(f("tags", Ty::Tags)),
        text(f("notes", Ty::LongText)),
        // After the fields of wave 1, so that their CSV columns keep their places.
        f("pricelist", Ty::Ref(Entity::PriceList)),
    ],
    default_order: "t.name_key ASC, t.id ASC",
    record: true,
    linkable: true,
    sections: &[
        Section {
            name: "contacts",
            kind: Entity::Contact,
            via: "account",
            only: None,
            sort: "name",
            limit: None,
        },
        Section {
            name: "open_deals",
            kind: Entity::Deal,
            via: "account",
            only: Some(("status", "open")),
            sort: "expected_close",
            limit: None,
        },
        Section {
            name: "quotes",
            kind: Entity::Quote,
            via: "account",
            only: None,
            sort: "-id",
            limit: Some(10),
        },
        Section {
            name: "orders",
            kind: Entity::Order,
            via: "account",
            only: None,
            sort: "-id",
            limit: Some(10),
        },
        Section {
            name: "contracts",
            kind: Entity::Contract,
            via: "account",
            only: None,
            sort: "-id",
            limit: None,
        },
        // The service desk: the latest cases and surveys (satisfaction, 满意度).
        Section {
            name: "cases",
            kind: Entity::Case,
            via: "account",
            only: None,
            sort: "-id",
            limit: Some(10),
        },
        Section {
            name: "surveys",
            kind: Entity::Survey,
            via: "account",
            only: None,
            sort: "-on",
            limit: Some(10),
        },
        Section {
            name: "children",
            kind: Entity::Account,
            via: "parent",
            only: None,
            sort: "name",
            limit: None,
        },
    ],
    dupes: Some(DupeKeys {
        emails: "email",
        phones: "phone",
        website: Some("website"),
        within: Within::All,
    }),
    synonyms: &[
        ("name", COMPANY),
        ("pricelist", &["价目表", "价格表", "price list"]),
        ("name", &["名称", "employer"]),
        (
            "type",
            &["类型", "客户类型", "account type", "customer type"],
        ),
        ("kind", &["客户性质"]),
    ],
    summary: &["type", "tier", "city"],
    hint: Some("city"),
    search: Some(["city", "industry"]),
    name_key: true,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};
