//! Presets for the exports of other tools (`--from outlook`, `--from google` …): which kith
//! field each column those tools write goes to, and which columns are kept in the notes.
//! A preset is also picked by itself when the header row is unmistakably one tool's.
//!
//! A column's target is written as alternatives tried in order, `a|b|c`, the first the
//! kind of record has winning; each is a field name or alias, `note` (kept in the notes as
//! `Header: value`), `-` (ignored: the tool's type and label columns), `name.given`,
//! `name.middle`, `name.family`, `name.suffix` (parts of a person's name, joined when no
//! column gives it whole), `birthday.year|month|day`, `flag:FIELD=VALUE` (a TRUE/FALSE
//! column), `outcome` (a deal's open/won/lost) or `KIND>field` (only for that kind). When
//! no alternative fits, the column goes to the notes.

use crate::core::error::Result;
use crate::model::{Entity, Ty};

/// How a column's value goes into its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The field's value. A list field (emails, phones, tags) takes every column given it
    /// and splits a cell on Google's ` ::: ` and a JSON list (`[{"value": …}]`); a second
    /// value for a single phone or email goes to the notes.
    Value,
    /// One part of a name joined from several columns (first and last name): used when no
    /// column gives the whole name.
    Name(NamePart, u8),
    /// The year, month or day of a date given in three columns (Thunderbird's birthday).
    Date(DatePart),
    /// Kept in the notes as a `Header: value` line.
    Note,
    /// A TRUE/FALSE column: true gives the field this value (Odoo's `Customer`).
    Flag(&'static str),
    /// A deal's open/won/lost status (Pipedrive): won or lost puts the deal in that stage.
    Outcome,
}

/// Which part of a person's name a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePart {
    Given,
    Middle,
    Family,
    Suffix,
    /// A column joined by `--map 'A+B=name'` that is none of the above.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Month,
    Day,
}

/// One tool's export.
#[derive(Debug)]
pub struct Preset {
    /// The `--from` name.
    pub name: &'static str,
    /// The tool, as users know it.
    pub title: &'static str,
    /// Header sets (exact spelling) any one of which says the file is this tool's.
    signatures: &'static [&'static [&'static str]],
    /// (header, target); a `*` in a header stands for any text (`E-mail * - Value`).
    columns: &'static [(&'static str, &'static str)],
}

impl Preset {
    /// The target of a header, if the preset knows it.
    pub fn target(&self, header: &str) -> Option<&'static str> {
        let h = header.trim();
        self.columns
            .iter()
            .find(|(pattern, _)| matches(pattern, h))
            .map(|(_, t)| *t)
    }

    fn detects(&self, headers: &[String]) -> bool {
        self.signatures
            .iter()
            .any(|set| set.iter().all(|s| headers.iter().any(|h| h.trim() == *s)))
    }
}

/// A header against a pattern, ignoring case; `*` stands for any text.
fn matches(pattern: &str, header: &str) -> bool {
    let (p, h) = (pattern.to_lowercase(), header.to_lowercase());
    match p.split_once('*') {
        None => p == h,
        Some((pre, post)) => {
            h.len() > pre.len() + post.len() && h.starts_with(pre) && h.ends_with(post)
        }
    }
}

/// The names `--from` takes.
pub fn names() -> Vec<&'static str> {
    ALL.iter().map(|p| p.name).collect()
}

/// The preset `--from` names; `none` reads the file by its headers only.
pub fn by_name(name: &str) -> Result<Option<&'static Preset>> {
    let n = name.trim().to_lowercase();
    if n == "none" {
        return Ok(None);
    }
    ALL.iter().find(|p| p.name == n).map(Some).ok_or_else(|| {
        crate::err!(
            Invalid,
            "import.preset_presets_none",
            name = name.trim(),
            names = names().join(", ")
        )
    })
}

/// The preset whose header row this is, when exactly one fits.
pub fn detect(headers: &[String]) -> Option<&'static Preset> {
    let mut hits = ALL.iter().filter(|p| p.detects(headers));
    match (hits.next(), hits.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// A target as the field of `entity` it fills and how.
pub fn resolve(entity: Entity, target: &str) -> (Option<&'static str>, Role) {
    let note = if entity.field("notes").is_some() {
        (Some("notes"), Role::Note)
    } else {
        (None, Role::Value)
    };
    for alt in target.split('|') {
        let alt = alt.trim();
        let alt = match alt.split_once('>') {
            Some((kind, rest)) if Entity::from_name(kind) == Some(entity) => rest,
            Some(_) => continue,
            None => alt,
        };
        match alt {
            "-" => return (None, Role::Value),
            "note" => return note,
            "outcome" if entity == Entity::Deal => return (Some("stage"), Role::Outcome),
            _ => {}
        }
        if let Some(part) = alt.strip_prefix("name.") {
            if entity.label_field() != "name" {
                continue;
            }
            let part = match part {
                "given" => NamePart::Given,
                "middle" => NamePart::Middle,
                "family" => NamePart::Family,
                _ => NamePart::Suffix,
            };
            return (Some("name"), Role::Name(part, part as u8));
        }
        if let Some((field, part)) = alt.split_once('.') {
            let Some(f) = entity.field(field).filter(|f| f.ty == Ty::Date) else {
                continue;
            };
            let part = match part {
                "year" => DatePart::Year,
                "month" => DatePart::Month,
                _ => DatePart::Day,
            };
            return (Some(f.name), Role::Date(part));
        }
        if let Some(flag) = alt.strip_prefix("flag:") {
            let Some((field, value)) = flag.split_once('=') else {
                continue;
            };
            if let Some(f) = entity.field(field).filter(|f| !f.system) {
                if let Some(v) = f.choices().iter().find(|c| **c == value) {
                    return (Some(f.name), Role::Flag(v));
                }
            }
            continue;
        }
        if let Some(f) = entity
            .fields()
            .iter()
            .filter(|f| !f.system)
            .find(|f| f.name == alt || f.aliases.contains(&alt))
        {
            return (Some(f.name), Role::Value);
        }
    }
    note
}

/// Every preset, in the order `--help` lists them.
pub static ALL: &[Preset] = &[
    OUTLOOK,
    GOOGLE,
    THUNDERBIRD,
    APPLE,
    SALESFORCE,
    HUBSPOT,
    ODOO,
    ZOHO,
    LINKEDIN,
    PIPEDRIVE,
];

const ORG: &str = "account|company|name";
const PHONE: &str = "phones|phone";
const EMAIL: &str = "emails|email";

/// Outlook's "Export to a file → Comma Separated Values" (the columns Microsoft documents
/// for importing into Outlook, in the same order).
const OUTLOOK: Preset = Preset {
    name: "outlook",
    title: "Outlook",
    signatures: &[&[
        "First Name",
        "Last Name",
        "E-mail Address",
        "Business Phone",
    ]],
    columns: &[
        // Outlook's Title is the honorific (Mr., Dr.); the job is Job Title.
        ("Title", "note"),
        ("First Name", "name.given"),
        ("Middle Name", "name.middle"),
        ("Last Name", "name.family"),
        ("Suffix", "name.suffix"),
        ("Company", ORG),
        ("Department", "note"),
        ("Job Title", "title"),
        ("Business Street", "address|note"),
        ("Business City", "city|note"),
        ("Business State", "region|note"),
        ("Business Country/Region", "country|note"),
        ("Business Country", "country|note"),
        ("E-mail Address", EMAIL),
        ("E-mail 2 Address", EMAIL),
        ("E-mail 3 Address", EMAIL),
        ("E-mail Type", "-"),
        ("E-mail 2 Type", "-"),
        ("E-mail 3 Type", "-"),
        ("E-mail Display Name", "-"),
        ("E-mail 2 Display Name", "-"),
        ("E-mail 3 Display Name", "-"),
        ("Business Phone", PHONE),
        ("Business Phone 2", PHONE),
        ("Mobile Phone", PHONE),
        ("Home Phone", PHONE),
        ("Home Phone 2", PHONE),
        ("Primary Phone", PHONE),
        ("Company Main Phone", PHONE),
        ("Other Phone", PHONE),
        ("Car Phone", PHONE),
        ("Web Page", "website|note"),
        ("Categories", "tags"),
        ("Notes", "notes"),
        ("Birthday", "birthday|note"),
        // Outlook's Account is a billing account number, not the company.
        ("Account", "note"),
        ("Office Location", "note"),
        ("Referred By", "source|note"),
        ("Priority", "note"),
        ("Sensitivity", "note"),
    ],
};

/// Google Contacts' "Google CSV" export, in both the older (`Given Name`, `Group
/// Membership`) and the current (`First Name`, `Labels`) spelling.
const GOOGLE: Preset = Preset {
    name: "google",
    title: "Google Contacts",
    signatures: &[&["E-mail 1 - Value"], &["Phone 1 - Value"]],
    columns: &[
        ("Name", "name"),
        ("Given Name", "name.given"),
        ("First Name", "name.given"),
        ("Additional Name", "name.middle"),
        ("Middle Name", "name.middle"),
        ("Family Name", "name.family"),
        ("Last Name", "name.family"),
        ("Name Prefix", "note"),
        ("Name Suffix", "name.suffix"),
        ("Birthday", "birthday|note"),
        ("Notes", "notes"),
        ("Group Membership", "tags"),
        ("Labels", "tags"),
        ("E-mail * - Value", EMAIL),
        ("E-mail * - Type", "-"),
        ("E-mail * - Label", "-"),
        ("Phone * - Value", PHONE),
        ("Phone * - Type", "-"),
        ("Phone * - Label", "-"),
        ("Address * - Street", "address|note"),
        ("Address * - City", "city|note"),
        ("Address * - Region", "region|note"),
        ("Address * - Country", "country|note"),
        ("Address * - Type", "-"),
        ("Address * - Label", "-"),
        ("Organization * - Name", ORG),
        ("Organization Name", ORG),
        ("Organization * - Title", "title|note"),
        ("Organization Title", "title|note"),
        ("Organization * - Type", "-"),
        ("Organization * - Label", "-"),
        ("Website * - Value", "website|note"),
        ("Website * - Type", "-"),
        ("Website * - Label", "-"),
        ("Photo", "-"),
        ("Priority", "note"),
        ("Sensitivity", "note"),
        ("Subject", "note"),
        ("Location", "note"),
    ],
};

/// Thunderbird's address book exported as "Comma Separated".
const THUNDERBIRD: Preset = Preset {
    name: "thunderbird",
    title: "Thunderbird",
    signatures: &[&["Display Name", "Primary Email", "Secondary Email"]],
    columns: &[
        ("First Name", "name.given"),
        ("Last Name", "name.family"),
        ("Display Name", "name"),
        ("Primary Email", EMAIL),
        ("Secondary Email", EMAIL),
        ("Work Phone", PHONE),
        ("Home Phone", PHONE),
        ("Mobile Number", PHONE),
        ("Pager Number", PHONE),
        ("Work Address", "address|note"),
        ("Work City", "city|note"),
        ("Work State", "region|note"),
        ("Work Country", "country|note"),
        ("Job Title", "title"),
        ("Organization", ORG),
        ("Web Page 1", "website|note"),
        ("Birth Year", "birthday.year"),
        ("Birth Month", "birthday.month"),
        ("Birth Day", "birthday.day"),
        ("Notes", "notes"),
    ],
};

/// Apple Contacts writes vCards (`kith import vcard`); this reads the CSV that exporters of
/// it write with Contacts' own labels (`First`, `Last`, `Email (work)`, `Phone (mobile)`).
const APPLE: Preset = Preset {
    name: "apple",
    title: "Apple Contacts (CSV)",
    signatures: &[],
    columns: &[
        ("First", "name.given"),
        ("First Name", "name.given"),
        ("Middle", "name.middle"),
        ("Middle Name", "name.middle"),
        ("Last", "name.family"),
        ("Last Name", "name.family"),
        ("Suffix", "name.suffix"),
        ("Prefix", "note"),
        ("Organization", ORG),
        ("Company", ORG),
        ("Job Title", "title"),
        ("Email*", EMAIL),
        ("Phone*", PHONE),
        ("URL*", "website|note"),
        ("Birthday", "birthday|note"),
        ("Note", "notes"),
        ("Notes", "notes"),
    ],
};

/// Salesforce: Data Loader and Data Export write API names in capitals (`STAGENAME`,
/// `BILLINGCITY`); reports write labels (`Opportunity Name`, `Stage`).
const SALESFORCE: Preset = Preset {
    name: "salesforce",
    title: "Salesforce",
    signatures: &[
        &["ID", "STAGENAME"],
        &["ID", "BILLINGCITY"],
        &["ID", "ACCOUNTID"],
        &["ID", "OWNERID"],
    ],
    columns: &[
        ("ID", "note"),
        ("NAME", "title|name"),
        ("Opportunity Name", "title|name"),
        ("FIRSTNAME", "name.given"),
        ("First Name", "name.given"),
        ("LASTNAME", "name.family"),
        ("Last Name", "name.family"),
        ("SALUTATION", "note"),
        ("Account Name", ORG),
        ("COMPANY", "company|account|name"),
        ("STAGENAME", "stage|note"),
        ("AMOUNT", "amount|note"),
        ("CLOSEDATE", "expected_close|note"),
        ("PROBABILITY", "probability|note"),
        ("Probability (%)", "probability|note"),
        ("TYPE", "type|note"),
        ("LEADSOURCE", "source|note"),
        ("DESCRIPTION", "notes"),
        ("STATUS", "status|note"),
        ("BILLINGSTREET", "address|note"),
        ("BILLINGCITY", "city|note"),
        ("BILLINGSTATE", "region|note"),
        ("BILLINGCOUNTRY", "country|note"),
        ("MAILINGSTREET", "address|note"),
        ("MAILINGCITY", "city|note"),
        ("MAILINGSTATE", "region|note"),
        ("MAILINGCOUNTRY", "country|note"),
        ("STREET", "address|note"),
        ("CITY", "city|note"),
        ("STATE", "region|note"),
        ("COUNTRY", "country|note"),
        ("INDUSTRY", "industry|note"),
        ("PHONE", "phone|phones"),
        ("MOBILEPHONE", PHONE),
        ("EMAIL", EMAIL),
        ("TITLE", "title|note"),
        ("WEBSITE", "website|note"),
        ("BIRTHDATE", "birthday|note"),
        ("CURRENCYISOCODE", "currency|note"),
        ("Opportunity Owner", "owner"),
        ("Account Owner", "owner"),
        ("Contact Owner", "owner"),
        ("Lead Owner", "owner"),
        ("ISWON", "-"),
        ("ISCLOSED", "-"),
        ("ISDELETED", "-"),
        ("SYSTEMMODSTAMP", "-"),
    ],
};

/// HubSpot's exports of contacts, companies and deals.
const HUBSPOT: Preset = Preset {
    name: "hubspot",
    title: "HubSpot",
    signatures: &[
        &["Record ID", "Contact owner"],
        &["Record ID", "Contact Owner"],
        &["Record ID", "Company owner"],
        &["Record ID", "Deal owner"],
        &["Record ID", "Deal Stage"],
        &["Record ID", "Lifecycle Stage"],
    ],
    columns: &[
        ("Record ID", "note"),
        ("First Name", "name.given"),
        ("Last Name", "name.family"),
        ("Email", EMAIL),
        ("Phone Number", "phone|phones"),
        ("Mobile Phone Number", PHONE),
        ("Company Name", ORG),
        ("Associated Company", "account|company|note"),
        ("Job Title", "title"),
        ("Contact owner", "owner"),
        ("Company owner", "owner"),
        ("Deal owner", "owner"),
        ("Lead Status", "status|note"),
        ("Lifecycle Stage", "note"),
        ("Deal Name", "title"),
        ("Deal Stage", "stage"),
        ("Pipeline", "note"),
        ("Amount", "amount"),
        ("Close Date", "expected_close"),
        ("Deal Type", "note"),
        ("Company Domain Name", "website|note"),
        ("Website URL", "website|note"),
        ("Street Address", "address|note"),
        ("State/Region", "region|note"),
        ("Country/Region", "country|note"),
    ],
};

/// Odoo's export of contacts (res.partner) and CRM opportunities. A contact's `Customer`
/// and `Vendor` are TRUE/FALSE flags, not names.
const ODOO: Preset = Preset {
    name: "odoo",
    title: "Odoo",
    signatures: &[&["Related Company"], &["Is a Company"]],
    columns: &[
        ("Name", "name|title"),
        ("Related Company", "account|company|parent"),
        ("Company", "account|company|parent"),
        ("Customer", "flag:type=customer|deal>account|note"),
        ("Vendor", "flag:type=supplier|note"),
        ("Supplier", "flag:type=supplier|note"),
        ("Is a Company", "note"),
        ("Email", EMAIL),
        ("Phone", "phone|phones"),
        ("Mobile", PHONE),
        ("Street", "address|note"),
        ("City", "city|note"),
        ("State", "region|note"),
        ("Country", "country|note"),
        ("Website", "website|note"),
        ("Job Position", "title"),
        ("Title", "note"),
        ("Tags", "tags"),
        ("Salesperson", "owner"),
        ("Notes", "notes"),
        ("Internal Notes", "notes"),
        ("Opportunity", "title"),
        ("Expected Revenue", "amount|note"),
        ("Expected Closing", "expected_close|note"),
        ("Stage", "stage|note"),
        ("Probability", "probability|note"),
    ],
};

/// Zoho CRM's exports of leads, contacts, accounts and deals.
const ZOHO: Preset = Preset {
    name: "zoho",
    title: "Zoho CRM",
    signatures: &[
        &["Record Id", "Contact Owner"],
        &["Record Id", "Account Owner"],
        &["Record Id", "Deal Owner"],
        &["Record Id", "Lead Owner"],
    ],
    columns: &[
        ("Record Id", "note"),
        ("Contact Owner", "owner"),
        ("Account Owner", "owner"),
        ("Deal Owner", "owner"),
        ("Lead Owner", "owner"),
        ("First Name", "name.given"),
        ("Last Name", "name.family"),
        ("Salutation", "note"),
        ("Account Name", ORG),
        ("Company", "company|account|name"),
        ("Email", EMAIL),
        ("Secondary Email", EMAIL),
        ("Title", "title|note"),
        ("Phone", "phone|phones"),
        ("Mobile", PHONE),
        ("Other Phone", PHONE),
        ("Home Phone", PHONE),
        ("Mailing Street", "address|note"),
        ("Mailing City", "city|note"),
        ("Mailing State", "region|note"),
        ("Mailing Country", "country|note"),
        ("Billing Street", "address|note"),
        ("Billing City", "city|note"),
        ("Billing State", "region|note"),
        ("Billing Country", "country|note"),
        ("Description", "notes"),
        ("Lead Source", "source|note"),
        ("Lead Status", "status|note"),
        ("Date of Birth", "birthday|note"),
        ("Deal Name", "title"),
        ("Stage", "stage|note"),
        ("Closing Date", "expected_close|note"),
        ("Probability (%)", "probability|note"),
        ("Type", "type|note"),
        ("Account Type", "type|note"),
        ("Contact Name", "contact|note"),
        ("Tag", "tags"),
    ],
};

/// LinkedIn's Connections.csv (after its `Notes:` preamble, which is skipped).
const LINKEDIN: Preset = Preset {
    name: "linkedin",
    title: "LinkedIn",
    signatures: &[&["First Name", "Last Name", "URL", "Connected On"]],
    columns: &[
        ("First Name", "name.given"),
        ("Last Name", "name.family"),
        ("URL", "note"),
        ("Email Address", EMAIL),
        ("Company", ORG),
        ("Position", "title|note"),
        ("Connected On", "note"),
    ],
};

/// Pipedrive's exports, whose headers name the record (`Deal - Title`, `Person - Name`).
const PIPEDRIVE: Preset = Preset {
    name: "pipedrive",
    title: "Pipedrive",
    signatures: &[
        &["Deal - Title"],
        &["Person - Name"],
        &["Organization - Name"],
    ],
    columns: &[
        ("Deal - Title", "title"),
        ("Deal - Value", "amount"),
        ("Deal - Currency", "currency"),
        ("Deal - Organization", "account"),
        ("Deal - Contact person", "contact"),
        ("Deal - Stage", "stage"),
        ("Deal - Status", "outcome"),
        ("Deal - Expected close date", "expected_close"),
        ("Deal - Owner", "owner"),
        ("Deal - Lost reason", "reason"),
        ("Deal - Probability", "probability"),
        ("Person - Name", "name|contact"),
        ("Person - First name", "name.given"),
        ("Person - Last name", "name.family"),
        ("Person - Email", EMAIL),
        ("Person - Phone", PHONE),
        ("Person - Organization", "account|company"),
        ("Person - Owner", "owner"),
        ("Person - Labels", "tags"),
        ("Person - Label", "tags"),
        ("Person - Job title", "title|note"),
        ("Organization - Name", "account|company|name"),
        ("Organization - Address", "address|note"),
        ("Organization - Owner", "owner"),
        ("Organization - Labels", "tags"),
        ("Organization - Label", "tags"),
        ("Organization - Website", "website|note"),
        ("Organization - Industry", "industry|note"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn patterns_and_targets() {
        assert!(matches("E-mail * - Value", "e-mail 2 - value"));
        assert!(!matches("E-mail * - Value", "E-mail  - Value"));
        assert_eq!(GOOGLE.target("Phone 3 - Value"), Some(PHONE));
        assert_eq!(
            resolve(Entity::Contact, ORG),
            (Some("account"), Role::Value)
        );
        assert_eq!(resolve(Entity::Account, ORG), (Some("name"), Role::Value));
        assert_eq!(resolve(Entity::Lead, ORG), (Some("company"), Role::Value));
        assert_eq!(
            resolve(Entity::Account, "flag:type=customer|deal>account|note"),
            (Some("type"), Role::Flag("customer"))
        );
        assert_eq!(
            resolve(Entity::Contact, "flag:type=customer|deal>account|note"),
            (Some("notes"), Role::Note)
        );
        assert_eq!(
            resolve(Entity::Deal, "flag:type=customer|deal>account|note"),
            (Some("account"), Role::Value)
        );
        assert_eq!(
            resolve(Entity::Contact, "address|note"),
            (Some("notes"), Role::Note)
        );
        assert_eq!(resolve(Entity::Activity, "note"), (None, Role::Value));
    }

    #[test]
    fn detection_needs_an_unmistakable_header() {
        let outlook = strings(&[
            "Title",
            "First Name",
            "Last Name",
            "E-mail Address",
            "Business Phone",
        ]);
        assert_eq!(detect(&outlook).map(|p| p.name), Some("outlook"));
        assert_eq!(
            detect(&strings(&["Name", "E-mail 1 - Value"])).map(|p| p.name),
            Some("google")
        );
        assert_eq!(
            detect(&strings(&["ID", "NAME", "STAGENAME"])).map(|p| p.name),
            Some("salesforce")
        );
        assert_eq!(
            detect(&strings(&["Record Id", "Deal Owner"])).map(|p| p.name),
            Some("zoho")
        );
        assert_eq!(
            detect(&strings(&["Record ID", "Deal owner"])).map(|p| p.name),
            Some("hubspot")
        );
        // Plain headers are nobody's.
        assert!(detect(&strings(&["name", "email", "phone", "First Name"])).is_none());
        assert!(by_name("none").unwrap().is_none());
        assert!(by_name("Outlook").unwrap().is_some());
        let e = by_name("sugar").unwrap_err().to_string();
        assert!(e.contains("outlook, google"), "{e}");
    }
}
