//! Leads (线索): converting a lead makes (or links to) an account and a contact, and
//! optionally a deal, in one transaction, and keeps the link from the lead to each.

use serde::Serialize;
use serde_json::Value;

use crate::core::error::Result;
use crate::domain::toolkit::{resolve, Env, Input, Records};
use crate::model::headers::{COMPANY, JOB, PERSON};
use crate::model::Entity;
use crate::model::{f, listed, required, system, text, DupeKeys, Kind, Ty, Within};
use crate::store::Writer;

/// Choices for a conversion. Unset fields mean: find or make from the lead.
#[derive(Debug, Clone, Default)]
pub struct Convert {
    /// An existing account to link to (id or name).
    pub account: Option<String>,
    /// An existing contact to link to (id or name).
    pub contact: Option<String>,
    /// Make a deal with this title.
    pub deal: Option<String>,
    /// Further fields of the deal (amount, stage, close …).
    pub deal_input: Input,
}

/// What a conversion made or linked.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Converted {
    pub lead_id: i64,
    pub account_id: i64,
    pub account_created: bool,
    pub contact_id: i64,
    pub contact_created: bool,
    pub deal_id: Option<i64>,
}

pub fn convert(
    w: &mut Writer<'_>,
    env: &Env,
    records: &dyn Records,
    lead_id: i64,
    c: &Convert,
) -> Result<Converted> {
    let lead = w
        .reader()
        .get(Entity::Lead, lead_id)?
        .ok_or_else(|| crate::err!(Invalid, "leads.lead_id", lead_id = lead_id))?;
    if lead.is_trashed() {
        return Err(crate::err!(
            Invalid,
            "leads.lead_trash_restore",
            lead_id = lead_id
        ));
    }
    if lead.str("status") == Some("converted") {
        return Err(crate::err!(
            Invalid,
            "leads.lead_already_converted",
            lead_id = lead_id,
            account = lead.i64("converted_account_id").unwrap_or(0),
            contact = lead.i64("converted_contact_id").unwrap_or(0)
        ));
    }
    let owner = lead.str("owner").unwrap_or(&env.user).to_string();
    let company = lead.str("company").map(str::to_string);

    // The account: the one named, else an existing one with the company's exact name,
    // else a new one (a person account when the lead names no company).
    let (account_id, account_created) = match &c.account {
        Some(a) => (
            resolve(&w.reader(), Entity::Account, a, false).map_err(|e| e.context("--account"))?,
            false,
        ),
        None => {
            let name = company.clone().unwrap_or_else(|| lead.label().to_string());
            let (found, exact) = w.reader().find_by_label(Entity::Account, &name, 2, false)?;
            match (found.as_slice(), exact) {
                ([(id, _)], true) => (*id, false),
                _ => {
                    let mut input = Input::new()
                        .with("name", name)
                        .with(
                            "kind",
                            if company.is_some() {
                                "company"
                            } else {
                                "person"
                            },
                        )
                        .with("owner", owner.clone());
                    for f in ["source", "phone", "email"] {
                        if let Some(v) = lead.str(f) {
                            input.set(f, v);
                        }
                    }
                    (records.create(w, env, Entity::Account, &input)?, true)
                }
            }
        }
    };

    // The contact: the one named, else one of the account's with the same name or email,
    // else a new one.
    let (contact_id, contact_created) = match &c.contact {
        Some(x) => (
            resolve(&w.reader(), Entity::Contact, x, false).map_err(|e| e.context("--contact"))?,
            false,
        ),
        None => {
            let existing = w
                .reader()
                .list(
                    Entity::Contact,
                    &crate::domain::toolkit::list_query(
                        vec![crate::domain::toolkit::by("account", account_id)],
                        "id",
                        None,
                    ),
                    &env.ctx(),
                )?
                .into_iter()
                .find(|k| {
                    k.label().eq_ignore_ascii_case(lead.label())
                        || lead.str("email").is_some_and(|e| {
                            k.get("emails").and_then(Value::as_array).is_some_and(|a| {
                                a.iter()
                                    .any(|x| x.as_str().is_some_and(|x| x.eq_ignore_ascii_case(e)))
                            })
                        })
                });
            match existing {
                Some(k) => (k.id(), false),
                None => {
                    let mut input = Input::new()
                        .with("name", lead.label())
                        .with("account", account_id.to_string())
                        .with("owner", owner.clone());
                    for (from, to) in [("title", "title"), ("email", "emails"), ("phone", "phones")]
                    {
                        if let Some(v) = lead.str(from) {
                            input.set(to, v);
                        }
                    }
                    if let Some(tags) = lead.get("tags").and_then(Value::as_array) {
                        input.tags_add = tags
                            .iter()
                            .filter_map(|t| t.as_str().map(str::to_string))
                            .collect();
                    }
                    (records.create(w, env, Entity::Contact, &input)?, true)
                }
            }
        }
    };

    let deal_id = match &c.deal {
        Some(title) => {
            let mut input = c.deal_input.clone();
            input.set("title", title.clone());
            input.set("account", account_id.to_string());
            input.set("contact", contact_id.to_string());
            if !input.has("owner") {
                input.set("owner", owner.clone());
            }
            if !input.has("source") {
                if let Some(s) = lead.str("source") {
                    input.set("source", s);
                }
            }
            Some(
                records
                    .create(w, env, Entity::Deal, &input)
                    .map_err(|e| e.context("deal"))?,
            )
        }
        None => None,
    };

    w.update(
        Entity::Lead,
        lead_id,
        &vec![
            ("status".into(), Value::from("converted")),
            ("converted_account_id".into(), Value::from(account_id)),
            ("converted_contact_id".into(), Value::from(contact_id)),
            (
                "converted_deal_id".into(),
                deal_id.map(Value::from).unwrap_or(Value::Null),
            ),
            ("converted_at".into(), Value::from(env.clock.stamp())),
        ],
    )?;
    Ok(Converted {
        lead_id,
        account_id,
        account_created,
        contact_id,
        contact_created,
        deal_id,
    })
}

/// A lead's `converted` status links it to what it became, so only conversion sets it.
pub(crate) fn refuse_conversion_by_hand(input: &Input) -> Result<()> {
    let converted = input
        .get("status")
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("converted"));
    if converted {
        return Err(crate::err!(Invalid, "leads.status_lead_becomes"));
    }
    Ok(())
}

pub const LEAD_STATUSES: &[&str] = &["new", "contacted", "qualified", "converted", "disqualified"];

/// Leads (线索): people or companies not yet qualified.
pub static LEAD: Kind = Kind {
    name: "lead",
    plural: "leads",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        listed(text(f("company", Ty::Text))),
        text(f("title", Ty::Text)),
        text(f("email", Ty::Email)),
        text(f("phone", Ty::Phone)),
        listed(f("source", Ty::Text)),
        listed(f("status", Ty::Enum(LEAD_STATUSES))),
        listed(f("score", Ty::Int { min: 0, max: 100 })),
        listed(f("owner", Ty::Text)),
        f("tags", Ty::Tags),
        text(f("notes", Ty::LongText)),
        system(f("converted_account", Ty::Ref(Entity::Account))),
        system(f("converted_contact", Ty::Ref(Entity::Contact))),
        system(f("converted_deal", Ty::Ref(Entity::Deal))),
        system(f("converted_at", Ty::Stamp)),
    ],
    default_order: "t.name_key ASC, t.id ASC",
    record: true,
    linkable: true,
    sections: &[],
    dupes: Some(DupeKeys {
        emails: "email",
        phones: "phone",
        website: None,
        within: Within::Company("company"),
    }),
    synonyms: &[("name", PERSON), ("company", COMPANY), ("title", JOB)],
    summary: &[],
    hint: Some("company"),
    search: Some(["company", "status"]),
    name_key: true,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};
