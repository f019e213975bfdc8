//! The quote-to-cash reports above the store: receivables by age, collections with their
//! rate (回款率), and orders with their margins. The store sums per currency; here the
//! rates are worked out and the groups checked.

use crate::app::crm::Crm;
use crate::app::reports::{Kind, Params, Report};
use crate::core::dates::parse_date;
use crate::core::error::{Error, Result};
use crate::core::money::Money;
use crate::store::{Cell, Reader, Row, Scope};

/// Run the receivables, collections or orders report into `report`.
pub(crate) fn run(
    crm: &Crm,
    r: &Reader<'_>,
    kind: Kind,
    scope: &Scope<'_>,
    by: Option<&str>,
    p: &Params,
    report: &mut Report,
) -> Result<()> {
    let by = by.unwrap_or_default();
    let allowed: &[&str] = match kind {
        Kind::Receivables => &["account", "owner", "contract"],
        Kind::Collections => &["owner", "month"],
        _ => &["product", "category", "account", "owner", "month"],
    };
    if !allowed.contains(&by) {
        return Err(crate::err!(
            Invalid,
            "reports.by_one_of",
            report = kind.name(),
            by = by,
            choices = allowed.join(", ")
        ));
    }
    match kind {
        Kind::Receivables => {
            if scope.from.is_some() || scope.to.is_some() {
                return Err(crate::err!(Invalid, "reports.receivables_as_of"));
            }
            let as_of = match &p.as_of {
                Some(d) => parse_date(d, crm.env.clock.now())
                    .map_err(|e| Error::from(e).context("--as-of"))?,
                None => crm.env.clock.today(),
            }
            .to_string();
            report
                .totals
                .insert("as_of".into(), serde_json::Value::String(as_of.clone()));
            report.tables.push(("groups".into(), {
                let kept = r.contracts_kept(scope, by)?;
                r.report_receivables(scope, &as_of, by, &kept)?
            }));
        }
        Kind::Collections => {
            // The contracts once; what fell due here, what came in on a second connection
            // at the same time.
            let kept = r.contracts_kept(scope, "owner")?;
            let (due, came) = crm.store.read_both(
                |r| r.report_collections(scope, by, false, &kept),
                |r| r.report_collections(scope, by, true, &kept),
            )?;
            let mut groups: std::collections::BTreeMap<(bool, String, String), [i64; 3]> =
                Default::default();
            for row in due.iter().chain(&came) {
                let text = |k: &str| row.get(k).and_then(Cell::as_str).map(str::to_string);
                let currency = text("currency");
                let key = (
                    currency.is_none(),
                    currency.unwrap_or_default(),
                    text(by).unwrap_or_default(),
                );
                let sums = groups.entry(key).or_default();
                for (i, k) in ["planned_minor", "collected_minor", "received_minor"]
                    .iter()
                    .enumerate()
                {
                    sums[i] += row.get(k).and_then(Cell::as_i64).unwrap_or(0);
                }
            }
            let rows = groups
                .into_iter()
                .map(
                    |((none, currency, group), [planned, collected, received])| {
                        let mut row = Row::with_capacity(5);
                        row.insert(by.to_string(), Cell::from(group));
                        row.insert(
                            "currency",
                            if none {
                                Cell::Null
                            } else {
                                Cell::from(currency)
                            },
                        );
                        row.insert("planned_minor", Cell::Int(planned));
                        row.insert("collected_minor", Cell::Int(collected));
                        row.insert("received_minor", Cell::Int(received));
                        collection_row(&row, by)
                    },
                )
                .collect();
            report.tables.push(("groups".into(), rows));
        }
        _ => {
            let mut rows = r.report_orders(scope, by)?;
            for row in rows.iter_mut() {
                let revenue = row.get("revenue").and_then(Cell::as_f64).unwrap_or(0.0);
                let margin = row.get("margin").and_then(Cell::as_f64).unwrap_or(0.0);
                row.insert("margin_rate", rate_of(margin, revenue));
            }
            report.tables.push(("groups".into(), rows));
        }
    }
    Ok(())
}

/// A collections row in units, with its rate: collected / planned, to four places.
fn collection_row(row: &Row, by: &str) -> Row {
    let minor = |k: &str| row.get(k).and_then(Cell::as_i64).unwrap_or(0);
    let (planned, collected, received) = (
        minor("planned_minor"),
        minor("collected_minor"),
        minor("received_minor"),
    );
    let units = |m: i64| Cell::from(Money::from_minor(m).to_f64());
    let mut out = Row::with_capacity(7);
    out.insert(by.to_string(), row.get(by).cloned().unwrap_or_default());
    out.insert("currency", row.get("currency").cloned().unwrap_or_default());
    out.insert("planned", units(planned));
    out.insert("collected", units(collected));
    out.insert("received", units(received));
    out.insert("outstanding", units(planned - collected));
    out.insert(
        "collection_rate",
        if planned == 0 {
            Cell::Null
        } else {
            // Exact to four places: collected × 10,000 / planned, rounded half up.
            Cell::from(((collected as i128 * 20_000 / planned as i128 + 1) / 2) as f64 / 10_000.0)
        },
    );
    out
}

fn rate_of(a: f64, b: f64) -> Cell {
    if b == 0.0 {
        return Cell::Null;
    }
    Cell::from((a / b * 10_000.0).round() / 10_000.0)
}
