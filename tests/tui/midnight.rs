//! A long session across midnight on a clock that moves (a manual clock stands in for the
//! system's): every change is stamped at the moment of its action, not the moment the
//! interface started, and Today rolls over to the new day — when the loop looks at the
//! clock with no key pressed, and at the first key after midnight.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use kith::app::crm::Input;
use kith::core::clock::Clock;
use kith::model::record::Record;
use kith::model::Entity;
use kith::tui::app::Screen;
use kith::tui::Keymap;

use crate::{ids, key, keys, top, type_text};

fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, d)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
}

/// A UTC stamp as local wall-clock time, to the minute.
fn local(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .unwrap_or_else(|e| panic!("{stamp}: {e}"))
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The titles in one of Today's sections.
fn section(app: &kith::tui::App, title: &str) -> Vec<String> {
    let Screen::Today(t) = &app.screens[0] else {
        panic!("not on Today")
    };
    t.sections
        .iter()
        .find(|(name, _)| name.starts_with(title))
        .unwrap_or_else(|| panic!("no section {title}"))
        .1
        .iter()
        .map(|r| r.label().to_string())
        .collect()
}

fn deal(app: &kith::tui::App, id: i64) -> Record {
    app.crm.get(Entity::Deal, id).unwrap()
}

fn last_stage_step(app: &kith::tui::App, id: i64) -> (String, String) {
    let o = app.crm.overview(Entity::Deal, id).unwrap();
    let s = o.stage_history.last().unwrap();
    (s.to.clone(), local(&s.at))
}

/// Log a call on the record shown, and return it.
fn log_call(app: &mut kith::tui::App, subject: &str) -> Record {
    key(app, "a");
    assert!(matches!(top(app), Screen::Form(_)));
    type_text(app, subject);
    key(app, "ctrl-s");
    let s = app.status.clone().unwrap();
    assert!(!s.error, "{}", s.text);
    let acts = app
        .crm
        .list(
            Entity::Activity,
            &kith::app::tui_reads::ListQuery::default(),
        )
        .unwrap();
    acts.into_iter().find(|a| a.label() == subject).unwrap()
}

#[test]
fn a_session_across_midnight_stamps_each_action_at_its_moment_and_today_rolls_over() {
    let mut crm = crate::crm();
    for (title, due) in [
        ("Call back after midnight", "2026-11-23T09:00"),
        ("The day after", "2026-11-24"),
    ] {
        crm.create(
            Entity::Task,
            &Input::new().with("title", title).with("due", due),
        )
        .unwrap();
    }
    // The session starts at 23:50 on Sunday 22 November.
    let (clock, hand) = Clock::manual(Clock::at_local(at(22, 23, 50)).utc());
    crm.env.clock = clock;
    let mut app = kith::tui::App::new(crm, Keymap::default(), false).unwrap();
    let due_today = "Overdue and due today";
    let visits = "Today's visits, meetings and calls";
    assert_eq!(
        section(&app, due_today),
        vec!["发送报价单", "Follow up with John"],
        "before midnight: the overdue task and today's"
    );

    // 23:50: a deal moves on a stage.
    app.open(Entity::Deal, ids::ROBOTS).unwrap();
    key(&mut app, ">");
    assert_eq!(app.status.clone().unwrap().text, "deal 2 → proposal");
    assert_eq!(
        last_stage_step(&app, ids::ROBOTS),
        ("proposal".to_string(), "2026-11-22 23:50".to_string())
    );
    assert_eq!(
        local(&deal(&app, ids::ROBOTS).text("updated_at")),
        "2026-11-22 23:50"
    );

    // 23:58: a call logged on it takes the time of logging as its default time.
    hand.advance(TimeDelta::minutes(8));
    let call = log_call(&mut app, "夜间电话");
    assert_eq!(call.text("at"), "2026-11-22T23:58:00");
    assert_eq!(local(&call.text("created_at")), "2026-11-22 23:58");
    key(&mut app, "1");
    assert!(section(&app, visits).contains(&"夜间电话".to_string()));

    // 00:05 on Monday: no key yet; the loop looks at the clock and Today is Monday's.
    hand.advance(TimeDelta::minutes(7));
    assert_eq!(app.day, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    app.tick();
    assert_eq!(app.day, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    assert_eq!(
        section(&app, due_today),
        vec![
            "发送报价单",
            "Follow up with John",
            "Call back after midnight"
        ],
        "after midnight, Sunday's 16:00 task is overdue and Monday's is due today"
    );
    assert!(
        !section(&app, visits).contains(&"夜间电话".to_string()),
        "yesterday's call is not today's"
    );
    let text = crate::frame_text(&mut app, 120, 40);
    assert!(text.contains("Call back after midnight"), "{text}");

    // 00:05: the deal is won, on Monday.
    app.open(Entity::Deal, ids::ROBOTS).unwrap();
    key(&mut app, "W");
    assert_eq!(app.status.clone().unwrap().text, "deal 2 won");
    let won = deal(&app, ids::ROBOTS);
    assert_eq!(won.text("status"), "won");
    assert_eq!(local(&won.text("closed_at")), "2026-11-23 00:05");
    assert_eq!(last_stage_step(&app, ids::ROBOTS).1, "2026-11-23 00:05");

    // 01:35: another call, at its own time.
    hand.advance(TimeDelta::minutes(90));
    let call = log_call(&mut app, "早上回访");
    assert_eq!(call.text("at"), "2026-11-23T01:35:00");
    keys(&mut app, "esc esc 1");

    // Tuesday 00:01: the first key after midnight reads Today again before it acts.
    hand.set_local(at(24, 0, 1));
    assert!(!section(&app, due_today).contains(&"The day after".to_string()));
    key(&mut app, "j");
    assert!(
        section(&app, due_today).contains(&"The day after".to_string()),
        "{:?}",
        section(&app, due_today)
    );
    // And the change log holds each moment.
    let history = app.crm.history(Entity::Deal, ids::ROBOTS).unwrap();
    let times: Vec<String> = history.iter().map(|c| local(&c.at)).collect();
    assert!(times.contains(&"2026-11-22 23:50".to_string()), "{times:?}");
    assert!(times.contains(&"2026-11-23 00:05".to_string()), "{times:?}");
}

#[test]
fn a_pinned_clock_stays_where_it_was_pinned() {
    let mut app = crate::app();
    let before = app.crm.env.clock.stamp();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    app.open(Entity::Deal, ids::ROBOTS).unwrap();
    key(&mut app, ">");
    assert_eq!(
        deal(&app, ids::ROBOTS).text("updated_at"),
        before,
        "--now / KITH_NOW pins every stamp"
    );
}
