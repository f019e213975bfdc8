//! One module per noun of `kith <noun> …`. Each declares a [`Noun`]: its name, the clap
//! command it parses (built by the noun itself) and the function that runs it. [`ALL`] is
//! the one list of them; the command tree (`cli::tree::command`), the dispatch, the help,
//! the man page and the completions all come from it, in its order.
//!
//! A record noun is the shared record verbs (`cli::records`: add, list, show, edit, rm,
//! restore, history, all built from the model) plus any verbs of its own. Adding a noun is
//! a module here with a `pub const NOUN: Noun` and one line in [`ALL`].

use clap::{ArgMatches, Command};

use super::output::Out;
use crate::app::crm::Crm;
use crate::core::error::Result;

mod account;
mod activity;
mod agenda;
mod backup;
mod calendar;
mod case;
mod check;
mod completions;
mod contact;
mod contract;
mod deal;
mod dedupe;
mod demo;
mod documents;
mod export;
mod field;
mod import;
mod init;
mod invoice;
mod lead;
mod log;
mod merge;
mod order;
mod payment;
mod pipeline;
mod plan;
mod pool;
mod pricelist;
mod product;
mod quote;
mod rate;
mod remind;
mod report;
mod role;
mod search;
mod sla;
mod survey;
mod task;
mod team;
mod transfer;
mod undo;
mod user;

/// One noun of the command line: `kith <name> …`.
pub struct Noun {
    /// The name typed, the same as `command`'s.
    pub name: &'static str,
    /// Its clap command, with its verbs and options.
    pub command: fn() -> Command,
    pub run: Run,
}

/// How a noun runs.
pub enum Run {
    /// On the database the global options name, opened (and made or upgraded) first; with
    /// the noun's own matches.
    Crm(fn(&mut Crm, &ArgMatches, &Out) -> Result<i32>),
    /// By itself, for nouns that open the database their own way or not at all; with the
    /// whole command line's matches (the global options) and the noun's.
    Top(fn(&ArgMatches, &ArgMatches, &Out) -> Result<i32>),
}

/// Every noun, in the order `kith --help` lists them.
pub const ALL: &[Noun] = &[
    init::NOUN,
    account::NOUN,
    contact::NOUN,
    lead::NOUN,
    deal::NOUN,
    activity::NOUN,
    task::NOUN,
    product::NOUN,
    pricelist::NOUN,
    quote::NOUN,
    order::NOUN,
    contract::NOUN,
    plan::NOUN,
    payment::NOUN,
    invoice::NOUN,
    rate::NOUN,
    case::NOUN,
    survey::NOUN,
    calendar::NOUN,
    sla::NOUN,
    log::NOUN,
    search::NOUN,
    pipeline::NOUN,
    user::NOUN,
    team::NOUN,
    role::NOUN,
    pool::NOUN,
    field::NOUN,
    report::NOUN,
    backup::BACKUP,
    backup::RESTORE,
    check::NOUN,
    dedupe::NOUN,
    merge::NOUN,
    undo::NOUN,
    agenda::NOUN,
    export::NOUN,
    import::NOUN,
    remind::NOUN,
    demo::NOUN,
    completions::COMPLETIONS,
    completions::MAN,
];

/// The noun called `name`.
pub fn find(name: &str) -> Option<&'static Noun> {
    ALL.iter().find(|n| n.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_noun_is_named_as_its_command_once() {
        let mut seen = std::collections::HashSet::new();
        for n in ALL {
            assert_eq!((n.command)().get_name(), n.name);
            assert!(seen.insert(n.name), "{} twice", n.name);
        }
    }

    /// A kind users keep records of is a noun of its own (`kith <kind> add|list|…`).
    #[test]
    fn every_kind_users_keep_has_its_noun() {
        for e in crate::model::Entity::RECORDS {
            assert!(find(e.name()).is_some(), "no noun for {e}");
        }
    }
}
