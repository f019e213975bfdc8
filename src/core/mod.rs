//! The bottom layer: what any part of kith may use and that knows nothing of records —
//! the clock, natural dates and recurrence, plain values and their escaping, files, errors, threads.

pub mod clock;
pub mod dates;
pub mod error;
pub mod escape;
pub mod exchange;
pub mod files;
pub mod money;
pub mod phones;
pub mod recur;
pub mod text;
pub mod threads;
pub mod values;
pub mod worktime;
pub mod zh_number;
pub mod zh_numerals;
