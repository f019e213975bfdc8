//! What the keys do on board (the `impl App` half of `screens/board.rs`, whose state
//! and drawing stay there, below the shell).

use crate::core::error::{Error, Result};
use crate::domain::sales::deals::{Move, Step};
use crate::tui::app::Pending;
use crate::tui::app::{App, Popup, Screen};
use crate::tui::keymap::Action;

impl App {
    pub(crate) fn follow_deal_on_board(&mut self, id: i64) {
        if let Screen::Board(b) = self.screen_mut() {
            for (c, col) in b.columns.iter().enumerate() {
                if let Some(r) = col.iter().position(|d| d.id() == id) {
                    b.col = c;
                    b.row = r;
                }
            }
        }
    }
}

impl App {
    /// The board's own keys: move between columns, show the next pipeline.
    pub(crate) fn board_key(&mut self, action: Action) -> Result<()> {
        let Screen::Board(b) = self.screen_mut() else {
            return Ok(());
        };
        match action {
            Action::Left | Action::Right => {
                let n = b.columns.len();
                if n > 0 {
                    b.col = if action == Action::Left {
                        b.col.saturating_sub(1)
                    } else {
                        (b.col + 1).min(n - 1)
                    };
                    b.row = b.row.min(b.columns[b.col].len().saturating_sub(1));
                }
            }
            Action::NextPipeline => {
                if !b.boards.is_empty() {
                    b.current = (b.current + 1) % b.boards.len();
                    b.col = 0;
                    b.row = 0;
                }
                self.reload_top()?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Move or close the selected deal (on the board, in a deal's detail, in a list of
    /// deals): the library does the moving.
    pub(crate) fn deal_key(&mut self, action: Action) -> Result<()> {
        let id = self.selected_deal()?;
        match action {
            Action::NextStage | Action::PrevStage => {
                let way = if action == Action::NextStage {
                    Step::Next
                } else {
                    Step::Previous
                };
                let Some(to) = self.crm.step_deal(id, way)? else {
                    return Err(Error::invalid(if way == Step::Next {
                        crate::tr!(
                            "tui.board.no_next_stage",
                            won = self.keymap.first_key(Action::Won),
                            lost = self.keymap.first_key(Action::Lost)
                        )
                    } else {
                        crate::tr!("tui.board.at_first_stage").to_string()
                    }));
                };
                self.ok(crate::tr!(
                    "tui.status.deal_moved",
                    id = id,
                    stage = to.label()
                ));
                self.reload_all()?;
                self.follow_deal_on_board(id);
            }
            Action::Won => {
                self.crm.close_deal(
                    id,
                    "won",
                    &Move {
                        probability: None,
                        reason: None,
                    },
                )?;
                self.ok(crate::tr!("tui.status.deal_won", id = id));
                self.reload_all()?;
            }
            Action::Lost => {
                self.popup = Some(Popup::Prompt {
                    title: crate::tr!("tui.prompt.why_lost", id = id),
                    input: Default::default(),
                    then: Pending::Lost(id),
                    error: None,
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// Close a deal as lost, with the reason the prompt asked for.
    pub(crate) fn lose_deal(&mut self, id: i64, reason: String) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(Error::invalid(crate::tr!("tui.status.lost_needs_reason")));
        }
        self.crm.close_deal(
            id,
            "lost",
            &Move {
                probability: None,
                reason: Some(reason),
            },
        )?;
        self.ok(crate::tr!("tui.status.deal_lost", id = id));
        self.reload_all()
    }
}
