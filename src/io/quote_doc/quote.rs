//! A quote as a [`Doc`]: its heading, the seller (`[seller]` of the configuration) and the
//! customer (the quote's account and contact), its lines and totals as `kith quote show`
//! works them out, its validity and terms — every text in the user's language, every
//! amount with its currency's decimals.

use crate::app::config::Seller;
use crate::app::crm::Crm;
use crate::core::error::Result;
use crate::core::money::Money;
use crate::model::record::{choice_label, Record};
use crate::model::Entity;
use crate::tr;

use super::{Doc, Party};

fn money(v: Option<&serde_json::Value>) -> Option<Money> {
    v.and_then(Money::from_json)
}

fn push(lines: &mut Vec<String>, label: &str, v: Option<&str>) {
    if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
        lines.push(if label.is_empty() {
            v.to_string()
        } else {
            format!("{label}{v}")
        });
    }
}

/// The seller as the configuration names it.
fn seller(s: &Seller) -> Party {
    let mut lines = Vec::new();
    push(&mut lines, "", s.address.as_deref());
    push(&mut lines, tr!("documents.quote.phone"), s.phone.as_deref());
    push(&mut lines, tr!("documents.quote.email"), s.email.as_deref());
    push(
        &mut lines,
        tr!("documents.quote.tax_id"),
        s.tax_id.as_deref(),
    );
    push(&mut lines, tr!("documents.quote.bank"), s.bank.as_deref());
    Party {
        name: s.name.clone().unwrap_or_default(),
        lines,
    }
}

/// The customer: the account, its address, and the contact the quote is for.
fn customer(crm: &Crm, q: &Record) -> Result<Party> {
    let mut lines = Vec::new();
    let mut name = q.text("account");
    if let Some(a) = q.i64("account_id") {
        let a = crm.get(Entity::Account, a)?;
        name = a.label().to_string();
        // The address, then what it does not say already of its city, region and country.
        let mut place = a.str("address").unwrap_or_default().trim().to_string();
        let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for k in ["city", "region", "country"] {
            if let Some(v) = a.str(k).map(str::trim).filter(|v| !v.is_empty()) {
                if !place.contains(v) {
                    if !place.is_empty() {
                        place.push_str(if cjk(&place) { "，" } else { ", " });
                    }
                    place.push_str(v);
                }
            }
        }
        if !place.is_empty() {
            lines.push(place);
        }
        push(&mut lines, tr!("documents.quote.phone"), a.str("phone"));
    }
    if let Some(c) = q.i64("contact_id") {
        let c = crm.get(Entity::Contact, c)?;
        push(
            &mut lines,
            tr!("documents.quote.attention"),
            Some(c.label()),
        );
        let email = c.text("email");
        push(&mut lines, tr!("documents.quote.email"), Some(&email));
    }
    Ok(Party { name, lines })
}

/// Quote `id` as a document.
pub fn of_quote(crm: &Crm, id: i64, s: &Seller) -> Result<Doc> {
    let sheet = crm.sheet(Entity::Quote, id)?;
    let q = &sheet.doc;
    let p = sheet.places;
    let cur = sheet.currency.as_str();
    let status = q.str("status").unwrap_or("draft");
    let mut heading = vec![
        (
            tr!("documents.quote.number").to_string(),
            q.label().to_string(),
        ),
        (
            tr!("documents.quote.date").to_string(),
            q.text("created_at").chars().take(10).collect(),
        ),
        (
            tr!("documents.quote.valid_until").to_string(),
            q.text("valid_until"),
        ),
        (tr!("documents.quote.currency").to_string(), cur.to_string()),
    ];
    if q.i64("revision").unwrap_or(1) > 1 {
        heading.insert(
            1,
            (
                tr!("documents.quote.revision").to_string(),
                q.text("revision"),
            ),
        );
    }
    if status != "sent" {
        heading.push((
            tr!("documents.quote.status").to_string(),
            choice_label(Entity::Quote, "status", status),
        ));
    }
    let columns: Vec<String> = [
        tr!("documents.quote.col.n"),
        tr!("documents.quote.col.item"),
        tr!("documents.quote.col.qty"),
        tr!("documents.quote.col.unit"),
        tr!("documents.quote.col.price"),
        tr!("documents.quote.col.discount"),
        tr!("documents.quote.col.tax"),
        tr!("documents.quote.col.net"),
    ]
    .map(String::from)
    .to_vec();
    let lines = sheet
        .lines
        .iter()
        .zip(&sheet.worked.lines)
        .map(|(l, w)| {
            let discount = match (money(l.get("discount")), money(l.get("discount_amount"))) {
                (Some(pct), _) => format!("{}%", pct.plain()),
                (None, Some(a)) => a.fixed(p),
                _ => String::new(),
            };
            let mut item = l.label().to_string();
            if let Some(sku) = l.i64("product_id").and_then(|pid| {
                crm.get(Entity::Product, pid)
                    .ok()
                    .and_then(|prod| prod.str("sku").map(str::to_string))
            }) {
                item = format!("{item} ({sku})");
            }
            vec![
                l.text("position"),
                item,
                money(l.get("qty")).unwrap_or_default().plain(),
                l.text("unit"),
                money(l.get("price")).unwrap_or_default().fixed(p),
                discount,
                money(l.get("tax"))
                    .map(|t| format!("{}%", t.plain()))
                    .unwrap_or_default(),
                w.net.fixed(p),
            ]
        })
        .collect();
    let w = &sheet.worked;
    let mut totals = vec![(
        tr!("documents.quote.subtotal").to_string(),
        w.subtotal.fixed(p),
    )];
    if w.discount != Money::ZERO {
        totals.push((
            tr!("documents.quote.discount").to_string(),
            format!("-{}", w.discount.fixed(p)),
        ));
        totals.push((tr!("documents.quote.net").to_string(), w.net.fixed(p)));
    }
    for t in &w.taxes {
        totals.push((
            tr!("documents.quote.tax_at", rate = t.rate.plain()),
            t.tax.fixed(p),
        ));
    }
    if w.rounding != Money::ZERO {
        totals.push((
            tr!("documents.quote.rounding").to_string(),
            w.rounding.fixed(p),
        ));
    }
    totals.push((
        tr!("documents.quote.total", currency = cur),
        w.total.fixed(p),
    ));
    let mut sections = vec![(
        tr!("documents.quote.validity").to_string(),
        tr!("documents.quote.valid_text", date = q.text("valid_until")),
    )];
    for (k, title) in [
        ("terms", tr!("documents.quote.terms")),
        ("notes", tr!("documents.quote.notes")),
    ] {
        if let Some(t) = q.str(k).filter(|t| !t.trim().is_empty()) {
            sections.push((title.to_string(), t.to_string()));
        }
    }
    Ok(Doc {
        title: tr!("documents.quote.title").to_string(),
        heading,
        seller_label: tr!("documents.quote.seller").to_string(),
        seller: seller(s),
        customer_label: tr!("documents.quote.customer").to_string(),
        customer: customer(crm, q)?,
        numeric: vec![true, false, true, false, true, true, true, true],
        columns,
        lines,
        totals,
        sections,
        footer: Some(tr!("documents.quote.footer", number = q.label())),
    })
}
