//! The SQL of the reports: every count and sum is computed by SQLite over indexed columns,
//! and only the aggregated rows come back. Dates: a closed deal counts on the local date of
//! `closed_at`; open deals by `expected_close`; activities by their local `at`; stage
//! changes by the local date they happened.
//!
//! **In one currency.** A report asked for one currency (`--currency CNY`: the scope's
//! [`Conversion`]) converts every amount before it is summed, with the rate in effect on
//! the amount's own day, in the same SQL: [`Scope::money`] wraps an amount column in
//! `kith_convert(amount, currency, day)`, a function [`Reader::converting`] gives the
//! connection for the report (its arithmetic and rates are `crate::core::exchange`), and
//! [`Scope::currency`] names the one currency where the column was. A report adds its
//! amounts through these two and names each amount's day; nothing else changes. A missing
//! rate stops the report with the error that names it. A report that sums in Rust converts
//! with [`Conversion::minor`].

use chrono::NaiveDate;
use rusqlite::types::{Value as SqlValue, ValueRef};
use std::borrow::Cow;
use std::sync::Arc;

use compact_str::CompactString;

use serde_json::Value;

use super::query::{bound, weighted_parts, weighted_sum, weighted_total, QueryCtx, Reader};
use crate::core::error::{Error, Result};
use crate::core::exchange::Book;
use crate::core::money::Money;
use crate::model::query::Filter;
use crate::model::{Entity, Ty};

/// One aggregated row: column name → value, in order. Lists rather than a map per row:
/// reports have a dozen columns at most and up to one row per account. The column names
/// are shared by the rows made with [`Row::shared`] (the customers report's 100,000), and
/// copied only when a row gains or loses a column of its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    columns: Arc<Vec<Cow<'static, str>>>,
    values: Vec<Cell>,
}

/// One value of a report: what SQLite and the reports compute. 24 bytes where a JSON value
/// is 72 (a test holds it to that): the customers report holds 1.5 million of them, and fresh memory is what costs
/// most there. Written to JSON as the same value would be.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Cell {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    /// Finite (a NaN or infinity is [`Cell::Null`], as in JSON).
    Float(f64),
    /// Up to 24 bytes held inline (a tier, a date, a date-time, a class): no allocation.
    Text(CompactString),
}

impl Cell {
    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// A number as f64, integers too.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Cell::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A JSON value as a cell (a list or an object becomes its JSON text).
    pub fn from_json(v: &Value) -> Cell {
        match v {
            Value::Null => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Cell::Int(i),
                None => Cell::from(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Cell::from(s.as_str()),
            other => Cell::from(other.to_string()),
        }
    }

    /// The same value as JSON.
    pub fn to_json(&self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Int(i) => Value::from(*i),
            Cell::Float(f) => Value::from(*f),
            Cell::Text(t) => Value::from(t.as_str()),
        }
    }
}

impl From<i64> for Cell {
    fn from(v: i64) -> Cell {
        Cell::Int(v)
    }
}

impl From<i32> for Cell {
    fn from(v: i32) -> Cell {
        Cell::Int(v.into())
    }
}

impl From<u32> for Cell {
    fn from(v: u32) -> Cell {
        Cell::Int(v.into())
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        if v.is_finite() {
            Cell::Float(v)
        } else {
            Cell::Null
        }
    }
}

impl From<bool> for Cell {
    fn from(v: bool) -> Cell {
        Cell::Bool(v)
    }
}

impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Text(CompactString::from(v))
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Text(CompactString::new(v))
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Null, Into::into)
    }
}

/// For comparing with `json!(…)` in tests.
impl PartialEq<Value> for Cell {
    fn eq(&self, other: &Value) -> bool {
        self.to_json() == *other
    }
}

impl serde::Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Cell::Null => s.serialize_unit(),
            Cell::Bool(b) => s.serialize_bool(*b),
            Cell::Int(i) => s.serialize_i64(*i),
            Cell::Float(f) => s.serialize_f64(*f),
            Cell::Text(t) => s.serialize_str(t),
        }
    }
}

impl Row {
    pub fn new() -> Row {
        Row::default()
    }

    pub fn with_capacity(n: usize) -> Row {
        Row {
            columns: Arc::new(Vec::with_capacity(n)),
            values: Vec::with_capacity(n),
        }
    }

    /// A row of these columns (shared with the other rows made of them) and values, one
    /// per column.
    pub fn shared(columns: &Arc<Vec<Cow<'static, str>>>, values: Vec<Cell>) -> Row {
        debug_assert_eq!(columns.len(), values.len());
        Row {
            columns: Arc::clone(columns),
            values,
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|k| k == key)
    }

    /// Set a column: in its place if the row has it, else at the end.
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: Cell) {
        let key = key.into();
        match self.position(&key) {
            Some(at) => self.values[at] = value,
            None => self.push(key, value),
        }
    }

    /// Add a column the row does not have yet (without looking for it first).
    pub fn push(&mut self, key: impl Into<Cow<'static, str>>, value: Cell) {
        let key = key.into();
        debug_assert!(self.position(&key).is_none(), "column {key} twice");
        Arc::make_mut(&mut self.columns).push(key);
        self.values.push(value);
    }

    pub fn get(&self, key: &str) -> Option<&Cell> {
        self.position(key).map(|at| &self.values[at])
    }

    /// The value of the `index`th column, when that column is `key`.
    pub fn get_at(&self, index: usize, key: &str) -> Option<&Cell> {
        match self.columns.get(index) {
            Some(k) if k == key => self.values.get(index),
            _ => self.get(key),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Cell> {
        let at = self.position(key)?;
        Arc::make_mut(&mut self.columns).remove(at);
        Some(self.values.remove(at))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|k| k.as_ref())
    }

    pub fn values(&self) -> impl Iterator<Item = &Cell> {
        self.values.iter()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Cell)> {
        self.keys().zip(&self.values)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// `row["name"]`: the value, or null when the row has no such column.
impl std::ops::Index<&str> for Row {
    type Output = Cell;
    fn index(&self, key: &str) -> &Cell {
        static NULL: Cell = Cell::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

/// A row is written as a JSON object of its columns, in order.
impl serde::Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// What every report is narrowed by.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// Filter-language terms on the report's records.
    pub filter: &'a Filter,
    /// First and last day (local, inclusive), as YYYY-MM-DD; None: unbounded.
    pub from: Option<String>,
    pub to: Option<String>,
    pub ctx: QueryCtx,
    /// Amounts converted into one currency before they are summed; None: sums per
    /// currency.
    pub convert: Option<Conversion>,
}

/// Amounts converted into one currency, each with the rate in effect on its own day
/// (`kith report … --currency CNY`).
#[derive(Debug, Clone)]
pub struct Conversion {
    /// The currency every amount is converted into (a checked code).
    pub to: String,
    /// The currency of amounts that have none: the base currency.
    pub base: String,
    /// The rates.
    pub book: std::sync::Arc<Book>,
}

impl Conversion {
    /// An amount's minor units in `currency` (None: the base currency) converted into
    /// [`Conversion::to`] with the rate in effect on `day`, as minor units: rounded once
    /// to the target's minor unit (crate::core::exchange).
    pub fn minor(&self, amount: i64, currency: Option<&str>, day: NaiveDate) -> Result<i64> {
        let from = currency.filter(|c| !c.is_empty()).unwrap_or(&self.base);
        Ok(self
            .book
            .convert(Money::from_minor(amount), from, &self.to, day)?
            .minor())
    }
}

impl Scope<'_> {
    /// SQL of the amount column `amount` (minor units) of a row whose currency is the
    /// column `currency` and whose day is `day` (an SQL expression of a `YYYY-MM-DD` date;
    /// NULL is today), as the report sums it: as stored, or converted into the report's
    /// one currency.
    pub(super) fn money(&self, amount: &str, currency: &str, day: &str) -> String {
        match self.convert {
            None => amount.to_string(),
            Some(_) => format!("kith_convert({amount}, {currency}, {day})"),
        }
    }

    /// SQL of a row's currency as the report groups and shows it: the column, or the
    /// report's one currency.
    pub(super) fn currency(&self, column: &str) -> String {
        match &self.convert {
            None => column.to_string(),
            // A checked code of three letters.
            Some(c) => format!("'{}'", c.to.replace('\'', "")),
        }
    }

    /// `, column` to group by a row's currency, or nothing when all is in one.
    pub(super) fn by_currency(&self, column: &str) -> String {
        match self.convert {
            None => format!(", {column}"),
            Some(_) => String::new(),
        }
    }

    pub(super) fn from(&self) -> String {
        self.from.clone().unwrap_or_else(|| "0000-01-01".into())
    }
    pub(super) fn to(&self) -> String {
        self.to.clone().unwrap_or_else(|| "9999-12-31".into())
    }
    /// SQL saying that the UTC stamp column `col` (closed_at) falls in the period on the
    /// local calendar, and its parameters: the period's bounds are turned into stamps once,
    /// instead of turning every row's stamp into a local date.
    fn stamp_in(&self, col: &str) -> (String, Vec<SqlValue>) {
        let (lo, hi) = self.stamp_bounds();
        let mut sql = format!("{col} IS NOT NULL");
        let mut params = Vec::new();
        if let Some(lo) = lo {
            sql.push_str(&format!(" AND {col} >= ?"));
            params.push(SqlValue::Text(lo));
        }
        if let Some(hi) = hi {
            sql.push_str(&format!(" AND {col} < ?"));
            params.push(SqlValue::Text(hi));
        }
        (sql, params)
    }

    /// The period as UTC stamps `[lo, hi)`: the start of its first local day and of the day
    /// after its last (None: unbounded on that side).
    pub(super) fn stamp_bounds(&self) -> (Option<String>, Option<String>) {
        let day = |d: &Option<String>, next: bool| -> Option<String> {
            let d = NaiveDate::parse_from_str(d.as_deref()?, "%Y-%m-%d").ok()?;
            let d = if next { d.succ_opt()? } else { d };
            Some(bound(Ty::Stamp, d, None))
        };
        (day(&self.from, false), day(&self.to, true))
    }

    /// The day after `to`, for date-time columns (`at < next`).
    fn after(&self) -> String {
        match &self.to {
            Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.succ_opt())
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "9999-12-31".into()),
            None => "9999-12-31".into(),
        }
    }
}

/// One account of the customers report, before it is ranked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customer {
    pub account_id: i64,
    pub name: String,
    pub tier: Option<String>,
    /// The currency of the sums below (an account paid in two has a row for each).
    pub currency: Option<String>,
    /// Won in the period: revenue, and revenue less cost.
    pub won_amount: f64,
    pub profit: f64,
    /// Live deals of any status and date, and those won in the period.
    pub deals: i64,
    pub won_deals: i64,
    /// The local day of the last win in the period.
    pub last_won: Option<String>,
    /// The latest activity at or before now (local ISO date-time).
    pub last_activity: Option<String>,
}

/// The deals of one account, for the customers report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerDeals {
    pub account_id: i64,
    /// The currency of the wins summed here (None: no wins, or wins without a currency).
    pub currency: Option<String>,
    pub deals: i64,
    pub won_deals: i64,
    pub won_amount: f64,
    pub profit: f64,
    pub last_won: Option<String>,
}

/// The accounts of the customers report with their deals beside them (both by account id;
/// accounts without deals keep zeros).
pub fn with_deals(accounts: Vec<Customer>, deals: Vec<CustomerDeals>) -> Vec<Customer> {
    let mut deals = deals.into_iter().peekable();
    let mut out = Vec::with_capacity(accounts.len());
    for c in accounts {
        while deals.next_if(|d| d.account_id < c.account_id).is_some() {}
        // One row per currency the account was paid in.
        let mut any = false;
        while let Some(d) = deals.next_if(|d| d.account_id == c.account_id) {
            any = true;
            out.push(Customer {
                currency: d.currency,
                deals: d.deals,
                won_deals: d.won_deals,
                won_amount: d.won_amount,
                profit: d.profit,
                last_won: d.last_won,
                ..c.clone()
            });
        }
        if !any {
            out.push(c);
        }
    }
    out
}

/// What `report winloss --by` groups by through deals' lines rather than a deal field.
pub const LINE_GROUPS: [&str; 2] = ["product", "category"];

/// SQL of a sum of amounts (minor units, NULL when there was none) as units: a float whose
/// shortest text is the exact amount, 0.0 for nothing (see crate::core::money).
pub(super) fn units(minor: &str) -> String {
    format!("coalesce({minor}, 0) / {}.0", crate::core::money::SCALE)
}

/// The local day (YYYY-MM-DD) of a UTC stamp.
fn local_day(stamp: &str) -> Option<String> {
    crate::core::dates::local_day(stamp).map(crate::core::dates::ymd)
}

/// How to group by a field of `entity`: a join (for tags) and the expression.
/// A custom field groups as a built-in one does.
fn group(
    custom: &crate::model::custom::Custom,
    entity: Entity,
    field: &str,
    vis: &super::Visibility,
) -> Result<(String, String)> {
    let f = custom.field(entity, field).ok_or_else(|| {
        crate::err!(
            Invalid,
            "reports.field_fields",
            kind = entity.plural(),
            field = field,
            fields = custom.field_names(entity).join(", ")
        )
    })?;
    let col = f.sql();
    // Records without a value (no owner, no tags) form their own group, "(none)".
    Ok(match f.ty {
        Ty::Tags | Ty::List { .. } => (
            format!(" LEFT JOIN json_each({col}) g"),
            "coalesce(g.value, '(none)')".into(),
        ),
        Ty::Ref(target) => (
            String::new(),
            format!(
                "coalesce({}, '(none)')",
                super::query::label_seen(target, &col, vis)
            ),
        ),
        _ => (
            String::new(),
            format!("coalesce(CAST({col} AS TEXT), '(none)')"),
        ),
    })
}

/// A period key of a date expression: day, ISO week (2026-W48), month, quarter, year.
pub fn period_sql(period: &str, date: &str) -> Result<String> {
    Ok(match period {
        "day" => format!("date({date})"),
        "week" => format!("strftime('%G-W%V', {date})"),
        "month" => format!("substr({date}, 1, 7)"),
        "quarter" => format!(
            "substr({date}, 1, 4) || '-Q' || ((CAST(substr({date}, 6, 2) AS INTEGER) + 2) / 3)"
        ),
        "year" => format!("substr({date}, 1, 4)"),
        other => {
            return Err(crate::err!(
                Invalid,
                "reports.period_use_day",
                other = other
            ))
        }
    })
}

impl Reader<'_> {
    /// Run `f` with `kith_convert(amount, currency, day)` on this connection when the
    /// report is in one currency: the amount's minor units converted with the rate in
    /// effect on the day (NULL: today; an amount without a currency is in the base
    /// currency). A missing rate fails the statement; its error, naming the pair and the
    /// day, is what `f` returns then.
    pub(super) fn converting<T>(&self, s: &Scope<'_>, f: impl FnOnce() -> Result<T>) -> Result<T> {
        use rusqlite::functions::FunctionFlags;
        let Some(c) = s.convert.clone() else {
            return f();
        };
        let failed: std::sync::Arc<std::sync::Mutex<Option<Error>>> = Default::default();
        let seen = failed.clone();
        let today = s.ctx.now.date();
        self.conn.create_scalar_function(
            "kith_convert",
            3,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            move |ctx| {
                let Some(amount) = ctx.get::<Option<i64>>(0)? else {
                    return Ok(None);
                };
                let currency = ctx.get::<Option<String>>(1)?;
                let day = ctx
                    .get::<Option<String>>(2)?
                    .and_then(|d| crate::core::dates::day_of(&d))
                    .unwrap_or(today);
                match c.minor(amount, currency.as_deref(), day) {
                    Ok(m) => Ok(Some(m)),
                    Err(e) => {
                        let text = e.to_string();
                        let mut slot = seen.lock().unwrap_or_else(|p| p.into_inner());
                        slot.get_or_insert(e);
                        Err(rusqlite::Error::UserFunctionError(text.into()))
                    }
                }
            },
        )?;
        let out = f();
        let stored = failed.lock().unwrap_or_else(|p| p.into_inner()).take();
        match (out, stored) {
            (Err(_), Some(e)) => Err(e),
            (out, _) => out,
        }
    }

    pub(super) fn rows(&self, sql: &str, params: Vec<SqlValue>) -> Result<Vec<Row>> {
        let mut stmt = self.conn.prepare(sql)?;
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            let mut m = Row::new();
            for (i, n) in names.iter().enumerate() {
                m.insert(n.clone(), value_of(r.get_ref(i)?));
            }
            Ok(m)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Open deals per stage: count, amount, weighted amount (amount × probability). With
    /// `by`, per stage and value of that field.
    pub fn report_pipeline(
        &self,
        s: &Scope<'_>,
        pipeline: i64,
        by: Option<&str>,
    ) -> Result<Vec<Row>> {
        let (wh, mut params) = self.filtered(Entity::Deal, s.filter, false, &s.ctx)?;
        // The open deals are summed per stage (and group) first, then joined to the stages:
        // joining the stages straight onto the deals read every deal's row through the
        // stage index. A stage without deals still has its row (its group "(none)").
        let (join, key, inner_key, group_by) = match by {
            Some(b) => {
                let (j, e) = group(self.custom, Entity::Deal, b, &self.vis)?;
                (
                    j,
                    format!(", coalesce(a.grp, '(none)') AS \"{b}\""),
                    format!(", {e} AS grp"),
                    ", grp",
                )
            }
            None => (String::new(), String::new(), String::new(), ""),
        };
        // Per currency too: amounts of different currencies are never added. In one
        // currency, each open deal's amount is converted on its expected close (today
        // without one).
        let money = s.money("t.amount", "t.currency", "t.expected_close");
        let sql = format!(
            "SELECT s.name AS stage{key}, a.currency AS currency, coalesce(a.n, 0) AS count,
                    {amount} AS amount, {weighted} AS weighted_amount, s.probability AS probability
               FROM stages s
               LEFT JOIN (SELECT t.stage_id AS stage_id{inner_key}, {currency} AS currency,
                                 count(t.id) AS n, sum({money}) AS amount,
                                 {weighted_sum} AS weighted
                            FROM deals t INDEXED BY deals_open_by_stage{join}
                           WHERE t.status = 'open' AND {wh}{dates}
                             AND t.stage_id IN (SELECT id FROM stages WHERE pipeline_id = ?)
                           GROUP BY t.stage_id{group_by}{by_currency}) a ON a.stage_id = s.id
              WHERE s.pipeline_id = ? AND s.deleted_at IS NULL AND s.outcome = 'open'
              ORDER BY s.position{order}, a.currency IS NULL, a.currency",
            order = if by.is_some() { ", 2" } else { "" },
            currency = s.currency("t.currency"),
            by_currency = s.by_currency("t.currency"),
            amount = units("a.amount"),
            weighted = units("a.weighted"),
            weighted_sum = weighted_sum(
                &money,
                "coalesce(t.probability, (SELECT x.probability FROM stages x WHERE x.id = t.stage_id))"
            ),
            // Without a period every open deal counts, with or without an expected close;
            // the condition is left out then (it cost 20 ms on the large dataset).
            dates = if s.from.is_none() && s.to.is_none() {
                ""
            } else {
                "\n                             AND coalesce(t.expected_close, '') BETWEEN ? AND ?"
            },
        );
        if s.from.is_some() || s.to.is_some() {
            params.extend([SqlValue::Text(s.from()), SqlValue::Text(s.to())]);
        }
        params.extend([SqlValue::Integer(pipeline), SqlValue::Integer(pipeline)]);
        self.converting(s, || self.rows(&sql, params))
    }

    /// Open deals by expected-close period (best case and weighted), and the deals won in
    /// each period.
    pub fn report_forecast(&self, s: &Scope<'_>, period: &str) -> Result<Vec<Row>> {
        let (wh, p) = self.filtered(Entity::Deal, s.filter, false, &s.ctx)?;
        let open_p = period_sql(period, "day")?;
        let won_p = period_sql(period, "date(t.closed_at, 'localtime')")?;
        let (closed, closed_params) = s.stamp_in("t.closed_at");
        // In one currency, an open deal's amount is converted on its expected close, a won
        // deal's on the day it was won.
        let open_money = s.money("t.amount", "t.currency", "t.expected_close");
        let won_money = s.money("t.amount", "t.currency", "date(t.closed_at, 'localtime')");
        let currency = s.currency("t.currency");
        let (hundreds, rest) = weighted_parts(
            &open_money,
            "coalesce(t.probability, (SELECT s.probability FROM stages s WHERE s.id = t.stage_id), 0)",
        );
        // Per period and currency: amounts of different currencies are never added. The open
        // deals are summed per currency and day first, in the order of their index, then per
        // period. Both halves read covering indexes; without being told, SQLite reads the won deals
        // through deals_by_closed and each row of the table (2.4 times as long on the large
        // dataset).
        let sql = format!(
            "WITH d AS (SELECT t.expected_close AS day, {currency} AS currency, count(*) AS n,
                               sum({open_money}) AS best, {hundreds} AS hundreds, {rest} AS rest
                          FROM deals t INDEXED BY deals_open_by_close
                         WHERE {wh} AND t.status = 'open' AND t.expected_close BETWEEN ? AND ?
                         GROUP BY {group}t.expected_close),
                  o AS (SELECT {open_p} AS period, currency, sum(n) AS n, sum(best) AS best,
                               {weighted_sum} AS weighted
                          FROM d GROUP BY 1, 2),
                  w AS (SELECT {won_p} AS period, {currency} AS currency, count(*) AS n,
                               sum({won_money}) AS amount
                          FROM deals t INDEXED BY deals_live_by_closed
                         WHERE {wh} AND t.status = 'won' AND {closed} GROUP BY 1, 2)
             SELECT ps.period AS period, ps.currency AS currency, coalesce(o.n, 0) AS open_deals,
                    {best} AS best_case, {weighted} AS weighted, coalesce(w.n, 0) AS won_deals,
                    {won} AS won_amount
               FROM (SELECT period, currency FROM o UNION SELECT period, currency FROM w) ps
               LEFT JOIN o ON o.period = ps.period AND o.currency IS ps.currency
               LEFT JOIN w ON w.period = ps.period AND w.currency IS ps.currency
              WHERE ps.period IS NOT NULL
              ORDER BY ps.period, ps.currency IS NULL, ps.currency",
            group = if s.convert.is_some() {
                ""
            } else {
                "t.currency, "
            },
            weighted_sum = weighted_total("sum(hundreds)", "sum(rest)"),
            best = units("o.best"),
            weighted = units("o.weighted"),
            won = units("w.amount"),
        );
        let mut params = p.clone();
        params.extend([SqlValue::Text(s.from()), SqlValue::Text(s.to())]);
        params.extend(p);
        params.extend(closed_params);
        self.converting(s, || self.rows(&sql, params))
    }

    /// Per stage of a pipeline: how many deals entered it in the period, and the average
    /// days deals stayed in it (from entering it to entering the next).
    ///
    /// One pass over the stage history in each deal's order (the index
    /// `deal_stage_history_by_deal_id` holds it all): a change counts for its stage when made
    /// in the period; `advanced` when the deal later went on to a further stage of this
    /// pipeline (not lost); its days run to the deal's next change. The average is summed as
    /// SQLite's `avg` does, in the same order, and rounded by SQLite.
    pub fn report_funnel_stages(&self, s: &Scope<'_>, pipeline: i64) -> Result<Vec<Row>> {
        let (wh, p) = self.filtered(Entity::Deal, s.filter, false, &s.ctx)?;
        // The deals the filter keeps, in id order.
        let mut stmt = self.conn.prepare(&format!(
            "SELECT t.id FROM deals t WHERE {wh} ORDER BY t.id"
        ))?;
        let deals = stmt
            .query_map(rusqlite::params_from_iter(p), |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;

        // Every stage a deal may have gone to: the position of those of this pipeline that
        // are not lost (a step forward when further on).
        let mut onward: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, position FROM stages WHERE pipeline_id = ?1 AND outcome <> 'lost'",
        )?;
        for r in stmt.query_map([pipeline], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })? {
            let (id, pos) = r?;
            onward.insert(id, pos);
        }
        // The stages reported, in order.
        struct Stage {
            id: i64,
            name: Cell,
            outcome: String,
            position: i64,
            entered: i64,
            advanced: i64,
            days: Avg,
        }
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.name, s.outcome, s.position FROM stages s
              WHERE s.pipeline_id = ?1 AND s.deleted_at IS NULL ORDER BY s.position",
        )?;
        let mut stages = stmt
            .query_map([pipeline], |r| {
                Ok(Stage {
                    id: r.get(0)?,
                    name: value_of(r.get_ref(1)?),
                    outcome: r.get(2)?,
                    position: r.get(3)?,
                    entered: 0,
                    advanced: 0,
                    days: Avg::default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let index: std::collections::HashMap<i64, usize> = stages
            .iter()
            .enumerate()
            .map(|(i, st)| (st.id, i))
            .collect();

        // The changes, deal by deal, each deal's in the order they were made.
        let bounded = s.from.is_some() || s.to.is_some();
        let sql = format!(
            "SELECT h.deal_id, h.to_stage_id, julianday(h.at){}
               FROM deal_stage_history h INDEXED BY deal_stage_history_by_deal_id
              ORDER BY h.deal_id, h.id",
            if bounded {
                ", date(h.at, 'localtime') BETWEEN ?1 AND ?2"
            } else {
                ""
            }
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let params = if bounded {
            vec![SqlValue::Text(s.from()), SqlValue::Text(s.to())]
        } else {
            vec![]
        };
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        // (stage, julian day, in the period) of the current deal's changes.
        let mut changes: Vec<(i64, Option<f64>, bool)> = Vec::new();
        let mut current: Option<i64> = None;
        let mut next_deal = 0;
        let mut tally = |changes: &mut Vec<(i64, Option<f64>, bool)>| {
            // Per reported stage, whether the deal entered it / advanced from it.
            let mut entered: Vec<(usize, bool)> = Vec::new();
            let mut later: Option<i64> = None;
            let mut furthest = vec![None; changes.len()];
            for (i, c) in changes.iter().enumerate().rev() {
                furthest[i] = later;
                if let Some(&pos) = onward.get(&c.0) {
                    later = Some(later.map_or(pos, |l: i64| l.max(pos)));
                }
            }
            for (i, &(sid, jd, in_period)) in changes.iter().enumerate() {
                let Some(&k) = index.get(&sid) else { continue };
                if !in_period {
                    continue;
                }
                let st = &mut stages[k];
                let adv = furthest[i].is_some_and(|l| l > st.position);
                match entered.iter_mut().find(|(j, _)| *j == k) {
                    Some(e) => e.1 |= adv,
                    None => entered.push((k, adv)),
                }
                let next = changes.get(i + 1).and_then(|n| n.1);
                if let (Some(a), Some(b)) = (jd, next) {
                    st.days.add(b - a);
                }
            }
            for (k, adv) in entered {
                stages[k].entered += 1;
                stages[k].advanced += i64::from(adv);
            }
            changes.clear();
        };
        while let Some(r) = rows.next()? {
            let deal: i64 = r.get(0)?;
            if current != Some(deal) {
                tally(&mut changes);
                current = Some(deal);
            }
            // Skip the changes of deals the filter leaves out (both lists are in id order).
            while next_deal < deals.len() && deals[next_deal] < deal {
                next_deal += 1;
            }
            if deals.get(next_deal) != Some(&deal) {
                continue;
            }
            let jd: Option<f64> = r.get(2)?;
            let in_period = if bounded {
                r.get::<_, Option<i64>>(3)? == Some(1)
            } else {
                // Unbounded: any date the change has is in the period.
                jd.is_some()
            };
            changes.push((r.get(1)?, jd, in_period));
        }
        tally(&mut changes);
        drop(rows);

        let mut round = self.conn.prepare("SELECT round(?1, 1)")?;
        let mut out = Vec::with_capacity(stages.len());
        for st in &stages {
            let mut m = Row::new();
            m.insert("stage", st.name.clone());
            m.insert("outcome", Cell::from(st.outcome.clone()));
            m.insert("entered", Cell::from(st.entered));
            m.insert(
                "advanced",
                if st.outcome == "open" {
                    Cell::from(st.advanced)
                } else {
                    Cell::Null
                },
            );
            let avg = match st.days.get() {
                Some(a) => round.query_row([a], |r| Ok(value_of(r.get_ref(0)?)))?,
                None => Cell::Null,
            };
            m.insert("avg_days", avg);
            out.push(m);
        }
        Ok(out)
    }

    /// Deals closed in the period: won and lost, and the average days from creation to a win.
    pub fn report_closed(&self, s: &Scope<'_>, pipeline: i64) -> Result<Row> {
        let (wh, mut p) = self.filtered(Entity::Deal, s.filter, false, &s.ctx)?;
        let (closed, closed_params) = s.stamp_in("t.closed_at");
        // A deal entered already closed (imported history) has no known start: it does not
        // count towards the sales cycle.
        let sql = format!(
            "SELECT coalesce(sum(t.status = 'won'), 0) AS won, coalesce(sum(t.status = 'lost'), 0) AS lost,
                    round(avg(CASE WHEN t.status = 'won' AND t.closed_at > t.created_at
                             THEN julianday(t.closed_at) - julianday(t.created_at) END), 1) AS avg_cycle_days
               FROM deals t WHERE {wh} AND t.status IN ('won', 'lost') AND t.pipeline_id = ?
                AND {closed}"
        );
        p.push(SqlValue::Integer(pipeline));
        p.extend(closed_params);
        Ok(self.rows(&sql, p)?.into_iter().next().unwrap_or_default())
    }

    /// Won and lost deals (closed in the period) per value of a field; per product or
    /// product category of their lines with `by` `product` or `category` (unless deals
    /// have a custom field of that name): [`Reader::report_winloss_by_lines`].
    pub fn report_winloss(&self, s: &Scope<'_>, by: &str) -> Result<Vec<Row>> {
        if LINE_GROUPS.contains(&by) && self.custom.field(Entity::Deal, by).is_none() {
            return self.report_winloss_by_lines(s, by);
        }
        let (wh, mut p) = self.filtered(Entity::Deal, s.filter, false, &s.ctx)?;
        let (join, expr) = group(self.custom, Entity::Deal, by, &self.vis)?;
        let (closed, closed_params) = s.stamp_in("t.closed_at");
        // In one currency, a deal's amount is converted on the day it closed.
        let money = s.money("t.amount", "t.currency", "date(t.closed_at, 'localtime')");
        let currency = s.currency("t.currency");
        let sql = format!(
            "SELECT {expr} AS \"{by}\", {currency} AS currency, sum(t.status = 'won') AS won,
                    sum(t.status = 'lost') AS lost,
                    {won} AS won_amount, {lost} AS lost_amount
               FROM deals t{join} WHERE {wh} AND t.status IN ('won', 'lost') AND {closed}
              GROUP BY 1, 2 ORDER BY {by_currency}won_amount DESC, 1",
            // In one currency the rows are not ordered by it (a constant there would be
            // read as a column's number).
            by_currency = if s.convert.is_some() {
                ""
            } else {
                "t.currency IS NULL, t.currency, "
            },
            won = units(&format!("sum(CASE WHEN t.status = 'won' THEN {money} END)")),
            lost = units(&format!(
                "sum(CASE WHEN t.status = 'lost' THEN {money} END)"
            )),
        );
        p.extend(closed_params);
        self.converting(s, || self.rows(&sql, p))
    }

    /// Won and lost deals (closed in the period) per product (`by` `product`) or product
    /// category (`category`) of their lines. A deal counts once in each group its lines
    /// are in, with the sum of the nets of those lines; a line without a product, a product
    /// without a category, and a deal without lines (with its amount) are in `(none)`. So
    /// the groups' counts may add up to more than the deals, and their amounts add up to
    /// the deals' amounts (a deal with lines has their nets as its amount).
    pub fn report_winloss_by_lines(&self, s: &Scope<'_>, by: &str) -> Result<Vec<Row>> {
        let (wh, mut p) = self.filtered(Entity::Deal, s.filter, false, &s.ctx)?;
        let (closed, closed_params) = s.stamp_in("t.closed_at");
        let key = match by {
            "category" => "coalesce(nullif(pr.category, ''), '(none)')".to_string(),
            _ => format!(
                "coalesce({}, '(none)')",
                super::query::label_seen(Entity::Product, "l.product_id", &self.vis)
            ),
        };
        let join = match by {
            "category" => " LEFT JOIN products pr ON pr.id = l.product_id",
            _ => "",
        };
        // In one currency, a group's value in a deal is converted on the day the deal
        // closed.
        let money = s.money("g.value", "g.stored", "g.day");
        let sql = format!(
            "WITH d AS (SELECT t.id AS id, t.status AS status, {currency} AS currency,
                               t.currency AS stored, t.amount AS amount,
                               date(t.closed_at, 'localtime') AS day
                          FROM deals t WHERE {wh} AND t.status IN ('won', 'lost') AND {closed}),
                  g AS (SELECT d.id AS id, d.status AS status, d.currency AS currency,
                               d.stored AS stored, d.day AS day, {key} AS grp,
                               sum(l.net) AS value
                          FROM d JOIN lines l ON l.deal_id = d.id AND l.deleted_at IS NULL{join}
                         GROUP BY d.id, grp
                        UNION ALL
                        SELECT d.id, d.status, d.currency, d.stored, d.day, '(none)', d.amount
                          FROM d
                         WHERE NOT EXISTS (SELECT 1 FROM lines l
                                            WHERE l.deal_id = d.id AND l.deleted_at IS NULL))
             SELECT g.grp AS \"{by}\", g.currency AS currency, sum(g.status = 'won') AS won,
                    sum(g.status = 'lost') AS lost, {won} AS won_amount, {lost} AS lost_amount
               FROM g GROUP BY 1, 2
              ORDER BY g.currency IS NULL, g.currency, won_amount DESC, 1",
            currency = s.currency("t.currency"),
            won = units(&format!("sum(CASE WHEN g.status = 'won' THEN {money} END)")),
            lost = units(&format!(
                "sum(CASE WHEN g.status = 'lost' THEN {money} END)"
            )),
        );
        p.extend(closed_params);
        self.converting(s, || self.rows(&sql, p))
    }

    /// Activities per value of a field (owner) and period, by kind.
    pub fn report_activity(&self, s: &Scope<'_>, by: &str, period: &str) -> Result<Vec<Row>> {
        if by == "owner" && s.filter.terms.is_empty() && self.sees_all() {
            return self.report_activity_by_owner(s, period);
        }
        let (wh, mut p) = self.filtered(Entity::Activity, s.filter, false, &s.ctx)?;
        let (join, expr) = group(self.custom, Entity::Activity, by, &self.vis)?;
        let f = self
            .custom
            .field(Entity::Activity, by)
            .expect("checked by group");
        // First count per value, day and kind (cheap keys, in index order for the owner);
        // then the grouping expression and the period over those few rows. A custom field's
        // value is read there from the row's custom values, carried whole.
        let (key, col) = if f.custom {
            ("t.custom".to_string(), "custom".to_string())
        } else {
            let col = f.column();
            let key = match f.ty {
                Ty::Text | Ty::Ref(_) | Ty::Tags | Ty::List { .. } => format!("t.\"{col}\""),
                _ => format!("CAST(t.\"{col}\" AS TEXT)"),
            };
            (key, col)
        };
        let per = period_sql(period, "t.day_")?;
        let sql = format!(
            "SELECT {expr} AS \"{by}\", {per} AS period,
                    sum(CASE WHEN t.kind_ = 'call' THEN t.n_ ELSE 0 END) AS calls,
                    sum(CASE WHEN t.kind_ = 'visit' THEN t.n_ ELSE 0 END) AS visits,
                    sum(CASE WHEN t.kind_ = 'meeting' THEN t.n_ ELSE 0 END) AS meetings,
                    sum(CASE WHEN t.kind_ = 'email' THEN t.n_ ELSE 0 END) AS emails,
                    sum(CASE WHEN t.kind_ = 'note' THEN t.n_ ELSE 0 END) AS notes,
                    sum(t.n_) AS total
               FROM (SELECT {key} AS \"{col}\", substr(t.at, 1, 10) AS day_, t.kind AS kind_,
                            count(*) AS n_
                       FROM activities t WHERE {wh} AND t.at >= ? AND t.at < ?
                      GROUP BY 1, 2, 3) t{join}
              GROUP BY 1, 2 ORDER BY 2, 1"
        );
        p.extend([SqlValue::Text(s.from()), SqlValue::Text(s.after())]);
        self.rows(&sql, p)
    }

    /// [`Reader::report_activity`] per owner, unfiltered: the periods are ranges of days
    /// and each owner's activities of a kind in a period one range of an index
    /// (`activities_by_owner_kind`), counted there without reading the activities.
    fn report_activity_by_owner(&self, s: &Scope<'_>, period: &str) -> Result<Vec<Row>> {
        let per = period_sql(period, "d")?;
        let count = |kind: &str| {
            format!(
                "(SELECT count(*) FROM activities x INDEXED BY activities_by_owner_kind
                   WHERE x.owner IS o.owner AND x.kind = '{kind}' AND x.deleted_at IS NULL
                     AND x.at >= p.lo AND x.at < p.hi)"
            )
        };
        let sql = format!(
            "WITH RECURSIVE
                  b(lo, hi) AS (SELECT substr((SELECT min(at) FROM activities
                                                WHERE deleted_at IS NULL AND at >= ?1 AND at < ?2), 1, 10),
                                       substr((SELECT max(at) FROM activities
                                                WHERE deleted_at IS NULL AND at >= ?1 AND at < ?2), 1, 10)),
                  days(d) AS (SELECT lo FROM b
                              UNION ALL SELECT date(d, '+1 day') FROM days, b WHERE d < hi),
                  p AS (SELECT {per} AS period, max(min(d), ?1) AS lo,
                               min(date(max(d), '+1 day'), ?2) AS hi
                          FROM days WHERE d IS NOT NULL GROUP BY 1),
                  o(owner) AS (SELECT (SELECT min(owner) FROM activities INDEXED BY activities_by_owner_kind
                                        WHERE deleted_at IS NULL)
                               UNION ALL
                               SELECT (SELECT min(x.owner) FROM activities x INDEXED BY activities_by_owner_kind
                                        WHERE x.deleted_at IS NULL AND x.owner > o.owner)
                                 FROM o WHERE o.owner IS NOT NULL),
                  os(owner) AS (SELECT owner FROM o WHERE owner IS NOT NULL
                                UNION ALL
                                SELECT NULL WHERE EXISTS (SELECT 1 FROM activities INDEXED BY activities_by_owner_kind
                                                           WHERE owner IS NULL AND deleted_at IS NULL)),
                  c AS MATERIALIZED (SELECT coalesce(CAST(o.owner AS TEXT), '(none)') AS owner, p.period AS period,
                               {calls} AS calls, {visits} AS visits, {meetings} AS meetings,
                               {emails} AS emails, {notes} AS notes
                          FROM os o, p)
             SELECT owner AS \"owner\", period, sum(calls) AS calls, sum(visits) AS visits,
                    sum(meetings) AS meetings, sum(emails) AS emails, sum(notes) AS notes,
                    sum(calls + visits + meetings + emails + notes) AS total
               FROM c GROUP BY 1, 2 HAVING total > 0 ORDER BY 2, 1",
            calls = count("call"),
            visits = count("visit"),
            meetings = count("meeting"),
            emails = count("email"),
            notes = count("note"),
        );
        self.rows(
            &sql,
            vec![SqlValue::Text(s.from()), SqlValue::Text(s.after())],
        )
    }

    /// Per account tier: how many accounts (not lost; customers, prospects, partners,
    /// distributors), how many were visited in the period, and how many had any activity.
    pub fn report_coverage(&self, s: &Scope<'_>) -> Result<Vec<Row>> {
        let now = crate::core::dates::iso_seconds(s.ctx.now);
        let range = [s.from(), s.after(), now];
        // The accounts visited: one pass over the visits, in account order.
        let mut stmt = self.conn.prepare(&format!(
            "SELECT v.account_id FROM activities v INDEXED BY activities_visits_by_account
              WHERE v.account_id IS NOT NULL AND v.deleted_at IS NULL AND v.kind = 'visit'
                AND v.at >= ?1 AND v.at < ?2 AND v.at <= ?3{}
              GROUP BY v.account_id ORDER BY v.account_id",
            self.seen(Entity::Activity, "v")
        ))?;
        let visited = stmt
            .query_map(rusqlite::params_from_iter(&range), |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        // Only the accounts not visited are looked up for any other activity.
        let mut touched = self.conn.prepare(&format!(
            "SELECT EXISTS (SELECT 1 FROM activities x WHERE x.account_id = ?4 AND x.deleted_at IS NULL
                               AND x.at >= ?1 AND x.at < ?2 AND x.at <= ?3{})",
            self.seen(Entity::Activity, "x")
        ))?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT a.id, coalesce(a.tier, '(none)') FROM accounts a
              WHERE a.deleted_at IS NULL AND a.status <> 'lost'
                AND a.type IN ('customer', 'prospect', 'partner', 'distributor'){}
              ORDER BY a.id",
            self.seen(Entity::Account, "a")
        ))?;
        // Per tier (in order): accounts, visited, touched.
        let mut tiers: std::collections::BTreeMap<String, [i64; 3]> =
            std::collections::BTreeMap::new();
        let mut rows = stmt.query([])?;
        let mut next = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let tier: String = r.get(1)?;
            while next < visited.len() && visited[next] < id {
                next += 1;
            }
            let was_visited = visited.get(next) == Some(&id);
            let was_touched = was_visited
                || touched.query_row(rusqlite::params![range[0], range[1], range[2], id], |r| {
                    r.get::<_, bool>(0)
                })?;
            let t = tiers.entry(tier).or_default();
            t[0] += 1;
            t[1] += i64::from(was_visited);
            t[2] += i64::from(was_touched);
        }
        Ok(tiers
            .into_iter()
            .map(|(tier, [n, v, t])| {
                let mut m = Row::new();
                m.insert("tier", Cell::from(tier));
                m.insert("accounts", Cell::from(n));
                m.insert("visited", Cell::from(v));
                m.insert("touched", Cell::from(t));
                m
            })
            .collect())
    }

    /// The accounts the filter keeps, by id, each with its latest activity at or before
    /// now (local ISO date-time); their deals come from [`Reader::customer_deals`] and are
    /// put beside them by [`with_deals`].
    pub fn customer_accounts(&self, s: &Scope<'_>) -> Result<Vec<Customer>> {
        let (wh, p) = self.filtered(Entity::Account, s.filter, false, &s.ctx)?;
        let (join, latest) =
            super::query::latest_activity(Entity::Account, "t.id", "?1", &self.vis);
        let sql = format!(
            "SELECT t.id, t.name, t.tier, {latest} FROM accounts t {join} WHERE {wh} ORDER BY t.id"
        );
        let sql = renumber(&sql, 1);
        let now = crate::core::dates::iso_seconds(s.ctx.now);
        let mut params = vec![SqlValue::Text(now)];
        params.extend(p);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok(Customer {
                account_id: r.get(0)?,
                name: r.get(1)?,
                tier: r.get(2)?,
                last_activity: r.get(3)?,
                ..Customer::default()
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Per account with live deals, by id: how many deals, and the revenue, profit and day
    /// of the last win of those won in the period. The deals are read once, in account
    /// order, from an index holding all that is needed (`deals_live_by_account`), and
    /// summed here — no join, no date conversion per deal.
    pub fn customer_deals(&self, s: &Scope<'_>) -> Result<Vec<CustomerDeals>> {
        // closed_at is a UTC stamp: won in the period is closed_at in [lo, hi).
        let (lo, hi) = s.stamp_bounds();
        let in_period = |closed: &str| {
            lo.as_deref().is_none_or(|lo| closed >= lo)
                && hi.as_deref().is_none_or(|hi| closed < hi)
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT account_id, status = 'won', closed_at, amount, cost, currency
               FROM deals INDEXED BY deals_live_by_account
              WHERE deleted_at IS NULL AND account_id IS NOT NULL{}
              ORDER BY account_id",
            self.seen(Entity::Deal, "deals")
        ))?;
        let mut rows = stmt.query([])?;
        let mut out: Vec<CustomerDeals> = Vec::new();
        // The account being summed: its live deals, and per currency of its wins the
        // revenue, profit, wins and the last win's stamp (exact sums, never across
        // currencies).
        struct Won {
            currency: Option<String>,
            revenue: Money,
            profit: Money,
            wins: i64,
            last: Option<String>,
        }
        let mut account: Option<i64> = None;
        let mut deals = 0;
        let mut won: Vec<Won> = Vec::new();
        let finish = |out: &mut Vec<CustomerDeals>, id: i64, deals: i64, won: &mut Vec<Won>| {
            if won.is_empty() {
                out.push(CustomerDeals {
                    account_id: id,
                    deals,
                    ..CustomerDeals::default()
                });
            }
            won.sort_by(|a, b| {
                (a.currency.is_none(), &a.currency).cmp(&(b.currency.is_none(), &b.currency))
            });
            for w in won.drain(..) {
                out.push(CustomerDeals {
                    account_id: id,
                    currency: w.currency,
                    deals,
                    won_deals: w.wins,
                    won_amount: w.revenue.to_f64(),
                    profit: w.profit.to_f64(),
                    last_won: w.last.and_then(|t| local_day(&t)),
                });
            }
        };
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if account != Some(id) {
                if let Some(prev) = account {
                    finish(&mut out, prev, deals, &mut won);
                }
                account = Some(id);
                deals = 0;
            }
            deals += 1;
            let is_won: Option<bool> = r.get(1)?;
            let closed = r.get_ref(2)?.as_str_or_null().ok().flatten();
            let Some(closed) = closed.filter(|c| is_won == Some(true) && in_period(c)) else {
                continue;
            };
            let stored = r.get_ref(5)?.as_str_or_null().ok().flatten();
            // In one currency, the amount and cost of a win are converted on the day it
            // was won.
            let currency = match &s.convert {
                Some(c) => Some(c.to.as_str()),
                None => stored,
            };
            let convert = |minor: i64| -> Result<Money> {
                Ok(Money::from_minor(match &s.convert {
                    Some(c) => {
                        let day = crate::core::dates::local_day(closed).unwrap_or(s.ctx.now.date());
                        c.minor(minor, stored, day)?
                    }
                    None => minor,
                }))
            };
            let at = match won.iter().position(|w| w.currency.as_deref() == currency) {
                Some(at) => at,
                None => {
                    won.push(Won {
                        currency: currency.map(str::to_string),
                        revenue: Money::ZERO,
                        profit: Money::ZERO,
                        wins: 0,
                        last: None,
                    });
                    won.len() - 1
                }
            };
            let w = &mut won[at];
            w.wins += 1;
            if let Some(amount) = r.get::<_, Option<i64>>(3)? {
                let cost = r.get::<_, Option<i64>>(4)?.unwrap_or(0);
                let (amount, cost) = (convert(amount)?, convert(cost)?);
                w.revenue += amount;
                w.profit += amount - cost;
            }
            if w.last.as_deref().is_none_or(|last| closed > last) {
                w.last = Some(closed.to_string());
            }
        }
        if let Some(prev) = account {
            finish(&mut out, prev, deals, &mut won);
        }
        Ok(out)
    }

    /// Leads made in the period per value of a field (source), by status.
    pub fn report_leads(&self, s: &Scope<'_>, by: &str) -> Result<Vec<Row>> {
        let (wh, mut p) = self.filtered(Entity::Lead, s.filter, false, &s.ctx)?;
        let (join, expr) = group(self.custom, Entity::Lead, by, &self.vis)?;
        let sql = format!(
            "SELECT {expr} AS \"{by}\", count(*) AS leads,
                    sum(t.status = 'new') AS new, sum(t.status = 'contacted') AS contacted,
                    sum(t.status = 'qualified') AS qualified, sum(t.status = 'converted') AS converted,
                    sum(t.status = 'disqualified') AS disqualified
               FROM leads t{join} WHERE {wh} AND date(t.created_at, 'localtime') BETWEEN ? AND ?
              GROUP BY 1 ORDER BY leads DESC, 1"
        );
        p.extend([SqlValue::Text(s.from()), SqlValue::Text(s.to())]);
        self.rows(&sql, p)
    }
}

/// A column's value in a report row: reals to two places.
fn value_of(v: ValueRef<'_>) -> Cell {
    match v {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(x) => Cell::Int(x),
        ValueRef::Real(x) => Cell::from((x * 100.0).round() / 100.0),
        ValueRef::Text(t) => Cell::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => Cell::Null,
    }
}

/// An average of reals as SQLite's `avg` makes it: a Kahan-Babuska-Neumaier sum.
#[derive(Debug, Default, Clone, Copy)]
struct Avg {
    sum: f64,
    err: f64,
    n: i64,
}

impl Avg {
    fn add(&mut self, r: f64) {
        let s = self.sum;
        let t = s + r;
        if s.abs() > r.abs() {
            self.err += (s - t) + r;
        } else {
            self.err += (r - t) + s;
        }
        self.sum = t;
        self.n += 1;
    }

    fn get(&self) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let mut r = self.sum;
        if self.err.is_finite() {
            r += self.err;
        }
        Some(r / self.n as f64)
    }
}

/// Number a filter's `?` parameters after the query's own `?1`…`?n`.
fn renumber(sql: &str, after: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = after;
    let mut chars = sql.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_str = !in_str;
        }
        if c == '?' && !in_str && !chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            n += 1;
            out.push_str(&format!("?{n}"));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_cell_is_24_bytes() {
        assert_eq!(std::mem::size_of::<Cell>(), 24);
    }

    #[test]
    fn deals_go_beside_their_accounts_and_others_are_left_out() {
        let account = |id| Customer {
            account_id: id,
            ..Customer::default()
        };
        let deals = |id, n| CustomerDeals {
            account_id: id,
            currency: None,
            deals: n,
            won_deals: 1,
            won_amount: 10.0 * n as f64,
            profit: 1.0,
            last_won: Some("2026-11-01".into()),
        };
        // Account 2 has no deals; deals of accounts 1, 4 and 9 are not among the accounts.
        let got = with_deals(
            vec![account(2), account(3), account(5)],
            vec![
                deals(1, 7),
                deals(3, 2),
                deals(4, 1),
                deals(5, 3),
                deals(9, 9),
            ],
        );
        let summary: Vec<(i64, i64, f64)> = got
            .iter()
            .map(|c| (c.account_id, c.deals, c.won_amount))
            .collect();
        assert_eq!(summary, vec![(2, 0, 0.0), (3, 2, 20.0), (5, 3, 30.0)]);
        assert_eq!(got[1].last_won.as_deref(), Some("2026-11-01"));
        assert_eq!(got[0].last_won, None);
    }
    use super::*;

    #[test]
    fn a_row_keeps_its_columns_in_order_like_a_map() {
        let mut r = Row::new();
        r.push("b", Cell::from(1));
        r.insert("a", Cell::from("x"));
        r.insert(String::from("b"), Cell::from(2));
        assert_eq!(r.keys().collect::<Vec<_>>(), vec!["b", "a"]);
        assert_eq!(r["b"], Cell::from(2));
        assert_eq!(r["missing"], Cell::Null);
        assert_eq!(r.get_at(1, "a"), Some(&Cell::from("x")));
        assert_eq!(
            r.get_at(0, "a"),
            Some(&Cell::from("x")),
            "found by name elsewhere"
        );
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"b":2,"a":"x"}"#);
        assert_eq!(r.remove("b"), Some(Cell::from(2)));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn sums_add_up_as_sqlite_sum_does() {
        // The customers report sums in Rust what the other reports sum in SQL: amounts in
        // minor units, so both are the same exact integers (floats were not).
        use crate::core::money::Money;
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE v (x INTEGER)").unwrap();
        let values = [
            "1e10",
            "1",
            "0.1",
            "0.2",
            "0.0033",
            "123456789.123",
            "19.99",
        ];
        let mut sum = Money::ZERO;
        for x in values {
            let m = Money::parse(x).unwrap();
            conn.execute("INSERT INTO v VALUES (?1)", [m.minor()])
                .unwrap();
            sum += m;
        }
        let sqlite: i64 = conn
            .query_row("SELECT sum(x) FROM v", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sum.minor(), sqlite);
        assert_eq!(sum.plain(), "10123456810.4163");
    }

    #[test]
    fn unnumbered_parameters_follow_the_numbered_ones() {
        assert_eq!(
            renumber("a = ?1 AND b = ? AND c LIKE '?' AND d = ?", 1),
            "a = ?1 AND b = ?2 AND c LIKE '?' AND d = ?3"
        );
    }

    #[test]
    fn weeks_are_iso_weeks() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let week = |d: &str| -> String {
            c.query_row(
                &format!("SELECT {}", period_sql("week", &format!("'{d}'")).unwrap()),
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(week("2026-11-22"), "2026-W47");
        assert_eq!(week("2026-01-01"), "2026-W01");
        assert_eq!(week("2027-01-01"), "2026-W53");
    }

    #[test]
    fn periods() {
        assert_eq!(period_sql("month", "x").unwrap(), "substr(x, 1, 7)");
        assert!(period_sql("fortnight", "x").is_err());
    }
}
