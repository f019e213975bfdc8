//! Snapshots of every screen, at 80×24 and 120×40, without colour.

use kith::tui::App;

use crate::{app, highlighted, key, keys, render, type_text};

/// Draw the app at both sizes and compare with the stored snapshots `<name>_80x24` and
/// `<name>_120x40`. The text snapshot shows no styles, so `selected` (when given) is
/// checked apart: some reversed row must hold it at both sizes.
fn snap_selected(app: &mut App, name: &str, selected: Option<&str>) {
    for (w, h) in [(80, 24), (120, 40)] {
        let terminal = render(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
        if let Some(want) = selected {
            let rows = highlighted(&terminal);
            assert!(
                rows.iter().any(|r| r.contains(want)),
                "{name}_{w}x{h}: no reversed row holds {want:?}; reversed: {rows:?}"
            );
        }
    }
}

fn snap(app: &mut App, name: &str) {
    snap_selected(app, name, None);
}

/// An app after some keys.
fn after(spec: &str) -> App {
    let mut app = app();
    keys(&mut app, spec);
    app
}

#[test]
fn today() {
    snap_selected(&mut app(), "today", Some("发送报价单"));
}

#[test]
fn today_with_a_later_row_selected() {
    snap_selected(
        &mut after("j j j"),
        "today_selected_deal",
        Some("Acme warehouse robots"),
    );
}

#[test]
fn accounts() {
    snap_selected(&mut after("2 j"), "accounts", Some("广州白云国际机场"));
}

#[test]
fn accounts_filtered() {
    let mut app = after("2 /");
    type_text(&mut app, "机场");
    snap_selected(&mut app, "accounts_filter", Some("广州白云国际机场"));
}

#[test]
fn accounts_sorted() {
    let mut app = after("2 s");
    type_text(&mut app, "city");
    keys(&mut app, "enter S");
    snap_selected(&mut app, "accounts_sorted", Some("深圳宝安国际机场"));
}

#[test]
fn contacts() {
    snap_selected(&mut after("3"), "contacts", Some("John Smith"));
}

#[test]
fn leads() {
    snap_selected(&mut after("4"), "leads", Some("陈静"));
}

#[test]
fn deals() {
    // Every deal (the list opens on the open ones), the last selected.
    snap_selected(&mut after("5 / ctrl-u enter G"), "deals", Some("45,000"));
}

#[test]
fn activities() {
    snap_selected(&mut after("7"), "activities", Some("拜访白云机场信息"));
}

#[test]
fn tasks() {
    snap_selected(&mut after("8 j"), "tasks", Some("Follow up with J"));
}

#[test]
fn board() {
    snap_selected(&mut after("6 l"), "board", Some("Acme warehouse"));
}

#[test]
fn board_last_column() {
    snap_selected(
        &mut after("6 l l l l l"),
        "board_lost",
        Some("Acme spare par"),
    );
}

#[test]
fn account_detail() {
    // The airport: a parent of a branch, with contacts, deals, activities and tasks.
    snap_selected(&mut after("2 j enter"), "account_detail", Some("李娜"));
}

#[test]
fn deal_detail() {
    // The open deal in proposal: its detail shows no UTC stamps.
    snap_selected(
        &mut after("5 enter"),
        "deal_detail",
        Some("account: Acme Robotics Ltd"),
    );
}

#[test]
fn new_deal_form() {
    let mut app = after("5 n");
    type_text(&mut app, "机场贵宾室改造");
    keys(&mut app, "tab enter");
    type_text(&mut app, "白云");
    // Picked: the focus is now on contact; on to amount.
    keys(&mut app, "enter tab");
    type_text(&mut app, "500000");
    // cost, currency, pipeline, stage, probability, expected close
    keys(&mut app, "tab tab tab tab tab tab");
    type_text(&mut app, "next fri");
    snap_selected(&mut app, "deal_form", Some("next fri"));
}

#[test]
fn form_with_an_error() {
    let mut app = after("2 n");
    type_text(&mut app, "Test Co");
    keys(&mut app, "tab tab tab");
    type_text(&mut app, "D");
    key(&mut app, "ctrl-s");
    snap_selected(&mut app, "account_form_error", Some("D"));
}

#[test]
fn help() {
    snap(&mut after("?"), "help");
}

#[test]
fn palette() {
    let mut app = after(":");
    type_text(&mut app, "new");
    snap_selected(&mut app, "palette", Some("new  n"));
}

#[test]
fn goto_hint() {
    snap(&mut after("2 g"), "goto_hint");
}

#[test]
fn finder() {
    let mut app = after("ctrl-p");
    type_text(&mut app, "机场");
    snap_selected(&mut app, "finder", Some("广州白云国际机场  account"));
}

#[test]
fn confirm() {
    snap(&mut after("2 G d"), "confirm");
}

#[test]
fn lost_prompt() {
    let mut app = after("6 L");
    type_text(&mut app, "price");
    snap(&mut app, "lost_prompt");
}

#[test]
fn acme_detail() {
    snap_selected(&mut after("2 enter"), "acme_detail", Some("John Smith"));
}

#[test]
fn contact_detail() {
    snap_selected(
        &mut after("3 G enter"),
        "contact_detail",
        Some("广州白云国际机场"),
    );
}

#[test]
fn accounts_nothing_matches() {
    let mut app = after("2 /");
    type_text(&mut app, "tier:C 白云");
    snap(&mut app, "accounts_no_match");
}

/// Below 80×24 the screens are cramped, but drawing never panics.
#[test]
fn tiny_terminals_never_crash_the_interface() {
    for spec in [
        "",
        "2",
        "5",
        "6",
        "2 enter",
        "5 enter",
        "2 n",
        "?",
        ":",
        "ctrl-p",
        "2 /",
        "6 L",
        "2 d",
        "9",
        "9 j",
        "9 j j",
        "9 j j j",
        "9 j j j j",
        "9 j j j j j",
        "9 G",
        "9 /",
    ] {
        for (w, h) in [(1, 1), (2, 2), (10, 3), (20, 5), (40, 10), (79, 23)] {
            let mut app = crate::app();
            crate::keys(&mut app, spec);
            let _ = crate::render(&mut app, w, h);
        }
    }
}

#[test]
fn reports_pipeline() {
    snap_selected(&mut after("9"), "reports_pipeline", Some("pipeline"));
}

#[test]
fn reports_forecast() {
    // Bars per period, the weighted amount as a sparkline.
    snap_selected(&mut after("9 j"), "reports_forecast", Some("forecast"));
}

#[test]
fn reports_leads() {
    // A Chinese source name in the table and in the chart's labels.
    snap_selected(&mut after("9 G k k k k"), "reports_leads", Some("leads"));
}
