//! The front door (`crm::Crm`) and the shared toolkit every domain uses: the environment a
//! command runs in, input, validation and lookup, and the operations that cut across kinds
//! (search, undo, merge, duplicates, reports, the agenda, the configuration).

pub mod agenda;
pub mod config;
pub mod crm;
pub mod dupes;
pub mod merge;
pub mod queries;
pub mod reports;
pub mod search;
pub mod undo;
