//! The front door and what is shared:
//!
//! - `toolkit`: what every domain builds on — the environment a command runs in (`Env`),
//!   input (`Input`), validation, lookup and list queries. It calls no domain.
//! - the domains (`crate::domain`) hold each kind's rules and verbs, on the toolkit.
//! - `crm`: the front door (`Crm`) the faces hold, over the domains; `events`: what it tells
//!   subscribers after each write.
//! - the operations that cut across kinds: search, undo, merge, duplicates, reports, the
//!   agenda, the configuration.

pub mod agenda;
pub mod config;
pub mod crm;
pub mod dupes;
pub mod events;
pub mod fields;
pub mod merge;
pub mod queries;
pub mod reports;
pub mod search;
pub mod toolkit;
pub mod tui_reads;
pub mod undo;
