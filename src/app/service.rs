//! The service desk at the front door: the verbs of cases, calendars and policies for both
//! faces, a case's thread (its replies and changes in time order), the working time left
//! on a case's nearest clock, and making a case from a mail message.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::app::crm::{AllKinds, Crm};
use crate::core::error::Result;
use crate::domain::service::calendars::{self, ShownDay};
use crate::domain::service::{cases, clocks, slas};
use crate::domain::toolkit::{by, list_query, Input};
use crate::model::record::Record;
use crate::model::Entity;

/// One entry of a case's thread.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ThreadItem {
    /// When, as stored: a local date-time for a reply, a UTC stamp for a change.
    pub at: String,
    /// Who wrote it or made the change.
    pub user: String,
    /// `reply` (an activity on the case) or `change`.
    pub kind: String,
    /// A reply's channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// A reply's text, or what changed (`status: new → assigned`).
    pub text: String,
    /// The activity of a reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<i64>,
}

/// The fields of a case whose changes its thread tells (the clocks' moments follow them
/// and are left out).
const TOLD: &[&str] = &[
    "status",
    "assignee",
    "type",
    "priority",
    "policy_id",
    "resolution",
    "reason",
    "breach_reason",
    "deal_id",
];

impl Crm {
    pub fn assign_case(&mut self, id: i64, user: &str) -> Result<bool> {
        self.write(|w, env| cases::assign(w, env, id, user))
    }

    /// Reply on a case; returns the activity's id.
    pub fn reply_case(&mut self, id: i64, text: &str, channel: Option<&str>) -> Result<i64> {
        self.write(|w, env| cases::reply(w, env, &AllKinds, id, text, channel))
    }

    pub fn wait_case(&mut self, id: i64) -> Result<()> {
        self.write(|w, env| cases::wait(w, env, id))
    }

    pub fn resume_case(&mut self, id: i64) -> Result<()> {
        self.write(|w, env| cases::resume(w, env, id))
    }

    pub fn resolve_case(&mut self, id: i64, resolution: &str) -> Result<()> {
        self.write(|w, env| cases::resolve(w, env, id, resolution))
    }

    /// Close a case; with `survey`, the return-visit task's id.
    pub fn close_case(&mut self, id: i64, survey: bool) -> Result<Option<i64>> {
        self.write(|w, env| cases::close(w, env, &AllKinds, id, survey))
    }

    pub fn reopen_case(&mut self, id: i64, reason: &str) -> Result<()> {
        self.write(|w, env| cases::reopen(w, env, id, reason))
    }

    /// Turn a case into a deal; the deal's id.
    pub fn case_to_deal(&mut self, id: i64, title: Option<&str>) -> Result<i64> {
        self.write(|w, env| cases::to_deal(w, env, &AllKinds, id, title))
    }

    /// A case's replies and changes, oldest first.
    pub fn case_thread(&self, id: i64) -> Result<Vec<ThreadItem>> {
        let r = self.reader();
        let mut out = Vec::new();
        let replies = r.list(
            Entity::Activity,
            &list_query(vec![by("case", id)], "at", None),
            &self.env.ctx(),
        )?;
        for a in replies {
            let body = match a.text("body") {
                b if b.is_empty() => a.text("subject"),
                b => b,
            };
            out.push(ThreadItem {
                at: utc_of_local(&a.text("at")),
                user: a.text("owner"),
                kind: "reply".into(),
                channel: a.str("via").map(str::to_string),
                text: body,
                activity: Some(a.id()),
            });
        }
        for c in r.history(Entity::Case, id)? {
            let mut told = Vec::new();
            if c.op == "create" {
                told.push(crate::tr!("service.thread.opened").to_string());
            }
            for f in TOLD {
                let before = c.before.get(*f).filter(|v| !v.is_null());
                let after = c.after.get(*f).filter(|v| !v.is_null());
                if c.op != "create" && before == after || after.is_none() && before.is_none() {
                    continue;
                }
                if c.op == "update" && c.after.get(*f).is_none() {
                    continue;
                }
                let target = match *f {
                    "policy_id" => Some(Entity::Sla),
                    "deal_id" => Some(Entity::Deal),
                    _ => None,
                };
                let show = |v: Option<&Value>| match (v, target) {
                    (Some(Value::Number(n)), Some(e)) => n
                        .as_i64()
                        .and_then(|id| r.get(e, id).ok().flatten())
                        .map_or_else(|| n.to_string(), |rec| rec.label().to_string()),
                    (Some(Value::String(s)), _) => s.clone(),
                    (Some(v), _) => v.to_string(),
                    (None, _) => "—".into(),
                };
                told.push(format!(
                    "{}: {} → {}",
                    f.trim_end_matches("_id"),
                    show(before),
                    show(after)
                ));
            }
            if told.is_empty() {
                continue;
            }
            // The changes of one moment by one user are one entry.
            if let Some(last) = out.last_mut().filter(|l: &&mut ThreadItem| {
                l.kind == "change" && l.at == c.at && l.user == c.user
            }) {
                last.text = format!("{}; {}", last.text, told.join("; "));
                continue;
            }
            out.push(ThreadItem {
                at: c.at.clone(),
                user: c.user.clone(),
                kind: "change".into(),
                channel: None,
                text: told.join("; "),
                activity: None,
            });
        }
        // Replies and changes of the same second keep their order: the reply first.
        out.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(out)
    }

    /// The working time left on each case's nearest running clock (negative once past), in
    /// seconds, by id: what the queue counts down.
    pub fn cases_left(&self, cases: &[Record]) -> Result<Vec<(i64, Option<i64>)>> {
        let r = self.reader();
        let mut cals = clocks::Calendars::default();
        let now = self.env.clock.utc();
        cases
            .iter()
            .map(|c| Ok((c.id(), clocks::left(&mut cals, &r, c, now)?)))
            .collect()
    }

    /// Mark days of a calendar as holidays or make-up working days; how many.
    pub fn mark_days(
        &mut self,
        calendar: i64,
        range: &str,
        kind: &str,
        name: Option<&str>,
    ) -> Result<usize> {
        self.write(|w, env| {
            let range = calendars::parse_range(env, range)?;
            calendars::mark(w, env, calendar, range, kind, name)
        })
    }

    /// Take the marks off days of a calendar; how many.
    pub fn unmark_days(&mut self, calendar: i64, range: &str) -> Result<usize> {
        self.write(|w, env| {
            let range = calendars::parse_range(env, range)?;
            calendars::unmark(w, env, calendar, range)
        })
    }

    /// Read an .ics of holidays into a calendar: (holidays, workdays).
    pub fn import_holidays(&mut self, calendar: i64, text: &str) -> Result<(usize, usize)> {
        self.write(|w, env| calendars::import_ics(w, env, calendar, text))
    }

    /// The days of a calendar from `from` to `to` (date words; two weeks when not given),
    /// with their hours.
    pub fn calendar_days(
        &self,
        calendar: i64,
        from: &str,
        to: Option<&str>,
    ) -> Result<Vec<ShownDay>> {
        let day = |t: &str, flag: &str| -> Result<NaiveDate> {
            crate::core::dates::parse_date(t, self.env.clock.now())
                .map_err(|e| crate::core::error::Error::from(e).context(flag))
        };
        let from = day(from, "--from")?;
        let to = match to {
            Some(t) => day(t, "--to")?,
            None => from + chrono::Duration::days(13),
        };
        calendars::show(&self.reader(), calendar, from, to)
    }

    /// Put a policy at a place in the order.
    pub fn move_policy(&mut self, id: i64, to: i64) -> Result<()> {
        self.write(|w, env| {
            slas::move_to(w, id, to)?;
            clocks::follow_policies(w, env)
        })
    }

    /// The policies in their order.
    pub fn policies(&self) -> Result<Vec<Record>> {
        slas::policies(&self.reader(), false)
    }

    /// Make a case from a mail message: its subject the title, its text the description,
    /// its sender the contact (and so the account) with that email — or, with
    /// `create_missing`, a new contact, and an account named after the sender's domain
    /// when none is given. `input` holds what the command line adds (type, priority …).
    pub fn case_from_mail(
        &mut self,
        mail: &crate::io::mail::Mail,
        mut input: Input,
        create_missing: bool,
    ) -> Result<i64> {
        let email = mail
            .from_email
            .clone()
            .ok_or_else(|| crate::err!(Invalid, "mail.no_sender"))?;
        if !input.has("title") {
            let subject = mail.subject.clone().unwrap_or_default();
            let title = match subject.trim() {
                "" => crate::tr!("mail.no_subject").to_string(),
                s => s.to_string(),
            };
            input.set("title", title);
        }
        if !input.has("description") && !mail.body.trim().is_empty() {
            input.set("description", mail.body.clone());
        }
        if !input.has("channel") {
            input.set("channel", "email");
        }
        if !input.has("type") {
            input.set("type", "inquiry");
        }
        let found = self.reader().list(
            Entity::Contact,
            &list_query(
                vec![crate::model::query::Term::Field {
                    field: "emails".into(),
                    op: crate::model::query::Op::Eq,
                    value: email.clone(),
                }],
                "id",
                Some(2),
            ),
            &self.env.ctx(),
        )?;
        let name = mail
            .from_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
        self.write(|w, env| {
            use crate::domain::toolkit::Records;
            let contact = match found.first() {
                Some(c) => Some(c.id()),
                None if create_missing => {
                    let mut c = Input::new()
                        .with("name", name.clone())
                        .with("emails", email.clone());
                    if !input.has("account") {
                        let domain = email.rsplit('@').next().unwrap_or_default().to_string();
                        let existing = crate::domain::toolkit::with_value(
                            &w.reader(),
                            Entity::Account,
                            "name",
                            &domain,
                            false,
                            1,
                        )?;
                        let account = match existing.first() {
                            Some(a) => a.id(),
                            None => AllKinds.create(
                                w,
                                env,
                                Entity::Account,
                                &Input::new()
                                    .with("name", domain)
                                    .with("website", email.rsplit('@').next().unwrap_or_default()),
                            )?,
                        };
                        input.set("account", account.to_string());
                    }
                    if let Some(a) = input.get("account") {
                        c.set("account", a);
                    }
                    Some(AllKinds.create(w, env, Entity::Contact, &c)?)
                }
                None => {
                    if !input.has("account") {
                        return Err(crate::err!(Invalid, "mail.unknown_sender", email = email));
                    }
                    None
                }
            };
            if let Some(c) = contact {
                if !input.has("contact") {
                    input.set("contact", c.to_string());
                }
            }
            AllKinds.create(w, env, Entity::Case, &input)
        })
    }
}

/// A local date-time as stored (`2026-05-06T09:30:00`) as a UTC stamp, so replies and
/// changes sort together.
fn utc_of_local(local: &str) -> String {
    match crate::core::dates::stored(local) {
        Some(crate::core::dates::When::DateTime(t)) => {
            crate::core::clock::Clock::at_local(t).stamp()
        }
        Some(crate::core::dates::When::Date(d)) => {
            crate::core::clock::Clock::at_local(d.and_time(chrono::NaiveTime::MIN)).stamp()
        }
        None => local.to_string(),
    }
}

/// The surveys of a record summed up, as the interface shows them.
pub use crate::store::Satisfaction;

impl Crm {
    /// How satisfied a case's, a contact's or an account's customers were: the number of
    /// their surveys, the average score and the latest NPS; `None` without surveys.
    pub fn satisfaction(&self, entity: Entity, id: i64) -> Result<Option<Satisfaction>> {
        self.reader().satisfaction(entity, id)
    }

    /// The open cases assigned to the acting user whose clock is at risk or breached, the
    /// nearest deadline first (at most `limit`): what Today warns of.
    pub fn my_cases_at_risk(&self, limit: usize) -> Result<Vec<Record>> {
        use crate::model::query::{Op, Term};
        let term = |f: &str, v: &str| Term::Field {
            field: f.into(),
            op: Op::Eq,
            value: v.into(),
        };
        let mut out = Vec::new();
        for state in ["breached", "at-risk"] {
            let q = list_query(
                vec![
                    term("status", "open"),
                    term("assignee", &self.env.user),
                    term("sla", state),
                ],
                "due",
                Some(limit),
            );
            out.extend(self.reader().list(Entity::Case, &q, &self.env.ctx())?);
        }
        // Nearest deadline first; a case without one (its clocks met) last.
        out.sort_by(|a, b| {
            let due = |r: &Record| r.str("due").map(str::to_string);
            (due(a).is_none(), due(a), a.id()).cmp(&(due(b).is_none(), due(b), b.id()))
        });
        out.truncate(limit);
        Ok(out)
    }
}
