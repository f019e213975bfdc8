//! Words the scripted face's messages are built from, looked up in the catalog
//! (locales/cli.toml) by the name of what they stand for: the kinds of record
//! (`kind.deal.one` "deal", `.other` "deals", `.a` "a deal") and the groups of related
//! records `show` lists, the fields' labels, and the reports' help. The catalog has them for every kind; a kind it lacks is shown by
//! its name, which is what the model calls it.

use crate::core::text;
use crate::model::Entity;

/// The message `id`, or `fallback` when the catalog has none.
pub fn message_or(id: &str, fallback: &'static str) -> &'static str {
    if text::has(id) {
        text::t(id)
    } else {
        fallback
    }
}

/// A record of kind `e`: "deal".
pub fn kind(e: Entity) -> &'static str {
    e.label()
}

/// Records of kind `e`: "deals".
pub fn kinds(e: Entity) -> &'static str {
    message_or(&format!("kind.{}.other", e.name()), e.plural())
}

/// One record of kind `e`, as a sentence names it first: "a deal", "an account".
pub fn a_kind(e: Entity) -> &'static str {
    message_or(&format!("kind.{}.a", e.name()), e.name())
}

/// A field's label, in help and in `show`: "expected close" for `expected_close`.
pub fn field(name: &str) -> String {
    let id = format!("cli.field.{name}");
    if text::has(&id) {
        text::t(&id).to_string()
    } else {
        name.replace('_', " ")
    }
}

/// A table's column title for the field or report column `name`: in English the name in
/// capitals (`EXPECTED_CLOSE`, as the filter language and `--sort` spell it); in another
/// language the field's label (`cli.field.*`), else the report column's
/// (`tui.report.column.*`), else the name in capitals.
pub fn column_title(name: &str) -> String {
    title_from(name, ["cli.field", "tui.report.column"])
}

/// A report's column title: as [`column_title`], the report column's label first
/// (`tui.report.column.*`: 邮件 for a count of emails, where a contact's field is 邮箱).
pub fn report_column_title(name: &str) -> String {
    title_from(name, ["tui.report.column", "cli.field"])
}

/// `name` in capitals in English; in another language the first label the catalog has
/// under these prefixes, else the name in capitals.
fn title_from(name: &str, prefixes: [&str; 2]) -> String {
    if text::language() != "en" {
        for prefix in prefixes {
            let id = format!("{prefix}.{name}");
            if text::has(&id) {
                return text::t(&id).to_string();
            }
        }
    }
    name.to_uppercase()
}

/// The title of a group of related records in `show` ("open_deals" → "Open deals (3)").
pub fn related(group: &str, n: usize) -> String {
    let id = format!("cli.show.related.{group}");
    if text::has(&id) {
        text::fill(text::t(&id), &[("n", &n)])
    } else {
        format!("{} ({n})", group.replace('_', " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind has its words in the catalog.
    #[test]
    fn every_kind_has_its_words() {
        for e in Entity::ALL {
            for form in ["one", "other", "a"] {
                let id = format!("kind.{}.{form}", e.name());
                assert!(text::has(&id), "no message {id}");
            }
        }
        for k in crate::app::reports::Kind::ALL {
            let id = format!("cli.help.report.{}.about", k.name());
            assert!(text::has(&id), "no message {id}");
        }
        for e in Entity::ALL {
            for f in e.fields() {
                let id = format!("cli.field.{}", f.name);
                assert!(text::has(&id), "no message {id}");
            }
            // The groups of its 360° view, as `show` and the interface's detail head them.
            for s in e.kind().sections {
                for id in [
                    format!("cli.show.related.{}", s.name),
                    format!("tui.related.{}", s.name),
                ] {
                    assert!(text::has(&id), "{e}: no message {id}");
                }
            }
        }
        assert_eq!(field("expected_close"), "expected close");
        assert_eq!(kind(Entity::Deal), "deal");
        assert_eq!(kinds(Entity::Activity), "activities");
        assert_eq!(a_kind(Entity::Account), "an account");
        assert_eq!(related("open_deals", 3), "Open deals (3)");
    }
}
