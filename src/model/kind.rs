//! The description of a kind of record: everything kith knows about it, declared once by
//! the domain that owns it (`src/domain/<domain>/`) and read by the rest of kith through
//! [`super::Entity::kind`].
//!
//! The model defines the words ([`Kind`], [`super::Field`], [`super::Ty`], [`Section`],
//! [`DupeKeys`]) and the handle [`super::Entity`]; a domain declares its kinds with them;
//! `src/domain/kinds.rs` holds the one exhaustive match from a handle to its description.
//! The store, the toolkit, import and the faces derive what they do for a kind from here:
//! its table and columns, default order, links, duplicate keys, the sections of its 360°
//! view, the header words of imported files, and the line that sums a record up.

use super::{Entity, Field};

/// Header words of imported files that mean a field: (field name or alias, the words).
pub type Synonyms = (&'static str, &'static [&'static str]);

/// What kith knows about one kind of record.
#[derive(Debug)]
pub struct Kind {
    /// The singular name used on the command line, in JSON and in the change log.
    pub name: &'static str,
    /// The plural, also the name of its SQL table.
    pub plural: &'static str,
    /// The field that names a record of this kind (used to refer to it and to show it).
    pub label: &'static str,
    /// Its fields, in display order (without `id` and the timestamps, common to every kind).
    pub fields: &'static [Field],
    /// The order of a list that asks for none: an SQL `ORDER BY` over the table read as `t`.
    pub default_order: &'static str,
    /// Kept by users as records (pipelines and stages are configuration).
    pub record: bool,
    /// May be the subject of activities and tasks (their `account`, `contact`, `lead` or
    /// `deal`); its 360° view then also shows its recent activities and open tasks.
    pub linkable: bool,
    /// The groups of related records of its 360° view (`kith X show`, the interface's
    /// detail), before the activities and tasks of a linkable kind.
    pub sections: &'static [Section],
    /// How a new record is compared with those already there, when it is.
    pub dupes: Option<DupeKeys>,
    /// Header words of other tools' exports that mean its fields, beyond the field names.
    pub synonyms: &'static [Synonyms],
    /// The fields that sum a record up in one line after its label (lists of related
    /// records, pickers), in order; empty ones are left out.
    pub summary: &'static [&'static str],
    /// The field shown beside a record's label when one is picked among many (a form's
    /// link field): what tells two records of the same name apart.
    pub hint: Option<&'static str>,
    /// Whether `kith search` and the finder look for it, and the two fields of a hit's
    /// detail line (a reference to an account shows the account's name). Its label and its
    /// text custom fields are searched too.
    pub search: Option<[&'static str; 2]>,
    /// Whether its label sorts by a key kept beside it, in the column `name_key`
    /// ([`crate::model::name_order`]: a Chinese name by its pinyin, among Latin ones), which
    /// the store fills on every write and indexes. Kinds named after people and companies
    /// have it.
    pub name_key: bool,
    /// A field whose value names one record as its label does (a product's `sku`):
    /// references take it too (`kith product show AP-PSS-01`), the name first.
    pub code: Option<&'static str>,
    /// States computed when read, never stored (a quote past its validity reads `expired`):
    /// see [`Computed`].
    pub computed: &'static [Computed],
    /// For a kind without an owner whose records each belong to a record of another kind
    /// (a plan item to its contract, a line to its deal, quote or order): the reference
    /// fields to that record. Such a record is seen when the one it belongs to is.
    pub belongs: &'static [&'static str],
    /// States read from other fields and the moment of the read, never stored (a case's
    /// SLA state): see [`Derived`].
    pub derived: &'static [Derived],
    /// Words a filter takes for several values of an enum field (`status:open`): see
    /// [`WordSet`].
    pub sets: &'static [WordSet],
}

/// A state read from other fields of the row and the moment of the read, never stored:
/// the field `field` (declared among the kind's fields, `system`, an enum, with no column of
/// its own) reads the first word of `when` whose condition holds, else nothing. A
/// condition is SQL over the row `t` in which `{now}` stands for the moment of the read, a
/// UTC stamp (`kith_now()` in a read, the query's clock in a filter), so a deadline passed
/// reads `breached` the moment it passes, with nothing run to make it so.
#[derive(Debug)]
pub struct Derived {
    pub field: &'static str,
    pub when: &'static [(&'static str, &'static str)],
}

impl Derived {
    /// The SQL reading the state at `now` (an SQL expression giving a UTC stamp).
    pub fn sql(&self, now: &str) -> String {
        let arms: String = self
            .when
            .iter()
            .map(|(word, cond)| format!(" WHEN {} THEN '{word}'", cond.replace("{now}", now)))
            .collect();
        format!("(CASE{arms} END)")
    }

    /// The condition under which the state reads `word` at `now`: its own condition and
    /// none of those before it.
    pub fn holds(&self, word: &str, now: &str) -> Option<String> {
        let at = self.when.iter().position(|(w, _)| *w == word)?;
        let mut parts: Vec<String> = self.when[..at]
            .iter()
            .map(|(_, c)| format!("NOT coalesce({}, 0)", c.replace("{now}", now)))
            .collect();
        parts.push(format!(
            "coalesce({}, 0)",
            self.when[at].1.replace("{now}", now)
        ));
        Some(format!("({})", parts.join(" AND ")))
    }
}

/// A word a filter takes for several stored values of an enum field: `status:open` on a
/// case is its status being one of new, assigned, in progress or waiting. Written in SQL
/// as `IN` with the values in this order, which a partial index may name.
#[derive(Debug)]
pub struct WordSet {
    pub field: &'static str,
    pub word: &'static str,
    pub means: &'static [&'static str],
}

/// A state computed when read: the enum field `field` reads `word` while its stored value
/// is one of `from` and the date in the field `date` is before today. Reads, filters
/// (`status:expired`, `status:sent`) and reports see the computed word; the stored value
/// stays, so nothing has to run for the state to change (`crate::store::query`).
#[derive(Debug)]
pub struct Computed {
    pub field: &'static str,
    pub word: &'static str,
    pub from: &'static [&'static str],
    pub date: &'static str,
}

/// One group of related records in a 360° view.
#[derive(Debug)]
pub struct Section {
    /// Its name, the key in `show --json` (`contacts`, `open_deals`).
    pub name: &'static str,
    /// The kind it lists.
    pub kind: Entity,
    /// The field of that kind that points at the record shown.
    pub via: &'static str,
    /// A further condition, field = value (`status` = `open`).
    pub only: Option<(&'static str, &'static str)>,
    /// Its order, as `--sort` takes it.
    pub sort: &'static str,
    /// At most this many.
    pub limit: Option<usize>,
}

/// Which fields duplicate detection compares (see crate::model::dupe_keys): the name is the
/// label field.
#[derive(Debug, Clone, Copy)]
pub struct DupeKeys {
    /// The field holding its email address or addresses.
    pub emails: &'static str,
    /// The field holding its phone number or numbers.
    pub phones: &'static str,
    /// The field holding a website, whose domain is a key.
    pub website: Option<&'static str>,
    /// What two records must share for their names to match.
    pub within: Within,
}

/// What two records must share for a match of their names to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within {
    /// Nothing: names match across all records of the kind.
    All,
    /// The record this reference field points at (a contact's account).
    Same(&'static str),
    /// The company named in this text field, as a key (a lead's company).
    Company(&'static str),
}

impl DupeKeys {
    /// The fields whose change can change a record's keys, the label first.
    pub fn fields(&self, label: &'static str) -> Vec<&'static str> {
        let mut v = vec![label, self.emails, self.phones];
        v.extend(self.website);
        match self.within {
            Within::All => {}
            Within::Same(f) | Within::Company(f) => v.push(f),
        }
        v
    }
}
