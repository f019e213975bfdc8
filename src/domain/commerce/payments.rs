//! Payments received (回款) against a contract. A payment is applied to the contract's plan
//! items, oldest due first (or first to the one named), each taking what it still has
//! open; an allocation records what one payment paid of one item. A payment larger than
//! what is open is refused unless the excess is kept as a credit (`overpay`). A payment is
//! never deleted: reversing it takes its allocations off and the items it paid owe again.

use serde_json::Value;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::domain::commerce::contracts::{self, open_of, plan_of, stored_status};
use crate::domain::commerce::shared::{default_to, live, money, number_new, transition, value_of};
use crate::domain::toolkit::{by, list_query, validate, Env, Input};
use crate::model::record::Record;
use crate::model::{alias, f, listed, required, system, text, Entity, Kind, Section, Ty};
use crate::store::{QueryCtx, Reader, Values, Writer};

pub const PAYMENT_STATUSES: &[&str] = &["received", "reversed"];
pub const METHODS: &[&str] = &["bank", "cash", "cheque", "other"];

/// Payments received.
pub static PAYMENT: Kind = Kind {
    name: "payment",
    plural: "payments",
    label: "number",
    fields: &[
        // Not required: kith numbers a record given none.
        listed(text(f("number", Ty::Text))),
        listed(required(f("contract", Ty::Ref(Entity::Contract)))),
        listed(system(f("account", Ty::Ref(Entity::Account)))),
        f("plan", Ty::Ref(Entity::Plan)),
        listed(required(f("amount", Ty::Money))),
        listed(f("currency", Ty::Currency)),
        listed(alias(f("received_on", Ty::Date), &["on", "date"])),
        listed(f("method", Ty::Enum(METHODS))),
        text(alias(f("reference", Ty::Text), &["ref"])),
        text(f("payer", Ty::Text)),
        listed(system(f("status", Ty::Enum(PAYMENT_STATUSES)))),
        system(f("applied", Ty::Money)),
        system(f("credit", Ty::Money)),
        system(f("reversed_at", Ty::Stamp)),
        system(f("reason", Ty::Text)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.received_on DESC, t.id DESC",
    record: true,
    linkable: false,
    sections: &[Section {
        name: "allocations",
        kind: Entity::Allocation,
        via: "payment",
        only: None,
        sort: "id",
        limit: None,
    }],
    dupes: None,
    synonyms: &[
        ("number", &["回款编号", "收款单号", "payment number"]),
        ("contract", &["合同", "合同号"]),
        ("plan", &["回款计划", "回款期次"]),
        (
            "amount",
            &[
                "回款金额",
                "收款金额",
                "收入金额",
                "贷方金额",
                "贷方发生额",
                "入账金额",
                "金额",
                "credit amount",
            ],
        ),
        (
            "received_on",
            &[
                "回款日期",
                "收款日期",
                "交易日期",
                "记账日期",
                "入账日期",
                "日期",
                "value date",
                "booking date",
            ],
        ),
        ("method", &["付款方式", "回款方式", "payment method"]),
        (
            "reference",
            &[
                "流水号",
                "交易流水号",
                "银行流水号",
                "交易参考号",
                "凭证号",
                "reference",
                "transaction id",
            ],
        ),
        (
            "payer",
            &[
                "付款方",
                "付款人",
                "对方户名",
                "对方账户名称",
                "对方名称",
                "payer name",
                "counterparty",
            ],
        ),
        (
            "notes",
            &["摘要", "用途", "附言", "交易摘要", "description", "memo"],
        ),
    ],
    summary: &["amount", "currency", "received_on"],
    hint: Some("contract"),
    search: Some(["account", "reference"]),
    name_key: false,
    code: None,
    belongs: &["contract"],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// What a payment paid of a plan item.
pub static ALLOCATION: Kind = Kind {
    name: "allocation",
    plural: "allocations",
    label: "amount",
    fields: &[
        listed(required(f("payment", Ty::Ref(Entity::Payment)))),
        listed(required(f("plan", Ty::Ref(Entity::Plan)))),
        listed(required(f("amount", Ty::Money))),
    ],
    default_order: "t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["amount"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &["payment"],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// How a payment is taken.
#[derive(Debug, Clone, Default)]
pub struct Receive {
    /// Keep what exceeds the contract's open amount as a credit instead of refusing.
    pub overpay: bool,
}

/// Receive a payment against a contract and apply it to its plan.
pub fn create(w: &mut Writer<'_>, env: &Env, mut input: Input, how: &Receive) -> Result<i64> {
    if input.has("status") {
        return Err(crate::err!(Invalid, "payments.status_by_verbs"));
    }
    let plan_text = input.take("plan");
    if !input.has("amount") {
        // A statement's row of money paid out has no amount received.
        return Err(crate::err!(Invalid, "payments.no_amount"));
    }
    if !input.has("contract") {
        // A bank statement's row: its contract named in its reference, else its payer's.
        let contract = contract_of_row(&w.reader(), &input)?;
        input.set("contract", format!("#{contract}"));
    }
    let mut values = validate(&w.reader(), env, Entity::Payment, &input, None)?;
    let Some(contract) = value_of(&values, "contract_id").and_then(|v| v.as_i64()) else {
        return Err(crate::err!(Invalid, "records.required", field = "contract"));
    };
    let c = live(&w.reader(), Entity::Contract, contract)?;
    let Some(amount) = value_of(&values, "amount").and_then(|v| Money::from_json(&v)) else {
        return Err(crate::err!(Invalid, "records.required", field = "amount"));
    };
    if amount == Money::ZERO {
        return Err(crate::err!(Invalid, "payments.zero"));
    }
    let currency = c.str("currency").unwrap_or(&env.currency).to_string();
    default_to(&mut values, "currency", Value::String(currency.clone()));
    default_to(
        &mut values,
        "received_on",
        Value::String(env.clock.today().to_string()),
    );
    // A payment in another currency than its contract's pays what it is worth in the
    // contract's on the day it came (the rate in effect then; none is an error naming it).
    let given = value_of(&values, "currency")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| currency.clone());
    let amount = if given == currency {
        amount
    } else {
        let day = value_of(&values, "received_on")
            .and_then(|v| v.as_str().and_then(crate::core::dates::day_of))
            .unwrap_or_else(|| env.clock.today());
        crate::domain::commerce::rates::book(&w.reader())?
            .convert(amount, &given, &currency, day)?
    };
    let named = match plan_text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(t) => Some(item_named(&w.reader(), &c, t)?),
        None => None,
    };
    default_to(
        &mut values,
        "account_id",
        c.get("account_id").cloned().unwrap_or_default(),
    );
    if let Some(p) = &named {
        values.push(("plan_id".into(), Value::from(p.id())));
    }
    let plan = plan_of(&w.reader(), contract)?;
    let no_plan = plan.is_empty();
    let mut items: Vec<Record> = plan
        .into_iter()
        .filter(|p| open_of(p) > Money::ZERO)
        .collect();
    if let Some(p) = &named {
        items.retain(|i| i.id() != p.id());
        if open_of(p) > Money::ZERO {
            items.insert(0, p.clone());
        }
    }
    let open = if no_plan {
        money(&c, "amount") - money(&c, "received")
    } else {
        items.iter().map(open_of).sum()
    };
    let open = open.max(Money::ZERO);
    if amount > open && !how.overpay {
        return Err(crate::err!(
            Invalid,
            "payments.more_than_open",
            amount = amount.grouped(),
            contract = c.label(),
            open = open.grouped()
        ));
    }
    let applied = amount.min(open);
    let credit = amount - applied;
    number_new(w, env, Entity::Payment, "PAY", &mut values)?;
    values.extend([
        ("status".into(), Value::from("received")),
        ("applied".into(), applied.to_json()),
        ("credit".into(), credit.to_json()),
    ]);
    let id = w.insert(Entity::Payment, &values)?;
    let mut left = applied;
    for item in items {
        if left == Money::ZERO {
            break;
        }
        let take = open_of(&item).min(left);
        w.insert(
            Entity::Allocation,
            &vec![
                ("payment_id".into(), Value::from(id)),
                ("plan_id".into(), Value::from(item.id())),
                ("amount".into(), take.to_json()),
            ],
        )?;
        left = left - take;
        settle(w, item.id())?;
    }
    contracts::follow(w, contract)?;
    Ok(id)
}

/// The contract a payment without one is for, as a bank statement's row gives it: a
/// contract's number in its reference or notes (摘要, 用途: `货款 HT-2026-001`), else the one active
/// contract with money open of the account that paid (the payer's name).
fn contract_of_row(r: &Reader<'_>, input: &Input) -> Result<i64> {
    let reference = input.get("reference").unwrap_or_default();
    let payer = input.get("payer").unwrap_or_default();
    let notes = input.get("notes").unwrap_or_default();
    let text = format!("{reference} {notes} {payer}");
    let words = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_')))
        .map(|w| w.trim_matches(|c| matches!(c, '-' | '/' | '_')))
        .filter(|w| w.len() >= 3 && w.chars().any(|c| c.is_ascii_digit()));
    for word in words {
        let found =
            crate::domain::toolkit::with_value(r, Entity::Contract, "number", word, false, 2)?;
        if let [c] = found.as_slice() {
            return Ok(c.id());
        }
    }
    if !payer.trim().is_empty() {
        if let (found, true) = r.find_by_label(Entity::Account, payer.trim(), 2, false)? {
            let Some(&(account, _)) = found.first().filter(|_| found.len() == 1) else {
                return Err(no_contract(reference, payer));
            };
            let open: Vec<i64> = r
                .list(
                    Entity::Contract,
                    &list_query(
                        vec![
                            by("account", account),
                            crate::domain::toolkit::is("status", "active"),
                        ],
                        "id",
                        None,
                    ),
                    &QueryCtx::none(),
                )?
                .iter()
                .filter(|c| money(c, "planned").max(money(c, "amount")) > money(c, "received"))
                .map(Record::id)
                .collect();
            if let [one] = open.as_slice() {
                return Ok(*one);
            }
        }
    }
    Err(no_contract(reference, payer))
}

fn no_contract(reference: &str, payer: &str) -> crate::core::error::Error {
    crate::err!(
        Invalid,
        "payments.no_contract",
        reference = reference.trim(),
        payer = payer.trim()
    )
}

/// A contract's plan item as a payment names it: its place in the plan (`2`), its name
/// (`HT-2026-001/2`) or `#id`.
fn item_named(r: &Reader<'_>, c: &Record, text: &str) -> Result<Record> {
    let items = plan_of(r, c.id())?;
    let found = match text.strip_prefix('#') {
        Some(id) => items.iter().find(|p| id.parse() == Ok(p.id())),
        None => items.iter().find(|p| {
            text.parse::<i64>().ok() == p.i64("position") || p.label().eq_ignore_ascii_case(text)
        }),
    };
    found.cloned().ok_or_else(|| {
        crate::err!(
            NotFound,
            "payments.no_such_item",
            item = text,
            contract = c.label(),
            n = items.len()
        )
    })
}

/// After its allocations changed: what a plan item has been paid, and its stored status.
pub fn settle(w: &mut Writer<'_>, item: i64) -> Result<()> {
    let p = live(&w.reader(), Entity::Plan, item)?;
    let paid: Money = allocations(&w.reader(), "plan", item)?
        .iter()
        .map(|a| money(a, "amount"))
        .sum();
    w.update(
        Entity::Plan,
        item,
        &vec![
            ("paid".into(), paid.to_json()),
            (
                "status".into(),
                Value::from(stored_status(money(&p, "amount"), paid)),
            ),
        ],
    )?;
    Ok(())
}

/// The live allocations of a payment or a plan item.
pub fn allocations(r: &Reader<'_>, field: &str, id: i64) -> Result<Vec<Record>> {
    r.list(
        Entity::Allocation,
        &list_query(vec![by(field, id)], "id", None),
        &QueryCtx::none(),
    )
}

/// Reverse a payment: it stays, marked reversed with its reason; what it paid is owed again.
pub fn reverse(w: &mut Writer<'_>, env: &Env, id: i64, reason: Option<&str>) -> Result<()> {
    let p = transition(
        w,
        env,
        Entity::Payment,
        id,
        ("reverse", &["received"], "reversed"),
        "reversed_at",
        reason,
    )?;
    for a in allocations(&w.reader(), "payment", id)? {
        w.trash(Entity::Allocation, a.id())?;
        if let Some(item) = a.i64("plan_id") {
            settle(w, item)?;
        }
    }
    if let Some(c) = p.i64("contract_id") {
        contracts::follow(w, c)?;
    }
    Ok(())
}

/// A payment is corrected by reversing it, never by editing what was received or taking
/// it away: only its method, reference, payer and notes change.
pub(crate) fn check_edit(values: &Values) -> Result<()> {
    if let Some((c, _)) = values
        .iter()
        .find(|(c, _)| !matches!(c.as_str(), "method" | "reference" | "payer" | "notes"))
    {
        return Err(crate::err!(Invalid, "payments.not_edited", field = c));
    }
    Ok(())
}
