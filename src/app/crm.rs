//! The library's front door. Every face (scripted commands, the full-screen interface,
//! cron jobs) holds a [`Crm`] and calls it; it validates input against the model, resolves
//! references, and reads and writes through the store.

use serde_json::Value;

use crate::core::clock::Clock;
use crate::core::dates::{parse_date, parse_when, When};
use crate::core::error::{Error, Result};
use crate::core::values;
use crate::model::query::{Filter, Op, SortKey, Term};
use crate::model::record::Record;
use crate::model::{Entity, Field, Ty};
use crate::store::{Change, ListQuery, QueryCtx, Reader, StageStep, Store, Values, Writer};

/// The user kith's own changes (a new database's default pipeline) are recorded as.
pub const SYSTEM_USER: &str = "kith";

/// Who is acting, when, and the defaults that apply: what validation needs besides the data.
#[derive(Debug, Clone)]
pub struct Env {
    pub clock: Clock,
    pub user: String,
    /// Currency of new deals that name none.
    pub currency: String,
    /// Add accounts, contacts and leads even when they look like existing ones.
    pub allow_duplicates: bool,
}

impl Env {
    pub fn ctx(&self) -> QueryCtx {
        QueryCtx {
            now: self.clock.now(),
        }
    }
}

/// Field values as a user typed them (`--tier A`, a form field), checked and converted by
/// the library. A field given several times holds several values (emails, phones).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Input {
    pub values: Vec<(String, String)>,
    pub tags_add: Vec<String>,
    pub tags_remove: Vec<String>,
}

impl Input {
    pub fn new() -> Input {
        Input::default()
    }

    /// Add a value for a field (builder style).
    pub fn with(mut self, field: &str, value: impl Into<String>) -> Input {
        self.set(field, value);
        self
    }

    pub fn set(&mut self, field: &str, value: impl Into<String>) {
        self.values.push((field.to_string(), value.into()));
    }

    /// The last value given for a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_str())
    }

    /// Remove every value of a field, returning the last.
    pub fn take(&mut self, field: &str) -> Option<String> {
        let last = self.get(field).map(str::to_string);
        self.values.retain(|(f, _)| f != field);
        last
    }

    pub fn has(&self, field: &str) -> bool {
        self.values.iter().any(|(f, _)| f == field)
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.tags_add.is_empty() && self.tags_remove.is_empty()
    }
}

/// A record with the records around it, as `show` presents it.
#[derive(Debug, Clone)]
pub struct Overview {
    pub record: Record,
    /// Named groups of related records: ("contacts", [...]), ("open_deals", [...]) …
    pub related: Vec<(&'static str, Vec<Record>)>,
    /// For deals: every stage entered, as (from, to, at, user).
    pub stage_history: Vec<StageStep>,
}

pub struct Crm {
    pub store: Store,
    pub env: Env,
}

impl Crm {
    pub fn new(store: Store, env: Env) -> Crm {
        Crm { store, env }
    }

    pub fn reader(&self) -> Reader<'_> {
        self.store.reader()
    }

    /// Read with `f` on another thread while this one goes on (see
    /// [`Store::read_on_thread`]).
    pub fn read_on_thread<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader<'_>) -> Result<T> + Send + 'static,
    ) -> Option<std::thread::JoinHandle<Result<T>>> {
        self.store.read_on_thread(f)
    }

    /// Run `f` as one transaction recorded under the current user and time.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>, &Env) -> Result<T>) -> Result<T> {
        let env = self.env.clone();
        let at = env.clock.stamp();
        self.store.write(&env.user, &at, |w| f(w, &env))
    }

    /// Like [`Crm::write`], then roll back: for `--dry-run`.
    pub fn dry_run<T>(&mut self, f: impl FnOnce(&mut Writer<'_>, &Env) -> Result<T>) -> Result<T> {
        let env = self.env.clone();
        let at = env.clock.stamp();
        self.store.dry_run(&env.user, &at, |w| f(w, &env))
    }

    /// Run `f` (one large write, as [`Crm::write`] or [`Crm::dry_run`]) with the store set
    /// for it: see [`Store::large_write_begin`].
    pub fn for_large_write<T>(
        &mut self,
        kib: i64,
        f: impl FnOnce(&mut Crm) -> Result<T>,
    ) -> Result<T> {
        let saved = self.store.large_write_begin(kib)?;
        let out = f(self);
        let restored = self.store.large_write_end(saved);
        let out = out?;
        restored?;
        Ok(out)
    }

    /// Make sure the database has a default pipeline (a new database gets the sales one).
    /// Setup is recorded as done by kith itself, so no user's `kith undo` takes it back.
    pub fn ensure_setup(&mut self) -> Result<()> {
        // Most runs find a pipeline: a read, so they take no write lock (and do not wait
        // for another process's long write). Otherwise the write checks again.
        let any = self.reader().list(
            Entity::Pipeline,
            &list_query(vec![], "", Some(1)),
            &self.env.ctx(),
        )?;
        if !any.is_empty() {
            return Ok(());
        }
        let env = Env {
            user: SYSTEM_USER.to_string(),
            ..self.env.clone()
        };
        let at = env.clock.stamp();
        self.store.write(&env.user, &at, |w| {
            crate::domain::sales::pipelines::ensure_default(w, &env)
        })
    }

    pub fn create(&mut self, entity: Entity, input: &Input) -> Result<i64> {
        self.write(|w, env| create_in(w, env, entity, input))
    }

    pub fn update(&mut self, entity: Entity, id: i64, input: &Input) -> Result<bool> {
        self.write(|w, env| update_in(w, env, entity, id, input))
    }

    /// Move records to the trash (all or none). Returns how many were not there already.
    pub fn trash(&mut self, entity: Entity, ids: &[i64]) -> Result<usize> {
        self.write(|w, _| {
            let mut n = 0;
            for &id in ids {
                n += w.trash(entity, id)? as usize;
            }
            Ok(n)
        })
    }

    pub fn restore(&mut self, entity: Entity, ids: &[i64]) -> Result<usize> {
        self.write(|w, _| {
            let mut n = 0;
            for &id in ids {
                n += w.restore(entity, id)? as usize;
            }
            Ok(n)
        })
    }

    pub fn get(&self, entity: Entity, id: i64) -> Result<Record> {
        self.reader()
            .get(entity, id)?
            .ok_or_else(|| Error::not_found(format!("no {entity} with id {id}")))
    }

    pub fn list(&self, entity: Entity, q: &ListQuery) -> Result<Vec<Record>> {
        self.reader().list(entity, q, &self.env.ctx())
    }

    pub fn history(&self, entity: Entity, id: i64) -> Result<Vec<Change>> {
        self.reader().history(entity, id)
    }

    /// Find a live record by id or name, for commands that change it: unknown and
    /// ambiguous references are bad input (exit 2).
    pub fn resolve(&self, entity: Entity, text: &str) -> Result<i64> {
        resolve(&self.reader(), entity, text, false)
    }

    /// Find a record in the trash by id or name (for `restore`).
    pub fn resolve_trashed(&self, entity: Entity, text: &str) -> Result<i64> {
        resolve(&self.reader(), entity, text, true)
    }

    /// Find a record to show: an unknown reference means nothing matched (exit 1). Trashed
    /// records are found by id.
    pub fn find(&self, entity: Entity, text: &str) -> Result<i64> {
        match lookup(&self.reader(), entity, text, false)? {
            Lookup::Found(id) => Ok(id),
            Lookup::Missing(msg) => {
                let t = text.trim().trim_start_matches('#');
                match t.parse::<i64>() {
                    Ok(id) if self.reader().get(entity, id)?.is_some() => Ok(id),
                    _ => Err(Error::not_found(msg)),
                }
            }
            Lookup::Ambiguous(msg) => Err(Error::invalid(msg)),
        }
    }

    /// A record and everything around it: the 360° view.
    pub fn overview(&self, entity: Entity, id: i64) -> Result<Overview> {
        let record = self.get(entity, id)?;
        let ctx = self.env.ctx();
        let r = self.reader();
        let open = |field: &str, value: &str| Term::Field {
            field: field.into(),
            op: Op::Eq,
            value: value.into(),
        };
        /// One group of related records: its name, what it lists, the field linking it
        /// here, an extra condition, the sort and the limit.
        struct Group(
            &'static str,
            Entity,
            &'static str,
            Option<Term>,
            &'static str,
            Option<usize>,
        );
        let mut groups = match entity {
            Entity::Account => vec![
                Group("contacts", Entity::Contact, "account", None, "name", None),
                Group(
                    "open_deals",
                    Entity::Deal,
                    "account",
                    Some(open("status", "open")),
                    "expected_close",
                    None,
                ),
                Group("children", Entity::Account, "parent", None, "name", None),
            ],
            Entity::Contact => vec![Group(
                "deals",
                Entity::Deal,
                "contact",
                None,
                "expected_close",
                None,
            )],
            Entity::Pipeline => vec![Group(
                "stages",
                Entity::Stage,
                "pipeline",
                None,
                "position",
                None,
            )],
            _ => vec![],
        };
        if entity.is_linkable() {
            let link = entity.name();
            groups.push(Group(
                "recent_activities",
                Entity::Activity,
                link,
                None,
                "-at",
                Some(10),
            ));
            groups.push(Group(
                "open_tasks",
                Entity::Task,
                link,
                Some(open("done", "no")),
                "due",
                None,
            ));
        }
        let mut related = Vec::new();
        for Group(name, kind, field, extra, sort, limit) in groups {
            let mut terms = vec![by(field, id)];
            terms.extend(extra);
            related.push((name, r.list(kind, &list_query(terms, sort, limit), &ctx)?));
        }
        let stage_history = if entity == Entity::Deal {
            r.stage_history(id)?
        } else {
            vec![]
        };
        Ok(Overview {
            record,
            related,
            stage_history,
        })
    }
}

// ---------------------------------------------------------------------------------------
// References

pub(crate) enum Lookup {
    Found(i64),
    Missing(String),
    Ambiguous(String),
}

/// Find a record by `#id`, id, exact name (ignoring case), unique name prefix, or unique
/// part of the name.
pub(crate) fn lookup(r: &Reader<'_>, entity: Entity, text: &str, trashed: bool) -> Result<Lookup> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid(format!("an empty {entity} reference")));
    }
    let digits = t.strip_prefix('#').unwrap_or(t);
    if let Ok(id) = digits.parse::<i64>() {
        return Ok(match r.get(entity, id)? {
            Some(rec) if rec.is_trashed() == trashed => Lookup::Found(id),
            Some(_) if trashed => Lookup::Missing(format!("{entity} {id} is not in the trash")),
            Some(_) => Lookup::Missing(format!(
                "{entity} {id} is in the trash (kith {entity} restore {id})"
            )),
            None => Lookup::Missing(format!("no {entity} with id {id}")),
        });
    }
    let (mut found, exact) = r.find_by_label(entity, t, 11, trashed)?;
    // A repeating task leaves its done occurrences behind under the same title: the name
    // means the one still open.
    if entity == Entity::Task && found.len() > 1 {
        let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
        let open: Vec<i64> = r
            .get_many(Entity::Task, &ids)?
            .iter()
            .filter(|t| !t.bool("done"))
            .map(Record::id)
            .collect();
        if open.len() == 1 {
            found.retain(|(id, _)| open.contains(id));
        }
    }
    Ok(match found.as_slice() {
        [(id, _)] => Lookup::Found(*id),
        [] => Lookup::Missing(format!(
            "no {entity}{} named '{t}'",
            if trashed { " in the trash" } else { "" }
        )),
        many => {
            let shown: Vec<String> = many
                .iter()
                .take(10)
                .map(|(id, name)| format!("  {id}\t{name}"))
                .collect();
            let more = if many.len() > 10 { "\n  …" } else { "" };
            Lookup::Ambiguous(format!(
                "'{t}' {} {} {}; give the id:\n{}{more}",
                if exact { "names" } else { "matches" },
                if many.len() > 10 {
                    "more than 10".to_string()
                } else {
                    many.len().to_string()
                },
                entity.plural(),
                shown.join("\n")
            ))
        }
    })
}

pub(crate) fn resolve(r: &Reader<'_>, entity: Entity, text: &str, trashed: bool) -> Result<i64> {
    match lookup(r, entity, text, trashed)? {
        Lookup::Found(id) => Ok(id),
        Lookup::Missing(m) | Lookup::Ambiguous(m) => Err(Error::invalid(m)),
    }
}

// ---------------------------------------------------------------------------------------
// Create and update

/// Create a record inside a write. Applies the defaults and rules of its kind.
pub fn create_in(w: &mut Writer<'_>, env: &Env, entity: Entity, input: &Input) -> Result<i64> {
    match new_values(&w.reader(), env, entity, input)? {
        New::Deal(input) => crate::domain::sales::deals::create(w, env, input),
        New::Values(values) => w.insert(entity, &values),
    }
}

/// What a new record is stored as: a deal goes through the deal rules (its stage and
/// pipeline, its stage history); every other kind is a row of checked values.
pub enum New {
    Deal(Input),
    Values(Values),
}

/// The values a new record is stored with: checked as `kith add` checks them, with the
/// defaults and rules of its kind, and refused when it looks like a duplicate (unless
/// duplicates are allowed). Reads only.
pub fn new_values(r: &Reader<'_>, env: &Env, entity: Entity, input: &Input) -> Result<New> {
    refuse_conversion_by_hand(entity, input)?;
    let mut input = input.clone();
    let rule = if entity == Entity::Task {
        crate::domain::sales::tasks::take_rule(&mut input)?
    } else {
        crate::domain::sales::tasks::RuleChange::Keep
    };
    match entity {
        Entity::Deal => return Ok(New::Deal(input)),
        Entity::Activity if !input.has("at") => input.set("at", "now"),
        _ => {}
    }
    let mut values = validate(r, env, entity, &input, None)?;
    for f in entity.fields() {
        if f.required && !values.iter().any(|(c, _)| *c == f.column()) {
            return Err(Error::invalid(format!("{} is required", f.name)));
        }
    }
    if entity.field("owner").is_some() && !input.has("owner") {
        values.push(("owner".into(), Value::String(env.user.clone())));
    }
    fill_account_from_links(r, entity, &mut values)?;
    if entity == Entity::Task {
        crate::domain::sales::tasks::apply_rule(rule, &mut values, None)?;
    }
    if !env.allow_duplicates {
        refuse_duplicate(r, entity, &values)?;
    }
    Ok(New::Values(values))
}

/// Refuse a new account, contact or lead that looks like one already there.
fn refuse_duplicate(r: &Reader<'_>, entity: Entity, values: &Values) -> Result<()> {
    if let Some(m) = duplicate_match(r, entity, values)? {
        return Err(Error::invalid(format!(
            "looks like a duplicate of {entity} {} '{}' ({}); --allow-duplicate adds it anyway, an import with --key updates it",
            m.id,
            m.name,
            m.reasons.join(", ")
        )));
    }
    Ok(())
}

/// The existing record that new values look like, if any.
fn duplicate_match(
    r: &Reader<'_>,
    entity: Entity,
    values: &Values,
) -> Result<Option<crate::app::dupes::Match>> {
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
    let candidate = match entity {
        Entity::Account => crate::store::DedupeRow {
            name: text("name").unwrap_or_default(),
            emails: list("email"),
            phones: list("phone"),
            website: text("website"),
            ..Default::default()
        },
        Entity::Contact => crate::store::DedupeRow {
            name: text("name").unwrap_or_default(),
            emails: list("emails"),
            phones: list("phones"),
            within: get("account_id")
                .and_then(Value::as_i64)
                .map(|a| a.to_string()),
            ..Default::default()
        },
        Entity::Lead => crate::store::DedupeRow {
            name: text("name").unwrap_or_default(),
            emails: list("email"),
            phones: list("phone"),
            within: crate::model::dupe_keys::lead_within(text("company").as_deref()),
            ..Default::default()
        },
        _ => return Ok(None),
    };
    Ok(crate::app::dupes::matches(r, entity, &candidate)?
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
            m.reasons
                .iter()
                .any(|r| r == "same name" || r.starts_with("same email"))
        })
        .map(|m| m.id))
}

/// A lead's `converted` status links it to what it became, so only conversion sets it.
fn refuse_conversion_by_hand(entity: Entity, input: &Input) -> Result<()> {
    let converted = input
        .get("status")
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("converted"));
    if entity == Entity::Lead && converted {
        return Err(Error::invalid(
            "status: a lead becomes converted only through 'kith lead convert'",
        ));
    }
    Ok(())
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

/// What an update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Updated {
    pub changed: bool,
    /// The next occurrence made when a repeating task was marked done.
    pub next_task: Option<i64>,
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
        .ok_or_else(|| Error::invalid(format!("no {entity} with id {id}")))?;
    if existing.is_trashed() {
        return Err(Error::invalid(format!(
            "{entity} {id} is in the trash; restore it first (kith {entity} restore {id})"
        )));
    }
    refuse_conversion_by_hand(entity, input)?;
    if entity == Entity::Deal {
        let changed = crate::domain::sales::deals::update(w, env, &existing, input.clone())?;
        return Ok(Updated {
            changed,
            next_task: None,
        });
    }
    let mut input = input.clone();
    let rule = if entity == Entity::Task {
        crate::domain::sales::tasks::take_rule(&mut input)?
    } else {
        crate::domain::sales::tasks::RuleChange::Keep
    };
    let mut values = validate(&w.reader(), env, entity, &input, Some(&existing))?;
    if entity == Entity::Account {
        if let Some((_, Value::Number(p))) = values.iter().find(|(c, _)| c == "parent_id") {
            check_no_cycle(&w.reader(), id, p.as_i64().unwrap_or(0))?;
        }
    }
    let mut now_done = false;
    if entity == Entity::Task {
        if let Some((_, Value::Bool(done))) = values.iter().find(|(c, _)| c == "done") {
            let was = existing.bool("done");
            if *done && !was {
                values.push(("done_at".into(), Value::String(env.clock.stamp())));
                now_done = true;
            } else if !*done && was {
                values.push(("done_at".into(), Value::Null));
            }
        }
        crate::domain::sales::tasks::apply_rule(rule, &mut values, Some(&existing))?;
    }
    fill_account_from_links(&w.reader(), entity, &mut values)?;
    let changed = w.update(entity, id, &values)?;
    let next_task = if now_done {
        crate::domain::sales::tasks::next_occurrence(w, env, id)?
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

/// Refuse `parent` as account `id`'s parent when it is `id` itself or one of its branches.
pub(crate) fn check_no_cycle(r: &Reader<'_>, id: i64, parent: i64) -> Result<()> {
    let mut cur = Some(parent);
    let mut seen = 0;
    while let Some(p) = cur {
        if p == id {
            return Err(Error::invalid(format!(
                "parent: account {parent} is account {id} itself or one of its branches"
            )));
        }
        seen += 1;
        if seen > 10_000 {
            break;
        }
        cur = r.get(Entity::Account, p)?.and_then(|a| a.i64("parent_id"));
    }
    Ok(())
}

/// Check and convert every value of `input` for `entity`. With `existing`, tags are added
/// to and removed from its tags; without, they start empty.
pub fn validate(
    r: &Reader<'_>,
    env: &Env,
    entity: Entity,
    input: &Input,
    existing: Option<&Record>,
) -> Result<Values> {
    let mut out: Values = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in &input.values {
        let f = entity.field(name).ok_or_else(|| {
            Error::invalid(format!(
                "{entity} has no field '{name}'; fields are: {}",
                settable(entity).join(", ")
            ))
        })?;
        if f.system {
            return Err(Error::invalid(format!(
                "{} is set by kith, not by hand",
                f.name
            )));
        }
        if seen.contains(&f.name) {
            continue;
        }
        seen.push(f.name);
        let raws: Vec<&str> = input
            .values
            .iter()
            .filter(|(n, _)| entity.field(n).map(|g| g.name) == Some(f.name))
            .map(|(_, v)| v.as_str())
            .collect();
        // Name the field as the user typed it: `email`, not the stored list `emails`.
        let shown = match f.ty {
            Ty::List { first, .. } => first,
            _ => f.name,
        };
        let value = convert(r, env, f, &raws).map_err(|e| e.context(shown))?;
        if f.required && value.is_null() {
            return Err(Error::invalid(format!("{} must not be empty", f.name)));
        }
        out.push((f.column(), value));
    }
    if !input.tags_add.is_empty() || !input.tags_remove.is_empty() {
        let mut tags: Vec<String> = match out.iter().position(|(c, _)| c == "tags") {
            Some(i) => string_list(&out.remove(i).1),
            None => existing
                .and_then(|e| e.get("tags"))
                .map(string_list)
                .unwrap_or_default(),
        };
        for t in &input.tags_add {
            let t = normalize_tag(t)?;
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        for t in &input.tags_remove {
            let t = normalize_tag(t)?;
            tags.retain(|x| *x != t);
        }
        tags.sort();
        out.push(("tags".into(), Value::from(tags)));
    }
    Ok(out)
}

/// Fields a user may set on a kind of record.
pub fn settable(entity: Entity) -> Vec<&'static str> {
    entity
        .fields()
        .iter()
        .filter(|f| !f.system)
        .map(|f| f.name)
        .collect()
}

fn string_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A tag is one word, stored lower-case, without a leading '+'.
pub fn normalize_tag(t: &str) -> Result<String> {
    let t = t.trim().trim_start_matches('+').to_lowercase();
    if t.is_empty() {
        return Err(Error::invalid("tag: an empty tag"));
    }
    values::check_controls(&t, false).map_err(|e| e.context("tag"))?;
    if t.chars().any(|c| c.is_whitespace() || c == ',') {
        return Err(Error::invalid(format!(
            "tag: '{t}' has a space or comma; a tag is one word (try {})",
            t.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("-")
        )));
    }
    Ok(t)
}

/// The stored text of a local date or date-time.
pub fn when_text(w: When) -> String {
    match w {
        When::Date(d) => d.format("%Y-%m-%d").to_string(),
        When::DateTime(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
    }
}

fn convert(r: &Reader<'_>, env: &Env, f: &Field, raws: &[&str]) -> Result<Value> {
    if let Ty::List { elem, .. } = f.ty {
        let mut items = Vec::new();
        for raw in raws {
            for part in raw
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let v = convert_one(r, env, *elem, part)?;
                if !items.contains(&v) {
                    items.push(v);
                }
            }
        }
        return Ok(Value::Array(items));
    }
    if f.ty == Ty::Tags {
        let mut tags = Vec::new();
        for raw in raws {
            // Commas (and 、，；) separate tags; spaces inside one become dashes
            // ("GTX Plus Basic" → gtx-plus-basic).
            for part in raw
                .split([',', ';', '，', '、', '；'])
                .filter(|p| !p.trim().is_empty())
            {
                let joined = part.split_whitespace().collect::<Vec<_>>().join("-");
                let t = normalize_tag(&joined)?;
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
        tags.sort();
        return Ok(Value::from(tags));
    }
    let raw = raws.last().copied().unwrap_or("");
    let t = raw.trim();
    if t.is_empty() {
        return Ok(Value::Null);
    }
    // A birthday whose year is not known is kept as the day of the year, `--05-20`.
    if f.name == "birthday" {
        if let Some((m, d)) = crate::core::dates::month_day(t) {
            return Ok(Value::String(format!("--{m:02}-{d:02}")));
        }
    }
    convert_one(r, env, f.ty, t)
}

fn convert_one(r: &Reader<'_>, env: &Env, ty: Ty, t: &str) -> Result<Value> {
    // Whatever the type, a value holds no control characters (line breaks only in
    // multi-line text): checked before it is read as anything else.
    values::check_controls(t, ty == Ty::LongText)?;
    Ok(match ty {
        Ty::Text | Ty::LongText => Value::String(t.to_string()),
        Ty::Email => Value::String(values::check_email(t)?),
        Ty::Phone => Value::String(values::check_phone(t)?),
        Ty::Currency => Value::String(values::check_currency(t)?),
        Ty::Int { min, max } => {
            let n = values::parse_int(t)?;
            if n < min || n > max {
                return Err(Error::invalid(format!("{n} is out of range {min}–{max}")));
            }
            Value::from(n)
        }
        Ty::Money => {
            let n = crate::core::money::Money::parse(t)?;
            if n.is_negative() {
                return Err(Error::invalid(format!("{t} is negative")));
            }
            if n > crate::core::money::Money::MAX {
                return Err(Error::invalid(format!(
                    "{t} is too large (at most {})",
                    crate::core::money::Money::MAX.grouped()
                )));
            }
            // Entered to the cent, as always; stored exactly.
            n.round_to(2).to_json()
        }
        Ty::Date => Value::String(
            parse_date(t, env.clock.now())?
                .format("%Y-%m-%d")
                .to_string(),
        ),
        Ty::When => Value::String(when_text(parse_when(t, env.clock.now())?)),
        Ty::Stamp => return Err(Error::invalid("is set by kith")),
        Ty::Bool => Value::Bool(values::parse_bool(t)?),
        Ty::Enum(choices) => Value::String(choose(choices, t)?.to_string()),
        Ty::Ref(target) => Value::from(resolve(r, target, t, false)?),
        Ty::List { .. } | Ty::Tags => unreachable!("lists are converted item by item"),
    })
}

/// Pick an enum word: exact (ignoring case), else a unique prefix (`cust` → customer).
pub fn choose(choices: &'static [&'static str], t: &str) -> Result<&'static str> {
    crate::model::choose(choices, t).ok_or_else(|| {
        Error::invalid(format!(
            "'{}' is not one of {}",
            t.trim(),
            choices.join(", ")
        ))
    })
}

/// A filter term that matches one record id through a field (used by overview queries).
pub fn by(field: &str, id: i64) -> Term {
    Term::Field {
        field: field.into(),
        op: Op::Eq,
        value: id.to_string(),
    }
}

/// A list query from filter terms and a sort spec.
pub fn list_query(terms: Vec<Term>, sort: &str, limit: Option<usize>) -> ListQuery {
    ListQuery {
        filter: Filter { terms },
        sort: if sort.is_empty() {
            Vec::<SortKey>::new()
        } else {
            crate::model::query::parse_sort(sort).unwrap_or_default()
        },
        limit,
        ..ListQuery::default()
    }
}

/// The fixture the library's unit tests share: an in-memory CRM with its default pipeline,
/// the clock pinned to 2026-11-22 10:00 local time, user `t`, currency CNY.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Crm, Entity, Env, Input};
    use crate::core::clock::Clock;
    use crate::store::Store;
    use chrono::NaiveDate;

    pub(crate) fn crm() -> Crm {
        let now = NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let env = Env {
            clock: Clock::at_local(now),
            user: "t".into(),
            currency: "CNY".into(),
            allow_duplicates: false,
        };
        let mut crm = Crm::new(Store::open_in_memory().unwrap(), env);
        crm.ensure_setup().unwrap();
        crm
    }

    /// Create a record from (field, value) pairs; the test fails if it is refused.
    pub(crate) fn add(crm: &mut Crm, entity: Entity, fields: &[(&str, &str)]) -> i64 {
        let mut input = Input::new();
        for (f, v) in fields {
            input.set(f, *v);
        }
        crm.create(entity, &input).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::clock::Clock;
    use crate::store::tests::pragma;
    use proptest::prelude::*;

    #[test]
    fn a_large_write_puts_the_cache_and_temp_store_back_even_when_it_fails() {
        let mut crm = crm();
        let before = (
            pragma(&crm.store, "cache_size"),
            pragma(&crm.store, "temp_store"),
        );
        let seen = crm
            .for_large_write(64 * 1024, |c| {
                Ok((
                    pragma(&c.store, "cache_size"),
                    pragma(&c.store, "temp_store"),
                ))
            })
            .unwrap();
        assert_eq!(seen, (-64 * 1024, 2));
        assert_eq!(
            (
                pragma(&crm.store, "cache_size"),
                pragma(&crm.store, "temp_store")
            ),
            before
        );
        let failed: Result<()> = crm.for_large_write(64 * 1024, |c| {
            c.write(|_, _| Err(Error::invalid("bad row")))
        });
        assert!(failed.is_err());
        assert_eq!(
            (
                pragma(&crm.store, "cache_size"),
                pragma(&crm.store, "temp_store")
            ),
            before
        );
    }

    fn crm() -> Crm {
        let env = Env {
            clock: Clock::pinned("2026-11-22T10:00").unwrap(),
            user: "t".into(),
            currency: "USD".into(),
            allow_duplicates: false,
        };
        let mut crm = Crm::new(Store::open_in_memory().unwrap(), env);
        crm.ensure_setup().unwrap();
        crm.create(
            Entity::Account,
            &Input::new()
                .with("name", "广州白云国际机场")
                .with("tier", "A"),
        )
        .unwrap();
        crm.create(
            Entity::Deal,
            &Input::new()
                .with("title", "d")
                .with("amount", "5")
                .with("account", "1"),
        )
        .unwrap();
        crm
    }

    #[test]
    fn birthdays_in_a_window_across_the_year_end_and_29_february() {
        let mut c = crm();
        for (name, b) in [
            ("a", "1980-12-30"),
            ("b", "1990-01-02"),
            ("c", "1992-02-29"),
            ("d", "1985-06-01"),
        ] {
            c.create(
                Entity::Contact,
                &Input::new().with("name", name).with("birthday", b),
            )
            .unwrap();
        }
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let got: Vec<(String, chrono::NaiveDate)> = c
            .reader()
            .birthdays(d(2026, 12, 28), 7)
            .unwrap()
            .into_iter()
            .map(|(r, day)| (r.label().to_string(), day))
            .collect();
        assert_eq!(
            got,
            vec![("a".into(), d(2026, 12, 30)), ("b".into(), d(2027, 1, 2))]
        );
        // 2027 has no 29 February: c's birthday is on the 28th.
        let got = c.reader().birthdays(d(2027, 2, 27), 3).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, d(2027, 2, 28));
        assert!(
            c.reader().birthdays(d(2028, 2, 28), 1).unwrap().is_empty(),
            "2028 has a 29th"
        );
    }

    #[test]
    fn input_values_are_checked_by_type() {
        let mut c = crm();
        let e = c
            .create(
                Entity::Deal,
                &Input::new().with("title", "x").with("amount", "-1"),
            )
            .unwrap_err();
        assert_eq!(e.to_string(), "amount: -1 is negative");
        let e = c
            .create(
                Entity::Account,
                &Input::new().with("name", "x").with("nope", "1"),
            )
            .unwrap_err();
        assert!(
            e.to_string().starts_with("account has no field 'nope'"),
            "{e}"
        );
        let e = c
            .create(
                Entity::Task,
                &Input::new().with("title", "x").with("done_at", "now"),
            )
            .unwrap_err();
        assert_eq!(e.to_string(), "done_at is set by kith, not by hand");
        assert_eq!(
            choose(crate::model::ACCOUNT_TYPES, "dist").unwrap(),
            "distributor"
        );
        assert!(
            choose(crate::model::ACCOUNT_TYPES, "p").is_err(),
            "p is prospect or partner"
        );
        assert_eq!(normalize_tag("+VIP").unwrap(), "vip");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_filter_or_sort_gives_rows_or_an_error_never_a_panic(
            terms in proptest::collection::vec("\\PC{0,24}", 0..4),
            sort in "\\PC{0,16}",
            kind in 0usize..6,
        ) {
            let c = crm();
            let entity = Entity::RECORDS[kind];
            if let Ok(filter) = crate::model::query::parse_args(&terms) {
                let sort = crate::model::query::parse_sort(&sort).unwrap_or_default();
                let q = ListQuery { filter, sort, ..ListQuery::default() };
                match c.list(entity, &q) {
                    Ok(_) => {}
                    Err(e) => prop_assert_eq!(e.exit_code(), 2, "{}", e),
                }
            }
        }

        #[test]
        fn any_field_value_is_accepted_or_refused_never_a_panic(
            field in 0usize..30,
            value in "\\PC{0,30}",
            kind in 0usize..6,
        ) {
            let mut c = crm();
            let entity = Entity::RECORDS[kind];
            let settable = settable(entity);
            let name = settable[field % settable.len()];
            let mut input = Input::new().with(name, value);
            if !input.has(entity.label_field()) {
                input.set(entity.label_field(), "x");
            }
            if entity == Entity::Activity && !input.has("kind") {
                input.set("kind", "call");
            }
            if let Err(e) = c.create(entity, &input) {
                prop_assert_eq!(e.exit_code(), 2, "{}", e);
            }
        }
    }
}
