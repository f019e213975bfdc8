use serde_json::{json, Value};

use crate::{arr, col, Kith};

#[test]
fn a_repeating_task_comes_back_when_done() {
    let k = Kith::new();
    k.id(&["account", "add", "Acme"]);
    // Sunday 2026-11-22; weekdays from Friday the 27th.
    let id = k.id(&[
        "task",
        "add",
        "Stand-up notes",
        "--due",
        "2026-11-27 09:00",
        "--repeat",
        "weekdays",
        "--account",
        "Acme",
        "--priority",
        "high",
        "--tag",
        "ops",
    ]);
    let t = k.json(&["task", "show", &id.to_string()]);
    assert_eq!(t["recurrence"], "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
    let out = k.run(&["task", "done", &id.to_string()]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("next: task 2 due 2026-11-30 09:00"), "{err}");
    let next = k.json(&["task", "show", "2"]);
    assert_eq!(next["title"], "Stand-up notes");
    assert_eq!(
        next["due"], "2026-11-30T09:00:00",
        "Friday's next weekday is Monday"
    );
    assert_eq!(
        (
            next["account_id"].clone(),
            next["priority"].clone(),
            next["tags"].clone()
        ),
        (json!(1), json!("high"), json!(["ops"]))
    );
    assert_eq!(next["parent_id"], json!(id));
    assert_eq!(next["done"], false);
    // Reopened and done again: the next occurrence is there already, no second one.
    k.ok(&["task", "reopen", &id.to_string()]);
    assert_eq!(arr(&k.json(&["task", "list", "done:no"])).len(), 2);
    k.ok(&["task", "done", &id.to_string()]);
    assert_eq!(
        col(&k.json(&["task", "list", "done:no"]), "id"),
        vec![json!(2)]
    );
}

#[test]
fn monthly_rules_and_chains() {
    let k = Kith::new();
    k.id(&[
        "task",
        "add",
        "Close the books",
        "--due",
        "2026-11-30",
        "--repeat",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
    ]);
    k.ok(&["task", "done", "1"]);
    assert_eq!(k.json(&["task", "show", "2"])["due"], "2026-12-31");
    // The title now names a done and an open task: it means the open one.
    k.ok(&["task", "done", "Close the books"]);
    assert_eq!(k.json(&["task", "show", "3"])["due"], "2027-01-31");
    // Chained: a week after it is done, whenever that is.
    k.id(&[
        "task",
        "add",
        "Water plants",
        "--due",
        "2026-11-18",
        "--chain",
        "7d",
    ]);
    k.ok(&["task", "done", "Water plants"]);
    let next = arr(&k.json(&["task", "list", "title:Water plants", "done:no"]));
    assert_eq!(
        col(&Value::Array(next.clone()), "due"),
        vec![json!("2026-11-29")]
    );
    assert_eq!(next[0]["recurrence"], "chain:7d");
    // Every 2 weeks, COUNT runs out.
    k.id(&[
        "task",
        "add",
        "Three times",
        "--due",
        "2026-11-23",
        "--repeat",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=2",
    ]);
    k.ok(&["task", "done", "Three times"]);
    let second = arr(&k.json(&["task", "list", "title:Three times", "done:no"]));
    assert_eq!(second[0]["due"], "2026-12-07");
    k.ok(&["task", "done", &second[0]["id"].to_string()]);
    assert!(
        arr(&k.json(&["task", "list", "title:Three times", "done:no"])).is_empty(),
        "the rule ran out"
    );
}

#[test]
fn repeat_specs_are_checked() {
    let k = Kith::new();
    for (args, want) in [
        (
            vec![
                "task",
                "add",
                "x",
                "--due",
                "today",
                "--repeat",
                "every fortnight",
            ],
            "--repeat",
        ),
        (
            vec![
                "task",
                "add",
                "x",
                "--due",
                "today",
                "--repeat",
                "FREQ=SOMETIMES",
            ],
            "--repeat",
        ),
        (
            vec!["task", "add", "x", "--repeat", "daily"],
            "needs a due date",
        ),
        (
            vec!["task", "add", "x", "--due", "today", "--chain", "0d"],
            "--chain",
        ),
    ] {
        let err = k.fails(&args, 2);
        assert!(
            err.contains(want),
            "kith {args:?}: wanted {want:?} in {err}"
        );
    }
    k.fails(
        &[
            "task", "add", "x", "--due", "today", "--repeat", "daily", "--chain", "1d",
        ],
        2,
    );
    assert!(arr(&k.json(&["task", "list"])).is_empty());
    // A rule can be changed and removed.
    k.id(&["task", "add", "x", "--due", "today", "--repeat", "daily"]);
    k.ok(&["task", "edit", "x", "--repeat", "every 3 days"]);
    assert_eq!(
        k.json(&["task", "show", "x"])["recurrence"],
        "FREQ=DAILY;INTERVAL=3"
    );
    k.ok(&["task", "edit", "x", "--repeat", "none"]);
    assert_eq!(k.json(&["task", "show", "x"])["recurrence"], json!(null));
}

#[test]
fn snooze_moves_the_due_date_from_now() {
    let k = Kith::new();
    k.id(&["task", "add", "Call back", "--due", "2026-11-20"]);
    k.ok(&["task", "snooze", "Call back", "tomorrow", "9am"]);
    assert_eq!(k.json(&["task", "show", "1"])["due"], "2026-11-23T09:00:00");
    k.ok(&["task", "snooze", "1", "+2d"]);
    assert_eq!(k.json(&["task", "show", "1"])["due"], "2026-11-24");
    let err = k.fails(&["task", "snooze", "1", "someday"], 2);
    assert!(err.contains("bad date 'someday'"), "{err}");
    assert_eq!(arr(&k.json(&["task", "history", "1"])).len(), 3);
}

#[test]
fn the_agenda_goes_day_by_day() {
    let k = Kith::new();
    k.id(&["account", "add", "Airport"]);
    k.id(&["task", "add", "Overdue", "--due", "2026-11-20"]);
    k.id(&[
        "task",
        "add",
        "Prep",
        "--due",
        "2026-11-23",
        "--account",
        "Airport",
    ]);
    k.id(&[
        "log",
        "visit",
        "Site visit",
        "--account",
        "Airport",
        "--at",
        "2026-11-23 14:00",
    ]);
    k.id(&[
        "deal",
        "add",
        "Big one",
        "--account",
        "Airport",
        "--close",
        "2026-11-24",
        "--amount",
        "1.2m",
        "--currency",
        "CNY",
    ]);
    k.id(&[
        "contact",
        "add",
        "王芳",
        "--account",
        "Airport",
        "--birthday",
        "1985-11-25",
    ]);
    let a = k.json(&["agenda", "--days", "4"]);
    assert_eq!(col(&a["overdue"], "title"), vec![json!("Overdue")]);
    let days: Vec<String> = arr(&a["days"])
        .iter()
        .map(|d| d["date"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        days,
        vec!["2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25"]
    );
    let monday = &arr(&a["days"])[1]["items"];
    assert_eq!(
        col(monday, "title"),
        vec![json!("Site visit"), json!("Prep")],
        "timed first"
    );
    assert_eq!(arr(monday)[0]["time"], "14:00");
    assert_eq!(arr(monday)[0]["kind"], "visit");
    assert_eq!(arr(&arr(&a["days"])[2]["items"])[0]["kind"], "deal");
    assert_eq!(arr(&arr(&a["days"])[3]["items"])[0]["kind"], "birthday");
    let table = k.ok(&["agenda", "--days", "2"]);
    assert!(
        table.contains("Mon 2026-11-23") && table.contains("Site visit"),
        "{table}"
    );
    k.fails(&["agenda", "--days", "0"], 2);
}

#[test]
fn the_calendar_export_is_read_by_an_icalendar_parser() {
    let k = Kith::new();
    k.id(&["account", "add", "Airport", "--city", "广州"]);
    k.id(&[
        "task",
        "add",
        "报价, 第二版; final",
        "--due",
        "2026-11-24 10:00",
        "--account",
        "Airport",
        "--priority",
        "high",
    ]);
    k.id(&["task", "add", "Done one", "--due", "2026-11-24"]);
    k.ok(&["task", "done", "Done one"]);
    k.id(&[
        "log",
        "meeting",
        "季度拜访",
        "--account",
        "Airport",
        "--at",
        "2026-11-25 15:00",
        "--minutes",
        "90",
    ]);
    k.id(&["log", "call", "Past call", "--at", "2026-11-20 15:00"]);
    let path = k.dir.path().join("kith.ics");
    k.ok(&["export", "ical", "-o", path.to_str().unwrap()]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        k.ok(&["export", "ical"]),
        text,
        "stdout and -o agree, and exports are stable"
    );
    let parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cals: Vec<_> = parser.collect::<Result<_, _>>().expect("valid iCalendar");
    assert_eq!(cals.len(), 1);
    let prop = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let todos = &cals[0].todos;
    assert_eq!(todos.len(), 1, "only open tasks");
    assert_eq!(
        prop(&todos[0].properties, "SUMMARY"),
        "报价\\, 第二版\\; final"
    );
    assert_eq!(prop(&todos[0].properties, "DUE"), "20261124T100000");
    assert_eq!(prop(&todos[0].properties, "PRIORITY"), "1");
    assert!(prop(&todos[0].properties, "UID").starts_with("kith-task-1-"));
    let events = &cals[0].events;
    assert_eq!(events.len(), 1, "only planned activities");
    assert_eq!(prop(&events[0].properties, "SUMMARY"), "meeting: 季度拜访");
    assert_eq!(prop(&events[0].properties, "DTSTART"), "20261125T150000");
    assert_eq!(prop(&events[0].properties, "DTEND"), "20261125T163000");
    assert_eq!(prop(&events[0].properties, "LOCATION"), "广州");
}
