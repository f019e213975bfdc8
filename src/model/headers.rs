//! Header words of other tools' exports that name the same thing in many kinds of record
//! (a company, a person, a job title, a contact, a deal); the kinds' own header words are
//! declared with the kinds (their `synonyms`).

/// Names of a company, for accounts (their name) and for references to one.
pub const COMPANY: &[&str] = &[
    "客户名称",
    "客户",
    "公司",
    "公司名称",
    "单位",
    "单位名称",
    "企业",
    "企业名称",
    "所属客户",
    "所属公司",
    "company",
    "company name",
    "account",
    "account name",
    "organization",
    "organisation",
    "organization name",
    "org",
    "customer",
    "customer name",
    "business name",
];

/// Names of a person, for contacts and leads.
pub const PERSON: &[&str] = &[
    "联系人",
    "联系人姓名",
    "姓名",
    "名字",
    "全名",
    "full name",
    "fullname",
    "display name",
    "contact",
    "contact name",
    "contact person",
    "person",
    "person name",
];

/// A job title, for contacts and leads.
pub const JOB: &[&str] = &[
    "职位",
    "职务",
    "职称",
    "头衔",
    "job title",
    "position",
    "job",
];

/// A reference to a contact (deals, activities, tasks).
pub const CONTACT_REF: &[&str] = &[
    "联系人",
    "联系人姓名",
    "contact",
    "contact name",
    "contact person",
];

/// The name of a deal: its title, or a reference to it.
pub const DEAL_NAME: &[&str] = &[
    "商机",
    "商机名称",
    "opportunity",
    "opportunity name",
    "deal",
    "deal name",
];
