//! The SQL of the reports: every count and sum is computed by SQLite over indexed columns,
//! and only the aggregated rows come back. Dates: a closed deal counts on the local date of
//! `closed_at`; open deals by `expected_close`; activities by their local `at`; stage
//! changes by the local date they happened.

use rusqlite::types::{Value as SqlValue, ValueRef};
use serde_json::{Map, Value};

use super::query::{label_of, where_clause, QueryCtx, Reader};
use crate::error::{Error, Result};
use crate::model::{Entity, Ty};
use crate::query::Filter;

/// One aggregated row: column name → value, in order.
pub type Row = Map<String, Value>;

/// What every report is narrowed by.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// Filter-language terms on the report's records.
    pub filter: &'a Filter,
    /// First and last day (local, inclusive), as YYYY-MM-DD; None: unbounded.
    pub from: Option<String>,
    pub to: Option<String>,
    pub ctx: QueryCtx,
}

impl Scope<'_> {
    fn from(&self) -> String {
        self.from.clone().unwrap_or_else(|| "0000-01-01".into())
    }
    fn to(&self) -> String {
        self.to.clone().unwrap_or_else(|| "9999-12-31".into())
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

/// How to group by a field of `entity`: a join (for tags) and the expression.
fn group(entity: Entity, field: &str) -> Result<(String, String)> {
    let f = entity.field(field).ok_or_else(|| {
        Error::invalid(format!(
            "--by: {} have no field '{field}'; fields are: {}",
            entity.plural(),
            entity.field_names().join(", ")
        ))
    })?;
    let col = format!("t.\"{}\"", f.column());
    // Records without a value (no owner, no tags) form their own group, "(none)".
    Ok(match f.ty {
        Ty::Tags | Ty::List { .. } => (
            format!(" LEFT JOIN json_each({col}) g"),
            "coalesce(g.value, '(none)')".into(),
        ),
        Ty::Ref(target) => (
            String::new(),
            format!("coalesce({}, '(none)')", label_of(target, &col)),
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
            return Err(Error::invalid(format!(
                "--by: '{other}' is not a period; use day, week, month, quarter or year"
            )))
        }
    })
}

impl Reader<'_> {
    fn rows(&self, sql: &str, params: Vec<SqlValue>) -> Result<Vec<Row>> {
        let mut stmt = self.conn.prepare(sql)?;
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            let mut m = Map::new();
            for (i, n) in names.iter().enumerate() {
                let v = match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(x) => Value::from(x),
                    ValueRef::Real(x) => serde_json::Number::from_f64((x * 100.0).round() / 100.0)
                        .map(Value::Number)
                        .unwrap_or(Value::Null),
                    ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => Value::Null,
                };
                m.insert(n.clone(), v);
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
        let (wh, mut params) = where_clause(Entity::Deal, s.filter, false, &s.ctx)?;
        let (join, key) = match by {
            Some(b) => {
                let (j, e) = group(Entity::Deal, b)?;
                (
                    j.replace(" JOIN ", " LEFT JOIN "),
                    format!(", {e} AS \"{b}\""),
                )
            }
            None => (String::new(), String::new()),
        };
        let sql = format!(
            "SELECT s.name AS stage{key}, count(t.id) AS count, coalesce(sum(t.amount), 0.0) AS amount,
                    coalesce(sum(t.amount * coalesce(t.probability, s.probability) / 100.0), 0.0) AS weighted_amount,
                    s.probability AS probability
               FROM stages s
               LEFT JOIN deals t ON t.stage_id = s.id AND t.status = 'open' AND {wh}
                    AND coalesce(t.expected_close, '') BETWEEN ? AND ?{join}
              WHERE s.pipeline_id = ? AND s.deleted_at IS NULL AND s.outcome = 'open'
              GROUP BY s.id{g} ORDER BY s.position{g}",
            g = if by.is_some() { ", 2" } else { "" }
        );
        let (from, to) = match (&s.from, &s.to) {
            (None, None) => ("".to_string(), "9999-12-31".to_string()),
            _ => (s.from(), s.to()),
        };
        params.extend([
            SqlValue::Text(from),
            SqlValue::Text(to),
            SqlValue::Integer(pipeline),
        ]);
        self.rows(&sql, params)
    }

    /// Open deals by expected-close period (best case and weighted), and the deals won in
    /// each period.
    pub fn report_forecast(&self, s: &Scope<'_>, period: &str) -> Result<Vec<Row>> {
        let (wh, p) = where_clause(Entity::Deal, s.filter, false, &s.ctx)?;
        let open_p = period_sql(period, "t.expected_close")?;
        let won_p = period_sql(period, "date(t.closed_at, 'localtime')")?;
        let sql = format!(
            "WITH o AS (SELECT {open_p} AS period, count(*) AS n, sum(t.amount) AS best,
                               sum(t.amount * coalesce(t.probability,
                                   (SELECT s.probability FROM stages s WHERE s.id = t.stage_id), 0) / 100.0) AS weighted
                          FROM deals t WHERE {wh} AND t.status = 'open' AND t.expected_close BETWEEN ? AND ?
                         GROUP BY 1),
                  w AS (SELECT {won_p} AS period, count(*) AS n, sum(t.amount) AS amount
                          FROM deals t WHERE {wh} AND t.status = 'won'
                           AND date(t.closed_at, 'localtime') BETWEEN ? AND ? GROUP BY 1)
             SELECT ps.period AS period, coalesce(o.n, 0) AS open_deals, coalesce(o.best, 0.0) AS best_case,
                    coalesce(o.weighted, 0.0) AS weighted, coalesce(w.n, 0) AS won_deals,
                    coalesce(w.amount, 0.0) AS won_amount
               FROM (SELECT period FROM o UNION SELECT period FROM w) ps
               LEFT JOIN o ON o.period = ps.period LEFT JOIN w ON w.period = ps.period
              WHERE ps.period IS NOT NULL ORDER BY ps.period"
        );
        let mut params = p.clone();
        params.extend([SqlValue::Text(s.from()), SqlValue::Text(s.to())]);
        params.extend(p);
        params.extend([SqlValue::Text(s.from()), SqlValue::Text(s.to())]);
        self.rows(&sql, params)
    }

    /// Per stage of a pipeline: how many deals entered it in the period, and the average
    /// days deals stayed in it (from entering it to entering the next).
    pub fn report_funnel_stages(&self, s: &Scope<'_>, pipeline: i64) -> Result<Vec<Row>> {
        let (wh, p) = where_clause(Entity::Deal, s.filter, false, &s.ctx)?;
        let sql = format!(
            "WITH h AS (SELECT h.id AS hid, h.deal_id, h.to_stage_id AS sid, h.at,
                               julianday(lead(h.at) OVER (PARTITION BY h.deal_id ORDER BY h.id)) - julianday(h.at) AS days
                          FROM deal_stage_history h JOIN deals t ON t.id = h.deal_id WHERE {wh})
             SELECT s.name AS stage, s.outcome AS outcome,
                    (SELECT count(DISTINCT h.deal_id) FROM h WHERE h.sid = s.id
                        AND date(h.at, 'localtime') BETWEEN ?1 AND ?2) AS entered,
                    CASE WHEN s.outcome = 'open' THEN
                    (SELECT count(DISTINCT h.deal_id) FROM h WHERE h.sid = s.id
                        AND date(h.at, 'localtime') BETWEEN ?1 AND ?2
                        AND EXISTS (SELECT 1 FROM h h2 JOIN stages s2 ON s2.id = h2.sid
                                     WHERE h2.deal_id = h.deal_id AND h2.hid > h.hid
                                       AND s2.pipeline_id = s.pipeline_id
                                       AND s2.position > s.position AND s2.outcome <> 'lost'))
                    END AS advanced,
                    (SELECT round(avg(h.days), 1) FROM h WHERE h.sid = s.id AND h.days IS NOT NULL
                        AND date(h.at, 'localtime') BETWEEN ?1 AND ?2) AS avg_days
               FROM stages s WHERE s.pipeline_id = ?3 AND s.deleted_at IS NULL ORDER BY s.position"
        );
        // The filter's own parameters are numbered after ours.
        let sql = renumber(&sql, 3);
        let mut params = vec![
            SqlValue::Text(s.from()),
            SqlValue::Text(s.to()),
            SqlValue::Integer(pipeline),
        ];
        params.extend(p);
        self.rows(&sql, params)
    }

    /// Deals closed in the period: won and lost, and the average days from creation to a win.
    pub fn report_closed(&self, s: &Scope<'_>, pipeline: i64) -> Result<Row> {
        let (wh, mut p) = where_clause(Entity::Deal, s.filter, false, &s.ctx)?;
        // A deal entered already closed (imported history) has no known start: it does not
        // count towards the sales cycle.
        let sql = format!(
            "SELECT coalesce(sum(t.status = 'won'), 0) AS won, coalesce(sum(t.status = 'lost'), 0) AS lost,
                    round(avg(CASE WHEN t.status = 'won' AND t.closed_at > t.created_at
                             THEN julianday(t.closed_at) - julianday(t.created_at) END), 1) AS avg_cycle_days
               FROM deals t WHERE {wh} AND t.status IN ('won', 'lost') AND t.pipeline_id = ?
                AND date(t.closed_at, 'localtime') BETWEEN ? AND ?"
        );
        p.extend([
            SqlValue::Integer(pipeline),
            SqlValue::Text(s.from()),
            SqlValue::Text(s.to()),
        ]);
        Ok(self.rows(&sql, p)?.into_iter().next().unwrap_or_default())
    }

    /// Won and lost deals (closed in the period) per value of a field.
    pub fn report_winloss(&self, s: &Scope<'_>, by: &str) -> Result<Vec<Row>> {
        let (wh, mut p) = where_clause(Entity::Deal, s.filter, false, &s.ctx)?;
        let (join, expr) = group(Entity::Deal, by)?;
        let sql = format!(
            "SELECT {expr} AS \"{by}\", sum(t.status = 'won') AS won, sum(t.status = 'lost') AS lost,
                    coalesce(sum(CASE WHEN t.status = 'won' THEN t.amount END), 0.0) AS won_amount,
                    coalesce(sum(CASE WHEN t.status = 'lost' THEN t.amount END), 0.0) AS lost_amount
               FROM deals t{join} WHERE {wh} AND t.status IN ('won', 'lost')
                AND date(t.closed_at, 'localtime') BETWEEN ? AND ?
              GROUP BY 1 ORDER BY won_amount DESC, 1"
        );
        p.extend([SqlValue::Text(s.from()), SqlValue::Text(s.to())]);
        self.rows(&sql, p)
    }

    /// Activities per value of a field (owner) and period, by kind.
    pub fn report_activity(&self, s: &Scope<'_>, by: &str, period: &str) -> Result<Vec<Row>> {
        let (wh, mut p) = where_clause(Entity::Activity, s.filter, false, &s.ctx)?;
        let (join, expr) = group(Entity::Activity, by)?;
        let per = period_sql(period, "substr(t.at, 1, 10)")?;
        let sql = format!(
            "SELECT {expr} AS \"{by}\", {per} AS period,
                    sum(t.kind = 'call') AS calls, sum(t.kind = 'visit') AS visits,
                    sum(t.kind = 'meeting') AS meetings, sum(t.kind = 'email') AS emails,
                    sum(t.kind = 'note') AS notes, count(*) AS total
               FROM activities t{join} WHERE {wh} AND t.at >= ? AND t.at < ?
              GROUP BY 1, 2 ORDER BY 2, 1"
        );
        p.extend([SqlValue::Text(s.from()), SqlValue::Text(s.after())]);
        self.rows(&sql, p)
    }

    /// Per account tier: how many accounts (not lost; customers, prospects, partners,
    /// distributors), how many were visited in the period, and how many had any activity.
    pub fn report_coverage(&self, s: &Scope<'_>) -> Result<Vec<Row>> {
        let sql = "SELECT coalesce(a.tier, '(none)') AS tier, count(*) AS accounts,
                    sum(EXISTS (SELECT 1 FROM activities x WHERE x.account_id = a.id AND x.deleted_at IS NULL
                                   AND x.kind = 'visit' AND x.at >= ?1 AND x.at < ?2 AND x.at <= ?3)) AS visited,
                    sum(EXISTS (SELECT 1 FROM activities x WHERE x.account_id = a.id AND x.deleted_at IS NULL
                                   AND x.at >= ?1 AND x.at < ?2 AND x.at <= ?3)) AS touched
               FROM accounts a
              WHERE a.deleted_at IS NULL AND a.status <> 'lost'
                AND a.type IN ('customer', 'prospect', 'partner', 'distributor')
              GROUP BY 1 ORDER BY 1";
        let now = s.ctx.now.format("%Y-%m-%dT%H:%M:%S").to_string();
        self.rows(
            sql,
            vec![
                SqlValue::Text(s.from()),
                SqlValue::Text(s.after()),
                SqlValue::Text(now),
            ],
        )
    }

    /// Per account: revenue and profit of deals won in the period, how many deals, the last
    /// win and the last activity.
    pub fn report_customers(&self, s: &Scope<'_>) -> Result<Vec<Row>> {
        let (wh, p) = where_clause(Entity::Account, s.filter, false, &s.ctx)?;
        let sql = format!(
            "SELECT t.id AS account_id, t.name AS name, t.tier AS tier,
                    coalesce(sum(CASE WHEN d.status = 'won' THEN d.amount END), 0.0) AS won_amount,
                    coalesce(sum(CASE WHEN d.status = 'won' THEN d.amount - coalesce(d.cost, 0) END), 0.0) AS profit,
                    (SELECT count(*) FROM deals x WHERE x.account_id = t.id AND x.deleted_at IS NULL) AS deals,
                    coalesce(sum(d.status = 'won'), 0) AS won_deals,
                    max(CASE WHEN d.status = 'won' THEN date(d.closed_at, 'localtime') END) AS last_won,
                    (SELECT max(x.at) FROM activities x WHERE x.account_id = t.id AND x.deleted_at IS NULL
                        AND x.at <= ?3) AS last_activity
               FROM accounts t
               LEFT JOIN deals d ON d.account_id = t.id AND d.deleted_at IS NULL
                    AND (d.status <> 'won' OR date(d.closed_at, 'localtime') BETWEEN ?1 AND ?2)
              WHERE {wh}
              GROUP BY t.id ORDER BY won_amount DESC, t.id"
        );
        let sql = renumber(&sql, 3);
        let now = s.ctx.now.format("%Y-%m-%dT%H:%M:%S").to_string();
        let mut params = vec![
            SqlValue::Text(s.from()),
            SqlValue::Text(s.to()),
            SqlValue::Text(now),
        ];
        params.extend(p);
        self.rows(&sql, params)
    }

    /// Leads made in the period per value of a field (source), by status.
    pub fn report_leads(&self, s: &Scope<'_>, by: &str) -> Result<Vec<Row>> {
        let (wh, mut p) = where_clause(Entity::Lead, s.filter, false, &s.ctx)?;
        let (join, expr) = group(Entity::Lead, by)?;
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
    use super::*;

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
