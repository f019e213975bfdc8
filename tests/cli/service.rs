//! The service desk: a case's SLA clocks on a working-hours calendar with a holiday week
//! and a make-up day, through waiting, resolving and closing; and the input refused.
//! Every deadline is worked out by hand below (the calendar's zone is Asia/Shanghai, UTC+8;
//! the test's clock is UTC).

use super::Kith;

/// A calendar of 09:00–12:00 and 13:30–18:00 on weekdays (7.5 h), 国庆 2026-10-01..07 off,
/// Saturday 2026-10-10 worked; a complaint policy of 1 h to answer and 4 h to resolve.
fn desk() -> Kith {
    let k = Kith::new();
    k.ok(&[
        "calendar",
        "add",
        "工作日",
        "--tz",
        "Asia/Shanghai",
        "--hours",
        "mon-fri 09:00-12:00,13:30-18:00",
    ]);
    k.ok(&[
        "calendar",
        "holiday",
        "add",
        "工作日",
        "2026-10-01..2026-10-07",
        "--name",
        "国庆",
    ]);
    k.ok(&["calendar", "workday", "add", "工作日", "2026-10-10"]);
    k.ok(&[
        "sla",
        "add",
        "咨询",
        "--match",
        "type:inquiry",
        "--respond",
        "10min",
        "--resolve",
        "1d",
        "--calendar",
        "工作日",
    ]);
    k.ok(&[
        "sla",
        "add",
        "投诉",
        "--match",
        "type:complaint",
        "--respond",
        "1h",
        "--resolve",
        "4h",
        "--calendar",
        "工作日",
    ]);
    k.ok(&["account", "add", "首都机场"]);
    k
}

fn case(k: &Kith, now: &str) -> serde_json::Value {
    k.json(&["--now", now, "case", "show", "CS-2026-0001"])
}

#[test]
fn a_complaint_counts_working_time_through_a_wait_over_the_holiday_week() {
    let k = desk();
    // Opened Wednesday 2026-09-30 09:00 local (01:00Z).
    k.ok(&[
        "--now",
        "2026-09-30T01:00:00Z",
        "case",
        "add",
        "行李延误",
        "--account",
        "首都机场",
        "--type",
        "complaint",
        "--assignee",
        "lin",
    ]);
    let c = case(&k, "2026-09-30T01:00:00Z");
    assert_eq!(c["status"], "assigned");
    assert_eq!(c["sla"], "on-track");
    // Answer in 60 working minutes: 10:00 local.
    assert_eq!(c["respond_due"], "2026-09-30T02:00:00Z");
    // Resolve in 240: 09:00–12:00 is 180, then 60 from 13:30: 14:30 local.
    assert_eq!(c["resolve_due"], "2026-09-30T06:30:00Z");
    // At risk at 80 % of 240 = 192: 12 minutes after 13:30, 13:42 local.
    assert_eq!(c["resolve_risk"], "2026-09-30T05:42:00Z");
    assert_eq!(c["due"], "2026-09-30T02:00:00Z");

    // Answered at 09:30: 30 working minutes.
    k.ok(&[
        "--now",
        "2026-09-30T01:30:00Z",
        "case",
        "reply",
        "CS-2026-0001",
        "已联系地服",
        "--channel",
        "phone",
    ]);
    // Waiting from 11:00 (120 minutes spent) over the holiday week, resumed Thursday
    // 2026-10-08 10:00: 120 left, to 12:00 local.
    k.ok(&[
        "--now",
        "2026-09-30T03:00:00Z",
        "case",
        "wait",
        "CS-2026-0001",
    ]);
    let c = case(&k, "2026-10-01T03:00:00Z");
    assert_eq!(c["sla"], "paused");
    assert_eq!(c["response_minutes"], 30);
    assert!(c["resolve_due"].is_null());
    k.ok(&[
        "--now",
        "2026-10-08T02:00:00Z",
        "case",
        "resume",
        "CS-2026-0001",
    ]);
    let c = case(&k, "2026-10-08T02:00:00Z");
    assert_eq!(c["resolve_due"], "2026-10-08T04:00:00Z");
    // 192 reached 72 minutes after 10:00: 11:12 local.
    assert_eq!(c["resolve_risk"], "2026-10-08T03:12:00Z");
    assert_eq!(case(&k, "2026-10-08T03:30:00Z")["sla"], "at-risk");
    let late = k.json(&[
        "--now",
        "2026-10-08T05:00:00Z",
        "case",
        "list",
        "sla:breached",
    ]);
    assert_eq!(late.as_array().unwrap().len(), 1);
    // Resolved at 14:00 local: 120 + 120 + 30 = 270 working minutes, past its 240.
    k.ok(&[
        "--now",
        "2026-10-08T06:00:00Z",
        "case",
        "resolve",
        "CS-2026-0001",
        "--resolution",
        "行李已送达",
    ]);
    let c = case(&k, "2026-10-09T00:00:00Z");
    assert_eq!(c["resolution_minutes"], 270);
    assert_eq!(c["sla"], "breached");
    // Closing asks for a return visit by the assignee.
    k.ok(&[
        "--now",
        "2026-10-08T06:10:00Z",
        "case",
        "close",
        "CS-2026-0001",
        "--survey",
    ]);
    let tasks = k.json(&["task", "list", "case:CS-2026-0001"]);
    assert_eq!(tasks[0]["owner"], "lin");
    // A closed case takes no reply, and nothing is written.
    let err = k.fails(&["case", "reply", "CS-2026-0001", "还有问题"], 2);
    assert!(err.contains("reopen"), "{err}");
    assert_eq!(k.json(&["activity", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_case_opened_on_the_eve_of_the_holiday_week_runs_on_after_it() {
    let k = desk();
    // An inquiry at 17:55 local on 2026-09-30: 5 minutes that day, the other 5 on the
    // next working day after the holiday week, 10-08 09:05 local.
    k.ok(&[
        "--now",
        "2026-09-30T09:55:00Z",
        "case",
        "add",
        "航班查询",
        "--account",
        "首都机场",
        "--type",
        "inquiry",
    ]);
    let c = case(&k, "2026-09-30T09:55:00Z");
    assert_eq!(c["respond_due"], "2026-10-08T01:05:00Z");
    // A day is the calendar's 7.5 h: 5 min that day, then 445 min from 10-08 09:00 —
    // 180 to 12:00, 265 from 13:30 to 17:55 local (09:55Z).
    assert_eq!(c["resolve_due"], "2026-10-08T09:55:00Z");
    assert_eq!(c["status"], "new");
}

#[test]
fn bad_service_input_is_refused_and_nothing_is_written() {
    let k = desk();
    for (args, says) in [
        (
            vec![
                "case",
                "add",
                "x",
                "--account",
                "首都机场",
                "--type",
                "praise",
            ],
            "praise",
        ),
        (
            vec![
                "case",
                "add",
                "x",
                "--account",
                "首都机场",
                "--type",
                "inquiry",
                "--priority",
                "asap",
            ],
            "asap",
        ),
        (
            vec![
                "calendar",
                "add",
                "重叠",
                "--tz",
                "Asia/Shanghai",
                "--hours",
                "mon 09:00-12:00,11:00-13:00",
            ],
            "overlap",
        ),
        (
            vec![
                "calendar",
                "add",
                "空",
                "--tz",
                "Asia/Shanghai",
                "--hours",
                "mon 12:00-12:00",
            ],
            "12:00-12:00",
        ),
        (
            vec![
                "calendar",
                "add",
                "时区",
                "--tz",
                "Mars/Olympus",
                "--hours",
                "mon 09:00-12:00",
            ],
            "Mars/Olympus",
        ),
        (
            vec![
                "calendar",
                "holiday",
                "add",
                "工作日",
                "2026-10-07..2026-10-01",
            ],
            "backwards",
        ),
        (
            vec!["sla", "add", "无日历", "--respond", "10min"],
            "calendar",
        ),
        (
            vec![
                "sla",
                "add",
                "月",
                "--respond",
                "10m",
                "--calendar",
                "工作日",
            ],
            "months",
        ),
    ] {
        let before = k.snapshot();
        let err = k.fails(&args, 2);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(k.snapshot(), before, "{args:?} wrote something");
    }
    let not_mail = k.dir.path().join("note.txt");
    std::fs::write(&not_mail, "Just a paragraph of text, not a message.\n").unwrap();
    let err = k.fails(
        &[
            "case",
            "add",
            "--from-mail",
            not_mail.to_str().unwrap(),
            "--account",
            "首都机场",
        ],
        2,
    );
    assert!(err.contains("not a mail message"), "{err}");
}

#[test]
fn a_case_is_made_from_a_foxmail_message_in_gbk() {
    let k = desk();
    let mail = format!(
        "{}/tests/data/mail/foxmail_gbk.eml",
        env!("CARGO_MANIFEST_DIR")
    );
    // Nobody has the sender's address yet: refused unless told to add them.
    let err = k.fails(&["case", "add", "--from-mail", &mail], 2);
    assert!(err.contains("--create-missing"), "{err}");
    k.ok(&[
        "case",
        "add",
        "--from-mail",
        &mail,
        "--create-missing",
        "--type",
        "complaint",
    ]);
    let c = k.json(&["case", "show", "CS-2026-0001"]);
    let contact = k.json(&[
        "contact",
        "show",
        c["contact_id"].as_i64().unwrap().to_string().as_str(),
    ]);
    assert_eq!(contact["email"], "zhang.wei@example.cn");
    assert_eq!(c["channel"], "email");
    assert_eq!(c["type"], "complaint");
    assert_eq!(c["title"], "订单 20260108-3321 迟迟未发货，请尽快处理");
    assert_eq!(contact["name"], "张喆");
    // Piped on standard input, the same sender is found this time.
    let bytes = std::fs::read(&mail).unwrap();
    k.cmd()
        .args(["case", "add", "--from-mail", "-"])
        .write_stdin(bytes)
        .assert()
        .success();
    let c2 = k.json(&["case", "show", "CS-2026-0002"]);
    assert_eq!(c2["contact_id"], c["contact_id"]);
}

/// The escalations of `kith remind`, each once, to whom the rules say; a run with nothing
/// new in between plans its next look, and a changed policy makes that plan stale.
#[test]
fn escalations_reach_the_assignee_the_manager_and_the_lead_once_each() {
    let k = desk();
    let cfg = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        "[care]\nservice_lead = \"zhou\"\ncase_unassigned_minutes = 30\n",
    )
    .unwrap();
    k.ok(&["user", "add", "zhou", "--email", "zhou@example.com"]);
    k.ok(&["user", "add", "lin", "--manager", "zhou"]);
    // Wednesday 2026-09-30 09:00 local (01:00Z): a complaint for lin (first response due
    // 10:00, 02:00Z; at risk at 80 % of the hour, 09:48, 01:48Z) and a suggestion nobody
    // took (no policy matches it: no clocks, only the unassigned rule).
    let at = |t: &str| format!("2026-09-30T{t}:00Z");
    for (title, ty, who) in [("行李延误", "complaint", "lin"), ("建议", "suggestion", "")] {
        let mut args = vec![
            "--now".to_string(),
            at("01:00"),
            "case".into(),
            "add".into(),
            title.into(),
            "--account".into(),
            "首都机场".into(),
            "--type".into(),
            ty.into(),
        ];
        if !who.is_empty() {
            args.extend(["--assignee".into(), who.into()]);
        }
        k.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let remind = |t: &str| -> Vec<(String, String, Vec<String>)> {
        let out = k.ok(&["--now", &at(t), "remind", "--json"]);
        let v: serde_json::Value = if out.trim().is_empty() {
            serde_json::json!([])
        } else {
            serde_json::from_str(&out).unwrap()
        };
        super::arr(&v)
            .iter()
            .filter(|r| r["kind"].as_str().unwrap().starts_with("case_"))
            .map(|r| {
                let to = super::arr(&r["to"])
                    .iter()
                    .map(|t| t.as_str().unwrap().to_string())
                    .collect();
                (
                    r["kind"].as_str().unwrap().to_string(),
                    r["title"].as_str().unwrap().to_string(),
                    to,
                )
            })
            .collect()
    };
    // 09:20: nothing yet (unassigned for 20 minutes, not 30; the complaint not at risk).
    assert_eq!(remind("01:20"), vec![]);
    // 09:31: the suggestion nobody took goes to the service lead.
    let got = remind("01:31");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "case_unassigned");
    assert_eq!(got[0].2, vec!["zhou".to_string()]);
    // 09:40: nothing new; the next moment is 09:48.
    assert_eq!(remind("01:40"), vec![]);
    // 09:41: the complaints' first response is made 40 minutes: due 09:40, already past.
    k.ok(&[
        "--now",
        &at("01:41"),
        "sla",
        "edit",
        "投诉",
        "--respond",
        "40min",
    ]);
    let got = remind("01:42");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "case_breached");
    assert!(got[0].1.contains("CS-2026-0001"), "{got:?}");
    assert_eq!(got[0].2, vec!["lin".to_string(), "zhou".to_string()]);
    assert_eq!(remind("01:43"), vec![]);
    // Answered late at 09:45; a breached clock is not also at risk, an answered one
    // neither.
    k.ok(&[
        "--now",
        &at("01:45"),
        "case",
        "reply",
        "CS-2026-0001",
        "正在查找",
    ]);
    // The resolution: 4 working hours from 09:00 are 09:00–12:00 and 13:30–14:30; at risk
    // at 80 %, 192 minutes: 12:00 and 12 minutes after 13:30, 13:42 (05:42Z).
    assert_eq!(remind("05:41"), vec![]);
    let got = remind("05:43");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "case_at_risk");
    assert_eq!(got[0].2, vec!["lin".to_string()]);
    // Past 14:30 (06:30Z) unresolved: breached again, for the resolution.
    let got = remind("06:31");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "case_breached");
    assert_eq!(got[0].2, vec!["lin".to_string(), "zhou".to_string()]);
    // Resolved: nothing more.
    k.ok(&[
        "--now",
        &at("06:50"),
        "case",
        "resolve",
        "CS-2026-0001",
        "--resolution",
        "已找到",
    ]);
    assert_eq!(remind("07:00"), vec![]);
}

/// `--mail-people`: each escalation mailed to the people it is for, one mail each; what is
/// for nobody with an address goes to `--mail`; each is delivered once.
#[test]
fn escalations_are_mailed_to_the_people_they_are_for() {
    let k = desk();
    let bin = k.dir.path().join("fake-sendmail");
    let spool = k.dir.path().join("spool");
    std::fs::create_dir_all(&spool).unwrap();
    // Each mail its own file, named by its address: the arguments, then the message.
    std::fs::write(
        &bin,
        format!(
            "#!/bin/sh\nf={0}/\"$2\"\necho \"ARGS: $*\" > \"$f\"\ncat >> \"$f\"\n",
            spool.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let cfg = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        format!(
            "[remind]\nsendmail = \"{}\"\n[care]\nservice_lead = \"zhou\"\n",
            bin.display()
        ),
    )
    .unwrap();
    k.ok(&["user", "add", "zhou", "--email", "zhou@example.com"]);
    k.ok(&[
        "user",
        "add",
        "lin",
        "--manager",
        "zhou",
        "--email",
        "lin@example.com",
    ]);
    // Opened 09:00 local (01:00Z): lin's complaint (answer due 10:00) and one nobody took.
    for (title, who) in [("行李延误", Some("lin")), ("无人受理", None)] {
        let mut args = vec![
            "--now",
            "2026-09-30T01:00:00Z",
            "case",
            "add",
            title,
            "--account",
            "首都机场",
            "--type",
            "complaint",
        ];
        if let Some(w) = who {
            args.extend(["--assignee", w]);
        }
        k.ok(&args);
    }
    // 10:05 (02:05Z): lin's case is breached (lin and zhou, her manager); the other is
    // breached (nobody's: no assignee, no manager) and unassigned for 65 minutes (zhou,
    // the lead).
    let out = k.ok(&[
        "--now",
        "2026-09-30T02:05:00Z",
        "remind",
        "--mail-people",
        "--mail",
        "desk@example.com",
    ]);
    assert_eq!(out, "", "all went by mail");
    let read = |a: &str| std::fs::read_to_string(spool.join(a)).unwrap_or_default();
    let lin = read("lin@example.com");
    let zhou = read("zhou@example.com");
    let desk = read("desk@example.com");
    assert!(lin.starts_with("ARGS: -i lin@example.com\n"), "{lin}");
    assert!(lin.contains("Subject: kith: 1 reminder\r\n"), "{lin}");
    assert!(lin.contains("CS-2026-0001"), "{lin}");
    assert!(zhou.contains("Subject: kith: 2 reminders\r\n"), "{zhou}");
    assert!(
        zhou.contains("CS-2026-0001") && zhou.contains("CS-2026-0002"),
        "{zhou}"
    );
    assert!(desk.contains("Subject: kith: 1 reminder\r\n"), "{desk}");
    assert!(desk.contains("SLA breached: CS-2026-0002"), "{desk}");
    // Delivered: the next run sends nothing and prints nothing.
    std::fs::remove_dir_all(&spool).unwrap();
    std::fs::create_dir_all(&spool).unwrap();
    let out = k.ok(&["--now", "2026-09-30T02:06:00Z", "remind", "--mail-people"]);
    assert_eq!(out, "");
    assert_eq!(std::fs::read_dir(&spool).unwrap().count(), 0);
}

/// Cases from a Chinese service desk's export: its headers and its words for the type,
/// the priority and the channel; each case gets its policy's clocks.
#[test]
fn cases_import_from_a_chinese_export_with_its_words() {
    let k = desk();
    let file = k.dir.path().join("工单.csv");
    std::fs::write(
        &file,
        "标题,客户,工单类型,优先级,受理渠道,受理时间\n\
         登机口广播听不清,首都机场,投诉,紧急,电话,2026-09-30T09:00:00+08:00\n\
         询问贵宾室开放时间,首都机场,咨询,一般,微信,2026-09-30 02:00\n\
         希望增加母婴室指引,首都机场,意见建议,低,在线客服,\n",
    )
    .unwrap();
    k.ok(&[
        "--now",
        "2026-09-30T01:00:00Z",
        "import",
        "csv",
        "--entity",
        "case",
        file.to_str().unwrap(),
    ]);
    let cases = k.json(&["case", "list", "--sort", "number"]);
    let got: Vec<(String, String, String, String)> = super::arr(&cases)
        .iter()
        .map(|c| {
            let s = |f: &str| c[f].as_str().unwrap_or("").to_string();
            (s("type"), s("priority"), s("channel"), s("policy"))
        })
        .collect();
    assert_eq!(
        got,
        [
            ("complaint", "urgent", "phone", "投诉"),
            ("inquiry", "normal", "wechat", "咨询"),
            ("suggestion", "low", "web", ""),
        ]
        .map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()))
    );
    // The complaint opened at 09:00 in Shanghai (01:00Z) is answered by 10:00 (02:00Z);
    // the inquiry's moment is local time (the test's zone is UTC): 02:00Z, 10:00 in
    // Shanghai, answered within ten working minutes, by 02:10Z; the suggestion without
    // one was opened when it was imported (01:00Z).
    let cases = super::arr(&cases);
    assert_eq!(cases[0]["opened"], "2026-09-30T01:00:00Z");
    assert_eq!(cases[0]["respond_due"], "2026-09-30T02:00:00Z");
    assert_eq!(cases[1]["opened"], "2026-09-30T02:00:00Z");
    assert_eq!(cases[1]["respond_due"], "2026-09-30T02:10:00Z");
    assert_eq!(cases[2]["opened"], "2026-09-30T01:00:00Z");
}
