//! Forms, prompts and text fields: what a new record starts with, answers that do not
//! validate, the cursor and the editing keys, and a database locked by another program.

use kith::model::Entity;
use kith::tui::app::Form;
use kith::tui::app::{Pending, Popup, Screen};
use kith::tui::keymap::Action;

use crate::{app, frame_text, ids, key, keys, top, type_text};

fn form(app: &kith::tui::App) -> &Form {
    match top(app) {
        Screen::Form(f) => f,
        _ => panic!("no form on top"),
    }
}

/// `t` on an activity's detail view: the task carries the activity's account, contact and
/// deal (it used to carry nothing, an activity not being a kind one links to).
#[test]
fn a_follow_up_from_an_activity_carries_its_links() {
    let mut app = app();
    // Activity 2: the call with John about the robots deal.
    app.open(Entity::Activity, 2).unwrap();
    key(&mut app, "t");
    let f = form(&app);
    assert_eq!(f.entity, Entity::Task);
    assert_eq!(f.value("due"), "tomorrow");
    assert_eq!(f.value("contact"), "John Smith");
    assert_eq!(f.value("deal"), "Acme warehouse robots");
    assert_eq!(f.value("account"), "Acme Robotics Ltd");
}

/// `a` on a task of Today: the activity carries the task's account.
#[test]
fn an_activity_from_a_task_on_today_carries_its_account() {
    let mut app = app();
    // The first row of Today: the overdue task of the airport.
    key(&mut app, "a");
    let f = form(&app);
    assert_eq!(f.entity, Entity::Activity);
    assert_eq!(f.value("kind"), "call");
    assert_eq!(f.value("account"), "广州白云国际机场");
    assert_eq!(f.value("contact"), "");
    assert_eq!(f.fields[f.focus].name, "subject");
}

/// A new record made from a deal's detail view (the palette's `new task`) carries the
/// deal, its account and its contact; `n` in a list carries nothing.
#[test]
fn a_new_record_from_a_detail_view_carries_its_links() {
    let mut app = app();
    app.open(Entity::Deal, ids::SECURITY).unwrap();
    app.act(Action::NewOf(Entity::Task)).unwrap();
    let f = form(&app);
    assert_eq!(f.value("deal"), "航站楼安检系统升级");
    assert_eq!(f.value("account"), "广州白云国际机场");
    assert_eq!(f.value("contact"), "张伟");
    // A contact's detail: a new deal for the contact and the contact's account.
    key(&mut app, "esc");
    key(&mut app, "esc");
    app.open(Entity::Contact, ids::LI_NA).unwrap();
    app.act(Action::NewOf(Entity::Deal)).unwrap();
    let f = form(&app);
    assert_eq!(f.value("contact"), "李娜");
    assert_eq!(f.value("account"), "广州白云国际机场");
    let mut app = crate::app();
    keys(&mut app, "5 n");
    let f = form(&app);
    assert_eq!((f.value("account"), f.value("contact")), ("", ""));
}

/// `L` then enter: the question stays open with why beside it, and the next keys go to it
/// (they used to go to the board: `j` moved the selection).
#[test]
fn an_empty_answer_keeps_the_question_open() {
    let mut app = app();
    keys(&mut app, "6 L enter");
    let Some(Popup::Prompt { error, then, .. }) = &app.popup else {
        panic!("the question closed")
    };
    assert_eq!(error.as_deref(), Some("a lost deal needs a reason"));
    assert_eq!(*then, Pending::Lost(ids::BAGGAGE));
    assert!(app.status.as_ref().is_some_and(|s| s.error));
    let text = frame_text(&mut app, 80, 24);
    assert!(text.contains("✗ a lost deal needs a reason"), "{text}");
    // A space is no reason either.
    keys(&mut app, "space enter");
    assert!(matches!(app.popup, Some(Popup::Prompt { .. })));
    keys(&mut app, "backspace j");
    let Some(Popup::Prompt { error, input, .. }) = &app.popup else {
        panic!("the question closed")
    };
    assert_eq!(input, "j", "typed into the answer");
    assert_eq!(*error, None, "typing clears the message");
    key(&mut app, "backspace");
    type_text(&mut app, "price");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    let d = app.crm.get(Entity::Deal, ids::BAGGAGE).unwrap();
    assert_eq!(
        (d.text("status"), d.text("reason")),
        ("lost".into(), "price".into())
    );
}

/// The column of a symbol on a row of the frame (cells, as the cursor counts them).
fn column_of(t: &ratatui::Terminal<ratatui::backend::TestBackend>, y: u16, sym: &str) -> u16 {
    let buf = t.backend().buffer();
    (0..buf.area.width)
        .find(|&x| buf[(x, y)].symbol() == sym)
        .unwrap_or_else(|| panic!("no {sym:?} on row {y}: {:?}", crate::row_text(t, y)))
}

fn cursor(t: &mut ratatui::Terminal<ratatui::backend::TestBackend>) -> (u16, u16) {
    let p = t.get_cursor_position().unwrap();
    (p.x, p.y)
}

/// A field has a cursor: the arrows, home/end and ctrl-a/ctrl-e move it, typing and
/// deleting happen there, and it is drawn at its column after Chinese characters.
#[test]
fn a_form_field_has_a_cursor() {
    let mut app = app();
    keys(&mut app, "2 n");
    type_text(&mut app, "广州白云");
    keys(&mut app, "left left");
    type_text(&mut app, "x");
    assert_eq!(form(&app).value("name"), "广州x白云");
    let mut t = crate::render(&mut app, 80, 24);
    // The name is the form's first row (under the tabs and the border).
    assert_eq!(cursor(&mut t), (column_of(&t, 2, "白"), 2));
    keys(&mut app, "home delete ctrl-e backspace");
    assert_eq!(form(&app).value("name"), "州x白");
    keys(&mut app, "ctrl-a right");
    let mut t = crate::render(&mut app, 80, 24);
    assert_eq!(cursor(&mut t), (column_of(&t, 2, "x"), 2));
    // ctrl-w deletes a run of one class of characters, not the whole field.
    keys(&mut app, "ctrl-e ctrl-u");
    type_text(&mut app, "报价单 for Acme公司");
    key(&mut app, "ctrl-w");
    assert_eq!(form(&app).value("name"), "报价单 for Acme");
    keys(&mut app, "ctrl-w ctrl-w");
    assert_eq!(form(&app).value("name"), "报价单 ");
    // The same keys in the filter line, drawn with its cursor.
    let mut app = crate::app();
    keys(&mut app, "2 /");
    type_text(&mut app, "广州 空港");
    keys(&mut app, "alt-b left");
    type_text(&mut app, "x");
    let Some(Popup::Filter { input, .. }) = &app.popup else {
        panic!("no filter line")
    };
    assert_eq!(input, "广州x 空港");
    let mut t = crate::render(&mut app, 80, 24);
    // After "/", 广州 (four columns) and x.
    assert_eq!(cursor(&mut t), (6, 23));
}

/// Notes, descriptions and an activity's body take several lines: enter adds one, up and
/// down move between them (past the first or last line, to the next field), the field
/// shows its lines, and they are saved.
#[test]
fn a_multi_line_field_takes_lines() {
    let mut app = app();
    keys(&mut app, "2 n");
    type_text(&mut app, "Test Co");
    // The notes come before the account form's last field, its price list.
    key(&mut app, "shift-tab");
    key(&mut app, "shift-tab");
    assert_eq!(form(&app).fields[form(&app).focus].name, "notes");
    type_text(&mut app, "第一行");
    key(&mut app, "enter");
    type_text(&mut app, "second line");
    assert_eq!(form(&app).value("notes"), "第一行\nsecond line");
    let mut t = crate::render(&mut app, 80, 30);
    let rows: Vec<String> = (0..30).map(|y| crate::row_text(&t, y)).collect();
    let first = rows
        .iter()
        .position(|r| r.contains("notes  第一行"))
        .unwrap();
    assert!(
        rows[first + 1].contains("       second line"),
        "{}",
        rows.join("\n")
    );
    let (x, y) = cursor(&mut t);
    assert_eq!(y as usize, first + 1);
    assert_eq!(x, column_of(&t, y, "s") + "second line".len() as u16);
    // Up: to the first line, at the column nearest; up again: the field before.
    key(&mut app, "up");
    type_text(&mut app, "!");
    assert_eq!(form(&app).value("notes"), "第一行!\nsecond line");
    keys(&mut app, "up");
    assert_eq!(form(&app).fields[form(&app).focus].name, "tags");
    key(&mut app, "ctrl-s");
    let acme = crate::all(&app.crm, Entity::Account)
        .into_iter()
        .find(|a| a.label() == "Test Co")
        .unwrap();
    assert_eq!(acme.text("notes"), "第一行!\nsecond line");
}

/// esc on a form with changes asks first; a form as it opened (prefilled or not) closes at
/// once.
#[test]
fn esc_on_a_changed_form_asks_before_discarding() {
    let mut app = app();
    keys(&mut app, "2 n");
    type_text(&mut app, "Test Co");
    key(&mut app, "esc");
    let Some(Popup::Confirm { then, message }) = &app.popup else {
        panic!("no question")
    };
    assert_eq!(*then, Pending::Discard);
    assert_eq!(message, "Discard the changes to this form? (y/n)");
    assert!(crate::frame_text(&mut app, 80, 24).contains("Discard the changes"));
    // n: back to the form, as it was.
    key(&mut app, "n");
    assert!(app.popup.is_none());
    assert_eq!(form(&app).value("name"), "Test Co");
    keys(&mut app, "esc y");
    assert!(matches!(top(&app), Screen::List(_)));
    assert_eq!(app.status.as_ref().unwrap().text, "not saved");
    // A quick action's form, prefilled and untouched: esc closes it at once.
    key(&mut app, "a");
    assert!(matches!(top(&app), Screen::Form(_)));
    key(&mut app, "esc");
    assert!(app.popup.is_none());
    assert!(matches!(top(&app), Screen::List(_)));
    // An edit changed then changed back is unchanged.
    key(&mut app, "e");
    type_text(&mut app, "x");
    key(&mut app, "backspace");
    key(&mut app, "esc");
    assert!(app.popup.is_none());
    assert!(matches!(top(&app), Screen::List(_)));
}

/// ctrl-x asks for the focused field in $EDITOR; what the editor made replaces it (the
/// line end editors add taken off); a one-line field gets its lines joined.
#[test]
fn ctrl_x_edits_the_field_in_the_editor() {
    let mut app = app();
    keys(&mut app, "2 n");
    type_text(&mut app, "Test Co");
    assert_eq!(app.editor_request(), None);
    key(&mut app, "ctrl-x");
    assert_eq!(app.editor_request().as_deref(), Some("Test Co"));
    assert_eq!(app.editor_request(), None, "asked once");
    app.editor_done(Ok("Test Company\nLtd\n".into()));
    assert_eq!(form(&app).value("name"), "Test Company Ltd");
    // To the notes, before the price list.
    key(&mut app, "shift-tab");
    key(&mut app, "shift-tab");
    key(&mut app, "ctrl-x");
    assert_eq!(app.editor_request().as_deref(), Some(""));
    app.editor_done(Ok("line 1\nline 2\n\n".into()));
    assert_eq!(form(&app).value("notes"), "line 1\nline 2");
    // An editor that failed leaves the field, and says why.
    key(&mut app, "ctrl-x");
    let _ = app.editor_request();
    app.editor_done(Err(kith::core::error::Error::failed("the editor failed")));
    assert_eq!(form(&app).value("notes"), "line 1\nline 2");
    assert!(app.status.as_ref().unwrap().error);
}

/// An app on a database in a file (another connection can lock it), with the fixture's
/// clock and one account.
fn app_on_file(path: &std::path::Path) -> kith::tui::App {
    let mut crm = kith::app::crm::Crm::new(kith::store::Store::open(path).unwrap(), crate::env());
    crm.ensure_setup().unwrap();
    crm.create(
        Entity::Account,
        &kith::app::crm::Input::new().with("name", "Acme Robotics Ltd"),
    )
    .unwrap();
    crm.create(
        Entity::Deal,
        &kith::app::crm::Input::new()
            .with("title", "Robots")
            .with("account", "#1"),
    )
    .unwrap();
    kith::tui::App::new(crm, kith::tui::Keymap::default(), false).unwrap()
}

/// Another program holds the write lock (`BEGIN IMMEDIATE`): the lock taken from a second
/// connection.
fn lock(path: &std::path::Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    c
}

fn status_row(app: &mut kith::tui::App) -> String {
    let t = crate::render(app, 80, 24);
    crate::row_text(&t, 23)
}

fn account_names(app: &kith::tui::App) -> Vec<String> {
    crate::all(&app.crm, Entity::Account)
        .iter()
        .map(|a| a.label().to_string())
        .collect()
}

/// A save while another program writes does not freeze the interface for the busy timeout:
/// it returns at once, the frame says it waits (a spinner that turns as the ticks try again)
/// and the save lands once the lock is gone.
#[test]
fn a_save_waits_for_a_locked_database_and_the_screen_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    let mut app = app_on_file(&path);
    let other = lock(&path);
    keys(&mut app, "2 n");
    type_text(&mut app, "Locked Co");
    let started = std::time::Instant::now();
    key(&mut app, "ctrl-s");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "the key took {:?}",
        started.elapsed()
    );
    assert!(app.waiting.is_some());
    assert!(matches!(top(&app), Screen::Form(_)), "the form stays");
    let first = status_row(&mut app);
    assert!(first.contains("waiting for the database"), "{first}");
    assert!(first.contains("esc cancels"), "{first}");
    // The event loop's ticks try again and draw; keys other than esc wait.
    let started = std::time::Instant::now();
    app.tick();
    key(&mut app, "x");
    app.tick();
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let later = status_row(&mut app);
    assert!(later.contains("waiting for the database"), "{later}");
    assert_ne!(
        first.chars().next(),
        later.chars().next(),
        "the spinner turns"
    );
    assert_eq!(form(&app).value("name"), "Locked Co", "x waited, not typed");
    assert_eq!(account_names(&app), ["Acme Robotics Ltd"]);
    // The other program is done: the next tick saves.
    other.execute_batch("COMMIT").unwrap();
    app.tick();
    assert!(app.waiting.is_none());
    assert_eq!(account_names(&app), ["Acme Robotics Ltd", "Locked Co"]);
    assert!(
        matches!(top(&app), Screen::Detail(_)),
        "the new record opens"
    );
    assert_eq!(app.status.as_ref().unwrap().text, "account 2 created");
}

/// esc gives the wait up: nothing is written, the form is there with what was typed; a
/// question comes back with its answer. A wait past its patience says so.
#[test]
fn a_waiting_write_can_be_cancelled_and_gives_up_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.db");
    let mut app = app_on_file(&path);
    let other = lock(&path);
    keys(&mut app, "2 n");
    type_text(&mut app, "Locked Co");
    key(&mut app, "ctrl-s");
    assert!(app.waiting.is_some());
    key(&mut app, "esc");
    assert!(app.waiting.is_none());
    assert_eq!(form(&app).value("name"), "Locked Co");
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "cancelled: nothing was written"
    );
    assert!(!status_row(&mut app).contains("waiting"));
    other.execute_batch("COMMIT").unwrap();
    app.tick();
    assert_eq!(account_names(&app), ["Acme Robotics Ltd"]);

    // A wait that runs out of patience.
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    app.write_patience = std::time::Duration::ZERO;
    key(&mut app, "ctrl-s");
    assert!(app.waiting.is_some());
    app.tick();
    assert!(app.waiting.is_none());
    let s = app.status.clone().unwrap();
    assert!(s.error);
    assert_eq!(
        s.text,
        "the database is still locked by another program after 0 s: nothing was written; try again"
    );
    assert_eq!(form(&app).value("name"), "Locked Co");

    // Trash, behind its confirmation: esc brings nothing back but the screen.
    app.write_patience = std::time::Duration::from_secs(30);
    keys(&mut app, "esc y");
    keys(&mut app, "d y");
    assert!(app.waiting.is_some());
    key(&mut app, "esc");
    assert!(app.popup.is_none());
    // The question of a lost deal comes back with its answer.
    keys(&mut app, "5 L");
    type_text(&mut app, "price");
    key(&mut app, "enter");
    assert!(app.waiting.is_some());
    assert!(app.popup.is_none());
    key(&mut app, "esc");
    let Some(Popup::Prompt { input, .. }) = &app.popup else {
        panic!("the question is gone")
    };
    assert_eq!(input, "price");
    other.execute_batch("COMMIT").unwrap();
    app.tick();
    assert_eq!(account_names(&app), ["Acme Robotics Ltd"]);
    assert_eq!(crate::all(&app.crm, Entity::Deal)[0].text("status"), "open");
    // Now it goes through.
    key(&mut app, "enter");
    assert_eq!(crate::all(&app.crm, Entity::Deal)[0].text("status"), "lost");
}

/// enter in a picker that matches nothing keeps it open with what was typed (it used to
/// close it, and the typing was lost).
#[test]
fn a_picker_that_matches_nothing_stays_open_on_enter() {
    let mut app = app();
    keys(&mut app, "5 n tab enter");
    assert!(matches!(app.popup, Some(Popup::Pick(_))));
    type_text(&mut app, "zzzz");
    key(&mut app, "enter");
    let Some(Popup::Pick(p)) = &app.popup else {
        panic!("the picker closed")
    };
    assert_eq!(p.input, "zzzz");
    keys(&mut app, "ctrl-u");
    type_text(&mut app, "白云");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    assert_eq!(form(&app).value("account"), "广州白云国际机场");
}
