//! Quotes (报价单): lines offered to an account at exact totals, valid until a date. A quote
//! is drafted, sent, then accepted or rejected; a quote past its validity that was not
//! decided reads `expired` — computed when read ([`QUOTE`]'s `computed`), never stored. A
//! sent quote is not edited: revising it makes the next revision (Q-2026-0001-2), a draft
//! with the same lines, and the one the customer saw stays as it was, marked `revised`.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::{lines, shared};
use crate::domain::toolkit::{validate, Env, Input};
use crate::model::record::Record;
use crate::model::{alias, f, listed, system, text, Computed, Entity, Kind, Section, Ty};
use crate::store::{Values, Writer};

pub const QUOTE_STATUSES: &[&str] = &[
    "draft", "sent", "accepted", "rejected", "revised", "expired",
];
pub const ROUNDINGS: &[&str] = crate::domain::commerce::totals::Rounding::NAMES;

/// Quotes.
pub static QUOTE: Kind = Kind {
    name: "quote",
    plural: "quotes",
    label: "number",
    fields: &[
        // Not required: kith numbers a record given none.
        listed(text(f("number", Ty::Text))),
        system(f(
            "revision",
            Ty::Int {
                min: 1,
                max: 10_000,
            },
        )),
        system(f("previous", Ty::Ref(Entity::Quote))),
        listed(f("account", Ty::Ref(Entity::Account))),
        f("contact", Ty::Ref(Entity::Contact)),
        listed(f("deal", Ty::Ref(Entity::Deal))),
        listed(system(f("status", Ty::Enum(QUOTE_STATUSES)))),
        listed(f("currency", Ty::Currency)),
        listed(alias(f("valid_until", Ty::Date), &["valid"])),
        f("discount", Ty::Percent),
        f("discount_amount", Ty::Money),
        f("rounding", Ty::Enum(ROUNDINGS)),
        system(f("subtotal", Ty::Money)),
        system(f("tax", Ty::Money)),
        listed(system(f("total", Ty::Money))),
        listed(f("owner", Ty::Text)),
        system(f("sent_at", Ty::Stamp)),
        system(f("decided_at", Ty::Stamp)),
        system(f("reason", Ty::Text)),
        text(f("terms", Ty::LongText)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.id DESC",
    record: true,
    linkable: false,
    sections: &[Section {
        name: "lines",
        kind: Entity::Line,
        via: "quote",
        only: None,
        sort: "position",
        limit: None,
    }],
    dupes: None,
    synonyms: &[
        (
            "number",
            &["报价单号", "报价编号", "quote number", "quote no"],
        ),
        ("account", crate::model::headers::COMPANY),
        ("contact", crate::model::headers::CONTACT_REF),
        ("deal", &["商机", "商机名称", "opportunity"]),
        ("valid_until", &["有效期至", "有效期", "valid until"]),
        ("discount", &["整单折扣", "折扣率"]),
        ("discount_amount", &["折扣金额", "整单折扣金额"]),
        ("rounding", &["舍入方式"]),
        ("terms", &["报价条款", "条款"]),
    ],
    summary: &["status", "total", "currency"],
    hint: Some("account"),
    search: Some(["account", "status"]),
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[Computed {
        field: "status",
        word: "expired",
        from: &["draft", "sent"],
        date: "valid_until",
    }],
};

/// `30d`, `2w`, `1m` as a validity: that long from today.
fn validity(t: &str) -> String {
    let t = t.trim();
    if t.starts_with(|c: char| c.is_ascii_digit())
        && t.ends_with(['d', 'w', 'm', 'y'])
        && t[..t.len() - 1].chars().all(|c| c.is_ascii_digit())
    {
        format!("+{t}")
    } else {
        t.to_string()
    }
}

/// Create a quote: for a deal (its account, contact, currency, owner and lines) or an
/// account, numbered Q-YEAR-NNNN unless given, a draft.
pub fn create(w: &mut Writer<'_>, env: &Env, mut input: Input) -> Result<i64> {
    if input.has("status") {
        return Err(crate::err!(Invalid, "quotes.status_by_verbs"));
    }
    if let Some(v) = input.take("valid").or_else(|| input.take("valid_until")) {
        input.set("valid_until", validity(&v));
    }
    lines::take_discount(&mut input);
    let mut values = validate(&w.reader(), env, Entity::Quote, &input, None)?;
    let get = shared::value_of;
    let deal = match get(&values, "deal_id").and_then(|v| v.as_i64()) {
        Some(d) => w.reader().get(Entity::Deal, d)?,
        None => None,
    };
    if let Some(d) = &deal {
        for (col, from) in [
            ("account_id", "account_id"),
            ("contact_id", "contact_id"),
            ("currency", "currency"),
            ("owner", "owner"),
        ] {
            if get(&values, col).is_none() {
                if let Some(v) = d.get(from).filter(|v| !v.is_null()) {
                    values.push((col.into(), v.clone()));
                }
            }
        }
    }
    if get(&values, "account_id").is_none() {
        return Err(crate::err!(Invalid, "quotes.account_or_deal"));
    }
    for (col, v) in [
        ("currency", Value::String(env.currency.clone())),
        ("owner", Value::String(env.user.clone())),
        ("rounding", Value::String("line".into())),
        (
            "valid_until",
            Value::String((env.clock.today() + chrono::Days::new(30)).to_string()),
        ),
    ] {
        if get(&values, col).is_none() {
            values.push((col.into(), v));
        }
    }
    crate::domain::team::users::check_owner(&w.reader(), &values, None)?;
    shared::number_new(w, env, Entity::Quote, "Q", &mut values)?;
    values.push(("status".into(), Value::from("draft")));
    values.push(("revision".into(), Value::from(1)));
    let id = w.insert(Entity::Quote, &values)?;
    if let Some(d) = deal {
        lines::copy(w, (Entity::Deal, d.id()), (Entity::Quote, id))?;
    }
    lines::follow(w, env, Entity::Quote, id)?;
    Ok(id)
}

/// What a quote is, stored: the computed `expired` read back as draft or sent.
pub fn stored_status(q: &Record) -> &str {
    match q.str("status").unwrap_or("draft") {
        "expired" if q.get("sent_at").is_some_and(|v| !v.is_null()) => "sent",
        "expired" => "draft",
        s => s,
    }
}

fn expired(q: &Record) -> bool {
    q.str("status") == Some("expired")
}

fn refuse(q: &Record, verb: &str) -> crate::core::error::Error {
    let status = q.str("status").unwrap_or("draft");
    if expired(q) {
        return crate::err!(
            Invalid,
            "quotes.expired",
            number = q.label(),
            date = q.text("valid_until")
        );
    }
    let label = |w: &str| crate::model::record::choice_label(Entity::Quote, "status", w);
    let needs = match verb {
        "send" => label("draft"),
        "revise" => crate::tr!(
            "quotes.sent_or_rejected",
            sent = label("sent"),
            rejected = label("rejected")
        ),
        _ => label("sent"),
    };
    crate::err!(
        Invalid,
        "quotes.cannot",
        number = q.label(),
        status = label(status),
        needs = needs,
        verb = verb
    )
}

fn quote(w: &Writer<'_>, id: i64) -> Result<Record> {
    lines::live(&w.reader(), Entity::Quote, id)
}

/// Send a draft: from now on it is what the customer has.
pub fn send(w: &mut Writer<'_>, env: &Env, id: i64) -> Result<()> {
    let q = quote(w, id)?;
    if q.str("status") != Some("draft") {
        return Err(refuse(&q, "send"));
    }
    if lines::of(&w.reader(), Entity::Quote, id)?.is_empty() {
        return Err(crate::err!(Invalid, "quotes.no_lines", number = q.label()));
    }
    w.update(
        Entity::Quote,
        id,
        &vec![
            ("status".into(), Value::from("sent")),
            ("sent_at".into(), Value::String(env.clock.stamp())),
        ],
    )?;
    Ok(())
}

/// Accept or reject a sent quote that has not expired.
pub fn decide(
    w: &mut Writer<'_>,
    env: &Env,
    id: i64,
    accept: bool,
    reason: Option<&str>,
) -> Result<()> {
    let q = quote(w, id)?;
    if q.str("status") != Some("sent") {
        return Err(refuse(&q, if accept { "accept" } else { "reject" }));
    }
    let mut v: Values = vec![
        (
            "status".into(),
            Value::from(if accept { "accepted" } else { "rejected" }),
        ),
        ("decided_at".into(), Value::String(env.clock.stamp())),
    ];
    if let Some(r) = reason {
        v.push(("reason".into(), Value::from(r.trim())));
    }
    w.update(Entity::Quote, id, &v)?;
    Ok(())
}

/// The next revision of a sent (or rejected, or expired) quote: a draft with its lines and
/// terms, numbered after the first with `-N`; the revised one is marked `revised`.
pub fn revise(w: &mut Writer<'_>, env: &Env, id: i64, valid: Option<&str>) -> Result<i64> {
    let q = quote(w, id)?;
    if !matches!(stored_status(&q), "sent" | "rejected") {
        return Err(refuse(&q, "revise"));
    }
    let revision = q.i64("revision").unwrap_or(1) + 1;
    let base = match q.i64("revision").unwrap_or(1) {
        1 => q.label().to_string(),
        n => q
            .label()
            .strip_suffix(&format!("-{n}"))
            .unwrap_or(q.label())
            .to_string(),
    };
    let mut v: Values = Vec::new();
    for f in Entity::Quote.fields() {
        let col = f.column();
        if matches!(
            col.as_str(),
            "number"
                | "revision"
                | "previous_id"
                | "status"
                | "sent_at"
                | "decided_at"
                | "reason"
                | "valid_until"
        ) {
            continue;
        }
        if let Some(x) = q.get(&col).filter(|x| !x.is_null()) {
            v.push((col, x.clone()));
        }
    }
    let number = format!("{base}-{revision}");
    shared::check_number(w, Entity::Quote, &number, None)?;
    let valid_until = match valid {
        Some(t) => {
            let mut input = Input::new();
            input.set("valid_until", validity(t));
            validate(&w.reader(), env, Entity::Quote, &input, None)?
                .into_iter()
                .find(|(c, _)| c == "valid_until")
                .map(|(_, v)| v)
                .unwrap_or(Value::Null)
        }
        None => Value::String((env.clock.today() + chrono::Days::new(30)).to_string()),
    };
    v.extend([
        ("number".into(), Value::String(number)),
        ("revision".into(), Value::from(revision)),
        ("previous_id".into(), Value::from(id)),
        ("status".into(), Value::from("draft")),
        ("valid_until".into(), valid_until),
    ]);
    let new = w.insert(Entity::Quote, &v)?;
    lines::copy(w, (Entity::Quote, id), (Entity::Quote, new))?;
    lines::follow(w, env, Entity::Quote, new)?;
    w.update(
        Entity::Quote,
        id,
        &vec![("status".into(), Value::from("revised"))],
    )?;
    Ok(new)
}

/// A quote is changed (its fields, its lines) only while it is a draft: what the customer
/// saw stays as it was.
pub(crate) fn check_draft(q: &Record) -> Result<()> {
    if stored_status(q) == "draft" {
        return Ok(());
    }
    Err(crate::err!(
        Invalid,
        "lines.quote_not_draft",
        number = q.label(),
        status = crate::model::record::choice_label(
            Entity::Quote,
            "status",
            q.str("status").unwrap_or("draft")
        )
    ))
}

/// An edit of a quote's own fields: only a draft's, and not its currency once it has lines.
pub(crate) fn check_edit(w: &Writer<'_>, existing: &Record, input: &mut Input) -> Result<()> {
    check_draft(existing)?;
    if input.has("status") {
        return Err(crate::err!(Invalid, "quotes.status_by_verbs"));
    }
    if let Some(v) = input.take("valid").or_else(|| input.take("valid_until")) {
        input.set("valid_until", validity(&v));
    }
    lines::take_discount(input);
    if input.has("currency") && !lines::of(&w.reader(), Entity::Quote, existing.id())?.is_empty() {
        return Err(crate::err!(
            Invalid,
            "quotes.currency_with_lines",
            number = existing.label(),
            currency = existing.text("currency")
        ));
    }
    Ok(())
}
