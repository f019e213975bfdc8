//! `kith report service`: the service desk's counts, working-minute medians and 90th
//! percentiles, SLA attainment, breaches, satisfaction and NPS over May 2026, per group
//! and as the monthly summary, and the input refused. Every figure is worked out by hand
//! below from the cases' times. The calendar is 09:00–12:00 and 13:30–18:00 on weekdays
//! in Asia/Shanghai (UTC+8); the test's clock and its days are UTC. 2026-05-04 is a
//! Monday.

use super::Kith;

/// Run `kith` at a pinned moment.
fn at(k: &Kith, now: &str, args: &[&str]) {
    let mut a = vec!["--now", now];
    a.extend_from_slice(args);
    k.ok(&a);
}

/// The report is read on 2026-06-02, after May.
const AFTER: &str = "2026-06-02T00:00:00Z";

/// The desk of tests/cli/service.rs (complaints: 1 h to answer, 4 h = 240 min to
/// resolve; inquiries: 10 min and a day = 450 min), two airports, a product, and:
///
/// | case | type      | account | opened (UTC)  | replied       | resolved      |
/// |------|-----------|---------|---------------|---------------|---------------|
/// | 0001 | complaint | 首都     | 04-30 01:00   | 01:10 (10)    | 03:00 (120)   |
/// | 0002 | complaint | 首都     | 05-04 01:00   | 01:30 (30)    | 04:00 (180)   |
/// | 0003 | complaint | 首都     | 05-04 02:00   | 03:30 (90)    | 07:00 (210)   |
/// | 0004 | inquiry   | 首都     | 05-05 01:00   | 01:05 (5)     | 06:00 (210)   |
/// | 0005 | inquiry   | 大兴     | 05-06 01:00   | —             | —             |
/// | 0006 | complaint | 大兴     | 05-07 01:00   | 01:20 (20)    | —             |
///
/// (working minutes in brackets). Deadlines: 0003 answers by 03:00 (10:00 local + 60),
/// so its reply is 30 minutes late; it resolves by 07:30 (10:00–12:00 is 120, then 120
/// from 13:30: 15:30 local), met. 0005 answers by 05-06 01:10 and resolves by 05-06
/// 10:00 (18:00 local): both breached. 0006 resolves by 05-07 06:30 (14:30 local):
/// breached. 0002 and 0004 meet both clocks.
fn may() -> Kith {
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
    for (name, m, respond, resolve) in [
        ("咨询", "type:inquiry", "10min", "1d"),
        ("投诉", "type:complaint", "1h", "4h"),
    ] {
        k.ok(&[
            "sla",
            "add",
            name,
            "--match",
            m,
            "--respond",
            respond,
            "--resolve",
            resolve,
            "--calendar",
            "工作日",
        ]);
    }
    k.ok(&["account", "add", "首都机场"]);
    k.ok(&["account", "add", "大兴机场"]);
    k.ok(&["product", "add", "行李系统"]);
    let add = |now: &str, title: &str, account: &str, ty: &str, more: &[&str]| {
        let mut a = vec![
            "case",
            "add",
            title,
            "--account",
            account,
            "--type",
            ty,
            "--channel",
            "phone",
        ];
        a.extend_from_slice(more);
        at(&k, now, &a);
    };
    let reply = |now: &str, n: &str| at(&k, now, &["case", "reply", n, "已回复"]);
    let resolve = |now: &str, n: &str| {
        at(&k, now, &["case", "resolve", n, "--resolution", "已处理"]);
    };
    add(
        "2026-04-30T01:00:00Z",
        "四月的投诉",
        "首都机场",
        "complaint",
        &["--assignee", "lin", "--category", "行李"],
    );
    reply("2026-04-30T01:10:00Z", "CS-2026-0001");
    resolve("2026-04-30T03:00:00Z", "CS-2026-0001");
    add(
        "2026-05-04T01:00:00Z",
        "行李破损",
        "首都机场",
        "complaint",
        &[
            "--assignee",
            "lin",
            "--category",
            "行李",
            "--product",
            "行李系统",
        ],
    );
    add(
        "2026-05-04T02:00:00Z",
        "行李延误",
        "首都机场",
        "complaint",
        &[
            "--assignee",
            "lin",
            "--category",
            "行李",
            "--product",
            "行李系统",
        ],
    );
    reply("2026-05-04T01:30:00Z", "CS-2026-0002");
    reply("2026-05-04T03:30:00Z", "CS-2026-0003");
    resolve("2026-05-04T04:00:00Z", "CS-2026-0002");
    resolve("2026-05-04T07:00:00Z", "CS-2026-0003");
    add(
        "2026-05-05T01:00:00Z",
        "航班查询",
        "首都机场",
        "inquiry",
        &["--assignee", "wang", "--category", "航班信息"],
    );
    reply("2026-05-05T01:05:00Z", "CS-2026-0004");
    resolve("2026-05-05T06:00:00Z", "CS-2026-0004");
    add(
        "2026-05-06T01:00:00Z",
        "登机口变更",
        "大兴机场",
        "inquiry",
        &["--assignee", "wang", "--category", "航班信息"],
    );
    add(
        "2026-05-07T01:00:00Z",
        "安检排队",
        "大兴机场",
        "complaint",
        &["--category", "行李"],
    );
    reply("2026-05-07T01:20:00Z", "CS-2026-0006");
    at(
        &k,
        "2026-05-08T01:00:00Z",
        &[
            "case",
            "edit",
            "CS-2026-0005",
            "--breach-reason",
            "等待航司回复",
        ],
    );
    // Surveys in May: 0002 5 and NPS 10, 0003 3 and 6, 0004 4 and 9, 0006 2 without
    // NPS; one on 06-01 (outside May) 1 and 0.
    for (case, score, nps, on) in [
        ("CS-2026-0002", "5", Some("10"), "2026-05-04"),
        ("CS-2026-0003", "3", Some("6"), "2026-05-05"),
        ("CS-2026-0004", "4", Some("9"), "2026-05-06"),
        ("CS-2026-0006", "2", None, "2026-05-31"),
        ("CS-2026-0002", "1", Some("0"), "2026-06-01"),
    ] {
        let mut a = vec![
            "survey", "add", "--case", case, "--score", score, "--on", on,
        ];
        if let Some(n) = nps {
            a.extend(["--nps", n]);
        }
        k.ok(&a);
    }
    k
}

fn report(k: &Kith, args: &[&str]) -> serde_json::Value {
    let mut a = vec!["--now", AFTER, "report", "service"];
    a.extend_from_slice(args);
    k.json(&a)
}

#[test]
fn the_service_report_counts_may_whole_and_by_type() {
    let k = may();
    let may = ["--from", "2026-05-01", "--to", "2026-05-31"];
    let r = report(&k, &may);
    // Opened in May: 0002–0006, 5; resolved: 0002, 0003, 0004, 3; open on 06-01: 0005,
    // 0006, 2.
    assert_eq!(r["opened"], 5);
    assert_eq!(r["resolved"], 3);
    assert_eq!(r["open_at_end"], 2);
    // First responses 5, 20, 30, 90: median (20 + 30) / 2 = 25; p90 the ⌈0.9 × 4⌉ = 4th,
    // 90.
    assert_eq!(r["response_median_min"], 25);
    assert_eq!(r["response_p90_min"], 90);
    // Resolutions 180, 210, 210: median 210; p90 the ⌈2.7⌉ = 3rd, 210.
    assert_eq!(r["resolution_median_min"], 210);
    assert_eq!(r["resolution_p90_min"], 210);
    // Response: met 0002, 0004, 0006; breached 0003 (late) and 0005 (never): 3 / 5.
    // Resolution: met 0002, 0003, 0004; breached 0005 and 0006 (not done): 3 / 5.
    assert_eq!(r["response_attainment"], 0.6);
    assert_eq!(r["resolution_attainment"], 0.6);
    assert_eq!(r["breaches"], 4);
    // Scores 5, 3, 4, 2: 3.5. NPS of 10, 6, 9: 2 promoters, 1 detractor of 3 = 33.3.
    assert_eq!(r["satisfaction"], 3.5);
    assert_eq!(r["nps"], 33.3);
    assert_eq!(r["surveys"], 4);
    let groups = r["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "one row without --by");
    assert_eq!(groups[0]["opened"], 5);

    let mut a = may.to_vec();
    a.extend(["--by", "type"]);
    let r = report(&k, &a);
    let g = r["groups"].as_array().unwrap();
    // Complaints 0002, 0003, 0006 first (3 opened), then inquiries 0004, 0005.
    assert_eq!(g[0]["type"], "complaint");
    assert_eq!(g[0]["opened"], 3);
    assert_eq!(g[0]["resolved"], 2);
    assert_eq!(g[0]["open_at_end"], 1);
    // Responses 20, 30, 90: median 30, p90 the 3rd, 90. Resolutions 180, 210: median 195,
    // p90 the ⌈1.8⌉ = 2nd, 210.
    assert_eq!(g[0]["response_median_min"], 30);
    assert_eq!(g[0]["response_p90_min"], 90);
    assert_eq!(g[0]["resolution_median_min"], 195);
    assert_eq!(g[0]["resolution_p90_min"], 210);
    // Response met 0002, 0006, breached 0003: 2 / 3; resolution met 0002, 0003,
    // breached 0006: 2 / 3.
    assert_eq!(g[0]["response_attainment"], 0.6667);
    assert_eq!(g[0]["resolution_attainment"], 0.6667);
    assert_eq!(g[0]["breaches"], 2);
    // Scores 5, 3, 2: 3.33; NPS 10 and 6: one each, 0.
    assert_eq!(g[0]["satisfaction"], 3.33);
    assert_eq!(g[0]["nps"], 0);
    assert_eq!(g[1]["type"], "inquiry");
    assert_eq!(g[1]["opened"], 2);
    assert_eq!(g[1]["response_median_min"], 5);
    assert_eq!(g[1]["response_attainment"], 0.5);
    assert_eq!(g[1]["resolution_attainment"], 0.5);
    assert_eq!(g[1]["nps"], 100);
    // The total is all of them.
    assert_eq!(r["opened"], 5);
    assert_eq!(r["response_median_min"], 25);

    // By owner (the assignee): lin 0002, 0003; wang 0004, 0005; nobody 0006 last.
    let mut a = may.to_vec();
    a.extend(["--by", "owner"]);
    let r = report(&k, &a);
    let owners: Vec<_> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["owner"].clone(), g["opened"].clone()))
        .collect();
    assert_eq!(
        owners,
        vec![
            ("lin".into(), 2.into()),
            ("wang".into(), 2.into()),
            ("(none)".into(), 1.into())
        ]
    );

    // The table has a total line.
    let mut a = vec!["--now", AFTER, "report", "service"];
    a.extend_from_slice(&may);
    a.extend(["--by", "type"]);
    let out = k.ok(&a);
    assert!(out.contains("complaint"), "{out}");
    assert!(
        out.lines()
            .last()
            .unwrap()
            .trim_start()
            .starts_with("total"),
        "{out}"
    );
}

#[test]
fn by_month_each_month_counts_by_its_own_moments() {
    let k = may();
    let r = report(
        &k,
        &[
            "--from",
            "2026-04-01",
            "--to",
            "2026-05-31",
            "--by",
            "month",
        ],
    );
    let g = r["groups"].as_array().unwrap();
    // April: 0001 opened, answered in 10 and resolved in 120, nothing open at its end.
    assert_eq!(g[0]["month"], "2026-04");
    assert_eq!(g[0]["opened"], 1);
    assert_eq!(g[0]["resolved"], 1);
    assert_eq!(g[0]["open_at_end"], 0);
    assert_eq!(g[0]["response_median_min"], 10);
    assert_eq!(g[0]["resolution_attainment"], 1.0);
    assert_eq!(g[1]["month"], "2026-05");
    assert_eq!(g[1]["opened"], 5);
    assert_eq!(g[1]["open_at_end"], 2);
    // The total: 6 opened; open at the end is May's, not the sum.
    assert_eq!(r["opened"], 6);
    assert_eq!(r["open_at_end"], 2);
    // Response clocks: three met of five decided in May, and April's one met: 4 / 6.
    assert_eq!(r["response_attainment"], 0.6667);
}

#[test]
fn the_monthly_summary_for_head_office() {
    let k = may();
    let r = report(&k, &["--month", "2026-05"]);
    assert_eq!(r["month"], "2026-05");
    assert_eq!(r["opened"], 5);
    assert_eq!(r["satisfaction"], 3.5);
    assert_eq!(r["nps"], 33.3);
    assert_eq!(r["surveys"], 4);
    // By type: 3 complaints, 2 inquiries; by category: 行李 0002, 0003, 0006; 航班信息
    // 0004, 0005.
    assert_eq!(r["by_type"][0]["type"], "complaint");
    assert_eq!(r["by_type"][0]["cases"], 3);
    assert_eq!(r["by_type"][1]["cases"], 2);
    assert_eq!(r["by_category"][0]["category"], "行李");
    assert_eq!(r["by_category"][0]["cases"], 3);
    assert_eq!(r["by_category"][1]["category"], "航班信息");
    // The breaches by deadline: 0003's reply (due 05-04 03:00, 90 − 60 = 30 minutes
    // late), 0005's reply (due 05-06 01:10) and resolution (10:00), 0006's resolution
    // (05-07 06:30), the last three not done.
    let b = r["breaches"].as_array().unwrap();
    let seen: Vec<_> = b
        .iter()
        .map(|x| {
            (
                x["number"].as_str().unwrap().to_string(),
                x["clock"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("CS-2026-0003", "response"),
        ("CS-2026-0005", "response"),
        ("CS-2026-0005", "resolution"),
        ("CS-2026-0006", "resolution"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(seen, want);
    assert_eq!(b[0]["late_min"], 30);
    assert_eq!(b[0]["due"], "2026-05-04T03:00:00Z");
    assert_eq!(b[0]["done"], "2026-05-04T03:30:00Z");
    assert!(b[1]["done"].is_null());
    assert_eq!(b[1]["breach_reason"], "等待航司回复");
    // Recurring: the product 行李系统 (0002, 0003), 首都机场 (0002–0004), 大兴机场 (0005,
    // 0006).
    let rec = r["recurring"].as_array().unwrap();
    assert_eq!(rec.len(), 3);
    assert_eq!(rec[0]["about"], "product");
    assert_eq!(rec[0]["name"], "行李系统");
    assert_eq!(rec[0]["numbers"], "CS-2026-0002, CS-2026-0003");
    assert_eq!(rec[1]["name"], "首都机场");
    assert_eq!(rec[1]["cases"], 3);
    assert_eq!(rec[2]["name"], "大兴机场");

    // Markdown, ready to mail: headings and pipe tables.
    let md = k.ok(&[
        "--now", AFTER, "report", "service", "--month", "2026-05", "--md",
    ]);
    assert!(md.starts_with("# Service report for 2026-05\n"), "{md}");
    assert!(md.contains("\n## Breaches\n"), "{md}");
    assert!(
        md.contains("| CS-2026-0005 | 登机口变更 | response |"),
        "{md}"
    );
    assert!(md.contains("\n|---|"), "{md}");
    // In Chinese.
    let zh = k.ok(&[
        "--lang", "zh-CN", "--now", AFTER, "report", "service", "--month", "2026-05", "--md",
    ]);
    assert!(zh.starts_with("# 2026-05 服务月报\n"), "{zh}");
    assert!(zh.contains("| 投诉 | 3 |"), "{zh}");
    assert!(zh.contains("超时原因"), "{zh}");
    // The table.
    let table = k.ok(&["--now", AFTER, "report", "service", "--month", "2026-05"]);
    assert!(table.contains("Recurring issues"), "{table}");
    assert!(table.contains("2026-05-04 03:00"), "local times: {table}");
}

#[test]
fn bad_service_report_input_is_refused() {
    let k = may();
    for (args, says) in [
        (vec!["--by", "colour"], "type, priority, owner"),
        (vec!["--month", "2026-13"], "2026-13"),
        (vec!["--month", "May"], "YYYY-MM"),
        (
            vec!["--month", "2026-05", "--from", "2026-05-01"],
            "--month",
        ),
        (vec!["--month", "2026-05", "--by", "type"], "--by"),
        (vec!["--from", "2026-06-01", "--to", "2026-05-01"], "after"),
        (vec!["--md", "--json"], "--json"),
    ] {
        let mut a = vec!["report", "service"];
        a.extend_from_slice(&args);
        let err = k.fails(&a, 2);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
