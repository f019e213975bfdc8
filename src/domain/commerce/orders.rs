//! Orders (订单): what a customer has ordered, with lines priced as a quote's are. An order
//! is made from an accepted quote (its lines, terms and deal), from a deal (its lines) or
//! by hand for an account; it is a draft until confirmed, then delivered and closed, or
//! cancelled. Confirming an order marks its deal won, through the deal's own rules (its
//! pipeline's won stage, its stage history), as `kith deal won` does. Its lines change
//! only while it is a draft.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::lines;
use crate::domain::commerce::shared::{cannot, default_to, live, number_new, transition, value_of};
use crate::domain::toolkit::{validate, Env, Input};
use crate::model::record::Record;
use crate::model::{alias, f, listed, system, text, Entity, Kind, Section, Ty};
use crate::store::Writer;

pub const ORDER_STATUSES: &[&str] = &["draft", "confirmed", "delivered", "closed", "cancelled"];

/// Orders.
pub static ORDER: Kind = Kind {
    name: "order",
    plural: "orders",
    label: "number",
    fields: &[
        // Not required: kith numbers a record given none.
        listed(text(f("number", Ty::Text))),
        listed(f("account", Ty::Ref(Entity::Account))),
        f("contact", Ty::Ref(Entity::Contact)),
        listed(f("deal", Ty::Ref(Entity::Deal))),
        f("quote", Ty::Ref(Entity::Quote)),
        listed(system(f("status", Ty::Enum(ORDER_STATUSES)))),
        listed(alias(f("ordered_on", Ty::Date), &["date", "ordered"])),
        listed(f("currency", Ty::Currency)),
        f("discount", Ty::Percent),
        f("discount_amount", Ty::Money),
        f(
            "rounding",
            Ty::Enum(crate::domain::commerce::totals::Rounding::NAMES),
        ),
        system(f("subtotal", Ty::Money)),
        system(f("tax", Ty::Money)),
        listed(system(f("total", Ty::Money))),
        system(f("cost", Ty::Money)),
        listed(f("owner", Ty::Text)),
        system(f("confirmed_at", Ty::Stamp)),
        system(f("delivered_at", Ty::Stamp)),
        system(f("closed_at", Ty::Stamp)),
        system(f("reason", Ty::Text)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.id DESC",
    record: true,
    linkable: false,
    sections: &[
        Section {
            name: "lines",
            kind: Entity::Line,
            via: "order",
            only: None,
            sort: "position",
            limit: None,
        },
        Section {
            name: "contracts",
            kind: Entity::Contract,
            via: "order",
            only: None,
            sort: "-id",
            limit: None,
        },
    ],
    dupes: None,
    synonyms: &[
        (
            "number",
            &["订单号", "订单编号", "order number", "order no"],
        ),
        ("account", crate::model::headers::COMPANY),
        ("contact", crate::model::headers::CONTACT_REF),
        ("deal", &["商机", "商机名称", "opportunity"]),
        ("quote", &["报价单", "报价单号"]),
        ("ordered_on", &["下单日期", "订单日期", "order date"]),
        ("discount", &["整单折扣", "折扣率"]),
        ("discount_amount", &["折扣金额", "整单折扣金额"]),
        ("rounding", &["舍入方式"]),
    ],
    summary: &["status", "total", "currency"],
    hint: Some("account"),
    search: Some(["account", "status"]),
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// Create an order: from a quote (accepted), a deal or an account, numbered SO-YEAR-NNNN
/// unless given, a draft.
pub fn create(w: &mut Writer<'_>, env: &Env, mut input: Input) -> Result<i64> {
    if input.has("status") {
        return Err(crate::err!(Invalid, "orders.status_by_verbs"));
    }
    lines::take_discount(&mut input);
    let mut values = validate(&w.reader(), env, Entity::Order, &input, None)?;
    let source = match value_of(&values, "quote_id").and_then(|v| v.as_i64()) {
        Some(q) => {
            let quote = live(&w.reader(), Entity::Quote, q)?;
            if quote.str("status") != Some("accepted") {
                return Err(cannot(&quote, "order", &["accepted"]));
            }
            Some(quote)
        }
        None => match value_of(&values, "deal_id").and_then(|v| v.as_i64()) {
            Some(d) => Some(live(&w.reader(), Entity::Deal, d)?),
            None => None,
        },
    };
    if let Some(s) = &source {
        let mut from = vec!["account_id", "contact_id", "currency", "owner"];
        if s.entity == Entity::Quote {
            from.extend(["deal_id", "discount", "discount_amount", "rounding"]);
        }
        for col in from {
            if let Some(v) = s.get(col) {
                default_to(&mut values, col, v.clone());
            }
        }
    }
    if value_of(&values, "account_id").is_none() {
        return Err(crate::err!(Invalid, "orders.account_quote_or_deal"));
    }
    default_to(&mut values, "currency", Value::String(env.currency.clone()));
    default_to(&mut values, "owner", Value::String(env.user.clone()));
    default_to(&mut values, "rounding", Value::String("line".into()));
    default_to(
        &mut values,
        "ordered_on",
        Value::String(env.clock.today().to_string()),
    );
    crate::domain::team::users::check_owner(&w.reader(), &values, None)?;
    number_new(w, env, Entity::Order, "SO", &mut values)?;
    values.push(("status".into(), Value::from("draft")));
    let id = w.insert(Entity::Order, &values)?;
    if let Some(s) = source {
        lines::copy(w, (s.entity, s.id()), (Entity::Order, id))?;
    }
    lines::follow(w, env, Entity::Order, id)?;
    Ok(id)
}

/// An edit of an order's own fields: only a draft's, and not its currency once it has
/// lines.
pub(crate) fn check_edit(w: &Writer<'_>, existing: &Record, input: &mut Input) -> Result<()> {
    check_draft(existing)?;
    if input.has("status") {
        return Err(crate::err!(Invalid, "orders.status_by_verbs"));
    }
    lines::take_discount(input);
    if input.has("currency") && !lines::of(&w.reader(), Entity::Order, existing.id())?.is_empty() {
        return Err(crate::err!(
            Invalid,
            "orders.currency_with_lines",
            number = existing.label(),
            currency = existing.text("currency")
        ));
    }
    Ok(())
}

/// An order's lines and terms change only while it is a draft.
pub(crate) fn check_draft(o: &Record) -> Result<()> {
    if o.str("status") == Some("draft") {
        return Ok(());
    }
    Err(crate::err!(
        Invalid,
        "orders.not_draft",
        number = o.label(),
        status = crate::model::record::choice_label(
            Entity::Order,
            "status",
            o.str("status").unwrap_or_default()
        )
    ))
}

/// What happens to an order: its next state and the verb's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Confirm,
    Deliver,
    Close,
    Cancel,
}

impl Step {
    pub fn verb(self) -> &'static str {
        match self {
            Step::Confirm => "confirm",
            Step::Deliver => "deliver",
            Step::Close => "close",
            Step::Cancel => "cancel",
        }
    }

    /// The states it starts from, and the one it leaves the order in.
    fn states(self) -> (&'static [&'static str], &'static str) {
        match self {
            Step::Confirm => (&["draft"], "confirmed"),
            Step::Deliver => (&["confirmed"], "delivered"),
            Step::Close => (&["delivered"], "closed"),
            Step::Cancel => (&["draft", "confirmed"], "cancelled"),
        }
    }
}

/// Take an order one step: confirm a draft (it must have lines; its deal is then won),
/// deliver a confirmed one, close a delivered one, or cancel one not yet delivered.
pub fn step(
    w: &mut Writer<'_>,
    env: &Env,
    id: i64,
    step: Step,
    reason: Option<&str>,
) -> Result<()> {
    let (from, to) = step.states();
    if step == Step::Confirm && lines::of(&w.reader(), Entity::Order, id)?.is_empty() {
        let o = live(&w.reader(), Entity::Order, id)?;
        if from.contains(&o.str("status").unwrap_or_default()) {
            return Err(crate::err!(Invalid, "orders.no_lines", number = o.label()));
        }
    }
    let stamp = match step {
        Step::Confirm => "confirmed_at",
        Step::Deliver => "delivered_at",
        Step::Close | Step::Cancel => "closed_at",
    };
    let o = transition(
        w,
        env,
        Entity::Order,
        id,
        (step.verb(), from, to),
        stamp,
        reason,
    )?;
    if step == Step::Confirm {
        // Its deal, when it has one that is live and not won already, is won.
        let deal = o
            .i64("deal_id")
            .map(|d| w.reader().get(Entity::Deal, d))
            .transpose()?
            .flatten()
            .filter(|d| !d.is_trashed() && d.str("status") != Some("won"));
        if let Some(deal) = deal.map(|d| d.id()) {
            crate::domain::sales::deals::close(
                w,
                env,
                deal,
                "won",
                &crate::domain::sales::deals::Move::default(),
            )?;
        }
    }
    Ok(())
}
