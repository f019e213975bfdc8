//! Reports (报表): where the pipeline stands, what will close, what converts, who does the
//! work, which customers are worth the most. The store aggregates in SQL; this module adds
//! what is computed from the aggregates — rates, ABC classes, RFM scores — and is what the
//! scripted command and the interface both call.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::app::crm::Crm;
use crate::core::dates::parse_date;
use crate::core::error::{Error, Result};
use crate::model::query::{Filter, Op, Term};
use crate::model::Entity;
use crate::store::{Cell, Conversion, Customer, Row, Scope};

/// The reports kith has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pipeline,
    Forecast,
    Funnel,
    Winloss,
    Activity,
    Customers,
    Leads,
    Receivables,
    Collections,
    Orders,
    /// The service desk's (`src/app/service_reports.rs`), with its own `--month` summary.
    Service,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Pipeline,
        Kind::Forecast,
        Kind::Funnel,
        Kind::Winloss,
        Kind::Activity,
        Kind::Customers,
        Kind::Leads,
        Kind::Receivables,
        Kind::Collections,
        Kind::Orders,
        Kind::Service,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Pipeline => "pipeline",
            Kind::Forecast => "forecast",
            Kind::Funnel => "funnel",
            Kind::Winloss => "winloss",
            Kind::Activity => "activity",
            Kind::Customers => "customers",
            Kind::Leads => "leads",
            Kind::Receivables => "receivables",
            Kind::Collections => "collections",
            Kind::Orders => "orders",
            Kind::Service => "service",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// What `--by` means without one.
    pub fn default_by(self) -> Option<&'static str> {
        match self {
            Kind::Forecast => Some("month"),
            Kind::Winloss | Kind::Activity => Some("owner"),
            Kind::Leads => Some("source"),
            Kind::Customers => Some("revenue"),
            Kind::Receivables => Some("account"),
            Kind::Collections => Some("owner"),
            Kind::Orders => Some("product"),
            _ => None,
        }
    }

    /// The kind of record the report counts.
    pub fn entity(self) -> Entity {
        match self {
            Kind::Pipeline | Kind::Forecast | Kind::Funnel | Kind::Winloss => Entity::Deal,
            Kind::Activity => Entity::Activity,
            Kind::Customers => Entity::Account,
            Kind::Leads => Entity::Lead,
            Kind::Receivables | Kind::Collections => Entity::Contract,
            Kind::Orders => Entity::Order,
            Kind::Service => Entity::Case,
        }
    }

    /// One line on what it shows.
    pub fn about(self) -> &'static str {
        match self {
            Kind::Pipeline => crate::tr!("reports.about_pipeline"),
            Kind::Forecast => crate::tr!("reports.about_forecast"),
            Kind::Funnel => crate::tr!("reports.about_funnel"),
            Kind::Winloss => crate::tr!("reports.about_winloss"),
            Kind::Activity => crate::tr!("reports.about_activity"),
            Kind::Customers => crate::tr!("reports.about_customers"),
            Kind::Leads => crate::tr!("reports.about_leads"),
            Kind::Receivables => crate::tr!("reports.about_receivables"),
            Kind::Collections => crate::tr!("reports.about_collections"),
            Kind::Orders => crate::tr!("reports.about_orders"),
            Kind::Service => crate::tr!("reports.about_service"),
        }
    }
}

/// Whether a report's column (or total) is an amount of money, shown for people as
/// amounts are (`1,280,000`, `128万`): `amount`, `weighted_amount`, `best_case`,
/// `weighted`, `won_amount`, `lost_amount`, `profit`.
pub fn is_amount(column: &str) -> bool {
    matches!(
        column,
        "amount"
            | "weighted_amount"
            | "best_case"
            | "weighted"
            | "won_amount"
            | "lost_amount"
            | "profit"
            | "not_due"
            | "days_1_30"
            | "days_31_60"
            | "days_61_90"
            | "over_90"
            | "open"
            | "planned"
            | "collected"
            | "outstanding"
            | "received"
            | "revenue"
            | "cost"
            | "margin"
    )
}

/// A report's text in `column` as a person reads it in the language: a default stage's
/// or pipeline's name ([`crate::model::record::name_label`]: 方案报价), a stored word of a
/// field of fixed values as its label (`choice_label`: 赢单 for `won`); any other text as it
/// is. Tables and the interface show this; JSON, CSV and drilling into a row keep the
/// stored words.
pub fn text_shown(kind: Kind, column: &str, text: &str) -> String {
    let entity = kind.entity();
    if !names_words(kind, column) {
        return text.to_string();
    }
    match column {
        "stage" => crate::model::record::name_label(Entity::Stage, text),
        "pipeline" => crate::model::record::name_label(Entity::Pipeline, text),
        "outcome" => crate::model::record::choice_label(Entity::Stage, "outcome", text),
        _ => match entity.field(column).map(|f| f.ty) {
            Some(crate::model::Ty::Enum(_)) => {
                crate::model::record::choice_label(entity, column, text)
            }
            _ => text.to_string(),
        },
    }
}

/// A report's rows with their texts as [`text_shown`] gives them and yes/no in the
/// language, in place, for a table in a language other than English (the data formats
/// keep the stored words).
pub fn label_rows(kind: Kind, rows: &mut [Row]) {
    if crate::core::text::language() == "en" {
        return;
    }
    let Some(first) = rows.first() else {
        return;
    };
    // The columns whose texts may change, as the rows of a report share their columns.
    let columns: Vec<(String, bool)> = first
        .keys()
        .map(|k| (k.to_string(), names_words(kind, k)))
        .collect();
    for r in rows {
        for (k, named) in &columns {
            let shown = match r.get(k) {
                Some(Cell::Text(t)) if *named => text_shown(kind, k, t),
                Some(Cell::Bool(true)) => crate::tr!("choice.yes").to_string(),
                Some(Cell::Bool(false)) => crate::tr!("choice.no").to_string(),
                _ => continue,
            };
            r.insert(k.clone(), Cell::Text(shown.into()));
        }
    }
}

/// Whether a report's column holds stored words [`text_shown`] names otherwise.
fn names_words(kind: Kind, column: &str) -> bool {
    matches!(column, "stage" | "pipeline" | "outcome")
        || matches!(
            kind.entity().field(column).map(|f| f.ty),
            Some(crate::model::Ty::Enum(_))
        )
}

/// What a report is asked for.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub filter: Filter,
    /// Date words: `2026-01-01`, `som`, `-3m`…
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    /// For pipeline and funnel: which pipeline (default: the default one).
    pub pipeline: Option<String>,
    /// For customers: no activity for this many days makes an account dormant.
    pub dormant_days: Option<u32>,
    /// For receivables: the day what is owed is aged on (default today).
    pub as_of: Option<String>,
    /// For customers: what revenue is read from, `deals`, `orders` or `payments` (default:
    /// orders when any was confirmed, else deals).
    pub basis: Option<String>,
    /// Every amount converted into this currency, with the rate in effect on its own day,
    /// before it is summed (`--currency CNY`); None: sums per currency.
    pub currency: Option<String>,
}

/// A report's result: one or more tables, and figures about the whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Named tables; the first is the main one.
    pub tables: Vec<(String, Vec<Row>)>,
    /// Figures for the whole report (funnel: win rate, sales cycle…).
    pub totals: Map<String, Value>,
}

/// The report as JSON: the main table as an array when it is all there is, else an object
/// of its totals and tables (written straight from the rows, without copying them).
impl serde::Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.tables.len() == 1 && self.totals.is_empty() {
            return s.collect_seq(&self.tables[0].1);
        }
        // A table named like a total takes the total's place.
        let table = |k: &str| self.tables.iter().find(|(name, _)| name == k);
        let mut m = s.serialize_map(None)?;
        for (k, v) in &self.totals {
            match table(k) {
                Some((_, rows)) => m.serialize_entry(k, rows)?,
                None => m.serialize_entry(k, v)?,
            }
        }
        for (name, rows) in &self.tables {
            if !self.totals.contains_key(name) {
                m.serialize_entry(name, rows)?;
            }
        }
        m.end()
    }
}

/// Run a report.
pub fn run(crm: &Crm, kind: Kind, p: &Params) -> Result<Report> {
    let now = crm.env.clock.now();
    let day = |s: &Option<String>, flag: &str| -> Result<Option<String>> {
        s.as_ref()
            .map(|d| {
                parse_date(d, now)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .map_err(|e| Error::from(e).context(flag))
            })
            .transpose()
    };
    let scope = Scope {
        filter: &p.filter,
        from: day(&p.from, "--from")?,
        to: day(&p.to, "--to")?,
        ctx: crm.env.ctx(),
        convert: conversion(crm, p)?,
    };
    if let (Some(f), Some(t)) = (&scope.from, &scope.to) {
        if f > t {
            return Err(crate::err!(Invalid, "reports.from_after_to", f = f, t = t));
        }
    }
    let r = crm.reader();
    let by = p.by.as_deref().or(kind.default_by());
    let pipeline = || -> Result<i64> {
        Ok(match &p.pipeline {
            Some(name) => crate::domain::sales::pipelines::resolve(&r, name)?.id(),
            None => crate::domain::sales::pipelines::default_pipeline(&r)?.id(),
        })
    };
    let mut report = Report::default();
    match kind {
        Kind::Pipeline => {
            report.tables.push((
                "stages".into(),
                r.report_pipeline(&scope, pipeline()?, p.by.as_deref())?,
            ));
        }
        Kind::Forecast => {
            report.tables.push((
                "periods".into(),
                r.report_forecast(&scope, by.unwrap_or("month"))?,
            ));
        }
        Kind::Funnel => {
            if p.by.is_some() {
                return Err(crate::err!(Invalid, "reports.funnel_per_stage"));
            }
            let pid = pipeline()?;
            let mut stages = r.report_funnel_stages(&scope, pid)?;
            // Conversion: of the deals that entered an open stage in the period, the share that
            // went on to a later stage (not lost): the same deals, so never above 1.
            for s in stages.iter_mut() {
                if text(s, "outcome") == "open" {
                    let rate = ratio(int(s, "advanced"), int(s, "entered"));
                    s.insert("conversion", rate);
                }
            }
            let closed = r.report_closed(&scope, pid)?;
            let (won, lost) = (int(&closed, "won"), int(&closed, "lost"));
            report.totals.insert("won".into(), Value::from(won));
            report.totals.insert("lost".into(), Value::from(lost));
            report
                .totals
                .insert("win_rate".into(), ratio(won, won + lost).to_json());
            report.totals.insert(
                "avg_cycle_days".into(),
                closed
                    .get("avg_cycle_days")
                    .map_or(Value::Null, Cell::to_json),
            );
            // `advanced` only means something for open stages.
            for s in stages.iter_mut() {
                if s.get("advanced").is_some_and(Cell::is_null) {
                    s.remove("advanced");
                }
            }
            report.tables.insert(0, ("stages".into(), stages));
        }
        Kind::Winloss => {
            let mut rows = r.report_winloss(&scope, by.unwrap_or("owner"))?;
            for row in rows.iter_mut() {
                let (w, l) = (int(row, "won"), int(row, "lost"));
                let rate = ratio(w, w + l);
                // win_rate after lost, before the amounts.
                let mut ordered = Row::with_capacity(row.len() + 1);
                for (k, v) in row.iter() {
                    ordered.insert(k.to_string(), v.clone());
                    if k == "lost" {
                        ordered.insert("win_rate", rate.clone());
                    }
                }
                *row = ordered;
            }
            report.tables.push(("groups".into(), rows));
        }
        Kind::Activity => {
            let by = p.by.as_deref().unwrap_or("owner");
            let (field, period) = match by {
                "day" | "week" | "month" | "quarter" | "year" => ("owner", by),
                f => (f, "week"),
            };
            // Counting activities and measuring visit coverage each take one core.
            let (activity, mut cov) = crm.store.read_both(
                |r| r.report_activity(&scope, field, period),
                |r| r.report_coverage(&scope),
            )?;
            report.tables.push(("activity".into(), activity));
            for row in cov.iter_mut() {
                let (n, v) = (int(row, "accounts"), int(row, "visited"));
                row.insert("coverage", ratio(v, n));
            }
            report.tables.push(("coverage".into(), cov));
        }
        Kind::Customers => {
            let by = by.unwrap_or("revenue");
            if !matches!(by, "revenue" | "profit") {
                return Err(crate::err!(
                    Invalid,
                    "reports.customers_classed_revenue",
                    by = by
                ));
            }
            // The accounts (with their latest activities) here, their deals' sums on a
            // second connection at the same time; an account written between the two reads
            // has no deals here.
            // What the accounts bought: per account, its orders confirmed when it has any
            // in the period, else its deals won; or all by deals, orders or payments when
            // asked.
            let basis = match p.basis.as_deref() {
                None => "auto",
                Some(b @ ("deals" | "orders" | "payments")) => b,
                Some(other) => {
                    return Err(crate::err!(
                        Invalid,
                        "reports.customers_basis",
                        basis = other
                    ))
                }
            };
            if basis == "payments" && by == "profit" {
                return Err(crate::err!(Invalid, "reports.customers_payments_profit"));
            }
            let (accounts, deals) = crm.store.read_both(
                |r| r.customer_accounts(&scope),
                |r| match basis {
                    "deals" => r.customer_deals(&scope),
                    "auto" if !r.has_orders()? => r.customer_deals(&scope),
                    "auto" => Ok(crate::store::orders_else_deals(
                        r.customer_sales(&scope, "orders")?,
                        r.customer_deals(&scope)?,
                    )),
                    b => r.customer_sales(&scope, b),
                },
            )?;
            let rows = crate::store::with_deals(accounts, deals);
            let dormant = p.dormant_days.unwrap_or(90);
            report
                .tables
                .push(("accounts".into(), customers(rows, by, now.date(), dormant)));
        }
        Kind::Receivables | Kind::Collections | Kind::Orders => {
            crate::app::cash_reports::run(crm, &r, kind, &scope, by, p, &mut report)?;
        }
        Kind::Service => report = crate::app::service_reports::run(crm, p, None)?,
        Kind::Leads => {
            let mut rows = r.report_leads(&scope, by.unwrap_or("source"))?;
            for row in rows.iter_mut() {
                let (n, c) = (int(row, "leads"), int(row, "converted"));
                row.insert("conversion_rate", ratio(c, n));
            }
            report.tables.push(("groups".into(), rows));
        }
    }
    Ok(report)
}

/// The conversion of a report asked for one currency: into it, with every rate set, an
/// amount without a currency taken to be in the base currency. One read of the rates for
/// the whole report.
fn conversion(crm: &Crm, p: &Params) -> Result<Option<Conversion>> {
    let Some(to) = &p.currency else {
        return Ok(None);
    };
    let to = crate::core::values::check_currency(to).map_err(|e| e.context("--currency"))?;
    Ok(Some(Conversion {
        to,
        base: crm.base_currency().to_string(),
        book: Arc::new(crm.rate_book()?),
    }))
}

fn int(r: &Row, k: &str) -> i64 {
    r.get(k).and_then(Cell::as_i64).unwrap_or(0)
}

fn text(r: &Row, k: &str) -> String {
    r.get(k).and_then(Cell::as_str).unwrap_or("").to_string()
}

/// a / b to four places, or null when b is 0.
fn ratio(a: i64, b: i64) -> Cell {
    if b == 0 {
        return Cell::Null;
    }
    let r = a as f64 / b as f64;
    Cell::from((r * 10_000.0).round() / 10_000.0)
}

/// Score 1–5 by rank among `all`: the worst 1, the best 5, ties the middle of the ranks they
/// share; one value alone scores 5. `higher_is_better` false turns it round (recency: fewer
/// days is better).
fn quintile(value: f64, all: &[f64], higher_is_better: bool) -> i64 {
    let n = all.len();
    if n <= 1 {
        return 5;
    }
    // `all` is sorted (see [`sorted`]): the counts below and above `value` are found by
    // bisection rather than by a pass over every value.
    let below = all.partition_point(|x| *x < value);
    let not_above = all.partition_point(|x| *x <= value);
    let worse = if higher_is_better {
        below
    } else {
        n - not_above
    };
    let equal = not_above - below;
    let rank = worse as f64 + equal.saturating_sub(1) as f64 / 2.0;
    1 + (rank / (n - 1) as f64 * 4.0).round() as i64
}

/// The values in ascending order, as [`quintile`] wants them.
fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// ABC classes, RFM scores and dormancy from the per-account aggregates, ranked within each
/// currency (amounts of different currencies do not compare): one row per account and
/// currency it was paid in, currencies by code, accounts paid nothing (or without a
/// currency) last.
fn customers(rows: Vec<Customer>, by: &str, today: NaiveDate, dormant_days: u32) -> Vec<Row> {
    let mut groups: std::collections::BTreeMap<(bool, Option<String>), Vec<Customer>> =
        std::collections::BTreeMap::new();
    for c in rows {
        groups
            .entry((c.currency.is_none(), c.currency.clone()))
            .or_default()
            .push(c);
    }
    let mut out = Vec::new();
    for (_, rows) in groups {
        out.extend(customers_of_one_currency(rows, by, today, dormant_days));
    }
    out
}

fn customers_of_one_currency(
    rows: Vec<Customer>,
    by: &str,
    today: NaiveDate,
    dormant_days: u32,
) -> Vec<Row> {
    let value = |c: &Customer| {
        if by == "profit" {
            c.profit
        } else {
            c.won_amount
        }
    };
    // Ranked by value, then id (ids are unique: a total order, so an unstable sort, which
    // needs no copy of 100,000 rows on the side, gives the one order there is).
    let mut rows = rows;
    rows.sort_unstable_by(|a, b| {
        value(b)
            .partial_cmp(&value(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.account_id.cmp(&b.account_id))
    });
    let total: f64 = rows.iter().map(|c| value(c).max(0.0)).sum();
    // RFM among the accounts that bought something.
    let days_since = |c: &Customer| -> Option<f64> {
        c.last_won
            .as_deref()
            .and_then(crate::core::dates::day_of)
            .map(|d| (today - d).num_days() as f64)
    };
    let buyers: Vec<&Customer> = rows.iter().filter(|c| c.won_deals > 0).collect();
    let recencies = sorted(buyers.iter().filter_map(|c| days_since(c)).collect());
    let freqs = sorted(buyers.iter().map(|c| c.won_deals as f64).collect());
    let monies = sorted(buyers.iter().map(|c| c.won_amount).collect());
    let mut cumulative = 0.0;
    let mut out = Vec::with_capacity(rows.len());
    let columns: Arc<Vec<Cow<'static, str>>> = Arc::new(
        [
            "account_id",
            "name",
            "tier",
            "currency",
            "won_amount",
            "profit",
            "deals",
            "won_deals",
            "last_won",
            "last_activity",
            "abc",
            "recency",
            "frequency",
            "monetary",
            "rfm",
            "dormant",
        ]
        .map(Cow::Borrowed)
        .to_vec(),
    );
    for c in rows {
        let v = value(&c).max(0.0);
        // A class by the share of the total reached once this account is counted; the
        // account that crosses 80 % is still A.
        let before = if total > 0.0 { cumulative / total } else { 1.0 };
        cumulative += v;
        let abc = if v <= 0.0 {
            "C"
        } else if before < 0.80 {
            "A"
        } else if before < 0.95 {
            "B"
        } else {
            "C"
        };
        let (rs, fs, ms) = if c.won_deals > 0 {
            (
                days_since(&c)
                    .map(|d| quintile(d, &recencies, false))
                    .unwrap_or(1),
                quintile(c.won_deals as f64, &freqs, true),
                quintile(c.won_amount, &monies, true),
            )
        } else {
            (1, 1, 1)
        };
        let last_activity = c
            .last_activity
            .as_deref()
            .and_then(crate::core::dates::day_of);
        let dormant = last_activity.is_none_or(|d| (today - d).num_days() > dormant_days as i64);
        out.push(Row::shared(
            &columns,
            vec![
                Cell::from(c.account_id),
                Cell::from(c.name),
                Cell::from(c.tier),
                Cell::from(c.currency),
                Cell::from(c.won_amount),
                Cell::from(c.profit),
                Cell::from(c.deals),
                Cell::from(c.won_deals),
                Cell::from(c.last_won),
                Cell::from(c.last_activity),
                Cell::from(abc),
                Cell::from(rs),
                Cell::from(fs),
                Cell::from(ms),
                Cell::from(format!("{rs}{fs}{ms}")),
                Cell::Bool(dormant),
            ],
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Drilling down: the records behind a row

/// The records a row of a report's main table counts or sums: their kind and the filter
/// that lists them, in the filter language (the report's own filter and period included),
/// so that a face can list them with it, show it and let it be edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    pub entity: Entity,
    pub filter: Filter,
}

/// The records behind `row`, a row of the main table of `kind` run with `p`:
///
/// - pipeline: the open deals of its stage (and `--by` value and currency), with an
///   expected close in the period when there is one;
/// - forecast: the open deals expected to close in its period (and currency);
/// - funnel: the deals that entered its stage in the period (`entered:STAGE`);
/// - winloss: the deals won or lost in the period, of its value and currency;
/// - activity: the activities of its value in its period;
/// - customers: the account's deals won in the period, in the row's currency (the report's
///   filter is on accounts, and the row is one account already);
/// - leads: the leads of its value created in the period.
pub fn drill(crm: &Crm, kind: Kind, p: &Params, row: &Row) -> Result<Drill> {
    let (from, to) = period_days(crm, p)?;
    let by = p.by.as_deref().or(kind.default_by());
    let mut terms = p.filter.terms.clone();
    let (entity, more) = match kind {
        Kind::Pipeline => {
            let stage = stage_value(crm, pipeline_id(crm, p)?, &text(row, "stage"))?;
            let mut t = vec![
                field("status", Op::Eq, "open"),
                field("stage", Op::Eq, &stage),
            ];
            if let Some(b) = p.by.as_deref() {
                t.push(group_term(crm, Entity::Deal, b, row)?);
            }
            t.extend(currency_term(p, row));
            t.extend(day_terms("close", from, to));
            (Entity::Deal, t)
        }
        Kind::Forecast => {
            let (lo, hi) = period_of(by.unwrap_or("month"), &text(row, "period"))?;
            let mut t = vec![field("status", Op::Eq, "open")];
            t.extend(day_terms(
                "close",
                later(Some(lo), from),
                earlier(Some(hi), to),
            ));
            t.extend(currency_term(p, row));
            (Entity::Deal, t)
        }
        Kind::Funnel => {
            let stage = stage_value(crm, pipeline_id(crm, p)?, &text(row, "stage"))?;
            let mut t = vec![field("entered", Op::Eq, &stage)];
            t.extend(day_terms("entered", from, to));
            (Entity::Deal, t)
        }
        Kind::Winloss => {
            let by = by.unwrap_or("owner");
            if crate::store::LINE_GROUPS.contains(&by)
                && crm.custom().field(Entity::Deal, by).is_none()
            {
                // Its rows sum deals' lines: no filter of deals lists them.
                return Err(crate::err!(Invalid, "reports.drill_lines", by = by));
            }
            let mut t = vec![
                field("status", Op::Ne, "open"),
                group_term(crm, Entity::Deal, by, row)?,
            ];
            t.extend(currency_term(p, row));
            t.extend(closed_terms(from, to));
            (Entity::Deal, t)
        }
        Kind::Activity => {
            let by = p.by.as_deref().unwrap_or("owner");
            let (f, period) = match by {
                "day" | "week" | "month" | "quarter" | "year" => ("owner", by),
                f => (f, "week"),
            };
            let (lo, hi) = period_of(period, &text(row, "period"))?;
            let mut t = vec![group_term(crm, Entity::Activity, f, row)?];
            t.extend(day_terms(
                "at",
                later(Some(lo), from),
                earlier(Some(hi), to),
            ));
            (Entity::Activity, t)
        }
        Kind::Customers => {
            let id = row
                .get("account_id")
                .and_then(Cell::as_i64)
                .ok_or_else(|| crate::err!(Invalid, "reports.drill_row"))?;
            // The report's filter chose the account; its deals (or orders, or payments)
            // are listed without it.
            terms.clear();
            let account = field("account", Op::Eq, &format!("#{id}"));
            let mut orders = vec![
                account.clone(),
                field("status", Op::Ne, "draft"),
                field("status", Op::Ne, "cancelled"),
            ];
            orders.extend(currency_term(p, row));
            let mut orders_in = orders.clone();
            orders_in.extend(day_terms("ordered_on", from, to));
            let basis = match p.basis.as_deref() {
                Some(b) => b,
                None => {
                    let q = crate::domain::toolkit::list_query(orders_in.clone(), "id", Some(1));
                    if crm.list(Entity::Order, &q)?.is_empty() {
                        "deals"
                    } else {
                        "orders"
                    }
                }
            };
            match basis {
                "orders" => (Entity::Order, orders_in),
                "payments" => {
                    let mut t = vec![account, field("status", Op::Eq, "received")];
                    t.extend(currency_term(p, row));
                    t.extend(day_terms("received_on", from, to));
                    (Entity::Payment, t)
                }
                _ => {
                    let mut t = vec![account, field("status", Op::Eq, "won")];
                    t.extend(currency_term(p, row));
                    t.extend(closed_terms(from, to));
                    (Entity::Deal, t)
                }
            }
        }
        Kind::Leads => {
            let mut t = vec![group_term(crm, Entity::Lead, by.unwrap_or("source"), row)?];
            t.extend(day_terms("created", from, to));
            (Entity::Lead, t)
        }
        // The active contracts of the row's account, owner or number, in its currency.
        Kind::Receivables => {
            let by = by.unwrap_or("account");
            let f = if by == "contract" { "number" } else { by };
            let value = text(row, by);
            let mut t = vec![field(f, Op::Eq, &value), field("status", Op::Eq, "active")];
            t.extend(currency_term(p, row));
            (Entity::Contract, t)
        }
        // The contracts of the row's owner (by month: of the report's filter alone).
        Kind::Collections => {
            let mut t: Vec<Term> = currency_term(p, row).into_iter().collect();
            if by == Some("owner") {
                t.push(group_term(crm, Entity::Contract, "owner", row)?);
            }
            (Entity::Contract, t)
        }
        // The orders of the row's account, owner or month; a product's rows are lines of
        // many orders, not a list of records.
        Kind::Orders => {
            let mut t: Vec<Term> = currency_term(p, row).into_iter().collect();
            match by.unwrap_or("product") {
                "account" | "owner" => {
                    let by = by.unwrap_or_default();
                    t.push(field(by, Op::Eq, &text(row, by)));
                }
                "month" => {
                    let (lo, hi) = period_of("month", &text(row, "month"))?;
                    t.extend(day_terms(
                        "ordered_on",
                        later(Some(lo), from),
                        earlier(Some(hi), to),
                    ));
                }
                _ => return Err(crate::err!(Invalid, "reports.drill_row")),
            }
            (Entity::Order, t)
        }
        // The cases opened in the period of the row's group (its month, when by month).
        Kind::Service => {
            let mut t = Vec::new();
            match by {
                Some("month") => {
                    let (lo, hi) = period_of("month", &text(row, "month"))?;
                    t.extend(day_terms(
                        "opened",
                        later(Some(lo), from),
                        earlier(Some(hi), to),
                    ));
                }
                Some("owner") => {
                    let who = text(row, "owner");
                    t.push(if who == "(none)" {
                        field("assignee", Op::IsEmpty, "")
                    } else {
                        field("assignee", Op::Eq, &who)
                    });
                    t.extend(day_terms("opened", from, to));
                }
                Some(b) => {
                    t.push(group_term(crm, Entity::Case, b, row)?);
                    t.extend(day_terms("opened", from, to));
                }
                None => t.extend(day_terms("opened", from, to)),
            }
            (Entity::Case, t)
        }
    };
    terms.extend(more);
    Ok(Drill {
        entity,
        filter: Filter { terms },
    })
}

fn field(name: &str, op: Op, value: &str) -> Term {
    Term::Field {
        field: name.to_string(),
        op,
        value: value.to_string(),
    }
}

/// The report's period as days (from date words), as [`run`] reads it.
fn period_days(crm: &Crm, p: &Params) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let now = crm.env.clock.now();
    let day = |s: &Option<String>, flag: &str| -> Result<Option<NaiveDate>> {
        s.as_ref()
            .map(|d| parse_date(d, now).map_err(|e| Error::from(e).context(flag)))
            .transpose()
    };
    Ok((day(&p.from, "--from")?, day(&p.to, "--to")?))
}

fn later(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    a.max(b)
}

fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `field>=FROM field<=TO`, each side that is bounded.
fn day_terms(name: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<Term> {
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let mut t = Vec::new();
    if let Some(f) = from {
        t.push(field(name, Op::Ge, &ymd(f)));
    }
    if let Some(to) = to {
        t.push(field(name, Op::Le, &ymd(to)));
    }
    t
}

/// Closed in the period; without one, closed at all (a won deal without a close date is
/// not counted by the reports).
fn closed_terms(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Vec<Term> {
    let t = day_terms("closed", from, to);
    if t.is_empty() {
        vec![field("closed", Op::NotEmpty, "")]
    } else {
        t
    }
}

/// The row's currency (`currency:CNY`), or none (`currency:`); nothing for a report in one
/// currency, whose rows sum the deals of every currency.
fn currency_term(p: &Params, row: &Row) -> Option<Term> {
    if p.currency.is_some() {
        return None;
    }
    Some(match row.get("currency").and_then(Cell::as_str) {
        Some(c) if !c.is_empty() => field("currency", Op::Eq, c),
        _ => field("currency", Op::IsEmpty, ""),
    })
}

/// The row's value of the field it is grouped by: `owner:lin.wei`, `+vip` for a tag,
/// `competitor:` for the group `(none)`.
fn group_term(crm: &Crm, entity: Entity, by: &str, row: &Row) -> Result<Term> {
    let f = crm.custom().field(entity, by).ok_or_else(|| {
        crate::err!(
            Invalid,
            "reports.field_fields",
            kind = entity.plural(),
            field = by,
            fields = crm.custom().field_names(entity).join(", ")
        )
    })?;
    let value = match row.get(by) {
        Some(Cell::Text(t)) => t.to_string(),
        Some(Cell::Int(i)) => i.to_string(),
        Some(Cell::Float(x)) => Value::from(*x).to_string(),
        _ => return Err(crate::err!(Invalid, "reports.drill_row")),
    };
    Ok(if value == "(none)" {
        field(by, Op::IsEmpty, "")
    } else if f.ty == crate::model::Ty::Tags {
        Term::Tag {
            tag: value,
            present: true,
        }
    } else {
        field(by, Op::Eq, &value)
    })
}

/// The pipeline a report is of: the one asked for, else the default one.
fn pipeline_id(crm: &Crm, p: &Params) -> Result<i64> {
    let r = crm.reader();
    Ok(match &p.pipeline {
        Some(name) => crate::domain::sales::pipelines::resolve(&r, name)?.id(),
        None => crate::domain::sales::pipelines::default_pipeline(&r)?.id(),
    })
}

/// How a filter names a stage of a pipeline: by its name when no other stage (of any
/// pipeline, trashed or not) has it and the name cannot be read as an id, else `#id`.
fn stage_value(crm: &Crm, pipeline: i64, name: &str) -> Result<String> {
    let stage = crm.resolve_stage(pipeline, name)?;
    let label = stage.label();
    let readable = label.trim() == label
        && !label.is_empty()
        && label.trim_start_matches('#').parse::<i64>().is_err();
    if readable {
        let named = Filter {
            terms: vec![field("name", Op::Eq, label)],
        };
        let mut q = crate::store::ListQuery {
            filter: named,
            ..Default::default()
        };
        let live = crm.count(Entity::Stage, &q)?;
        q.trash = true;
        if live + crm.count(Entity::Stage, &q)? == 1 {
            return Ok(label.to_string());
        }
    }
    Ok(format!("#{}", stage.id()))
}

/// The first and last day of a report's period key: `2026-11-22`, `2026-W47`, `2026-11`,
/// `2026-Q4`, `2026`.
pub fn period_of(period: &str, key: &str) -> Result<(NaiveDate, NaiveDate)> {
    use chrono::{Datelike, Months, Weekday};
    let bad = || crate::err!(Invalid, "reports.drill_period", key = key);
    let num = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let year = |s: &str| s.parse::<i32>().map_err(|_| bad());
    let months = |y: i32, m: u32, n: u32| -> Result<(NaiveDate, NaiveDate)> {
        let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
        let next = first.checked_add_months(Months::new(n)).ok_or_else(bad)?;
        Ok((first, next.pred_opt().ok_or_else(bad)?))
    };
    match period {
        "day" => {
            let d = NaiveDate::parse_from_str(key, "%Y-%m-%d").map_err(|_| bad())?;
            Ok((d, d))
        }
        "week" => {
            let (y, w) = key.split_once("-W").ok_or_else(bad)?;
            let monday =
                NaiveDate::from_isoywd_opt(year(y)?, num(w)?, Weekday::Mon).ok_or_else(bad)?;
            let sunday =
                NaiveDate::from_isoywd_opt(monday.iso_week().year(), num(w)?, Weekday::Sun)
                    .ok_or_else(bad)?;
            Ok((monday, sunday))
        }
        "month" => {
            let (y, m) = key.split_once('-').ok_or_else(bad)?;
            months(year(y)?, num(m)?, 1)
        }
        "quarter" => {
            let (y, q) = key.split_once("-Q").ok_or_else(bad)?;
            let q = num(q)?;
            if !(1..=4).contains(&q) {
                return Err(bad());
            }
            months(year(y)?, q * 3 - 2, 3)
        }
        "year" => months(year(key)?, 1, 12),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_score_one_to_five() {
        let all = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quintile(1.0, &all, true), 1);
        assert_eq!(quintile(5.0, &all, true), 5);
        assert_eq!(quintile(3.0, &all, true), 3);
        assert_eq!(
            quintile(1.0, &all, false),
            5,
            "fewest days is the best recency"
        );
        assert_eq!(quintile(7.0, &[7.0, 7.0], true), 3, "ties share the middle");
        assert_eq!(quintile(7.0, &[7.0], true), 5, "the only buyer is the best");
    }

    #[test]
    fn period_keys_are_their_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let of = |p: &str, k: &str| period_of(p, k).unwrap();
        assert_eq!(of("day", "2026-11-22"), (d("2026-11-22"), d("2026-11-22")));
        assert_eq!(of("week", "2026-W47"), (d("2026-11-16"), d("2026-11-22")));
        assert_eq!(of("week", "2026-W53"), (d("2026-12-28"), d("2027-01-03")));
        assert_eq!(of("week", "2026-W01"), (d("2025-12-29"), d("2026-01-04")));
        assert_eq!(of("month", "2026-02"), (d("2026-02-01"), d("2026-02-28")));
        assert_eq!(of("quarter", "2026-Q4"), (d("2026-10-01"), d("2026-12-31")));
        assert_eq!(of("year", "2026"), (d("2026-01-01"), d("2026-12-31")));
        for (p, k) in [
            ("week", "2026-W60"),
            ("month", "2026-13"),
            ("quarter", "2026-Q5"),
            ("day", "x"),
            ("fortnight", "1"),
        ] {
            assert!(period_of(p, k).is_err(), "{p} {k}");
        }
    }

    #[test]
    fn ratios_are_null_on_nothing() {
        assert_eq!(ratio(1, 3), Cell::from(0.3333));
        assert_eq!(ratio(0, 0), Cell::Null);
    }
}
