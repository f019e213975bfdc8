//! Chinese date words wherever a date is taken (docs/dates.md, "Chinese date words"), with
//! the clock at Sunday 2026-11-22 10:00: every result below is worked out by hand.

use super::*;
use serde_json::json;

/// A task due `when`, and the due date kith stored.
fn due(k: &Kith, when: &str) -> Value {
    let id = k.id(&["task", "add", "回访", "--due", when]);
    k.json(&["task", "show", &id.to_string()])["due"].clone()
}

#[test]
fn a_due_date_in_chinese_is_the_day_it_names() {
    let k = Kith::new();
    for (when, want) in [
        ("下周五下午3点", "2026-11-27T15:00:00"),
        ("今天", "2026-11-22"),
        ("明天", "2026-11-23"),
        ("后天", "2026-11-24"),
        ("昨天", "2026-11-21"),
        ("前天", "2026-11-20"),
        // This week is Monday 16 to Sunday 22: its Friday is past.
        ("本周五", "2026-11-20"),
        ("下周五", "2026-11-27"),
        ("上周一", "2026-11-09"),
        ("周五", "2026-11-27"),
        ("星期五", "2026-11-27"),
        ("礼拜五", "2026-11-27"),
        ("周日", "2026-11-29"),
        ("月底", "2026-11-30"),
        ("月初", "2026-11-01"),
        ("下月初", "2026-12-01"),
        ("下个月", "2026-12-22"),
        ("本季度末", "2026-12-31"),
        ("年底", "2026-12-31"),
        ("明年", "2027-11-22"),
        ("3天后", "2026-11-25"),
        ("两周后", "2026-12-06"),
        ("一个月后", "2026-12-22"),
        ("三天前", "2026-11-19"),
        ("半个月后", "2026-12-07"),
        ("2小时后", "2026-11-22T12:00:00"),
        ("下午3点", "2026-11-22T15:00:00"),
        ("明早9点", "2026-11-23T09:00:00"),
        ("晚上8点半", "2026-11-22T20:30:00"),
        ("下周一上午十点", "2026-11-23T10:00:00"),
        ("下周一 上午十点", "2026-11-23T10:00:00"),
        ("明天 8:30", "2026-11-23T08:30:00"),
        ("5月20日", "2027-05-20"),
        ("2027年5月20日", "2027-05-20"),
        ("5月20号", "2027-05-20"),
        ("20号", "2026-12-20"),
        ("十一", "2027-10-01"),
        ("国庆", "2027-10-01"),
        ("元旦", "2027-01-01"),
        ("fri 下午3点", "2026-11-27T15:00:00"),
    ] {
        assert_eq!(due(&k, when), json!(want), "--due {when}");
    }
}

#[test]
fn every_option_that_takes_a_date_takes_the_chinese_words() {
    let k = fixture();
    let id = k.id(&[
        "activity",
        "add",
        "call",
        "回访客户",
        "--account",
        "1",
        "--at",
        "昨天下午3点",
    ]);
    assert_eq!(
        k.json(&["activity", "show", &id.to_string()])["at"],
        json!("2026-11-21T15:00:00")
    );
    // A deal's close is a date: the time of day is dropped.
    k.ok(&["deal", "edit", "1", "--close", "本季度末"]);
    assert_eq!(
        k.json(&["deal", "show", "1"])["expected_close"],
        "2026-12-31"
    );
    // A birthday without its year is kept as the day of the year.
    let c = k.id(&["contact", "add", "李雷", "--birthday", "5月20日"]);
    assert_eq!(
        k.json(&["contact", "show", &c.to_string()])["birthday"],
        "--05-20"
    );
    k.ok(&[
        "contact",
        "edit",
        &c.to_string(),
        "--birthday",
        "1990年5月20日",
    ]);
    assert_eq!(
        k.json(&["contact", "show", &c.to_string()])["birthday"],
        "1990-05-20"
    );
    // Snooze.
    let snoozed = k.id(&["task", "add", "回访", "--due", "今天"]);
    k.ok(&["task", "snooze", &snoozed.to_string(), "明早9点"]);
    assert_eq!(
        k.json(&["task", "show", &snoozed.to_string()])["due"],
        "2026-11-23T09:00:00"
    );
    // The clock itself, and a word read against it.
    let id = k.id(&[
        "--now",
        "2026年12月1日",
        "task",
        "add",
        "月报",
        "--due",
        "月底",
    ]);
    assert_eq!(
        k.json(&["task", "show", &id.to_string()])["due"],
        "2026-12-31"
    );
    // A length of time: the tasks due within it.
    let quote = k.id(&["task", "add", "报价", "--due", "3天后下午2点"]);
    let tasks = |within: &str| {
        arr(&k.json(&["remind", "--all", "--within", within]))
            .into_iter()
            .filter(|r| r["kind"] == "task")
            .map(|r| r["record_id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        tasks("半天"),
        Vec::<Value>::new(),
        "09:00 tomorrow is 23 hours away"
    );
    assert_eq!(tasks("一天"), vec![json!(snoozed)]);
    assert_eq!(tasks("一周"), vec![json!(snoozed), json!(quote)]);
}

#[test]
fn filters_compare_with_chinese_date_words() {
    let k = Kith::new();
    // Due 2026-11-28, 2026-11-27 15:00, 2026-11-30 and 2026-12-01; listed by due.
    for when in ["周六", "下周五下午3点", "月底", "下月初"] {
        k.id(&["task", "add", when, "--due", when]);
    }
    let titles = |filter: &str| col(&k.json(&["task", "list", filter]), "title");
    assert_eq!(
        titles("due<=月底"),
        vec![json!("下周五下午3点"), json!("周六"), json!("月底")]
    );
    assert_eq!(titles("due>月底"), vec![json!("下月初")]);
    assert_eq!(titles("due:下周五"), vec![json!("下周五下午3点")]);
    assert_eq!(titles("due<下周五下午3点"), Vec::<Value>::new());
    assert_eq!(
        titles("due>=下周六"),
        vec![json!("周六"), json!("月底"), json!("下月初")]
    );
    let err = k.fails(&["task", "list", "due<月低"], 2);
    assert!(err.contains("did you mean '月底'?"), "{err}");
}

#[test]
fn a_chinese_date_that_cannot_be_read_is_refused_in_the_users_language() {
    let k = fixture();
    let before = k.snapshot();
    let err = k.fails(&["task", "add", "回访", "--due", "下周八"], 2);
    assert_eq!(
        err.trim(),
        "kith: due: bad date '下周八': '下周八' is not a day of the week; write 下周一 … 下周日"
    );
    let err = k.fails(
        &["--lang", "zh-CN", "task", "add", "回访", "--due", "下周八"],
        2,
    );
    assert_eq!(
        err.trim(),
        "kith：due：日期 '下周八' 无效：'下周八' 不是星期几；请写 下周一 … 下周日"
    );
    let err = k.fails(
        &["--lang", "zh-CN", "task", "add", "回访", "--due", "月低"],
        2,
    );
    assert!(err.contains("您是不是想输入 '月底'？"), "{err}");
    let err = k.fails(&["task", "add", "回访", "--due", "3天"], 2);
    assert!(
        err.contains("'3天' needs 后 (later) or 前 (earlier): 3天后 or 3天前"),
        "{err}"
    );
    let err = k.fails(&["task", "add", "回访", "--due", "晚上3点"], 2);
    assert!(err.contains("晚上 takes the hours 5 to 12"), "{err}");
    let err = k.fails(
        &[
            "activity",
            "add",
            "call",
            "拜年",
            "--account",
            "1",
            "--at",
            "春节",
        ],
        2,
    );
    assert!(err.contains("falls on a different day every year"), "{err}");
    let err = k.fails(&["deal", "edit", "1", "--close", "2月30日"], 2);
    assert!(
        err.contains("day 30 is out of range for February 2026"),
        "{err}"
    );
    let err = k.fails(&["remind", "--within", "3天后"], 2);
    assert!(err.contains("is not a length of time"), "{err}");
    assert_eq!(k.snapshot(), before, "nothing was written");
}
