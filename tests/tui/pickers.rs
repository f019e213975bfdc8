//! A form's pickers that narrow: once the form names an account, the contact, deal …
//! pickers list that account's records first, under its name; and the choosers of fields
//! with fixed values.

use kith::model::Entity;
use kith::tui::app::{Form, Pick, Picker, Popup, Screen};

use crate::{app, frame_text, ids, key, keys, top, type_text};

fn form(app: &kith::tui::App) -> &Form {
    match top(app) {
        Screen::Form(f) => f,
        _ => panic!("no form on top"),
    }
}

fn picker(app: &kith::tui::App) -> &Picker<Pick> {
    match &app.popup {
        Some(Popup::Pick(p)) => p,
        _ => panic!("no picker open"),
    }
}

/// The labels shown, in order, each with its group's heading.
fn shown(p: &Picker<Pick>) -> Vec<(String, String)> {
    p.shown
        .iter()
        .map(|&i| {
            let heading = p.groups.get(p.group(i)).cloned().unwrap_or_default();
            (heading, p.items[i].0.clone())
        })
        .collect()
}

/// Tab to the form's field of that name.
fn focus(app: &mut kith::tui::App, name: &str) {
    for _ in 0..40 {
        if form(app).fields[form(app).focus].name == name {
            return;
        }
        key(app, "tab");
    }
    panic!("no field {name}");
}

fn pair(heading: &str, label: &str) -> (String, String) {
    (heading.to_string(), label.to_string())
}

/// A new deal whose account is typed (a name that reads as a reference): the contact
/// picker lists the account's contacts first, under its name, then the others; typing
/// narrows both groups, the account's matches still first.
#[test]
fn the_contact_picker_offers_the_accounts_contacts_first() {
    let mut app = app();
    keys(&mut app, "5 n");
    focus(&mut app, "account");
    type_text(&mut app, "Acme");
    focus(&mut app, "contact");
    key(&mut app, "enter");
    let p = picker(&app);
    let rows = shown(p);
    assert_eq!(rows[0], pair("account · Acme Robotics Ltd", "John Smith"));
    assert_eq!(rows.len(), 4);
    assert!(rows[1..].iter().all(|(h, _)| h == "other contacts"));
    assert_eq!(p.groups, ["account · Acme Robotics Ltd", "other contacts"]);
    // The headings are drawn above their groups.
    let screen = frame_text(&mut app, 100, 30);
    let at = |s: &str| {
        screen
            .find(s)
            .unwrap_or_else(|| panic!("{s} not in\n{screen}"))
    };
    assert!(at("account · Acme Robotics Ltd") < at("John Smith"));
    assert!(at("John Smith") < at("other contacts"));
    assert!(at("other contacts") < at("张伟"));
    // Typing narrows: of the names, only John Smith has an "o".
    type_text(&mut app, "o");
    let rows = shown(picker(&app));
    assert_eq!(rows, [pair("account · Acme Robotics Ltd", "John Smith")]);
    key(&mut app, "enter");
    assert_eq!(form(&app).value("contact"), "John Smith");
    assert_eq!(
        form(&app).fields[form(&app).focus - 1].picked,
        Some(ids::JOHN)
    );
}

/// Typing narrows every group; the account's matches come before better matches of the
/// others.
#[test]
fn typing_keeps_the_accounts_matches_first() {
    let mut app = app();
    // A new task from the airport's detail view: its account is prefilled (by id).
    app.open(Entity::Account, ids::AIRPORT).unwrap();
    app.act(kith::tui::keymap::Action::NewOf(Entity::Task))
        .unwrap();
    assert_eq!(form(&app).value("account"), "广州白云国际机场");
    focus(&mut app, "deal");
    key(&mut app, "enter");
    let rows = shown(picker(&app));
    assert_eq!(
        rows[0],
        pair("account · 广州白云国际机场", "航站楼安检系统升级")
    );
    assert_eq!(rows.len(), 5);
    // "系统" is in the airport's deal and in 宝安's: the airport's first.
    type_text(&mut app, "系统");
    let rows = shown(picker(&app));
    assert_eq!(
        rows,
        [
            pair("account · 广州白云国际机场", "航站楼安检系统升级"),
            pair("other deals", "宝安机场行李系统"),
        ]
    );
    // Without an account the picker is one list, as before.
    let mut app = crate::app();
    keys(&mut app, "8 n");
    focus(&mut app, "deal");
    key(&mut app, "enter");
    let p = picker(&app);
    assert!(p.groups.is_empty());
    assert_eq!(p.shown.len(), 5);
}

/// A deal picker in a form that names a contact lists the contact's deals first, then
/// the rest of its account's, then the others; the account comes from the contact when
/// the form names none.
#[test]
fn the_deal_picker_offers_the_contacts_deals_first() {
    let mut app = app();
    keys(&mut app, "8 n");
    focus(&mut app, "contact");
    type_text(&mut app, "John");
    focus(&mut app, "deal");
    key(&mut app, "enter");
    let rows = shown(picker(&app));
    assert_eq!(
        rows[0],
        pair("contact · John Smith", "Acme warehouse robots")
    );
    assert_eq!(
        rows[1],
        pair("account · Acme Robotics Ltd", "Acme spare parts")
    );
    assert_eq!(rows.len(), 5);
    assert!(rows[2..].iter().all(|(h, _)| h == "other deals"));
}

/// The link a field holds is selected when its picker opens.
#[test]
fn a_link_picker_selects_what_the_field_holds() {
    let mut app = app();
    keys(&mut app, "5");
    app.act(kith::tui::keymap::Action::Edit).unwrap();
    // The first open deal by expected close: Acme warehouse robots, contact John.
    assert_eq!(form(&app).value("title"), "Acme warehouse robots");
    focus(&mut app, "account");
    key(&mut app, "enter");
    let p = picker(&app);
    assert_eq!(p.items[p.shown[p.selected]].0, "Acme Robotics Ltd");
}

/// enter on a field of fixed values opens its chooser, the value it holds selected;
/// typing narrows, enter chooses and moves on; esc closes it, keeping the value.
#[test]
fn fields_of_fixed_values_have_a_chooser() {
    let mut app = app();
    keys(&mut app, "2");
    app.act(kith::tui::keymap::Action::Edit).unwrap();
    let name = form(&app).value("name").to_string();
    focus(&mut app, "tier");
    let tier = form(&app).value("tier").to_string();
    key(&mut app, "enter");
    let p = picker(&app);
    assert_eq!(p.title, "choose tier");
    let labels: Vec<&str> = p.shown.iter().map(|&i| p.items[i].0.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C"]);
    assert_eq!(
        p.items[p.shown[p.selected]].0, tier,
        "the value held, of {name}"
    );
    // esc keeps the value.
    key(&mut app, "esc");
    assert!(app.popup.is_none());
    assert_eq!(form(&app).value("tier"), tier);
    assert_eq!(form(&app).fields[form(&app).focus].name, "tier");
    // Type to narrow, enter chooses and goes to the next field.
    key(&mut app, "enter");
    type_text(&mut app, "c");
    key(&mut app, "enter");
    assert_eq!(form(&app).value("tier"), "C");
    assert_ne!(form(&app).fields[form(&app).focus].name, "tier");
    // A value typed in part is where the chooser's narrowing starts.
    focus(&mut app, "type");
    keys(&mut app, "ctrl-u");
    type_text(&mut app, "dis");
    key(&mut app, "enter");
    let p = picker(&app);
    assert_eq!(p.input, "dis");
    assert_eq!(p.items[p.shown[0]].0, "distributor");
    key(&mut app, "enter");
    assert_eq!(form(&app).value("type"), "distributor");
    // Typing in the field itself still works, and saves as the command line checks it.
    focus(&mut app, "status");
    keys(&mut app, "ctrl-u");
    type_text(&mut app, "inactive");
    key(&mut app, "ctrl-s");
    // A word that is none of the values is refused at the field, as the command line does.
    assert_eq!(
        form(&app).fields[form(&app).focus].error.as_deref(),
        Some("'inactive' is not one of active, dormant, lost")
    );
    keys(&mut app, "ctrl-u");
    type_text(&mut app, "dormant");
    key(&mut app, "ctrl-s");
    let id = match top(&app) {
        Screen::List(l) => l.rows[l.selected].id(),
        _ => panic!("the form did not close"),
    };
    let saved = app.crm.get(Entity::Account, id).unwrap();
    assert_eq!(saved.label(), name);
    assert_eq!(
        (saved.text("tier"), saved.text("type"), saved.text("status")),
        ("C".into(), "distributor".into(), "dormant".into())
    );
}

/// Yes/no fields and a task's priority have choosers too; the focused field's hint says
/// enter chooses.
#[test]
fn yes_no_and_priority_choosers() {
    let mut app = app();
    keys(&mut app, "8 n");
    type_text(&mut app, "Call back");
    focus(&mut app, "priority");
    let screen = frame_text(&mut app, 100, 30);
    assert!(
        screen.contains("low | normal | high  (enter: choose)"),
        "{screen}"
    );
    key(&mut app, "enter");
    type_text(&mut app, "hi");
    key(&mut app, "enter");
    assert_eq!(form(&app).value("priority"), "high");
    focus(&mut app, "done");
    key(&mut app, "enter");
    let p = picker(&app);
    let labels: Vec<&str> = p.shown.iter().map(|&i| p.items[i].0.as_str()).collect();
    assert_eq!(labels, ["yes", "no"]);
    keys(&mut app, "down enter");
    assert_eq!(form(&app).value("done"), "no");
}

/// A custom field of type choice has a chooser too, and `E` lists its values.
#[test]
fn a_custom_choice_field_has_a_chooser() {
    let mut app = app();
    app.crm
        .add_field(&kith::app::fields::NewField {
            kind: "account".into(),
            name: "segment".into(),
            ty: "choice".into(),
            choices: vec!["gold".into(), "silver".into()],
            ..Default::default()
        })
        .unwrap();
    let text = app
        .crm
        .record_text(Entity::Account, ids::ACME)
        .unwrap()
        .text;
    assert!(
        text.ends_with("# one of: gold, silver\nsegment = \"\"\n"),
        "{text}"
    );
    keys(&mut app, "2 n");
    focus(&mut app, "segment");
    key(&mut app, "enter");
    let p = picker(&app);
    let labels: Vec<&str> = p.shown.iter().map(|&i| p.items[i].0.as_str()).collect();
    assert_eq!(labels, ["gold", "silver"]);
    keys(&mut app, "down enter");
    assert_eq!(form(&app).value("segment"), "silver");
}

/// In Chinese a chooser shows the values as Chinese says them, each with its stored word
/// (which narrows it too), and the field's hint says both; a value typed in the field as
/// Chinese says it is saved as its word.
#[test]
fn choosers_in_chinese_say_the_values_and_save_their_words() {
    let test = "pickers::choosers_in_chinese_say_the_values_and_save_their_words";
    if !crate::in_child(test, || assert!(kith::core::text::set_language("zh-CN"))) {
        return;
    }
    let mut app = app();
    keys(&mut app, "8 n");
    type_text(&mut app, "回电");
    focus(&mut app, "priority");
    let screen = frame_text(&mut app, 100, 30);
    assert!(
        screen.contains("低 low | 普通 normal | 高 high"),
        "{screen}"
    );
    key(&mut app, "enter");
    let p = picker(&app);
    let items: Vec<(&str, &str)> = p
        .shown
        .iter()
        .map(|&i| (p.items[i].0.as_str(), p.items[i].1.as_str()))
        .collect();
    assert_eq!(items, [("低", "low"), ("普通", "normal"), ("高", "high")]);
    // The stored word narrows it, as the Chinese does.
    type_text(&mut app, "hi");
    key(&mut app, "enter");
    assert_eq!(form(&app).value("priority"), "high");
    focus(&mut app, "priority");
    key(&mut app, "enter");
    type_text(&mut app, "低");
    key(&mut app, "enter");
    assert_eq!(form(&app).value("priority"), "low");
    // Typed as Chinese says it, saved as the word.
    focus(&mut app, "priority");
    keys(&mut app, "ctrl-u");
    type_text(&mut app, "普通");
    assert_eq!(form(&app).input().get("priority"), Some("normal"));
}
