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
