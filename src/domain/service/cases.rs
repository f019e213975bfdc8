//! Cases (服务工单): what a customer complained of, asked or suggested, who handles it, and
//! where it stands — new, assigned, in progress, waiting on the customer, resolved, closed
//! (and reopened). Each case carries two SLA clocks, first response and resolution, set by
//! the first policy that matches it ([`super::slas`]) and worked out on the policy's
//! calendar ([`super::clocks`]); replies are activities on the case, so its thread is its
//! activities and its changes in time order.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::shared::{default_to, live, number_new, value_of};
use crate::domain::toolkit::{validate, Env, Input, Records};
use crate::model::record::Record;
use crate::model::{
    f, listed, required, system, text, Derived, Entity, Kind, Section, Ty, WordSet,
};
use crate::store::{Values, Writer};

pub const CASE_TYPES: &[&str] = &["complaint", "inquiry", "suggestion"];
pub const PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];
pub const CHANNELS: &[&str] = &["phone", "email", "wechat", "visit", "web", "other"];
pub const STATUSES: &[&str] = &[
    "new",
    "assigned",
    "in-progress",
    "waiting",
    "resolved",
    "closed",
];
/// The statuses of a case still to be worked on (`status:open`).
pub const OPEN: &[&str] = &["new", "assigned", "in-progress", "waiting"];
/// The SLA state of a case, read against the moment of the read.
pub const SLA_STATES: &[&str] = &["breached", "at-risk", "paused", "on-track", "met"];

/// The SLA state, worst first: breached when either clock passed its deadline before it
/// was met (or is still running past it); at risk when a running clock used its policy's
/// share; paused while waiting on the customer; on track while a clock runs; met when every
/// clock the policy sets was met in time. A case no policy matched has none.
const SLA_WHEN: &[(&str, &str)] = &[
    (
        "breached",
        "(t.respond_due IS NOT NULL AND coalesce(t.responded_at, {now}) > t.respond_due) \
         OR (t.resolve_due IS NOT NULL AND coalesce(t.resolved_at, {now}) > t.resolve_due)",
    ),
    (
        "at-risk",
        "t.status <> 'waiting' AND ((t.responded_at IS NULL AND t.respond_risk <= {now}) \
         OR (t.resolved_at IS NULL AND t.resolve_risk <= {now}))",
    ),
    ("paused", "t.policy_id IS NOT NULL AND t.status = 'waiting'"),
    (
        "met",
        "t.policy_id IS NOT NULL AND (t.respond_target IS NULL OR t.responded_at IS NOT NULL) \
         AND (t.resolve_target IS NULL OR t.resolved_at IS NOT NULL)",
    ),
    ("on-track", "t.policy_id IS NOT NULL"),
];

/// Cases.
/// A number of working minutes.
const MINUTES: Ty = Ty::Int {
    min: 0,
    max: i64::MAX,
};

pub static CASE: Kind = Kind {
    name: "case",
    plural: "cases",
    label: "number",
    fields: &[
        // Not required: kith numbers a case given none (CS-2026-0001).
        listed(text(f("number", Ty::Text))),
        listed(text(required(f("title", Ty::Text)))),
        listed(f("account", Ty::Ref(Entity::Account))),
        f("contact", Ty::Ref(Entity::Contact)),
        listed(required(f("type", Ty::Enum(CASE_TYPES)))),
        listed(f("priority", Ty::Enum(PRIORITIES))),
        listed(system(f("status", Ty::Enum(STATUSES)))),
        listed(system(f("sla", Ty::Enum(SLA_STATES)))),
        // The nearest deadline of a clock still running: what the queue sorts by.
        listed(system(f("due", Ty::Stamp))),
        listed(f("assignee", Ty::Text)),
        f("channel", Ty::Enum(CHANNELS)),
        text(f("category", Ty::Text)),
        f("product", Ty::Ref(Entity::Product)),
        text(f("description", Ty::LongText)),
        // The policy that set the clocks: the first that matches, unless one is named.
        f("policy", Ty::Ref(Entity::Sla)),
        // Now unless given: a case brought over from another tool keeps its moment.
        f("opened", Ty::Stamp),
        // Each clock: its target in working minutes, the moment it is at risk, its
        // deadline, when it was met and the working minutes that took.
        system(f("respond_target", MINUTES)),
        system(f("respond_risk", Ty::Stamp)),
        system(f("respond_due", Ty::Stamp)),
        system(f("responded_at", Ty::Stamp)),
        system(f("response_minutes", MINUTES)),
        system(f("resolve_target", MINUTES)),
        system(f("resolve_risk", Ty::Stamp)),
        system(f("resolve_due", Ty::Stamp)),
        system(f("resolved_at", Ty::Stamp)),
        system(f("resolution_minutes", MINUTES)),
        text(f("resolution", Ty::LongText)),
        system(f("closed_at", Ty::Stamp)),
        // The spans spent waiting on the customer, which the clocks do not count: a JSON
        // list of [from, to] stamps, the last `to` null while waiting.
        system(f("waits", Ty::Text)),
        system(f("reason", Ty::Text)),
        // Why a deadline was missed, for the monthly report.
        text(f("breach_reason", Ty::Text)),
        system(f("deal", Ty::Ref(Entity::Deal))),
    ],
    default_order: "t.id DESC",
    record: true,
    linkable: true,
    sections: &[Section {
        name: "surveys",
        kind: Entity::Survey,
        via: "case",
        only: None,
        sort: "on",
        limit: None,
    }],
    dupes: None,
    synonyms: &[
        (
            "number",
            &["工单编号", "工单号", "case number", "ticket id", "ticket"],
        ),
        ("title", &["标题", "主题", "问题", "subject", "summary"]),
        (
            "opened",
            // Not 创建时间 / created: kith's own export heads `created_at` so.
            &[
                "受理时间",
                "提交时间",
                "反馈时间",
                "报修时间",
                "opened at",
                "date opened",
                "submitted at",
            ],
        ),
        ("account", crate::model::headers::COMPANY),
        ("contact", crate::model::headers::CONTACT_REF),
        ("type", &["类型", "工单类型", "type"]),
        ("priority", &["优先级", "紧急程度", "priority"]),
        (
            "channel",
            &["渠道", "来源", "受理渠道", "channel", "source"],
        ),
        ("category", &["分类", "问题分类", "category"]),
        ("product", &["产品", "product"]),
        (
            "assignee",
            &["处理人", "负责人", "受理人", "assignee", "assigned to"],
        ),
        (
            "description",
            &["描述", "问题描述", "内容", "description", "details"],
        ),
        ("resolution", &["处理结果", "解决方案", "resolution"]),
        ("policy", &["SLA策略", "服务级别", "sla policy"]),
        ("breach_reason", &["超时原因", "breach reason"]),
    ],
    summary: &["type", "status", "sla"],
    hint: Some("title"),
    search: Some(["account", "title"]),
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[Derived {
        field: "sla",
        when: SLA_WHEN,
    }],
    sets: &[WordSet {
        field: "status",
        word: "open",
        means: OPEN,
    }],
    computed: &[],
};

/// The value of a text column among checked values or, failing that, the record's.
fn current(values: &Values, existing: Option<&Record>, col: &str) -> Option<Value> {
    value_of(values, col).or_else(|| existing.and_then(|e| e.get(col).cloned()))
}

/// Fill a case's account from its contact, and refuse a contact of another account.
fn account_from_contact(
    w: &Writer<'_>,
    values: &mut Values,
    existing: Option<&Record>,
) -> Result<()> {
    let Some(contact) = value_of(values, "contact_id").and_then(|v| v.as_i64()) else {
        return Ok(());
    };
    let c = live(&w.reader(), Entity::Contact, contact)?;
    let Some(acc) = c.i64("account_id") else {
        return Ok(());
    };
    match current(values, existing, "account_id").and_then(|v| v.as_i64()) {
        None => values.push(("account_id".into(), Value::from(acc))),
        Some(a) if a != acc && value_of(values, "account_id").is_some() => {
            return Err(crate::err!(
                Invalid,
                "cases.contact_elsewhere",
                contact = c.label()
            ));
        }
        _ => {}
    }
    Ok(())
}

/// Create a case: numbered CS-YEAR-NNNN unless given, opened now (or at `opened`, for
/// cases brought over from another tool), assigned when it names an assignee, its
/// clocks set by the first policy that matches it.
pub fn create(w: &mut Writer<'_>, env: &Env, mut input: Input) -> Result<i64> {
    if input.has("status") {
        return Err(crate::err!(Invalid, "cases.status_by_verbs"));
    }
    let opened = match input.take("opened") {
        Some(t) => super::clocks::stamp_of(env, &t).map_err(|e| e.context("--opened"))?,
        None => env.clock.stamp(),
    };
    let mut values = validate(&w.reader(), env, Entity::Case, &input, None)?;
    account_from_contact(w, &mut values, None)?;
    if value_of(&values, "account_id").is_none() {
        return Err(crate::err!(Invalid, "records.required", field = "account"));
    }
    default_to(&mut values, "priority", Value::from("normal"));
    crate::domain::team::users::check_owner(&w.reader(), &values, None)?;
    number_new(w, env, Entity::Case, "CS", &mut values)?;
    let status = if value_of(&values, "assignee").is_some() {
        "assigned"
    } else {
        "new"
    };
    values.push(("status".into(), Value::from(status)));
    values.push(("opened".into(), Value::String(opened)));
    let id = w.insert(Entity::Case, &values)?;
    super::clocks::apply(w, env, id, value_of(&values, "policy_id").is_none())?;
    Ok(id)
}

/// An edit of a case's own fields: its status changes by its verbs; a new type, priority
/// or anything a policy matches on applies the policies again (time spent stays spent).
pub(crate) fn edit(
    w: &mut Writer<'_>,
    env: &Env,
    existing: &Record,
    input: &Input,
) -> Result<bool> {
    if input.has("status") {
        return Err(crate::err!(Invalid, "cases.status_by_verbs"));
    }
    let mut input = input.clone();
    let opened = match input.take("opened") {
        Some(t) => Some(super::clocks::stamp_of(env, &t).map_err(|e| e.context("--opened"))?),
        None => None,
    };
    let mut values = validate(&w.reader(), env, Entity::Case, &input, Some(existing))?;
    account_from_contact(w, &mut values, Some(existing))?;
    crate::domain::team::users::check_owner(&w.reader(), &values, Some(existing))?;
    if let Some(o) = opened {
        values.push(("opened".into(), Value::String(o)));
    }
    if let Some(n) = value_of(&values, "number").and_then(|v| v.as_str().map(str::to_string)) {
        if n != existing.text("number") {
            crate::domain::commerce::shared::check_number(
                w,
                Entity::Case,
                &n,
                Some(existing.id()),
            )?;
        }
    }
    // Given an assignee, a new case is assigned.
    if existing.str("status") == Some("new")
        && value_of(&values, "assignee").is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
    {
        values.push(("status".into(), Value::from("assigned")));
    }
    let changed = w.update(Entity::Case, existing.id(), &values)?;
    if changed {
        let named = values.iter().any(|(c, _)| c == "policy_id");
        super::clocks::apply(w, env, existing.id(), !named)?;
    }
    Ok(changed)
}

/// A case that is live and not closed, for a verb that works on it.
fn open_case(w: &Writer<'_>, id: i64, verb: &str) -> Result<Record> {
    let rec = live(&w.reader(), Entity::Case, id)?;
    if rec.str("status") == Some("closed") {
        return Err(crate::err!(
            Invalid,
            "cases.closed",
            number = rec.label(),
            verb = verb
        ));
    }
    Ok(rec)
}

/// Refuse `verb` on a case whose status is not one of `from`.
fn needs(rec: &Record, verb: &str, from: &[&str]) -> Result<()> {
    if from.contains(&rec.str("status").unwrap_or_default()) {
        Ok(())
    } else {
        Err(crate::domain::commerce::shared::cannot(rec, verb, from))
    }
}

/// The waiting spans of a case, as stored.
pub fn waits(rec: &Record) -> Vec<(String, Option<String>)> {
    serde_json::from_str::<Vec<(String, Option<String>)>>(rec.str("waits").unwrap_or("[]"))
        .unwrap_or_default()
}

fn waits_json(w: &[(String, Option<String>)]) -> Value {
    Value::String(serde_json::to_string(w).unwrap_or_else(|_| "[]".into()))
}

/// The case's account and contact, for a record made from it (a reply, a return visit,
/// a deal).
fn with_links(rec: &Record, input: &mut Input) {
    for link in ["account", "contact"] {
        if let Some(v) = rec.i64(&format!("{link}_id")) {
            input.set(link, v.to_string());
        }
    }
}

/// Who handles a case: its assignee, else the acting user.
fn handler(rec: &Record, env: &Env) -> String {
    match rec.text("assignee") {
        a if a.is_empty() => env.user.clone(),
        a => a,
    }
}

/// A case not answered yet is answered now (by a reply, its resolution or its closing).
fn answered(rec: &Record, env: &Env, v: &mut Values) {
    if rec.get("responded_at").is_none_or(Value::is_null) {
        v.push(("responded_at".into(), Value::String(env.clock.stamp())));
    }
}

/// Give a case to a user: a new case becomes assigned.
pub fn assign(w: &mut Writer<'_>, env: &Env, id: i64, user: &str) -> Result<bool> {
    let rec = open_case(w, id, "assign")?;
    let input = Input::new().with("assignee", user);
    edit(w, env, &rec, &input)
}

/// Record a reply to the customer as an activity on the case (its channel the case's
/// unless given); the first reply stops the first-response clock, and a new or assigned
/// case is in progress from then. Returns the activity's id.
pub fn reply(
    w: &mut Writer<'_>,
    env: &Env,
    records: &dyn Records,
    id: i64,
    text: &str,
    channel: Option<&str>,
) -> Result<i64> {
    let rec = open_case(w, id, "reply")?;
    let text = text.trim();
    if text.is_empty() {
        return Err(crate::err!(Invalid, "cases.reply_empty"));
    }
    let channel = match channel {
        Some(c) => {
            crate::domain::toolkit::choose(CHANNELS, c).map_err(|e| e.context("--channel"))?
        }
        None => rec.str("channel").unwrap_or("email"),
    };
    let kind = match channel {
        "phone" => "call",
        "visit" => "visit",
        "email" => "email",
        _ => "note",
    };
    let subject: String = text
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect();
    let mut a = Input::new()
        .with("kind", kind)
        .with("subject", subject)
        .with("body", text)
        .with("at", "now")
        .with("case", id.to_string())
        .with("via", channel)
        .with("owner", env.user.clone());
    with_links(&rec, &mut a);
    let activity = records.create(w, env, Entity::Activity, &a)?;
    let mut v: Values = vec![];
    answered(&rec, env, &mut v);
    if matches!(rec.str("status"), Some("new" | "assigned")) {
        v.push(("status".into(), Value::from("in-progress")));
    }
    if !v.is_empty() {
        w.update(Entity::Case, id, &v)?;
        super::clocks::apply(w, env, id, false)?;
    }
    Ok(activity)
}

/// Wait on the customer: the clocks stop until the case is resumed.
pub fn wait(w: &mut Writer<'_>, env: &Env, id: i64) -> Result<()> {
    let rec = open_case(w, id, "wait")?;
    needs(&rec, "wait", &["new", "assigned", "in-progress"])?;
    let mut spans = waits(&rec);
    spans.push((env.clock.stamp(), None));
    w.update(
        Entity::Case,
        id,
        &vec![
            ("status".into(), Value::from("waiting")),
            ("waits".into(), waits_json(&spans)),
        ],
    )?;
    super::clocks::apply(w, env, id, false)
}

/// The spans with the open one ended now.
fn ended(env: &Env, mut spans: Vec<(String, Option<String>)>) -> Vec<(String, Option<String>)> {
    if let Some(last) = spans.last_mut() {
        if last.1.is_none() {
            last.1 = Some(env.clock.stamp());
        }
    }
    spans
}

/// The customer answered: the clocks run again from now, with the time waited not counted.
pub fn resume(w: &mut Writer<'_>, env: &Env, id: i64) -> Result<()> {
    let rec = open_case(w, id, "resume")?;
    needs(&rec, "resume", &["waiting"])?;
    let status = if rec.get("responded_at").is_some_and(|v| !v.is_null()) {
        "in-progress"
    } else if rec.text("assignee").is_empty() {
        "new"
    } else {
        "assigned"
    };
    w.update(
        Entity::Case,
        id,
        &vec![
            ("status".into(), Value::from(status)),
            ("waits".into(), waits_json(&ended(env, waits(&rec)))),
        ],
    )?;
    super::clocks::apply(w, env, id, false)
}

/// Resolve a case with what was done: both clocks stop (a case resolved without a reply was
/// answered by its resolution).
pub fn resolve(w: &mut Writer<'_>, env: &Env, id: i64, resolution: &str) -> Result<()> {
    let rec = open_case(w, id, "resolve")?;
    needs(&rec, "resolve", OPEN)?;
    if resolution.trim().is_empty() {
        return Err(crate::err!(Invalid, "cases.resolution_needed"));
    }
    let mut v: Values = vec![
        ("status".into(), Value::from("resolved")),
        ("resolved_at".into(), Value::String(env.clock.stamp())),
        ("resolution".into(), Value::from(resolution.trim())),
        ("waits".into(), waits_json(&ended(env, waits(&rec)))),
    ];
    answered(&rec, env, &mut v);
    w.update(Entity::Case, id, &v)?;
    super::clocks::apply(w, env, id, false)
}

/// Close a case. One not resolved yet is resolved by closing it. With `survey`, a return
/// visit (回访) is asked of its assignee, as a task due tomorrow. Returns that task's id.
pub fn close(
    w: &mut Writer<'_>,
    env: &Env,
    records: &dyn Records,
    id: i64,
    survey: bool,
) -> Result<Option<i64>> {
    let rec = open_case(w, id, "close")?;
    let mut v: Values = vec![
        ("status".into(), Value::from("closed")),
        ("closed_at".into(), Value::String(env.clock.stamp())),
    ];
    if rec.get("resolved_at").is_none_or(Value::is_null) {
        v.push(("resolved_at".into(), Value::String(env.clock.stamp())));
        v.push(("waits".into(), waits_json(&ended(env, waits(&rec)))));
        answered(&rec, env, &mut v);
    }
    w.update(Entity::Case, id, &v)?;
    super::clocks::apply(w, env, id, false)?;
    if !survey {
        return Ok(None);
    }
    let owner = handler(&rec, env);
    let mut t = Input::new()
        .with(
            "title",
            crate::tr!(
                "cases.return_visit",
                number = rec.label(),
                title = rec.text("title")
            ),
        )
        .with("due", "tomorrow")
        .with("case", id.to_string())
        .with("owner", owner);
    with_links(&rec, &mut t);
    Ok(Some(records.create(w, env, Entity::Task, &t)?))
}

/// Reopen a resolved or closed case, saying why: its resolution clock runs again, the time
/// it stood resolved not counted.
pub fn reopen(w: &mut Writer<'_>, env: &Env, id: i64, reason: &str) -> Result<()> {
    let rec = live(&w.reader(), Entity::Case, id)?;
    needs(&rec, "reopen", &["resolved", "closed"])?;
    if reason.trim().is_empty() {
        return Err(crate::err!(Invalid, "cases.reason_needed"));
    }
    let mut spans = waits(&rec);
    if let Some(at) = rec.str("resolved_at") {
        spans.push((at.to_string(), Some(env.clock.stamp())));
    }
    let status = if rec.text("assignee").is_empty() {
        "new"
    } else {
        "in-progress"
    };
    w.update(
        Entity::Case,
        id,
        &vec![
            ("status".into(), Value::from(status)),
            ("resolved_at".into(), Value::Null),
            ("resolution_minutes".into(), Value::Null),
            ("closed_at".into(), Value::Null),
            ("reason".into(), Value::from(reason.trim())),
            ("waits".into(), waits_json(&spans)),
        ],
    )?;
    super::clocks::apply(w, env, id, false)
}

/// Turn a case into a sales opportunity for its account (as a complaint often shows what
/// the customer needs): a deal named after it, owned by its assignee, linked from the case.
pub fn to_deal(
    w: &mut Writer<'_>,
    env: &Env,
    records: &dyn Records,
    id: i64,
    title: Option<&str>,
) -> Result<i64> {
    let rec = live(&w.reader(), Entity::Case, id)?;
    if let Some(d) = rec.i64("deal_id") {
        return Err(crate::err!(
            Invalid,
            "cases.has_deal",
            number = rec.label(),
            id = d
        ));
    }
    let owner = handler(&rec, env);
    let mut d = Input::new()
        .with(
            "title",
            title
                .map(str::to_string)
                .unwrap_or_else(|| rec.text("title")),
        )
        .with("owner", owner);
    with_links(&rec, &mut d);
    let deal = records.create(w, env, Entity::Deal, &d)?;
    w.update(
        Entity::Case,
        id,
        &vec![("deal_id".into(), Value::from(deal))],
    )?;
    Ok(deal)
}
