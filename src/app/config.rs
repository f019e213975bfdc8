//! Where kith keeps its files, and the configuration file.
//!
//! - database: `--db PATH`, else `KITH_DB`, else `db` in the configuration, else
//!   `$XDG_DATA_HOME/kith/kith.db` (`~/.local/share/kith/kith.db`);
//! - the demo database: `$XDG_DATA_HOME/kith/demo.db`;
//! - configuration: `KITH_CONFIG`, else `$XDG_CONFIG_HOME/kith/config.toml`
//!   (`~/.config/kith/config.toml`). A missing file is fine; a broken one is an error;
//! - what the interface keeps (filter history, saved views, columns): `interface.toml`
//!   beside the configuration file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::error::Result;
pub use crate::domain::sales::remind::care::{Care, TierDays};
pub use crate::domain::team::pool::{PoolConfig, TierRules as PoolTierRules};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The database file.
    pub db: Option<PathBuf>,
    /// Who changes are recorded as when neither `--as` nor `KITH_USER` is given.
    pub user: Option<String>,
    /// Currency of new deals that name none (default USD).
    pub currency: Option<String>,
    /// The language kith speaks (`en`, `zh-CN`) when `--lang` names none; without it, the
    /// environment's (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub lang: Option<String>,
    /// How tables and the interface show amounts (`group`: 1,280,000; `wan`: 128万) when
    /// `--amounts` names none; without it, `group`.
    pub amounts: Option<String>,
    /// Key bindings of the full-screen interface: action name = key or a list of keys.
    #[serde(default)]
    pub keys: std::collections::BTreeMap<String, KeySpec>,
    /// Customer-care rules for `kith remind`.
    #[serde(default)]
    pub care: Care,
    /// How `kith remind` delivers.
    #[serde(default)]
    pub remind: Remind,
    /// New quotes: where they round, how long they are valid, their terms.
    #[serde(default)]
    pub quote: QuoteConfig,
    /// Who sells: the seller's details on a rendered quote.
    #[serde(default)]
    pub seller: Seller,
    /// Rendered documents (`kith quote render`).
    #[serde(default)]
    pub document: DocumentConfig,
    /// The shared pool (公海): its recycle rules and caps.
    #[serde(default)]
    pub pool: PoolConfig,
}

/// `[quote]` of `config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuoteConfig {
    /// `line` (each line rounded to the currency's minor unit, the default) or `total`
    /// (rounded once, on the sums).
    pub rounding: Option<String>,
    /// How long a new quote is valid (`30d`, `2w`, `1m`) when `--valid` says nothing.
    pub valid: Option<String>,
    /// The terms a new quote carries when `--terms` says nothing.
    pub terms: Option<String>,
}

/// `[seller]` of `config.toml`: the business that sends quotes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Seller {
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// 纳税人识别号 / VAT number.
    pub tax_id: Option<String>,
    /// Bank and account for payments.
    pub bank: Option<String>,
}

/// `[document]` of `config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DocumentConfig {
    /// The font file a PDF embeds (TrueType or OpenType); without it one is found on the
    /// system that has every character of the document.
    pub font: Option<PathBuf>,
}

/// Keys for one action in `config.toml`'s `[keys]`: one key or several (the interface
/// reads them, src/tui/keymap.rs).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Remind {
    /// A sendmail-compatible program for `--mail` (it gets `-i ADDRESS` and the message on
    /// stdin).
    pub sendmail: String,
}

impl Default for Remind {
    fn default() -> Remind {
        Remind {
            sendmail: "sendmail".into(),
        }
    }
}

impl Config {
    /// Read the configuration file at `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(crate::err!(
                    Failed,
                    "config.cannot_read",
                    path = path.display(),
                    reason = e
                ))
            }
        };
        let mut c: Config = toml::from_str(&text).map_err(|e| {
            crate::err!(
                Invalid,
                "config.bad_file",
                path = path.display(),
                reason = e.to_string().trim_end()
            )
        })?;
        if let Some(cur) = &c.currency {
            c.currency = Some(
                crate::core::values::check_currency(cur)
                    .map_err(|e| e.context(format!("{}: currency", path.display())))?,
            );
        }
        if let Some(lang) = &c.lang {
            let tag = crate::core::text::tag_or_error(lang)
                .map_err(|e| e.context(format!("{}: lang", path.display())))?;
            c.lang = Some(tag.to_string());
        }
        if let Some(r) = &c.quote.rounding {
            if !crate::domain::commerce::totals::Rounding::NAMES.contains(&r.as_str()) {
                return Err(crate::err!(
                    Invalid,
                    "config.quote_rounding",
                    path = path.display(),
                    value = r
                ));
            }
        }
        c.pool
            .check()
            .map_err(|e| e.context(format!("{}: pool", path.display())))?;
        if let Some(how) = &c.amounts {
            let how = crate::core::money::Amounts::parse(how)
                .map_err(|e| e.context(format!("{}: amounts", path.display())))?;
            c.amounts = Some(how.name().to_string());
        }
        Ok(c)
    }

    /// How amounts are shown when `--amounts` names no way: `amounts`, else grouped.
    pub fn amounts(&self) -> crate::core::money::Amounts {
        self.amounts
            .as_deref()
            .and_then(crate::core::money::Amounts::from_name)
            .unwrap_or_default()
    }
}

fn xdg(var: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(var).map(PathBuf::from) {
        Some(p) if p.is_absolute() => p,
        _ => dirs::home_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join(fallback),
    }
}

/// `$XDG_DATA_HOME/kith`.
pub fn data_dir() -> PathBuf {
    xdg("XDG_DATA_HOME", ".local/share").join("kith")
}

/// `$XDG_CONFIG_HOME/kith`.
pub fn config_dir() -> PathBuf {
    xdg("XDG_CONFIG_HOME", ".config").join("kith")
}

/// The configuration file: `KITH_CONFIG`, else `$XDG_CONFIG_HOME/kith/config.toml`.
pub fn config_path() -> PathBuf {
    match std::env::var_os("KITH_CONFIG") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => config_dir().join("config.toml"),
    }
}

/// What the full-screen interface keeps between sessions (filter history, saved views,
/// columns; see `interface_state.rs`): `interface.toml` beside the configuration file.
pub fn interface_path() -> PathBuf {
    config_path().with_file_name("interface.toml")
}

/// The default database file.
pub fn default_db() -> PathBuf {
    data_dir().join("kith.db")
}

/// The sample database `kith --demo` uses, apart from the real one.
pub fn demo_db() -> PathBuf {
    data_dir().join("demo.db")
}

/// The operating-system login kith runs under (`$USER`, else `$LOGNAME`, else
/// `$USERNAME`), when the environment says.
pub fn system_login() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .into_iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

/// Who is acting: `--as`, else `KITH_USER`, else the configuration's `user`, else `$USER`.
pub fn user(flag: Option<&str>, config: &Config) -> String {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    flag.map(str::to_string)
        .filter(|v| !v.trim().is_empty())
        .or_else(|| env("KITH_USER"))
        .or_else(|| config.user.clone())
        .or_else(|| env("USER"))
        .or_else(|| env("USERNAME"))
        .unwrap_or_else(|| "unknown".to_string())
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_config_is_default() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Config::load(&dir.path().join("none.toml")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn config_is_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "user = \"mei\"\ncurrency = \"cny\"\n").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(c.user.as_deref(), Some("mei"));
        assert_eq!(c.currency.as_deref(), Some("CNY"));

        std::fs::write(&p, "usr = \"mei\"\n").unwrap();
        let e = Config::load(&p).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("usr"), "{e}");

        std::fs::write(&p, "amounts = \"WAN\"\n").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(c.amounts(), crate::core::money::Amounts::Wan);
        assert_eq!(
            Config::default().amounts(),
            crate::core::money::Amounts::Group
        );
        std::fs::write(&p, "amounts = \"10k\"\n").unwrap();
        let e = Config::load(&p).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.to_string(),
            format!(
                "{}: amounts: '10k' is not a way of showing amounts; use group (1,280,000) or wan (128万)",
                p.display()
            )
        );

        std::fs::write(&p, "currency = \"yuan\"\n").unwrap();
        assert!(Config::load(&p)
            .unwrap_err()
            .to_string()
            .contains("currency"));
    }

    #[test]
    fn care_rules_have_defaults_and_take_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        assert_eq!(
            Config::default().care.no_contact_days.for_tier(Some("A")),
            14
        );
        assert_eq!(Config::default().care.no_contact_days.for_tier(None), 90);
        std::fs::write(
            &p,
            "[care]\nstale_deal = false\nno_contact_days = { A = 7 }\n[remind]\nsendmail = \"/usr/bin/msmtp\"\n",
        )
        .unwrap();
        let c = Config::load(&p).unwrap();
        assert!(!c.care.stale_deal);
        assert!(c.care.birthday);
        assert_eq!(
            (c.care.no_contact_days.a, c.care.no_contact_days.b),
            (7, 30)
        );
        assert_eq!(c.remind.sendmail, "/usr/bin/msmtp");
        std::fs::write(&p, "[care]\nbirthdays = true\n").unwrap();
        assert!(Config::load(&p)
            .unwrap_err()
            .to_string()
            .contains("birthdays"));
    }

    #[test]
    fn the_flag_wins_for_the_user() {
        let c = Config {
            user: Some("cfg".into()),
            ..Config::default()
        };
        assert_eq!(user(Some("lin"), &c), "lin");
    }
}
