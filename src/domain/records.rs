//! Creating and changing a record of any kind inside a write: the input checked by the
//! toolkit, then the rules of its kind, each in its domain module (a deal's stage and
//! history in `sales::deals`, a task's recurrence in `sales::tasks`, a lead's conversion in
//! `sales::leads`, an account's parent in `sales::accounts`, an activity's time in
//! `sales::activities`, a user's login in `team::users`). The one dispatch on the kind's
//! rules is here, exhaustive: a new kind must say which rules it has.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::{contracts, invoices, lines, orders, payments, quotes};
use crate::domain::sales::tasks::{self, RuleChange};
use crate::domain::sales::{accounts, activities, deals, leads};
use crate::domain::service::{calendars, cases, clocks, slas, surveys};
use crate::domain::toolkit::{validate, Env, Input, Records, Updated};
use crate::model::{Entity, Within};
use crate::store::{Reader, Values, Writer};

/// The write path of this module, for the verbs that write records of other kinds.
pub struct AllKinds;

impl Records for AllKinds {
    fn create(&self, w: &mut Writer<'_>, env: &Env, entity: Entity, input: &Input) -> Result<i64> {
        create_in(w, env, entity, input)
    }

    fn update(
        &self,
        w: &mut Writer<'_>,
        env: &Env,
        entity: Entity,
        id: i64,
        input: &Input,
    ) -> Result<Updated> {
        update_full(w, env, entity, id, input)
    }
}

/// Create a record inside a write. Applies the defaults and rules of its kind.
pub fn create_in(w: &mut Writer<'_>, env: &Env, entity: Entity, input: &Input) -> Result<i64> {
    match new_values(&w.reader(), env, entity, input)? {
        New::Own(input) => create_own(w, env, entity, input),
        New::Values(values) => w.insert(entity, &values),
    }
}

/// Create a record of a kind whose creation is its own rules': a deal (its stage and
/// pipeline, its stage history), a quote or an order (its number, what its source gives
/// it, its lines), a line (its document's amounts), a contract (its number and status), a
/// plan item (its place in its contract's plan), a payment (applied to the plan), an
/// invoice (its contract's invoiced amount).
pub fn create_own(w: &mut Writer<'_>, env: &Env, entity: Entity, input: Input) -> Result<i64> {
    match entity {
        Entity::Quote => quotes::create(w, env, input),
        Entity::Order => orders::create(w, env, input),
        Entity::Line => lines::create(w, env, input),
        Entity::Contract => contracts::create(w, env, input),
        Entity::Plan => contracts::create_item(w, env, input),
        Entity::Payment => payments::create(w, env, input, &payments::Receive::default()),
        Entity::Invoice => invoices::create(w, env, input),
        Entity::Case => cases::create(w, env, input),
        Entity::Survey => surveys::create(w, env, input),
        Entity::Calendar => calendars::create(w, env, input),
        Entity::Sla => slas::create(w, env, input),
        _ => deals::create(w, env, input),
    }
}

/// Put a record in the trash inside a write, with the rules of its kind: a line's
/// document, a plan item's or an invoice's contract follow; a plan item that was paid,
/// a payment and an allocation are refused (a payment is reversed, never deleted).
pub fn trash_in(w: &mut Writer<'_>, env: &Env, entity: Entity, id: i64) -> Result<bool> {
    match entity {
        Entity::Line => lines::remove(w, env, id),
        Entity::Payment | Entity::Allocation => {
            Err(crate::err!(Invalid, "payments.not_deleted", id = id))
        }
        Entity::Plan | Entity::Invoice => {
            let Some(r) = w.reader().get(entity, id)? else {
                return w.trash(entity, id);
            };
            if entity == Entity::Plan {
                contracts::check_item_trash(&r)?;
            }
            let gone = w.trash(entity, id)?;
            if let Some(c) = r.i64("contract_id") {
                contracts::follow(w, c)?;
            }
            Ok(gone)
        }
        Entity::Calendar => {
            if let Some(p) = slas::policies(&w.reader(), false)?
                .into_iter()
                .find(|p| p.i64("calendar_id") == Some(id))
            {
                return Err(crate::err!(Invalid, "calendars.in_use", policy = p.label()));
            }
            w.trash(entity, id)
        }
        Entity::Sla => {
            let gone = w.trash(entity, id)?;
            clocks::follow_policies(w, env)?;
            Ok(gone)
        }
        Entity::Role => {
            crate::domain::team::roles::check_unused(&w.reader(), id)?;
            w.trash(entity, id)
        }
        Entity::CalendarDay => {
            let r = w.reader().get(entity, id)?;
            let gone = w.trash(entity, id)?;
            if let Some(c) = r.and_then(|r| r.i64("calendar_id")) {
                clocks::follow_calendar(w, env, c)?;
            }
            Ok(gone)
        }
        _ => w.trash(entity, id),
    }
}

/// Take a record out of the trash inside a write; what follows it follows again.
pub fn restore_in(w: &mut Writer<'_>, env: &Env, entity: Entity, id: i64) -> Result<bool> {
    let back = w.restore(entity, id)?;
    if back {
        if let Some(r) = w.reader().get(entity, id)? {
            match entity {
                Entity::Line => {
                    if let Some((parent, pid)) = lines::parent_of(&r) {
                        lines::follow(w, env, parent, pid)?;
                    }
                }
                Entity::Plan | Entity::Invoice => {
                    if let Some(c) = r.i64("contract_id") {
                        contracts::follow(w, c)?;
                    }
                }
                Entity::Sla => clocks::follow_policies(w, env)?,
                Entity::CalendarDay => {
                    if let Some(c) = r.i64("calendar_id") {
                        clocks::follow_calendar(w, env, c)?;
                    }
                }
                Entity::Case => clocks::apply(w, env, id, false)?,
                _ => {}
            }
        }
    }
    Ok(back)
}

/// What a new record is stored as: a deal, a quote or a line goes through its kind's own
/// rules ([`create_own`]); every other kind is a row of checked values.
pub enum New {
    Own(Input),
    Values(Values),
}

/// The values a new record is stored with: checked as `kith add` checks them, with the
/// defaults and rules of its kind, and refused when it looks like a duplicate (unless
/// duplicates are allowed). Reads only.
pub fn new_values(r: &Reader<'_>, env: &Env, entity: Entity, input: &Input) -> Result<New> {
    let mut input = input.clone();
    // The kind's rules that read the input as typed.
    let rule = match entity {
        Entity::Deal
        | Entity::Quote
        | Entity::Line
        | Entity::Order
        | Entity::Contract
        | Entity::Plan
        | Entity::Payment
        | Entity::Invoice
        | Entity::Case
        | Entity::Survey
        | Entity::Calendar
        | Entity::Sla => return Ok(New::Own(input)),
        Entity::Lead => {
            leads::refuse_conversion_by_hand(&input)?;
            RuleChange::Keep
        }
        Entity::Task => tasks::take_rule(&mut input)?,
        Entity::Activity => {
            activities::default_time(&mut input);
            RuleChange::Keep
        }
        Entity::Account
        | Entity::Contact
        | Entity::Pipeline
        | Entity::Stage
        | Entity::User
        | Entity::Team
        | Entity::Role
        | Entity::Share
        | Entity::Product
        | Entity::PriceList
        | Entity::Price
        | Entity::Allocation
        | Entity::CalendarDay => RuleChange::Keep,
        Entity::Rate => RuleChange::Keep,
    };
    let mut values = validate(r, env, entity, &input, None)?;
    crate::domain::team::on_create(r, entity, &mut values)?;
    if entity == Entity::Product {
        crate::domain::commerce::products::check_sku(r, None, &values)?;
    }
    for f in r.fields(entity) {
        if f.required && !values.iter().any(|(c, _)| *c == f.column()) {
            return Err(crate::err!(Invalid, "records.required", field = f.name));
        }
    }
    if entity.field("owner").is_some() && !input.has("owner") {
        values.push(("owner".into(), Value::String(env.user.clone())));
    }
    crate::domain::team::users::check_owner(r, &values, None)?;
    fill_account_from_links(r, entity, &mut values)?;
    if entity == Entity::Task {
        tasks::apply_rule(rule, &mut values, None)?;
    }
    if !env.allow_duplicates {
        refuse_duplicate(r, entity, &values)?;
    }
    Ok(New::Values(values))
}

/// Refuse a new account, contact or lead that looks like one already there.
fn refuse_duplicate(r: &Reader<'_>, entity: Entity, values: &Values) -> Result<()> {
    if let Some(m) = duplicate_match(r, entity, values)? {
        return Err(crate::err!(
            Invalid,
            "records.looks_like_duplicate",
            entity = entity.label(),
            id = m.id,
            name = m.name,
            reasons = m.reasons.join(", ")
        ));
    }
    Ok(())
}

/// The existing record that new values look like, if any.
fn duplicate_match(
    r: &Reader<'_>,
    entity: Entity,
    values: &Values,
) -> Result<Option<crate::domain::dupes::Match>> {
    let get = |col: &str| values.iter().find(|(c, _)| c == col).map(|(_, v)| v);
    let text = |col: &str| get(col).and_then(Value::as_str).map(str::to_string);
    let list = |col: &str| -> Vec<String> {
        match get(col) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => vec![],
        }
    };
    let Some(dupes) = entity.kind().dupes else {
        return Ok(None);
    };
    let column = |f: &str| entity.field(f).map(|f| f.column()).unwrap_or_default();
    let candidate = crate::store::DedupeRow {
        name: text(entity.label_field()).unwrap_or_default(),
        emails: list(&column(dupes.emails)),
        phones: list(&column(dupes.phones)),
        website: dupes.website.and_then(|w| text(&column(w))),
        within: match dupes.within {
            Within::All => None,
            Within::Same(f) => get(&column(f))
                .and_then(Value::as_i64)
                .map(|a| a.to_string()),
            Within::Company(f) => crate::model::dupe_keys::lead_within(text(&column(f)).as_deref()),
        },
        ..Default::default()
    };
    Ok(crate::domain::dupes::matches(r, entity, &candidate)?
        .into_iter()
        .next())
}

/// The existing record a new one with this input would duplicate, if any (for imports
/// that update what they find instead of adding).
pub fn find_duplicate(
    w: &Writer<'_>,
    env: &Env,
    entity: Entity,
    input: &Input,
) -> Result<Option<i64>> {
    let mut values = validate(&w.reader(), env, entity, input, None)?;
    fill_account_from_links(&w.reader(), entity, &mut values)?;
    // A phone or domain alone, with another name, is a different person at the same
    // switchboard, not the same record: only a name or an email counts here.
    Ok(duplicate_match(&w.reader(), entity, &values)?
        .filter(|m| {
            m.reasons.iter().any(|r| {
                // The reasons are the catalog's texts, the email at the end of its own.
                r == crate::tr!("dupes.same_name")
                    || r.starts_with(&crate::tr!("dupes.same_email", email = ""))
            })
        })
        .map(|m| m.id))
}

/// Change a record inside a write. Returns whether anything changed.
pub fn update_in(
    w: &mut Writer<'_>,
    env: &Env,
    entity: Entity,
    id: i64,
    input: &Input,
) -> Result<bool> {
    Ok(update_full(w, env, entity, id, input)?.changed)
}

/// Change a record inside a write, and say what that did.
pub fn update_full(
    w: &mut Writer<'_>,
    env: &Env,
    entity: Entity,
    id: i64,
    input: &Input,
) -> Result<Updated> {
    let existing = w
        .reader()
        .get(entity, id)?
        .ok_or_else(|| crate::err!(Invalid, "records.no_id", entity = entity.label(), id = id))?;
    if existing.is_trashed() {
        return Err(crate::err!(
            Invalid,
            "records.trash_restore_first",
            entity = entity.label(),
            id = id
        ));
    }
    let mut input = input.clone();
    // The kind's rules that read the input as typed.
    let rule = match entity {
        Entity::Deal => {
            let changed = deals::update(w, env, &existing, input)?;
            return Ok(Updated {
                changed,
                next_task: None,
            });
        }
        Entity::Lead => {
            leads::refuse_conversion_by_hand(&input)?;
            RuleChange::Keep
        }
        Entity::Line => {
            let changed = lines::edit(w, env, id, &input)?;
            return Ok(Updated {
                changed,
                next_task: None,
            });
        }
        Entity::Quote => {
            quotes::check_edit(w, &existing, &mut input)?;
            RuleChange::Keep
        }
        Entity::Order => {
            orders::check_edit(w, &existing, &mut input)?;
            RuleChange::Keep
        }
        Entity::Contract => {
            let values = contracts::check_edit(&w.reader(), env, &existing, &mut input)?;
            crate::domain::team::users::check_owner(&w.reader(), &values, Some(&existing))?;
            let changed = w.update(entity, id, &values)?;
            return Ok(Updated {
                changed,
                next_task: None,
            });
        }
        Entity::Allocation => {
            return Err(crate::err!(
                Invalid,
                "payments.not_edited",
                field = "amount"
            ))
        }
        Entity::Case | Entity::Calendar | Entity::Sla => {
            let changed = match entity {
                Entity::Case => cases::edit(w, env, &existing, &input)?,
                Entity::Calendar => calendars::edit(w, env, &existing, &input)?,
                _ => slas::edit(w, env, &existing, &input)?,
            };
            return Ok(Updated {
                changed,
                next_task: None,
            });
        }
        Entity::Task => tasks::take_rule(&mut input)?,
        Entity::Account
        | Entity::Contact
        | Entity::Activity
        | Entity::Pipeline
        | Entity::Stage
        | Entity::User
        | Entity::Team
        | Entity::Role
        | Entity::Share
        | Entity::Product
        | Entity::PriceList
        | Entity::Price
        | Entity::Plan
        | Entity::Payment
        | Entity::Invoice
        | Entity::Survey
        | Entity::CalendarDay => RuleChange::Keep,
        Entity::Rate => RuleChange::Keep,
    };
    let mut values = validate(&w.reader(), env, entity, &input, Some(&existing))?;
    // The kind's rules that read the checked values.
    let mut now_done = false;
    match entity {
        Entity::Account => accounts::check_parent(&w.reader(), id, &values)?,
        Entity::Product => {
            crate::domain::commerce::products::check_sku(&w.reader(), Some(id), &values)?
        }
        Entity::Task => now_done = tasks::on_update(env, rule, &mut values, &existing)?,
        Entity::User | Entity::Team | Entity::Role | Entity::Share => {
            crate::domain::team::on_update(&w.reader(), entity, &existing, &mut values)?
        }
        Entity::Plan => contracts::check_item_edit(&existing, &mut values)?,
        Entity::Payment => payments::check_edit(&values)?,
        Entity::Invoice => invoices::check_edit(w, &existing, &mut values)?,
        Entity::Contact
        | Entity::Lead
        | Entity::Deal
        | Entity::Activity
        | Entity::Pipeline
        | Entity::Stage
        | Entity::PriceList
        | Entity::Price
        | Entity::Line
        | Entity::Quote
        | Entity::Order
        | Entity::Contract
        | Entity::Allocation
        | Entity::Case
        | Entity::Survey
        | Entity::Calendar
        | Entity::CalendarDay
        | Entity::Sla => {}
        Entity::Rate => {}
    }
    crate::domain::team::users::check_owner(&w.reader(), &values, Some(&existing))?;
    fill_account_from_links(&w.reader(), entity, &mut values)?;
    let changed = w.update(entity, id, &values)?;
    if matches!(entity, Entity::Quote | Entity::Order) && changed {
        lines::follow(w, env, entity, id)?;
    }
    if matches!(entity, Entity::Plan | Entity::Invoice) && changed {
        if let Some(c) = existing.i64("contract_id") {
            contracts::follow(w, c)?;
        }
    }
    let next_task = if now_done {
        tasks::next_occurrence(w, env, id)?
    } else {
        None
    };
    Ok(Updated { changed, next_task })
}

/// An activity or task about a contact or deal is also about that record's account, so the
/// account's timeline shows it.
fn fill_account_from_links(r: &Reader<'_>, entity: Entity, values: &mut Values) -> Result<()> {
    if !matches!(entity, Entity::Activity | Entity::Task)
        || values
            .iter()
            .any(|(c, v)| c == "account_id" && !v.is_null())
    {
        return Ok(());
    }
    for (col, source) in [("deal_id", Entity::Deal), ("contact_id", Entity::Contact)] {
        if let Some((_, Value::Number(n))) = values.iter().find(|(c, _)| c == col) {
            if let Some(acc) = r
                .get(source, n.as_i64().unwrap_or(0))?
                .and_then(|rec| rec.i64("account_id"))
            {
                values.retain(|(c, _)| c != "account_id");
                values.push(("account_id".into(), Value::from(acc)));
                return Ok(());
            }
        }
    }
    Ok(())
}
