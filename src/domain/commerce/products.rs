//! Products (产品): what the business sells, with its code (SKU), list price, currency,
//! unit, tax rate and cost. A product no longer offered is retired, not deleted: it stays
//! in the history of what was sold.

use serde_json::Value;

use crate::core::error::Result;
use crate::domain::toolkit::with_value;
use crate::model::{f, listed, required, text, Entity, Kind, Ty};
use crate::store::{Reader, Values};

/// No two live products share a SKU (ignoring case): the code names one product.
pub(crate) fn check_sku(r: &Reader<'_>, id: Option<i64>, values: &Values) -> Result<()> {
    let Some((_, Value::String(sku))) = values.iter().find(|(c, _)| c == "sku") else {
        return Ok(());
    };
    let taken = with_value(r, Entity::Product, "sku", sku, false, 2)?
        .iter()
        .map(|p| p.id())
        .find(|other| Some(*other) != id);
    match taken {
        Some(other) => Err(crate::err!(
            Invalid,
            "products.sku_taken",
            sku = sku,
            id = other
        )),
        None => Ok(()),
    }
}

/// Products (产品): what the business sells.
pub static PRODUCT: Kind = Kind {
    name: "product",
    plural: "products",
    label: "name",
    fields: &[
        listed(text(required(f("name", Ty::Text)))),
        listed(text(f("sku", Ty::Text))),
        listed(f("price", Ty::Money)),
        listed(f("currency", Ty::Currency)),
        listed(f("unit", Ty::Text)),
        listed(f("tax", Ty::Percent)),
        f("cost", Ty::Money),
        listed(text(f("category", Ty::Text))),
        listed(f("retired", Ty::Bool)),
        listed(f("tags", Ty::Tags)),
        text(f("notes", Ty::LongText)),
    ],
    default_order: "t.name_key ASC, t.id ASC",
    record: true,
    linkable: false,
    sections: &[],
    dupes: None,
    synonyms: &[
        (
            "name",
            &["产品名称", "产品", "商品名称", "product name", "item name"],
        ),
        (
            "sku",
            &[
                "产品编码",
                "编码",
                "货号",
                "product code",
                "item code",
                "code",
            ],
        ),
        (
            "price",
            &["单价", "价格", "标准价", "list price", "unit price"],
        ),
        ("currency", &["币种"]),
        ("unit", &["单位", "计量单位", "uom"]),
        ("tax", &["税率", "tax rate", "vat"]),
        ("cost", &["成本", "成本价", "unit cost"]),
        (
            "category",
            &["产品类别", "类别", "分类", "product family", "family"],
        ),
        ("retired", &["已停售", "停售", "discontinued"]),
    ],
    summary: &["sku", "price", "currency", "unit"],
    hint: Some("sku"),
    search: Some(["sku", "category"]),
    name_key: true,
    code: Some("sku"),
    belongs: &[],
    derived: &[],
    sets: &[],
    computed: &[],
};
