//! The interface in Chinese, at 80×24: every screen's labels, hints, help and palette from
//! the Chinese catalog, aligned as the English are.
//!
//! The language is the process's, so these run in a child process of this test binary
//! (the other tests, on other threads, stay in English).

use crate::{app, in_child, keys, render, type_text};

/// Run `test` (this module's test of that name) in a child process in Chinese.
fn in_chinese(test: &str) -> bool {
    in_child(&format!("chinese::{test}"), || {
        assert!(kith::core::text::set_language("zh-CN"));
    })
}

#[test]
fn every_screen_in_chinese_at_80_columns() {
    if !in_chinese("every_screen_in_chinese_at_80_columns") {
        return;
    }
    for (name, spec, has) in [
        ("today", "", &["今日", "客户", "商机"][..]),
        ("accounts", "2", &["名称", "广州白云国际机场"]),
        ("deals", "5", &["标题", "金额"]),
        ("deal_detail", "5 enter", &["金额"]),
        ("board", "6", &["商机看板"]),
        ("tasks", "8", &["任务"]),
        ("help", "?", &["帮助", "退出"]),
        ("palette", ":", &["回款计划"]),
        ("new_deal_form", "5 n", &["标题"]),
        ("reports", "9", &["报表"]),
    ] {
        let mut app = app();
        keys(&mut app, spec);
        let terminal = render(&mut app, 80, 24);
        let text = terminal.backend().to_string();
        for want in has {
            assert!(text.contains(want), "{name}: no {want:?} in\n{text}");
        }
        insta::assert_snapshot!(format!("zh_{name}_80x24"), terminal.backend());
    }
}

#[test]
fn a_filter_in_chinese_keeps_its_matches_and_says_them_in_chinese() {
    if !in_chinese("a_filter_in_chinese_keeps_its_matches_and_says_them_in_chinese") {
        return;
    }
    let mut app = app();
    keys(&mut app, "2 /");
    type_text(&mut app, "机场");
    let text = render(&mut app, 80, 24).backend().to_string();
    assert!(text.contains("广州白云国际机场"), "{text}");
    assert!(text.contains("深圳宝安国际机场"), "{text}");
    assert!(!text.contains("Acme"), "{text}");
}

/// The palette in Chinese finds an action by its Chinese name, its pinyin initials and
/// its English name.
#[test]
fn the_palette_in_chinese_finds_actions_by_english_names_too() {
    if !in_chinese("the_palette_in_chinese_finds_actions_by_english_names_too") {
        return;
    }
    for typed in ["新建商机", "xjsj", "new deal"] {
        let mut app = app();
        keys(&mut app, ":");
        type_text(&mut app, typed);
        let text = render(&mut app, 80, 24).backend().to_string();
        let first = text
            .lines()
            .find(|l| l.contains('│') && l.contains("新建"))
            .unwrap_or_default();
        assert!(first.contains("新建商机"), "{typed}: {text}");
    }
    // Words that are no action's name in either language find nothing.
    let mut app = app();
    keys(&mut app, ":");
    type_text(&mut app, "zzqqxx");
    let text = render(&mut app, 80, 24).backend().to_string();
    assert!(!text.contains("新建"), "{text}");
}
