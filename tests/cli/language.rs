//! The language kith speaks: `--lang`, the configuration's `lang`, the environment's locale
//! (docs/commands.md, "Language"); what a person reads changes, what a program reads does
//! not.

use super::*;
use unicode_width::UnicodeWidthStr;

/// Run with these environment variables (the test's environment has no locale).
fn run_env(k: &Kith, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = k.cmd();
    for (name, value) in env {
        c.env(name, value);
    }
    c.args(args).output().expect("run kith")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const ZH: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];

#[test]
fn the_locale_the_configuration_or_the_flag_chooses_the_language() {
    let k = Kith::new();
    // No locale: English.
    assert!(k.ok(&["--help"]).contains("Usage: kith"));
    // LANG=zh_CN.UTF-8: the help in Chinese, the commands as they are.
    let out = run_env(&k, ZH, &["--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("用法： kith"), "{help}");
    assert!(help.contains("商机"), "{help}");
    assert!(help.contains("  deal "), "{help}");
    assert!(help.contains("--lang <LANG>"), "{help}");
    // A command's own help too.
    let out = run_env(&k, ZH, &["deal", "add", "--help"]);
    assert!(
        text(&out.stdout).contains("--amount"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains("金额"), "{}", text(&out.stdout));
    // LC_ALL beats LANG; LC_MESSAGES too.
    let out = run_env(&k, &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")], &["--help"]);
    assert!(text(&out.stdout).contains("Usage: kith"));
    let out = run_env(
        &k,
        &[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "zh_CN.UTF-8")],
        &["--help"],
    );
    assert!(text(&out.stdout).contains("用法： kith"));
    // The configuration beats the environment; the flag beats both, wherever it stands.
    let config = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"zh-CN\"\n").unwrap();
    assert!(k.ok(&["--help"]).contains("用法： kith"));
    let out = run_env(&k, &[("LANG", "en_US.UTF-8")], &["--help"]);
    assert!(text(&out.stdout).contains("用法： kith"));
    assert!(k.ok(&["--lang", "en", "--help"]).contains("Usage: kith"));
    assert!(k
        .ok(&["deal", "list", "--help", "--lang=en"])
        .contains("Usage: kith deal list"));
}

#[test]
fn an_unknown_language_is_refused_and_nothing_is_made() {
    let k = Kith::new();
    let err = k.fails(&["--lang", "fr", "account", "add", "Acme"], 2);
    assert_eq!(
        err.trim(),
        "kith: --lang: unknown language 'fr'; kith speaks en, zh-CN"
    );
    assert!(!k.db.exists(), "no database is made");
    // In the configuration: the file and the key are named, in the environment's language.
    let config = k.dir.path().join("config").join("kith");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"klingon\"\n").unwrap();
    let out = run_env(&k, ZH, &["account", "list"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("config.toml: lang"), "{err}");
    assert!(
        err.contains("不支持的语言“klingon”；可选：en, zh-CN"),
        "{err}"
    );
    assert!(!k.db.exists(), "no database is made");
    // A locale kith does not have is English, not an error.
    let out = run_env(&Kith::new(), &[("LANG", "fr_FR.UTF-8")], &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Usage: kith"));
}

#[test]
fn errors_are_in_the_language_and_exit_as_in_english() {
    let k = Kith::new();
    let en = k.fails(&["deal", "add"], 2);
    assert!(
        en.contains("the following required arguments were not provided"),
        "{en}"
    );
    let out = run_env(&k, ZH, &["deal", "add"]);
    assert_eq!(out.status.code(), Some(2));
    let zh = text(&out.stderr);
    assert!(zh.contains("未提供以下必需参数"), "{zh}");
    assert!(zh.contains("<TITLE>"), "{zh}");
    // kith's own errors: a reference that names nothing, exit 1 in both.
    k.ok(&["account", "add", "广州白云国际机场"]);
    let out = run_env(&k, ZH, &["account", "show", "nobody"]);
    assert_eq!(
        out.status.code(),
        k.run(&["account", "show", "nobody"]).status.code()
    );
    let zh = text(&out.stderr);
    assert!(zh.contains("nobody"), "{zh}");
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "not in Chinese: {zh}"
    );
}

#[test]
fn what_a_program_reads_stays_the_same_in_chinese() {
    let k = fixture();
    for args in [
        &["deal", "list", "--json"][..],
        &["account", "list", "--csv"],
        &["contact", "list", "--tsv"],
        &["report", "pipeline", "--json"],
        &[
            "deal",
            "list",
            "status:open",
            "--sort",
            "-amount",
            "--ndjson",
        ],
    ] {
        let en = k.run(args);
        let zh = run_env(&k, ZH, args);
        assert_eq!(en.status.code(), Some(0), "{args:?}: {}", text(&en.stderr));
        assert_eq!(zh.status.code(), Some(0), "{args:?}: {}", text(&zh.stderr));
        assert_eq!(text(&zh.stdout), text(&en.stdout), "{args:?}");
    }
}

#[test]
fn tables_have_chinese_titles_and_stay_aligned() {
    let k = fixture();
    k.ok(&["account", "add", "Crescent Hotels", "--tier", "B"]);
    k.ok(&["account", "add", "深圳宝安国际机场", "--tier", "A"]);
    let en = k.ok(&["account", "list"]);
    assert!(en.lines().next().unwrap().contains("NAME"), "{en}");
    let out = run_env(&k, ZH, &["account", "list"]);
    let zh = text(&out.stdout);
    let lines: Vec<&str> = zh.lines().collect();
    let header = lines[0];
    assert!(
        header.contains("名称") && header.contains("客户等级"),
        "{zh}"
    );
    assert!(!header.contains("NAME"), "{zh}");
    // Every column starts at the same display column in every line: where the header's
    // titles start (two spaces and more before each), the cells start too — but the first,
    // the ids, which are numbers and stand to the right.
    let starts = |line: &str| -> Vec<usize> {
        let mut out = vec![];
        let mut col = 0;
        let mut prev_space = 2;
        for ch in line.chars() {
            if ch == ' ' {
                prev_space += 1;
            } else {
                if prev_space >= 2 {
                    out.push(col);
                }
                prev_space = 0;
            }
            col += ch.to_string().width();
        }
        out
    };
    let titles = starts(header);
    assert!(titles.len() >= 4, "{header}");
    for line in &lines[1..] {
        for s in starts(line).into_iter().filter(|&s| s > titles[0] + 2) {
            assert!(
                titles.contains(&s),
                "a cell at column {s} under no title:\n{zh}"
            );
        }
    }
    // At 80 columns a list in Chinese is no wider than the same list in English plus the
    // titles' difference: the titles are short.
    let widest = |t: &str| t.lines().map(|l| l.width()).max().unwrap_or(0);
    assert!(
        widest(header) <= widest(en.lines().next().unwrap()) + 8,
        "{zh}\n{en}"
    );
}

#[test]
fn the_man_page_and_completions_describe_in_the_language() {
    let k = Kith::new();
    let man = k.ok(&["--lang", "zh-CN", "man"]);
    assert!(
        man.contains("kith \\- 在终端中使用的客户关系管理工具"),
        "{man}"
    );
    assert!(man.contains("\\fB\\-\\-lang\\fR"), "{man}");
    // Its section headings too; in English they are man's own.
    let headings = |t: &str| -> Vec<String> {
        t.lines()
            .filter_map(|l| l.strip_prefix(".SH "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        headings(&man),
        ["名称", "概述", "描述", "选项", "子命令", "版本"]
    );
    assert_eq!(
        headings(&k.ok(&["man"])),
        [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SUBCOMMANDS",
            "VERSION"
        ]
    );
    let fish = k.ok(&["--lang", "zh-CN", "completions", "fish"]);
    assert!(fish.contains("-a \"deal\" -d '商机"), "{fish}");
    // The words completed are the commands' and options', the same in both.
    let en = k.ok(&["completions", "fish"]);
    let words = |t: &str| -> Vec<String> {
        t.lines()
            .filter_map(|l| l.split(" -d ").next().map(str::to_string))
            .collect()
    };
    assert_eq!(words(&fish), words(&en));
}

#[test]
fn tables_show_fixed_values_by_their_labels_and_data_keeps_the_words() {
    let k = Kith::new();
    k.ok(&["task", "add", "回访", "--priority", "high"]);
    let en = k.ok(&["task", "list"]);
    assert!(en.contains("high") && en.contains(" no "), "{en}");
    let zh = text(&run_env(&k, ZH, &["task", "list"]).stdout);
    assert!(zh.contains("高") && zh.contains("否"), "{zh}");
    assert!(!zh.contains("high"), "{zh}");
    // The filter takes the stored word in both languages; JSON keeps it.
    let zh = text(&run_env(&k, ZH, &["task", "list", "priority:high", "--json"]).stdout);
    assert!(zh.contains("\"priority\": \"high\""), "{zh}");
}

/// `search` in Chinese: the table's titles, each hit's kind and a deal's status in its
/// detail line as Chinese says them; CSV keeps the kinds' names.
#[test]
fn search_says_kinds_and_statuses_in_chinese() {
    let k = fixture();
    let en = k.ok(&["search", "航站楼"]);
    assert!(en.contains("KIND") && en.contains("DETAIL"), "{en}");
    assert!(
        en.contains("deal") && en.contains("广州白云国际机场 open"),
        "{en}"
    );
    let zh = text(&run_env(&k, ZH, &["search", "航站楼"]).stdout);
    let header = zh.lines().next().unwrap();
    assert!(header.contains("类别") && header.contains("详情"), "{zh}");
    assert!(!header.contains("DETAIL"), "{zh}");
    assert!(
        zh.contains("商机") && zh.contains("广州白云国际机场 进行中"),
        "{zh}"
    );
    let csv = text(&run_env(&k, ZH, &["search", "航站楼", "--csv"]).stdout);
    assert!(csv.lines().nth(1).unwrap().starts_with("deal,"), "{csv}");
}

/// The default pipeline and its stages, which kith makes and names in English, are shown
/// by their Chinese names in Chinese tables, messages and reports; references and filters
/// take either name; JSON and CSV keep the stored names; a stage renamed by its user shows
/// the user's name.
#[test]
fn default_stages_are_named_in_chinese_and_taken_by_either_name() {
    let k = Kith::new();
    let zh = |args: &[&str]| {
        let out = run_env(&k, ZH, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    // A stage by its Chinese name, a unique start of it, or its English name.
    let d = zh(&[
        "deal",
        "add",
        "航站楼安检",
        "--amount",
        "12万",
        "--stage",
        "方案报价",
    ]);
    let d = d.trim();
    let e = zh(&["deal", "add", "贵宾室", "--stage", "商务"]);
    let e = e.trim();
    let f = zh(&[
        "deal",
        "add",
        "行李系统",
        "--pipeline",
        "销售",
        "--stage",
        "qualification",
    ]);
    let f = f.trim();
    let stage = |id: &str| k.json(&["deal", "show", id])["stage"].clone();
    assert_eq!(stage(d), "proposal");
    assert_eq!(stage(e), "negotiation");
    assert_eq!(stage(f), "qualification");
    // Moving says the stage in Chinese.
    let moved = text(&run_env(&k, ZH, &["deal", "move", f, "需求分析"]).stderr);
    assert!(moved.contains("需求分析（进行中，25%）"), "{moved}");
    // A table in Chinese: the stages' Chinese names; no English stage name left.
    let list = zh(&["deal", "list"]);
    for (name, english) in [
        ("方案报价", "proposal"),
        ("商务谈判", "negotiation"),
        ("需求分析", "needs analysis"),
    ] {
        assert!(list.contains(name), "{list}");
        assert!(!list.contains(english), "{list}");
    }
    // A filter by either name; the data formats keep the stored name.
    let by_zh = zh(&["deal", "list", "stage:方案报价", "--csv"]);
    let by_en = zh(&["deal", "list", "stage:proposal", "--csv"]);
    assert_eq!(by_zh, by_en);
    assert_eq!(by_zh.lines().count(), 2, "{by_zh}");
    assert!(
        by_zh.lines().nth(1).unwrap().contains(",proposal,"),
        "{by_zh}"
    );
    assert_eq!(
        zh(&["deal", "list", "stage!=方案报价", "--csv"])
            .lines()
            .count(),
        3
    );
    // The pipeline by its Chinese name; its table in Chinese, its CSV as stored.
    let show = zh(&["pipeline", "show", "销售"]);
    let first = show.lines().nth(1).unwrap();
    assert!(
        first.contains("销售（默认）") && first.contains("资格确认"),
        "{show}"
    );
    let won = show.lines().find(|l| l.contains("赢单")).unwrap();
    assert!(won.contains("100"), "{show}");
    let csv = zh(&["pipeline", "show", "sales", "--csv"]);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .contains(",qualification,10,open,"),
        "{csv}"
    );
    // The report's table in Chinese, its JSON as stored.
    let report = zh(&["report", "pipeline"]);
    assert!(
        report.contains("方案报价") && !report.contains("proposal"),
        "{report}"
    );
    let json = k.json(&["report", "pipeline"]);
    assert!(
        arr(&json).iter().any(|r| r["stage"] == "proposal"),
        "{json}"
    );
    // An unknown stage lists the stages as the language names them.
    let out = run_env(&k, ZH, &["deal", "move", d, "签约"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("资格确认, 需求分析, 方案报价, 商务谈判, 赢单, 输单"),
        "{err}"
    );
    // No second stage of the same name in another language.
    let out = run_env(&k, ZH, &["pipeline", "stage", "add", "sales", "方案报价"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // English is as stored.
    assert!(k.ok(&["deal", "list"]).contains("proposal"));
    // A stage its user renamed is shown by the user's name.
    k.ok(&["pipeline", "stage", "rename", "sales", "proposal", "报价"]);
    let list = zh(&["deal", "list"]);
    assert!(
        list.contains("报价") && !list.contains("方案报价"),
        "{list}"
    );
}
