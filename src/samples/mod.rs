//! Built-in data: the small demo database and the large generated dataset for benchmarks.

pub mod bulk;
pub mod demo;
mod service_desk;
