//! Errors, and the exit status each kind maps to.
//!
//! **Messages and errors.** No text a person reads is written in code: every message is a
//! table in `locales/<area>.toml` (`[deal.won]` then `en = "deal %{id} won"`), looked up by
//! its id through [`crate::tr!`] and [`crate::plural!`] (src/core/text.rs). An error is
//! structured the same way: its [`Kind`] (what the user should do: exit status 2, 1, 3 or 4),
//! its code (the id of its message in the catalog, e.g. `query.field_unknown`) and its
//! arguments (name → value, the message's `%{placeholders}`), plus the prefixes
//! [`Error::context`] adds (`--amount: `, `line 4: `). Display renders it from the catalog.
//!
//! Make one with [`crate::err!`]: `err!(Invalid, "query.field_unknown", name = name, kind =
//! kind, fields = list)`; one whose wording follows a count with `err!(Invalid, plural
//! "import.bad_rows", n, file = path)` (the catalog then has `import.bad_rows.one` and
//! `.other`, and `%{n}` is the count). Ids are `area.thing` in lower_snake words, the area
//! being the module (`dates`, `filter`, `query`, `write`, `import`, `vcard` …). Arguments are
//! data (names, values, numbers), never words of a sentence: a plural or an article belongs
//! in the catalog's text. The catalog test (src/core/text.rs) holds that every id named in
//! `tr!`, `plural!` and `err!` exists with exactly the placeholders the call fills; see
//! locales/README.md for adding a message.

use std::fmt;

use crate::core::text::{fill, plural_id, t};
use crate::tr;

/// What the user should do about an error; each maps to an exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad input: an unknown field, a bad date, a failed validation, an unknown or ambiguous
    /// reference, a configuration file that does not parse. Nothing was written. Exit status 2.
    Invalid,
    /// A query matched nothing. Exit status 1.
    NotFound,
    /// The database or the file system failed. Exit status 3.
    Failed,
    /// The input is valid, but the acting user may not do it (their roles do not allow
    /// it, or a rule of the shared pool caps it). Nothing was written. Exit status 4.
    NotAllowed,
}

/// Everything that can go wrong in kith: a [`Kind`], the catalog id of its message, the
/// message's arguments and the places it happened at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: Kind,
    code: &'static str,
    args: Vec<(&'static str, String)>,
    /// For a message whose wording follows a count: the count (`%{n}`).
    count: Option<i64>,
    /// The prefixes of [`Error::context`], innermost first.
    context: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An [`Error`] from the catalog: `err!(Invalid, "id", name = value, …)`, or
/// `err!(Invalid, plural "id", count, name = value, …)` for a message that follows a count.
/// The kind is one of [`Kind`]'s names; each value is kept as its `Display` text.
#[macro_export]
macro_rules! err {
    ($kind:ident, plural $id:literal, $n:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::core::error::Error::counted(
            $crate::core::error::Kind::$kind,
            $id,
            $n as i64,
            vec![$((stringify!($name), ::std::string::ToString::to_string(&$value))),*],
        )
    };
    ($kind:ident, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::core::error::Error::new(
            $crate::core::error::Kind::$kind,
            $id,
            vec![$((stringify!($name), ::std::string::ToString::to_string(&$value))),*],
        )
    };
}

impl Error {
    /// An error of `kind` with the message `code` of the catalog and its arguments.
    pub fn new(kind: Kind, code: &'static str, args: Vec<(&'static str, String)>) -> Error {
        Error {
            kind,
            code,
            args,
            count: None,
            context: Vec::new(),
        }
    }

    /// An error whose message follows a count `n`: `code.one` / `code.other`, `%{n}` filled.
    pub fn counted(
        kind: Kind,
        code: &'static str,
        n: i64,
        args: Vec<(&'static str, String)>,
    ) -> Error {
        Error {
            count: Some(n),
            ..Error::new(kind, code, args)
        }
    }

    /// A bad-input error whose text is already in the user's language (rendered from the
    /// catalog, or said by a tool kith uses); its code is `error.text`.
    pub fn invalid(msg: impl Into<String>) -> Error {
        Error::new(Kind::Invalid, "error.text", vec![("text", msg.into())])
    }

    /// As [`Error::invalid`], for a query that matched nothing.
    pub fn not_found(msg: impl Into<String>) -> Error {
        Error::new(Kind::NotFound, "error.text", vec![("text", msg.into())])
    }

    /// As [`Error::invalid`], for a failure of the database or the file system.
    pub fn failed(msg: impl Into<String>) -> Error {
        Error::new(Kind::Failed, "error.text", vec![("text", msg.into())])
    }

    /// The same error, of another kind (a reference that names nothing is bad input to a
    /// command, and "not found" to a query).
    pub fn of_kind(mut self, kind: Kind) -> Error {
        self.kind = kind;
        self
    }

    /// What the user should do about it.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The catalog id of the message (without the `.one`/`.other` of a counted one).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message's arguments, name → value, in the order given (a counted message's
    /// count is [`Error::count`]).
    pub fn args(&self) -> &[(&'static str, String)] {
        &self.args
    }

    /// The argument `name`, if the error has it.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the database was busy: another connection held the write lock for longer
    /// than the busy timeout. Nothing was written; the same write can be tried again.
    pub fn is_busy(&self) -> bool {
        self.code == "error.busy"
    }

    /// The count a counted message follows.
    pub fn count(&self) -> Option<i64> {
        self.count
    }

    /// The places added by [`Error::context`], innermost first.
    pub fn places(&self) -> &[String] {
        &self.context
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::NotFound => 1,
            Kind::Invalid => 2,
            Kind::Failed => 3,
            Kind::NotAllowed => 4,
        }
    }

    /// Prefix the message with where the problem was (a field, a line, a file).
    pub fn context(mut self, at: impl fmt::Display) -> Error {
        self.context.push(at.to_string());
        self
    }

    /// The message alone, without the places of [`Error::context`].
    pub fn message(&self) -> String {
        let args: Vec<(&str, &dyn fmt::Display)> = self
            .args
            .iter()
            .map(|(n, v)| (*n, v as &dyn fmt::Display))
            .collect();
        match self.count {
            Some(n) => {
                let mut all = vec![("n", &n as &dyn fmt::Display)];
                all.extend(args);
                fill(t(&plural_id(self.code, n)), &all)
            }
            None => fill(t(self.code), &args),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = self.message();
        for at in &self.context {
            m = tr!("error.at", at = at, message = m);
        }
        f.write_str(&m)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode;
        // Failures caused by what was asked, not by the database: bad input, in kith's words.
        if let rusqlite::Error::SqliteFailure(f, m) = &e {
            let m = m.as_deref().unwrap_or("");
            if m.contains("LIKE or GLOB pattern too complex") {
                return err!(Invalid, "error.pattern_too_long");
            }
            if f.code == ErrorCode::TooBig {
                return err!(Invalid, "error.value_too_large");
            }
            if f.code == ErrorCode::ReadOnly {
                return err!(Failed, "error.read_only", reason = m);
            }
            // Another connection holds the write lock past the busy timeout: worded as any
            // database error, known apart so that a face can wait and try again.
            if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) {
                return err!(Failed, "error.busy", reason = e);
            }
        }
        err!(Failed, "error.database", reason = e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        err!(Failed, "error.io", reason = e)
    }
}

impl From<crate::core::dates::DateError> for Error {
    fn from(e: crate::core::dates::DateError) -> Error {
        err!(Invalid, "dates.bad", input = e.input, reason = e.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(Error::invalid("x").exit_code(), 2);
        assert_eq!(Error::not_found("x").exit_code(), 1);
        assert_eq!(Error::failed("x").exit_code(), 3);
        assert_eq!(
            crate::err!(NotAllowed, "rights.frozen", login = "x").exit_code(),
            4
        );
    }

    #[test]
    fn a_bad_date_carries_its_code_and_arguments() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let e = Error::from(crate::core::dates::parse_when("2026-02-30", now).unwrap_err());
        assert_eq!(e.kind(), Kind::Invalid);
        assert_eq!(e.code(), "dates.bad");
        assert_eq!(e.arg("input"), Some("2026-02-30"));
        assert_eq!(
            e.arg("reason"),
            Some("day 30 is out of range for February 2026")
        );
        assert_eq!(
            e.to_string(),
            "bad date '2026-02-30': day 30 is out of range for February 2026"
        );
    }

    #[test]
    fn a_bad_filter_carries_its_code_and_arguments() {
        let e = Error::from(crate::model::query::parse_args(&["name.near:x"]).unwrap_err());
        assert_eq!(e.code(), "filter.bad");
        assert_eq!(e.arg("term"), Some("name.near:x"));
        assert!(e
            .arg("reason")
            .unwrap()
            .starts_with("unknown modifier 'near'"));
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn a_message_is_rendered_from_the_catalog_with_its_places() {
        let e = crate::err!(Invalid, "values.whole_number", s = "x1").context("--probability");
        assert_eq!(e.code(), "values.whole_number");
        assert_eq!(e.args(), &[("s", "x1".to_string())]);
        assert_eq!(e.places(), &["--probability".to_string()]);
        assert_eq!(e.message(), "'x1' is not a whole number");
        assert_eq!(e.to_string(), "--probability: 'x1' is not a whole number");
        let e = crate::err!(NotFound, plural "recur.days", 1);
        assert_eq!((e.to_string(), e.exit_code()), ("1 day".to_string(), 1));
        let e = crate::err!(NotFound, plural "recur.days", 3);
        assert_eq!((e.code(), e.count()), ("recur.days", Some(3)));
        assert_eq!(e.to_string(), "3 days");
    }

    #[test]
    fn an_unknown_field_and_an_unknown_reference_carry_their_code_and_arguments() {
        use crate::model::Entity;
        let crm = crate::app::crm::testing::crm();
        let q = crate::store::ListQuery {
            filter: crate::model::query::parse_args(&["colour:red"]).unwrap(),
            ..Default::default()
        };
        let e = crm.list(Entity::Pipeline, &q).unwrap_err();
        assert_eq!((e.kind(), e.code()), (Kind::Invalid, "query.field_unknown"));
        assert_eq!(e.arg("name"), Some("colour"));
        assert_eq!(e.arg("kind"), Some("pipelines"));
        assert!(e
            .to_string()
            .starts_with("unknown field 'colour' for pipelines; fields are: "));

        let e = crm.find(Entity::Account, "Nobody Ltd").unwrap_err();
        assert_eq!((e.kind(), e.exit_code()), (Kind::NotFound, 1));
        assert_eq!(e.code(), "toolkit.no_name");
        assert_eq!(
            e.args(),
            &[
                ("entity", "account".to_string()),
                ("name", "Nobody Ltd".to_string())
            ]
        );
        assert_eq!(e.to_string(), "no account named 'Nobody Ltd'");
    }

    #[test]
    fn context_prefixes_the_message() {
        let e = Error::invalid("not a number").context("--amount");
        assert_eq!(e.to_string(), "--amount: not a number");
        assert_eq!(e.exit_code(), 2);
    }
}
