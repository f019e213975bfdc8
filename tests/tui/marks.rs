//! Marked records: `space` marks, `V` marks a range, and done, the stage keys, won, lost,
//! another owner, tags and the trash work on every record marked, as one write that one
//! `u` takes back.

use crate::*;
use kith::model::Entity;
use kith::tui::app::Popup;

fn rows(app: &App) -> Vec<i64> {
    match top(app) {
        Screen::List(l) => l.rows.iter().map(|r| r.id()).collect(),
        _ => panic!("not a list"),
    }
}

fn marked(app: &App) -> Vec<i64> {
    match top(app) {
        Screen::List(l) => l.marked(),
        _ => panic!("not a list"),
    }
}

fn stage(app: &App, deal: i64) -> String {
    let d = app.crm.get(Entity::Deal, deal).unwrap();
    let s = app
        .crm
        .get(Entity::Stage, d.i64("stage_id").unwrap())
        .unwrap();
    s.label().to_string()
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn space_marks_and_moves_on_and_the_title_and_gutter_show_it() {
    let mut app = app();
    key(&mut app, "2");
    let ids = rows(&app);
    keys(&mut app, "space space");
    assert_eq!(marked(&app), {
        let mut m = vec![ids[0], ids[1]];
        m.sort();
        m
    });
    // The cursor went on to the third row.
    assert_eq!(app.selected(), Some((Entity::Account, ids[2])));
    let text = frame_text(&mut app, 100, 20);
    assert!(text.contains("2 marked"), "{text}");
    let marked_lines = text.lines().filter(|l| l.contains("│*")).count();
    assert_eq!(marked_lines, 2, "{text}");
    // Space again takes a mark off.
    keys(&mut app, "k space");
    assert_eq!(marked(&app), vec![ids[0]]);
    // esc drops the marks first, and says so; the list stays as it was.
    key(&mut app, "esc");
    assert!(marked(&app).is_empty());
    assert_eq!(status(&app), "marks dropped");
    let text = frame_text(&mut app, 100, 20);
    assert!(!text.contains("marked"), "{text}");
    assert!(!text.contains("│*"), "{text}");
}

#[test]
fn the_stage_keys_move_every_marked_deal_in_one_batch_that_u_takes_back() {
    let mut app = app();
    key(&mut app, "5");
    // The open deals: robots (needs analysis), security (proposal), baggage
    // (qualification).
    let open = rows(&app);
    assert_eq!(open.len(), 3);
    keys(&mut app, "space space space");
    key(&mut app, ">");
    assert_eq!(stage(&app, ids::ROBOTS), "proposal");
    assert_eq!(stage(&app, ids::SECURITY), "negotiation");
    assert_eq!(stage(&app, ids::BAGGAGE), "needs analysis");
    assert_eq!(status(&app), "moved a stage: 3 deals");
    // Done with, the marks go.
    assert!(marked(&app).is_empty());
    // One undo takes the three moves back.
    keys(&mut app, "u y");
    assert_eq!(stage(&app, ids::ROBOTS), "needs analysis");
    assert_eq!(stage(&app, ids::SECURITY), "proposal");
    assert_eq!(stage(&app, ids::BAGGAGE), "qualification");
}

#[test]
fn a_deal_that_cannot_move_leaves_every_marked_deal_as_it_was() {
    let mut app = app();
    key(&mut app, "5");
    keys(&mut app, "space space space");
    // Baggage is at the first stage: nothing goes back.
    key(&mut app, "<");
    let s = app.status.clone().unwrap();
    assert!(s.error, "{s:?}");
    assert!(
        s.text.contains(&format!(
            "deal {} is at its pipeline's first stage",
            ids::BAGGAGE
        )),
        "{s:?}"
    );
    assert_eq!(stage(&app, ids::ROBOTS), "needs analysis");
    assert_eq!(stage(&app, ids::SECURITY), "proposal");
    // The marks stay, to try something else.
    assert_eq!(marked(&app).len(), 3);
}

#[test]
fn v_marks_a_range_and_trash_asks_once_for_all_of_them() {
    let mut app = app();
    key(&mut app, "2");
    let ids = rows(&app);
    assert_eq!(ids.len(), 4);
    // V at the second row, down two: three rows in the range as the cursor moves.
    keys(&mut app, "j V j j");
    let mut want = ids[1..4].to_vec();
    want.sort();
    assert_eq!(marked(&app), want);
    let text = frame_text(&mut app, 100, 20);
    assert!(text.contains("3 marked"), "{text}");
    // V again keeps them; going back up keeps them marked.
    keys(&mut app, "V k k k");
    assert_eq!(marked(&app), want);
    key(&mut app, "d");
    let Some(Popup::Confirm { message, .. }) = &app.popup else {
        panic!("no confirmation: {:?}", app.status);
    };
    assert_eq!(message, "Move 3 accounts to the trash?");
    key(&mut app, "y");
    assert_eq!(rows(&app), vec![ids[0]]);
    assert_eq!(status(&app), "3 accounts moved to the trash (u undoes it)");
    keys(&mut app, "u y");
    assert_eq!(rows(&app).len(), 4);
}

#[test]
fn esc_drops_a_range_being_made_before_the_marks() {
    let mut app = app();
    key(&mut app, "2");
    let ids = rows(&app);
    // Marked the first, then a range from the second to the third.
    keys(&mut app, "space V j");
    assert_eq!(marked(&app).len(), 3);
    key(&mut app, "esc");
    assert_eq!(marked(&app), vec![ids[0]]);
    key(&mut app, "esc");
    assert!(marked(&app).is_empty());
}

#[test]
fn done_on_marked_tasks_marks_all_and_again_reopens_all() {
    let mut app = app();
    key(&mut app, "8");
    // The open tasks, with every task shown so the done ones stay in view.
    keys(&mut app, "/ ctrl-u");
    type_text(&mut app, "done:no");
    key(&mut app, "enter");
    let open = rows(&app);
    assert_eq!(
        open.len(),
        3,
        "two open tasks and the follow-up of the note"
    );
    keys(&mut app, "space space");
    key(&mut app, "x");
    let done: Vec<bool> = open
        .iter()
        .map(|id| app.crm.get(Entity::Task, *id).unwrap().bool("done"))
        .collect();
    assert_eq!(done, vec![true, true, false]);
    assert_eq!(status(&app), "done: 2 tasks");
    // Not on a list of accounts.
    keys(&mut app, "2 space x");
    assert!(app.status.clone().unwrap().error);
}

#[test]
fn lost_asks_once_and_keeps_asking_until_there_is_a_reason() {
    let mut app = app();
    key(&mut app, "5");
    keys(&mut app, "space space");
    let two = marked(&app);
    key(&mut app, "L");
    let Some(Popup::Prompt { title, .. }) = &app.popup else {
        panic!("no question");
    };
    assert_eq!(title, "Why were 2 deals lost?");
    key(&mut app, "enter");
    assert!(
        matches!(app.popup, Some(Popup::Prompt { .. })),
        "still asks"
    );
    type_text(&mut app, "price");
    key(&mut app, "enter");
    assert!(app.popup.is_none());
    for id in two {
        let d = app.crm.get(Entity::Deal, id).unwrap();
        assert_eq!(d.str("status"), Some("lost"));
        assert_eq!(d.str("reason"), Some("price"));
    }
}

#[test]
fn o_gives_the_marked_records_an_owner_chosen_among_the_users() {
    let mut app = app();
    for login in ["lin.wei", "zhang.min"] {
        app.crm
            .create(Entity::User, &Input::new().with("login", login))
            .unwrap();
    }
    key(&mut app, "5");
    keys(&mut app, "space space");
    let two = marked(&app);
    key(&mut app, "o");
    type_text(&mut app, "zhang");
    key(&mut app, "enter");
    for id in &two {
        let d = app.crm.get(Entity::Deal, *id).unwrap();
        assert_eq!(d.str("owner"), Some("zhang.min"));
    }
    assert_eq!(status(&app), "2 deals now owned by zhang.min");
    // With nothing marked, the selected record.
    let sel = app.selected().unwrap().1;
    key(&mut app, "o");
    type_text(&mut app, "lin");
    key(&mut app, "enter");
    assert_eq!(
        app.crm.get(Entity::Deal, sel).unwrap().str("owner"),
        Some("lin.wei")
    );
    assert_eq!(status(&app), format!("deal {sel} now owned by lin.wei"));
}

#[test]
fn plus_adds_and_takes_off_tags_on_every_marked_record() {
    let mut app = app();
    key(&mut app, "2");
    let ids = rows(&app);
    keys(&mut app, "space space");
    key(&mut app, "+");
    // Nothing typed is no answer: the question stays.
    key(&mut app, "enter");
    assert!(matches!(
        app.popup,
        Some(Popup::Prompt { error: Some(_), .. })
    ));
    type_text(&mut app, "key -vip");
    key(&mut app, "enter");
    assert!(app.popup.is_none(), "{:?}", app.status);
    for id in &ids[..2] {
        let a = app.crm.get(Entity::Account, *id).unwrap();
        let tags: Vec<&str> = a
            .get("tags")
            .and_then(|t| t.as_array())
            .map(|t| t.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        assert!(tags.contains(&"key"), "{id}: {tags:?}");
        assert!(!tags.contains(&"vip"), "{id}: {tags:?}");
    }
    // The airport kept its other tag.
    let airport = app.crm.get(Entity::Account, ids::AIRPORT).unwrap();
    if ids[..2].contains(&ids::AIRPORT) {
        assert_eq!(
            airport.get("tags"),
            Some(&serde_json::json!(["airport", "key"]))
        );
    }
}

#[test]
fn m_moves_the_marked_deals_to_a_stage_chosen_by_name() {
    let mut app = app();
    key(&mut app, "5");
    keys(&mut app, "space space space");
    key(&mut app, "m");
    type_text(&mut app, "negot");
    key(&mut app, "enter");
    for id in [ids::ROBOTS, ids::SECURITY, ids::BAGGAGE] {
        assert_eq!(stage(&app, id), "negotiation", "deal {id}");
    }
    assert_eq!(status(&app), "3 deals → negotiation");
}

#[test]
fn another_filter_drops_the_marks() {
    let mut app = app();
    key(&mut app, "2");
    keys(&mut app, "space space");
    key(&mut app, "/");
    type_text(&mut app, "tier:A");
    key(&mut app, "enter");
    assert!(marked(&app).is_empty());
    // A sort keeps them: the same rows, in another order.
    key(&mut app, "esc");
    keys(&mut app, "space S");
    assert_eq!(marked(&app).len(), 1);
}
