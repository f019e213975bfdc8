//! The interface's screens, one module each: its state, its loading through the library
//! and its drawing. What its keys do is in `actions/`, above the shell; where each sits in
//! the navigation is in `places.rs`.

pub mod board;
pub mod cases;
pub mod detail;
pub mod form;
pub mod lines;
pub mod list;
pub mod notices;
pub mod palette;
pub mod popups;
pub mod reports;
pub mod today;
pub mod views;

pub use crate::tui::places::{place_of, Group, Place, View, PLACES};
