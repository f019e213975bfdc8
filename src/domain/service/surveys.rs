//! Surveys of satisfaction (满意度调查) and return visits (回访): a score from 1 to 5, and
//! optionally the customer's likelihood to recommend (NPS, 0 to 10), after a case or of an
//! account. A survey of a case is also of its account and contact, so the scores show on
//! all three.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::commerce::shared::{default_to, live, value_of};
use crate::domain::toolkit::{validate, Env, Input};
use crate::model::{f, listed, required, system, text, Entity, Kind, Ty};
use crate::store::Writer;

/// Surveys.
pub static SURVEY: Kind = Kind {
    name: "survey",
    plural: "surveys",
    label: "name",
    fields: &[
        // Made by kith: what it was of, and when (CS-2026-0001 2026-05-06).
        listed(system(f("name", Ty::Text))),
        listed(f("case", Ty::Ref(Entity::Case))),
        listed(f("account", Ty::Ref(Entity::Account))),
        f("contact", Ty::Ref(Entity::Contact)),
        listed(required(f("score", Ty::Int { min: 1, max: 5 }))),
        listed(f("nps", Ty::Int { min: 0, max: 10 })),
        text(f("comment", Ty::LongText)),
        listed(f("on", Ty::Date)),
        listed(f("owner", Ty::Text)),
    ],
    default_order: "t.\"on\" DESC, t.id DESC",
    record: true,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[
        ("score", &["满意度", "评分", "打分", "satisfaction", "csat"]),
        ("nps", &["推荐度", "净推荐值", "nps"]),
        ("comment", &["评价", "意见", "备注", "comment", "comments"]),
        ("on", &["回访日期", "调查日期", "日期", "date"]),
        ("case", &["工单", "case"]),
        ("account", crate::model::headers::COMPANY),
        ("contact", crate::model::headers::CONTACT_REF),
        ("owner", &["负责人", "回访人", "owner"]),
    ],
    summary: &["score", "nps", "on"],
    hint: Some("account"),
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// Create a survey: of a case (and so of its account and contact, by its assignee unless
/// given) or of an account; dated today unless given.
pub fn create(w: &mut Writer<'_>, env: &Env, input: Input) -> Result<i64> {
    let mut values = validate(&w.reader(), env, Entity::Survey, &input, None)?;
    let named = |c: &str| value_of(&values, c).and_then(|v| v.as_i64());
    let of;
    if let Some(case) = named("case_id") {
        let c = live(&w.reader(), Entity::Case, case)?;
        if let (Some(a), Some(b)) = (named("account_id"), c.i64("account_id")) {
            if a != b {
                return Err(crate::err!(
                    Invalid,
                    "surveys.account_elsewhere",
                    number = c.label()
                ));
            }
        }
        for col in ["account_id", "contact_id"] {
            if let Some(v) = c.get(col) {
                default_to(&mut values, col, v.clone());
            }
        }
        let assignee = c.text("assignee");
        if !assignee.is_empty() {
            default_to(&mut values, "owner", Value::String(assignee));
        }
        of = c.label().to_string();
    } else if let Some(acc) = named("account_id") {
        of = live(&w.reader(), Entity::Account, acc)?.label().to_string();
    } else {
        return Err(crate::err!(Invalid, "surveys.of_what"));
    }
    default_to(&mut values, "owner", Value::String(env.user.clone()));
    default_to(
        &mut values,
        "on",
        Value::String(env.clock.today().format("%Y-%m-%d").to_string()),
    );
    let on = value_of(&values, "on")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    values.push(("name".into(), Value::String(format!("{of} {on}"))));
    crate::domain::team::users::check_owner(&w.reader(), &values, None)?;
    w.insert(Entity::Survey, &values)
}
