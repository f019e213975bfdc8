//! A realistic sample CRM for trying kith out: a small sales team, a few hundred accounts
//! (Chinese and international) with their contacts, leads, deals moving through the sales
//! pipeline, months of activities and a to-do list, all dated relative to "now".
//!
//! Everything is written through the library (validation, the change log, the stage
//! history), with the clock and the user set to the simulated moment and salesperson of
//! each change. The same seed and the same now give the same database.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::app::crm::{create_in, update_in, AllKinds, Crm, Env, Input};
use crate::core::clock::Clock;
use crate::core::error::Result;
use crate::domain::sales::activities::FollowUp;
use crate::domain::sales::deals::Move;
use crate::domain::sales::leads::Convert;
use crate::model::Entity;
use crate::store::{ListQuery, Writer};

mod service;

/// How much sample data to make, and from which seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub seed: u64,
    /// Number of accounts; contacts, leads, deals, activities and tasks scale with it.
    pub accounts: usize,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 42,
            accounts: 300,
        }
    }
}

/// How many records of each kind the database holds after [`generate`].
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct DemoSummary {
    pub accounts: usize,
    pub contacts: usize,
    pub leads: usize,
    pub deals: usize,
    pub activities: usize,
    pub tasks: usize,
    /// Quote to cash.
    pub products: usize,
    pub quotes: usize,
    pub orders: usize,
    pub contracts: usize,
    pub payments: usize,
    pub invoices: usize,
    /// The service desk.
    pub cases: usize,
    pub surveys: usize,
}

impl From<&crate::samples::bulk::Counts> for DemoSummary {
    /// What a generated dataset holds, from the counts it was made with.
    fn from(c: &crate::samples::bulk::Counts) -> DemoSummary {
        let n = |v: u64| v as usize;
        DemoSummary {
            accounts: n(c.accounts),
            contacts: n(c.contacts),
            leads: n(c.leads),
            deals: n(c.deals),
            activities: n(c.activities + c.replies),
            tasks: n(c.tasks),
            products: n(c.products),
            quotes: n(c.quotes),
            orders: n(c.orders),
            contracts: n(c.contracts),
            payments: n(c.payments),
            invoices: n(c.invoices),
            cases: n(c.cases),
            surveys: n(c.surveys),
        }
    }
}

/// The one account every demo database has.
pub const BAIYUN: &str = "广州白云国际机场";

/// Fill `crm`'s database with a realistic sample CRM relative to `crm.env.clock` (the
/// "now"). Deterministic: the same seed and the same now give the same database (ids,
/// values, timestamps). The database must hold no accounts, contacts, leads, deals,
/// activities or tasks yet. `crm.env` is left as it was, also when generation fails.
pub fn generate(crm: &mut Crm, opts: &DemoOptions) -> Result<DemoSummary> {
    let saved = crm.env.clone();
    // Sample names are made unique, but phones and emails may meet by chance.
    crm.env.allow_duplicates = true;
    let out = generate_inner(crm, opts);
    crm.env = saved;
    out
}

// ---------------------------------------------------------------------------------------
// Reference data

const ZH_USERS: &[&str] = &["lin.wei", "zhang.min", "chen.jie", "wang.fang"];
const EN_USERS: &[&str] = &["sarah.jones", "david.kim"];
const ALL_USERS: &[&str] = &[
    "lin.wei",
    "zhang.min",
    "chen.jie",
    "sarah.jones",
    "david.kim",
    "wang.fang",
];

/// (city, province, area code, slug)
const ZH_CITIES: &[(&str, &str, &str, &str)] = &[
    ("北京", "北京", "10", "bj"),
    ("上海", "上海", "21", "sh"),
    ("广州", "广东", "20", "gz"),
    ("深圳", "广东", "755", "sz"),
    ("杭州", "浙江", "571", "hz"),
    ("成都", "四川", "28", "cd"),
    ("武汉", "湖北", "27", "wh"),
    ("南京", "江苏", "25", "nj"),
    ("西安", "陕西", "29", "xa"),
    ("重庆", "重庆", "23", "cq"),
    ("天津", "天津", "22", "tj"),
    ("苏州", "江苏", "512", "suz"),
    ("厦门", "福建", "592", "xm"),
    ("青岛", "山东", "532", "qd"),
    ("长沙", "湖南", "731", "cs"),
];

/// (city, region, country, phone prefix, local digits to fill)
const EN_CITIES: &[(&str, &str, &str, &str, usize)] = &[
    ("San Francisco", "CA", "USA", "+1 415 555 01", 2),
    ("New York", "NY", "USA", "+1 212 555 01", 2),
    ("Seattle", "WA", "USA", "+1 206 555 01", 2),
    ("Chicago", "IL", "USA", "+1 312 555 01", 2),
    ("Toronto", "ON", "Canada", "+1 416 555 01", 2),
    ("London", "England", "UK", "+44 20 7946 0", 3),
    ("Singapore", "Singapore", "Singapore", "+65 6", 7),
    ("Sydney", "NSW", "Australia", "+61 2 9", 7),
    ("Hong Kong", "Hong Kong", "China", "+852 2", 7),
];

const ZH_ROADS: &[&str] = &[
    "人民路",
    "中山路",
    "建设路",
    "解放大道",
    "科技园路",
    "滨江大道",
    "长江路",
    "世纪大道",
    "环城东路",
    "高新大道",
];
const EN_STREETS: &[&str] = &[
    "Market Street",
    "Main Street",
    "Harbor Road",
    "King Street",
    "Queen's Road",
    "Park Avenue",
    "Bay Street",
    "Orchard Road",
];

struct Industry {
    /// The stored industry.
    label: &'static str,
    /// Chinese name stems with a slug for web and mail domains.
    zh: &'static [(&'static str, &'static str)],
    /// Second words of English names.
    en: &'static [&'static str],
    zh_products: &'static [&'static str],
    en_products: &'static [&'static str],
    /// Relative frequency.
    weight: u32,
}

const INDUSTRIES: &[Industry] = &[
    Industry {
        label: "航空",
        zh: &[
            ("航空服务", "hkfw"),
            ("机场集团", "airport-group"),
            ("航空货运", "aircargo"),
            ("空港物流", "konggang"),
            ("通用航空", "ga-aviation"),
            ("航空食品", "air-catering"),
        ],
        en: &["Aviation", "Air Cargo", "Airport Services"],
        zh_products: &[
            "航站楼信息系统",
            "行李追踪系统升级",
            "旅客服务平台",
            "航班信息显示系统",
            "贵宾室会员系统",
        ],
        en_products: &[
            "Terminal information system",
            "Baggage tracking upgrade",
            "Passenger CRM",
            "Flight display system",
        ],
        weight: 8,
    },
    Industry {
        label: "医药",
        zh: &[
            ("华瑞医药", "huarui-pharma"),
            ("康泰医药", "kangtai-pharma"),
            ("仁和药业", "renhe-pharma"),
            ("济民制药", "jimin-pharma"),
            ("百草堂药业", "baicaotang"),
            ("瑞康生物", "ruikang-bio"),
        ],
        en: &["Pharma", "Biotech", "Life Sciences"],
        zh_products: &[
            "GSP合规系统",
            "医药代表CRM",
            "冷链监控平台",
            "学术会议管理系统",
        ],
        en_products: &[
            "GxP compliance suite",
            "Rep CRM rollout",
            "Cold chain monitoring",
        ],
        weight: 14,
    },
    Industry {
        label: "地产",
        zh: &[
            ("恒信地产", "hengxin-re"),
            ("万嘉置业", "wanjia-re"),
            ("锦绣房产", "jinxiu-re"),
            ("城建地产", "chengjian-re"),
            ("海岸置地", "haian-land"),
            ("金地物业", "jindi-pm"),
        ],
        en: &["Realty", "Properties", "Land Group"],
        zh_products: &[
            "售楼管理系统",
            "客户关系平台",
            "物业收费系统",
            "案场数字化项目",
        ],
        en_products: &["Sales office system", "Tenant portal", "Property billing"],
        weight: 12,
    },
    Industry {
        label: "银行",
        zh: &[
            ("汇通银行", "huitong-bank"),
            ("农商银行", "rcbank"),
            ("鑫源银行", "xinyuan-bank"),
            ("信达小额贷款", "xinda-credit"),
            ("金盾保险", "jindun-ins"),
        ],
        en: &["Bank", "Capital", "Financial"],
        zh_products: &[
            "网点智能终端",
            "对公客户管理系统",
            "营销数据平台",
            "理财经理移动展业",
        ],
        en_products: &[
            "Branch kiosk rollout",
            "Corporate CRM",
            "Marketing data platform",
        ],
        weight: 10,
    },
    Industry {
        label: "酒店",
        zh: &[
            ("东方酒店", "dongfang-hotel"),
            ("君悦大酒店", "junyue-hotel"),
            ("丽景酒店", "lijing-hotel"),
            ("海悦酒店", "haiyue-hotel"),
            ("会展中心酒店", "expo-hotel"),
            ("云顶度假酒店", "yunding-resort"),
        ],
        en: &["Hotels", "Resorts", "Hospitality"],
        zh_products: &[
            "客房管理系统",
            "会员积分平台",
            "宴会销售系统",
            "自助入住终端",
        ],
        en_products: &["PMS upgrade", "Loyalty platform", "Banquet sales module"],
        weight: 12,
    },
    Industry {
        label: "旅游",
        zh: &[
            ("假日旅游", "holiday-travel"),
            ("途远旅行社", "tuyuan-travel"),
            ("山水旅游", "shanshui-travel"),
            ("环球商旅", "global-biztravel"),
            ("青年旅行社", "youth-travel"),
        ],
        en: &["Travel", "Tours", "Journeys"],
        zh_products: &["在线预订平台", "团队游管理系统", "导游调度系统"],
        en_products: &["Booking platform", "Group tour system", "Agent portal"],
        weight: 9,
    },
    Industry {
        label: "供电",
        zh: &[
            ("供电局", "power-supply"),
            ("电力设计院", "power-design"),
            ("电网检修", "grid-maint"),
            ("新能源电力", "new-energy"),
            ("配电工程", "dist-eng"),
        ],
        en: &["Energy", "Power", "Utilities"],
        zh_products: &[
            "配网巡检系统",
            "客服热线升级",
            "电费回收管理系统",
            "营销服务平台",
        ],
        en_products: &[
            "Grid inspection system",
            "Call center upgrade",
            "Billing recovery",
        ],
        weight: 8,
    },
    Industry {
        label: "制造",
        zh: &[
            ("精工机械", "jinggong"),
            ("宏达电子", "hongda-elec"),
            ("华星电器", "huaxing"),
            ("远航汽配", "yuanhang-auto"),
            ("精密模具", "precision-mold"),
            ("联创包装", "lianchuang"),
        ],
        en: &["Manufacturing", "Industries", "Logistics", "Traders"],
        zh_products: &["经销商管理系统", "MES升级", "售后服务平台", "渠道订货系统"],
        en_products: &[
            "Dealer portal",
            "MES upgrade",
            "Field service platform",
            "Channel ordering",
        ],
        weight: 16,
    },
    Industry {
        label: "软件",
        zh: &[
            ("云图科技", "yuntu-tech"),
            ("数联信息", "shulian-info"),
            ("智慧城市科技", "smartcity-tech"),
            ("天码软件", "tianma-soft"),
            ("易联网络", "yilian-net"),
        ],
        en: &["Software", "Systems", "Labs"],
        zh_products: &["年度订阅续约", "OEM合作", "渠道分销协议", "API集成项目"],
        en_products: &[
            "Annual subscription renewal",
            "OEM agreement",
            "Reseller agreement",
            "API integration",
        ],
        weight: 11,
    },
];

const ZH_GENERIC_PRODUCTS: &[&str] = &["年度维保合同", "培训服务", "二期扩容", "数据迁移服务"];
const EN_GENERIC_PRODUCTS: &[&str] = &[
    "Annual maintenance",
    "Training package",
    "Phase 2 expansion",
    "Data migration",
];

const EN_PREFIXES: &[&str] = &[
    "Northwind",
    "Acme",
    "Blue Harbor",
    "Summit",
    "Pioneer",
    "Redwood",
    "Granite",
    "Silverline",
    "Evergreen",
    "Brightwater",
    "Oakridge",
    "Crescent",
    "Falcon",
    "Meridian",
    "Pacific Rim",
    "Lakeside",
    "Ironbridge",
    "Westgate",
    "Sunrise",
    "Contoso",
];

const FAMILY: &[(&str, &str)] = &[
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("林", "lin"),
    ("高", "gao"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
];

const GIVEN: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("芳", "fang"),
    ("静", "jing"),
    ("敏", "min"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("娟", "juan"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("建国", "jianguo"),
    ("晓东", "xiaodong"),
    ("丽", "li"),
    ("海燕", "haiyan"),
    ("志强", "zhiqiang"),
    ("婷", "ting"),
    ("浩", "hao"),
    ("宇", "yu"),
    ("欣怡", "xinyi"),
    ("子涵", "zihan"),
    ("国华", "guohua"),
];

const EN_FIRST: &[&str] = &[
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Emily", "Daniel", "Laura", "Thomas", "Olivia", "Mark", "Emma", "Paul", "Sophia", "Kevin",
    "Grace", "Ryan", "Chloe",
];
const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Anderson", "Thomas",
    "Jackson", "White", "Harris", "Martin", "Thompson", "Clark", "Lewis", "Walker", "Hall",
    "Young", "King", "Wright", "Lopez",
];

/// (title, role, weight)
pub(crate) const ZH_TITLES: &[(&str, &str, u32)] = &[
    ("总经理", "decision maker", 3),
    ("副总经理", "decision maker", 3),
    ("采购经理", "decision maker", 4),
    ("信息部经理", "influencer", 4),
    ("IT总监", "influencer", 3),
    ("财务总监", "influencer", 2),
    ("运营总监", "influencer", 2),
    ("项目经理", "user", 4),
    ("技术工程师", "user", 3),
    ("行政主管", "gatekeeper", 2),
    ("总经理助理", "gatekeeper", 2),
];
pub(crate) const EN_TITLES: &[(&str, &str, u32)] = &[
    ("CEO", "decision maker", 2),
    ("CFO", "decision maker", 2),
    ("Procurement Manager", "decision maker", 4),
    ("IT Director", "influencer", 4),
    ("Operations Manager", "influencer", 3),
    ("Project Manager", "user", 4),
    ("Systems Engineer", "user", 3),
    ("Office Manager", "gatekeeper", 2),
    ("Executive Assistant", "gatekeeper", 2),
];

pub(crate) const COMPETITORS: &[&str] = &[
    "Salesforce",
    "用友",
    "金蝶",
    "SAP",
    "Oracle",
    "纷享销客",
    "HubSpot",
    "销售易",
];
pub(crate) const LOST_REASONS: &[&str] = &[
    "price",
    "competitor",
    "timing",
    "no budget",
    "chose in-house",
    "no decision",
];
const SOURCES: &[(&str, u32)] = &[
    ("exhibition", 4),
    ("referral", 5),
    ("web", 5),
    ("phone", 3),
    ("campaign", 3),
    ("partner", 2),
];
const OPEN_STAGES: &[&str] = &["qualification", "needs analysis", "proposal", "negotiation"];

const ZH_ACTIVITY: &[(&str, &[&str])] = &[
    (
        "call",
        &[
            "电话跟进",
            "回访客户",
            "确认需求细节",
            "预约拜访时间",
            "催款电话",
            "续约沟通",
        ],
    ),
    (
        "visit",
        &["季度拜访", "上门拜访", "现场勘查", "节日拜访", "高层拜访"],
    ),
    (
        "meeting",
        &[
            "价格谈判",
            "方案评审会",
            "需求调研会",
            "项目启动会",
            "技术交流会",
            "合同条款讨论",
        ],
    ),
    (
        "email",
        &[
            "发送报价单",
            "发送方案书",
            "会议纪要",
            "合同草稿",
            "产品资料",
        ],
    ),
    (
        "note",
        &["客户组织架构调整", "竞争对手动态", "预算信息", "内部备忘"],
    ),
];
const EN_ACTIVITY: &[(&str, &[&str])] = &[
    (
        "call",
        &[
            "Follow-up call",
            "Check-in call",
            "Intro call",
            "Renewal call",
            "Pricing call",
        ],
    ),
    (
        "visit",
        &[
            "Quarterly visit",
            "On-site visit",
            "Site survey",
            "Executive visit",
        ],
    ),
    (
        "meeting",
        &[
            "Demo of new module",
            "Price negotiation",
            "Requirements workshop",
            "Kickoff meeting",
            "QBR",
        ],
    ),
    (
        "email",
        &[
            "Sent proposal",
            "Sent quote",
            "Meeting notes",
            "Contract draft",
            "Product brochure",
        ],
    ),
    (
        "note",
        &[
            "Reorg at customer",
            "Competitor intel",
            "Budget info",
            "Internal note",
        ],
    ),
];
pub(crate) const ZH_OUTCOMES: &[&str] = &[
    "客户有兴趣",
    "需要再跟进",
    "已发报价",
    "客户要求降价",
    "同意试用",
    "暂无需求",
    "约定下次拜访",
    "等待内部审批",
];
pub(crate) const EN_OUTCOMES: &[&str] = &[
    "Interested",
    "Needs follow-up",
    "Quote sent",
    "Asked for a discount",
    "Agreed to a pilot",
    "No need right now",
    "Next meeting booked",
    "Waiting for internal approval",
];
pub(crate) const ZH_BODIES: &[&str] = &[
    "客户关注实施周期和售后响应时间。",
    "对方信息部牵头，采购部下月介入。",
    "预算已报批，预计下季度启动。",
    "竞品报价低约15%，需强调服务优势。",
    "客户希望先做小范围试点。",
];
pub(crate) const EN_BODIES: &[&str] = &[
    "They care most about rollout time and support hours.",
    "IT leads the evaluation; procurement joins next month.",
    "Budget is approved for next quarter.",
    "Competitor is about 15% cheaper; stress our service.",
    "They want a small pilot first.",
];
pub(crate) const ZH_TASKS: &[&str] = &[
    "准备报价单",
    "发送合同",
    "安排产品演示",
    "回访客户",
    "更新方案书",
    "催收货款",
    "确认发票信息",
    "预约高层拜访",
    "整理需求清单",
];
pub(crate) const EN_TASKS: &[&str] = &[
    "Send proposal",
    "Prepare demo",
    "Follow up on quote",
    "Renewal reminder",
    "Book site visit",
    "Chase invoice",
    "Update pricing sheet",
    "Send case studies",
];
const ZH_PLANNED: &[(&str, &str)] = &[
    ("visit", "季度拜访"),
    ("meeting", "方案汇报"),
    ("meeting", "合同签署"),
    ("visit", "现场演示"),
    ("meeting", "年度合作回顾"),
];
const EN_PLANNED: &[(&str, &str)] = &[
    ("meeting", "Quarterly business review"),
    ("visit", "On-site demo"),
    ("meeting", "Contract signing"),
    ("visit", "Executive visit"),
];

// ---------------------------------------------------------------------------------------
// Plans

struct Acct {
    name: String,
    zh: bool,
    ind: usize,
    city: usize,
    ty: &'static str,
    tier: &'static str,
    status: &'static str,
    owner: &'static str,
    /// Days before today it was created (at least 1).
    ago: i64,
    at: NaiveDateTime,
    parent: Option<usize>,
    domain: String,
    source: &'static str,
    contacts: Vec<usize>,
    deals: Vec<usize>,
}

struct Person {
    name: String,
    acct: usize,
}

struct LeadPlan {
    input: Input,
    /// For a conversion into an existing account: its index.
    account: Option<usize>,
    deal: Option<(String, Input)>,
    /// Fields for an account the conversion creates.
    new_account: Input,
}

struct DealPlan {
    input: Input,
    /// (from, to): the dates the deal was alive; `to` is None while open.
    from: NaiveDate,
    to: Option<NaiveDate>,
    open: bool,
}

struct TaskPlan {
    input: Input,
}

struct ActivityPlan {
    input: Input,
    next: Option<FollowUp>,
}

enum Ev {
    Lead(usize),
    LeadStatus(usize, Input),
    Convert(usize),
    Deal(usize),
    Move(usize, &'static str),
    Close(usize, &'static str, Option<String>),
    Activity(Box<ActivityPlan>),
    Task(usize),
    TaskDone(usize),
}

struct Event {
    at: NaiveDateTime,
    user: &'static str,
    seq: usize,
    ev: Ev,
}

struct Gen {
    rng: ChaCha8Rng,
    now: NaiveDateTime,
    today: NaiveDate,
    names: BTreeSet<String>,
    titles: BTreeSet<String>,
    events: Vec<Event>,
}

impl Gen {
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..=hi)
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).expect("a non-empty list")
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut n = self.rng.random_range(0..total.max(1));
        for (t, w) in items {
            if n < *w {
                return *t;
            }
            n -= w;
        }
        items[items.len() - 1].0
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.rng.random_range(0..10u8)))
            .collect()
    }

    /// A standard normal number (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1: f64 = self.rng.random::<f64>().max(1e-12);
        let u2: f64 = self.rng.random();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn date_ago(&self, days: i64) -> NaiveDate {
        self.today - TimeDelta::days(days)
    }

    /// A moment during office hours `days` before today, never after now.
    fn at_ago(&mut self, days: i64) -> NaiveDateTime {
        let date = self.date_ago(days);
        let t = date
            .and_hms_opt(
                self.rng.random_range(9..18),
                self.rng.random_range(0..60),
                0,
            )
            .expect("a valid time");
        if t <= self.now {
            return t;
        }
        let back = TimeDelta::minutes(self.range(1, 90));
        (self.now - back).max(date.and_time(NaiveTime::MIN))
    }

    /// Days ago in `lo..=hi`, moved off weekends where the range allows.
    fn workday_ago(&mut self, lo: i64, hi: i64) -> i64 {
        let mut d = self.range(lo, hi);
        for _ in 0..6 {
            if !matches!(self.date_ago(d).weekday(), Weekday::Sat | Weekday::Sun) {
                break;
            }
            d = self.range(lo, hi);
        }
        d
    }

    /// `n` distinct days ago within `newest..=oldest`, oldest first.
    fn chain(&mut self, oldest: i64, newest: i64, n: usize) -> Vec<i64> {
        let mut pool: Vec<i64> = (newest..=oldest).collect();
        let mut out = Vec::new();
        for _ in 0..n.min(pool.len()) {
            let i = self.rng.random_range(0..pool.len());
            out.push(pool.swap_remove(i));
        }
        out.sort_unstable_by(|a, b| b.cmp(a));
        out
    }

    fn push(&mut self, at: NaiveDateTime, user: &'static str, ev: Ev) {
        let seq = self.events.len();
        self.events.push(Event { at, user, seq, ev });
    }

    fn unique_name(&mut self, mut make: impl FnMut(&mut Gen) -> String) -> String {
        for _ in 0..30 {
            let n = make(self);
            if !self.names.contains(&n) && n != BAIYUN {
                self.names.insert(n.clone());
                return n;
            }
        }
        let base = make(self);
        let mut i = 2;
        loop {
            let n = format!("{base} {i}");
            if !self.names.contains(&n) {
                self.names.insert(n.clone());
                return n;
            }
            i += 1;
        }
    }

    fn unique_title(&mut self, base: String, zh: bool) -> String {
        const PHASE: &[&str] = &["二", "三", "四", "五", "六", "七", "八", "九"];
        let mut t = base.clone();
        let mut i = 2;
        while self.titles.contains(&t) {
            t = match PHASE.get(i - 2) {
                Some(p) if zh => format!("{base}（{p}期）"),
                Some(_) => format!("{base} – phase {i}"),
                None => format!("{base} {i}"),
            };
            i += 1;
        }
        self.titles.insert(t.clone());
        t
    }

    /// A company name (and its domain slug) for an industry.
    fn company(&mut self, ind: usize, zh: bool, city: usize) -> (String, String) {
        let industry = &INDUSTRIES[ind];
        let mut slug = String::new();
        let name = self.unique_name(|g| {
            if zh {
                let (stem, s) = g.pick(industry.zh);
                slug = s.to_string();
                format!("{}{stem}", ZH_CITIES[city].0)
            } else {
                let p = g.pick(EN_PREFIXES);
                let s = g.pick(industry.en);
                slug = format!("{p}{s}").to_lowercase().replace([' ', '\''], "");
                format!("{p} {s}")
            }
        });
        let domain = if zh {
            format!("{slug}-{}.cn", ZH_CITIES[city].3)
        } else {
            format!("{slug}.com")
        };
        (name, domain)
    }

    fn office_phone(&mut self, zh: bool, city: usize) -> String {
        if zh {
            let d = self.digits(7);
            let first = self.pick(&['8', '6', '3']);
            format!("+86 {} {first}{} {}", ZH_CITIES[city].2, &d[..3], &d[3..])
        } else {
            let (_, _, _, prefix, n) = EN_CITIES[city];
            let d = self.digits(n);
            if n == 7 {
                format!("{prefix}{} {}", &d[..3], &d[3..])
            } else {
                format!("{prefix}{d}")
            }
        }
    }

    fn mobile(&mut self, zh: bool, city: usize) -> String {
        if zh {
            let p = self.pick(&["138", "139", "135", "186", "158", "177", "189"]);
            let d = self.digits(8);
            format!("+86 {p} {} {}", &d[..4], &d[4..])
        } else {
            self.office_phone(false, city)
        }
    }

    /// A person's name and the local part of their work mail address.
    fn person(&mut self, zh: bool) -> (String, String) {
        if zh {
            let (f, fp) = self.pick(FAMILY);
            let (g, gp) = self.pick(GIVEN);
            let local = if self.chance(0.5) {
                format!("{gp}.{fp}")
            } else {
                format!("{fp}{gp}")
            };
            (format!("{f}{g}"), local)
        } else {
            let f = self.pick(EN_FIRST);
            let l = self.pick(EN_LAST);
            (
                format!("{f} {l}"),
                format!("{}.{}", f.to_lowercase(), l.to_lowercase()),
            )
        }
    }

    fn source(&mut self) -> &'static str {
        self.weighted(SOURCES)
    }

    fn owner_for(&mut self, zh: bool) -> &'static str {
        match (zh, self.chance(0.85)) {
            (true, true) => self.pick(ZH_USERS),
            (false, true) => self.pick(EN_USERS),
            _ => self.pick(ALL_USERS),
        }
    }
}

/// (name, SKU, price, currency, unit, tax, cost, category, retired)
type SampleProduct = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

/// The sample catalogue: (name, SKU, price, currency, unit, tax, cost, category, retired) —
/// the systems, services and supplies the sample accounts buy, in Chinese and English.
const PRODUCTS: &[SampleProduct] = &[
    (
        "航站楼旅客服务系统",
        "AP-PSS-01",
        "860000",
        "CNY",
        "套",
        "13%",
        "510000",
        "机场系统",
        false,
    ),
    (
        "行李分拣控制软件",
        "AP-BHS-02",
        "420000",
        "CNY",
        "套",
        "13%",
        "236000",
        "机场系统",
        false,
    ),
    (
        "贵宾室会员管理模块",
        "AP-VIP-03",
        "98000",
        "CNY",
        "套",
        "13%",
        "41000",
        "机场系统",
        false,
    ),
    (
        "航班信息显示屏（55 寸）",
        "AP-FID-55",
        "12800",
        "CNY",
        "台",
        "13%",
        "8600",
        "硬件",
        false,
    ),
    (
        "自助值机终端",
        "AP-KSK-10",
        "68000",
        "CNY",
        "台",
        "13%",
        "47500",
        "硬件",
        false,
    ),
    (
        "冷链温度记录仪",
        "PH-CCT-20",
        "1350",
        "CNY",
        "个",
        "13%",
        "720",
        "医药物流",
        false,
    ),
    (
        "药品追溯赋码服务",
        "PH-TRC-21",
        "150000",
        "CNY",
        "年",
        "6%",
        "62000",
        "医药物流",
        false,
    ),
    (
        "GSP 合规审计咨询",
        "PH-GSP-22",
        "45000",
        "CNY",
        "次",
        "6%",
        "18000",
        "咨询服务",
        false,
    ),
    (
        "酒店客房管理系统",
        "HT-PMS-30",
        "260000",
        "CNY",
        "套",
        "13%",
        "140000",
        "酒店系统",
        false,
    ),
    (
        "自助入住终端",
        "HT-KSK-31",
        "36000",
        "CNY",
        "台",
        "13%",
        "25800",
        "硬件",
        false,
    ),
    (
        "配网运维巡检平台",
        "EN-GRID-40",
        "540000",
        "CNY",
        "套",
        "13%",
        "300000",
        "能源系统",
        false,
    ),
    (
        "年度运维服务",
        "SV-MNT-90",
        "120000",
        "CNY",
        "年",
        "6%",
        "54000",
        "服务",
        false,
    ),
    (
        "现场实施服务",
        "SV-IMP-91",
        "3800",
        "CNY",
        "人天",
        "6%",
        "1900",
        "服务",
        false,
    ),
    (
        "用户培训（每期）",
        "SV-TRN-92",
        "16000",
        "CNY",
        "期",
        "6%",
        "6500",
        "服务",
        false,
    ),
    (
        "Passenger service system",
        "AP-PSS-01-EN",
        "128000",
        "USD",
        "set",
        "0%",
        "76000",
        "Airport systems",
        false,
    ),
    (
        "Banquet sales module",
        "HT-BQT-32",
        "18500",
        "USD",
        "set",
        "0%",
        "7900",
        "Hotel systems",
        false,
    ),
    (
        "Cold chain monitoring (per site)",
        "PH-CCM-23",
        "4200",
        "USD",
        "site",
        "0%",
        "1800",
        "Pharma logistics",
        false,
    ),
    (
        "Annual support",
        "SV-MNT-90-EN",
        "16000",
        "USD",
        "year",
        "0%",
        "7000",
        "Services",
        false,
    ),
    (
        "Loyalty platform",
        "HT-LOY-33",
        "52000",
        "USD",
        "set",
        "0%",
        "24000",
        "Hotel systems",
        false,
    ),
    (
        "航班信息显示屏（42 寸，旧型号）",
        "AP-FID-42",
        "9800",
        "CNY",
        "台",
        "13%",
        "7200",
        "硬件",
        true,
    ),
];

/// The catalogue as inputs for `kith product add`.
fn product_inputs() -> Vec<Input> {
    PRODUCTS
        .iter()
        .map(
            |&(name, sku, price, currency, unit, tax, cost, category, retired)| {
                Input::new()
                    .with("name", name)
                    .with("sku", sku)
                    .with("price", price)
                    .with("currency", currency)
                    .with("unit", unit)
                    .with("tax", tax)
                    .with("cost", cost)
                    .with("category", category)
                    .with("retired", if retired { "yes" } else { "no" })
            },
        )
        .collect()
}

fn when(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A price of a sample price list: SKU, price, from which quantity.
type SamplePrice = (&'static str, &'static str, Option<&'static str>);

/// Price lists of the sample database: (name, currency, prices).
const PRICELISTS: &[(&str, &str, &[SamplePrice])] = &[
    (
        "经销商价",
        "CNY",
        &[
            ("AP-FID-55", "16800", None),
            ("AP-FID-55", "15600", Some("10")),
            ("PH-CCT-20", "1180", None),
            ("PH-CCT-20", "1050", Some("50")),
            ("SV-TRN-92", "7200", None),
        ],
    ),
    (
        "大客户价",
        "CNY",
        &[
            ("AP-PSS-01", "780000", None),
            ("SV-MNT-90", "108000", None),
            ("SV-IMP-91", "2600", None),
        ],
    ),
];

/// The quotes of the sample database, one in each state: (SKUs and quantities, what
/// became of it, days ago it was made). `expired` is a quote sent long enough ago that its
/// 30 days passed.
type SampleQuote = (&'static [(&'static str, &'static str)], &'static str, u64);

const QUOTES: &[SampleQuote] = &[
    (&[("AP-PSS-01", "1"), ("SV-IMP-91", "40")], "draft", 2),
    (&[("AP-FID-55", "12"), ("SV-MNT-90", "1")], "sent", 6),
    (&[("PH-CCT-20", "60"), ("SV-TRN-92", "2")], "accepted", 20),
    (&[("HT-PMS-30", "1"), ("HT-KSK-31", "4")], "rejected", 25),
    (&[("AP-KSK-10", "8"), ("SV-IMP-91", "12")], "revised", 12),
    (&[("EN-GRID-40", "1")], "expired", 45),
];

/// Price lists, a few accounts on them, deals with lines and quotes in every state.
fn commerce(crm: &mut Crm, now: NaiveDateTime) -> Result<()> {
    crm.env.user = ALL_USERS[0].to_string();
    crm.env.clock = Clock::at_local(now - TimeDelta::days(60));
    let lists = crm.write(|w, env| {
        let mut ids = Vec::new();
        for (name, currency, prices) in PRICELISTS {
            let list = create_in(
                w,
                env,
                Entity::PriceList,
                &Input::new().with("name", *name).with("currency", *currency),
            )?;
            for (sku, price, min) in *prices {
                crate::domain::commerce::pricelists::set(w, env, list, sku, price, *min)?;
            }
            ids.push(list);
        }
        Ok(ids)
    })?;
    // The open CNY deals, oldest first: their accounts the first two on the lists.
    let deals = crm.list(
        Entity::Deal,
        &crate::domain::toolkit::list_query(
            vec![
                crate::domain::toolkit::is("currency", "CNY"),
                crate::domain::toolkit::is("status", "open"),
            ],
            "id",
            None,
        ),
    )?;
    // The accounts of the first quotes' deals carry the lists: the dealer's prices for
    // the second, the key account's for the first.
    let accounts: Vec<i64> = [1, 0]
        .iter()
        .filter_map(|&i| deals.get(i).and_then(|d| d.i64("account_id")))
        .collect();
    for (a, list) in accounts.iter().zip(&lists) {
        crm.update(
            Entity::Account,
            *a,
            &Input::new().with("pricelist", format!("#{list}")),
        )?;
    }
    for (i, ((items, state, days), deal)) in QUOTES.iter().zip(&deals).enumerate() {
        crm.env.clock = Clock::at_local(now - TimeDelta::days(*days as i64));
        let deal = deal.id();
        crm.write(|w, env| {
            for (sku, qty) in *items {
                let mut input = Input::new().with("product", *sku).with("qty", *qty);
                if i == 1 && *sku == "SV-MNT-90" {
                    input.set("discount", "10%");
                }
                crate::domain::commerce::lines::add(w, env, Entity::Deal, deal, &input)?;
            }
            let q = crate::domain::records::create_own(
                w,
                env,
                Entity::Quote,
                Input::new()
                    .with("deal", format!("#{deal}"))
                    .with("valid_until", "+30d")
                    .with(
                        "terms",
                        "报价含税；交货期为合同签订后 30 天内；付款方式：预付 30%，验收后付 70%。",
                    ),
            )?;
            use crate::domain::commerce::quotes;
            match *state {
                "draft" => {}
                "revised" => {
                    quotes::send(w, env, q)?;
                    quotes::revise(w, env, q, Some("30d"))?;
                }
                "sent" | "expired" => quotes::send(w, env, q)?,
                outcome => {
                    quotes::send(w, env, q)?;
                    let reason = (outcome == "rejected").then_some("预算未获批准");
                    quotes::decide(w, env, q, outcome == "accepted", reason)?;
                }
            }
            Ok(())
        })?;
    }
    crm.env.clock = Clock::at_local(now);
    Ok(())
}

/// Orders, contracts with their payment plans, payments (some late) and invoices: the
/// accepted quote becomes an order and a contract paid in three installments, the second
/// part paid and overdue; the airport's yearly service contract is nearly done and comes
/// up for renewal; an older contract has expired; an order by hand is still a draft.
fn cash(crm: &mut Crm, now: NaiveDateTime) -> Result<()> {
    use crate::domain::commerce::{contracts, orders, payments};
    use crate::domain::records::create_own;
    crm.env.user = ALL_USERS[0].to_string();
    let at =
        |crm: &mut Crm, days: i64| crm.env.clock = Clock::at_local(now - TimeDelta::days(days));
    let day = |days: i64| (now.date() - TimeDelta::days(days)).to_string();
    let accepted = crm.list(
        Entity::Quote,
        &crate::domain::toolkit::list_query(
            vec![crate::domain::toolkit::is("status", "accepted")],
            "id",
            Some(1),
        ),
    )?;
    if let Some(q) = accepted.first() {
        at(crm, 18);
        let quote = q.id();
        let (order, contract) = crm.write(|w, env| {
            let order = orders::create(w, env, Input::new().with("quote", format!("#{quote}")))?;
            orders::step(w, env, order, orders::Step::Confirm, None)?;
            let contract = contracts::create(
                w,
                env,
                Input::new()
                    .with("order", format!("#{order}"))
                    .with("title", "智能安检通道采购合同")
                    .with("start", day(18))
                    .with("end", day(-347))
                    .with("signed", day(18))
                    .with("notice", "30"),
            )?;
            contracts::plan_installments(
                w,
                env,
                contract,
                &contracts::Installments {
                    count: 3,
                    every: "14d".into(),
                    from: day(16),
                    replace: false,
                },
            )?;
            Ok((order, contract))
        })?;
        at(crm, 15);
        let first = crm.sheet(Entity::Order, order)?.worked.total;
        let first = contracts::split(first, 3, 2)[0];
        crm.write(|w, env| {
            payments::create(
                w,
                env,
                Input::new()
                    .with("contract", format!("#{contract}"))
                    .with("amount", first.plain())
                    .with("method", "bank")
                    .with("reference", "HX20260001")
                    .with("payer", "首付款"),
                &payments::Receive::default(),
            )?;
            create_own(
                w,
                env,
                Entity::Invoice,
                Input::new()
                    .with("number", "04400261")
                    .with("contract", format!("#{contract}"))
                    .with("amount", first.plain())
                    .with("tax", "0"),
            )?;
            Ok(())
        })?;
        at(crm, 1);
        crm.write(|w, env| {
            payments::create(
                w,
                env,
                Input::new()
                    .with("contract", format!("#{contract}"))
                    .with("amount", "20000")
                    .with("method", "bank")
                    .with("reference", "HX20260002"),
                &payments::Receive::default(),
            )
        })?;
    }
    let baiyun = crm.resolve(Entity::Account, BAIYUN)?;
    at(crm, 340);
    let service = crm.write(|w, env| {
        let c = contracts::create(
            w,
            env,
            Input::new()
                .with("account", format!("#{baiyun}"))
                .with("number", "HT-2025-0087")
                .with("title", "航站楼设备年度运维服务合同")
                .with("amount", "360000")
                .with("currency", "CNY")
                .with("start", day(340))
                .with("end", day(-25))
                .with("signed", day(340))
                .with("notice", "60"),
        )?;
        contracts::plan_installments(
            w,
            env,
            c,
            &contracts::Installments {
                count: 4,
                every: "3m".into(),
                from: day(250),
                replace: false,
            },
        )?;
        Ok(c)
    })?;
    for (days, reference) in [(248, "BY-0930"), (155, "BY-1230")] {
        at(crm, days);
        crm.write(|w, env| {
            payments::create(
                w,
                env,
                Input::new()
                    .with("contract", format!("#{service}"))
                    .with("amount", "90000")
                    .with("method", "bank")
                    .with("reference", reference)
                    .with("payer", BAIYUN),
                &payments::Receive::default(),
            )
        })?;
    }
    // The airport's pilot contract and its draft order are another rep's.
    crm.env.user = ALL_USERS[1].to_string();
    at(crm, 400);
    crm.write(|w, env| {
        contracts::create(
            w,
            env,
            Input::new()
                .with("account", format!("#{baiyun}"))
                .with("number", "HT-2025-0012")
                .with("title", "旅客服务系统试点合同")
                .with("amount", "48000")
                .with("currency", "CNY")
                .with("start", day(400))
                .with("end", day(35))
                .with("signed", day(400)),
        )
    })?;
    at(crm, 3);
    crm.write(|w, env| {
        let o = orders::create(
            w,
            env,
            Input::new()
                .with("account", format!("#{baiyun}"))
                .with("currency", "CNY"),
        )?;
        crate::domain::commerce::lines::add(
            w,
            env,
            Entity::Order,
            o,
            &Input::new().with("product", "SV-MNT-90").with("qty", "1"),
        )?;
        Ok(())
    })?;
    crm.env.clock = Clock::at_local(now);
    Ok(())
}

/// USD→CNY on the first of each of the last twelve months, oldest first (the bank's
/// middle rate of the day, four places).
const USD_CNY: [&str; 12] = [
    "7.1884", "7.1920", "7.1695", "7.1780", "7.1823", "7.1654", "7.1586", "7.1472", "7.1316",
    "7.1108", "7.1024", "7.0865",
];

/// EUR→CNY on the first of every third of those months.
const EUR_CNY: [&str; 4] = ["8.1572", "8.3105", "8.3876", "8.2415"];

/// Exchange rates over the last year, set on their days by the first user, so that every
/// report converts the sample's USD deals into CNY (`kith report pipeline --currency CNY`):
/// the first is older than any deal's date, the last holds for the deals to come.
/// The team tree (销售部 → 华南区, 华东区, 海外), each with its lead, and every user in a
/// team. Nobody is given a role: the sample stays one person's, whoever opens it
/// (docs/team.md shows roles at work).
fn teams(crm: &mut Crm, now: NaiveDateTime) -> Result<()> {
    crm.env.clock = Clock::at_local(now - TimeDelta::days(365));
    crm.env.user = ALL_USERS[1].to_string();
    crm.write(|w, env| {
        let top = create_in(
            w,
            env,
            Entity::Team,
            &Input::new()
                .with("name", "销售部")
                .with("lead", "zhang.min"),
        )?;
        for (team, lead, members) in [
            ("华南区", "lin.wei", &["lin.wei"][..]),
            ("华东区", "chen.jie", &["chen.jie", "wang.fang"][..]),
            ("海外", "sarah.jones", &["sarah.jones", "david.kim"][..]),
        ] {
            let input = Input::new()
                .with("name", team)
                .with("parent", format!("#{top}"))
                .with("lead", lead);
            let id = create_in(w, env, Entity::Team, &input)?;
            for m in members {
                let user = w
                    .reader()
                    .user_by_login(m)?
                    .expect("the sample's users are made with their records");
                let input = Input::new().with("team", format!("#{id}"));
                crate::app::crm::update_in(w, env, Entity::User, user, &input)?;
            }
        }
        let boss = w
            .reader()
            .user_by_login("zhang.min")?
            .expect("the sample's users are made with their records");
        let input = Input::new().with("team", format!("#{top}"));
        crate::app::crm::update_in(w, env, Entity::User, boss, &input)?;
        Ok(())
    })
}

/// The shared pool (公海): accounts nobody owns, one of them given back by its owner with
/// the reason, and one claimed from the pool since.
fn pool(crm: &mut Crm, now: NaiveDateTime) -> Result<()> {
    let rules = crate::domain::team::pool::PoolConfig::default();
    let at = |days: i64| Clock::at_local(now - TimeDelta::days(days));
    crm.env.clock = at(40);
    crm.env.user = ALL_USERS[1].to_string();
    let mut ids = Vec::new();
    crm.write(|w, env| {
        for (name, city, tier, owner) in [
            ("珠江口岸物流", "广州", "B", ""),
            ("Saltmarsh Provisions", "Bristol", "C", ""),
            ("海川商贸", "宁波", "C", ""),
            ("Ironbridge Tooling", "Leeds", "B", ALL_USERS[1]),
        ] {
            let input = Input::new()
                .with("name", name)
                .with("type", "prospect")
                .with("tier", tier)
                .with("city", city)
                .with("owner", owner);
            ids.push(create_in(w, env, Entity::Account, &input)?);
        }
        Ok(())
    })?;
    crm.env.clock = at(12);
    crm.pool_release(ids[3], "moved out of the region")?;
    crm.env.clock = at(5);
    crm.env.user = ALL_USERS[2].to_string();
    crm.pool_claim(&rules, &ids[2..3])
}

fn rates(crm: &mut Crm, now: NaiveDateTime) -> Result<()> {
    use chrono::Months;
    crm.env.user = ALL_USERS[0].to_string();
    let this_month = now.date().with_day(1).unwrap_or(now.date());
    for (i, usd) in USD_CNY.iter().enumerate() {
        let first = this_month
            .checked_sub_months(Months::new((USD_CNY.len() - 1 - i) as u32))
            .unwrap_or(this_month);
        crm.env.clock = Clock::at_local(
            first
                .and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default())
                .min(now),
        );
        let on = day(first);
        crm.write(|w, env| {
            use crate::domain::commerce::rates::set;
            set(w, env, "USD", "CNY", usd, Some(&on))?;
            if i % 3 == 0 {
                set(w, env, "EUR", "CNY", EUR_CNY[i / 3], Some(&on))?;
            }
            Ok(())
        })?;
    }
    crm.env.clock = Clock::at_local(now);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Generation

fn generate_inner(crm: &mut Crm, opts: &DemoOptions) -> Result<DemoSummary> {
    if !crm.reader().is_empty()? {
        return Err(crate::err!(Invalid, "demo.database_already_holds"));
    }
    let now = crm.env.clock.now();
    let now_utc = crm.env.clock.utc();
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(opts.seed),
        now,
        today: now.date(),
        names: BTreeSet::new(),
        titles: BTreeSet::new(),
        events: Vec::new(),
    };
    let n = opts.accounts.max(1);

    let (accts, people) = plan_accounts(&mut g, n);
    let setup_at = accts.iter().map(|a| a.at).min().unwrap_or(now) - TimeDelta::days(1);
    crm.env.clock = Clock::at_local(setup_at);
    crm.ensure_setup()?;
    // The catalogue, made with the setup: what the business sells.
    crm.env.user = ALL_USERS[0].to_string();
    crm.write(|w, env| {
        for input in product_inputs() {
            create_in(w, env, Entity::Product, &input)?;
        }
        Ok(())
    })?;

    // Accounts with their contacts, one transaction each, in the order they were made.
    let mut account_ids = Vec::with_capacity(accts.len());
    let mut contact_ids = vec![0i64; people.len()];
    for a in &accts {
        crm.env.clock = Clock::at_local(a.at);
        crm.env.user = a.owner.to_string();
        let input = account_input(&mut g, a, a.parent.map(|p| account_ids[p]));
        let contacts: Vec<(usize, Input)> = a
            .contacts
            .iter()
            .map(|&c| (c, contact_input(&mut g, &accts, &people, c)))
            .collect();
        let id = crm.write(|w, env| {
            let id = create_in(w, env, Entity::Account, &input)?;
            for (c, mut ci) in contacts {
                ci.set("account", id.to_string());
                contact_ids[c] = create_in(w, env, Entity::Contact, &ci)?;
            }
            Ok(id)
        })?;
        account_ids.push(id);
    }

    let mut accts = accts;
    let mut deals = Vec::new();
    let leads = plan_leads(&mut g, n, &accts);
    let converted_deals = leads.iter().filter(|l| l.deal.is_some()).count();
    plan_deals(
        &mut g,
        n.saturating_sub(converted_deals).max(3),
        &mut accts,
        &people,
        &account_ids,
        &contact_ids,
        &mut deals,
    );
    plan_activities(
        &mut g,
        n,
        &accts,
        &people,
        &deals,
        &account_ids,
        &contact_ids,
    );
    let tasks = plan_tasks(
        &mut g,
        n,
        &accts,
        &people,
        &deals,
        &account_ids,
        &contact_ids,
    );

    // Everything else, day by day: one transaction per day and salesperson.
    let mut events = std::mem::take(&mut g.events);
    events.sort_by(|a, b| {
        (a.at.date(), a.user, a.at, a.seq).cmp(&(b.at.date(), b.user, b.at, b.seq))
    });
    let mut ids = Ids {
        lead: vec![0; leads.len()],
        deal: vec![0; deals.len()],
        task: vec![0; tasks.len()],
        account: &account_ids,
    };
    let plans = Plans {
        leads: &leads,
        deals: &deals,
        tasks: &tasks,
    };
    let mut start = 0;
    while start < events.len() {
        let key = (events[start].at.date(), events[start].user);
        let mut end = start;
        while end < events.len() && (events[end].at.date(), events[end].user) == key {
            end += 1;
        }
        let group = &events[start..end];
        let stamp = group.iter().map(|e| e.at).max().unwrap_or(now).min(now);
        crm.env.clock = Clock::at_local(stamp);
        crm.env.user = key.1.to_string();
        crm.write(|w, env| {
            for e in group {
                run(w, env, &e.ev, &plans, &mut ids)?;
            }
            Ok(())
        })?;
        start = end;
    }
    commerce(crm, now)?;
    cash(crm, now)?;
    rates(crm, now)?;
    service::generate(
        crm,
        &mut g,
        now_utc,
        &accts,
        &people,
        &account_ids,
        &contact_ids,
    )?;

    pool(crm, now)?;
    teams(crm, now)?;

    let count = |e: Entity| crm.count(e, &ListQuery::default());
    Ok(DemoSummary {
        accounts: count(Entity::Account)?,
        contacts: count(Entity::Contact)?,
        leads: count(Entity::Lead)?,
        deals: count(Entity::Deal)?,
        activities: count(Entity::Activity)?,
        tasks: count(Entity::Task)?,
        products: count(Entity::Product)?,
        quotes: count(Entity::Quote)?,
        orders: count(Entity::Order)?,
        contracts: count(Entity::Contract)?,
        payments: count(Entity::Payment)?,
        invoices: count(Entity::Invoice)?,
        cases: count(Entity::Case)?,
        surveys: count(Entity::Survey)?,
    })
}

struct Ids<'a> {
    lead: Vec<i64>,
    deal: Vec<i64>,
    task: Vec<i64>,
    account: &'a [i64],
}

struct Plans<'a> {
    leads: &'a [LeadPlan],
    deals: &'a [DealPlan],
    tasks: &'a [TaskPlan],
}

fn run(w: &mut Writer<'_>, env: &Env, ev: &Ev, p: &Plans<'_>, ids: &mut Ids<'_>) -> Result<()> {
    match ev {
        Ev::Lead(i) => ids.lead[*i] = create_in(w, env, Entity::Lead, &p.leads[*i].input)?,
        Ev::LeadStatus(i, input) => {
            update_in(w, env, Entity::Lead, ids.lead[*i], input)?;
        }
        Ev::Convert(i) => {
            let plan = &p.leads[*i];
            let c = Convert {
                account: plan.account.map(|a| ids.account[a].to_string()),
                contact: None,
                deal: plan.deal.as_ref().map(|(t, _)| t.clone()),
                deal_input: plan
                    .deal
                    .as_ref()
                    .map(|(_, d)| d.clone())
                    .unwrap_or_default(),
            };
            let done = crate::domain::sales::leads::convert(w, env, &AllKinds, ids.lead[*i], &c)?;
            if done.account_created {
                update_in(w, env, Entity::Account, done.account_id, &plan.new_account)?;
            }
        }
        Ev::Deal(i) => ids.deal[*i] = create_in(w, env, Entity::Deal, &p.deals[*i].input)?,
        Ev::Move(i, stage) => {
            crate::domain::sales::deals::move_to(w, env, ids.deal[*i], stage, &Move::default())?;
        }
        Ev::Close(i, outcome, reason) => {
            let m = Move {
                probability: None,
                reason: reason.clone(),
            };
            crate::domain::sales::deals::close(w, env, ids.deal[*i], outcome, &m)?;
        }
        Ev::Activity(a) => {
            let mut input = a.input.clone();
            resolve_links(&mut input, ids);
            crate::domain::sales::activities::log(w, env, &AllKinds, &input, a.next.as_ref())?;
        }
        Ev::Task(i) => {
            let mut input = p.tasks[*i].input.clone();
            resolve_links(&mut input, ids);
            ids.task[*i] = create_in(w, env, Entity::Task, &input)?;
        }
        Ev::TaskDone(i) => {
            update_in(
                w,
                env,
                Entity::Task,
                ids.task[*i],
                &Input::new().with("done", "yes"),
            )?;
        }
    }
    Ok(())
}

/// Plans name deals by their index (`deal_index`) as their ids are known only once made.
fn resolve_links(input: &mut Input, ids: &Ids<'_>) {
    if let Some(i) = input.take("deal_index") {
        let i: usize = i.parse().unwrap_or(0);
        input.set("deal", ids.deal[i].to_string());
    }
}

// ---------------------------------------------------------------------------------------
// Accounts and contacts

fn plan_accounts(g: &mut Gen, n: usize) -> (Vec<Acct>, Vec<Person>) {
    // Creation days, oldest first, so ids grow with time.
    let mut agos: Vec<i64> = (0..n)
        .map(|_| {
            if g.chance(0.1) {
                g.range(2, 30)
            } else {
                g.range(31, 1000)
            }
        })
        .collect();
    agos.sort_unstable_by(|a, b| b.cmp(a));
    let baiyun_at = (n / 20).min(n - 1);
    let ind_weights: Vec<(usize, u32)> = INDUSTRIES
        .iter()
        .enumerate()
        .map(|(i, d)| (i, d.weight))
        .collect();

    let mut accts: Vec<Acct> = Vec::with_capacity(n);
    let mut people = Vec::new();
    for (i, &ago) in agos.iter().enumerate() {
        let ago = ago.max(2);
        let at = g.at_ago(ago);
        let mut a = if i == baiyun_at {
            Acct {
                name: BAIYUN.to_string(),
                zh: true,
                ind: 0,
                city: 2,
                ty: "customer",
                tier: "A",
                status: "active",
                owner: "lin.wei",
                ago,
                at,
                parent: None,
                domain: "baiyunport.cn".into(),
                source: "exhibition",
                contacts: vec![],
                deals: vec![],
            }
        } else {
            let branch_of = if i > 10 && g.chance(0.1) {
                // Branches hang off bigger accounts and distributors.
                let candidates: Vec<usize> = (0..i)
                    .filter(|&p| {
                        accts[p].parent.is_none()
                            && accts[p].name != BAIYUN
                            && (accts[p].tier != "C" || accts[p].ty == "distributor")
                            && accts[p].ty != "competitor"
                    })
                    .collect();
                candidates.choose(&mut g.rng).copied()
            } else {
                None
            };
            match branch_of {
                Some(p) => branch(g, &accts[p], p, ago, at),
                None => fresh_account(g, &ind_weights, ago, at),
            }
        };
        let k = match a.tier {
            _ if a.name == BAIYUN => 6,
            "A" => g.range(3, 5) + i64::from(g.chance(0.3)) * 2,
            "B" => g.range(2, 4),
            _ => g.range(1, 3),
        };
        for _ in 0..k {
            let (name, _) = g.person(a.zh);
            a.contacts.push(people.len());
            people.push(Person { name, acct: i });
        }
        accts.push(a);
    }
    (accts, people)
}

fn fresh_account(g: &mut Gen, ind_weights: &[(usize, u32)], ago: i64, at: NaiveDateTime) -> Acct {
    let ind = g.weighted(ind_weights);
    let zh = g.chance(0.75);
    let city = if zh {
        g.rng.random_range(0..ZH_CITIES.len())
    } else {
        g.rng.random_range(0..EN_CITIES.len())
    };
    let (name, domain) = g.company(ind, zh, city);
    let ty = g.weighted(&[
        ("customer", 45),
        ("prospect", 35),
        ("partner", 7),
        ("distributor", 6),
        ("competitor", 3),
        ("supplier", 4),
    ]);
    // New accounts are prospects.
    let ty = if ago <= 30 && ty == "customer" {
        "prospect"
    } else {
        ty
    };
    let tier = g.weighted(&[("A", 10), ("B", 30), ("C", 60)]);
    let status = g.weighted(&[("active", 80), ("dormant", 15), ("lost", 5)]);
    let status = if ago <= 60 { "active" } else { status };
    let owner = g.owner_for(zh);
    let source = g.source();
    Acct {
        name,
        zh,
        ind,
        city,
        ty,
        tier,
        status,
        owner,
        ago,
        at,
        parent: None,
        domain,
        source,
        contacts: vec![],
        deals: vec![],
    }
}

fn branch(g: &mut Gen, parent: &Acct, p: usize, ago: i64, at: NaiveDateTime) -> Acct {
    let zh = parent.zh;
    let cities = if zh { ZH_CITIES.len() } else { EN_CITIES.len() };
    let mut city = g.rng.random_range(0..cities);
    if city == parent.city {
        city = (city + 1) % cities;
    }
    let base = &parent.name;
    let name = g.unique_name(|g| {
        if zh {
            let kind = g.pick(&["分公司", "办事处", "分销中心"]);
            format!("{base}{}{kind}", ZH_CITIES[city].0)
        } else {
            let kind = g.pick(&["Branch", "Office", "Distribution"]);
            format!("{base} {} {kind}", EN_CITIES[city].0)
        }
    });
    let tier = if parent.tier == "A" && g.chance(0.5) {
        "B"
    } else {
        g.pick(&["B", "C"])
    };
    Acct {
        name,
        zh,
        ind: parent.ind,
        city,
        ty: parent.ty,
        tier,
        status: if g.chance(0.9) { "active" } else { "dormant" },
        owner: g.owner_for(zh),
        ago,
        at,
        parent: Some(p),
        domain: parent.domain.clone(),
        source: g.pick(&["referral", "partner"]),
        contacts: vec![],
        deals: vec![],
    }
}

fn account_input(g: &mut Gen, a: &Acct, parent: Option<i64>) -> Input {
    let mut input = Input::new()
        .with("name", a.name.clone())
        .with("kind", "company")
        .with("type", a.ty)
        .with("tier", a.tier)
        .with("status", a.status)
        .with("industry", INDUSTRIES[a.ind].label)
        .with("owner", a.owner)
        .with("source", a.source);
    if let Some(p) = parent {
        input.set("parent", p.to_string());
    }
    let phone = g.office_phone(a.zh, a.city);
    input.set("phone", phone);
    input.set("website", format!("www.{}", a.domain));
    if a.zh {
        let (city, province, _, _) = ZH_CITIES[a.city];
        let address = if a.name == BAIYUN {
            "广州市白云区机场路282号".to_string()
        } else {
            format!("{city}市{}{}号", g.pick(ZH_ROADS), g.range(1, 999))
        };
        input.set("address", address);
        input.set("city", city);
        input.set("region", province);
        input.set("country", "中国");
        if g.chance(0.3) {
            input.set("email", format!("info@{}", a.domain));
        }
    } else {
        let (city, region, country, _, _) = EN_CITIES[a.city];
        input.set(
            "address",
            format!("{} {}", g.range(1, 2500), g.pick(EN_STREETS)),
        );
        input.set("city", city);
        input.set("region", region);
        input.set("country", country);
        if g.chance(0.3) {
            input.set("email", format!("sales@{}", a.domain));
        }
    }
    let mut tags: Vec<&str> = Vec::new();
    if a.name == BAIYUN {
        tags.extend(["key", "strategic", "重点", "vip"]);
    } else {
        if a.tier == "A" {
            tags.push(g.pick(&["key", "strategic", "重点"]));
            if g.chance(0.3) {
                tags.push("vip");
            }
        } else if a.tier == "B" && g.chance(0.2) {
            tags.push(g.pick(&["key", "重点"]));
        }
        if a.ty == "customer" && g.chance(0.1) {
            tags.push("renewal");
        }
    }
    if !tags.is_empty() {
        input.set("tags", tags.join(","));
    }
    if a.name == BAIYUN {
        input.set(
            "notes",
            "华南最大的枢纽机场，信息中心统一采购；年度预算每年3月下达。",
        );
    } else if g.chance(0.1) {
        let note = if a.zh {
            g.pick(&[
                "年底集中采购。",
                "对价格敏感，重视本地服务。",
                "老客户介绍。",
                "集团统一招标。",
            ])
        } else {
            g.pick(&[
                "Buys at year end.",
                "Price sensitive; values local support.",
                "Referred by an existing customer.",
            ])
        };
        input.set("notes", note);
    }
    input
}

fn contact_input(g: &mut Gen, accts: &[Acct], people: &[Person], c: usize) -> Input {
    let p = &people[c];
    let a = &accts[p.acct];
    let (title, role) = {
        let list: Vec<((&str, &str), u32)> = (if a.zh { ZH_TITLES } else { EN_TITLES })
            .iter()
            .map(|(t, r, w)| ((*t, *r), *w))
            .collect();
        g.weighted(&list)
    };
    let local = mail_local(&p.name, a.zh);
    let mut input = Input::new()
        .with("name", p.name.clone())
        .with("title", title)
        .with("role", role)
        .with("owner", a.owner)
        .with("emails", format!("{local}@{}", a.domain));
    if g.chance(0.25) {
        let personal = if a.zh {
            format!(
                "{}{}@{}",
                local.replace('.', ""),
                g.range(1, 99),
                g.pick(&["163.com", "qq.com", "126.com"])
            )
        } else {
            format!("{local}{}@gmail.com", g.range(1, 99))
        };
        input.set("emails", personal);
    }
    let m = g.mobile(a.zh, a.city);
    input.set("phones", m);
    if g.chance(0.4) {
        let office = g.office_phone(a.zh, a.city);
        input.set("phones", office);
    }
    if g.chance(0.6) {
        let year = g.range(1962, 1998) as i32;
        let md = if g.chance(0.08) {
            g.today + Days::new(g.range(0, 7) as u64)
        } else {
            g.today + Days::new(g.range(0, 365) as u64)
        };
        let bday = NaiveDate::from_ymd_opt(year, md.month(), md.day())
            .or_else(|| NaiveDate::from_ymd_opt(1988, md.month(), md.day()))
            .expect("a valid birthday");
        input.set("birthday", day(bday));
    }
    let mut tags = Vec::new();
    if role == "decision maker" && g.chance(0.5) {
        tags.push("kp");
    }
    if g.chance(0.15) {
        tags.push(if a.zh {
            g.pick(&["技术", "老朋友", "决策人"])
        } else {
            g.pick(&["champion", "technical", "newsletter"])
        });
    }
    if !tags.is_empty() {
        input.set("tags", tags.join(","));
    }
    input
}

fn mail_local(name: &str, zh: bool) -> String {
    if !zh {
        return name.to_lowercase().replace(' ', ".");
    }
    let mut chars = name.chars();
    let family: String = chars.next().map(String::from).unwrap_or_default();
    let given: String = chars.collect();
    let fp = FAMILY
        .iter()
        .find(|(f, _)| *f == family)
        .map(|(_, p)| *p)
        .unwrap_or("x");
    let gp = GIVEN
        .iter()
        .find(|(f, _)| *f == given)
        .map(|(_, p)| *p)
        .unwrap_or("x");
    // A stable choice of style per person.
    if (fp.len() + gp.len()) % 2 == 0 {
        format!("{gp}.{fp}")
    } else {
        format!("{fp}{gp}")
    }
}

// ---------------------------------------------------------------------------------------
// Leads

fn plan_leads(g: &mut Gen, n: usize, accts: &[Acct]) -> Vec<LeadPlan> {
    let count = (n / 2).max(5);
    let statuses = ["new", "contacted", "qualified", "disqualified", "converted"];
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let status = if i < statuses.len() {
            statuses[i]
        } else {
            g.weighted(&[
                ("new", 25),
                ("contacted", 25),
                ("qualified", 20),
                ("disqualified", 15),
                ("converted", 15),
            ])
        };
        // A lead at an existing account (cross-selling) or at a new company.
        let existing = if g.chance(0.25) {
            let cands: Vec<usize> = (0..accts.len())
                .filter(|&a| accts[a].ago > 12 && !matches!(accts[a].ty, "competitor" | "supplier"))
                .collect();
            cands.choose(&mut g.rng).copied()
        } else {
            None
        };
        let (zh, ind, city) = match existing {
            Some(a) => (accts[a].zh, accts[a].ind, accts[a].city),
            None => {
                let zh = g.chance(0.75);
                let ind = g.rng.random_range(0..INDUSTRIES.len());
                let city = g
                    .rng
                    .random_range(0..if zh { ZH_CITIES.len() } else { EN_CITIES.len() });
                (zh, ind, city)
            }
        };
        let (company, domain) = match existing {
            Some(a) => (accts[a].name.clone(), accts[a].domain.clone()),
            None => g.company(ind, zh, city),
        };
        let (name, local) = g.person(zh);
        let owner = g.owner_for(zh);
        let source = g.source();
        let score = match status {
            "new" => g.range(0, 60),
            "contacted" => g.range(20, 70),
            "qualified" => g.range(50, 95),
            "disqualified" => g.range(0, 30),
            _ => g.range(60, 100),
        };
        let title = g.pick(if zh { ZH_TITLES } else { EN_TITLES }).0;
        let mut input = Input::new()
            .with("name", name)
            .with("company", company.clone())
            .with("title", title)
            .with("source", source)
            .with("score", score.to_string())
            .with("owner", owner);
        if g.chance(0.85) {
            input.set("email", format!("{local}@{domain}"));
        }
        if g.chance(0.7) {
            let m = g.mobile(zh, city);
            input.set("phone", m);
        }
        if source == "exhibition" && g.chance(0.6) {
            input.set("tags", if zh { "展会" } else { "expo" });
        } else if score >= 80 {
            input.set("tags", "hot");
        }
        if g.chance(0.2) {
            let note = if zh {
                g.pick(&[
                    "官网留资，想了解价格。",
                    "展会上交换了名片。",
                    "老客户推荐。",
                ])
            } else {
                g.pick(&[
                    "Filled in the web form asking for pricing.",
                    "Met at the trade show.",
                    "Referred by a customer.",
                ])
            };
            input.set("notes", note);
        }

        // Days: made, then each later step on a later day.
        let acct_limit = existing.map(|a| accts[a].ago - 1).unwrap_or(400);
        let steps = match status {
            "new" => 0,
            "contacted" => 1,
            "qualified" | "disqualified" => 2,
            _ => 3,
        };
        let (lo, hi) = match status {
            "new" => (0, 30),
            "contacted" => (3, 90),
            "qualified" => (6, 120),
            "disqualified" => (4, 150),
            _ => (10, 150),
        };
        let hi = hi.min(acct_limit).max(steps as i64);
        let made = g.workday_ago(lo.min(hi), hi);
        let made = made.max(steps as i64);
        let days = g.chain(made - 1, 0, steps);
        let idx = out.len();
        let at = g.at_ago(made);
        g.push(at, owner, Ev::Lead(idx));
        let labels: &[&str] = match status {
            "contacted" => &["contacted"],
            "qualified" => &["contacted", "qualified"],
            "disqualified" => &["contacted", "disqualified"],
            "converted" => &["contacted", "qualified", "convert"],
            _ => &[],
        };
        for (k, d) in days.iter().enumerate() {
            let at = g.at_ago(*d);
            let ev = match labels[k] {
                "convert" => Ev::Convert(idx),
                "disqualified" => {
                    let why = if zh {
                        g.pick(&["无预算", "非目标客户", "联系不上", "已选择其他供应商"])
                    } else {
                        g.pick(&[
                            "No budget",
                            "Not a fit",
                            "Unreachable",
                            "Went with another vendor",
                        ])
                    };
                    Ev::LeadStatus(
                        idx,
                        Input::new()
                            .with("status", "disqualified")
                            .with("notes", why),
                    )
                }
                s => Ev::LeadStatus(idx, Input::new().with("status", s)),
            };
            g.push(at, owner, ev);
        }
        let deal = if status == "converted" && g.chance(0.6) {
            let base = format!(
                "{company}{}",
                if zh {
                    g.pick(INDUSTRIES[ind].zh_products)
                } else {
                    ""
                }
            );
            let title = if zh {
                g.unique_title(base, true)
            } else {
                let p = g.pick(INDUSTRIES[ind].en_products);
                g.unique_title(format!("{company} – {p}"), false)
            };
            let amount = (g.range(20, 300) * 1000).to_string();
            let close = g.today + Days::new(g.range(20, 150) as u64);
            let stage = g.pick(&["qualification", "needs analysis"]);
            let mut d = Input::new()
                .with("amount", amount)
                .with("close", day(close))
                .with("stage", stage);
            d.set("currency", if zh { "CNY" } else { "USD" });
            Some((title, d))
        } else {
            None
        };
        let mut new_account = Input::new()
            .with(
                "type",
                if deal.is_some() {
                    "prospect"
                } else {
                    g.pick(&["prospect", "customer"])
                },
            )
            .with("tier", g.pick(&["B", "C", "C"]))
            .with("status", "active")
            .with("industry", INDUSTRIES[ind].label)
            .with("website", format!("www.{domain}"));
        if zh {
            new_account.set("city", ZH_CITIES[city].0);
            new_account.set("region", ZH_CITIES[city].1);
            new_account.set("country", "中国");
        } else {
            new_account.set("city", EN_CITIES[city].0);
            new_account.set("region", EN_CITIES[city].1);
            new_account.set("country", EN_CITIES[city].2);
        }
        out.push(LeadPlan {
            input,
            account: existing,
            deal,
            new_account,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Deals

fn plan_deals(
    g: &mut Gen,
    count: usize,
    accts: &mut [Acct],
    people: &[Person],
    account_ids: &[i64],
    contact_ids: &[i64],
    out: &mut Vec<DealPlan>,
) {
    let weights: Vec<(usize, u32)> = accts
        .iter()
        .enumerate()
        .filter(|(_, a)| a.ago >= 3 && !matches!(a.ty, "competitor" | "supplier"))
        .map(|(i, a)| {
            let tier = match a.tier {
                "A" => 10,
                "B" => 4,
                _ => 1,
            };
            let status = match a.status {
                "active" => 3,
                _ => 1,
            };
            (i, if a.name == BAIYUN { 60 } else { tier * status })
        })
        .collect();
    if weights.is_empty() {
        return;
    }
    let targets = ["open", "won", "lost"];
    for i in 0..count {
        let ai = g.weighted(&weights);
        let target = if i < targets.len() {
            targets[i]
        } else {
            g.weighted(&[("open", 50), ("won", 28), ("lost", 22)])
        };
        let idx = out.len();
        let plan = deal_plan(g, idx, ai, target, accts, people, account_ids, contact_ids);
        accts[ai].deals.push(idx);
        out.push(plan);
    }
}

#[allow(clippy::too_many_arguments)]
fn deal_plan(
    g: &mut Gen,
    idx: usize,
    ai: usize,
    target: &'static str,
    accts: &[Acct],
    people: &[Person],
    account_ids: &[i64],
    contact_ids: &[i64],
) -> DealPlan {
    let a = &accts[ai];
    let ind = &INDUSTRIES[a.ind];
    let product = if g.chance(0.75) {
        g.pick(if a.zh {
            ind.zh_products
        } else {
            ind.en_products
        })
    } else {
        g.pick(if a.zh {
            ZH_GENERIC_PRODUCTS
        } else {
            EN_GENERIC_PRODUCTS
        })
    };
    let title = if a.zh {
        g.unique_title(format!("{}{product}", a.name), true)
    } else {
        g.unique_title(format!("{} – {product}", a.name), false)
    };
    let usd = (!a.zh && g.chance(0.6)) || (a.zh && g.chance(0.03));
    let median: f64 = match a.tier {
        "A" => 400_000.0,
        "B" => 150_000.0,
        _ => 50_000.0,
    } * if a.name == BAIYUN { 3.0 } else { 1.0 };
    let cny = (median * (0.9 * g.normal()).exp()).clamp(5_000.0, 20_000_000.0);
    let amount = if usd {
        ((cny / 7.1 / 100.0).round() * 100.0).max(1_000.0)
    } else {
        (cny / 1000.0).round() * 1000.0
    };
    let mut competitor = if g.chance(0.3) {
        Some(g.pick(COMPETITORS))
    } else {
        None
    };

    // Stages to go through after the first, and when.
    let open_stage = if target == "open" {
        g.weighted(&[(0usize, 30), (1, 28), (2, 24), (3, 18)])
    } else {
        0
    };
    let lost_at = g.range(0, 3) as usize;
    let mut moves: Vec<&'static str> = match target {
        "open" => OPEN_STAGES[1..=open_stage].to_vec(),
        "won" => OPEN_STAGES[1..].to_vec(),
        _ => OPEN_STAGES[1..=lost_at].to_vec(),
    };
    if target != "open" {
        moves.push(target);
    }
    let limit = a.ago - 1;
    let steps = moves.len() as i64;
    let made = if target == "open" {
        g.range((steps + 1).max(5), 160)
    } else {
        g.range(30, 300)
    }
    .min(limit)
    .max(steps + 1)
    .min(limit.max(1));
    let newest = if target == "open" {
        0
    } else {
        g.range(0, (made - steps).max(0) * 3 / 4)
    };
    let days = g.chain(made - 1, newest.min(made - 1), moves.len());
    // Too little room (a young account): fewer steps.
    let moves = &moves[moves.len() - days.len()..];

    let owner = if g.chance(0.9) {
        a.owner
    } else {
        g.pick(ALL_USERS)
    };
    let made_at = g.at_ago(made);
    g.push(made_at, owner, Ev::Deal(idx));
    let reason = if moves.last() == Some(&"lost") {
        let r = g.pick(LOST_REASONS);
        if r == "competitor" && competitor.is_none() {
            competitor = Some(g.pick(COMPETITORS));
        }
        Some(r.to_string())
    } else {
        None
    };
    for (k, d) in days.iter().enumerate() {
        let at = g.at_ago(*d);
        let ev = match moves[k] {
            s @ ("won" | "lost") => Ev::Close(idx, s, reason.clone()),
            s => Ev::Move(idx, s),
        };
        g.push(at, owner, ev);
    }
    let closed = matches!(moves.last(), Some(&"won") | Some(&"lost"));
    let close_day = days.last().copied().unwrap_or(made);
    let expected = if closed {
        g.date_ago(close_day) + TimeDelta::days(g.range(-20, 20))
    } else if g.chance(0.15) {
        {
            let d = g.range(1, 60);
            g.date_ago(d)
        }
    } else if moves.last() == Some(&"negotiation") {
        g.today + TimeDelta::days(g.range(7, 60))
    } else {
        g.today + TimeDelta::days(g.range(14, 180))
    };

    let mut input = Input::new()
        .with("title", title)
        .with("account", account_ids[ai].to_string())
        .with("amount", format!("{amount:.0}"))
        .with("currency", if usd { "USD" } else { "CNY" })
        .with("close", day(expected))
        .with("owner", owner)
        .with("source", if g.chance(0.7) { a.source } else { g.source() });
    if let Some(&c) = a.contacts.choose(&mut g.rng) {
        debug_assert_eq!(people[c].acct, ai);
        input.set("contact", contact_ids[c].to_string());
    }
    if let Some(c) = competitor {
        input.set("competitor", c);
    }
    let tag = if a.ty == "customer" {
        g.pick(&["renewal", "upsell", "upsell"])
    } else {
        "new-logo"
    };
    if g.chance(0.5) {
        input.set("tags", tag);
    }
    DealPlan {
        input,
        from: g.date_ago(made),
        to: closed.then(|| g.date_ago(close_day)),
        open: !closed,
    }
}

// ---------------------------------------------------------------------------------------
// Activities

fn plan_activities(
    g: &mut Gen,
    n: usize,
    accts: &[Acct],
    people: &[Person],
    deals: &[DealPlan],
    account_ids: &[i64],
    contact_ids: &[i64],
) {
    let kinds = [
        ("call", 30u32),
        ("visit", 20),
        ("meeting", 15),
        ("email", 25),
        ("note", 10),
    ];
    for (ai, a) in accts.iter().enumerate() {
        let k = if a.name == BAIYUN {
            30
        } else if matches!(a.ty, "competitor") {
            0
        } else if a.status != "active" {
            g.range(0, 1)
        } else if matches!(a.ty, "supplier" | "partner") {
            g.range(1, 4)
        } else {
            match a.tier {
                "A" => g.range(14, 24),
                "B" => g.range(5, 10),
                _ => g.range(0, 3),
            }
        };
        let oldest = (a.ago - 1).min(180);
        if oldest < 0 {
            continue;
        }
        for _ in 0..k {
            let u: f64 = g.rng.random();
            let mut d = (u.powf(1.4) * oldest as f64) as i64;
            if a.status != "active" {
                d = g.range(oldest / 2, oldest);
            }
            let kind = g.weighted(&kinds);
            if matches!(kind, "visit" | "meeting") {
                d = g.workday_ago(d, d + 2).min(oldest);
            }
            let at = g.at_ago(d);
            let date = at.date();
            let list = if a.zh { ZH_ACTIVITY } else { EN_ACTIVITY };
            let subjects = list
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, s)| *s)
                .unwrap_or(&[]);
            let subject = g.pick(subjects);
            let owner = if g.chance(0.9) {
                a.owner
            } else {
                g.pick(ALL_USERS)
            };
            let mut input = Input::new()
                .with("kind", kind)
                .with("subject", subject)
                .with("at", when(at))
                .with("account", account_ids[ai].to_string())
                .with("owner", owner);
            if kind != "note" && g.chance(0.7) {
                let o = g.pick(if a.zh { ZH_OUTCOMES } else { EN_OUTCOMES });
                input.set("outcome", o);
            }
            let minutes = match kind {
                "call" => Some(g.range(3, 30)),
                "visit" => Some(g.range(6, 18) * 10),
                "meeting" => Some(g.range(3, 12) * 10),
                "email" if g.chance(0.3) => Some(5),
                _ => None,
            };
            if let Some(m) = minutes {
                input.set("minutes", m.to_string());
            }
            if g.chance(0.25) {
                let b = g.pick(if a.zh { ZH_BODIES } else { EN_BODIES });
                input.set("body", b);
            }
            if kind != "note" && g.chance(0.75) {
                if let Some(&c) = a.contacts.choose(&mut g.rng) {
                    debug_assert_eq!(people[c].acct, ai);
                    input.set("contact", contact_ids[c].to_string());
                }
            }
            // About a deal that was alive that day (made on an earlier day).
            let live: Vec<usize> = a
                .deals
                .iter()
                .copied()
                .filter(|&di| deals[di].from < date && deals[di].to.is_none_or(|t| t >= date))
                .collect();
            if !live.is_empty() && g.chance(0.6) {
                let di = g.pick(&live);
                input.set("deal_index", di.to_string());
            }
            let next = if d <= 7 && kind != "note" && g.chance(0.3) {
                let due = date + Days::new(g.range(2, 7) as u64);
                let title = if a.zh {
                    format!("跟进：{subject}")
                } else {
                    format!("Follow up: {subject}")
                };
                Some(FollowUp {
                    title,
                    due: Some(day(due)),
                    priority: Some(g.pick(&["normal", "high"]).to_string()),
                })
            } else {
                None
            };
            g.push(
                at,
                owner,
                Ev::Activity(Box::new(ActivityPlan { input, next })),
            );
        }
    }

    // Visits and meetings planned for the next two weeks.
    let planned = (n / 15).max(2);
    let cands: Vec<usize> = (0..accts.len())
        .filter(|&i| {
            accts[i].status == "active"
                && accts[i].tier != "C"
                && accts[i].ago >= 8
                && accts[i].ty != "competitor"
        })
        .collect();
    let cands = if cands.is_empty() {
        (0..accts.len()).filter(|&i| accts[i].ago >= 8).collect()
    } else {
        cands
    };
    for _ in 0..planned {
        let Some(&ai) = cands.choose(&mut g.rng) else {
            break;
        };
        let a = &accts[ai];
        let (kind, subject) = g.pick(if a.zh { ZH_PLANNED } else { EN_PLANNED });
        let mut date = g.today + Days::new(g.range(1, 14) as u64);
        while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            date = date + Days::new(1);
        }
        let time = g.pick(&[(9, 30), (10, 0), (14, 0), (15, 30)]);
        let at = date.and_hms_opt(time.0, time.1, 0).expect("a valid time");
        let booked_ago = g.range(0, 6);
        let booked = g.at_ago(booked_ago);
        let mut input = Input::new()
            .with("kind", kind)
            .with("subject", subject)
            .with("at", when(at))
            .with("account", account_ids[ai].to_string())
            .with("owner", a.owner)
            .with("minutes", if kind == "visit" { "120" } else { "60" });
        if let Some(&c) = a.contacts.choose(&mut g.rng) {
            input.set("contact", contact_ids[c].to_string());
        }
        let open: Vec<usize> = a
            .deals
            .iter()
            .copied()
            .filter(|&d| deals[d].open && deals[d].from < booked.date())
            .collect();
        if let Some(&di) = open.choose(&mut g.rng) {
            input.set("deal_index", di.to_string());
        }
        g.push(
            booked,
            a.owner,
            Ev::Activity(Box::new(ActivityPlan { input, next: None })),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Tasks

fn plan_tasks(
    g: &mut Gen,
    n: usize,
    accts: &[Acct],
    people: &[Person],
    deals: &[DealPlan],
    account_ids: &[i64],
    contact_ids: &[i64],
) -> Vec<TaskPlan> {
    let weights: Vec<(usize, u32)> = accts
        .iter()
        .enumerate()
        .filter(|(_, a)| a.ago >= 3 && a.ty != "competitor")
        .map(|(i, a)| {
            let w = match (a.tier, a.status) {
                (_, "dormant" | "lost") => 1,
                ("A", _) => 12,
                ("B", _) => 5,
                _ => 2,
            };
            (i, w)
        })
        .collect();
    let mut out = Vec::new();
    if weights.is_empty() {
        return out;
    }
    let count = (n * 2 / 3).max(4);
    for i in 0..count {
        let ai = g.weighted(&weights);
        let a = &accts[ai];
        let made = g.workday_ago(1, 45.min(a.ago - 1).max(1));
        let kind = if i == 0 {
            "overdue"
        } else {
            g.weighted(&[("overdue", 12), ("today", 8), ("future", 40), ("done", 40)])
        };
        // An overdue task was made at least two days ago (accounts here are older).
        let made = if kind == "overdue" { made.max(2) } else { made };
        let owner = if g.chance(0.9) {
            a.owner
        } else {
            g.pick(ALL_USERS)
        };
        let mut title = g.pick(if a.zh { ZH_TASKS } else { EN_TASKS }).to_string();
        let mut input = Input::new()
            .with("account", account_ids[ai].to_string())
            .with("owner", owner)
            .with(
                "priority",
                g.weighted(&[("low", 25), ("normal", 50), ("high", 25)]),
            );
        if g.chance(0.5) {
            if let Some(&c) = a.contacts.choose(&mut g.rng) {
                input.set("contact", contact_ids[c].to_string());
                if g.chance(0.5) {
                    title = if a.zh {
                        format!("{title}（{}）", people[c].name)
                    } else {
                        format!("{title} ({})", people[c].name)
                    };
                }
            }
        }
        let made_date = g.date_ago(made);
        let live: Vec<usize> = a
            .deals
            .iter()
            .copied()
            .filter(|&d| deals[d].open && deals[d].from < made_date)
            .collect();
        if g.chance(0.4) {
            if let Some(&di) = live.choose(&mut g.rng) {
                input.set("deal_index", di.to_string());
            }
        }
        let due = match kind {
            "overdue" => {
                let d = g.range(1, made - 1);
                day(g.date_ago(d))
            }
            "today" => {
                if g.chance(0.5) {
                    when(
                        g.today
                            .and_hms_opt(g.rng.random_range(14..18), 0, 0)
                            .expect("a valid time"),
                    )
                } else {
                    day(g.today)
                }
            }
            "future" => day(g.today + Days::new(g.range(1, 30) as u64)),
            _ => {
                let d = g.range(0, made - 1);
                day(g.date_ago(d))
            }
        };
        input.set("due", due);
        input.set("title", title);
        if g.chance(0.1) {
            input.set(
                "notes",
                if a.zh {
                    "记得抄送区域经理。"
                } else {
                    "Copy the regional manager."
                },
            );
        }
        let idx = out.len();
        let at = g.at_ago(made);
        g.push(at, owner, Ev::Task(idx));
        if kind == "done" {
            let d = g.range(0, made - 1);
            let at = g.at_ago(d);
            g.push(at, owner, Ev::TaskDone(idx));
        }
        out.push(TaskPlan { input });
    }
    out
}

// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn crm() -> Crm {
        let env = Env {
            clock: Clock::pinned("2026-11-22T10:00").unwrap(),
            user: "demo".into(),
            currency: "CNY".into(),
            allow_duplicates: false,
        };
        Crm::new(Store::open_in_memory().unwrap(), env)
    }

    fn dump(crm: &Crm) -> String {
        let mut out = String::new();
        for e in Entity::ALL {
            let rows = crm.list(e, &ListQuery::default()).unwrap();
            out.push_str(&serde_json::to_string(&rows).unwrap());
            out.push('\n');
        }
        out
    }

    fn small(seed: u64) -> DemoOptions {
        DemoOptions { seed, accounts: 30 }
    }

    #[test]
    fn the_same_seed_gives_the_same_database() {
        let (mut a, mut b) = (crm(), crm());
        let sa = generate(&mut a, &small(7)).unwrap();
        let sb = generate(&mut b, &small(7)).unwrap();
        assert_eq!(sa, sb);
        assert_eq!(dump(&a), dump(&b));
        // The environment is given back as it was.
        assert_eq!(a.env.user, "demo");
        assert_eq!(a.env.clock, Clock::pinned("2026-11-22T10:00").unwrap());
    }

    /// Every kind users keep is in the sample database, so a user trying kith meets it.
    #[test]
    fn every_kind_users_keep_is_in_the_sample_data() {
        let mut c = crm();
        generate(&mut c, &small(3)).unwrap();
        for e in Entity::RECORDS {
            let n = c.list(e, &ListQuery::default()).unwrap().len();
            assert!(n > 0, "the sample database has no {}", e.plural());
        }
    }

    /// The sample's rates convert every amount of every report into CNY.
    #[test]
    fn every_report_of_the_sample_converts_into_cny() {
        use crate::app::reports::{run, Kind, Params};
        let mut c = crm();
        generate(&mut c, &small(5)).unwrap();
        assert_eq!(c.rates(Some("USD"), Some("CNY")).unwrap().len(), 12);
        assert_eq!(c.rates(Some("EUR"), None).unwrap().len(), 4);
        let p = Params {
            currency: Some("CNY".into()),
            ..Params::default()
        };
        for kind in Kind::ALL {
            let report = run(&c, kind, &p).unwrap_or_else(|e| panic!("{}: {e}", kind.name()));
            for (_, rows) in &report.tables {
                for r in rows {
                    let cur = r.get("currency").and_then(crate::store::Cell::as_str);
                    assert!(cur.is_none_or(|c| c == "CNY"), "{}: {r:?}", kind.name());
                }
            }
        }
    }

    #[test]
    fn another_seed_gives_other_data() {
        let (mut a, mut b) = (crm(), crm());
        generate(&mut a, &small(1)).unwrap();
        generate(&mut b, &small(2)).unwrap();
        assert_ne!(dump(&a), dump(&b));
    }

    #[test]
    fn a_database_with_records_is_refused() {
        let mut c = crm();
        generate(&mut c, &small(1)).unwrap();
        assert!(generate(&mut c, &small(1)).is_err());
        assert_eq!(c.env.user, "demo");
    }

    #[test]
    fn the_default_size_is_realistic() {
        let mut c = crm();
        let s = generate(&mut c, &DemoOptions::default()).unwrap();
        let all = |e: Entity| c.list(e, &ListQuery::default()).unwrap();
        let accounts = all(Entity::Account);
        let contacts = all(Entity::Contact);
        let leads = all(Entity::Lead);
        let deals = all(Entity::Deal);
        let activities = all(Entity::Activity);
        let tasks = all(Entity::Task);
        assert_eq!(
            s,
            DemoSummary {
                accounts: accounts.len(),
                contacts: contacts.len(),
                leads: leads.len(),
                deals: deals.len(),
                activities: activities.len(),
                tasks: tasks.len(),
                products: all(Entity::Product).len(),
                quotes: all(Entity::Quote).len(),
                orders: all(Entity::Order).len(),
                contracts: all(Entity::Contract).len(),
                payments: all(Entity::Payment).len(),
                invoices: all(Entity::Invoice).len(),
                cases: all(Entity::Case).len(),
                surveys: all(Entity::Survey).len(),
            }
        );
        // The service desk: all three types, both clocks met and missed, a case waiting,
        // one not yet taken, return visits and surveys, on a calendar with 国庆 and its
        // make-up days.
        let cases = all(Entity::Case);
        for ty in ["complaint", "inquiry", "suggestion"] {
            assert!(cases.iter().any(|c| c.str("type") == Some(ty)), "{ty}");
        }
        let late = |at: &str, due: &str| {
            cases
                .iter()
                .filter(|c| matches!((c.str(at), c.str(due)), (Some(a), Some(d)) if a > d))
                .count()
        };
        let met = |at: &str, due: &str| {
            cases
                .iter()
                .filter(|c| matches!((c.str(at), c.str(due)), (Some(a), Some(d)) if a <= d))
                .count()
        };
        for (at, due) in [
            ("responded_at", "respond_due"),
            ("resolved_at", "resolve_due"),
        ] {
            assert!(late(at, due) >= 2 && met(at, due) > late(at, due), "{at}");
        }
        assert!(cases.iter().any(|c| c.str("status") == Some("new")));
        assert!(
            cases
                .iter()
                .filter(|c| c.str("status") == Some("closed"))
                .count()
                > 20
        );
        assert!(cases.iter().any(|c| c.str("breach_reason").is_some()));
        assert!(s.surveys > 5, "{s:?}");
        let days = all(Entity::CalendarDay);
        assert!(days
            .iter()
            .any(|d| d.str("day") == Some("2026-10-01") && d.str("kind") == Some("holiday")));
        assert!(days
            .iter()
            .any(|d| d.str("day") == Some("2026-10-10") && d.str("kind") == Some("workday")));
        assert!(
            s.accounts >= 300 && s.contacts > 500 && s.leads >= 150,
            "{s:?}"
        );
        assert!(
            s.deals >= 280 && s.activities > 800 && s.tasks > 150,
            "{s:?}"
        );

        let baiyun: Vec<_> = accounts.iter().filter(|a| a.label() == BAIYUN).collect();
        assert_eq!(baiyun.len(), 1);
        assert_eq!(baiyun[0].str("tier"), Some("A"));
        assert_eq!(baiyun[0].str("type"), Some("customer"));
        assert_eq!(baiyun[0].str("city"), Some("广州"));

        for st in crate::domain::sales::deals::DEAL_STATUSES {
            assert!(
                deals.iter().any(|d| d.str("status") == Some(st)),
                "no {st} deal"
            );
        }
        for st in crate::domain::sales::leads::LEAD_STATUSES {
            assert!(
                leads.iter().any(|l| l.str("status") == Some(st)),
                "no {st} lead"
            );
        }
        for stage in OPEN_STAGES {
            let id = crate::domain::sales::pipelines::resolve_stage(&c.reader(), 1, stage)
                .unwrap()
                .id();
            assert!(
                deals.iter().any(|d| d.i64("stage_id") == Some(id)),
                "no deal in {stage}"
            );
        }
        assert!(accounts.iter().any(|a| a.i64("parent_id").is_some()));

        let now = c.env.clock;
        let oldest = crate::core::clock::stamp(now.utc() - TimeDelta::days(200));
        let now_stamp = now.stamp();
        let iso = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
        let local_now = iso(now.now());
        let oldest_at = iso(now.now() - TimeDelta::days(200));
        for a in &activities {
            let created = a.str("created_at").unwrap();
            assert!(
                created >= oldest.as_str() && created <= now_stamp.as_str(),
                "{a:?}"
            );
            assert!(a.str("at").unwrap() >= oldest_at.as_str(), "{a:?}");
        }
        assert!(activities
            .iter()
            .any(|a| a.str("at").unwrap() > local_now.as_str()));
        let today = day(now.today());
        assert!(tasks
            .iter()
            .any(|t| !t.bool("done") && t.str("due").is_some_and(|d| d < today.as_str())));
        assert!(tasks.iter().any(|t| t.bool("done")));
        for e in Entity::ALL {
            for r in all(e) {
                let created = r.str("created_at").unwrap();
                assert!(created <= now_stamp.as_str(), "{e} {r:?} made after now");
            }
        }
    }
}
