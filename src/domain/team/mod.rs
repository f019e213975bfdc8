//! The team: who uses kith (users). Later: roles, teams, visibility rules, the shared pool.

pub mod pool;
pub mod users;
