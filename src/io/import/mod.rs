//! Importing records: CSV rows (and vCards) become inputs checked by the same rules as
//! `kith add`. An import is one transaction and one batch (`kith import undo BATCH`): by
//! default a file with any rejected row writes nothing; with `skip_invalid` the good rows
//! are kept. Each row runs in a savepoint, so a row that fails half-way (a missing account
//! made, then a bad date) leaves nothing behind. Rows are read one at a time: memory stays
//! flat however large the file.

pub mod chinese_headers;
pub mod dates;
pub mod presets;
pub mod source;
pub mod values;
pub mod vcard;

use serde::Serialize;

use crate::app::crm::{create_in, lookup, new_values, update_full, Crm, Env, Input, Lookup, New};
use crate::core::error::{Error, Result};
use crate::model::query::{Op, Term};
use crate::model::{Entity, Ty};
use crate::store::{QueryCtx, Writer};
use source::{map_headers_with, Mapping, Source};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub entity: Option<Entity>,
    /// `--map SRC=FIELD` pairs.
    pub map: Vec<(String, String)>,
    /// `--map-values FIELD:FROM=TO,…`.
    pub map_values: Vec<values::ValueMap>,
    /// The tool the file comes from (`--from`, or detected by the caller).
    pub preset: Option<&'static presets::Preset>,
    /// Update the record with the same value of this field instead of adding another.
    pub key: Option<String>,
    /// Make accounts (and contacts) that rows name but that do not exist yet.
    pub create_missing: bool,
    /// Keep the good rows when some are rejected.
    pub skip_invalid: bool,
    pub dry_run: bool,
    /// A row with no value for the key is added, not rejected (vCards without an email).
    pub key_optional: bool,
    /// A row that looks like an existing record (the duplicate rules) updates it.
    pub update_duplicates: bool,
    /// A field tried before the key: a record with the row's value of it is the one updated
    /// (a vCard's UID, so an address book imported again matches its contacts).
    pub match_first: Option<&'static str>,
    /// vCards: a value kith cannot take (an email without a dot in its domain, a phone
    /// with no digits) rejects its card, instead of going to the notes with a warning.
    pub strict: bool,
    /// How dates like `3/12/1985` read (`--date-format`); `None`: as the file shows.
    pub date_format: Option<dates::DateOrder>,
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejected {
    /// The line in the file: of the row; for a vCard, where the problem is when the card
    /// cannot be read, else where the card begins.
    pub line: u64,
    /// A vCard's number in the file (the first card is 1); none for a CSV row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<u64>,
    /// The column the problem is in, when it is in one.
    pub column: Option<String>,
    pub reason: String,
    #[serde(skip)]
    pub cells: Vec<String>,
    /// The row as it is in the file (a vCard's lines), for a reject file.
    #[serde(skip)]
    pub raw: Vec<u8>,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub batch: Option<i64>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    /// Referenced records made by `create_missing`.
    pub created_missing: usize,
    pub dry_run: bool,
    /// Columns no field took.
    pub ignored_columns: Vec<String>,
    /// Rows imported with a warning (vCards: a value kept in the notes).
    pub with_warnings: usize,
    /// The warnings of the rows imported, each naming its row.
    pub warnings: Vec<String>,
    /// Values of choice fields (stage, tier, type, status…) that matched nothing, with
    /// the number of rows of each.
    pub unknown_values: Vec<values::Unknown>,
}

/// What happened to one row.
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// One row to import: its line, the values (or why it could not be read), the cells
/// as read (for `--skip-invalid`), and what was wrong but did not stop it.
pub struct Row {
    pub line: u64,
    /// A vCard's number in the file.
    pub card: Option<u64>,
    pub input: Result<Input>,
    pub cells: Vec<String>,
    /// The row as it is in the file (a vCard's lines).
    pub raw: Vec<u8>,
    pub warnings: Vec<String>,
}

/// Import every row of a CSV source as records of `opts.entity`. `reject` hears of each
/// rejected row as it happens; `progress` of each row read.
pub fn import_csv(
    crm: &mut Crm,
    mut src: Source,
    opts: &Options,
    reject: impl FnMut(&Rejected),
    progress: impl FnMut(u64),
) -> Result<Summary> {
    let entity = entity_of(opts)?;
    let headers = src.headers().to_vec();
    let (mapping, ignored) =
        map_headers_with(entity, crm.custom(), &headers, &opts.map, opts.preset)?;
    let key = key_of(entity, opts, |f| !mapping.columns_of(f).is_empty())?;
    let located = mapping.clone();
    // Date columns read the forms spreadsheets write (3/12/1985, 0/0/00, --05-20).
    let date_columns = mapping
        .columns
        .iter()
        .enumerate()
        // A column holding one part of a date (Birth Year) is joined by the mapping.
        .filter(|(i, _)| !matches!(mapping.roles.get(*i), Some(presets::Role::Date(_))))
        .filter_map(|(i, f)| {
            let field = entity.field((*f)?)?;
            matches!(field.ty, Ty::Date | Ty::When).then_some((
                i,
                field.name,
                field.name == "birthday",
            ))
        })
        .collect();
    let dated = dates::WithDates::new(
        std::iter::from_fn(move || src.next_row()),
        dates::DateColumns::new(date_columns, opts.date_format),
        crm.env.clock.now(),
    );
    let rows = dated.map(move |next| match next {
        Ok((line, cells, Ok(read))) => {
            // A cell kith (or a careful tool) marked as text for spreadsheets, `'=…`, is
            // the value `=…`.
            let read: Vec<String> = read
                .iter()
                .map(|c| crate::core::escape::from_spreadsheet(c).to_string())
                .collect();
            let input = mapping.input(entity, &read);
            Row {
                line,
                card: None,
                input: Ok(input),
                cells,
                raw: vec![],
                warnings: vec![],
            }
        }
        Ok((line, cells, Err(e))) => Row {
            line,
            card: None,
            input: Err(e),
            cells,
            raw: vec![],
            warnings: vec![],
        },
        Err(e) => Row {
            line: line_of(&e),
            card: None,
            input: Err(e),
            cells: vec![],
            raw: vec![],
            warnings: vec![],
        },
    });
    let locate = move |e: &Error| locate(e, &located, &headers);
    let mut summary = import_rows(crm, entity, key, rows, opts, locate, reject, progress)?;
    summary.ignored_columns = ignored;
    Ok(summary)
}

fn entity_of(opts: &Options) -> Result<Entity> {
    let entity = opts
        .entity
        .ok_or_else(|| crate::err!(Invalid, "import.entity_which_kind"))?;
    if matches!(entity, Entity::Pipeline | Entity::Stage | Entity::User) {
        return Err(crate::err!(Invalid, "import.entity_not_imported"));
    }
    Ok(entity)
}

/// The `--key` field, checked against what the rows can give.
fn key_of(
    entity: Entity,
    opts: &Options,
    given: impl Fn(&str) -> bool,
) -> Result<Option<&'static str>> {
    match &opts.key {
        Some(k) => {
            let f = entity.field(k).ok_or_else(|| {
                crate::err!(Invalid, "import.key_field", entity = entity.label(), k = k)
            })?;
            if !given(f.name) {
                return Err(crate::err!(
                    Invalid,
                    "import.key_column_gives",
                    field = f.name
                ));
            }
            Ok(Some(f.name))
        }
        None => Ok(None),
    }
}

/// Import rows, all in one batch (or, dry, none).
#[allow(clippy::too_many_arguments)]
pub fn import_rows(
    crm: &mut Crm,
    entity: Entity,
    key: Option<&'static str>,
    mut rows: impl Iterator<Item = Row>,
    opts: &Options,
    locate: impl Fn(&Error) -> (Option<String>, String),
    mut reject: impl FnMut(&Rejected),
    mut progress: impl FnMut(u64),
) -> Result<Summary> {
    crm.require("import")?;
    let base = Summary {
        dry_run: opts.dry_run,
        ..Summary::default()
    };
    // A row that only adds a record (no key to update by, nothing to make on the way, not
    // a deal with its stage history) writes one row: it needs no savepoint to take back
    // (its checks come before it, and a refused INSERT leaves nothing), and its creation
    // is logged with the others in one pass.
    let adds_only =
        key.is_none() && !opts.update_duplicates && !opts.create_missing && entity != Entity::Deal;
    let run = |w: &mut Writer<'_>, env: &Env| -> Result<Summary> {
        let mut summary = base.clone();
        let mut tally = values::Tally::default();
        for row in rows.by_ref() {
            progress(row.line);
            let input = row.input.and_then(|mut input| {
                values::normalise(
                    &w.reader(),
                    entity,
                    &mut input,
                    &opts.map_values,
                    &mut tally,
                )
                .map(|()| input)
            });
            let result = match input {
                Ok(input) if adds_only => match add_row(w, env, entity, input) {
                    // Only bad input rejects a row; a failing database fails the import.
                    Err(e) if e.kind() == crate::core::error::Kind::Failed => return Err(e),
                    other => other,
                },
                Ok(input) => w.savepoint(|w| import_row(w, env, entity, input, key, opts)),
                Err(e) => Err(e),
            };
            match result {
                Ok((outcome, made)) => {
                    summary.created_missing += made;
                    if !row.warnings.is_empty() {
                        summary.with_warnings += 1;
                        summary.warnings.extend(row.warnings);
                    }
                    match outcome {
                        Outcome::Created => summary.created += 1,
                        Outcome::Updated => summary.updated += 1,
                        Outcome::Unchanged => summary.unchanged += 1,
                    }
                }
                Err(e) => {
                    let (column, reason) = locate(&e);
                    summary.rejected += 1;
                    reject(&Rejected {
                        line: row.line,
                        card: row.card,
                        column,
                        reason,
                        cells: row.cells,
                        raw: row.raw,
                    });
                }
            }
        }
        summary.unknown_values = tally.unknown.clone();
        if summary.rejected > 0 && !opts.skip_invalid && !opts.dry_run {
            let mut text = crate::plural!("import.rows_rejected", summary.rejected);
            if let Some(unknown) = tally.message() {
                text.push('\n');
                text.push_str(&unknown);
            }
            return Err(Error::invalid(text));
        }
        if summary.created + summary.updated + summary.created_missing > 0 {
            summary.batch = Some(w.batch()?);
        }
        Ok(summary)
    };
    // A large import changes more pages than the default cache holds, and every row is a
    // savepoint.
    crm.for_large_write(IMPORT_CACHE_KIB, |crm| {
        if opts.dry_run {
            crm.dry_run(run)
        } else {
            crm.write(run)
        }
    })
}

/// The page cache of an import: 256 MiB at most, used only as the import fills it.
const IMPORT_CACHE_KIB: i64 = 256 * 1024;

/// The line a reading error names ("line 12: …").
fn line_of(e: &Error) -> u64 {
    let t = e.to_string();
    t.strip_prefix("line ")
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Which column an error is about: messages name the field first ("amount: …").
fn locate(e: &Error, mapping: &Mapping, headers: &[String]) -> (Option<String>, String) {
    let text = e.to_string();
    // Reading errors already say their line.
    if let Some(rest) = text.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        if rest.0.chars().all(|c| c.is_ascii_digit()) {
            return (None, rest.1.to_string());
        }
    }
    if let Some((head, rest)) = text.split_once(": ") {
        let field = head.trim_start_matches("--");
        let cols = mapping.columns_of(field);
        let cols = if cols.is_empty() {
            // Lists are named by their first value (email for emails).
            mapping.columns_of(&format!("{field}s"))
        } else {
            cols
        };
        if let Some(&c) = cols.first() {
            return (headers.get(c).cloned(), rest.to_string());
        }
    }
    (None, text)
}

fn import_row(
    w: &mut Writer<'_>,
    env: &Env,
    entity: Entity,
    mut input: Input,
    key: Option<&'static str>,
    opts: &Options,
) -> Result<(Outcome, usize)> {
    let made = resolve_links(w, env, entity, &mut input, opts.create_missing)?;
    // The first value given for a field (a contact's first email).
    let value_of = |f: &str| {
        input
            .values
            .iter()
            .find(|(g, _)| g == f)
            .map(|(_, v)| v.clone())
    };
    let first = match opts.match_first.and_then(|f| Some((f, value_of(f)?))) {
        Some((f, v)) if !v.trim().is_empty() => find_by_key(w, entity, f, &v)?,
        _ => None,
    };
    let key_value = key.and_then(value_of);
    let mut existing = match (first, key, key_value) {
        (Some(id), _, _) => Some(id),
        (None, Some(k), Some(v)) => find_by_key(w, entity, k, &v)?,
        (None, Some(k), None) if !opts.key_optional => {
            return Err(crate::err!(Invalid, "import.key_column_empty", k = k))
        }
        _ => None,
    };
    if existing.is_none() && opts.update_duplicates {
        existing = crate::app::crm::find_duplicate(w, env, entity, &input)?;
    }
    let outcome = match existing {
        Some(id) => {
            if update_full(w, env, entity, id, &input)?.changed {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            }
        }
        None => {
            create_in(w, env, entity, &input)?;
            Outcome::Created
        }
    };
    Ok((outcome, made))
}

/// Add one row as a new record, its creation logged later with the others (see
/// `adds_only` in [`import_rows`]).
fn add_row(
    w: &mut Writer<'_>,
    env: &Env,
    entity: Entity,
    mut input: Input,
) -> Result<(Outcome, usize)> {
    resolve_links(w, env, entity, &mut input, false)?;
    match new_values(&w.reader(), env, entity, &input)? {
        New::Values(values) => w.insert_logged_later(entity, &values)?,
        New::Own(input) => crate::domain::records::create_own(w, env, entity, input)?,
    };
    Ok((Outcome::Created, 0))
}

/// Links given by name: found (and sent on by id), or made with `create_missing`.
/// Returns how many records were made.
fn resolve_links(
    w: &mut Writer<'_>,
    env: &Env,
    entity: Entity,
    input: &mut Input,
    create: bool,
) -> Result<usize> {
    let mut made = 0;
    for f in entity.fields() {
        let Ty::Ref(target) = f.ty else { continue };
        let Some(text) = input.get(f.name).map(str::to_string) else {
            continue;
        };
        // A deal's stage and pipeline are resolved by the deal rules.
        if matches!(target, Entity::Stage | Entity::Pipeline) {
            continue;
        }
        let id = match lookup(&w.reader(), target, &text, false)? {
            Lookup::Found(id) => id,
            Lookup::Missing(_) if create && matches!(target, Entity::Account | Entity::Contact) => {
                made += 1;
                create_in(w, env, target, &Input::new().with("name", text.clone()))
                    .map_err(|e| e.context(format!("{} '{text}'", f.name)))?
            }
            Lookup::Missing(m) => {
                if matches!(target, Entity::Account | Entity::Contact) {
                    return Err(crate::err!(
                        Invalid,
                        "import.ref_missing_create",
                        field = f.name,
                        reason = m
                    ));
                }
                return Err(m.context(f.name));
            }
            Lookup::Ambiguous(m) => return Err(m.context(f.name)),
        };
        input.take(f.name);
        input.set(f.name, format!("#{id}"));
    }
    Ok(made)
}

/// The live record whose `field` has this value, if one; more than one is an error.
fn find_by_key(w: &Writer<'_>, entity: Entity, field: &str, value: &str) -> Result<Option<i64>> {
    if value.trim().is_empty() {
        return Err(crate::err!(
            Invalid,
            "import.key_column_empty_field",
            field = field
        ));
    }
    let q = crate::app::crm::list_query(
        vec![Term::Field {
            field: field.into(),
            op: Op::Eq,
            value: value.trim().into(),
        }],
        "id",
        Some(2),
    );
    let found = w.reader().list(entity, &q, &QueryCtx::none())?;
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.id())),
        _ => Err(crate::err!(
            Invalid,
            "import.matches_more_than",
            field = field,
            value = value,
            entity = entity.label()
        )),
    }
}
