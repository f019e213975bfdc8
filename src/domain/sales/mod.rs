//! Sales: accounts, contacts, leads, deals and their pipelines, activities, tasks and the
//! reminders they raise.

pub mod accounts;
pub mod activities;
pub mod contacts;
pub mod deals;
pub mod leads;
pub mod pipelines;
pub mod remind;
pub mod tasks;
