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

/// `z` on a task asks until when, shows the day the words name as they are typed, and
/// moves the due date; words that name no day keep the question open with why.
#[test]
fn snooze_shows_the_day_and_moves_the_task() {
    let mut app = app();
    // Tasks: open ones first, by due date: the overdue one (2026-11-20) first.
    key(&mut app, "8");
    key(&mut app, "z");
    let text = frame_text(&mut app, 100, 30);
    assert!(text.contains("Snooze task 2"), "{text}");
    // Prefilled "tomorrow 9am": Monday 2026-11-23 09:00 from Sunday 2026-11-22.
    assert!(text.contains("→ Mon 2026-11-23 09:00"), "{text}");
    key(&mut app, "ctrl-u");
    crate::type_text(&mut app, "blursday");
    key(&mut app, "enter");
    assert!(app.popup.is_some(), "a bad answer keeps the question");
    let text = frame_text(&mut app, 100, 30);
    assert!(text.contains("✗"), "{text}");
    key(&mut app, "ctrl-u");
    crate::type_text(&mut app, "fri 3pm");
    let text = frame_text(&mut app, 100, 30);
    assert!(text.contains("→ Fri 2026-11-27 15:00"), "{text}");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    let due = app.crm.get(Entity::Task, ids::TASK_OVERDUE).unwrap();
    assert_eq!(due.str("due"), Some("2026-11-27T15:00:00"));
    // One batch, undone by u.
    keys(&mut app, "u y");
    let due = app.crm.get(Entity::Task, ids::TASK_OVERDUE).unwrap();
    assert_eq!(due.str("due"), Some("2026-11-20"));
}

/// A batch of many changes is shown by its newest few and how many more there are.
#[test]
fn a_large_batch_shows_its_first_changes_and_the_count() {
    let mut app = app();
    // Ten tasks done at once, in one write (one batch).
    let ids: Vec<i64> = (0..10)
        .map(|i| {
            app.crm
                .create(
                    Entity::Task,
                    &kith::app::crm::Input::new().with("title", format!("t{i}")),
                )
                .unwrap()
        })
        .collect();
    app.crm.set_tasks_done(&ids, true).unwrap();
    key(&mut app, "u");
    let text = frame_text(&mut app, 100, 30);
    // 8 of the 10 changes listed, and 2 more.
    assert_eq!(text.matches("restore task").count(), 8, "{text}");
    assert!(text.contains("… and 2 more changes"), "{text}");
    key(&mut app, "y");
    assert!(ids
        .iter()
        .all(|id| !app.crm.get(Entity::Task, *id).unwrap().bool("done")));
}

/// A new activity's form ends with its next step and when it is due: saved, the follow-up
/// task is made in the same write, linked as the activity is (as `kith log --next --due`).
#[test]
fn logging_an_activity_with_a_next_step_makes_its_follow_up() {
    let mut app = app();
    // Accounts: Acme first. `a` logs a call on it.
    keys(&mut app, "2 a");
    let kith::tui::app::Screen::Form(f) = crate::top(&app) else {
        panic!("no form")
    };
    let names: Vec<&str> = f.fields.iter().map(|x| x.name).collect();
    assert_eq!(&names[names.len() - 2..], ["next", "next_due"]);
    let subject = f.fields.iter().position(|x| x.name == "subject").unwrap();
    let next = names.len() - 2;
    let tasks_before = crate::all(&app.crm, Entity::Task).len();
    // Only a due date: refused at the next step, nothing written.
    for _ in f.focus..names.len() - 1 {
        key(&mut app, "tab");
    }
    crate::type_text(&mut app, "fri");
    key(&mut app, "ctrl-s");
    let kith::tui::app::Screen::Form(f) = crate::top(&app) else {
        panic!("the form closed")
    };
    assert_eq!(f.focus, next);
    assert!(f.fields[next].error.is_some());
    assert_eq!(crate::all(&app.crm, Entity::Task).len(), tasks_before);
    crate::type_text(&mut app, "Send the quote");
    // The subject, then save.
    let kith::tui::app::Screen::Form(f) = crate::top(&app) else {
        panic!("no form")
    };
    let back = f.focus - subject;
    for _ in 0..back {
        key(&mut app, "shift-tab");
    }
    crate::type_text(&mut app, "Pricing call");
    key(&mut app, "ctrl-s");
    assert!(matches!(
        crate::top(&app),
        kith::tui::app::Screen::Detail(_)
    ));
    let tasks = crate::all(&app.crm, Entity::Task);
    assert_eq!(tasks.len(), tasks_before + 1);
    let t = tasks
        .iter()
        .find(|t| t.label() == "Send the quote")
        .unwrap();
    // Friday after Sunday 2026-11-22, linked to Acme like the call.
    assert_eq!(t.str("due"), Some("2026-11-27"));
    assert_eq!(t.i64("account_id"), Some(ids::ACME));
    let status = app.status.as_ref().unwrap().text.clone();
    assert!(status.contains("with follow-up task"), "{status}");
}

/// `y` offers what of the record can be copied; the choice goes to the clipboard as the
/// terminal's OSC 52 sequence, base64 inside.
#[test]
fn yank_copies_a_records_id_name_email_or_json() {
    use base64::Engine;
    let decode = |osc: &str| {
        let data = osc
            .strip_prefix("\u{1b}]52;c;")
            .and_then(|s| s.strip_suffix('\u{7}'))
            .expect("an OSC 52 sequence");
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap(),
        )
        .unwrap()
    };
    let mut app = app();
    // Contacts by name: John Smith, 李娜, 王芳, 张伟 (who has an email).
    keys(&mut app, "3 G y");
    let text = frame_text(&mut app, 100, 30);
    assert!(text.contains("Copy from contact 1"), "{text}");
    assert!(text.contains("zhang.wei@gzairport.example"), "{text}");
    crate::type_text(&mut app, "email");
    key(&mut app, "enter");
    assert_eq!(
        decode(&app.clipboard.take().expect("copied")),
        "zhang.wei@gzairport.example"
    );
    assert!(app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("copied the emails"));
    keys(&mut app, "y");
    crate::type_text(&mut app, "name");
    key(&mut app, "enter");
    assert_eq!(decode(&app.clipboard.take().unwrap()), "张伟");
    keys(&mut app, "y");
    crate::type_text(&mut app, "json");
    key(&mut app, "enter");
    let json: serde_json::Value =
        serde_json::from_str(&decode(&app.clipboard.take().unwrap())).unwrap();
    assert_eq!(json["id"], 1);
    assert_eq!(json["name"], "张伟");
}

/// ctrl-o goes back to the record opened before, ctrl-i (tab) forward again, as vim's jump
/// list; opening a record after going back drops the ones ahead.
#[test]
fn the_jump_list_walks_the_records_opened() {
    let shown = |app: &kith::tui::App| match crate::top(app) {
        kith::tui::app::Screen::Detail(d) => Some((d.entity, d.id)),
        _ => None,
    };
    let mut app = app();
    // Accounts: Acme, 广州白云, 广州空港, 深圳宝安.
    keys(&mut app, "2 enter esc j enter");
    assert_eq!(shown(&app), Some((Entity::Account, ids::AIRPORT)));
    key(&mut app, "ctrl-o");
    assert_eq!(shown(&app), Some((Entity::Account, ids::ACME)));
    key(&mut app, "tab");
    assert_eq!(shown(&app), Some((Entity::Account, ids::AIRPORT)));
    keys(&mut app, "ctrl-o ctrl-o");
    assert_eq!(shown(&app), Some((Entity::Account, ids::ACME)));
    assert!(app.status.as_ref().unwrap().error);
    // Back on Acme, open 深圳宝安: the airport ahead is dropped.
    keys(&mut app, "esc G enter");
    assert_eq!(shown(&app), Some((Entity::Account, ids::BAOAN)));
    key(&mut app, "ctrl-o");
    assert_eq!(shown(&app), Some((Entity::Account, ids::ACME)));
    key(&mut app, "ctrl-i");
    assert_eq!(shown(&app), Some((Entity::Account, ids::BAOAN)));
    // esc from a jumped-to record goes back to the list, not through every jump.
    key(&mut app, "esc");
    assert_eq!(shown(&app), None);
}
