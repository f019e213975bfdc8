//! The filter language shared by every list, the scripted commands and the full-screen
//! interface alike. See `filter` for the grammar.

mod filter;

pub use filter::{parse_args, parse_line, parse_sort, Filter, FilterError, Op, SortKey, Term};
