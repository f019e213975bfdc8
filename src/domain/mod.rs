//! The domains, one folder each. Each declares its record kinds and holds its verbs.

pub mod kinds;
pub mod sales;
