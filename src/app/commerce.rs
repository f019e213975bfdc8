//! Quote to cash at the front door: the verbs of price lists, lines and quotes, and a
//! quote's sheet — its lines and totals worked out — for both faces, with the totals as
//! both print them and what a line's change would make of them before it is written.

use crate::app::crm::Crm;
use crate::core::error::Result;
use crate::core::money::Money;
use crate::domain::commerce::totals::Worked;
use crate::domain::commerce::{contracts, invoices, lines, orders, payments, pricelists, quotes};
use crate::domain::toolkit::Input;
use crate::model::record::Record;
use crate::model::Entity;
use crate::store::Reader;

/// Whether records of a kind are documents with lines (a deal, a quote, an order: the kinds
/// the lines' module names as their parents), so a face offers their lines.
pub fn has_lines(e: Entity) -> bool {
    lines::PARENTS.iter().any(|(p, _)| *p == e)
}

/// Whether a section of a 360° view is shown with `n` records in it: the quotes, orders
/// and contracts of an account or a deal only when there are some (most have none); every
/// other section always, empty or not.
pub fn section_shown(name: &str, n: usize) -> bool {
    n > 0 || !matches!(name, "quotes" | "orders" | "contracts")
}

/// The field by which an account's or a deal's contracts name it, for what they are owed
/// on its 360° view (`Overview::owed`); None for every other kind.
pub fn owed_via(e: Entity) -> Option<&'static str> {
    match e {
        Entity::Account => Some("account"),
        Entity::Deal => Some("deal"),
        _ => None,
    }
}

/// A document (a deal, a quote or an order) with its lines worked out.
#[derive(Debug, Clone)]
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

impl Sheet {
    /// A document and its lines worked out with its terms.
    fn of(r: &Reader<'_>, currency: &str, doc: Record) -> Result<Sheet> {
        let lines = lines::of(r, doc.entity, doc.id())?;
        let terms = lines::Terms::of(&doc, currency);
        Ok(Sheet {
            worked: lines::work(&lines, &terms),
            currency: terms.currency.clone(),
            places: terms.places(),
            rounding: terms.rounding.name(),
            doc,
            lines,
        })
    }

    /// A line's discount as written: `10%`, or an amount to the currency's places.
    pub fn discount_text(&self, line: &Record) -> String {
        let m = |k: &str| line.get(k).and_then(Money::from_json);
        match (m("discount"), m("discount_amount")) {
            (Some(p), _) => format!("{}%", p.plain()),
            (None, Some(a)) => a.fixed(self.places),
            _ => String::new(),
        }
    }

    /// The totals under the lines, as (label, amount) in order: the subtotal, the line
    /// discounts in it, the discount on the whole document and what is left, the tax of
    /// each rate with what it is charged on, a rounding difference, the total. Rows that
    /// would say zero (no discount, no rounding difference) are left out. Both faces show
    /// these: `kith quote show` and `line list` under their tables, the interface under a
    /// document's lines.
    pub fn total_rows(&self) -> Vec<(String, String)> {
        let w = &self.worked;
        let p = self.places;
        let row = |label: &str, m: String| (label.to_string(), m);
        let mut rows = vec![row(crate::tr!("cli.totals.subtotal"), w.subtotal.fixed(p))];
        if w.line_discounts != Money::ZERO {
            rows.push(row(
                crate::tr!("cli.totals.line_discounts"),
                w.line_discounts.fixed(p),
            ));
        }
        if w.discount != Money::ZERO {
            rows.push(row(
                crate::tr!("cli.totals.discount"),
                format!("-{}", w.discount.fixed(p)),
            ));
            rows.push(row(crate::tr!("cli.totals.net"), w.net.fixed(p)));
        }
        for t in &w.taxes {
            rows.push((
                crate::tr!(
                    "cli.totals.tax_at",
                    rate = t.rate.plain(),
                    base = t.base.fixed(p)
                ),
                t.tax.fixed(p),
            ));
        }
        if w.rounding != Money::ZERO {
            rows.push(row(crate::tr!("cli.totals.rounding"), w.rounding.fixed(p)));
        }
        rows.push((
            crate::tr!("cli.totals.total", currency = self.currency.as_str()),
            w.total.fixed(p),
        ));
        rows
    }
}

/// What a document would be with one line changed or added: its sheet, worked out by the
/// same verbs that write the change, and where that line is among its lines.
#[derive(Debug, Clone)]
pub struct LinePreview {
    pub sheet: Sheet,
    pub line: usize,
}

impl Crm {
    /// A deal's or a quote's lines and totals.
    pub fn sheet(&self, parent: Entity, id: i64) -> Result<Sheet> {
        let doc = self.get(parent, id)?;
        Sheet::of(&self.reader(), &self.env.currency, doc)
    }

    /// What a document's lines and totals would be with the line `line` (its id) changed
    /// by `input`, or with a line of `input` added (`line` None), without writing it. The
    /// change is made by the verbs that make it for [`Crm::edit_line`] and
    /// [`Crm::add_line`] — the same checks, the price list's tier for the quantity, the
    /// totals' engine — inside a write that is then rolled back: what is shown is what
    /// saving writes, and a change they refuse is refused here with the same message.
    pub fn preview_line(
        &mut self,
        parent: Entity,
        id: i64,
        line: Option<i64>,
        input: &Input,
    ) -> Result<LinePreview> {
        self.dry_run(|w, env| {
            let line = match line {
                Some(l) => {
                    let l = lines::resolve(&w.reader(), parent, id, &format!("#{l}"))?;
                    lines::edit(w, env, l, input)?;
                    l
                }
                None => lines::add(w, env, parent, id, input)?,
            };
            let doc = lines::live(&w.reader(), parent, id)?;
            let sheet = Sheet::of(&w.reader(), &env.currency, doc)?;
            let at = sheet.lines.iter().position(|l| l.id() == line).unwrap_or(0);
            Ok(LinePreview { sheet, line: at })
        })
    }

    /// Whether a document's lines may be changed now, or the library's reason why not (a
    /// quote that was sent). Asked of the verb itself: a line is added on a write that is
    /// rolled back, so whatever rule the document's kind has answers, and nothing is
    /// written.
    pub fn check_lines_open(&mut self, parent: Entity, id: i64) -> Result<()> {
        let probe = Input::new()
            .with("description", "-")
            .with("qty", "1")
            .with("price", "0");
        self.dry_run(|w, env| lines::add(w, env, parent, id, &probe).map(|_| ()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::crm::testing::{add, crm};

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    /// A quote of 500 off, for an account on a price list: 12 meters at 1,200 (13%), and
    /// 12 days of installation at 350 less 10% (6%).
    fn quote(crm: &mut Crm) -> i64 {
        add(
            crm,
            Entity::Product,
            &[
                ("name", "智能电表"),
                ("sku", "DTZ-341"),
                ("price", "1200"),
                ("currency", "CNY"),
                ("unit", "台"),
                ("tax", "13%"),
            ],
        );
        add(
            crm,
            Entity::Product,
            &[
                ("name", "安装服务"),
                ("sku", "SVC-INST"),
                ("price", "350"),
                ("currency", "CNY"),
                ("unit", "人天"),
                ("tax", "6%"),
            ],
        );
        add(crm, Entity::Account, &[("name", "白云机场")]);
        let q = add(
            crm,
            Entity::Quote,
            &[("account", "白云机场"), ("discount", "500")],
        );
        let line =
            |product: &str, qty: &str| Input::new().with("product", product).with("qty", qty);
        crm.add_line(Entity::Quote, q, &line("DTZ-341", "12"))
            .unwrap();
        crm.add_line(
            Entity::Quote,
            q,
            &line("SVC-INST", "12").with("discount", "10%"),
        )
        .unwrap();
        q
    }

    #[test]
    fn a_line_changed_is_worked_out_as_saving_it_would_and_nothing_is_written() {
        let mut crm = crm();
        let q = quote(&mut crm);
        let before = crm.sheet(Entity::Quote, q).unwrap();
        let first = before.lines[0].id();
        let history = crm.history(Entity::Quote, q).unwrap().len();
        // 10 meters less 5%: 12,000 − 600 = 11,400; with the days' 3,780 the subtotal is
        // 15,180. The 500 is shared in cents by the nets: 500 × 11,400 / 15,180 = 375.494…
        // and 500 × 3,780 / 15,180 = 124.505…, 375.49 and 124.50 leaving one cent, which
        // goes to the larger remainder (the days'): 124.51. Tax: 13% of 11,024.51 is
        // 1,433.1863 → 1,433.19; 6% of 3,655.49 is 219.3294 → 219.33. Total: 15,180 − 500
        // + 1,652.52 = 16,332.52.
        let change = Input::new().with("qty", "10").with("discount", "5%");
        let p = crm
            .preview_line(Entity::Quote, q, Some(first), &change)
            .unwrap();
        assert_eq!(p.line, 0);
        let w = &p.sheet.worked;
        assert_eq!(w.lines[0].net, m("11400"));
        assert_eq!(w.lines[0].shared, m("375.49"));
        assert_eq!(w.lines[1].shared, m("124.51"));
        assert_eq!(w.subtotal, m("15180"));
        assert_eq!(w.tax, m("1652.52"));
        assert_eq!(w.total, m("16332.52"));
        assert_eq!(p.sheet.discount_text(&p.sheet.lines[0]), "5%");
        let rows = p.sheet.total_rows();
        let rows: Vec<(&str, &str)> = rows.iter().map(|(l, a)| (l.as_str(), a.as_str())).collect();
        assert_eq!(
            rows,
            vec![
                ("Subtotal", "15,180.00"),
                ("  of which line discounts", "1,020.00"),
                ("Discount", "-500.00"),
                ("Net", "14,680.00"),
                ("Tax 6% on 3,655.49", "219.33"),
                ("Tax 13% on 11,024.51", "1,433.19"),
                ("Total CNY", "16,332.52"),
            ]
        );
        // Nothing was written: the quote's lines, totals and history are as they were.
        let after = crm.sheet(Entity::Quote, q).unwrap();
        assert_eq!(after.worked, before.worked);
        assert_eq!(after.doc.get("total"), before.doc.get("total"));
        assert_eq!(crm.history(Entity::Quote, q).unwrap().len(), history);
        // An amount off the line instead: 12,000 − 500 = 11,500.
        let p = crm
            .preview_line(
                Entity::Quote,
                q,
                Some(first),
                &Input::new().with("qty", "10").with("discount", "500"),
            )
            .unwrap();
        assert_eq!(p.sheet.worked.lines[0].net, m("11500"));
        assert_eq!(p.sheet.discount_text(&p.sheet.lines[0]), "500.00");
    }

    #[test]
    fn a_line_added_takes_the_price_lists_tier_for_its_quantity() {
        let mut crm = crm();
        let q = quote(&mut crm);
        let list = add(
            &mut crm,
            Entity::PriceList,
            &[("name", "经销商价"), ("currency", "CNY")],
        );
        crm.set_price(list, "DTZ-341", "1100", None).unwrap();
        crm.set_price(list, "DTZ-341", "980", Some("10")).unwrap();
        crm.update(
            Entity::Account,
            1,
            &Input::new().with("pricelist", "经销商价"),
        )
        .unwrap();
        let new = |qty: &str| Input::new().with("product", "DTZ-341").with("qty", qty);
        // 9 meters are below the tier from 10: 1,100 each, 9,900.
        let p = crm.preview_line(Entity::Quote, q, None, &new("9")).unwrap();
        assert_eq!(p.line, 2);
        assert_eq!(p.sheet.lines[2].get("price"), Some(&m("1100").to_json()));
        assert_eq!(p.sheet.worked.lines[2].net, m("9900"));
        // 10 reach it: 980 each, 9,800; subtotal 14,400 + 3,780 + 9,800 = 27,980.
        let p = crm
            .preview_line(Entity::Quote, q, None, &new("10"))
            .unwrap();
        assert_eq!(p.sheet.worked.lines[2].net, m("9800"));
        assert_eq!(p.sheet.worked.subtotal, m("27980"));
        assert_eq!(crm.sheet(Entity::Quote, q).unwrap().lines.len(), 2);
        // What the verb refuses, the preview refuses with its message.
        let e = crm
            .preview_line(Entity::Quote, q, None, &new("0"))
            .unwrap_err();
        assert_eq!(e.code(), "lines.qty_zero");
    }

    #[test]
    fn a_sent_quotes_lines_are_closed_with_the_librarys_reason() {
        let mut crm = crm();
        let q = quote(&mut crm);
        crm.check_lines_open(Entity::Quote, q).unwrap();
        crm.send_quote(q).unwrap();
        let e = crm.check_lines_open(Entity::Quote, q).unwrap_err();
        assert_eq!(e.code(), "lines.quote_not_draft");
        let first = crm.sheet(Entity::Quote, q).unwrap().lines[0].id();
        let e = crm
            .preview_line(
                Entity::Quote,
                q,
                Some(first),
                &Input::new().with("qty", "2"),
            )
            .unwrap_err();
        assert_eq!(e.code(), "lines.quote_not_draft");
        assert!(has_lines(Entity::Deal) && has_lines(Entity::Quote));
        assert!(!has_lines(Entity::Account));
    }
}
