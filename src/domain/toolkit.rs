//! The shared toolkit every domain and the front door use: the environment a command runs
//! in ([`Env`]: who, when, the defaults), input as a user typed it ([`Input`]), checking and
//! converting it against the model ([`validate`]), finding records by reference
//! ([`resolve`], [`lookup`]) and building list queries ([`list_query`], [`by`]). It knows
//! no kind's rules (those are in the domains) and calls no domain: the domains build on it,
//! and the front door ([`crate::app::crm::Crm`]) on both.

use serde_json::Value;

use crate::core::clock::Clock;
use crate::core::dates::{parse_date, parse_when, When};
use crate::core::error::{Error, Result};
use crate::core::values;
use crate::model::query::{Filter, Op, SortKey, Term};
use crate::model::record::Record;
use crate::model::{Entity, Field, Ty};
use crate::store::{ListQuery, QueryCtx, Reader, Store, Values, Writer};

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

/// What a domain verb that reads and writes on its own (`kith remind`: reads on two
/// connections, then two short writes) needs of the front door. [`crate::Crm`] is one; the
/// domains name this, not the door, so they do not depend on it.
pub trait Door {
    fn env(&self) -> &Env;
    fn store(&self) -> &Store;
    /// Run `f` as one write transaction, as [`crate::Crm::write`] does.
    fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>, &Env) -> Result<T>) -> Result<T>;
}

// ---------------------------------------------------------------------------------------
// References

pub(crate) enum Lookup {
    Found(i64),
    Missing(Error),
    Ambiguous(Error),
}

/// Find a record by `#id`, id, exact name (ignoring case), unique name prefix, or unique
/// part of the name. A record named by a number (an invoice's 04400261) is found by it
/// before a record of that id: `#id` is always the id.
pub(crate) fn lookup(r: &Reader<'_>, entity: Entity, text: &str, trashed: bool) -> Result<Lookup> {
    let t = text.trim();
    if t.is_empty() {
        return Err(crate::err!(
            Invalid,
            "toolkit.empty_reference",
            entity = entity.label()
        ));
    }
    if entity.label_field() == "number" && !t.starts_with('#') {
        if let [one] = with_value(r, entity, "number", t, trashed, 2)?.as_slice() {
            if one.is_trashed() == trashed {
                return Ok(Lookup::Found(one.id()));
            }
        }
    }
    let digits = t.strip_prefix('#').unwrap_or(t);
    if let Ok(id) = digits.parse::<i64>() {
        return Ok(match r.get(entity, id)? {
            Some(rec) if rec.is_trashed() == trashed => Lookup::Found(id),
            Some(_) if trashed => Lookup::Missing(crate::err!(
                Invalid,
                "toolkit.not_in_trash",
                entity = entity.label(),
                id = id
            )),
            Some(_) => Lookup::Missing(crate::err!(
                Invalid,
                "toolkit.in_trash",
                entity = entity.label(),
                id = id
            )),
            None => Lookup::Missing(crate::err!(
                Invalid,
                "toolkit.no_id",
                entity = entity.label(),
                id = id
            )),
        });
    }
    // A record kith made itself, by its name in any language (销售 for the pipeline
    // `sales`).
    let (mut found, exact) = match crate::model::record::name_of_label(entity, t) {
        Some(stored) if !stored.eq_ignore_ascii_case(t) => {
            match r.find_by_label(entity, stored, 11, trashed)? {
                (found, true) => (found, true),
                _ => r.find_by_label(entity, t, 11, trashed)?,
            }
        }
        _ => r.find_by_label(entity, t, 11, trashed)?,
    };
    // No name: a kind's code names one record too (a product's SKU).
    if found.is_empty() {
        if let Some(code) = entity.kind().code {
            found = with_value(r, entity, code, t, trashed, 11)?
                .iter()
                .map(|rec| (rec.id(), rec.label().to_string()))
                .collect();
        }
    }
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
        [] if trashed => Lookup::Missing(crate::err!(
            Invalid,
            "toolkit.no_name_in_trash",
            entity = entity.label(),
            name = t
        )),
        [] => Lookup::Missing(crate::err!(
            Invalid,
            "toolkit.no_name",
            entity = entity.label(),
            name = t
        )),
        many => {
            let shown: Vec<String> = many
                .iter()
                .take(10)
                .map(|(id, name)| format!("  {id}\t{name}"))
                .collect();
            let more = if many.len() > 10 { "\n  …" } else { "" };
            let count = if many.len() > 10 {
                crate::tr!("toolkit.more_than_ten").to_string()
            } else {
                many.len().to_string()
            };
            let shown = shown.join("\n");
            Lookup::Ambiguous(if exact {
                crate::err!(
                    Invalid,
                    "toolkit.names_many",
                    name = t,
                    count = count,
                    kinds = entity.plural(),
                    shown = shown,
                    more = more
                )
            } else {
                crate::err!(
                    Invalid,
                    "toolkit.matches_many",
                    name = t,
                    count = count,
                    kinds = entity.plural(),
                    shown = shown,
                    more = more
                )
            })
        }
    })
}

pub(crate) fn resolve(r: &Reader<'_>, entity: Entity, text: &str, trashed: bool) -> Result<i64> {
    match lookup(r, entity, text, trashed)? {
        Lookup::Found(id) => Ok(id),
        Lookup::Missing(e) | Lookup::Ambiguous(e) => Err(e),
    }
}

/// At most `limit` records of `entity` whose `field` is `text` (ignoring case), live or in
/// the trash, by id: a kind's code (a product's SKU) looked up or checked.
pub(crate) fn with_value(
    r: &Reader<'_>,
    entity: Entity,
    field: &str,
    text: &str,
    trashed: bool,
    limit: usize,
) -> Result<Vec<Record>> {
    let term = Term::Field {
        field: field.into(),
        op: Op::Eq,
        value: text.to_string(),
    };
    let mut q = list_query(vec![term], "id", Some(limit));
    q.trash = trashed;
    r.list(entity, &q, &QueryCtx::none())
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
    // Amounts written with a currency mark (`¥12万`): held against the record's currency.
    let mut marked: Vec<(&str, String, crate::core::money::Mark)> = Vec::new();
    for (name, _) in &input.values {
        let f = r.field(entity, name).ok_or_else(|| {
            let mut names = settable(entity);
            names.extend(r.custom().of(entity).iter().map(|f| f.name));
            crate::err!(
                Invalid,
                "toolkit.field_fields",
                entity = entity.label(),
                name = name,
                fields = names.join(", ")
            )
        })?;
        if f.system {
            return Err(crate::err!(Invalid, "toolkit.set_hand", field = f.name));
        }
        if seen.contains(&f.name) {
            continue;
        }
        seen.push(f.name);
        let raws: Vec<&str> = input
            .values
            .iter()
            .filter(|(n, _)| r.field(entity, n).map(|g| g.name) == Some(f.name))
            .map(|(_, v)| v.as_str())
            .collect();
        // Name the field as the user typed it: `email`, not the stored list `emails`.
        let shown = match f.ty {
            Ty::List { first, .. } => first,
            _ => f.name,
        };
        let value = convert(r, env, f, &raws).map_err(|e| e.context(shown))?;
        if f.required && value.is_null() {
            return Err(crate::err!(Invalid, "toolkit.must_empty", field = f.name));
        }
        if f.ty == Ty::Money {
            if let Some(raw) = raws.last() {
                if let Ok((_, Some(mark))) = crate::core::money::Money::parse_marked(raw) {
                    marked.push((shown, raw.trim().to_string(), mark));
                }
            }
        }
        out.push((f.column(), value));
    }
    check_marks(r, env, entity, &out, existing, &marked)?;
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

/// An amount written with a currency mark (`¥12万`, `5万美元`) must be in a currency the
/// mark stands for: the currency given with it, else the record's, else (a new record) the
/// default. The mark never sets the currency. A kind without a currency takes the amount.
fn check_marks(
    r: &Reader<'_>,
    env: &Env,
    entity: Entity,
    out: &Values,
    existing: Option<&Record>,
    marked: &[(&str, String, crate::core::money::Mark)],
) -> Result<()> {
    if marked.is_empty() || r.field(entity, "currency").is_none() {
        return Ok(());
    }
    let currency: Option<String> = match out.iter().find(|(c, _)| c == "currency") {
        Some((_, v)) => v.as_str().map(str::to_string),
        None => match existing {
            Some(e) => e.str("currency").map(str::to_string),
            None => Some(env.currency.clone()),
        },
    };
    for (field, t, mark) in marked {
        let wanted = mark.currencies.join("/");
        let e = match &currency {
            Some(c) if mark.allows(c) => continue,
            Some(c) => crate::err!(
                Invalid,
                "money.mark_not_currency",
                t = t,
                mark = mark.text,
                wanted = wanted,
                entity = entity.label(),
                currency = c
            ),
            None => crate::err!(
                Invalid,
                "money.mark_no_currency",
                t = t,
                mark = mark.text,
                wanted = wanted,
                entity = entity.label()
            ),
        };
        return Err(e.context(field));
    }
    Ok(())
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
        return Err(crate::err!(Invalid, "toolkit.tag_empty_tag"));
    }
    values::check_controls(&t, false).map_err(|e| e.context("tag"))?;
    if t.chars().any(|c| c.is_whitespace() || c == ',') {
        return Err(crate::err!(
            Invalid,
            "toolkit.tag_space_comma",
            t = t,
            suggestion = t
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("-")
        ));
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
                return Err(crate::err!(
                    Invalid,
                    "toolkit.out_range",
                    n = n,
                    min = min,
                    max = max
                ));
            }
            Value::from(n)
        }
        Ty::Money => {
            // A currency mark is held against the record's currency by `check_marks`.
            let (n, _) = crate::core::money::Money::parse_marked(t)?;
            if n.is_negative() {
                return Err(crate::err!(Invalid, "toolkit.negative", t = t));
            }
            if n > crate::core::money::Money::MAX {
                return Err(crate::err!(
                    Invalid,
                    "toolkit.too_large_most",
                    t = t,
                    max = crate::core::money::Money::MAX.grouped()
                ));
            }
            // Kept to the cent, exactly: a finer amount is refused rather than rounded
            // where nobody sees it.
            let cents = n.round_to(2);
            if cents != n {
                return Err(crate::err!(
                    Invalid,
                    "toolkit.finer_than_cent",
                    t = t,
                    cents = cents.grouped()
                ));
            }
            cents.to_json()
        }
        Ty::Percent => crate::core::money::parse_percent(t)?.to_json(),
        Ty::Quantity => crate::core::money::parse_quantity(t)?.to_json(),
        Ty::ExchangeRate => crate::core::exchange::Rate::parse(t)?.to_json(),
        Ty::Date => Value::String(
            parse_date(t, env.clock.now())?
                .format("%Y-%m-%d")
                .to_string(),
        ),
        Ty::When => Value::String(when_text(parse_when(t, env.clock.now())?)),
        Ty::Stamp => return Err(crate::err!(Invalid, "toolkit.set_by_kith")),
        Ty::Bool => Value::Bool(values::parse_bool(t)?),
        Ty::Enum(choices) => Value::String(choose(choices, t)?.to_string()),
        Ty::Ref(target) => Value::from(resolve(r, target, t, false)?),
        Ty::List { .. } | Ty::Tags => unreachable!("lists are converted item by item"),
    })
}

/// Pick an enum word: exact (ignoring case), else a unique prefix (`cust` → customer).
pub fn choose(choices: &'static [&'static str], t: &str) -> Result<&'static str> {
    crate::model::choose(choices, t).ok_or_else(|| {
        crate::err!(
            Invalid,
            "toolkit.not_one_of",
            t = t.trim(),
            choices = choices.join(", ")
        )
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

/// A filter term: `field` is the word `value` (`status:received`).
pub fn is(field: &str, value: &str) -> Term {
    Term::Field {
        field: field.into(),
        op: Op::Eq,
        value: value.to_string(),
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

/// What an update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Updated {
    pub changed: bool,
    /// The next occurrence made when a repeating task was marked done.
    pub next_task: Option<i64>,
}

/// Creating and changing records of any kind with the rules of their kinds (the one write
/// path, `crate::domain::records`), handed to the verbs that write records of other kinds
/// or through a kind's rules (log an activity and its follow-up, convert a lead, mark a
/// task done): the domains' modules sit below the dispatch to their rules and so do not
/// name it.
pub trait Records {
    fn create(&self, w: &mut Writer<'_>, env: &Env, entity: Entity, input: &Input) -> Result<i64>;
    fn update(
        &self,
        w: &mut Writer<'_>,
        env: &Env,
        entity: Entity,
        id: i64,
        input: &Input,
    ) -> Result<Updated>;
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// A source file's code: without its tests, comments and doc comments.
    fn code(path: &Path) -> String {
        let text = std::fs::read_to_string(path).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        text.lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// The layers: the domains build on the toolkit, the front door on both. A domain that
    /// named the front door's folder (or the toolkit a domain) would make a cycle.
    #[test]
    fn the_domains_use_the_toolkit_and_never_the_front_door() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src.join("domain"), &mut files);
        assert!(files.len() >= 8, "{files:?}");
        for f in &files {
            let c = code(f);
            for name in ["crate::app", "Crm", "crate::tui", "crate::cli", "crate::io"] {
                assert!(!c.contains(name), "{} names {name}", f.display());
            }
        }
        let toolkit = code(&src.join("domain/toolkit.rs"));
        for name in ["domain::sales", "crate::app", "Crm", "crate::io"] {
            assert!(!toolkit.contains(name), "the toolkit names {name}");
        }
    }
}
