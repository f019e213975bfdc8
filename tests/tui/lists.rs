//! Lists, the status line and counts as a power user finds them: a sort that keeps the
//! rows, messages that go, hints of the screen in front, `G` from the end, columns that
//! stay put, cut text that says so, numbers to the right.

use chrono::TimeDelta;
use kith::app::crm::Input;
use kith::core::clock::Clock;
use kith::model::Entity;
use kith::tui::app::{Screen, PAGE};
use kith::tui::App;

use crate::ids;
use crate::{key, keys, render, row_text, top, type_text};

fn list_ids(app: &App) -> Vec<i64> {
    match top(app) {
        Screen::List(l) => l.rows.iter().map(|r| r.id()).collect(),
        _ => panic!("not a list"),
    }
}

fn rows(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let t = render(app, w, h);
    (0..h).map(|y| row_text(&t, y)).collect()
}

fn sort_by(app: &mut App, field: &str) {
    key(app, "s");
    type_text(app, field);
    key(app, "enter");
}

/// Accounts named by `name(i)`, `n` of them, written in one go.
fn accounts(app: &mut App, n: usize, name: impl Fn(usize) -> String) {
    app.crm
        .write(|w, env| {
            for i in 0..n {
                let input = Input::new().with("name", name(i));
                kith::app::crm::create_in(w, env, Entity::Account, &input)?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_sort_changes_the_order_never_the_rows() {
    // Tasks open on the open ones, and say so; sorting by due keeps the done one out.
    let mut app = crate::app();
    key(&mut app, "8");
    assert_eq!(
        list_ids(&app),
        vec![ids::TASK_OVERDUE, ids::TASK_TODAY, ids::TASK_FUTURE]
    );
    sort_by(&mut app, "due");
    assert_eq!(
        list_ids(&app),
        vec![ids::TASK_OVERDUE, ids::TASK_TODAY, ids::TASK_FUTURE]
    );
    for w in [80, 120] {
        let text = rows(&mut app, w, 24);
        assert!(
            text[1].contains("Tasks · 1/3 · open only · sort due"),
            "{w}: {}",
            text[1]
        );
    }
    // Deals sorted by stage: the won and the lost deal stay out.
    let mut app = crate::app();
    key(&mut app, "5");
    sort_by(&mut app, "stage");
    assert_eq!(
        list_ids(&app),
        vec![ids::BAGGAGE, ids::ROBOTS, ids::SECURITY]
    );
    assert!(rows(&mut app, 80, 24)[1].contains("open only"));
    // Cleared, the filter shows every deal and the title says so; esc goes back to the
    // open ones.
    keys(&mut app, "/ ctrl-u enter");
    assert_eq!(list_ids(&app).len(), 5);
    assert!(rows(&mut app, 80, 24)[1].contains("Deals · 1/5 · all"));
    key(&mut app, "esc");
    assert_eq!(list_ids(&app).len(), 3);
    // A filter of one's own shows in the title as typed.
    keys(&mut app, "/ ctrl-u");
    type_text(&mut app, "status:won");
    key(&mut app, "enter");
    assert_eq!(list_ids(&app), vec![ids::CARGO_SW]);
    assert!(rows(&mut app, 80, 24)[1].contains("/ status:won"));
}

#[test]
fn messages_go_at_the_next_key_and_the_hints_come_back() {
    let mut app = crate::app();
    keys(&mut app, "5 W");
    assert_eq!(app.status.as_ref().unwrap().text, "deal 2 won");
    let text = rows(&mut app, 80, 24);
    assert!(text[23].starts_with("deal 2 won"), "{}", text[23]);
    // The next key clears it: the list's hints are back, on any screen.
    key(&mut app, "j");
    assert!(app.status.is_none(), "{:?}", app.status);
    let text = rows(&mut app, 80, 24);
    assert!(text[23].contains("s sort"), "{}", text[23]);
    // An error from before does not follow onto a new form.
    keys(&mut app, "8 x 2 x");
    assert!(app.status.as_ref().unwrap().error);
    key(&mut app, "n");
    assert!(app.status.is_none(), "{:?}", app.status);
}

#[test]
fn messages_time_out_by_the_apps_clock() {
    let mut crm = crate::crm();
    let (clock, hand) = Clock::manual(crm.env.clock.utc());
    crm.env.clock = clock;
    let mut app = App::new(crm, kith::tui::Keymap::default(), false).unwrap();
    keys(&mut app, "5 W");
    assert_eq!(app.status.as_ref().unwrap().text, "deal 2 won");
    hand.advance(TimeDelta::seconds(2));
    app.tick();
    assert!(app.status.is_some(), "gone too soon");
    hand.advance(TimeDelta::seconds(4));
    app.tick();
    assert!(app.status.is_none(), "{:?}", app.status);
    assert!(rows(&mut app, 80, 24)[23].contains("s sort"));
}

#[test]
fn hints_name_the_keys_of_the_screen_in_front() {
    // In a detail view q goes back: the hint says so, and quit is ctrl-c.
    let mut app = crate::app();
    keys(&mut app, "2 enter");
    for w in [80, 120] {
        let line = rows(&mut app, w, 24)[23].clone();
        assert!(line.contains("q back"), "{line}");
        assert!(!line.contains("q quit"), "{line}");
        assert!(line.contains("ctrl-c quit"), "{line}");
    }
    // In a list q quits.
    key(&mut app, "esc");
    let line = rows(&mut app, 80, 24)[23].clone();
    assert!(line.contains("q quit"), "{line}");
}

#[test]
fn g_goes_to_the_end_without_reading_the_rows_before_it() {
    let mut app = crate::app();
    accounts(&mut app, PAGE * 3 + 7, |i| format!("zz bulk {i:04}"));
    let everything: Vec<i64> = crate::all(&app.crm, Entity::Account)
        .iter()
        .map(|r| r.id())
        .collect();
    // Accounts list by name: the bulk ones come after the fixture's Latin name, before the
    // Chinese ones.
    let by_name = kith::store::ListQuery::default();
    let in_order: Vec<i64> = app
        .crm
        .list(Entity::Account, &by_name)
        .unwrap()
        .iter()
        .map(|r| r.id())
        .collect();
    assert_eq!(in_order.len(), everything.len());
    keys(&mut app, "2 G");
    assert_eq!(list_ids(&app).len(), PAGE, "one page read, from the end");
    assert_eq!(
        app.selected(),
        Some((Entity::Account, *in_order.last().unwrap()))
    );
    // Up, past the top of what `G` read: the page before is read, the cursor on its row.
    for _ in 0..PAGE + 3 {
        key(&mut app, "k");
    }
    let want = in_order[in_order.len() - 1 - (PAGE + 3)];
    assert_eq!(app.selected(), Some((Entity::Account, want)));
    // `g g` is the start again, and paging down reads on as before.
    keys(&mut app, "g g");
    assert_eq!(app.selected(), Some((Entity::Account, in_order[0])));
    assert_eq!(list_ids(&app), in_order[..PAGE]);
    // A write while at the end keeps the view at the end.
    keys(&mut app, "G k k");
    let before = app.selected();
    key(&mut app, "ctrl-r");
    assert_eq!(app.selected(), before);
    // On a filtered (ranked) list too.
    keys(&mut app, "/");
    type_text(&mut app, "zz bulk");
    keys(&mut app, "enter G");
    let Screen::List(l) = top(&app) else {
        panic!("not a list")
    };
    assert_eq!(l.rows.len(), PAGE);
    assert_eq!(l.selected, PAGE - 1);
}

#[test]
fn columns_stay_put_while_scrolling() {
    let mut app = crate::app();
    // Short names first, longer ones further down (accounts list by name).
    accounts(&mut app, 30, |i| format!("a {i:02}"));
    accounts(&mut app, 30, |i| {
        format!("a wide account name of many words {i:02}")
    });
    key(&mut app, "2");
    let header = rows(&mut app, 120, 24)[2].clone();
    for _ in 0..3 {
        key(&mut app, "ctrl-d");
        let now = rows(&mut app, 120, 24)[2].clone();
        assert_eq!(now, header, "the header moved");
    }
}

#[test]
fn cut_text_ends_in_an_ellipsis_and_wide_terminals_use_their_width() {
    // The contact's address is cut at 80 columns, and says so.
    let mut app = crate::app();
    key(&mut app, "3");
    let text = rows(&mut app, 80, 24).join("\n");
    assert!(text.contains("zhang.wei@gzairport.exa…"), "{text}");
    assert!(!text.contains("zhang.wei@gzairport.exam "), "{text}");
    // …and in the contact's detail view (张伟 is the last by name).
    keys(&mut app, "G enter");
    let text = rows(&mut app, 80, 24).join("\n");
    assert!(text.contains("zhang.wei@gzairport.e…"), "{text}");
    key(&mut app, "esc");
    // A long deal title: whole at 200 columns (no cap at 40), cut with … at 80.
    let title = "Terminal 3 baggage handling and security screening upgrade, phase two";
    app.crm
        .create(
            Entity::Deal,
            &Input::new()
                .with("title", title)
                .with("account", "#1")
                .with("amount", "1000"),
        )
        .unwrap();
    key(&mut app, "5");
    let text = rows(&mut app, 200, 24).join("\n");
    assert!(text.contains(title), "{text}");
    let text = rows(&mut app, 80, 24).join("\n");
    assert!(text.contains("Terminal 3 baggage"), "{text}");
    assert!(text.contains('…'), "{text}");
    // At 140 the headers and stages are whole.
    let text = rows(&mut app, 140, 24).join("\n");
    assert!(text.contains("EXPECTED_CLOSE"), "{text}");
    assert!(text.contains("needs analysis"), "{text}");
}

#[test]
fn numbers_are_right_aligned_in_lists() {
    let mut app = crate::app();
    key(&mut app, "4");
    for w in [80, 120] {
        let text = rows(&mut app, w, 24);
        let header = &text[2];
        let end = header.find("SCORE").unwrap() + "SCORE".len();
        for (name, score) in [("Emily Clark", "40"), ("陈静", "60")] {
            let row = text.iter().find(|l| l.contains(name)).unwrap();
            // Compare by cells: the row holds wide characters.
            let cells = |s: &str| unicode_width::UnicodeWidthStr::width(s);
            let at = row.find(score).unwrap();
            assert_eq!(
                cells(&row[..at]) + 2,
                cells(&header[..end]),
                "{w}: {row:?} under {header:?}"
            );
        }
    }
}

#[test]
fn counts_say_how_many_there_are_not_how_many_are_shown() {
    let mut crm = crate::crm();
    crm.write(|w, env| {
        for i in 0..120 {
            let t = Input::new()
                .with("title", format!("overdue {i:03}"))
                .with("due", "2026-11-01");
            kith::app::crm::create_in(w, env, Entity::Task, &t)?;
        }
        for i in 0..56 {
            // 55 closing this month, with the fixture's one 56; one in December is not.
            let close = if i == 55 { "2026-12-02" } else { "2026-11-25" };
            let d = Input::new()
                .with("title", format!("closing {i:02}"))
                .with("expected_close", close)
                .with("amount", "100");
            kith::app::crm::create_in(w, env, Entity::Deal, &d)?;
        }
        for i in 0..60 {
            let d = Input::new()
                .with("title", format!("won {i:02}"))
                .with("amount", "100");
            let id = kith::app::crm::create_in(w, env, Entity::Deal, &d)?;
            kith::domain::sales::deals::close(
                w,
                env,
                id,
                "won",
                &kith::domain::sales::deals::Move::default(),
            )?;
        }
        Ok(())
    })
    .unwrap();
    let mut app = App::new(crm, kith::tui::Keymap::default(), false).unwrap();
    // Today shows the first 100 of the 122 tasks due, and says there are 122.
    let text = rows(&mut app, 120, 200).join("\n");
    assert!(text.contains("Overdue and due today (122)"), "{text}");
    assert!(text.contains("… and 22 more"), "{text}");
    assert!(
        text.contains("Deals closing this month (and overdue) (56)"),
        "{text}"
    );
    assert!(text.contains("… and 6 more"), "{text}");
    let Screen::Today(t) = top(&app) else {
        panic!("not today")
    };
    assert_eq!(t.sections[0].1.len(), 100);
    // The board's won column shows the 50 most recent of its 61 deals, and says 61.
    key(&mut app, "6");
    let Screen::Board(b) = top(&app) else {
        panic!("not the board")
    };
    assert_eq!(b.columns[4].len(), 50);
    keys(&mut app, "l l l l");
    let text = rows(&mut app, 120, 30);
    assert!(text[2].contains("won 61"), "{}", text[2]);
}

#[test]
fn help_rows_wrap_and_help_stops_at_its_end() {
    let mut app = crate::app();
    key(&mut app, "?");
    let text = rows(&mut app, 120, 40).join("\n");
    // "log a call, visit, meeting… on the selected record", whole over two rows.
    assert!(text.contains("meeting… on the"), "{text}");
    assert!(!text.contains("on the se│"), "{text}");
    // Far past the end, the help shows its last line; one key up moves it at once.
    for _ in 0..500 {
        key(&mut app, "j");
    }
    let end = rows(&mut app, 120, 40);
    let Some(kith::tui::app::Popup::Help { scroll }) = &app.popup else {
        panic!("no help")
    };
    let at_end = *scroll;
    assert!(at_end < 200, "scrolled to {at_end}");
    assert!(
        end.iter().any(|l| l.contains("filter")),
        "{}",
        end.join("\n")
    );
    key(&mut app, "k");
    rows(&mut app, 120, 40);
    let Some(kith::tui::app::Popup::Help { scroll }) = &app.popup else {
        panic!("no help")
    };
    assert_eq!(*scroll, at_end - 1);
}

#[test]
fn the_forecast_chart_shows_the_latest_periods_with_labels_apart() {
    let mut app = crate::app();
    // Open deals closing in each of 20 months from January 2027.
    app.crm
        .write(|w, env| {
            for m in 0..20 {
                let d = Input::new()
                    .with("title", format!("forecast {m}"))
                    .with("amount", "1000")
                    .with(
                        "expected_close",
                        format!("{}-{:02}-10", 2027 + m / 12, m % 12 + 1),
                    );
                kith::app::crm::create_in(w, env, Entity::Deal, &d)?;
            }
            Ok(())
        })
        .unwrap();
    keys(&mut app, "9 j");
    // By month, then by week (the longer labels), then by quarter.
    for (grouping, last) in [
        ("", "2028-08 CNY"),
        ("b", "2028-W32 CNY"),
        ("b", "2028-Q3 CNY"),
    ] {
        if !grouping.is_empty() {
            key(&mut app, grouping);
        }
        for w in [160, 200] {
            let text = rows(&mut app, w, 40);
            let labels = text
                .iter()
                .find(|l| l.matches(" CNY").count() >= 3)
                .unwrap_or_else(|| panic!("no labels at {w}:\n{}", text.join("\n")));
            // The last period is there, whole, and no label runs into the next.
            assert!(labels.contains(last), "{w}: {labels}\n{}", text.join("\n"));
            assert!(!labels.contains("CNY 2"), "{w}: {labels}");
        }
    }
}

#[test]
fn words_typed_after_the_default_filter_narrow_the_open_records() {
    let mut app = crate::app();
    keys(&mut app, "5 /");
    type_text(&mut app, "acme");
    key(&mut app, "enter");
    let Screen::List(l) = top(&app) else {
        panic!("not a list")
    };
    assert_eq!(l.filter_text, "status:open acme");
    // The open Acme deal, not the lost one.
    assert_eq!(list_ids(&app), vec![ids::ROBOTS]);
    assert!(rows(&mut app, 80, 24)[1].contains("/ status:open acme"));
}

/// The list's title says where the cursor is among the rows: 1/4, then 2/4 after `j`, and
/// `N/M+` while more rows are still to be read.
#[test]
fn the_title_shows_the_position_among_the_rows() {
    let mut app = crate::app();
    key(&mut app, "3");
    assert!(rows(&mut app, 80, 24)[1].contains("Contacts · 1/4 "));
    key(&mut app, "j");
    assert!(rows(&mut app, 80, 24)[1].contains("Contacts · 2/4 "));
    key(&mut app, "G");
    assert!(rows(&mut app, 80, 24)[1].contains("Contacts · 4/4 "));
}

#[test]
fn the_title_counts_the_whole_list_once_the_keys_stop() {
    let mut app = crate::app();
    accounts(&mut app, PAGE * 2 + 50, |i| format!("zz bulk {i:04}"));
    // 450 made, and the fixture's four.
    let all = PAGE * 2 + 50 + 4;
    key(&mut app, "2");
    // Read so far: one page, more to come; counted at the next tick.
    assert!(
        rows(&mut app, 80, 24)[1].contains("Accounts · 1/200+ "),
        "{}",
        rows(&mut app, 80, 24)[1]
    );
    assert!(app.list_counting());
    app.tick();
    assert!(!app.list_counting());
    assert!(
        rows(&mut app, 80, 24)[1].contains("Accounts · 1/454 "),
        "{}",
        rows(&mut app, 80, 24)[1]
    );
    // At the end `G` read, the place is the true one, and stays so moving up.
    key(&mut app, "G");
    app.tick();
    let want = format!("Accounts · {all}/{all} ");
    assert!(
        rows(&mut app, 80, 24)[1].contains(&want),
        "{}",
        rows(&mut app, 80, 24)[1]
    );
    keys(&mut app, "k k");
    let want = format!("Accounts · {}/{all} ", all - 2);
    assert!(
        rows(&mut app, 80, 24)[1].contains(&want),
        "{}",
        rows(&mut app, 80, 24)[1]
    );
}
