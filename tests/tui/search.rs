//! Words in the filter line and the finder: each word matches on its own, in any order,
//! each fuzzily (as fzf takes a space); and the finder's records read once, on another
//! thread for a database file, while the keys typed show at once.

use kith::tui::app::{Popup, Screen};

use crate::{app, frame_text, ids, key, keys, top, type_text};

fn list_ids(app: &kith::tui::App) -> Vec<i64> {
    match top(app) {
        Screen::List(l) => l.rows.iter().map(|r| r.id()).collect(),
        _ => panic!("not a list"),
    }
}

fn finder_labels(app: &kith::tui::App) -> Vec<String> {
    let Some(Popup::Finder(p)) = &app.popup else {
        panic!("no finder")
    };
    p.shown.iter().map(|&i| p.items[i].0.clone()).collect()
}

#[test]
fn the_filter_matches_words_in_any_order() {
    for (words, want) in [
        ("广州 空港", vec![ids::BRANCH]),
        ("空港 广州", vec![ids::BRANCH]),
        ("机场 白云", vec![ids::AIRPORT]),
        ("白云 机场", vec![ids::AIRPORT]),
        ("ltd acme", vec![ids::ACME]),
        ("acme zzz", vec![]),
    ] {
        let mut app = app();
        keys(&mut app, "2 /");
        type_text(&mut app, words);
        assert_eq!(list_ids(&app), want, "{words:?}");
    }
    // Both airports hold 机场 and 国际; only one is in 广州.
    let mut app = app();
    keys(&mut app, "2 /");
    type_text(&mut app, "国际 机场");
    let mut two = list_ids(&app);
    two.sort();
    assert_eq!(two, vec![ids::AIRPORT, ids::BAOAN]);
    type_text(&mut app, " 广州");
    assert_eq!(list_ids(&app), vec![ids::AIRPORT]);
    // Backspace widens again.
    for _ in 0..3 {
        key(&mut app, "backspace");
    }
    assert_eq!(list_ids(&app).len(), 2);
}

#[test]
fn the_finder_matches_words_in_any_order() {
    for (words, first) in [
        ("白云 机场", "广州白云国际机场"),
        ("机场 白云", "广州白云国际机场"),
        ("spare acme", "Acme spare parts"),
        ("parts spare", "Acme spare parts"),
    ] {
        let mut app = app();
        key(&mut app, "ctrl-p");
        type_text(&mut app, words);
        let labels = finder_labels(&app);
        assert_eq!(
            labels.first().map(String::as_str),
            Some(first),
            "{words:?}: {labels:?}"
        );
    }
    let mut app = app();
    key(&mut app, "ctrl-p");
    type_text(&mut app, "机场 zzz");
    assert!(finder_labels(&app).is_empty());
}

/// The fixture in a database file (the finder reads and ranks it on another thread), with
/// the directory that holds it.
fn on_file() -> (tempfile::TempDir, kith::tui::App) {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = crate::app_on_file(&dir);
    (dir, app)
}

/// Let the finder's thread answer what was typed, as the event loop's ticks do.
fn settle(app: &mut kith::tui::App) {
    let t = std::time::Instant::now();
    while app.finder_reading() {
        assert!(t.elapsed().as_secs() < 10, "the finder did not answer");
        std::thread::sleep(std::time::Duration::from_millis(2));
        app.tick();
    }
}

/// On a database file the finder reads its records on another thread: the keys typed
/// meanwhile show at once, and the records are ranked when the read is done, as over a
/// database in memory.
#[test]
fn a_files_finder_reads_once_and_ranks_as_in_memory() {
    let (_dir, mut on_file) = on_file();
    key(&mut on_file, "ctrl-p");
    type_text(&mut on_file, "机场");
    assert!(frame_text(&mut on_file, 100, 30).contains("> 机场"));
    settle(&mut on_file);
    let mut in_memory = app();
    key(&mut in_memory, "ctrl-p");
    type_text(&mut in_memory, "机场");
    assert_eq!(finder_labels(&on_file), finder_labels(&in_memory));
    assert!(!finder_labels(&on_file).is_empty());
    // The next keys rank the records read, without reading again, on the finder's
    // thread: what is typed shows at once, its ranking at a tick soon after.
    type_text(&mut on_file, " 深圳");
    assert!(frame_text(&mut on_file, 100, 30).contains("> 机场 深圳"));
    settle(&mut on_file);
    let labels = finder_labels(&on_file);
    assert_eq!(labels[0], "深圳宝安国际机场", "{labels:?}");
    assert!(
        !labels.contains(&"广州白云国际机场".to_string()),
        "{labels:?}"
    );
    key(&mut on_file, "enter");
    assert!(on_file.popup.is_none());
    let Screen::Detail(_) = top(&on_file) else {
        panic!("no detail view")
    };
}

/// The records read for one finder serve the next while nothing was written; a write,
/// here or by another program, has the next finder read them again and find what it made.
#[test]
fn a_files_finder_is_read_again_only_after_a_write() {
    use kith::model::Entity;
    let (dir, mut app) = on_file();
    key(&mut app, "ctrl-p");
    settle(&mut app);
    key(&mut app, "esc");
    assert!(matches!(
        app.finder,
        kith::tui::app::FinderNames::Ranking(_)
    ));
    // Opened again: nothing to read, the first key is ranked at once.
    key(&mut app, "ctrl-p");
    assert!(!app.finder_reading(), "the records were read again");
    type_text(&mut app, "白云");
    settle(&mut app);
    assert_eq!(finder_labels(&app)[0], "广州白云国际机场");
    key(&mut app, "esc");

    // A write here: the next finder reads, and finds the new account.
    app.crm
        .create(
            Entity::Account,
            &kith::Input::new().with("name", "Zephyrine Freight"),
        )
        .unwrap();
    key(&mut app, "ctrl-p");
    assert!(app.finder_reading(), "the records were not read again");
    type_text(&mut app, "zephyrine");
    settle(&mut app);
    assert_eq!(finder_labels(&app)[0], "Zephyrine Freight");
    key(&mut app, "esc");

    // Another program's write: the same.
    let mut other = kith::Crm::new(
        kith::store::Store::open(&dir.path().join("kith.db")).unwrap(),
        app.crm.env.clone(),
    );
    other
        .create(
            Entity::Account,
            &kith::Input::new().with("name", "Quillon Logistics"),
        )
        .unwrap();
    key(&mut app, "ctrl-p");
    assert!(app.finder_reading(), "another program's write was not seen");
    type_text(&mut app, "quillon");
    settle(&mut app);
    assert_eq!(finder_labels(&app)[0], "Quillon Logistics");
}

/// An answer that comes after the box was emptied is let go: an empty box shows nothing.
#[test]
fn a_files_finder_shows_nothing_for_an_emptied_box() {
    let (_dir, mut app) = on_file();
    key(&mut app, "ctrl-p");
    settle(&mut app);
    type_text(&mut app, "acme");
    for _ in 0..4 {
        key(&mut app, "backspace");
    }
    settle(&mut app);
    assert!(finder_labels(&app).is_empty());
    type_text(&mut app, "acme");
    settle(&mut app);
    assert_eq!(finder_labels(&app)[0], "Acme Robotics Ltd");
}

/// Pinyin in the filter line and the finder: full pinyin, initials, mixed with
/// characters, typed a key at a time (each key narrowing what the one before matched).
#[test]
fn the_filter_and_the_finder_read_chinese_names_in_pinyin() {
    for (typed, want) in [
        ("bygj", vec![ids::AIRPORT]),
        ("baoan", vec![ids::BAOAN]),
        ("gz白云", vec![ids::AIRPORT]),
        ("kong gang", vec![ids::BRANCH]),
        ("szba", vec![ids::BAOAN]),
    ] {
        let mut app = app();
        keys(&mut app, "2 /");
        type_text(&mut app, typed);
        assert_eq!(list_ids(&app), want, "{typed:?}");
    }
    // Backspaced to a shorter word and typed again, the answer is the same.
    let mut narrowing = app();
    keys(&mut narrowing, "2 /");
    type_text(&mut narrowing, "gzx");
    assert!(list_ids(&narrowing).is_empty());
    key(&mut narrowing, "backspace");
    assert_eq!(list_ids(&narrowing), vec![ids::AIRPORT, ids::BRANCH]);
    for (typed, first) in [
        ("bygj", "广州白云国际机场"),
        ("shenzhen", "深圳宝安国际机场"),
    ] {
        let mut app = app();
        key(&mut app, "ctrl-p");
        type_text(&mut app, typed);
        let labels = finder_labels(&app);
        assert_eq!(
            labels.first().map(String::as_str),
            Some(first),
            "{typed:?}: {labels:?}"
        );
    }
}
