//! `kith remind`: collect, claim, deliver, settle.

use std::collections::HashSet;
use std::io::{self, Write};

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::{Noun, Run};

use crate::app::config::Config;
use crate::app::crm::Crm;
use crate::cli::args::{flag, value};
use crate::core::error::{Error, Result};
use crate::domain::sales::remind::{self, deliver, Reminder, Which};
use crate::tr;

pub const NOUN: Noun = Noun {
    name: "remind",
    command,
    run: Run::Top(|top, m, _| {
        let (mut crm, config) = crate::cli::open(top)?;
        run(&mut crm, &config, m)
    }),
};

fn command() -> Command {
    Command::new("remind")
        .about(tr!("cli.help.remind.about"))
        .long_about(tr!("cli.help.remind.long_about"))
        .arg(
            Arg::new("within")
                .long("within")
                .value_name("DURATION")
                .help(tr!("cli.help.remind.within")),
        )
        .arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.remind.all")),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.remind.json")),
        )
        .arg(
            Arg::new("mail")
                .long("mail")
                .value_name("ADDRESS")
                .help(tr!("cli.help.remind.mail")),
        )
        .arg(
            Arg::new("mail-people")
                .long("mail-people")
                .action(ArgAction::SetTrue)
                .help(tr!("cli.help.remind.mail_people")),
        )
        .arg(
            Arg::new("exec")
                .long("exec")
                .value_name("COMMAND")
                .help(tr!("cli.help.remind.exec")),
        )
}

pub fn run(crm: &mut Crm, config: &Config, m: &ArgMatches) -> Result<i32> {
    let within = match value(m, "within") {
        Some(w) => {
            if w.trim().starts_with('-') {
                return Err(Error::invalid(tr!("cli.remind.within_back", within = w)));
            }
            Some(
                crate::core::dates::parse_duration(&w)
                    .map_err(|e| Error::from(e).context("--within"))?,
            )
        }
        None => None,
    };
    let all = flag(m, "all");
    let json = flag(m, "json");
    let mail = value(m, "mail");
    if let Some(address) = &mail {
        deliver::check_address(address)?;
    }
    let people = flag(m, "mail-people");
    let exec = match value(m, "exec") {
        Some(c) => Some(deliver::parse_exec(&c)?),
        None => None,
    };
    // `[pool] sweep_with_remind`: the pool is swept first, and what it took back is told.
    if config.pool.sweep_with_remind {
        let moved = crm.pool_sweep(&config.pool, false)?;
        if !moved.is_empty() {
            crate::cli::output::say(&crate::plural!("pool.swept", moved.len()));
        }
    }
    // With --all everything is delivered again; otherwise what this run claimed. The
    // pool's warnings (to each account's owner) join the rules' reminders.
    let (items, fresh, plan) = if all {
        let mut items = remind::collect(crm, within, &config.care, Which::All)?;
        items.extend(crm.pool_warnings(&config.pool)?);
        let fresh = remind::undelivered(crm, items.clone())?;
        (items, fresh, None)
    } else {
        let (mut fresh, plan) =
            remind::collect_planned(crm, within, &config.care, Which::Undelivered)?;
        let warnings = crm.pool_warnings(&config.pool)?;
        fresh.extend(remind::undelivered(crm, warnings)?);
        (vec![], fresh, plan)
    };
    let found = fresh.len();
    let claimed = remind::claim(crm, fresh)?;
    // What another run claimed may not go out: then this run cannot say all went out.
    let plan = plan.filter(|_| claimed.len() == found);
    let to_deliver: Vec<Reminder> = if all { items } else { claimed.clone() };
    // Each delivery is recorded as soon as it has gone out, so a run that dies half-way
    // leaves the rest — and only the rest — to the run that takes over its claims. Only
    // this run's claims are recorded (with --all, the others went out before).
    let mut mine: HashSet<String> = claimed.into_iter().map(|r| r.key).collect();
    let mut record = |crm: &mut Crm, done: &[Reminder]| -> Result<()> {
        let keys: Vec<String> = done
            .iter()
            .filter(|r| mine.remove(&r.key))
            .map(|r| r.key.clone())
            .collect();
        remind::settle(crm, &keys, &[])
    };

    let mut failed: HashSet<&str> = HashSet::new();
    let mut problems: Vec<Error> = Vec::new();
    // Where mail goes: with --mail-people each reminder to the users it is for (their
    // emails in the user records), one mail per address, and one for nobody or no address
    // to --mail ADDRESS; with --mail alone, all to ADDRESS. What no mail takes is printed
    // (unless --exec delivers it).
    let (routes, unrouted) = mail_routes(crm, people, mail.as_deref(), &to_deliver)?;
    if exec.is_none() && !unrouted.is_empty() {
        // Printing is a delivery like the others: what could not be written out (a closed
        // pipe, a full disk) is left for the next run. Nothing new, nothing printed (also
        // as JSON), so cron mails only when there is something to say.
        let shown: Vec<Reminder> = unrouted.iter().map(|&i| to_deliver[i].clone()).collect();
        let mut stdout = io::stdout().lock();
        if let Err((printed, e)) = print(&mut stdout, &shown, json, |chunk| record(crm, chunk))? {
            failed.extend(
                unrouted[printed..]
                    .iter()
                    .map(|&i| to_deliver[i].key.as_str()),
            );
            problems.push(Error::failed(tr!("cli.remind.cannot_print", problem = e)));
        }
    }
    // A reminder is mailed when every mail it is in went out.
    let mut unmailed: HashSet<usize> = HashSet::new();
    for (address, items) in &routes {
        let mail_items: Vec<Reminder> = items.iter().map(|&i| to_deliver[i].clone()).collect();
        if let Err(e) = deliver::mail(&config.remind.sendmail, address, &mail_items) {
            unmailed.extend(items.iter().copied());
            problems.push(e);
        }
    }
    let routed: Vec<usize> = {
        let mut all: Vec<usize> = routes.iter().flat_map(|(_, i)| i.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    failed.extend(unmailed.iter().map(|&i| to_deliver[i].key.as_str()));
    if exec.is_none() {
        let sent: Vec<Reminder> = routed
            .iter()
            .filter(|i| !unmailed.contains(i))
            .map(|&i| to_deliver[i].clone())
            .collect();
        record(crm, &sent)?;
    }
    if let Some(argv) = &exec {
        for (i, r) in to_deliver.iter().enumerate() {
            let mailed = !unmailed.contains(&i);
            match deliver::exec(argv, r) {
                Ok(()) if mailed => record(crm, std::slice::from_ref(r))?,
                Ok(()) => {}
                Err(e) => {
                    failed.insert(&r.key);
                    problems.push(e.context(tr!(
                        "cli.remind.exec_for",
                        kind = r.record_kind,
                        id = r.record_id
                    )));
                }
            }
        }
    }
    // What this run claimed and could not deliver goes back for the next run.
    let undelivered: Vec<String> = mine.into_iter().collect();
    remind::settle(crm, &[], &undelivered)?;
    if let (Some(plan), true) = (&plan, problems.is_empty() && undelivered.is_empty()) {
        remind::record(crm, plan, &config.care)?;
    }
    for p in &problems {
        crate::cli::output::say(&tr!("cli.error", error = p));
    }
    if problems.is_empty() {
        Ok(0)
    } else {
        eprintln!(
            "{}",
            crate::plural!("cli.remind.not_delivered", failed.len())
        );
        Ok(3)
    }
}

/// The mails to send, as (address, indexes into the reminders) in address order, and the
/// indexes no mail takes.
type Routes = (Vec<(String, Vec<usize>)>, Vec<usize>);

/// Where each of `items` is mailed. With `people`, a reminder goes to the emails of the
/// active users it is `to` (a user without an email is passed over), else to `fallback`;
/// without, all go to `fallback` when there is one.
fn mail_routes(
    crm: &Crm,
    people: bool,
    fallback: Option<&str>,
    items: &[Reminder],
) -> Result<Routes> {
    let mut routes: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let mut unrouted = Vec::new();
    let emails = if people && !items.is_empty() {
        crm.user_emails()?
    } else {
        Default::default()
    };
    for (i, r) in items.iter().enumerate() {
        let mut addresses: Vec<&str> = if people {
            r.to.iter()
                .filter_map(|u| emails.get(u).map(String::as_str))
                .filter(|a| deliver::check_address(a).is_ok())
                .collect()
        } else {
            Vec::new()
        };
        addresses.dedup();
        if addresses.is_empty() {
            match fallback {
                Some(a) => routes.entry(a.to_string()).or_default().push(i),
                None => unrouted.push(i),
            }
        }
        for a in addresses {
            let list = routes.entry(a.to_string()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    Ok((routes.into_iter().collect(), unrouted))
}

/// How many printed lines are recorded as delivered at a time.
const CHUNK: usize = 100;

/// Print the reminders, as lines or as one JSON array, and `record` each part as soon as it
/// is written and flushed: lines [`CHUNK`] at a time, the JSON array whole (one document).
/// A write or flush error gives how many were printed and recorded before it, and the
/// error; a failure to record is the outer error.
fn print(
    w: &mut impl Write,
    items: &[Reminder],
    json: bool,
    mut record: impl FnMut(&[Reminder]) -> Result<()>,
) -> Result<Result<(), (usize, io::Error)>> {
    let mut put = |text: &str| w.write_all(text.as_bytes()).and_then(|()| w.flush());
    if json {
        let text = serde_json::to_string_pretty(items)
            .map_err(|e| Error::failed(tr!("cli.cannot_write_json", problem = e)))?
            + "\n";
        if let Err(e) = put(&text) {
            return Ok(Err((0, e)));
        }
        record(items)?;
        return Ok(Ok(()));
    }
    for (n, chunk) in items.chunks(CHUNK).enumerate() {
        let text: String = chunk.iter().map(|r| deliver::line(r) + "\n").collect();
        if let Err(e) = put(&text) {
            return Ok(Err((n * CHUNK, e)));
        }
        record(chunk)?;
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes `ok` writes, then fails as a full disk does.
    struct Full {
        ok: usize,
        got: Vec<u8>,
    }

    impl Write for Full {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            if self.ok == 0 {
                return Err(io::Error::from_raw_os_error(28));
            }
            self.ok -= 1;
            self.got.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn items(n: usize) -> Vec<Reminder> {
        (1..=n as i64)
            .map(|id| Reminder {
                kind: "task".into(),
                title: format!("Task {id}"),
                due: "2026-11-20".into(),
                record_kind: "task".into(),
                record_id: id,
                detail: String::new(),
                overdue: true,
                key: format!("task:{id}:2026-11-20"),
                to: vec![],
            })
            .collect()
    }

    #[test]
    fn printed_lines_are_recorded_a_chunk_at_a_time_and_only_once_written() {
        let all = items(250);
        let mut recorded = Vec::new();
        let mut w = Full { ok: 2, got: vec![] };
        let got = print(&mut w, &all, false, |chunk| {
            recorded.push(chunk.len());
            Ok(())
        })
        .unwrap();
        let (printed, e) = got.unwrap_err();
        assert_eq!((printed, e.raw_os_error()), (200, Some(28)));
        assert_eq!(recorded, vec![100, 100], "the third chunk was not written");
        assert_eq!(String::from_utf8(w.got).unwrap().lines().count(), 200);
        // JSON is one document: all of it or none.
        let mut recorded = 0;
        let mut w = Full { ok: 0, got: vec![] };
        let got = print(&mut w, &all, true, |chunk| {
            recorded += chunk.len();
            Ok(())
        })
        .unwrap();
        assert_eq!(got.unwrap_err().0, 0);
        assert_eq!(recorded, 0);
        let mut w = Full { ok: 1, got: vec![] };
        print(&mut w, &all, true, |chunk| {
            recorded += chunk.len();
            Ok(())
        })
        .unwrap()
        .unwrap();
        assert_eq!(recorded, 250);
    }
}
