//! Quote to cash at the front door: the verbs of price lists, lines and quotes, and a
//! quote's sheet — its lines and totals worked out — for both faces.

use crate::app::crm::Crm;
use crate::core::error::Result;
use crate::domain::commerce::totals::Worked;
use crate::domain::commerce::{contracts, invoices, lines, orders, payments, pricelists, quotes};
use crate::domain::toolkit::Input;
use crate::model::record::Record;
use crate::model::Entity;

/// Whether a section of a 360° view is shown with `n` records in it: the quotes, orders
/// and contracts of an account or a deal only when there are some (most have none); every
/// other section always, empty or not.
pub fn section_shown(name: &str, n: usize) -> bool {
    n > 0 || !matches!(name, "quotes" | "orders" | "contracts")
}

/// Whether records of `e` have lines (deals, quotes, orders).
pub fn has_lines(e: Entity) -> bool {
    lines::PARENTS.iter().any(|(p, _)| *p == e)
}

/// A document (a deal, a quote or an order) with its lines worked out.
pub struct Sheet {
    pub doc: Record,
    pub lines: Vec<Record>,
    pub worked: Worked,
    pub currency: String,
    /// Decimal places of the currency's minor unit.
    pub places: u32,
    /// Where it rounds: `line` or `total`.
    pub rounding: &'static str,
}

impl Crm {
    /// A deal's or a quote's lines and totals.
    pub fn sheet(&self, parent: Entity, id: i64) -> Result<Sheet> {
        let doc = self.get(parent, id)?;
        let r = self.reader();
        let lines = lines::of(&r, parent, id)?;
        let terms = lines::Terms::of(&doc, &self.env.currency);
        Ok(Sheet {
            worked: lines::work(&lines, &terms),
            currency: terms.currency.clone(),
            places: terms.places(),
            rounding: terms.rounding.name(),
            doc,
            lines,
        })
    }

    /// Add a line to a deal or a quote.
    pub fn add_line(&mut self, parent: Entity, id: i64, input: &Input) -> Result<i64> {
        self.write(|w, env| lines::add(w, env, parent, id, input))
    }

    /// Change the line `line` (its position, or `#id`) of a deal or a quote.
    pub fn edit_line(
        &mut self,
        parent: Entity,
        id: i64,
        line: &str,
        input: &Input,
    ) -> Result<bool> {
        self.write(|w, env| {
            let l = lines::resolve(&w.reader(), parent, id, line)?;
            lines::edit(w, env, l, input)
        })
    }

    /// Take lines (positions, or `#id`s) off a deal or a quote, in one write.
    pub fn remove_lines(&mut self, parent: Entity, id: i64, which: &[String]) -> Result<usize> {
        self.write(|w, env| {
            let ids = which
                .iter()
                .map(|l| lines::resolve(&w.reader(), parent, id, l))
                .collect::<Result<Vec<_>>>()?;
            let mut n = 0;
            for l in ids {
                n += lines::remove(w, env, l)? as usize;
            }
            Ok(n)
        })
    }

    /// Set a product's price in a price list; true when the price is new.
    pub fn set_price(
        &mut self,
        list: i64,
        product: &str,
        price: &str,
        min_qty: Option<&str>,
    ) -> Result<(i64, bool)> {
        self.write(|w, env| pricelists::set(w, env, list, product, price, min_qty))
    }

    /// Take a product's price (at one quantity, or all) off a price list.
    pub fn unset_price(
        &mut self,
        list: i64,
        product: &str,
        min_qty: Option<&str>,
    ) -> Result<usize> {
        self.write(|w, _| pricelists::unset(w, list, product, min_qty))
    }

    pub fn send_quote(&mut self, id: i64) -> Result<()> {
        self.write(|w, env| quotes::send(w, env, id))
    }

    /// Accept (true) or reject a sent quote.
    pub fn decide_quote(&mut self, id: i64, accept: bool, reason: Option<&str>) -> Result<()> {
        self.write(|w, env| quotes::decide(w, env, id, accept, reason))
    }

    /// The next revision of a quote; its id.
    pub fn revise_quote(&mut self, id: i64, valid: Option<&str>) -> Result<i64> {
        self.write(|w, env| quotes::revise(w, env, id, valid))
    }
}

/// What `Crm::add_plan_item` and `Crm::plan_installments` report besides the items made:
/// when the plan does not add up to the contract's amount, what it adds up to and the
/// amount.
pub struct PlanCheck {
    pub ids: Vec<i64>,
    pub mismatch: Option<(String, crate::core::money::Money, crate::core::money::Money)>,
}

impl Crm {
    /// Take an order one step (confirm, deliver, close, cancel).
    pub fn step_order(&mut self, id: i64, step: orders::Step, reason: Option<&str>) -> Result<()> {
        self.write(|w, env| orders::step(w, env, id, step, reason))
    }

    /// Accept a sent quote and make its order (a draft with its lines); the order's id.
    pub fn accept_quote_to_order(&mut self, id: i64) -> Result<i64> {
        self.write(|w, env| {
            quotes::decide(w, env, id, true, None)?;
            orders::create(w, env, Input::new().with("quote", format!("#{id}")))
        })
    }

    pub fn sign_contract(&mut self, id: i64, on: Option<&str>) -> Result<()> {
        self.write(|w, env| contracts::sign(w, env, id, on))
    }

    pub fn terminate_contract(&mut self, id: i64, reason: Option<&str>) -> Result<()> {
        self.write(|w, env| contracts::terminate(w, env, id, reason))
    }

    /// Add an item to a contract's plan; with `strict`, refused (nothing written) when the
    /// plan then does not add up to the contract's amount.
    pub fn add_plan_item(
        &mut self,
        contract: i64,
        input: &Input,
        strict: bool,
    ) -> Result<PlanCheck> {
        let id = self.write(|w, env| {
            let id = contracts::add_item(w, env, contract, input)?;
            if strict {
                contracts::check_plan_adds_up(&w.reader(), contract)?;
            }
            Ok(id)
        })?;
        self.plan_check(contract, vec![id])
    }

    /// Split a contract's amount into installments.
    pub fn plan_installments(
        &mut self,
        contract: i64,
        spec: &contracts::Installments,
    ) -> Result<PlanCheck> {
        let ids = self.write(|w, env| contracts::plan_installments(w, env, contract, spec))?;
        self.plan_check(contract, ids)
    }

    fn plan_check(&self, contract: i64, ids: Vec<i64>) -> Result<PlanCheck> {
        let r = self.reader();
        let mismatch = contracts::plan_mismatch(&r, contract)?.map(|(c, planned)| {
            let amount = c
                .get("amount")
                .and_then(crate::core::money::Money::from_json)
                .unwrap_or_default();
            (c.label().to_string(), planned, amount)
        });
        Ok(PlanCheck { ids, mismatch })
    }

    /// Receive a payment (applied to its contract's plan).
    pub fn receive_payment(&mut self, input: &Input, how: &payments::Receive) -> Result<i64> {
        self.write(|w, env| payments::create(w, env, input.clone(), how))
    }

    pub fn reverse_payment(&mut self, id: i64, reason: Option<&str>) -> Result<()> {
        self.write(|w, env| payments::reverse(w, env, id, reason))
    }

    pub fn void_invoice(&mut self, id: i64, reason: Option<&str>) -> Result<()> {
        self.write(|w, env| invoices::void(w, env, id, reason))
    }
}
