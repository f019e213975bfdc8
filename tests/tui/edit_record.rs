//! `E`: the record selected (or shown) as text in `$EDITOR`, read back when the editor
//! exits. The editor here is a shell script run on the file the way the event loop runs
//! `$EDITOR` (`kith::tui::input::edit_with`), so the file really is written, edited and
//! read back.

use kith::model::Entity;
use kith::tui::App;

use crate::{app, ids, key, keys};

/// A fake editor: a shell script run with the file's path as `$1`.
struct Editor {
    dir: std::path::PathBuf,
}

impl Editor {
    fn new(name: &str) -> Editor {
        let dir = std::env::temp_dir().join(format!("kith-e-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Editor { dir }
    }

    /// Run the script on the text the app asks to edit, and give the app what it made.
    /// Returns the text the editor was given.
    fn run(&self, app: &mut App, script: &str) -> String {
        let text = app
            .record_editor_request()
            .expect("the editor was asked for");
        let path = self.dir.join("editor.sh");
        std::fs::write(&path, script).unwrap();
        let result = kith::tui::input::edit_with(&format!("sh {}", path.display()), &text);
        app.record_editor_done(result);
        text
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn status(app: &App) -> (String, bool) {
    let s = app.status.as_ref().expect("a message");
    (s.text.clone(), s.error)
}

fn changes(app: &App, e: Entity, id: i64) -> usize {
    app.crm.history(e, id).unwrap().len()
}

/// `E` on a list writes the selected record as text: the header, the read-only fields as
/// comments, one line per field in the form's order, the values of a choice listed; a
/// change made in the editor is saved (only that field), and one `u` undoes it.
#[test]
fn e_on_a_list_edits_the_selected_record_and_u_undoes_it() {
    let ed = Editor::new("list");
    let mut app = app();
    // Accounts by name: Acme first.
    keys(&mut app, "2 E");
    let text = ed.run(
        &mut app,
        "sed -i 's/^tier = .*/tier = \"A\"/; s/^city = .*/city = \"Dallas\"/' \"$1\"\n",
    );
    assert!(
        text.starts_with("# account 2 · Acme Robotics Ltd\n"),
        "{text}"
    );
    assert!(text.contains("# id = \"2\"\n"), "{text}");
    assert!(text.contains("# created_at = "), "{text}");
    assert!(text.contains("\nname = \"Acme Robotics Ltd\"\n"), "{text}");
    assert!(text.contains("# one of: A, B, C\ntier = \"B\"\n"), "{text}");
    let name_at = text.find("\nname = ").unwrap();
    assert!(name_at < text.find("\ntier = ").unwrap());
    assert!(text.find("\ntier = ").unwrap() < text.find("\nnotes = ").unwrap());
    assert_eq!(
        status(&app),
        ("account 2 saved: tier, city".to_string(), false)
    );
    let r = app.crm.get(Entity::Account, ids::ACME).unwrap();
    assert_eq!(
        (r.text("tier"), r.text("city")),
        ("A".into(), "Dallas".into())
    );
    assert!(app.record_edit.is_none());
    // One batch: one u takes both back.
    keys(&mut app, "u y");
    let r = app.crm.get(Entity::Account, ids::ACME).unwrap();
    assert_eq!(
        (r.text("tier"), r.text("city")),
        ("B".into(), "Austin".into())
    );
}

/// Saved unchanged (or only its comments changed), nothing is written.
#[test]
fn an_unchanged_text_writes_nothing() {
    let ed = Editor::new("same");
    let mut app = app();
    keys(&mut app, "2 E");
    let before = changes(&app, Entity::Account, ids::ACME);
    ed.run(&mut app, "true\n");
    assert_eq!(status(&app), ("account 2: no changes".to_string(), false));
    keys(&mut app, "E");
    ed.run(
        &mut app,
        "sed -i 's/^# account/# edited: account/' \"$1\"\n",
    );
    assert_eq!(status(&app), ("account 2: no changes".to_string(), false));
    // An empty file gives the edit up.
    keys(&mut app, "E");
    ed.run(&mut app, ": > \"$1\"\n");
    assert_eq!(status(&app), ("account 2: no changes".to_string(), false));
    assert_eq!(changes(&app, Entity::Account, ids::ACME), before);
    assert!(app.record_edit.is_none());
}

/// A text that does not read comes back to the editor with the error at its top and the
/// user's text kept; fixed, it is saved; saved again unchanged, the edit is given up.
#[test]
fn a_bad_text_comes_back_with_the_error_on_top() {
    let ed = Editor::new("bad");
    let mut app = app();
    keys(&mut app, "2 E");
    ed.run(
        &mut app,
        "sed -i 's/^city = .*/city = \"Dallas\"/' \"$1\"\necho 'size = \"big\"' >> \"$1\"\n",
    );
    let (text, error) = status(&app);
    assert!(error);
    // (The line docs/interface.md shows.)
    assert!(
        text.starts_with("line 38: the account has no field 'size' (its fields: name, kind,"),
        "{text}"
    );
    // Again, with the error over the text as it was left.
    let again = ed.run(&mut app, "sed -i '/^size = /d' \"$1\"\n");
    let first = again.lines().next().unwrap();
    assert!(first.starts_with("# ✗ line "), "{again}");
    assert!(first.contains("the account has no field 'size'"), "{again}");
    assert!(again.contains("\ncity = \"Dallas\"\n"), "{again}");
    assert!(again.contains("\nsize = \"big\"\n"), "{again}");
    // The fix went through (the error line is not read as part of the record).
    assert_eq!(status(&app), ("account 2 saved: city".to_string(), false));
    assert_eq!(
        app.crm
            .get(Entity::Account, ids::ACME)
            .unwrap()
            .text("city"),
        "Dallas"
    );

    // A value refused: the text comes back; given back unchanged, nothing is written.
    keys(&mut app, "E");
    let before = changes(&app, Entity::Account, ids::ACME);
    ed.run(&mut app, "sed -i 's/^tier = .*/tier = \"D\"/' \"$1\"\n");
    let again = ed.run(&mut app, "true\n");
    assert!(
        again.starts_with("# ✗ tier: 'D' is not one of A, B, C\n"),
        "{again}"
    );
    assert_eq!(
        status(&app),
        (
            "not saved: tier: 'D' is not one of A, B, C".to_string(),
            true
        )
    );
    assert!(app.record_editor_request().is_none());
    assert_eq!(changes(&app, Entity::Account, ids::ACME), before);
    assert_eq!(
        app.crm
            .get(Entity::Account, ids::ACME)
            .unwrap()
            .text("tier"),
        "B"
    );
}

/// In a detail view `E` edits the record shown; on the board, the deal selected; an
/// editor that fails changes nothing and says why.
#[test]
fn e_in_a_detail_view_and_on_the_board() {
    let ed = Editor::new("detail");
    let mut app = app();
    app.open(Entity::Deal, ids::SECURITY).unwrap();
    key(&mut app, "E");
    let text = ed.run(
        &mut app,
        "sed -i 's/^amount = .*/amount = \"1300000\"/' \"$1\"\n",
    );
    assert!(
        text.starts_with("# deal 1 · 航站楼安检系统升级\n"),
        "{text}"
    );
    // The stage lists its pipeline's stages; the status kith sets is a comment.
    assert!(text.contains("# status = \"open\"\n"), "{text}");
    assert!(
        text.contains("# one of: qualification, needs analysis, proposal"),
        "{text}"
    );
    assert!(text.contains("\nstage = \"proposal\"\n"), "{text}");
    assert_eq!(status(&app), ("deal 1 saved: amount".to_string(), false));
    assert_eq!(
        app.crm
            .get(Entity::Deal, ids::SECURITY)
            .unwrap()
            .text("amount"),
        "1300000"
    );
    // Moving the stage in the text is checked as `kith deal edit --stage` is.
    key(&mut app, "E");
    ed.run(
        &mut app,
        "sed -i 's/^stage = .*/stage = \"negotiation\"/' \"$1\"\n",
    );
    assert_eq!(
        app.crm
            .get(Entity::Deal, ids::SECURITY)
            .unwrap()
            .text("stage"),
        "negotiation"
    );
    // The board: its first column's first deal.
    keys(&mut app, "6 E");
    let text = ed.run(&mut app, "exit 1\n");
    assert!(text.starts_with("# deal "), "{text}");
    let (msg, error) = status(&app);
    assert!(error && msg.contains("did not finish well"), "{msg}");
    assert!(app.record_edit.is_none());
    // Today: the first row is a task.
    keys(&mut app, "1 E");
    let text = ed.run(&mut app, "true\n");
    assert!(text.starts_with("# task "), "{text}");
    assert!(
        text.contains("# one of: low, normal, high\npriority = "),
        "{text}"
    );
    assert!(
        text.contains("# one of: yes, no\ndone = \"no\"\n"),
        "{text}"
    );
}
