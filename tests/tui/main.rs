//! Tests of the full-screen interface: the app driven by keys and the mouse against a
//! hand-made dataset in an in-memory database, with the clock pinned to Sunday
//! 2026-11-22 10:00 local time; and snapshots of every screen drawn on a test terminal.
//!
//! Every write happens at the pinned local time, so the change log (shown in local time
//! in the detail views) reads 2026-11-22 10:00 in any time zone.

mod actions;
mod amounts;
mod bugs;
mod cases;
mod chinese;
mod drill;
mod edit_record;
mod forms;
mod lists;
mod marks;
mod midnight;
mod navigation;
mod notices;
mod pickers;
mod quotes;
mod screens;
mod search;
mod undo;
mod views;

use chrono::NaiveDate;
use kith::app::crm::AllKinds;
use kith::app::crm::{Crm, Env, Input};
use kith::core::clock::Clock;
use kith::domain::sales::activities::{log, FollowUp};
use kith::domain::sales::deals::Move;
use kith::model::record::Record;
use kith::model::Entity;
use kith::store::{ListQuery, Store};
use kith::tui::app::{App, Screen};
use kith::tui::keymap::{Key, Keymap};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::Terminal;

/// Ids of the fixture's records, in creation order.
pub mod ids {
    pub const AIRPORT: i64 = 1; // 广州白云国际机场, tier A
    pub const ACME: i64 = 2; // Acme Robotics Ltd, tier B
    pub const BAOAN: i64 = 3; // 深圳宝安国际机场, tier B
    pub const BRANCH: i64 = 4; // 广州空港物流分公司, tier C, parent AIRPORT

    pub const ZHANG_WEI: i64 = 1;
    pub const LI_NA: i64 = 2;
    pub const JOHN: i64 = 3;
    pub const WANG_FANG: i64 = 4;

    pub const SECURITY: i64 = 1; // proposal, 1,280,000
    pub const ROBOTS: i64 = 2; // needs analysis, 350,000
    pub const BAGGAGE: i64 = 3; // qualification, 860,000
    pub const CARGO_SW: i64 = 4; // won
    pub const SPARES: i64 = 5; // lost (budget)

    pub const TASK_FUTURE: i64 = 1; // the follow-up logged with the note, due 2026-12-05
    pub const TASK_OVERDUE: i64 = 2; // due 2026-11-20
    pub const TASK_TODAY: i64 = 3; // due today 16:00
    pub const TASK_DONE: i64 = 4;
}

pub fn env() -> Env {
    Env {
        clock: Clock::at_local(
            NaiveDate::from_ymd_opt(2026, 11, 22)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        ),
        user: "tester".into(),
        currency: "CNY".into(),
        allow_duplicates: false,
    }
}

fn add(crm: &mut Crm, e: Entity, pairs: &[(&str, &str)]) -> i64 {
    let mut input = Input::new();
    for (k, v) in pairs {
        input.set(k, *v);
    }
    crm.create(e, &input)
        .unwrap_or_else(|err| panic!("create {e} {pairs:?}: {err}"))
}

/// The dataset every test starts from.
pub fn crm() -> Crm {
    let mut crm = Crm::new(Store::open_in_memory().unwrap(), env());
    crm.ensure_setup().unwrap();
    use Entity::*;

    // Accounts.
    let a1 = add(
        &mut crm,
        Account,
        &[
            ("name", "广州白云国际机场"),
            ("type", "customer"),
            ("tier", "A"),
            ("status", "active"),
            ("industry", "航空"),
            ("city", "广州"),
            ("phone", "+86 20 3606 6999"),
            ("tags", "airport,vip"),
        ],
    );
    let a2 = add(
        &mut crm,
        Account,
        &[
            ("name", "Acme Robotics Ltd"),
            ("type", "prospect"),
            ("tier", "B"),
            ("industry", "Manufacturing"),
            ("city", "Austin"),
            ("website", "acme.example"),
        ],
    );
    let a3 = add(
        &mut crm,
        Account,
        &[
            ("name", "深圳宝安国际机场"),
            ("type", "prospect"),
            ("tier", "B"),
            ("industry", "航空"),
            ("city", "深圳"),
        ],
    );
    let a4 = add(
        &mut crm,
        Account,
        &[
            ("name", "广州空港物流分公司"),
            ("type", "customer"),
            ("tier", "C"),
            ("industry", "物流"),
            ("city", "广州"),
            ("parent", "#1"),
        ],
    );
    assert_eq!(
        (a1, a2, a3, a4),
        (ids::AIRPORT, ids::ACME, ids::BAOAN, ids::BRANCH)
    );

    // Contacts.
    add(
        &mut crm,
        Contact,
        &[
            ("name", "张伟"),
            ("account", "#1"),
            ("title", "采购经理"),
            ("email", "zhang.wei@gzairport.example"),
            ("phone", "+86 138 0013 8000"),
        ],
    );
    add(
        &mut crm,
        Contact,
        &[("name", "李娜"), ("account", "#1"), ("title", "信息部主任")],
    );
    add(
        &mut crm,
        Contact,
        &[
            ("name", "John Smith"),
            ("account", "#2"),
            ("title", "CTO"),
            ("email", "john@acme.example"),
        ],
    );
    add(
        &mut crm,
        Contact,
        &[("name", "王芳"), ("account", "#3"), ("title", "运营总监")],
    );

    // Leads.
    add(
        &mut crm,
        Lead,
        &[
            ("name", "陈静"),
            ("company", "成都双流机场"),
            ("source", "展会"),
            ("status", "new"),
            ("score", "60"),
        ],
    );
    add(
        &mut crm,
        Lead,
        &[
            ("name", "Emily Clark"),
            ("company", "Northwind Traders"),
            ("source", "website"),
            ("status", "contacted"),
            ("score", "40"),
        ],
    );

    // Deals: all start in qualification, then move.
    let deal = |crm: &mut Crm, pairs: &[(&str, &str)]| add(crm, Deal, pairs);
    let d1 = deal(
        &mut crm,
        &[
            ("title", "航站楼安检系统升级"),
            ("account", "#1"),
            ("contact", "#1"),
            ("amount", "1280000"),
            ("expected_close", "2026-12-15"),
        ],
    );
    let d2 = deal(
        &mut crm,
        &[
            ("title", "Acme warehouse robots"),
            ("account", "#2"),
            ("contact", "#3"),
            ("amount", "350000"),
            ("expected_close", "2026-11-30"),
        ],
    );
    let d3 = deal(
        &mut crm,
        &[
            ("title", "宝安机场行李系统"),
            ("account", "#3"),
            ("contact", "#4"),
            ("amount", "860000"),
            ("expected_close", "2027-01-20"),
        ],
    );
    let d4 = deal(
        &mut crm,
        &[
            ("title", "货运仓储管理软件"),
            ("account", "#4"),
            ("amount", "120000"),
            ("expected_close", "2026-11-10"),
        ],
    );
    let d5 = deal(
        &mut crm,
        &[
            ("title", "Acme spare parts"),
            ("account", "#2"),
            ("amount", "45000"),
            ("expected_close", "2026-11-05"),
        ],
    );
    assert_eq!(
        (d1, d2, d3, d4, d5),
        (
            ids::SECURITY,
            ids::ROBOTS,
            ids::BAGGAGE,
            ids::CARGO_SW,
            ids::SPARES
        )
    );
    crm.write(|w, env| {
        kith::domain::sales::deals::move_to(w, env, d1, "proposal", &Move::default())?;
        kith::domain::sales::deals::move_to(w, env, d2, "needs analysis", &Move::default())?;
        kith::domain::sales::deals::close(w, env, d4, "won", &Move::default())?;
        kith::domain::sales::deals::close(
            w,
            env,
            d5,
            "lost",
            &Move {
                probability: None,
                reason: Some("budget".into()),
            },
        )?;
        Ok(())
    })
    .unwrap();

    // Activities: a visit planned for today at 14:00, some in the past.
    crm.write(|w, env| {
        log(
            w,
            env,
            &AllKinds,
            &Input::new()
                .with("kind", "visit")
                .with("subject", "拜访白云机场信息部")
                .with("at", "2026-11-22T14:00")
                .with("account", "#1")
                .with("contact", "#2"),
            None,
        )?;
        log(
            w,
            env,
            &AllKinds,
            &Input::new()
                .with("kind", "call")
                .with("subject", "Call John about robots")
                .with("at", "2026-11-20T15:30")
                .with("contact", "#3")
                .with("deal", "#2")
                .with("outcome", "sent specs")
                .with("minutes", "20"),
            None,
        )?;
        log(
            w,
            env,
            &AllKinds,
            &Input::new()
                .with("kind", "meeting")
                .with("subject", "方案评审会")
                .with("at", "2026-11-18T10:00")
                .with("deal", "#1")
                .with("minutes", "90"),
            None,
        )?;
        log(
            w,
            env,
            &AllKinds,
            &Input::new()
                .with("kind", "note")
                .with("subject", "宝安机场预算已批")
                .with("at", "2026-11-21T09:00")
                .with("account", "#3"),
            Some(&FollowUp {
                title: "准备年度回顾".into(),
                due: Some("2026-12-05".into()),
                priority: None,
            }),
        )?;
        Ok(())
    })
    .unwrap();

    // Tasks: one overdue, one due today, the future one above, one done.
    let t1 = add(
        &mut crm,
        Task,
        &[
            ("title", "发送报价单"),
            ("due", "2026-11-20"),
            ("priority", "high"),
            ("account", "#1"),
        ],
    );
    let t2 = add(
        &mut crm,
        Task,
        &[
            ("title", "Follow up with John"),
            ("due", "2026-11-22T16:00"),
            ("contact", "#3"),
        ],
    );
    let t4 = add(
        &mut crm,
        Task,
        &[
            ("title", "Send NDA"),
            ("due", "2026-11-15"),
            ("account", "#2"),
            ("done", "yes"),
        ],
    );
    assert_eq!(
        (t1, t2, t4),
        (ids::TASK_OVERDUE, ids::TASK_TODAY, ids::TASK_DONE)
    );
    crm
}

/// Records of a kind, in id order (trash left out).
pub fn all(crm: &Crm, e: Entity) -> Vec<Record> {
    crm.list(e, &ListQuery::default()).unwrap()
}

/// The fixture copied into a database file in `dir` (so a second connection can read or
/// write it beside the app's), with the app on it and the file's path.
pub fn app_on_file(dir: &tempfile::TempDir) -> (App, std::path::PathBuf) {
    let path = dir.path().join("kith.db");
    crm().store.backup_to(&path).unwrap();
    let app = App::new(
        Crm::new(Store::open(&path).unwrap(), env()),
        Keymap::default(),
        false,
    )
    .unwrap();
    (app, path)
}

pub fn app() -> App {
    App::new(crm(), Keymap::default(), false).unwrap()
}

/// A key as the keymap spells it: `j`, `G`, `enter`, `esc`, `tab`, `shift-tab`, `ctrl-s`.
pub fn key_event(spec: &str) -> KeyEvent {
    let k = Key::parse(spec).unwrap_or_else(|e| panic!("key {spec:?}: {e}"));
    KeyEvent::new(k.code, k.mods)
}

pub fn key(app: &mut App, spec: &str) {
    app.key(key_event(spec));
}

/// Several keys separated by spaces: `"j j enter"`.
pub fn keys(app: &mut App, specs: &str) {
    for s in specs.split_whitespace() {
        key(app, s);
    }
}

/// Type text character by character, as a terminal sends it.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

pub fn scroll(app: &mut App, down: bool) {
    app.mouse(MouseEvent {
        kind: if down {
            MouseEventKind::ScrollDown
        } else {
            MouseEventKind::ScrollUp
        },
        column: 10,
        row: 5,
        modifiers: KeyModifiers::NONE,
    });
}

/// Run the test `name` (`module::test`) alone in a child process of this test binary,
/// with `setup` done first there: for what is the process's (the language, how amounts are
/// shown), which the other tests, on other threads, must not see. True when this is the
/// child, which then runs the test's body; in the parent, the child has passed.
pub fn in_child(name: &str, setup: impl FnOnce()) -> bool {
    const CHILD: &str = "KITH_TEST_CHILD";
    if std::env::var_os(CHILD).is_some() {
        setup();
        return true;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--test-threads", "1"])
        .env(CHILD, "1")
        .output()
        .expect("run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{name} in its child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The child ran the one test, not none.
    assert!(stdout.contains("1 passed"), "{stdout}");
    false
}

/// Draw one frame at a size.
pub fn render(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    kith::tui::draw(&mut terminal, app).unwrap();
    terminal
}

/// The drawn frame as text, one line per row.
pub fn frame_text(app: &mut App, width: u16, height: u16) -> String {
    render(app, width, height).backend().to_string()
}

pub fn top(app: &App) -> &Screen {
    app.screens.last().unwrap()
}

/// The text drawn reversed (the selection and the current tab) on each row that has some.
pub fn highlighted(terminal: &Terminal<TestBackend>) -> Vec<String> {
    use ratatui::style::Modifier;
    let buf = terminal.backend().buffer();
    let area = buf.area;
    (area.top()..area.bottom())
        .filter_map(|y| {
            let text: String = (area.left()..area.right())
                .map(|x| &buf[(x, y)])
                .filter(|c| c.modifier.contains(Modifier::REVERSED))
                .map(|c| c.symbol())
                .collect();
            let text = text.trim().to_string();
            (!text.is_empty()).then_some(text)
        })
        .collect()
}

/// One row of the drawn frame, as text (wide characters once).
pub fn row_text(terminal: &Terminal<TestBackend>, y: u16) -> String {
    let buf = terminal.backend().buffer();
    let mut s = String::new();
    let mut skip = 0;
    for x in 0..buf.area.width {
        let sym = buf[(x, y)].symbol();
        if skip > 0 {
            skip -= 1;
            continue;
        }
        skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        s.push_str(sym);
    }
    s
}
