//! The domains, one folder each. Each declares its record kinds, their rules and its
//! verbs; the toolkit and duplicate detection are what they all build on. Above the
//! folders, `kinds` maps each kind to its description and `records` is the write path of a
//! record of any kind, which calls each kind's rules; the verbs that write records of
//! other kinds reach that path through [`toolkit::Records`], handed to them, so no
//! domain's module reads the dispatch that reads it.

pub mod commerce;
pub mod dupes;
pub mod kinds;
pub mod records;
pub mod sales;
pub mod service;
pub mod team;
pub mod toolkit;
