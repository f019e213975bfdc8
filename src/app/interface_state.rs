//! What the full-screen interface keeps between sessions: the filters typed in each kind's
//! list (its history, for ↑/↓ on the filter line), the views saved under a name (a kind,
//! a filter, a sort and columns) and the columns chosen for each kind's list. They live in
//! `interface.toml`, beside the configuration file (`interface_path` in `config.rs`):
//!
//! ```toml
//! [history]
//! deal = ["amount>100k", "status:open owner:mei"]
//!
//! [columns]
//! deal = ["id", "title", "amount", "stage", "expected_close"]
//!
//! [[views]]
//! name = "hot deals"
//! kind = "deal"
//! filter = "status:open amount>100k"
//! sort = "-amount"
//! columns = ["id", "title", "account", "amount", "stage"]
//! ```
//!
//! A missing file is an empty one. A file that cannot be read (not TOML, a key kith does
//! not know, a value of the wrong type) is left as it is for the whole session: nothing is
//! written over it, so what it held is not lost, and what the session changes lasts only
//! as long as the session. A file is written whole, through a temporary file renamed into
//! place, so a failure never leaves half of one. Names kith no longer knows (a kind, a
//! custom field removed since) are kept in the file and passed over by the interface.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::error::{Error, Result};
use crate::model::Entity;

/// How many filters each kind's history keeps: the oldest go first.
pub const HISTORY_MAX: usize = 100;

/// What `interface.toml` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InterfaceState {
    /// Filters applied in each kind's list (by the kind's name: `deal`), oldest first.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub history: BTreeMap<String, Vec<String>>,
    /// The columns each kind's list shows, in their order (by the kind's name).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, Vec<String>>,
    /// The saved views, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<SavedView>,
}

/// A list as it was saved: its kind, its filter line, its sort and its columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedView {
    pub name: String,
    /// The kind's name (`deal`).
    pub kind: String,
    /// The filter line, as typed.
    #[serde(default)]
    pub filter: String,
    /// The sort field as `--sort` takes it (`-amount`: largest first); none, the kind's
    /// own order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// The columns shown, in their order; none, the kind's columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

impl SavedView {
    /// The kind of records it lists, if kith knows it.
    pub fn entity(&self) -> Option<Entity> {
        Entity::from_name(&self.kind).filter(|e| e.kind().record)
    }

    /// The sort's field and whether it is descending.
    pub fn sort_key(&self) -> Option<(&str, bool)> {
        let s = self.sort.as_deref()?.trim();
        let (field, desc) = match s.strip_prefix('-') {
            Some(f) => (f.trim(), true),
            None => (s, false),
        };
        (!field.is_empty()).then_some((field, desc))
    }
}

impl InterfaceState {
    /// A kind's filter history, oldest first.
    pub fn history(&self, kind: Entity) -> &[String] {
        self.history
            .get(kind.name())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Remember a filter applied in a kind's list: at the end, out of the place it had;
    /// the oldest forgotten past [`HISTORY_MAX`]. An empty one is not remembered. Returns
    /// whether the history changed.
    pub fn remember(&mut self, kind: Entity, filter: &str) -> bool {
        let filter = filter.trim();
        if filter.is_empty() {
            return false;
        }
        let list = self.history.entry(kind.name().to_string()).or_default();
        if list.last().map(String::as_str) == Some(filter) && list.len() <= HISTORY_MAX {
            return false;
        }
        list.retain(|f| f != filter);
        list.push(filter.to_string());
        let extra = list.len().saturating_sub(HISTORY_MAX);
        list.drain(..extra);
        true
    }

    /// The columns chosen for a kind's list, if any were.
    pub fn columns(&self, kind: Entity) -> Option<&[String]> {
        self.columns
            .get(kind.name())
            .map(Vec::as_slice)
            .filter(|c| !c.is_empty())
    }

    /// Choose a kind's columns; `None` (or none) goes back to the kind's own.
    pub fn set_columns(&mut self, kind: Entity, columns: Option<Vec<String>>) {
        match columns.filter(|c| !c.is_empty()) {
            Some(c) => {
                self.columns.insert(kind.name().to_string(), c);
            }
            None => {
                self.columns.remove(kind.name());
            }
        }
    }

    pub fn view(&self, name: &str) -> Option<&SavedView> {
        self.views.iter().find(|v| v.name == name)
    }

    /// Save a view, replacing the one of its name; the views are kept by name.
    pub fn save_view(&mut self, view: SavedView) {
        self.views.retain(|v| v.name != view.name);
        self.views.push(view);
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Delete the view of a name; whether there was one.
    pub fn delete_view(&mut self, name: &str) -> bool {
        let before = self.views.len();
        self.views.retain(|v| v.name != name);
        self.views.len() != before
    }
}

/// `interface.toml` as the interface has it: its state, and where (and whether) it is
/// written.
#[derive(Debug, Default)]
pub struct InterfaceFile {
    /// None: kept in memory only (an interface made by a test, for one).
    path: Option<PathBuf>,
    /// Why the file was not read at start: it is then left as it is.
    unread: Option<String>,
    pub state: InterfaceState,
}

impl InterfaceFile {
    /// Kept in memory, never written.
    pub fn in_memory() -> InterfaceFile {
        InterfaceFile::default()
    }

    /// Read the file at `path`. A missing file is empty; one that cannot be read gives an
    /// empty state, the error that says so, and a file that will not be written.
    pub fn open(path: PathBuf) -> (InterfaceFile, Option<Error>) {
        let mut file = InterfaceFile {
            path: Some(path),
            unread: None,
            state: InterfaceState::default(),
        };
        let path = file.path.as_deref().unwrap_or(Path::new(""));
        let read = match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str::<InterfaceState>(&text).map_err(|e| {
                // One line, for the status line: where, then what.
                let line = e
                    .span()
                    .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
                match line {
                    Some(n) => crate::tr!(
                        "interface.at_line",
                        line = n,
                        reason = e.message().trim_end()
                    ),
                    None => e.message().trim_end().to_string(),
                }
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(InterfaceState::default()),
            Err(e) => Err(e.to_string()),
        };
        match read {
            Ok(state) => {
                file.state = state;
                (file, None)
            }
            Err(reason) => {
                let e = crate::err!(
                    Failed,
                    "interface.unread",
                    path = path.display(),
                    reason = reason
                );
                file.unread = Some(reason);
                (file, Some(e))
            }
        }
    }

    /// Where the file is, when there is one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether the file could not be read at start, and so is left as it is.
    pub fn left_alone(&self) -> bool {
        self.unread.is_some()
    }

    /// Write the state to the file, whole (a temporary file renamed into place), making its
    /// folder if need be. Kept in memory: nothing to do. A file left alone is not written,
    /// and the error says the change lasts for this session only.
    pub fn save(&self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if self.unread.is_some() {
            return Err(crate::err!(
                Failed,
                "interface.left_alone",
                path = path.display()
            ));
        }
        let cannot = |reason: &dyn std::fmt::Display| {
            crate::err!(
                Failed,
                "files.cannot_write",
                dest = path.display(),
                reason = reason
            )
        };
        let text = toml::to_string(&self.state).map_err(|e| cannot(&e))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| cannot(&e))?;
        }
        let (temp, mut out) = crate::core::files::Temp::beside(path)?;
        out.write_all(text.as_bytes())
            .and_then(|()| out.sync_all())
            .map_err(|e| cannot(&e))?;
        drop(out);
        temp.persist(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_moves_repeats_to_the_end_and_keeps_a_hundred() {
        let mut s = InterfaceState::default();
        assert!(s.remember(Entity::Deal, " amount>100k "));
        assert!(s.remember(Entity::Deal, "owner:mei"));
        assert!(!s.remember(Entity::Deal, "owner:mei"), "the same again");
        assert!(!s.remember(Entity::Deal, "  "), "nothing typed");
        assert!(s.remember(Entity::Deal, "amount>100k"));
        assert_eq!(s.history(Entity::Deal), ["owner:mei", "amount>100k"]);
        assert!(s.history(Entity::Task).is_empty());
        for i in 0..150 {
            s.remember(Entity::Task, &format!("title:t{i}"));
        }
        let h = s.history(Entity::Task);
        assert_eq!(h.len(), HISTORY_MAX);
        assert_eq!((h[0].as_str(), h[99].as_str()), ("title:t50", "title:t149"));
    }

    #[test]
    fn views_are_kept_by_name_and_replaced() {
        let mut s = InterfaceState::default();
        let view = |name: &str, filter: &str| SavedView {
            name: name.into(),
            kind: "deal".into(),
            filter: filter.into(),
            sort: Some("-amount".into()),
            columns: vec![],
        };
        s.save_view(view("z", "a"));
        s.save_view(view("hot", "amount>1"));
        s.save_view(view("hot", "amount>2"));
        let names: Vec<&str> = s.views.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["hot", "z"]);
        assert_eq!(s.view("hot").unwrap().filter, "amount>2");
        assert_eq!(s.view("hot").unwrap().sort_key(), Some(("amount", true)));
        assert_eq!(s.view("hot").unwrap().entity(), Some(Entity::Deal));
        assert!(s.delete_view("z"));
        assert!(!s.delete_view("z"));
    }

    #[test]
    fn the_file_is_written_whole_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new").join("interface.toml");
        let (mut f, e) = InterfaceFile::open(path.clone());
        assert!(e.is_none() && !f.left_alone());
        assert_eq!(
            f.state,
            InterfaceState::default(),
            "a missing file is empty"
        );
        f.state.remember(Entity::Deal, "amount>100k");
        f.state
            .set_columns(Entity::Deal, Some(vec!["id".into(), "title".into()]));
        f.state.save_view(SavedView {
            name: "hot deals".into(),
            kind: "deal".into(),
            filter: "status:open".into(),
            sort: Some("-amount".into()),
            columns: vec!["title".into()],
        });
        f.save().unwrap();
        let (g, e) = InterfaceFile::open(path.clone());
        assert!(e.is_none());
        assert_eq!(g.state, f.state);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("[[views]]"), "{text}");
        assert!(text.contains("deal = [\"amount>100k\"]"), "{text}");
        // No temporary file is left beside it.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }

    #[test]
    fn a_file_that_does_not_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("interface.toml");
        for bad in ["[history\n", "colour = \"red\"\n", "history = 3\n"] {
            std::fs::write(&path, bad).unwrap();
            let (mut f, e) = InterfaceFile::open(path.clone());
            let e = e.expect("an error");
            assert!(e.to_string().contains("interface.toml"), "{e}");
            assert!(f.left_alone());
            f.state.remember(Entity::Deal, "amount>1");
            let e = f.save().unwrap_err();
            assert!(e.to_string().contains("this session only"), "{e}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
        }
        // In memory: nothing is written anywhere.
        let mut m = InterfaceFile::in_memory();
        m.state.remember(Entity::Deal, "x");
        m.save().unwrap();
        assert!(m.path().is_none());
    }
}
