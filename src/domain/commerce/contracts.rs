//! Contracts (合同) and their payment plans (回款计划). A contract is a draft until signed,
//! then active until it is terminated; an active contract past its end reads `expired`,
//! computed when read ([`CONTRACT`]'s `computed`), never stored. Its plan is a list of
//! items, each an amount due on a day; what an item has been paid follows the payments
//! applied to it ([`crate::domain::commerce::payments`]), and an item past its due day
//! and not paid in full reads `overdue`, computed when read. A contract keeps what is
//! planned, received and invoiced against it, following its items, payments and invoices
//! in the same write.

use serde_json::Value;

use crate::core::dates::Span;
use crate::core::error::Result;
use crate::core::money::{minor_places, Money};
use crate::domain::commerce::shared::{
    cannot, default_to, live, money, number_new, transition, value_of,
};
use crate::domain::toolkit::{by, list_query, validate, Env, Input};
use crate::model::record::Record;
use crate::model::{f, listed, required, system, text, Computed, Entity, Kind, Section, Ty};
use crate::store::{QueryCtx, Reader, Values, Writer};

pub const CONTRACT_STATUSES: &[&str] = &["draft", "active", "terminated", "expired"];
pub const PLAN_STATUSES: &[&str] = &["pending", "partly-paid", "paid", "overdue"];

/// Contracts.
pub static CONTRACT: Kind = Kind {
    name: "contract",
    plural: "contracts",
    label: "number",
    fields: &[
        // Not required: kith numbers a record given none.
        listed(text(f("number", Ty::Text))),
        listed(text(f("title", Ty::Text))),
        listed(required(f("account", Ty::Ref(Entity::Account)))),
        f("order", Ty::Ref(Entity::Order)),
        f("deal", Ty::Ref(Entity::Deal)),
        listed(required(f("amount", Ty::Money))),
        listed(f("currency", Ty::Currency)),
        f("start", Ty::Date),
        listed(f("end", Ty::Date)),
        f("signed", Ty::Date),
        // The renewal notice period, in days before the end.
        f("notice", Ty::Int { min: 0, max: 3650 }),
        listed(system(f("status", Ty::Enum(CONTRACT_STATUSES)))),
        system(f("planned", Ty::Money)),
        listed(system(f("received", Ty::Money))),
        system(f("invoiced", Ty::Money)),
        listed(f("owner", Ty::Text)),
        system(f("terminated_at", Ty::Stamp)),
        system(f("reason", Ty::Text)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.id DESC",
    record: true,
    linkable: false,
    sections: &[
        Section {
            name: "plan",
            kind: Entity::Plan,
            via: "contract",
            only: None,
            sort: "due",
            limit: None,
        },
        Section {
            name: "payments",
            kind: Entity::Payment,
            via: "contract",
            only: None,
            sort: "received_on",
            limit: None,
        },
        Section {
            name: "invoices",
            kind: Entity::Invoice,
            via: "contract",
            only: None,
            sort: "issued",
            limit: None,
        },
    ],
    dupes: None,
    synonyms: &[
        (
            "number",
            &["合同编号", "合同号", "contract number", "contract no"],
        ),
        ("title", &["合同名称", "合同标题", "contract name"]),
        ("account", crate::model::headers::COMPANY),
        ("order", &["订单", "订单号"]),
        ("deal", &["商机", "商机名称", "opportunity"]),
        ("amount", &["合同金额", "金额", "contract value"]),
        ("start", &["开始日期", "生效日期", "start date"]),
        ("end", &["结束日期", "到期日期", "end date"]),
        ("signed", &["签订日期", "签约日期", "signed on"]),
        ("notice", &["续约提醒天数", "提前通知天数"]),
    ],
    summary: &["status", "amount", "currency"],
    hint: Some("account"),
    search: Some(["account", "title"]),
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[Computed {
        field: "status",
        word: "expired",
        from: &["active"],
        date: "end",
    }],
};

/// Items of payment plans.
pub static PLAN: Kind = Kind {
    name: "plan",
    plural: "plans",
    label: "name",
    fields: &[
        // Made by kith: the contract's number and the item's place (HT-2026-0001/2).
        listed(system(f("name", Ty::Text))),
        listed(required(f("contract", Ty::Ref(Entity::Contract)))),
        system(f(
            "position",
            Ty::Int {
                min: 1,
                max: 100_000,
            },
        )),
        listed(required(f("due", Ty::Date))),
        listed(required(f("amount", Ty::Money))),
        listed(system(f("paid", Ty::Money))),
        listed(system(f("status", Ty::Enum(PLAN_STATUSES)))),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.due ASC, t.id ASC",
    record: true,
    linkable: false,
    sections: &[Section {
        name: "allocations",
        kind: Entity::Allocation,
        via: "plan",
        only: None,
        sort: "id",
        limit: None,
    }],
    dupes: None,
    synonyms: &[
        ("contract", &["合同", "合同号"]),
        ("due", &["计划回款日期", "应收日期", "到期日", "due date"]),
        ("amount", &["计划回款金额", "应收金额", "金额"]),
    ],
    summary: &["due", "amount", "status"],
    hint: Some("contract"),
    search: None,
    name_key: false,
    code: None,
    belongs: &["contract"],
    derived: &[],
    sets: &[],
    computed: &[Computed {
        field: "status",
        word: "overdue",
        from: &["pending", "partly-paid"],
        date: "due",
    }],
};

/// The notice period as typed: `30`, `30d`, `4w`.
fn take_notice(input: &mut Input) {
    if let Some(t) = input.take("notice") {
        let t = t.trim();
        let days = match crate::core::dates::parse_duration(t) {
            Ok(Span::Days(n)) => n.to_string(),
            Ok(Span::Weeks(n)) => (n * 7).to_string(),
            _ => t.to_string(),
        };
        input.set("notice", days);
    }
}

/// Create a contract: for an account, or from an order (its account, deal, currency, owner
/// and total as the amount), numbered HT-YEAR-NNNN unless given; signed (`--signed`) it
/// is active at once, else a draft.
pub fn create(w: &mut Writer<'_>, env: &Env, mut input: Input) -> Result<i64> {
    if input.has("status") {
        return Err(crate::err!(Invalid, "contracts.status_by_verbs"));
    }
    take_notice(&mut input);
    let mut values = validate(&w.reader(), env, Entity::Contract, &input, None)?;
    if let Some(o) = value_of(&values, "order_id").and_then(|v| v.as_i64()) {
        let order = live(&w.reader(), Entity::Order, o)?;
        for (col, from) in [
            ("account_id", "account_id"),
            ("deal_id", "deal_id"),
            ("currency", "currency"),
            ("owner", "owner"),
            ("amount", "total"),
        ] {
            if let Some(v) = order.get(from) {
                default_to(&mut values, col, v.clone());
            }
        }
    }
    if value_of(&values, "account_id").is_none() {
        return Err(crate::err!(Invalid, "records.required", field = "account"));
    }
    if value_of(&values, "amount").is_none() {
        return Err(crate::err!(Invalid, "records.required", field = "amount"));
    }
    default_to(&mut values, "currency", Value::String(env.currency.clone()));
    default_to(&mut values, "owner", Value::String(env.user.clone()));
    crate::domain::team::users::check_owner(&w.reader(), &values, None)?;
    check_dates(&values, None)?;
    number_new(w, env, Entity::Contract, "HT", &mut values)?;
    let status = if value_of(&values, "signed").is_some() {
        "active"
    } else {
        "draft"
    };
    values.push(("status".into(), Value::from(status)));
    for col in ["planned", "received", "invoiced"] {
        values.push((col.into(), Money::ZERO.to_json()));
    }
    w.insert(Entity::Contract, &values)
}

/// A contract ends on or after it starts.
fn check_dates(values: &Values, existing: Option<&Record>) -> Result<()> {
    let day = |c: &str| {
        value_of(values, c)
            .or_else(|| existing.and_then(|e| e.get(c).cloned()))
            .and_then(|v| v.as_str().map(str::to_string))
    };
    if let (Some(start), Some(end)) = (day("start"), day("end")) {
        if end < start {
            return Err(crate::err!(
                Invalid,
                "contracts.end_before_start",
                end = end,
                start = start
            ));
        }
    }
    Ok(())
}

/// An edit of a contract's own fields: its status changes by its verbs; its currency not
/// once money was received or planned against it; its amount not below what was received.
pub(crate) fn check_edit(
    r: &Reader<'_>,
    env: &Env,
    existing: &Record,
    input: &mut Input,
) -> Result<Values> {
    if input.has("status") {
        return Err(crate::err!(Invalid, "contracts.status_by_verbs"));
    }
    take_notice(input);
    let values = validate(r, env, Entity::Contract, input, Some(existing))?;
    check_dates(&values, Some(existing))?;
    let has_money = money(existing, "planned") > Money::ZERO
        || money(existing, "received") > Money::ZERO
        || money(existing, "invoiced") > Money::ZERO;
    if has_money
        && value_of(&values, "currency").is_some_and(|c| Some(&c) != existing.get("currency"))
    {
        return Err(crate::err!(
            Invalid,
            "contracts.currency_with_money",
            number = existing.label(),
            currency = existing.text("currency")
        ));
    }
    Ok(values)
}

/// Sign a draft contract (on a day, today by default): it is active from then.
pub fn sign(w: &mut Writer<'_>, env: &Env, id: i64, on: Option<&str>) -> Result<()> {
    let c = live(&w.reader(), Entity::Contract, id)?;
    if c.str("status") != Some("draft") {
        return Err(cannot(&c, "sign", &["draft"]));
    }
    let mut input = Input::new();
    input.set("signed", on.unwrap_or("today"));
    let mut v = validate(&w.reader(), env, Entity::Contract, &input, Some(&c))?;
    v.push(("status".into(), Value::from("active")));
    w.update(Entity::Contract, id, &v)?;
    Ok(())
}

/// End a contract before its time (a draft, an active or an expired one).
pub fn terminate(w: &mut Writer<'_>, env: &Env, id: i64, reason: Option<&str>) -> Result<()> {
    transition(
        w,
        env,
        Entity::Contract,
        id,
        ("terminate", &["draft", "active", "expired"], "terminated"),
        "terminated_at",
        reason,
    )?;
    Ok(())
}

/// A contract's plan items, by due day.
pub fn plan_of(r: &Reader<'_>, contract: i64) -> Result<Vec<Record>> {
    r.list(
        Entity::Plan,
        &list_query(vec![by("contract", contract)], "due,position", None),
        &QueryCtx::none(),
    )
}

/// What a plan item is still owed.
pub fn open_of(item: &Record) -> Money {
    money(item, "amount") - money(item, "paid")
}

/// Add an item to a contract's plan inside a write.
pub fn add_item(w: &mut Writer<'_>, env: &Env, contract: i64, input: &Input) -> Result<i64> {
    let c = live(&w.reader(), Entity::Contract, contract)?;
    if c.str("status") == Some("terminated") {
        return Err(cannot(&c, "plan", &["draft", "active", "expired"]));
    }
    let mut input = input.clone();
    input.take("contract");
    let mut values = validate(&w.reader(), env, Entity::Plan, &input, None)?;
    for f in ["due", "amount"] {
        if value_of(&values, f).is_none() {
            return Err(crate::err!(Invalid, "records.required", field = f));
        }
    }
    let position = plan_of(&w.reader(), contract)?
        .iter()
        .filter_map(|p| p.i64("position"))
        .max()
        .unwrap_or(0)
        + 1;
    values.retain(|(c, _)| !matches!(c.as_str(), "contract_id" | "position" | "name"));
    values.extend([
        ("contract_id".into(), Value::from(contract)),
        ("position".into(), Value::from(position)),
        (
            "name".into(),
            Value::String(format!("{}/{position}", c.label())),
        ),
        ("paid".into(), Money::ZERO.to_json()),
        ("status".into(), Value::from("pending")),
    ]);
    let id = w.insert(Entity::Plan, &values)?;
    follow(w, contract)?;
    Ok(id)
}

/// Create a plan item from input naming its contract, as imports and the record verbs do.
pub fn create_item(w: &mut Writer<'_>, env: &Env, mut input: Input) -> Result<i64> {
    let Some(text) = input.take("contract") else {
        return Err(crate::err!(Invalid, "records.required", field = "contract"));
    };
    let id = crate::domain::toolkit::resolve(&w.reader(), Entity::Contract, &text, false)
        .map_err(|e| e.context("contract"))?;
    add_item(w, env, id, &input)
}

/// How a contract's plan is split into installments.
#[derive(Debug, Clone)]
pub struct Installments {
    pub count: u32,
    /// How far apart their due days are (`1m`).
    pub every: String,
    /// The first due day.
    pub from: String,
    /// Take off the items there are first (none may have been paid).
    pub replace: bool,
}

/// Split a contract's amount into equal installments, due `every` apart from `from`: each
/// the amount divided by the count in the currency's minor unit, the last taking what is
/// left, so they add up to the amount exactly. Returns the items' ids.
pub fn plan_installments(
    w: &mut Writer<'_>,
    env: &Env,
    contract: i64,
    spec: &Installments,
) -> Result<Vec<i64>> {
    let c = live(&w.reader(), Entity::Contract, contract)?;
    if spec.count == 0 || spec.count > 1000 {
        return Err(crate::err!(
            Invalid,
            "contracts.installments_count",
            n = spec.count
        ));
    }
    let span = crate::core::dates::parse_duration(&spec.every)
        .map_err(|e| crate::err!(Invalid, "contracts.every", reason = e.to_string()))?;
    let first = crate::core::dates::parse_date(&spec.from, env.clock.now())
        .map_err(|e| crate::err!(Invalid, "contracts.from", reason = e.to_string()))?;
    let existing = plan_of(&w.reader(), contract)?;
    if !existing.is_empty() {
        if !spec.replace {
            return Err(crate::err!(
                Invalid,
                "contracts.has_plan",
                number = c.label(),
                n = existing.len()
            ));
        }
        if let Some(paid) = existing.iter().find(|p| money(p, "paid") > Money::ZERO) {
            return Err(crate::err!(
                Invalid,
                "contracts.plan_item_paid",
                item = paid.label()
            ));
        }
        for p in &existing {
            w.trash(Entity::Plan, p.id())?;
        }
    }
    let amounts = split(
        money(&c, "amount"),
        spec.count,
        minor_places(c.str("currency").unwrap_or(&env.currency)),
    );
    let mut ids = Vec::new();
    for (k, amount) in amounts.into_iter().enumerate() {
        let due = times(span, k as i64)
            .add_to(crate::core::dates::When::Date(first))
            .map_err(|e| crate::err!(Invalid, "contracts.every", reason = e.to_string()))?
            .date();
        let mut input = Input::new();
        input.set("due", due.to_string());
        input.set("amount", amount.plain());
        ids.push(add_item(w, env, contract, &input)?);
    }
    Ok(ids)
}

fn times(span: Span, k: i64) -> Span {
    match span {
        Span::Minutes(n) => Span::Minutes(n * k),
        Span::Hours(n) => Span::Hours(n * k),
        Span::Days(n) => Span::Days(n * k),
        Span::Weeks(n) => Span::Weeks(n * k),
        Span::Months(n) => Span::Months(n * k),
        Span::Years(n) => Span::Years(n * k),
    }
}

/// `amount` in `n` parts in minor units of `places` decimals: equal, the last taking the
/// rest.
pub fn split(amount: Money, n: u32, places: u32) -> Vec<Money> {
    let step = 10_i64.pow(crate::core::money::PLACES - places.min(crate::core::money::PLACES));
    let steps = amount.minor() / step;
    let each = steps / n as i64;
    let mut parts: Vec<Money> = (0..n).map(|_| Money::from_minor(each * step)).collect();
    let given: i64 = parts.iter().map(|m| m.minor()).sum();
    if let Some(last) = parts.last_mut() {
        *last = Money::from_minor(last.minor() + amount.minor() - given);
    }
    parts
}

/// When a contract's plan does not add up to its amount: what it adds up to.
pub fn plan_mismatch(r: &Reader<'_>, contract: i64) -> Result<Option<(Record, Money)>> {
    let c = live(r, Entity::Contract, contract)?;
    let planned: Money = plan_of(r, contract)?
        .iter()
        .map(|p| money(p, "amount"))
        .sum();
    Ok((planned != money(&c, "amount")).then_some((c, planned)))
}

/// Refuse a plan that does not add up to its contract's amount (`--strict`).
pub fn check_plan_adds_up(r: &Reader<'_>, contract: i64) -> Result<()> {
    match plan_mismatch(r, contract)? {
        Some((c, planned)) => Err(crate::err!(
            Invalid,
            "contracts.plan_does_not_add_up",
            number = c.label(),
            planned = planned.grouped(),
            amount = money(&c, "amount").grouped()
        )),
        None => Ok(()),
    }
}

/// An edit of a plan item: its amount not below what it has been paid; its status follows.
pub(crate) fn check_item_edit(existing: &Record, values: &mut Values) -> Result<()> {
    values.retain(|(c, _)| !matches!(c.as_str(), "contract_id" | "name" | "position"));
    if let Some(amount) = value_of(values, "amount").and_then(|v| Money::from_json(&v)) {
        let paid = money(existing, "paid");
        if amount < paid {
            return Err(crate::err!(
                Invalid,
                "contracts.item_below_paid",
                item = existing.label(),
                amount = amount.grouped(),
                paid = paid.grouped()
            ));
        }
        values.push(("status".into(), Value::from(stored_status(amount, paid))));
    }
    Ok(())
}

/// What a plan item is, stored, from its amount and what it has been paid.
pub fn stored_status(amount: Money, paid: Money) -> &'static str {
    if paid >= amount {
        "paid"
    } else if paid > Money::ZERO {
        "partly-paid"
    } else {
        "pending"
    }
}

/// A plan item paid nothing yet may go to the trash; one that was paid keeps its payments.
pub(crate) fn check_item_trash(item: &Record) -> Result<()> {
    if money(item, "paid") > Money::ZERO {
        return Err(crate::err!(
            Invalid,
            "contracts.plan_item_paid",
            item = item.label()
        ));
    }
    Ok(())
}

/// After its items, payments or invoices changed: what a contract has planned, received
/// and invoiced.
pub fn follow(w: &mut Writer<'_>, contract: i64) -> Result<()> {
    let r = w.reader();
    let planned: Money = plan_of(&r, contract)?
        .iter()
        .map(|p| money(p, "amount"))
        .sum();
    let received: Money = r
        .list(
            Entity::Payment,
            &list_query(
                vec![
                    by("contract", contract),
                    crate::domain::toolkit::is("status", "received"),
                ],
                "id",
                None,
            ),
            &QueryCtx::none(),
        )?
        .iter()
        .map(|p| money(p, "applied") + money(p, "credit"))
        .sum();
    let invoiced: Money = r
        .list(
            Entity::Invoice,
            &list_query(
                vec![
                    by("contract", contract),
                    crate::domain::toolkit::is("status", "issued"),
                ],
                "id",
                None,
            ),
            &QueryCtx::none(),
        )?
        .iter()
        .map(|i| money(i, "total"))
        .sum();
    drop(r);
    w.update(
        Entity::Contract,
        contract,
        &vec![
            ("planned".into(), planned.to_json()),
            ("received".into(), received.to_json()),
            ("invoiced".into(), invoiced.to_json()),
        ],
    )?;
    Ok(())
}
