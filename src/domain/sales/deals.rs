//! Deals (商机): a deal sits in one stage of one pipeline. Its probability defaults to the
//! stage's, its status follows the stage's outcome (open, won, lost), and every stage it
//! enters is written to the stage history.

use serde_json::Value;

use crate::core::error::{Error, Result};
use crate::domain::toolkit::{validate, Env, Input};
use crate::model::headers::{COMPANY, CONTACT_REF, DEAL_NAME};
use crate::model::record::Record;
use crate::model::Entity;
use crate::model::{alias, f, listed, required, system, text, Kind, Section, Ty};
use crate::store::Writer;

/// Create a deal: the default pipeline and its first stage unless given.
pub(crate) fn create(w: &mut Writer<'_>, env: &Env, mut input: Input) -> Result<i64> {
    if input.has("status") {
        return Err(status_error());
    }
    let stage_text = input.take("stage");
    let pipeline = match input.take("pipeline") {
        Some(p) => crate::domain::sales::pipelines::resolve(&w.reader(), &p)?,
        None => crate::domain::sales::pipelines::default_pipeline(&w.reader())?,
    };
    let stage = match stage_text {
        Some(s) => crate::domain::sales::pipelines::resolve_stage(&w.reader(), pipeline.id(), &s)?,
        None => crate::domain::sales::pipelines::first_stage(&w.reader(), pipeline.id())?,
    };
    let mut values = validate(&w.reader(), env, Entity::Deal, &input, None)?;
    if !values.iter().any(|(c, _)| c == "title") {
        return Err(crate::err!(Invalid, "deals.title_required"));
    }
    values.push(("pipeline_id".into(), Value::from(pipeline.id())));
    values.push(("stage_id".into(), Value::from(stage.id())));
    if !input.has("probability") {
        values.push(("probability".into(), stage_probability(&stage)));
    }
    if !input.has("currency") {
        values.push(("currency".into(), Value::String(env.currency.clone())));
    }
    if !input.has("owner") {
        values.push(("owner".into(), Value::String(env.user.clone())));
    }
    crate::domain::team::users::check_owner(&w.reader(), &values, None)?;
    let outcome = stage.str("outcome").unwrap_or("open").to_string();
    values.push(("status".into(), Value::String(outcome.clone())));
    if outcome != "open" {
        // A deal entered as already closed (history being imported) closed on its close
        // date, not today.
        let closed = values
            .iter()
            .find(|(c, _)| c == "expected_close")
            .and_then(|(_, v)| v.as_str())
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .filter(|d| *d <= env.clock.today())
            .map(|d| {
                crate::core::clock::Clock::at_local(d.and_hms_opt(12, 0, 0).unwrap_or_default())
                    .stamp()
            })
            .unwrap_or_else(|| env.clock.stamp());
        values.push(("closed_at".into(), Value::String(closed)));
    }
    let entered = values
        .iter()
        .find(|(c, _)| c == "closed_at")
        .and_then(|(_, v)| v.as_str())
        .unwrap_or(w.at())
        .to_string();
    let id = w.insert(Entity::Deal, &values)?;
    w.record_stage_change_at(id, None, stage.id(), &entered)?;
    Ok(id)
}

/// Change a deal; a new stage (or pipeline) brings its probability and status along.
pub(crate) fn update(
    w: &mut Writer<'_>,
    env: &Env,
    deal: &Record,
    mut input: Input,
) -> Result<bool> {
    if input.has("status") {
        return Err(status_error());
    }
    let stage_text = input.take("stage");
    let pipeline_text = input.take("pipeline");
    let probability_given = input.has("probability");
    let mut values = validate(&w.reader(), env, Entity::Deal, &input, Some(deal))?;
    crate::domain::team::users::check_owner(&w.reader(), &values, Some(deal))?;
    let old_pipeline = deal.i64("pipeline_id").unwrap_or(0);
    let pipeline = match &pipeline_text {
        Some(p) => crate::domain::sales::pipelines::resolve(&w.reader(), p)?,
        None => crate::domain::sales::pipelines::get(&w.reader(), old_pipeline)?,
    };
    let stage = match (&stage_text, pipeline.id() != old_pipeline) {
        (Some(s), _) => Some(crate::domain::sales::pipelines::resolve_stage(
            &w.reader(),
            pipeline.id(),
            s,
        )?),
        (None, true) => Some(crate::domain::sales::pipelines::first_stage(
            &w.reader(),
            pipeline.id(),
        )?),
        (None, false) => None,
    };
    let old_stage = deal.i64("stage_id");
    let mut moved_to = None;
    if let Some(stage) = stage.filter(|s| Some(s.id()) != old_stage) {
        values.push(("pipeline_id".into(), Value::from(pipeline.id())));
        values.push(("stage_id".into(), Value::from(stage.id())));
        if !probability_given {
            values.push(("probability".into(), stage_probability(&stage)));
        }
        let outcome = stage.str("outcome").unwrap_or("open").to_string();
        if deal.str("status") != Some(outcome.as_str()) {
            values.push((
                "closed_at".into(),
                if outcome == "open" {
                    Value::Null
                } else {
                    Value::String(env.clock.stamp())
                },
            ));
        }
        values.push(("status".into(), Value::String(outcome)));
        moved_to = Some(stage.id());
    }
    let changed = w.update(Entity::Deal, deal.id(), &values)?;
    if let Some(to) = moved_to {
        w.record_stage_change(deal.id(), old_stage, to)?;
    }
    Ok(changed)
}

fn stage_probability(stage: &Record) -> Value {
    Value::from(stage.i64("probability").unwrap_or(0))
}

fn status_error() -> Error {
    crate::err!(Invalid, "deals.status_deal_status")
}

/// What to change when a deal moves.
#[derive(Debug, Clone, Default)]
pub struct Move {
    pub probability: Option<String>,
    pub reason: Option<String>,
}

/// Move a deal to a stage of its pipeline (by name or unique prefix).
pub fn move_to(w: &mut Writer<'_>, env: &Env, deal: i64, stage: &str, m: &Move) -> Result<bool> {
    let record = live_deal(w, deal)?;
    let mut input = Input::new().with("stage", stage);
    if let Some(p) = &m.probability {
        input.set("probability", p.clone());
    }
    if let Some(r) = &m.reason {
        input.set("reason", r.clone());
    }
    update(w, env, &record, input)
}

/// Close a deal as won or lost: it moves to its pipeline's first stage with that outcome.
pub fn close(w: &mut Writer<'_>, env: &Env, deal: i64, outcome: &str, m: &Move) -> Result<bool> {
    let record = live_deal(w, deal)?;
    let pipeline = record.i64("pipeline_id").unwrap_or(0);
    let stage = crate::domain::sales::pipelines::outcome_stage(&w.reader(), pipeline, outcome)?;
    move_to(w, env, deal, &stage.id().to_string(), m)
}

fn live_deal(w: &Writer<'_>, id: i64) -> Result<Record> {
    let r = w
        .reader()
        .get(Entity::Deal, id)?
        .ok_or_else(|| crate::err!(Invalid, "deals.deal_id", id = id))?;
    if r.is_trashed() {
        return Err(crate::err!(Invalid, "deals.deal_trash_restore", id = id));
    }
    Ok(r)
}

/// Which way [`step`] moves a deal through its pipeline's open stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Next,
    Previous,
}

/// The open stage a deal steps to: the next or previous open stage of its pipeline. A
/// closed deal steps back into the last open stage; `None` past either end.
pub fn step_target(
    r: &crate::store::Reader<'_>,
    deal: &Record,
    way: Step,
) -> Result<Option<Record>> {
    let stages = crate::domain::sales::pipelines::stages(
        r,
        deal.i64("pipeline_id").unwrap_or(0),
        &crate::store::QueryCtx::none(),
    )?;
    let mut open: Vec<Record> = stages
        .into_iter()
        .filter(|s| s.str("outcome") == Some("open"))
        .collect();
    let at = open
        .iter()
        .position(|s| Some(s.id()) == deal.i64("stage_id"));
    let to = match (at, way) {
        (Some(i), Step::Next) if i + 1 < open.len() => Some(i + 1),
        (Some(i), Step::Previous) if i > 0 => Some(i - 1),
        (None, Step::Previous) if !open.is_empty() => Some(open.len() - 1),
        _ => None,
    };
    Ok(to.map(|i| open.swap_remove(i)))
}

/// Move a deal one open stage on (or back); returns the stage it entered, `None` (and no
/// change) when there is none that way.
pub fn step(w: &mut Writer<'_>, env: &Env, deal: i64, way: Step) -> Result<Option<Record>> {
    let record = live_deal(w, deal)?;
    let Some(to) = step_target(&w.reader(), &record, way)? else {
        return Ok(None);
    };
    move_to(w, env, deal, &to.id().to_string(), &Move::default())?;
    Ok(Some(to))
}

pub const DEAL_STATUSES: &[&str] = &["open", "won", "lost"];

/// Deals (商机): opportunities moving through a pipeline's stages.
pub static DEAL: Kind = Kind {
    name: "deal",
    plural: "deals",
    label: "title",
    fields: &[
        listed(text(required(f("title", Ty::Text)))),
        listed(f("account", Ty::Ref(Entity::Account))),
        f("contact", Ty::Ref(Entity::Contact)),
        listed(f("amount", Ty::Money)),
        // What winning it costs (goods, services): profit = amount − cost.
        f("cost", Ty::Money),
        listed(f("currency", Ty::Currency)),
        f("pipeline", Ty::Ref(Entity::Pipeline)),
        listed(f("stage", Ty::Ref(Entity::Stage))),
        listed(alias(
            f("probability", Ty::Int { min: 0, max: 100 }),
            &["prob"],
        )),
        listed(alias(f("expected_close", Ty::Date), &["close"])),
        // Follows the stage: open, won or lost.
        listed(system(f("status", Ty::Enum(DEAL_STATUSES)))),
        listed(f("owner", Ty::Text)),
        f("source", Ty::Text),
        text(f("competitor", Ty::Text)),
        text(f("reason", Ty::Text)),
        system(alias(f("closed_at", Ty::Stamp), &["closed"])),
        f("tags", Ty::Tags),
        text(f("notes", Ty::LongText)),
    ],
    // Open deals first, then won, then lost; each by expected close.
    default_order: "CASE t.status WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, \
         t.expected_close ASC NULLS LAST, t.id ASC",
    record: true,
    linkable: true,
    sections: &[
        crate::domain::commerce::lines::SECTION_OF_DEAL,
        Section {
            name: "quotes",
            kind: Entity::Quote,
            via: "deal",
            only: None,
            sort: "-id",
            limit: None,
        },
        Section {
            name: "orders",
            kind: Entity::Order,
            via: "deal",
            only: None,
            sort: "-id",
            limit: None,
        },
        Section {
            name: "contracts",
            kind: Entity::Contract,
            via: "deal",
            only: None,
            sort: "-id",
            limit: None,
        },
    ],
    dupes: None,
    synonyms: &[
        ("title", DEAL_NAME),
        (
            "title",
            &[
                "项目",
                "项目名称",
                "名称",
                "name",
                "deal title",
                "opportunity title",
            ],
        ),
        ("account", COMPANY),
        ("contact", CONTACT_REF),
    ],
    summary: &["amount", "currency", "stage", "expected_close"],
    hint: Some("account"),
    search: Some(["account", "status"]),
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};
