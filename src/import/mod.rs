//! Importing records: CSV rows (and vCards) become inputs checked by the same rules as
//! `kith add`. An import is one transaction and one batch (`kith import undo BATCH`): by
//! default a file with any rejected row writes nothing; with `skip_invalid` the good rows
//! are kept. Each row runs in a savepoint, so a row that fails half-way (a missing account
//! made, then a bad date) leaves nothing behind. Rows are read one at a time: memory stays
//! flat however large the file.

pub mod source;

use serde::Serialize;

use crate::crm::{create_in, lookup, update_full, Crm, Env, Input, Lookup};
use crate::error::{Error, Result};
use crate::model::{Entity, Ty};
use crate::query::{Op, Term};
use crate::store::{QueryCtx, Writer};
use source::{map_headers, Mapping, Source};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub entity: Option<Entity>,
    /// `--map SRC=FIELD` pairs.
    pub map: Vec<(String, String)>,
    /// Update the record with the same value of this field instead of adding another.
    pub key: Option<String>,
    /// Make accounts (and contacts) that rows name but that do not exist yet.
    pub create_missing: bool,
    /// Keep the good rows when some are rejected.
    pub skip_invalid: bool,
    pub dry_run: bool,
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejected {
    pub line: u64,
    /// The column the problem is in, when it is in one.
    pub column: Option<String>,
    pub reason: String,
    #[serde(skip)]
    pub cells: Vec<String>,
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
}

/// What happened to one row.
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Import every row of `src` as records of `opts.entity`. `reject` hears of each rejected
/// row as it happens; `progress` of each row read.
pub fn import_csv(
    crm: &mut Crm,
    mut src: Source,
    opts: &Options,
    mut reject: impl FnMut(&Rejected),
    mut progress: impl FnMut(u64),
) -> Result<Summary> {
    let entity = opts
        .entity
        .ok_or_else(|| Error::invalid("--entity: which kind of record do the rows hold?"))?;
    if matches!(entity, Entity::Pipeline | Entity::Stage) {
        return Err(Error::invalid(
            "--entity: pipelines and stages are not imported",
        ));
    }
    let headers = src.headers().to_vec();
    let (mapping, ignored) = map_headers(entity, &headers, &opts.map)?;
    let key = match &opts.key {
        Some(k) => {
            let f = entity
                .field(k)
                .ok_or_else(|| Error::invalid(format!("--key: {entity} has no field '{k}'")))?;
            if mapping.columns_of(f.name).is_empty() {
                return Err(Error::invalid(format!(
                    "--key: no column gives the {}",
                    f.name
                )));
            }
            Some(f.name)
        }
        None => None,
    };
    let mut summary = Summary {
        dry_run: opts.dry_run,
        ignored_columns: ignored,
        ..Summary::default()
    };
    let run = |w: &mut Writer<'_>, env: &Env| -> Result<Summary> {
        let mut summary = summary.clone();
        while let Some(next) = src.next_row() {
            let (line, cells) = match next {
                Ok(row) => row,
                Err(e) => {
                    let line = line_of(&e);
                    let r = Rejected {
                        line,
                        column: None,
                        reason: e.to_string(),
                        cells: vec![],
                    };
                    summary.rejected += 1;
                    reject(&r);
                    continue;
                }
            };
            progress(line);
            let result = w.savepoint(|w| import_row(w, env, entity, &mapping, &cells, key, opts));
            match result {
                Ok((outcome, made)) => {
                    summary.created_missing += made;
                    match outcome {
                        Outcome::Created => summary.created += 1,
                        Outcome::Updated => summary.updated += 1,
                        Outcome::Unchanged => summary.unchanged += 1,
                    }
                }
                Err(e) => {
                    let (column, reason) = locate(&e, &mapping, &headers);
                    let r = Rejected {
                        line,
                        column,
                        reason,
                        cells,
                    };
                    summary.rejected += 1;
                    reject(&r);
                }
            }
        }
        if summary.rejected > 0 && !opts.skip_invalid && !opts.dry_run {
            return Err(Error::invalid(format!(
                "{} row{} rejected; nothing was imported (fix them, or keep the good rows with --skip-invalid FILE)",
                summary.rejected,
                if summary.rejected == 1 { "" } else { "s" }
            )));
        }
        if summary.created + summary.updated + summary.created_missing > 0 {
            summary.batch = Some(w.batch()?);
        }
        Ok(summary)
    };
    summary = if opts.dry_run {
        crm.dry_run(run)?
    } else {
        crm.write(run)?
    };
    Ok(summary)
}

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
    mapping: &Mapping,
    cells: &[String],
    key: Option<&'static str>,
    opts: &Options,
) -> Result<(Outcome, usize)> {
    let mut input = Input::new();
    for (field, value) in mapping.pairs(cells) {
        if value.trim().is_empty() {
            continue;
        }
        input.set(field, value);
    }
    let made = resolve_links(w, env, entity, &mut input, opts.create_missing)?;
    let existing = match key {
        Some(k) => find_by_key(w, entity, k, input.get(k).unwrap_or(""))?,
        None => None,
    };
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
                let hint = if matches!(target, Entity::Account | Entity::Contact) {
                    " (--create-missing makes it)"
                } else {
                    ""
                };
                return Err(Error::invalid(format!("{}: {m}{hint}", f.name)));
            }
            Lookup::Ambiguous(m) => return Err(Error::invalid(format!("{}: {m}", f.name))),
        };
        input.take(f.name);
        input.set(f.name, format!("#{id}"));
    }
    Ok(made)
}

/// The live record whose `field` has this value, if one; more than one is an error.
fn find_by_key(w: &Writer<'_>, entity: Entity, field: &str, value: &str) -> Result<Option<i64>> {
    if value.trim().is_empty() {
        return Err(Error::invalid(format!(
            "{field}: the --key column is empty"
        )));
    }
    let q = crate::crm::list_query(
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
        _ => Err(Error::invalid(format!(
            "{field}: '{value}' matches more than one {entity}; --key needs a field that names one record"
        ))),
    }
}
