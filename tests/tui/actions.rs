//! What keys and the mouse do to the app's state and to the database.

use kith::model::Entity;
use kith::tui::app::{Pending, Popup, Screen};
use kith::tui::keymap::View;

use crate::{all, app, frame_text, ids, key, keys, scroll, top, type_text};

fn list_ids(app: &kith::tui::App) -> Vec<i64> {
    match top(app) {
        Screen::List(l) => l.rows.iter().map(|r| r.id()).collect(),
        _ => panic!("not a list"),
    }
}

fn list_selected(app: &kith::tui::App) -> usize {
    match top(app) {
        Screen::List(l) => l.selected,
        _ => panic!("not a list"),
    }
}

fn detail_of(app: &kith::tui::App) -> (Entity, i64) {
    match top(app) {
        Screen::Detail(d) => (d.entity, d.id),
        _ => panic!("not a detail view"),
    }
}

fn deal_field(app: &kith::tui::App, id: i64, field: &str) -> String {
    app.crm.get(Entity::Deal, id).unwrap().text(field)
}

#[test]
fn the_start_screen_is_today_with_overdue_and_due_today_tasks_first() {
    let app = app();
    assert_eq!(app.view(), View::Today);
    assert_eq!(app.screens.len(), 1);
    let Screen::Today(t) = top(&app) else {
        panic!("not today")
    };
    let (title, tasks) = &t.sections[0];
    assert_eq!(title, "Overdue and due today");
    let got: Vec<(i64, &str)> = tasks.iter().map(|r| (r.id(), r.label())).collect();
    assert_eq!(
        got,
        vec![
            (ids::TASK_OVERDUE, "发送报价单"),
            (ids::TASK_TODAY, "Follow up with John"),
        ]
    );
    // Today's planned visit, and the deal closing this month.
    let planned: Vec<&str> = t.sections[1].1.iter().map(|r| r.label()).collect();
    assert_eq!(planned, vec!["拜访白云机场信息部"]);
    let closing: Vec<i64> = t.sections[2].1.iter().map(|r| r.id()).collect();
    assert_eq!(closing, vec![ids::ROBOTS]);
    // The first thing selected is the overdue task.
    assert_eq!(app.selected(), Some((Entity::Task, ids::TASK_OVERDUE)));
    assert!(app.status.is_none());
    assert!(!app.quit);
}

#[test]
fn today_moves_through_sections_and_opens_the_selected_record() {
    let mut app = app();
    keys(&mut app, "j j");
    // Past the two tasks: the visit planned for today.
    assert_eq!(app.selected(), Some((Entity::Activity, 1)));
    key(&mut app, "enter");
    assert_eq!(detail_of(&app), (Entity::Activity, 1));
    key(&mut app, "esc");
    assert_eq!(app.screens.len(), 1);
    assert_eq!(app.selected(), Some((Entity::Activity, 1)), "cursor kept");
}

#[test]
fn number_keys_go_to_the_views() {
    let mut app = app();
    key(&mut app, "2");
    assert_eq!(app.view(), View::List(Entity::Account));
    // Sorted by name: Latin first, then by code point.
    assert_eq!(
        list_ids(&app),
        vec![ids::ACME, ids::AIRPORT, ids::BRANCH, ids::BAOAN]
    );
    for (k, view) in [
        ("3", View::List(Entity::Contact)),
        ("4", View::List(Entity::Lead)),
        ("5", View::List(Entity::Deal)),
        ("6", View::Board),
        ("7", View::List(Entity::Activity)),
        ("8", View::List(Entity::Task)),
        ("1", View::Today),
    ] {
        key(&mut app, k);
        assert_eq!(app.view(), view, "key {k}");
        assert_eq!(app.screens.len(), 1);
    }
}

#[test]
fn j_k_g_and_shift_g_move_the_selection_in_a_list() {
    let mut app = app();
    key(&mut app, "2");
    assert_eq!(list_selected(&app), 0);
    key(&mut app, "j");
    assert_eq!(list_selected(&app), 1);
    assert_eq!(app.selected(), Some((Entity::Account, ids::AIRPORT)));
    key(&mut app, "k");
    assert_eq!(list_selected(&app), 0);
    key(&mut app, "k");
    assert_eq!(list_selected(&app), 0, "stops at the top");
    key(&mut app, "G");
    assert_eq!(list_selected(&app), 3);
    key(&mut app, "j");
    assert_eq!(list_selected(&app), 3, "stops at the bottom");
    keys(&mut app, "g g");
    assert_eq!(list_selected(&app), 0);
    keys(&mut app, "down down up");
    assert_eq!(list_selected(&app), 1);
}

#[test]
fn enter_opens_the_selected_record_and_esc_goes_back() {
    let mut app = app();
    keys(&mut app, "2 j j");
    key(&mut app, "enter");
    assert_eq!(app.screens.len(), 2);
    assert_eq!(detail_of(&app), (Entity::Account, ids::BRANCH));
    let Screen::Detail(d) = top(&app) else {
        unreachable!()
    };
    assert_eq!(d.overview.record.label(), "广州空港物流分公司");
    key(&mut app, "esc");
    assert_eq!(app.screens.len(), 1);
    assert_eq!(app.selected(), Some((Entity::Account, ids::BRANCH)));
}

#[test]
fn a_detail_view_opens_its_links() {
    let mut app = app();
    keys(&mut app, "2 j j enter");
    assert_eq!(detail_of(&app), (Entity::Account, ids::BRANCH));
    // The branch's first link is its parent.
    assert_eq!(app.selected(), Some((Entity::Account, ids::AIRPORT)));
    key(&mut app, "enter");
    assert_eq!(detail_of(&app), (Entity::Account, ids::AIRPORT));
    assert_eq!(app.screens.len(), 3);
    keys(&mut app, "esc esc");
    assert_eq!(app.screens.len(), 1);
}

#[test]
fn slash_filters_the_list_by_field_terms() {
    let mut app = app();
    keys(&mut app, "2 /");
    assert!(matches!(app.popup, Some(Popup::Filter { .. })));
    type_text(&mut app, "tier:A");
    assert_eq!(list_ids(&app), vec![ids::AIRPORT]);
    let Screen::List(l) = top(&app) else {
        unreachable!()
    };
    assert_eq!(l.filter_text, "tier:A");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    assert_eq!(list_ids(&app), vec![ids::AIRPORT]);
    // esc on a filtered top list clears the filter.
    key(&mut app, "esc");
    assert_eq!(list_ids(&app).len(), 4);
}

#[test]
fn a_bad_filter_shows_its_error_and_keeps_the_last_good_one() {
    let mut app = app();
    keys(&mut app, "2 /");
    type_text(&mut app, "tier:B");
    assert_eq!(list_ids(&app), vec![ids::ACME, ids::BAOAN]);
    key(&mut app, "backspace");
    let before = list_ids(&app);
    type_text(&mut app, "Z");
    let Some(Popup::Filter { input, error, .. }) = &app.popup else {
        panic!("no filter popup")
    };
    assert_eq!(input, "tier:Z");
    assert_eq!(
        error.as_deref(),
        Some("filter 'tier': 'Z' is not one of A, B, C")
    );
    // The rows and the filter are those of the last line that worked.
    assert_eq!(list_ids(&app), before);
    let Screen::List(l) = top(&app) else {
        unreachable!()
    };
    assert_eq!(l.filter_text, "tier:");
    // Enter does not close the popup while the filter is bad.
    key(&mut app, "enter");
    assert!(app.popup.is_some());
    key(&mut app, "esc");
    assert!(app.popup.is_none());
}

#[test]
fn bare_words_rank_names_by_fuzzy_match() {
    let mut app = app();
    keys(&mut app, "2 /");
    type_text(&mut app, "白云");
    let rows = list_ids(&app);
    assert_eq!(rows.first(), Some(&ids::AIRPORT), "{rows:?}");
    assert_eq!(app.selected(), Some((Entity::Account, ids::AIRPORT)));
    // Words and field terms together.
    let mut app = crate::app();
    keys(&mut app, "2 /");
    type_text(&mut app, "机场 tier:B");
    assert_eq!(list_ids(&app), vec![ids::BAOAN]);
}

#[test]
fn typing_narrows_backspace_widens_and_a_write_refreshes_the_names() {
    let mut app = app();
    keys(&mut app, "2 /");
    type_text(&mut app, "机");
    let wide = list_ids(&app);
    type_text(&mut app, "场");
    assert_eq!(list_ids(&app)[0], ids::AIRPORT);
    // Back to one character: the same rows as typing it afresh.
    key(&mut app, "backspace");
    assert_eq!(list_ids(&app), wide);
    key(&mut app, "backspace");
    assert_eq!(list_ids(&app).len(), 4);
    // An account written meanwhile is among the names the next words rank.
    let new = app
        .crm
        .create(
            Entity::Account,
            &kith::Input::new().with("name", "机场快线有限公司"),
        )
        .unwrap();
    app.reload_all().unwrap();
    type_text(&mut app, "机场快");
    assert_eq!(list_ids(&app), vec![new]);
}

/// On a database file the list's names are read on another thread while the list is
/// shown; the filter then ranks exactly as it does with names read when the first word is
/// typed (a database in memory, as in the other tests).
#[test]
fn a_files_names_are_read_on_another_thread_and_rank_the_same() {
    use kith::tui::app::Names;
    let dir = tempfile::tempdir().unwrap();
    let (mut on_file, _) = crate::app_on_file(&dir);
    let mut in_memory = app();
    keys(&mut on_file, "2");
    let Screen::List(l) = on_file.screen() else {
        panic!("not a list")
    };
    assert!(
        matches!(l.names, Names::Reading(_)),
        "read while the list is shown"
    );
    keys(&mut in_memory, "2");
    let Screen::List(l) = in_memory.screen() else {
        panic!("not a list")
    };
    assert!(matches!(l.names, Names::Unread), "nothing to read it on");
    for app in [&mut on_file, &mut in_memory] {
        keys(app, "/");
    }
    for step in ["机", "场", "backspace", "backspace", "a", "c", "backspace"] {
        for app in [&mut on_file, &mut in_memory] {
            if step == "backspace" {
                key(app, step);
            } else {
                type_text(app, step);
            }
        }
        assert_eq!(list_ids(&on_file), list_ids(&in_memory), "after {step}");
        let Screen::List(l) = on_file.screen() else {
            panic!("not a list")
        };
        assert!(matches!(l.names, Names::Ready(_)));
    }
    assert!(!list_ids(&on_file).is_empty());
}

#[test]
fn esc_on_an_unfiltered_top_list_does_nothing() {
    let mut app = app();
    keys(&mut app, "2 j");
    key(&mut app, "esc");
    assert_eq!(app.screens.len(), 1);
    assert_eq!(app.view(), View::List(Entity::Account));
    assert_eq!(list_selected(&app), 1);
    assert_eq!(list_ids(&app).len(), 4);
    assert!(app.status.is_none(), "{:?}", app.status);
    assert!(!app.quit);
}

#[test]
fn s_sorts_by_a_chosen_column_and_shift_s_reverses() {
    let mut app = app();
    keys(&mut app, "2 s");
    let Some(Popup::Pick(p)) = &app.popup else {
        panic!("no sort picker")
    };
    assert_eq!(p.title, "sort by");
    type_text(&mut app, "city");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    let Screen::List(l) = top(&app) else {
        unreachable!()
    };
    assert_eq!(l.query.sort.len(), 1);
    assert_eq!(
        (l.query.sort[0].field.as_str(), l.query.sort[0].desc),
        ("city", false)
    );
    let cities: Vec<String> = l.rows.iter().map(|r| r.text("city")).collect();
    let mut sorted = cities.clone();
    sorted.sort();
    assert_eq!(cities, sorted);
    assert_eq!(cities.first().map(String::as_str), Some("Austin"));
    key(&mut app, "S");
    let Screen::List(l) = top(&app) else {
        unreachable!()
    };
    assert!(l.query.sort[0].desc);
    let reversed: Vec<String> = l.rows.iter().map(|r| r.text("city")).collect();
    sorted.reverse();
    assert_eq!(reversed, sorted);
    assert_eq!(reversed.last().map(String::as_str), Some("Austin"));
}

#[test]
fn shift_s_without_a_sort_sorts_by_name_descending() {
    let mut app = app();
    keys(&mut app, "3 S");
    let names: Vec<String> = match top(&app) {
        Screen::List(l) => l.rows.iter().map(|r| r.label().to_string()).collect(),
        _ => unreachable!(),
    };
    // Names sort by pinyin among Latin names: 张伟 (zhang), 王芳 (wang), 李娜 (li), John.
    let mut expected = names.clone();
    expected.sort_by_key(|n| kith::model::name_order::sort_key(n));
    expected.reverse();
    assert_eq!(names, expected);
    assert_eq!(names, ["张伟", "王芳", "李娜", "John Smith"]);
}

#[test]
fn the_palette_runs_actions_by_name() {
    let mut app = app();
    key(&mut app, ":");
    let Some(Popup::Palette(p)) = &app.popup else {
        panic!("no palette")
    };
    assert!(!p.shown.is_empty());
    type_text(&mut app, "new contact");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    let Screen::Form(f) = top(&app) else {
        panic!("no form")
    };
    assert_eq!(f.entity, Entity::Contact);
    assert_eq!(f.id, None);
    assert_eq!(f.fields[f.focus].name, "name");
    // esc leaves without saving.
    key(&mut app, "esc");
    assert_eq!(app.screens.len(), 1);
    assert_eq!(app.view(), View::Today);
    assert_eq!(all(&app.crm, Entity::Contact).len(), 4);
}

#[test]
fn a_new_contact_form_picks_the_account_and_saves() {
    let mut app = app();
    key(&mut app, ":");
    type_text(&mut app, "new contact");
    key(&mut app, "enter");
    type_text(&mut app, "刘洋 Liu");
    key(&mut app, "tab");
    let Screen::Form(f) = top(&app) else {
        panic!("no form")
    };
    assert_eq!(f.fields[f.focus].name, "account");
    key(&mut app, "enter");
    let Some(Popup::Pick(p)) = &app.popup else {
        panic!("no account picker")
    };
    assert_eq!(p.title, "choose account");
    assert_eq!(p.shown.len(), 4);
    type_text(&mut app, "白云");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    let Screen::Form(f) = top(&app) else {
        panic!("no form")
    };
    let account = &f.fields[1];
    assert_eq!(account.value, "广州白云国际机场");
    assert_eq!(account.picked, Some(ids::AIRPORT));
    assert_eq!(f.fields[f.focus].name, "title", "the picker moves on");
    type_text(&mut app, "工程师");
    key(&mut app, "ctrl-s");

    let contacts = all(&app.crm, Entity::Contact);
    assert_eq!(contacts.len(), 5);
    let c = contacts.iter().find(|c| c.label() == "刘洋 Liu").unwrap();
    assert_eq!(c.i64("account_id"), Some(ids::AIRPORT));
    assert_eq!(c.text("title"), "工程师");
    assert_eq!(detail_of(&app), (Entity::Contact, c.id()));
    let status = app.status.clone().unwrap();
    assert!(!status.error);
    assert_eq!(status.text, format!("contact {} created", c.id()));
}

#[test]
fn an_invalid_value_is_shown_at_its_field_and_nothing_is_saved() {
    let mut app = app();
    key(&mut app, ":");
    type_text(&mut app, "new account");
    key(&mut app, "enter");
    type_text(&mut app, "Test Co");
    // name, kind, type, tier
    keys(&mut app, "tab tab tab");
    type_text(&mut app, "D");
    key(&mut app, "ctrl-s");
    let Screen::Form(f) = top(&app) else {
        panic!("the form closed")
    };
    let tier = f.fields.iter().position(|x| x.name == "tier").unwrap();
    assert_eq!(f.focus, tier);
    let err = f.fields[tier].error.clone().unwrap();
    assert!(err.contains("'D' is not one of A, B, C"), "{err}");
    assert!(f.error.is_none());
    assert!(app.status.as_ref().unwrap().error);
    assert_eq!(all(&app.crm, Entity::Account).len(), 4);
    // Fixing the value clears the error; saving then works.
    key(&mut app, "backspace");
    type_text(&mut app, "b");
    let Screen::Form(f) = top(&app) else {
        unreachable!()
    };
    assert!(f.fields[tier].error.is_none());
    key(&mut app, "ctrl-s");
    assert_eq!(detail_of(&app), (Entity::Account, 5));
    assert_eq!(app.crm.get(Entity::Account, 5).unwrap().text("tier"), "B");
}

#[test]
fn a_missing_required_field_is_marked_required() {
    let mut app = app();
    keys(&mut app, "8 n");
    let Screen::Form(f) = top(&app) else {
        panic!("no form")
    };
    assert_eq!(f.entity, Entity::Task);
    key(&mut app, "ctrl-s");
    let Screen::Form(f) = top(&app) else {
        panic!("the form closed")
    };
    assert_eq!(f.fields[f.focus].name, "title");
    assert_eq!(f.fields[f.focus].error.as_deref(), Some("required"));
    assert_eq!(all(&app.crm, Entity::Task).len(), 4);
}

#[test]
fn esc_in_a_form_leaves_without_saving() {
    let mut app = app();
    keys(&mut app, "2 n");
    type_text(&mut app, "Never saved");
    key(&mut app, "esc");
    // A form with changes asks before it throws them away.
    key(&mut app, "y");
    assert_eq!(app.screens.len(), 1);
    assert_eq!(app.view(), View::List(Entity::Account));
    assert_eq!(all(&app.crm, Entity::Account).len(), 4);
    assert_eq!(app.status.as_ref().unwrap().text, "not saved");
}

#[test]
fn edit_changes_the_record_shown() {
    let mut app = app();
    keys(&mut app, "2 enter e");
    let Screen::Form(f) = top(&app) else {
        panic!("no form")
    };
    assert_eq!(f.id, Some(ids::ACME));
    assert_eq!(f.fields[0].value, "Acme Robotics Ltd");
    // Field keys are typed, not run: q types a q.
    key(&mut app, "ctrl-u");
    type_text(&mut app, "Acme Robotics Inc q");
    key(&mut app, "backspace");
    key(&mut app, "backspace");
    key(&mut app, "ctrl-s");
    assert!(!app.quit);
    assert_eq!(detail_of(&app), (Entity::Account, ids::ACME));
    assert_eq!(
        app.crm.get(Entity::Account, ids::ACME).unwrap().label(),
        "Acme Robotics Inc"
    );
    assert_eq!(app.status.as_ref().unwrap().text, "account 2 saved");
}

#[test]
fn the_board_moves_deals_and_closes_them() {
    let mut app = app();
    key(&mut app, "6");
    let Screen::Board(b) = top(&app) else {
        panic!("no board")
    };
    assert_eq!(b.columns.len(), 6);
    let column_ids: Vec<Vec<i64>> = b
        .columns
        .iter()
        .map(|c| c.iter().map(|r| r.id()).collect())
        .collect();
    assert_eq!(
        column_ids,
        vec![
            vec![ids::BAGGAGE],
            vec![ids::ROBOTS],
            vec![ids::SECURITY],
            vec![],
            vec![ids::CARGO_SW],
            vec![ids::SPARES],
        ]
    );
    assert_eq!(app.selected(), Some((Entity::Deal, ids::BAGGAGE)));

    // > moves the selected deal on, and the cursor follows it.
    key(&mut app, ">");
    assert_eq!(deal_field(&app, ids::BAGGAGE, "stage"), "needs analysis");
    assert_eq!(
        app.crm
            .get(Entity::Deal, ids::BAGGAGE)
            .unwrap()
            .i64("probability"),
        Some(25)
    );
    assert_eq!(app.selected(), Some((Entity::Deal, ids::BAGGAGE)));
    let Screen::Board(b) = top(&app) else {
        unreachable!()
    };
    assert_eq!(b.col, 1);
    assert_eq!(app.status.as_ref().unwrap().text, "deal 3 → needs analysis");
    // < moves it back.
    key(&mut app, "<");
    assert_eq!(deal_field(&app, ids::BAGGAGE, "stage"), "qualification");
    key(&mut app, "<");
    assert!(app.status.as_ref().unwrap().error);
    assert_eq!(deal_field(&app, ids::BAGGAGE, "stage"), "qualification");

    // L asks why, then marks it lost.
    key(&mut app, "L");
    let Some(Popup::Prompt { then, .. }) = &app.popup else {
        panic!("no prompt")
    };
    assert_eq!(*then, Pending::Lost(ids::BAGGAGE));
    type_text(&mut app, "price");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    let d = app.crm.get(Entity::Deal, ids::BAGGAGE).unwrap();
    assert_eq!(d.text("status"), "lost");
    assert_eq!(d.text("stage"), "lost");
    assert_eq!(d.text("reason"), "price");

    // W marks the deal in the proposal column won.
    keys(&mut app, "l l");
    assert_eq!(app.selected(), Some((Entity::Deal, ids::SECURITY)));
    key(&mut app, "W");
    let d = app.crm.get(Entity::Deal, ids::SECURITY).unwrap();
    assert_eq!(d.text("status"), "won");
    assert_eq!(d.text("stage"), "won");
    assert_eq!(app.status.as_ref().unwrap().text, "deal 1 won");
}

#[test]
fn a_lost_deal_needs_a_reason_and_esc_cancels() {
    let mut app = app();
    keys(&mut app, "6 L esc");
    assert!(app.popup.is_none());
    assert_eq!(deal_field(&app, ids::BAGGAGE, "status"), "open");
    keys(&mut app, "L enter");
    assert!(app.status.as_ref().unwrap().error);
    assert_eq!(deal_field(&app, ids::BAGGAGE, "status"), "open");
}

#[test]
fn next_stage_stops_at_the_last_open_stage() {
    let mut app = app();
    keys(&mut app, "6 l l");
    assert_eq!(app.selected(), Some((Entity::Deal, ids::SECURITY)));
    key(&mut app, ">");
    assert_eq!(deal_field(&app, ids::SECURITY, "stage"), "negotiation");
    key(&mut app, ">");
    let s = app.status.clone().unwrap();
    assert!(s.error);
    assert!(s.text.contains("no further open stage"), "{}", s.text);
    assert_eq!(deal_field(&app, ids::SECURITY, "stage"), "negotiation");
}

#[test]
fn stage_keys_work_in_a_deal_detail() {
    let mut app = app();
    // Deals are listed open first, by expected close.
    keys(&mut app, "5 enter");
    assert_eq!(detail_of(&app), (Entity::Deal, ids::ROBOTS));
    key(&mut app, ">");
    assert_eq!(deal_field(&app, ids::ROBOTS, "stage"), "proposal");
    assert_eq!(detail_of(&app), (Entity::Deal, ids::ROBOTS));
}

#[test]
fn x_toggles_a_task_done_in_the_task_list() {
    let mut app = app();
    // Every task, the done ones too (the list opens on the open ones).
    keys(&mut app, "8 / ctrl-u enter");
    assert_eq!(
        list_ids(&app),
        vec![
            ids::TASK_OVERDUE,
            ids::TASK_TODAY,
            ids::TASK_FUTURE,
            ids::TASK_DONE
        ]
    );
    assert_eq!(app.selected(), Some((Entity::Task, ids::TASK_OVERDUE)));
    key(&mut app, "x");
    let t = app.crm.get(Entity::Task, ids::TASK_OVERDUE).unwrap();
    assert!(t.bool("done"));
    assert!(!t.text("done_at").is_empty());
    assert_eq!(app.status.as_ref().unwrap().text, "task 2 done");
    // Done tasks sort last; the cursor stays on the row, now the next task.
    assert_eq!(list_selected(&app), 0);
    assert_eq!(
        list_ids(&app),
        vec![
            ids::TASK_TODAY,
            ids::TASK_FUTURE,
            ids::TASK_DONE,
            ids::TASK_OVERDUE
        ]
    );
    // Done tasks by due date: the one done earlier (due 11-15) comes first.
    keys(&mut app, "j j j");
    assert_eq!(app.selected(), Some((Entity::Task, ids::TASK_OVERDUE)));
    key(&mut app, "x");
    let t = app.crm.get(Entity::Task, ids::TASK_OVERDUE).unwrap();
    assert!(!t.bool("done"));
    assert_eq!(app.status.as_ref().unwrap().text, "task 2 reopened");
    // x on something that is not a task says so.
    keys(&mut app, "2 x");
    assert!(app.status.as_ref().unwrap().error);
}

#[test]
fn x_on_today_completes_the_task_and_it_leaves_the_section() {
    let mut app = app();
    key(&mut app, "x");
    assert!(app
        .crm
        .get(Entity::Task, ids::TASK_OVERDUE)
        .unwrap()
        .bool("done"));
    let Screen::Today(t) = top(&app) else {
        unreachable!()
    };
    let left: Vec<i64> = t.sections[0].1.iter().map(|r| r.id()).collect();
    assert_eq!(left, vec![ids::TASK_TODAY]);
}

#[test]
fn d_asks_before_trashing_and_n_cancels() {
    let mut app = app();
    keys(&mut app, "2 G d");
    let Some(Popup::Confirm { message, then }) = &app.popup else {
        panic!("no confirmation")
    };
    assert_eq!(*then, Pending::Trash(Entity::Account, ids::BAOAN));
    assert_eq!(
        message,
        "Move account 3 '深圳宝安国际机场' to the trash? (y/n)"
    );
    key(&mut app, "n");
    assert!(app.popup.is_none());
    assert_eq!(app.status.as_ref().unwrap().text, "cancelled");
    assert_eq!(all(&app.crm, Entity::Account).len(), 4);

    key(&mut app, "d");
    key(&mut app, "y");
    assert!(app.popup.is_none());
    assert!(app
        .crm
        .get(Entity::Account, ids::BAOAN)
        .unwrap()
        .is_trashed());
    assert_eq!(list_ids(&app), vec![ids::ACME, ids::AIRPORT, ids::BRANCH]);
    assert_eq!(
        list_selected(&app),
        2,
        "the cursor moves up to a row that is there"
    );
    assert!(app
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("moved to the trash"));
}

#[test]
fn trashing_from_a_detail_view_closes_it() {
    let mut app = app();
    // Contacts by name: John Smith, 李娜, 王芳, 张伟.
    keys(&mut app, "3 G enter d y");
    assert_eq!(app.screens.len(), 1);
    assert!(app
        .crm
        .get(Entity::Contact, ids::ZHANG_WEI)
        .unwrap()
        .is_trashed());
    assert_eq!(list_ids(&app), vec![ids::JOHN, ids::LI_NA, ids::WANG_FANG]);
}

#[test]
fn help_opens_and_closes() {
    let mut app = app();
    key(&mut app, "?");
    assert!(matches!(app.popup, Some(Popup::Help { scroll: 0 })));
    keys(&mut app, "j j");
    assert!(matches!(app.popup, Some(Popup::Help { scroll: 2 })));
    // Keys in help do not reach the screen below.
    key(&mut app, "2");
    assert_eq!(app.view(), View::Today);
    key(&mut app, "esc");
    assert!(app.popup.is_none());
    key(&mut app, "?");
    key(&mut app, "q");
    assert!(app.popup.is_none());
    assert!(!app.quit, "q closes help; it does not quit");
}

#[test]
fn the_finder_jumps_to_a_record() {
    let mut app = app();
    key(&mut app, "ctrl-p");
    let Some(Popup::Finder(p)) = &app.popup else {
        panic!("no finder")
    };
    assert!(p.items.is_empty());
    type_text(&mut app, "Acme");
    let Some(Popup::Finder(p)) = &app.popup else {
        panic!("no finder")
    };
    let labels: Vec<&str> = p.shown.iter().map(|&i| p.items[i].0.as_str()).collect();
    for want in [
        "Acme Robotics Ltd",
        "Acme warehouse robots",
        "Acme spare parts",
    ] {
        assert!(labels.contains(&want), "{want} not in {labels:?}");
    }
    // Equal scores: the account before the deals.
    assert_eq!(labels[0], "Acme Robotics Ltd", "{labels:?}");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    assert_eq!(detail_of(&app), (Entity::Account, ids::ACME));
    // Narrowed to a deal.
    keys(&mut app, "esc ctrl-p");
    type_text(&mut app, "Acme spare");
    key(&mut app, "enter");
    assert_eq!(detail_of(&app), (Entity::Deal, ids::SPARES));
}

#[test]
fn the_finder_moves_with_arrows_and_finds_chinese_names() {
    let mut app = app();
    key(&mut app, "f");
    type_text(&mut app, "白云");
    let Some(Popup::Finder(p)) = &app.popup else {
        panic!("no finder")
    };
    assert_eq!(p.items[p.shown[0]].0, "广州白云国际机场");
    key(&mut app, "down");
    key(&mut app, "enter");
    assert_eq!(app.screens.len(), 2);
    assert_ne!(detail_of(&app), (Entity::Account, ids::AIRPORT));
}

#[test]
fn slash_outside_a_list_opens_the_finder() {
    let mut app = app();
    key(&mut app, "/");
    assert!(matches!(app.popup, Some(Popup::Finder(_))));
}

#[test]
fn the_mouse_wheel_moves_the_selection() {
    let mut app = app();
    key(&mut app, "2");
    scroll(&mut app, true);
    scroll(&mut app, true);
    assert_eq!(list_selected(&app), 2);
    scroll(&mut app, false);
    assert_eq!(list_selected(&app), 1);
}

#[test]
fn clicking_a_row_selects_it_and_a_second_click_opens_it() {
    use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut app = app();
    key(&mut app, "2");
    // Draw once so the app knows where the rows are: tab bar, border, header, rows.
    frame_text(&mut app, 80, 24);
    let area = app.rows_area.expect("rows drawn");
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: area.x + 2,
        row: area.y + 2,
        modifiers: KeyModifiers::NONE,
    };
    app.mouse(click);
    assert_eq!(list_selected(&app), 2);
    assert_eq!(app.screens.len(), 1);
    app.mouse(click);
    assert_eq!(detail_of(&app), (Entity::Account, ids::BRANCH));
}

#[test]
fn q_quits_but_not_while_typing() {
    let mut app = app();
    keys(&mut app, "2 /");
    type_text(&mut app, "q");
    assert!(!app.quit);
    keys(&mut app, "esc q");
    assert!(app.quit);
    let mut app = crate::app();
    key(&mut app, "ctrl-c");
    assert!(app.quit);
}

#[test]
fn log_activity_and_follow_up_prefill_the_selected_record() {
    let mut app = app();
    // Contacts by name: John Smith, 李娜, 王芳, 张伟.
    keys(&mut app, "3 j a");
    let Screen::Form(f) = top(&app) else {
        panic!("no form")
    };
    assert_eq!(f.entity, Entity::Activity);
    assert_eq!(f.value("kind"), "call");
    assert_eq!(f.value("contact"), "李娜");
    assert_eq!(f.fields[f.focus].name, "subject");
    type_text(&mut app, "电话回访");
    key(&mut app, "ctrl-s");
    let acts = all(&app.crm, Entity::Activity);
    let a = acts.iter().find(|a| a.label() == "电话回访").unwrap();
    assert_eq!(a.i64("contact_id"), Some(ids::LI_NA));
    assert_eq!(
        a.i64("account_id"),
        Some(ids::AIRPORT),
        "filled from the contact"
    );
    key(&mut app, "esc");
    key(&mut app, "t");
    let Screen::Form(f) = top(&app) else {
        panic!("no form")
    };
    assert_eq!(f.entity, Entity::Task);
    assert_eq!(f.value("due"), "tomorrow");
    assert_eq!(f.value("contact"), "李娜");
}

#[test]
fn errors_go_to_the_status_line_not_a_crash() {
    let mut app = app();
    // W on Today with a task selected: not a deal.
    key(&mut app, "W");
    let s = app.status.clone().unwrap();
    assert!(s.error);
    assert_eq!(s.text, "select a deal first");
    // Every key on an empty list is harmless.
    let mut empty = kith::tui::App::new(
        {
            let mut c = kith::Crm::new(kith::store::Store::open_in_memory().unwrap(), crate::env());
            c.ensure_setup().unwrap();
            c
        },
        kith::tui::Keymap::default(),
        false,
    )
    .unwrap();
    for k in [
        "2", "j", "G", "home", "enter", "space", "V", "o", "+", "m", "x", "d", "e", "W", ">", "s",
        "esc", "S",
    ] {
        key(&mut empty, k);
        empty.popup = None;
    }
    assert!(!empty.quit);
    let text = frame_text(&mut empty, 80, 24);
    assert!(text.contains("No accounts yet"), "{text}");
}

#[test]
fn esc_on_the_filter_line_puts_back_the_filter_it_replaced() {
    let mut app = app();
    keys(&mut app, "2 /");
    type_text(&mut app, "tier:A");
    key(&mut app, "enter");
    keys(&mut app, "/ ctrl-u");
    type_text(&mut app, "tier:C");
    key(&mut app, "esc");
    assert!(app.popup.is_none());
    let Screen::List(l) = top(&app) else {
        panic!("not a list")
    };
    assert_eq!(l.filter_text, "tier:A");
    let ids: Vec<i64> = l.rows.iter().map(|r| r.id()).collect();
    assert_eq!(ids, vec![ids::AIRPORT]);
}

#[test]
fn bottom_goes_to_the_real_end_of_a_long_list() {
    let mut app = app();
    // More accounts than one page holds.
    app.crm
        .write(|w, env| {
            for i in 0..(kith::tui::app::PAGE + 50) {
                let input = kith::Input::new().with("name", format!("zz bulk {i:04}"));
                kith::app::crm::create_in(w, env, Entity::Account, &input)?;
            }
            Ok(())
        })
        .unwrap();
    keys(&mut app, "2 G");
    let Screen::List(l) = top(&app) else {
        panic!("not a list")
    };
    // The last page only, read from the end: not every row before it.
    assert_eq!(l.rows.len(), kith::tui::app::PAGE);
    assert_eq!(l.selected, l.rows.len() - 1);
    let everything = app
        .crm
        .list(Entity::Account, &kith::store::ListQuery::default())
        .unwrap();
    assert_eq!(l.rows[l.selected].id(), everything.last().unwrap().id());
}

#[test]
fn the_wheel_moves_in_an_open_popup() {
    let mut app = app();
    key(&mut app, ":");
    scroll(&mut app, true);
    scroll(&mut app, true);
    let Some(Popup::Palette(p)) = &app.popup else {
        panic!("no palette")
    };
    assert_eq!(p.selected, 2);
    let Screen::Today(t) = top(&app) else {
        panic!("not today")
    };
    assert_eq!(t.selected, 0, "the screen under the popup did not move");
}

// ---------------------------------------------------------------------------------------
// Reports

fn report_screen(app: &kith::tui::App) -> &kith::tui::app::Reports {
    match top(app) {
        Screen::Reports(r) => r,
        _ => panic!("not the reports screen"),
    }
}

/// The main table of the report shown.
fn report_rows(app: &kith::tui::App) -> Vec<kith::store::Row> {
    let r = report_screen(app);
    let report = r
        .report
        .as_ref()
        .unwrap_or_else(|| panic!("no report: {:?}", r.error));
    report.tables[0].1.clone()
}

/// The row of the main table whose column `by` is `key`, and its column `col`.
fn report_cell_by(app: &kith::tui::App, by: &str, key: &str, col: &str) -> serde_json::Value {
    let rows = report_rows(app);
    let row = rows
        .iter()
        .find(|r| r.get(by).and_then(|v| v.as_str()) == Some(key))
        .unwrap_or_else(|| panic!("no row {by} = {key} in {rows:?}"));
    row.get(col).map(|c| c.to_json()).unwrap_or_default()
}

/// The row of the main table whose first column is `key`, and its column `col`.
fn report_cell(app: &kith::tui::App, key: &str, col: &str) -> serde_json::Value {
    let rows = report_rows(app);
    let row = rows
        .iter()
        .find(|r| r.values().next().and_then(|v| v.as_str()) == Some(key))
        .unwrap_or_else(|| panic!("no row {key} in {rows:?}"));
    row.get(col).map(|c| c.to_json()).unwrap_or_default()
}

#[test]
fn nine_opens_the_reports_and_j_runs_the_next_one() {
    use kith::app::reports::Kind;
    let mut app = app();
    key(&mut app, "9");
    assert_eq!(app.view(), View::Reports);
    assert_eq!(app.context(), kith::tui::keymap::Context::Reports);
    assert_eq!(report_screen(&app).kind(), Kind::Pipeline);
    // Open deals per stage: the security upgrade is the one deal in proposal.
    assert_eq!(report_cell(&app, "proposal", "count"), 1);
    assert_eq!(report_cell(&app, "proposal", "amount"), 1_280_000.0);
    assert_eq!(report_cell(&app, "proposal", "weighted_amount"), 640_000.0);
    assert_eq!(report_cell(&app, "needs analysis", "amount"), 350_000.0);
    let text = frame_text(&mut app, 80, 24);
    assert!(text.contains("1,280,000"), "{text}");
    assert!(text.contains("Pipeline · all time"), "{text}");

    // j: the forecast, per expected-close month, with what was won.
    key(&mut app, "j");
    assert_eq!(report_screen(&app).kind(), Kind::Forecast);
    assert_eq!(report_cell(&app, "2026-11", "best_case"), 350_000.0);
    assert_eq!(report_cell(&app, "2026-11", "won_amount"), 120_000.0);
    assert_eq!(report_cell(&app, "2026-12", "best_case"), 1_280_000.0);
    assert_eq!(report_cell(&app, "2027-01", "weighted"), 86_000.0);
    // down and up move too; k at the top stays there.
    keys(&mut app, "down up k k");
    assert_eq!(report_screen(&app).kind(), Kind::Pipeline);
    // G: the last report, the service desk's; one up, orders; three more, leads per
    // source.
    key(&mut app, "G");
    assert_eq!(report_screen(&app).kind(), Kind::Service);
    key(&mut app, "k");
    assert_eq!(report_screen(&app).kind(), Kind::Orders);
    keys(&mut app, "k k k");
    assert_eq!(report_screen(&app).kind(), Kind::Leads);
    assert_eq!(report_cell(&app, "展会", "leads"), 1);
    assert_eq!(report_cell(&app, "website", "contacted"), 1);
    assert!(app.status.is_none(), "{:?}", app.status);
}

#[test]
fn the_palette_opens_the_reports() {
    let mut app = app();
    key(&mut app, ":");
    type_text(&mut app, "reports");
    key(&mut app, "enter");
    assert_eq!(app.view(), View::Reports);
}

#[test]
fn p_cycles_the_period_and_the_rows_follow() {
    let mut app = app();
    key(&mut app, "9");
    assert_eq!(report_cell(&app, "proposal", "count"), 1);
    // This month (2026-11): only the robots deal is expected to close.
    key(&mut app, "p");
    let r = report_screen(&app);
    assert_eq!(kith::tui::app::PERIODS[r.period], "this month");
    let p = r.params(app.crm.env.clock.today());
    assert_eq!(
        (p.from.as_deref(), p.to.as_deref()),
        (Some("som"), Some("eom"))
    );
    assert_eq!(report_cell(&app, "proposal", "count"), 0);
    assert_eq!(report_cell(&app, "needs analysis", "amount"), 350_000.0);
    assert!(frame_text(&mut app, 80, 24).contains("Pipeline · this month"));
    // Last month, as dates from the clock: nothing.
    key(&mut app, "p");
    let p = report_screen(&app).params(app.crm.env.clock.today());
    assert_eq!(
        (p.from.as_deref(), p.to.as_deref()),
        (Some("2026-10-01"), Some("2026-10-31"))
    );
    assert_eq!(report_cell(&app, "needs analysis", "amount"), 0.0);
    // This quarter and this year hold all three; then back to all time.
    key(&mut app, "p");
    assert_eq!(report_cell(&app, "proposal", "count"), 1);
    assert_eq!(
        report_cell(&app, "qualification", "count"),
        0,
        "closes in 2027"
    );
    keys(&mut app, "p p");
    assert_eq!(report_screen(&app).period, 0);
    assert_eq!(report_cell(&app, "qualification", "count"), 1);
    assert!(app.status.is_none(), "{:?}", app.status);
}

#[test]
fn b_changes_the_grouping_of_winloss_to_source() {
    let mut app = app();
    keys(&mut app, "9 j j j");
    let r = report_screen(&app);
    assert_eq!(r.kind(), kith::app::reports::Kind::Winloss);
    assert_eq!(r.by(), Some("owner"));
    assert_eq!(report_cell(&app, "tester", "won"), 1);
    assert_eq!(report_cell(&app, "tester", "lost"), 1);
    assert_eq!(report_cell(&app, "tester", "win_rate"), 0.5);
    assert_eq!(report_cell(&app, "tester", "won_amount"), 120_000.0);
    key(&mut app, "b");
    assert_eq!(report_screen(&app).by(), Some("source"));
    let rows = report_rows(&app);
    assert_eq!(rows.len(), 1);
    let keys_: Vec<&str> = rows[0].keys().collect();
    assert_eq!(keys_[0], "source", "{keys_:?}");
    // No deal has a source: one group without one.
    let source = &rows[0]["source"];
    assert!(
        source.is_null() || source.as_str() == Some("(none)"),
        "{source:?}"
    );
    assert_eq!(rows[0]["won_amount"].as_f64(), Some(120_000.0));
    assert!(frame_text(&mut app, 80, 24).contains("Winloss · all time · by source"));
    // On through competitor, reason and tags, and back to owner.
    key(&mut app, "b");
    assert_eq!(report_screen(&app).by(), Some("competitor"));
    key(&mut app, "b");
    assert_eq!(report_screen(&app).by(), Some("reason"));
    assert_eq!(report_cell(&app, "budget", "lost"), 1);
    keys(&mut app, "b b");
    assert_eq!(report_screen(&app).by(), Some("owner"));
    // The grouping is kept per report: the pipeline has none, and says so.
    keys(&mut app, "g g b");
    let status = app.status.clone().unwrap();
    assert!(
        !status.error && status.text.contains("no other grouping"),
        "{status:?}"
    );
    keys(&mut app, "j j j");
    assert_eq!(report_screen(&app).by(), Some("owner"));
}

#[test]
fn a_bad_report_filter_shows_an_error_and_keeps_the_report() {
    let mut app = app();
    key(&mut app, "9");
    key(&mut app, "/");
    type_text(&mut app, "amount>1000000");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    assert_eq!(report_cell(&app, "proposal", "count"), 1);
    assert_eq!(report_cell(&app, "needs analysis", "count"), 0);
    assert!(frame_text(&mut app, 80, 24).contains("/ amount>1000000"));

    // A line that does not parse: the error on the status line, the report as it was.
    key(&mut app, "/");
    type_text(&mut app, " name:\"open");
    let Some(Popup::Filter { error, .. }) = &app.popup else {
        panic!("no filter popup")
    };
    assert!(error.is_some());
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    let status = app.status.clone().expect("an error on the status line");
    assert!(status.error, "{status:?}");
    let r = report_screen(&app);
    assert_eq!(r.filter_text, "amount>1000000");
    assert_eq!(report_cell(&app, "needs analysis", "count"), 0);
    assert_eq!(report_cell(&app, "proposal", "amount"), 1_280_000.0);

    // A field deals do not have: the report fails, and keeps the last that worked.
    key(&mut app, "/");
    key(&mut app, "ctrl-u");
    type_text(&mut app, "nosuchfield:1");
    key(&mut app, "enter");
    let status = app.status.clone().expect("an error on the status line");
    assert!(status.error, "{status:?}");
    assert_eq!(report_screen(&app).filter_text, "amount>1000000");
    assert_eq!(report_cell(&app, "proposal", "count"), 1);

    // esc clears the filter.
    key(&mut app, "esc");
    assert_eq!(report_screen(&app).filter_text, "");
    assert_eq!(report_cell(&app, "needs analysis", "count"), 1);
}

#[test]
fn a_report_that_fails_shows_why_and_the_next_one_runs() {
    let mut app = app();
    key(&mut app, "9");
    // A deal filter: the activity report has no amount field to filter on.
    key(&mut app, "/");
    type_text(&mut app, "amount>1");
    key(&mut app, "enter");
    keys(&mut app, "j j j j");
    let r = report_screen(&app);
    assert_eq!(r.kind(), kith::app::reports::Kind::Activity);
    assert!(r.report.is_none());
    let why = r.error.clone().expect("why it failed");
    let status = app.status.clone().unwrap();
    assert!(status.error && status.text == why, "{status:?} {why}");
    for (w, h) in [(80, 24), (120, 40)] {
        let text = frame_text(&mut app, w, h);
        assert!(
            text.contains("Activity · all time · by owner · / amount>1"),
            "{text}"
        );
    }
    // Back on a deal report it runs again.
    key(&mut app, "k");
    assert_eq!(report_cell(&app, "tester", "won"), 1);
}

#[test]
fn the_activity_report_shows_visit_coverage_per_tier() {
    let mut app = app();
    keys(&mut app, "9 j j j j");
    let r = report_screen(&app);
    let report = r.report.as_ref().unwrap();
    let (name, cov) = &report.tables[1];
    assert_eq!(name, "coverage");
    let accounts: Vec<(String, i64)> = cov
        .iter()
        .map(|x| {
            (
                x["tier"].as_str().unwrap().to_string(),
                x["accounts"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        accounts,
        vec![("A".into(), 1), ("B".into(), 2), ("C".into(), 1)]
    );
    assert_eq!(report_cell(&app, "tester", "total"), 4);
    for (w, h) in [(80, 24), (120, 40)] {
        let text = frame_text(&mut app, w, h);
        assert!(text.contains("Visit coverage per tier"), "{text}");
        assert!(text.contains("TIER  ACCOUNTS  VISITED"), "{text}");
        assert!(text.contains("activities per owner"), "the chart: {text}");
    }
    // b: per day.
    key(&mut app, "b");
    assert_eq!(report_screen(&app).by(), Some("day"));
    assert_eq!(report_rows(&app).len(), 4);
}

#[test]
fn the_funnel_shows_its_totals() {
    let mut app = app();
    keys(&mut app, "9 j j");
    let r = report_screen(&app);
    let totals = &r.report.as_ref().unwrap().totals;
    assert_eq!(totals["win_rate"], 0.5);
    let text = frame_text(&mut app, 80, 24);
    assert!(text.contains("win rate 50.0%"), "{text}");
}

#[test]
fn help_lists_the_report_keys() {
    let mut app = app();
    key(&mut app, "?");
    let mut seen = String::new();
    for _ in 0..16 {
        seen.push_str(&frame_text(&mut app, 120, 40));
        key(&mut app, "pgdn");
    }
    for want in [
        "9                 reports",
        "p                 next period",
        "b                 next grouping",
    ] {
        assert!(seen.contains(want), "help lacks {want:?}");
    }
}

#[test]
fn the_customers_report_lines_up_chinese_names() {
    let mut app = app();
    keys(&mut app, "9 j j j j j");
    assert_eq!(
        report_screen(&app).kind(),
        kith::app::reports::Kind::Customers
    );
    assert_eq!(
        report_cell_by(&app, "name", "广州空港物流分公司", "won_amount"),
        120_000.0
    );
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let t = crate::render(&mut app, w, h);
        let rows: Vec<String> = (0..h).map(|y| crate::row_text(&t, y)).collect();
        // The branch's row: its name, and the amount right-aligned under WON AMOUNT.
        let header = rows.iter().find(|r| r.contains("WON AMOUNT")).unwrap();
        let row = rows
            .iter()
            .find(|r| r.contains("广州空港物流分公司") && r.contains("120,000"))
            .unwrap_or_else(|| panic!("{w}x{h}: {rows:#?}"));
        let col_end = |s: &str, needle: &str| {
            use unicode_width::UnicodeWidthStr;
            let at = s.find(needle).unwrap();
            s[..at].width() + needle.width()
        };
        assert_eq!(
            col_end(header, "WON AMOUNT"),
            col_end(row, "120,000"),
            "{w}x{h}:\n{header}\n{row}"
        );
        // The chart of the top accounts names it.
        assert!(
            rows.iter().any(|r| r.contains("广州空港物流分公司 120k")),
            "{w}x{h}: {rows:#?}"
        );
    }
}

#[test]
fn the_customers_report_by_profit_keeps_the_profit_column() {
    let mut app = app();
    keys(&mut app, "9 j j j j j b");
    assert_eq!(report_screen(&app).by(), Some("profit"));
    for (w, h) in [(80, 24), (120, 40)] {
        let text = frame_text(&mut app, w, h);
        assert!(text.contains("PROFIT"), "{text}");
        assert!(text.contains("profit of the top accounts"), "{text}");
    }
}

/// Every report, in every grouping, names its columns, totals and tables from the catalog.
#[test]
fn every_report_names_its_columns_from_the_catalog() {
    use kith::app::reports::{run, Kind};
    use kith::core::text::has;
    let app = app();
    let today = app.crm.env.clock.today();
    let mut missing = Vec::new();
    let mut columns = 0;
    for (i, kind) in Kind::ALL.into_iter().enumerate() {
        let groupings = kith::tui::app::groupings(kind).len().max(1);
        for g in 0..groupings {
            let mut r = kith::tui::app::Reports::new();
            r.selected = i;
            r.grouping[i] = g;
            let report = run(&app.crm, kind, &r.params(today)).unwrap();
            for (j, (name, rows)) in report.tables.iter().enumerate() {
                if j > 0 && !has(&format!("tui.report.table.{name}")) {
                    missing.push(format!("tui.report.table.{name}"));
                }
                for key in rows.iter().flat_map(|row| row.keys()) {
                    columns += 1;
                    if !has(&format!("tui.report.column.{key}")) {
                        missing.push(format!("tui.report.column.{key}"));
                    }
                }
            }
            for key in report.totals.keys() {
                if !has(&format!("tui.report.total.{key}")) {
                    missing.push(format!("tui.report.total.{key}"));
                }
            }
        }
    }
    assert!(columns > 0);
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "not in the catalog: {missing:?}");
}
