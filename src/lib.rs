//! kith: a customer relationship manager for people who live in the terminal.
//!
//! The library holds everything but the faces: the model, validation and the operations
//! users ask for (`crm`, `deals`, `leads`, `pipelines`, `activities`, `search`, `demo`),
//! natural dates and the filter language, and the SQLite store. The scripted commands
//! (`cli`) and the full-screen interface (`tui`) are faces over it.

pub mod app;
pub mod cli;
pub mod core;
pub mod domain;
pub mod io;
pub mod model;
pub mod samples;
pub mod store;
pub mod tui;

pub use crate::app::crm::{Crm, Env, Input};
pub use crate::core::error::{Error, Result};
