//! Activities (拜访, calls, meetings, emails, notes) and the follow-up task that logging one
//! can create in the same transaction.

use crate::core::error::Result;
use crate::domain::toolkit::{Env, Input, Records};
use crate::model::headers::{COMPANY, CONTACT_REF, DEAL_NAME};
use crate::model::Entity;
use crate::model::{alias, f, listed, required, text, Kind, Ty};
use crate::store::Writer;

/// The follow-up to create with an activity.
#[derive(Debug, Clone, Default)]
pub struct FollowUp {
    pub title: String,
    /// A date word; tomorrow when not given.
    pub due: Option<String>,
    pub priority: Option<String>,
}

/// Log an activity; with `next`, also a task linked to the same records. Returns the
/// activity's id and the task's.
pub fn log(
    w: &mut Writer<'_>,
    env: &Env,
    records: &dyn Records,
    input: &Input,
    next: Option<&FollowUp>,
) -> Result<(i64, Option<i64>)> {
    let id = records.create(w, env, Entity::Activity, input)?;
    let task = match next {
        Some(f) => {
            if f.title.trim().is_empty() {
                return Err(crate::err!(Invalid, "activities.next_follow_up"));
            }
            let activity = w
                .reader()
                .get(Entity::Activity, id)?
                .ok_or_else(|| crate::err!(Failed, "activities.activity_just_logged"))?;
            let mut t = Input::new()
                .with("title", f.title.clone())
                .with("due", f.due.clone().unwrap_or_else(|| "tomorrow".into()));
            if let Some(p) = &f.priority {
                t.set("priority", p.clone());
            }
            for link in ["account", "contact", "lead", "deal", "case"] {
                if let Some(v) = activity.i64(&format!("{link}_id")) {
                    t.set(link, v.to_string());
                }
            }
            if let Some(o) = input.get("owner") {
                t.set("owner", o);
            }
            Some(
                records
                    .create(w, env, Entity::Task, &t)
                    .map_err(|e| e.context("--next"))?,
            )
        }
        None => None,
    };
    Ok((id, task))
}

/// An activity logged with no time happened now.
pub(crate) fn default_time(input: &mut Input) {
    if !input.has("at") {
        input.set("at", "now");
    }
}

pub const ACTIVITY_KINDS: &[&str] = &["call", "visit", "meeting", "email", "note"];

/// Activities (跟进记录): calls, visits, meetings, emails and notes.
pub static ACTIVITY: Kind = Kind {
    name: "activity",
    plural: "activities",
    label: "subject",
    fields: &[
        listed(required(f("kind", Ty::Enum(ACTIVITY_KINDS)))),
        listed(text(required(f("subject", Ty::Text)))),
        listed(required(f("at", Ty::When))),
        text(f("body", Ty::LongText)),
        listed(text(f("outcome", Ty::Text))),
        listed(alias(
            f(
                "minutes",
                Ty::Int {
                    min: 0,
                    max: 100_000,
                },
            ),
            &["duration"],
        )),
        listed(f("account", Ty::Ref(Entity::Account))),
        f("contact", Ty::Ref(Entity::Contact)),
        f("lead", Ty::Ref(Entity::Lead)),
        f("deal", Ty::Ref(Entity::Deal)),
        // A reply on a service case, and the channel it went by.
        f("case", Ty::Ref(Entity::Case)),
        f("via", Ty::Enum(crate::domain::service::cases::CHANNELS)),
        listed(f("owner", Ty::Text)),
        f("tags", Ty::Tags),
    ],
    default_order: "t.at DESC, t.id DESC",
    record: true,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[
        (
            "subject",
            &["主题", "标题", "事由", "title", "topic", "summary"],
        ),
        (
            "kind",
            &["类型", "活动类型", "方式", "type", "activity type"],
        ),
        (
            "body",
            &[
                "内容",
                "详情",
                "记录",
                "备注",
                "说明",
                "description",
                "details",
                "notes",
                "note",
                "comments",
            ],
        ),
        ("account", COMPANY),
        ("contact", CONTACT_REF),
        ("deal", DEAL_NAME),
        ("case", &["工单", "case"]),
        ("via", &["渠道", "回复渠道", "channel"]),
    ],
    summary: &["kind", "at"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};
