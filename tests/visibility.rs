//! Every read passes through the one visibility condition: with a scope that hides the
//! records of every owner but one, no read path the faces use — lists, show, search, every
//! report, the exports, the agenda, reminders and the interface's reads — returns a hidden
//! record, and what they sum is what the visible records alone give.
//!
//! Two copies of the same sample database: in the first, every record not owned by
//! `lin.wei` is hidden by the scope (and, where it is live, renamed to carry a mark); in
//! the second, no scope, and those records are in the trash instead. Reads of the first
//! must return none of the hidden records, none of the marks in their own names, and
//! reports identical to the second's.

use std::collections::HashSet;

use chrono::NaiveDate;
use kith::app::agenda::agenda;
use kith::app::config::Care;
use kith::app::crm::{Crm, Env, Input};
use kith::app::queries::ListQuery;
use kith::app::reports::{run, Kind, Params};
use kith::app::users::Visibility;
use kith::core::clock::Clock;
use kith::domain::sales::remind::{collect, Which};
use kith::model::record::Record;
use kith::model::Entity;
use kith::samples::demo::{generate, DemoOptions};
use kith::store::Store;

const WHO: &str = "lin.wei";
const MARK: &str = "HIDDEN-MARK";

fn env() -> Env {
    Env {
        clock: Clock::at_local(
            NaiveDate::from_ymd_opt(2026, 11, 22)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        ),
        user: "tester".into(),
        currency: "CNY".into(),
        allow_duplicates: true,
    }
}

fn demo() -> Crm {
    let mut crm = Crm::new(Store::open_in_memory().unwrap(), env());
    crm.ensure_setup().unwrap();
    generate(
        &mut crm,
        &DemoOptions {
            seed: 42,
            accounts: 24,
        },
    )
    .unwrap();
    crm
}

fn all(trash: bool) -> ListQuery {
    ListQuery {
        trash,
        ..ListQuery::default()
    }
}

/// Every record (live and trashed) of a kind with owners not owned by WHO, as (kind, id)
/// (a kind without an owner, the products, is everyone's).
fn not_owned(crm: &Crm) -> HashSet<(Entity, i64)> {
    let mut out = HashSet::new();
    for (e, owner) in Entity::RECORDS
        .into_iter()
        .filter_map(|e| Some((e, e.owner_field()?)))
    {
        for trash in [false, true] {
            for r in crm.list(e, &all(trash)).unwrap() {
                if r.str(owner) != Some(WHO) {
                    out.insert((e, r.id()));
                }
            }
        }
    }
    // A record that belongs to a hidden one (a plan item to its contract) is hidden too.
    for e in Entity::RECORDS
        .into_iter()
        .filter(|e| !e.kind().belongs.is_empty())
    {
        for trash in [false, true] {
            for r in crm.list(e, &all(trash)).unwrap() {
                let of_hidden = e.kind().belongs.iter().any(|f| {
                    let parent = e.field(f).and_then(|f| f.is_ref()).unwrap();
                    r.i64(&format!("{f}_id"))
                        .is_some_and(|id| out.contains(&(parent, id)))
                });
                if of_hidden {
                    out.insert((e, r.id()));
                }
            }
        }
    }
    out
}

/// The scoped copy, its hidden records, and the copy with those records trashed.
fn copies() -> (Crm, HashSet<(Entity, i64)>, Crm) {
    let mut scoped = demo();
    let hidden = not_owned(&scoped);
    let mut plain = demo();
    assert_eq!(not_owned(&plain), hidden, "the two copies are the same");
    let mut hidden_sorted: Vec<_> = hidden.iter().copied().collect();
    hidden_sorted.sort();
    for (e, id) in &hidden_sorted {
        let r = scoped.get(*e, *id).unwrap();
        if !r.is_trashed() {
            let label = format!("{} {MARK}", r.label());
            // A sent quote is not edited (what the customer saw stays): it keeps its name,
            // hidden all the same.
            let sent = *e == Entity::Quote && r.str("status") != Some("draft");
            // Nor is a confirmed order, nor what a payment received; a plan item's name is
            // its contract's number and place, a survey's its case's and its day.
            let fixed = (*e == Entity::Order && r.str("status") != Some("draft"))
                || matches!(*e, Entity::Payment | Entity::Plan | Entity::Survey);
            if !sent && !fixed {
                scoped
                    .update(*e, *id, &Input::new().with(e.label_field(), label))
                    .unwrap();
            }
            plain.trash(*e, &[*id]).unwrap();
        }
    }
    scoped.set_visibility(Visibility::owned_by(WHO));
    (scoped, hidden, plain)
}

fn check_records(what: &str, records: &[Record], hidden: &HashSet<(Entity, i64)>) {
    for r in records {
        assert!(
            !hidden.contains(&(r.entity, r.id())),
            "{what}: hidden {} {} shown",
            r.entity,
            r.id()
        );
        assert!(!r.label().contains(MARK), "{what}: {}", r.label());
    }
}

fn kind_of(name: &str) -> Entity {
    Entity::from_name(name).unwrap_or_else(|| panic!("kind {name}"))
}

#[test]
fn no_read_path_shows_a_record_the_scope_hides() {
    let (crm, hidden, plain) = copies();
    // There is something on both sides of the line, of several kinds.
    let kinds: HashSet<Entity> = hidden.iter().map(|(e, _)| *e).collect();
    let owned = Entity::RECORDS
        .iter()
        .filter(|e| e.field("owner").is_some())
        .count();
    assert_eq!(
        kinds.iter().filter(|e| e.field("owner").is_some()).count(),
        owned,
        "hidden records of every kind with owners"
    );
    let mut seen = 0;

    // Lists (and the CSV/JSON/vCard/iCalendar exports, which are lists), live and trash.
    for e in Entity::RECORDS {
        for trash in [false, true] {
            let got = crm.list(e, &all(trash)).unwrap();
            check_records("list", &got, &hidden);
            seen += got.len();
            // Exactly what the other copy has live (or in its trash, without the hidden).
            let want: Vec<i64> = plain
                .list(e, &all(trash))
                .unwrap()
                .iter()
                .map(Record::id)
                .filter(|id| !hidden.contains(&(e, *id)))
                .collect();
            let mut ids: Vec<i64> = got.iter().map(Record::id).collect();
            let mut want = want;
            ids.sort();
            want.sort();
            assert_eq!(ids, want, "{e} list (trash {trash})");
        }
    }
    assert!(seen > 20, "some records are visible ({seen})");
    let ical = kith::io::ical::export(&crm).unwrap();
    let leak: Vec<&str> = ical.lines().filter(|l| l.contains(MARK)).collect();
    assert!(leak.is_empty(), "iCalendar: {leak:?}");

    // Show, history and the interface's detail, by id and by name; the 360° view's groups.
    for &(e, id) in &hidden {
        assert!(crm.get(e, id).is_err(), "get {e} {id}");
        assert!(crm.get_any(e, id).unwrap().is_none(), "get_any {e} {id}");
        assert!(crm.find(e, &id.to_string()).is_err(), "find {e} {id}");
        assert!(crm.overview(e, id).is_err(), "overview {e} {id}");
        assert!(crm.detail(e, id).is_err(), "detail {e} {id}");
        assert!(crm.history(e, id).unwrap().is_empty(), "history {e} {id}");
    }
    for e in Entity::RECORDS {
        assert!(crm.resolve(e, MARK).is_err(), "{e} by name");
        assert!(crm.lookup(e, MARK).is_none(), "{e} lookup");
        let ids: Vec<i64> = hidden
            .iter()
            .filter(|(k, _)| *k == e)
            .map(|(_, id)| *id)
            .collect();
        assert!(crm.get_many(e, &ids).unwrap().is_empty(), "get_many {e}");
        for r in crm.list(e, &all(false)).unwrap() {
            let ov = crm.overview(e, r.id()).unwrap();
            for (group, recs) in &ov.related {
                check_records(&format!("{e} {} {group}", r.id()), recs, &hidden);
            }
        }
    }
    for board in crm.boards().unwrap() {
        let open: i64 = board.stages.iter().map(|s| s.count).sum();
        let want: i64 = plain
            .boards()
            .unwrap()
            .into_iter()
            .find(|b| b.id == board.id)
            .unwrap()
            .stages
            .iter()
            .map(|s| s.count)
            .sum();
        assert_eq!(open, want, "board {}", board.name);
    }

    // Search, for the mark and for everything.
    assert!(crm.search(MARK, &[], 100).unwrap().is_empty(), "search");
    for q in ["a", "e", "i", "o", "机场", "科技"] {
        for hit in crm.search(q, &[], 1000).unwrap() {
            assert!(
                !hidden.contains(&(kind_of(&hit.kind), hit.id)),
                "search {q}: {hit:?}"
            );
        }
    }
    for e in [Entity::Account, Entity::Contact, Entity::Lead] {
        for p in crm.duplicate_pairs(e).unwrap() {
            let v = serde_json::to_value(&p).unwrap().to_string();
            assert!(!v.contains(MARK), "dedupe {e}: {v}");
        }
    }

    // Every report, with its defaults and by other groupings: the same as the copy where
    // the hidden records are in the trash.
    let mut params = vec![Params::default()];
    for by in [
        "owner", "source", "stage", "tier", "week", "month", "product", "category",
    ] {
        params.push(Params {
            by: Some(by.into()),
            ..Params::default()
        });
    }
    params.push(Params {
        from: Some("2026-01-01".into()),
        to: Some("2026-12-31".into()),
        ..Params::default()
    });
    for by in [None, Some("product")] {
        params.push(Params {
            by: by.map(String::from),
            currency: Some("CNY".into()),
            ..Params::default()
        });
    }
    for kind in Kind::ALL {
        for p in &params {
            let (a, b) = (run(&crm, kind, p), run(&plain, kind, p));
            match (a, b) {
                (Ok(a), Ok(b)) => assert_eq!(
                    serde_json::to_value(&a).unwrap(),
                    serde_json::to_value(&b).unwrap(),
                    "report {} {:?}",
                    kind.name(),
                    p.by
                ),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("report {}: {a:?} / {b:?}", kind.name()),
            }
        }
    }

    // The whole-database dump: none of the hidden rows, nor changes or stage moves of them.
    let dump = crm.dump().unwrap();
    for e in Entity::RECORDS {
        for row in dump["tables"][e.table()].as_array().unwrap() {
            let id = row["id"].as_i64().unwrap();
            assert!(!hidden.contains(&(e, id)), "dump {e} {id}");
        }
    }
    for c in dump["tables"]["changes"].as_array().unwrap() {
        let e = kind_of(c["entity"].as_str().unwrap());
        let id = c["record_id"].as_i64().unwrap();
        assert!(!hidden.contains(&(e, id)), "dump change of {e} {id}");
    }
    for h in dump["tables"]["deal_stage_history"].as_array().unwrap() {
        let id = h["deal_id"].as_i64().unwrap();
        assert!(
            !hidden.contains(&(Entity::Deal, id)),
            "dump stage move of deal {id}"
        );
    }
    assert!(!dump.to_string().contains(MARK), "dump");

    // The agenda, and reminders (every one due, delivered or not; a dry run).
    let a = agenda(&crm, 60).unwrap();
    let items = a
        .overdue
        .iter()
        .chain(a.days.iter().flat_map(|d| d.items.iter()));
    let mut n = 0;
    for item in items {
        n += 1;
        let e = kind_of(&item.record_kind);
        assert!(!hidden.contains(&(e, item.record_id)), "agenda {item:?}");
        assert!(!item.title.contains(MARK), "agenda {item:?}");
    }
    // The same items as the copy where the hidden records are in the trash (whose detail
    // lines may still name a trashed account).
    let keys = |a: &kith::app::agenda::Agenda| -> Vec<(String, i64, String)> {
        a.overdue
            .iter()
            .chain(a.days.iter().flat_map(|d| d.items.iter()))
            .map(|i| {
                (
                    i.record_kind.clone(),
                    i.record_id,
                    i.title.replace(&format!(" {MARK}"), ""),
                )
            })
            .collect()
    };
    assert_eq!(keys(&a), keys(&agenda(&plain, 60).unwrap()), "agenda");
    assert!(n > 0, "the agenda has something");
    let care = Care::default();
    let got = collect(&crm, None, &care, Which::All).unwrap();
    for r in &got {
        let e = kind_of(&r.record_kind);
        assert!(!hidden.contains(&(e, r.record_id)), "remind {r:?}");
        assert!(!r.title.contains(MARK), "remind {r:?}");
    }
    let want = collect(&plain, None, &care, Which::All).unwrap();
    let keys =
        |rs: &[kith::domain::sales::remind::Reminder]| -> Vec<(String, i64, String, String)> {
            rs.iter()
                .map(|r| {
                    (
                        r.record_kind.clone(),
                        r.record_id,
                        r.kind.clone(),
                        r.due.clone(),
                    )
                })
                .collect()
        };
    assert_eq!(keys(&got), keys(&want), "remind");
    assert!(!got.is_empty(), "something to remind of");

    // The interface's reads: the default board, a pipeline's stages, the names a list ranks.
    let board = crm.default_board().unwrap().unwrap();
    let value = serde_json::to_value(&board).unwrap();
    assert_eq!(
        value,
        serde_json::to_value(plain.default_board().unwrap().unwrap()).unwrap()
    );
    assert!(!crm.pipeline_stages("").unwrap().is_empty());
    for e in Entity::RECORDS {
        let mut pool = crm.name_pool(e, &all(false)).unwrap();
        let ranked = pool.rank("");
        for id in ranked {
            assert!(!hidden.contains(&(e, id)), "name pool {e} {id}");
        }
    }
}
