//! The SQL of the service-desk report: per group, the cases opened and resolved in the
//! period and open at its end, how many working minutes first responses and resolutions
//! took (as counts per number of minutes, which the percentiles are read from), the SLA
//! clocks met and breached, and the surveys. Every count is SQLite's; only one row per
//! group (and per distinct number of minutes) comes back.
//!
//! A clock is decided once, at one moment: when it was met in time (`responded_at <=
//! respond_due`), at that moment; when it was breached (done late, or still not done), at
//! its deadline, once the deadline has passed. So a clock counts in the period holding
//! that moment, and in no other.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value as SqlValue;

use super::query::{bound, label_seen, Reader};
use super::reports::{Cell, Row, Scope};
use crate::core::error::Result;
use crate::model::{Entity, Ty};

/// The groupings of the service report (`--by`).
pub const SERVICE_GROUPS: [&str; 7] = [
    "type", "priority", "owner", "product", "account", "channel", "month",
];

/// One clock's durations in a group: how many were done in each number of working
/// minutes, fewest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Minutes(pub Vec<(i64, i64)>);

impl Minutes {
    pub fn count(&self) -> i64 {
        self.0.iter().map(|(_, n)| n).sum()
    }

    /// The `i`th duration (from 0) in ascending order.
    fn nth(&self, i: i64) -> Option<i64> {
        let mut seen = 0;
        for (m, n) in &self.0 {
            seen += n;
            if i < seen {
                return Some(*m);
            }
        }
        None
    }

    /// The median: the middle duration, or halfway between the two middle ones.
    pub fn median(&self) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let hi = self.nth(n / 2)?;
        if n % 2 == 1 {
            return Some(hi as f64);
        }
        Some((self.nth(n / 2 - 1)? + hi) as f64 / 2.0)
    }

    /// The 90th percentile by nearest rank: the smallest duration that at least 90 % of
    /// them do not exceed (the ⌈0.9 n⌉th).
    pub fn p90(&self) -> Option<i64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = (9 * n + 9) / 10;
        self.nth(rank - 1)
    }

    fn add(&mut self, minutes: i64, n: i64) {
        match self.0.binary_search_by_key(&minutes, |(m, _)| *m) {
            Ok(i) => self.0[i].1 += n,
            Err(i) => self.0.insert(i, (minutes, n)),
        }
    }
}

/// What the service report counts in one group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Desk {
    pub opened: i64,
    pub resolved: i64,
    pub open_at_end: i64,
    pub response: Minutes,
    pub resolution: Minutes,
    pub response_met: i64,
    pub response_breached: i64,
    pub resolution_met: i64,
    pub resolution_breached: i64,
    pub surveys: i64,
    pub score_sum: i64,
    /// Of the surveys with an NPS answer: how many, those of 9–10 and those of 0–6.
    pub nps_answers: i64,
    pub promoters: i64,
    pub detractors: i64,
}

impl Desk {
    /// This group's counts added to `other`'s (for the total).
    pub fn add(&mut self, o: &Desk) {
        self.opened += o.opened;
        self.resolved += o.resolved;
        self.open_at_end += o.open_at_end;
        for (m, n) in &o.response.0 {
            self.response.add(*m, *n);
        }
        for (m, n) in &o.resolution.0 {
            self.resolution.add(*m, *n);
        }
        self.response_met += o.response_met;
        self.response_breached += o.response_breached;
        self.resolution_met += o.resolution_met;
        self.resolution_breached += o.resolution_breached;
        self.surveys += o.surveys;
        self.score_sum += o.score_sum;
        self.nps_answers += o.nps_answers;
        self.promoters += o.promoters;
        self.detractors += o.detractors;
    }
}

/// The period of a service report as UTC stamps: `[lo, hi)`, and `end`, the earlier of
/// `hi` and now, before which a deadline not met is a breach.
struct Bounds {
    lo: String,
    hi: String,
    end: String,
    /// The period's days, for surveys (dated by day).
    from_day: String,
    to_day: String,
}

/// Per month of the period: its key (2026-05) and the stamp its next month starts at.
type Months = Vec<(String, String)>;

/// Which of the service report's counts a read makes: the report reads them in two
/// halves at once, on two connections, and adds the halves' groups together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskPart {
    /// Opened, resolved (with the resolution minutes) and open at the end.
    Cases,
    /// First responses (with their minutes), breaches and surveys.
    Clocks,
}

impl Reader<'_> {
    /// The service report's counts per group of `by` (None: one group, keyed ""), the
    /// cases being those the scope's filter keeps and this reader may see; `now` is a UTC
    /// stamp. Groups without a value are "(none)". `part` says which counts.
    pub fn report_service(
        &self,
        s: &Scope<'_>,
        by: Option<&str>,
        now: &str,
        part: DeskPart,
    ) -> Result<BTreeMap<String, Desk>> {
        let (cases, clocks) = (part == DeskPart::Cases, part == DeskPart::Clocks);
        let (wh, fp) = self.filtered(Entity::Case, s.filter, false, &s.ctx)?;
        let b = self.bounds(s, now)?;
        let months = match by {
            Some("month") => self.months(&b)?,
            _ => Vec::new(),
        };
        // The group of a case, with the moment the count is dated by (for months).
        let key = |at: &str| -> String {
            match by {
                None => "''".into(),
                Some("month") => month_case(at, &months),
                Some("owner") => "coalesce(nullif(t.assignee, ''), '(none)')".into(),
                Some("product") => format!(
                    "coalesce({}, '(none)')",
                    label_seen(Entity::Product, "t.product_id", &self.vis)
                ),
                Some("account") => format!(
                    "coalesce({}, '(none)')",
                    label_seen(Entity::Account, "t.account_id", &self.vis)
                ),
                Some(f) => format!("coalesce(nullif(t.{f}, ''), '(none)')"),
            }
        };
        // One group needs no GROUP BY (SQLite would sort for a constant key).
        let group = if by.is_some() { " GROUP BY 1" } else { "" };
        let mut groups: BTreeMap<String, Desk> = BTreeMap::new();
        // Each query: its SQL (the filter's `?`s first), then its own parameters.
        let run = |sql: String,
                   own: &[&str],
                   each: &mut dyn FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<()>|
         -> Result<()> {
            let mut params = fp.clone();
            params.extend(own.iter().map(|v| SqlValue::Text(v.to_string())));
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
            while let Some(r) = rows.next()? {
                each(r)?;
            }
            Ok(())
        };
        let text = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Option<String>> { r.get(0) };
        // Opened in the period.
        if cases {
            run(
                format!(
                    "SELECT {k}, count(*) FROM cases t INDEXED BY cases_service_opened
                  WHERE {wh} AND t.opened >= ? AND t.opened < ?{group}",
                    k = key("t.opened")
                ),
                &[&b.lo, &b.hi],
                &mut |r| {
                    if let Some(k) = text(r)? {
                        groups.entry(k).or_default().opened += r.get::<_, i64>(1)?;
                    }
                    Ok(())
                },
            )?;
        }
        // Resolved in the period: how long each took, and whether in time. One row per
        // case, counted here: grouping by the minutes in SQL sorts them all (several
        // times slower on a year of cases); the minutes are counted per group as they
        // come.
        let tally = |groups: &mut BTreeMap<String, Desk>,
                     k: Option<String>,
                     minutes: Option<i64>,
                     met: bool,
                     response: bool| {
            let Some(k) = k else { return };
            let g = groups.entry(k).or_default();
            if response {
                g.response_met += i64::from(met);
            } else {
                g.resolved += 1;
                g.resolution_met += i64::from(met);
            }
            if let Some(m) = minutes {
                let counts = if response {
                    &mut g.response
                } else {
                    &mut g.resolution
                };
                counts.add(m, 1);
            }
        };
        for (response, at, due, minutes, index) in [
            (
                false,
                "resolved_at",
                "resolve_due",
                "resolution_minutes",
                "resolved",
            ),
            (
                true,
                "responded_at",
                "respond_due",
                "response_minutes",
                "responded",
            ),
        ] {
            if response != clocks {
                continue;
            }
            run(
                format!(
                    "SELECT {k}, t.{minutes}, t.{due} IS NOT NULL AND t.{at} <= t.{due}
                       FROM cases t INDEXED BY cases_service_{index}
                      WHERE {wh} AND t.{at} >= ? AND t.{at} < ?",
                    k = key(&format!("t.{at}"))
                ),
                &[&b.lo, &b.hi],
                &mut |r| {
                    tally(&mut groups, text(r)?, r.get(1)?, r.get(2)?, response);
                    Ok(())
                },
            )?;
        }
        // Breaches, at their deadlines: passed in the period (and before now), the clock
        // done after it or not at all.
        for (due, done, response) in [
            ("respond_due", "responded_at", true),
            ("resolve_due", "resolved_at", false),
        ] {
            if !clocks {
                break;
            }
            run(
                format!(
                    "SELECT {k}, count(*) FROM cases t INDEXED BY cases_service_{due}
                      WHERE {wh} AND t.{due} >= ? AND t.{due} < ?
                        AND (t.{done} IS NULL OR t.{done} > t.{due}){group}",
                    k = key(&format!("t.{due}"))
                ),
                &[&b.lo, &b.end],
                &mut |r| {
                    if let Some(k) = text(r)? {
                        let g = groups.entry(k).or_default();
                        let n: i64 = r.get(1)?;
                        if response {
                            g.response_breached += n;
                        } else {
                            g.resolution_breached += n;
                        }
                    }
                    Ok(())
                },
            )?;
        }
        // Open at the end: opened before it and not resolved before it.
        if !cases {
        } else if by == Some("month") {
            self.open_by_month(&wh, &fp, &b, &months, &mut groups)?;
        } else {
            for sql in open_at(&wh, &key(""), group) {
                self.numbered(&sql, &b.end, &fp, &mut |k, n| {
                    groups.entry(k).or_default().open_at_end += n;
                })?;
            }
        }
        // Surveys of the cases, by their day.
        let survey_key = match by {
            Some("month") => "substr(s.\"on\", 1, 7)".to_string(),
            _ => key(""),
        };
        if clocks {
            run(
                format!(
                    "SELECT {survey_key}, count(*), sum(s.score), count(s.nps), sum(s.nps >= 9),
                        sum(s.nps <= 6)
                   FROM surveys s INDEXED BY surveys_service_on JOIN cases t ON t.id = s.case_id
                  WHERE {wh} AND s.deleted_at IS NULL{seen} AND s.\"on\" >= ? AND s.\"on\" <= ?
                  {group}",
                    seen = self.seen(Entity::Survey, "s")
                ),
                &[&b.from_day, &b.to_day],
                &mut |r| {
                    if let Some(k) = text(r)? {
                        let g = groups.entry(k).or_default();
                        g.surveys += r.get::<_, i64>(1)?;
                        g.score_sum += r.get::<_, Option<i64>>(2)?.unwrap_or(0);
                        g.nps_answers += r.get::<_, i64>(3)?;
                        g.promoters += r.get::<_, Option<i64>>(4)?.unwrap_or(0);
                        g.detractors += r.get::<_, Option<i64>>(5)?.unwrap_or(0);
                    }
                    Ok(())
                },
            )?;
        }
        // A month of the period without a case still has its row; surveys dated outside
        // the months of the cases have none.
        if by == Some("month") {
            groups.retain(|k, _| months.iter().any(|(m, _)| m == k));
            for (m, _) in &months {
                groups.entry(m.clone()).or_default();
            }
        }
        Ok(groups)
    }

    /// Run `sql`, whose `?1` is `first` and whose other `?`s are the filter's, numbered
    /// after it; each row is a group and a count.
    fn numbered(
        &self,
        sql: &str,
        first: &str,
        fp: &[SqlValue],
        each: &mut dyn FnMut(String, i64),
    ) -> Result<()> {
        let mut params = vec![SqlValue::Text(first.to_string())];
        params.extend(fp.iter().cloned());
        // The filter's bare `?`s are numbered after `?1`.
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            if let Some(k) = r.get::<_, Option<String>>(0)? {
                each(k, r.get(1)?);
            }
        }
        Ok(())
    }

    /// Open at the end of each month (or now, when that is earlier): what is open at the
    /// period's end, less what was opened after the month, plus what was resolved after
    /// it (a case is open from its opening to its resolution).
    fn open_by_month(
        &self,
        wh: &str,
        fp: &[SqlValue],
        b: &Bounds,
        months: &Months,
        groups: &mut BTreeMap<String, Desk>,
    ) -> Result<()> {
        let mut open = 0;
        for sql in open_at(wh, "''", "") {
            self.numbered(&sql, &b.end, fp, &mut |_, n| open += n)?;
        }
        // From the last month back: before month k's end, take off what the months after
        // it opened (before the end) and add back what they resolved.
        let (mut opened_after, mut resolved_after) = (0, 0);
        for (m, next) in months.iter().rev() {
            let g = groups.entry(m.clone()).or_default();
            if next.as_str() >= b.end.as_str() {
                g.open_at_end = open;
            } else {
                g.open_at_end = open - opened_after + resolved_after;
            }
            opened_after += g.opened;
            resolved_after += g.resolved;
        }
        Ok(())
    }

    /// The period as stamps. Unbounded before: from the first case opened.
    fn bounds(&self, s: &Scope<'_>, now: &str) -> Result<Bounds> {
        let (lo, hi) = s.stamp_bounds();
        let lo = match lo {
            Some(lo) => lo,
            None => self
                .conn
                .query_row(
                    "SELECT min(opened) FROM cases INDEXED BY cases_by_opened",
                    [],
                    |r| r.get::<_, Option<String>>(0),
                )?
                .unwrap_or_else(|| now.to_string()),
        };
        let hi = hi.unwrap_or_else(|| "9999-12-31T00:00:00Z".into());
        let end = if now < hi.as_str() {
            now.to_string()
        } else {
            hi.clone()
        };
        Ok(Bounds {
            lo,
            hi,
            end,
            from_day: s.from(),
            to_day: s.to(),
        })
    }

    /// The months of the period, up to the month of its end (now, for a period not over).
    fn months(&self, b: &Bounds) -> Result<Months> {
        let day = |stamp: &str| {
            crate::core::clock::local_iso(stamp)
                .and_then(|l| NaiveDate::parse_from_str(l.get(..10)?, "%Y-%m-%d").ok())
        };
        let (Some(first), Some(last)) = (day(&b.lo), day(&b.end)) else {
            return Ok(Vec::new());
        };
        // `end` is the start of the day after the last when the period is over.
        let last = if b.end == b.hi {
            last.pred_opt().unwrap_or(last)
        } else {
            last
        };
        let mut out = Vec::new();
        let mut m = first.with_day(1).unwrap_or(first);
        while m <= last && out.len() < 12 * 200 {
            let next = m
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX);
            out.push((m.format("%Y-%m").to_string(), bound(Ty::Stamp, next, None)));
            m = next;
        }
        Ok(out)
    }

    /// The cases opened in the period per value of `field` (`type`, `category`), most
    /// first: the monthly summary's counts.
    pub fn service_counts(&self, s: &Scope<'_>, field: &str) -> Result<Vec<Row>> {
        let (wh, mut p) = self.filtered(Entity::Case, s.filter, false, &s.ctx)?;
        let (lo, hi) = s.stamp_bounds();
        let col = match field {
            "category" => "t.category",
            _ => "t.type",
        };
        let sql = format!(
            "SELECT coalesce(nullif({col}, ''), '(none)') AS \"{field}\", count(*) AS cases
               FROM cases t INDEXED BY cases_by_opened
              WHERE {wh} AND t.opened >= ? AND t.opened < ?
              GROUP BY 1 ORDER BY cases DESC, 1"
        );
        p.extend([
            SqlValue::Text(lo.unwrap_or_default()),
            SqlValue::Text(hi.unwrap_or_else(|| "9999".into())),
        ]);
        self.rows(&sql, p)
    }

    /// The clocks breached in the period (at their deadlines, before `now`, a UTC stamp),
    /// by deadline: the case's number and title, which clock, its deadline, when it was
    /// done (null: not yet), how many working minutes over its target it took (null: not
    /// done), and why it was late as the case says.
    pub fn service_breaches(&self, s: &Scope<'_>, now: &str) -> Result<Vec<Row>> {
        let (wh, fp) = self.filtered(Entity::Case, s.filter, false, &s.ctx)?;
        let b = self.bounds(s, now)?;
        let mut out = Vec::new();
        for (clock, due, done, minutes, target) in [
            (
                "response",
                "respond_due",
                "responded_at",
                "response_minutes",
                "respond_target",
            ),
            (
                "resolution",
                "resolve_due",
                "resolved_at",
                "resolution_minutes",
                "resolve_target",
            ),
        ] {
            let sql = format!(
                "SELECT t.number AS number, t.title AS title, '{clock}' AS clock,
                        t.{due} AS due, t.{done} AS done,
                        CASE WHEN t.{done} IS NOT NULL THEN t.{minutes} - t.{target} END AS late_min,
                        t.breach_reason AS breach_reason
                   FROM cases t INDEXED BY cases_service_{due}
                  WHERE {wh} AND t.{due} >= ? AND t.{due} < ?
                    AND (t.{done} IS NULL OR t.{done} > t.{due})"
            );
            let mut p = fp.clone();
            p.extend([SqlValue::Text(b.lo.clone()), SqlValue::Text(b.end.clone())]);
            out.extend(self.rows(&sql, p)?);
        }
        let text = |r: &Row, k: &str| r.get(k).and_then(Cell::as_str).unwrap_or("").to_string();
        out.sort_by(|a, b| {
            (text(a, "due"), text(a, "number")).cmp(&(text(b, "due"), text(b, "number")))
        });
        Ok(out)
    }

    /// The products and accounts with two cases or more opened in the period: recurring
    /// issues, most cases first, with the cases' numbers.
    pub fn service_recurring(&self, s: &Scope<'_>) -> Result<Vec<Row>> {
        let (wh, fp) = self.filtered(Entity::Case, s.filter, false, &s.ctx)?;
        let (lo, hi) = s.stamp_bounds();
        let (lo, hi) = (lo.unwrap_or_default(), hi.unwrap_or_else(|| "9999".into()));
        let mut out = Vec::new();
        for (what, entity, col) in [
            ("product", Entity::Product, "product_id"),
            ("account", Entity::Account, "account_id"),
        ] {
            let sql = format!(
                "SELECT '{what}' AS about, coalesce({label}, '#' || g.id) AS name,
                        g.cases AS cases, g.numbers AS numbers
                   FROM (SELECT t.{col} AS id, count(*) AS cases,
                                group_concat(t.number, ', ') AS numbers
                           FROM (SELECT t.* FROM cases t INDEXED BY cases_by_opened
                                  WHERE {wh} AND t.opened >= ? AND t.opened < ?
                                    AND t.{col} IS NOT NULL ORDER BY t.number) t
                          GROUP BY t.{col} HAVING count(*) >= 2) g
                  ORDER BY cases DESC, name",
                label = label_seen(entity, "g.id", &self.vis)
            );
            let mut p = fp.clone();
            p.extend([SqlValue::Text(lo.clone()), SqlValue::Text(hi.clone())]);
            out.extend(self.rows(&sql, p)?);
        }
        Ok(out)
    }
}

/// The two counts of the cases open at `?1`: those still unresolved and opened before it,
/// and those resolved at or after it and opened before it; each read from its index.
fn open_at(wh: &str, key: &str, group: &str) -> [String; 2] {
    [
        format!(
            "SELECT {key}, count(*) FROM cases t INDEXED BY cases_service_unresolved
              WHERE t.resolved_at IS NULL AND t.opened < ?1 AND {wh}{group}"
        ),
        format!(
            "SELECT {key}, count(*) FROM cases t INDEXED BY cases_service_resolved
              WHERE t.resolved_at >= ?1 AND t.opened < ?1 AND {wh}{group}"
        ),
    ]
}

/// `CASE WHEN at < next₁ THEN month₁ … END`: the month of the period a stamp is in, found
/// by comparing it with the months' bounds (no stamp is turned into a local date).
fn month_case(at: &str, months: &Months) -> String {
    if months.is_empty() {
        return "NULL".into();
    }
    let mut s = String::from("CASE");
    for (m, next) in months {
        s.push_str(&format!(" WHEN {at} < '{next}' THEN '{m}'"));
    }
    s.push_str(" END");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_read_from_the_counts() {
        // 10, 20, 20, 30, 90: median 20; ⌈4.5⌉ = 5th is 90.
        let m = Minutes(vec![(10, 1), (20, 2), (30, 1), (90, 1)]);
        assert_eq!(m.median(), Some(20.0));
        assert_eq!(m.p90(), Some(90));
        // 10, 20, 30, 40: median 25; ⌈3.6⌉ = 4th is 40.
        let m = Minutes(vec![(10, 1), (20, 1), (30, 1), (40, 1)]);
        assert_eq!(m.median(), Some(25.0));
        assert_eq!(m.p90(), Some(40));
        // Ten of 1..10: ⌈9⌉ = 9th is 9.
        let m = Minutes((1..=10).map(|i| (i, 1)).collect());
        assert_eq!(m.p90(), Some(9));
        assert_eq!(Minutes::default().median(), None);
    }
}
