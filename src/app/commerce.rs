//! Quote to cash at the front door: the verbs of price lists, lines and quotes, and a
//! quote's sheet — its lines and totals worked out — for both faces.

use crate::app::crm::Crm;
use crate::core::error::Result;
use crate::domain::commerce::totals::Worked;
use crate::domain::commerce::{lines, pricelists, quotes};
use crate::domain::toolkit::Input;
use crate::model::record::Record;
use crate::model::Entity;

/// A document (a deal or a quote) with its lines worked out.
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
