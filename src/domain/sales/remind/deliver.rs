//! Delivering reminders: as text lines, by mail through a sendmail-compatible program, or
//! to any program, once per reminder, with the reminder as JSON on its stdin. Programs are
//! run directly, never through a shell.

use std::io::Write;
use std::process::{Command, Stdio};

use super::Reminder;
use crate::core::error::Result;
use crate::core::escape::visible_line;

/// One line per reminder, for people: "overdue  task 12  Call back Li Lei  (due …) · Acme".
pub fn line(r: &Reminder) -> String {
    let state = match (r.kind.as_str(), r.overdue) {
        ("task", true) => crate::tr!("remind.state_overdue"),
        ("task", false) => crate::tr!("remind.state_due"),
        ("birthday", _) => crate::tr!("remind.state_birthday"),
        ("payment_overdue", _) => crate::tr!("remind.state_overdue"),
        ("plan_due" | "contract_expiring" | "quote_expiring", _) => crate::tr!("remind.state_due"),
        _ => crate::tr!("remind.state_care"),
    };
    let due = crate::core::dates::display(&r.due);
    // Names may come from a database older than the rule against control characters:
    // shown by their codes, on a terminal and in a mail alike.
    let detail = if r.detail.is_empty() {
        String::new()
    } else {
        format!(" · {}", visible_line(&r.detail))
    };
    crate::tr!(
        "remind.line",
        state = format!("{state:<8}"),
        record = format!("{:<13}", format!("{} {}", r.record_kind, r.record_id)),
        title = visible_line(&r.title),
        due = due,
        detail = detail
    )
}

/// The text of all reminders.
pub fn text(items: &[Reminder]) -> String {
    items.iter().map(|r| line(r) + "\n").collect()
}

/// Send all reminders in one mail to `address` through `sendmail` (run as
/// `sendmail -i ADDRESS`, the message on its stdin).
/// An address sendmail can take: no spaces or line breaks, not starting with '-' (which
/// sendmail would read as an option).
pub fn check_address(address: &str) -> Result<()> {
    let a = address.trim();
    if a.is_empty() || a.starts_with('-') || a.contains(char::is_whitespace) {
        return Err(crate::err!(
            Invalid,
            "deliver.mail_address",
            address = address
        ));
    }
    Ok(())
}

pub fn mail(sendmail: &str, address: &str, items: &[Reminder]) -> Result<()> {
    check_address(address)?;
    let subject = crate::plural!("remind.mail_subject", items.len());
    let date = chrono::Local::now().to_rfc2822();
    let message = format!(
        "To: {address}\r\nSubject: {subject}\r\nDate: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
        text(items).replace('\n', "\r\n")
    );
    let argv = vec![sendmail.to_string(), "-i".to_string(), address.to_string()];
    run(&argv, message.as_bytes()).map_err(|e| e.context(format!("--mail {address}")))
}

/// Split `--exec COMMAND` into a program and its arguments (shell-like quoting, no shell).
pub fn parse_exec(command: &str) -> Result<Vec<String>> {
    match shlex::split(command) {
        Some(argv) if !argv.is_empty() => Ok(argv),
        _ => Err(crate::err!(
            Invalid,
            "deliver.exec_read_program",
            command = command
        )),
    }
}

/// Run the program once for one reminder, the reminder as JSON on its stdin.
pub fn exec(argv: &[String], r: &Reminder) -> Result<()> {
    let json = serde_json::to_string(r).map_err(|e| crate::err!(Failed, "error.io", reason = e))?;
    run(argv, json.as_bytes())
}

fn run(argv: &[String], input: &[u8]) -> Result<()> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| crate::err!(Invalid, "deliver.program_run"))?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| crate::err!(Failed, "deliver.cannot_run", program = program, reason = e))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read its input is fine; its exit status decides.
        let _ = stdin.write_all(input);
    }
    let status = child.wait().map_err(|e| {
        crate::err!(
            Failed,
            "deliver.program_error",
            program = program,
            reason = e
        )
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(crate::err!(
            Failed,
            "deliver.failed",
            program = program,
            status = status
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(kind: &str, overdue: bool) -> Reminder {
        Reminder {
            kind: kind.into(),
            title: "Call back Li Lei".into(),
            due: "2026-11-20T09:00:00".into(),
            record_kind: "task".into(),
            record_id: 12,
            detail: "广州白云国际机场".into(),
            overdue,
            key: "task:12:2026-11-20T09:00:00".into(),
            to: vec![],
        }
    }

    #[test]
    fn lines_say_what_when_and_for_whom() {
        assert_eq!(
            line(&r("task", true)),
            "overdue   task 12       Call back Li Lei  (due 2026-11-20 09:00) · 广州白云国际机场"
        );
    }

    #[test]
    fn lines_show_control_characters_by_their_code() {
        let mut evil = r("task", true);
        evil.title = "\u{1b}]0;pwned\u{7}Evil".into();
        evil.detail = "Acme\r\n".into();
        assert_eq!(
            line(&evil),
            "overdue   task 12       \\u{1b}]0;pwned\\u{7}Evil  (due 2026-11-20 09:00) · Acme\\u{d}\\u{a}"
        );
    }

    #[test]
    fn exec_splits_without_a_shell() {
        assert_eq!(
            parse_exec("notify-send 'kith says'").unwrap(),
            vec!["notify-send", "kith says"]
        );
        assert!(parse_exec("").is_err());
        assert!(parse_exec("'unclosed").is_err());
    }

    #[test]
    fn exec_reports_a_failing_program() {
        let argv = vec!["false".to_string()];
        assert!(exec(&argv, &r("task", false))
            .unwrap_err()
            .to_string()
            .contains("false failed"));
        let argv = vec!["/nonexistent/program".to_string()];
        assert!(exec(&argv, &r("task", false))
            .unwrap_err()
            .to_string()
            .contains("cannot run"));
        let argv = vec!["cat".to_string()];
        assert!(exec(&argv, &r("task", false)).is_ok());
    }
}
