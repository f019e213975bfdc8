//! What the interface keeps between sessions, in `interface.toml` (here in a temporary
//! folder, never the real configuration's): the filter history walked with ↑/↓, views
//! saved under a name and recalled from the palette, and the columns chosen with `C`.

use std::path::{Path, PathBuf};

use kith::app::fields::NewField;
use kith::model::query::SortKey;
use kith::model::Entity;
use kith::tui::app::{Pending, Popup, Screen};
use kith::tui::App;

use crate::ids;
use crate::{key, keys, render, row_text, top, type_text};

/// An app over the fixture keeping its interface file at `path`.
fn app_at(path: &Path) -> App {
    let mut app = crate::app();
    app.open_interface(path.to_path_buf());
    app
}

fn file_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("interface.toml")
}

fn list(app: &App) -> &kith::tui::app::ListView {
    match top(app) {
        Screen::List(l) => l,
        _ => panic!("not a list"),
    }
}

fn list_ids(app: &App) -> Vec<i64> {
    list(app).rows.iter().map(|r| r.id()).collect()
}

fn filter_line(app: &App) -> String {
    match &app.popup {
        Some(Popup::Filter { input, .. }) => input.text().to_string(),
        _ => panic!("the filter line is not open"),
    }
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Replace the filter of the list in front with `text`, applied with enter.
fn filter(app: &mut App, text: &str) {
    keys(app, "/ ctrl-u");
    type_text(app, text);
    key(app, "enter");
    assert!(app.popup.is_none(), "{text}: {:?}", status(app));
}

/// The words of a list's header row (the border left out).
fn header(app: &mut App, w: u16) -> Vec<String> {
    lines(app, w, 12)[2]
        .split(|c: char| c.is_whitespace() || c == '│')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn lines(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let t = render(app, w, h);
    (0..h).map(|y| row_text(&t, y)).collect()
}

#[test]
fn up_and_down_walk_the_filters_of_the_kind_and_they_outlive_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut app = app_at(&path);
    key(&mut app, "5");
    filter(&mut app, "amount>500000");
    filter(&mut app, "amount<100000");
    filter(&mut app, "amount>500000");
    assert_eq!(list_ids(&app), vec![ids::SECURITY, ids::BAGGAGE]);
    // Another kind's filters are its own.
    key(&mut app, "2");
    filter(&mut app, "tier:A");
    key(&mut app, "5");

    // The line typed on, then back through the deals' filters, newest first; the list
    // follows each.
    keys(&mut app, "/ ctrl-u");
    type_text(&mut app, "acme");
    key(&mut app, "up");
    assert_eq!(
        filter_line(&app),
        "amount>500000",
        "a repeat went to the end"
    );
    assert_eq!(list_ids(&app), vec![ids::SECURITY, ids::BAGGAGE]);
    key(&mut app, "up");
    assert_eq!(filter_line(&app), "amount<100000");
    assert_eq!(list_ids(&app), vec![ids::SPARES]);
    key(&mut app, "up");
    assert_eq!(filter_line(&app), "amount<100000", "nothing older");
    key(&mut app, "down");
    assert_eq!(filter_line(&app), "amount>500000");
    key(&mut app, "down");
    assert_eq!(filter_line(&app), "acme", "past the newest: what was typed");
    let acme = list_ids(&app);
    assert!(
        acme.contains(&ids::ROBOTS) && acme.contains(&ids::SPARES),
        "{acme:?}"
    );
    // Esc puts back the filter in force before `/` (the list was opened again: its own),
    // and remembers nothing.
    keys(&mut app, "up esc");
    assert_eq!(list(&app).filter_text, "status:open");
    assert_eq!(
        app.interface.state.history(Entity::Deal),
        ["amount<100000", "amount>500000"]
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(r#"deal = ["amount<100000", "amount>500000"]"#),
        "{text}"
    );
    assert!(text.contains(r#"account = ["tier:A"]"#), "{text}");

    // A second session on the same file has them.
    let mut again = app_at(&path);
    assert!(again.status.is_none(), "{:?}", again.status);
    key(&mut again, "5");
    keys(&mut again, "/ up");
    assert_eq!(filter_line(&again), "amount>500000");
    keys(&mut again, "up");
    assert_eq!(filter_line(&again), "amount<100000");
    key(&mut again, "enter");
    assert_eq!(list_ids(&again), vec![ids::SPARES]);
    key(&mut again, "2");
    keys(&mut again, "/ up");
    assert_eq!(filter_line(&again), "tier:A");
}

#[test]
fn a_view_saved_comes_back_from_the_palette_with_its_filter_sort_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut app = app_at(&path);
    key(&mut app, "5");
    filter(&mut app, "amount>100000");
    keys(&mut app, "s");
    type_text(&mut app, "amount");
    keys(&mut app, "enter S");
    // Only the title, the amount and the stage, the amount first.
    key(&mut app, "C");
    let Some(Popup::Columns(p)) = &app.popup else {
        panic!("no column picker")
    };
    let order: Vec<&str> = p.items.iter().map(|(c, _)| *c).collect();
    assert_eq!(order[..4], ["id", "title", "account", "amount"]);
    // id off, title, account off, amount moved to the top, currency… off but stage.
    keys(&mut app, "space j j space j K K K");
    let off: Vec<&str> = [
        "currency",
        "probability",
        "expected_close",
        "status",
        "owner",
    ]
    .into();
    for name in off {
        let Some(Popup::Columns(p)) = &mut app.popup else {
            panic!("no column picker")
        };
        p.selected = p.items.iter().position(|(c, _)| *c == name).unwrap();
        key(&mut app, "space");
    }
    key(&mut app, "enter");
    assert_eq!(header(&mut app, 100), ["AMOUNT", "TITLE", "STAGE"]);

    // w asks for a name: none will not do, and the question stays.
    key(&mut app, "w");
    key(&mut app, "enter");
    match &app.popup {
        Some(Popup::Prompt { error, then, .. }) => {
            assert_eq!(error.as_deref(), Some("a view needs a name"));
            assert_eq!(*then, Pending::SaveView(Entity::Deal));
        }
        _ => panic!("the question went: {:?}", status(&app)),
    }
    type_text(&mut app, "big deals");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    assert!(
        status(&app).contains("view 'big deals' saved"),
        "{}",
        status(&app)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[[views]]"), "{text}");
    assert!(text.contains(r#"name = "big deals""#), "{text}");
    assert!(text.contains(r#"filter = "amount>100000""#), "{text}");
    assert!(text.contains(r#"sort = "-amount""#), "{text}");
    assert!(
        text.contains(r#"columns = ["amount", "title", "stage"]"#),
        "{text}"
    );

    // Another session: from Today, the palette's entry opens the list as it was saved.
    let mut again = app_at(&path);
    key(&mut again, "5");
    assert_eq!(
        header(&mut again, 100),
        ["AMOUNT", "TITLE", "STAGE"],
        "kept for deals"
    );
    // The kind's columns back to its own: the view still has its columns.
    keys(&mut again, "C r enter");
    assert_eq!(header(&mut again, 100)[..3], ["ID", "TITLE", "ACCOUNT"]);
    key(&mut again, "1");
    key(&mut again, ":");
    type_text(&mut again, "big deals");
    let Some(Popup::Palette(p)) = &again.popup else {
        panic!("no palette")
    };
    let (label, detail, _) = &p.items[p.shown[0]];
    assert_eq!(
        (label.as_str(), detail.as_str()),
        ("view: big deals", "deals")
    );
    key(&mut again, "enter");
    assert!(again.status.is_none(), "{:?}", again.status);
    let l = list(&again);
    assert_eq!(l.entity, Entity::Deal);
    assert_eq!(l.filter_text, "amount>100000");
    assert_eq!(
        l.query.sort,
        vec![SortKey {
            field: "amount".into(),
            desc: true
        }]
    );
    assert_eq!(
        list_ids(&again),
        vec![ids::SECURITY, ids::BAGGAGE, ids::ROBOTS, ids::CARGO_SW]
    );
    let shown = lines(&mut again, 100, 12);
    assert!(
        shown[1].contains("Deals · view big deals · 1/4"),
        "{}",
        shown[1]
    );
    assert_eq!(header(&mut again, 100), ["AMOUNT", "TITLE", "STAGE"]);
    // Changed, the list is no longer the view, and its title says so no more.
    filter(&mut again, "amount>1000000");
    assert!(!lines(&mut again, 100, 12)[1].contains("big deals"));
}

#[test]
fn a_name_taken_asks_before_the_view_is_replaced_and_views_are_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut app = app_at(&path);
    key(&mut app, "5");
    filter(&mut app, "amount>500000");
    key(&mut app, "w");
    type_text(&mut app, "hot");
    key(&mut app, "enter");
    // The same name from another list: asked, and no leaves it.
    key(&mut app, "8");
    key(&mut app, "w");
    type_text(&mut app, "hot");
    key(&mut app, "enter");
    match &app.popup {
        Some(Popup::Confirm { message, .. }) => {
            assert_eq!(message, "Replace the view 'hot' (of deals) with this list?")
        }
        _ => panic!("not asked: {:?}", status(&app)),
    }
    key(&mut app, "n");
    assert_eq!(status(&app), "cancelled");
    assert_eq!(app.interface.state.view("hot").unwrap().kind, "deal");
    // Yes replaces it.
    keys(&mut app, "w");
    type_text(&mut app, "hot");
    keys(&mut app, "enter y");
    let hot = app.interface.state.view("hot").unwrap();
    assert_eq!(
        (hot.kind.as_str(), hot.filter.as_str()),
        ("task", "done:no")
    );
    assert_eq!(app.interface.state.views.len(), 1);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains(r#"kind = "task""#));
    // On a list shown from the view, w offers its name.
    key(&mut app, "w");
    match &app.popup {
        Some(Popup::Prompt { input, .. }) => assert_eq!(input.text(), "hot"),
        _ => panic!("no question"),
    }
    key(&mut app, "esc");

    // Deleted from the palette: chosen in a picker, then asked.
    key(&mut app, ":");
    type_text(&mut app, "delete view");
    key(&mut app, "enter");
    let Some(Popup::Pick(p)) = &app.popup else {
        panic!("no picker: {:?}", status(&app))
    };
    assert_eq!(p.items.len(), 1);
    assert_eq!(
        (p.items[0].0.as_str(), p.items[0].1.as_str()),
        ("hot", "tasks")
    );
    key(&mut app, "enter");
    assert!(
        matches!(&app.popup, Some(Popup::Confirm { message, .. }) if message == "Delete the view 'hot'?")
    );
    key(&mut app, "y");
    assert_eq!(status(&app), "view 'hot' deleted");
    assert!(app.interface.state.views.is_empty());
    assert!(!std::fs::read_to_string(&path).unwrap().contains("hot"));
    // With none left, the palette has no entry for it, and delete says why.
    key(&mut app, ":");
    let Some(Popup::Palette(p)) = &app.popup else {
        panic!("no palette")
    };
    assert!(p.items.iter().all(|(l, _, _)| !l.starts_with("view:")));
    key(&mut app, "esc");
    key(&mut app, ":");
    type_text(&mut app, "delete view");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    assert!(
        status(&app).starts_with("no saved views: w"),
        "{}",
        status(&app)
    );
}

#[test]
fn the_column_picker_toggles_and_orders_keeps_one_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut app = app_at(&path);
    key(&mut app, "2");
    assert_eq!(
        header(&mut app, 120),
        ["ID", "NAME", "TYPE", "TIER", "STATUS", "INDUSTRY", "OWNER", "CITY", "TAGS"]
    );
    // Esc changes nothing.
    keys(&mut app, "C space esc");
    assert_eq!(status(&app), "cancelled");
    assert_eq!(header(&mut app, 120)[0], "ID");
    // The city up to second place (shift-up twice from where it is), tags hidden.
    key(&mut app, "C");
    let frame = crate::frame_text(&mut app, 80, 24);
    assert!(frame.contains("columns of accounts"), "{frame}");
    assert!(frame.contains("[x] city"), "{frame}");
    keys(
        &mut app,
        "G space k shift-up shift-up shift-up shift-up shift-up J",
    );
    keys(&mut app, "enter");
    assert_eq!(status(&app), "columns of accounts kept");
    assert_eq!(
        header(&mut app, 120),
        ["ID", "NAME", "TYPE", "CITY", "TIER", "STATUS", "INDUSTRY", "OWNER"]
    );
    // A narrow terminal still leaves out the least useful of those chosen first.
    let narrow = header(&mut app, 50);
    assert!(
        narrow.contains(&"NAME".to_string()) && !narrow.contains(&"OWNER".to_string()),
        "{narrow:?}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(
            r#"account = ["id", "name", "type", "city", "tier", "status", "industry", "owner"]"#
        ),
        "{text}"
    );

    // One column at least stays shown.
    key(&mut app, "C");
    for _ in 0..7 {
        keys(&mut app, "space j");
    }
    key(&mut app, "space");
    let Some(Popup::Columns(p)) = &app.popup else {
        panic!("no column picker")
    };
    assert_eq!(p.error.as_deref(), Some("one column at least stays shown"));
    assert_eq!(p.chosen(), ["owner"]);
    key(&mut app, "esc");

    // Another session shows them, and a name the kind no longer has is passed over.
    let mut text = std::fs::read_to_string(&path).unwrap();
    text = text.replace(r#""city""#, r#""region""#);
    std::fs::write(&path, text).unwrap();
    let mut again = app_at(&path);
    key(&mut again, "2");
    assert_eq!(
        header(&mut again, 120),
        ["ID", "NAME", "TYPE", "TIER", "STATUS", "INDUSTRY", "OWNER"]
    );
    // r goes back to the kind's own columns, and the file forgets the choice.
    keys(&mut again, "C r enter");
    assert_eq!(status(&again), "accounts show their own columns again");
    assert_eq!(header(&mut again, 120).len(), 9);
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("[columns]"));
}

#[test]
fn a_view_whose_field_is_gone_opens_with_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut crm = crate::crm();
    crm.add_field(&NewField {
        kind: "deal".into(),
        name: "region".into(),
        ty: "text".into(),
        choices: vec![],
        required: false,
        label: None,
    })
    .unwrap();
    let mut app = App::new(crm, kith::tui::Keymap::default(), false).unwrap();
    app.open_interface(path.clone());
    key(&mut app, "5");
    filter(&mut app, "region:north");
    keys(&mut app, "s");
    type_text(&mut app, "region");
    key(&mut app, "enter");
    key(&mut app, "w");
    type_text(&mut app, "north");
    key(&mut app, "enter");
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains(r#"sort = "region""#));
    // The field removed (by `kith field rm` in another program), the view still opens.
    let mut crm = std::mem::replace(&mut app.crm, crate::crm());
    crm.remove_field("deal", "region").unwrap();
    let mut app = App::new(crm, kith::tui::Keymap::default(), false).unwrap();
    app.open_interface(path.clone());
    key(&mut app, ":");
    type_text(&mut app, "view: north");
    key(&mut app, "enter");
    let said = status(&app);
    assert!(app.status.as_ref().unwrap().error, "{said}");
    assert!(said.starts_with("view 'north': "), "{said}");
    assert!(said.contains("region"), "{said}");
    let l = list(&app);
    assert_eq!(l.entity, Entity::Deal);
    assert!(l.query.sort.is_empty());
    assert_eq!(l.filter_text, "status:open", "the list's own filter");
    assert!(!lines(&mut app, 100, 12)[1].contains("north"));
}

#[test]
fn an_interface_file_that_does_not_read_is_said_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let bad = "[history]\ndeal = \"not a list\"\n";
    std::fs::write(&path, bad).unwrap();
    let mut app = app_at(&path);
    let said = status(&app);
    assert!(app.status.as_ref().unwrap().error);
    assert!(
        said.contains("interface.toml does not read, left as it is (line 2:"),
        "{said}"
    );
    assert!(said.contains("will not be kept"), "{said}");
    // The session goes on: history works in it, nothing is written.
    key(&mut app, "5");
    filter(&mut app, "amount>500000");
    keys(&mut app, "/ up");
    assert_eq!(filter_line(&app), "amount>500000");
    key(&mut app, "esc");
    key(&mut app, "w");
    type_text(&mut app, "kept");
    key(&mut app, "enter");
    assert!(
        status(&app).contains("so it is not written: this change lasts for this session only"),
        "{}",
        status(&app)
    );
    keys(&mut app, "C space enter");
    assert!(status(&app).contains("this session only"));
    // The view is there for the session.
    key(&mut app, "1");
    key(&mut app, ":");
    type_text(&mut app, "view: kept");
    key(&mut app, "enter");
    assert_eq!(list(&app).filter_text, "amount>500000");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), bad);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no other file"
    );
}

#[test]
fn an_app_without_a_file_keeps_it_all_in_memory() {
    // The app tests make (and `App::new`) writes no file anywhere.
    let mut app = crate::app();
    assert!(app.interface.path().is_none());
    key(&mut app, "5");
    filter(&mut app, "amount>500000");
    keys(&mut app, "w");
    type_text(&mut app, "mine");
    key(&mut app, "enter");
    assert!(
        status(&app).contains("view 'mine' saved"),
        "{}",
        status(&app)
    );
    assert_eq!(app.interface.state.history(Entity::Deal), ["amount>500000"]);
}
