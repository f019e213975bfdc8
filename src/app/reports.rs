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
use crate::model::query::Filter;
use crate::store::{Cell, Customer, Row, Scope};

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
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Pipeline,
        Kind::Forecast,
        Kind::Funnel,
        Kind::Winloss,
        Kind::Activity,
        Kind::Customers,
        Kind::Leads,
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
            _ => None,
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
        }
    }
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
            let (accounts, deals) = crm.store.read_both(
                |r| r.customer_accounts(&scope),
                |r| r.customer_deals(&scope),
            )?;
            let rows = crate::store::with_deals(accounts, deals);
            let dormant = p.dormant_days.unwrap_or(90);
            report
                .tables
                .push(("accounts".into(), customers(rows, by, now.date(), dormant)));
        }
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
    fn ratios_are_null_on_nothing() {
        assert_eq!(ratio(1, 3), Cell::from(0.3333));
        assert_eq!(ratio(0, 0), Cell::Null);
    }
}
