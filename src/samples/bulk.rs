//! Large generated CRMs for benchmarks (`kith demo --size large|huge`): hundreds of
//! thousands of accounts with their contacts, leads, deals, activities and tasks, written
//! in seconds by the store's bulk loader rather than record by record like [`crate::samples::demo`].
//!
//! The data is meant to look like a real sales team's: Chinese and English company and
//! person names (account names unique), tiers A/B/C at 10/30/60 %, mostly customers and
//! prospects, thirty sales reps, revenue concentrated in few customers (log-normal amounts,
//! larger for higher tiers, and a Pareto-like share of the deals for A accounts), deals in
//! every stage of the default pipeline with their stage history, activity clustered on
//! active A and B accounts over the last two years (and a few planned for the next two
//! weeks), tasks open, done and overdue, leads in every status, tags and birthdays.
//! Quote to cash follows: a catalogue of products and price lists, quotes, orders (most
//! from accepted quotes), contracts (most from orders) with their payment plans, the
//! payments received against them applied to the plans as kith applies them, and invoices.
//!
//! Everything happens in office hours on weekdays, in the local time zone; times are
//! stored as kith stores them (UTC stamps for record times, local text for `at` and
//! `due`). Local time is turned into UTC with the offset in force at `now`. The same seed,
//! now and time zone give the same database.

use crate::core::money::Money;
use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{Datelike, Local, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::core::error::Result;
use crate::domain::commerce::totals::{self, LineIn, Rounding, Worked};
use crate::samples::demo::{
    COMPETITORS, EN_BODIES, EN_OUTCOMES, EN_TASKS, EN_TITLES, LOST_REASONS, ZH_BODIES, ZH_OUTCOMES,
    ZH_TASKS, ZH_TITLES,
};
mod service;

use crate::store::{
    AccountRow, ActivityRow, AllocationRow, BulkLoader, BulkStage, ContactRow, ContractRow,
    DealRow, InvoiceRow, LeadRow, LineRow, LoadOptions, OrderRow, PaymentRow, PlanRow,
    PriceListRow, PriceRow, ProductRow, QuoteRow, Store, TaskRow,
};

/// A named dataset size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// 100,000 accounts, 300,000 contacts, 50,000 leads, 200,000 deals, 2,000,000
    /// activities, 500,000 tasks; 5,000 products, 20 price lists, 300,000 quotes, 150,000
    /// orders, 100,000 contracts with 400,000 plan items, 300,000 payments and 100,000
    /// invoices.
    Large,
    /// Ten times `Large`.
    Huge,
}

/// How many records of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Counts {
    pub accounts: u64,
    pub contacts: u64,
    pub leads: u64,
    pub deals: u64,
    pub activities: u64,
    pub tasks: u64,
    pub products: u64,
    pub pricelists: u64,
    /// Quotes, each with one to three lines.
    pub quotes: u64,
    /// Orders, each with one to three lines.
    pub orders: u64,
    pub contracts: u64,
    /// Items of the contracts' payment plans (one to eight per contract, as far as the
    /// count allows).
    pub plans: u64,
    /// Payments received, with what each paid of which plan item.
    pub payments: u64,
    pub invoices: u64,
    /// Service cases, with their clocks worked out on the sample calendar.
    pub cases: u64,
    /// Replies on the cases (activities): one on each answered case as far as the count
    /// goes, the rest spread over them.
    pub replies: u64,
    /// Surveys of closed cases (as far as there are closed cases).
    pub surveys: u64,
}

impl Size {
    pub fn counts(self) -> Counts {
        let k = match self {
            Size::Large => 1,
            Size::Huge => 10,
        };
        Counts {
            accounts: 100_000 * k,
            contacts: 300_000 * k,
            leads: 50_000 * k,
            deals: 200_000 * k,
            activities: 2_000_000 * k,
            tasks: 500_000 * k,
            products: 5_000 * k,
            pricelists: 20 * k,
            quotes: 300_000 * k,
            orders: 150_000 * k,
            contracts: 100_000 * k,
            plans: 400_000 * k,
            payments: 300_000 * k,
            invoices: 100_000 * k,
            cases: 200_000 * k,
            replies: 400_000 * k,
            surveys: 40_000 * k,
        }
    }

    pub fn parse(s: &str) -> Option<Size> {
        match s.trim().to_ascii_lowercase().as_str() {
            "large" => Some(Size::Large),
            "huge" => Some(Size::Huge),
            _ => None,
        }
    }
}

/// Fill `crm`'s database with the large generated dataset (`kith demo --size`), through
/// its bulk load, so subscribers hear of it.
pub fn generate_in(crm: &mut crate::app::crm::Crm, size: Size, seed: u64) -> Result<Counts> {
    crm.bulk_load(|store, env| generate(store, size, seed, env.clock.now(), &env.user))
}

/// Fill an empty database (an error otherwise) with generated data, deterministic for
/// (seed, now). `now` is local time; `user` is who the change log says made it all (one
/// batch). The database must have its default pipeline (`Crm::ensure_setup`).
pub fn generate(
    store: &mut Store,
    size: Size,
    seed: u64,
    now: NaiveDateTime,
    user: &str,
) -> Result<Counts> {
    generate_counts(store, &size.counts(), seed, now, user)
}

/// [`generate`] with any counts.
pub fn generate_counts(
    store: &mut Store,
    counts: &Counts,
    seed: u64,
    now: NaiveDateTime,
    user: &str,
) -> Result<Counts> {
    generate_with(store, counts, seed, now, user, &LoadOptions::default())
}

/// [`generate_counts`] with the bulk loader's settings chosen (to measure what each is
/// worth).
pub fn generate_with(
    store: &mut Store,
    counts: &Counts,
    seed: u64,
    now: NaiveDateTime,
    user: &str,
    opts: &LoadOptions,
) -> Result<Counts> {
    if counts.accounts == 0
        && (counts.contacts + counts.deals + counts.activities + counts.tasks) > 0
    {
        return Err(crate::err!(Invalid, "bulk.contacts_deals_activities"));
    }
    let max = (1u64 << 29) - 1;
    if counts.accounts.max(counts.leads) > max
        || [
            counts.contacts,
            counts.deals,
            counts.activities,
            counts.tasks,
            counts.quotes,
            counts.orders,
            counts.contracts,
            counts.plans,
            counts.payments,
            counts.invoices,
            counts.cases,
            counts.replies,
            counts.surveys,
        ]
        .iter()
        .any(|&n| n > u32::MAX as u64)
    {
        return Err(crate::err!(Invalid, "bulk.too_many_records"));
    }
    store.bulk_load(user, opts, |ld| {
        let mut g = Gen::new(seed, now, ld.stages())?;
        g.run(ld, counts)?;
        Ok(*counts)
    })
}

// ---------------------------------------------------------------------------------------
// Reference data

/// The sales team: (user, writes Chinese), with how big a book each has.
const REPS: &[(&str, bool, u32)] = &[
    ("lin.wei", true, 5),
    ("zhang.min", true, 4),
    ("chen.jie", true, 4),
    ("wang.fang", true, 3),
    ("liu.yang", true, 3),
    ("li.na", true, 3),
    ("zhao.lei", true, 3),
    ("huang.ting", true, 2),
    ("zhou.hao", true, 2),
    ("wu.qiang", true, 2),
    ("xu.jing", true, 2),
    ("sun.li", true, 2),
    ("ma.jun", true, 2),
    ("zhu.hong", true, 2),
    ("hu.bin", true, 2),
    ("guo.xin", true, 1),
    ("he.ping", true, 1),
    ("gao.yan", true, 1),
    ("luo.tao", true, 1),
    ("zheng.yu", true, 1),
    ("liang.chao", true, 1),
    ("xie.mei", true, 1),
    ("sarah.jones", false, 5),
    ("david.kim", false, 4),
    ("emma.wilson", false, 3),
    ("james.brown", false, 2),
    ("olivia.chen", false, 2),
    ("michael.lee", false, 2),
    ("sophie.martin", false, 1),
    ("daniel.wright", false, 1),
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
    ("郑州", "河南", "371", "zz"),
    ("济南", "山东", "531", "jn"),
    ("合肥", "安徽", "551", "hf"),
    ("福州", "福建", "591", "fz"),
    ("宁波", "浙江", "574", "nb"),
    ("无锡", "江苏", "510", "wx"),
    ("东莞", "广东", "769", "dg"),
    ("佛山", "广东", "757", "fs"),
    ("沈阳", "辽宁", "24", "sy"),
    ("大连", "辽宁", "411", "dl"),
    ("哈尔滨", "黑龙江", "451", "hrb"),
    ("昆明", "云南", "871", "km"),
    ("南宁", "广西", "771", "nn"),
    ("贵阳", "贵州", "851", "gy"),
    ("石家庄", "河北", "311", "sjz"),
];

/// (city, region, country, phone prefix, local digits to fill: 2, 3 or 7)
const EN_CITIES: &[(&str, &str, &str, &str, usize)] = &[
    ("San Francisco", "CA", "USA", "+1 415 555 01", 2),
    ("New York", "NY", "USA", "+1 212 555 01", 2),
    ("Seattle", "WA", "USA", "+1 206 555 01", 2),
    ("Chicago", "IL", "USA", "+1 312 555 01", 2),
    ("Los Angeles", "CA", "USA", "+1 213 555 01", 2),
    ("Boston", "MA", "USA", "+1 617 555 01", 2),
    ("Austin", "TX", "USA", "+1 512 555 01", 2),
    ("Toronto", "ON", "Canada", "+1 416 555 01", 2),
    ("Vancouver", "BC", "Canada", "+1 604 555 01", 2),
    ("London", "England", "UK", "+44 20 7946 0", 3),
    ("Manchester", "England", "UK", "+44 161 496 0", 3),
    ("Singapore", "Singapore", "Singapore", "+65 6", 7),
    ("Sydney", "NSW", "Australia", "+61 2 9", 7),
    ("Melbourne", "VIC", "Australia", "+61 3 9", 7),
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
    "和平路",
    "南京路",
    "新华路",
    "文化路",
    "工业大道",
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
    "High Street",
    "Mission Street",
    "Elm Street",
    "Pine Avenue",
];

/// Two-character brand names with their pinyin (for web and mail domains).
const ZH_BRANDS: &[(&str, &str)] = &[
    ("华瑞", "huarui"),
    ("康泰", "kangtai"),
    ("仁和", "renhe"),
    ("济民", "jimin"),
    ("恒信", "hengxin"),
    ("万嘉", "wanjia"),
    ("锦绣", "jinxiu"),
    ("海岸", "haian"),
    ("金地", "jindi"),
    ("汇通", "huitong"),
    ("鑫源", "xinyuan"),
    ("信达", "xinda"),
    ("金盾", "jindun"),
    ("东方", "dongfang"),
    ("君悦", "junyue"),
    ("丽景", "lijing"),
    ("海悦", "haiyue"),
    ("云顶", "yunding"),
    ("途远", "tuyuan"),
    ("山水", "shanshui"),
    ("环球", "huanqiu"),
    ("精工", "jinggong"),
    ("宏达", "hongda"),
    ("华星", "huaxing"),
    ("远航", "yuanhang"),
    ("联创", "lianchuang"),
    ("云图", "yuntu"),
    ("数联", "shulian"),
    ("天码", "tianma"),
    ("易联", "yilian"),
    ("中科", "zhongke"),
    ("新华", "xinhua"),
    ("长城", "changcheng"),
    ("正泰", "zhengtai"),
    ("天成", "tiancheng"),
    ("博远", "boyuan"),
    ("嘉禾", "jiahe"),
    ("盛世", "shengshi"),
    ("永安", "yongan"),
    ("德信", "dexin"),
    ("安达", "anda"),
    ("明阳", "mingyang"),
    ("鼎盛", "dingsheng"),
    ("泰和", "taihe"),
    ("瑞丰", "ruifeng"),
    ("华通", "huatong"),
    ("金桥", "jinqiao"),
    ("银河", "yinhe"),
    ("启明", "qiming"),
    ("卓越", "zhuoyue"),
    ("绿源", "lvyuan"),
    ("蓝天", "lantian"),
    ("弘毅", "hongyi"),
    ("同创", "tongchuang"),
    ("智达", "zhida"),
    ("富通", "futong"),
    ("国信", "guoxin"),
    ("广顺", "guangshun"),
    ("兴业", "xingye"),
    ("百草堂", "baicaotang"),
];

/// The product lines of the large catalogue: (Chinese, English, SKU prefix, unit, a
/// service, base price in CNY).
const PRODUCT_LINES: &[(&str, &str, &str, &str, bool, i64)] = &[
    (
        "旅客服务系统",
        "Passenger service system",
        "PSS",
        "套",
        false,
        800_000,
    ),
    (
        "行李分拣控制器",
        "Baggage sorter controller",
        "BHS",
        "台",
        false,
        120_000,
    ),
    (
        "航班信息显示屏",
        "Flight display",
        "FID",
        "台",
        false,
        12_000,
    ),
    ("自助值机终端", "Check-in kiosk", "KSK", "台", false, 68_000),
    (
        "冷链温度记录仪",
        "Cold chain logger",
        "CCT",
        "个",
        false,
        1_400,
    ),
    (
        "药品追溯赋码",
        "Drug traceability coding",
        "TRC",
        "年",
        true,
        150_000,
    ),
    (
        "客房管理系统",
        "Property management system",
        "PMS",
        "套",
        false,
        260_000,
    ),
    ("会员管理模块", "Loyalty module", "LOY", "套", false, 90_000),
    (
        "配网巡检平台",
        "Grid inspection platform",
        "GRD",
        "套",
        false,
        500_000,
    ),
    ("智能电表", "Smart meter", "MTR", "只", false, 800),
    ("年度运维服务", "Annual support", "MNT", "年", true, 120_000),
    (
        "现场实施服务",
        "On-site implementation",
        "IMP",
        "人天",
        true,
        3_800,
    ),
    ("用户培训", "User training", "TRN", "期", true, 16_000),
    ("数据迁移服务", "Data migration", "MIG", "次", true, 45_000),
];

const ZH_SUFFIXES: &[&str] = &["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"];

/// English brand names: a first part and a second part (North + wind).
const EN_BRAND_A: &[&str] = &[
    "North", "South", "East", "West", "Blue", "Red", "Silver", "Golden", "Iron", "Oak", "Pine",
    "Stone", "River", "Lake", "Bright", "Clear", "Sun", "Star", "High", "Green",
];
const EN_BRAND_B: &[&str] = &[
    "wind", "field", "bridge", "gate", "ridge", "wood", "water", "stone", "view", "point", "crest",
    "haven", "brook", "hill", "line", "port", "way", "vale", "ford", "mark",
];
const EN_SUFFIXES: &[&str] = &["Inc.", "Ltd", "LLC", "Group", "Co.", "Corp.", "Holdings"];

struct Industry {
    /// The stored industry.
    label: &'static str,
    /// Chinese business words with a slug for domains (…医药有限公司).
    zh: &'static [(&'static str, &'static str)],
    /// English business words (… Pharma Inc.).
    en: &'static [&'static str],
    zh_products: &'static [&'static str],
    en_products: &'static [&'static str],
}

const INDUSTRIES: &[Industry] = &[
    Industry {
        label: "航空",
        zh: &[
            ("航空服务", "aviation"),
            ("航空货运", "aircargo"),
            ("空港物流", "airlogistics"),
            ("通用航空", "ga"),
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
    },
    Industry {
        label: "医药",
        zh: &[
            ("医药", "pharma"),
            ("药业", "yaoye"),
            ("制药", "zhiyao"),
            ("生物科技", "bio"),
            ("医疗器械", "meddevice"),
        ],
        en: &["Pharma", "Biotech", "Life Sciences", "Medical"],
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
    },
    Industry {
        label: "地产",
        zh: &[
            ("地产", "dichan"),
            ("置业", "zhiye"),
            ("房地产开发", "realestate"),
            ("物业服务", "wuye"),
        ],
        en: &["Realty", "Properties", "Land"],
        zh_products: &[
            "售楼管理系统",
            "客户关系平台",
            "物业收费系统",
            "案场数字化项目",
        ],
        en_products: &["Sales office system", "Tenant portal", "Property billing"],
    },
    Industry {
        label: "金融",
        zh: &[
            ("金融服务", "finance"),
            ("小额贷款", "credit"),
            ("保险代理", "insurance"),
            ("融资租赁", "leasing"),
        ],
        en: &["Capital", "Financial", "Insurance"],
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
    },
    Industry {
        label: "酒店",
        zh: &[
            ("酒店管理", "hotel"),
            ("大酒店", "grandhotel"),
            ("度假酒店", "resort"),
        ],
        en: &["Hotels", "Resorts", "Hospitality"],
        zh_products: &[
            "客房管理系统",
            "会员积分平台",
            "宴会销售系统",
            "自助入住终端",
        ],
        en_products: &["PMS upgrade", "Loyalty platform", "Banquet sales module"],
    },
    Industry {
        label: "旅游",
        zh: &[
            ("旅行社", "travel"),
            ("国际旅游", "tour"),
            ("商旅服务", "biztravel"),
        ],
        en: &["Travel", "Tours"],
        zh_products: &["在线预订平台", "团队游管理系统", "导游调度系统"],
        en_products: &["Booking platform", "Group tour system", "Agent portal"],
    },
    Industry {
        label: "能源",
        zh: &[
            ("电力工程", "power"),
            ("新能源", "newenergy"),
            ("配电设备", "grid"),
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
    },
    Industry {
        label: "制造",
        zh: &[
            ("机械", "machinery"),
            ("电子", "elec"),
            ("电器", "dianqi"),
            ("汽车零部件", "autoparts"),
            ("精密模具", "mold"),
            ("包装材料", "pack"),
        ],
        en: &["Manufacturing", "Industries", "Logistics", "Components"],
        zh_products: &["经销商管理系统", "MES升级", "售后服务平台", "渠道订货系统"],
        en_products: &[
            "Dealer portal",
            "MES upgrade",
            "Field service platform",
            "Channel ordering",
        ],
    },
    Industry {
        label: "软件",
        zh: &[
            ("科技", "tech"),
            ("信息技术", "it"),
            ("软件", "soft"),
            ("网络科技", "net"),
        ],
        en: &["Software", "Systems", "Labs", "Technologies"],
        zh_products: &["年度订阅续约", "OEM合作", "渠道分销协议", "API集成项目"],
        en_products: &[
            "Annual subscription renewal",
            "OEM agreement",
            "Reseller agreement",
            "API integration",
        ],
    },
    Industry {
        label: "零售",
        zh: &[("商贸", "trade"), ("连锁超市", "mart"), ("百货", "baihuo")],
        en: &["Retail", "Stores", "Trading"],
        zh_products: &["会员营销平台", "门店收银系统", "供应链协同平台"],
        en_products: &[
            "Loyalty program",
            "Point of sale rollout",
            "Supply chain portal",
        ],
    },
];

const ZH_GENERIC_PRODUCTS: &[&str] = &["年度维保合同", "培训服务", "系统扩容", "数据迁移服务"];
const EN_GENERIC_PRODUCTS: &[&str] = &[
    "Annual maintenance",
    "Training package",
    "Capacity expansion",
    "Data migration",
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
    ("彭", "peng"),
    ("曾", "zeng"),
    ("肖", "xiao"),
    ("田", "tian"),
    ("董", "dong"),
    ("潘", "pan"),
    ("袁", "yuan"),
    ("蔡", "cai"),
    ("蒋", "jiang"),
    ("余", "yu"),
    ("杜", "du"),
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
    ("俊杰", "junjie"),
    ("雪梅", "xuemei"),
    ("文博", "wenbo"),
    ("佳琪", "jiaqi"),
    ("立新", "lixin"),
    ("红梅", "hongmei"),
    ("晨", "chen"),
    ("鹏", "peng"),
    ("慧", "hui"),
    ("斌", "bin"),
];

const EN_FIRST: &[&str] = &[
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Emily", "Daniel", "Laura", "Thomas", "Olivia", "Mark", "Emma", "Paul", "Sophia", "Kevin",
    "Grace", "Ryan", "Chloe", "Andrew", "Hannah", "Peter", "Rachel", "Steven", "Megan", "Brian",
    "Natalie", "Eric", "Julia", "Adam", "Sarah", "Jason", "Anna",
];
const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Anderson", "Thomas",
    "Jackson", "White", "Harris", "Martin", "Thompson", "Clark", "Lewis", "Walker", "Hall",
    "Young", "King", "Wright", "Lopez", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell",
    "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins",
];

const SOURCES: &[&str] = &[
    "exhibition",
    "referral",
    "web",
    "phone",
    "campaign",
    "partner",
];
const SOURCE_WEIGHTS: &[u32] = &[4, 5, 5, 3, 3, 2];

const ACCOUNT_TYPES: &[&str] = &[
    "customer",
    "prospect",
    "partner",
    "distributor",
    "competitor",
    "supplier",
];
const TYPE_WEIGHTS: &[u32] = &[45, 35, 7, 6, 3, 4];
const TIERS: &[&str] = &["A", "B", "C"];
const STATUSES: &[&str] = &["active", "dormant", "lost"];

const KINDS: &[&str] = &["call", "visit", "meeting", "email", "note"];
const KIND_WEIGHTS: &[u32] = &[30, 20, 15, 25, 10];
const ZH_SUBJECTS: &[&[&str]] = &[
    &[
        "电话跟进",
        "回访客户",
        "确认需求细节",
        "预约拜访时间",
        "催款电话",
        "续约沟通",
    ],
    &["季度拜访", "上门拜访", "现场勘查", "节日拜访", "高层拜访"],
    &[
        "价格谈判",
        "方案评审会",
        "需求调研会",
        "项目启动会",
        "技术交流会",
        "合同条款讨论",
    ],
    &[
        "发送报价单",
        "发送方案书",
        "会议纪要",
        "合同草稿",
        "产品资料",
    ],
    &["客户组织架构调整", "竞争对手动态", "预算信息", "内部备忘"],
];
const EN_SUBJECTS: &[&[&str]] = &[
    &[
        "Follow-up call",
        "Check-in call",
        "Intro call",
        "Renewal call",
        "Pricing call",
    ],
    &[
        "Quarterly visit",
        "On-site visit",
        "Site survey",
        "Executive visit",
    ],
    &[
        "Demo of new module",
        "Price negotiation",
        "Requirements workshop",
        "Kickoff meeting",
        "QBR",
    ],
    &[
        "Sent proposal",
        "Sent quote",
        "Meeting notes",
        "Contract draft",
        "Product brochure",
    ],
    &[
        "Reorg at customer",
        "Competitor intel",
        "Budget info",
        "Internal note",
    ],
];
const PHASES: &[&str] = &["二", "三", "四", "五", "六", "七", "八", "九", "十"];

// ---------------------------------------------------------------------------------------
// Time: "work seconds", counted over office hours (09:00–18:00) of weekdays only, so every
// generated moment falls in office hours. One workday is `WD` work seconds.

const WD: u32 = 9 * 3600;
const OPEN: i64 = 9 * 3600;
/// How far back the calendar reaches, and forward.
const BACK_DAYS: i64 = 8 * 366;
const AHEAD_DAYS: i64 = 500;

struct Cal {
    /// The first day of the calendar: day number 0.
    base: NaiveDate,
    /// "YYYY-MM-DD" of each day from the base, 10 bytes each.
    dates: String,
    /// Day numbers (from the base) of the weekdays.
    workdays: Vec<u32>,
    /// Day number of today.
    today: u32,
    /// Work time of now (the last office-hours moment not after now).
    now_w: u32,
    /// Seconds to subtract from local time to get UTC.
    utc_offset: i64,
}

impl Cal {
    fn new(now: NaiveDateTime) -> Result<Cal> {
        let today = now.date();
        let base = today - chrono::Days::new(BACK_DAYS as u64);
        let mut dates = String::with_capacity(((BACK_DAYS + AHEAD_DAYS) * 10) as usize);
        let mut workdays = Vec::new();
        for i in 0..(BACK_DAYS + AHEAD_DAYS) {
            let d = base + chrono::Days::new(i as u64);
            write!(dates, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
                .map_err(|e| crate::err!(Failed, "error.io", reason = e))?;
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                workdays.push(i as u32);
            }
        }
        let today_n = BACK_DAYS as u32;
        let secs = i64::from(now.num_seconds_from_midnight());
        let mut wi = workdays.partition_point(|&d| d <= today_n) - 1;
        let rem = if workdays[wi] == today_n && secs >= OPEN {
            ((secs - OPEN) as u32).min(WD - 1)
        } else {
            if workdays[wi] == today_n {
                wi -= 1;
            }
            WD - 1
        };
        let utc_offset = Local
            .from_local_datetime(&now)
            .earliest()
            .map(|t| i64::from(t.offset().fix().local_minus_utc()))
            .unwrap_or(0);
        Ok(Cal {
            base,
            dates,
            workdays,
            today: today_n,
            now_w: wi as u32 * WD + rem,
            utc_offset,
        })
    }

    /// The day number of a work time.
    fn day(&self, w: u32) -> u32 {
        self.workdays[(w / WD) as usize]
    }

    /// Local seconds since the base of a work time.
    fn local(&self, w: u32) -> i64 {
        i64::from(self.day(w)) * 86_400 + OPEN + i64::from(w % WD)
    }

    /// The work time `n` workdays before `w` (not before the calendar's start).
    fn back(w: u32, days: u32) -> u32 {
        w.saturating_sub(days.saturating_mul(WD))
    }

    fn date(&self, buf: &mut String, day: u32) {
        let i = day as usize * 10;
        buf.push_str(&self.dates[i..i + 10]);
    }

    /// `YYYY-MM-DD` of any day number not before the base, past the calendar's end too (a
    /// contract's end, a plan item due in three years).
    fn push_day(&self, buf: &mut String, day: i64) {
        if (0..BACK_DAYS + AHEAD_DAYS).contains(&day) {
            self.date(buf, day as u32);
        } else {
            write!(buf, "{}", self.base + chrono::Days::new(day.max(0) as u64)).ok();
        }
    }

    /// The day number `months` months after `day` (the month's last day when it has no
    /// such day, as kith adds months).
    fn add_months(&self, day: i64, months: u32) -> i64 {
        let d = self.base + chrono::Days::new(day.max(0) as u64);
        let d = d
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(d);
        (d - self.base).num_days()
    }

    /// The work time at which the first workday not before `day` opens (the calendar's
    /// last workday for a day past it).
    fn opening(&self, day: i64) -> u32 {
        let i = self
            .workdays
            .partition_point(|&d| i64::from(d) < day)
            .min(self.workdays.len() - 1);
        i as u32 * WD
    }

    /// `YYYY-MM-DDTHH:MM:SS` of local seconds.
    fn push_local(&self, buf: &mut String, secs: i64) {
        let day = secs.div_euclid(86_400).clamp(0, BACK_DAYS + AHEAD_DAYS - 1);
        let s = secs.rem_euclid(86_400);
        self.date(buf, day as u32);
        buf.push('T');
        two(buf, s / 3600);
        buf.push(':');
        two(buf, s / 60 % 60);
        buf.push(':');
        two(buf, s % 60);
    }

    /// kith's UTC stamp (`YYYY-MM-DDTHH:MM:SSZ`) of local seconds.
    fn push_stamp(&self, buf: &mut String, secs: i64) {
        self.push_local(buf, secs - self.utc_offset);
        buf.push('Z');
    }

    fn stamp(&self, buf: &mut String, w: u32) {
        buf.clear();
        self.push_stamp(buf, self.local(w));
    }
}

fn two(buf: &mut String, n: i64) {
    buf.push(char::from(b'0' + (n / 10 % 10) as u8));
    buf.push(char::from(b'0' + (n % 10) as u8));
}

// ---------------------------------------------------------------------------------------
// Randomness

struct R(ChaCha8Rng);

impl R {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            self.0.random_range(0..n)
        }
    }

    /// In `lo..=hi` (`lo` when empty).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.0.random_range(lo..=hi)
        }
    }

    fn unit(&mut self) -> f64 {
        self.0.random()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut n = self.0.random_range(0..total.max(1));
        for (i, w) in weights.iter().enumerate() {
            if n < *w {
                return i;
            }
            n -= w;
        }
        weights.len() - 1
    }

    /// A standard normal number (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn digits(&mut self, buf: &mut String, n: usize) {
        for _ in 0..n {
            buf.push(char::from(b'0' + self.0.random_range(0..10u8)));
        }
    }
}

/// Sampling by weight from a large table: cumulative weights and a binary search.
struct Cum(Vec<f64>);

impl Cum {
    fn new(weights: impl Iterator<Item = f64>) -> Cum {
        let mut total = 0.0;
        Cum(weights
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect())
    }

    fn total(&self) -> f64 {
        self.0.last().copied().unwrap_or(0.0)
    }

    fn sample(&self, r: &mut R) -> Option<usize> {
        let total = self.total();
        if total <= 0.0 {
            return None;
        }
        let x = r.unit() * total;
        Some(self.0.partition_point(|&c| c <= x).min(self.0.len() - 1))
    }
}

/// A bijection of `0..m` that looks random: a small Feistel network over the next power of
/// four, walking the cycle until it lands inside `0..m`. Used to give every account a
/// different combination of name parts without remembering the names made.
struct Perm {
    m: u64,
    half: u32,
    keys: [u64; 4],
}

impl Perm {
    fn new(m: u64, r: &mut R) -> Perm {
        let bits = 64 - m.max(4).saturating_sub(1).leading_zeros();
        let half = bits.div_ceil(2);
        Perm {
            m,
            half,
            keys: [r.0.random(), r.0.random(), r.0.random(), r.0.random()],
        }
    }

    fn at(&self, i: u64) -> u64 {
        let mask = (1u64 << self.half) - 1;
        let mut x = i;
        loop {
            let (mut l, mut r) = (x >> self.half, x & mask);
            for k in self.keys {
                let f = mix(r ^ k) & mask;
                (l, r) = (r, l ^ f);
            }
            x = (l << self.half) | r;
            if x < self.m {
                return x;
            }
        }
    }
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------
// Plans kept between the passes

/// A company's name parts: an index into the Chinese or English combinations.
#[derive(Clone, Copy)]
struct Parts {
    zh: bool,
    city: u16,
    brand: u16,
    /// Index into the flat list of (industry, word).
    word: u16,
    suffix: u16,
}

struct Acct {
    created: u32,
    parts: Parts,
    /// The city it is in (a branch's differs from its company's).
    city: u16,
    tier: u8,
    status: u8,
    ty: u8,
    owner: u8,
    first_contact: u32,
    contacts: u32,
    /// Deals made so far (for unique deal titles).
    deal_no: u32,
}

struct DealPlan {
    created: u32,
    /// When it closed (won or lost); 0 while open.
    closed: u32,
    acct: u32,
    /// Index into the pipeline's stages of where it is now.
    stage: u8,
    /// In USD (else CNY).
    usd: bool,
}

struct Stages {
    pipeline: i64,
    all: Vec<BulkStage>,
    /// Indexes of the open stages, in order.
    open: Vec<usize>,
    won: Option<usize>,
    lost: Option<usize>,
}

struct Gen {
    r: R,
    cal: Cal,
    stages: Stages,
    zh_words: Vec<(usize, &'static str, &'static str)>,
    en_words: Vec<(usize, &'static str)>,
    zh_reps: Vec<u8>,
    zh_rep_w: Vec<u32>,
    en_reps: Vec<u8>,
    en_rep_w: Vec<u32>,
    rep_weights: Vec<u32>,
    /// Weights of the Chinese and English job titles.
    title_w: (Vec<u32>, Vec<u32>),
    accts: Vec<Acct>,
    names: String,
    name_ends: Vec<u32>,
    /// Per contact: zh (bit 31), family or first name (bits 8..16), given or last (0..8),
    /// title (16..24).
    people: Vec<u32>,
    deals: Vec<DealPlan>,
    /// Deal ids of each account (CSR over `deal_ids`), oldest first.
    deal_start: Vec<u32>,
    deal_ids: Vec<u32>,
    /// Leads still being worked (new, contacted, qualified): (id, created).
    open_leads: Vec<(u32, u32)>,
    b: Bufs,
    /// The products made, for the lines of quotes and orders.
    prods: Vec<Prod>,
    /// The accepted quotes, for the orders made from them.
    accepted: Vec<Accepted>,
    /// The orders confirmed and not cancelled, for the contracts made from them.
    confirmed: Vec<Confirmed>,
    /// Now, for the service desk's clocks.
    now_utc: chrono::DateTime<chrono::Utc>,
}

/// A product of the catalogue, as quotes' lines take it.
struct Prod {
    name: String,
    sku: String,
    unit: &'static str,
    price: Money,
    tax: Money,
    /// The unit cost, which lines keep.
    cost: Option<Money>,
    usd: bool,
}

/// The lines of a quote or an order: up to three, each a product (its index), a quantity
/// in units and a discount in percent (0 for none).
#[derive(Clone, Copy, Default)]
struct Picked {
    k: u8,
    lines: [(u32, u32, u8); 3],
}

/// An accepted quote, as the order made from it copies it.
struct Accepted {
    id: u32,
    acct: u32,
    /// When it was accepted.
    decided: u32,
    usd: bool,
    owner: &'static str,
    lines: Picked,
}

/// An order confirmed and not cancelled, as the contract made from it takes it.
struct Confirmed {
    id: u32,
    acct: u32,
    /// Its deal's id, 0 for none.
    deal: u32,
    confirmed: u32,
    usd: bool,
    owner: &'static str,
    tax: Money,
    total: Money,
    /// The product of its first line, which the contract's title names.
    product: u32,
}

/// A contract as planned before it is written, with what its plan, payments and invoices
/// are worked out from.
struct ContractPlan {
    made: u32,
    acct: u32,
    /// The order it was made from and that order's deal (ids; 0 for none).
    order: u32,
    deal: u32,
    usd: bool,
    owner: &'static str,
    amount: Money,
    /// The order's tax and total, whose ratio its invoices' tax takes (none: a service
    /// contract).
    tax_of: Option<(Money, Money)>,
    /// The product its title names (`u32::MAX`: a service contract).
    product: u32,
    signed: Option<u32>,
    /// Its first and last day and its length in months (day numbers may lie past the
    /// calendar's end).
    start: i64,
    end: i64,
    months: u32,
    notice: Option<i64>,
    terminated: Option<u32>,
    /// Its plan items, `items[first..first + count]`.
    first: u32,
    count: u32,
}

/// An item of a contract's plan: its due day, its amount, what it has been paid and when
/// it was last paid (0: never).
struct Item {
    due: i64,
    amount: Money,
    paid: Money,
    touched: u32,
}

/// A payment received against a contract (an index into the plans), applied as
/// `payments::create` applies it: `applied` to the plan, `credit` beyond it, and its
/// allocations `allocs[first..first + n]`. A reversed one keeps what it applied when it
/// came in; its allocations were taken back.
#[derive(Clone, Copy)]
struct Pay {
    contract: u32,
    at: u32,
    amount: Money,
    reversed: bool,
    reversed_at: u32,
    applied: Money,
    credit: Money,
    first: u32,
    n: u32,
}

impl Pay {
    fn new(contract: usize, at: u32, amount: Money, reversed: bool) -> Pay {
        Pay {
            contract: contract as u32,
            at,
            amount,
            reversed,
            reversed_at: at,
            applied: Money::ZERO,
            credit: Money::ZERO,
            first: 0,
            n: 0,
        }
    }
}

/// An invoice for a plan item, when it was issued and whether it was voided then.
struct Inv {
    contract: u32,
    item: u32,
    at: u32,
    void: Option<u32>,
    tax: Money,
}

/// The names of the large dataset's price lists, numbered.
const PRICELIST_NAMES: &[&str] = &["经销商价", "大客户价", "代理商价", "Partner price"];

/// Reused text buffers: rows are built in them without allocating.
#[derive(Default)]
struct Bufs {
    name: String,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    f: String,
    g: String,
    created: String,
    updated: String,
    tags: String,
    tag_list: Vec<&'static str>,
}

impl Gen {
    fn new(seed: u64, now: NaiveDateTime, stages: &[BulkStage]) -> Result<Gen> {
        let all = stages.to_vec();
        let open: Vec<usize> = (0..all.len())
            .filter(|&i| all[i].outcome == "open")
            .collect();
        if open.is_empty() {
            return Err(crate::err!(Invalid, "bulk.database_default_pipeline"));
        }
        let won = all.iter().position(|s| s.outcome == "won");
        let lost = all.iter().position(|s| s.outcome == "lost");
        let zh_words = INDUSTRIES
            .iter()
            .enumerate()
            .flat_map(|(i, ind)| ind.zh.iter().map(move |(w, s)| (i, *w, *s)))
            .collect();
        let en_words = INDUSTRIES
            .iter()
            .enumerate()
            .flat_map(|(i, ind)| ind.en.iter().map(move |w| (i, *w)))
            .collect();
        Ok(Gen {
            r: R(ChaCha8Rng::seed_from_u64(seed)),
            cal: Cal::new(now)?,
            stages: Stages {
                pipeline: all[open[0]].pipeline_id,
                all,
                open,
                won,
                lost,
            },
            zh_words,
            en_words,
            zh_reps: (0..REPS.len() as u8)
                .filter(|&i| REPS[i as usize].1)
                .collect(),
            zh_rep_w: REPS.iter().filter(|r| r.1).map(|r| r.2).collect(),
            en_reps: (0..REPS.len() as u8)
                .filter(|&i| !REPS[i as usize].1)
                .collect(),
            en_rep_w: REPS.iter().filter(|r| !r.1).map(|r| r.2).collect(),
            rep_weights: REPS.iter().map(|r| r.2).collect(),
            title_w: (
                ZH_TITLES.iter().map(|t| t.2).collect(),
                EN_TITLES.iter().map(|t| t.2).collect(),
            ),
            accts: Vec::new(),
            names: String::new(),
            name_ends: Vec::new(),
            people: Vec::new(),
            deals: Vec::new(),
            deal_start: Vec::new(),
            deal_ids: Vec::new(),
            open_leads: Vec::new(),
            b: Bufs::default(),
            prods: Vec::new(),
            accepted: Vec::new(),
            confirmed: Vec::new(),
            now_utc: Local
                .from_local_datetime(&now)
                .earliest()
                .map_or_else(|| now.and_utc(), |t| t.with_timezone(&chrono::Utc)),
        })
    }

    fn run(&mut self, ld: &mut BulkLoader<'_>, n: &Counts) -> Result<()> {
        self.accounts(ld, n.accounts as usize)?;
        self.contacts(ld, n.contacts as usize)?;
        self.deals(ld, n.deals as usize)?;
        self.leads(ld, n.leads as usize)?;
        self.activities(ld, n.activities as usize)?;
        self.tasks(ld, n.tasks as usize)?;
        self.products(ld, n.products as usize)?;
        self.pricelists(ld, n.pricelists as usize)?;
        self.quotes(ld, n.quotes as usize)?;
        self.orders(ld, n.orders as usize)?;
        self.cash(ld, n)?;
        self.service(
            ld,
            n.cases as usize,
            n.replies as usize,
            n.surveys as usize,
            n.activities as i64 + 1,
        )?;
        Ok(())
    }

    /// Price lists in CNY, each with a price below the list price for a fifth of the CNY
    /// products, and a lower one from ten for some of those.
    fn pricelists(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let mut b = std::mem::take(&mut self.b);
        self.cal.stamp(&mut b.created, 0);
        for i in 0..n {
            b.name.clear();
            b.name
                .push_str(&format!("{} {}", self.r.pick(PRICELIST_NAMES), i + 1));
            ld.pricelist(&PriceListRow {
                id: i as i64 + 1,
                name: &b.name,
                currency: "CNY",
                created_at: &b.created,
            })?;
            for (p, prod) in self.prods.iter().enumerate() {
                if prod.usd || !self.r.chance(0.2) {
                    continue;
                }
                let off = self.r.range(80, 96);
                let price = Money::from_minor(prod.price.minor() / 100 * off);
                b.a.clear();
                b.a.push_str(&prod.sku);
                ld.price(&PriceRow {
                    pricelist_id: i as i64 + 1,
                    product_id: p as i64 + 1,
                    price,
                    min_qty: None,
                    sku: &b.a,
                    created_at: &b.created,
                })?;
                if self.r.chance(0.3) {
                    ld.price(&PriceRow {
                        pricelist_id: i as i64 + 1,
                        product_id: p as i64 + 1,
                        price: Money::from_minor(price.minor() / 100 * 92),
                        min_qty: Some(Money::from_units(10)),
                        sku: &b.a,
                        created_at: &b.created,
                    })?;
                }
            }
        }
        self.b = b;
        Ok(())
    }

    /// Quotes over the last two years, in the order they were made, each to an account in
    /// CNY (a seventh in USD) with one to three lines of products in its currency; their
    /// totals worked out as kith works them; a third accepted, some rejected, the rest
    /// drafts, sent or, past their thirty days, expired; one in ten revised.
    fn quotes(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let na = self.accts.len();
        let (cny, usd): (Vec<usize>, Vec<usize>) =
            (0..self.prods.len()).partition(|&p| !self.prods[p].usd);
        if n == 0 || na == 0 || cny.is_empty() {
            return Ok(());
        }
        let now = self.cal.now_w;
        let mut made: Vec<u32> = (0..n)
            .map(|_| {
                Cal::back(now, (self.r.unit().powf(1.5) * 720.0) as u32)
                    - self.r.below(WD as usize) as u32
            })
            .collect();
        made.sort_unstable();
        let mut b = std::mem::take(&mut self.b);
        let mut previous: Option<(i64, String)> = None;
        for (i, &w) in made.iter().enumerate() {
            let id = i as i64 + 1;
            let a = self.r.below(na);
            let in_usd = !usd.is_empty() && self.r.chance(0.15);
            let picked = self.pick_lines(if in_usd { &usd } else { &cny });
            let ins = self.line_ins(&picked);
            let worked = totals::work(&ins[..usize::from(picked.k)], None, 2, Rounding::Line);
            self.cal.stamp(&mut b.created, w);
            let day = self.cal.day(w);
            b.c.clear();
            self.cal.date(&mut b.c, day + 30);
            let expired_by = day + 30 < self.cal.today;
            // What became of it, by its age.
            let status = match self.r.weighted(&[15, 30, 35, 12, 8]) {
                0 => "draft",
                1 => "sent",
                2 => "accepted",
                3 => "rejected",
                _ => "revised",
            };
            let status = if status == "revised" && expired_by {
                "sent"
            } else {
                status
            };
            let (sent, decided) = match status {
                "draft" => (None, None),
                "sent" | "revised" => (Some(w + WD / 2), None),
                _ => (Some(w + WD / 2), Some(w + WD * 3)),
            };
            b.d.clear();
            if let Some(s) = sent {
                self.cal.push_stamp(&mut b.d, self.cal.local(s.min(now)));
            }
            b.e.clear();
            if let Some(s) = decided {
                self.cal.push_stamp(&mut b.e, self.cal.local(s.min(now)));
            }
            b.name.clear();
            // A revision follows the one it revised, numbered after it.
            let (number, revision, prev) = match previous.take() {
                Some((prev, base)) => (format!("{base}-2"), 2, Some(prev)),
                None => (format!("Q-{}-{:06}", &b.created[..4], id), 1, None),
            };
            b.name.push_str(&number);
            if status == "revised" && revision == 1 {
                previous = Some((id, number.clone()));
            }
            let owner = self.owner_of(a);
            ld.quote(&QuoteRow {
                id,
                number: &b.name,
                revision,
                previous_id: prev,
                account_id: a as i64 + 1,
                status,
                currency: if in_usd { "USD" } else { "CNY" },
                valid_until: &b.c,
                subtotal: worked.subtotal,
                tax: worked.tax,
                total: worked.total,
                owner,
                sent_at: sent.map(|_| b.d.as_str()),
                decided_at: decided.map(|_| b.e.as_str()),
                created_at: &b.created,
                updated_at: if decided.is_some() {
                    &b.e
                } else if sent.is_some() {
                    &b.d
                } else {
                    &b.created
                },
            })?;
            self.write_lines(ld, (Some(id), None), &picked, &ins, &worked, &b.created)?;
            if status == "accepted" {
                self.accepted.push(Accepted {
                    id: id as u32,
                    acct: a as u32,
                    decided: decided.unwrap_or(w).min(now),
                    usd: in_usd,
                    owner,
                    lines: picked,
                });
            }
        }
        self.b = b;
        Ok(())
    }

    /// One to three lines of products from `pool`, as quotes and orders take them: up to
    /// three of a product dearer than 50,000, up to forty of another, a quarter of them at
    /// 3–15 % off.
    fn pick_lines(&mut self, pool: &[usize]) -> Picked {
        let k = 1 + self.r.below(3);
        let mut picked = Picked {
            k: k as u8,
            ..Picked::default()
        };
        for line in &mut picked.lines[..k] {
            let p = pool[self.r.below(pool.len())];
            let dear = self.prods[p].price > Money::from_units(50_000);
            let qty = self.r.range(1, if dear { 3 } else { 40 });
            let off = if self.r.chance(0.25) {
                self.r.range(3, 15)
            } else {
                0
            };
            *line = (p as u32, qty as u32, off as u8);
        }
        picked
    }

    /// What kith works out picked lines from: quantity, the product's price and tax, the
    /// discount.
    fn line_ins(&self, picked: &Picked) -> [LineIn; 3] {
        let mut ins = [LineIn::default(); 3];
        for (l, &(p, qty, off)) in ins.iter_mut().zip(&picked.lines[..usize::from(picked.k)]) {
            let prod = &self.prods[p as usize];
            *l = LineIn {
                qty: Money::from_units(i64::from(qty)),
                price: prod.price,
                discount_pct: (off > 0).then(|| Money::from_units(i64::from(off))),
                discount_amount: None,
                tax: prod.tax,
            };
        }
        ins
    }

    /// The lines of a quote or an order (`parent`: its quote id or its order id), with
    /// their nets as worked out and their products' unit costs.
    fn write_lines(
        &self,
        ld: &mut BulkLoader<'_>,
        parent: (Option<i64>, Option<i64>),
        picked: &Picked,
        ins: &[LineIn; 3],
        worked: &Worked,
        created: &str,
    ) -> Result<()> {
        for (j, &(p, _, _)) in picked.lines[..usize::from(picked.k)].iter().enumerate() {
            let prod = &self.prods[p as usize];
            ld.line(&LineRow {
                quote_id: parent.0,
                order_id: parent.1,
                position: j as i64 + 1,
                product_id: i64::from(p) + 1,
                description: &prod.name,
                qty: ins[j].qty,
                unit: prod.unit,
                price: ins[j].price,
                discount: ins[j].discount_pct,
                tax: ins[j].tax,
                net: worked.lines[j].net,
                cost: prod.cost,
                created_at: created,
            })?;
        }
        Ok(())
    }

    /// A catalogue: each product a line (a kind of thing in a category) and a model of it,
    /// with a SKU of its own, a price in CNY (a seventh in USD), a unit, VAT at the rate of
    /// its kind (goods 13%, services 6%, USD lines 0%), a cost below the price, and one in
    /// twenty retired.
    fn products(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let mut b = std::mem::take(&mut self.b);
        self.cal.stamp(&mut b.created, 0);
        for i in 0..n {
            let (zh, en, code, unit, service, base) = self.r.pick(PRODUCT_LINES);
            let usd = self.r.chance(0.15);
            let model = i / PRODUCT_LINES.len() + 1;
            b.name.clear();
            if usd {
                b.name.push_str(&format!("{en} M{model}"));
            } else {
                b.name.push_str(&format!("{zh} M{model} 型"));
            }
            b.a.clear();
            b.a.push_str(&format!("{code}-{:05}", i + 1));
            // A price around the line's base, in whole hundreds of CNY (a seventh of that
            // in USD).
            let scale = 0.5 + self.r.unit() * 1.5;
            let units = ((base as f64 * scale) / 100.0).round().max(1.0) as i64 * 100;
            let units = if usd { (units / 7).max(1) } else { units };
            let price = crate::core::money::Money::from_units(units);
            let cost = crate::core::money::Money::from_units(units * self.r.range(35, 80) / 100);
            let tax = crate::core::money::Money::from_units(match (usd, service) {
                (true, _) => 0,
                (false, true) => 6,
                (false, false) => 13,
            });
            let cost = self.r.chance(0.9).then_some(cost);
            self.prods.push(Prod {
                name: b.name.clone(),
                sku: b.a.clone(),
                unit: if usd { "unit" } else { unit },
                price,
                tax,
                cost,
                usd,
            });
            ld.product(&ProductRow {
                id: i as i64 + 1,
                name: &b.name,
                sku: &b.a,
                price,
                currency: if usd { "USD" } else { "CNY" },
                unit: if usd { "unit" } else { unit },
                tax,
                cost,
                category: if usd { en } else { zh },
                retired: self.r.chance(0.05),
                created_at: &b.created,
                updated_at: &b.created,
            })?;
        }
        self.b = b;
        Ok(())
    }

    /// Orders over the last two years, in the order they were made. Two thirds of them (as
    /// far as there are accepted quotes) come from an accepted quote a day or two after it
    /// was accepted, its lines copied with their unit costs; the others are for won deals,
    /// confirmed the moment the deal was won (confirming an order wins its deal), with lines
    /// of products in the deal's currency; past the won deals, for an account. Each went as
    /// far as its time allows: confirmed within a week, delivered within two months, closed
    /// within three more; one in twelve cancelled (before delivery), a few drafts left and
    /// a few delivered and never closed.
    fn orders(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let na = self.accts.len();
        let (cny, usd): (Vec<usize>, Vec<usize>) =
            (0..self.prods.len()).partition(|&p| !self.prods[p].usd);
        if n == 0 || na == 0 || cny.is_empty() {
            return Ok(());
        }
        let now = self.cal.now_w;
        let from_quotes = self.accepted.len().min(n * 2 / 3);
        let won: Vec<u32> = match self.stages.won {
            Some(s) => (0..self.deals.len())
                .filter(|&d| {
                    let deal = &self.deals[d];
                    usize::from(deal.stage) == s && (!deal.usd || !usd.is_empty())
                })
                .map(|d| d as u32)
                .collect(),
            None => Vec::new(),
        };
        let from_deals = (n - from_quotes).min(won.len());
        // (made, source, index): 0 an accepted quote, 1 a won deal, 2 an account.
        let mut plans: Vec<(u32, u8, u32)> = Vec::with_capacity(n);
        for q in choose(&mut self.r, self.accepted.len(), from_quotes) {
            let after = self.r.below(2 * WD as usize) as u32;
            plans.push(((self.accepted[q].decided + after).min(now), 0, q as u32));
        }
        for d in choose(&mut self.r, won.len(), from_deals) {
            let deal = &self.deals[won[d] as usize];
            let (created, closed) = (deal.created, deal.closed);
            let made = Cal::back(closed, self.r.range(1, 8) as u32).clamp(created, closed);
            plans.push((made, 1, won[d]));
        }
        for _ in from_quotes + from_deals..n {
            let a = self.r.below(na);
            let made = Cal::back(now, (self.r.unit().powf(1.5) * 720.0) as u32)
                .saturating_sub(self.r.below(WD as usize) as u32)
                .clamp(self.accts[a].created, now);
            plans.push((made, 2, a as u32));
        }
        plans.sort_unstable();
        let mut b = std::mem::take(&mut self.b);
        for (i, &(made, source, x)) in plans.iter().enumerate() {
            let id = i as i64 + 1;
            let (acct, in_usd, picked, quote, deal, owner) = match source {
                0 => {
                    let q = &self.accepted[x as usize];
                    let (acct, in_usd, picked, quote, owner) =
                        (q.acct as usize, q.usd, q.lines, i64::from(q.id), q.owner);
                    (acct, in_usd, picked, Some(quote), None, owner)
                }
                1 => {
                    let (acct, in_usd) = {
                        let d = &self.deals[x as usize];
                        (d.acct as usize, d.usd)
                    };
                    let picked = self.pick_lines(if in_usd { &usd } else { &cny });
                    (acct, in_usd, picked, None, Some(x), self.owner_of(acct))
                }
                _ => {
                    let in_usd = !usd.is_empty() && self.r.chance(0.15);
                    let picked = self.pick_lines(if in_usd { &usd } else { &cny });
                    let acct = x as usize;
                    (acct, in_usd, picked, None, None, self.owner_of(acct))
                }
            };
            let k = usize::from(picked.k);
            let ins = self.line_ins(&picked);
            let worked = totals::work(&ins[..k], None, 2, Rounding::Line);
            let cost = picked.lines[..k]
                .iter()
                .zip(&ins)
                .filter_map(|(&(p, _, _), l)| {
                    let c = self.prods[p as usize].cost?;
                    Some(totals::times(l.qty, c).round_to(2))
                })
                .fold(Money::ZERO, |s, c| s + c);
            // Its way from draft to closed; a won deal's order was confirmed as it was won.
            let confirm = match deal {
                Some(d) => self.deals[d as usize].closed,
                None => made + WD / 4 + self.r.below(4 * WD as usize) as u32,
            };
            let delivered =
                confirm + self.r.range(3, 40) as u32 * WD + self.r.below(WD as usize) as u32;
            let closed =
                delivered + self.r.range(5, 60) as u32 * WD + self.r.below(WD as usize) as u32;
            let left_draft = deal.is_none() && self.r.chance(0.03);
            let never_closed = self.r.chance(0.06);
            let cancel = (!left_draft && self.r.chance(0.08)).then(|| {
                if deal.is_none() && self.r.chance(0.5) {
                    made + 1 + self.r.below((confirm - made) as usize) as u32
                } else {
                    confirm + 1 + self.r.below((delivered - confirm) as usize) as u32
                }
            });
            let (status, confirmed_at, delivered_at, closed_at) = match cancel.filter(|&t| t <= now)
            {
                Some(t) => ("cancelled", (confirm < t).then_some(confirm), None, Some(t)),
                None if left_draft || confirm > now => ("draft", None, None, None),
                None if delivered > now => ("confirmed", Some(confirm), None, None),
                None if never_closed || closed > now => {
                    ("delivered", Some(confirm), Some(delivered), None)
                }
                None => ("closed", Some(confirm), Some(delivered), Some(closed)),
            };
            let zh = self.accts[acct].parts.zh;
            let reason = (status == "cancelled").then(|| {
                if zh {
                    self.r.pick(&["客户取消采购", "预算冻结", "改选其他供应商"])
                } else {
                    self.r.pick(&[
                        "Customer withdrew",
                        "Budget frozen",
                        "Went with another vendor",
                    ])
                }
            });
            let contact = {
                let a = &self.accts[acct];
                (a.contacts > 0 && self.r.chance(0.7))
                    .then(|| i64::from(a.first_contact) + self.r.below(a.contacts as usize) as i64)
            };
            self.cal.stamp(&mut b.created, made);
            for (buf, at) in [
                (&mut b.a, confirmed_at),
                (&mut b.b, delivered_at),
                (&mut b.c, closed_at),
            ] {
                buf.clear();
                if let Some(t) = at {
                    self.cal.push_stamp(buf, self.cal.local(t));
                }
            }
            b.d.clear();
            self.cal.date(&mut b.d, self.cal.day(made));
            b.name.clear();
            b.name.push_str("SO-");
            b.name.push_str(&b.created[..4]);
            write!(b.name, "-{id:06}").ok();
            ld.order(&OrderRow {
                id,
                number: &b.name,
                account_id: acct as i64 + 1,
                contact_id: contact,
                deal_id: deal.map(|d| i64::from(d) + 1),
                quote_id: quote,
                status,
                ordered_on: &b.d,
                currency: if in_usd { "USD" } else { "CNY" },
                subtotal: worked.subtotal,
                tax: worked.tax,
                total: worked.total,
                cost,
                owner,
                confirmed_at: confirmed_at.map(|_| b.a.as_str()),
                delivered_at: delivered_at.map(|_| b.b.as_str()),
                closed_at: closed_at.map(|_| b.c.as_str()),
                reason,
                created_at: &b.created,
                updated_at: [&b.c, &b.b, &b.a]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .unwrap_or(&b.created),
            })?;
            self.write_lines(ld, (None, Some(id)), &picked, &ins, &worked, &b.created)?;
            if let (Some(at), "confirmed" | "delivered" | "closed") = (confirmed_at, status) {
                self.confirmed.push(Confirmed {
                    id: id as u32,
                    acct: acct as u32,
                    deal: deal.map_or(0, |d| d + 1),
                    confirmed: at,
                    usd: in_usd,
                    owner,
                    tax: worked.tax,
                    total: worked.total,
                    product: picked.lines[0].0,
                });
            }
        }
        self.b = b;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Contracts, payment plans, payments and invoices

    /// Contracts with their payment plans, the payments received against them (and what
    /// each paid of which item) and their invoices, all worked out before any is written:
    /// a contract keeps what was planned, received and invoiced against it.
    fn cash(&mut self, ld: &mut BulkLoader<'_>, n: &Counts) -> Result<()> {
        if n.contracts == 0 || self.accts.is_empty() {
            return Ok(());
        }
        let mut cs = self.contract_plans(n.contracts as usize);
        let mut items = self.plan_items(&mut cs, n.plans as usize);
        let (pays, allocs) = self.payments_of(&cs, &mut items, n.payments as usize);
        let invs = self.invoices_of(&cs, &items, n.invoices as usize);
        // What each contract received and invoiced, and when it last changed.
        let mut received = vec![Money::ZERO; cs.len()];
        let mut invoiced = vec![Money::ZERO; cs.len()];
        let mut touched: Vec<u32> = cs
            .iter()
            .map(|c| {
                c.made
                    .max(c.signed.unwrap_or(0))
                    .max(c.terminated.unwrap_or(0))
            })
            .collect();
        for p in &pays {
            let c = p.contract as usize;
            if !p.reversed {
                received[c] += p.amount;
            }
            touched[c] = touched[c].max(p.reversed_at);
        }
        for inv in &invs {
            let c = inv.contract as usize;
            if inv.void.is_none() {
                invoiced[c] += items[inv.item as usize].amount;
            }
            touched[c] = touched[c].max(inv.void.unwrap_or(inv.at));
        }
        self.write_contracts(ld, &cs, &items, (&received, &invoiced, &touched))?;
        self.write_payments(ld, &cs, &pays, &allocs)?;
        self.write_invoices(ld, &cs, &items, &invs)
    }

    /// Contracts: nine in ten (as far as there are) for orders confirmed and not
    /// cancelled, for the order's account, deal, owner, currency and total, made within a
    /// week of the confirmation; the rest service contracts for accounts (customers most),
    /// over the last two years. Signed within three days, so active from then, for six
    /// months to three years, most for one (those past their end read expired); two in
    /// five of the last fortnight's still drafts, and a few of the last three months'; one
    /// in twenty-five terminated before its end.
    fn contract_plans(&mut self, n: usize) -> Vec<ContractPlan> {
        let na = self.accts.len();
        let now = self.cal.now_w;
        let from_orders = self.confirmed.len().min(n * 9 / 10);
        let mut cs: Vec<ContractPlan> = Vec::with_capacity(n);
        let plan = |made, acct, usd, owner, amount| ContractPlan {
            made,
            acct,
            order: 0,
            deal: 0,
            usd,
            owner,
            amount,
            tax_of: None,
            product: u32::MAX,
            signed: None,
            start: 0,
            end: 0,
            months: 12,
            notice: None,
            terminated: None,
            first: 0,
            count: 0,
        };
        for o in choose(&mut self.r, self.confirmed.len(), from_orders) {
            let o = &self.confirmed[o];
            let made = (o.confirmed + self.r.below(5 * WD as usize) as u32).min(now);
            cs.push(ContractPlan {
                order: o.id,
                deal: o.deal,
                tax_of: Some((o.tax, o.total)),
                product: o.product,
                ..plan(made, o.acct, o.usd, o.owner, o.total)
            });
        }
        for _ in from_orders..n {
            let mut a = self.r.below(na);
            for _ in 0..3 {
                if self.accts[a].ty == 0 {
                    break;
                }
                a = self.r.below(na);
            }
            let (zh, tier, created) = {
                let ac = &self.accts[a];
                (ac.parts.zh, ac.tier, ac.created)
            };
            let made = Cal::back(now, (self.r.unit().powf(1.5) * 720.0) as u32)
                .saturating_sub(self.r.below(WD as usize) as u32)
                .clamp(created, now);
            let usd = !zh && self.r.chance(0.6);
            let median = [300_000.0, 120_000.0, 40_000.0][usize::from(tier)];
            let cny = (median * (0.8 * self.r.normal()).exp()).clamp(5_000.0, 20_000_000.0);
            let units = if usd {
                ((cny / 7.1 / 100.0).round() * 100.0).max(1_000.0)
            } else {
                (cny / 1000.0).round() * 1000.0
            };
            let owner = self.owner_of(a);
            cs.push(plan(
                made,
                a as u32,
                usd,
                owner,
                Money::from_units(units as i64),
            ));
        }
        // Ids in the order they were made.
        cs.sort_by_key(|c| c.made);
        for c in &mut cs {
            let age = now - c.made;
            let draft =
                (age < 10 * WD && self.r.chance(0.4)) || (age < 60 * WD && self.r.chance(0.02));
            c.signed = (!draft).then(|| (c.made + self.r.below(3 * WD as usize) as u32).min(now));
            c.start = i64::from(self.cal.day(c.signed.unwrap_or(c.made)));
            c.months = [6, 12, 24, 36][self.r.weighted(&[10, 50, 25, 15])];
            c.end = self.cal.add_months(c.start, c.months) - 1;
            c.notice = self.r.chance(0.6).then(|| self.r.pick(&[30, 60, 90]));
            if let Some(s) = c.signed.filter(|_| self.r.chance(0.04)) {
                let until = if c.end < i64::from(self.cal.today) {
                    self.cal.opening(c.end)
                } else {
                    now
                };
                let t = s + (self.r.unit() * f64::from(until.saturating_sub(s))) as u32;
                c.terminated = (t > s).then_some(t);
            }
        }
        cs
    }

    /// Each contract's payment plan: one item each first (as far as there are items), the
    /// rest at random, more for larger contracts, up to eight a contract (more only when
    /// the count asks for it); equal installments of its amount (`contracts::split`, so
    /// they add up to it exactly), due a month, a quarter or more apart from its start
    /// (the first on signing for half of them), the last before its end.
    fn plan_items(&mut self, cs: &mut [ContractPlan], n: usize) -> Vec<Item> {
        let nc = cs.len();
        let cap = 8.max(n.div_ceil(nc.max(1))) as u32;
        let mut per = vec![0u32; nc];
        if n >= nc {
            per.fill(1);
        } else {
            for c in choose(&mut self.r, nc, n) {
                per[c] = 1;
            }
        }
        let cum = Cum::new(cs.iter().map(|c| c.amount.to_f64().max(1.0).powf(0.3)));
        let (mut left, mut misses) = (n.saturating_sub(nc), 0);
        while left > 0 {
            let c = cum.sample(&mut self.r).unwrap_or(0);
            if per[c] < cap {
                per[c] += 1;
                left -= 1;
                misses = 0;
            } else {
                misses += 1;
                if misses > 64 {
                    if let Some(c) = per.iter().position(|&k| k < cap) {
                        per[c] += 1;
                        left -= 1;
                    }
                    misses = 0;
                }
            }
        }
        let mut items = Vec::with_capacity(n);
        for (c, &k) in cs.iter_mut().zip(&per) {
            c.first = items.len() as u32;
            c.count = k;
            if k == 0 {
                continue;
            }
            let amounts = crate::domain::commerce::contracts::split(
                c.amount,
                k,
                crate::core::money::minor_places(if c.usd { "USD" } else { "CNY" }),
            );
            let every = c.months / k;
            let offset = if every > 0 && k * every < c.months && self.r.chance(0.5) {
                every
            } else {
                0
            };
            for (j, amount) in amounts.into_iter().enumerate() {
                let due = if every > 0 {
                    self.cal.add_months(c.start, offset + j as u32 * every)
                } else {
                    c.start + (c.end - c.start) * j as i64 / i64::from(k)
                };
                items.push(Item {
                    due,
                    amount,
                    paid: Money::ZERO,
                    touched: 0,
                });
            }
        }
        items
    }

    /// Payments: each signed contract's customer pays its items about when they are due,
    /// one at a time — most within a week of the day, a third of them weeks late, a tenth
    /// months late or not at all — never after the contract was terminated; one final
    /// payment in ten rounded up (what is left over kept as a credit); one in a hundred
    /// came in twice and was reversed (a bounced or doubled transfer). Then as many as
    /// asked for: payments split in two (a part then, the rest weeks later), or the latest
    /// left unpaid. Each is applied as `payments::create` applies it: to the contract's
    /// open items, oldest due first, each taking what it still has open, what exceeds them
    /// a credit; a reversed one's allocations were taken back before the next payment.
    fn payments_of(
        &mut self,
        cs: &[ContractPlan],
        items: &mut [Item],
        n: usize,
    ) -> (Vec<Pay>, Vec<(u32, Money)>) {
        let now = self.cal.now_w;
        let today = i64::from(self.cal.today);
        let stop = |c: &ContractPlan| c.terminated.unwrap_or(now);
        let mut pays: Vec<Pay> = Vec::new();
        for (ci, c) in cs.iter().enumerate() {
            let Some(signed) = c.signed else {
                continue;
            };
            let habit = self.r.weighted(&[55, 35, 10]);
            for j in 0..c.count {
                let item = &items[(c.first + j) as usize];
                if habit == 2 && self.r.chance(0.3) {
                    continue;
                }
                let lag = match habit {
                    0 => self.r.range(-10, 7),
                    1 => self.r.range(5, 60),
                    _ => self.r.range(30, 180),
                };
                let day = item.due + lag;
                if day > today {
                    continue;
                }
                let at = (self.cal.opening(day) + self.r.below(WD as usize) as u32).max(signed);
                if at > stop(c) {
                    continue;
                }
                let mut amount = item.amount;
                if j + 1 == c.count && self.r.chance(0.1) {
                    // Rounded up by about one per cent, in whole units.
                    amount += Money::from_units(
                        (amount.minor() / crate::core::money::SCALE / 100).max(1),
                    );
                }
                if self.r.chance(0.01) {
                    let before = Cal::back(at, self.r.range(1, 5) as u32).max(signed);
                    pays.push(Pay::new(ci, before.min(at), amount, true));
                }
                pays.push(Pay::new(ci, at, amount, false));
            }
        }
        // Too few: split payments in two.
        let mut misses = 0;
        while pays.len() < n {
            if pays.is_empty() {
                // Nothing was due yet: the first item of the first signed contract, paid
                // early.
                let Some(ci) = (0..cs.len()).find(|&i| cs[i].signed.is_some() && cs[i].count > 0)
                else {
                    break;
                };
                let c = &cs[ci];
                let at = c.signed.unwrap_or(now).min(stop(c));
                pays.push(Pay::new(ci, at, items[c.first as usize].amount, false));
                continue;
            }
            let e = self.r.below(pays.len());
            let p = pays[e];
            let cents = p.amount.minor() / 100;
            if p.reversed || cents < 2 {
                misses += 1;
                if misses > 10_000 {
                    break;
                }
                continue;
            }
            misses = 0;
            let mut part =
                ((cents as f64 * (0.3 + 0.4 * self.r.unit())) as i64).clamp(1, cents - 1);
            if cents > 1_000_000 {
                // In whole hundreds when large.
                part = (part / 10_000 * 10_000).max(1);
            }
            let first = Money::from_minor(part * 100);
            pays[e].amount = first;
            let later = (p.at + self.r.range(5, 40) as u32 * WD)
                .min(stop(&cs[p.contract as usize]))
                .max(p.at);
            pays.push(Pay {
                at: later,
                amount: p.amount - first,
                ..p
            });
        }
        pays.sort_by_key(|p| (p.contract, p.at));
        // Too many: the latest payments of contracts chosen at random never came.
        if pays.len() > n {
            let mut keep = vec![0u32; cs.len()];
            for p in &pays {
                keep[p.contract as usize] += 1;
            }
            let mut extra = pays.len() - n;
            while extra > 0 {
                let c = pays[self.r.below(pays.len())].contract as usize;
                if keep[c] > 0 {
                    keep[c] -= 1;
                    extra -= 1;
                }
            }
            let mut seen = vec![0u32; cs.len()];
            pays.retain(|p| {
                let c = p.contract as usize;
                seen[c] += 1;
                seen[c] <= keep[c]
            });
        }
        // Applied in the order they came, as kith applies them.
        let mut allocs: Vec<(u32, Money)> = Vec::with_capacity(pays.len() * 5 / 4);
        let mut received = vec![Money::ZERO; cs.len()];
        for e in 0..pays.len() {
            let c = &cs[pays[e].contract as usize];
            let (first, last) = (c.first as usize, (c.first + c.count) as usize);
            let open = if c.count == 0 {
                c.amount - received[pays[e].contract as usize]
            } else {
                items[first..last]
                    .iter()
                    .map(|i| i.amount - i.paid)
                    .sum::<Money>()
            }
            .max(Money::ZERO);
            let p = &mut pays[e];
            p.applied = p.amount.min(open);
            p.credit = p.amount - p.applied;
            if p.reversed {
                let next = pays
                    .get(e + 1)
                    .filter(|q| q.contract == pays[e].contract)
                    .map_or(now, |q| q.at);
                let p = &mut pays[e];
                let undone = p.at + self.r.range(WD as i64 / 2, 3 * WD as i64) as u32;
                p.reversed_at = undone.min(next).min(now).max(p.at);
                continue;
            }
            received[p.contract as usize] += p.amount;
            p.first = allocs.len() as u32;
            let mut left = p.applied;
            for (j, item) in items[first..last].iter_mut().enumerate() {
                if left == Money::ZERO {
                    break;
                }
                let open = item.amount - item.paid;
                if open <= Money::ZERO {
                    continue;
                }
                let take = open.min(left);
                item.paid += take;
                item.touched = p.at;
                left = left - take;
                allocs.push(((first + j) as u32, take));
            }
            p.n = allocs.len() as u32 - p.first;
        }
        (pays, allocs)
    }

    /// Invoices, each for one plan item of a signed contract and its amount: for items
    /// due by a month from now chosen at random (items due later past those), issued up to
    /// ten days before the item was due and not after today; the tax of its order's share
    /// (6 % VAT within the amount for a service contract in CNY, none in USD); one in
    /// thirty voided a few days later.
    fn invoices_of(&mut self, cs: &[ContractPlan], items: &[Item], n: usize) -> Vec<Inv> {
        let now = self.cal.now_w;
        let today = i64::from(self.cal.today);
        let (mut near, mut later) = (Vec::new(), Vec::new());
        for (ci, c) in cs.iter().enumerate() {
            if c.signed.is_none() {
                continue;
            }
            for i in c.first..c.first + c.count {
                let to = if items[i as usize].due <= today + 30 {
                    &mut near
                } else {
                    &mut later
                };
                to.push((ci as u32, i));
            }
        }
        let chosen: Vec<(u32, u32)> = if n <= near.len() {
            choose(&mut self.r, near.len(), n)
                .into_iter()
                .map(|i| near[i])
                .collect()
        } else {
            let more = choose(&mut self.r, later.len(), (n - near.len()).min(later.len()));
            near.extend(more.into_iter().map(|i| later[i]));
            near
        };
        let mut invs: Vec<Inv> = chosen
            .into_iter()
            .map(|(ci, i)| {
                let c = &cs[ci as usize];
                let item = &items[i as usize];
                let signed = c.signed.unwrap_or(now);
                let day = (item.due - self.r.range(0, 10)).min(today);
                let at =
                    (self.cal.opening(day) + self.r.below(WD as usize) as u32).clamp(signed, now);
                let void = self
                    .r
                    .chance(1.0 / 30.0)
                    .then(|| (at + self.r.range(1, 5) as u32 * WD).min(now).max(at));
                let tax = match c.tax_of {
                    Some((tax, total)) => share(item.amount, tax, total),
                    None if !c.usd => {
                        share(item.amount, Money::from_units(6), Money::from_units(106))
                    }
                    None => Money::ZERO,
                };
                Inv {
                    contract: ci,
                    item: i,
                    at,
                    void,
                    tax,
                }
            })
            .collect();
        invs.sort_by_key(|v| (v.at, v.contract, v.item));
        invs
    }

    fn write_contracts(
        &mut self,
        ld: &mut BulkLoader<'_>,
        cs: &[ContractPlan],
        items: &[Item],
        (received, invoiced, touched): (&[Money], &[Money], &[u32]),
    ) -> Result<()> {
        let mut b = std::mem::take(&mut self.b);
        for (i, c) in cs.iter().enumerate() {
            let id = i as i64 + 1;
            let ai = c.acct as usize;
            let zh = self.accts[ai].parts.zh;
            self.cal.stamp(&mut b.created, c.made);
            self.cal.stamp(&mut b.updated, touched[i]);
            b.name.clear();
            b.name.push_str("HT-");
            b.name.push_str(&b.created[..4]);
            write!(b.name, "-{id:06}").ok();
            b.a.clear();
            match self.prods.get(c.product as usize) {
                Some(p) if zh && !p.usd => {
                    b.a.push_str(&p.name);
                    b.a.push_str("采购合同");
                }
                Some(p) => {
                    b.a.push_str(&p.name);
                    b.a.push_str(" purchase agreement");
                }
                None if zh => {
                    b.a.push_str(
                        self.r
                            .pick(&["年度运维服务合同", "技术服务合同", "软件许可合同"]),
                    )
                }
                None => b.a.push_str(self.r.pick(&[
                    "Annual support agreement",
                    "Service agreement",
                    "Software license agreement",
                ])),
            }
            b.c.clear();
            self.cal.push_day(&mut b.c, c.start);
            b.d.clear();
            self.cal.push_day(&mut b.d, c.end);
            b.e.clear();
            if let Some(s) = c.signed {
                self.cal.date(&mut b.e, self.cal.day(s));
            }
            b.b.clear();
            if let Some(t) = c.terminated {
                self.cal.stamp(&mut b.b, t);
            }
            let reason = c.terminated.map(|_| {
                if zh {
                    self.r.pick(&["客户经营调整", "双方协商解除", "项目取消"])
                } else {
                    self.r.pick(&[
                        "Customer restructured",
                        "Ended by agreement",
                        "Project cancelled",
                    ])
                }
            });
            let status = match (c.signed, c.terminated) {
                (None, _) => "draft",
                (Some(_), None) => "active",
                (Some(_), Some(_)) => "terminated",
            };
            let planned: Money = items[c.first as usize..(c.first + c.count) as usize]
                .iter()
                .map(|i| i.amount)
                .sum();
            ld.contract(&ContractRow {
                id,
                number: &b.name,
                title: &b.a,
                account_id: ai as i64 + 1,
                order_id: (c.order > 0).then_some(i64::from(c.order)),
                deal_id: (c.deal > 0).then_some(i64::from(c.deal)),
                amount: c.amount,
                currency: if c.usd { "USD" } else { "CNY" },
                start: &b.c,
                end: &b.d,
                signed: c.signed.map(|_| b.e.as_str()),
                notice: c.notice,
                status,
                planned,
                received: received[i],
                invoiced: invoiced[i],
                owner: c.owner,
                terminated_at: c.terminated.map(|_| b.b.as_str()),
                reason,
                created_at: &b.created,
                updated_at: &b.updated,
            })?;
            // Its plan, made with it.
            for (j, k) in (c.first..c.first + c.count).enumerate() {
                let item = &items[k as usize];
                b.f.clear();
                b.f.push_str(&b.name);
                write!(b.f, "/{}", j + 1).ok();
                b.g.clear();
                self.cal.push_day(&mut b.g, item.due);
                b.tags.clear();
                if item.touched > 0 {
                    self.cal.stamp(&mut b.tags, item.touched);
                }
                ld.plan(&PlanRow {
                    id: i64::from(k) + 1,
                    name: &b.f,
                    contract_id: id,
                    position: j as i64 + 1,
                    due: &b.g,
                    amount: item.amount,
                    paid: item.paid,
                    status: crate::domain::commerce::contracts::stored_status(
                        item.amount,
                        item.paid,
                    ),
                    created_at: &b.created,
                    updated_at: if b.tags.is_empty() {
                        &b.created
                    } else {
                        &b.tags
                    },
                })?;
            }
        }
        self.b = b;
        Ok(())
    }

    /// Payments in the order they came, each with its allocations.
    fn write_payments(
        &mut self,
        ld: &mut BulkLoader<'_>,
        cs: &[ContractPlan],
        pays: &[Pay],
        allocs: &[(u32, Money)],
    ) -> Result<()> {
        let mut order: Vec<u32> = (0..pays.len() as u32).collect();
        order.sort_by_key(|&e| (pays[e as usize].at, pays[e as usize].contract));
        let mut b = std::mem::take(&mut self.b);
        for (i, &e) in order.iter().enumerate() {
            let id = i as i64 + 1;
            let p = &pays[e as usize];
            let c = &cs[p.contract as usize];
            let ai = c.acct as usize;
            self.cal.stamp(&mut b.created, p.at);
            b.name.clear();
            b.name.push_str("PAY-");
            b.name.push_str(&b.created[..4]);
            write!(b.name, "-{id:06}").ok();
            b.d.clear();
            self.cal.date(&mut b.d, self.cal.day(p.at));
            let method = if c.usd {
                "bank"
            } else {
                ["bank", "cheque", "cash", "other"][self.r.weighted(&[82, 8, 3, 7])]
            };
            // The bank's serial number, and the payer's name as the statement gives it.
            b.a.clear();
            let reference = method == "bank" && self.r.chance(0.8);
            if reference {
                b.a.push_str(if c.usd { "TT" } else { "HX" });
                b.a.extend(b.d.chars().filter(char::is_ascii_digit));
                self.r.digits(&mut b.a, 6);
            }
            let payer = self.r.chance(0.7);
            b.b.clear();
            if payer {
                b.b.push_str(self.name(ai));
            }
            b.updated.clear();
            if p.reversed {
                self.cal.stamp(&mut b.updated, p.reversed_at);
            }
            let zh = self.accts[ai].parts.zh;
            let reason = p.reversed.then(|| {
                if zh {
                    self.r.pick(&["银行退票", "重复录入"])
                } else {
                    self.r.pick(&["Bounced", "Entered twice"])
                }
            });
            ld.payment(&PaymentRow {
                id,
                number: &b.name,
                contract_id: i64::from(p.contract) + 1,
                account_id: ai as i64 + 1,
                amount: p.amount,
                currency: if c.usd { "USD" } else { "CNY" },
                received_on: &b.d,
                method,
                reference: reference.then_some(b.a.as_str()),
                payer: payer.then_some(b.b.as_str()),
                status: if p.reversed { "reversed" } else { "received" },
                applied: p.applied,
                credit: p.credit,
                reversed_at: p.reversed.then_some(b.updated.as_str()),
                reason,
                created_at: &b.created,
                updated_at: if p.reversed { &b.updated } else { &b.created },
            })?;
            for &(item, amount) in &allocs[p.first as usize..(p.first + p.n) as usize] {
                ld.allocation(&AllocationRow {
                    payment_id: id,
                    plan_id: i64::from(item) + 1,
                    amount,
                    created_at: &b.created,
                })?;
            }
        }
        self.b = b;
        Ok(())
    }

    /// Invoices in the order they were issued: numbered as the tax office's eight digits
    /// in CNY, INV-YEAR-NNNNNN in USD.
    fn write_invoices(
        &mut self,
        ld: &mut BulkLoader<'_>,
        cs: &[ContractPlan],
        items: &[Item],
        invs: &[Inv],
    ) -> Result<()> {
        let mut b = std::mem::take(&mut self.b);
        for (i, v) in invs.iter().enumerate() {
            let id = i as i64 + 1;
            let c = &cs[v.contract as usize];
            let ai = c.acct as usize;
            let total = items[v.item as usize].amount;
            self.cal.stamp(&mut b.created, v.at);
            b.name.clear();
            if c.usd {
                b.name.push_str("INV-");
                b.name.push_str(&b.created[..4]);
                write!(b.name, "-{id:06}").ok();
            } else {
                write!(b.name, "{:08}", 44_000_000 + id).ok();
            }
            b.d.clear();
            self.cal.date(&mut b.d, self.cal.day(v.at));
            b.updated.clear();
            if let Some(t) = v.void {
                self.cal.stamp(&mut b.updated, t);
            }
            let zh = self.accts[ai].parts.zh;
            let reason = v.void.map(|_| {
                if zh {
                    self.r.pick(&["开票信息有误", "金额有误，重开"])
                } else {
                    self.r
                        .pick(&["Wrong buyer details", "Wrong amount, issued again"])
                }
            });
            ld.invoice(&InvoiceRow {
                id,
                number: &b.name,
                contract_id: i64::from(v.contract) + 1,
                account_id: ai as i64 + 1,
                amount: total - v.tax,
                tax: v.tax,
                total,
                currency: if c.usd { "USD" } else { "CNY" },
                issued: &b.d,
                status: if v.void.is_some() { "void" } else { "issued" },
                voided_at: v.void.map(|_| b.updated.as_str()),
                reason,
                created_at: &b.created,
                updated_at: if v.void.is_some() {
                    &b.updated
                } else {
                    &b.created
                },
            })?;
        }
        self.b = b;
        Ok(())
    }

    fn name(&self, a: usize) -> &str {
        let start = if a == 0 { 0 } else { self.name_ends[a - 1] } as usize;
        &self.names[start..self.name_ends[a] as usize]
    }

    fn owner_for(&mut self, zh: bool) -> u8 {
        match (zh, self.r.chance(0.85)) {
            (true, true) => self.zh_reps[self.r.weighted(&self.zh_rep_w)],
            (false, true) => self.en_reps[self.r.weighted(&self.en_rep_w)],
            _ => self.r.weighted(&self.rep_weights) as u8,
        }
    }

    /// A deal's or activity's owner: mostly the account's.
    fn owner_of(&mut self, a: usize) -> &'static str {
        if self.r.chance(0.9) {
            REPS[self.accts[a].owner as usize].0
        } else {
            REPS[self.r.weighted(&self.rep_weights)].0
        }
    }

    fn zh_space(&self) -> u64 {
        (ZH_CITIES.len() * ZH_BRANDS.len() * self.zh_words.len() * ZH_SUFFIXES.len()) as u64
    }

    fn en_space(&self) -> u64 {
        (EN_BRAND_A.len() * EN_BRAND_B.len() * self.en_words.len() * EN_SUFFIXES.len()) as u64
    }

    fn decode(&self, zh: bool, mut k: u64) -> Parts {
        let (suffixes, words, brands) = if zh {
            (ZH_SUFFIXES.len(), self.zh_words.len(), ZH_BRANDS.len())
        } else {
            (
                EN_SUFFIXES.len(),
                self.en_words.len(),
                EN_BRAND_A.len() * EN_BRAND_B.len(),
            )
        };
        let suffix = (k % suffixes as u64) as u16;
        k /= suffixes as u64;
        let word = (k % words as u64) as u16;
        k /= words as u64;
        let brand = (k % brands as u64) as u16;
        k /= brands as u64;
        let city = if zh {
            (k % ZH_CITIES.len() as u64) as u16
        } else {
            0
        };
        Parts {
            zh,
            city,
            brand,
            word,
            suffix,
        }
    }

    fn industry(&self, p: Parts) -> usize {
        if p.zh {
            self.zh_words[p.word as usize].0
        } else {
            self.en_words[p.word as usize].0
        }
    }

    /// A company's name from its parts.
    fn company(&self, buf: &mut String, p: Parts) {
        if p.zh {
            buf.push_str(ZH_CITIES[p.city as usize].0);
            buf.push_str(ZH_BRANDS[p.brand as usize].0);
            buf.push_str(self.zh_words[p.word as usize].1);
            buf.push_str(ZH_SUFFIXES[p.suffix as usize]);
        } else {
            let b = p.brand as usize;
            buf.push_str(EN_BRAND_A[b / EN_BRAND_B.len()]);
            buf.push_str(EN_BRAND_B[b % EN_BRAND_B.len()]);
            buf.push(' ');
            buf.push_str(self.en_words[p.word as usize].1);
            buf.push(' ');
            buf.push_str(EN_SUFFIXES[p.suffix as usize]);
        }
    }

    /// A company's web and mail domain.
    fn domain(&self, buf: &mut String, p: Parts) {
        if p.zh {
            buf.push_str(ZH_BRANDS[p.brand as usize].1);
            buf.push('-');
            buf.push_str(self.zh_words[p.word as usize].2);
            buf.push('-');
            buf.push_str(ZH_CITIES[p.city as usize].3);
            buf.push_str(".cn");
        } else {
            let b = p.brand as usize;
            for part in [
                EN_BRAND_A[b / EN_BRAND_B.len()],
                EN_BRAND_B[b % EN_BRAND_B.len()],
                self.en_words[p.word as usize].1,
            ] {
                buf.extend(
                    part.chars()
                        .filter(|c| c.is_ascii_alphanumeric())
                        .map(|c| c.to_ascii_lowercase()),
                );
            }
            buf.push_str(".com");
        }
    }

    fn phone(&mut self, buf: &mut String, zh: bool, city: usize) {
        if zh {
            buf.push_str("+86 ");
            buf.push_str(ZH_CITIES[city].2);
            buf.push(' ');
            buf.push(self.r.pick(&['8', '6', '3']));
            self.r.digits(buf, 3);
            buf.push(' ');
            self.r.digits(buf, 4);
        } else {
            let (_, _, _, prefix, n) = EN_CITIES[city];
            buf.push_str(prefix);
            if n == 7 {
                self.r.digits(buf, 3);
                buf.push(' ');
                self.r.digits(buf, 4);
            } else {
                self.r.digits(buf, n);
            }
        }
    }

    fn mobile(&mut self, buf: &mut String, zh: bool, city: usize) {
        if zh {
            buf.push_str("+86 ");
            buf.push_str(
                self.r
                    .pick(&["138", "139", "135", "186", "158", "177", "189"]),
            );
            buf.push(' ');
            self.r.digits(buf, 4);
            buf.push(' ');
            self.r.digits(buf, 4);
        } else {
            self.phone(buf, false, city);
        }
    }

    /// A person: the packed code kept in `people`.
    fn person(&mut self, zh: bool) -> u32 {
        let (first, second, w) = if zh {
            (FAMILY.len(), GIVEN.len(), &self.title_w.0)
        } else {
            (EN_FIRST.len(), EN_LAST.len(), &self.title_w.1)
        };
        let t = self.r.weighted(w) as u32;
        (u32::from(zh) << 31)
            | (t << 16)
            | ((self.r.below(first) as u32) << 8)
            | self.r.below(second) as u32
    }

    /// A person's name.
    fn person_name(buf: &mut String, code: u32) {
        let (a, b) = (((code >> 8) & 0xff) as usize, (code & 0xff) as usize);
        if code >> 31 == 1 {
            buf.push_str(FAMILY[a].0);
            buf.push_str(GIVEN[b].0);
        } else {
            buf.push_str(EN_FIRST[a]);
            buf.push(' ');
            buf.push_str(EN_LAST[b]);
        }
    }

    /// The local part of a person's mail address.
    fn mail_local(buf: &mut String, code: u32) {
        let (a, b) = (((code >> 8) & 0xff) as usize, (code & 0xff) as usize);
        if code >> 31 == 1 {
            let (fp, gp) = (FAMILY[a].1, GIVEN[b].1);
            if (fp.len() + gp.len()) % 2 == 0 {
                buf.push_str(gp);
                buf.push('.');
                buf.push_str(fp);
            } else {
                buf.push_str(fp);
                buf.push_str(gp);
            }
        } else {
            buf.extend(EN_FIRST[a].chars().map(|c| c.to_ascii_lowercase()));
            buf.push('.');
            buf.extend(EN_LAST[b].chars().map(|c| c.to_ascii_lowercase()));
        }
    }

    fn title_of(code: u32) -> (&'static str, &'static str) {
        let t = ((code >> 16) & 0xff) as usize;
        let (title, role, _) = if code >> 31 == 1 {
            ZH_TITLES[t]
        } else {
            EN_TITLES[t]
        };
        (title, role)
    }

    fn source(&mut self) -> &'static str {
        SOURCES[self.r.weighted(SOURCE_WEIGHTS)]
    }

    // -----------------------------------------------------------------------------------
    // Accounts

    fn accounts(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let zh_perm = Perm::new(self.zh_space(), &mut self.r);
        let en_perm = Perm::new(self.en_space(), &mut self.r);
        let (mut zh_n, mut en_n) = (0u64, 0u64);
        let mut branch_names: HashSet<String> = HashSet::new();
        // Accounts were made over six years, more of them lately; ids grow with time.
        let hi = Cal::back(self.cal.now_w, 2);
        let lo = Cal::back(hi, 6 * 261);
        let span = f64::from(hi - lo);
        self.accts.reserve(n);
        self.name_ends.reserve(n);
        let mut b = std::mem::take(&mut self.b);
        for i in 0..n {
            let x = (i as f64 + self.r.unit()) / n as f64;
            let created = lo + (span * x.powf(0.7)) as u32;
            let age_days = (self.cal.now_w - created) / WD;
            // About one account in sixteen is a branch of a bigger one.
            let parent = if i > 20 && self.r.chance(0.06) {
                (0..8).find_map(|_| {
                    let p = self.r.below(i);
                    let pa = &self.accts[p];
                    (pa.tier < 2 && pa.parts.suffix != u16::MAX && pa.ty < 4).then_some(p)
                })
            } else {
                None
            };
            b.name.clear();
            let (parts, city, tier, ty) = match parent {
                Some(p) => {
                    let pp = self.accts[p].parts;
                    let cities = if pp.zh {
                        ZH_CITIES.len()
                    } else {
                        EN_CITIES.len()
                    };
                    let mut city = self.r.below(cities);
                    let mut tries = 0;
                    loop {
                        b.name.clear();
                        b.name.push_str(self.name(p));
                        if city == usize::from(self.accts[p].city) {
                            city = (city + 1) % cities;
                        }
                        let kind = self.r.below(2);
                        if pp.zh {
                            b.name.push_str(ZH_CITIES[city].0);
                            b.name.push_str(["分公司", "办事处"][kind]);
                        } else {
                            b.name.push_str(" – ");
                            b.name.push_str(EN_CITIES[city].0);
                            b.name.push_str([" Branch", " Office"][kind]);
                        }
                        if tries >= 6 {
                            write!(b.name, " {}", tries - 4).ok();
                        }
                        if branch_names.insert(b.name.clone()) {
                            break;
                        }
                        tries += 1;
                        city = self.r.below(cities);
                    }
                    let tier = if self.accts[p].tier == 0 && self.r.chance(0.5) {
                        1
                    } else {
                        1 + self.r.below(2) as u8
                    };
                    // A branch's parts mark it as a branch (for choosing parents).
                    let parts = Parts {
                        suffix: u16::MAX,
                        ..pp
                    };
                    (parts, city as u16, tier, self.accts[p].ty)
                }
                None => {
                    let zh = self.r.chance(0.75);
                    let (perm, count) = if zh {
                        (&zh_perm, &mut zh_n)
                    } else {
                        (&en_perm, &mut en_n)
                    };
                    let round = *count / perm.m;
                    let k = perm.at(*count % perm.m);
                    *count += 1;
                    let parts = self.decode(zh, k);
                    self.company(&mut b.name, parts);
                    if round > 0 {
                        // More accounts than combinations: number the later ones.
                        if zh {
                            write!(b.name, "第{}分公司", round + 1).ok();
                        } else {
                            write!(b.name, " – Branch {}", round + 1).ok();
                        }
                    }
                    let city = if zh {
                        parts.city
                    } else {
                        self.r.below(EN_CITIES.len()) as u16
                    };
                    let tier = self.r.weighted(&[10, 30, 60]) as u8;
                    let mut ty = self.r.weighted(TYPE_WEIGHTS) as u8;
                    if age_days < 30 && ty == 0 {
                        ty = 1; // New accounts are prospects.
                    }
                    (parts, city, tier, ty)
                }
            };
            let zh = parts.zh;
            let mut status = self.r.weighted(&[80, 15, 5]) as u8;
            if age_days < 60 || (parent.is_some() && status == 2) {
                status = 0;
            }
            let owner = self.owner_for(zh);
            self.names.push_str(&b.name);
            self.name_ends.push(self.names.len() as u32);
            let ind = self.industry(parts);
            let dom_parts = Parts { suffix: 0, ..parts };

            // Row text.
            let city_u = usize::from(city);
            b.a.clear();
            self.phone(&mut b.a, zh, city_u);
            b.b.clear();
            b.b.push_str("www.");
            self.domain(&mut b.b, dom_parts);
            b.c.clear();
            let email = self.r.chance(0.3);
            if email {
                b.c.push_str(if zh { "info@" } else { "sales@" });
                self.domain(&mut b.c, dom_parts);
            }
            b.d.clear();
            let (city_s, region, country) = if zh {
                let (c, prov, _, _) = ZH_CITIES[city_u];
                b.d.push_str(c);
                b.d.push('市');
                b.d.push_str(self.r.pick(ZH_ROADS));
                write!(b.d, "{}号", self.r.range(1, 999)).ok();
                (c, prov, "中国")
            } else {
                let (c, region, country, _, _) = EN_CITIES[city_u];
                write!(b.d, "{} {}", self.r.range(1, 2500), self.r.pick(EN_STREETS)).ok();
                (c, region, country)
            };
            b.tag_list.clear();
            match tier {
                0 => {
                    b.tag_list.push(self.r.pick(&["key", "strategic", "重点"]));
                    if self.r.chance(0.3) {
                        b.tag_list.push("vip");
                    }
                }
                1 if self.r.chance(0.2) => b.tag_list.push(self.r.pick(&["key", "重点"])),
                _ => {}
            }
            if ty == 0 && self.r.chance(0.1) {
                b.tag_list.push("renewal");
            }
            tags_json(&mut b.tags, &mut b.tag_list);
            let notes = self.r.chance(0.05).then(|| {
                if zh {
                    self.r.pick(&[
                        "年底集中采购。",
                        "对价格敏感，重视本地服务。",
                        "老客户介绍。",
                        "集团统一招标。",
                    ])
                } else {
                    self.r.pick(&[
                        "Buys at year end.",
                        "Price sensitive; values local support.",
                        "Referred by an existing customer.",
                    ])
                }
            });
            let source = if parent.is_some() {
                self.r.pick(&["referral", "partner"])
            } else {
                self.source()
            };
            self.cal.stamp(&mut b.created, created);
            ld.account(&AccountRow {
                id: i as i64 + 1,
                name: &b.name,
                kind: "company",
                type_: ACCOUNT_TYPES[ty as usize],
                tier: TIERS[tier as usize],
                status: STATUSES[status as usize],
                industry: INDUSTRIES[ind].label,
                // One account in twenty is in the shared pool (公海), without an owner.
                owner: if i % 20 == 7 {
                    ""
                } else {
                    REPS[owner as usize].0
                },
                parent_id: parent.map(|p| p as i64 + 1),
                phone: &b.a,
                email: email.then_some(b.c.as_str()),
                website: &b.b,
                address: &b.d,
                city: city_s,
                region,
                country,
                source,
                tags: &b.tags,
                notes,
                created_at: &b.created,
                updated_at: &b.created,
            })?;
            self.accts.push(Acct {
                created,
                parts,
                city,
                tier,
                status,
                ty,
                owner,
                first_contact: 0,
                contacts: 0,
                deal_no: 0,
            });
        }
        self.b = b;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Contacts

    fn contacts(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let na = self.accts.len();
        if na == 0 {
            return Ok(());
        }
        // One each first (when there are enough), the rest by the account's size.
        let mut per = vec![0u32; na];
        let mut left = n;
        if n >= na {
            per.iter_mut().for_each(|c| *c = 1);
            left -= na;
        }
        let cum = Cum::new(
            self.accts
                .iter()
                .map(|a| [5.0, 2.0, 0.7][a.tier as usize] * if a.ty == 4 { 0.3 } else { 1.0 }),
        );
        for _ in 0..left {
            if let Some(a) = cum.sample(&mut self.r) {
                per[a] += 1;
            }
        }
        self.people.reserve(n);
        let mut b = std::mem::take(&mut self.b);
        let mut id = 0u32;
        for (ai, &k) in per.iter().enumerate() {
            self.accts[ai].first_contact = id + 1;
            self.accts[ai].contacts = k;
            let a = &self.accts[ai];
            let (zh, city, created, parts, owner) = (
                a.parts.zh,
                usize::from(a.city),
                a.created,
                Parts {
                    suffix: 0,
                    ..a.parts
                },
                REPS[a.owner as usize].0,
            );
            for j in 0..k {
                id += 1;
                let code = self.person(zh);
                self.people.push(code);
                let (title, role) = Self::title_of(code);
                b.name.clear();
                Self::person_name(&mut b.name, code);
                // emails
                b.a.clear();
                b.a.push_str("[\"");
                Self::mail_local(&mut b.a, code);
                b.a.push('@');
                self.domain(&mut b.a, parts);
                b.a.push('"');
                if self.r.chance(0.25) {
                    // A personal address too.
                    b.a.push_str(",\"");
                    b.e.clear();
                    Self::mail_local(&mut b.e, code);
                    if zh {
                        b.a.extend(b.e.chars().filter(|&c| c != '.'));
                        write!(b.a, "{}@", self.r.range(1, 99)).ok();
                        b.a.push_str(self.r.pick(&["163.com", "qq.com", "126.com"]));
                    } else {
                        b.a.push_str(&b.e);
                        write!(b.a, "{}@gmail.com", self.r.range(1, 99)).ok();
                    }
                    b.a.push('"');
                }
                b.a.push(']');
                // phones
                b.b.clear();
                b.b.push_str("[\"");
                self.mobile(&mut b.b, zh, city);
                b.b.push('"');
                if self.r.chance(0.4) {
                    b.b.push_str(",\"");
                    self.phone(&mut b.b, zh, city);
                    b.b.push('"');
                }
                b.b.push(']');
                let birthday = self.r.chance(0.6);
                if birthday {
                    b.c.clear();
                    let year = self.r.range(1960, 2000) as i32;
                    let d = NaiveDate::from_yo_opt(year, self.r.range(1, 365) as u32)
                        .unwrap_or_default();
                    write!(b.c, "{year:04}-").ok();
                    two(&mut b.c, i64::from(d.month()));
                    b.c.push('-');
                    two(&mut b.c, i64::from(d.day()));
                }
                b.tag_list.clear();
                if role == "decision maker" && self.r.chance(0.5) {
                    b.tag_list.push("kp");
                }
                if self.r.chance(0.1) {
                    b.tag_list.push(if zh {
                        self.r.pick(&["技术", "老朋友", "决策人"])
                    } else {
                        self.r.pick(&["champion", "technical", "newsletter"])
                    });
                }
                tags_json(&mut b.tags, &mut b.tag_list);
                // The first came with the account; others were met later.
                let at = if j == 0 {
                    created + 600
                } else {
                    created + (self.r.unit() * f64::from(self.cal.now_w - created)) as u32
                };
                self.cal.stamp(&mut b.created, at.min(self.cal.now_w));
                ld.contact(&ContactRow {
                    id: i64::from(id),
                    name: &b.name,
                    account_id: Some(ai as i64 + 1),
                    title,
                    role,
                    emails: &b.a,
                    phones: &b.b,
                    birthday: birthday.then_some(b.c.as_str()),
                    owner,
                    tags: &b.tags,
                    notes: None,
                    uid: None,
                    created_at: &b.created,
                    updated_at: &b.created,
                })?;
            }
        }
        self.b = b;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Deals

    fn deals(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let na = self.accts.len();
        self.deal_start = vec![0; na + 1];
        if na == 0 || n == 0 {
            return Ok(());
        }
        // Big customers get many deals: a Pareto-like weight for A accounts.
        let weights: Vec<f64> = self
            .accts
            .iter()
            .map(|a| {
                let tier = match a.tier {
                    0 => 10.0 * self.r.unit().max(1e-6).powf(-1.0 / 1.5).min(30.0),
                    1 => 3.0,
                    _ => 1.0,
                };
                let ty = [1.5, 1.0, 0.8, 0.8, 0.0, 0.0][a.ty as usize];
                let status = [1.0, 0.3, 0.2][a.status as usize];
                tier * ty * status
            })
            .collect();
        let mut cum = Cum::new(weights.into_iter());
        if cum.total() <= 0.0 {
            cum = Cum::new(self.accts.iter().map(|_| 1.0));
        }
        let now = self.cal.now_w;
        let st = &self.stages;
        let n_open = st.open.len();
        let open_w: Vec<u32> = (0..n_open).map(|i| (30 - 4 * i as u32).max(6)).collect();
        let mut plans = Vec::with_capacity(n);
        for _ in 0..n {
            let ai = cum.sample(&mut self.r).unwrap_or(0);
            let a = &self.accts[ai];
            let lo = (a.created + WD / 2).min(now);
            let outcome = self.r.weighted(&[45, 30, 25]);
            let (stage, created, closed) = match (outcome, st.won, st.lost) {
                (1, Some(done), _) | (2, _, Some(done)) => {
                    // Closed after a sales cycle of one to six months.
                    let cycle = self.r.range(5, 130) as u32 * WD;
                    let top = now.saturating_sub(cycle).max(lo);
                    let from = Cal::back(now, 3 * 261).max(lo).min(top);
                    let created = self.r.range(i64::from(from), i64::from(top)) as u32;
                    (done, created, (created + cycle).min(now).max(created + 1))
                }
                _ => {
                    let s = st.open[self.r.weighted(&open_w)];
                    let from = Cal::back(now, 150).max(lo);
                    (s, self.r.range(i64::from(from), i64::from(now)) as u32, 0)
                }
            };
            plans.push((created, ai as u32, stage as u8, closed));
        }
        plans.sort_unstable();
        // Ids in the order they were made; each account's deals, oldest first.
        for p in &plans {
            self.deal_start[p.1 as usize + 1] += 1;
        }
        for i in 0..na {
            self.deal_start[i + 1] += self.deal_start[i];
        }
        let mut fill = self.deal_start.clone();
        self.deal_ids = vec![0; n];
        for (i, p) in plans.iter().enumerate() {
            let slot = &mut fill[p.1 as usize];
            self.deal_ids[*slot as usize] = i as u32 + 1;
            *slot += 1;
        }
        self.deals = plans
            .iter()
            .map(|&(created, acct, stage, closed)| DealPlan {
                created,
                closed,
                acct,
                stage,
                usd: false,
            })
            .collect();

        let mut b = std::mem::take(&mut self.b);
        for i in 0..self.deals.len() {
            let DealPlan {
                created,
                closed,
                acct,
                stage,
                ..
            } = self.deals[i];
            let id = i as i64 + 1;
            let ai = acct as usize;
            let ind = self.industry_of(ai);
            let (zh, tier, ty, no) = {
                let a = &mut self.accts[ai];
                a.deal_no += 1;
                (a.parts.zh, a.tier, a.ty, a.deal_no as usize - 1)
            };
            // A unique title: the account, then its products in turn, then phases.
            b.name.clear();
            b.name.push_str(self.name(ai));
            let (own, generic) = if zh {
                (INDUSTRIES[ind].zh_products, ZH_GENERIC_PRODUCTS)
            } else {
                (INDUSTRIES[ind].en_products, EN_GENERIC_PRODUCTS)
            };
            let len = own.len() + generic.len();
            let k = (mix(ai as u64) as usize + no) % len;
            let product = if k < own.len() {
                own[k]
            } else {
                generic[k - own.len()]
            };
            let phase = no / len;
            if zh {
                b.name.push_str(product);
                if phase > 0 {
                    match PHASES.get(phase - 1) {
                        Some(p) => write!(b.name, "（{p}期）").ok(),
                        None => write!(b.name, "（{}期）", phase + 1).ok(),
                    };
                }
            } else {
                b.name.push_str(" – ");
                b.name.push_str(product);
                if phase > 0 {
                    write!(b.name, " – phase {}", phase + 1).ok();
                }
            }
            let (stage_id, probability, outcome) = {
                let st = &self.stages.all[stage as usize];
                let outcome = match st.outcome.as_str() {
                    "won" => "won",
                    "lost" => "lost",
                    _ => "open",
                };
                (st.id, st.probability, outcome)
            };
            let median = [400_000.0, 150_000.0, 50_000.0][tier as usize];
            let cny = (median * (0.9 * self.r.normal()).exp()).clamp(5_000.0, 50_000_000.0);
            let usd = (!zh && self.r.chance(0.6)) || (zh && self.r.chance(0.03));
            self.deals[i].usd = usd;
            let amount = if usd {
                ((cny / 7.1 / 100.0).round() * 100.0).max(1_000.0)
            } else {
                (cny / 1000.0).round() * 1000.0
            };
            let cost = self
                .r
                .chance(0.7)
                .then(|| (amount * (0.35 + 0.45 * self.r.unit()) / 100.0).round() * 100.0);
            let mut competitor = self.r.chance(0.3).then(|| self.r.pick(COMPETITORS));
            let reason = (outcome == "lost").then(|| {
                let r = self.r.pick(LOST_REASONS);
                if r == "competitor" && competitor.is_none() {
                    competitor = Some(self.r.pick(COMPETITORS));
                }
                r
            });
            // Expected close: near the close for closed deals; ahead (or slipped) for open.
            b.a.clear();
            let close_day = if closed > 0 {
                i64::from(self.cal.day(closed)) + self.r.range(-20, 20)
            } else if self.r.chance(0.15) {
                i64::from(self.cal.today) - self.r.range(1, 60)
            } else {
                i64::from(self.cal.today) + self.r.range(7, 180)
            };
            self.cal.date(
                &mut b.a,
                close_day.clamp(0, BACK_DAYS + AHEAD_DAYS - 1) as u32,
            );
            let owner = self.owner_of(ai);
            let source = self.source();
            let a = &self.accts[ai];
            let contact = (a.contacts > 0)
                .then(|| i64::from(a.first_contact) + self.r.below(a.contacts as usize) as i64);
            b.tag_list.clear();
            if self.r.chance(0.5) {
                b.tag_list.push(if ty == 0 {
                    self.r.pick(&["renewal", "upsell", "upsell"])
                } else {
                    "new-logo"
                });
            }
            tags_json(&mut b.tags, &mut b.tag_list);
            self.cal.stamp(&mut b.created, created);
            b.b.clear();
            if closed > 0 {
                self.cal.stamp(&mut b.b, closed);
            }
            ld.deal(&DealRow {
                id,
                title: &b.name,
                account_id: Some(ai as i64 + 1),
                contact_id: contact,
                amount: Money::from_f64(amount).unwrap_or_default(),
                cost: cost.and_then(Money::from_f64),
                currency: if usd { "USD" } else { "CNY" },
                pipeline_id: self.stages.pipeline,
                stage_id,
                probability,
                expected_close: &b.a,
                status: outcome,
                owner,
                source,
                competitor,
                reason,
                closed_at: (closed > 0).then_some(b.b.as_str()),
                tags: &b.tags,
                created_at: &b.created,
                updated_at: b.b_or(&b.created),
            })?;
            // Stage history: most deals went through the stages before theirs in kith; the
            // rest were entered where they are (closed ones when they closed).
            let path: &[usize] = &self.stages.open;
            let here = stage as usize;
            let steps: usize = match outcome {
                "open" => path.iter().position(|&s| s == here).unwrap_or(0) + 1,
                "won" => path.len() + 1,
                _ => self.r.below(path.len()) + 2,
            };
            if self.r.chance(0.6) && steps > 1 {
                let end = if closed > 0 {
                    closed
                } else {
                    now.max(created + 1)
                };
                let mut prev: Option<i64> = None;
                let mut t = created;
                for k in 0..steps {
                    let to = if k + 1 == steps && outcome != "open" {
                        here
                    } else {
                        path[k.min(path.len() - 1)]
                    };
                    let to_id = self.stages.all[to].id;
                    if k > 0 {
                        // Each step a part of the way from the last one to the end.
                        let left = (steps - k) as f64;
                        t += ((f64::from(end - t) / left) * (0.5 + 0.5 * self.r.unit())) as u32;
                        if k + 1 == steps && closed > 0 {
                            t = closed;
                        }
                    }
                    self.cal.stamp(&mut b.c, t);
                    ld.stage_step(id, prev, to_id, &b.c, owner)?;
                    prev = Some(to_id);
                }
            } else {
                let at = if closed > 0 { &b.b } else { &b.created };
                ld.stage_step(id, None, stage_id, at, owner)?;
            }
        }
        self.b = b;
        Ok(())
    }

    fn industry_of(&self, a: usize) -> usize {
        self.industry(self.accts[a].parts)
    }

    // -----------------------------------------------------------------------------------
    // Leads

    fn leads(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        const LEAD_STATUSES: &[&str] =
            &["new", "contacted", "qualified", "disqualified", "converted"];
        let na = self.accts.len();
        let now = self.cal.now_w;
        // Converted leads became accounts made in the last two years.
        let recent = self
            .accts
            .partition_point(|a| a.created < Cal::back(now, 2 * 261));
        // (created, status, account for converted, touched)
        let mut plans: Vec<(u32, u8, u32, u32)> = Vec::with_capacity(n);
        for i in 0..n {
            let mut s = if i < LEAD_STATUSES.len() {
                i
            } else {
                self.r.weighted(&[25, 25, 20, 15, 15])
            };
            if s == 4 && na == 0 {
                s = 2;
            }
            let (created, acct, touched) = if s == 4 {
                let ai = if recent < na {
                    recent + self.r.below(na - recent)
                } else {
                    self.r.below(na)
                };
                let converted = self.accts[ai].created;
                let made = Cal::back(converted, self.r.range(3, 60) as u32);
                (made, ai as u32, converted)
            } else {
                let (lo, hi) = [(0, 20), (3, 60), (5, 120), (5, 500)][s];
                let made = Cal::back(now, self.r.range(lo, hi) as u32)
                    .saturating_sub(self.r.below(WD as usize) as u32);
                let touched = if s == 0 {
                    made
                } else {
                    made + (self.r.unit() * f64::from(now - made)) as u32
                };
                (made, 0, touched)
            };
            plans.push((created, s as u8, acct, touched));
        }
        plans.sort_unstable();
        let zh_space = self.zh_space();
        let en_space = self.en_space();
        let mut b = std::mem::take(&mut self.b);
        for (i, &(created, s, acct, touched)) in plans.iter().enumerate() {
            let id = i as i64 + 1;
            let status = LEAD_STATUSES[s as usize];
            b.name.clear();
            b.a.clear();
            b.b.clear();
            b.c.clear();
            let (zh, title, owner, conv) = if s == 4 {
                let ai = acct as usize;
                let a = &self.accts[ai];
                let (zh, parts) = (a.parts.zh, a.parts);
                let owner = REPS[a.owner as usize].0;
                // The contact the conversion made, and the first deal after it.
                let contact = (a.contacts > 0).then_some(a.first_contact);
                let code = match contact {
                    Some(c) => self.people[c as usize - 1],
                    None => self.person(zh),
                };
                Self::person_name(&mut b.name, code);
                b.a.push_str(self.name(ai));
                Self::mail_local(&mut b.b, code);
                b.b.push('@');
                self.domain(&mut b.b, parts);
                let (ds, de) = (
                    self.deal_start[ai] as usize,
                    self.deal_start[ai + 1] as usize,
                );
                let deal = self.deal_ids[ds..de]
                    .iter()
                    .find(|&&d| self.deals[d as usize - 1].created >= touched)
                    .filter(|_| self.r.chance(0.6))
                    .map(|&d| i64::from(d));
                let title = Self::title_of(code).0;
                (
                    zh,
                    title,
                    owner,
                    Some((ai as i64 + 1, contact.map(i64::from), deal)),
                )
            } else {
                let zh = self.r.chance(0.75);
                let k = self
                    .r
                    .0
                    .random_range(0..if zh { zh_space } else { en_space });
                let parts = self.decode(zh, k);
                self.company(&mut b.a, parts);
                let code = self.person(zh);
                Self::person_name(&mut b.name, code);
                Self::mail_local(&mut b.b, code);
                b.b.push('@');
                self.domain(&mut b.b, parts);
                let owner = REPS[self.owner_for(zh) as usize].0;
                (zh, Self::title_of(code).0, owner, None)
            };
            let email = self.r.chance(0.85);
            let phone = self.r.chance(0.7);
            if phone {
                let city = self
                    .r
                    .below(if zh { ZH_CITIES.len() } else { EN_CITIES.len() });
                self.mobile(&mut b.c, zh, city);
            }
            let source = self.source();
            let score = match s {
                0 => self.r.range(0, 60),
                1 => self.r.range(20, 70),
                2 => self.r.range(50, 95),
                3 => self.r.range(0, 30),
                _ => self.r.range(60, 100),
            };
            b.tag_list.clear();
            if source == "exhibition" && self.r.chance(0.6) {
                b.tag_list.push(if zh { "展会" } else { "expo" });
            } else if score >= 80 {
                b.tag_list.push("hot");
            }
            tags_json(&mut b.tags, &mut b.tag_list);
            let notes = if s == 3 {
                Some(if zh {
                    self.r
                        .pick(&["无预算", "非目标客户", "联系不上", "已选择其他供应商"])
                } else {
                    self.r.pick(&[
                        "No budget",
                        "Not a fit",
                        "Unreachable",
                        "Went with another vendor",
                    ])
                })
            } else {
                None
            };
            self.cal.stamp(&mut b.created, created);
            self.cal.stamp(&mut b.updated, touched);
            ld.lead(&LeadRow {
                id,
                name: &b.name,
                company: &b.a,
                title,
                email: email.then_some(b.b.as_str()),
                phone: phone.then_some(b.c.as_str()),
                source,
                status,
                score,
                owner,
                tags: &b.tags,
                notes,
                converted_account_id: conv.map(|c| c.0),
                converted_contact_id: conv.and_then(|c| c.1),
                converted_deal_id: conv.and_then(|c| c.2),
                converted_at: conv.map(|_| b.updated.as_str()),
                created_at: &b.created,
                updated_at: &b.updated,
            })?;
            if s < 3 {
                self.open_leads.push((id as u32, created));
            }
        }
        self.b = b;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Activities

    /// Weights for choosing which account a piece of work is about: active A and B
    /// accounts most.
    fn busy_weights(&mut self, tiers: [f64; 3]) -> Cum {
        Cum::new(self.accts.iter().map(|a| {
            let ty = [1.0, 1.0, 0.3, 0.5, 0.0, 0.3][a.ty as usize];
            let status = [1.0, 0.15, 0.05][a.status as usize];
            tiers[a.tier as usize] * ty * status
        }))
    }

    /// A deal of an account alive at `at` (made before it, not closed before it), if any.
    fn live_deal(&mut self, a: usize, at: u32) -> Option<i64> {
        let (s, e) = (self.deal_start[a] as usize, self.deal_start[a + 1] as usize);
        let ids = &self.deal_ids[s..e];
        // Deals made before `at` and not closed before it.
        let n = ids
            .iter()
            .filter(|&&d| {
                let p = &self.deals[d as usize - 1];
                p.created < at && (p.closed == 0 || p.closed >= at)
            })
            .count();
        if n == 0 {
            return None;
        }
        let k = self.r.below(n);
        let deals = &self.deals;
        ids.iter()
            .filter(|&&d| {
                let p = &deals[d as usize - 1];
                p.created < at && (p.closed == 0 || p.closed >= at)
            })
            .nth(k)
            .map(|&d| i64::from(d))
    }

    fn activities(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let na = self.accts.len();
        if n == 0 || na == 0 {
            return Ok(());
        }
        let mut cum = self.busy_weights([25.0, 6.0, 1.5]);
        if cum.total() <= 0.0 {
            cum = Cum::new(self.accts.iter().map(|_| 1.0));
        }
        let now = self.cal.now_w;
        // Keys: (at << 32) | target, target < 2^30: an account, or (1 << 30) | lead index.
        let mut keys: Vec<u64> = Vec::with_capacity(n);
        for _ in 0..n {
            let u = self.r.unit();
            if u < 0.005 {
                // Planned for the next two weeks.
                let a = cum.sample(&mut self.r).unwrap_or(0);
                let at = now + WD + self.r.below(9 * WD as usize) as u32;
                keys.push((u64::from(at) << 32) | a as u64);
            } else if u < 0.025 && !self.open_leads.is_empty() {
                let l = self.r.below(self.open_leads.len());
                let made = self.open_leads[l].1;
                let at = made + (self.r.unit() * f64::from(now - made)) as u32;
                keys.push((u64::from(at) << 32) | (1 << 30) | l as u64);
            } else {
                let a = cum.sample(&mut self.r).unwrap_or(0);
                let created = self.accts[a].created;
                let span = f64::from((now - created).min(520 * WD));
                let back = (self.r.unit().powf(1.5) * span) as u32;
                keys.push((u64::from(now - back) << 32) | a as u64);
            }
        }
        keys.sort_unstable();
        let mut b = std::mem::take(&mut self.b);
        for (i, key) in keys.iter().enumerate() {
            let at = (key >> 32) as u32;
            let target = (key & 0xffff_ffff) as u32;
            let planned = at > now;
            let (acct, lead) = if target & (1 << 30) != 0 {
                (
                    None,
                    Some(self.open_leads[(target & !(1 << 30)) as usize].0),
                )
            } else {
                (Some(target as usize), None)
            };
            let zh = match acct {
                Some(a) => self.accts[a].parts.zh,
                None => self.r.chance(0.75),
            };
            let kind = if planned {
                1 + self.r.below(2)
            } else if lead.is_some() {
                [0, 3][self.r.below(2)]
            } else {
                self.r.weighted(KIND_WEIGHTS)
            };
            let subject = self.r.pick(if zh {
                ZH_SUBJECTS[kind]
            } else {
                EN_SUBJECTS[kind]
            });
            let outcome = (!planned && kind != 4 && self.r.chance(0.7))
                .then(|| self.r.pick(if zh { ZH_OUTCOMES } else { EN_OUTCOMES }));
            let minutes = match kind {
                0 => Some(self.r.range(3, 30)),
                1 => Some(self.r.range(6, 18) * 10),
                2 => Some(self.r.range(3, 12) * 10),
                3 if self.r.chance(0.3) => Some(5),
                _ => None,
            };
            let body = self
                .r
                .chance(0.2)
                .then(|| self.r.pick(if zh { ZH_BODIES } else { EN_BODIES }));
            let (contact, deal, owner) = match acct {
                Some(a) => {
                    let ac = &self.accts[a];
                    let contact =
                        (kind != 4 && ac.contacts > 0 && self.r.chance(0.75)).then(|| {
                            i64::from(ac.first_contact) + self.r.below(ac.contacts as usize) as i64
                        });
                    let deal = if self.r.chance(0.5) {
                        self.live_deal(a, at.min(now))
                    } else {
                        None
                    };
                    (contact, deal, self.owner_of(a))
                }
                None => (None, None, REPS[self.r.weighted(&self.rep_weights)].0),
            };
            b.tag_list.clear();
            if self.r.chance(0.02) {
                b.tag_list.push(if zh { "重要" } else { "important" });
            }
            tags_json(&mut b.tags, &mut b.tag_list);
            b.a.clear();
            self.cal.push_local(&mut b.a, self.cal.local(at));
            let made = if planned {
                Cal::back(now, self.r.range(0, 5) as u32)
                    .saturating_sub(self.r.below(WD as usize) as u32)
            } else {
                at
            };
            self.cal.stamp(&mut b.created, made);
            ld.activity(&ActivityRow {
                id: i as i64 + 1,
                kind: KINDS[kind],
                subject,
                at: &b.a,
                body,
                outcome,
                minutes,
                account_id: acct.map(|a| a as i64 + 1),
                contact_id: contact,
                lead_id: lead.map(i64::from),
                deal_id: deal,
                case_id: None,
                via: None,
                owner,
                tags: &b.tags,
                created_at: &b.created,
                updated_at: &b.created,
            })?;
        }
        self.b = b;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Tasks

    fn tasks(&mut self, ld: &mut BulkLoader<'_>, n: usize) -> Result<()> {
        let na = self.accts.len();
        if n == 0 || na == 0 {
            return Ok(());
        }
        let mut cum = self.busy_weights([12.0, 5.0, 2.0]);
        if cum.total() <= 0.0 {
            cum = Cum::new(self.accts.iter().map(|_| 1.0));
        }
        let now = self.cal.now_w;
        // Keys: (created << 32) | (kind << 30) | target; kinds 0 done, 1 overdue, 2 today,
        // 3 later. A target with the top bit of its 30 set is a lead.
        let mut keys: Vec<u64> = Vec::with_capacity(n);
        for _ in 0..n {
            let kind = self.r.weighted(&[45, 10, 5, 40]) as u64;
            let (target, made_min) = if self.r.chance(0.05) && !self.open_leads.is_empty() {
                let l = self.r.below(self.open_leads.len());
                ((1u32 << 29) | l as u32, self.open_leads[l].1)
            } else {
                let a = cum.sample(&mut self.r).unwrap_or(0);
                (a as u32, self.accts[a].created)
            };
            let days_back = if kind == 0 {
                (self.r.unit().powf(1.3) * 520.0) as u32 + 1
            } else {
                self.r.range(if kind == 1 { 2 } else { 0 }, 30) as u32
            };
            let made = Cal::back(now, days_back)
                .saturating_sub(self.r.below(WD as usize) as u32)
                .max(made_min)
                .min(now);
            keys.push((u64::from(made) << 32) | (kind << 30) | u64::from(target));
        }
        keys.sort_unstable();
        let mut b = std::mem::take(&mut self.b);
        for (i, key) in keys.iter().enumerate() {
            let made = (key >> 32) as u32;
            let kind = (key >> 30) & 3;
            let target = (key & ((1 << 30) - 1)) as u32;
            let (acct, lead) = if target & (1 << 29) != 0 {
                (
                    None,
                    Some(self.open_leads[(target & !(1 << 29)) as usize].0),
                )
            } else {
                (Some(target as usize), None)
            };
            let zh = match acct {
                Some(a) => self.accts[a].parts.zh,
                None => self.r.chance(0.75),
            };
            b.name.clear();
            b.name
                .push_str(self.r.pick(if zh { ZH_TASKS } else { EN_TASKS }));
            let (contact, deal, owner) = match acct {
                Some(a) => {
                    let (first, count) = (self.accts[a].first_contact, self.accts[a].contacts);
                    let contact = (count > 0 && self.r.chance(0.5))
                        .then(|| first + self.r.below(count as usize) as u32);
                    if let Some(c) = contact {
                        if self.r.chance(0.5) {
                            let code = self.people[c as usize - 1];
                            b.name.push_str(if zh { "（" } else { " (" });
                            Self::person_name(&mut b.name, code);
                            b.name.push_str(if zh { "）" } else { ")" });
                        }
                    }
                    let deal = if self.r.chance(0.4) {
                        self.live_deal(a, made)
                    } else {
                        None
                    };
                    (contact.map(i64::from), deal, self.owner_of(a))
                }
                None => (None, None, REPS[self.r.weighted(&self.rep_weights)].0),
            };
            let made_day = self.cal.day(made);
            let today = self.cal.today;
            let due_day = match kind {
                0 => made_day + self.r.range(1, 14) as u32,
                1 => (today - self.r.range(1, 14) as u32).max(made_day),
                2 => today,
                _ => today + self.r.range(1, 30) as u32,
            };
            b.a.clear();
            if self.r.chance(0.3) {
                let t = self.r.pick(&[10, 14, 17]) * 3600;
                self.cal
                    .push_local(&mut b.a, i64::from(due_day) * 86_400 + t);
            } else {
                self.cal.date(&mut b.a, due_day);
            }
            let done = kind == 0;
            b.b.clear();
            if done {
                // Done within a few days of the due date, some late, never after now.
                let due_w = self
                    .cal
                    .workdays
                    .partition_point(|&d| d < due_day)
                    .min(self.cal.workdays.len() - 1) as u32
                    * WD;
                let lag = self.r.range(-3, 5);
                let at = if lag >= 0 {
                    due_w + lag as u32 * WD
                } else {
                    Cal::back(due_w, (-lag) as u32)
                } + self.r.below(WD as usize) as u32;
                self.cal
                    .stamp(&mut b.b, at.clamp(made + 1, now.max(made + 1)));
            }
            let priority = ["low", "normal", "high"][self.r.weighted(&[25, 50, 25])];
            b.tag_list.clear();
            if self.r.chance(0.05) {
                b.tag_list.push(if zh { "紧急" } else { "urgent" });
            }
            tags_json(&mut b.tags, &mut b.tag_list);
            let notes = self.r.chance(0.05).then_some(if zh {
                "记得抄送区域经理。"
            } else {
                "Copy the regional manager."
            });
            self.cal.stamp(&mut b.created, made);
            if done {
                b.updated.clear();
                b.updated.push_str(&b.b);
            } else {
                b.updated.clear();
                b.updated.push_str(&b.created);
            }
            ld.task(&TaskRow {
                id: i as i64 + 1,
                title: &b.name,
                due: Some(&b.a),
                priority,
                done,
                done_at: done.then_some(b.b.as_str()),
                account_id: acct.map(|a| a as i64 + 1),
                contact_id: contact,
                lead_id: lead.map(i64::from),
                deal_id: deal,
                owner,
                tags: &b.tags,
                notes,
                created_at: &b.created,
                updated_at: &b.updated,
            })?;
        }
        self.b = b;
        Ok(())
    }
}

impl Bufs {
    /// `b` when it holds a time, else `or`.
    fn b_or<'a>(&'a self, or: &'a str) -> &'a str {
        if self.b.is_empty() {
            or
        } else {
            &self.b
        }
    }
}

/// `k` of `0..n` (all of them when `k >= n`) chosen at random, in order: Knuth's selection
/// sampling, which takes exactly `k`.
fn choose(r: &mut R, n: usize, k: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(k.min(n));
    for i in 0..n {
        if out.len() >= k {
            break;
        }
        if r.below(n - i) < k - out.len() {
            out.push(i);
        }
    }
    out
}

/// `amount × part / whole`, rounded half up to the cent (zero when `whole` is).
fn share(amount: Money, part: Money, whole: Money) -> Money {
    if whole.minor() <= 0 {
        return Money::ZERO;
    }
    let exact = i128::from(amount.minor()) * i128::from(part.minor());
    let cent = i128::from(whole.minor()) * 100;
    Money::from_minor(((exact + cent / 2) / cent * 100) as i64)
}

/// Tags as kith stores them: a JSON array, sorted, without repeats.
fn tags_json(buf: &mut String, tags: &mut Vec<&'static str>) {
    tags.sort_unstable();
    tags.dedup();
    buf.clear();
    buf.push('[');
    for (i, t) in tags.iter().enumerate() {
        if i > 0 {
            buf.push(',');
        }
        buf.push('"');
        buf.push_str(t);
        buf.push('"');
    }
    buf.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::crm::{Crm, Env};
    use crate::core::clock::Clock;
    use std::collections::{BTreeMap, HashSet};

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    fn empty_store() -> Store {
        let env = Env {
            clock: Clock::at_local(now()),
            user: "bench".into(),
            currency: "CNY".into(),
            allow_duplicates: false,
        };
        let mut crm = Crm::new(Store::open_in_memory().unwrap(), env);
        crm.ensure_setup().unwrap();
        crm.store
    }

    fn tiny() -> Counts {
        Counts {
            accounts: 200,
            contacts: 600,
            leads: 100,
            deals: 400,
            activities: 2000,
            tasks: 500,
            products: 50,
            pricelists: 3,
            quotes: 300,
            orders: 150,
            contracts: 100,
            plans: 400,
            payments: 300,
            invoices: 100,
            cases: 400,
            replies: 700,
            surveys: 60,
        }
    }

    /// Every kind users keep is in the large dataset, as benches/run.py measures it.
    #[test]
    fn every_kind_users_keep_is_in_the_large_dataset() {
        let crm = Crm::new(
            generated(5),
            Env {
                clock: Clock::at_local(now()),
                user: "bench".into(),
                currency: "CNY".into(),
                allow_duplicates: false,
            },
        );
        for e in crate::model::Entity::RECORDS {
            assert!(crm.reader().max_id(e).unwrap() > 0, "no {}", e.plural());
        }
    }

    fn generated(seed: u64) -> Store {
        let mut store = empty_store();
        let out = generate_counts(&mut store, &tiny(), seed, now(), "bench").unwrap();
        assert_eq!(out, tiny());
        store
    }

    fn table<'a>(dump: &'a serde_json::Value, t: &str) -> &'a Vec<serde_json::Value> {
        dump["tables"][t].as_array().unwrap()
    }

    #[test]
    fn sizes_parse_and_scale() {
        assert_eq!(Size::parse("Large"), Some(Size::Large));
        assert_eq!(Size::parse("huge"), Some(Size::Huge));
        assert_eq!(Size::parse("small"), None);
        assert_eq!(Size::Large.counts().activities, 2_000_000);
        assert_eq!(Size::Huge.counts().accounts, 1_000_000);
    }

    #[test]
    fn a_small_run_is_complete_valid_and_realistic() {
        let store = generated(7);
        let dump = store.dump().unwrap();
        let c = tiny();
        for (t, n) in [
            ("accounts", c.accounts),
            ("contacts", c.contacts),
            ("leads", c.leads),
            ("deals", c.deals),
            ("activities", c.activities + c.replies),
            ("tasks", c.tasks),
            ("products", c.products),
            ("pricelists", c.pricelists),
            ("quotes", c.quotes),
            ("orders", c.orders),
            ("contracts", c.contracts),
            ("plans", c.plans),
            ("payments", c.payments),
            ("invoices", c.invoices),
            ("cases", c.cases),
            ("surveys", c.surveys),
        ] {
            assert_eq!(table(&dump, t).len() as u64, n, "{t}");
        }
        let total = c.accounts
            + c.contacts
            + c.leads
            + c.deals
            + c.activities
            + c.tasks
            + c.products
            + c.pricelists
            + c.quotes
            + c.orders
            + c.contracts
            + c.plans
            + c.payments
            + c.invoices
            + c.replies
            + c.cases
            + c.surveys;
        let creates: Vec<&serde_json::Value> = table(&dump, "changes")
            .iter()
            .filter(|ch| ch["user"] == "bench" && ch["op"] == "create")
            .collect();
        assert_eq!(creates.len() as u64, total);
        let batches: HashSet<i64> = creates
            .iter()
            .map(|ch| ch["batch"].as_i64().unwrap())
            .collect();
        assert_eq!(batches.len(), 1);
        assert!(table(&dump, "deal_stage_history").len() as u64 > c.deals);

        // kith check finds nothing.
        let findings = store.check().unwrap();
        assert!(findings.is_empty(), "{findings:#?}");

        // Unique account names; tiers about 10/30/60 %.
        let accounts = table(&dump, "accounts");
        let names: HashSet<&str> = accounts
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), accounts.len());
        let mut tiers: BTreeMap<&str, usize> = BTreeMap::new();
        for a in accounts {
            *tiers.entry(a["tier"].as_str().unwrap()).or_default() += 1;
        }
        let share = |t: &str| tiers.get(t).copied().unwrap_or(0) as f64 / accounts.len() as f64;
        assert!((0.04..0.18).contains(&share("A")), "{tiers:?}");
        assert!((0.2..0.4).contains(&share("B")), "{tiers:?}");
        assert!((0.5..0.7).contains(&share("C")), "{tiers:?}");

        // Deals in every stage of the default pipeline, status following the stage.
        let stages = table(&dump, "stages");
        let used: HashSet<i64> = table(&dump, "deals")
            .iter()
            .map(|d| d["stage_id"].as_i64().unwrap())
            .collect();
        for s in stages {
            assert!(
                used.contains(&s["id"].as_i64().unwrap()),
                "no deal in {}",
                s["name"]
            );
        }
        for d in table(&dump, "deals") {
            assert_eq!(d["status"] != "open", !d["closed_at"].is_null(), "{d}");
        }

        // Leads in every status; converted ones linked.
        let statuses: HashSet<&str> = table(&dump, "leads")
            .iter()
            .map(|l| l["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses.len(), 5, "{statuses:?}");

        // Tasks: open and done, some overdue; activities: some planned ahead.
        let today = "2026-11-22";
        let tasks = table(&dump, "tasks");
        let done = tasks.iter().filter(|t| t["done"] == 1).count();
        assert!(
            done > tasks.len() / 4 && done < tasks.len() * 3 / 4,
            "{done}"
        );
        let overdue = tasks
            .iter()
            .filter(|t| t["done"] == 0 && t["due"].as_str().unwrap()[..10] < *today)
            .count();
        assert!(overdue > 0);
        let acts = table(&dump, "activities");
        let planned = acts
            .iter()
            .filter(|a| a["at"].as_str().unwrap() > "2026-11-22T10")
            .count();
        assert!(planned > 0 && planned < acts.len() / 20, "{planned}");
        assert!(acts.iter().all(|a| a["at"].as_str().unwrap() > "2024-09"));

        // Birthdays on about 60 % of contacts; both scripts in names.
        let contacts = table(&dump, "contacts");
        let with = contacts.iter().filter(|c| !c["birthday"].is_null()).count();
        assert!(
            (0.5..0.7).contains(&(with as f64 / contacts.len() as f64)),
            "{with}"
        );
        assert!(names.iter().any(|n| n.is_ascii()) && names.iter().any(|n| !n.is_ascii()));

        // Most activity is on A and B accounts.
        let tier_of: BTreeMap<i64, &str> = accounts
            .iter()
            .map(|a| (a["id"].as_i64().unwrap(), a["tier"].as_str().unwrap()))
            .collect();
        let on_ab = acts
            .iter()
            .filter_map(|a| a["account_id"].as_i64())
            .filter(|id| tier_of[id] != "C")
            .count();
        assert!(on_ab as f64 > 0.6 * acts.len() as f64, "{on_ab}");

        quote_to_cash(&dump);
    }

    /// Orders, contracts, plans, payments and invoices of a small run, as kith would have
    /// made them: every total adds up, and every plan item was paid what its allocations
    /// say, oldest first.
    fn quote_to_cash(dump: &serde_json::Value) {
        use crate::domain::commerce::contracts::stored_status;
        type Row = serde_json::Value;
        let m = |v: &Row| Money::from_json(v).unwrap_or_default();
        let by_id = |t: &str| -> BTreeMap<i64, &Row> {
            table(dump, t)
                .iter()
                .map(|r| (r["id"].as_i64().unwrap(), r))
                .collect()
        };
        let of = |t: &str, field: &str| -> BTreeMap<i64, Vec<&Row>> {
            let mut out: BTreeMap<i64, Vec<&Row>> = BTreeMap::new();
            for r in table(dump, t) {
                if let Some(id) = r[field].as_i64() {
                    out.entry(id).or_default().push(r);
                }
            }
            out
        };
        let (quotes, deals, products) = (by_id("quotes"), by_id("deals"), by_id("products"));
        let (orders, contracts) = (by_id("orders"), by_id("contracts"));
        let (quote_lines, order_lines) = (of("lines", "quote_id"), of("lines", "order_id"));
        let today = "2026-11-22";
        let none = Vec::new();

        // Orders: most from accepted quotes (each once), their lines copied with their
        // products' costs; their totals those of their lines; every state; a confirmed
        // order's deal won when it was confirmed.
        let mut states: BTreeMap<&str, usize> = BTreeMap::new();
        let mut from_quotes = HashSet::new();
        for o in orders.values() {
            let status = o["status"].as_str().unwrap();
            *states.entry(status).or_default() += 1;
            let lines = order_lines.get(&o["id"].as_i64().unwrap()).unwrap_or(&none);
            assert!(!lines.is_empty(), "{o}");
            if let Some(q) = o["quote_id"].as_i64() {
                assert!(from_quotes.insert(q), "two orders of quote {q}");
                assert_eq!(quotes[&q]["status"], "accepted");
                assert_eq!(quotes[&q]["account_id"], o["account_id"]);
                assert_eq!(quotes[&q]["currency"], o["currency"]);
                let copied = &quote_lines[&q];
                assert_eq!(copied.len(), lines.len());
                for (a, b) in copied.iter().zip(lines) {
                    for f in [
                        "product_id",
                        "qty",
                        "price",
                        "discount",
                        "tax",
                        "net",
                        "cost",
                    ] {
                        assert_eq!(a[f], b[f], "{f} of {b}");
                    }
                }
            }
            let net: Money = lines.iter().map(|l| m(&l["net"])).sum();
            assert_eq!(net, m(&o["subtotal"]), "{o}");
            assert_eq!(m(&o["subtotal"]) + m(&o["tax"]), m(&o["total"]), "{o}");
            let cost: Money = lines
                .iter()
                .filter(|l| !l["cost"].is_null())
                .map(|l| totals::times(m(&l["qty"]), m(&l["cost"])).round_to(2))
                .sum();
            assert_eq!(cost, m(&o["cost"]), "{o}");
            for l in lines {
                assert_eq!(
                    l["cost"],
                    products[&l["product_id"].as_i64().unwrap()]["cost"]
                );
            }
            let went_on = matches!(status, "confirmed" | "delivered" | "closed");
            assert!(!went_on || !o["confirmed_at"].is_null(), "{o}");
            assert_eq!(
                status == "draft",
                o["confirmed_at"].is_null() && status != "cancelled"
            );
            if let Some(d) = o["deal_id"].as_i64() {
                assert_eq!(deals[&d]["status"], "won", "{o}");
                assert_eq!(deals[&d]["closed_at"], o["confirmed_at"], "{o}");
            }
        }
        assert_eq!(states.len(), 5, "{states:?}");
        assert!(
            from_quotes.len() * 2 > orders.len(),
            "{}",
            from_quotes.len()
        );
        assert!(states["closed"] > states["draft"], "{states:?}");
        assert!(orders.values().any(|o| !o["deal_id"].is_null()));

        // Contracts: most from orders gone on, in the order's currency and for its total;
        // active, some terminated, some past their end (expired when read), a few drafts.
        let plans = of("plans", "contract_id");
        let pays = of("payments", "contract_id");
        let invoices = of("invoices", "contract_id");
        let allocs = of("allocations", "plan_id");
        let allocs_of_payment = of("allocations", "payment_id");
        let payments = by_id("payments");
        let (mut expired, mut terminated, mut drafts, mut with_order) = (0, 0, 0, 0);
        let (mut overdue, mut late, mut credits, mut reversed) = (0, 0, 0, 0);
        for c in contracts.values() {
            let id = c["id"].as_i64().unwrap();
            if let Some(o) = c["order_id"].as_i64() {
                with_order += 1;
                let o = orders[&o];
                assert!(
                    ["confirmed", "delivered", "closed"].contains(&o["status"].as_str().unwrap())
                );
                for f in ["currency", "account_id", "deal_id", "owner"] {
                    assert_eq!(c[f], o[f], "{f} of {c}");
                }
                assert_eq!(m(&c["amount"]), m(&o["total"]));
            }
            match c["status"].as_str().unwrap() {
                "active" if c["end"].as_str().unwrap() < today => expired += 1,
                "terminated" => terminated += 1,
                "draft" => drafts += 1,
                _ => {}
            }
            assert!(c["start"].as_str() <= c["end"].as_str(), "{c}");
            // The plan adds up to the amount; each item was paid what its allocations
            // paid, never more than its amount, oldest due first.
            let items = plans.get(&id).unwrap_or(&none);
            let planned: Money = items.iter().map(|p| m(&p["amount"])).sum();
            assert_eq!(planned, m(&c["planned"]));
            assert!(items.is_empty() || planned == m(&c["amount"]), "{c}");
            let mut short = false;
            for p in items {
                let paid: Money = allocs
                    .get(&p["id"].as_i64().unwrap())
                    .unwrap_or(&none)
                    .iter()
                    .map(|a| m(&a["amount"]))
                    .sum();
                assert_eq!(paid, m(&p["paid"]), "{p}");
                assert!(paid <= m(&p["amount"]), "{p}");
                assert_eq!(p["status"], stored_status(m(&p["amount"]), paid), "{p}");
                assert!(
                    !short || paid == Money::ZERO,
                    "paid before an older item: {p}"
                );
                short |= paid < m(&p["amount"]);
                if p["status"] != "paid" && p["due"].as_str().unwrap() < today {
                    overdue += 1;
                }
                for a in allocs.get(&p["id"].as_i64().unwrap()).unwrap_or(&none) {
                    let on = payments[&a["payment_id"].as_i64().unwrap()]["received_on"].as_str();
                    late += usize::from(on.unwrap() > p["due"].as_str().unwrap());
                }
            }
            // What it received: its payments not reversed, each applied to its plan as
            // its allocations say, the rest a credit.
            let mut received = Money::ZERO;
            for p in pays.get(&id).unwrap_or(&none) {
                assert_eq!(p["currency"], c["currency"]);
                assert_eq!(m(&p["applied"]) + m(&p["credit"]), m(&p["amount"]), "{p}");
                let allocated: Money = allocs_of_payment
                    .get(&p["id"].as_i64().unwrap())
                    .unwrap_or(&none)
                    .iter()
                    .map(|a| m(&a["amount"]))
                    .sum();
                if p["status"] == "reversed" {
                    reversed += 1;
                    assert_eq!(allocated, Money::ZERO, "{p}");
                    assert!(!p["reversed_at"].is_null());
                } else {
                    assert_eq!(allocated, m(&p["applied"]), "{p}");
                    received += m(&p["amount"]);
                    credits += usize::from(m(&p["credit"]) > Money::ZERO);
                }
            }
            assert_eq!(received, m(&c["received"]), "{c}");
            let mut invoiced = Money::ZERO;
            for v in invoices.get(&id).unwrap_or(&none) {
                assert_eq!(v["currency"], c["currency"]);
                assert_eq!(m(&v["amount"]) + m(&v["tax"]), m(&v["total"]), "{v}");
                if v["status"] == "issued" {
                    invoiced += m(&v["total"]);
                }
            }
            assert_eq!(invoiced, m(&c["invoiced"]), "{c}");
        }
        assert!(with_order * 2 > contracts.len(), "{with_order}");
        assert!(
            expired > 0 && terminated > 0 && drafts > 0,
            "{expired} {terminated} {drafts}"
        );
        assert!(overdue > 0 && late > 0, "{overdue} {late}");
        assert!(credits > 0 && reversed > 0, "{credits} {reversed}");
        let voided = table(dump, "invoices")
            .iter()
            .filter(|v| v["status"] == "void")
            .count();
        assert!(
            voided > 0 && voided < table(dump, "invoices").len() / 10,
            "{voided}"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_database() {
        let a = generated(11).dump().unwrap();
        let b = generated(11).dump().unwrap();
        assert_eq!(a, b);
        let c = generated(12).dump().unwrap();
        assert_ne!(a["tables"]["accounts"], c["tables"]["accounts"]);
    }

    #[test]
    fn a_database_with_records_is_refused_and_left_alone() {
        let mut store = generated(1);
        let before = store.dump().unwrap();
        assert!(generate_counts(&mut store, &tiny(), 1, now(), "bench").is_err());
        assert_eq!(store.dump().unwrap(), before);
    }

    #[test]
    fn more_accounts_than_name_combinations_stay_unique() {
        let mut store = empty_store();
        let counts = Counts {
            accounts: 3000,
            ..Counts::default()
        };
        assert!(Gen::new(3, now(), &[]).is_err(), "no stages is refused");
        generate_counts(&mut store, &counts, 3, now(), "bench").unwrap();
        // The permutation is a bijection however small the space.
        let mut r = R(ChaCha8Rng::seed_from_u64(1));
        for m in [1u64, 2, 5, 17, 1000, 4097] {
            let p = Perm::new(m, &mut r);
            let seen: HashSet<u64> = (0..m).map(|i| p.at(i)).collect();
            assert_eq!(seen.len() as u64, m);
            assert!(seen.iter().all(|&k| k < m));
        }
    }

    /// `cargo test --release -- --ignored bulk_large --nocapture`; KITH_BULK_DB names the
    /// file (default: a temporary one), KITH_BULK_SIZE huge for the bigger set.
    #[test]
    #[ignore]
    fn bulk_large() {
        let size = std::env::var("KITH_BULK_SIZE")
            .ok()
            .and_then(|s| Size::parse(&s))
            .unwrap_or(Size::Large);
        let dir = tempfile::tempdir().unwrap();
        let path = std::env::var("KITH_BULK_DB")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| dir.path().join("large.db"));
        let _ = std::fs::remove_file(&path);
        let env = Env {
            clock: Clock::at_local(now()),
            user: "bench".into(),
            currency: "CNY".into(),
            allow_duplicates: false,
        };
        let mut crm = Crm::new(Store::open(&path).unwrap(), env);
        crm.ensure_setup().unwrap();
        let mut store = crm.store;
        let opts = LoadOptions {
            drop_indexes: std::env::var("KITH_BULK_KEEP_INDEXES").is_err(),
            leave_wal: std::env::var("KITH_BULK_WAL").is_err(),
            cache_kib: std::env::var("KITH_BULK_CACHE_KIB")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(LoadOptions::default().cache_kib),
        };
        let t = std::time::Instant::now();
        let counts = generate_with(&mut store, &size.counts(), 42, now(), "bench", &opts).unwrap();
        let took = t.elapsed();
        drop(store);
        let bytes = std::fs::metadata(&path).unwrap().len();
        let wal = std::fs::metadata(path.with_extension("db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
        println!(
            "bulk {size:?} {opts:?}: {counts:?} in {:.1} s; file {:.0} MiB (+ WAL {:.0} MiB)",
            took.as_secs_f64(),
            bytes as f64 / 1048576.0,
            wal as f64 / 1048576.0
        );
    }
}
