//! The escalations of `kith remind` (升级): a case at risk goes to its assignee; a case past
//! a deadline to its assignee and the assignee's manager (the user records' `manager`); a
//! case nobody took for longer than `case_unassigned_minutes` to the service lead
//! (`service_lead` in `[care]`, else the managers of the users). Each is delivered once, by
//! its key: the case, the clock and that clock's deadline, so a case whose deadline moves
//! (waiting, a new policy) is escalated again for the new one.

use chrono::{DateTime, Duration, Utc};

use crate::core::error::Result;
use crate::domain::sales::remind::{Care, Reminder};
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::Reader;

use crate::core::clock::parse_stamp;

/// The rules, as reminders' kinds and keys name them.
pub const RULES: [&str; 3] = ["case_at_risk", "case_breached", "case_unassigned"];

/// The reminders of the escalation rules `care` has on, at `now`; `fresh` says whether a
/// key is still to be delivered (the rule, the case's id, the key).
pub fn collect(
    r: &Reader<'_>,
    now: DateTime<Utc>,
    care: &Care,
    fresh: &mut dyn FnMut(&str, i64, &str) -> bool,
) -> Result<Vec<Reminder>> {
    let mut out = Vec::new();
    if !(care.case_at_risk || care.case_breached || care.case_unassigned) {
        return Ok(out);
    }
    let stamp = crate::core::clock::stamp(now);
    let unassigned_before =
        crate::core::clock::stamp(now - Duration::minutes(i64::from(care.case_unassigned_minutes)));
    let managers = Managers::read(r)?;
    for case in r.cases_escalating(&stamp, &unassigned_before)? {
        let assignee = case.text("assignee");
        let clocks = [
            ("respond", "responded_at", "respond_risk", "respond_due"),
            ("resolve", "resolved_at", "resolve_risk", "resolve_due"),
        ];
        let mut breached = false;
        for (clock, met, risk, due) in clocks {
            if case.get(met).is_some_and(|v| !v.is_null()) {
                continue;
            }
            let Some(due_at) = case.str(due).map(str::to_string) else {
                continue;
            };
            if care.case_breached && due_at < stamp {
                breached = true;
                let key = format!("case_breached:{}:{clock}:{due_at}", case.id());
                if fresh("case_breached", case.id(), &key) {
                    let mut to = vec![assignee.clone()];
                    to.extend(managers.of(&assignee));
                    to.retain(|t| !t.is_empty());
                    out.push(reminder(
                        "case_breached",
                        &case,
                        &due_at,
                        true,
                        key,
                        crate::tr!(
                            "remind.case_breached",
                            number = case.label(),
                            title = case.text("title"),
                            clock = clock_word(clock)
                        ),
                        to,
                    ));
                }
            } else if care.case_at_risk
                && !breached
                && case.str("status") != Some("waiting")
                && case.str(risk).is_some_and(|r| r <= stamp.as_str())
                && due_at >= stamp
            {
                let key = format!("case_at_risk:{}:{clock}:{due_at}", case.id());
                if fresh("case_at_risk", case.id(), &key) {
                    out.push(reminder(
                        "case_at_risk",
                        &case,
                        &due_at,
                        false,
                        key,
                        crate::tr!(
                            "remind.case_at_risk",
                            number = case.label(),
                            title = case.text("title"),
                            clock = clock_word(clock)
                        ),
                        vec![assignee.clone()]
                            .into_iter()
                            .filter(|a| !a.is_empty())
                            .collect(),
                    ));
                }
            }
        }
        if care.case_unassigned
            && assignee.is_empty()
            && case
                .str("opened")
                .is_some_and(|o| o <= unassigned_before.as_str())
        {
            let key = format!("case_unassigned:{}", case.id());
            if fresh("case_unassigned", case.id(), &key) {
                let opened = case.text("opened");
                let minutes = parse_stamp(&opened).map_or(0, |o| (now - o).num_minutes());
                let to = match &care.service_lead {
                    Some(lead) => vec![lead.clone()],
                    None => managers.leads(),
                };
                out.push(reminder(
                    "case_unassigned",
                    &case,
                    &opened,
                    true,
                    key,
                    crate::plural!(
                        "remind.case_unassigned",
                        minutes,
                        number = case.label(),
                        title = case.text("title")
                    ),
                    to,
                ));
            }
        }
    }
    Ok(out)
}

/// The word of a clock in a reminder.
fn clock_word(clock: &str) -> &'static str {
    if clock == "respond" {
        crate::tr!("service.clock.respond")
    } else {
        crate::tr!("service.clock.resolve")
    }
}

fn reminder(
    rule: &str,
    case: &Record,
    due: &str,
    overdue: bool,
    key: String,
    title: String,
    to: Vec<String>,
) -> Reminder {
    Reminder {
        kind: rule.into(),
        title,
        due: crate::core::clock::local_iso(due).unwrap_or_else(|| due.to_string()),
        record_kind: Entity::Case.name().into(),
        record_id: case.id(),
        detail: case.text("account"),
        overdue,
        key,
        to,
    }
}

/// Who manages whom, from the user records.
struct Managers(Vec<(String, String)>);

impl Managers {
    fn read(r: &Reader<'_>) -> Result<Managers> {
        let users = r.list(
            Entity::User,
            &crate::domain::toolkit::list_query(vec![], "login", None),
            &crate::store::QueryCtx::none(),
        )?;
        let login_of = |id: i64| users.iter().find(|u| u.id() == id).map(|u| u.text("login"));
        Ok(Managers(
            users
                .iter()
                .filter_map(|u| Some((u.text("login"), login_of(u.i64("manager_id")?)?)))
                .collect(),
        ))
    }

    /// The manager of `login`, if any.
    fn of(&self, login: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(u, _)| u == login)
            .map(|(_, m)| m.clone())
    }

    /// Those who manage someone and are managed by nobody: the heads of the tree.
    fn leads(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .0
            .iter()
            .map(|(_, m)| m.clone())
            .filter(|m| self.of(m).is_none())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
