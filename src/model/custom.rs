//! Custom fields: fields a user adds to a kind of record at run time (`kith field add`).
//!
//! A definition ([`Def`]) is a row of the table `custom_fields`; the values live in the
//! record's `custom` column, a JSON object keyed by field name (see docs/data-model.md).
//! Each definition becomes a [`Field`] like the built-in ones, so validation, reading,
//! filters, sorting and output treat it as they treat those. The fields of one database are
//! a [`Custom`], kept with the store that read them (never in a process-wide place: one
//! process may open several databases).

use std::collections::HashMap;
use std::sync::Mutex;

use super::{Entity, Field, Ty};

/// One custom field as defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Def {
    pub kind: Entity,
    /// Its name: lower-case letters, digits and `_`, starting with a letter.
    pub name: String,
    /// Its type as `kith field add --type` takes it (`text`, `choice`, `ref:account` …).
    pub ty: String,
    /// The words a `choice` field takes, in order.
    pub choices: Vec<String>,
    pub required: bool,
    /// What a person sees instead of the name (a header, a form's label), if set.
    pub label: Option<String>,
    /// Its place among the kind's custom fields.
    pub position: i64,
    /// Removed by `kith field rm`: not shown nor settable, its values kept.
    pub hidden: bool,
    pub created_at: String,
}

/// The type words `--type` takes, `ref:<kind>` aside.
pub const TYPES: &[&str] = &[
    "text", "long", "int", "money", "date", "when", "bool", "choice", "tags", "email", "phone",
];

/// Words a custom field may not be named: the columns every record has, the column holding
/// the values, and the words of the filter language and of the record verbs' options.
pub const RESERVED: &[&str] = &[
    "id",
    "custom",
    "created",
    "updated",
    "modified",
    "deleted",
    "created_at",
    "updated_at",
    "deleted_at",
    "tag",
    "untag",
    "field",
    "sort",
    "limit",
    "offset",
    "json",
    "csv",
    "tsv",
    "columns",
    "format",
    "trash",
    "all",
    "raw",
    "help",
    "version",
    "db",
    "now",
    "as",
    "color",
    "demo",
    "repeat",
    "chain",
    "next",
    "due",
    "allow_duplicate",
    "and",
    "or",
    "not",
];

/// The type a `--type` word stands for; choices for `choice`.
pub fn parse_type(word: &str, choices: &[String]) -> Option<Ty> {
    let w = word.trim().to_lowercase();
    if let Some(kind) = w.strip_prefix("ref:") {
        return Entity::from_name(kind)
            .filter(|e| e.kind().record)
            .map(Ty::Ref);
    }
    Some(match w.as_str() {
        "text" => Ty::Text,
        "long" => Ty::LongText,
        "int" => Ty::Int {
            min: i64::MIN,
            max: i64::MAX,
        },
        "money" => Ty::Money,
        "percent" => Ty::Percent,
        "quantity" => Ty::Quantity,
        "date" => Ty::Date,
        "when" => Ty::When,
        "bool" => Ty::Bool,
        "choice" => Ty::Enum(leak_words(choices)),
        "tags" => Ty::Tags,
        "email" => Ty::Email,
        "phone" => Ty::Phone,
        _ => return None,
    })
}

/// Whether `name` has the form of a field name: a lower-case letter, then lower-case
/// letters, digits or `_`, at most 40 in all.
pub fn well_formed(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && name.len() <= 40
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

fn leak_words(words: &[String]) -> &'static [&'static str] {
    let v: Vec<&'static str> = words
        .iter()
        .map(|w| &*Box::leak(w.clone().into_boxed_str()))
        .collect();
    Box::leak(v.into_boxed_slice())
}

/// What makes a definition's [`Field`]: the same one is made once per process.
type FieldKey = (Entity, String, String, Vec<String>, bool);

/// The fields made so far, shared by every database this process opens: a field is
/// immutable, and the same definition makes the same field.
static MADE: Mutex<Option<HashMap<FieldKey, &'static Field>>> = Mutex::new(None);

impl Def {
    /// The field this definition makes (made once per process per definition).
    pub fn field(&self) -> Option<&'static Field> {
        let key: FieldKey = (
            self.kind,
            self.name.clone(),
            self.ty.clone(),
            self.choices.clone(),
            self.required,
        );
        let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
        let made = made.get_or_insert_with(HashMap::new);
        if let Some(f) = made.get(&key) {
            return Some(f);
        }
        let ty = parse_type(&self.ty, &self.choices)?;
        let name: &'static str = Box::leak(self.name.clone().into_boxed_str());
        let field: &'static Field = Box::leak(Box::new(Field {
            name,
            ty,
            aliases: &[],
            required: self.required,
            list: false,
            text: matches!(ty, Ty::Text | Ty::LongText | Ty::Email | Ty::Phone),
            system: false,
            custom: true,
        }));
        made.insert(key, field);
        Some(field)
    }

    /// What a person sees for this field: its label, else its name.
    pub fn shown(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// The custom fields of one database.
#[derive(Debug, Default, Clone)]
pub struct Custom {
    /// Every definition, hidden ones too, by kind then position.
    defs: Vec<Def>,
    /// The fields of the definitions shown, by kind, in order.
    fields: HashMap<Entity, Vec<&'static Field>>,
}

impl Custom {
    /// No custom fields.
    pub fn none() -> &'static Custom {
        static NONE: std::sync::OnceLock<Custom> = std::sync::OnceLock::new();
        NONE.get_or_init(Custom::default)
    }

    pub fn new(mut defs: Vec<Def>) -> Custom {
        defs.sort_by(|a, b| (a.kind, a.position, &a.name).cmp(&(b.kind, b.position, &b.name)));
        let mut fields: HashMap<Entity, Vec<&'static Field>> = HashMap::new();
        for d in defs.iter().filter(|d| !d.hidden) {
            if let Some(f) = d.field() {
                fields.entry(d.kind).or_default().push(f);
            }
        }
        Custom { defs, fields }
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// Every definition, hidden ones too.
    pub fn defs(&self) -> &[Def] {
        &self.defs
    }

    /// The definition of `kind`'s field `name`, hidden or not.
    pub fn def(&self, kind: Entity, name: &str) -> Option<&Def> {
        let n = name.trim().to_lowercase();
        self.defs.iter().find(|d| d.kind == kind && d.name == n)
    }

    /// The custom fields of `kind` shown and settable, in order.
    pub fn of(&self, kind: Entity) -> &[&'static Field] {
        self.fields.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every field of `kind`: the built-in ones, then the custom ones.
    pub fn fields(&self, kind: Entity) -> Vec<&'static Field> {
        kind.fields()
            .iter()
            .chain(self.of(kind).iter().copied())
            .collect()
    }

    /// A field of `kind` by name or alias, built-in first, then custom by name or label.
    pub fn field(&self, kind: Entity, name: &str) -> Option<&'static Field> {
        kind.field(name).or_else(|| {
            let n = name.trim().to_lowercase();
            self.of(kind).iter().copied().find(|f| {
                f.name == n
                    || f.has_column(&n)
                    || self
                        .def(kind, f.name)
                        .and_then(|d| d.label.as_deref())
                        .is_some_and(|l| l.trim().to_lowercase() == n)
            })
        })
    }

    /// Names of every field of `kind` a filter or sort may use, for error messages.
    pub fn field_names(&self, kind: Entity) -> Vec<&'static str> {
        let mut v = kind.field_names();
        v.extend(self.of(kind).iter().map(|f| f.name));
        v
    }

    /// The label of `kind`'s custom field `name`, if it has one.
    pub fn label(&self, kind: Entity, name: &str) -> Option<&str> {
        self.def(kind, name).and_then(|d| d.label.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, ty: &str) -> Def {
        Def {
            kind: Entity::Account,
            name: name.into(),
            ty: ty.into(),
            choices: vec!["gold".into(), "silver".into()],
            required: false,
            label: Some("等级".into()),
            position: 1,
            hidden: false,
            created_at: String::new(),
        }
    }

    #[test]
    fn a_definition_makes_one_field_once() {
        let a = def("segment", "choice").field().unwrap();
        let b = def("segment", "choice").field().unwrap();
        assert!(std::ptr::eq(a, b));
        assert_eq!(a.choices(), &["gold", "silver"]);
        assert!(a.custom && !a.text);
        assert_eq!(a.sql(), "json_extract(t.custom, '$.segment')");
        assert!(def("x", "ref:stage").field().is_none());
        assert_eq!(
            def("x", "ref:deal").field().unwrap().ty,
            Ty::Ref(Entity::Deal)
        );
    }

    #[test]
    fn fields_are_found_by_name_or_label_and_hidden_ones_are_not() {
        let mut hidden = def("old", "text");
        hidden.hidden = true;
        hidden.label = None;
        let c = Custom::new(vec![def("segment", "choice"), hidden]);
        assert_eq!(c.field(Entity::Account, "Segment").unwrap().name, "segment");
        assert_eq!(c.field(Entity::Account, "等级").unwrap().name, "segment");
        assert_eq!(c.field(Entity::Account, "tier").unwrap().name, "tier");
        assert!(c.field(Entity::Account, "old").is_none());
        assert!(c.field(Entity::Contact, "segment").is_none());
        assert_eq!(c.defs().len(), 2);
        assert_eq!(
            c.fields(Entity::Account).len(),
            Entity::Account.fields().len() + 1
        );
    }

    #[test]
    fn names_have_one_form() {
        assert!(well_formed("segment_2"));
        assert!(!well_formed("2nd"));
        assert!(!well_formed("Segment"));
        assert!(!well_formed("a-b"));
        assert!(!well_formed(""));
    }
}
