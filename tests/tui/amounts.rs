//! Amounts in the interface: a form takes them the Chinese way (12万, 五十万), refuses one
//! it cannot read with the nearest form, and with `--amounts wan` every screen shows them
//! in 万 (lists, the detail view, the board's sums, Today, reports and their bars).
//!
//! How amounts are shown is the process's, so the 万 test runs in a child process of this
//! test binary (the other tests, on other threads, keep the grouped amounts).

use kith::model::Entity;
use kith::tui::app::Screen;

use crate::{app, frame_text, ids, in_child, key, keys, top, type_text};

/// Run `test` (this module's test of that name) in a child process showing amounts in 万.
fn in_wan(test: &str) -> bool {
    in_child(&format!("amounts::{test}"), || {
        kith::core::money::set_amounts(kith::core::money::Amounts::Wan);
    })
}

/// Focus the form's field `name` (tab from the first).
fn focus(app: &mut kith::tui::App, name: &str) {
    for _ in 0..40 {
        match top(app) {
            Screen::Form(f) if f.fields[f.focus].name == name => return,
            Screen::Form(_) => key(app, "tab"),
            _ => panic!("no form on top"),
        }
    }
    panic!("no field {name} in the form");
}

fn amount_of(app: &kith::tui::App, title: &str) -> Option<f64> {
    crate::all(&app.crm, Entity::Deal)
        .into_iter()
        .find(|d| d.label() == title)
        .and_then(|d| d.f64("amount"))
}

#[test]
fn a_deal_form_takes_a_chinese_amount_and_names_the_nearest_form_of_a_bad_one() {
    let mut app = app();
    keys(&mut app, "5 n");
    type_text(&mut app, "安检二期");
    focus(&mut app, "amount");
    type_text(&mut app, "五十万x");
    key(&mut app, "ctrl-s");
    // Not saved: the form stays, saying what to write.
    assert!(matches!(top(&app), Screen::Form(_)));
    let s = app.status.clone().unwrap();
    assert!(s.error);
    assert!(
        s.text
            .contains("'五十万x' is not an amount kith can read; did you mean 五十万 (500,000)?"),
        "{}",
        s.text
    );
    assert_eq!(amount_of(&app, "安检二期"), None);
    // Mended: 五十万 is 500,000.
    for _ in 0.."五十万x".chars().count() {
        key(&mut app, "backspace");
    }
    type_text(&mut app, "1.2万");
    key(&mut app, "ctrl-s");
    assert!(matches!(top(&app), Screen::Detail(_)), "saved");
    assert_eq!(amount_of(&app, "安检二期"), Some(12_000.0));
}

#[test]
fn every_screen_shows_amounts_in_wan() {
    if !in_wan("every_screen_shows_amounts_in_wan") {
        return;
    }
    // The open deals: 1,280,000, 350,000 and 860,000.
    let mut app = app();
    key(&mut app, "5");
    let list = frame_text(&mut app, 120, 24);
    for want in ["128万", "35万", "86万"] {
        assert!(list.contains(want), "list: no {want}\n{list}");
    }
    assert!(!list.contains("1,280,000"), "{list}");
    // The detail view of the security upgrade.
    app.open(Entity::Deal, ids::SECURITY).unwrap();
    let detail = frame_text(&mut app, 120, 30);
    assert!(detail.contains("128万"), "detail:\n{detail}");
    assert!(!detail.contains("1,280,000"), "{detail}");
    // The board's sums.
    key(&mut app, "6");
    let board = frame_text(&mut app, 160, 30);
    assert!(board.contains("128万"), "board:\n{board}");
    assert!(board.contains("35万"), "board:\n{board}");
    // Today's pipeline.
    key(&mut app, "1");
    let today = frame_text(&mut app, 120, 30);
    assert!(today.contains("128万"), "today:\n{today}");
    // The pipeline report: its table and its bars.
    key(&mut app, "9");
    let reports = frame_text(&mut app, 120, 40);
    assert!(reports.contains("128万"), "reports:\n{reports}");
    assert!(reports.contains("64万"), "weighted, reports:\n{reports}");
    assert!(!reports.contains("1,280,000"), "{reports}");
    assert!(!reports.contains("1.28M"), "{reports}");
}
