//! The sample service desk's set-up, which the demo database and the large dataset share:
//! a working-hours calendar in Shanghai with the Chinese public holidays of 2025 and 2026
//! and their make-up working days (调休), and the SLA policies on it — the source
//! document's two rules (an inquiry answered within ten working minutes, a complaint
//! resolved within four working hours) and one for suggestions.

use crate::core::worktime::{Calendar, Hours};

/// The sample calendar's name, zone and hours.
pub(crate) const CALENDAR: (&str, &str, &str) =
    ("工作日", "Asia/Shanghai", "mon-fri 09:00-12:00,13:30-18:00");

/// The public holidays of 2025 and 2026 (the State Council's notices), then the make-up
/// working days.
pub(crate) const HOLIDAYS: &[(&str, &str)] = &[
    ("2025-01-01", "元旦"),
    ("2025-01-28..2025-02-04", "春节"),
    ("2025-04-04..2025-04-06", "清明节"),
    ("2025-05-01..2025-05-05", "劳动节"),
    ("2025-05-31..2025-06-02", "端午节"),
    ("2025-10-01..2025-10-08", "国庆节、中秋节"),
    ("2026-01-01..2026-01-03", "元旦"),
    ("2026-02-15..2026-02-23", "春节"),
    ("2026-04-04..2026-04-06", "清明节"),
    ("2026-05-01..2026-05-05", "劳动节"),
    ("2026-06-19..2026-06-21", "端午节"),
    ("2026-09-25..2026-09-27", "中秋节"),
    ("2026-10-01..2026-10-07", "国庆节"),
];
pub(crate) const WORKDAYS: &[(&str, &str)] = &[
    ("2025-01-26", "春节调休"),
    ("2025-02-08", "春节调休"),
    ("2025-04-27", "劳动节调休"),
    ("2025-09-28", "国庆节调休"),
    ("2025-10-11", "国庆节调休"),
    ("2026-01-04", "元旦调休"),
    ("2026-02-14", "春节调休"),
    ("2026-02-28", "春节调休"),
    ("2026-05-09", "劳动节调休"),
    ("2026-09-20", "国庆节调休"),
    ("2026-10-10", "国庆节调休"),
];

/// (name, match, respond, resolve): the policies in their order.
pub(crate) const POLICIES: &[(&str, &str, &str, &str)] = &[
    ("咨询十分钟响应", "type:inquiry", "10min", "1d"),
    ("投诉半日解决", "type:complaint", "30min", "4h"),
    ("建议", "type:suggestion", "1d", "5d"),
];

/// (type, title, category, product SKU)
pub(crate) type Template = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

pub(crate) const ZH_CASES: &[Template] = &[
    (
        "complaint",
        "自助值机终端频繁死机",
        "硬件故障",
        Some("AP-KSK-10"),
    ),
    (
        "complaint",
        "航班信息屏延误信息更新不及时",
        "软件故障",
        Some("AP-FID-55"),
    ),
    (
        "complaint",
        "冷链记录仪数据缺失，担心影响药品质量",
        "产品质量",
        Some("PH-CCT-20"),
    ),
    ("complaint", "安装工程师未按约定时间到场", "服务态度", None),
    ("complaint", "发票金额与合同不符", "财务", None),
    (
        "complaint",
        "贵宾室会员积分丢失",
        "软件故障",
        Some("AP-VIP-03"),
    ),
    (
        "complaint",
        "行李分拣系统夜间报警无人响应",
        "服务响应",
        Some("AP-BHS-02"),
    ),
    (
        "inquiry",
        "询问行李分拣软件升级费用",
        "报价",
        Some("AP-BHS-02"),
    ),
    (
        "inquiry",
        "如何导出旅客服务系统的月度报表",
        "使用咨询",
        Some("AP-PSS-01"),
    ),
    ("inquiry", "维保合同续签流程咨询", "合同", None),
    (
        "inquiry",
        "冷链记录仪能否对接我方 ERP",
        "技术咨询",
        Some("PH-CCT-20"),
    ),
    ("inquiry", "开具增值税专用发票需要哪些资料", "财务", None),
    (
        "inquiry",
        "值机终端备件的供货周期",
        "备件",
        Some("AP-KSK-10"),
    ),
    (
        "suggestion",
        "希望值机终端支持刷脸核验",
        "产品建议",
        Some("AP-KSK-10"),
    ),
    ("suggestion", "建议故障通知增加微信推送", "功能建议", None),
    ("suggestion", "培训资料希望提供中文视频", "培训", None),
];

pub(crate) const EN_CASES: &[Template] = &[
    (
        "complaint",
        "Kiosk printer jams on boarding passes",
        "Hardware",
        Some("AP-KSK-10"),
    ),
    (
        "complaint",
        "Invoice sent to the wrong address",
        "Billing",
        None,
    ),
    (
        "inquiry",
        "How to renew the support contract",
        "Contract",
        None,
    ),
    (
        "inquiry",
        "Does the logger export to CSV?",
        "How-to",
        Some("PH-CCT-20"),
    ),
    (
        "suggestion",
        "Dark mode for the display boards",
        "Product idea",
        Some("AP-FID-55"),
    ),
];

pub(crate) const ZH_REPLIES: &[&str] = &[
    "您好，已收到您的反馈，我们正在核实，稍后回复您。",
    "已安排工程师远程排查，请保持电话畅通。",
    "已将问题升级至产品部门，今天内给您答复。",
    "请提供设备序列号和故障照片，便于我们定位问题。",
];
pub(crate) const EN_REPLIES: &[&str] = &[
    "Thanks for letting us know; we are looking into it and will get back to you shortly.",
    "An engineer will call you within the hour.",
    "Could you send the device serial number and a photo of the error?",
];
pub(crate) const ZH_RESOLUTIONS: &[&str] = &[
    "已远程升级固件，客户确认恢复正常。",
    "已更换故障部件并现场测试通过。",
    "已按客户要求提供资料并解答疑问。",
    "已补发正确发票，原发票作废。",
    "已记录建议并提交产品路线图评审。",
];
pub(crate) const EN_RESOLUTIONS: &[&str] = &[
    "Replaced the part on site; the customer confirmed it works.",
    "Sent the instructions; the customer has what they need.",
    "Logged the idea for the product review.",
];
pub(crate) const ZH_BREACH_REASONS: &[&str] = &[
    "备件缺货，等待厂家发货",
    "夜间值班人员不足，未及时响应",
    "问题需研发排查，超出一线处理能力",
    "客户现场无法远程接入",
];
pub(crate) const EN_BREACH_REASONS: &[&str] = &[
    "Waiting for the spare part from the factory",
    "The engineer on call was at another site",
];
pub(crate) const ZH_SURVEY_COMMENTS: &[&str] = &[
    "响应很快，工程师很专业。",
    "问题解决了，但等的时间有点长。",
    "希望以后能提前通知上门时间。",
    "服务满意。",
];

/// The sample calendar as kith reads it.
pub(crate) fn calendar() -> Calendar {
    let (_, tz, hours) = CALENDAR;
    let mut cal = Calendar::new(
        tz.parse().expect("a known zone"),
        Hours::parse(hours).expect("valid hours"),
    );
    let days = |range: &str| {
        let (a, b) = range.split_once("..").unwrap_or((range, range));
        let a: chrono::NaiveDate = a.parse().expect("a date");
        let b: chrono::NaiveDate = b.parse().expect("a date");
        a.iter_days().take_while(move |d| *d <= b)
    };
    for (range, _) in HOLIDAYS {
        cal.holidays.extend(days(range));
    }
    for (range, _) in WORKDAYS {
        cal.workdays.extend(days(range));
    }
    cal
}
