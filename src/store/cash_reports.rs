//! The SQL of the quote-to-cash reports: what is owed by age (receivables), what was
//! planned beside what came in (collections), and what was ordered (orders). Amounts are
//! summed per currency, in whole ten-thousandths, and come back as units.

use rusqlite::types::Value as SqlValue;

use super::query::{label_seen, QueryCtx, Reader};
use super::reports::{units, Cell, Row, Scope};
use crate::core::error::Result;
use crate::core::money::Money;
use crate::model::query::Filter;
use crate::model::Entity;

/// What is owed in one currency (an account's or a deal's, [`Reader::owed`]): the open
/// amount of the plan items not yet paid in full, and how much of it, in how many items,
/// is past due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub currency: String,
    pub open: Money,
    pub overdue: Money,
    pub items: i64,
    pub overdue_items: i64,
}

/// The ages receivables are put in, by days past due on the day asked for: not yet due,
/// 1–30, 31–60, 61–90 and over 90 days.
pub const AGING: [&str; 5] = [
    "not_due",
    "days_1_30",
    "days_31_60",
    "days_61_90",
    "over_90",
];

/// Per plan item, what payments received after the day `day` (an SQL parameter) paid of
/// it: what was not yet received on that day. Found by the payments' dates.
fn paid_after(day: &str) -> String {
    format!(
        "SELECT a.plan_id AS plan_id, sum(a.amount) AS amount
           FROM payments y INDEXED BY payments_by_date
           JOIN allocations a ON a.payment_id = y.id
          WHERE y.received_on > {day} AND y.status = 'received' AND y.deleted_at IS NULL
            AND a.deleted_at IS NULL
          GROUP BY a.plan_id"
    )
}

/// A day written YYYY-MM-DD as the number YYYYMMDD (0 for anything else).
fn day_number(day: &str) -> u32 {
    let b = day.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return 0;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> { day.get(r)?.parse().ok() };
    match (n(0..4), n(5..7), n(8..10)) {
        (Some(y), Some(m), Some(d)) => y * 10_000 + m * 100 + d,
        _ => 0,
    }
}

/// Where each of a list of record ids is in it: a table with a place per id when the ids
/// are dense (as kith numbers records: one look-up is an index), else a hash map.
enum Places {
    Dense(Vec<u32>),
    Sparse(foldhash::HashMap<i64, u32>),
}

impl Places {
    fn of(ids: &[i64]) -> Places {
        let top = ids.iter().copied().max().unwrap_or(0);
        match usize::try_from(top) {
            Ok(top) if ids.iter().all(|&id| id >= 0) && top <= 4 * ids.len() + 4096 => {
                let mut at = vec![u32::MAX; top + 1];
                for (i, &id) in ids.iter().enumerate() {
                    at[id as usize] = i as u32;
                }
                Places::Dense(at)
            }
            _ => Places::Sparse(
                ids.iter()
                    .enumerate()
                    .map(|(i, &id)| (id, i as u32))
                    .collect(),
            ),
        }
    }

    fn get(&self, id: i64) -> Option<u32> {
        match self {
            Places::Dense(at) => {
                let i = *at.get(usize::try_from(id).ok()?)?;
                (i != u32::MAX).then_some(i)
            }
            Places::Sparse(map) => map.get(&id).copied(),
        }
    }
}

/// Where a contract stands, for the money reports: a draft is not signed, only an active
/// one owes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Draft,
    Active,
    Other,
}

/// The contracts a money report's filter keeps ([`Reader::contracts_kept`]), found by id.
pub struct Kept {
    at: Places,
    /// Per contract, by place: where it stands, its currency and its group, as places in
    /// `texts`.
    rows: Vec<(Standing, u32, u32)>,
    /// Each currency and group once; the first is none.
    texts: Vec<Option<String>>,
}

/// A report's order: by currency (when there are several), then `measure`, largest first,
/// then the group.
fn order(s: &Scope<'_>, measure: &str) -> String {
    if s.convert.is_some() {
        format!("{measure} DESC, 1")
    } else {
        format!("t.currency IS NULL, t.currency, {measure} DESC, 1")
    }
}

/// A line's cost in ten-thousandths: its quantity times its unit cost, both in
/// ten-thousandths, rounded half up.
const LINE_COST: &str = "(l.qty * coalesce(l.cost, 0) + 5000) / 10000";

impl Reader<'_> {
    /// What the active contracts the filter keeps owe on `today`, per currency (`base`
    /// for a contract that names none): each plan item for its amount less what has been
    /// paid of it, and those due before `today` as overdue. Read from the contracts' index
    /// on the filter's field, then each one's open items: a few rows for an account or a
    /// deal.
    pub fn owed(
        &self,
        filter: &Filter,
        today: &str,
        base: &str,
        ctx: &QueryCtx,
    ) -> Result<Vec<Owed>> {
        let (wh, mut p) = self.filtered(Entity::Contract, filter, false, ctx)?;
        let sql = format!(
            "SELECT coalesce(t.currency, ?2), sum(i.amount - i.paid), sum(CASE WHEN i.due < ?1
                    THEN i.amount - i.paid ELSE 0 END), count(*), sum(i.due < ?1)
               FROM contracts t JOIN plans i INDEXED BY plans_open_by_contract
                 ON i.contract_id = t.id
              WHERE {wh} AND t.status = 'active' AND i.status <> 'paid'
                AND i.deleted_at IS NULL AND i.amount > i.paid
              GROUP BY 1 ORDER BY 1"
        );
        // The filter's bare `?`s are numbered after `?2`.
        let mut params = vec![
            SqlValue::Text(today.to_string()),
            SqlValue::Text(base.to_string()),
        ];
        params.append(&mut p);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok(Owed {
                currency: r.get(0)?,
                open: Money::from_minor(r.get(1)?),
                overdue: Money::from_minor(r.get(2)?),
                items: r.get(3)?,
                overdue_items: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The contracts a money report's filter keeps, read once (from the index of live
    /// contracts that holds what these reports ask of them), with their group: the owner,
    /// the account (`by` = account) or the number (`by` = contract).
    pub fn contracts_kept(&self, s: &Scope<'_>, by: &str) -> Result<Kept> {
        let (wh, p) = self.filtered(Entity::Contract, s.filter, false, &s.ctx)?;
        let group = match by {
            "account" => label_seen(Entity::Account, "t.account_id", &self.vis),
            "contract" => "t.number".to_string(),
            _ => "t.owner".to_string(),
        };
        let mut kept = Kept {
            at: Places::Dense(vec![]),
            rows: Vec::new(),
            texts: vec![None],
        };
        let mut ids: Vec<i64> = Vec::new();
        let mut known: foldhash::HashMap<String, u32> = Default::default();
        // Without a filter, all of them from the index (which SQLite, without statistics,
        // does not choose over the table); with one, where SQLite finds the filter's.
        let index = if s.filter.terms.is_empty() {
            " INDEXED BY contracts_money"
        } else {
            ""
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT t.id, t.status, t.currency, {group} FROM contracts t{index} WHERE {wh}"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(p))?;
        let mut text = |t: Option<&str>| -> u32 {
            let Some(t) = t else { return 0 };
            if let Some(&i) = known.get(t) {
                return i;
            }
            let i = kept.texts.len() as u32;
            kept.texts.push(Some(t.to_string()));
            known.insert(t.to_string(), i);
            i
        };
        while let Some(r) = rows.next()? {
            ids.push(r.get(0)?);
            let standing = match r.get_ref(1)?.as_str_or_null().unwrap_or_default() {
                Some("draft") => Standing::Draft,
                Some("active") => Standing::Active,
                _ => Standing::Other,
            };
            let currency = text(r.get_ref(2)?.as_str_or_null().unwrap_or_default());
            let group = text(r.get_ref(3)?.as_str_or_null().unwrap_or_default());
            kept.rows.push((standing, currency, group));
        }
        kept.at = Places::of(&ids);
        Ok(kept)
    }

    /// What each group is owed on `as_of`, by age: the plan items of active contracts (an
    /// expired one still owes), each for its amount less what payments received on or
    /// before `as_of` paid of it. Grouped by the group `kept` was read with ([`Reader::
    /// contracts_kept`]: the contracts' `account`, `owner` or `contract`), and currency;
    /// the filter is on the contracts.
    ///
    /// Summed here, per contract, from the index of the items still owing (in contract
    /// order), then per group: SQLite's grouping of the 150,000 open items by their
    /// contracts' owner sorted them all. In one currency, what a contract owes in each age
    /// is converted on the day it is aged on.
    pub fn report_receivables(
        &self,
        s: &Scope<'_>,
        as_of: &str,
        by: &str,
        kept: &Kept,
    ) -> Result<Vec<Row>> {
        use std::collections::BTreeMap;
        let Some(on) = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").ok() else {
            return Err(crate::err!(
                Invalid,
                "dates.date_write_yyyy",
                date_part = as_of
            ));
        };
        // The first due day of each age: not due from `as_of` on, 1–30 days from 30 days
        // before it, 31–60, 61–90, older over 90.
        let starts: Vec<u32> = [0, 30, 60, 90]
            .iter()
            .map(|d| day_number(&(on - chrono::Duration::days(*d)).to_string()))
            .collect();
        let age = |due: u32| starts.iter().position(|s| due >= *s).unwrap_or(4);
        // Per contract: the open amount in each age, then the items and those overdue.
        #[derive(Default, Clone, Copy)]
        struct Owes {
            ages: [i64; 5],
            items: i64,
            late: i64,
        }
        impl Owes {
            fn open(&self) -> i64 {
                self.ages.iter().sum()
            }
        }
        let mut per: Vec<Option<Owes>> = vec![None; kept.rows.len()];
        let mut add = |contract: i64, due: &str, open: i64, item: bool| {
            let Some(place) = kept.at.get(contract) else {
                return;
            };
            if kept.rows[place as usize].0 != Standing::Active {
                return;
            }
            let owes = per[place as usize].get_or_insert_default();
            let due = day_number(due);
            let a = age(due);
            owes.ages[a] += open;
            if item {
                owes.items += 1;
                owes.late += i64::from(a > 0);
            }
        };
        {
            let mut stmt = self.conn.prepare(
                "SELECT i.contract_id, i.due, i.amount - i.paid
                   FROM plans i INDEXED BY plans_open_by_contract
                  WHERE i.status <> 'paid' AND i.deleted_at IS NULL AND i.amount > i.paid",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let due = r.get_ref(1)?.as_str_or_null().unwrap_or_default();
                add(r.get(0)?, due.unwrap_or_default(), r.get(2)?, true);
            }
        }
        // What payments received after `as_of` paid (not yet received on that day: few,
        // none when it is today) is owed again on it; an item they paid in full counts.
        {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT i.contract_id, i.due, l.amount, i.status = 'paid'
                   FROM ({later}) l JOIN plans i ON i.id = l.plan_id
                  WHERE i.deleted_at IS NULL",
                later = paid_after("?1")
            ))?;
            let mut rows = stmt.query([as_of])?;
            while let Some(r) = rows.next()? {
                let due = r.get_ref(1)?.as_str_or_null().unwrap_or_default();
                add(r.get(0)?, due.unwrap_or_default(), r.get(2)?, r.get(3)?);
            }
        }
        // Per group and currency: (no currency last, currency, group) → sums.
        let mut groups: BTreeMap<(bool, u32, u32), Owes> = BTreeMap::new();
        for (place, owes) in per.into_iter().enumerate() {
            let Some(mut owes) = owes else { continue };
            let (_, currency, group) = kept.rows[place];
            let currency = match &s.convert {
                Some(c) => {
                    let from = kept.texts[currency as usize].as_deref();
                    for a in owes.ages.iter_mut() {
                        *a = c.minor(*a, from, on)?;
                    }
                    0
                }
                None => currency,
            };
            let sums = groups
                .entry((currency == 0 && s.convert.is_none(), currency, group))
                .or_default();
            for (a, b) in sums.ages.iter_mut().zip(owes.ages) {
                *a += b;
            }
            sums.items += owes.items;
            sums.late += owes.late;
        }
        let text = |i: u32| kept.texts[i as usize].as_deref();
        let mut out: Vec<((bool, u32, u32), Owes)> =
            groups.into_iter().filter(|(_, o)| o.open() > 0).collect();
        // By currency (when there are several: no currency last), the most owed first,
        // then the group.
        out.sort_by(|((none_a, cur_a, a), x), ((none_b, cur_b, b), y)| {
            (none_a, text(*cur_a))
                .cmp(&(none_b, text(*cur_b)))
                .then(y.open().cmp(&x.open()))
                .then(text(*a).cmp(&text(*b)))
        });
        let units = |m: i64| Cell::from(Money::from_minor(m).to_f64());
        Ok(out
            .into_iter()
            .map(|((_, currency, group), owes)| {
                let mut row = Row::with_capacity(10);
                row.insert(by.to_string(), text(group).map_or(Cell::Null, Cell::from));
                let currency = match &s.convert {
                    Some(c) => Some(c.to.as_str()),
                    None => text(currency),
                };
                row.insert("currency", currency.map_or(Cell::Null, Cell::from));
                for (name, minor) in AGING.iter().zip(owes.ages) {
                    row.insert(name.to_string(), units(minor));
                }
                row.insert("open", units(owes.open()));
                row.insert("items", Cell::Int(owes.items));
                row.insert("overdue_items", Cell::Int(owes.late));
                row
            })
            .collect())
    }
    /// Per owner or month, and currency, one half of the collections report (`came`: the
    /// second): what fell due in the period (the plan items of contracts not drafts,
    /// `planned`) and what of that was paid by payments received by the period's end
    /// (`collected`); or what payments came in during the period (`received`, credits
    /// included). In whole ten-thousandths, for the rate worked out above the store.
    /// `kept` holds the contracts the filter keeps, with their owners ([`Reader::
    /// contracts_kept`]), read once for both halves.
    ///
    /// Summed here, in one pass over the index by day (of the items, of the payments),
    /// against the contracts kept, found by id: SQLite's join of each of the 150,000 items
    /// or payments of a year to its contract cost more than both reads. What was
    /// collected of an item by the period's end is what it was paid less what payments
    /// received after the end paid of it. In one currency, what a contract fell due (or
    /// received) on a day is summed first, then converted on that day, as the other
    /// reports convert.
    pub fn report_collections(
        &self,
        s: &Scope<'_>,
        by: &str,
        came: bool,
        kept: &Kept,
    ) -> Result<Vec<Row>> {
        use foldhash::{HashMap, HashMapExt};
        use std::collections::BTreeMap;
        let (from, to) = (s.from(), s.to());
        // What payments received after the period's end paid of each item: few (none for a
        // period that ends today).
        let mut later: HashMap<i64, i64> = HashMap::new();
        if !came {
            let mut stmt = self.conn.prepare(&paid_after("?1"))?;
            let mut rows = stmt.query([&to])?;
            while let Some(r) = rows.next()? {
                later.insert(r.get(0)?, r.get(1)?);
            }
        }
        // Each item (or payment) as (id, contract, day, amount, paid); a payment's amount
        // is what it applied and kept as credit.
        let sql = if came {
            "SELECT y.id, y.contract_id, y.received_on,
                    coalesce(y.applied, 0) + coalesce(y.credit, 0), 0
               FROM payments y INDEXED BY payments_by_date
              WHERE y.deleted_at IS NULL AND y.status = 'received'
                AND y.received_on >= ?1 AND y.received_on <= ?2"
        } else {
            "SELECT x.id, x.contract_id, x.due, x.amount, x.paid
               FROM plans x INDEXED BY plans_by_due
              WHERE x.deleted_at IS NULL AND x.due >= ?1 AND x.due <= ?2"
        };
        // Summed first per contract and day (in one currency: the day converted on), month
        // (by month) or nothing: integer keys, no text made per row.
        let one = s.convert.is_some();
        let dated = one || by == "month";
        // Per contract (by place) when the day does not matter, else per contract and day.
        let mut whole: Vec<Option<(i64, i64)>> =
            vec![None; if dated { 0 } else { kept.rows.len() }];
        let mut per: HashMap<(u32, u32), (i64, i64)> =
            HashMap::with_capacity(if dated { kept.rows.len() } else { 0 });
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([&from, &to])?;
        while let Some(r) = rows.next()? {
            let Some(contract) = kept.at.get(r.get(1)?) else {
                continue;
            };
            // What fell due counts the contracts signed only.
            if !came && kept.rows[contract as usize].0 == Standing::Draft {
                continue;
            }
            let amount: i64 = r.get(3)?;
            let mut collected: i64 = r.get(4)?;
            if !later.is_empty() {
                collected -= later.get(&r.get(0)?).copied().unwrap_or(0);
            }
            let sums = if dated {
                let day = day_number(r.get_ref(2)?.as_str().unwrap_or_default());
                let key = if one { day } else { day / 100 * 100 };
                per.entry((contract, key)).or_default()
            } else {
                whole[contract as usize].get_or_insert_default()
            };
            sums.0 += amount;
            sums.1 += collected;
        }
        // Then per group and currency; in one currency, day by day, so that a rate missing
        // is named for the first day it is missing on.
        let mut per: Vec<((u32, u32), (i64, i64))> = per
            .into_iter()
            .chain(
                whole
                    .into_iter()
                    .enumerate()
                    .filter_map(|(place, sums)| Some(((place as u32, 0), sums?))),
            )
            .collect();
        if one {
            per.sort_unstable_by_key(|((contract, day), _)| (*day, *contract));
        }
        let mut groups: BTreeMap<(String, Option<String>), (i64, i64)> = BTreeMap::new();
        for ((contract, key), (amount, collected)) in per {
            let (_, currency, owner) = kept.rows[contract as usize];
            let currency = kept.texts[currency as usize].as_deref();
            let group = match by {
                "month" => format!("{:04}-{:02}", key / 10_000, key / 100 % 100),
                _ => kept.texts[owner as usize].clone().unwrap_or_default(),
            };
            let (amount, collected, currency) = match &s.convert {
                Some(c) => {
                    let on = chrono::NaiveDate::from_ymd_opt(
                        (key / 10_000) as i32,
                        key / 100 % 100,
                        key % 100,
                    )
                    .unwrap_or(s.ctx.now.date());
                    (
                        c.minor(amount, currency, on)?,
                        c.minor(collected, currency, on)?,
                        Some(c.to.clone()),
                    )
                }
                None => (amount, collected, currency.map(str::to_string)),
            };
            let sums = groups.entry((group, currency)).or_default();
            sums.0 += amount;
            sums.1 += collected;
        }
        Ok(groups
            .into_iter()
            .map(|((group, currency), (amount, collected))| {
                let (planned, collected, received) = if came {
                    (0, 0, amount)
                } else {
                    (amount, collected, 0)
                };
                let mut row = Row::with_capacity(5);
                row.insert(by.to_string(), Cell::from(group));
                row.insert("currency", currency.map_or(Cell::Null, Cell::from));
                row.insert("planned_minor", Cell::Int(planned));
                row.insert("collected_minor", Cell::Int(collected));
                row.insert("received_minor", Cell::Int(received));
                row
            })
            .collect())
    }

    /// Per product, category, account, owner or month (of the order's day), and currency:
    /// the quantity, revenue (the lines' nets), cost (quantity × the unit cost kept on the
    /// line) and margin of the lines of orders confirmed, delivered or closed in the
    /// period. The filter is on the orders.
    pub fn report_orders(&self, s: &Scope<'_>, by: &str) -> Result<Vec<Row>> {
        let (wh, mut p) = self.filtered(Entity::Order, s.filter, false, &s.ctx)?;
        let (join, group) = match by {
            "product" => (
                " LEFT JOIN products pr ON pr.id = l.product_id",
                "coalesce(pr.name, l.description)".to_string(),
            ),
            "category" => (
                " LEFT JOIN products pr ON pr.id = l.product_id",
                "pr.category".to_string(),
            ),
            "account" => ("", label_seen(Entity::Account, "t.account_id", &self.vis)),
            "owner" => ("", "t.owner".to_string()),
            _ => ("", "substr(t.ordered_on, 1, 7)".to_string()),
        };
        // In one currency, a line's net and cost are converted on its order's day.
        let net = s.money("l.net", "t.currency", "t.ordered_on");
        let cost = s.money(LINE_COST, "t.currency", "t.ordered_on");
        let sql = format!(
            "SELECT {group} AS \"{by}\", {currency} AS currency, count(DISTINCT t.id) AS orders,
                    {qty} AS quantity, {revenue} AS revenue, {costs} AS cost,
                    {margin} AS margin
               FROM orders t JOIN lines l ON l.order_id = t.id AND l.deleted_at IS NULL{join}
              WHERE {wh} AND t.status IN ('confirmed', 'delivered', 'closed')
                AND t.ordered_on >= ? AND t.ordered_on <= ?
              GROUP BY 1{by_currency} ORDER BY {order}",
            currency = s.currency("t.currency"),
            by_currency = s.by_currency("t.currency"),
            order = order(s, "revenue"),
            qty = units("sum(l.qty)"),
            revenue = units(&format!("sum({net})")),
            costs = units(&format!("sum({cost})")),
            margin = units(&format!("sum({net} - {cost})")),
        );
        p.extend([SqlValue::Text(s.from()), SqlValue::Text(s.to())]);
        self.converting(s, || self.rows(&sql, p))
    }
}

impl Reader<'_> {
    /// The plan items of active contracts not paid in full and due from `lo` to `hi`
    /// (days, inclusive), by id: their ids and due days, for the reminders.
    pub fn plan_items_open(&self, lo: &str, hi: &str) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT x.id, x.due FROM plans x INDEXED BY plans_open_by_due
                JOIN contracts c INDEXED BY contracts_active ON c.id = x.contract_id
              WHERE x.status IN ('pending', 'partly-paid') AND x.due >= ?1 AND x.due <= ?2
                AND x.deleted_at IS NULL AND c.deleted_at IS NULL AND c.status = 'active'
              ORDER BY x.id",
        )?;
        let rows = stmt.query_map([lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The active contracts ending from `today` on whose notice period (their `notice`
    /// days, else `default_notice`) has begun, by id: ids and end days.
    pub fn contracts_ending(&self, today: &str, default_notice: u32) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, t.\"end\" FROM contracts t INDEXED BY contracts_active_by_end
              WHERE t.status = 'active' AND t.\"end\" >= ?1 AND t.deleted_at IS NULL
                AND julianday(t.\"end\") - coalesce(t.notice, ?2) <= julianday(?1)
              ORDER BY t.id",
        )?;
        let rows = stmt.query_map(rusqlite::params![today, default_notice], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The sent quotes valid until a day from `lo` to `hi`, by id: ids and days.
    pub fn quotes_expiring(&self, lo: &str, hi: &str) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, t.valid_until FROM quotes t
              WHERE t.status = 'sent' AND t.valid_until >= ?1 AND t.valid_until <= ?2
                AND t.deleted_at IS NULL
              ORDER BY t.id",
        )?;
        let rows = stmt.query_map([lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

impl Reader<'_> {
    /// Whether any order was confirmed (and not cancelled): the customers report then
    /// reads what was ordered rather than deals won.
    pub fn has_orders(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM orders INDEXED BY orders_by_status
                             WHERE status IN ('confirmed', 'delivered', 'closed')
                               AND deleted_at IS NULL)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Per account and currency, for the customers report: the orders confirmed,
    /// delivered or closed with their day in the period (as `won_deals`), their subtotal
    /// before tax (`won_amount`), less their cost (`profit`), and the last one's day;
    /// `basis` `payments`: the payments received in the period instead, each for what it
    /// brought in (no cost: `profit` is the same).
    pub fn customer_sales(
        &self,
        s: &Scope<'_>,
        basis: &str,
    ) -> Result<Vec<super::reports::CustomerDeals>> {
        // In one currency, an order is converted on its day, a payment on the day it came.
        let (cur, by_cur) = (s.currency("currency"), s.by_currency("currency"));
        let sql = if basis == "payments" {
            let amount = s.money(
                "coalesce(applied, 0) + coalesce(credit, 0)",
                "currency",
                "received_on",
            );
            format!(
                "SELECT account_id, {cur}, count(*), sum({amount}), sum({amount}), max(received_on)
                   FROM payments
                  WHERE deleted_at IS NULL AND status = 'received' AND account_id IS NOT NULL
                    AND received_on >= ?1 AND received_on <= ?2{}
                  GROUP BY 1{by_cur} ORDER BY 1, 2",
                self.seen(Entity::Payment, "payments")
            )
        } else {
            let subtotal = s.money("subtotal", "currency", "ordered_on");
            let cost = s.money("coalesce(cost, 0)", "currency", "ordered_on");
            format!(
                "SELECT account_id, {cur}, count(*), sum({subtotal}),
                        sum({subtotal} - {cost}), max(ordered_on)
                   FROM orders
                  WHERE deleted_at IS NULL AND status IN ('confirmed', 'delivered', 'closed')
                    AND account_id IS NOT NULL AND ordered_on >= ?1 AND ordered_on <= ?2{}
                  GROUP BY 1{by_cur} ORDER BY 1, 2",
                self.seen(Entity::Order, "orders")
            )
        };
        self.converting(s, || self.customer_sales_of(&sql, s))
    }

    fn customer_sales_of(
        &self,
        sql: &str,
        s: &Scope<'_>,
    ) -> Result<Vec<super::reports::CustomerDeals>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([s.from(), s.to()], |r| {
            let m = |i: usize| -> rusqlite::Result<f64> {
                Ok(
                    crate::core::money::Money::from_minor(r.get::<_, Option<i64>>(i)?.unwrap_or(0))
                        .to_f64(),
                )
            };
            Ok(super::reports::CustomerDeals {
                account_id: r.get(0)?,
                currency: r.get(1)?,
                deals: r.get(2)?,
                won_deals: r.get(2)?,
                won_amount: m(3)?,
                profit: m(4)?,
                last_won: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Per account (both sorted by account): its orders' rows when it has any, else its deals'.
pub fn orders_else_deals(
    orders: Vec<super::reports::CustomerDeals>,
    deals: Vec<super::reports::CustomerDeals>,
) -> Vec<super::reports::CustomerDeals> {
    let mut out = Vec::with_capacity(deals.len().max(orders.len()));
    let mut orders = orders.into_iter().peekable();
    let mut deals = deals.into_iter().peekable();
    loop {
        let next = match (orders.peek(), deals.peek()) {
            (None, None) => break,
            (Some(o), Some(d)) => o.account_id.min(d.account_id),
            (Some(o), None) => o.account_id,
            (None, Some(d)) => d.account_id,
        };
        let mut had_orders = false;
        while let Some(o) = orders.next_if(|o| o.account_id == next) {
            out.push(o);
            had_orders = true;
        }
        while let Some(d) = deals.next_if(|d| d.account_id == next) {
            if !had_orders {
                out.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_find_dense_and_sparse_ids() {
        for ids in [vec![3, 1, 2], vec![5, 9_000_000_000, -4]] {
            let at = Places::of(&ids);
            for (i, &id) in ids.iter().enumerate() {
                assert_eq!(at.get(id), Some(i as u32), "{ids:?}");
            }
            assert_eq!(at.get(7), None);
            assert_eq!(at.get(-1), None);
        }
        assert!(matches!(Places::of(&[3, 1, 2]), Places::Dense(_)));
        assert!(matches!(Places::of(&[5, 9_000_000_000]), Places::Sparse(_)));
    }

    #[test]
    fn a_day_is_a_number() {
        assert_eq!(day_number("2026-08-24"), 20260824);
        assert_eq!(day_number("2026-08"), 0);
        assert_eq!(day_number("not a day"), 0);
    }
}
