//! Pipelines and their stages are data: a default sales pipeline is made with every new
//! database, and users add pipelines and add, rename, reorder and remove stages.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::toolkit::{by, choose, list_query, Env};
use crate::model::record::Record;
use crate::model::{f, listed, required, system, Entity, Kind, Section, Ty};
use crate::store::{QueryCtx, Reader, Writer};

/// Make the default sales pipeline if the database has no pipeline yet.
pub(crate) fn ensure_default(w: &mut Writer<'_>, env: &Env) -> Result<()> {
    let any = w.reader().list(
        Entity::Pipeline,
        &list_query(vec![], "", Some(1)),
        &env.ctx(),
    )?;
    if any.is_empty() {
        let stages: Vec<StageSpec> = DEFAULT_STAGES
            .iter()
            .map(|(n, p, o)| StageSpec {
                name: n.to_string(),
                probability: *p,
                outcome: o.to_string(),
            })
            .collect();
        add(w, DEFAULT_PIPELINE, &stages, true)?;
    }
    Ok(())
}

/// A stage to create: name, probability (0–100) and outcome (open, won, lost).
#[derive(Debug, Clone, PartialEq)]
pub struct StageSpec {
    pub name: String,
    pub probability: i64,
    pub outcome: String,
}

impl StageSpec {
    /// Read `NAME`, `NAME:PROB` or `NAME:PROB:OUTCOME`. A stage named won or lost has that
    /// outcome unless told otherwise.
    pub fn parse(s: &str) -> Result<StageSpec> {
        let mut parts = s.split(':').map(str::trim);
        let name = parts.next().unwrap_or("").to_string();
        if name.is_empty() {
            return Err(crate::err!(Invalid, "pipelines.stage_name_empty", s = s));
        }
        crate::core::values::check_controls(&name, false).map_err(|e| e.context("stage"))?;
        let probability = match parts.next() {
            Some(p) if !p.is_empty() => {
                let n = crate::core::values::parse_int(p.trim_end_matches('%'))
                    .map_err(|e| e.context(crate::tr!("pipelines.stage_at", stage = s)))?;
                if !(0..=100).contains(&n) {
                    return Err(crate::err!(
                        Invalid,
                        "pipelines.stage_probability_out",
                        s = s,
                        n = n
                    ));
                }
                n
            }
            _ => match name.to_lowercase().as_str() {
                "won" => 100,
                _ => 0,
            },
        };
        let outcome = match parts.next() {
            Some(o) => choose(STAGE_OUTCOMES, o)
                .map_err(|e| e.context(crate::tr!("pipelines.stage_at", stage = s)))?
                .to_string(),
            None => match name.to_lowercase().as_str() {
                "won" => "won".to_string(),
                "lost" => "lost".to_string(),
                _ => "open".to_string(),
            },
        };
        if parts.next().is_some() {
            return Err(crate::err!(Invalid, "pipelines.stage_expected_name", s = s));
        }
        Ok(StageSpec {
            name,
            probability,
            outcome,
        })
    }
}

/// Add a pipeline with its stages, in order.
pub fn add(
    w: &mut Writer<'_>,
    name: &str,
    stages: &[StageSpec],
    make_default: bool,
) -> Result<i64> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::err!(Invalid, "pipelines.pipeline_name_empty"));
    }
    crate::core::values::check_controls(name, false).map_err(|e| e.context("pipeline"))?;
    for s in stages {
        crate::core::values::check_controls(&s.name, false).map_err(|e| e.context("stage"))?;
    }
    if exact_pipeline(&w.reader(), name)?.is_some() {
        return Err(crate::err!(
            Invalid,
            "pipelines.pipeline_named_already",
            name = name
        ));
    }
    if stages.is_empty() {
        return Err(crate::err!(Invalid, "pipelines.pipeline_needs_stage"));
    }
    if !stages.iter().any(|s| s.outcome == "open") {
        return Err(crate::err!(Invalid, "pipelines.pipeline_needs_open_stage"));
    }
    for (i, s) in stages.iter().enumerate() {
        if stages[..i]
            .iter()
            .any(|o| same_stage_name(&o.name, &s.name))
        {
            return Err(crate::err!(
                Invalid,
                "pipelines.stage_given_twice",
                stage = s.name
            ));
        }
    }
    let id = w.insert(
        Entity::Pipeline,
        &vec![
            ("name".into(), Value::from(name)),
            ("is_default".into(), Value::Bool(false)),
        ],
    )?;
    for (pos, s) in stages.iter().enumerate() {
        insert_stage(w, id, s, pos as i64)?;
    }
    if make_default {
        set_default(w, id)?;
    }
    Ok(id)
}

fn insert_stage(w: &mut Writer<'_>, pipeline: i64, s: &StageSpec, position: i64) -> Result<i64> {
    w.insert(
        Entity::Stage,
        &vec![
            ("pipeline_id".into(), Value::from(pipeline)),
            ("name".into(), Value::from(s.name.clone())),
            ("position".into(), Value::from(position)),
            ("probability".into(), Value::from(s.probability)),
            ("outcome".into(), Value::from(s.outcome.clone())),
        ],
    )
}

/// The pipeline named `name`, or shown by that name (销售 is the default pipeline `sales`
/// in Chinese), so no two pipelines show the same name.
fn exact_pipeline(r: &Reader<'_>, name: &str) -> Result<Option<i64>> {
    let stored = crate::model::record::name_of_label(Entity::Pipeline, name);
    for name in std::iter::once(name).chain(stored) {
        let (found, exact) = r.find_by_label(Entity::Pipeline, name, 2, false)?;
        if exact {
            return Ok(found.first().map(|(id, _)| *id));
        }
    }
    Ok(None)
}

/// Make one pipeline the default for new deals.
pub fn set_default(w: &mut Writer<'_>, pipeline: i64) -> Result<()> {
    let ctx = QueryCtx::none();
    for p in w
        .reader()
        .list(Entity::Pipeline, &list_query(vec![], "", None), &ctx)?
    {
        let want = p.id() == pipeline;
        if p.bool("is_default") != want {
            w.update(
                Entity::Pipeline,
                p.id(),
                &vec![("is_default".into(), Value::Bool(want))],
            )?;
        }
    }
    Ok(())
}

pub fn rename(w: &mut Writer<'_>, pipeline: i64, name: &str) -> Result<bool> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::err!(Invalid, "pipelines.pipeline_new_name"));
    }
    crate::core::values::check_controls(name, false).map_err(|e| e.context("pipeline"))?;
    if exact_pipeline(&w.reader(), name)?.is_some_and(|id| id != pipeline) {
        return Err(crate::err!(
            Invalid,
            "pipelines.pipeline_named_already",
            name = name
        ));
    }
    w.update(
        Entity::Pipeline,
        pipeline,
        &vec![("name".into(), Value::from(name))],
    )
}

/// Whether two stage names name one stage: the same but for case, or a default stage's
/// name and its name in another language (`proposal`, 方案报价), as references read them.
fn same_stage_name(a: &str, b: &str) -> bool {
    let stored = |n| crate::model::record::name_of_label(Entity::Stage, n).unwrap_or(n);
    stored(a).eq_ignore_ascii_case(stored(b))
}

/// Where to put a stage.
#[derive(Debug, Clone)]
pub enum Place {
    End,
    /// 1-based position.
    At(usize),
    After(String),
    Before(String),
}

/// Add a stage to a pipeline.
pub fn add_stage(
    w: &mut Writer<'_>,
    pipeline: i64,
    spec: &StageSpec,
    place: &Place,
) -> Result<i64> {
    crate::core::values::check_controls(&spec.name, false).map_err(|e| e.context("stage"))?;
    let stages = stages(&w.reader(), pipeline, &QueryCtx::none())?;
    if stages
        .iter()
        .any(|s| same_stage_name(s.label(), &spec.name))
    {
        return Err(crate::err!(
            Invalid,
            "pipelines.pipeline_already_stage",
            name = spec.name
        ));
    }
    let id = insert_stage(w, pipeline, spec, stages.len() as i64)?;
    let mut order: Vec<i64> = stages.iter().map(Record::id).collect();
    let at = index_for(w, pipeline, &stages, place)?;
    order.insert(at.min(order.len()), id);
    renumber(w, &order)?;
    Ok(id)
}

/// Move a stage to another place in its pipeline.
pub fn move_stage(w: &mut Writer<'_>, pipeline: i64, stage: i64, place: &Place) -> Result<()> {
    let stages = stages(&w.reader(), pipeline, &QueryCtx::none())?;
    let mut order: Vec<i64> = stages
        .iter()
        .map(Record::id)
        .filter(|id| *id != stage)
        .collect();
    let rest: Vec<Record> = stages.into_iter().filter(|s| s.id() != stage).collect();
    let at = index_for(w, pipeline, &rest, place)?;
    order.insert(at.min(order.len()), stage);
    renumber(w, &order)
}

fn index_for(w: &Writer<'_>, pipeline: i64, stages: &[Record], place: &Place) -> Result<usize> {
    Ok(match place {
        Place::End => stages.len(),
        Place::At(n) => {
            if *n == 0 {
                return Err(crate::err!(Invalid, "pipelines.position_counts"));
            }
            n - 1
        }
        Place::After(s) | Place::Before(s) => {
            let target = resolve_stage(&w.reader(), pipeline, s)?;
            let i = stages
                .iter()
                .position(|x| x.id() == target.id())
                .ok_or_else(|| crate::err!(Invalid, "pipelines.stage_being_moved", s = s))?;
            if matches!(place, Place::After(_)) {
                i + 1
            } else {
                i
            }
        }
    })
}

fn renumber(w: &mut Writer<'_>, order: &[i64]) -> Result<()> {
    for (pos, id) in order.iter().enumerate() {
        w.update(
            Entity::Stage,
            *id,
            &vec![("position".into(), Value::from(pos as i64))],
        )?;
    }
    Ok(())
}

/// Rename a stage, or change its probability or outcome.
pub fn edit_stage(
    w: &mut Writer<'_>,
    pipeline: i64,
    stage: i64,
    name: Option<&str>,
    probability: Option<i64>,
    outcome: Option<&str>,
) -> Result<bool> {
    let mut values = Vec::new();
    if let Some(name) = name {
        let name = name.trim();
        if name.is_empty() {
            return Err(crate::err!(Invalid, "pipelines.stage_new_name"));
        }
        crate::core::values::check_controls(name, false).map_err(|e| e.context("stage"))?;
        let clash = stages(&w.reader(), pipeline, &QueryCtx::none())?
            .into_iter()
            .any(|s| s.id() != stage && same_stage_name(s.label(), name));
        if clash {
            return Err(crate::err!(
                Invalid,
                "pipelines.stage_rename_taken",
                name = name
            ));
        }
        values.push(("name".into(), Value::from(name)));
    }
    if let Some(p) = probability {
        if !(0..=100).contains(&p) {
            return Err(crate::err!(
                Invalid,
                "pipelines.probability_out_range",
                p = p
            ));
        }
        values.push(("probability".into(), Value::from(p)));
    }
    if let Some(o) = outcome {
        values.push(("outcome".into(), Value::from(choose(STAGE_OUTCOMES, o)?)));
    }
    w.update(Entity::Stage, stage, &values)
}

/// Remove a stage no deal is in (trashed deals count: they may be restored).
pub fn remove_stage(w: &mut Writer<'_>, pipeline: i64, stage: i64) -> Result<()> {
    let ctx = QueryCtx::none();
    let r = w.reader();
    let mut q = list_query(vec![by("stage", stage)], "", Some(1));
    let live = r.list(Entity::Deal, &q, &ctx)?.len();
    q.trash = true;
    let trashed = r.list(Entity::Deal, &q, &ctx)?.len();
    if live + trashed > 0 {
        return Err(crate::err!(Invalid, "pipelines.deals_stage_move"));
    }
    let left = stages(&r, pipeline, &ctx)?;
    let s = left.iter().find(|s| s.id() == stage).cloned();
    let open_left = left
        .iter()
        .filter(|x| x.id() != stage && x.str("outcome") == Some("open"))
        .count();
    if s.as_ref().and_then(|s| s.str("outcome")) == Some("open") && open_left == 0 {
        return Err(crate::err!(Invalid, "pipelines.pipeline_needs_open_stage"));
    }
    w.trash(Entity::Stage, stage)?;
    let order: Vec<i64> = left
        .iter()
        .map(Record::id)
        .filter(|id| *id != stage)
        .collect();
    renumber(w, &order)
}

// ---------------------------------------------------------------------------------------
// Reading

/// The stages of a pipeline, in order.
pub fn stages(r: &Reader<'_>, pipeline: i64, ctx: &QueryCtx) -> Result<Vec<Record>> {
    r.list(
        Entity::Stage,
        &list_query(vec![by("pipeline", pipeline)], "position", None),
        ctx,
    )
}

pub fn get(r: &Reader<'_>, pipeline: i64) -> Result<Record> {
    r.get(Entity::Pipeline, pipeline)?
        .ok_or_else(|| crate::err!(Invalid, "pipelines.pipeline_id", pipeline = pipeline))
}

pub fn resolve(r: &Reader<'_>, text: &str) -> Result<Record> {
    let id = crate::domain::toolkit::resolve(r, Entity::Pipeline, text, false)
        .map_err(|e| e.context("pipeline"))?;
    get(r, id)
}

pub fn default_pipeline(r: &Reader<'_>) -> Result<Record> {
    let ctx = QueryCtx::none();
    let all = r.list(
        Entity::Pipeline,
        &list_query(vec![], "-is_default,id", Some(1)),
        &ctx,
    )?;
    all.into_iter()
        .next()
        .ok_or_else(|| crate::err!(Invalid, "pipelines.there_pipeline_add"))
}

/// A stage of `pipeline` by id, exact name, or unique name prefix.
pub fn resolve_stage(r: &Reader<'_>, pipeline: i64, text: &str) -> Result<Record> {
    let ctx = QueryCtx::none();
    let all = stages(r, pipeline, &ctx)?;
    let t = text.trim();
    let pname = crate::model::record::name_label(Entity::Pipeline, get(r, pipeline)?.label());
    if let Ok(id) = t.trim_start_matches('#').parse::<i64>() {
        return all.into_iter().find(|s| s.id() == id).ok_or_else(|| {
            crate::err!(
                Invalid,
                "pipelines.stage_unknown_id",
                pipeline = pname,
                id = id
            )
        });
    }
    // A default stage by its name in any language (方案报价 for `proposal`).
    let stored = crate::model::record::name_of_label(Entity::Stage, t);
    if let Some(s) = all
        .iter()
        .find(|s| s.label().eq_ignore_ascii_case(t) || stored.is_some_and(|n| s.label() == n))
    {
        return Ok(s.clone());
    }
    let lower = t.to_lowercase();
    let shown = |s: &Record| crate::model::record::name_label(Entity::Stage, s.label());
    let hits: Vec<&Record> = all
        .iter()
        .filter(|s| {
            !lower.is_empty()
                && (s.label().to_lowercase().starts_with(&lower)
                    || shown(s).to_lowercase().starts_with(&lower))
        })
        .collect();
    let names: Vec<String> = all.iter().map(shown).collect();
    match hits.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(crate::err!(
            Invalid,
            "pipelines.stage_unknown_name",
            pipeline = pname,
            t = t,
            names = names.join(", ")
        )),
        _ => Err(crate::err!(
            Invalid,
            "pipelines.stage_could",
            t = t,
            label = hits
                .iter()
                .map(|s| shown(s))
                .collect::<Vec<_>>()
                .join(" or ")
        )),
    }
}

/// The first open stage of a pipeline, where new deals start.
pub fn first_stage(r: &Reader<'_>, pipeline: i64) -> Result<Record> {
    outcome_stage(r, pipeline, "open")
}

/// The first stage of a pipeline with this outcome.
pub fn outcome_stage(r: &Reader<'_>, pipeline: i64, outcome: &str) -> Result<Record> {
    let ctx = QueryCtx::none();
    stages(r, pipeline, &ctx)?
        .into_iter()
        .find(|s| s.str("outcome") == Some(outcome))
        .ok_or_else(|| {
            let name = get(r, pipeline)
                .map(|p| p.label().to_string())
                .unwrap_or_default();
            crate::err!(
                Invalid,
                "pipelines.pipeline_stage",
                name = name,
                outcome = outcome
            )
        })
}

/// A pipeline with its stages and the open deals in each.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Board {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub stages: Vec<BoardStage>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct BoardStage {
    pub id: i64,
    pub name: String,
    pub position: i64,
    pub probability: i64,
    pub outcome: String,
    /// Open deals in the stage.
    pub count: i64,
    /// Sums per currency (JSON: an object of currency code → amount).
    pub amount: crate::core::money::Totals,
    pub weighted_amount: crate::core::money::Totals,
}

impl Board {
    /// The pipeline's name as the interface shows it (the default pipeline in the
    /// language: [`crate::model::record::name_label`]).
    pub fn shown_name(&self) -> String {
        crate::model::record::name_label(Entity::Pipeline, &self.name)
    }
}

impl BoardStage {
    /// The stage's name as the interface shows it (a default stage in the language).
    pub fn shown_name(&self) -> String {
        crate::model::record::name_label(Entity::Stage, &self.name)
    }

    /// The stage's outcome as the interface shows it (赢单 for `won` in Chinese).
    pub fn shown_outcome(&self) -> String {
        crate::model::record::choice_label(Entity::Stage, "outcome", &self.outcome)
    }
}

/// Every pipeline with its stages and open-deal totals.
pub fn boards(r: &Reader<'_>) -> Result<Vec<Board>> {
    let ctx = QueryCtx::none();
    let mut out = Vec::new();
    for p in r.list(Entity::Pipeline, &list_query(vec![], "id", None), &ctx)? {
        let summary = r.stage_summary(p.id())?;
        let stages = stages(r, p.id(), &ctx)?
            .into_iter()
            .map(|s| {
                let sum = summary.iter().find(|x| x.stage_id == s.id());
                BoardStage {
                    id: s.id(),
                    name: s.label().to_string(),
                    position: s.i64("position").unwrap_or(0) + 1,
                    probability: s.i64("probability").unwrap_or(0),
                    outcome: s.str("outcome").unwrap_or("open").to_string(),
                    count: sum.map(|x| x.count).unwrap_or(0),
                    amount: sum.map(|x| x.amount.clone()).unwrap_or_default(),
                    weighted_amount: sum.map(|x| x.weighted_amount.clone()).unwrap_or_default(),
                }
            })
            .collect();
        out.push(Board {
            id: p.id(),
            name: p.label().to_string(),
            is_default: p.bool("is_default"),
            stages,
        });
    }
    Ok(out)
}

pub const STAGE_OUTCOMES: &[&str] = &["open", "won", "lost"];

/// The default sales pipeline made in every new database: (stage, probability %, outcome).
pub const DEFAULT_PIPELINE: &str = "sales";
pub const DEFAULT_STAGES: &[(&str, i64, &str)] = &[
    ("qualification", 10, "open"),
    ("needs analysis", 25, "open"),
    ("proposal", 50, "open"),
    ("negotiation", 75, "open"),
    ("won", 100, "won"),
    ("lost", 0, "lost"),
];

/// Pipelines: the sequences of stages deals move through (configuration).
pub static PIPELINE: Kind = Kind {
    name: "pipeline",
    plural: "pipelines",
    label: "name",
    fields: &[
        listed(required(f("name", Ty::Text))),
        listed(system(f("is_default", Ty::Bool))),
    ],
    default_order: "t.id ASC",
    record: false,
    linkable: false,
    sections: &[Section {
        name: "stages",
        kind: Entity::Stage,
        via: "pipeline",
        only: None,
        sort: "position",
        limit: None,
    }],
    dupes: None,
    synonyms: &[],
    summary: &[],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// Stages of a pipeline, in order, each with a probability and an outcome.
pub static STAGE: Kind = Kind {
    name: "stage",
    plural: "stages",
    label: "name",
    fields: &[
        listed(required(f("pipeline", Ty::Ref(Entity::Pipeline)))),
        listed(required(f("name", Ty::Text))),
        listed(system(f(
            "position",
            Ty::Int {
                min: 0,
                max: 10_000,
            },
        ))),
        listed(f("probability", Ty::Int { min: 0, max: 100 })),
        listed(f("outcome", Ty::Enum(STAGE_OUTCOMES))),
    ],
    default_order: "t.pipeline_id ASC, t.position ASC, t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["probability", "outcome"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name kith gives the default pipeline and its stages has its names in the
    /// catalog (`name.<kind>.<name>`), and each reads back as the stored name.
    #[test]
    fn the_default_names_are_in_the_catalog() {
        use crate::model::record::name_of_label;
        let names = DEFAULT_STAGES
            .iter()
            .map(|(n, _, _)| (Entity::Stage, *n))
            .chain([(Entity::Pipeline, DEFAULT_PIPELINE)]);
        for (e, name) in names {
            let id = format!("name.{}.{}", e.name(), name.replace(' ', "_"));
            assert_eq!(crate::core::text::english(&id), Some(name), "{id}");
            let texts: Vec<&str> = crate::core::text::in_every_language(&id).collect();
            assert_eq!(texts.len(), 2, "{id}: {texts:?}");
            for t in texts {
                assert_eq!(name_of_label(e, t), Some(name), "{t}");
                assert_eq!(name_of_label(e, &t.to_uppercase()), Some(name), "{t}");
            }
        }
        assert_eq!(name_of_label(Entity::Stage, "签约"), None);
        assert_eq!(name_of_label(Entity::Account, "sales"), None);
        assert_eq!(
            name_of_label(Entity::Stage, "  方案报价 "),
            Some("proposal")
        );
    }

    #[test]
    fn stage_specs() {
        let s = StageSpec::parse("demo:40").unwrap();
        assert_eq!(
            (s.name.as_str(), s.probability, s.outcome.as_str()),
            ("demo", 40, "open")
        );
        let s = StageSpec::parse("won").unwrap();
        assert_eq!((s.probability, s.outcome.as_str()), (100, "won"));
        let s = StageSpec::parse("closed lost:0:lost").unwrap();
        assert_eq!(s.outcome, "lost");
        assert!(StageSpec::parse(":10").is_err());
        assert!(StageSpec::parse("x:101").is_err());
        assert!(StageSpec::parse("x:10:maybe").is_err());
        assert!(StageSpec::parse("x:10:open:extra").is_err());
    }
}
