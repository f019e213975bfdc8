//! Tasks (跟进): recurrence and completion. A repeating task has a rule (`--repeat` daily,
//! weekdays, every 2 weeks, an RRULE) or a chain (`--chain 7d`: due that long after the
//! previous one is done). Marking it done makes the next occurrence at once, with the same
//! title, links, owner, priority, tags and notes, in the same transaction.

use serde_json::Value;

use crate::core::dates::{parse_when, stored};
use crate::core::error::{Error, Result};
use crate::core::recur::Recurrence;
use crate::domain::toolkit::{when_text, Env, Input, Records};
use crate::model::headers::{COMPANY, CONTACT_REF, DEAL_NAME};
use crate::model::record::Record;
use crate::model::Entity;
use crate::model::{f, listed, required, system, text, Kind, Ty};
use crate::store::{Values, Writer};

/// What `repeat` / `chain` in an input ask for: nothing, a new rule, or no rule any more.
pub(crate) enum RuleChange {
    Keep,
    Set(Recurrence),
    Clear,
}

/// Take `repeat` (a rule, or `none`) and `chain` (a duration) out of an input.
pub(crate) fn take_rule(input: &mut Input) -> Result<RuleChange> {
    let repeat = input.take("repeat");
    let chain = input.take("chain");
    match (repeat, chain) {
        (Some(_), Some(_)) => Err(crate::err!(Invalid, "tasks.repeat_chain_task")),
        (Some(r), None)
            if matches!(
                r.trim().to_lowercase().as_str(),
                "" | "none" | "no" | "never"
            ) =>
        {
            Ok(RuleChange::Clear)
        }
        (Some(r), None) => Ok(RuleChange::Set(
            Recurrence::parse_repeat(&r).map_err(|e| e.context("--repeat"))?,
        )),
        (None, Some(c)) => Ok(RuleChange::Set(
            Recurrence::parse_chain(&c).map_err(|e| e.context("--chain"))?,
        )),
        (None, None) => Ok(RuleChange::Keep),
    }
}

/// Put a rule change into the values to write. A rule needs a due date to start from.
pub(crate) fn apply_rule(
    change: RuleChange,
    values: &mut Values,
    existing: Option<&Record>,
) -> Result<()> {
    let due = values
        .iter()
        .find(|(c, _)| c == "due")
        .map(|(_, v)| !v.is_null())
        .unwrap_or_else(|| existing.and_then(|r| r.get("due")).is_some());
    match change {
        RuleChange::Keep => {
            if !due && existing.and_then(|r| r.get("recurrence")).is_some() {
                return Err(crate::err!(Invalid, "tasks.due_repeating_task"));
            }
        }
        RuleChange::Set(rule) => {
            if !due {
                return Err(crate::err!(Invalid, "tasks.repeating_task_needs"));
            }
            values.push(("recurrence".into(), Value::String(rule.to_stored())));
        }
        RuleChange::Clear => values.push(("recurrence".into(), Value::Null)),
    }
    Ok(())
}

/// A task just marked done: make its next occurrence if it repeats. Returns the new id.
/// A task's rules on an update's checked values: marked done, it is stamped done now (and
/// the caller makes its next occurrence when this says so); opened again, it is not done;
/// its repeating rule changes as asked. Returns whether it was just marked done.
pub(crate) fn on_update(
    env: &Env,
    rule: RuleChange,
    values: &mut Values,
    existing: &Record,
) -> Result<bool> {
    let mut now_done = false;
    if let Some((_, Value::Bool(done))) = values.iter().find(|(c, _)| c == "done") {
        let was = existing.bool("done");
        if *done && !was {
            values.push(("done_at".into(), Value::String(env.clock.stamp())));
            now_done = true;
        } else if !*done && was {
            values.push(("done_at".into(), Value::Null));
        }
    }
    apply_rule(rule, values, Some(existing))?;
    Ok(now_done)
}

pub(crate) fn next_occurrence(w: &mut Writer<'_>, env: &Env, id: i64) -> Result<Option<i64>> {
    let task = w
        .reader()
        .get(Entity::Task, id)?
        .ok_or_else(|| crate::err!(Failed, "tasks.task_vanished", id = id))?;
    let (Some(rule), Some(due)) = (task.str("recurrence"), task.str("due").and_then(stored)) else {
        return Ok(None);
    };
    let rule = Recurrence::from_stored(rule)?;
    let Some((next_due, next_rule)) = rule.advance(due, env.clock.now())? else {
        return Ok(None);
    };
    // Every occurrence points at the first one. Done, reopened and done again: the next
    // occurrence is there already.
    let first = task.i64("parent_id").unwrap_or(id);
    let due_text = when_text(next_due);
    let q = crate::domain::toolkit::list_query(
        vec![
            crate::domain::toolkit::by("parent", first),
            crate::model::query::Term::Field {
                field: "due".into(),
                op: crate::model::query::Op::Eq,
                value: due_text.clone(),
            },
        ],
        "",
        Some(1),
    );
    if !w.reader().list(Entity::Task, &q, &env.ctx())?.is_empty() {
        return Ok(None);
    }
    let mut values: Values = Vec::new();
    for col in [
        "title",
        "priority",
        "account_id",
        "contact_id",
        "lead_id",
        "deal_id",
        "owner",
        "tags",
        "notes",
    ] {
        if let Some(v) = task.fields.get(col).filter(|v| !v.is_null()) {
            values.push((col.into(), v.clone()));
        }
    }
    values.push(("due".into(), Value::String(due_text)));
    values.push(("recurrence".into(), Value::String(next_rule.to_stored())));
    values.push(("parent_id".into(), Value::from(first)));
    Ok(Some(w.insert(Entity::Task, &values)?))
}

/// Mark a task done (or open again). Returns the next occurrence made, if any.
pub fn set_done(
    w: &mut Writer<'_>,
    env: &Env,
    records: &dyn Records,
    id: i64,
    done: bool,
) -> Result<Option<i64>> {
    let input = Input::new().with("done", if done { "yes" } else { "no" });
    Ok(records.update(w, env, Entity::Task, id, &input)?.next_task)
}

/// Put a task off: a new due from a date word (`+2d`, `tomorrow 9am`, `mon`).
pub fn snooze(
    w: &mut Writer<'_>,
    env: &Env,
    records: &dyn Records,
    id: i64,
    when: &str,
) -> Result<String> {
    let due =
        when_text(parse_when(when, env.clock.now()).map_err(|e| Error::from(e).context("snooze"))?);
    records.update(
        w,
        env,
        Entity::Task,
        id,
        &Input::new().with("due", due.clone()),
    )?;
    Ok(due)
}

pub const PRIORITIES: &[&str] = &["low", "normal", "high"];

/// Tasks (任务): things to do by a date, possibly recurring.
pub static TASK: Kind = Kind {
    name: "task",
    plural: "tasks",
    label: "title",
    fields: &[
        listed(text(required(f("title", Ty::Text)))),
        listed(f("due", Ty::When)),
        listed(f("priority", Ty::Enum(PRIORITIES))),
        listed(f("done", Ty::Bool)),
        system(f("done_at", Ty::Stamp)),
        listed(f("account", Ty::Ref(Entity::Account))),
        f("contact", Ty::Ref(Entity::Contact)),
        f("lead", Ty::Ref(Entity::Lead)),
        f("deal", Ty::Ref(Entity::Deal)),
        f("case", Ty::Ref(Entity::Case)),
        listed(f("owner", Ty::Text)),
        f("tags", Ty::Tags),
        text(f("notes", Ty::LongText)),
        // Room for recurrence: the rule, and the task this occurrence was made from.
        system(f("recurrence", Ty::Text)),
        system(f("parent", Ty::Ref(Entity::Task))),
    ],
    default_order: "t.done ASC, t.due ASC NULLS LAST, t.id ASC",
    record: true,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[
        ("case", &["工单"]),
        (
            "title",
            &[
                "任务",
                "任务名称",
                "标题",
                "事项",
                "名称",
                "主题",
                "name",
                "task",
                "task name",
                "subject",
            ],
        ),
        ("account", COMPANY),
        ("contact", CONTACT_REF),
        ("deal", DEAL_NAME),
    ],
    summary: &["due"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};
