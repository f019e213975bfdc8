//! Chinese names found by their pinyin — full, initials, mixed with characters, the
//! readings names use — in search, references and the name order (docs/filters.md,
//! "Pinyin").

use super::*;

fn names(hits: &Value) -> Vec<String> {
    arr(hits)
        .iter()
        .map(|h| h["name"].as_str().unwrap().to_string())
        .collect()
}

fn pinyin_fixture() -> Kith {
    let k = Kith::new();
    for name in [
        "广州白云国际机场",
        "重庆银行",
        "厦门航空",
        "长沙远大",
        "Bayern Logistics",
        "广州白云",
    ] {
        k.ok(&["account", "add", name]);
    }
    k.ok(&["contact", "add", "张三", "--account", "重庆银行"]);
    k.ok(&["contact", "add", "单伟", "--account", "厦门航空"]);
    k
}

#[test]
fn search_finds_chinese_names_by_full_pinyin_initials_and_mixed_input() {
    let k = pinyin_fixture();
    // Both hold it in pinyin; at equal scores the shorter name first.
    let hits = k.json(&["search", "baiyun"]);
    assert_eq!(
        names(&hits)[..2],
        ["广州白云", "广州白云国际机场"],
        "{hits}"
    );
    for q in ["bygj", "gz白云", "guangzhou", "jichang", "白云gj"] {
        let hits = k.json(&["search", q]);
        assert!(
            names(&hits).contains(&"广州白云国际机场".to_string()),
            "{q}: {hits}"
        );
    }
    // Initials that are the whole name: that name first.
    let hits = k.json(&["search", "gzbygjjc"]);
    assert_eq!(names(&hits), ["广州白云国际机场"], "{hits}");
    // Two words, each on its own: zhang san.
    let hits = k.json(&["search", "zhang san"]);
    assert_eq!(names(&hits), ["张三"], "{hits}");
    // Readings names use: 重庆 chongqing, 厦门 xiamen, 长沙 changsha, 单 shan as a surname.
    assert_eq!(names(&k.json(&["search", "chongqing"])), ["重庆银行"]);
    assert_eq!(names(&k.json(&["search", "cqyh"])), ["重庆银行"]);
    assert_eq!(names(&k.json(&["search", "xiamen"])), ["厦门航空"]);
    assert_eq!(names(&k.json(&["search", "changsha"])), ["长沙远大"]);
    assert_eq!(names(&k.json(&["search", "shanwei"])), ["单伟"]);
    // A Latin name still ranks by its letters; pinyin is not scattered over a name.
    assert_eq!(names(&k.json(&["search", "bayern"])), ["Bayern Logistics"]);
    // gz…jc passes over 白云国际: not a reading of the name.
    k.fails(&["search", "gzjc"], 1);
}

#[test]
fn a_reference_takes_pinyin_when_it_names_one_record() {
    let k = pinyin_fixture();
    let id = k.id(&["deal", "add", "航站楼安检", "--account", "bygj"]);
    let deal = k.json(&["deal", "show", &id.to_string()]);
    assert_eq!(deal["account"], "广州白云国际机场", "{deal}");
    let id = k.id(&["deal", "add", "授信系统", "--account", "chongqingyinhang"]);
    assert_eq!(
        k.json(&["deal", "show", &id.to_string()])["account"],
        "重庆银行"
    );
    // baiyun is held by two names and is neither's whole name: which one is not known.
    let err = k.fails(&["deal", "add", "X", "--account", "baiyun"], 2);
    assert!(
        err.contains("广州白云国际机场") && err.contains("广州白云"),
        "{err}"
    );
    // Nothing read so: the usual message, nothing written.
    let before = k.snapshot();
    let err = k.fails(&["deal", "add", "X", "--account", "qqq"], 2);
    assert!(err.contains("qqq"), "{err}");
    assert_eq!(k.snapshot(), before);
}

#[test]
fn names_sort_by_the_readings_names_use() {
    let k = pinyin_fixture();
    let list = k.json(&["account", "list", "--sort", "name"]);
    // bayern, chang sha, chong qing, guang zhou bai yun, guang zhou bai yun guo…, xia men
    assert_eq!(
        names(&list),
        [
            "Bayern Logistics",
            "长沙远大",
            "重庆银行",
            "广州白云",
            "广州白云国际机场",
            "厦门航空"
        ],
        "{list}"
    );
}

#[test]
fn collate_unicode_sorts_names_by_their_characters() {
    let k = pinyin_fixture();
    // By code point (case aside): Latin before Chinese, 厦 U+53A6, 广 U+5E7F, 重 U+91CD,
    // 长 U+957F.
    let want = [
        "Bayern Logistics",
        "厦门航空",
        "广州白云",
        "广州白云国际机场",
        "重庆银行",
        "长沙远大",
    ];
    for args in [
        &["account", "list", "--collate", "unicode"][..],
        &["account", "list", "--sort", "name", "--collate", "unicode"],
    ] {
        assert_eq!(names(&k.json(args)), want, "{args:?}");
    }
    let reversed = k.json(&["account", "list", "--sort", "-name", "--collate", "unicode"]);
    let mut back = want.to_vec();
    back.reverse();
    assert_eq!(names(&reversed), back);
    // pinyin is the default, and spelled out gives the same.
    assert_eq!(
        k.json(&["account", "list", "--collate", "pinyin"]),
        k.json(&["account", "list"])
    );
    k.fails(&["account", "list", "--collate", "stroke"], 2);
}
