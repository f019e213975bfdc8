//! What the keys do: the `impl App` methods of each screen and popup, one module each,
//! above the screens' state and drawing (`screens/`) and the shell (`app.rs`) they act
//! on. So the layers run one way: `actions` → `app` → `screens` → `view`, with no module
//! reaching back up.

mod board;
mod cases;
mod edit_record;
mod form;
mod lines;
mod list;
pub mod marks;
pub mod notices;
pub mod palette;
pub mod popups;
mod quotes;
mod reports;
mod undo;
mod views;
mod wait;
mod yank;
