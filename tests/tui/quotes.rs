//! A document's lines in its detail view and a quote's verbs, driven by keys: the editor,
//! the totals worked out by the library as a quantity is typed (nothing written until
//! enter), lines added from the product picker, taken off and put back, and what the
//! library refuses said in its words.
//!
//! The fixture's airport (account 1) buys on a dealer's price list: the meter at 1,100,
//! 980 from ten. Quote 1 (Q-2026-0001, a draft) has 12 meters (980: 11,760 at 13%) and
//! 12 days of installation at 350 less 10% (3,780 at 6%): subtotal 15,540, of which 420
//! line discounts; tax 226.80 + 1,528.80; total 17,295.60. Quote 2 (Q-2026-0002) was sent
//! with one meter; quote 3 (Q-2026-0003) is a draft with no lines.

use kith::app::crm::Input;
use kith::core::money::Money;
use kith::model::Entity;
use kith::tui::app::{Popup, Screen};
use kith::tui::App;

use crate::{frame_text, ids, key, keys, render, top, type_text};

fn add(app: &mut App, e: Entity, pairs: &[(&str, &str)]) -> i64 {
    let mut input = Input::new();
    for (k, v) in pairs {
        input.set(k, *v);
    }
    app.crm
        .create(e, &input)
        .unwrap_or_else(|err| panic!("create {e} {pairs:?}: {err}"))
}

fn line(app: &mut App, quote: i64, pairs: &[(&str, &str)]) {
    let mut input = Input::new();
    for (k, v) in pairs {
        input.set(k, *v);
    }
    app.crm.add_line(Entity::Quote, quote, &input).unwrap();
}

/// The fixture with products, a price list and three quotes, on the quotes' list.
fn app() -> App {
    let mut app = crate::app();
    add(
        &mut app,
        Entity::Product,
        &[
            ("name", "智能电表 DTZ-341"),
            ("sku", "DTZ-341"),
            ("price", "1200"),
            ("currency", "CNY"),
            ("unit", "台"),
            ("tax", "13%"),
        ],
    );
    add(
        &mut app,
        Entity::Product,
        &[
            ("name", "安装服务"),
            ("sku", "SVC-INST"),
            ("price", "350"),
            ("currency", "CNY"),
            ("unit", "人天"),
            ("tax", "6%"),
        ],
    );
    add(
        &mut app,
        Entity::Product,
        &[
            ("name", "旧款电表 DTZ-100"),
            ("sku", "DTZ-100"),
            ("price", "600"),
            ("currency", "CNY"),
            ("retired", "yes"),
        ],
    );
    let list = add(
        &mut app,
        Entity::PriceList,
        &[("name", "经销商价"), ("currency", "CNY")],
    );
    app.crm.set_price(list, "DTZ-341", "1100", None).unwrap();
    app.crm
        .set_price(list, "DTZ-341", "980", Some("10"))
        .unwrap();
    app.crm
        .update(
            Entity::Account,
            ids::AIRPORT,
            &Input::new().with("pricelist", "经销商价"),
        )
        .unwrap();
    let q1 = add(&mut app, Entity::Quote, &[("account", "#1")]);
    line(&mut app, q1, &[("product", "DTZ-341"), ("qty", "12")]);
    line(
        &mut app,
        q1,
        &[("product", "SVC-INST"), ("qty", "12"), ("discount", "10%")],
    );
    let q2 = add(&mut app, Entity::Quote, &[("account", "#1")]);
    line(&mut app, q2, &[("product", "DTZ-341"), ("qty", "1")]);
    app.crm.send_quote(q2).unwrap();
    let q3 = add(&mut app, Entity::Quote, &[("account", "#2")]);
    assert_eq!((q1, q2, q3), (1, 2, 3));
    keys(&mut app, "g q");
    app
}

/// The quote `id` opened from the list (newest first).
fn open_quote(app: &mut App, id: i64) {
    keys(app, "g g");
    for _ in 0..10 {
        if app.selected() == Some((Entity::Quote, id)) {
            break;
        }
        key(app, "j");
    }
    key(app, "enter");
    assert!(
        matches!(top(app), Screen::Detail(d) if d.entity == Entity::Quote && d.id == id),
        "quote {id} is not shown"
    );
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn total(app: &App, quote: i64) -> Money {
    app.crm.sheet(Entity::Quote, quote).unwrap().worked.total
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// Whether a row of the frame shows `label`, then only spaces, then `amount` (the
/// totals' columns are as wide as their widest label and amount).
fn has_total(frame: &str, label: &str, amount: &str) -> bool {
    frame.lines().any(|row| {
        row.split_once(label).is_some_and(|(_, rest)| {
            let rest = rest.trim_start_matches(' ');
            rest.starts_with(amount) && rest[amount.len()..].starts_with([' ', '│'])
        })
    })
}

fn assert_totals(frame: &str, rows: &[(&str, &str)]) {
    for (label, amount) in rows {
        assert!(
            has_total(frame, label, amount),
            "no total {label:?} {amount:?} in\n{frame}"
        );
    }
}

fn snap(app: &mut App, name: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        let terminal = render(app, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn a_quotes_view_shows_its_lines_and_totals_as_quote_show_prints_them() {
    let mut app = app();
    open_quote(&mut app, 1);
    let frame = frame_text(&mut app, 120, 40);
    for want in [
        "Lines (2)",
        "智能电表 DTZ-341",
        "11,760.00",
        "3,780.00",
        "i to add, change or remove lines",
        "S send quote",
    ] {
        assert!(frame.contains(want), "no {want:?} in\n{frame}");
    }
    assert_totals(
        &frame,
        &[
            ("Subtotal", "15,540.00"),
            ("  of which line discounts", "420.00"),
            ("Tax 6% on 3,780.00", "226.80"),
            ("Tax 13% on 11,760.00", "1,528.80"),
            ("Total CNY", "17,295.60"),
        ],
    );
    snap(&mut app, "quote_lines");
}

#[test]
fn the_line_editor_opens_on_the_selected_line() {
    let mut app = app();
    open_quote(&mut app, 1);
    keys(&mut app, "i j e");
    let Screen::Detail(d) = top(&app) else {
        panic!("not a detail view")
    };
    let edit = d.lines.as_ref().and_then(|l| l.edit.as_ref()).unwrap();
    assert_eq!(edit.fields[0].text(), "12");
    assert_eq!(edit.fields[1].text(), "350");
    assert_eq!(edit.fields[2].text(), "10%");
    snap(&mut app, "quote_line_editor");
}

#[test]
fn the_totals_change_as_a_quantity_is_typed_and_only_enter_writes() {
    let mut app = app();
    open_quote(&mut app, 1);
    // The meters: 12 → 2 → 20, their price (980) kept as it was set.
    let history = app.crm.history(Entity::Quote, 1).unwrap().len();
    keys(&mut app, "i e backspace backspace");
    type_text(&mut app, "2");
    // 2 × 980 = 1,960; subtotal 1,960 + 3,780 = 5,740; tax 254.80 + 226.80 = 481.60;
    // total 6,221.60.
    let frame = frame_text(&mut app, 120, 40);
    for want in [
        "1,960.00",
        "line 1: 11,760.00 → 1,960.00 · total 17,295.60 → 6,221.60",
    ] {
        assert!(frame.contains(want), "no {want:?} in\n{frame}");
    }
    assert_totals(
        &frame,
        &[
            ("Subtotal", "5,740.00"),
            ("Tax 13% on 1,960.00", "254.80"),
            ("Total CNY", "6,221.60"),
        ],
    );
    type_text(&mut app, "0");
    // 20 × 980 = 19,600; subtotal 23,380; tax 2,548 + 226.80 = 2,774.80; total
    // 26,154.80.
    let frame = frame_text(&mut app, 120, 40);
    assert!(frame.contains("19,600.00"), "{frame}");
    assert_totals(
        &frame,
        &[
            ("Subtotal", "23,380.00"),
            ("Tax 13% on 19,600.00", "2,548.00"),
            ("Total CNY", "26,154.80"),
        ],
    );
    snap(&mut app, "quote_line_typing");
    // Nothing is written while typing.
    assert_eq!(total(&app, 1), m("17295.60"));
    assert_eq!(app.crm.history(Entity::Quote, 1).unwrap().len(), history);
    key(&mut app, "enter");
    assert_eq!(status(&app), "line 1 saved");
    assert_eq!(total(&app, 1), m("26154.80"));
    let sheet = app.crm.sheet(Entity::Quote, 1).unwrap();
    assert_eq!(sheet.lines[0].get("qty"), Some(&m("20").to_json()));
    assert_eq!(sheet.lines[0].get("price"), Some(&m("980").to_json()));
    // The quote shows what was written, its lines still in front.
    let frame = frame_text(&mut app, 120, 40);
    assert_totals(&frame, &[("Total CNY", "26,154.80")]);
    assert!(frame.contains("▸ Lines (2)"), "{frame}");
}

#[test]
fn price_and_discount_are_typed_after_tab_and_esc_writes_nothing() {
    let mut app = app();
    open_quote(&mut app, 1);
    keys(&mut app, "i e tab ctrl-u");
    type_text(&mut app, "1000");
    keys(&mut app, "tab");
    type_text(&mut app, "5%");
    // 12 × 1,000 = 12,000 less 5% = 11,400; subtotal 15,180; tax 1,482 + 226.80;
    // total 16,888.80.
    let frame = frame_text(&mut app, 120, 40);
    assert!(frame.contains("11,400.00"), "{frame}");
    assert_totals(&frame, &[("Total CNY", "16,888.80")]);
    // An amount off instead: 12,000 − 500 = 11,500.
    keys(&mut app, "ctrl-u");
    type_text(&mut app, "500");
    let frame = frame_text(&mut app, 120, 40);
    assert!(frame.contains("11,500.00"), "{frame}");
    // More off than the line comes to: the library's words under the line, the totals
    // as they are.
    type_text(&mut app, "00");
    let frame = frame_text(&mut app, 120, 40);
    assert!(
        frame.contains("✗ discount: 50,000 is more than the line comes to (12,000)"),
        "{frame}"
    );
    assert_totals(&frame, &[("Total CNY", "17,295.60")]);
    key(&mut app, "enter");
    assert_eq!(total(&app, 1), m("17295.60"), "refused: nothing written");
    key(&mut app, "esc");
    assert_eq!(status(&app), "not saved");
    assert_eq!(total(&app, 1), m("17295.60"));
    let Screen::Detail(d) = top(&app) else {
        panic!()
    };
    assert!(d.lines.as_ref().unwrap().edit.is_none());
}

#[test]
fn a_line_is_added_from_the_product_picker_at_the_price_lists_tier() {
    let mut app = app();
    open_quote(&mut app, 1);
    keys(&mut app, "i n");
    let Some(Popup::Pick(p)) = &app.popup else {
        panic!("no product picker")
    };
    // A retired product is not offered.
    let offered: Vec<&str> = p.items.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(offered, vec!["安装服务", "智能电表 DTZ-341"]);
    type_text(&mut app, "dtz");
    key(&mut app, "enter");
    // 9 meters are short of the tier from ten: 1,100 each, 9,900.
    type_text(&mut app, "9");
    let frame = frame_text(&mut app, 120, 40);
    assert!(frame.contains("1,100.00"), "{frame}");
    assert!(frame.contains("9,900.00"), "{frame}");
    // Ten reach it: 980, 9,800; subtotal 25,340; tax 1,528.80 + 1,274 + 226.80 =
    // 3,029.60; total 28,369.60.
    keys(&mut app, "backspace");
    type_text(&mut app, "10");
    let frame = frame_text(&mut app, 120, 40);
    for want in ["980.00", "9,800.00"] {
        assert!(frame.contains(want), "no {want:?} in\n{frame}");
    }
    assert_totals(&frame, &[("Total CNY", "28,369.60")]);
    assert_eq!(app.crm.sheet(Entity::Quote, 1).unwrap().lines.len(), 2);
    key(&mut app, "enter");
    assert_eq!(status(&app), "line 3 added");
    let sheet = app.crm.sheet(Entity::Quote, 1).unwrap();
    assert_eq!(sheet.lines.len(), 3);
    assert_eq!(sheet.worked.total, m("28369.60"));
    let Screen::Detail(d) = top(&app) else {
        panic!()
    };
    assert_eq!(
        d.lines.as_ref().unwrap().selected,
        2,
        "the new line selected"
    );
}

#[test]
fn a_line_is_removed_after_a_y_and_u_puts_it_back() {
    let mut app = app();
    open_quote(&mut app, 1);
    keys(&mut app, "i j d");
    let Some(Popup::Confirm { message, .. }) = &app.popup else {
        panic!("no confirmation")
    };
    assert_eq!(message, "Remove line 2 (安装服务) from quote Q-2026-0001?");
    key(&mut app, "y");
    assert_eq!(status(&app), "line 2 removed (u undoes)");
    // 11,760 and its 1,528.80 of tax are left.
    assert_eq!(total(&app, 1), m("13288.80"));
    keys(&mut app, "u y");
    assert_eq!(total(&app, 1), m("17295.60"));
    assert_eq!(app.crm.sheet(Entity::Quote, 1).unwrap().lines.len(), 2);
}

#[test]
fn a_sent_quotes_lines_are_refused_in_the_librarys_words() {
    let mut app = app();
    open_quote(&mut app, 2);
    keys(&mut app, "i e");
    let refused = "quote Q-2026-0002 is sent: what the customer saw is not changed; \
                   revise it (kith quote revise Q-2026-0002)";
    assert_eq!(status(&app), refused);
    assert!(app.status.as_ref().unwrap().error);
    let Screen::Detail(d) = top(&app) else {
        panic!()
    };
    assert!(d.lines.as_ref().unwrap().edit.is_none(), "no editor opened");
    snap(&mut app, "quote_sent_refused");
    for k in ["n", "d"] {
        key(&mut app, k);
        assert_eq!(status(&app), refused, "{k}");
        assert!(app.popup.is_none(), "{k}");
    }
}

#[test]
fn a_quote_is_sent_accepted_rejected_and_revised_by_its_keys() {
    let mut app = app();
    // No lines: not sent, as the library says.
    open_quote(&mut app, 3);
    key(&mut app, "S");
    assert_eq!(
        status(&app),
        "quote Q-2026-0003 has no lines to send (kith quote line add Q-2026-0003 PRODUCT --qty N)"
    );
    assert_eq!(
        app.crm.get(Entity::Quote, 3).unwrap().text("status"),
        "draft"
    );
    // A draft is not accepted.
    key(&mut app, "A");
    assert_eq!(
        status(&app),
        "quote Q-2026-0003 is draft; only a quote that is sent can take accept"
    );
    key(&mut app, "esc");
    open_quote(&mut app, 1);
    key(&mut app, "S");
    assert_eq!(
        status(&app),
        "quote Q-2026-0001 sent, valid until 2026-12-22"
    );
    // Once the message has gone, the keys a sent quote takes.
    app.status = None;
    let frame = frame_text(&mut app, 120, 40);
    assert!(
        frame.contains("A accept quote  X reject quote  V revise quote  P render quote"),
        "{frame}"
    );
    key(&mut app, "X");
    let Some(Popup::Prompt { title, .. }) = &app.popup else {
        panic!("no question")
    };
    assert_eq!(
        title,
        "Why was quote Q-2026-0001 rejected? (may be left empty)"
    );
    type_text(&mut app, "预算不足");
    key(&mut app, "enter");
    assert_eq!(status(&app), "quote Q-2026-0001 rejected");
    let q = app.crm.get(Entity::Quote, 1).unwrap();
    assert_eq!(
        (q.text("status"), q.text("reason")),
        ("rejected".to_string(), "预算不足".to_string())
    );
    // A rejected quote is revised: the new revision opens, a draft with the lines.
    key(&mut app, "V");
    assert_eq!(status(&app), "revision Q-2026-0001-2 made, a draft");
    let Screen::Detail(d) = top(&app) else {
        panic!()
    };
    assert_eq!((d.entity, d.id), (Entity::Quote, 4));
    assert_eq!(total(&app, 4), m("17295.60"));
    key(&mut app, "esc");
    assert!(matches!(top(&app), Screen::Detail(d) if d.id == 1));
    // The sent quote 2 is accepted.
    key(&mut app, "esc");
    open_quote(&mut app, 2);
    key(&mut app, "A");
    assert_eq!(status(&app), "quote Q-2026-0002 accepted");
}

#[test]
fn a_quote_is_rendered_to_the_file_answered() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    open_quote(&mut app, 1);
    key(&mut app, "P");
    let Some(Popup::Pick(p)) = &app.popup else {
        panic!("no formats")
    };
    let formats: Vec<&str> = p.items.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(formats, vec!["pdf", "html", "md"]);
    type_text(&mut app, "md");
    key(&mut app, "enter");
    let Some(Popup::Prompt { title, input, .. }) = &app.popup else {
        panic!("no question of the file")
    };
    assert_eq!(title, "Write Q-2026-0001 as MD to");
    assert_eq!(input.text(), "Q-2026-0001.md");
    let path = dir.path().join("报价单.md");
    keys(&mut app, "ctrl-u");
    type_text(&mut app, &path.display().to_string());
    key(&mut app, "enter");
    assert_eq!(status(&app), format!("wrote {}", path.display()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Q-2026-0001"), "{text}");
    assert!(text.contains("17,295.60"), "{text}");
}

#[test]
fn a_deals_lines_are_edited_the_same_way_and_its_amount_follows() {
    let mut app = crate::app();
    add(
        &mut app,
        Entity::Product,
        &[
            ("name", "安装服务"),
            ("sku", "SVC-INST"),
            ("price", "350"),
            ("currency", "CNY"),
            ("unit", "人天"),
            ("tax", "6%"),
        ],
    );
    keys(&mut app, "5");
    app.open(Entity::Deal, ids::ROBOTS).unwrap();
    assert!(
        matches!(top(&app), Screen::Detail(d) if d.entity == Entity::Deal && d.id == ids::ROBOTS)
    );
    let frame = frame_text(&mut app, 80, 24);
    assert!(
        frame.contains("Lines (0)  i to add, change or remove lines"),
        "{frame}"
    );
    keys(&mut app, "i e");
    assert_eq!(status(&app), "no lines yet: n adds one");
    keys(&mut app, "n enter");
    type_text(&mut app, "4");
    // 4 × 350 = 1,400; tax 84; total 1,484.
    let frame = frame_text(&mut app, 120, 40);
    assert_totals(
        &frame,
        &[("Tax 6% on 1,400.00", "84.00"), ("Total CNY", "1,484.00")],
    );
    key(&mut app, "enter");
    assert_eq!(status(&app), "line 1 added");
    // A deal with lines takes its amount from them.
    assert_eq!(
        app.crm
            .get(Entity::Deal, ids::ROBOTS)
            .unwrap()
            .get("amount"),
        Some(&m("1400").to_json())
    );
}

/// A contract of the airport's with two plan items, the first partly paid and past due.
/// On the pinned day (2026-11-22) it owes 6,000 of the first (10,000 due 2026-10-31, 4,000
/// paid) and the 20,000 of the second (due 2026-12-31): 26,000, of which 6,000 overdue.
fn owing(app: &mut App) {
    add(
        app,
        Entity::Contract,
        &[
            ("account", "#1"),
            ("number", "HT-T-1"),
            ("amount", "30000"),
            ("currency", "CNY"),
            ("signed", "2026-01-05"),
        ],
    );
    for (due, amount) in [("2026-10-31", "10000"), ("2026-12-31", "20000")] {
        add(
            app,
            Entity::Plan,
            &[("contract", "HT-T-1"), ("due", due), ("amount", amount)],
        );
    }
    add(
        app,
        Entity::Payment,
        &[
            ("contract", "HT-T-1"),
            ("amount", "4000"),
            ("received_on", "2026-11-01"),
        ],
    );
}

#[test]
fn an_accounts_view_shows_what_it_is_owed_today() {
    let mut app = app();
    owing(&mut app);
    app.open(Entity::Account, crate::ids::AIRPORT).unwrap();
    let frame = frame_text(&mut app, 140, 40);
    assert!(frame.contains("Owed today"), "{frame}");
    assert!(
        frame.contains("CNY 26,000 open · 6,000 overdue (1 of 2 items)"),
        "{frame}"
    );
    // An account whose contracts owe nothing has no such section.
    app.open(Entity::Account, crate::ids::ACME).unwrap();
    assert!(!frame_text(&mut app, 140, 40).contains("Owed today"));
}

#[test]
fn the_receivables_tab_opens_the_report_and_another_report_is_the_reports_tab() {
    use kith::app::reports::Kind;
    use kith::tui::places::View;
    let mut app = app();
    owing(&mut app);
    keys(&mut app, "g e");
    assert_eq!(app.view(), View::Report(Kind::Receivables));
    let Screen::Reports(r) = top(&app) else {
        panic!("not the reports screen");
    };
    assert_eq!(r.kind(), Kind::Receivables);
    let rows = r.main_rows();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let frame = frame_text(&mut app, 140, 40);
    assert!(frame.contains("广州白云国际机场"), "{frame}");
    assert!(frame.contains("26,000"), "{frame}");
    // The next report down is no longer the receivables tab's.
    key(&mut app, "j");
    assert_eq!(app.view(), View::Reports);
    key(&mut app, "k");
    assert_eq!(app.view(), View::Report(Kind::Receivables));
}

#[test]
fn a_narrow_receivables_report_keeps_what_is_owed_and_cuts_no_number() {
    let mut app = app();
    owing(&mut app);
    // A second contract of the airport's, for an amount as wide as they come.
    add(
        &mut app,
        Entity::Contract,
        &[
            ("account", "#1"),
            ("number", "HT-T-2"),
            ("amount", "1234567.89"),
            ("currency", "CNY"),
            ("signed", "2026-01-05"),
        ],
    );
    add(
        &mut app,
        Entity::Plan,
        &[
            ("contract", "HT-T-2"),
            ("due", "2026-06-30"),
            ("amount", "1234567.89"),
        ],
    );
    keys(&mut app, "g e");
    for (w, h) in [(80, 24), (100, 30), (140, 40)] {
        let frame = frame_text(&mut app, w, h);
        assert!(frame.contains("OPEN"), "{w}x{h}:\n{frame}");
        // 26,000 + 1,234,567.89, whole.
        assert!(frame.contains(" 1,260,567.89"), "{w}x{h}:\n{frame}");
    }
}
