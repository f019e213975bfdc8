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
    // The notes are the account form's last field.
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
