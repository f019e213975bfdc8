//! The care rules of quote to cash for `kith remind`: a plan item falling due within N
//! days, a payment overdue, a contract within its renewal notice period, a sent quote about
//! to expire. Each occurrence is delivered once, by its key (the record and its day: a
//! plan item moved to another day is reminded of again).

use chrono::{Duration, NaiveDate};

use crate::core::error::Result;
use crate::core::money::Money;
use crate::domain::sales::remind::{Care, Reminder};
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::Reader;

/// The rules, as reminders' kinds and keys name them.
pub const RULES: [&str; 4] = [
    "plan_due",
    "payment_overdue",
    "contract_expiring",
    "quote_expiring",
];

/// The reminders of the quote-to-cash rules `care` has on, as of `today`; `fresh` says
/// whether a key is still to be delivered (the rule, the record's id, the key).
pub fn collect(
    r: &Reader<'_>,
    today: NaiveDate,
    care: &Care,
    fresh: &mut dyn FnMut(&str, i64, &str) -> bool,
) -> Result<Vec<Reminder>> {
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let t = day(today);
    let mut out = Vec::new();
    if care.plan_due {
        let hi = day(today + Duration::days(care.plan_due_days as i64));
        let found = keep(r.plan_items_open(&t, &hi)?, "plan_due", fresh);
        for (p, due) in r.get_paired(Entity::Plan, found)? {
            let (amount, currency, account) = owed(r, &p)?;
            out.push(reminder(
                "plan_due",
                &p,
                &due,
                false,
                crate::tr!(
                    "remind.plan_due",
                    item = p.label(),
                    amount = amount,
                    currency = currency,
                    day = due
                ),
                account,
            ));
        }
    }
    if care.payment_overdue {
        let yesterday = day(today - Duration::days(1));
        let found = keep(
            r.plan_items_open("0000-01-01", &yesterday)?,
            "payment_overdue",
            fresh,
        );
        for (p, due) in r.get_paired(Entity::Plan, found)? {
            let (amount, currency, account) = owed(r, &p)?;
            let late = NaiveDate::parse_from_str(&due, "%Y-%m-%d")
                .map(|d| (today - d).num_days())
                .unwrap_or(0);
            out.push(reminder(
                "payment_overdue",
                &p,
                &due,
                true,
                crate::plural!(
                    "remind.payment_overdue",
                    late,
                    item = p.label(),
                    amount = amount,
                    currency = currency
                ),
                account,
            ));
        }
    }
    if care.contract_expiring {
        let found = keep(
            r.contracts_ending(&t, care.contract_notice_days)?,
            "contract_expiring",
            fresh,
        );
        for (c, end) in r.get_paired(Entity::Contract, found)? {
            out.push(reminder(
                "contract_expiring",
                &c,
                &end,
                false,
                crate::tr!(
                    "remind.contract_expiring",
                    number = c.label(),
                    title = c.text("title"),
                    day = end
                ),
                c.text("account"),
            ));
        }
    }
    if care.quote_expiring {
        let hi = day(today + Duration::days(care.quote_expiring_days as i64));
        let found = keep(r.quotes_expiring(&t, &hi)?, "quote_expiring", fresh);
        for (q, until) in r.get_paired(Entity::Quote, found)? {
            out.push(reminder(
                "quote_expiring",
                &q,
                &until,
                false,
                crate::tr!("remind.quote_expiring", number = q.label(), day = until),
                q.text("account"),
            ));
        }
    }
    Ok(out)
}

/// The key of a rule's occurrence: `plan_due:ID:DAY`.
fn key(rule: &str, id: i64, day: &str) -> String {
    format!("{rule}:{id}:{day}")
}

fn keep(
    found: Vec<(i64, String)>,
    rule: &str,
    fresh: &mut dyn FnMut(&str, i64, &str) -> bool,
) -> Vec<(i64, String)> {
    found
        .into_iter()
        .filter(|(id, day)| fresh(rule, *id, &key(rule, *id, day)))
        .collect()
}

fn reminder(
    rule: &str,
    rec: &Record,
    day: &str,
    overdue: bool,
    title: String,
    detail: String,
) -> Reminder {
    Reminder {
        kind: rule.into(),
        title,
        due: day.to_string(),
        record_kind: rec.entity.name().into(),
        record_id: rec.id(),
        detail,
        overdue,
        key: key(rule, rec.id(), day),
        to: vec![],
    }
}

/// What a plan item still owes, grouped for people, its contract's currency and the
/// contract's account by name: one read of the contract.
fn owed(r: &Reader<'_>, p: &Record) -> Result<(String, String, String)> {
    let open = Money::grouped(crate::domain::commerce::contracts::open_of(p));
    let contract = match p.i64("contract_id") {
        Some(c) => r.get(Entity::Contract, c)?,
        None => None,
    };
    Ok(match contract {
        Some(c) => (open, c.text("currency"), c.text("account")),
        None => (open, String::new(), String::new()),
    })
}
