//! Files from and for other tools: CSV/TSV/JSON import, vCard, iCalendar.

pub mod fold;
pub mod ical;
pub mod import;
pub mod mail;
pub mod quote_doc;
pub mod vcard;
