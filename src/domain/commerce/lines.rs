//! Lines (明细): what a deal or a quote is made of — a product (or a description), its
//! quantity, unit price, discount and tax rate. A line's price comes from the price list of
//! the account it is for when that list has the product, else from the product, unless it
//! is given; its description, unit and tax come from the product unless given. A line's
//! net is kept with it, and its document's amounts (a deal's amount, a quote's totals)
//! follow every change of its lines in the same write.

use serde_json::Value;

use crate::core::error::Result;
use crate::core::money::{minor_places, Money};
use crate::domain::commerce::totals::{self, Discount, LineIn, Rounding, Worked};
use crate::domain::toolkit::{by, list_query, validate, Env, Input};
use crate::model::record::Record;
use crate::model::{alias, f, listed, required, system, text, Entity, Kind, Section, Ty};
use crate::store::{Reader, Values, Writer};

/// The kinds a line may belong to, with the field that points at them.
pub const PARENTS: &[(Entity, &str)] = &[
    (Entity::Deal, "deal"),
    (Entity::Quote, "quote"),
    (Entity::Order, "order"),
];

/// A line of a deal, a quote or an order.
pub static LINE: Kind = Kind {
    name: "line",
    plural: "lines",
    label: "description",
    fields: &[
        f("deal", Ty::Ref(Entity::Deal)),
        f("quote", Ty::Ref(Entity::Quote)),
        f("order", Ty::Ref(Entity::Order)),
        listed(system(f(
            "position",
            Ty::Int {
                min: 1,
                max: 100_000,
            },
        ))),
        listed(f("product", Ty::Ref(Entity::Product))),
        listed(text(required(f("description", Ty::Text)))),
        listed(alias(f("qty", Ty::Quantity), &["quantity"])),
        listed(f("unit", Ty::Text)),
        listed(f("price", Ty::Money)),
        listed(f("discount", Ty::Percent)),
        listed(f("discount_amount", Ty::Money)),
        listed(f("tax", Ty::Percent)),
        listed(system(f("net", Ty::Money))),
        // The product's unit cost when the line was made (for margins).
        system(f("cost", Ty::Money)),
    ],
    default_order: "t.position ASC, t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["qty", "price", "net"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &["deal", "quote", "order"],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// A discount as typed: `10%` is a percentage of the line, `50` an amount.
pub fn take_discount(input: &mut Input) {
    if let Some(d) = input.take("discount") {
        let t = d.trim();
        if t.ends_with('%') || t.ends_with('％') {
            input.set("discount", t);
            input.set("discount_amount", "");
        } else if t.is_empty() {
            input.set("discount", "");
            input.set("discount_amount", "");
        } else {
            input.set("discount_amount", t);
            input.set("discount", "");
        }
    }
}

/// The document a line belongs to.
pub fn parent_of(line: &Record) -> Option<(Entity, i64)> {
    PARENTS
        .iter()
        .find_map(|(e, f)| line.i64(&format!("{f}_id")).map(|id| (*e, id)))
}

/// The lines of a document, in order.
pub fn of(r: &Reader<'_>, parent: Entity, id: i64) -> Result<Vec<Record>> {
    let field = field_of(parent);
    r.list(
        Entity::Line,
        &list_query(vec![by(field, id)], "position", None),
        &crate::store::QueryCtx::none(),
    )
}

fn field_of(parent: Entity) -> &'static str {
    PARENTS
        .iter()
        .find(|(e, _)| *e == parent)
        .map_or("deal", |(_, f)| f)
}

/// What a line is worked out from, as stored.
pub fn line_in(l: &Record) -> LineIn {
    let m = |k: &str| l.get(k).and_then(Money::from_json);
    LineIn {
        qty: m("qty").unwrap_or_default(),
        price: m("price").unwrap_or_default(),
        discount_pct: m("discount"),
        discount_amount: m("discount_amount"),
        tax: m("tax").unwrap_or_default(),
    }
}

/// A document's currency, rounding and whole discount.
pub struct Terms {
    pub currency: String,
    pub rounding: Rounding,
    pub discount: Option<Discount>,
}

impl Terms {
    pub fn of(doc: &Record, env_currency: &str) -> Terms {
        let m = |k: &str| doc.get(k).and_then(Money::from_json);
        Terms {
            currency: doc.str("currency").unwrap_or(env_currency).to_string(),
            rounding: doc
                .str("rounding")
                .and_then(Rounding::from_name)
                .unwrap_or(Rounding::Line),
            discount: m("discount")
                .map(Discount::Percent)
                .or_else(|| m("discount_amount").map(Discount::Amount)),
        }
    }

    pub fn places(&self) -> u32 {
        minor_places(&self.currency)
    }
}

/// A document's lines worked out with its terms.
pub fn work(lines: &[Record], terms: &Terms) -> Worked {
    let ins: Vec<LineIn> = lines.iter().map(line_in).collect();
    totals::work(&ins, terms.discount, terms.places(), terms.rounding)
}

/// Add a line to a document inside a write; its document's amounts follow.
pub fn add(
    w: &mut Writer<'_>,
    env: &Env,
    parent: Entity,
    parent_id: i64,
    input: &Input,
) -> Result<i64> {
    let doc = live(&w.reader(), parent, parent_id)?;
    check_editable(&doc)?;
    let mut input = input.clone();
    take_discount(&mut input);
    let mut values = validate(&w.reader(), env, Entity::Line, &input, None)?;
    values.retain(|(c, _)| !is_parent_column(c));
    values.push((format!("{}_id", field_of(parent)), Value::from(parent_id)));
    let position = of(&w.reader(), parent, parent_id)?
        .iter()
        .filter_map(|l| l.i64("position"))
        .max()
        .unwrap_or(0)
        + 1;
    values.push(("position".into(), Value::from(position)));
    let line = fill(&w.reader(), env, &doc, values, None)?;
    let id = w.insert(Entity::Line, &line)?;
    follow(w, env, parent, parent_id)?;
    Ok(id)
}

fn is_parent_column(c: &str) -> bool {
    PARENTS
        .iter()
        .any(|(_, f)| c.strip_suffix("_id") == Some(f))
}

/// Copy a document's lines to another (a deal's to its quote, a quote's to its revision
/// or its order), as they are: prices, discounts and costs kept.
pub fn copy(w: &mut Writer<'_>, from: (Entity, i64), to: (Entity, i64)) -> Result<()> {
    for l in of(&w.reader(), from.0, from.1)? {
        let mut v: Values = Vec::new();
        for f in Entity::Line.fields() {
            let col = f.column();
            if is_parent_column(&col) {
                continue;
            }
            if let Some(x) = l.get(&col).filter(|x| !x.is_null()) {
                v.push((col, x.clone()));
            }
        }
        v.push((format!("{}_id", field_of(to.0)), Value::from(to.1)));
        w.insert(Entity::Line, &v)?;
    }
    Ok(())
}

/// Create a line from input naming its document (`deal`, `quote` or `order`), as imports
/// and the record verbs do.
pub fn create(w: &mut Writer<'_>, env: &Env, mut input: Input) -> Result<i64> {
    for (parent, field) in PARENTS {
        if let Some(text) = input.take(field) {
            let id = crate::domain::toolkit::resolve(&w.reader(), *parent, &text, false)
                .map_err(|e| e.context(*field))?;
            return add(w, env, *parent, id, &input);
        }
    }
    Err(crate::err!(Invalid, "lines.document_required"))
}

/// Change a line inside a write; its document's amounts follow.
pub fn edit(w: &mut Writer<'_>, env: &Env, id: i64, input: &Input) -> Result<bool> {
    let existing = live(&w.reader(), Entity::Line, id)?;
    let (parent, parent_id) = parent_of(&existing).ok_or_else(|| not_a_line(id))?;
    let doc = live(&w.reader(), parent, parent_id)?;
    check_editable(&doc)?;
    let mut input = input.clone();
    take_discount(&mut input);
    let mut values = validate(&w.reader(), env, Entity::Line, &input, Some(&existing))?;
    values.retain(|(c, _)| !is_parent_column(c));
    let values = fill(&w.reader(), env, &doc, values, Some(&existing))?;
    let changed = w.update(Entity::Line, id, &values)?;
    if changed {
        follow(w, env, parent, parent_id)?;
    }
    Ok(changed)
}

/// Take a line off its document (to the trash, as any record); its document's amounts
/// follow.
pub fn remove(w: &mut Writer<'_>, env: &Env, id: i64) -> Result<bool> {
    let existing = live(&w.reader(), Entity::Line, id)?;
    let (parent, parent_id) = parent_of(&existing).ok_or_else(|| not_a_line(id))?;
    check_editable(&live(&w.reader(), parent, parent_id)?)?;
    let gone = w.trash(Entity::Line, id)?;
    follow(w, env, parent, parent_id)?;
    Ok(gone)
}

/// The line `n` of a document: its position, or its id as `#id`.
pub fn resolve(r: &Reader<'_>, parent: Entity, parent_id: i64, text: &str) -> Result<i64> {
    let lines = of(r, parent, parent_id)?;
    let t = text.trim();
    let found = match t.strip_prefix('#') {
        Some(id) => lines.iter().find(|l| id.parse() == Ok(l.id())),
        None => lines
            .iter()
            .find(|l| t.parse::<i64>().ok() == l.i64("position")),
    };
    found.map(Record::id).ok_or_else(|| {
        crate::err!(
            NotFound,
            "lines.no_such_line",
            line = t,
            kind = parent.label(),
            id = parent_id,
            n = lines.len()
        )
    })
}

pub(crate) use crate::domain::commerce::shared::live;

fn not_a_line(id: i64) -> crate::core::error::Error {
    crate::err!(
        NotFound,
        "lines.no_record",
        kind = Entity::Line.label(),
        id = id
    )
}

/// A quote's or an order's lines change only while it is a draft.
fn check_editable(doc: &Record) -> Result<()> {
    match doc.entity {
        Entity::Quote => crate::domain::commerce::quotes::check_draft(doc),
        Entity::Order => crate::domain::commerce::orders::check_draft(doc),
        _ => Ok(()),
    }
}

/// The values of a line made whole: what the product and the price list give, checked.
fn fill(
    r: &Reader<'_>,
    env: &Env,
    doc: &Record,
    mut values: Values,
    existing: Option<&Record>,
) -> Result<Values> {
    let given = |values: &Values, c: &str| values.iter().any(|(k, v)| k == c && !v.is_null());
    let now = |values: &Values, c: &str| -> Option<Value> {
        values
            .iter()
            .rev()
            .find(|(k, _)| k == c)
            .map(|(_, v)| v.clone())
            .or_else(|| existing.and_then(|e| e.get(c).cloned()))
            .filter(|v| !v.is_null())
    };
    let product_changed = values.iter().any(|(c, _)| c == "product_id");
    let product = match now(&values, "product_id").and_then(|v| v.as_i64()) {
        Some(p) => r.get(Entity::Product, p)?,
        None => None,
    };
    let currency = Terms::of(doc, &env.currency).currency;
    if let Some(p) = &product {
        if product_changed || existing.is_none() {
            if p.bool("retired") {
                return Err(crate::err!(
                    Invalid,
                    "lines.product_retired",
                    product = p.label()
                ));
            }
            for (col, from) in [
                ("description", "name"),
                ("unit", "unit"),
                ("tax", "tax"),
                ("cost", "cost"),
            ] {
                if !given(&values, col) {
                    if let Some(v) = p.get(from).filter(|v| !v.is_null()) {
                        values.push((col.into(), v.clone()));
                    }
                }
            }
        }
    }
    let qty = now(&values, "qty").and_then(|v| Money::from_json(&v));
    let Some(qty) = qty else {
        return Err(crate::err!(Invalid, "lines.qty_required"));
    };
    if qty == Money::ZERO {
        return Err(crate::err!(Invalid, "lines.qty_zero"));
    }
    // A new line's price, or a new product's, comes from the price list or the product
    // unless given (a price list's tier by the quantity then); later edits keep it.
    if !given(&values, "price") && (product_changed || existing.is_none()) {
        if let Some(p) = &product {
            let price = price_for(r, doc, p, qty, &currency)?;
            values.push(("price".into(), price.to_json()));
        }
    }
    if now(&values, "description").is_none() {
        return Err(crate::err!(Invalid, "lines.description_required"));
    }
    let mut line = LineIn {
        qty,
        ..LineIn::default()
    };
    let m = |values: &Values, c: &str| now(values, c).and_then(|v| Money::from_json(&v));
    let Some(price) = m(&values, "price") else {
        return Err(crate::err!(Invalid, "lines.price_required"));
    };
    line.price = price;
    line.discount_pct = m(&values, "discount");
    line.discount_amount = m(&values, "discount_amount");
    line.tax = m(&values, "tax").unwrap_or_default();
    if line.discount_pct.is_some() && line.discount_amount.is_some() {
        // The discount given last wins: one kind of discount per line.
        let pct_given = values.iter().any(|(c, v)| c == "discount" && !v.is_null());
        let drop = if pct_given {
            "discount_amount"
        } else {
            "discount"
        };
        values.push((drop.into(), Value::Null));
        if pct_given {
            line.discount_amount = None;
        } else {
            line.discount_pct = None;
        }
    }
    if totals::line_discount_too_large(&line) {
        return Err(crate::err!(
            Invalid,
            "lines.discount_above_line",
            discount = line.discount_amount.unwrap_or_default().grouped(),
            amount = totals::times(line.qty, line.price).grouped()
        ));
    }
    let terms = Terms::of(doc, &env.currency);
    let net = totals::line(&line, terms.places(), Rounding::Line).net;
    values.push(("net".into(), net.to_json()));
    Ok(values)
}

/// A product's unit price for a document: from the price list of the document's account
/// when it has the product in the document's currency (the entry with the largest minimum
/// quantity the line reaches), else the product's own price in that currency.
pub fn price_for(
    r: &Reader<'_>,
    doc: &Record,
    product: &Record,
    qty: Money,
    currency: &str,
) -> Result<Money> {
    if let Some(list) = account_pricelist(r, doc)? {
        if list.str("currency").is_none_or(|c| c == currency) && !list.bool("retired") {
            let prices =
                crate::domain::commerce::pricelists::prices_of(r, list.id(), product.id())?;
            let best = prices
                .iter()
                .filter(|p| {
                    p.get("min_qty")
                        .and_then(Money::from_json)
                        .is_none_or(|min| min <= qty)
                })
                .max_by_key(|p| {
                    p.get("min_qty")
                        .and_then(Money::from_json)
                        .unwrap_or_default()
                });
            if let Some(p) = best.and_then(|p| p.get("price")).and_then(Money::from_json) {
                return Ok(p);
            }
        }
    }
    let own = product.str("currency").unwrap_or(currency);
    if own != currency {
        return Err(crate::err!(
            Invalid,
            "lines.price_other_currency",
            product = product.label(),
            own = own,
            currency = currency
        ));
    }
    product
        .get("price")
        .and_then(Money::from_json)
        .ok_or_else(|| {
            crate::err!(
                Invalid,
                "lines.product_has_no_price",
                product = product.label()
            )
        })
}

/// The price list of the account a document is for.
fn account_pricelist(r: &Reader<'_>, doc: &Record) -> Result<Option<Record>> {
    let Some(account) = doc.i64("account_id") else {
        return Ok(None);
    };
    let Some(list) = r
        .get(Entity::Account, account)?
        .and_then(|a| a.i64("pricelist_id"))
    else {
        return Ok(None);
    };
    Ok(r.get(Entity::PriceList, list)?.filter(|l| !l.is_trashed()))
}

/// After its lines changed, a document's amounts: a deal's amount is the sum of its
/// lines' nets (while it has lines); a quote's or an order's subtotal (its lines' nets,
/// before its own discount), tax and total, and an order's cost (each line's quantity
/// times its unit cost, rounded to the currency's minor unit).
pub fn follow(w: &mut Writer<'_>, env: &Env, parent: Entity, id: i64) -> Result<()> {
    let doc = live(&w.reader(), parent, id)?;
    let lines = of(&w.reader(), parent, id)?;
    let worked = work(&lines, &Terms::of(&doc, &env.currency));
    let values: Values = match parent {
        Entity::Deal if lines.is_empty() => return Ok(()),
        Entity::Deal => vec![("amount".into(), worked.net.to_json())],
        _ => {
            let mut v: Values = vec![
                ("subtotal".into(), worked.subtotal.to_json()),
                ("tax".into(), worked.tax.to_json()),
                ("total".into(), worked.total.to_json()),
            ];
            if parent == Entity::Order {
                let places = Terms::of(&doc, &env.currency).places();
                v.push(("cost".into(), cost_of(&lines, places).to_json()));
            }
            v
        }
    };
    w.update(parent, id, &values)?;
    Ok(())
}

/// What lines cost: each line's quantity times its unit cost, rounded to `places`.
pub fn cost_of(lines: &[Record], places: u32) -> Money {
    lines
        .iter()
        .filter_map(|l| {
            let cost = l.get("cost").and_then(Money::from_json)?;
            let qty = l.get("qty").and_then(Money::from_json)?;
            Some(totals::times(qty, cost).round_to(places))
        })
        .fold(Money::ZERO, |a, b| a + b)
}

/// A section of a document's 360° view: its lines.
pub const SECTION_OF_DEAL: Section = Section {
    name: "lines",
    kind: Entity::Line,
    via: "deal",
    only: None,
    sort: "position",
    limit: None,
};
