//! The interface's screens, one module each (its state, what its keys do, its drawing),
//! and the list of every top-level screen: its group, its name, its go-to key.

pub mod board;
pub mod detail;
pub mod form;
pub mod list;
pub mod palette;
pub mod popups;
pub mod reports;
pub mod today;
