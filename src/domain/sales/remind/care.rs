//! The customer-care rules' settings (客户关怀), as `[care]` of config.toml gives them.

use serde::Deserialize;

/// Customer-care rules (客户关怀), each on by default.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Care {
    /// Remind about accounts nobody has been in touch with for longer than their tier allows.
    pub no_contact: bool,
    /// Days without an activity each tier allows; accounts without a tier count as C.
    pub no_contact_days: TierDays,
    /// Remind about open deals without an activity for `stale_deal_days`, or past their
    /// expected close.
    pub stale_deal: bool,
    pub stale_deal_days: u32,
    /// Remind about contacts' birthdays in the next `birthday_days` days.
    pub birthday: bool,
    pub birthday_days: u32,
    /// Remind about plan items falling due in the next `plan_due_days` days.
    pub plan_due: bool,
    pub plan_due_days: u32,
    /// Remind, once, about each plan item past its due day and not paid in full.
    pub payment_overdue: bool,
    /// Remind about active contracts within their renewal notice period (their `notice`
    /// days before the end, else `contract_notice_days`).
    pub contract_expiring: bool,
    pub contract_notice_days: u32,
    /// Remind about sent quotes valid for `quote_expiring_days` days more at most.
    pub quote_expiring: bool,
    pub quote_expiring_days: u32,
    /// Escalate a case at risk to its assignee.
    pub case_at_risk: bool,
    /// Escalate a case past a deadline to its assignee and their manager.
    pub case_breached: bool,
    /// Escalate a case nobody took for `case_unassigned_minutes` to the service lead.
    pub case_unassigned: bool,
    pub case_unassigned_minutes: u32,
    /// Who takes unassigned cases (a login); else the heads of the managers' tree.
    pub service_lead: Option<String>,
}

impl Default for Care {
    fn default() -> Care {
        Care {
            no_contact: true,
            no_contact_days: TierDays::default(),
            stale_deal: true,
            stale_deal_days: 30,
            birthday: true,
            birthday_days: 7,
            plan_due: true,
            plan_due_days: 7,
            payment_overdue: true,
            contract_expiring: true,
            contract_notice_days: 30,
            quote_expiring: true,
            quote_expiring_days: 3,
            case_at_risk: true,
            case_breached: true,
            case_unassigned: true,
            case_unassigned_minutes: 30,
            service_lead: None,
        }
    }
}

impl Care {
    /// The switch of the rule whose reminders' kind is `rule` (the task rule has none).
    fn switch(&mut self, rule: &str) -> Option<&mut bool> {
        Some(match rule {
            "no_contact" => &mut self.no_contact,
            "stale_deal" => &mut self.stale_deal,
            "birthday" => &mut self.birthday,
            "plan_due" => &mut self.plan_due,
            "payment_overdue" => &mut self.payment_overdue,
            "contract_expiring" => &mut self.contract_expiring,
            "quote_expiring" => &mut self.quote_expiring,
            "case_at_risk" => &mut self.case_at_risk,
            "case_breached" => &mut self.case_breached,
            "case_unassigned" => &mut self.case_unassigned,
            _ => return None,
        })
    }

    /// Whether the rule whose reminders' kind is `rule` is on (tasks always are).
    pub fn is_on(&self, rule: &str) -> bool {
        self.clone().switch(rule).is_none_or(|on| *on)
    }

    /// Turn the rule whose reminders' kind is `rule` off.
    pub fn turn_off(&mut self, rule: &str) {
        if let Some(on) = self.switch(rule) {
            *on = false;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TierDays {
    #[serde(rename = "A")]
    pub a: u32,
    #[serde(rename = "B")]
    pub b: u32,
    #[serde(rename = "C")]
    pub c: u32,
}

impl Default for TierDays {
    fn default() -> TierDays {
        TierDays {
            a: 14,
            b: 30,
            c: 90,
        }
    }
}

impl TierDays {
    /// The fewest days any tier allows.
    pub fn least(&self) -> u32 {
        self.a.min(self.b).min(self.c)
    }

    pub fn for_tier(&self, tier: Option<&str>) -> u32 {
        match tier {
            Some("A") => self.a,
            Some("B") => self.b,
            _ => self.c,
        }
    }
}
