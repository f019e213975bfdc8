//! The service desk in the interface: the case queue sorted by the nearest deadline with
//! its countdown, the queue's filters, a case's keys (reply, assign, wait and resume,
//! resolve, close, survey) taking effect in the database, a refusal said on the status
//! line, Today's cases at risk, and the satisfaction of the 360° views.
//!
//! The SLA's calendar works every hour of every day in UTC, so working time is wall time
//! and the countdowns read the same in any time zone: the clock is 2026-11-22 10:00 local.

use kith::app::crm::{Crm, Input};
use kith::model::Entity;
use kith::tui::app::{App, Screen};
use kith::tui::keymap::Keymap;

use crate::{crm, frame_text, key, keys, top, type_text};

/// The cases, by id: opened at these local times, the first four complaints under the
/// policy of 1 h to answer and 4 h to resolve.
mod case {
    pub const BREACHED: i64 = 1; // tester's, opened 07:00: answer due 08:00, 2 h past
    pub const AT_RISK: i64 = 2; // tester's, opened 09:10: 10 min left
    pub const UNASSIGNED: i64 = 3; // opened now: 1 h left
    pub const LINS: i64 = 4; // lin's, opened 09:30: 30 min left
    pub const NO_POLICY: i64 = 5; // an inquiry no policy matches: no clock
}

fn add(crm: &mut Crm, e: Entity, pairs: &[(&str, &str)]) -> i64 {
    let mut input = Input::new();
    for (k, v) in pairs {
        input.set(k, *v);
    }
    crm.create(e, &input)
        .unwrap_or_else(|err| panic!("create {e} {pairs:?}: {err}"))
}

/// The fixture with a desk: a second user (the fixture has `tester`), a round-the-clock calendar, a complaint policy and
/// five cases of 广州白云国际机场 (the first of its contact 张伟).
fn desk() -> Crm {
    let mut crm = crm();
    add(&mut crm, Entity::User, &[("login", "lin"), ("name", "林")]);
    add(
        &mut crm,
        Entity::Calendar,
        &[
            ("name", "全天"),
            ("tz", "UTC"),
            ("hours", "mon-sun 00:00-24:00"),
        ],
    );
    add(
        &mut crm,
        Entity::Sla,
        &[
            ("name", "投诉"),
            ("match", "type:complaint"),
            ("respond", "1h"),
            ("resolve", "4h"),
            ("calendar", "全天"),
        ],
    );
    let cases: [(&str, &str, Option<&str>, &str); 5] = [
        (
            "行李延误",
            "complaint",
            Some("tester"),
            "2026-11-22T07:00:00",
        ),
        (
            "值机排队过长",
            "complaint",
            Some("tester"),
            "2026-11-22T09:10:00",
        ),
        ("停车收费有误", "complaint", None, "2026-11-22T10:00:00"),
        (
            "贵宾室服务差",
            "complaint",
            Some("lin"),
            "2026-11-22T09:30:00",
        ),
        ("航班信息查询", "inquiry", None, "2026-11-22T09:00:00"),
    ];
    for (i, (title, kind, assignee, opened)) in cases.into_iter().enumerate() {
        let mut pairs = vec![
            ("title", title),
            ("account", "#1"),
            ("type", kind),
            ("opened", opened),
            ("channel", "phone"),
        ];
        if i == 0 {
            pairs.push(("contact", "#1"));
        }
        if let Some(a) = assignee {
            pairs.push(("assignee", a));
        }
        assert_eq!(add(&mut crm, Entity::Case, &pairs), i as i64 + 1);
    }
    crm
}

fn app() -> App {
    App::new(desk(), Keymap::default(), false).unwrap()
}

/// The ids of the list in front, in its order.
fn listed(app: &App) -> Vec<i64> {
    match top(app) {
        Screen::List(l) => l.rows.iter().map(|r| r.id()).collect(),
        _ => panic!("not a list"),
    }
}

fn status_text(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn case_record(app: &App, id: i64) -> kith::model::record::Record {
    app.crm.get(Entity::Case, id).unwrap()
}

#[test]
fn the_queue_is_the_open_cases_nearest_deadline_first_with_their_countdown() {
    let mut app = app();
    keys(&mut app, "g s");
    assert_eq!(
        listed(&app),
        vec![
            case::BREACHED,
            case::AT_RISK,
            case::LINS,
            case::UNASSIGNED,
            case::NO_POLICY
        ]
    );
    let frame = frame_text(&mut app, 120, 40);
    for text in [
        "breached 2h 0m",
        "10m",
        "30m",
        "1h 0m",
        "open only",
        "sort due",
    ] {
        assert!(frame.contains(text), "{text:?} not in\n{frame}");
    }
    insta::assert_snapshot!("case_queue_120x40", frame);
    insta::assert_snapshot!("case_queue_80x24", frame_text(&mut app, 80, 24));
}

#[test]
fn the_countdown_is_coloured_by_the_sla_state_when_colour_is_on() {
    use ratatui::style::Color;
    let mut app = App::new(desk(), Keymap::default(), true).unwrap();
    keys(&mut app, "g s");
    let terminal = crate::render(&mut app, 120, 40);
    let buf = terminal.backend().buffer();
    let colour_of = |text: &str| {
        for y in 0..buf.area.height {
            let row = crate::row_text(&terminal, y);
            if let Some(x) = row.find(text) {
                // The row's text is by characters; the countdown comes after wide ones.
                let before = unicode_width::UnicodeWidthStr::width(&row[..x]) as u16;
                return buf[(before, y)].fg;
            }
        }
        panic!("{text:?} not drawn");
    };
    assert_eq!(colour_of("breached 2h 0m"), Color::Red);
    assert_eq!(colour_of("10m "), Color::Yellow);
    assert_eq!(colour_of("1h 0m"), Color::Green);
}

#[test]
fn the_queue_filters_go_mine_unassigned_breached_and_back() {
    let mut app = app();
    keys(&mut app, "g s F");
    assert_eq!(listed(&app), vec![case::BREACHED, case::AT_RISK]);
    assert_eq!(status_text(&app), "queue: my open cases");
    key(&mut app, "F");
    assert_eq!(listed(&app), vec![case::UNASSIGNED, case::NO_POLICY]);
    key(&mut app, "F");
    assert_eq!(listed(&app), vec![case::BREACHED]);
    assert!(frame_text(&mut app, 120, 40).contains("/ status:open sla:breached"));
    key(&mut app, "F");
    assert_eq!(listed(&app).len(), 5);
    assert_eq!(status_text(&app), "queue: all open cases");
    // Elsewhere the key says where it works.
    keys(&mut app, "g a F");
    assert!(status_text(&app).contains("list of cases"));
}

#[test]
fn a_reply_typed_in_the_queue_answers_the_case() {
    let mut app = app();
    // The unassigned case, fourth in the queue.
    keys(&mut app, "g s j j j r");
    let frame = frame_text(&mut app, 120, 40);
    assert!(
        frame.contains("Reply on CS-2026-0003 (by phone):"),
        "{frame}"
    );
    type_text(&mut app, "已核实，退还多收的停车费");
    key(&mut app, "enter");
    assert_eq!(status_text(&app), "replied on CS-2026-0003");
    let c = case_record(&app, case::UNASSIGNED);
    assert_eq!(c.str("status"), Some("in-progress"));
    assert!(c.str("responded_at").is_some());
    let thread = app.crm.case_thread(case::UNASSIGNED).unwrap();
    let reply = thread.iter().find(|t| t.kind == "reply").unwrap();
    assert_eq!(reply.text, "已核实，退还多收的停车费");
    assert_eq!(reply.channel.as_deref(), Some("phone"));
}

#[test]
fn the_case_view_shows_its_countdown_thread_and_keys() {
    let mut app = app();
    keys(&mut app, "g s enter");
    let frame = frame_text(&mut app, 120, 40);
    for hint in [
        "r reply",
        "o reassign",
        "p wait or resume",
        "D resolve case",
        "c close case",
    ] {
        assert!(frame.contains(hint), "{hint:?} not in\n{frame}");
    }
    key(&mut app, "r");
    type_text(&mut app, "已联系地服查找行李");
    key(&mut app, "enter");
    let frame = frame_text(&mut app, 120, 40);
    for text in [
        "Time left: 1h 0m",
        "Thread (2)",
        "tester  reply · phone: 已联系地服查找行李",
    ] {
        assert!(frame.contains(text), "{text:?} not in\n{frame}");
    }
    insta::assert_snapshot!("case_view_120x40", frame);
}

#[test]
fn resolving_asks_how_and_an_empty_answer_keeps_the_question() {
    let mut app = app();
    keys(&mut app, "g s j D");
    assert!(frame_text(&mut app, 120, 40).contains("How was CS-2026-0002 resolved?"));
    key(&mut app, "enter");
    assert!(
        app.popup.is_some(),
        "an empty resolution keeps the question open"
    );
    type_text(&mut app, "已加开值机柜台");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    assert_eq!(status_text(&app), "CS-2026-0002 resolved");
    let c = case_record(&app, case::AT_RISK);
    assert_eq!(c.str("status"), Some("resolved"));
    assert_eq!(c.str("resolution"), Some("已加开值机柜台"));
    // Resolved, it leaves the queue of open cases.
    assert!(!listed(&app).contains(&case::AT_RISK));
}

#[test]
fn wait_and_resume_stop_and_restart_the_clocks() {
    let mut app = app();
    keys(&mut app, "g s j p");
    assert!(status_text(&app).contains("waits on the customer"));
    assert_eq!(
        case_record(&app, case::AT_RISK).str("status"),
        Some("waiting")
    );
    assert!(frame_text(&mut app, 120, 40).contains("paused"));
    // Still in the queue (waiting is open), where it was.
    let at = listed(&app)
        .iter()
        .position(|&i| i == case::AT_RISK)
        .unwrap();
    keys(&mut app, "g g");
    for _ in 0..at {
        key(&mut app, "j");
    }
    key(&mut app, "p");
    assert!(
        status_text(&app).contains("resumed"),
        "{}",
        status_text(&app)
    );
    assert_eq!(
        case_record(&app, case::AT_RISK).str("status"),
        Some("assigned")
    );
}

#[test]
fn o_assigns_a_case_to_a_user_picked() {
    let mut app = app();
    keys(&mut app, "g s j j j o");
    assert!(frame_text(&mut app, 120, 40).contains("Assign CS-2026-0003 to"));
    type_text(&mut app, "lin");
    key(&mut app, "enter");
    assert_eq!(status_text(&app), "CS-2026-0003 assigned to lin");
    let c = case_record(&app, case::UNASSIGNED);
    assert_eq!(c.str("assignee"), Some("lin"));
    assert_eq!(c.str("status"), Some("assigned"));
}

#[test]
fn closing_with_a_return_visit_then_a_survey_and_a_refused_reply() {
    let mut app = app();
    keys(&mut app, "g s enter c");
    assert!(frame_text(&mut app, 120, 40).contains("close and ask a return visit"));
    keys(&mut app, "down enter");
    assert!(app.popup.is_none(), "{}", frame_text(&mut app, 120, 40));
    assert!(
        status_text(&app).starts_with("CS-2026-0001 closed; return visit task"),
        "{}",
        status_text(&app)
    );
    assert_eq!(
        case_record(&app, case::BREACHED).str("status"),
        Some("closed")
    );
    // A closed case takes no reply: the library's refusal, on the status line.
    key(&mut app, "r");
    type_text(&mut app, "还有问题吗？");
    key(&mut app, "enter");
    let s = app.status.clone().unwrap();
    assert!(s.error, "{s:?}");
    assert!(s.text.contains("CS-2026-0001"), "{}", s.text);
    assert!(app
        .crm
        .case_thread(case::BREACHED)
        .unwrap()
        .iter()
        .all(|t| t.kind != "reply"));
    key(&mut app, "esc");
    // The survey of the return visit: score, NPS, comment.
    key(&mut app, "v");
    type_text(&mut app, "4 9 处理及时");
    key(&mut app, "enter");
    assert_eq!(status_text(&app), "survey of CS-2026-0001 recorded: 4/5");
    let frame = frame_text(&mut app, 120, 40);
    assert!(
        frame.contains("4.0/5 from 1 survey · latest NPS 9"),
        "{frame}"
    );
    // A score out of range is the library's refusal, the question kept.
    key(&mut app, "v");
    type_text(&mut app, "7");
    key(&mut app, "enter");
    assert!(app.popup.is_some());
}

#[test]
fn today_shows_my_cases_at_risk_with_their_countdown() {
    let mut app = app();
    let frame = frame_text(&mut app, 120, 40);
    assert!(
        frame.contains("My cases at risk or breached (2)"),
        "{frame}"
    );
    let breached = frame
        .find("breached 2h 0m   CS-2026-0001 行李延误")
        .unwrap_or_else(|| panic!("{frame}"));
    let at_risk = frame.find("10m").unwrap();
    assert!(breached < at_risk, "the breached case first");
    // lin's case and the unassigned ones are not tester's.
    assert!(!frame.contains("CS-2026-0004"));
    assert!(!frame.contains("CS-2026-0003"));
    insta::assert_snapshot!("today_cases_at_risk_120x40", frame);
    // The first row is the breached case: its keys work there.
    key(&mut app, "D");
    type_text(&mut app, "行李已送达");
    key(&mut app, "enter");
    assert_eq!(status_text(&app), "CS-2026-0001 resolved");
    assert!(frame_text(&mut app, 120, 40).contains("My cases at risk or breached (1)"));
}

#[test]
fn the_account_and_contact_views_show_satisfaction() {
    let mut app = app();
    add(
        &mut app.crm,
        Entity::Survey,
        &[("case", "#1"), ("score", "4"), ("nps", "9")],
    );
    add(
        &mut app.crm,
        Entity::Survey,
        &[("account", "#1"), ("score", "5"), ("comment", "满意")],
    );
    app.open(Entity::Account, 1).unwrap();
    let frame = frame_text(&mut app, 120, 40);
    assert!(frame.contains("Satisfaction"), "{frame}");
    assert!(
        frame.contains("4.5/5 average of 2 surveys · latest NPS 9"),
        "{frame}"
    );
    insta::assert_snapshot!("account_satisfaction_120x40", frame);
    // The contact of the case: its one survey.
    app.open(Entity::Contact, 1).unwrap();
    let frame = frame_text(&mut app, 120, 40);
    assert!(
        frame.contains("4.0/5 from 1 survey · latest NPS 9"),
        "{frame}"
    );
    // An account without surveys says nothing of it.
    app.open(Entity::Account, 2).unwrap();
    assert!(!frame_text(&mut app, 120, 40).contains("Satisfaction"));
}

/// The reports screen has the service report, grouped by type first, then by priority;
/// enter on a row lists its cases.
#[test]
fn the_reports_screen_has_the_service_report() {
    use kith::app::reports::Kind;
    let mut app = app();
    keys(&mut app, "9 G");
    let Screen::Reports(r) = top(&app) else {
        panic!("not the reports screen")
    };
    assert_eq!(r.kind(), Kind::Service);
    let report = r.report.as_ref().expect("a report");
    // Five cases opened, none resolved: four complaints and one inquiry.
    let rows = &report.tables[0].1;
    let opened = |ty: &str| {
        rows.iter()
            .find(|row| row.get("type").and_then(|v| v.as_str()) == Some(ty))
            .and_then(|row| row.get("opened"))
            .map(|c| c.to_json())
    };
    assert_eq!(opened("complaint"), Some(4.into()));
    assert_eq!(opened("inquiry"), Some(1.into()));
    let text = frame_text(&mut app, 120, 40);
    assert!(text.contains("Service · all time · by type"), "{text}");
    // b: by priority (all normal).
    key(&mut app, "b");
    let Screen::Reports(r) = top(&app) else {
        panic!("not the reports screen")
    };
    let rows = &r.report.as_ref().expect("a report").tables[0].1;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0].get("priority").and_then(|v| v.as_str()),
        Some("normal")
    );
    // tab, enter: the five cases of that row.
    keys(&mut app, "tab enter");
    assert_eq!(listed(&app).len(), 5);
}
