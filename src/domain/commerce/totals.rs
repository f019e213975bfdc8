//! The arithmetic of lines and their totals, exact and explained: a line's net is its
//! quantity times its unit price less its discount (a percentage of that, or an amount),
//! its tax the net times its rate; a discount on the whole document is shared among the
//! lines in proportion to their nets (so that tax is charged on what is paid), the last
//! cent to the largest lines. Rounding to the currency's minor unit happens on every line
//! (`Rounding::Line`, the default) or once on the sums (`Rounding::Total`). Amounts are
//! [`Money`]: whole ten-thousandths; products of quantity and price are worked out in
//! `i128` and rounded half away from zero.

use crate::core::money::{Money, PLACES, SCALE};

/// Where amounts are rounded to the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Each line's net and tax (the sums are of rounded amounts).
    Line,
    /// Only the sums: the subtotal, each rate's tax and the total.
    Total,
}

impl Rounding {
    pub const NAMES: &'static [&'static str] = &["line", "total"];

    pub fn from_name(s: &str) -> Option<Rounding> {
        match s {
            "line" => Some(Rounding::Line),
            "total" => Some(Rounding::Total),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rounding::Line => "line",
            Rounding::Total => "total",
        }
    }
}

/// A line as stored: quantity and unit price, a discount, a tax rate (percentage points).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineIn {
    pub qty: Money,
    pub price: Money,
    pub discount_pct: Option<Money>,
    pub discount_amount: Option<Money>,
    pub tax: Money,
}

/// A discount: a percentage or an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    Percent(Money),
    Amount(Money),
}

/// A line worked out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineOut {
    /// Quantity × unit price.
    pub gross: Money,
    /// The line's own discount.
    pub discount: Money,
    /// Gross less the line's discount.
    pub net: Money,
    /// Its share of the whole document's discount.
    pub shared: Money,
    /// The tax on net less shared.
    pub tax: Money,
}

/// The tax of one rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxLine {
    pub rate: Money,
    /// What it is charged on: the nets at this rate less their share of the discount.
    pub base: Money,
    pub tax: Money,
}

/// A document's lines and totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worked {
    pub lines: Vec<LineOut>,
    /// The sum of the lines' gross amounts.
    pub gross: Money,
    /// The sum of the lines' own discounts.
    pub line_discounts: Money,
    /// The sum of the lines' nets.
    pub subtotal: Money,
    /// The whole document's discount.
    pub discount: Money,
    /// Subtotal less the document's discount: what tax is charged on.
    pub net: Money,
    /// Tax per rate, lowest rate first.
    pub taxes: Vec<TaxLine>,
    pub tax: Money,
    /// What rounding the sums once added or took (zero when rounding per line).
    pub rounding: Money,
    pub total: Money,
}

/// `a × b` of two amounts at four places, rounded to four places.
pub fn times(a: Money, b: Money) -> Money {
    Money::from_minor(div_round(
        a.minor() as i128 * b.minor() as i128,
        SCALE as i128,
    ))
}

/// `amount × rate%`, rounded to four places.
pub fn percent_of(amount: Money, rate: Money) -> Money {
    Money::from_minor(div_round(
        amount.minor() as i128 * rate.minor() as i128,
        100 * SCALE as i128,
    ))
}

fn div_round(n: i128, d: i128) -> i64 {
    let q = if (n >= 0) == (d >= 0) {
        (n.abs() + d.abs() / 2) / d.abs()
    } else {
        -((n.abs() + d.abs() / 2) / d.abs())
    };
    q.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// One line: gross, its own discount and its net, rounded to `places` when rounding per
/// line. A discount larger than the gross is left for the caller to refuse
/// ([`line_discount_too_large`]); the net is then zero.
pub fn line(l: &LineIn, places: u32, rounding: Rounding) -> LineOut {
    let r = |m: Money| match rounding {
        Rounding::Line => m.round_to(places),
        Rounding::Total => m,
    };
    let gross = r(times(l.qty, l.price));
    let discount = match (l.discount_pct, l.discount_amount) {
        (Some(p), _) => r(percent_of(gross, p)),
        (None, Some(a)) => a,
        (None, None) => Money::ZERO,
    }
    .min(gross);
    LineOut {
        gross,
        discount,
        net: gross - discount,
        shared: Money::ZERO,
        tax: Money::ZERO,
    }
}

/// Whether an amount discount is larger than what the line comes to.
pub fn line_discount_too_large(l: &LineIn) -> bool {
    l.discount_amount
        .is_some_and(|a| l.discount_pct.is_none() && a > times(l.qty, l.price))
}

/// The whole document: its lines, a discount on all of them, and the rounding.
pub fn work(
    lines: &[LineIn],
    discount: Option<Discount>,
    places: u32,
    rounding: Rounding,
) -> Worked {
    let r = |m: Money| m.round_to(places);
    let per_line = |m: Money| match rounding {
        Rounding::Line => r(m),
        Rounding::Total => m,
    };
    let mut out: Vec<LineOut> = lines.iter().map(|l| line(l, places, rounding)).collect();
    let subtotal: Money = out.iter().map(|l| l.net).sum();
    let discount = match discount {
        Some(Discount::Percent(p)) => per_line(percent_of(subtotal, p)),
        Some(Discount::Amount(a)) => a,
        None => Money::ZERO,
    }
    .min(subtotal);
    share(
        &mut out,
        discount,
        match rounding {
            Rounding::Line => places,
            Rounding::Total => PLACES,
        },
    );
    for (o, l) in out.iter_mut().zip(lines) {
        o.tax = per_line(percent_of(o.net - o.shared, l.tax));
    }
    let mut taxes: Vec<TaxLine> = Vec::new();
    for (o, l) in out.iter().zip(lines) {
        match taxes.iter_mut().find(|t| t.rate == l.tax) {
            Some(t) => {
                t.base += o.net - o.shared;
                t.tax += o.tax;
            }
            None => taxes.push(TaxLine {
                rate: l.tax,
                base: o.net - o.shared,
                tax: o.tax,
            }),
        }
    }
    taxes.sort_by_key(|t| t.rate);
    let gross = out.iter().map(|l| l.gross).sum();
    let line_discounts = out.iter().map(|l| l.discount).sum();
    let net = subtotal - discount;
    match rounding {
        Rounding::Line => {
            let tax = taxes.iter().map(|t| t.tax).sum();
            Worked {
                lines: out,
                gross,
                line_discounts,
                subtotal,
                discount,
                net,
                taxes,
                tax,
                rounding: Money::ZERO,
                total: net + tax,
            }
        }
        Rounding::Total => {
            let exact = net + taxes.iter().map(|t| t.tax).sum::<Money>();
            let total = r(exact);
            for t in &mut taxes {
                t.base = r(t.base);
                t.tax = r(t.tax);
            }
            let tax: Money = taxes.iter().map(|t| t.tax).sum();
            let (subtotal, discount, net) = (r(subtotal), r(discount), r(net));
            Worked {
                lines: out,
                gross: r(gross),
                line_discounts: r(line_discounts),
                subtotal,
                discount,
                net,
                taxes,
                tax,
                // The shown parts may miss the total by a minor unit: say so.
                rounding: total - (net + tax),
                total,
            }
        }
    }
}

/// Share `discount` among the lines in proportion to their nets, in steps of `places`; the
/// steps left after the proportional shares go one each to the lines with the largest
/// remainders (then the earliest), so the shares add up to the discount exactly.
fn share(lines: &mut [LineOut], discount: Money, places: u32) {
    let total: i128 = lines.iter().map(|l| l.net.minor() as i128).sum();
    if discount == Money::ZERO || total == 0 {
        return;
    }
    let unit = 10_i128.pow(PLACES - places.min(PLACES));
    let steps = discount.minor() as i128 / unit;
    let mut given = 0;
    let mut rest: Vec<(i128, usize)> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter_mut().enumerate() {
        let exact = steps * l.net.minor() as i128;
        let whole = exact / total;
        given += whole;
        rest.push((exact % total, i));
        l.shared = Money::from_minor((whole * unit) as i64);
    }
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rest.into_iter().take((steps - given) as usize) {
        lines[i].shared += Money::from_minor(unit as i64);
    }
    // A discount finer than the step (not reachable from typed amounts) goes to the first
    // line, so nothing is lost.
    let left = discount.minor() as i128 - steps * unit;
    if left != 0 {
        lines[0].shared += Money::from_minor(left as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn l(qty: &str, price: &str, tax: &str) -> LineIn {
        LineIn {
            qty: m(qty),
            price: m(price),
            discount_pct: None,
            discount_amount: None,
            tax: m(tax),
        }
    }

    #[test]
    fn a_line_is_quantity_times_price_less_its_discount() {
        let mut a = l("3", "1200", "13");
        a.discount_pct = Some(m("10"));
        // 3 × 1200 = 3600; 10% = 360; net 3240; tax 13% of 3240 = 421.20.
        let w = work(&[a], None, 2, Rounding::Line);
        assert_eq!(w.lines[0].gross, m("3600"));
        assert_eq!(w.lines[0].discount, m("360"));
        assert_eq!(w.subtotal, m("3240"));
        assert_eq!(w.tax, m("421.2"));
        assert_eq!(w.total, m("3661.2"));
    }

    #[test]
    fn per_line_rounding_and_rounding_once_differ_by_the_cents_they_should() {
        // Three lines of 1 × 0.10 at 6.5% tax: per line each tax is 0.0065 → 0.01, so
        // 0.03 tax; once, 0.0195 → 0.02.
        let lines = [
            l("1", "0.10", "6.5"),
            l("1", "0.10", "6.5"),
            l("1", "0.10", "6.5"),
        ];
        let per_line = work(&lines, None, 2, Rounding::Line);
        assert_eq!(per_line.tax, m("0.03"));
        assert_eq!(per_line.total, m("0.33"));
        let once = work(&lines, None, 2, Rounding::Total);
        assert_eq!(once.tax, m("0.02"));
        assert_eq!(once.total, m("0.32"));
        assert_eq!(once.rounding, Money::ZERO);
    }

    #[test]
    fn rounding_once_names_the_cent_the_parts_miss() {
        // 1 × 0.005 at 0% and 1 × 0.005 at 0%: subtotal 0.01 exactly; with 1 × 0.333 at
        // 13%: net 0.343 → 0.34, tax 0.04329 → 0.04, exact total 0.38629 → 0.39.
        let lines = [l("1", "0.333", "13"), l("2", "0.005", "0")];
        let w = work(&lines, None, 2, Rounding::Total);
        assert_eq!(w.net, m("0.34"));
        assert_eq!(w.tax, m("0.04"));
        assert_eq!(w.total, m("0.39"));
        assert_eq!(w.rounding, m("0.01"));
    }

    #[test]
    fn a_whole_discount_is_shared_so_tax_is_on_what_is_paid() {
        // Nets 1000 (13%) and 500 (6%): a 100 discount shares 66.67 and 33.33;
        // tax 13% × 933.33 = 121.33, 6% × 466.67 = 28.00; total 1400 + 149.33.
        let lines = [l("1", "1000", "13"), l("1", "500", "6")];
        let w = work(&lines, Some(Discount::Amount(m("100"))), 2, Rounding::Line);
        assert_eq!(w.lines[0].shared, m("66.67"));
        assert_eq!(w.lines[1].shared, m("33.33"));
        assert_eq!(
            w.taxes[0],
            TaxLine {
                rate: m("6"),
                base: m("466.67"),
                tax: m("28")
            }
        );
        assert_eq!(
            w.taxes[1],
            TaxLine {
                rate: m("13"),
                base: m("933.33"),
                tax: m("121.33")
            }
        );
        assert_eq!(w.net, m("1400"));
        assert_eq!(w.total, m("1549.33"));
    }

    #[test]
    fn shares_add_up_to_the_discount_exactly() {
        let lines = [l("1", "1", "0"), l("1", "1", "0"), l("1", "1", "0")];
        let w = work(&lines, Some(Discount::Amount(m("1"))), 2, Rounding::Line);
        let shares: Vec<Money> = w.lines.iter().map(|l| l.shared).collect();
        assert_eq!(shares, vec![m("0.34"), m("0.33"), m("0.33")]);
        assert_eq!(w.total, m("2"));
    }

    #[test]
    fn yen_round_to_whole_yen() {
        let w = work(&[l("3", "333.5", "10")], None, 0, Rounding::Line);
        // 1000.5 → 1001; tax 100.1 → 100.
        assert_eq!(w.subtotal, m("1001"));
        assert_eq!(w.tax, m("100"));
    }

    #[test]
    fn a_discount_never_takes_a_line_below_zero() {
        let mut a = l("1", "10", "0");
        a.discount_amount = Some(m("50"));
        assert!(line_discount_too_large(&a));
        assert_eq!(work(&[a], None, 2, Rounding::Line).total, Money::ZERO);
    }
}
