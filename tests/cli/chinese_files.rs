//! Files Chinese users exchange — CSV for Excel on Chinese Windows, vCard and iCalendar with
//! Chinese text — and Chinese phone numbers, through the real binary.

use serde_json::{json, Value};

use crate::{arr, Kith};

/// A contact's or account's `add` that should be refused as a duplicate: its message.
fn refused(k: &Kith, args: &[&str]) -> String {
    k.fails(args, 2)
}

#[test]
fn a_phone_written_any_way_is_one_number_for_duplicate_checks() {
    let k = Kith::new();
    assert_eq!(
        k.id(&["contact", "add", "王芳", "--phone", "+86 138 0013 8000"]),
        1
    );
    for written in [
        "13800138000",
        "138-0013-8000",
        "0086 13800138000",
        "+86-138-0013-8000",
    ] {
        let err = refused(&k, &["contact", "add", "李娜", "--phone", written]);
        assert!(
            err.contains(
                "looks like a duplicate of contact 1 '王芳' (same phone +86 138 0013 8000)"
            ),
            "{written}: {err}"
        );
    }
    // Another mobile number with the same last eight digits is another person's.
    assert_eq!(
        k.id(&["contact", "add", "张伟", "--phone", "139 0013 8000"]),
        2
    );
    // Landlines keep their area codes: 020 is Guangzhou, 0755 Shenzhen.
    assert_eq!(
        k.id(&[
            "account",
            "add",
            "广州白云国际机场",
            "--phone",
            "020-8888 8888"
        ]),
        1
    );
    for written in ["(020) 88888888", "+86 20 8888 8888"] {
        let err = refused(&k, &["account", "add", "白云机场", "--phone", written]);
        assert!(
            err.contains("account 1 '广州白云国际机场' (same phone 020-8888 8888)"),
            "{written}: {err}"
        );
    }
    assert_eq!(
        k.id(&["account", "add", "深圳湾科技", "--phone", "0755-8888 8888"]),
        2
    );
    let err = refused(
        &k,
        &["account", "add", "深圳湾", "--phone", "+86 755 8888 8888"],
    );
    assert!(
        err.contains("account 2 '深圳湾科技' (same phone 0755-8888 8888)"),
        "{err}"
    );
    // In Chinese too.
    let err = refused(
        &k,
        &[
            "--lang",
            "zh-CN",
            "contact",
            "add",
            "李娜",
            "--phone",
            "13800138000",
        ],
    );
    assert!(
        err.contains("疑似与 联系人 1 '王芳' 重复（电话相同：+86 138 0013 8000）"),
        "{err}"
    );

    // An import compares its rows with the records and with each other (赵磊 is made
    // contact 3 by this import: the row before his is refused).
    let csv = k.dir.path().join("contacts.csv");
    std::fs::write(
        &csv,
        "姓名,手机\n李娜,0086 138-0013-8000\n赵磊,+86 137 0000 1111\n钱一,13700001111\n孙二,137 0000 1112\n",
    )
    .unwrap();
    let before = k.snapshot();
    let err = k.fails(
        &[
            "import",
            "csv",
            csv.to_str().unwrap(),
            "--entity",
            "contact",
        ],
        2,
    );
    assert!(
        err.contains(
            "line 2: looks like a duplicate of contact 1 '王芳' (same phone +86 138 0013 8000)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "line 4: looks like a duplicate of contact 3 '赵磊' (same phone +86 137 0000 1111)"
        ),
        "{err}"
    );
    assert!(!err.contains("line 3") && !err.contains("line 5"), "{err}");
    assert_eq!(k.snapshot(), before, "nothing written");

    // Added anyway, `dedupe` pairs them, and only them.
    k.ok(&[
        "import",
        "csv",
        csv.to_str().unwrap(),
        "--entity",
        "contact",
        "--allow-duplicate",
    ]);
    let pairs = k.json(&["dedupe", "--entity", "contact"]);
    let got: Vec<(i64, i64, Value)> = arr(&pairs)
        .iter()
        .map(|p| {
            (
                p["a"].as_i64().unwrap(),
                p["b"].as_i64().unwrap(),
                p["reasons"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, 3, json!(["same phone 0086 138-0013-8000"])),
            (4, 5, json!(["same phone 13700001111"])),
        ]
    );
    k.ok(&["check"]);
}

#[test]
fn a_local_number_without_its_area_code_matches_the_numbers_it_ends() {
    let k = Kith::new();
    k.id(&[
        "account",
        "add",
        "广州白云国际机场",
        "--phone",
        "(020) 3606 6999",
    ]);
    let err = refused(&k, &["account", "add", "白云", "--phone", "3606 6999"]);
    assert!(
        err.contains("account 1 '广州白云国际机场' (same phone (020) 3606 6999)"),
        "{err}"
    );
    // Another country's number written without its code, and with it.
    k.id(&["contact", "add", "Sam Lee", "--phone", "(415) 555-0101"]);
    let err = refused(
        &k,
        &["contact", "add", "S. Lee", "--phone", "+1 415 555 0101"],
    );
    assert!(err.contains("(same phone (415) 555-0101)"), "{err}");
    // Too short to say anything.
    k.id(&["account", "add", "工商银行", "--phone", "95588"]);
    k.id(&["account", "add", "工商银行广州分行", "--phone", "95588"]);
}

#[test]
fn search_finds_a_phone_however_it_is_written() {
    let k = Kith::new();
    k.id(&[
        "account",
        "add",
        "广州白云国际机场",
        "--phone",
        "(020) 88888888",
    ]);
    k.id(&[
        "contact",
        "add",
        "王芳",
        "--account",
        "1",
        "--title",
        "采购经理",
        "--phone",
        "+86 138-0013-8000",
    ]);
    k.id(&["contact", "add", "张伟", "--phone", "139 0013 8000"]);
    k.id(&["lead", "add", "李娜", "--phone", "+86 138 0013 8001"]);
    let hits = |args: &[&str]| -> Vec<(String, i64, String, i64)> {
        let mut a = vec!["search"];
        a.extend_from_slice(args);
        arr(&k.json(&a))
            .iter()
            .map(|h| {
                (
                    h["kind"].as_str().unwrap().to_string(),
                    h["id"].as_i64().unwrap(),
                    h["detail"].as_str().unwrap().to_string(),
                    h["score"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let wang = vec![(
        "contact".to_string(),
        1,
        "广州白云国际机场 采购经理 +86 138-0013-8000".to_string(),
        2000,
    )];
    for q in [
        &["13800138000"][..],
        &["138-0013-8000"],
        &["0086 13800138000"],
        &["+86", "138", "0013", "8000"],
    ] {
        assert_eq!(hits(q), wang, "{q:?}");
    }
    assert_eq!(
        hits(&["020-8888-8888"]),
        vec![("account".to_string(), 1, "(020) 88888888".to_string(), 2000)]
    );
    assert_eq!(
        hits(&["+86 139 0013 8000"]),
        vec![("contact".to_string(), 2, "139 0013 8000".to_string(), 2000)]
    );
    // A number nobody has: nothing, exit status 1.
    let err = k.fails(&["search", "13700001111"], 1);
    assert!(err.contains("nothing matches '13700001111'"), "{err}");
    // The trash is searched by nobody.
    k.ok(&["contact", "rm", "1"]);
    k.fails(&["search", "13800138000"], 1);
}

/// A small CRM in Chinese, with text a CSV must quote (commas, quotes, line breaks, both
/// Chinese and ASCII punctuation), one of every kind of record.
fn chinese_crm() -> Kith {
    let k = Kith::new();
    k.id(&[
        "account",
        "add",
        "广州白云国际机场",
        "--type",
        "customer",
        "--tier",
        "A",
        "--industry",
        "航空",
        "--city",
        "广州",
        "--region",
        "广东省",
        "--country",
        "中国",
        "--address",
        "广东省广州市白云区机场路 282 号",
        "--phone",
        "020-3606 6999",
        "--website",
        "www.gbiac.net",
        "--tag",
        "重点",
        "--tag",
        "国企",
        "--notes",
        "第一行，\"引号\"\n第二行, comma; 分号 龘",
    ]);
    k.id(&[
        "account",
        "add",
        "深圳湾科技",
        "--parent",
        "广州白云国际机场",
        "--source",
        "推荐",
    ]);
    k.id(&[
        "contact",
        "add",
        "王芳",
        "--account",
        "广州白云国际机场",
        "--title",
        "采购经理",
        "--role",
        "决策人",
        "--email",
        "wang@baiyun.cn",
        "--email",
        "fang@qq.com",
        "--phone",
        "+86 138 0013 8000",
        "--phone",
        "020-3606 6999 转 8203",
        "--birthday",
        "1985-11-25",
        "--tag",
        "老朋友",
        "--notes",
        "喜欢喝乌龙茶。\n下次去广州时约她吃早茶",
    ]);
    k.id(&[
        "lead",
        "add",
        "李娜",
        "--company",
        "上海明远贸易",
        "--title",
        "总经理",
        "--email",
        "lina@mingyuan.com",
        "--phone",
        "13700002222",
        "--source",
        "展会",
        "--score",
        "80",
    ]);
    k.id(&[
        "deal",
        "add",
        "航站楼系统升级",
        "--account",
        "广州白云国际机场",
        "--contact",
        "王芳",
        "--amount",
        "1.2m",
        "--currency",
        "CNY",
        "--close",
        "2026-12-31",
        "--competitor",
        "某某软件（广州）",
        "--notes",
        "预算已批，\"分两期\"",
    ]);
    k.id(&[
        "log",
        "visit",
        "季度拜访",
        "--contact",
        "王芳",
        "--deal",
        "航站楼系统升级",
        "--at",
        "2026-11-20 15:00",
        "--body",
        "讨论了新航站楼的需求，对方关心工期",
        "--outcome",
        "积极",
        "--minutes",
        "90",
    ]);
    k.id(&[
        "task",
        "add",
        "发送报价",
        "--due",
        "2026-11-27",
        "--priority",
        "high",
        "--contact",
        "王芳",
        "--deal",
        "航站楼系统升级",
        "--notes",
        "附上价格表，抄送李总",
    ]);
    k
}

const KINDS: [&str; 6] = ["account", "contact", "lead", "deal", "activity", "task"];

/// A CSV's rows, headers first.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The rows of FILE as Python's csv module reads it in the codec `codec` (Python's own
/// codecs: an implementation independent of encoding_rs).
fn python_rows(file: &std::path::Path, codec: &str) -> Value {
    let script = format!(
        r#"
import sys, csv, json, codecs
data = open(sys.argv[1], "rb").read()
text = codecs.decode(data, "{codec}")
rows = list(csv.reader(text.splitlines(keepends=True)))
print(json.dumps({{"bom": data.startswith(codecs.BOM_UTF8), "rows": rows}}, ensure_ascii=False))
"#
    );
    crate::python_json(&script, file)
}

#[test]
fn csv_exports_decode_back_in_each_encoding() {
    let k = chinese_crm();
    for kind in KINDS {
        let utf8 = k.ok(&["export", "csv", "--entity", kind]);
        assert!(!utf8.is_ascii(), "{kind}: Chinese text");
        let want = csv_rows(&utf8);
        for (name, encoding, codec) in [
            ("utf-8", encoding_rs::UTF_8, "utf-8"),
            ("utf-8-bom", encoding_rs::UTF_8, "utf-8-sig"),
            ("gbk", encoding_rs::GBK, "gbk"),
            ("gb18030", encoding_rs::GB18030, "gb18030"),
        ] {
            let file = k.dir.path().join(format!("{kind}-{name}.csv"));
            k.ok(&[
                "export",
                "csv",
                "--entity",
                kind,
                "--encoding",
                name,
                "-o",
                file.to_str().unwrap(),
            ]);
            let bytes = std::fs::read(&file).unwrap();
            let bom = bytes.starts_with(b"\xEF\xBB\xBF");
            assert_eq!(bom, name == "utf-8-bom", "{kind} {name}: byte order mark");
            let body = if bom { &bytes[3..] } else { &bytes[..] };
            if name == "gbk" || name == "gb18030" {
                assert!(
                    std::str::from_utf8(body).is_err(),
                    "{kind} {name}: not UTF-8"
                );
            }
            let text = encoding
                .decode_without_bom_handling_and_without_replacement(body)
                .unwrap_or_else(|| panic!("{kind} {name}: bytes encoding_rs cannot decode"));
            assert_eq!(text, utf8, "{kind} {name}: decoded by encoding_rs");
            let py = python_rows(&file, codec);
            assert_eq!(py["bom"], json!(bom));
            assert_eq!(py["rows"], json!(want), "{kind} {name}: read by Python");
        }
    }
    // The same to stdout, and from `list --csv` and `--tsv`.
    let out = k
        .cmd()
        .args(["account", "list", "--csv", "--encoding", "gbk"])
        .output()
        .unwrap();
    let (text, _, bad) = encoding_rs::GBK.decode(&out.stdout);
    assert!(!bad);
    assert_eq!(text, k.ok(&["account", "list", "--csv"]));
    let out = k
        .cmd()
        .args(["contact", "list", "--tsv", "--encoding", "utf-8-bom"])
        .output()
        .unwrap();
    assert_eq!(&out.stdout[..3], b"\xEF\xBB\xBF");
    assert_eq!(
        std::str::from_utf8(&out.stdout[3..]).unwrap(),
        k.ok(&["contact", "list", "--tsv"])
    );
    // A report's CSV too.
    let out = k
        .cmd()
        .args(["report", "pipeline", "--csv", "--encoding", "gb18030"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (text, _, bad) = encoding_rs::GB18030.decode(&out.stdout);
    assert!(!bad);
    assert_eq!(text, k.ok(&["report", "pipeline", "--csv"]));
}

#[test]
fn a_character_gbk_lacks_is_refused_and_nothing_is_written() {
    let k = chinese_crm();
    k.id(&["contact", "add", "陈𠀀", "--account", "深圳湾科技"]);
    k.id(&["contact", "add", "赵磊", "--notes", "周末去爬山 ⛰️"]);
    let file = k.dir.path().join("contacts.csv");
    std::fs::write(&file, "what was there before").unwrap();
    let args = [
        "export",
        "csv",
        "--entity",
        "contact",
        "--encoding",
        "gbk",
        "-o",
        file.to_str().unwrap(),
    ];
    let err = k.fails(&args, 2);
    // Contacts are listed by the pinyin of their names: 陈 (chen) comes first.
    assert!(
        err.contains(
            "contact 2 '陈𠀀', column name: '𠀀' (U+20000) has no code in GBK, so nothing was \
             written; --encoding gb18030 or --encoding utf-8-bom writes every character"
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "what was there before"
    );
    // To stdout: nothing at all.
    let out = k.run(&[
        "export",
        "csv",
        "--entity",
        "contact",
        "--encoding",
        "gbk",
        "--headers",
        "zh",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("contact 2 '陈𠀀', column 姓名: '𠀀'"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    k.ok(&["contact", "rm", "2"]);
    let err = k.fails(&["contact", "list", "--csv", "--encoding", "gbk"], 2);
    assert!(
        err.contains("contact 3 '赵磊', column notes: '⛰' (U+26F0) has no code in GBK"),
        "{err}"
    );
    let err = k.fails(
        &[
            "--lang",
            "zh-CN",
            "contact",
            "list",
            "--csv",
            "--encoding",
            "gbk",
        ],
        2,
    );
    assert!(
        err.contains("联系人 3 '赵磊'，notes 列：'⛰'（U+26F0）在 GBK 中没有编码，未写出任何内容"),
        "{err}"
    );
    // GB18030 holds every character.
    k.ok(&["contact", "restore", "2"]);
    let out = k
        .cmd()
        .args([
            "export",
            "csv",
            "--entity",
            "contact",
            "--encoding",
            "gb18030",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (text, _, bad) = encoding_rs::GB18030.decode(&out.stdout);
    assert!(!bad);
    assert!(
        text.contains("陈𠀀") && text.contains("周末去爬山 ⛰️"),
        "{text}"
    );
    let gb = k.dir.path().join("gb18030.csv");
    std::fs::write(&gb, &out.stdout).unwrap();
    let py = python_rows(&gb, "gb18030");
    assert!(arr(&py["rows"]).iter().any(|r| r[1] == "陈𠀀"), "{py}");
    // --encoding and --headers belong to CSV and TSV.
    let err = k.fails(&["contact", "list", "--encoding", "gbk"], 2);
    assert!(err.contains("--csv|--tsv"), "{err}");
    k.fails(&["contact", "list", "--json", "--headers", "zh"], 2);
    k.fails(
        &["export", "csv", "--entity", "contact", "--encoding", "big5"],
        2,
    );
}

/// Records as `list --json` gives them, without what a new database numbers or stamps
/// anew.
fn records_without_ids(k: &Kith, kind: &str) -> Vec<Value> {
    arr(&k.json(&[kind, "list"]))
        .into_iter()
        .map(|mut r| {
            let o = r.as_object_mut().unwrap();
            o.retain(|key, _| {
                !(key == "id" || key.ends_with("_id") || key.ends_with("_at") || key == "uid")
            });
            r
        })
        .collect()
}

#[test]
fn chinese_headers_in_gbk_import_back_as_they_were() {
    let k = chinese_crm();
    let header = k.ok(&["export", "csv", "--entity", "contact", "--headers", "zh"]);
    assert_eq!(
        header.lines().next().unwrap(),
        "编号,姓名,客户编号,客户,职位,角色,邮箱,首选邮箱,电话,首选电话,生日,负责人,标签,备注,UID,创建时间,更新时间,删除时间"
    );
    let deals = k.ok(&["export", "csv", "--entity", "deal", "--headers", "zh"]);
    assert_eq!(
        deals.lines().next().unwrap(),
        "编号,商机名称,客户编号,客户,联系人编号,联系人,金额,成本,币种,销售流程编号,销售流程,阶段编号,阶段,赢率,预计成交日期,状态,负责人,来源,竞争对手,原因,关闭时间,标签,备注,创建时间,更新时间,删除时间"
    );
    let copy = Kith::new();
    for kind in KINDS {
        let file = k.dir.path().join(format!("{kind}.csv"));
        k.ok(&[
            "export",
            "csv",
            "--entity",
            kind,
            "--headers",
            "zh",
            "--encoding",
            "gbk",
            "-o",
            file.to_str().unwrap(),
        ]);
        // Read as Excel on Chinese Windows would: GBK.
        let py = python_rows(&file, "gbk");
        assert!(arr(&py["rows"]).len() >= 2, "{kind}: {py}");
        // And imported without saying what it is: the encoding and the headers are found.
        let out = copy
            .cmd()
            .args(["import", "csv", file.to_str().unwrap(), "--entity", kind])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with("created "),
            "{kind}"
        );
    }
    for kind in KINDS {
        assert_eq!(
            records_without_ids(&copy, kind),
            records_without_ids(&k, kind),
            "{kind}"
        );
    }
    // The imported copy keys 王芳's phones as numbers too.
    let err = copy.fails(&["contact", "add", "王 芳", "--phone", "13800138000"], 2);
    assert!(
        err.contains("'王芳' (same phone +86 138 0013 8000)"),
        "{err}"
    );
}

/// A TEXT value unescaped as RFC 6350 (§3.4) and RFC 5545 (§3.3.11) define it.
fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Long Chinese text that needs folding many times, with what vCard and iCalendar escape
/// (`,` `;` `\` line breaks) and spaces, alone and doubled, all along it; shifted by
/// `shift` ASCII letters so that folds fall at every place in a character and beside
/// every space.
fn long_chinese(shift: usize) -> String {
    let mut s = "x".repeat(shift);
    for i in 0..6 {
        s.push_str("喜欢喝乌龙茶。下次去广州时约她吃早茶，顺便看新样品（春季系列）。");
        s.push_str(&format!(
            "她的助理姓刘, 电话在总机转 820{i}; 路径 C:\\资料 与  两个空格 "
        ));
        s.push_str("𠀀字与 emoji 😀 也在。\n");
    }
    s.push('完');
    s
}

/// What Python's standard library makes of a vCard or iCalendar file, unfolded by RFC
/// 6350 §3.2 / RFC 5545 §3.1 and decoded strictly: every physical line's length in octets
/// and whether it is UTF-8 by itself (no character split by a fold), and the properties
/// NAME → [(params, value unescaped)].
fn python_properties(file: &std::path::Path) -> Value {
    let script = r#"
import sys, re, json
data = open(sys.argv[1], "rb").read()
physical = data.split(b"\r\n")
lines = []
for p in physical:
    try:
        p.decode("utf-8")
        whole = True
    except UnicodeDecodeError:
        whole = False
    lines.append([len(p), whole])
text = re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8")
def unescape(v):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), v)
props = {}
for line in text.split("\r\n"):
    if not line:
        continue
    head, _, value = line.partition(":")
    name, _, params = head.partition(";")
    props.setdefault(name.upper(), []).append([params, unescape(value)])
print(json.dumps({"lines": lines, "props": props, "crlf_only": b"\n" not in data.replace(b"\r\n", b"")}, ensure_ascii=False))
"#;
    crate::python_json(script, file)
}

/// Python's reading: no physical line over 75 octets, none with a character cut in two,
/// CRLF line ends only.
fn assert_folded_whole(py: &Value, what: &str) {
    assert_eq!(py["crlf_only"], json!(true), "{what}: CRLF only");
    for (i, l) in arr(&py["lines"]).iter().enumerate() {
        assert!(
            l[0].as_u64().unwrap() <= 75,
            "{what}: line {} has {} octets",
            i + 1,
            l[0]
        );
        assert_eq!(
            l[1],
            json!(true),
            "{what}: line {} splits a character",
            i + 1
        );
    }
}

/// The values of property `name` in Python's reading.
fn py_values(py: &Value, name: &str) -> Vec<String> {
    arr(&py["props"][name])
        .iter()
        .map(|p| p[1].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn vcards_with_long_chinese_text_are_read_whole_by_other_parsers() {
    let k = Kith::new();
    k.id(&["account", "add", "广州白云国际机场（集团）, 南区; 航站楼"]);
    let notes: Vec<String> = (0..8).map(long_chinese).collect();
    for (i, n) in notes.iter().enumerate() {
        k.id(&[
            "contact",
            "add",
            &format!("王芳{i}"),
            "--account",
            "1",
            "--title",
            "采购经理, 华南区; 负责人",
            "--phone",
            &format!("+86 138 0013 800{i}"),
            "--tag",
            "老朋友",
            "--tag",
            "重点客户",
            "--notes",
            n,
        ]);
    }
    // An address comes from a card, and is kept in the notes' [vCard] part.
    let card = k.dir.path().join("in.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:李娜\r\nADR;TYPE=work:;;白云区机场路 282 号，3 楼;广州;广东省;510470;中国\r\n\
         NOTE:短备注\r\nEND:VCARD\r\n",
    )
    .unwrap();
    k.ok(&["import", "vcard", card.to_str().unwrap()]);
    for (version, flag) in [("4.0", None), ("3.0", Some("--v3"))] {
        let file = k.dir.path().join(format!("out-{version}.vcf"));
        let mut args = vec!["export", "vcard", "-o", file.to_str().unwrap()];
        args.extend(flag);
        k.ok(&args);
        let text = std::fs::read_to_string(&file).unwrap();

        // The ical crate's vCard parser.
        let cards: Vec<ical::parser::vcard::component::VcardContact> =
            ical::VcardParser::new(std::io::BufReader::new(text.as_bytes()))
                .collect::<std::result::Result<_, _>>()
                .unwrap();
        assert_eq!(cards.len(), 9, "{version}");
        let prop = |c: &ical::parser::vcard::component::VcardContact, name: &str| -> Vec<String> {
            c.properties
                .iter()
                .filter(|p| p.name == name)
                .map(|p| unescape(p.value.as_deref().unwrap_or("")))
                .collect()
        };
        for (i, n) in notes.iter().enumerate() {
            let c = cards
                .iter()
                .find(|c| prop(c, "FN") == [format!("王芳{i}")])
                .unwrap_or_else(|| panic!("{version}: 王芳{i}"));
            assert_eq!(
                prop(c, "NOTE"),
                std::slice::from_ref(n),
                "{version}: 王芳{i}'s notes"
            );
            assert_eq!(prop(c, "TITLE"), ["采购经理, 华南区; 负责人"]);
            assert_eq!(prop(c, "ORG"), ["广州白云国际机场（集团）, 南区; 航站楼"]);
            assert_eq!(prop(c, "TEL"), [format!("+86 138 0013 800{i}")]);
        }
        let li = cards.iter().find(|c| prop(c, "FN") == ["李娜"]).unwrap();
        assert_eq!(
            prop(li, "ADR"),
            [";;白云区机场路 282 号，3 楼, 广州, 广东省, 510470, 中国;;;;"]
        );

        // Python's standard library, by the RFC's rules.
        let py = python_properties(&file);
        assert_folded_whole(&py, version);
        let got = py_values(&py, "NOTE");
        for n in &notes {
            assert!(got.contains(n), "{version}: a note read back whole");
        }
        assert!(got.contains(&"短备注".to_string()));
        assert!(py_values(&py, "FN").contains(&"王芳7".to_string()));
        assert!(
            py_values(&py, "ORG").contains(&"广州白云国际机场（集团）, 南区; 航站楼".to_string())
        );
        assert!(py_values(&py, "CATEGORIES").contains(&"老朋友,重点客户".to_string()));
    }
    // kith reads its own export back too.
    let copy = Kith::new();
    copy.ok(&[
        "import",
        "vcard",
        k.dir.path().join("out-4.0.vcf").to_str().unwrap(),
        "--create-missing",
    ]);
    for (i, n) in notes.iter().enumerate() {
        let c = copy.json(&["contact", "show", &format!("王芳{i}")]);
        assert_eq!(c["notes"], json!(n), "王芳{i}");
        assert_eq!(c["account"], "广州白云国际机场（集团）, 南区; 航站楼");
        assert_eq!(c["tags"], json!(["老朋友", "重点客户"]));
    }
}

#[test]
fn icalendar_with_long_chinese_text_is_read_whole_by_other_parsers() {
    let k = Kith::new();
    k.id(&[
        "account",
        "add",
        "广州白云国际机场",
        "--city",
        "广州 白云区",
    ]);
    let texts: Vec<String> = (0..8).map(long_chinese).collect();
    for (i, t) in texts.iter().enumerate() {
        k.id(&[
            "task",
            "add",
            &format!("发送报价{i}, 第二版; 含税"),
            "--due",
            "2026-11-27",
            "--notes",
            t,
            "--tag",
            "重点",
        ]);
        k.id(&[
            "activity",
            "add",
            "visit",
            &format!("季度拜访{i}"),
            "--account",
            "1",
            "--at",
            "2026-12-01 14:00",
            "--body",
            t,
        ]);
    }
    let file = k.dir.path().join("kith.ics");
    k.ok(&["export", "ical", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();

    // The ical crate's parser.
    let cals: Vec<ical::parser::ical::component::IcalCalendar> =
        ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
            .collect::<std::result::Result<_, _>>()
            .unwrap();
    assert_eq!(cals.len(), 1);
    let value = |props: &[ical::property::Property], name: &str| -> String {
        unescape(
            props
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.as_deref())
                .unwrap_or(""),
        )
    };
    assert_eq!(cals[0].todos.len(), 8);
    assert_eq!(cals[0].events.len(), 8);
    for (i, t) in texts.iter().enumerate() {
        let todo = cals[0]
            .todos
            .iter()
            .find(|c| value(&c.properties, "SUMMARY") == format!("发送报价{i}, 第二版; 含税"))
            .unwrap_or_else(|| panic!("task {i}"));
        // Trailing spaces go: a description is trimmed as kith writes it.
        assert_eq!(value(&todo.properties, "DESCRIPTION"), t.trim(), "task {i}");
        assert_eq!(value(&todo.properties, "CATEGORIES"), "重点");
        let event = cals[0]
            .events
            .iter()
            .find(|c| value(&c.properties, "SUMMARY") == format!("visit: 季度拜访{i}"))
            .unwrap_or_else(|| panic!("activity {i}"));
        assert_eq!(
            value(&event.properties, "DESCRIPTION"),
            format!("{}\n\nAccount: 广州白云国际机场", t.trim()),
            "activity {i}"
        );
        assert_eq!(value(&event.properties, "LOCATION"), "广州 白云区");
    }

    // Python's standard library, by the RFC's rules.
    let py = python_properties(&file);
    assert_folded_whole(&py, "iCalendar");
    let got = py_values(&py, "DESCRIPTION");
    for t in &texts {
        assert!(
            got.contains(&t.trim().to_string()),
            "a description read back whole"
        );
    }
}
