//! A case's verbs in the interface, on the case selected (in the queue, on Today) or shown
//! (its view): reply, assign, wait and resume, resolve, close (with a return visit or
//! not) and record a survey; and the queue's filters. Each is the library's verb, which
//! refuses what its rules refuse (a reply to a closed case, resuming one that does not
//! wait) in its own words, shown on the status line.

use crate::app::crm::Input;
use crate::core::error::{Error, Result};
use crate::model::Entity;
use crate::tui::app::{App, Pending, Pick, Picker, Popup, Screen};
use crate::tui::input::TextInput;
use crate::tui::keymap::Action;
use crate::tui::screens::cases::queue_filters;

impl App {
    /// The case shown, else the case selected (in a list, on Today, or among a detail
    /// view's links).
    pub(crate) fn case_in_front(&self) -> Option<i64> {
        match self.screen() {
            Screen::Detail(d) if d.entity == Entity::Case => Some(d.id),
            _ => match self.selected() {
                Some((Entity::Case, id)) => Some(id),
                _ => None,
            },
        }
    }

    /// The case `o` assigns: the case shown, or the one selected where no record is shown
    /// (a detail view of another record gives that record another owner).
    pub(crate) fn case_to_assign(&self) -> Option<i64> {
        match self.screen() {
            Screen::Detail(d) if d.entity == Entity::Case => Some(d.id),
            Screen::Detail(_) => None,
            Screen::List(l) if !l.marked().is_empty() => None,
            _ => match self.selected() {
                Some((Entity::Case, id)) => Some(id),
                _ => None,
            },
        }
    }

    pub(crate) fn case_key(&mut self, action: Action) -> Result<()> {
        let id = self
            .case_in_front()
            .ok_or_else(|| Error::invalid(crate::tr!("tui.cases.select_a_case")))?;
        let case = self.crm.get(Entity::Case, id)?;
        let number = case.label().to_string();
        let prompt = |title: String, then: Pending| Popup::Prompt {
            title,
            input: TextInput::new(""),
            then,
            error: None,
        };
        match action {
            Action::ReplyCase => {
                let channel = case
                    .str("channel")
                    .map(|c| crate::model::record::choice_label(Entity::Case, "channel", c))
                    .unwrap_or_else(|| {
                        crate::model::record::choice_label(Entity::Case, "channel", "email")
                    });
                self.popup = Some(prompt(
                    crate::tr!("tui.cases.reply_ask", number = number, channel = channel),
                    Pending::ReplyCase(id),
                ));
            }
            Action::WaitCase => {
                let waiting = case.str("status") == Some("waiting");
                self.writing(move |app| {
                    let msg = if waiting {
                        app.crm.resume_case(id)?;
                        crate::tr!("tui.cases.resumed", number = number.as_str())
                    } else {
                        app.crm.wait_case(id)?;
                        crate::tr!("tui.cases.waiting", number = number.as_str())
                    };
                    app.reload_all()?;
                    app.ok(msg);
                    Ok(())
                })?;
            }
            Action::ResolveCase => {
                self.popup = Some(prompt(
                    crate::tr!("tui.cases.resolve_ask", number = number),
                    Pending::ResolveCase(id),
                ));
            }
            Action::CloseCase => {
                let items = [(false, "plain"), (true, "survey")]
                    .into_iter()
                    .map(|(survey, _)| {
                        let (name, about) = if survey {
                            (
                                crate::tr!("tui.cases.close_survey"),
                                crate::tr!("tui.cases.close_survey_about"),
                            )
                        } else {
                            (
                                crate::tr!("tui.cases.close_plain"),
                                crate::tr!("tui.cases.close_plain_about"),
                            )
                        };
                        (
                            name.to_string(),
                            about.to_string(),
                            Pick::CloseCase { case: id, survey },
                        )
                    })
                    .collect();
                self.popup = Some(Popup::Pick(Picker::new(
                    crate::tr!("tui.cases.close_title", number = number),
                    items,
                )));
            }
            Action::SurveyCase => {
                self.popup = Some(prompt(
                    crate::tr!("tui.cases.survey_ask", number = number),
                    Pending::SurveyCase(id),
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// `o` on a case: choose among the active users whom it goes to.
    pub(crate) fn ask_assign_case(&mut self, id: i64) -> Result<()> {
        let number = self.crm.get(Entity::Case, id)?.label().to_string();
        let items = self.user_picks(|user| Pick::AssignCase { case: id, user })?;
        self.popup = Some(Popup::Pick(Picker::new(
            crate::tr!("tui.cases.assign_to", number = number),
            items,
        )));
        Ok(())
    }

    pub(crate) fn assign_case(&mut self, id: i64, user: String) -> Result<()> {
        self.writing(move |app| {
            app.crm.assign_case(id, &user)?;
            let number = app.crm.get(Entity::Case, id)?.label().to_string();
            app.reload_all()?;
            app.ok(crate::tr!(
                "tui.cases.assigned",
                number = number,
                user = user.as_str()
            ));
            Ok(())
        })
    }

    pub(crate) fn close_case(&mut self, id: i64, survey: bool) -> Result<()> {
        self.writing(move |app| {
            let task = app.crm.close_case(id, survey)?;
            let number = app.crm.get(Entity::Case, id)?.label().to_string();
            app.reload_all()?;
            app.ok(match task {
                Some(task) => {
                    crate::tr!("tui.cases.closed_with_visit", number = number, task = task)
                }
                None => crate::tr!("tui.cases.closed", number = number),
            });
            Ok(())
        })
    }

    /// The answer to a case's question: the reply's text, the resolution, the survey.
    pub(crate) fn case_answered(&mut self, p: Pending, answer: String) -> Result<()> {
        let number = |app: &App, id: i64| -> Result<String> {
            Ok(app.crm.get(Entity::Case, id)?.label().to_string())
        };
        match p {
            Pending::ReplyCase(id) => {
                self.crm.reply_case(id, &answer, None)?;
                let n = number(self, id)?;
                self.reload_all()?;
                self.ok(crate::tr!("tui.cases.replied", number = n));
            }
            Pending::ResolveCase(id) => {
                self.crm.resolve_case(id, &answer)?;
                let n = number(self, id)?;
                self.reload_all()?;
                self.ok(crate::tr!("tui.cases.resolved", number = n));
            }
            Pending::SurveyCase(id) => {
                let (score, nps, comment) = survey_answer(&answer)?;
                let mut input = Input::new()
                    .with("case", id.to_string())
                    .with("score", score.clone());
                if let Some(nps) = nps {
                    input.set("nps", nps);
                }
                if !comment.is_empty() {
                    input.set("comment", comment);
                }
                self.crm.create(Entity::Survey, &input)?;
                let n = number(self, id)?;
                self.reload_all()?;
                self.ok(crate::tr!("tui.cases.surveyed", number = n, score = score));
            }
            _ => {}
        }
        Ok(())
    }

    /// `F` on the cases: the queue's next filter (all open, mine, unassigned, breached).
    pub(crate) fn next_queue_filter(&mut self) -> Result<()> {
        let Screen::List(l) = self.screen() else {
            return Err(Error::invalid(crate::tr!("tui.cases.queue.only_cases")));
        };
        if l.entity != Entity::Case {
            return Err(Error::invalid(crate::tr!("tui.cases.queue.only_cases")));
        }
        let filters = queue_filters(&self.crm.env.user);
        let next = filters
            .iter()
            .position(|(f, _)| *f == l.filter_text)
            .map_or(0, |i| (i + 1) % filters.len());
        let (text, name) = filters[next].clone();
        self.apply_filter(&text)?;
        self.ok(name);
        Ok(())
    }
}

/// A survey as answered: its score, then an NPS (a number 0–10) and a comment, both
/// optional (`4 9 处理及时`, `5`, `3 slow to answer`). The library checks the numbers.
fn survey_answer(answer: &str) -> Result<(String, Option<String>, String)> {
    let mut words = answer.split_whitespace();
    let score = words
        .next()
        .filter(|w| w.parse::<i64>().is_ok())
        .ok_or_else(|| Error::invalid(crate::tr!("tui.cases.survey_needs_score")))?
        .to_string();
    let rest: Vec<&str> = words.collect();
    let (nps, comment) = match rest.first() {
        Some(w) if w.parse::<i64>().is_ok() => (Some(w.to_string()), rest[1..].join(" ")),
        _ => (None, rest.join(" ")),
    };
    Ok((score, nps, comment))
}

#[cfg(test)]
mod tests {
    use super::survey_answer;

    #[test]
    fn a_survey_answer_reads_score_nps_and_comment() {
        assert_eq!(
            survey_answer("4 9 处理及时").unwrap(),
            ("4".into(), Some("9".into()), "处理及时".into())
        );
        assert_eq!(
            survey_answer(" 5 ").unwrap(),
            ("5".into(), None, String::new())
        );
        assert_eq!(
            survey_answer("3 slow to answer").unwrap(),
            ("3".into(), None, "slow to answer".into())
        );
        assert!(survey_answer("great").is_err());
        assert!(survey_answer("").is_err());
    }
}
