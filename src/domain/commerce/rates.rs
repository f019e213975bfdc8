//! Exchange rates (汇率): how many units of one currency one unit of another is worth, from
//! a day on. Rates are kept through the one write path (the change log, undo, the dump)
//! but are not records users own. [`book`] reads them into the [`Book`] every conversion
//! uses: the latest rate of a pair set on or before a day, or of its inverse
//! (crate::core::exchange).

use chrono::NaiveDate;
use serde_json::Value;

use crate::core::error::Result;
use crate::core::exchange::{Book, Rate};
use crate::core::values::check_currency;
use crate::domain::toolkit::{list_query, Env};
use crate::model::query::{Op, Term};
use crate::model::record::Record;
use crate::model::{alias, f, listed, required, Entity, Kind, Ty};
use crate::store::{QueryCtx, Reader, Writer};

/// An exchange rate: 1 `from_currency` = `rate` `to_currency`, from `day` on.
pub static RATE: Kind = Kind {
    name: "rate",
    plural: "rates",
    label: "from_currency",
    fields: &[
        listed(required(alias(f("from_currency", Ty::Currency), &["from"]))),
        listed(required(alias(f("to_currency", Ty::Currency), &["to"]))),
        listed(required(alias(f("day", Ty::Date), &["on"]))),
        listed(required(f("rate", Ty::ExchangeRate))),
    ],
    default_order: "t.from_currency ASC, t.to_currency ASC, t.day ASC, t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["to_currency", "day", "rate"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// A pair's two currencies as codes, each checked (`usd` → `USD`), and not the same.
fn pair(from: &str, to: &str) -> Result<(String, String)> {
    let from = check_currency(from).map_err(|e| e.context("FROM"))?;
    let to = check_currency(to).map_err(|e| e.context("TO"))?;
    if from == to {
        return Err(crate::err!(Invalid, "rates.same_currency", currency = from));
    }
    Ok((from, to))
}

fn text(field: &str, value: &str) -> Term {
    Term::Field {
        field: field.into(),
        op: Op::Eq,
        value: value.into(),
    }
}

/// The live rates, of a currency (`from`) or a pair (`from` and `to`) when named, in the
/// order of [`RATE`]: by pair, then day.
pub fn list(r: &Reader<'_>, from: Option<&str>, to: Option<&str>) -> Result<Vec<Record>> {
    let mut terms = Vec::new();
    if let Some(from) = from {
        let from = check_currency(from).map_err(|e| e.context("FROM"))?;
        terms.push(text("from_currency", &from));
    }
    if let Some(to) = to {
        let to = check_currency(to).map_err(|e| e.context("TO"))?;
        terms.push(text("to_currency", &to));
    }
    r.list(
        Entity::Rate,
        &list_query(terms, "", None),
        &QueryCtx::none(),
    )
}

/// The live rate of a pair for a day, if one is set.
fn on_day(r: &Reader<'_>, from: &str, to: &str, day: &str) -> Result<Option<Record>> {
    let q = list_query(
        vec![
            text("from_currency", from),
            text("to_currency", to),
            text("day", day),
        ],
        "",
        None,
    );
    Ok(r.list(Entity::Rate, &q, &QueryCtx::none())?.pop())
}

/// The day a rate is for: a date word (`2026-03-01`, `som`, `-1m`) read against the clock,
/// or today.
fn day_of(env: &Env, on: Option<&str>) -> Result<String> {
    let day = match on {
        Some(d) => crate::core::dates::parse_date(d, env.clock.now())
            .map_err(|e| crate::core::error::Error::from(e).context("--on"))?,
        None => env.clock.today(),
    };
    Ok(day.format("%Y-%m-%d").to_string())
}

/// What [`set`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    pub id: i64,
    /// No rate of the pair was set for that day before.
    pub new: bool,
    pub from: String,
    pub to: String,
    pub day: String,
    pub rate: Rate,
}

/// Set the rate of `from` → `to` on the day `on` (a date word; today without it): 1 `from`
/// = `rate` `to`. A pair has one rate a day: setting it again changes it.
pub fn set(
    w: &mut Writer<'_>,
    env: &Env,
    from: &str,
    to: &str,
    rate: &str,
    on: Option<&str>,
) -> Result<Set> {
    let (from, to) = pair(from, to)?;
    let rate = Rate::parse(rate).map_err(|e| e.context("RATE"))?;
    let day = day_of(env, on)?;
    let existing = on_day(&w.reader(), &from, &to, &day)?;
    let values = vec![("rate".to_string(), rate.to_json())];
    let (id, new) = match existing {
        Some(e) => {
            w.update(Entity::Rate, e.id(), &values)?;
            (e.id(), false)
        }
        None => {
            let mut v = vec![
                ("from_currency".to_string(), Value::String(from.clone())),
                ("to_currency".to_string(), Value::String(to.clone())),
                ("day".to_string(), Value::String(day.clone())),
            ];
            v.extend(values);
            (w.insert(Entity::Rate, &v)?, true)
        }
    };
    Ok(Set {
        id,
        new,
        from,
        to,
        day,
        rate,
    })
}

/// Take the rate of `from` → `to` set for the day `on` off (to the trash, so that `kith
/// undo` brings it back). Not found when the pair has no rate that day.
pub fn remove(w: &mut Writer<'_>, env: &Env, from: &str, to: &str, on: &str) -> Result<String> {
    let (from, to) = pair(from, to)?;
    let day = day_of(env, Some(on))?;
    let e = on_day(&w.reader(), &from, &to, &day)?
        .ok_or_else(|| crate::err!(NotFound, "rates.none_on", from = from, to = to, day = day))?;
    w.trash(Entity::Rate, e.id())?;
    Ok(day)
}

/// Every live rate, as the book conversions read.
pub fn book(r: &Reader<'_>) -> Result<Book> {
    let mut book = Book::new();
    // In the order they were set: of two rates of a pair for one day (an undo can bring
    // one back beside another), the later is in effect.
    let q = list_query(Vec::new(), "id", None);
    for rec in r.list(Entity::Rate, &q, &QueryCtx::none())? {
        let (Some(from), Some(to), Some(day), Some(rate)) = (
            rec.str("from_currency"),
            rec.str("to_currency"),
            rec.str("day")
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            rec.get("rate").and_then(Rate::from_json),
        ) else {
            continue;
        };
        book.set(from, to, day, rate);
    }
    Ok(book)
}
