//! kith: a customer relationship manager for people who live in the terminal.
//!
//! The library holds everything but the faces: the model, validation and the operations
//! users ask for (`crm`, `deals`, `leads`, `pipelines`, `activities`, `search`, `demo`),
//! natural dates and the filter language, and the SQLite store. The scripted commands
//! (`cli`) and the full-screen interface (`tui`) are faces over it.

pub mod activities;
pub mod agenda;
pub mod bulk;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crm;
pub mod dates;
pub mod deals;
pub mod demo;
pub mod dupe_keys;
pub mod dupes;
pub mod error;
pub mod escape;
pub mod files;
pub mod ical;
pub mod import;
pub mod leads;
pub mod merge;
pub mod model;
pub mod pipelines;
pub mod query;
pub mod record;
pub mod recur;
pub mod remind;
pub mod reports;
pub mod search;
pub mod store;
pub mod tasks;
pub mod tui;
pub mod undo;
pub mod values;
pub mod vcard;

pub use crm::{Crm, Env, Input};
pub use error::{Error, Result};
