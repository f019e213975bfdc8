//! Price lists (价目表): prices of products for some customers (经销商价, 大客户价), in one
//! currency, with tiers by quantity. An account may carry one; a line for that account
//! takes its price from the list when the list has the product.

use serde_json::Value;

use crate::core::error::Result;
use crate::core::money::Money;
use crate::domain::toolkit::{by, list_query, resolve, Env};
use crate::model::record::Record;
use crate::model::{f, listed, required, system, text, Entity, Kind, Section, Ty};
use crate::store::{QueryCtx, Reader, Writer};

/// Price lists.
pub static PRICELIST: Kind = Kind {
    name: "pricelist",
    plural: "pricelists",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        listed(f("currency", Ty::Currency)),
        listed(f("retired", Ty::Bool)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.name COLLATE NOCASE ASC, t.id ASC",
    record: true,
    linkable: false,
    sections: &[
        Section {
            name: "prices",
            kind: Entity::Price,
            via: "pricelist",
            only: None,
            sort: "product",
            limit: None,
        },
        Section {
            name: "accounts",
            kind: Entity::Account,
            via: "pricelist",
            only: None,
            sort: "name",
            limit: None,
        },
    ],
    dupes: None,
    synonyms: &[
        ("name", &["价目表", "价格表", "price list"]),
        ("retired", &["已停用", "停用"]),
    ],
    summary: &["currency"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// One price of a price list: a product, its price, and the quantity from which it holds.
pub static PRICE: Kind = Kind {
    name: "price",
    plural: "prices",
    label: "product",
    fields: &[
        listed(required(f("pricelist", Ty::Ref(Entity::PriceList)))),
        listed(required(f("product", Ty::Ref(Entity::Product)))),
        listed(required(f("price", Ty::Money))),
        listed(f("min_qty", Ty::Quantity)),
        listed(system(f("sku", Ty::Text))),
    ],
    default_order: "t.pricelist_id ASC, t.product_id ASC, t.min_qty ASC NULLS FIRST, t.id ASC",
    record: false,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[],
    summary: &["price", "min_qty"],
    hint: None,
    search: None,
    name_key: false,
    code: None,
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};

/// The prices of a product in a price list, every tier.
pub fn prices_of(r: &Reader<'_>, list: i64, product: i64) -> Result<Vec<Record>> {
    r.list(
        Entity::Price,
        &list_query(
            vec![by("pricelist", list), by("product", product)],
            "",
            None,
        ),
        &QueryCtx::none(),
    )
}

/// Set the price of a product in a price list, from a quantity (none: from one). The same
/// product and quantity have one price: setting it again changes it. Returns the price's
/// id and whether it was new.
pub fn set(
    w: &mut Writer<'_>,
    env: &Env,
    list: i64,
    product: &str,
    price: &str,
    min_qty: Option<&str>,
) -> Result<(i64, bool)> {
    let r = w.reader();
    let mut input = crate::domain::toolkit::Input::new();
    input.set("price", price);
    if let Some(q) = min_qty {
        input.set("min_qty", q);
    }
    let checked = crate::domain::toolkit::validate(&r, env, Entity::Price, &input, None)?;
    let got = |c: &str| {
        checked
            .iter()
            .find(|(k, _)| k == c)
            .and_then(|(_, v)| Money::from_json(v))
    };
    let price =
        got("price").ok_or_else(|| crate::err!(Invalid, "toolkit.must_empty", field = "price"))?;
    let min_qty = got("min_qty");
    let product = resolve(&r, Entity::Product, product, false)?;
    let p = r.get(Entity::Product, product)?.ok_or_else(|| {
        crate::err!(
            NotFound,
            "lines.no_record",
            kind = Entity::Product.label(),
            id = product
        )
    })?;
    let existing = prices_of(&r, list, product)?
        .into_iter()
        .find(|e| e.get("min_qty").and_then(Money::from_json) == min_qty);
    let values = vec![
        ("price".to_string(), price.to_json()),
        (
            "min_qty".to_string(),
            min_qty.map_or(Value::Null, Money::to_json),
        ),
        (
            "sku".to_string(),
            p.get("sku").cloned().unwrap_or(Value::Null),
        ),
    ];
    match existing {
        Some(e) => {
            w.update(Entity::Price, e.id(), &values)?;
            Ok((e.id(), false))
        }
        None => {
            let mut v = values;
            v.push(("pricelist_id".into(), Value::from(list)));
            v.push(("product_id".into(), Value::from(product)));
            Ok((w.insert(Entity::Price, &v)?, true))
        }
    }
}

/// Take a product's price (at a quantity, or all of its tiers) off a price list.
pub fn unset(w: &mut Writer<'_>, list: i64, product: &str, min_qty: Option<&str>) -> Result<usize> {
    let min_qty = min_qty
        .map(|q| crate::core::money::parse_quantity(q).map_err(|e| e.context("min_qty")))
        .transpose()?;
    let r = w.reader();
    let product = resolve(&r, Entity::Product, product, false)?;
    let gone: Vec<i64> = prices_of(&r, list, product)?
        .into_iter()
        .filter(|e| min_qty.is_none() || e.get("min_qty").and_then(Money::from_json) == min_qty)
        .map(|e| e.id())
        .collect();
    for id in &gone {
        w.trash(Entity::Price, *id)?;
    }
    Ok(gone.len())
}
