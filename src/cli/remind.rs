//! `kith remind`: collect, claim, deliver, settle.

use std::io::{self, Write};

use clap::ArgMatches;

use super::args::{flag, value};
use crate::config::Config;
use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::remind::{self, deliver, Reminder, Which};

pub fn run(crm: &mut Crm, config: &Config, m: &ArgMatches) -> Result<i32> {
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
    if mail.is_none() && exec.is_none() && !to_deliver.is_empty() {
        // Printing is a delivery like the others: what could not be written out (a closed
        // pipe, a full disk) is left for the next run. Nothing new, nothing printed (also
        // as JSON), so cron mails only when there is something to say.
        let (printed, error) = match print(&mut std::io::stdout().lock(), &to_deliver, json) {
            Ok(()) => (to_deliver.len(), None),
            Err((printed, e)) => (printed, Some(e)),
        };
        if let Some(e) = error {
            failed.extend(to_deliver[printed..].iter().map(|r| r.key.clone()));
            problems.push(Error::failed(format!("cannot print the reminders: {e}")));
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
        eprintln!("kith: {p}");
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

/// Print the reminders, as lines or as one JSON array, each write flushed. On a failure,
/// how many were written out whole before it, and the error.
fn print(w: &mut impl Write, items: &[Reminder], json: bool) -> Result<(), (usize, io::Error)> {
    let mut put = |text: &str| w.write_all(text.as_bytes()).and_then(|()| w.flush());
    if json {
        // One document: all or nothing.
        let text = serde_json::to_string_pretty(items).map_err(|e| (0, e.into()))? + "\n";
        return put(&text).map_err(|e| (0, e));
    }
    for (i, r) in items.iter().enumerate() {
        put(&(deliver::line(r) + "\n")).map_err(|e| (i, e))?;
    }
    Ok(())
}
