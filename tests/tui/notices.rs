//! The notifications (`!`: what `kith remind` would deliver now, delivering nothing) and
//! the screens following another program's changes to the database file.

use crate::*;
use kith::domain::sales::remind::{self, Which};
use kith::model::Entity;
use kith::tui::app::Popup;

fn notices(app: &App) -> &kith::tui::screens::notices::Notices {
    match &app.popup {
        Some(Popup::Notices(n)) => n,
        _ => panic!("the notifications are not open"),
    }
}

fn task_keys(app: &App) -> Vec<(String, bool)> {
    notices(app)
        .items
        .iter()
        .filter(|(r, _)| r.kind == "task")
        .map(|(r, delivered)| (r.key.clone(), *delivered))
        .collect()
}

#[test]
fn the_notifications_list_what_remind_would_deliver_and_deliver_nothing() {
    let mut app = app();
    key(&mut app, "!");
    // At Sunday 2026-11-22 10:00: the task due on the 20th (overdue) and the one due
    // today at 16:00; not the done one, not the one due on 5 December.
    let want = vec![
        (format!("task:{}:2026-11-20", ids::TASK_OVERDUE), false),
        (
            format!("task:{}:2026-11-22T16:00:00", ids::TASK_TODAY),
            false,
        ),
    ];
    assert_eq!(task_keys(&app), want);
    let text = frame_text(&mut app, 120, 30);
    assert!(text.contains("发送报价单"), "{text}");
    assert!(text.contains("Follow up with John"), "{text}");
    assert!(!text.contains("Send NDA"), "{text}");
    // Every line is the line kith remind prints.
    for (r, _) in &notices(&app).items {
        let line = remind::deliver::line(r);
        let start: String = line.chars().take(40).collect();
        assert!(text.contains(start.trim_end()), "{line}\n{text}");
    }
    // Looking delivered nothing: remind would still deliver both.
    key(&mut app, "esc");
    let fresh = remind::collect(&app.crm, None, &app.care, Which::Undelivered).unwrap();
    let fresh_tasks = fresh.iter().filter(|r| r.kind == "task").count();
    assert_eq!(fresh_tasks, 2);
    // Once a run of kith remind delivered them, they are marked so, and no longer counted.
    let all = notices_after(&mut app);
    let before = app.due.unwrap();
    let tasks: Vec<_> = all.into_iter().filter(|r| r.kind == "task").collect();
    let keys: Vec<String> = tasks.iter().map(|r| r.key.clone()).collect();
    remind::claim(&mut app.crm, tasks).unwrap();
    remind::settle(&mut app.crm, &keys, &[]).unwrap();
    key(&mut app, "!");
    assert_eq!(
        task_keys(&app),
        want.iter()
            .map(|(k, _)| (k.clone(), true))
            .collect::<Vec<_>>()
    );
    assert_eq!(app.due, Some(before - 2));
    let text = frame_text(&mut app, 120, 30);
    assert!(text.contains("(delivered)"), "{text}");
}

fn notices_after(app: &mut App) -> Vec<remind::Reminder> {
    key(app, "!");
    let items = notices(app).items.iter().map(|(r, _)| r.clone()).collect();
    key(app, "esc");
    items
}

#[test]
fn enter_opens_a_reminder_s_record_and_the_tab_bar_counts_them() {
    let mut app = app();
    // Counted when no key comes.
    app.idle();
    let n = app.due.unwrap();
    // The two tasks due: the fixture's accounts are all within their care rules.
    assert_eq!(n, 2);
    let text = frame_text(&mut app, 120, 30);
    let tabs = text.lines().next().unwrap().to_string();
    assert!(
        tabs.contains(&format!("Reports              ! {n} ")),
        "{tabs}"
    );
    // Marking a task done counts again, after the next quiet moment.
    keys(&mut app, "8");
    key(&mut app, "!");
    let first = notices(&app).items[0].0.clone();
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    let Screen::Detail(d) = top(&app) else {
        panic!("no detail view");
    };
    assert_eq!(
        (d.entity.name().to_string(), d.id),
        (first.record_kind.clone(), first.record_id)
    );
    assert_eq!(first.kind, "task");
    key(&mut app, "x");
    app.idle();
    assert_eq!(app.due, Some(n - 1));
}

#[test]
fn another_program_s_change_is_read_into_the_screens() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, path) = crate::app_on_file(&dir);
    app.look_every = std::time::Duration::ZERO;
    key(&mut app, "2");
    app.idle();
    // What is due is read on a connection of its own, which writes nothing: its reading
    // is not another program's change.
    while app.due_reading() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.tick();
    }
    app.idle();
    assert!(app.status.is_none(), "{:?}", app.status);
    assert_eq!(list_len(&app), 4);
    // Our own write is not another program's.
    app.crm
        .create(Entity::Account, &Input::new().with("name", "Mine"))
        .unwrap();
    app.reload_all().unwrap();
    app.status = None;
    app.idle();
    assert!(app.status.is_none(), "{:?}", app.status);
    let mut other = kith::Crm::new(kith::store::Store::open(&path).unwrap(), crate::env());
    other
        .create(Entity::Account, &Input::new().with("name", "From cron"))
        .unwrap();
    app.idle();
    assert_eq!(list_len(&app), 6);
    let text = frame_text(&mut app, 120, 30);
    assert!(text.contains("From cron"), "{text}");
    assert!(text.contains("changed by another program"), "{text}");
    // An open form keeps what was typed.
    key(&mut app, "n");
    type_text(&mut app, "Half typed");
    other
        .create(Entity::Account, &Input::new().with("name", "Again"))
        .unwrap();
    app.idle();
    let Screen::Form(f) = top(&app) else {
        panic!("the form was closed");
    };
    assert_eq!(f.value("name"), "Half typed");
}

fn list_len(app: &App) -> usize {
    match app.screens.first() {
        Some(Screen::List(l)) => l.rows.len(),
        _ => panic!("not a list"),
    }
}
