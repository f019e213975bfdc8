//! Every top-level screen of the interface, with its group, its tab name, its digit (the
//! first group's screens) and its go-to letter: [`PLACES`]. The keymap, the tab bar, the
//! go-to hint, the help and the palette all read this table, so they cannot forget a
//! screen. A list of a new record kind needs nothing more than its line here
//! (`View::List(Entity::Case)` in `Group::Service`, with a free letter); a screen of a
//! new shape also gets a variant of [`View`], its module under `screens/` and a variant of
//! `Screen` (app.rs), and the compiler names every match that must say what it does there.

use crate::app::reports::Kind;
use crate::model::Entity;

/// Every top-level screen the interface has (where each sits: [`PLACES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Today,
    List(Entity),
    Board,
    Reports,
    /// The reports screen opened on one report, a tab of its own in another group (the
    /// Commerce group's receivables).
    Report(Kind),
}

/// The groups the screens sit in, in the order the go-to hint shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Sales,
    Service,
    Commerce,
    Team,
    Reports,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Sales,
        Group::Service,
        Group::Commerce,
        Group::Team,
        Group::Reports,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Group::Sales => crate::tr!("tui.group.sales"),
            Group::Service => crate::tr!("tui.group.service"),
            Group::Commerce => crate::tr!("tui.group.commerce"),
            Group::Team => crate::tr!("tui.group.team"),
            Group::Reports => crate::tr!("tui.group.reports"),
        }
    }

    /// The group's screens, in order.
    pub fn places(self) -> impl Iterator<Item = &'static Place> {
        PLACES.iter().filter(move |p| p.group == self)
    }
}

/// A top-level screen and where it sits in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub view: View,
    pub group: Group,
    /// The catalog ids of the tab's name, and of the shorter one used when the tabs do not
    /// fit ([`Place::name`], [`Place::short`] give their text).
    pub name_id: &'static str,
    pub short_id: &'static str,
    /// The digit that shows it (the tabs of the first screens), if any.
    pub digit: Option<char>,
    /// The letter that shows it after the go-to key.
    pub goto: char,
}

const fn place(
    view: View,
    group: Group,
    name_id: &'static str,
    short_id: &'static str,
    digit: Option<char>,
    goto: char,
) -> Place {
    Place {
        view,
        group,
        name_id,
        short_id,
        digit,
        goto,
    }
}

/// Every top-level screen, in tab order.
pub const PLACES: &[Place] = &[
    place(
        View::Today,
        Group::Sales,
        "tui.place.today.name",
        "tui.place.today.short",
        Some('1'),
        'h',
    ),
    place(
        View::List(Entity::Account),
        Group::Sales,
        "tui.place.accounts.name",
        "tui.place.accounts.short",
        Some('2'),
        'a',
    ),
    place(
        View::List(Entity::Contact),
        Group::Sales,
        "tui.place.contacts.name",
        "tui.place.contacts.short",
        Some('3'),
        'c',
    ),
    place(
        View::List(Entity::Lead),
        Group::Sales,
        "tui.place.leads.name",
        "tui.place.leads.short",
        Some('4'),
        'l',
    ),
    place(
        View::List(Entity::Deal),
        Group::Sales,
        "tui.place.deals.name",
        "tui.place.deals.short",
        Some('5'),
        'd',
    ),
    place(
        View::Board,
        Group::Sales,
        "tui.place.pipeline.name",
        "tui.place.pipeline.short",
        Some('6'),
        'p',
    ),
    place(
        View::List(Entity::Activity),
        Group::Sales,
        "tui.place.activities.name",
        "tui.place.activities.short",
        Some('7'),
        'v',
    ),
    place(
        View::List(Entity::Task),
        Group::Sales,
        "tui.place.tasks.name",
        "tui.place.tasks.short",
        Some('8'),
        't',
    ),
    place(
        View::List(Entity::Case),
        Group::Service,
        "tui.place.cases.name",
        "tui.place.cases.short",
        None,
        's',
    ),
    place(
        View::List(Entity::Survey),
        Group::Service,
        "tui.place.surveys.name",
        "tui.place.surveys.short",
        None,
        'w',
    ),
    place(
        View::List(Entity::Product),
        Group::Commerce,
        "tui.place.products.name",
        "tui.place.products.short",
        None,
        'i',
    ),
    place(
        View::List(Entity::PriceList),
        Group::Commerce,
        "tui.place.pricelists.name",
        "tui.place.pricelists.short",
        None,
        'b',
    ),
    place(
        View::List(Entity::Quote),
        Group::Commerce,
        "tui.place.quotes.name",
        "tui.place.quotes.short",
        None,
        'q',
    ),
    place(
        View::List(Entity::Order),
        Group::Commerce,
        "tui.place.orders.name",
        "tui.place.orders.short",
        None,
        'o',
    ),
    place(
        View::List(Entity::Contract),
        Group::Commerce,
        "tui.place.contracts.name",
        "tui.place.contracts.short",
        None,
        'n',
    ),
    place(
        View::List(Entity::Plan),
        Group::Commerce,
        "tui.place.plans.name",
        "tui.place.plans.short",
        None,
        'u',
    ),
    place(
        View::List(Entity::Payment),
        Group::Commerce,
        "tui.place.payments.name",
        "tui.place.payments.short",
        None,
        'y',
    ),
    place(
        View::List(Entity::Invoice),
        Group::Commerce,
        "tui.place.invoices.name",
        "tui.place.invoices.short",
        None,
        'f',
    ),
    place(
        View::Report(Kind::Receivables),
        Group::Commerce,
        "tui.place.receivables.name",
        "tui.place.receivables.short",
        None,
        'e',
    ),
    place(
        View::Reports,
        Group::Reports,
        "tui.place.reports.name",
        "tui.place.reports.short",
        Some('9'),
        'r',
    ),
];

impl Place {
    /// The tab's name.
    pub fn name(&self) -> &'static str {
        crate::core::text::t(self.name_id)
    }

    /// The tab's shorter name, for a narrow terminal.
    pub fn short(&self) -> &'static str {
        crate::core::text::t(self.short_id)
    }
}

/// Where a view sits.
pub fn place_of(view: View) -> Option<&'static Place> {
    PLACES.iter().find(|p| p.view == view)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kind users keep records of has its list among the screens, with a go-to letter of
    /// its own.
    #[test]
    fn every_kind_users_keep_has_its_list_screen() {
        for e in Entity::RECORDS {
            assert!(
                PLACES.iter().any(|p| p.view == View::List(e)),
                "no list screen for {e}"
            );
        }
        let mut letters: Vec<char> = PLACES.iter().map(|p| p.goto).collect();
        letters.sort();
        let n = letters.len();
        letters.dedup();
        assert_eq!(letters.len(), n, "two screens share a go-to letter");
        // `g g` goes to the top.
        assert!(
            !letters.contains(&'g'),
            "a screen takes g, which the go-to key keeps for the top"
        );
    }

    /// The guide counts the screens and reports there are ("the nine first screens", "the
    /// seven reports"), so a screen added or taken away shows up here.
    #[test]
    fn the_guide_counts_the_screens_there_are() {
        let doc = include_str!("../../docs/interface.md");
        let words = [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven",
        ];
        let tabs = PLACES.iter().filter(|p| p.digit.is_some()).count();
        let want = format!("shows the {} first screens", words[tabs]);
        assert!(doc.contains(&want), "docs/interface.md should say {want:?}");
        let want = format!("the first {} screens", words[tabs]);
        assert!(doc.contains(&want), "docs/interface.md should say {want:?}");
        let reports = crate::app::reports::Kind::ALL.len();
        let want = format!("opens the {} reports", words[reports]);
        assert!(doc.contains(&want), "docs/interface.md should say {want:?}");
        for (i, w) in words.iter().enumerate() {
            if i != tabs {
                assert!(
                    !doc.contains(&format!("{w} views")) && !doc.contains(&format!("{w} screens")),
                    "docs/interface.md counts {w} screens"
                );
            }
        }
    }

    /// The ids in [`PLACES`] are in the catalog (the catalog test of `tr!` calls does not
    /// see ids held in a table).
    #[test]
    fn every_place_has_its_names_in_the_catalog() {
        for p in PLACES {
            for id in [p.name_id, p.short_id] {
                assert!(crate::core::text::has(id), "no message {id:?}");
            }
        }
        assert_eq!(PLACES[1].name(), "Accounts");
        assert_eq!(PLACES[1].short(), "Accts");
    }
}
