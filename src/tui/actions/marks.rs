//! Marked records (`space`, `V` in a list) and the actions that work on all of them at
//! once: done, a stage on or back, a stage by name, won, lost, another owner, tags, the
//! trash. Each is one write through [`Crm::bulk`](crate::app::crm::Crm) — one batch, so
//! one `u` takes all of it back — and all or nothing.
//!
//! With nothing marked, the same keys work on the record selected (or shown), as before.

use crate::app::bulk::Bulk;
use crate::app::crm::Input;
use crate::app::tui_reads::ListQuery;
use crate::core::error::{Error, Result};
use crate::domain::sales::deals::Step;
use crate::model::query::parse_line;
use crate::model::Entity;
use crate::tui::app::{App, Pending, Pick, Picker, Popup, Screen};
use crate::tui::input::TextInput;
use crate::tui::keymap::Action;
use crate::tui::screens::list::move_in_list;
pub use crate::tui::screens::list::Targets;
use crate::tui::view::kinds_name;

impl App {
    /// The records marked in the list in front, if any.
    pub fn marked(&self) -> Option<Targets> {
        match self.screen() {
            Screen::List(l) => {
                let ids = l.marked();
                (!ids.is_empty()).then_some(Targets {
                    entity: l.entity,
                    ids,
                })
            }
            _ => None,
        }
    }

    /// The records an action works on: those marked, else the one shown or selected.
    pub(crate) fn targets(&self) -> Result<Targets> {
        if let Some(t) = self.marked() {
            return Ok(t);
        }
        let (entity, id) = self.require_selected()?;
        Ok(Targets {
            entity,
            ids: vec![id],
        })
    }

    /// `space`: mark the selected row, or take its mark off, and go to the next.
    pub(crate) fn mark(&mut self) -> Result<()> {
        let crm = &self.crm;
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return Ok(());
        };
        let Some(id) = l.rows.get(l.selected).map(|r| r.id()) else {
            return Ok(());
        };
        if !l.marks.remove(&id) {
            l.marks.insert(id);
        }
        move_in_list(crm, l, 1)
    }

    /// `V`: begin a range at the cursor; pressed again, keep the range's rows marked.
    pub(crate) fn mark_range(&mut self) {
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return;
        };
        match l.range_rows() {
            Some(range) => {
                let ids: Vec<i64> = l.rows[range].iter().map(|r| r.id()).collect();
                l.marks.extend(ids);
                l.range_from = None;
            }
            None => l.range_from = l.rows.get(l.selected).map(|r| r.id()),
        }
    }

    /// `esc` in a list with marks: the range being made goes first, then the marks.
    /// Whether there was anything to drop.
    pub(crate) fn drop_marks(&mut self) -> bool {
        let Some(Screen::List(l)) = self.screens.last_mut() else {
            return false;
        };
        if l.range_from.take().is_some() {
            return true;
        }
        if l.marks.is_empty() {
            return false;
        }
        l.marks.clear();
        self.ok(crate::tr!("tui.marks.dropped"));
        true
    }

    /// After an action on marked records: they are no longer marked.
    fn unmark(&mut self) {
        for s in &mut self.screens {
            if let Screen::List(l) = s {
                l.marks.clear();
                l.range_from = None;
            }
        }
    }

    /// An action key while records are marked: done, the stage keys, won, lost and trash
    /// work on all of them. `false` when nothing is marked (the key works on the record
    /// selected, as always).
    pub(crate) fn act_on_marked(&mut self, action: Action) -> Result<bool> {
        let Some(t) = self.marked() else {
            return Ok(false);
        };
        let deals = || {
            if t.entity == Entity::Deal {
                Ok(())
            } else {
                Err(Error::invalid(crate::tr!("tui.status.select_a_deal")))
            }
        };
        match action {
            Action::Done => {
                if t.entity != Entity::Task {
                    return Err(Error::invalid(crate::tr!("tui.status.select_a_task")));
                }
                // All done already: open them again; else mark them all done.
                let all_done = self
                    .crm
                    .get_many(Entity::Task, &t.ids)?
                    .iter()
                    .all(|r| r.bool("done"));
                let msg = if all_done {
                    crate::tr!("tui.marks.reopened", what = t.what())
                } else {
                    crate::tr!("tui.marks.done", what = t.what())
                };
                self.run_bulk(t, Bulk::Done(!all_done), msg)?;
            }
            Action::NextStage | Action::PrevStage => {
                deals()?;
                let way = if action == Action::NextStage {
                    Step::Next
                } else {
                    Step::Previous
                };
                let msg = crate::tr!("tui.marks.moved", what = t.what());
                self.run_bulk(t, Bulk::Step(way), msg)?;
            }
            Action::Won => {
                deals()?;
                let msg = crate::tr!("tui.marks.won", what = t.what());
                let close = Bulk::Close {
                    outcome: "won".into(),
                    reason: None,
                };
                self.run_bulk(t, close, msg)?;
            }
            Action::Lost => {
                deals()?;
                self.popup = Some(Popup::Prompt {
                    title: crate::tr!("tui.marks.why_lost", what = t.what()),
                    input: Default::default(),
                    then: Pending::LostMany(t.ids),
                    error: None,
                });
            }
            Action::Trash => {
                self.popup = Some(Popup::Confirm {
                    message: crate::tr!("tui.marks.trash", what = t.what()),
                    then: Pending::TrashMany(t.entity, t.ids),
                });
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Do `op` to every target in one write, then say `msg`, drop the marks and read the
    /// screens again. A locked database waits off the drawing thread, as every write.
    pub(crate) fn run_bulk(&mut self, t: Targets, op: Bulk, msg: String) -> Result<()> {
        self.writing(move |app| {
            app.crm.bulk(t.entity, &t.ids, &op)?;
            app.unmark();
            app.ok(msg.clone());
            app.reload_all()
        })
    }

    /// `o`: choose an owner for the targets among the active users.
    pub(crate) fn ask_owner(&mut self) -> Result<()> {
        let t = self.targets()?;
        if t.entity.field("owner").is_none() {
            return Err(Error::invalid(crate::tr!(
                "tui.marks.no_owner",
                kinds = kinds_name(t.entity)
            )));
        }
        let items = self.user_picks(|login| Pick::Assign {
            owner: login,
            targets: t.clone(),
        })?;
        let title = crate::tr!("tui.marks.owner_for", what = t.what());
        self.popup = Some(Popup::Pick(Picker::new(title, items)));
        Ok(())
    }

    /// The active users as a picker's items (login, the name beside it when it says more,
    /// and what choosing them does); none is refused.
    pub(crate) fn user_picks(
        &self,
        pick: impl Fn(String) -> Pick,
    ) -> Result<Vec<(String, String, Pick)>> {
        let query = ListQuery {
            filter: parse_line("active:yes")?,
            ..ListQuery::default()
        };
        let users = self.crm.list(Entity::User, &query)?;
        if users.is_empty() {
            return Err(Error::invalid(crate::tr!("tui.marks.no_users")));
        }
        Ok(users
            .iter()
            .filter_map(|u| {
                let login = u.str("login")?.to_string();
                let name = u
                    .str("name")
                    .filter(|n| *n != login)
                    .unwrap_or_default()
                    .to_string();
                Some((login.clone(), name, pick(login)))
            })
            .collect())
    }

    /// `+`: ask which tags to add or take off.
    pub(crate) fn ask_tags(&mut self) -> Result<()> {
        let t = self.targets()?;
        if t.entity.field("tags").is_none() {
            return Err(Error::invalid(crate::tr!(
                "tui.marks.no_tags",
                kinds = kinds_name(t.entity)
            )));
        }
        self.popup = Some(Popup::Prompt {
            title: crate::tr!("tui.marks.tags_ask", what = t.what()),
            input: TextInput::default(),
            then: Pending::Tag(t),
            error: None,
        });
        Ok(())
    }

    /// The tags answered (`vip -cold`), added and taken off the targets in one write.
    pub(crate) fn tag(&mut self, t: Targets, answer: &str) -> Result<()> {
        let mut input = Input::new();
        for word in answer.split([' ', ',']).filter(|w| !w.is_empty()) {
            match word.strip_prefix('-') {
                Some(off) if !off.is_empty() => input.tags_remove.push(off.to_string()),
                Some(_) => {}
                None => input
                    .tags_add
                    .push(word.strip_prefix('+').unwrap_or(word).to_string()),
            }
        }
        input.tags_add.retain(|w| !w.is_empty());
        if input.tags_add.is_empty() && input.tags_remove.is_empty() {
            return Err(Error::invalid(crate::tr!("tui.marks.tags_needed")));
        }
        let msg = crate::tr!("tui.marks.tagged", what = t.what());
        self.run_bulk(t, Bulk::Set(input), msg)
    }

    /// `m`: choose a stage for the target deals, among the stages of the first one's
    /// pipeline (each deal goes to the stage of that name in its own pipeline).
    pub(crate) fn ask_stage(&mut self) -> Result<()> {
        let t = self.targets()?;
        if t.entity != Entity::Deal {
            return Err(Error::invalid(crate::tr!("tui.status.select_a_deal")));
        }
        let first = self.crm.get(Entity::Deal, t.ids[0])?;
        let pipeline = first.i64("pipeline_id").unwrap_or_default().to_string();
        let stages = self.crm.pipeline_stages(&pipeline)?;
        // Lost needs a reason: `L` asks for it.
        let items = stages
            .iter()
            .filter(|s| s.str("outcome") != Some("lost"))
            .map(|s| {
                let detail = s
                    .i64("probability")
                    .map(|p| format!("{p}%"))
                    .unwrap_or_default();
                let pick = Pick::Stage {
                    stage: s.label().to_string(),
                    targets: t.clone(),
                };
                (
                    crate::model::record::name_label(Entity::Stage, s.label()),
                    detail,
                    pick,
                )
            })
            .collect();
        let title = crate::tr!("tui.marks.stage_for", what = t.what());
        self.popup = Some(Popup::Pick(Picker::new(title, items)));
        Ok(())
    }

    /// A stage or owner chosen for the targets: one write for all of them.
    pub(crate) fn picked_for_targets(&mut self, pick: Pick) -> Result<()> {
        match pick {
            Pick::Assign { owner, targets } => {
                let msg = crate::tr!("tui.marks.assigned", what = targets.what(), owner = owner);
                let input = Input::new().with("owner", &owner);
                self.run_bulk(targets, Bulk::Set(input), msg)
            }
            Pick::Stage { stage, targets } => {
                let msg = crate::tr!(
                    "tui.marks.moved_to",
                    what = targets.what(),
                    stage = crate::model::record::name_label(Entity::Stage, &stage)
                );
                self.run_bulk(targets, Bulk::Stage(stage), msg)
            }
            _ => Ok(()),
        }
    }
}
