//! Room in the interface: screens grouped, the go-to key (`g`, then a letter) with
//! its hint, the palette reaching every screen, the digits kept for the first screens,
//! and board cards that say when their text is cut.

use kith::app::crm::Input;
use kith::model::Entity;
use kith::tui::app::Popup;
use kith::tui::keymap::{Action, View};
use kith::tui::screens::{Group, PLACES};

use crate::{app, frame_text, key, keys, render, row_text, type_text};

#[test]
fn every_screen_has_a_group_a_unique_letter_and_the_palette_names_it() {
    let mut letters: Vec<char> = PLACES.iter().map(|p| p.goto).collect();
    letters.sort();
    letters.dedup();
    assert_eq!(letters.len(), PLACES.len(), "go-to letters are unique");
    let mut digits: Vec<char> = PLACES.iter().filter_map(|p| p.digit).collect();
    digits.sort();
    digits.dedup();
    assert_eq!(
        digits,
        vec!['1', '2', '3', '4', '5', '6', '7', '8', '9'],
        "the nine digits stay as they were"
    );
    // Every screen the actions can go to is in the table, and the other way round.
    let gone_to: Vec<View> = Action::all()
        .into_iter()
        .filter_map(|a| match a {
            Action::Go(v) => Some(v),
            _ => None,
        })
        .collect();
    assert_eq!(gone_to, PLACES.iter().map(|p| p.view).collect::<Vec<_>>());
    assert_eq!(
        Group::Sales.places().count(),
        8,
        "today, the six lists of the sales records and the board"
    );
    assert_eq!(
        Group::Reports
            .places()
            .map(|p| p.name())
            .collect::<Vec<_>>(),
        vec!["Reports"]
    );
    assert_eq!(
        Group::Service
            .places()
            .map(|p| p.name())
            .collect::<Vec<_>>(),
        vec!["Cases", "Surveys"]
    );
}

#[test]
fn the_go_to_key_then_a_letter_shows_every_screen() {
    let mut app = app();
    for p in PLACES {
        key(&mut app, "g");
        assert!(matches!(app.popup, Some(Popup::GoTo)), "{}", p.name());
        key(&mut app, &p.goto.to_string());
        assert!(app.popup.is_none());
        assert_eq!(app.view(), p.view, "g {} shows {}", p.goto, p.name());
        assert!(
            app.status.as_ref().is_none_or(|s| !s.error),
            "{:?}",
            app.status
        );
    }
    // From a detail view too: the screens above are forgotten.
    keys(&mut app, "2 enter");
    assert_eq!(app.screens.len(), 2);
    keys(&mut app, "g p");
    assert_eq!(app.view(), View::Board);
    assert_eq!(app.screens.len(), 1);
}

#[test]
fn the_go_to_hint_lists_the_screens_by_group() {
    let mut app = app();
    key(&mut app, "g");
    let text = frame_text(&mut app, 80, 24);
    assert!(text.contains("go to · esc to close"), "{text}");
    // The Sales group goes on two lines at 80 columns; Reports comes after it.
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| l.contains("Sales")).unwrap();
    let last = lines.iter().position(|l| l.contains("r Reports")).unwrap();
    assert!(last > first + 1, "{text}");
    let sales = lines[first..last].join("\n");
    for want in [
        "h Today",
        "a Accounts",
        "c Contacts",
        "l Leads",
        "d Deals",
        "p Pipeline",
        "v Activities",
        "t Tasks",
    ] {
        assert!(sales.contains(want), "{want} in {sales}");
    }
    let reports = text
        .lines()
        .find(|l| l.contains("r Reports"))
        .unwrap_or_else(|| panic!("no Reports line:\n{text}"));
    assert!(reports.contains("Reports"), "{reports}");
    // The Service group has its cases and surveys.
    assert!(text.contains("s Cases"), "{text}");
    assert!(text.contains("w Surveys"), "{text}");
    // esc closes the hint and changes nothing; the go-to key again goes to the top.
    key(&mut app, "esc");
    assert!(app.popup.is_none());
    assert_eq!(app.view(), View::Today);
    assert!(app.status.is_none(), "{:?}", app.status);
    keys(&mut app, "2");
    let first = app.selected();
    keys(&mut app, "j j");
    assert_ne!(app.selected(), first);
    keys(&mut app, "g g");
    assert!(app.popup.is_none());
    assert!(app.status.is_none(), "{:?}", app.status);
    assert_eq!(app.selected(), first, "g g is the top");
    key(&mut app, "1");
    // A key that names no screen closes the hint and says so.
    keys(&mut app, "g z");
    assert!(app.popup.is_none());
    assert_eq!(app.view(), View::Today);
    let status = app.status.clone().unwrap();
    assert!(status.error);
    assert!(status.text.contains("no screen on 'z'"), "{}", status.text);
}

#[test]
fn the_palette_reaches_every_screen() {
    let mut app = app();
    for p in PLACES {
        key(&mut app, ":");
        type_text(&mut app, &p.name().to_lowercase());
        let text = frame_text(&mut app, 120, 40);
        assert!(
            text.contains(p.group.name()),
            "the palette says {}'s group:\n{text}",
            p.name()
        );
        key(&mut app, "enter");
        assert_eq!(app.view(), p.view, "palette '{}':\n{text}", p.name());
    }
}

#[test]
fn the_digits_still_show_the_first_screens() {
    let mut app = app();
    for p in PLACES {
        if let Some(d) = p.digit {
            key(&mut app, &d.to_string());
            assert_eq!(app.view(), p.view, "{d}");
        }
    }
}

#[test]
fn help_lists_the_go_to_letters() {
    let mut app = app();
    assert_eq!(app.keymap.keys_for(Action::GoTo), "g");
    assert_eq!(app.keymap.keys_for(Action::Top), "home, g g");
    assert_eq!(
        app.keymap.keys_for(Action::Go(View::List(Entity::Account))),
        "2, g a"
    );
    key(&mut app, "?");
    let mut text = String::new();
    for _ in 0..16 {
        text.push_str(&frame_text(&mut app, 120, 40));
        keys(&mut app, "pgdn");
    }
    assert!(text.contains("Go to: g, then"), "{text}");
}

#[test]
fn a_go_to_letter_survives_rebinding_the_screen_s_digit() {
    let mut o = std::collections::BTreeMap::new();
    o.insert(
        "accounts".to_string(),
        kith::tui::keymap::KeySpec::One("A".into()),
    );
    let map = kith::tui::Keymap::with_overrides(&o).unwrap();
    assert_eq!(
        map.keys_for(Action::Go(View::List(Entity::Account))),
        "A, g a"
    );
    let mut app = kith::tui::App::new(crate::crm(), map, false).unwrap();
    keys(&mut app, "g a");
    assert_eq!(app.view(), View::List(Entity::Account));
    keys(&mut app, "1 A");
    assert_eq!(app.view(), View::List(Entity::Account));
}

#[test]
fn board_cards_end_in_an_ellipsis_when_cut() {
    let mut app = app();
    for title in [
        "Cargo terminal lease",
        "广州白云机场货运站扩建工程",
        "Short",
    ] {
        let input = Input::new()
            .with("title", title)
            .with("account", "#2")
            .with("amount", "5000")
            .with("stage", "qualification");
        app.crm.create(Entity::Deal, &input).unwrap();
    }
    key(&mut app, "6");
    // At 80 columns each of four columns has 18 cells inside its border.
    let terminal = render(&mut app, 80, 24);
    let rows: Vec<String> = (0..24).map(|y| row_text(&terminal, y)).collect();
    let all = rows.join("\n");
    assert!(all.contains("│Cargo terminal le…│"), "{all}");
    assert!(!all.contains("Cargo terminal lea│"), "{all}");
    // 13 wide characters are 26 cells: 8 fit before the ellipsis (16 + 1 cells).
    assert!(all.contains("│广州白云机场货运… │"), "{all}");
    assert!(all.contains("│Short             │"), "{all}");
    // Titles that fit keep their whole text and no ellipsis.
    assert!(all.contains("│宝安机场行李系统  │"), "{all}");
    // Wider, the same title fits whole.
    let wide = frame_text(&mut app, 200, 40);
    assert!(wide.contains("Cargo terminal lease"), "{wide}");
}

#[test]
fn no_interface_file_names_the_store() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut files = vec![root.clone()];
    let mut checked = 0;
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for bad in ["crate::store", ".reader()", "read_on_thread"] {
            assert!(
                !text.contains(bad),
                "{} names {bad}: the interface reads through Crm",
                p.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} files");
}

#[test]
fn the_board_and_forms_name_the_keys_as_they_are_bound() {
    let mut o = std::collections::BTreeMap::new();
    o.insert(
        "won".to_string(),
        kith::tui::keymap::KeySpec::One("ctrl-w".into()),
    );
    o.insert(
        "save".to_string(),
        kith::tui::keymap::KeySpec::One("f2".into()),
    );
    let map = kith::tui::Keymap::with_overrides(&o).unwrap();
    let mut app = kith::tui::App::new(crate::crm(), map, false).unwrap();
    keys(&mut app, "6");
    let text = frame_text(&mut app, 120, 40);
    assert!(
        text.contains("> next stage  < back  ctrl-w won  L lost"),
        "{text}"
    );
    keys(&mut app, "n");
    let text = frame_text(&mut app, 120, 40);
    assert!(
        text.contains("tab/shift-tab move · enter choose link · f2 save · esc cancel"),
        "{text}"
    );
}

/// A custom reference (`kith field add deal partner --type ref:account`) is a link of the
/// detail view as a built-in one is: shown under Links, and opened with enter.
#[test]
fn a_custom_reference_is_a_link_that_opens() {
    use kith::app::fields::NewField;
    let mut crm = crate::crm();
    crm.add_field(&NewField {
        kind: "deal".into(),
        name: "partner".into(),
        ty: "ref:account".into(),
        choices: vec![],
        required: false,
        label: None,
    })
    .unwrap();
    crm.update(
        kith::model::Entity::Deal,
        crate::ids::SECURITY,
        &kith::app::crm::Input::new().with("partner", "#2"),
    )
    .unwrap();
    let mut app = kith::tui::App::new(crm, kith::tui::Keymap::default(), false).unwrap();
    app.open(kith::model::Entity::Deal, crate::ids::SECURITY)
        .unwrap();
    let text = frame_text(&mut app, 120, 40);
    assert!(text.contains("partner: Acme Robotics Ltd"), "{text}");
    let kith::tui::app::Screen::Detail(d) = crate::top(&app) else {
        panic!("no detail view")
    };
    let at = d
        .links
        .iter()
        .position(|l| *l == (kith::model::Entity::Account, crate::ids::ACME))
        .expect("the partner is a link");
    for _ in 0..at {
        key(&mut app, "j");
    }
    key(&mut app, "enter");
    let kith::tui::app::Screen::Detail(d) = crate::top(&app) else {
        panic!("no detail view")
    };
    assert_eq!(
        (d.entity, d.id),
        (kith::model::Entity::Account, crate::ids::ACME)
    );
}

/// The pipelines' sums are kept between screens while nothing is written; a deal added
/// here, or by another program, is in the next sums read, on Today and on the board.
#[test]
fn the_boards_sums_follow_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, path) = crate::app_on_file(&dir);
    let qualification = |crm: &kith::Crm| {
        let boards = crm.boards().unwrap();
        let b = boards.iter().find(|b| b.is_default).unwrap();
        let s = b.stages.iter().find(|s| s.name == "qualification").unwrap();
        s.count
    };
    let n = qualification(&app.crm);
    assert_eq!(qualification(&app.crm), n, "the same while nothing changed");
    let deal = |title: &str| {
        Input::new()
            .with("title", title)
            .with("account", "#2")
            .with("amount", "5000")
            .with("stage", "qualification")
    };
    app.crm
        .create(Entity::Deal, &deal("Kept sums, here"))
        .unwrap();
    assert_eq!(qualification(&app.crm), n + 1);
    let mut other = kith::Crm::new(
        kith::store::Store::open(&path).unwrap(),
        app.crm.env.clone(),
    );
    other
        .create(Entity::Deal, &deal("Kept sums, elsewhere"))
        .unwrap();
    assert_eq!(qualification(&app.crm), n + 2);
    // Both screens show the count read after the writes.
    let count = |boards: &[kith::domain::sales::pipelines::Board]| {
        let b = boards.iter().find(|b| b.is_default).unwrap();
        b.stages
            .iter()
            .find(|s| s.name == "qualification")
            .unwrap()
            .count
    };
    key(&mut app, "6");
    let kith::tui::app::Screen::Board(b) = crate::top(&app) else {
        panic!("no board")
    };
    assert_eq!(count(&b.boards), n + 2);
    key(&mut app, "1");
    let kith::tui::app::Screen::Today(t) = crate::top(&app) else {
        panic!("no today")
    };
    assert_eq!(
        count(std::slice::from_ref(t.pipeline.as_ref().unwrap())),
        n + 2
    );
}
