//! The front door and the operations over several kinds, above the domains
//! (`crate::domain`, which hold each kind's rules and verbs on their toolkit,
//! `crate::domain::toolkit`):
//!
//! - `crm`: the front door (`Crm`) the faces hold, over the domains; `events`: what it tells
//!   subscribers after each write.
//! - the operations that cut across kinds: search, undo, merge, reports, the
//!   agenda, the configuration.

pub mod agenda;
pub mod bulk;
pub mod cash_reports;
pub mod commerce;
pub mod config;
pub mod crm;
pub mod events;
pub mod fields;
pub mod form_reads;
pub mod interface_state;
pub mod merge;
pub mod pool;
pub mod queries;
pub mod rates;
pub mod record_text;
pub mod reports;
pub mod search;
pub mod service;
pub mod service_reports;
pub mod team;
pub mod transfer;
pub mod tui_reads;
pub mod undo;
pub mod users;
