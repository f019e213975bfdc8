//! The Chinese column names of `kith export csv --headers zh` (and `list --csv --headers
//! zh`): for each field a header `kith import csv` maps back to that same field (its
//! synonyms in [`super::source`]), so an export with Chinese headers imports again as it was.
//! Columns kith fills itself (ids, timestamps, a deal's status, what a lead was converted
//! to) get Chinese names the importer maps to nothing, as it maps `id` or `created_at` to
//! nothing. Tests below hold both, for every column of every kind.

use crate::model::custom::Custom;
use crate::model::{Entity, Ty};

/// The Chinese header of `column` (a key of a record as `list` and `export` give it: a
/// field's name, a reference's `…_id`, a contact's `email` and `phone`, `id`,
/// `created_at` …) for records of `entity`. A custom field is headed by its label, else its
/// name; a column this table does not know keeps its name.
pub fn title(entity: Entity, custom: &Custom, column: &str) -> String {
    if let Some(reference) = column.strip_suffix("_id") {
        let is_ref = custom
            .field(entity, reference)
            .is_some_and(|f| f.is_ref().is_some() && f.name == reference);
        if is_ref {
            return format!("{}编号", title(entity, custom, reference));
        }
    }
    if let Some(word) = word(entity, column).or_else(|| declared(entity, column)) {
        return word.to_string();
    }
    match custom.of(entity).iter().find(|f| f.name == column) {
        Some(f) => custom.label(entity, f.name).unwrap_or(f.name).to_string(),
        None => column.to_string(),
    }
}

/// The first Chinese header word a kind declares for a field among its synonyms (a kind
/// added later names its columns there: a product's `sku` is 产品编码).
fn declared(entity: Entity, column: &str) -> Option<&'static str> {
    entity
        .kind()
        .synonyms
        .iter()
        .filter(|(field, _)| *field == column)
        .flat_map(|(_, words)| words.iter())
        .find(|w| w.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        .copied()
}

/// The built-in columns' Chinese names.
fn word(entity: Entity, column: &str) -> Option<&'static str> {
    use Entity::*;
    // A contact's `email` and `phone` are the first of its `emails` and `phones`.
    let first_of_list = !entity.fields().iter().any(|f| f.name == column)
        && entity
            .fields()
            .iter()
            .any(|f| matches!(f.ty, Ty::List { first, .. } if first == column));
    Some(match (entity, column) {
        (_, "email") if first_of_list => "首选邮箱",
        (_, "phone") if first_of_list => "首选电话",
        (_, "id") => "编号",
        (_, "created_at") => "创建时间",
        (_, "updated_at") => "更新时间",
        (_, "deleted_at") => "删除时间",
        (Account, "name") => "客户名称",
        (Contact | Lead, "name") => "姓名",
        (Deal, "title") => "商机名称",
        (Task, "title") => "任务名称",
        (Contact | Lead, "title") => "职位",
        (Account, "kind") => "客户性质",
        (Activity, "kind") => "活动类型",
        (Account, "type") => "客户类型",
        (Account, "tier") => "客户等级",
        (Account, "status") => "客户状态",
        (Lead, "status") => "线索状态",
        // A deal's status follows its stage: kith sets it (and "商机状态" is a stage).
        (_, "status") => "状态",
        (Account, "parent") => "上级公司",
        (Task, "parent") => "上级任务",
        (_, "account") => "客户",
        (_, "company") => "公司",
        (_, "contact") => "联系人",
        (_, "lead") => "线索",
        (_, "deal") => "商机",
        (_, "emails" | "email") => "邮箱",
        (_, "phones" | "phone") => "电话",
        (_, "role") => "角色",
        (_, "birthday") => "生日",
        (_, "owner") => "负责人",
        (_, "tags") => "标签",
        (_, "notes") => "备注",
        (_, "uid") => "UID",
        (_, "industry") => "行业",
        (_, "website") => "网址",
        (_, "address") => "地址",
        (_, "city") => "城市",
        (_, "region") => "省份",
        (_, "country") => "国家",
        (_, "source") => "来源",
        (_, "score") => "评分",
        (_, "amount") => "金额",
        (_, "cost") => "成本",
        (_, "currency") => "币种",
        (_, "pipeline") => "销售流程",
        (_, "stage") => "阶段",
        (_, "probability") => "赢率",
        (_, "expected_close") => "预计成交日期",
        (_, "competitor") => "竞争对手",
        (_, "reason") => "原因",
        (_, "closed_at") => "关闭时间",
        (_, "subject") => "主题",
        (_, "at") => "时间",
        (_, "body") => "内容",
        (_, "outcome") => "结果",
        (_, "minutes") => "时长（分钟）",
        (Plan, "due") => "计划回款日期",
        (_, "due") => "截止日期",
        (_, "priority") => "优先级",
        (_, "done") => "已完成",
        (_, "done_at") => "完成时间",
        (_, "recurrence") => "重复规则",
        (_, "converted_account") => "转化客户",
        (_, "converted_contact") => "转化联系人",
        (_, "converted_deal") => "转化商机",
        (_, "converted_at") => "转化时间",
        // What kith works out for a quote.
        (Quote, "revision") => "版本",
        (Quote, "previous") => "上一版",
        (Quote | Order, "subtotal") => "未税金额",
        (Quote | Order | Invoice, "tax") => "税额",
        (Quote | Order, "total") => "含税总额",
        (Quote, "sent_at") => "发送时间",
        (Quote, "decided_at") => "确认时间",
        // … for an order, a contract, a plan, a payment and an invoice.
        (Order, "confirmed_at") => "确认时间",
        (Order, "delivered_at") => "交付时间",
        (Contract, "planned") => "计划回款金额",
        (Contract, "received") => "已回款金额",
        (Contract, "invoiced") => "已开票金额",
        (Contract, "terminated_at") => "终止时间",
        (Plan, "name") => "回款计划",
        (Plan, "position") => "期数",
        (Plan, "paid") => "已回款",
        (Payment, "plan") => "回款计划",
        (Payment, "applied") => "核销金额",
        (Payment, "credit") => "预收余额",
        (Payment, "reversed_at") => "冲销时间",
        (Invoice, "total") => "价税合计",
        (Invoice, "voided_at") => "作废时间",
        // … and for a case and a survey.
        (Case, "sla") => "SLA状态",
        (Case, "opened") => "受理时间",
        (Case, "respond_target") => "响应时限（分钟）",
        (Case, "respond_risk") => "响应预警时间",
        (Case, "respond_due") => "响应截止时间",
        (Case, "responded_at") => "首次响应时间",
        (Case, "response_minutes") => "响应用时（分钟）",
        (Case, "resolve_target") => "解决时限（分钟）",
        (Case, "resolve_risk") => "解决预警时间",
        (Case, "resolve_due") => "解决截止时间",
        (Case, "resolved_at") => "解决时间",
        (Case, "resolution_minutes") => "解决用时（分钟）",
        (Case, "waits") => "等待记录",
        (Survey, "name") => "调查名称",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::import::source::map_headers_with;

    /// Every column `list` and `export` give for records of `e`, as the store names them.
    fn columns(e: Entity) -> Vec<String> {
        let mut out = vec!["id".to_string()];
        for f in e.fields() {
            if f.is_ref().is_some() {
                out.push(f.column());
            }
            out.push(f.name.to_string());
            if let Ty::List { first, .. } = f.ty {
                out.push(first.to_string());
            }
        }
        out.extend(["created_at", "updated_at", "deleted_at"].map(String::from));
        out
    }

    /// `kith import csv` maps every Chinese header back to its own field, and those of the
    /// columns kith fills itself to nothing, for every kind.
    #[test]
    fn every_header_imports_back_to_its_own_field() {
        for e in Entity::RECORDS {
            let cols = columns(e);
            let headers: Vec<String> = cols.iter().map(|c| title(e, Custom::none(), c)).collect();
            let mut seen = std::collections::HashSet::new();
            for (c, h) in cols.iter().zip(&headers) {
                assert!(seen.insert(h.clone()), "{e}: two columns headed {h}");
                assert!(
                    h.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)) || h == "UID",
                    "{e}.{c}: '{h}' is not Chinese"
                );
            }
            let (mapping, unmapped) =
                map_headers_with(e, Custom::none(), &headers, &[], None).unwrap();
            for (i, c) in cols.iter().enumerate() {
                // The field the column holds, when an import may set it: a contact's
                // `email` is the first of its `emails`.
                let expected = e
                    .fields()
                    .iter()
                    .find(|f| {
                        f.name == c.as_str()
                            || matches!(f.ty, Ty::List { first, .. } if first == c.as_str())
                    })
                    .filter(|f| !f.system)
                    .map(|f| f.name);
                assert_eq!(
                    mapping.columns[i], expected,
                    "{e}: '{}' ({c}) imports into {:?}",
                    headers[i], mapping.columns[i]
                );
                if expected.is_none() {
                    assert!(unmapped.contains(&headers[i]), "{e}: {}", headers[i]);
                }
            }
        }
    }

    #[test]
    fn references_custom_fields_and_unknown_columns() {
        assert_eq!(
            title(Entity::Contact, Custom::none(), "account_id"),
            "客户编号"
        );
        assert_eq!(
            title(Entity::Task, Custom::none(), "parent_id"),
            "上级任务编号"
        );
        assert_eq!(
            title(Entity::Account, Custom::none(), "parent_id"),
            "上级公司编号"
        );
        assert_eq!(title(Entity::Contact, Custom::none(), "email"), "首选邮箱");
        assert_eq!(title(Entity::Account, Custom::none(), "email"), "邮箱");
        assert_eq!(title(Entity::Deal, Custom::none(), "stage_id"), "阶段编号");
        assert_eq!(title(Entity::Deal, Custom::none(), "whatever"), "whatever");
        assert_eq!(title(Entity::Deal, Custom::none(), "x_id"), "x_id");
    }
}
