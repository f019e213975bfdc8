//! `kith remind`: collect, claim, deliver, settle.

use clap::ArgMatches;

use super::args::{flag, value};
use super::output::Out;
use crate::config::Config;
use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::remind::{self, deliver, Reminder, Which};

pub fn run(crm: &mut Crm, config: &Config, m: &ArgMatches, out: &Out) -> Result<i32> {
    let within = match value(m, "within") {
        Some(w) => {
            if w.trim().starts_with('-') {
                return Err(Error::invalid(format!(
                    "--within: '{w}' looks back; give a time ahead (2h, 3d, 1w)"
                )));
            }
            Some(crate::dates::parse_duration(&w).map_err(|e| Error::from(e).context("--within"))?)
        }
        None => None,
    };
    let all = flag(m, "all");
    let json = flag(m, "json");
    let mail = value(m, "mail");
    if let Some(address) = &mail {
        deliver::check_address(address)?;
    }
    let exec = match value(m, "exec") {
        Some(c) => Some(deliver::parse_exec(&c)?),
        None => None,
    };
    // With --all everything is delivered again; otherwise what this run claimed.
    let (items, fresh) = if all {
        let items = remind::collect(crm, within, &config.care, Which::All)?;
        let fresh = remind::undelivered(crm, items.clone())?;
        (items, fresh)
    } else {
        let fresh = remind::collect(crm, within, &config.care, Which::Undelivered)?;
        (vec![], fresh)
    };
    let claimed = remind::claim(crm, fresh)?;
    let to_deliver: Vec<Reminder> = if all { items } else { claimed.clone() };
    let claimed_keys: Vec<String> = claimed.iter().map(|r| r.key.clone()).collect();

    let mut failed: Vec<String> = Vec::new();
    let mut problems: Vec<Error> = Vec::new();
    if mail.is_none() && exec.is_none() {
        // Nothing new, nothing printed (also as JSON), so cron mails only when there is
        // something to say.
        if to_deliver.is_empty() {
        } else if json {
            out.one(&to_deliver)?;
        } else {
            out.line(deliver::text(&to_deliver).trim_end())?;
        }
    }
    if let (Some(address), false) = (&mail, to_deliver.is_empty()) {
        if let Err(e) = deliver::mail(&config.remind.sendmail, address, &to_deliver) {
            failed.extend(claimed_keys.iter().cloned());
            problems.push(e);
        }
    }
    if let Some(argv) = &exec {
        for r in &to_deliver {
            if let Err(e) = deliver::exec(argv, r) {
                if !failed.contains(&r.key) {
                    failed.push(r.key.clone());
                }
                problems.push(e.context(format!("--exec for {} {}", r.record_kind, r.record_id)));
            }
        }
    }
    let delivered: Vec<String> = claimed_keys
        .into_iter()
        .filter(|k| !failed.contains(k))
        .collect();
    remind::settle(crm, &delivered, &failed)?;
    for p in &problems {
        super::output::say(&format!("kith: {p}"));
    }
    if problems.is_empty() {
        Ok(0)
    } else {
        eprintln!(
            "kith: {} reminder(s) not delivered; the next run tries again",
            failed.len()
        );
        Ok(3)
    }
}
