//! Defects found while writing the interface tests, each kept as a test so it stays fixed.

use unicode_width::UnicodeWidthStr;

use crate::{keys, render, row_text};

fn after(spec: &str) -> kith::tui::App {
    let mut app = crate::app();
    keys(&mut app, spec);
    app
}

fn rows(app: &mut kith::tui::App, w: u16, h: u16) -> Vec<String> {
    let t = render(app, w, h);
    (0..h).map(|y| row_text(&t, y)).collect()
}

#[test]
fn today_shows_the_time_a_task_is_due() {
    let mut app = crate::app();
    let text = rows(&mut app, 80, 24);
    let line = text
        .iter()
        .find(|l| l.contains("Follow up with John"))
        .unwrap();
    assert!(line.contains("2026-11-22 16:00 "), "{line:?}");
}

#[test]
fn popups_keep_their_border_over_chinese_text() {
    let mut app = after("?");
    let t = render(&mut app, 120, 40);
    // The help popup is 76 wide, centred: it starts at column 22, rows 1 to 38.
    let buf = t.backend().buffer();
    for y in 1..39u16 {
        let left = buf[(21u16, y)].symbol();
        assert!(
            left.width() < 2,
            "row {y}: '{left}' at column 21 covers the popup's border at 22: {:?}",
            row_text(&t, y)
        );
    }
}

#[test]
fn lists_give_the_name_column_its_width() {
    // 120 wide: room to spare, yet deal titles are cut to 15 cells.
    let mut deals = after("5");
    let text = rows(&mut deals, 120, 40).join("\n");
    assert!(text.contains("Acme warehouse robots"), "{text}");
    // 80 wide: the subject is cut though the plan kept room for it.
    let mut acts = after("7");
    let text = rows(&mut acts, 80, 24).join("\n");
    assert!(text.contains("Call John about robots"), "{text}");
    // …and a date-time is cut mid-minute.
    let mut tasks = after("8");
    let text = rows(&mut tasks, 80, 24).join("\n");
    assert!(!text.contains("T16:0 "), "{text}");
}

#[test]
fn a_closed_deal_shows_when_it_closed_in_local_time() {
    // Deal 4, won, is last but one in the list of every deal.
    let mut app = after("5 / ctrl-u enter G k enter");
    let text = rows(&mut app, 120, 40);
    assert!(
        text.iter()
            .any(|l| l.contains("closed at      2026-11-22 10:00")),
        "{}",
        text.join("\n")
    );
}

#[test]
fn the_board_shows_each_columns_count_at_80_columns() {
    let mut app = after("6");
    let text = rows(&mut app, 80, 24);
    for want in ["qualification 1", "needs analysis 1", "proposal 1"] {
        assert!(text[2].contains(want), "{want:?} not in {:?}", text[2]);
    }
}

#[test]
fn wrapped_detail_values_stay_in_the_value_column() {
    let mut app = after("3 j enter");
    let text = rows(&mut app, 80, 24);
    assert!(
        !text.iter().any(|l| l.starts_with("│zhang.wei")),
        "{}",
        text.join("\n")
    );
}

/// A database from before kith refused control characters may hold them in a name: the
/// interface draws through ratatui, which leaves out every grapheme holding a control
/// character, so none reaches the terminal, on the list or in the detail view.
#[test]
fn control_characters_in_old_records_never_reach_the_terminal() {
    use kith::model::Entity;
    let mut crm = crate::crm();
    let bad = "\u{1b}]0;pwned\u{7}Evil\u{9b}2J\u{8}";
    crm.write(|w, _| {
        w.update(
            Entity::Account,
            crate::ids::ACME,
            &vec![("name".into(), serde_json::json!(bad))],
        )
    })
    .unwrap();
    let mut app = kith::tui::App::new(crm, kith::tui::Keymap::default(), false).unwrap();
    for spec in ["2", "5"] {
        keys(&mut app, spec);
        let t = render(&mut app, 120, 40);
        let buf = t.backend().buffer();
        let controls: Vec<&str> = buf
            .content()
            .iter()
            .map(|c| c.symbol())
            .filter(|s| s.contains(char::is_control))
            .collect();
        assert_eq!(controls, Vec::<&str>::new(), "after {spec}");
        let text: Vec<String> = (0..40).map(|y| row_text(&t, y)).collect();
        assert!(
            text.iter().any(|l| l.contains("]0;pwnedEvil")),
            "after {spec}:\n{}",
            text.join("\n")
        );
    }
    // Its detail view shows the name the same way.
    app.open(Entity::Account, crate::ids::ACME).unwrap();
    let t = render(&mut app, 120, 40);
    let text: Vec<String> = (0..40).map(|y| row_text(&t, y)).collect();
    assert!(
        text.iter().any(|l| l.contains("]0;pwnedEvil")),
        "{}",
        text.join("\n")
    );
    assert!(!t
        .backend()
        .buffer()
        .content()
        .iter()
        .any(|c| c.symbol().contains(char::is_control)));
}
