//! Bulk loading: millions of generated records into an empty database in one transaction,
//! the fast way. This is the one place besides [`super::write`] that inserts records, and it
//! keeps the same promises: every record gets its 'create' row in the change log (one
//! batch for the whole load), and the load is all or nothing.
//!
//! What makes it fast:
//! - one transaction, one prepared statement per table, values bound straight from
//!   borrowed text (no JSON values, no per-row SQL);
//! - the change log written at the end by one `INSERT … SELECT` per table, inside SQLite,
//!   and the latest activity per account and deal likewise;
//! - the secondary indexes and triggers of the loaded tables dropped before the load and made again
//!   after it (one sort each instead of millions of random B-tree inserts), with SQLite's
//!   sorter allowed a helper thread;
//! - for the load only: foreign keys not checked row by row (the generator builds valid
//!   references; `PRAGMA foreign_key_check` can confirm), `synchronous = OFF`, a large page
//!   cache, and a rollback journal instead of WAL when no other connection holds the file
//!   (a new database's pages then go to the file once, not to the WAL and then again to the
//!   file at the checkpoint). Every setting is put back afterwards, also when the load fails.

use rusqlite::{params, Statement, Transaction, TransactionBehavior};

use super::Store;
use crate::core::error::Result;
use crate::model::Entity;

/// The tables a load writes, whose secondary indexes it may drop and make again.
pub(super) const TABLES: &[&str] = &[
    "accounts",
    "contacts",
    "leads",
    "deals",
    "deal_stage_history",
    "activities",
    "tasks",
    "products",
    "pricelists",
    "prices",
    "quotes",
    "orders",
    "lines",
    "contracts",
    "plans",
    "payments",
    "allocations",
    "invoices",
    "calendars",
    "calendar_days",
    "slas",
    "cases",
    "surveys",
    "changes",
];

/// How a bulk load treats the database while it runs. The defaults are the fast ones; the
/// others exist to measure what each is worth. Measured on the large dataset (3.15 million
/// records, 2 cores): indexes kept during the load 43.7 s against 29.5 s dropped and made
/// again; staying in WAL 34.3 s against 29.5 s; the cache size (64 MiB to 2 GiB) within
/// noise (smaller is slower).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Drop the loaded tables' secondary indexes first and make them again at the end.
    pub drop_indexes: bool,
    /// Leave WAL for a rollback journal during the load (when no other connection is open).
    pub leave_wal: bool,
    /// Page cache for the load, in KiB.
    pub cache_kib: i64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            drop_indexes: true,
            leave_wal: true,
            cache_kib: 1024 * 1024,
        }
    }
}

/// One stage of the default pipeline, as a load needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkStage {
    pub id: i64,
    pub pipeline_id: i64,
    pub name: String,
    pub probability: i64,
    /// open, won or lost.
    pub outcome: String,
}

pub struct AccountRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub kind: &'a str,
    pub type_: &'a str,
    pub tier: &'a str,
    pub status: &'a str,
    pub industry: &'a str,
    pub owner: &'a str,
    pub parent_id: Option<i64>,
    pub phone: &'a str,
    pub email: Option<&'a str>,
    pub website: &'a str,
    pub address: &'a str,
    pub city: &'a str,
    pub region: &'a str,
    pub country: &'a str,
    pub source: &'a str,
    /// A JSON array of tags, sorted, lower-case.
    pub tags: &'a str,
    pub notes: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct ContactRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub account_id: Option<i64>,
    pub title: &'a str,
    pub role: &'a str,
    /// JSON arrays.
    pub emails: &'a str,
    pub phones: &'a str,
    pub birthday: Option<&'a str>,
    pub owner: &'a str,
    pub tags: &'a str,
    pub notes: Option<&'a str>,
    /// The vCard UID (none for made-up contacts).
    pub uid: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct LeadRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub company: &'a str,
    pub title: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub source: &'a str,
    pub status: &'a str,
    pub score: i64,
    pub owner: &'a str,
    pub tags: &'a str,
    pub notes: Option<&'a str>,
    pub converted_account_id: Option<i64>,
    pub converted_contact_id: Option<i64>,
    pub converted_deal_id: Option<i64>,
    pub converted_at: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct DealRow<'a> {
    pub id: i64,
    pub title: &'a str,
    pub account_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub amount: crate::core::money::Money,
    pub cost: Option<crate::core::money::Money>,
    pub currency: &'a str,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub probability: i64,
    pub expected_close: &'a str,
    pub status: &'a str,
    pub owner: &'a str,
    pub source: &'a str,
    pub competitor: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub closed_at: Option<&'a str>,
    pub tags: &'a str,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct ActivityRow<'a> {
    pub id: i64,
    pub kind: &'a str,
    pub subject: &'a str,
    pub at: &'a str,
    pub body: Option<&'a str>,
    pub outcome: Option<&'a str>,
    pub minutes: Option<i64>,
    pub account_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub deal_id: Option<i64>,
    /// A reply on a case, and the channel it went by.
    pub case_id: Option<i64>,
    pub via: Option<&'a str>,
    pub owner: &'a str,
    pub tags: &'a str,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct TaskRow<'a> {
    pub id: i64,
    pub title: &'a str,
    pub due: Option<&'a str>,
    pub priority: &'a str,
    pub done: bool,
    pub done_at: Option<&'a str>,
    pub account_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub owner: &'a str,
    pub tags: &'a str,
    pub notes: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct ProductRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub sku: &'a str,
    pub price: crate::core::money::Money,
    pub currency: &'a str,
    pub unit: &'a str,
    /// The tax rate in percentage points (13 for 13%).
    pub tax: crate::core::money::Money,
    pub cost: Option<crate::core::money::Money>,
    pub category: &'a str,
    pub retired: bool,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct PriceListRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub currency: &'a str,
    pub created_at: &'a str,
}

pub struct PriceRow<'a> {
    pub pricelist_id: i64,
    pub product_id: i64,
    pub price: crate::core::money::Money,
    pub min_qty: Option<crate::core::money::Money>,
    pub sku: &'a str,
    pub created_at: &'a str,
}

pub struct QuoteRow<'a> {
    pub id: i64,
    pub number: &'a str,
    pub revision: i64,
    pub previous_id: Option<i64>,
    pub account_id: i64,
    pub status: &'a str,
    pub currency: &'a str,
    pub valid_until: &'a str,
    pub subtotal: crate::core::money::Money,
    pub tax: crate::core::money::Money,
    pub total: crate::core::money::Money,
    pub owner: &'a str,
    pub sent_at: Option<&'a str>,
    pub decided_at: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

/// A line of a quote or of an order (one of the two).
pub struct LineRow<'a> {
    pub quote_id: Option<i64>,
    pub order_id: Option<i64>,
    pub position: i64,
    pub product_id: i64,
    pub description: &'a str,
    pub qty: crate::core::money::Money,
    pub unit: &'a str,
    pub price: crate::core::money::Money,
    pub discount: Option<crate::core::money::Money>,
    pub tax: crate::core::money::Money,
    pub net: crate::core::money::Money,
    /// The product's unit cost when the line was made.
    pub cost: Option<crate::core::money::Money>,
    pub created_at: &'a str,
}

pub struct OrderRow<'a> {
    pub id: i64,
    pub number: &'a str,
    pub account_id: i64,
    pub contact_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub quote_id: Option<i64>,
    /// draft, confirmed, delivered, closed or cancelled.
    pub status: &'a str,
    pub ordered_on: &'a str,
    pub currency: &'a str,
    pub subtotal: crate::core::money::Money,
    pub tax: crate::core::money::Money,
    pub total: crate::core::money::Money,
    pub cost: crate::core::money::Money,
    pub owner: &'a str,
    pub confirmed_at: Option<&'a str>,
    pub delivered_at: Option<&'a str>,
    /// When it was closed or cancelled.
    pub closed_at: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct ContractRow<'a> {
    pub id: i64,
    pub number: &'a str,
    pub title: &'a str,
    pub account_id: i64,
    pub order_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub amount: crate::core::money::Money,
    pub currency: &'a str,
    pub start: &'a str,
    pub end: &'a str,
    pub signed: Option<&'a str>,
    pub notice: Option<i64>,
    /// draft, active or terminated (`expired` is computed when read).
    pub status: &'a str,
    pub planned: crate::core::money::Money,
    pub received: crate::core::money::Money,
    pub invoiced: crate::core::money::Money,
    pub owner: &'a str,
    pub terminated_at: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

/// An item of a contract's payment plan.
pub struct PlanRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub contract_id: i64,
    pub position: i64,
    pub due: &'a str,
    pub amount: crate::core::money::Money,
    pub paid: crate::core::money::Money,
    /// pending, partly-paid or paid (`overdue` is computed when read).
    pub status: &'a str,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub struct PaymentRow<'a> {
    pub id: i64,
    pub number: &'a str,
    pub contract_id: i64,
    pub account_id: i64,
    pub amount: crate::core::money::Money,
    pub currency: &'a str,
    pub received_on: &'a str,
    pub method: &'a str,
    pub reference: Option<&'a str>,
    pub payer: Option<&'a str>,
    /// received or reversed.
    pub status: &'a str,
    pub applied: crate::core::money::Money,
    pub credit: crate::core::money::Money,
    pub reversed_at: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

/// What a payment paid of a plan item.
pub struct AllocationRow<'a> {
    pub payment_id: i64,
    pub plan_id: i64,
    pub amount: crate::core::money::Money,
    pub created_at: &'a str,
}

pub struct InvoiceRow<'a> {
    pub id: i64,
    pub number: &'a str,
    pub contract_id: i64,
    pub account_id: i64,
    pub amount: crate::core::money::Money,
    pub tax: crate::core::money::Money,
    pub total: crate::core::money::Money,
    pub currency: &'a str,
    pub issued: &'a str,
    /// issued or void.
    pub status: &'a str,
    pub voided_at: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

/// Inserts rows during a bulk load: one prepared statement per table.
/// A working-hours calendar, made and last changed at `created_at`.
pub struct CalendarRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub tz: &'a str,
    pub hours: &'a str,
    pub created_at: &'a str,
}

/// A holiday or make-up working day of a calendar.
pub struct CalendarDayRow<'a> {
    pub calendar_id: i64,
    pub day: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub created_at: &'a str,
}

/// An SLA policy at its place in the order.
pub struct SlaRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub position: i64,
    pub matches: &'a str,
    pub respond: Option<&'a str>,
    pub resolve: Option<&'a str>,
    pub calendar_id: i64,
    pub at_risk: i64,
    pub created_at: &'a str,
}

/// A case with its clocks as kith works them out (`domain::service::clocks`).
pub struct CaseRow<'a> {
    pub id: i64,
    pub number: &'a str,
    pub title: &'a str,
    pub account_id: i64,
    pub contact_id: Option<i64>,
    pub type_: &'a str,
    pub priority: &'a str,
    pub status: &'a str,
    pub due: Option<&'a str>,
    pub assignee: Option<&'a str>,
    pub channel: &'a str,
    pub category: &'a str,
    pub product_id: Option<i64>,
    pub description: Option<&'a str>,
    pub policy_id: i64,
    pub opened: &'a str,
    pub respond_target: Option<i64>,
    pub respond_risk: Option<&'a str>,
    pub respond_due: Option<&'a str>,
    pub responded_at: Option<&'a str>,
    pub response_minutes: Option<i64>,
    pub resolve_target: Option<i64>,
    pub resolve_risk: Option<&'a str>,
    pub resolve_due: Option<&'a str>,
    pub resolved_at: Option<&'a str>,
    pub resolution_minutes: Option<i64>,
    pub resolution: Option<&'a str>,
    pub closed_at: Option<&'a str>,
    /// The waiting spans as JSON (`[["from","to"]]`), none when it never waited.
    pub waits: Option<&'a str>,
    pub breach_reason: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

/// A satisfaction survey of a case.
pub struct SurveyRow<'a> {
    pub id: i64,
    pub name: &'a str,
    pub case_id: i64,
    pub account_id: i64,
    pub contact_id: Option<i64>,
    pub score: i64,
    pub nps: Option<i64>,
    pub comment: Option<&'a str>,
    pub on: &'a str,
    pub owner: &'a str,
    pub created_at: &'a str,
}

pub struct BulkLoader<'t> {
    accounts: Statement<'t>,
    contacts: Statement<'t>,
    leads: Statement<'t>,
    deals: Statement<'t>,
    history: Statement<'t>,
    activities: Statement<'t>,
    tasks: Statement<'t>,
    products: Statement<'t>,
    pricelists: Statement<'t>,
    prices: Statement<'t>,
    quotes: Statement<'t>,
    lines: Statement<'t>,
    orders: Statement<'t>,
    contracts: Statement<'t>,
    plans: Statement<'t>,
    payments: Statement<'t>,
    allocations: Statement<'t>,
    invoices: Statement<'t>,
    calendars: Statement<'t>,
    calendar_days: Statement<'t>,
    slas: Statement<'t>,
    cases: Statement<'t>,
    surveys: Statement<'t>,
    stages: Vec<BulkStage>,
}

impl<'t> BulkLoader<'t> {
    fn new(tx: &'t Transaction<'_>) -> Result<BulkLoader<'t>> {
        let stages = {
            let mut stmt = tx.prepare(
                "SELECT s.id, s.pipeline_id, s.name, s.probability, s.outcome
                   FROM pipelines p JOIN stages s ON s.pipeline_id = p.id
                  WHERE p.is_default = 1 AND p.deleted_at IS NULL AND s.deleted_at IS NULL
                  ORDER BY s.position, s.id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(BulkStage {
                    id: r.get(0)?,
                    pipeline_id: r.get(1)?,
                    name: r.get(2)?,
                    probability: r.get(3)?,
                    outcome: r.get(4)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        Ok(BulkLoader {
            accounts: tx.prepare(
                "INSERT INTO accounts (id, name, kind, type, tier, status, industry, owner,
                   parent_id, phone, email, website, address, city, region, country, source,
                   tags, notes, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            contacts: tx.prepare(
                "INSERT INTO contacts (id, name, account_id, title, role, emails, phones,
                   birthday, owner, tags, notes, uid, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            leads: tx.prepare(
                "INSERT INTO leads (id, name, company, title, email, phone, source, status,
                   score, owner, tags, notes, converted_account_id, converted_contact_id,
                   converted_deal_id, converted_at, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            deals: tx.prepare(
                "INSERT INTO deals (id, title, account_id, contact_id, amount, cost, currency,
                   pipeline_id, stage_id, probability, expected_close, status, owner, source,
                   competitor, reason, closed_at, tags, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            history: tx.prepare(
                "INSERT INTO deal_stage_history (deal_id, from_stage_id, to_stage_id, at, user)
                 VALUES (?, ?, ?, ?, ?)",
            )?,
            activities: tx.prepare(
                "INSERT INTO activities (id, kind, subject, at, body, outcome, minutes,
                   account_id, contact_id, lead_id, deal_id, case_id, via, owner, tags,
                   created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            tasks: tx.prepare(
                "INSERT INTO tasks (id, title, due, priority, done, done_at, account_id,
                   contact_id, lead_id, deal_id, owner, tags, notes, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            products: tx.prepare(
                "INSERT INTO products (id, name, sku, price, currency, unit, tax, cost,
                   category, retired, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            pricelists: tx.prepare(
                "INSERT INTO pricelists (id, name, currency, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
            )?,
            prices: tx.prepare(
                "INSERT INTO prices (pricelist_id, product_id, price, min_qty, sku, created_at,
                   updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )?,
            quotes: tx.prepare(
                "INSERT INTO quotes (id, number, revision, previous_id, account_id, status,
                   currency, valid_until, rounding, subtotal, tax, total, owner, sent_at,
                   decided_at, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'line', ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            lines: tx.prepare(
                "INSERT INTO lines (quote_id, order_id, position, product_id, description, qty,
                   unit, price, discount, tax, net, cost, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            )?,
            orders: tx.prepare(
                "INSERT INTO orders (id, number, account_id, contact_id, deal_id, quote_id,
                   status, ordered_on, currency, rounding, subtotal, tax, total, cost, owner,
                   confirmed_at, delivered_at, closed_at, reason, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'line', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            contracts: tx.prepare(
                "INSERT INTO contracts (id, number, title, account_id, order_id, deal_id, amount,
                   currency, start, \"end\", signed, notice, status, planned, received,
                   invoiced, owner, terminated_at, reason, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            plans: tx.prepare(
                "INSERT INTO plans (id, name, contract_id, position, due, amount, paid, status,
                   created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            payments: tx.prepare(
                "INSERT INTO payments (id, number, contract_id, account_id, amount, currency,
                   received_on, method, reference, payer, status, applied, credit,
                   reversed_at, reason, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            allocations: tx.prepare(
                "INSERT INTO allocations (payment_id, plan_id, amount, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
            )?,
            invoices: tx.prepare(
                "INSERT INTO invoices (id, number, contract_id, account_id, amount, tax, total,
                   currency, issued, status, voided_at, reason, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            calendars: tx.prepare(
                "INSERT INTO calendars (id, name, tz, hours, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )?,
            calendar_days: tx.prepare(
                "INSERT INTO calendar_days (calendar_id, day, kind, name, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )?,
            slas: tx.prepare(
                "INSERT INTO slas (id, name, position, \"match\", respond, resolve, calendar_id,
                   at_risk, active, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9)",
            )?,
            cases: tx.prepare(
                "INSERT INTO cases (id, number, title, account_id, contact_id, type, priority,
                   status, due, assignee, channel, category, product_id, description,
                   policy_id, opened, respond_target, respond_risk, respond_due, responded_at,
                   response_minutes, resolve_target, resolve_risk, resolve_due, resolved_at,
                   resolution_minutes, resolution, closed_at, waits, breach_reason,
                   created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                   ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?,
            surveys: tx.prepare(
                "INSERT INTO surveys (id, name, case_id, account_id, contact_id, score, nps,
                   comment, \"on\", owner, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
            )?,
            stages,
        })
    }

    /// The default pipeline's stages, in order.
    pub fn stages(&self) -> &[BulkStage] {
        &self.stages
    }

    pub fn account(&mut self, r: &AccountRow<'_>) -> Result<()> {
        self.accounts.execute(params![
            r.id,
            r.name,
            r.kind,
            r.type_,
            r.tier,
            r.status,
            r.industry,
            // No owner (empty): the account is in the shared pool.
            (!r.owner.is_empty()).then_some(r.owner),
            r.parent_id,
            r.phone,
            r.email,
            r.website,
            r.address,
            r.city,
            r.region,
            r.country,
            r.source,
            r.tags,
            r.notes,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn contact(&mut self, r: &ContactRow<'_>) -> Result<()> {
        self.contacts.execute(params![
            r.id,
            r.name,
            r.account_id,
            r.title,
            r.role,
            r.emails,
            r.phones,
            r.birthday,
            r.owner,
            r.tags,
            r.notes,
            r.uid,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn lead(&mut self, r: &LeadRow<'_>) -> Result<()> {
        self.leads.execute(params![
            r.id,
            r.name,
            r.company,
            r.title,
            r.email,
            r.phone,
            r.source,
            r.status,
            r.score,
            r.owner,
            r.tags,
            r.notes,
            r.converted_account_id,
            r.converted_contact_id,
            r.converted_deal_id,
            r.converted_at,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn deal(&mut self, r: &DealRow<'_>) -> Result<()> {
        self.deals.execute(params![
            r.id,
            r.title,
            r.account_id,
            r.contact_id,
            r.amount.minor(),
            r.cost.map(crate::core::money::Money::minor),
            r.currency,
            r.pipeline_id,
            r.stage_id,
            r.probability,
            r.expected_close,
            r.status,
            r.owner,
            r.source,
            r.competitor,
            r.reason,
            r.closed_at,
            r.tags,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    /// A deal entered a stage.
    pub fn stage_step(
        &mut self,
        deal: i64,
        from: Option<i64>,
        to: i64,
        at: &str,
        user: &str,
    ) -> Result<()> {
        self.history.execute(params![deal, from, to, at, user])?;
        Ok(())
    }

    pub fn activity(&mut self, r: &ActivityRow<'_>) -> Result<()> {
        self.activities.execute(params![
            r.id,
            r.kind,
            r.subject,
            r.at,
            r.body,
            r.outcome,
            r.minutes,
            r.account_id,
            r.contact_id,
            r.lead_id,
            r.deal_id,
            r.case_id,
            r.via,
            r.owner,
            r.tags,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn calendar(&mut self, r: &CalendarRow<'_>) -> Result<()> {
        self.calendars
            .execute(params![r.id, r.name, r.tz, r.hours, r.created_at])?;
        Ok(())
    }

    pub fn calendar_day(&mut self, r: &CalendarDayRow<'_>) -> Result<()> {
        self.calendar_days
            .execute(params![r.calendar_id, r.day, r.kind, r.name, r.created_at])?;
        Ok(())
    }

    pub fn sla(&mut self, r: &SlaRow<'_>) -> Result<()> {
        self.slas.execute(params![
            r.id,
            r.name,
            r.position,
            r.matches,
            r.respond,
            r.resolve,
            r.calendar_id,
            r.at_risk,
            r.created_at
        ])?;
        Ok(())
    }

    pub fn case(&mut self, r: &CaseRow<'_>) -> Result<()> {
        self.cases.execute(params![
            r.id,
            r.number,
            r.title,
            r.account_id,
            r.contact_id,
            r.type_,
            r.priority,
            r.status,
            r.due,
            r.assignee,
            r.channel,
            r.category,
            r.product_id,
            r.description,
            r.policy_id,
            r.opened,
            r.respond_target,
            r.respond_risk,
            r.respond_due,
            r.responded_at,
            r.response_minutes,
            r.resolve_target,
            r.resolve_risk,
            r.resolve_due,
            r.resolved_at,
            r.resolution_minutes,
            r.resolution,
            r.closed_at,
            r.waits,
            r.breach_reason,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn survey(&mut self, r: &SurveyRow<'_>) -> Result<()> {
        self.surveys.execute(params![
            r.id,
            r.name,
            r.case_id,
            r.account_id,
            r.contact_id,
            r.score,
            r.nps,
            r.comment,
            r.on,
            r.owner,
            r.created_at
        ])?;
        Ok(())
    }

    pub fn product(&mut self, r: &ProductRow<'_>) -> Result<()> {
        self.products.execute(params![
            r.id,
            r.name,
            r.sku,
            r.price.minor(),
            r.currency,
            r.unit,
            r.tax.minor(),
            r.cost.map(crate::core::money::Money::minor),
            r.category,
            r.retired,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn pricelist(&mut self, r: &PriceListRow<'_>) -> Result<()> {
        self.pricelists
            .execute(params![r.id, r.name, r.currency, r.created_at])?;
        Ok(())
    }

    pub fn price(&mut self, r: &PriceRow<'_>) -> Result<()> {
        self.prices.execute(params![
            r.pricelist_id,
            r.product_id,
            r.price.minor(),
            r.min_qty.map(crate::core::money::Money::minor),
            r.sku,
            r.created_at
        ])?;
        Ok(())
    }

    pub fn quote(&mut self, r: &QuoteRow<'_>) -> Result<()> {
        self.quotes.execute(params![
            r.id,
            r.number,
            r.revision,
            r.previous_id,
            r.account_id,
            r.status,
            r.currency,
            r.valid_until,
            r.subtotal.minor(),
            r.tax.minor(),
            r.total.minor(),
            r.owner,
            r.sent_at,
            r.decided_at,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn line(&mut self, r: &LineRow<'_>) -> Result<()> {
        self.lines.execute(params![
            r.quote_id,
            r.order_id,
            r.position,
            r.product_id,
            r.description,
            r.qty.minor(),
            r.unit,
            r.price.minor(),
            r.discount.map(crate::core::money::Money::minor),
            r.tax.minor(),
            r.net.minor(),
            r.cost.map(crate::core::money::Money::minor),
            r.created_at
        ])?;
        Ok(())
    }

    pub fn order(&mut self, r: &OrderRow<'_>) -> Result<()> {
        self.orders.execute(params![
            r.id,
            r.number,
            r.account_id,
            r.contact_id,
            r.deal_id,
            r.quote_id,
            r.status,
            r.ordered_on,
            r.currency,
            r.subtotal.minor(),
            r.tax.minor(),
            r.total.minor(),
            r.cost.minor(),
            r.owner,
            r.confirmed_at,
            r.delivered_at,
            r.closed_at,
            r.reason,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn contract(&mut self, r: &ContractRow<'_>) -> Result<()> {
        self.contracts.execute(params![
            r.id,
            r.number,
            r.title,
            r.account_id,
            r.order_id,
            r.deal_id,
            r.amount.minor(),
            r.currency,
            r.start,
            r.end,
            r.signed,
            r.notice,
            r.status,
            r.planned.minor(),
            r.received.minor(),
            r.invoiced.minor(),
            r.owner,
            r.terminated_at,
            r.reason,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn plan(&mut self, r: &PlanRow<'_>) -> Result<()> {
        self.plans.execute(params![
            r.id,
            r.name,
            r.contract_id,
            r.position,
            r.due,
            r.amount.minor(),
            r.paid.minor(),
            r.status,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn payment(&mut self, r: &PaymentRow<'_>) -> Result<()> {
        self.payments.execute(params![
            r.id,
            r.number,
            r.contract_id,
            r.account_id,
            r.amount.minor(),
            r.currency,
            r.received_on,
            r.method,
            r.reference,
            r.payer,
            r.status,
            r.applied.minor(),
            r.credit.minor(),
            r.reversed_at,
            r.reason,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn allocation(&mut self, r: &AllocationRow<'_>) -> Result<()> {
        self.allocations.execute(params![
            r.payment_id,
            r.plan_id,
            r.amount.minor(),
            r.created_at
        ])?;
        Ok(())
    }

    pub fn invoice(&mut self, r: &InvoiceRow<'_>) -> Result<()> {
        self.invoices.execute(params![
            r.id,
            r.number,
            r.contract_id,
            r.account_id,
            r.amount.minor(),
            r.tax.minor(),
            r.total.minor(),
            r.currency,
            r.issued,
            r.status,
            r.voided_at,
            r.reason,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }

    pub fn task(&mut self, r: &TaskRow<'_>) -> Result<()> {
        self.tasks.execute(params![
            r.id,
            r.title,
            r.due,
            r.priority,
            r.done,
            r.done_at,
            r.account_id,
            r.contact_id,
            r.lead_id,
            r.deal_id,
            r.owner,
            r.tags,
            r.notes,
            r.created_at,
            r.updated_at
        ])?;
        Ok(())
    }
}

/// Connection settings a load changes, to put back afterwards.
struct Saved {
    foreign_keys: bool,
    synchronous: i64,
    cache_size: i64,
    threads: i64,
    journal: String,
}

impl Store {
    /// Load records into a database that holds none yet, in one transaction recorded as one
    /// batch by `user`: `f` inserts rows with ids it chooses (1, 2, 3 … per table); then
    /// every record gets its 'create' change (at its `created_at`, its label as `after`).
    /// References are not checked row by row: `f` must only name rows it inserts (or the
    /// default pipeline's stages). Nothing is kept if `f` fails.
    pub fn bulk_load<T>(
        &mut self,
        user: &str,
        opts: &LoadOptions,
        f: impl FnOnce(&mut BulkLoader<'_>) -> Result<T>,
    ) -> Result<T> {
        let saved = self.tune_for_load(opts)?;
        let out = self.load_inner(user, opts, f);
        let restored = self.restore_after_load(&saved);
        let out = out?;
        restored?;
        Ok(out)
    }

    fn tune_for_load(&mut self, opts: &LoadOptions) -> Result<Saved> {
        let c = &self.conn;
        let get = |p: &str| c.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0));
        let saved = Saved {
            foreign_keys: get("foreign_keys")? != 0,
            synchronous: get("synchronous")?,
            cache_size: get("cache_size")?,
            threads: get("threads")?,
            journal: c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
        };
        c.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA cache_size = -{};
             PRAGMA threads = 2;",
            opts.cache_kib.max(2000)
        ))?;
        if opts.leave_wal && saved.journal.eq_ignore_ascii_case("wal") {
            // Refused (another connection has the file open) means staying in WAL: slower,
            // still right.
            let _ = c.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            });
        }
        Ok(saved)
    }

    fn restore_after_load(&mut self, saved: &Saved) -> Result<()> {
        let c = &self.conn;
        let journal: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if !journal.eq_ignore_ascii_case(&saved.journal) {
            c.query_row(
                &format!("PRAGMA journal_mode = {}", saved.journal),
                [],
                |r| r.get::<_, String>(0),
            )?;
        } else if journal.eq_ignore_ascii_case("wal") {
            // Stayed in WAL: copy the load into the file and give the WAL's space back.
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        c.execute_batch(&format!(
            "PRAGMA foreign_keys = {};
             PRAGMA synchronous = {};
             PRAGMA cache_size = {};
             PRAGMA threads = {};",
            if saved.foreign_keys { "ON" } else { "OFF" },
            saved.synchronous,
            saved.cache_size,
            saved.threads
        ))?;
        Ok(())
    }

    fn load_inner<T>(
        &mut self,
        user: &str,
        opts: &LoadOptions,
        f: impl FnOnce(&mut BulkLoader<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !super::Reader::new(&tx, crate::model::custom::Custom::none()).is_empty()? {
            return Err(crate::err!(Invalid, "bulk.database_already_holds"));
        }
        // Read under the write lock: the next batch number is ours alone.
        let batch: i64 =
            tx.query_row("SELECT coalesce(max(batch), 0) + 1 FROM changes", [], |r| {
                r.get(0)
            })?;
        let mut indexes: Vec<String> = Vec::new();
        if opts.drop_indexes {
            let mut stmt = tx.prepare(&format!(
                "SELECT type, name, sql FROM sqlite_master
                  WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({})
                  ORDER BY rowid",
                TABLES
                    .iter()
                    .map(|t| format!("'{t}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))?;
            let found = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            drop(stmt);
            for (kind, name, sql) in found {
                tx.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
                indexes.push(sql);
            }
        }
        let out = {
            let mut loader = BulkLoader::new(&tx)?;
            f(&mut loader)?
        };
        // Every kind of record users keep is loaded, and its creation logged.
        for e in Entity::ALL.into_iter().filter(|e| e.kind().record) {
            let (entity, table, label) = (e.name(), e.table(), e.label_field());
            tx.execute(
                &format!(
                    "INSERT INTO changes (at, user, op, entity, record_id, after, batch)
                     SELECT created_at, ?1, 'create', '{entity}', id, json_object('{label}', {label}), ?2
                       FROM {table} ORDER BY id"
                ),
                params![user, batch],
            )?;
        }
        // The names' sort keys, before their indexes are made again.
        super::name_keys::fill(&tx, false)?;
        // Indexes (and triggers) are made again in the order they were first made.
        for sql in &indexes {
            tx.execute_batch(sql)?;
        }
        // What the triggers would have kept row by row, in one pass over the index.
        tx.execute_batch(super::schema::LAST_ACTIVITY_REBUILD)?;
        // And the index of duplicate keys, in one sorted pass.
        super::dupe_index::rebuild(&tx)?;
        // The owners loaded, and the user the load is logged under, are users.
        tx.execute_batch(super::users::USERS_FROM_NAMES)?;
        tx.commit()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A prospect account with only the required columns filled.
    fn account(name: &str) -> AccountRow<'_> {
        AccountRow {
            id: 1,
            name,
            kind: "company",
            type_: "prospect",
            tier: "A",
            status: "active",
            industry: "x",
            owner: "u",
            parent_id: None,
            phone: "",
            email: None,
            website: "",
            address: "",
            city: "",
            region: "",
            country: "",
            source: "",
            tags: "[]",
            notes: None,
            created_at: "2026-01-01T00:00:00Z",
            updated_at: "2026-01-01T00:00:00Z",
        }
    }

    fn pragmas(s: &Store) -> (i64, i64, i64, String) {
        let get = |p: &str| {
            s.conn
                .query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0))
        };
        (
            get("foreign_keys").unwrap(),
            get("synchronous").unwrap(),
            get("cache_size").unwrap(),
            s.conn
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap(),
        )
    }

    fn index_count(s: &Store) -> i64 {
        s.conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type IN ('index', 'trigger')",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn a_load_puts_settings_indexes_and_triggers_back_also_when_it_fails() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("k.db")).unwrap();
        let before = pragmas(&s);
        let indexes = index_count(&s);
        assert_eq!(before.3, "wal");
        let err = s.bulk_load("u", &LoadOptions::default(), |ld| ld.account(&account("")));
        assert!(err.is_err(), "an empty name breaks a CHECK");
        assert_eq!(pragmas(&s), before);
        assert_eq!(index_count(&s), indexes);
        assert!(s.reader().is_empty().unwrap());

        let n = s
            .bulk_load("u", &LoadOptions::default(), |ld| {
                assert!(ld.stages().is_empty(), "no pipeline was set up here");
                ld.account(&account("Acme"))?;
                Ok(1)
            })
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(pragmas(&s), before);
        assert_eq!(index_count(&s), indexes);
        let after: String = s
            .conn
            .query_row(
                "SELECT after FROM changes WHERE entity = 'account' AND record_id = 1 AND op = 'create'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(after, r#"{"name":"Acme"}"#);
        // Only the missing default pipeline (never set up here) is reported.
        let findings = s.check().unwrap();
        assert!(
            findings.iter().all(|f| f.check == "pipelines"),
            "{findings:?}"
        );
    }
}
