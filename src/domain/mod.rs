//! The domains, one folder each. Each declares its record kinds and holds its verbs; the
//! toolkit and duplicate detection are what they all build on.

pub mod dupes;
pub mod kinds;
pub mod sales;
pub mod team;
pub mod toolkit;
