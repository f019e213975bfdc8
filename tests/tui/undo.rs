//! `u` undoes the acting user's last batch, after showing what it changed; `ctrl-r` takes
//! the undo back (redo), and a redo can be undone again. `R` and `f5` read the screens
//! again (ctrl-r did before).

use kith::model::Entity;

use crate::{app, frame_text, ids, key, keys};

fn trashed(app: &kith::tui::App, e: Entity, id: i64) -> bool {
    app.crm.get_any(e, id).unwrap().unwrap().is_trashed()
}

#[test]
fn undo_shows_the_change_then_takes_it_back_and_redo_puts_it_again() {
    let mut app = app();
    // Accounts by name: Acme, 广州白云 (guang zhou bai yun), 广州空港, 深圳宝安.
    keys(&mut app, "2 d y");
    assert!(trashed(&app, Entity::Account, ids::ACME));
    key(&mut app, "u");
    let text = frame_text(&mut app, 100, 30);
    assert!(text.contains("Undo batch"), "{text}");
    assert!(text.contains("restore account 2"), "{text}");
    // Asked, not done yet.
    assert!(trashed(&app, Entity::Account, ids::ACME));
    key(&mut app, "y");
    assert!(!trashed(&app, Entity::Account, ids::ACME));
    let status = app.status.as_ref().unwrap().text.clone();
    assert!(status.contains("undone (1 change)"), "{status}");

    key(&mut app, "ctrl-r");
    let text = frame_text(&mut app, 100, 30);
    assert!(text.contains("Redo"), "{text}");
    key(&mut app, "y");
    assert!(trashed(&app, Entity::Account, ids::ACME));

    // The redo is a change like any other: undone again by u.
    keys(&mut app, "u y");
    assert!(!trashed(&app, Entity::Account, ids::ACME));
}

#[test]
fn undo_asked_and_refused_changes_nothing() {
    let mut app = app();
    keys(&mut app, "2 d y");
    keys(&mut app, "u n");
    assert!(app.popup.is_none());
    assert!(trashed(&app, Entity::Account, ids::ACME));
    keys(&mut app, "u esc");
    assert!(trashed(&app, Entity::Account, ids::ACME));
}

#[test]
fn a_new_change_ends_what_can_be_redone() {
    let mut app = app();
    keys(&mut app, "2 d y u y");
    assert!(!trashed(&app, Entity::Account, ids::ACME));
    // A new change: the task due today done.
    app.crm
        .update(
            Entity::Task,
            ids::TASK_TODAY,
            &kith::app::crm::Input::new().with("done", "yes"),
        )
        .unwrap();
    key(&mut app, "ctrl-r");
    assert!(app.popup.is_none());
    let status = app.status.as_ref().unwrap();
    assert!(
        status.error && status.text.contains("nothing to redo"),
        "{status:?}"
    );
    assert!(!trashed(&app, Entity::Account, ids::ACME));
}

#[test]
fn refresh_moved_to_capital_r_and_f5() {
    let mut app = app();
    for k in ["R", "f5"] {
        key(&mut app, k);
        assert_eq!(app.status.as_ref().unwrap().text, "reloaded", "{k}");
    }
}
