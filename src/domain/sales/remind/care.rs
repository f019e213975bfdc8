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
    pub fn for_tier(&self, tier: Option<&str>) -> u32 {
        match tier {
            Some("A") => self.a,
            Some("B") => self.b,
            _ => self.c,
        }
    }
}
