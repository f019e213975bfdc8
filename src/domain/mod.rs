//! The domains, one folder each. Each declares its record kinds and holds its verbs.

pub mod sales;
pub mod team;
