//! Drilling down from a report's row to the records behind it: the keys that move into
//! the rows and back, the list opened on top of the report with the filter that selects
//! the records, and — for every report — that the records listed are exactly those the
//! row counts and sums, checked against a count made here from every record.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use kith::app::crm::Crm;
use kith::app::reports::Kind;
use kith::app::tui_reads::{Cell, Row};
use kith::core::money::Money;
use kith::model::record::Record;
use kith::model::Entity;
use kith::samples::demo::{generate, DemoOptions};
use kith::store::{ListQuery, Store};
use kith::tui::app::{App, Screen};
use kith::tui::keymap::Keymap;

use super::{all, env, frame_text, highlighted, key, keys, render, top};

/// The sample database (60 accounts, as in the reports' documentation), on the pinned clock.
fn demo_app() -> App {
    let mut crm = Crm::new(Store::open_in_memory().unwrap(), env());
    crm.ensure_setup().unwrap();
    generate(
        &mut crm,
        &DemoOptions {
            seed: 42,
            accounts: 60,
        },
    )
    .unwrap();
    App::new(crm, Keymap::default(), false).unwrap()
}

fn reports(app: &App) -> &kith::tui::app::Reports {
    match top(app) {
        Screen::Reports(r) => r,
        _ => panic!("not on reports"),
    }
}

/// Show report `kind` with period `period` (index in PERIODS) and grouping `grouping`.
fn show(app: &mut App, kind: Kind, period: usize, grouping: usize) {
    key(app, "9");
    let at = Kind::ALL.iter().position(|k| *k == kind).unwrap();
    for _ in 0..at {
        key(app, "j");
    }
    for _ in 0..period {
        key(app, "p");
    }
    for _ in 0..grouping {
        key(app, "b");
    }
    assert_eq!(reports(app).kind(), kind);
    assert!(
        app.status.as_ref().is_none_or(|s| !s.error),
        "{:?}",
        app.status
    );
}

/// Per currency (None: no currency), the sum of the records' amounts.
type Sums = BTreeMap<Option<String>, Money>;

fn sums(records: &[Record]) -> Sums {
    let mut out = Sums::new();
    for r in records {
        let c = r.str("currency").map(str::to_string);
        let m = r
            .get("amount")
            .and_then(Money::from_json)
            .unwrap_or(Money::ZERO);
        *out.entry(c).or_insert(Money::ZERO) += m;
    }
    out
}

fn text(r: &Row, k: &str) -> Option<String> {
    r.get(k).and_then(Cell::as_str).map(str::to_string)
}

fn int(r: &Row, k: &str) -> usize {
    r.get(k).and_then(Cell::as_i64).unwrap_or(0) as usize
}

fn num(r: &Row, k: &str) -> f64 {
    r.get(k).and_then(Cell::as_f64).unwrap_or(0.0)
}

/// Whether a record is in a report's group of `field`: its value, `(none)` when it has
/// none; for tags, each of its tags.
fn in_group(rec: &Record, field: &str, group: &str) -> bool {
    match rec.get(field) {
        Some(serde_json::Value::Array(tags)) if tags.is_empty() => group == "(none)",
        Some(serde_json::Value::Array(tags)) => tags.iter().any(|t| t.as_str() == Some(group)),
        _ => match rec.str(field) {
            Some(v) if !v.is_empty() => v == group,
            _ => group == "(none)",
        },
    }
}

fn in_period(d: Option<NaiveDate>, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    d.is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t))
}

fn day(s: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s?.get(..10)?, "%Y-%m-%d").ok()
}

/// A stamp's local day (closed_at, created_at and stage changes are UTC stamps).
fn local(s: Option<&str>) -> Option<NaiveDate> {
    kith::core::dates::local_day(s?)
}

fn key_of(period: &str, d: NaiveDate) -> String {
    match period {
        "day" => d.format("%Y-%m-%d").to_string(),
        "week" => format!("{}-W{:02}", d.iso_week().year(), d.iso_week().week()),
        "month" => d.format("%Y-%m").to_string(),
        "quarter" => format!("{}-Q{}", d.year(), d.month().div_ceil(3)),
        _ => d.format("%Y").to_string(),
    }
}

/// The records a row counts, worked out here from every record of the kind, and what the
/// row says: how many, and (for rows that sum amounts) the sum in the row's currency.
struct Expected {
    records: Vec<Record>,
    count: usize,
    amount: Option<f64>,
}

fn expected(app: &App, kind: Kind, row: &Row) -> Expected {
    let r = reports(app);
    let crm = &app.crm;
    let now = crm.env.clock.now();
    let p = r.params(crm.env.clock.today());
    let word = |w: &Option<String>| {
        w.as_ref()
            .map(|w| kith::core::dates::parse_date(w, now).unwrap())
    };
    let (from, to) = (word(&p.from), word(&p.to));
    let currency = text(row, "currency");
    let same_currency = |rec: &Record| rec.str("currency").map(str::to_string) == currency;
    let by = r.by();
    let deals = || all(crm, Entity::Deal);
    let (records, count, amount): (Vec<Record>, usize, Option<f64>) = match kind {
        Kind::Pipeline => {
            let stage = text(row, "stage").unwrap();
            let recs = deals()
                .into_iter()
                .filter(|d| d.str("status") == Some("open") && d.str("stage") == Some(&stage))
                .filter(same_currency)
                .filter(|d| {
                    (from.is_none() && to.is_none())
                        || in_period(day(d.str("expected_close")), from, to)
                })
                .collect();
            (recs, int(row, "count"), Some(num(row, "amount")))
        }
        Kind::Forecast => {
            let period = text(row, "period").unwrap();
            let recs = deals()
                .into_iter()
                .filter(|d| d.str("status") == Some("open"))
                .filter(same_currency)
                .filter(|d| {
                    let close = day(d.str("expected_close"));
                    in_period(close, from, to)
                        && close.map(|c| key_of(by.unwrap(), c)) == Some(period.clone())
                })
                .collect();
            (recs, int(row, "open_deals"), Some(num(row, "best_case")))
        }
        Kind::Funnel => {
            let stage = text(row, "stage").unwrap();
            let reader = crm.reader();
            let recs = deals()
                .into_iter()
                .filter(|d| {
                    reader.stage_history(d.id()).unwrap().iter().any(|s| {
                        s.to == stage && {
                            let d = local(Some(&s.at));
                            d.is_some()
                                && (from.is_none() && to.is_none() || in_period(d, from, to))
                        }
                    })
                })
                .collect();
            (recs, int(row, "entered"), None)
        }
        Kind::Winloss => {
            let field = by.unwrap();
            let value = text(row, field).unwrap();
            let recs = deals()
                .into_iter()
                .filter(|d| matches!(d.str("status"), Some("won" | "lost")))
                .filter(same_currency)
                .filter(|d| in_group(d, field, &value))
                .filter(|d| {
                    let closed = local(d.str("closed_at"));
                    closed.is_some() && in_period(closed, from, to)
                })
                .collect();
            (
                recs,
                int(row, "won") + int(row, "lost"),
                Some(num(row, "won_amount") + num(row, "lost_amount")),
            )
        }
        Kind::Activity => {
            let (field, period) = match by.unwrap() {
                "owner" => ("owner", "week"),
                p => ("owner", p),
            };
            let value = text(row, field).unwrap();
            let key = text(row, "period").unwrap();
            let recs = all(crm, Entity::Activity)
                .into_iter()
                .filter(|a| in_group(a, field, &value))
                .filter(|a| {
                    let at = day(a.str("at"));
                    in_period(at, from, to) && at.map(|d| key_of(period, d)) == Some(key.clone())
                })
                .collect();
            (recs, int(row, "total"), None)
        }
        Kind::Customers => {
            let account = row.get("account_id").and_then(Cell::as_i64).unwrap();
            // An account's orders confirmed in the period count instead of its deals.
            let orders: Vec<Record> = all(crm, Entity::Order)
                .into_iter()
                .filter(|o| o.i64("account_id") == Some(account))
                .filter(|o| !matches!(o.str("status"), Some("draft" | "cancelled")))
                .filter(same_currency)
                .filter(|o| {
                    in_period(day(o.str("ordered_on")), from, to)
                        || (from.is_none() && to.is_none())
                })
                .collect();
            if !orders.is_empty() {
                let n = orders.len();
                return Expected {
                    records: orders,
                    count: n,
                    amount: None,
                };
            }
            let recs = deals()
                .into_iter()
                .filter(|d| d.i64("account_id") == Some(account) && d.str("status") == Some("won"))
                .filter(same_currency)
                .filter(|d| {
                    let closed = local(d.str("closed_at"));
                    closed.is_some() && in_period(closed, from, to)
                })
                .collect();
            (recs, int(row, "won_deals"), Some(num(row, "won_amount")))
        }
        Kind::Leads => {
            let field = by.unwrap();
            let value = text(row, field).unwrap();
            let recs = all(crm, Entity::Lead)
                .into_iter()
                .filter(|l| in_group(l, field, &value))
                .filter(|l| in_period(local(l.str("created_at")), from, to))
                .collect();
            (recs, int(row, "leads"), None)
        }
        Kind::Receivables | Kind::Collections | Kind::Orders | Kind::Service => {
            unreachable!("not drilled here")
        }
    };
    Expected {
        records,
        count,
        amount,
    }
}

/// For every row of the report shown: enter lists the records behind it, exactly those
/// counted here from every record, as many as the row says (and summing to its amount in
/// its currency); esc comes back to the report on the same row. Returns how many rows
/// had records.
fn every_row_drills_to_its_records(app: &mut App, kind: Kind) -> usize {
    let rows = reports(app).main_rows().to_vec();
    assert!(!rows.is_empty(), "{kind:?} has rows");
    key(app, "tab");
    assert!(reports(app).in_table);
    let mut with_records = 0;
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            key(app, "j");
        }
        assert_eq!(reports(app).row, i);
        let want = expected(app, kind, row);
        key(app, "enter");
        let Screen::List(l) = top(app) else {
            panic!("{kind:?} row {i}: no list ({:?})", app.status);
        };
        // The list reads its filter from its own line: the title shows it all.
        assert_eq!(
            kith::model::query::parse_line(&l.filter_text)
                .unwrap()
                .terms,
            l.query.filter.terms,
            "{kind:?} row {i}: {}",
            l.filter_text
        );
        assert!(l.words.is_empty());
        let q = ListQuery {
            filter: l.query.filter.clone(),
            ..ListQuery::default()
        };
        let listed = app.crm.list(l.entity, &q).unwrap();
        let mut got: Vec<i64> = listed.iter().map(Record::id).collect();
        got.sort();
        let mut wanted: Vec<i64> = want.records.iter().map(Record::id).collect();
        wanted.sort();
        assert_eq!(got, wanted, "{kind:?} row {i} {row:?}: {}", l.filter_text);
        assert_eq!(
            got.len(),
            want.count,
            "{kind:?} row {i} {row:?}: {}",
            l.filter_text
        );
        assert_eq!(app.crm.count(l.entity, &q).unwrap(), want.count);
        if want.count <= kith::tui::app::PAGE {
            assert_eq!(l.rows.len(), want.count, "the list shows them all");
        }
        if let Some(amount) = want.amount {
            let s = sums(&listed);
            assert!(s.len() <= 1, "one currency: {s:?}");
            let total = s.values().next().copied().unwrap_or(Money::ZERO).to_f64();
            assert!(
                (total - amount).abs() < 0.005,
                "{kind:?} row {i}: {total} listed, {amount} in the row ({})",
                l.filter_text
            );
        }
        with_records += usize::from(want.count > 0);
        key(app, "esc");
        let r = reports(app);
        assert_eq!((r.in_table, r.row), (true, i), "back on the same row");
    }
    with_records
}

#[test]
fn every_report_row_lists_exactly_the_records_it_counts() {
    let mut app = demo_app();
    let mut rows = 0;
    let mut kinds = 0;
    // Each report over all time in each of its groupings, then this month, this quarter
    // and last month.
    for kind in Kind::ALL {
        // The money reports sum plan items, payments and order lines: their rows drill
        // into the contracts or orders they are of, not into records one per count. The
        // service report's rows count cases by several moments (opened, resolved, a
        // deadline passed); a row lists the cases opened (tests/tui/cases.rs).
        if matches!(
            kind,
            Kind::Receivables | Kind::Collections | Kind::Orders | Kind::Service
        ) {
            continue;
        }
        kinds += 1;
        let groupings = kith::tui::app::groupings(kind).len().max(1);
        for (period, grouping) in (0..groupings)
            .map(|g| (0, g))
            .chain([(1, 0), (3, 0), (2, 0)])
        {
            show(&mut app, kind, period, grouping);
            if reports(&app).main_rows().is_empty() {
                continue;
            }
            rows += reports(&app).main_rows().len();
            let n = every_row_drills_to_its_records(&mut app, kind);
            if period == 0 {
                assert!(n > 0, "{kind:?} by {grouping}: some row has records");
            }
        }
    }
    assert_eq!(kinds, 7);
    assert!(rows > 300, "{rows} rows drilled");
}

#[test]
fn keys_move_into_the_rows_and_out() {
    let mut app = demo_app();
    key(&mut app, "9");
    let r = reports(&app);
    assert!(!r.in_table);
    let first = frame_text(&mut app, 140, 40);
    assert!(first.contains("tab report rows"), "{first}");
    // l goes in, j moves over the rows (not to the next report), h comes out.
    keys(&mut app, "l j j");
    let r = reports(&app);
    assert_eq!((r.in_table, r.row, r.kind()), (true, 2, Kind::Pipeline));
    let t = render(&mut app, 140, 40);
    let lit = highlighted(&t);
    let third = reports(&app).main_rows()[2].clone();
    let stage = text(&third, "stage").unwrap();
    assert!(
        lit.iter().any(|l| l.starts_with(&stage)),
        "the third row is highlighted: {lit:?}"
    );
    let screen = t.backend().to_string();
    assert!(screen.contains("enter drill down"), "{screen}");
    assert!(screen.contains("esc back"), "{screen}");
    keys(&mut app, "G");
    assert_eq!(reports(&app).row, reports(&app).main_rows().len() - 1);
    keys(&mut app, "g g");
    assert_eq!(reports(&app).row, 0);
    key(&mut app, "h");
    assert!(!reports(&app).in_table);
    key(&mut app, "j");
    assert_eq!(
        reports(&app).kind(),
        Kind::Forecast,
        "j chooses reports again"
    );
    // enter on the list goes into the rows; esc comes out, another esc stays on reports.
    keys(&mut app, "enter");
    assert!(reports(&app).in_table);
    keys(&mut app, "esc");
    assert!(!reports(&app).in_table);
    key(&mut app, "esc");
    assert_eq!(reports(&app).kind(), Kind::Forecast);
    // → and ← do the same as l and h; tab goes in and out.
    keys(&mut app, "right");
    assert!(reports(&app).in_table);
    keys(&mut app, "left");
    assert!(!reports(&app).in_table);
    keys(&mut app, "tab");
    assert!(reports(&app).in_table);
    keys(&mut app, "tab");
    assert!(!reports(&app).in_table);
}

#[test]
fn a_drilled_list_shows_its_filter_which_slash_edits_and_esc_leaves() {
    let mut app = demo_app();
    key(&mut app, "9");
    // The report's own filter: lin.wei's deals.
    key(&mut app, "/");
    super::type_text(&mut app, "owner:lin.wei");
    key(&mut app, "enter");
    let before: Vec<Row> = reports(&app).main_rows().to_vec();
    // The first row with deals.
    let at = before.iter().position(|r| int(r, "count") > 0).unwrap();
    key(&mut app, "tab");
    for _ in 0..at {
        key(&mut app, "j");
    }
    let row = before[at].clone();
    let (stage, currency) = (
        text(&row, "stage").unwrap(),
        text(&row, "currency").unwrap(),
    );
    key(&mut app, "enter");
    let Screen::List(l) = top(&app) else {
        panic!("no list")
    };
    assert_eq!(l.entity, Entity::Deal);
    assert_eq!(
        l.filter_text,
        format!("owner:lin.wei status:open stage:{stage} currency:{currency}")
    );
    assert_eq!(l.rows.len(), int(&row, "count"));
    assert!(l.rows.iter().all(|d| d.str("owner") == Some("lin.wei")));
    let screen = frame_text(&mut app, 140, 40);
    assert!(
        screen.contains(&format!(
            "/ owner:lin.wei status:open stage:{stage} currency:{currency}"
        )),
        "{screen}"
    );
    // The tab bar stays on reports.
    assert_eq!(app.view(), kith::tui::keymap::View::Reports);
    // `/` edits the filter in force: dropping the currency lists both currencies' deals.
    key(&mut app, "/");
    // The line ends with a space to type a new term after.
    for _ in 0..(currency.len() + "currency:".len() + 2) {
        key(&mut app, "backspace");
    }
    key(&mut app, "enter");
    let Screen::List(l) = top(&app) else {
        panic!("no list")
    };
    assert_eq!(
        l.filter_text,
        format!("owner:lin.wei status:open stage:{stage}")
    );
    let all_currencies: usize = before
        .iter()
        .filter(|r| text(r, "stage").as_deref() == Some(stage.as_str()))
        .map(|r| int(r, "count"))
        .sum();
    assert_eq!(l.rows.len(), all_currencies);
    // esc goes back to the report as it was: its filter, its row.
    key(&mut app, "esc");
    let r = reports(&app);
    assert_eq!(r.filter_text, "owner:lin.wei");
    assert_eq!((r.in_table, r.row), (true, at));
    assert_eq!(r.main_rows(), &before[..]);
}

#[test]
fn the_period_is_written_as_days_in_the_filter() {
    let mut app = demo_app();
    // Winloss this month (2026-11), by owner.
    show(&mut app, Kind::Winloss, 1, 0);
    let row = reports(&app).main_rows()[0].clone();
    keys(&mut app, "tab enter");
    let Screen::List(l) = top(&app) else {
        panic!("no list")
    };
    let owner = text(&row, "owner").unwrap();
    let currency = text(&row, "currency").unwrap();
    assert_eq!(
        l.filter_text,
        format!(
            "status!=open owner:{owner} currency:{currency} closed>=2026-11-01 closed<=2026-11-30"
        )
    );
    key(&mut app, "esc");
    // Activity per week: the week's days.
    show(&mut app, Kind::Activity, 0, 0);
    let row = reports(&app).main_rows()[0].clone();
    keys(&mut app, "tab enter");
    let Screen::List(l) = top(&app) else {
        panic!("no list")
    };
    let week = text(&row, "period").unwrap();
    let (lo, hi) = kith::app::reports::period_of("week", &week).unwrap();
    assert!(l.filter_text.ends_with(&format!(
        "at>={} at<={}",
        lo.format("%Y-%m-%d"),
        hi.format("%Y-%m-%d")
    )));
    assert_eq!(l.entity, Entity::Activity);
    key(&mut app, "esc");
    // The funnel: the deals that entered the stage.
    show(&mut app, Kind::Funnel, 3, 0);
    let row = reports(&app).main_rows()[0].clone();
    keys(&mut app, "tab enter");
    let Screen::List(l) = top(&app) else {
        panic!("no list")
    };
    assert_eq!(
        l.filter_text,
        format!(
            "entered:{} entered>=2026-10-01 entered<=2026-12-31",
            text(&row, "stage").unwrap()
        )
    );
    assert_eq!(l.rows.len(), int(&row, "entered"));
}

#[test]
fn a_report_without_rows_says_so_and_stays() {
    let mut app = demo_app();
    show(&mut app, Kind::Leads, 0, 0);
    key(&mut app, "/");
    super::type_text(&mut app, "owner:nobody");
    key(&mut app, "enter");
    assert!(reports(&app).main_rows().is_empty());
    key(&mut app, "tab");
    assert!(!reports(&app).in_table);
    let s = app.status.clone().unwrap();
    assert!(s.error);
    assert_eq!(s.text, "this report has no rows to open");
    key(&mut app, "enter");
    assert!(matches!(top(&app), Screen::Reports(_)));
}

#[test]
fn the_keys_are_actions_that_can_be_rebound() {
    use kith::app::config::KeySpec;
    let mut o = BTreeMap::new();
    o.insert("drill down".to_string(), KeySpec::One("o".into()));
    o.insert("report_rows".to_string(), KeySpec::One("ctrl-t".into()));
    let map = Keymap::with_overrides(&o).unwrap();
    let mut app = demo_app();
    app.keymap = map;
    key(&mut app, "9");
    key(&mut app, "ctrl-t");
    assert!(reports(&app).in_table);
    key(&mut app, "o");
    assert!(matches!(top(&app), Screen::List(_)));
    key(&mut app, "esc");
    // enter still opens: on reports it drills down as open.
    key(&mut app, "enter");
    assert!(matches!(top(&app), Screen::List(_)));
}

#[test]
fn entered_terms_are_about_one_entry_of_the_stage_history() {
    let app = demo_app();
    let count = |line: &str| {
        let q = ListQuery {
            filter: kith::model::query::parse_line(line).unwrap(),
            ..ListQuery::default()
        };
        app.crm.count(Entity::Deal, &q)
    };
    let ever = count("entered:proposal").unwrap();
    let this_quarter = count("entered:proposal entered>=soq entered<=eoq").unwrap();
    let won = count("entered:won").unwrap();
    assert!(
        ever > this_quarter && this_quarter > 0,
        "{ever} {this_quarter}"
    );
    assert_eq!(
        won,
        count("status:won").unwrap(),
        "every won deal entered won"
    );
    // Two stages cannot be one entry.
    assert_eq!(count("entered:proposal entered:won").unwrap(), 0);
    // By id as by name.
    let id = app
        .crm
        .list(
            Entity::Stage,
            &ListQuery {
                filter: kith::model::query::parse_line("name:proposal").unwrap(),
                ..ListQuery::default()
            },
        )
        .unwrap()[0]
        .id();
    assert_eq!(count(&format!("entered:#{id}")).unwrap(), ever);
    let e = count("entered!=proposal").unwrap_err().to_string();
    assert!(e.contains("entered takes a stage"), "{e}");
    let e = count("entered>=soon").unwrap_err().to_string();
    assert!(e.contains("filter 'entered'") && e.contains("soon"), "{e}");
    // Other kinds have no such field.
    let q = ListQuery {
        filter: kith::model::query::parse_line("entered:proposal").unwrap(),
        ..ListQuery::default()
    };
    assert!(app.crm.count(Entity::Lead, &q).is_err());
}
