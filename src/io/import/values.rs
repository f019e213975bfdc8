//! Values of choice fields as other tools write them: a deal's stage (`Closed Won`,
//! `Negotiation/Review`, HubSpot's `closedwon`), an account's type, tier or status, a lead's
//! status. `--map-values FIELD:'FROM=TO,…'` maps them by hand; the usual words of the
//! common tools are known; a value still unknown rejects its row, and the import names
//! every such value once, with how many rows had it.

use std::collections::HashMap;

use serde::Serialize;

use crate::app::crm::Input;
use crate::core::error::Result;
use crate::model::record::Record;
use crate::model::{Entity, Ty};
use crate::store::{QueryCtx, Reader};

/// `--map-values` of one field: (from, to) pairs, compared loosely (case, spaces and
/// punctuation ignored).
pub type ValueMap = (String, Vec<(String, String)>);

/// Parse `FIELD:FROM=TO[,FROM=TO…]`.
pub fn parse_map_values(spec: &str) -> Result<ValueMap> {
    let bad = |why: &str| {
        crate::err!(
            Invalid,
            "import.map_values_expected",
            spec = spec,
            why = why
        )
    };
    let (field, pairs) = spec
        .split_once(':')
        .ok_or_else(|| bad("no ':' after FIELD"))?;
    let field = field.trim();
    if field.is_empty() {
        return Err(bad("no FIELD"));
    }
    let mut out = Vec::new();
    for pair in pairs.split(',').filter(|p| !p.trim().is_empty()) {
        let (from, to) = pair
            .rsplit_once('=')
            .ok_or_else(|| bad(&format!("'{}' has no '='", pair.trim())))?;
        let (from, to) = (from.trim(), to.trim());
        if from.is_empty() {
            return Err(bad("a FROM is empty"));
        }
        out.push((from.to_string(), to.to_string()));
    }
    if out.is_empty() {
        return Err(bad("no FROM=TO pair"));
    }
    Ok((field.to_string(), out))
}

/// Values no choice took, per field, for the message at the end of an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Unknown {
    pub field: String,
    /// Each value with the number of rows that had it, in the order first seen.
    pub values: Vec<(String, usize)>,
    /// What the field takes (stage names of the pipeline, an enum's words).
    pub choices: Vec<String>,
}

/// What a run of rows learnt: the stages of each pipeline, the unknown values.
#[derive(Default)]
pub struct Tally {
    stages: HashMap<i64, (String, Vec<Record>)>,
    pub unknown: Vec<Unknown>,
}

impl Tally {
    fn note(&mut self, field: &str, value: &str, choices: Vec<String>) {
        let i = match self.unknown.iter().position(|u| u.field == field) {
            Some(i) => i,
            None => {
                self.unknown.push(Unknown {
                    field: field.to_string(),
                    values: vec![],
                    choices,
                });
                self.unknown.len() - 1
            }
        };
        let u = &mut self.unknown[i];
        match u.values.iter_mut().find(|(v, _)| v == value) {
            Some((_, n)) => *n += 1,
            None => u.values.push((value.to_string(), 1)),
        }
    }

    /// The message naming every unknown value and the `--map-values` that maps them.
    pub fn message(&self) -> Option<String> {
        if self.unknown.is_empty() {
            return None;
        }
        let lines: Vec<String> = self.unknown.iter().map(describe).collect();
        Some(lines.join("\n"))
    }
}

/// One field's unknown values as a message line.
pub fn describe(u: &Unknown) -> String {
    let values: Vec<String> = u
        .values
        .iter()
        .map(|(v, n)| crate::plural!("import.value_rows", *n, value = v))
        .collect();
    let example: Vec<String> = u
        .values
        .iter()
        .map(|(v, _)| format!("{}={}", v.replace('\'', "'\\''"), guess(v, &u.choices)))
        .collect();
    crate::plural!(
        "import.unknown_values",
        u.values.len(),
        field = u.field,
        values = values.join(", "),
        example = example.join(","),
        choices = u.choices.join(", ")
    )
}

/// The choice a value most likely means, for the example in a message: one whose name is
/// in the value or the other way round, else the first.
fn guess<'a>(value: &str, choices: &'a [String]) -> &'a str {
    let v = loose(value);
    choices
        .iter()
        .find(|c| {
            let c = loose(c);
            !c.is_empty() && (v.contains(&c) || c.contains(&v))
        })
        .or(choices.first())
        .map_or("…", |c| c.as_str())
}

/// Loose comparison of values: lower case without spaces and punctuation.
fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Stage names of the tools people come from, as the default stages of kith (or the
/// outcome `won` / `lost`).
const STAGE_WORDS: &[(&str, &[&str])] = &[
    (
        "qualification",
        &[
            "prospecting",
            "prospect",
            "qualify",
            "qualified",
            "qualifiedtobuy",
            "appointmentscheduled",
            "lead in",
            "contact made",
            "new",
            "初步接触",
            "意向客户",
            "线索",
            "验证客户",
        ],
    ),
    (
        "needs analysis",
        &[
            "needs analysis",
            "needs defined",
            "value proposition",
            "id. decision makers",
            "identify decision makers",
            "perception analysis",
            "presentationscheduled",
            "decisionmakerboughtin",
            "demo scheduled",
            "需求分析",
            "需求确认",
            "方案制定",
        ],
    ),
    (
        "proposal",
        &[
            "proposal/price quote",
            "price quote",
            "quote",
            "proposal made",
            "quotation",
            "报价",
            "方案报价",
            "提交方案",
        ],
    ),
    (
        "negotiation",
        &[
            "negotiation/review",
            "negotiations started",
            "review",
            "contractsent",
            "contract sent",
            "谈判",
            "商务谈判",
            "谈判审核",
            "合同审批",
        ],
    ),
    (
        "=won",
        &[
            "closed won",
            "closedwon",
            "won",
            "win",
            "赢单",
            "成交",
            "已成交",
            "签约",
            "赢单关闭",
        ],
    ),
    (
        "=lost",
        &[
            "closed lost",
            "closedlost",
            "lost",
            "closed-lost to competition",
            "closed lost to competition",
            "输单",
            "丢单",
            "失败",
            "输单关闭",
        ],
    ),
];

/// The words of other tools for the values of kith's choice fields: (entity or "" for
/// any, field, kith's value, words).
const CHOICE_WORDS: &[(&str, &str, &str, &[&str])] = &[
    (
        "account",
        "type",
        "customer",
        &[
            "customer - direct",
            "customer - channel",
            "客户",
            "签约客户",
            "成交客户",
        ],
    ),
    (
        "account",
        "type",
        "partner",
        &[
            "channel partner / reseller",
            "technology partner",
            "installation partner",
            "reseller",
            "合作伙伴",
        ],
    ),
    ("account", "type", "prospect", &["潜在客户", "意向客户"]),
    ("account", "type", "supplier", &["vendor", "供应商"]),
    ("account", "type", "competitor", &["竞争对手"]),
    ("account", "type", "distributor", &["经销商", "代理商"]),
    (
        "lead",
        "status",
        "new",
        &[
            "open - not contacted",
            "not contacted",
            "open",
            "未联系",
            "新线索",
        ],
    ),
    (
        "lead",
        "status",
        "contacted",
        &[
            "working - contacted",
            "attempted to contact",
            "attempted_to_contact",
            "connected",
            "in progress",
            "contact in future",
            "已联系",
            "跟进中",
        ],
    ),
    (
        "lead",
        "status",
        "qualified",
        &["open deal", "pre-qualified", "已确认", "合格"],
    ),
    (
        "lead",
        "status",
        "converted",
        &["closed - converted", "已转化"],
    ),
    (
        "lead",
        "status",
        "disqualified",
        &[
            "closed - not converted",
            "unqualified",
            "not qualified",
            "junk lead",
            "lost lead",
            "bad timing",
            "无效",
            "不合格",
        ],
    ),
    // Cases, as helpdesks (Zendesk, Freshdesk, osTicket) and Chinese service desks export
    // them.
    (
        "case",
        "type",
        "complaint",
        &["problem", "incident", "投诉", "客诉", "投诉工单", "故障"],
    ),
    (
        "case",
        "type",
        "inquiry",
        &[
            "question",
            "enquiry",
            "咨询",
            "询问",
            "咨询工单",
            "问题咨询",
        ],
    ),
    (
        "case",
        "type",
        "suggestion",
        &[
            "feature request",
            "feedback",
            "idea",
            "建议",
            "意见",
            "意见建议",
        ],
    ),
    ("case", "priority", "low", &["低", "不急"]),
    (
        "case",
        "priority",
        "normal",
        &["medium", "普通", "一般", "中", "正常"],
    ),
    ("case", "priority", "high", &["高", "重要"]),
    (
        "case",
        "priority",
        "urgent",
        &["critical", "emergency", "紧急", "特急", "非常紧急"],
    ),
    (
        "case",
        "channel",
        "phone",
        &["call", "电话", "热线", "400电话"],
    ),
    (
        "case",
        "channel",
        "email",
        &["mail", "e-mail", "邮件", "邮箱", "电子邮件"],
    ),
    (
        "case",
        "channel",
        "wechat",
        &["weixin", "微信", "企业微信", "公众号"],
    ),
    (
        "case",
        "channel",
        "visit",
        &["walk-in", "上门", "现场", "来访"],
    ),
    (
        "case",
        "channel",
        "web",
        &[
            "portal",
            "chat",
            "web form",
            "网站",
            "在线",
            "在线客服",
            "官网",
        ],
    ),
    ("case", "channel", "other", &["其他", "其它"]),
];

/// Map the choice values of one row: `--map-values` first, then kith's own words (exact,
/// or a unique prefix), then the usual words of other tools. A value still unknown is
/// tallied and rejects the row.
pub fn normalise(
    r: &Reader<'_>,
    entity: Entity,
    input: &mut Input,
    maps: &[ValueMap],
    tally: &mut Tally,
) -> Result<()> {
    for (field, pairs) in maps {
        let name = entity.field(field).map_or(field.as_str(), |f| f.name);
        for (f, v) in input.values.iter_mut() {
            if f == name {
                if let Some((_, to)) = pairs.iter().find(|(from, _)| loose(from) == loose(v)) {
                    *v = to.clone();
                }
            }
        }
    }
    // A mapped value that became empty means "no value".
    input.values.retain(|(_, v)| !v.trim().is_empty());
    for i in 0..input.values.len() {
        let (field, value) = input.values[i].clone();
        let Some(f) = entity.field(&field) else {
            continue;
        };
        match f.ty {
            Ty::Enum(choices) => {
                if crate::model::choose(choices, &value).is_some() {
                    continue;
                }
                let word = CHOICE_WORDS
                    .iter()
                    .filter(|(e, fld, _, _)| {
                        (e.is_empty() || *e == entity.name()) && *fld == f.name
                    })
                    .find(|(_, _, _, words)| words.iter().any(|w| loose(w) == loose(&value)))
                    .map(|(_, _, to, _)| *to);
                match word {
                    Some(to) => input.values[i].1 = to.to_string(),
                    None => {
                        tally.note(
                            f.name,
                            value.trim(),
                            choices.iter().map(|c| c.to_string()).collect(),
                        );
                        return Err(crate::err!(
                            Invalid,
                            "import.one_map_map",
                            field = f.name,
                            value = value.trim(),
                            choices = choices.join(", ")
                        ));
                    }
                }
            }
            Ty::Ref(Entity::Stage) => {
                if let Some(v) = stage(r, input, &value, tally)? {
                    input.values[i].1 = v;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A deal's stage value as one the pipeline has: `Some(#id)` for a word mapped to a stage,
/// `None` to leave it (a stage name or prefix, or a pipeline that does not resolve, which
/// the deal rules report).
fn stage(r: &Reader<'_>, input: &Input, value: &str, tally: &mut Tally) -> Result<Option<String>> {
    let t = value.trim();
    if t.trim_start_matches('#').parse::<i64>().is_ok() {
        return Ok(None);
    }
    let pipeline = match input.get("pipeline") {
        Some(p) => match crate::domain::sales::pipelines::resolve(r, p) {
            Ok(p) => p,
            Err(_) => return Ok(None),
        },
        None => crate::domain::sales::pipelines::default_pipeline(r)?,
    };
    let id = pipeline.id();
    if let std::collections::hash_map::Entry::Vacant(e) = tally.stages.entry(id) {
        let all = crate::domain::sales::pipelines::stages(r, id, &QueryCtx::none())?;
        e.insert((pipeline.label().to_string(), all));
    }
    let (pname, stages) = &tally.stages[&id];
    let lower = t.to_lowercase();
    let by_name = stages.iter().any(|s| s.label().eq_ignore_ascii_case(t))
        || stages
            .iter()
            .filter(|s| !lower.is_empty() && s.label().to_lowercase().starts_with(&lower))
            .count()
            == 1;
    if by_name {
        return Ok(None);
    }
    if let Some(s) = stages.iter().find(|s| loose(s.label()) == loose(t)) {
        return Ok(Some(format!("#{}", s.id())));
    }
    let word = STAGE_WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| loose(w) == loose(t)))
        .map(|(to, _)| *to);
    let found = word.and_then(|to| match to.strip_prefix('=') {
        Some(outcome) => stages.iter().find(|s| s.str("outcome") == Some(outcome)),
        None => stages.iter().find(|s| loose(s.label()) == loose(to)),
    });
    if let Some(s) = found {
        return Ok(Some(format!("#{}", s.id())));
    }
    let names: Vec<String> = stages.iter().map(|s| s.label().to_string()).collect();
    let pipeline = pname.clone();
    tally.note("stage", t, names.clone());
    Err(crate::err!(
        Invalid,
        "import.stage_pipeline_stage",
        pipeline = pipeline,
        t = t,
        names = names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_values_specs() {
        assert_eq!(
            parse_map_values("stage:Negotiation/Review=negotiation, Closed Won = won").unwrap(),
            (
                "stage".to_string(),
                vec![
                    ("Negotiation/Review".to_string(), "negotiation".to_string()),
                    ("Closed Won".to_string(), "won".to_string())
                ]
            )
        );
        assert_eq!(
            parse_map_values("tier:VIP=A").unwrap().1,
            vec![("VIP".to_string(), "A".to_string())]
        );
        for bad in ["stage", ":a=b", "stage:", "stage:abc"] {
            let e = parse_map_values(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains("FIELD:FROM=TO"), "{e}");
        }
    }

    #[test]
    fn unknown_values_are_told_once_with_counts() {
        let mut t = Tally::default();
        t.note("tier", "VIP", vec!["A".into(), "B".into(), "C".into()]);
        t.note("tier", "普通", vec![]);
        t.note("tier", "VIP", vec![]);
        assert_eq!(
            t.message().unwrap(),
            "tier: 2 values kith does not know: 'VIP' (2 rows), '普通' (1 row); map them \
             with --map-values tier:'VIP=A,普通=A' (it takes: A, B, C)"
        );
    }
}
