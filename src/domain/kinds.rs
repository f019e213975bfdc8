//! The registry of kinds: the one exhaustive match from a kind's handle to its description,
//! declared by the domain that owns it. Adding a kind adds its arm here (the compiler asks
//! for it); nothing else in kith names every kind.

use crate::domain::commerce::{
    contracts, invoices, lines, orders, payments, pricelists, products, quotes, rates,
};
use crate::domain::sales::{accounts, activities, contacts, deals, leads, pipelines, tasks};
use crate::domain::service::{calendars, cases, slas, surveys};
use crate::domain::team::{roles, shares, teams, users};
use crate::model::{Entity, Kind};

impl Entity {
    /// Everything kith knows about this kind.
    pub fn kind(self) -> &'static Kind {
        match self {
            Entity::Account => &accounts::ACCOUNT,
            Entity::Contact => &contacts::CONTACT,
            Entity::Lead => &leads::LEAD,
            Entity::Deal => &deals::DEAL,
            Entity::Activity => &activities::ACTIVITY,
            Entity::Task => &tasks::TASK,
            Entity::Pipeline => &pipelines::PIPELINE,
            Entity::Stage => &pipelines::STAGE,
            Entity::User => &users::USER,
            Entity::Team => &teams::TEAM,
            Entity::Role => &roles::ROLE,
            Entity::Share => &shares::SHARE,
            Entity::Product => &products::PRODUCT,
            Entity::PriceList => &pricelists::PRICELIST,
            Entity::Price => &pricelists::PRICE,
            Entity::Line => &lines::LINE,
            Entity::Quote => &quotes::QUOTE,
            Entity::Order => &orders::ORDER,
            Entity::Contract => &contracts::CONTRACT,
            Entity::Plan => &contracts::PLAN,
            Entity::Payment => &payments::PAYMENT,
            Entity::Allocation => &payments::ALLOCATION,
            Entity::Invoice => &invoices::INVOICE,
            Entity::Rate => &rates::RATE,
            Entity::Case => &cases::CASE,
            Entity::Survey => &surveys::SURVEY,
            Entity::Calendar => &calendars::CALENDAR,
            Entity::CalendarDay => &calendars::CALENDAR_DAY,
            Entity::Sla => &slas::SLA,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field a description names is a field of the kind it names it for.
    #[test]
    fn descriptions_name_only_fields_they_have() {
        for e in Entity::ALL {
            let k = e.kind();
            assert_eq!(k.name, e.name());
            let has = |kind: Entity, f: &str| {
                assert!(kind.field(f).is_some(), "{e}: {kind} has no field {f}");
            };
            has(e, k.label);
            k.summary.iter().for_each(|f| has(e, f));
            k.hint.iter().for_each(|f| has(e, f));
            for s in k.sections {
                has(s.kind, s.via);
                assert_eq!(
                    s.kind.field(s.via).unwrap().is_ref(),
                    Some(e),
                    "{e}: {}",
                    s.name
                );
                s.only.iter().for_each(|(f, _)| has(s.kind, f));
                has(s.kind, s.sort.trim_start_matches('-'));
            }
            if let Some(d) = k.dupes {
                d.fields(k.label).iter().for_each(|f| has(e, f));
            }
            for (target, _) in k.synonyms {
                has(e, target);
            }
        }
    }

    #[test]
    fn names_are_unique_and_records_are_the_kinds_users_keep() {
        let mut names: Vec<&str> = Entity::ALL
            .iter()
            .flat_map(|e| [e.name(), e.plural()])
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 2 * Entity::ALL.len());
        let records: Vec<Entity> = Entity::ALL
            .into_iter()
            .filter(|e| e.kind().record)
            .collect();
        assert_eq!(records, Entity::RECORDS.to_vec());
    }
}
