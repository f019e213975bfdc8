//! The data model: which kinds of record kith keeps and which fields each has.
//!
//! Every record kind is described here once, as data. The same description drives input
//! validation (the library), SQL generation (the store), filters and sorting, output columns
//! (the faces) and the change log, so a field added here is at once settable, listable,
//! filterable and audited.

pub mod dupe_keys;
pub mod query;
pub mod record;

use std::fmt;

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
    /// Someone who uses kith: who acts, who owns records.
    User,
}

impl Entity {
    /// Every kind, in the order a user meets them.
    pub const ALL: [Entity; 9] = [
        Entity::Account,
        Entity::Contact,
        Entity::Lead,
        Entity::Deal,
        Entity::Activity,
        Entity::Task,
        Entity::Pipeline,
        Entity::Stage,
        Entity::User,
    ];

    /// The kinds users keep records of (pipelines and stages are configuration).
    pub const RECORDS: [Entity; 6] = [
        Entity::Account,
        Entity::Contact,
        Entity::Lead,
        Entity::Deal,
        Entity::Activity,
        Entity::Task,
    ];

    /// The singular name used on the command line, in JSON and in the change log.
    pub fn name(self) -> &'static str {
        match self {
            Entity::Account => "account",
            Entity::Contact => "contact",
            Entity::Lead => "lead",
            Entity::Deal => "deal",
            Entity::Activity => "activity",
            Entity::Task => "task",
            Entity::Pipeline => "pipeline",
            Entity::Stage => "stage",
            Entity::User => "user",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Entity::Account => "accounts",
            Entity::Contact => "contacts",
            Entity::Lead => "leads",
            Entity::Deal => "deals",
            Entity::Activity => "activities",
            Entity::Task => "tasks",
            Entity::Pipeline => "pipelines",
            Entity::Stage => "stages",
            Entity::User => "users",
        }
    }

    pub fn from_name(s: &str) -> Option<Entity> {
        let s = s.trim().to_lowercase();
        Entity::ALL
            .into_iter()
            .find(|e| e.name() == s || e.plural() == s)
    }

    /// The field that names a record of this kind (used to refer to it and to show it).
    pub fn label_field(self) -> &'static str {
        match self {
            Entity::Deal | Entity::Task => "title",
            Entity::Activity => "subject",
            Entity::User => "login",
            _ => "name",
        }
    }

    /// The SQL table that holds this kind.
    pub fn table(self) -> &'static str {
        self.plural()
    }

    /// The fields of this kind, in display order (without `id` and the timestamps).
    pub fn fields(self) -> &'static [Field] {
        match self {
            Entity::Account => ACCOUNT,
            Entity::Contact => CONTACT,
            Entity::Lead => LEAD,
            Entity::Deal => DEAL,
            Entity::Activity => ACTIVITY,
            Entity::Task => TASK,
            Entity::Pipeline => PIPELINE,
            Entity::Stage => STAGE,
            Entity::User => USER,
        }
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
        matches!(
            self,
            Entity::Account | Entity::Contact | Entity::Lead | Entity::Deal
        )
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

const fn f(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        aliases: &[],
        required: false,
        list: false,
        text: false,
        system: false,
    }
}

const fn listed(mut fd: Field) -> Field {
    fd.list = true;
    fd
}
const fn text(mut fd: Field) -> Field {
    fd.text = true;
    fd
}
const fn required(mut fd: Field) -> Field {
    fd.required = true;
    fd
}
const fn system(mut fd: Field) -> Field {
    fd.system = true;
    fd
}
const fn alias(mut fd: Field, aliases: &'static [&'static str]) -> Field {
    fd.aliases = aliases;
    fd
}

pub const ACCOUNT_KINDS: &[&str] = &["company", "person"];
pub const ACCOUNT_TYPES: &[&str] = &[
    "prospect",
    "customer",
    "partner",
    "distributor",
    "competitor",
    "supplier",
];
pub const TIERS: &[&str] = &["A", "B", "C"];
pub const ACCOUNT_STATUSES: &[&str] = &["active", "dormant", "lost"];
pub const LEAD_STATUSES: &[&str] = &["new", "contacted", "qualified", "converted", "disqualified"];
pub const DEAL_STATUSES: &[&str] = &["open", "won", "lost"];
pub const ACTIVITY_KINDS: &[&str] = &["call", "visit", "meeting", "email", "note"];
pub const PRIORITIES: &[&str] = &["low", "normal", "high"];
pub const STAGE_OUTCOMES: &[&str] = &["open", "won", "lost"];

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

static ACCOUNT: &[Field] = &[
    listed(text(required(f("name", Ty::Text)))),
    f("kind", Ty::Enum(ACCOUNT_KINDS)),
    listed(f("type", Ty::Enum(ACCOUNT_TYPES))),
    listed(f("tier", Ty::Enum(TIERS))),
    listed(f("status", Ty::Enum(ACCOUNT_STATUSES))),
    listed(text(f("industry", Ty::Text))),
    listed(f("owner", Ty::Text)),
    f("parent", Ty::Ref(Entity::Account)),
    text(f("phone", Ty::Phone)),
    text(f("email", Ty::Email)),
    text(f("website", Ty::Text)),
    text(f("address", Ty::Text)),
    listed(text(f("city", Ty::Text))),
    text(f("region", Ty::Text)),
    text(f("country", Ty::Text)),
    f("source", Ty::Text),
    listed(f("tags", Ty::Tags)),
    text(f("notes", Ty::LongText)),
];

static CONTACT: &[Field] = &[
    listed(text(required(f("name", Ty::Text)))),
    listed(alias(f("account", Ty::Ref(Entity::Account)), &["company"])),
    listed(text(f("title", Ty::Text))),
    text(f("role", Ty::Text)),
    listed(text(alias(
        f(
            "emails",
            Ty::List {
                elem: &Ty::Email,
                first: "email",
            },
        ),
        &["email"],
    ))),
    listed(text(alias(
        f(
            "phones",
            Ty::List {
                elem: &Ty::Phone,
                first: "phone",
            },
        ),
        &["phone", "mobile"],
    ))),
    f("birthday", Ty::Date),
    f("owner", Ty::Text),
    listed(f("tags", Ty::Tags)),
    text(f("notes", Ty::LongText)),
    // The UID of the vCard the contact came from: kept, written back out, and the key a
    // re-import of the address book matches on.
    f("uid", Ty::Text),
];

static LEAD: &[Field] = &[
    listed(text(required(f("name", Ty::Text)))),
    listed(text(f("company", Ty::Text))),
    text(f("title", Ty::Text)),
    text(f("email", Ty::Email)),
    text(f("phone", Ty::Phone)),
    listed(f("source", Ty::Text)),
    listed(f("status", Ty::Enum(LEAD_STATUSES))),
    listed(f("score", Ty::Int { min: 0, max: 100 })),
    listed(f("owner", Ty::Text)),
    f("tags", Ty::Tags),
    text(f("notes", Ty::LongText)),
    system(f("converted_account", Ty::Ref(Entity::Account))),
    system(f("converted_contact", Ty::Ref(Entity::Contact))),
    system(f("converted_deal", Ty::Ref(Entity::Deal))),
    system(f("converted_at", Ty::Stamp)),
];

static DEAL: &[Field] = &[
    listed(text(required(f("title", Ty::Text)))),
    listed(f("account", Ty::Ref(Entity::Account))),
    f("contact", Ty::Ref(Entity::Contact)),
    listed(f("amount", Ty::Money)),
    // What winning it costs (goods, services): profit = amount − cost.
    f("cost", Ty::Money),
    listed(f("currency", Ty::Currency)),
    f("pipeline", Ty::Ref(Entity::Pipeline)),
    listed(f("stage", Ty::Ref(Entity::Stage))),
    listed(alias(
        f("probability", Ty::Int { min: 0, max: 100 }),
        &["prob"],
    )),
    listed(alias(f("expected_close", Ty::Date), &["close"])),
    // Follows the stage: open, won or lost.
    listed(system(f("status", Ty::Enum(DEAL_STATUSES)))),
    listed(f("owner", Ty::Text)),
    f("source", Ty::Text),
    text(f("competitor", Ty::Text)),
    text(f("reason", Ty::Text)),
    system(alias(f("closed_at", Ty::Stamp), &["closed"])),
    f("tags", Ty::Tags),
    text(f("notes", Ty::LongText)),
];

static ACTIVITY: &[Field] = &[
    listed(required(f("kind", Ty::Enum(ACTIVITY_KINDS)))),
    listed(text(required(f("subject", Ty::Text)))),
    listed(required(f("at", Ty::When))),
    text(f("body", Ty::LongText)),
    listed(text(f("outcome", Ty::Text))),
    listed(alias(
        f(
            "minutes",
            Ty::Int {
                min: 0,
                max: 100_000,
            },
        ),
        &["duration"],
    )),
    listed(f("account", Ty::Ref(Entity::Account))),
    f("contact", Ty::Ref(Entity::Contact)),
    f("lead", Ty::Ref(Entity::Lead)),
    f("deal", Ty::Ref(Entity::Deal)),
    listed(f("owner", Ty::Text)),
    f("tags", Ty::Tags),
];

static TASK: &[Field] = &[
    listed(text(required(f("title", Ty::Text)))),
    listed(f("due", Ty::When)),
    listed(f("priority", Ty::Enum(PRIORITIES))),
    listed(f("done", Ty::Bool)),
    system(f("done_at", Ty::Stamp)),
    listed(f("account", Ty::Ref(Entity::Account))),
    f("contact", Ty::Ref(Entity::Contact)),
    f("lead", Ty::Ref(Entity::Lead)),
    f("deal", Ty::Ref(Entity::Deal)),
    listed(f("owner", Ty::Text)),
    f("tags", Ty::Tags),
    text(f("notes", Ty::LongText)),
    // Room for recurrence: the rule, and the task this occurrence was made from.
    system(f("recurrence", Ty::Text)),
    system(f("parent", Ty::Ref(Entity::Task))),
];

static PIPELINE: &[Field] = &[
    listed(required(f("name", Ty::Text))),
    listed(system(f("is_default", Ty::Bool))),
];

static STAGE: &[Field] = &[
    listed(required(f("pipeline", Ty::Ref(Entity::Pipeline)))),
    listed(required(f("name", Ty::Text))),
    listed(system(f(
        "position",
        Ty::Int {
            min: 0,
            max: 10_000,
        },
    ))),
    listed(f("probability", Ty::Int { min: 0, max: 100 })),
    listed(f("outcome", Ty::Enum(STAGE_OUTCOMES))),
];

/// A user: the login they act and own records under (never changes once made; `owner`
/// fields hold it), the name shown for them, whether they may still act, and whom they
/// report to.
static USER: &[Field] = &[
    listed(text(required(f("login", Ty::Text)))),
    listed(text(f("name", Ty::Text))),
    listed(text(f("email", Ty::Email))),
    listed(f("active", Ty::Bool)),
    listed(f("manager", Ty::Ref(Entity::User))),
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

/// The default sales pipeline made in every new database: (stage, probability %, outcome).
pub const DEFAULT_PIPELINE: &str = "sales";
pub const DEFAULT_STAGES: &[(&str, i64, &str)] = &[
    ("qualification", 10, "open"),
    ("needs analysis", 25, "open"),
    ("proposal", 50, "open"),
    ("negotiation", 75, "open"),
    ("won", 100, "won"),
    ("lost", 0, "lost"),
];

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
            assert!(label.required, "{e} label must be required");
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
