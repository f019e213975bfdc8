//! Reading: records by id, lists with filters and sorting, references by name, the change
//! log, search candidates. Filters are compiled to SQL here, from the field metadata in
//! `model`, so every kind of record gets the same filter language.

use std::collections::HashMap;

use crate::core::money::{Money, Totals};
use chrono::{Datelike, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use rusqlite::{types::Value as SqlValue, types::ValueRef, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::{Map, Value};

use super::visibility::{Limit, Visibility, MASK};
use crate::core::dates::{parse_when, When};
use crate::core::error::{Error, Result};
use crate::model::custom::Custom;
use crate::model::query::{Filter, Op, SortKey, Term};
use crate::model::record::Record;
use crate::model::{Entity, Field, Ty, Within};

/// What a filter needs to know beyond the filter itself.
#[derive(Debug, Clone, Copy)]
pub struct QueryCtx {
    /// The local time date words are relative to.
    pub now: NaiveDateTime,
}

impl QueryCtx {
    /// For queries that use no date words (stages, pipelines, links by id).
    pub fn none() -> QueryCtx {
        QueryCtx {
            now: NaiveDateTime::default(),
        }
    }
}

/// One list request.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub filter: Filter,
    pub sort: Vec<SortKey>,
    pub limit: Option<usize>,
    pub offset: usize,
    /// List the trash instead of the live records.
    pub trash: bool,
    /// How names sort.
    pub collate: Collate,
}

/// How names (of the kinds that keep a sort key) sort: by their pinyin among Latin
/// letters, from the key's index (the default), or by their characters' code points, case
/// aside, as a plain text sort would.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Collate {
    #[default]
    Pinyin,
    Unicode,
}

impl Collate {
    pub fn parse(s: &str) -> Option<Collate> {
        match s {
            "pinyin" => Some(Collate::Pinyin),
            "unicode" => Some(Collate::Unicode),
            _ => None,
        }
    }
}

/// One entry of the change log.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub op: String,
    pub entity: String,
    pub record_id: i64,
    pub before: Value,
    pub after: Value,
    /// The write transaction it was part of (an import is one batch).
    pub batch: Option<i64>,
    /// The batch this change undid, if it was an undo.
    pub undo_of: Option<i64>,
}

/// Records considered by search, a chunk at a time: each record's kind, id, name and a line
/// of detail, the texts side by side in one string (one allocation per chunk, not two per
/// record).
#[derive(Debug, Clone, Default)]
pub struct SearchRows {
    text: String,
    /// Kind, id, where the name ends and the detail ends in `text` (each starts where
    /// the one before ended), and the account whose name begins the detail, if any.
    rows: Vec<(Entity, i64, usize, usize, Option<i64>)>,
}

impl SearchRows {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The kind, id, name and detail of each record.
    pub fn iter(&self) -> impl Iterator<Item = (Entity, i64, &str, &str)> {
        self.linked()
            .map(|(entity, id, name, detail, _)| (entity, id, name, detail))
    }

    /// As [`SearchRows::iter`], with the id of the account whose name the detail line
    /// begins with (a contact's or a deal's account): who holds the account's own name
    /// need not hold it again.
    pub fn linked(&self) -> impl Iterator<Item = (Entity, i64, &str, &str, Option<i64>)> {
        let mut start = 0;
        self.rows
            .iter()
            .map(move |&(entity, id, name_end, detail_end, account)| {
                let name = &self.text[start..name_end];
                let detail = &self.text[name_end..detail_end];
                start = detail_end;
                (entity, id, name, detail, account)
            })
    }

    /// Add a record; its detail line is `first` and `second` with a space between, trimmed.
    fn push(&mut self, entity: Entity, id: i64, name: &str, first: &str, second: &str) {
        self.push_linked(entity, id, name, first, second, None);
    }

    /// [`SearchRows::push`], `first` being the name of the account `account`.
    fn push_linked(
        &mut self,
        entity: Entity,
        id: i64,
        name: &str,
        first: &str,
        second: &str,
        account: Option<i64>,
    ) {
        self.text.push_str(name);
        let name_end = self.text.len();
        let (first, second) = (first.trim_start(), second.trim_end());
        match (first.is_empty(), second.is_empty()) {
            (true, _) => self.text.push_str(second.trim_start()),
            (false, true) => self.text.push_str(first.trim_end()),
            (false, false) => {
                self.text.push_str(first);
                self.text.push(' ');
                self.text.push_str(second);
            }
        }
        self.rows
            .push((entity, id, name_end, self.text.len(), account));
    }
}

/// A stage a deal entered: from which, to which, when and by whom.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageStep {
    pub from: Option<String>,
    pub to: String,
    pub at: String,
    pub user: String,
}

/// When something was last done about a record: for care rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LastTouch<'a> {
    pub id: i64,
    /// Account tier, or a deal's expected close date.
    pub extra: Option<&'a str>,
    /// When it was created (UTC stamp).
    pub created_at: &'a str,
    /// The latest activity on it at or before now (local), if any.
    pub last_activity: Option<&'a str>,
    /// The account a deal belongs to.
    pub account_id: Option<i64>,
}

/// What duplicate detection compares of a record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DedupeRow {
    pub id: i64,
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub website: Option<String>,
    /// A contact's account, a lead's company: names only match within it.
    pub within: Option<String>,
}

/// What to look for when finding records like one about to be written.
#[derive(Debug, Clone, Copy)]
pub struct DedupeQuery<'a> {
    /// Its entries in the index of duplicate keys ([`crate::model::dupe_keys::Keys::index`]).
    pub keys: &'a [String],
}

/// Open deals of one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageSummary {
    pub stage_id: i64,
    pub count: i64,
    /// Sums per currency: amounts of different currencies are never added.
    pub amount: Totals,
    pub weighted_amount: Totals,
}

/// The SQL of the sum of `amount × probability / 100` over a group, in minor units, exact
/// (amounts entered to the cent give whole ten-thousandths) and rounded half up otherwise;
/// the whole hundreds are multiplied apart from the rest so that the sum overflows no sooner
/// than the sum of the amounts.
pub(super) fn weighted_sum(amount: &str, probability: &str) -> String {
    let (hundreds, rest) = weighted_parts(amount, probability);
    weighted_total(&hundreds, &rest)
}

/// The two sums of [`weighted_sum`], to be summed again over larger groups by
/// [`weighted_total`] (so that the rounding happens once, at the end).
pub(super) fn weighted_parts(amount: &str, probability: &str) -> (String, String) {
    (
        format!("sum({amount} / 100 * {probability})"),
        format!("sum({amount} % 100 * {probability})"),
    )
}

/// [`weighted_sum`] from its two parts.
pub(super) fn weighted_total(hundreds: &str, rest: &str) -> String {
    format!("({hundreds} + ({rest} + 50) / 100)")
}

/// Ids per statement when reading records by id ([`Reader::by_ids`]).
const ID_SLICE: usize = 1000;

pub struct Reader<'c> {
    pub(super) conn: &'c Connection,
    /// Which records this reader may see: every read of records adds its condition.
    pub(super) vis: Visibility,
    /// The database's custom fields.
    pub(super) custom: &'c Custom,
}

impl<'c> Reader<'c> {
    /// A reader that sees every record (inside a write, and for the store's own checks).
    pub(super) fn new(conn: &'c Connection, custom: &'c Custom) -> Reader<'c> {
        Reader::seeing(conn, Visibility::All, custom)
    }

    pub(super) fn seeing(conn: &'c Connection, vis: Visibility, custom: &'c Custom) -> Reader<'c> {
        Reader { conn, vis, custom }
    }

    /// The database's custom fields.
    pub fn custom(&self) -> &'c Custom {
        self.custom
    }

    /// Every field of `entity` in this database: the built-in ones, then the custom ones.
    pub fn fields(&self, entity: Entity) -> Vec<&'static Field> {
        self.custom.fields(entity)
    }

    /// A field of `entity` by name or alias, built-in or custom.
    pub fn field(&self, entity: Entity, name: &str) -> Option<&'static Field> {
        self.custom.field(entity, name)
    }
    /// Whether this reader sees every record.
    pub fn sees_all(&self) -> bool {
        self.vis.is_all()
    }

    /// `AND` the condition a row of `entity` read as `alias` must meet to be seen by this
    /// reader, or nothing: [`Visibility::condition`], the one place visibility rules apply.
    pub(super) fn seen(&self, entity: Entity, alias: &str) -> String {
        self.vis.and(entity, alias)
    }

    /// The WHERE clause of a filter over `entity` read as `t`, with what this reader may
    /// see: what lists, labels and every report take.
    pub(super) fn filtered(
        &self,
        entity: Entity,
        filter: &Filter,
        trash: bool,
        ctx: &QueryCtx,
    ) -> Result<(String, Vec<SqlValue>)> {
        // A field the user's roles hide or mask is no field to filter on: its values would
        // show through what matches.
        let limited: Vec<&str> = self
            .custom
            .fields(entity)
            .iter()
            .filter(|f| {
                matches!(
                    self.vis.limit(entity, f.name),
                    Some(Limit::Hidden | Limit::Masked)
                )
            })
            .map(|f| f.name)
            .collect();
        for term in &filter.terms {
            if let Term::Field { field, .. } = term {
                if let Some(f) = self.custom.field(entity, field) {
                    if limited.contains(&f.name) {
                        return Err(unknown_field(self.custom, entity, field));
                    }
                }
            }
        }
        let (mut sql, params) =
            where_clause_hiding(self.custom, entity, filter, trash, ctx, &limited)?;
        sql.push_str(&self.seen(entity, "t"));
        Ok((sql, params))
    }

    /// The highest id of a kind's records, trashed or not (0 when it has none).
    pub fn max_id(&self, entity: Entity) -> Result<i64> {
        Ok(self.conn.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {}", entity.table()),
            [],
            |r| r.get(0),
        )?)
    }

    /// The id of every record of `entity`, trashed ones too, in order.
    pub fn ids(&self, entity: Entity) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT id FROM {} ORDER BY id", entity.table()))?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<Vec<i64>>>()?)
    }

    /// The largest number after `prefix` among the values of `field` that begin with it
    /// (`Q-2026-0041` and `Q-2026-0041-2` give 41 for `Q-2026-`), trashed records too; 0
    /// when none does.
    pub fn max_numbered(&self, entity: Entity, field: &str, prefix: &str) -> Result<i64> {
        let sql = format!(
            "SELECT coalesce(max(CAST(substr(\"{field}\", ?2) AS INTEGER)), 0) FROM {}
              WHERE \"{field}\" LIKE ?1 ESCAPE '\\'",
            entity.table()
        );
        Ok(self.conn.prepare_cached(&sql)?.query_row(
            rusqlite::params![
                format!("{}%", escape_like(prefix)),
                prefix.chars().count() as i64 + 1
            ],
            |r| r.get(0),
        )?)
    }

    /// One record by id; trashed records too.
    pub fn get(&self, entity: Entity, id: i64) -> Result<Option<Record>> {
        let sql = format!(
            "{} WHERE t.id = ?{}",
            select(self.custom, entity, &self.vis),
            self.seen(entity, "t")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row([id], |row| read_record(self.custom, &self.vis, entity, row))
            .optional()?)
    }

    /// Records matching a filter, sorted and limited. This is the one place lists are read,
    /// where visibility rules apply.
    pub fn list(&self, entity: Entity, q: &ListQuery, ctx: &QueryCtx) -> Result<Vec<Record>> {
        // A hidden or masked field sorts nothing: its order would tell its values.
        for key in &q.sort {
            if let Some(f) = self.custom.field(entity, &key.field) {
                if matches!(
                    self.vis.limit(entity, f.name),
                    Some(Limit::Hidden | Limit::Masked)
                ) {
                    return Err(unknown_field(self.custom, entity, &key.field).context("--sort"));
                }
            }
        }
        let filter = self.pin_links(entity, &q.filter)?;
        let (mut where_sql, params) = self.filtered(entity, &filter, q.trash, ctx)?;
        where_sql.push_str(&pinned_condition(entity, &q.sort, &filter));
        let order = order_by(self.custom, entity, &q.sort, &filter, q.collate)?;
        // SQLite's LIMIT and OFFSET are 64-bit signed: more than that many is all of them
        // (a larger number would be taken as a real number and refused).
        let offset = q.offset.min(i64::MAX as usize);
        if let Some(limit) = q.limit {
            let limit = limit.min(i64::MAX as usize);
            // A page: choose the ids first, then read whole records (with their references'
            // names) for those only — not for every row the sort has to look at.
            let sql = format!(
                "SELECT t.id FROM {} t WHERE {where_sql} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
                entity.table(),
            );
            // Both reads in one read transaction (unless already in one), so the page is one
            // moment's even while another process writes.
            let own = self.conn.is_autocommit();
            if own {
                self.conn.execute_batch("BEGIN")?;
            }
            let page = (|| -> Result<Vec<Record>> {
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let ids = stmt
                    .query_map(rusqlite::params_from_iter(params), |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?;
                self.get_many(entity, &ids)
            })();
            if own {
                self.conn.execute_batch("COMMIT")?;
            }
            return page;
        }
        let mut sql = format!(
            "{} WHERE {where_sql} ORDER BY {order}",
            select(self.custom, entity, &self.vis)
        );
        if offset > 0 {
            sql.push_str(&format!(" LIMIT -1 OFFSET {offset}"));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |row| {
            read_record(self.custom, &self.vis, entity, row)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The last `n` records a list query selects, in the query's order (its limit and
    /// offset are not used): read with the order reversed, so the end of a long list is
    /// found through the same index as its start, without walking every row before it.
    pub fn list_tail(
        &self,
        entity: Entity,
        q: &ListQuery,
        n: usize,
        ctx: &QueryCtx,
    ) -> Result<Vec<Record>> {
        let filter = self.pin_links(entity, &q.filter)?;
        let (mut where_sql, params) = self.filtered(entity, &filter, q.trash, ctx)?;
        where_sql.push_str(&pinned_condition(entity, &q.sort, &filter));
        let order = reversed_order(&order_by(self.custom, entity, &q.sort, &filter, q.collate)?);
        let sql = format!(
            "SELECT t.id FROM {} t WHERE {where_sql} ORDER BY {order} LIMIT {}",
            entity.table(),
            n.min(i64::MAX as usize)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut ids = stmt
            .query_map(rusqlite::params_from_iter(params), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        ids.reverse();
        self.get_many(entity, &ids)
    }

    /// How many records a list query selects (its limit and offset are not used),
    /// counted without reading them.
    pub fn count(&self, entity: Entity, q: &ListQuery, ctx: &QueryCtx) -> Result<usize> {
        let filter = self.pin_links(entity, &q.filter)?;
        let (where_sql, params) = self.filtered(entity, &filter, q.trash, ctx)?;
        let sql = format!(
            "SELECT count(*) FROM {} t WHERE {where_sql}",
            entity.table()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row(rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// How many open tasks are due at or before `until` (a local date or date-time, ISO
    /// 8601): counted in the open tasks' index, without reading the tasks.
    pub fn count_open_tasks_due(&self, until: &str) -> Result<usize> {
        let sql = format!(
            "SELECT count(*) FROM tasks INDEXED BY tasks_open_by_due
              WHERE done = 0 AND deleted_at IS NULL AND due <= ?1{}",
            self.seen(Entity::Task, "tasks")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row([until], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// How many open deals are expected to close on or before `until` (`YYYY-MM-DD`):
    /// counted in the open deals' index, without reading the deals.
    pub fn count_open_deals_closing(&self, until: &str) -> Result<usize> {
        let sql = format!(
            "SELECT count(*) FROM deals INDEXED BY deals_open_by_id
              WHERE deleted_at IS NULL AND status = 'open' AND expected_close <= ?1{}",
            self.seen(Entity::Deal, "deals")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row([until], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The id and name of every record matching a filter, in no particular order (for
    /// ranking by fuzzy match without loading whole records; read in the table's order,
    /// which is ten times faster than walking a name index and fetching each row).
    pub fn labels(
        &self,
        entity: Entity,
        q: &ListQuery,
        ctx: &QueryCtx,
    ) -> Result<Vec<(i64, String)>> {
        let filter = self.pin_links(entity, &q.filter)?;
        let (where_sql, params) = self.filtered(entity, &filter, q.trash, ctx)?;
        let sql = format!(
            "SELECT t.id, t.{} FROM {} t WHERE {where_sql}",
            entity.label_field(),
            entity.table()
        );
        self.pairs(&sql, &params)
    }

    /// The filter with each `link:name` (or `link!=name`) term that names exactly one
    /// record pinned to its id (`link:#id`). The planner then knows the term is one value
    /// and can walk an index in the order asked for — a stage's deals by amount — instead
    /// of sorting every record the name's subquery might stand for.
    fn pin_links(&self, entity: Entity, filter: &Filter) -> Result<Filter> {
        let mut out = filter.clone();
        for term in &mut out.terms {
            let Term::Field {
                field,
                op: Op::Eq | Op::Ne,
                value,
            } = term
            else {
                continue;
            };
            let Some(Ty::Ref(target)) = self.custom.field(entity, field).map(|f| f.ty) else {
                continue;
            };
            let name = value.trim();
            if name
                .strip_prefix('#')
                .unwrap_or(name)
                .parse::<i64>()
                .is_ok()
            {
                continue;
            }
            let sql = format!(
                "SELECT id FROM {} WHERE {} = ?1 COLLATE NOCASE LIMIT 2",
                target.table(),
                target.label_field()
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let ids = stmt
                .query_map([name], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if let [id] = ids[..] {
                *value = format!("#{id}");
            }
        }
        Ok(out)
    }

    /// Records by id, in the order given (ids that do not exist are left out).
    pub fn get_many(&self, entity: Entity, ids: &[i64]) -> Result<Vec<Record>> {
        let mut found: HashMap<i64, Record> = HashMap::new();
        let select = select(self.custom, entity, &self.vis);
        let seen = self.seen(entity, "t");
        self.by_ids(
            ids,
            |marks| format!("{select} WHERE t.id IN ({marks}){seen}"),
            |row| {
                let r = read_record(self.custom, &self.vis, entity, row)?;
                found.insert(r.id(), r);
                Ok(())
            },
        )?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The records of `items`' ids, in their order, each with its item's value (ids that do
    /// not exist are left out).
    pub fn get_paired<T>(&self, entity: Entity, items: Vec<(i64, T)>) -> Result<Vec<(Record, T)>> {
        let ids: Vec<i64> = items.iter().map(|(id, _)| *id).collect();
        let mut records = self.get_many(entity, &ids)?.into_iter().peekable();
        Ok(items
            .into_iter()
            .filter_map(|(id, v)| Some((records.next_if(|r| r.id() == id)?, v)))
            .collect())
    }

    /// Live contacts whose birthday falls in the `days` days from `from` (inclusive), with
    /// the date of that birthday, soonest first. A 29 February birthday falls on 28 February
    /// in other years.
    pub fn birthdays(&self, from: NaiveDate, days: u32) -> Result<Vec<(Record, NaiveDate)>> {
        self.get_paired(Entity::Contact, self.birthday_days(from, days)?)
    }

    /// The ids of the live contacts whose birthday falls in the `days` days from `from`
    /// (inclusive), with the date of that birthday, soonest first — from an index, without
    /// reading the contacts.
    pub fn birthday_days(&self, from: NaiveDate, days: u32) -> Result<Vec<(i64, NaiveDate)>> {
        let mut dates = Vec::new();
        let mut d = from;
        for _ in 0..days.min(366) {
            dates.push(d);
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        if dates.is_empty() {
            return Ok(vec![]);
        }
        // Month-day keys, and for a 28 February in a year without a 29th, also 02-29.
        let mut keys: Vec<(String, NaiveDate)> = Vec::new();
        for d in &dates {
            keys.push((d.format("%m-%d").to_string(), *d));
            let leap = NaiveDate::from_ymd_opt(d.year(), 2, 29).is_some();
            if d.month() == 2 && d.day() == 28 && !leap {
                keys.push(("02-29".to_string(), *d));
            }
        }
        // A birthday without a year, `--05-20`, has the day of the month (`20`) where a
        // dated one has month and day, so the same index finds it by that day: those keys
        // are asked for too, and the month checked here.
        let mut params: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        for (k, _) in &keys {
            if !params.contains(&&k[3..]) {
                params.push(&k[3..]);
            }
        }
        let marks = vec!["?"; params.len()].join(", ");
        let sql = format!(
            "SELECT t.id, t.birthday FROM contacts t INDEXED BY contacts_live_by_birthday
              WHERE t.deleted_at IS NULL AND t.birthday IS NOT NULL AND substr(t.birthday, 6) IN ({marks}){}",
            self.seen(Entity::Contact, "t")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out: Vec<(i64, NaiveDate)> = Vec::new();
        while let Some(row) = rows.next()? {
            let birthday = text_ref(row, 1)?.unwrap_or("");
            let md = birthday
                .strip_prefix("--")
                .or_else(|| birthday.get(5..))
                .unwrap_or("");
            if let Some((_, d)) = keys.iter().find(|(k, _)| *k == md) {
                out.push((row.get(0)?, *d));
            }
        }
        out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }

    /// Accounts that may need care (not lost; customers, prospects, partners, distributors)
    /// by id, each with its latest activity at or before `now` (local, ISO), handed to
    /// `each` as borrowed text (no name: [`Reader::names`] for those that need one).
    pub fn account_touches(
        &self,
        now: &str,
        each: impl FnMut(LastTouch<'_>) -> Result<()>,
    ) -> Result<()> {
        let (join, latest) = latest_activity(Entity::Account, "a.id", "?1", &self.vis);
        let sql = format!(
            "SELECT a.id, a.tier, a.created_at, {latest}, NULL
               FROM accounts a INDEXED BY accounts_cared_for {join}
              WHERE a.deleted_at IS NULL AND a.status <> 'lost'
                AND a.type IN ('customer', 'prospect', 'partner', 'distributor'){}
              ORDER BY a.id",
            self.seen(Entity::Account, "a")
        );
        self.touches(&sql, now, each)
    }

    /// Open deals by id with their expected close, latest activity at or before `now` and
    /// account, as [`Reader::account_touches`] does.
    pub fn deal_touches(
        &self,
        now: &str,
        each: impl FnMut(LastTouch<'_>) -> Result<()>,
    ) -> Result<()> {
        let (join, latest) = latest_activity(Entity::Deal, "d.id", "?1", &self.vis);
        let sql = format!(
            "SELECT d.id, d.expected_close, d.created_at, {latest}, d.account_id
               FROM deals d INDEXED BY deals_open_by_id {join}
              WHERE d.deleted_at IS NULL AND d.status = 'open'{}
              ORDER BY d.id",
            self.seen(Entity::Deal, "d")
        );
        self.touches(&sql, now, each)
    }

    fn touches(
        &self,
        sql: &str,
        now: &str,
        mut each: impl FnMut(LastTouch<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([now])?;
        while let Some(r) = rows.next()? {
            each(LastTouch {
                id: r.get(0)?,
                extra: text_ref(r, 1)?,
                created_at: text_ref(r, 2)?.unwrap_or(""),
                last_activity: text_ref(r, 3)?,
                account_id: r.get(4)?,
            })?;
        }
        Ok(())
    }

    /// The names (labels) of records by id; ids that do not exist are left out.
    pub fn names(&self, entity: Entity, ids: &[i64]) -> Result<HashMap<i64, String>> {
        let mut out = HashMap::new();
        let (label, table) = (entity.label_field(), entity.table());
        let seen = self.seen(entity, table);
        self.by_ids(
            ids,
            |marks| format!("SELECT id, {label} FROM {table} WHERE id IN ({marks}){seen}"),
            |row| {
                out.insert(row.get(0)?, row.get(1)?);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// Run the statement `sql` makes of a list of `?` marks over `ids`, a slice at a time
    /// (a statement takes at most 32,766 parameters; slices of one size reuse one cached
    /// statement), handing `each` every row.
    fn by_ids(
        &self,
        ids: &[i64],
        sql: impl Fn(&str) -> String,
        mut each: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
    ) -> Result<()> {
        for part in ids.chunks(ID_SLICE) {
            let mut stmt = self
                .conn
                .prepare_cached(&sql(&vec!["?"; part.len()].join(", ")))?;
            let mut rows = stmt.query(rusqlite::params_from_iter(part))?;
            while let Some(row) = rows.next()? {
                each(row)?;
            }
        }
        Ok(())
    }

    /// Live accounts, contacts or leads for duplicate detection: all of them, or (with
    /// `like`) those whose name starts with `name_prefix`, or that have one of the emails,
    /// a phone ending in one of the digit tails, or a website or email in `domain`.
    pub fn dedupe_rows(
        &self,
        entity: Entity,
        like: Option<DedupeQuery<'_>>,
    ) -> Result<Vec<DedupeRow>> {
        let Some(sql) = dedupe_sql(entity, like.map(|q| q.keys.len())) else {
            return Ok(vec![]);
        };
        let sql = sql.replacen(
            " ORDER BY t.id",
            &format!("{} ORDER BY t.id", self.seen(entity, "t")),
            1,
        );
        let mut params: Vec<SqlValue> = Vec::new();
        if let Some(DedupeQuery { keys }) = like {
            params.push(SqlValue::Text(entity.name().to_string()));
            params.extend(keys.iter().map(|k| SqlValue::Text(k.clone())));
        }
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = |v: Option<String>| -> Vec<String> {
            v.and_then(|s| serde_json::from_str::<Vec<Option<String>>>(&s).ok())
                .unwrap_or_default()
                .into_iter()
                .flatten()
                .collect()
        };
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            let within: Option<String> = r.get(5)?;
            Ok(DedupeRow {
                id: r.get(0)?,
                name: r.get(1)?,
                emails: list(r.get(2)?),
                phones: list(r.get(3)?),
                website: r.get(4)?,
                within: if entity == Entity::Lead {
                    crate::model::dupe_keys::lead_within(within.as_deref())
                } else {
                    within
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The keys of the reminders of one kind (`task`, `no_contact`, …) delivered already,
    /// each handed to `each` with its record's id, by record id and key.
    pub fn delivered(&self, kind: &str, each: impl FnMut(i64, &str)) -> Result<()> {
        self.id_text_pairs(
            "SELECT record_id, key FROM deliveries INDEXED BY deliveries_delivered_by_kind
              WHERE state = 'delivered' AND kind = ?1
              ORDER BY record_id, key",
            kind,
            each,
        )
    }

    /// Each (id, text) row of a statement with one parameter, the text borrowed.
    fn id_text_pairs(&self, sql: &str, param: &str, mut each: impl FnMut(i64, &str)) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query([param])?;
        while let Some(row) = rows.next()? {
            each(row.get(0)?, text_ref(row, 1)?.unwrap_or(""));
        }
        Ok(())
    }

    /// The id and due date of every open task due at or before `until` (a local date or
    /// date-time, ISO 8601), soonest first, handed to `each` — from an index, without
    /// reading the tasks.
    pub fn open_tasks_due(&self, until: &str, each: impl FnMut(i64, &str)) -> Result<()> {
        self.id_text_pairs(
            &format!(
                "SELECT id, due FROM tasks INDEXED BY tasks_open_by_due
                  WHERE done = 0 AND deleted_at IS NULL AND due <= ?1{}
                  ORDER BY due, id",
                self.seen(Entity::Task, "tasks")
            ),
            until,
            each,
        )
    }

    /// Live (or trashed) records whose name is `name` (ignoring ASCII case); if none, those
    /// whose name starts with it; if none, those whose name contains it; if none and `name`
    /// is Latin letters, the Chinese names that read as it in pinyin. At most `limit`, as
    /// (id, name), and whether the match was exact.
    pub fn find_by_label(
        &self,
        entity: Entity,
        name: &str,
        limit: usize,
        trashed: bool,
    ) -> Result<(Vec<(i64, String)>, bool)> {
        let live = if trashed { "IS NOT NULL" } else { "IS NULL" };
        let label = entity.label_field();
        let table = entity.table();
        let live = format!("{live}{}", self.seen(entity, table));
        let exact = format!(
            "SELECT id, {label} FROM {table} WHERE deleted_at {live} AND {label} = ?1 COLLATE NOCASE
             ORDER BY id LIMIT {limit}"
        );
        let found = self.pairs(&exact, &[SqlValue::Text(name.to_string())])?;
        if !found.is_empty() {
            return Ok((found, true));
        }
        let prefix = format!(
            "SELECT id, {label} FROM {table} WHERE deleted_at {live} AND {label} LIKE ?1 ESCAPE '\\'
             ORDER BY {label} COLLATE NOCASE, id LIMIT {limit}"
        );
        let pattern = format!("{}%", escape_like(name));
        let found = self.pairs(&prefix, &[SqlValue::Text(pattern)])?;
        if !found.is_empty() {
            return Ok((found, false));
        }
        let pattern = format!("%{}%", escape_like(name));
        let found = self.pairs(&prefix, &[SqlValue::Text(pattern)])?;
        // Latin letters that no name holds: the Chinese names read in pinyin (`bygj`,
        // `baiyun` for 广州白云国际机场), those read best — the name itself, then a start
        // of it, then a part — and the name itself counts as exact.
        let word = match crate::model::pinyin::Typed::new(name.trim()) {
            Some(word) if found.is_empty() => word,
            _ => return Ok((found, false)),
        };
        let chinese = format!(
            "SELECT id, {label} FROM {table} WHERE deleted_at {live} AND {label} GLOB '*[^ -~]*'
             ORDER BY id"
        );
        let mut read: Vec<(i64, i64, String)> = self
            .pairs(&chinese, &[])?
            .into_iter()
            .filter_map(|(id, label)| {
                let (_, bonus) = crate::model::pinyin::score(&word, &label)?;
                Some((bonus, id, label))
            })
            .collect();
        let best = read.iter().map(|r| r.0).max().unwrap_or(0);
        read.retain(|r| r.0 == best);
        read.truncate(limit);
        Ok((
            read.into_iter().map(|(_, id, label)| (id, label)).collect(),
            best == 1000,
        ))
    }

    fn pairs(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((
                r.get(0)?,
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The change log of one record, oldest first, including the history of the records
    /// merged into it.
    pub fn history(&self, entity: Entity, id: i64) -> Result<Vec<Change>> {
        if !self.sees_all() && self.get(entity, id)?.is_none() {
            return Ok(vec![]);
        }
        self.changes(
            "WITH RECURSIVE m(id) AS (
                 SELECT ?2
                 UNION SELECT g.merged_id FROM merges g JOIN m ON g.kept_id = m.id WHERE g.entity = ?1
             )
             SELECT id, at, user, op, entity, record_id, before, after, batch, undo_of FROM changes
             WHERE entity = ?1 AND record_id IN (SELECT id FROM m) ORDER BY id",
            rusqlite::params![entity.name(), id],
        )
    }

    /// Every change of one batch, in order.
    pub fn batch_changes(&self, batch: i64) -> Result<Vec<Change>> {
        self.changes(
            "SELECT id, at, user, op, entity, record_id, before, after, batch, undo_of FROM changes
             WHERE batch = ?1 ORDER BY id",
            rusqlite::params![batch],
        )
    }

    /// The latest `n` batches of `user` that can be undone, newest first: not undone yet,
    /// and not undos themselves (a redo — the undo of an undo — can be undone again; see
    /// [`Reader::undo_depth`]).
    pub fn undoable_batches(&self, user: &str, n: usize) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        if n == 0 {
            return Ok(out);
        }
        self.user_batches(user, |batch, undone| {
            if !undone && self.undo_depth(batch)? % 2 == 0 {
                out.push(batch);
            }
            Ok(out.len() < n)
        })?;
        Ok(out)
    }

    /// The undo of `user` that a redo would take back: the newest undo not taken back yet,
    /// with nothing but undos and redos of theirs after it (a change made since ends what
    /// can be redone, as in an editor).
    pub fn redoable_batch(&self, user: &str) -> Result<Option<i64>> {
        let mut found = None;
        self.user_batches(user, |batch, undone| {
            Ok(match self.undo_depth(batch)? {
                0 => false,
                d if d % 2 == 1 && !undone => {
                    found = Some(batch);
                    false
                }
                _ => true,
            })
        })?;
        Ok(found)
    }

    /// `user`'s batches, newest first, each with whether it was taken back, handed to
    /// `each` until it says to stop (or a thousand were seen). Walked down the user's index
    /// a batch at a time (a batch's changes are consecutive ids of one user), so a change
    /// log of millions of changes costs a few lookups per batch, not a pass over all the
    /// user's changes.
    fn user_batches(
        &self,
        user: &str,
        mut each: impl FnMut(i64, bool) -> Result<bool>,
    ) -> Result<()> {
        let mut latest = self.conn.prepare_cached(
            "SELECT batch FROM changes INDEXED BY changes_by_user
              WHERE user = ?1 AND id < ?2 AND batch IS NOT NULL ORDER BY id DESC LIMIT 1",
        )?;
        let mut first = self
            .conn
            .prepare_cached("SELECT min(id) FROM changes WHERE batch = ?1")?;
        let mut below = i64::MAX;
        for _ in 0..1000 {
            let Some(batch) = latest
                .query_row(rusqlite::params![user, below], |r| r.get::<_, i64>(0))
                .optional()?
            else {
                break;
            };
            if !each(batch, self.undone_by(batch)?.is_some())? {
                break;
            }
            below = first.query_row([batch], |r| r.get::<_, i64>(0))?;
        }
        Ok(())
    }

    /// The newest `n` changes of a batch, newest first, and how many it has.
    pub fn batch_head(&self, batch: i64, n: usize) -> Result<(Vec<Change>, usize)> {
        let head = self.changes(
            "SELECT id, at, user, op, entity, record_id, before, after, batch, undo_of FROM changes
             WHERE batch = ?1 ORDER BY id DESC LIMIT ?2",
            rusqlite::params![batch, n as i64],
        )?;
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM changes WHERE batch = ?1",
            [batch],
            |r| r.get(0),
        )?;
        Ok((head, count as usize))
    }

    /// How many undos deep a batch is: 0 for a change, 1 for its undo, 2 for the undo of
    /// that (a redo), and so on.
    pub fn undo_depth(&self, batch: i64) -> Result<usize> {
        let mut depth = 0;
        let mut at = batch;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT undo_of FROM changes WHERE batch = ?1 LIMIT 1")?;
        while let Some(Some(of)) = stmt
            .query_row([at], |r| r.get::<_, Option<i64>>(0))
            .optional()?
        {
            depth += 1;
            at = of;
            if depth > 10_000 {
                break;
            }
        }
        Ok(depth)
    }

    /// The batch that undid `batch`, if any.
    pub fn undone_by(&self, batch: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT batch FROM changes WHERE undo_of = ? LIMIT 1")?
            .query_row([batch], |r| r.get(0))
            .optional()?)
    }

    /// A record's stored columns (for undo's conflict check).
    pub fn raw(&self, entity: Entity, id: i64) -> Result<Option<Map<String, Value>>> {
        raw_row(self.conn, self.custom, entity, id)
    }

    fn changes(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Change>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, |r| {
            let parse = |s: Option<String>| {
                s.and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or(Value::Null)
            };
            Ok(Change {
                id: r.get(0)?,
                at: r.get(1)?,
                user: r.get(2)?,
                op: r.get(3)?,
                entity: r.get(4)?,
                record_id: r.get(5)?,
                before: parse(r.get(6)?),
                after: parse(r.get(7)?),
                batch: r.get(8)?,
                undo_of: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The stages a deal entered, oldest first.
    pub fn stage_history(&self, deal: i64) -> Result<Vec<StageStep>> {
        if !self.sees_all() && self.get(Entity::Deal, deal)?.is_none() {
            return Ok(vec![]);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.name, s.name, h.at, h.user FROM deal_stage_history h
             JOIN stages s ON s.id = h.to_stage_id
             LEFT JOIN stages f ON f.id = h.from_stage_id
             WHERE h.deal_id = ? ORDER BY h.id",
        )?;
        let rows = stmt.query_map([deal], |r| {
            Ok(StageStep {
                from: r.get(0)?,
                to: r.get(1)?,
                at: r.get(2)?,
                user: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// At most how many rows [`Reader::search_rows`] gives (the highest id of each kind
    /// searched, read from the end of its table): what a reader of them reserves room for.
    pub fn search_rows_most(&self) -> Result<usize> {
        let mut n = 0;
        for entity in Entity::RECORDS {
            if entity.kind().search.is_some() {
                let most: i64 = self.conn.query_row(
                    &format!("SELECT coalesce(max(id), 0) FROM {}", entity.table()),
                    [],
                    |r| r.get(0),
                )?;
                n += most.max(0) as usize;
            }
        }
        Ok(n)
    }

    /// Every live record of the kinds that are searched ([`crate::model::Kind::search`]),
    /// with its line of detail, for fuzzy search, handed over `chunk` rows at a time (so
    /// they can be matched while the next are read). Accounts come first: their names are
    /// the detail of the records that point at one.
    pub fn search_rows(&self, chunk: usize, mut each: impl FnMut(SearchRows)) -> Result<()> {
        let mut buf = SearchRows::default();
        let mut full = |buf: &mut SearchRows| {
            if buf.len() == chunk {
                each(std::mem::take(buf));
            }
        };
        fn text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
            Ok(r.get_ref(i)?.as_str_or_null()?.unwrap_or(""))
        }
        // What one kind's rows are read with: id, label, the two detail fields, and its
        // text custom fields (one text, empty when it has none).
        let select = |entity: Entity, [a, b]: [&str; 2]| -> String {
            let column = |name: &str| {
                entity
                    .field(name)
                    .map_or_else(|| "NULL".to_string(), |f| format!("t.\"{}\"", f.column()))
            };
            let custom: Vec<String> = self
                .custom
                .of(entity)
                .iter()
                .filter(|f| f.text)
                .map(|f| format!("coalesce({}, '')", f.sql()))
                .collect();
            let custom = if custom.is_empty() {
                "NULL".to_string()
            } else {
                custom.join(" || ' ' || ")
            };
            format!(
                "SELECT t.id, t.\"{label}\", {a}, {b}, {custom}, t.deleted_at IS NULL FROM {table} t",
                label = entity.label_field(),
                a = column(a),
                b = column(b),
                table = entity.table(),
            )
        };
        // Every account's name (trashed ones too: a live contact may still point at one),
        // kept by id for the contacts' and deals' detail lines, instead of a join per row.
        // One text of them all, with each one's id and end (a string apiece would take
        // twice the room, held while every other record is read).
        let mut accounts: Vec<(i64, usize)> = Vec::new();
        let mut account_names = String::new();
        let mut second = String::new();
        // The second detail field and the custom ones, as one text; a field of fixed
        // values (a deal's or a lead's status) as the language says it (`fixed`: the kind
        // and the field, outside English).
        fn second_of(
            r: &Row<'_>,
            second: &mut String,
            fixed: Option<(Entity, &str)>,
        ) -> rusqlite::Result<()> {
            second.clear();
            match fixed {
                Some((entity, field)) => second.push_str(&crate::model::record::choice_label(
                    entity,
                    field,
                    text(r, 3)?,
                )),
                None => second.push_str(text(r, 3)?),
            }
            let custom = text(r, 4)?.trim();
            if !custom.is_empty() {
                if !second.trim().is_empty() {
                    second.push(' ');
                }
                second.push_str(custom);
            }
            Ok(())
        }
        let english = crate::core::text::language() == "en";
        let fixed = |entity: Entity, field: &'static str| {
            let choice = matches!(
                entity.field(field).map(|f| f.ty),
                Some(crate::model::Ty::Enum(_))
            );
            (choice && !english).then_some((entity, field))
        };
        if let Some(detail) = Entity::Account.kind().search {
            // Only the accounts this reader sees are found, and name a detail line.
            let mut stmt = self.conn.prepare_cached(&format!(
                "{}{} ORDER BY t.id",
                select(Entity::Account, detail),
                self.vis
                    .condition(Entity::Account, "t")
                    .map(|c| format!(" WHERE {c}"))
                    .unwrap_or_default()
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (id, name): (i64, &str) = (r.get(0)?, text(r, 1)?);
                if r.get::<_, bool>(5)? {
                    second_of(r, &mut second, fixed(Entity::Account, detail[1]))?;
                    buf.push(Entity::Account, id, name, text(r, 2)?, &second);
                    full(&mut buf);
                }
                account_names.push_str(name);
                accounts.push((id, account_names.len()));
            }
        }
        // Looked up half a million times: straight by id when ids are dense (they are
        // handed out in order), by bisection otherwise.
        let max_id = accounts.last().map_or(0, |(id, _)| *id);
        let slots: Option<Vec<u32>> =
            (max_id >= 0 && (max_id as u64) < 4 * accounts.len() as u64 + 1_000_000).then(|| {
                let mut slots = vec![u32::MAX; max_id as usize + 1];
                for (i, (id, _)) in accounts.iter().enumerate() {
                    if *id >= 0 {
                        slots[*id as usize] = i as u32;
                    }
                }
                slots
            });
        let account = |id: Option<i64>| -> Option<(i64, &str)> {
            let id = id?;
            let i = match &slots {
                Some(slots) => *slots.get(usize::try_from(id).ok()?)? as usize,
                None => accounts.binary_search_by_key(&id, |(id, _)| *id).ok()?,
            };
            let (id, end) = *accounts.get(i)?;
            let start = i.checked_sub(1).map_or(0, |j| accounts[j].1);
            Some((id, &account_names[start..end]))
        };
        // The other kinds searched. The detail line is the two fields, with the account's
        // name for a reference to one: a contact's account and job title, a lead's company
        // and status, a deal's account and status.
        for entity in Entity::RECORDS {
            let Some(detail) = entity.kind().search.filter(|_| entity != Entity::Account) else {
                continue;
            };
            let first_is_account =
                entity.field(detail[0]).and_then(|f| f.is_ref()) == Some(Entity::Account);
            let sql = format!(
                "{} WHERE t.deleted_at IS NULL{}",
                select(entity, detail),
                self.seen(entity, "t")
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (first, linked) = if first_is_account {
                    account(r.get(2)?).map_or(("", None), |(id, name)| (name, Some(id)))
                } else {
                    (text(r, 2)?, None)
                };
                second_of(r, &mut second, fixed(entity, detail[1]))?;
                buf.push_linked(entity, r.get(0)?, text(r, 1)?, first, &second, linked);
                full(&mut buf);
            }
        }
        if !buf.is_empty() {
            each(buf);
        }
        Ok(())
    }

    /// Open deals per stage of one pipeline.
    pub fn stage_summary(&self, pipeline: i64) -> Result<Vec<StageSummary>> {
        let mut stmt = self.conn.prepare_cached(
            // Summed once per stage from the open deals' index, then joined to the stages
            // (a LEFT JOIN straight onto deals reads every deal's row). The pipeline's
            // stages are named by `IN`, so the index is walked stage by stage in its own
            // order and the groups need no sorting (by a join on the pipeline, SQLite
            // sorted all 90,000 open deals of the large dataset into a temporary b-tree).
            &format!(
                "SELECT s.id, t.currency, coalesce(t.n, 0), t.amount, t.weighted
                   FROM stages s
                   LEFT JOIN (SELECT d.stage_id AS stage_id, d.currency AS currency, count(*) AS n,
                                     sum(d.amount) AS amount, {weighted} AS weighted
                                FROM deals d INDEXED BY deals_open_by_stage
                                JOIN stages x ON x.id = d.stage_id
                               WHERE d.deleted_at IS NULL AND d.status = 'open'
                                 AND d.stage_id IN (SELECT id FROM stages WHERE pipeline_id = ?1){seen}
                               GROUP BY d.stage_id, d.currency) t ON t.stage_id = s.id
                  WHERE s.pipeline_id = ?1 AND s.deleted_at IS NULL
                  ORDER BY s.position, s.id",
                weighted = weighted_sum("d.amount", "coalesce(d.probability, x.probability)"),
                seen = self.seen(Entity::Deal, "d")
            ),
        )?;
        let mut out: Vec<StageSummary> = Vec::new();
        let mut rows = stmt.query([pipeline])?;
        while let Some(r) = rows.next()? {
            let stage_id: i64 = r.get(0)?;
            if out.last().is_none_or(|s| s.stage_id != stage_id) {
                out.push(StageSummary {
                    stage_id,
                    count: 0,
                    amount: Totals::new(),
                    weighted_amount: Totals::new(),
                });
            }
            let s = out.last_mut().expect("pushed above");
            let currency: Option<String> = r.get(1)?;
            s.count += r.get::<_, i64>(2)?;
            if let Some(a) = r.get::<_, Option<i64>>(3)? {
                s.amount.add(currency.as_deref(), Money::from_minor(a));
            }
            if let Some(w) = r.get::<_, Option<i64>>(4)? {
                s.weighted_amount
                    .add(currency.as_deref(), Money::from_minor(w));
            }
        }
        Ok(out)
    }

    /// True when the database holds no account, contact, lead, deal, activity or task.
    pub fn is_empty(&self) -> Result<bool> {
        for e in Entity::RECORDS {
            let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", e.table());
            let any: bool = self.conn.query_row(&sql, [], |r| r.get(0))?;
            if any {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

// ---------------------------------------------------------------------------------------
// SELECT and reading rows

/// `SELECT <every field> FROM <table> t`; references also carry the name of what they
/// point at.
/// The columns of records of `entity` read as `t`; a reference's name only when `vis` lets
/// its record be seen (its id stays).
fn select(custom: &Custom, entity: Entity, vis: &Visibility) -> String {
    let mut cols = vec!["t.id".to_string()];
    for f in custom.fields(entity) {
        // A field the user's roles hide is not read; a masked one reads as the mask.
        let limited = match vis.limit(entity, f.name) {
            Some(Limit::Hidden) => Some("NULL".to_string()),
            Some(Limit::Masked) => Some(format!("'{MASK}'")),
            _ => None,
        };
        cols.push(limited.clone().unwrap_or_else(|| read_sql(entity, f)));
        if let Ty::Ref(target) = f.ty {
            cols.push(limited.unwrap_or_else(|| label_seen(target, &f.sql(), vis)));
        }
    }
    cols.extend(["t.created_at", "t.updated_at", "t.deleted_at"].map(String::from));
    format!("SELECT {} FROM {} t", cols.join(", "), entity.table())
}

/// The SQL reading a field as records carry it: a state computed when read (see
/// [`crate::model::Computed`]) against `kith_today()`, else its column.
pub(super) fn read_sql(entity: Entity, f: &Field) -> String {
    if let Some(d) = entity.kind().derived.iter().find(|d| d.field == f.name) {
        return d.sql("kith_now()");
    }
    match entity.kind().computed.iter().find(|c| c.field == f.name) {
        Some(c) => format!(
            "CASE WHEN {} THEN '{}' ELSE {} END",
            computed_when(c, "kith_today()"),
            c.word,
            f.sql()
        ),
        None => f.sql(),
    }
}

/// The condition under which a computed state holds, against `today` (SQL).
fn computed_when(c: &crate::model::Computed, today: &str) -> String {
    let from = c
        .from
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "(t.\"{}\" IN ({from}) AND t.\"{}\" < {today})",
        c.field, c.date
    )
}

/// A filter on a field with a state computed when read: `status:expired` is the state's
/// condition; `status:sent` the stored word where the state does not hold (so an index on
/// the field and the date serves both); other comparisons on the computed value.
fn computed_cmp(
    c: &crate::model::Computed,
    f: &Field,
    op: Op,
    value: &str,
    ctx: &QueryCtx,
) -> Result<(String, Vec<SqlValue>)> {
    let today = format!("'{}'", ctx.now.date().format("%Y-%m-%d"));
    let holds = computed_when(c, &today);
    match op {
        Op::Eq | Op::Ne => {
            let w = word_of(f, value)?;
            // A record without the date never holds the state (`end < today` is NULL there:
            // NOT of it must not be NULL too).
            // A word the state is computed from (`sent`) holds where the date has not
            // passed: written as a range of the date, so that an index on the field and
            // the date reads only those.
            let sql = if w == c.word {
                holds
            } else if c.from.contains(&w) && op == Op::Eq {
                format!(
                    "(t.\"{f}\" = ? AND (t.\"{d}\" IS NULL OR t.\"{d}\" >= {today}))",
                    f = c.field,
                    d = c.date
                )
            } else if c.from.contains(&w) {
                format!("(t.\"{}\" = ? AND NOT coalesce({holds}, 0))", c.field)
            } else {
                format!("t.\"{}\" = ?", c.field)
            };
            let params = if w == c.word {
                vec![]
            } else {
                vec![SqlValue::Text(w.to_string())]
            };
            Ok(if op == Op::Ne {
                (format!("NOT coalesce({sql}, 0)"), params)
            } else {
                (sql, params)
            })
        }
        _ => {
            let expr = format!("CASE WHEN {holds} THEN '{}' ELSE {} END", c.word, f.sql());
            text_cmp(&expr, op, value)
        }
    }
}

/// The latest live activity at or before `at` (an SQL expression: a parameter) of the
/// account or deal whose id is `id`: the join that brings its latest activity of all (kept
/// by triggers, schema version 7) and the expression that takes it when it is not later
/// than `at`, and seeks the latest one before `at` in the index when it is. Under a
/// [`Visibility`] that hides some activities, the latest one seen is sought in the index.
pub(super) fn latest_activity(
    of: Entity,
    id: &str,
    at: &str,
    vis: &Visibility,
) -> (String, String) {
    let (table, key, index) = match of {
        Entity::Deal => ("deal_last_activity", "deal_id", "activities_live_by_deal"),
        _ => (
            "account_last_activity",
            "account_id",
            "activities_live_by_account",
        ),
    };
    if let Some(seen) = vis.condition(Entity::Activity, "x") {
        return (
            String::new(),
            format!(
                "(SELECT max(x.at) FROM activities x INDEXED BY {index}
                   WHERE x.{key} = {id} AND x.deleted_at IS NULL AND x.at <= {at} AND {seen})"
            ),
        );
    }
    (
        format!("LEFT JOIN {table} la ON la.{key} = {id}"),
        format!(
            "CASE WHEN la.at IS NULL OR la.at <= {at} THEN la.at
                  ELSE (SELECT max(x.at) FROM activities x INDEXED BY {index}
                         WHERE x.{key} = {id} AND x.deleted_at IS NULL AND x.at <= {at}) END"
        ),
    )
}

pub(super) fn label_of(target: Entity, id_expr: &str) -> String {
    label_seen(target, id_expr, &Visibility::All)
}

/// The name of the `target` record whose id is `id_expr`, when `vis` lets it be seen.
pub(super) fn label_seen(target: Entity, id_expr: &str, vis: &Visibility) -> String {
    format!(
        "(SELECT r.{} FROM {} r WHERE r.id = {id_expr}{})",
        target.label_field(),
        target.table(),
        vis.and(target, "r")
    )
}

/// Column `i` of a row as borrowed text (or NULL), without copying it.
fn text_ref<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn read_record(
    custom: &Custom,
    vis: &Visibility,
    entity: Entity,
    row: &Row<'_>,
) -> rusqlite::Result<Record> {
    let mut m = Map::new();
    let mut i = 0;
    m.insert("id".into(), Value::from(row.get::<_, i64>(i)?));
    i += 1;
    for f in custom.fields(entity) {
        let v = to_json(f.ty, row.get_ref(i)?);
        i += 1;
        match f.ty {
            Ty::Ref(_) => {
                m.insert(f.column(), v);
                m.insert(f.name.to_string(), to_json(Ty::Text, row.get_ref(i)?));
                i += 1;
            }
            Ty::List { first, .. } => {
                let head = v
                    .as_array()
                    .and_then(|a| a.first().cloned())
                    .unwrap_or(Value::Null);
                m.insert(f.name.to_string(), v);
                m.insert(first.to_string(), head);
            }
            _ => {
                m.insert(f.name.to_string(), v);
            }
        }
    }
    for key in ["created_at", "updated_at", "deleted_at"] {
        m.insert(key.into(), to_json(Ty::Text, row.get_ref(i)?));
        i += 1;
    }
    if vis.limits(entity) {
        for f in custom.fields(entity) {
            match vis.limit(entity, f.name) {
                Some(Limit::Hidden) => {
                    m.remove(f.name);
                    m.remove(&f.column());
                    if let Ty::List { first, .. } = f.ty {
                        m.remove(first);
                    }
                }
                Some(Limit::Masked) => {
                    m.insert(f.name.to_string(), Value::String(MASK.into()));
                    if let Ty::Ref(_) = f.ty {
                        m.insert(f.column(), Value::Null);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(Record::new(entity, m))
}

fn to_json(ty: Ty, v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => match ty {
            Ty::Bool => Value::Bool(i != 0),
            // Amounts are stored in minor units (see crate::core::money).
            Ty::Money | Ty::Percent | Ty::Quantity => Money::from_minor(i).to_json(),
            Ty::ExchangeRate => crate::core::exchange::Rate::from_minor(i)
                .map_or(Value::Null, crate::core::exchange::Rate::to_json),
            _ => Value::from(i),
        },
        ValueRef::Real(f) => match ty {
            Ty::Money | Ty::Percent | Ty::Quantity => {
                Money::from_f64(f).map_or(Value::Null, Money::to_json)
            }
            _ => serde_json::Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
        },
        ValueRef::Text(t) => {
            let s = String::from_utf8_lossy(t);
            match ty {
                Ty::List { .. } | Ty::Tags => {
                    serde_json::from_str(&s).unwrap_or_else(|_| Value::Array(vec![]))
                }
                _ => Value::String(s.into_owned()),
            }
        }
        ValueRef::Blob(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
    }
}

/// The statement reading what duplicate detection compares of the live records of
/// `entity`: all of them, or (with the number of keys) those sharing one of the keys, found
/// through the index of duplicate keys (see super::dupe_index). None when there is nothing
/// to read.
pub(super) fn dedupe_sql(entity: Entity, keys: Option<usize>) -> Option<String> {
    let dupes = entity.kind().dupes?;
    let list = |field: &str| {
        let f = entity
            .field(field)
            .expect("a duplicate key is a field of its kind");
        match f.ty {
            Ty::List { .. } => format!("t.{}", f.column()),
            _ => format!("json_array(t.{})", f.column()),
        }
    };
    let (emails, phones) = (list(dupes.emails), list(dupes.phones));
    let website = dupes
        .website
        .map_or("NULL".to_string(), |w| format!("t.{w}"));
    let within = match dupes.within {
        Within::All => "NULL".to_string(),
        Within::Same(f) => format!("CAST(t.{}_id AS TEXT)", f),
        Within::Company(f) => format!("t.{f}"),
    };
    let mut sql = format!(
        "SELECT t.id, t.name, {emails}, {phones}, {website}, {within} FROM {} t WHERE t.deleted_at IS NULL",
        entity.table()
    );
    match keys {
        Some(0) => return None,
        Some(n) => sql.push_str(&format!(
            " AND t.id IN (SELECT record_id FROM dupe_keys WHERE entity = ? AND key IN ({}))",
            vec!["?"; n].join(", ")
        )),
        None => {}
    }
    sql.push_str(" ORDER BY t.id");
    Some(sql)
}

/// A row exactly as stored (column → value), for the change log. Lists are parsed and
/// booleans are true/false so that before/after compare with what the library writes.
pub(super) fn raw_row(
    conn: &Connection,
    custom: &Custom,
    entity: Entity,
    id: i64,
) -> Result<Option<Map<String, Value>>> {
    let mut stmt = conn.prepare_cached(&raw_sql(entity))?;
    let columns = RawColumns::of(entity, &stmt);
    Ok(stmt
        .query_row([id, id], |row| {
            let mut m = Map::with_capacity(columns.names.len());
            for (i, name) in columns.names.iter().enumerate() {
                if columns.derived == Some(i) {
                    continue;
                }
                let v = to_json(columns.types[i], row.get_ref(i)?);
                if columns.custom == Some(i) {
                    // Each custom value is a key of its own: `custom.segment`.
                    if let Value::Object(o) = v {
                        for (k, v) in o {
                            let v = custom_logged(custom, entity, &k, v);
                            m.insert(format!("custom.{k}"), v);
                        }
                    }
                    continue;
                }
                m.insert(name.clone(), v);
            }
            Ok(m)
        })
        .optional()?)
}

/// Every column of the rows of `entity` with ids from `first` to `last`, in id order, as
/// the JSON text of the object [`raw_row`] makes (the change log's `after`), each handed
/// to `each` with its id. The text is written straight from the row, one buffer for all.
pub(super) fn raw_rows_json(
    conn: &Connection,
    custom: &Custom,
    entity: Entity,
    first: i64,
    last: i64,
    mut each: impl FnMut(i64, &str) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&raw_sql(entity))?;
    let columns = RawColumns::of(entity, &stmt);
    // Each column's `"name":`, made once.
    let keys: Vec<String> = columns
        .names
        .iter()
        .map(|n| format!("{}:", Value::from(n.as_str())))
        .collect();
    let id_at = columns.names.iter().position(|n| n == "id").unwrap_or(0);
    let mut rows = stmt.query([first, last])?;
    let mut text: Vec<u8> = Vec::new();
    let failed =
        |e: &dyn std::fmt::Display| crate::err!(Failed, "query.writing_change_log", reason = e);
    while let Some(row) = rows.next()? {
        text.clear();
        text.push(b'{');
        let mut first = true;
        for (i, key) in keys.iter().enumerate() {
            if columns.derived == Some(i) {
                continue;
            }
            let v = to_json(columns.types[i], row.get_ref(i)?);
            if columns.custom == Some(i) {
                if let Value::Object(o) = v {
                    for (k, v) in o {
                        if !first {
                            text.push(b',');
                        }
                        first = false;
                        serde_json::to_writer(&mut text, &format!("custom.{k}"))
                            .map_err(|e| failed(&e))?;
                        text.push(b':');
                        let v = custom_logged(custom, entity, &k, v);
                        serde_json::to_writer(&mut text, &v).map_err(|e| failed(&e))?;
                    }
                }
                continue;
            }
            if !first {
                text.push(b',');
            }
            first = false;
            text.extend_from_slice(key.as_bytes());
            serde_json::to_writer(&mut text, &v).map_err(|e| failed(&e))?;
        }
        text.push(b'}');
        let json = std::str::from_utf8(&text).map_err(|e| failed(&e))?;
        each(row.get(id_at)?, json)?;
    }
    Ok(())
}

/// A custom value as the change log holds it: as stored, amounts in units (as a money
/// column's are logged).
fn custom_logged(custom: &Custom, entity: Entity, key: &str, v: Value) -> Value {
    match (custom.def(entity, key).map(|d| d.ty.as_str()), v.as_i64()) {
        (Some("money"), Some(minor)) => Money::from_minor(minor).to_json(),
        _ => v,
    }
}

/// The rows of a table with ids in a range, every column.
fn raw_sql(entity: Entity) -> String {
    format!(
        "SELECT * FROM {} WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
        entity.table()
    )
}

/// The columns of `SELECT *` on a table, with the type of the field each holds.
struct RawColumns {
    names: Vec<String>,
    types: Vec<Ty>,
    /// Where the `custom` column is, if the table has one: each key of its JSON object is
    /// given as `custom.<key>`, with its value as stored; nothing when it holds none (a
    /// record without custom values logs as it always did).
    custom: Option<usize>,
    /// Where the name's sort key is (made from the name, not a value of the record's:
    /// left out).
    derived: Option<usize>,
}

impl RawColumns {
    fn of(entity: Entity, stmt: &rusqlite::Statement<'_>) -> RawColumns {
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let types = names
            .iter()
            .map(|c| {
                entity
                    .fields()
                    .iter()
                    .find(|f| f.has_column(c))
                    .map(|f| f.ty)
                    // The custom column's text is JSON, parsed as a list's is.
                    .unwrap_or(if c == "custom" { Ty::Tags } else { Ty::Text })
            })
            .collect();
        let custom = names.iter().position(|n| n == "custom");
        let derived = names.iter().position(|n| n == super::name_keys::COLUMN);
        RawColumns {
            names,
            types,
            custom,
            derived,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Filters

#[cfg(test)]
pub(super) fn where_clause(
    custom: &Custom,
    entity: Entity,
    filter: &Filter,
    trash: bool,
    ctx: &QueryCtx,
) -> Result<(String, Vec<SqlValue>)> {
    where_clause_hiding(custom, entity, filter, trash, ctx, &[])
}

/// [`where_clause`], with bare words not looked for in the fields `hidden` names.
fn where_clause_hiding(
    custom: &Custom,
    entity: Entity,
    filter: &Filter,
    trash: bool,
    ctx: &QueryCtx,
    hidden: &[&str],
) -> Result<(String, Vec<SqlValue>)> {
    let mut parts = vec![if trash {
        "t.deleted_at IS NOT NULL".to_string()
    } else {
        "t.deleted_at IS NULL".to_string()
    }];
    let mut params = Vec::new();
    let mut entered: Vec<(Op, &str)> = Vec::new();
    for term in &filter.terms {
        if let Some(e) = entered_term(custom, entity, term) {
            entered.push(e);
            continue;
        }
        let (sql, mut p) = compile_term(custom, entity, term, ctx, hidden)?;
        parts.push(format!("({sql})"));
        params.append(&mut p);
    }
    if !entered.is_empty() {
        let (sql, mut p) = entered_sql(&entered, ctx)
            .map_err(|e| e.context(crate::tr!("query.filter_at", field = "entered")))?;
        parts.push(format!("({sql})"));
        params.append(&mut p);
    }
    Ok((parts.join(" AND "), params))
}

/// A deal's `entered` term (when deals have no field of that name): about the stage
/// history, not a column.
fn entered_term<'t>(custom: &Custom, entity: Entity, term: &'t Term) -> Option<(Op, &'t str)> {
    match term {
        Term::Field { field, op, value }
            if entity == Entity::Deal
                && field == "entered"
                && custom.field(entity, "entered").is_none() =>
        {
            Some((*op, value.as_str()))
        }
        _ => None,
    }
}

/// The `entered` terms of a deal filter, all about one entry of its stage history:
/// `entered:STAGE` (by id or name, as a link) is the stage entered, and `entered>=DATE`,
/// `entered<=DATE` (`<`, `>`, `.before`, `.after`) the local days it was entered between.
/// `entered:proposal 'entered>=2026-11-01'` keeps the deals that entered proposal on or
/// after November 1, as the funnel counts them.
fn entered_sql(terms: &[(Op, &str)], ctx: &QueryCtx) -> Result<(String, Vec<SqlValue>)> {
    let mut conds = vec!["h.deal_id = t.id".to_string()];
    let mut params = Vec::new();
    for &(op, value) in terms {
        let (sql, mut p) = match op {
            Op::Eq => ref_cmp(Entity::Stage, "h.to_stage_id", op, value)?,
            Op::Lt | Op::Le | Op::Gt | Op::Ge => date_cmp(Ty::Stamp, "h.at", op, value, ctx)?,
            _ => return Err(crate::err!(Invalid, "query.entered_takes")),
        };
        conds.push(sql);
        params.append(&mut p);
    }
    Ok((
        format!(
            "EXISTS (SELECT 1 FROM deal_stage_history h WHERE {})",
            conds.join(" AND ")
        ),
        params,
    ))
}

fn unknown_field(custom: &Custom, entity: Entity, name: &str) -> Error {
    crate::err!(
        Invalid,
        "query.field_unknown",
        name = name,
        kind = entity.plural(),
        fields = custom.field_names(entity).join(", ")
    )
}

fn compile_term(
    custom: &Custom,
    entity: Entity,
    term: &Term,
    ctx: &QueryCtx,
    hidden: &[&str],
) -> Result<(String, Vec<SqlValue>)> {
    match term {
        Term::Tag { tag, present } => {
            let sql = format!(
                "{}EXISTS (SELECT 1 FROM json_each(t.tags) WHERE value = ?)",
                if *present { "" } else { "NOT " }
            );
            Ok((sql, vec![SqlValue::Text(tag.to_lowercase())]))
        }
        Term::Word(w) => {
            let pattern = SqlValue::Text(format!("%{}%", escape_like(w)));
            let ors: Vec<String> = custom
                .fields(entity)
                .iter()
                .filter(|f| f.text && !hidden.contains(&f.name))
                .map(|f| format!("{} LIKE ? ESCAPE '\\'", f.sql()))
                .collect();
            let sql = ors.join(" OR ");
            let n = ors.len();
            Ok((sql, vec![pattern; n]))
        }
        Term::Field { field, op, value } => {
            let f = custom
                .field(entity, field)
                .ok_or_else(|| unknown_field(custom, entity, field))?;
            let kind = entity.kind();
            if let Some(d) = kind.derived.iter().find(|d| d.field == f.name) {
                return derived_cmp(d, f, *op, value, ctx)
                    .map_err(|e| e.context(crate::tr!("query.filter_at", field = field)));
            }
            if let Some(set) = kind.sets.iter().find(|s| {
                s.field == f.name
                    && matches!(op, Op::Eq | Op::Ne)
                    && s.word.eq_ignore_ascii_case(value.trim())
            }) {
                return Ok(set_cmp(set, f, *op));
            }
            match kind.computed.iter().find(|c| c.field == f.name) {
                Some(c) => computed_cmp(c, f, *op, value, ctx),
                None => compile_field(f, *op, value, ctx),
            }
            .map_err(|e| e.context(crate::tr!("query.filter_at", field = field)))
        }
    }
}

/// The word of an enum field a filter names (a unique prefix too), or why not.
fn word_of(f: &Field, value: &str) -> Result<&'static str> {
    crate::model::choose(f.choices(), value).ok_or_else(|| {
        crate::err!(
            Invalid,
            "query.not_one_of",
            value = value,
            choices = f.choices().join(", ")
        )
    })
}

/// A filter on a state read from other fields and the clock ([`crate::model::Derived`]):
/// `sla:breached` is the state's condition at the query's moment.
fn derived_cmp(
    d: &crate::model::Derived,
    f: &Field,
    op: Op,
    value: &str,
    ctx: &QueryCtx,
) -> Result<(String, Vec<SqlValue>)> {
    let now = format!("'{}'", crate::core::clock::Clock::at_local(ctx.now).stamp());
    match op {
        Op::Eq | Op::Ne => {
            let w = word_of(f, value)?;
            let holds = d.holds(w, &now).unwrap_or_else(|| "0".into());
            Ok(if op == Op::Ne {
                (format!("NOT {holds}"), vec![])
            } else {
                (holds, vec![])
            })
        }
        Op::IsEmpty => Ok((format!("{} IS NULL", d.sql(&now)), vec![])),
        Op::NotEmpty => Ok((format!("{} IS NOT NULL", d.sql(&now)), vec![])),
        _ => text_cmp(&d.sql(&now), op, value),
    }
}

/// A filter on a word standing for several values ([`crate::model::WordSet`]).
fn set_cmp(set: &crate::model::WordSet, f: &Field, op: Op) -> (String, Vec<SqlValue>) {
    let list = set
        .means
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let col = f.sql();
    if op == Op::Ne {
        (format!("({col} IS NULL OR {col} NOT IN ({list}))"), vec![])
    } else {
        (format!("{col} IN ({list})"), vec![])
    }
}

fn compile_field(
    f: &Field,
    op: Op,
    value: &str,
    ctx: &QueryCtx,
) -> Result<(String, Vec<SqlValue>)> {
    let col = f.sql();
    if f.name == "id" {
        return number_cmp(&col, op, value);
    }
    match f.ty {
        Ty::Text | Ty::LongText | Ty::Email | Ty::Phone | Ty::Currency => text_cmp(&col, op, value),
        Ty::Enum(_) => {
            if matches!(op, Op::Eq | Op::Ne) {
                let v = word_of(f, value)?;
                text_cmp(&col, op, v)
            } else {
                text_cmp(&col, op, value)
            }
        }
        Ty::Int { .. } => number_cmp(&col, op, value),
        Ty::Money | Ty::Quantity => money_cmp(&col, op, value),
        Ty::Percent => percent_cmp(&col, op, value),
        Ty::ExchangeRate => rate_cmp(&col, op, value),
        Ty::Bool => {
            let b = crate::core::values::parse_bool(value)?;
            match op {
                Op::Eq => Ok((format!("{col} = ?"), vec![SqlValue::Integer(b as i64)])),
                Op::Ne => Ok((format!("{col} <> ?"), vec![SqlValue::Integer(b as i64)])),
                _ => Err(crate::err!(Invalid, "query.yes_fields_take")),
            }
        }
        Ty::Date | Ty::When | Ty::Stamp => date_cmp(f.ty, &col, op, value, ctx),
        Ty::Ref(target) => ref_cmp(target, &col, op, value),
        Ty::List { .. } | Ty::Tags => list_cmp(&col, op, value, f.ty == Ty::Tags),
    }
}

fn text_cmp(col: &str, op: Op, value: &str) -> Result<(String, Vec<SqlValue>)> {
    let v = |s: String| vec![SqlValue::Text(s)];
    let like = |pattern: String| v(pattern);
    Ok(match op {
        Op::Eq => (format!("{col} = ? COLLATE NOCASE"), v(value.into())),
        Op::Ne => (
            format!("({col} IS NULL OR {col} <> ? COLLATE NOCASE)"),
            v(value.into()),
        ),
        Op::Lt => (format!("{col} < ?"), v(value.into())),
        Op::Le => (format!("{col} <= ?"), v(value.into())),
        Op::Gt => (format!("{col} > ?"), v(value.into())),
        Op::Ge => (format!("{col} >= ?"), v(value.into())),
        Op::Has => (
            format!("{col} LIKE ? ESCAPE '\\'"),
            like(format!("%{}%", escape_like(value))),
        ),
        Op::NotHas => (
            format!("({col} IS NULL OR {col} NOT LIKE ? ESCAPE '\\')"),
            like(format!("%{}%", escape_like(value))),
        ),
        Op::StartsWith => (
            format!("{col} LIKE ? ESCAPE '\\'"),
            like(format!("{}%", escape_like(value))),
        ),
        Op::EndsWith => (
            format!("{col} LIKE ? ESCAPE '\\'"),
            like(format!("%{}", escape_like(value))),
        ),
        Op::IsEmpty => (format!("({col} IS NULL OR {col} = '')"), vec![]),
        Op::NotEmpty => (format!("({col} IS NOT NULL AND {col} <> '')"), vec![]),
    })
}

fn number_cmp(col: &str, op: Op, value: &str) -> Result<(String, Vec<SqlValue>)> {
    if matches!(op, Op::IsEmpty | Op::NotEmpty) {
        return compare(col, op, SqlValue::Null);
    }
    let n = crate::core::values::parse_number(value)?;
    compare(col, op, SqlValue::Real(n))
}

/// An amount compares exactly: the value is read as [`Money`] and compared with the stored
/// minor units (`amount>5000` is `amount > 50000000`).
fn money_cmp(col: &str, op: Op, value: &str) -> Result<(String, Vec<SqlValue>)> {
    if matches!(op, Op::IsEmpty | Op::NotEmpty) {
        return compare(col, op, SqlValue::Null);
    }
    let (n, mark) = Money::parse_marked(value)?;
    if let Some(mark) = mark {
        // `amount>¥50万` would compare every currency's amounts: the currency is a term
        // of its own.
        return Err(crate::err!(
            Invalid,
            "query.amount_mark",
            t = value.trim(),
            bare = mark.amount,
            currency = mark.currencies[0]
        ));
    }
    compare(col, op, SqlValue::Integer(n.minor()))
}

/// A rate compared in percent (`tax>=13`, `tax:6.5%`), in its stored ten-thousandths.
fn percent_cmp(col: &str, op: Op, value: &str) -> Result<(String, Vec<SqlValue>)> {
    if matches!(op, Op::IsEmpty | Op::NotEmpty) {
        return compare(col, op, SqlValue::Null);
    }
    let rate = crate::core::money::parse_percent(value)?;
    compare(col, op, SqlValue::Integer(rate.minor()))
}

/// An exchange rate compared exactly, in its stored hundred-millionths (`rate>7.1`).
fn rate_cmp(col: &str, op: Op, value: &str) -> Result<(String, Vec<SqlValue>)> {
    if matches!(op, Op::IsEmpty | Op::NotEmpty) {
        return compare(col, op, SqlValue::Null);
    }
    let rate = crate::core::exchange::Rate::parse(value)?;
    compare(col, op, SqlValue::Integer(rate.minor()))
}

fn compare(col: &str, op: Op, n: SqlValue) -> Result<(String, Vec<SqlValue>)> {
    let sym = match op {
        Op::IsEmpty => return Ok((format!("{col} IS NULL"), vec![])),
        Op::NotEmpty => return Ok((format!("{col} IS NOT NULL"), vec![])),
        Op::Eq => "=",
        Op::Ne => "<>",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
        _ => return Err(crate::err!(Invalid, "query.text_modifiers_do")),
    };
    let sql = if op == Op::Ne {
        format!("({col} IS NULL OR {col} <> ?)")
    } else {
        format!("{col} {sym} ?")
    };
    Ok((sql, vec![n]))
}

/// Dates compare by day: `due<=today` means "before tomorrow", `close:eom` means "on that
/// day", whatever the time of day stored.
fn date_cmp(
    ty: Ty,
    col: &str,
    op: Op,
    value: &str,
    ctx: &QueryCtx,
) -> Result<(String, Vec<SqlValue>)> {
    match op {
        Op::IsEmpty => return Ok((format!("{col} IS NULL"), vec![])),
        Op::NotEmpty => return Ok((format!("{col} IS NOT NULL"), vec![])),
        Op::Has | Op::NotHas | Op::StartsWith | Op::EndsWith => {
            return Err(crate::err!(Invalid, "query.dates_take_before"))
        }
        _ => {}
    }
    let when = match (ty, parse_when(value, ctx.now)?) {
        (Ty::Date, w) => When::Date(w.date()),
        (_, w) => w,
    };
    // [lo, hi): a whole day, or a single moment (lo == hi).
    let (lo, hi, moment) = match when {
        When::Date(d) => {
            let next = d
                .succ_opt()
                .ok_or_else(|| crate::err!(Invalid, "query.date_out_range"))?;
            (bound(ty, d, None), bound(ty, next, None), false)
        }
        When::DateTime(t) => {
            let s = bound(ty, t.date(), Some(t.time()));
            (s.clone(), s, true)
        }
    };
    let t = |s: &String| SqlValue::Text(s.clone());
    Ok(match op {
        Op::Eq if moment => (format!("{col} = ?"), vec![t(&lo)]),
        Op::Eq => (format!("({col} >= ? AND {col} < ?)"), vec![t(&lo), t(&hi)]),
        Op::Ne if moment => (format!("({col} IS NULL OR {col} <> ?)"), vec![t(&lo)]),
        Op::Ne => (
            format!("({col} IS NULL OR {col} < ? OR {col} >= ?)"),
            vec![t(&lo), t(&hi)],
        ),
        Op::Lt => (format!("{col} < ?"), vec![t(&lo)]),
        Op::Le if moment => (format!("{col} <= ?"), vec![t(&lo)]),
        Op::Le => (format!("{col} < ?"), vec![t(&hi)]),
        Op::Gt if moment => (format!("{col} > ?"), vec![t(&lo)]),
        Op::Gt => (format!("{col} >= ?"), vec![t(&hi)]),
        Op::Ge => (format!("{col} >= ?"), vec![t(&lo)]),
        _ => unreachable!("text operators were refused above"),
    })
}

/// The stored form of a local day (and time) for a column of type `ty`.
pub(super) fn bound(ty: Ty, d: NaiveDate, time: Option<NaiveTime>) -> String {
    match ty {
        Ty::Stamp => {
            let local = d.and_time(time.unwrap_or(NaiveTime::MIN));
            let utc = Local
                .from_local_datetime(&local)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&local));
            crate::core::clock::stamp(utc)
        }
        _ => match time {
            None => d.format("%Y-%m-%d").to_string(),
            Some(t) => d.and_time(t).format("%Y-%m-%dT%H:%M:%S").to_string(),
        },
    }
}

fn ref_cmp(target: Entity, col: &str, op: Op, value: &str) -> Result<(String, Vec<SqlValue>)> {
    let label = target.label_field();
    let table = target.table();
    let by_name =
        |cond: &str| format!("{col} IN (SELECT r.id FROM {table} r WHERE r.{label} {cond})");
    let v = value.trim();
    let id = v.strip_prefix('#').unwrap_or(v).parse::<i64>().ok();
    // A record kith made itself is named by its name in any language too (`stage:方案报价`
    // is the stage `proposal`).
    let (same_name, names) = match crate::model::record::name_of_label(target, v) {
        Some(stored) => (
            "COLLATE NOCASE IN (?, ?)".to_string(),
            vec![SqlValue::Text(v.into()), SqlValue::Text(stored.into())],
        ),
        None => (
            "= ? COLLATE NOCASE".to_string(),
            vec![SqlValue::Text(v.into())],
        ),
    };
    Ok(match (op, id) {
        (Op::IsEmpty, _) => (format!("{col} IS NULL"), vec![]),
        (Op::NotEmpty, _) => (format!("{col} IS NOT NULL"), vec![]),
        (Op::Eq, Some(id)) => (format!("{col} = ?"), vec![SqlValue::Integer(id)]),
        (Op::Ne, Some(id)) => (
            format!("({col} IS NULL OR {col} <> ?)"),
            vec![SqlValue::Integer(id)],
        ),
        (Op::Eq, None) => (by_name(&same_name), names),
        (Op::Ne, None) => (
            format!("({col} IS NULL OR NOT {})", by_name(&same_name)),
            names,
        ),
        (Op::Has, _) => (
            by_name("LIKE ? ESCAPE '\\'"),
            vec![SqlValue::Text(format!("%{}%", escape_like(v)))],
        ),
        (Op::NotHas, _) => (
            format!("({col} IS NULL OR NOT {})", by_name("LIKE ? ESCAPE '\\'")),
            vec![SqlValue::Text(format!("%{}%", escape_like(v)))],
        ),
        (Op::StartsWith, _) => (
            by_name("LIKE ? ESCAPE '\\'"),
            vec![SqlValue::Text(format!("{}%", escape_like(v)))],
        ),
        (Op::EndsWith, _) => (
            by_name("LIKE ? ESCAPE '\\'"),
            vec![SqlValue::Text(format!("%{}", escape_like(v)))],
        ),
        (Op::Lt | Op::Le | Op::Gt | Op::Ge, _) => {
            return Err(crate::err!(
                Invalid,
                "query.links_take_startswith",
                target = target.plural()
            ))
        }
    })
}

fn list_cmp(col: &str, op: Op, value: &str, tags: bool) -> Result<(String, Vec<SqlValue>)> {
    let value = if tags {
        value.trim().to_lowercase()
    } else {
        value.trim().to_string()
    };
    let each = |cond: &str| format!("EXISTS (SELECT 1 FROM json_each({col}) WHERE value {cond})");
    Ok(match op {
        Op::IsEmpty => (format!("{col} = '[]'"), vec![]),
        Op::NotEmpty => (format!("{col} <> '[]'"), vec![]),
        Op::Eq => (each("= ? COLLATE NOCASE"), vec![SqlValue::Text(value)]),
        Op::Ne => (
            format!("NOT {}", each("= ? COLLATE NOCASE")),
            vec![SqlValue::Text(value)],
        ),
        Op::Has => (
            each("LIKE ? ESCAPE '\\'"),
            vec![SqlValue::Text(format!("%{}%", escape_like(&value)))],
        ),
        Op::NotHas => (
            format!("NOT {}", each("LIKE ? ESCAPE '\\'")),
            vec![SqlValue::Text(format!("%{}%", escape_like(&value)))],
        ),
        Op::StartsWith => (
            each("LIKE ? ESCAPE '\\'"),
            vec![SqlValue::Text(format!("{}%", escape_like(&value)))],
        ),
        Op::EndsWith => (
            each("LIKE ? ESCAPE '\\'"),
            vec![SqlValue::Text(format!("%{}", escape_like(&value)))],
        ),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            return Err(crate::err!(Invalid, "query.lists_take_text"))
        }
    })
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Sorting

/// The field and value of a filter of one term that asks for one value of a field the
/// kind's order begins with a CASE on (`status:open`, the deals' `CASE t.status …`).
fn pinned(entity: Entity, filter: &Filter) -> Option<(&'static Field, &'static str)> {
    let [Term::Field {
        field,
        op: Op::Eq,
        value,
    }] = filter.terms.as_slice()
    else {
        return None;
    };
    let f = entity.field(field)?;
    let Ty::Enum(choices) = f.ty else {
        return None;
    };
    let value = crate::model::choose(choices, value)?;
    let case = format!("CASE t.{} ", f.column());
    entity
        .kind()
        .default_order
        .starts_with(&case)
        .then_some((f, value))
}

/// For a list in its kind's order whose filter [`pinned`] the first terms of that order:
/// the same test once more (`lower(t.status) = 'open'`), which only the index of the live
/// deals by status and expected close (schema version 14) answers, with the order after it.
/// The filter's own test (`t.status = ? COLLATE NOCASE`) cannot use that index, so a filter
/// of more terms is planned as before it was made (by the index of its most selective term,
/// not by walking every open deal in order).
///
/// Any other list gets each of its one-value terms on a built-in choice field once more as
/// the stored value itself (`t.status = 'open'`): a field of choices holds exactly one of
/// its choices as spelled, so the test selects the same rows, and an index on the field
/// answers it (Today's deals closing this month, `status:open close<=eom` by close date,
/// walk the open deals by status and close date from the first: 30 ms → 1 ms).
fn pinned_condition(entity: Entity, sort: &[SortKey], filter: &Filter) -> String {
    match pinned(entity, filter) {
        // The value is one of the field's own choices, which hold no quote.
        Some((f, value)) if sort.is_empty() && !value.contains('\'') => {
            format!(" AND lower(t.{}) = '{}'", f.column(), value.to_lowercase())
        }
        _ => filter
            .terms
            .iter()
            .filter_map(|t| match t {
                Term::Field {
                    field,
                    op: Op::Eq,
                    value,
                } => {
                    let f = entity.field(field)?;
                    let Ty::Enum(choices) = f.ty else {
                        return None;
                    };
                    // A state computed when read is not the stored value; a word of a
                    // set is several.
                    let k = entity.kind();
                    if k.computed.iter().any(|c| c.field == f.name)
                        || k.derived.iter().any(|d| d.field == f.name)
                        || k.sets
                            .iter()
                            .any(|s| s.field == f.name && s.word.eq_ignore_ascii_case(value))
                    {
                        return None;
                    }
                    let value = crate::model::choose(choices, value)?;
                    (!value.contains('\'')).then(|| format!(" AND t.{} = '{value}'", f.column()))
                }
                _ => None,
            })
            .collect(),
    }
}

/// A kind's own order, for a filter of one term that asks for one value
/// (`status:open`, `segment:gold`): with nulls put last as `x IS NULL, x` (the same order,
/// which an index can give where `NULLS LAST` it cannot), and without its first terms when
/// the value makes them the same for every row ([`pinned`]). The page then comes from an
/// index in order (the open deals' by expected close, a custom field's) instead of sorting
/// every row the filter selects. With more terms the order is left as it is.
/// An order with the name's sort key put back to the name itself, case aside.
fn unicode_names(entity: Entity, order: &str) -> String {
    let key = format!("t.{}", super::name_keys::COLUMN);
    order.replace(
        &key,
        &format!("t.\"{}\" COLLATE NOCASE", entity.label_field()),
    )
}

fn default_order(entity: Entity, filter: &Filter) -> String {
    let order = entity.kind().default_order;
    let [Term::Field { op: Op::Eq, .. }] = filter.terms.as_slice() else {
        return order.to_string();
    };
    let pinned = pinned(entity, filter).map(|(f, _)| format!("CASE t.{} ", f.column()));
    order
        .split(", ")
        .skip_while(|t| pinned.as_ref().is_some_and(|p| t.starts_with(p.as_str())))
        .map(|t| match t.strip_suffix(" ASC NULLS LAST") {
            Some(expr) => format!("{expr} IS NULL, {expr} ASC"),
            None => t.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An ORDER BY clause (as [`order_by`] and the kinds' default orders write it: terms
/// split by `, `, none holding a comma) the other way round, nulls included: `x ASC` ↔
/// `x DESC`, `x ASC NULLS LAST` ↔ `x DESC NULLS FIRST`. Every order ends in the id, so
/// the reversed order is exactly the order read backwards.
fn reversed_order(order: &str) -> String {
    order
        .split(", ")
        .map(|term| {
            let t = term.trim();
            let (body, nulls) = match t.rsplit_once(" NULLS ") {
                Some((b, "LAST")) => (b, Some("FIRST")),
                Some((b, "FIRST")) => (b, Some("LAST")),
                _ => (t, None),
            };
            let (expr, dir) = if let Some(e) = body.strip_suffix(" DESC") {
                (e, "ASC")
            } else {
                (body.strip_suffix(" ASC").unwrap_or(body), "DESC")
            };
            match nulls {
                Some(n) => format!("{expr} {dir} NULLS {n}"),
                None => format!("{expr} {dir}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn order_by(
    custom: &Custom,
    entity: Entity,
    sort: &[SortKey],
    filter: &Filter,
    collate: Collate,
) -> Result<String> {
    if sort.is_empty() {
        let order = default_order(entity, filter);
        return Ok(match collate {
            Collate::Pinyin => order,
            Collate::Unicode => unicode_names(entity, &order),
        });
    }
    let mut parts = Vec::new();
    for key in sort {
        let f = custom
            .field(entity, &key.field)
            .ok_or_else(|| unknown_field(custom, entity, &key.field).context("--sort"))?;
        // A state read from other fields sorts by what it reads.
        let col = if entity.kind().derived.iter().any(|d| d.field == f.name) {
            read_sql(entity, f)
        } else {
            f.sql()
        };
        if entity.kind().name_key && f.name == entity.label_field() && collate == Collate::Pinyin {
            // By the key kept beside the name, from its index (every row has one).
            let dir = if key.desc { "DESC" } else { "ASC" };
            parts.push(format!("t.{} {dir}", super::name_keys::COLUMN));
            continue;
        }
        let expr = match f.ty {
            Ty::Ref(Entity::Stage) => {
                format!("(SELECT r.position FROM stages r WHERE r.id = {col})")
            }
            Ty::Ref(target) => format!("{} COLLATE NOCASE", label_of(target, &col)),
            Ty::Text | Ty::LongText | Ty::Email | Ty::Phone => format!("{col} COLLATE NOCASE"),
            Ty::Enum(choices) => {
                // Enums sort in their declared order (new → converted, A → C, low → high).
                let cases: Vec<String> = choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("WHEN '{c}' THEN {i}"))
                    .collect();
                format!("CASE {col} {} END", cases.join(" "))
            }
            _ => col,
        };
        let dir = if key.desc { "DESC" } else { "ASC" };
        parts.push(format!("{expr} {dir} NULLS LAST"));
    }
    parts.push("t.id ASC".into());
    Ok(parts.join(", "))
}

#[cfg(test)]
mod tail_tests {
    use super::reversed_order;

    #[test]
    fn orders_reverse_term_by_term_nulls_included() {
        assert_eq!(
            reversed_order(
                "CASE t.status WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, \
                 t.expected_close ASC NULLS LAST, t.id ASC"
            ),
            "CASE t.status WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END DESC, \
             t.expected_close DESC NULLS FIRST, t.id DESC"
        );
        assert_eq!(
            reversed_order("t.expected_close IS NULL, t.id ASC"),
            "t.expected_close IS NULL DESC, t.id DESC"
        );
        assert_eq!(reversed_order("t.at DESC, t.id DESC"), "t.at ASC, t.id ASC");
        assert_eq!(
            reversed_order("t.amount DESC NULLS LAST, t.id ASC"),
            "t.amount ASC NULLS FIRST, t.id DESC"
        );
    }

    /// The plan of a page of deals and of their last page, as the interface reads them.
    fn plans(filter: &str) -> [String; 2] {
        use super::*;
        let s = crate::store::Store::open_in_memory().unwrap();
        let f = crate::model::query::parse_line(filter).unwrap();
        let (mut wh, params) =
            where_clause(s.custom(), Entity::Deal, &f, false, &QueryCtx::none()).unwrap();
        wh.push_str(&pinned_condition(Entity::Deal, &[], &f));
        let order = default_order(Entity::Deal, &f);
        [order.clone(), reversed_order(&order)].map(|order| {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT t.id FROM deals t WHERE {wh} ORDER BY {order} LIMIT 200"
            );
            let mut stmt = s.conn.prepare(&sql).unwrap();
            let rows = stmt
                .query_map(rusqlite::params_from_iter(params.clone()), |r| {
                    r.get::<_, String>(3)
                })
                .unwrap();
            rows.map(|r| r.unwrap()).collect::<Vec<_>>().join("; ")
        })
    }

    #[test]
    fn the_open_deals_page_from_either_end_of_an_index_without_sorting() {
        use crate::model::{query::parse_line, Entity};
        for filter in ["status:open", "status:WON"] {
            assert_eq!(
                super::default_order(Entity::Deal, &parse_line(filter).unwrap()),
                "t.expected_close IS NULL, t.expected_close ASC, t.id ASC"
            );
            for plan in plans(filter) {
                assert!(plan.contains("deals_live_by_close"), "{filter}: {plan}");
                assert!(!plan.contains("TEMP B-TREE"), "{filter}: {plan}");
            }
        }
        // Other filters keep the order as it is, and are planned without that index.
        for filter in ["status:open amount>5", "status:open owner:wang", "amount>5"] {
            for plan in plans(filter) {
                assert!(!plan.contains("deals_live_by_close"), "{filter}: {plan}");
            }
        }
        for filter in ["", "amount>5", "status:open amount>5", "status!=open"] {
            assert_eq!(
                super::default_order(Entity::Deal, &parse_line(filter).unwrap()),
                Entity::Deal.kind().default_order,
                "{filter}"
            );
        }
        assert_eq!(
            super::default_order(Entity::Deal, &parse_line("stage:proposal").unwrap()),
            "CASE t.status WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, \
             t.expected_close IS NULL, t.expected_close ASC, t.id ASC"
        );
    }

    /// Today's deals closing this month (`status:open close<=eom`, by close date and then
    /// the largest first): the open deals by status and close date from the first, sorting
    /// only the deals of one day at a time — not every deal, won and lost too, closed
    /// before the date (`ANY(status)` and a sort of them all: 30 ms on the large dataset).
    #[test]
    fn the_deals_closing_this_month_walk_the_open_deals_by_close_date() {
        use super::*;
        let s = crate::store::Store::open_in_memory().unwrap();
        let f = crate::model::query::parse_line("status:open close<=2026-11-30").unwrap();
        let sort = crate::model::query::parse_sort("close,-amount").unwrap();
        let (mut wh, params) =
            where_clause(s.custom(), Entity::Deal, &f, false, &QueryCtx::none()).unwrap();
        wh.push_str(&pinned_condition(Entity::Deal, &sort, &f));
        assert!(wh.ends_with(" AND t.status = 'open'"), "{wh}");
        let order = order_by(s.custom(), Entity::Deal, &sort, &f, Collate::Pinyin).unwrap();
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT t.id FROM deals t WHERE {wh} ORDER BY {order} LIMIT 50"
        );
        let mut stmt = s.conn.prepare(&sql).unwrap();
        let plan: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(params), |r| r.get(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let plan = plan.join("; ");
        assert!(
            plan.contains("deals_by_status_close (status=? AND expected_close<?)"),
            "{plan}"
        );
        // Only the terms after the close date are sorted, a day's deals at a time.
        assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "{plan}");
        // A value that is no choice of the field is not written into the SQL.
        let f = crate::model::query::parse_line("status:open,won close<=2026-11-30").unwrap();
        assert_eq!(pinned_condition(Entity::Deal, &sort, &f), "");
    }

    /// The board's won and lost columns: a stage's 50 latest deals, read from the end of
    /// the index by stage and closing time, not by sorting every deal of the stage.
    #[test]
    fn a_closed_stage_s_latest_deals_come_from_its_index() {
        use super::*;
        let s = crate::store::Store::open_in_memory().unwrap();
        let f = crate::model::query::parse_line("stage:5").unwrap();
        let (wh, params) =
            where_clause(s.custom(), Entity::Deal, &f, false, &QueryCtx::none()).unwrap();
        let sort = [SortKey {
            field: "closed_at".into(),
            desc: true,
        }];
        let order = order_by(s.custom(), Entity::Deal, &sort, &f, Collate::Pinyin).unwrap();
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT t.id FROM deals t WHERE {wh} ORDER BY {order} LIMIT 50"
        );
        let mut stmt = s.conn.prepare(&sql).unwrap();
        let plan: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(params), |r| r.get(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let plan = plan.join("; ");
        assert!(plan.contains("deals_live_by_stage_closed"), "{plan}");
    }
}

#[cfg(test)]
mod linked_plans {
    /// A form's picker reads an account's deals (and contacts, tasks …) by the link: the
    /// plan searches the link's index, it does not scan the table.
    #[test]
    fn an_accounts_deals_are_read_through_the_index_on_the_link() {
        let s = crate::store::Store::open_in_memory().unwrap();
        for (kind, table) in [
            (crate::model::Entity::Deal, "deals"),
            (crate::model::Entity::Contact, "contacts"),
            (crate::model::Entity::Task, "tasks"),
            (crate::model::Entity::Activity, "activities"),
        ] {
            let f = crate::model::query::Filter {
                terms: vec![crate::domain::toolkit::by("account", 5)],
            };
            let (wh, params) =
                super::where_clause(s.custom(), kind, &f, false, &super::QueryCtx::none()).unwrap();
            let order = super::default_order(kind, &f);
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT t.id FROM {table} t WHERE {wh} ORDER BY {order} LIMIT 1000"
            );
            let mut stmt = s.conn.prepare(&sql).unwrap();
            let plan = stmt
                .query_map(rusqlite::params_from_iter(params), |r| {
                    r.get::<_, String>(3)
                })
                .unwrap()
                .map(|r| r.unwrap())
                .collect::<Vec<_>>()
                .join("; ");
            assert!(
                plan.contains("USING INDEX") && plan.contains("account_id=?"),
                "{table}: {plan}"
            );
            assert!(!plan.contains("SCAN t"), "{table}: {plan}");
        }
    }
}
