//! The data model: which kinds of record kith keeps and which fields each has.
//!
//! Every record kind is described once, as data, by the domain that owns it (see [`kind`]);
//! this module holds the words of those descriptions and the handle [`Entity`]. The same description drives input
//! validation (the library), SQL generation (the store), filters and sorting, output columns
//! (the faces) and the change log, so a field added here is at once settable, listable,
//! filterable and audited.

pub mod custom;
pub mod dupe_keys;
pub mod headers;
pub mod kind;
pub mod name_order;
pub mod pinyin;
pub mod query;
pub mod record;

use std::fmt;

pub use kind::{Computed, Derived, DupeKeys, Kind, Section, Synonyms, Within, WordSet};

/// A kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Account,
    Contact,
    Lead,
    Deal,
    Activity,
    Task,
    Pipeline,
    Stage,
    /// Someone who uses kith: who acts, who owns records; the teams they are in, the roles
    /// that say what they see and do, and a record shared with a user or a team
    /// (configuration, not records).
    User,
    Team,
    Role,
    Share,
    Product,
    /// A price list, and one price of it.
    PriceList,
    Price,
    /// A line of a deal or a quote.
    Line,
    Quote,
    /// An order (订单), with lines.
    Order,
    /// A contract (合同), its payment plan's items, the payments received against it, what
    /// each payment paid of which item, and its invoices.
    Contract,
    Plan,
    Payment,
    Allocation,
    Invoice,
    /// An exchange rate between two currencies from a day on.
    Rate,
    /// A service case (服务工单): a complaint, an inquiry or a suggestion, with its SLA
    /// clocks; a survey of satisfaction (满意度) after it or of an account.
    Case,
    Survey,
    /// A working-hours calendar, one of its days off or make-up working days, and an SLA
    /// policy on it (configuration, not records).
    Calendar,
    CalendarDay,
    Sla,
}

impl Entity {
    /// Every kind, in the order a user meets them.
    pub const ALL: [Entity; 29] = [
        Entity::Account,
        Entity::Contact,
        Entity::Lead,
        Entity::Deal,
        Entity::Activity,
        Entity::Task,
        Entity::Pipeline,
        Entity::Stage,
        Entity::User,
        Entity::Team,
        Entity::Role,
        Entity::Share,
        Entity::Product,
        Entity::PriceList,
        Entity::Price,
        Entity::Line,
        Entity::Quote,
        Entity::Order,
        Entity::Contract,
        Entity::Plan,
        Entity::Payment,
        Entity::Allocation,
        Entity::Invoice,
        Entity::Rate,
        Entity::Case,
        Entity::Survey,
        Entity::Calendar,
        Entity::CalendarDay,
        Entity::Sla,
    ];

    /// The kinds users keep records of (pipelines and stages are configuration).
    pub const RECORDS: [Entity; 16] = [
        Entity::Account,
        Entity::Contact,
        Entity::Lead,
        Entity::Deal,
        Entity::Activity,
        Entity::Task,
        Entity::Product,
        Entity::PriceList,
        Entity::Quote,
        Entity::Order,
        Entity::Contract,
        Entity::Plan,
        Entity::Payment,
        Entity::Invoice,
        Entity::Case,
        Entity::Survey,
    ];

    /// The singular name used on the command line, in JSON and in the change log.
    pub fn name(self) -> &'static str {
        self.kind().name
    }

    pub fn plural(self) -> &'static str {
        self.kind().plural
    }

    pub fn from_name(s: &str) -> Option<Entity> {
        let s = s.trim().to_lowercase();
        Entity::ALL
            .into_iter()
            .find(|e| e.name() == s || e.plural() == s)
    }

    /// The field naming the user a record of this kind belongs to: its `owner`, or a
    /// case's `assignee`. Visibility, the users made on the way and the owner checks read
    /// it.
    pub fn owner_field(self) -> Option<&'static str> {
        ["owner", "assignee"]
            .into_iter()
            .find(|f| self.fields().iter().any(|x| x.name == *f))
    }

    /// The field that names a record of this kind (used to refer to it and to show it).
    pub fn label_field(self) -> &'static str {
        self.kind().label
    }

    /// The SQL table that holds this kind.
    pub fn table(self) -> &'static str {
        self.kind().plural
    }

    /// The fields of this kind, in display order (without `id` and the timestamps).
    pub fn fields(self) -> &'static [Field] {
        self.kind().fields
    }

    /// Look a field up by name or alias (case-insensitive). Also knows the common
    /// columns `id`, `created_at`, `updated_at`.
    pub fn field(self, name: &str) -> Option<&'static Field> {
        // Looked up for every value written: no allocation for a lower-case name.
        let trimmed = name.trim();
        let lowered;
        let n = if trimmed
            .bytes()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            lowered = trimmed.to_lowercase();
            lowered.as_str()
        } else {
            trimmed
        };
        self.fields()
            .iter()
            .chain(COMMON.iter())
            .find(|f| f.name == n || f.aliases.contains(&n) || f.has_column(n))
    }

    /// Names of every field a filter or sort may use, for error messages.
    pub fn field_names(self) -> Vec<&'static str> {
        self.fields()
            .iter()
            .chain(COMMON.iter())
            .map(|f| f.name)
            .collect()
    }

    /// Columns shown by default in a human table.
    pub fn list_columns(self) -> Vec<&'static str> {
        let mut v = vec!["id"];
        v.extend(self.fields().iter().filter(|f| f.list).map(|f| f.name));
        v
    }

    /// Kinds that may be the subject of activities and tasks.
    pub fn is_linkable(self) -> bool {
        self.kind().linkable
    }
}

impl Entity {
    /// A record of this kind as a person reads it, in the current language ("deal", 商机);
    /// the catalog's `kind.<name>.one`. [`Entity::name`] (and `Display`) is the name
    /// commands, filters and JSON use, the same in every language.
    pub fn label(self) -> &'static str {
        let id = format!("kind.{}.one", self.name());
        if crate::core::text::has(&id) {
            crate::core::text::t(&id)
        } else {
            self.name()
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a field's value is typed, checked and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// One line of text.
    Text,
    /// Free text, possibly several lines.
    LongText,
    /// A whole number within `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    /// An amount of money, not negative: exact, stored as whole ten-thousandths (INTEGER; see
    /// crate::core::money), carried in records and JSON as a number of units.
    Money,
    /// A rate in percent from 0 to 100 (a tax rate, a discount): exact, stored as Money is,
    /// in whole ten-thousandths of a percentage point (13% is 130000); taken as `13%` or
    /// `13`, carried in records and JSON as a number of percentage points (`13.0`).
    Percent,
    /// A quantity (of a product on a line): a number, not negative, exact to four decimal
    /// places, stored as Money is (2.5 is 25000); carried as a number (`2.5`).
    Quantity,
    /// An exchange rate: a positive number exact to eight decimal places, stored as whole
    /// hundred-millionths (INTEGER; 7.12 is 712000000; see crate::core::exchange), carried
    /// as a number (`7.12`).
    ExchangeRate,
    /// A calendar date, stored `YYYY-MM-DD`.
    Date,
    /// A local date or date-time, stored `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`.
    When,
    /// A moment recorded by kith itself, stored in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
    Stamp,
    Bool,
    /// One of a fixed set of words.
    Enum(&'static [&'static str]),
    /// A link to another record, stored as its id in the column `<name>_id`.
    Ref(Entity),
    /// Several values of one kind (emails, phones), stored as a JSON array. Output also
    /// carries the first value under the key `first` (`email` for `emails`).
    List {
        elem: &'static Ty,
        first: &'static str,
    },
    /// Tags, stored as a sorted JSON array of lower-case words.
    Tags,
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A three-letter currency code.
    Currency,
}

impl Ty {
    /// Whether values of this type are exact decimals stored in whole ten-thousandths
    /// (amounts and rates: crate::core::money).
    pub fn is_exact(self) -> bool {
        matches!(self, Ty::Money | Ty::Percent | Ty::Quantity)
    }

    /// Whether values of this type are stored as whole numbers of a fixed number of
    /// decimal places: the exact types above, and exchange rates (hundred-millionths).
    pub fn is_whole_minor(self) -> bool {
        self.is_exact() || self == Ty::ExchangeRate
    }
}

/// One field of a kind of record.
#[derive(Debug)]
pub struct Field {
    /// The name used in filters, on the command line (`--name`) and in JSON.
    pub name: &'static str,
    pub ty: Ty,
    /// Other names accepted in filters and sorting.
    pub aliases: &'static [&'static str],
    /// Must have a value.
    pub required: bool,
    /// Shown in the default table of `list`.
    pub list: bool,
    /// Searched by bare words in filters.
    pub text: bool,
    /// Set by kith itself, not by `add` or `edit`.
    pub system: bool,
    /// Defined at run time by `kith field add` (see [`custom`]): stored in the record's
    /// `custom` column, a JSON object keyed by field name.
    pub custom: bool,
}

impl Field {
    /// The SQL column that stores this field.
    pub fn column(&self) -> String {
        match self.ty {
            Ty::Ref(_) => format!("{}_id", self.name),
            _ => self.name.to_string(),
        }
    }

    /// Whether `column` is this field's column (without building the column's name).
    pub fn has_column(&self, column: &str) -> bool {
        match self.ty {
            Ty::Ref(_) => column.strip_suffix("_id") == Some(self.name),
            _ => column == self.name,
        }
    }

    /// The SQL expression reading this field of the row `t`: its column, or for a custom
    /// field its key in the JSON object of the row's `custom` column.
    pub fn sql(&self) -> String {
        if self.custom {
            format!("json_extract(t.custom, '$.{}')", self.name)
        } else {
            format!("t.\"{}\"", self.column())
        }
    }

    /// The JSON key holding the raw id of a reference (`account_id`), else the name.
    pub fn id_key(&self) -> String {
        self.column()
    }

    pub fn is_ref(&self) -> Option<Entity> {
        match self.ty {
            Ty::Ref(e) => Some(e),
            _ => None,
        }
    }

    /// Words allowed for an enum field.
    pub fn choices(&self) -> &'static [&'static str] {
        match self.ty {
            Ty::Enum(c) => c,
            _ => &[],
        }
    }
}

pub const fn f(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        aliases: &[],
        required: false,
        list: false,
        text: false,
        system: false,
        custom: false,
    }
}

pub const fn listed(mut fd: Field) -> Field {
    fd.list = true;
    fd
}
pub const fn text(mut fd: Field) -> Field {
    fd.text = true;
    fd
}
pub const fn required(mut fd: Field) -> Field {
    fd.required = true;
    fd
}
pub const fn system(mut fd: Field) -> Field {
    fd.system = true;
    fd
}
pub const fn alias(mut fd: Field, aliases: &'static [&'static str]) -> Field {
    fd.aliases = aliases;
    fd
}

static COMMON: &[Field] = &[
    system(f(
        "id",
        Ty::Int {
            min: 1,
            max: i64::MAX,
        },
    )),
    system(alias(f("created_at", Ty::Stamp), &["created"])),
    system(alias(f("updated_at", Ty::Stamp), &["updated", "modified"])),
    system(alias(f("deleted_at", Ty::Stamp), &["deleted"])),
];

/// Pick an enum word: exact (ignoring case), else a unique prefix (`cust` → customer).
pub fn choose(choices: &'static [&'static str], t: &str) -> Option<&'static str> {
    let t = t.trim();
    if let Some(c) = choices.iter().find(|c| c.eq_ignore_ascii_case(t)) {
        return Some(c);
    }
    let lower = t.to_lowercase();
    let mut hits = choices
        .iter()
        .filter(|c| !lower.is_empty() && c.to_lowercase().starts_with(&lower));
    match (hits.next(), hits.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_resolve_by_alias_and_id_key() {
        assert_eq!(Entity::Deal.field("close").unwrap().name, "expected_close");
        assert_eq!(Entity::Deal.field("ACCOUNT_ID").unwrap().name, "account");
        assert_eq!(Entity::Account.field("parent_id").unwrap().name, "parent");
        assert_eq!(Entity::Task.field("created").unwrap().name, "created_at");
        assert!(Entity::Account.field("nope").is_none());
    }

    #[test]
    fn columns_of_references_end_in_id() {
        let f = Entity::Contact.field("account").unwrap();
        assert_eq!(f.column(), "account_id");
        assert_eq!(Entity::Contact.field("name").unwrap().column(), "name");
    }

    #[test]
    fn every_entity_has_its_label_field() {
        for e in Entity::ALL {
            let label = e.field(e.label_field()).expect("label field exists");
            // A label is given, or kith makes it: the number of a quote, an order, a
            // contract or a payment given none, a plan item's name.
            let made = matches!(
                e,
                Entity::Quote
                    | Entity::Order
                    | Entity::Contract
                    | Entity::Payment
                    | Entity::Plan
                    | Entity::Case
                    | Entity::Survey
            );
            assert!(label.required != made, "{e} label must be required");
        }
    }

    #[test]
    fn entity_names_round_trip() {
        for e in Entity::ALL {
            assert_eq!(Entity::from_name(e.name()), Some(e));
            assert_eq!(Entity::from_name(e.plural()), Some(e));
        }
    }
}
