//! Invoices (发票) issued against a contract: a number, an amount and its tax, the day it
//! was issued; voided, never deleted. A contract keeps what was invoiced beside what was
//! received (its `invoiced` and `received`).

use serde_json::Value;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::domain::commerce::contracts;
use crate::domain::commerce::shared::{
    cannot, check_number, default_to, live, transition, value_of,
};
use crate::domain::toolkit::{validate, Env, Input};
use crate::model::record::Record;
use crate::model::{alias, f, listed, required, system, text, Entity, Kind, Ty};
use crate::store::{Values, Writer};

pub const INVOICE_STATUSES: &[&str] = &["issued", "void"];

/// Invoices.
pub static INVOICE: Kind = Kind {
    name: "invoice",
    plural: "invoices",
    label: "number",
    fields: &[
        listed(text(required(f("number", Ty::Text)))),
        listed(required(f("contract", Ty::Ref(Entity::Contract)))),
        listed(system(f("account", Ty::Ref(Entity::Account)))),
        listed(required(f("amount", Ty::Money))),
        listed(f("tax", Ty::Money)),
        listed(system(f("total", Ty::Money))),
        listed(f("currency", Ty::Currency)),
        listed(alias(f("issued", Ty::Date), &["on", "date"])),
        listed(system(f("status", Ty::Enum(INVOICE_STATUSES)))),
        system(f("voided_at", Ty::Stamp)),
        system(f("reason", Ty::Text)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.issued DESC, t.id DESC",
    record: true,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[
        (
            "number",
            &["发票号", "发票号码", "invoice number", "invoice no"],
        ),
        ("contract", &["合同", "合同号"]),
        ("amount", &["金额", "不含税金额", "net amount"]),
        ("tax", &["税额", "tax amount"]),
        ("issued", &["开票日期", "开具日期", "invoice date"]),
    ],
    summary: &["total", "currency", "issued"],
    hint: Some("contract"),
    search: Some(["account", "status"]),
    name_key: false,
    code: None,
    belongs: &["contract"],
    derived: &[],
    sets: &[],
    computed: &[],
};

fn money_of(values: &Values, col: &str) -> Money {
    value_of(values, col)
        .and_then(|v| Money::from_json(&v))
        .unwrap_or_default()
}

/// Issue an invoice against a contract, in its currency.
pub fn create(w: &mut Writer<'_>, env: &Env, input: Input) -> Result<i64> {
    if input.has("status") {
        return Err(crate::err!(Invalid, "invoices.status_by_verbs"));
    }
    let mut values = validate(&w.reader(), env, Entity::Invoice, &input, None)?;
    for field in ["number", "amount"] {
        if value_of(&values, field).is_none() {
            return Err(crate::err!(Invalid, "records.required", field = field));
        }
    }
    let Some(contract) = value_of(&values, "contract_id").and_then(|v| v.as_i64()) else {
        return Err(crate::err!(Invalid, "records.required", field = "contract"));
    };
    let c = live(&w.reader(), Entity::Contract, contract)?;
    let currency = c.str("currency").unwrap_or(&env.currency).to_string();
    if let Some(given) = value_of(&values, "currency").and_then(|v| v.as_str().map(str::to_string))
    {
        if given != currency {
            return Err(crate::err!(
                Invalid,
                "invoices.other_currency",
                currency = given,
                contract = c.label(),
                own = currency
            ));
        }
    }
    default_to(&mut values, "currency", Value::String(currency));
    default_to(
        &mut values,
        "issued",
        Value::String(env.clock.today().to_string()),
    );
    default_to(
        &mut values,
        "account_id",
        c.get("account_id").cloned().unwrap_or_default(),
    );
    if let Some(n) = value_of(&values, "number").and_then(|v| v.as_str().map(str::to_string)) {
        check_number(w, Entity::Invoice, &n, None)?;
    }
    let total = money_of(&values, "amount") + money_of(&values, "tax");
    values.extend([
        ("total".into(), total.to_json()),
        ("status".into(), Value::from("issued")),
    ]);
    let id = w.insert(Entity::Invoice, &values)?;
    contracts::follow(w, contract)?;
    Ok(id)
}

/// An edit of an issued invoice: its number stays unique, its total follows its amount and
/// tax; a void one is not edited.
pub(crate) fn check_edit(w: &Writer<'_>, existing: &Record, values: &mut Values) -> Result<()> {
    if existing.str("status") == Some("void") {
        return Err(cannot(existing, "edit", &["issued"]));
    }
    if values.iter().any(|(c, _)| c == "status") {
        return Err(crate::err!(Invalid, "invoices.status_by_verbs"));
    }
    if values
        .iter()
        .any(|(c, _)| c == "contract_id" || c == "currency")
    {
        return Err(crate::err!(Invalid, "invoices.contract_fixed"));
    }
    if let Some(n) = value_of(values, "number").and_then(|v| v.as_str().map(str::to_string)) {
        check_number(w, Entity::Invoice, &n, Some(existing.id()))?;
    }
    if values.iter().any(|(c, _)| c == "amount" || c == "tax") {
        let m = |c: &str| {
            value_of(values, c)
                .or_else(|| existing.get(c).cloned())
                .and_then(|v| Money::from_json(&v))
                .unwrap_or_default()
        };
        let total = m("amount") + m("tax");
        values.push(("total".into(), total.to_json()));
    }
    Ok(())
}

/// Void an issued invoice: it stays, marked void with its reason.
pub fn void(w: &mut Writer<'_>, env: &Env, id: i64, reason: Option<&str>) -> Result<()> {
    let i = transition(
        w,
        env,
        Entity::Invoice,
        id,
        ("void", &["issued"], "void"),
        "voided_at",
        reason,
    )?;
    if let Some(c) = i.i64("contract_id") {
        contracts::follow(w, c)?;
    }
    Ok(())
}
