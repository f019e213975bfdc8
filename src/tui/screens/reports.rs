//! The reports screen: the seven reports, the selected one run with the period, grouping
//! and filter chosen, as a table and a chart.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::crm::Crm;
use crate::app::reports::{Kind, Params, Report};
use crate::app::tui_reads as data;
use crate::core::error::Result;
use crate::model::query::Filter;
use crate::model::record::format_number;
use crate::tui::screens::list::fit_widths;
use crate::tui::view::{capital, cut, number, pad, Theme};

/// The periods `p` cycles through, in order; shown as [`period_name`] gives them.
pub const PERIODS: [&str; 5] = [
    "all time",
    "this month",
    "last month",
    "this quarter",
    "this year",
];

/// A period of [`PERIODS`] as the screen names it (the catalog's
/// `tui.report.period.<period>`).
pub fn period_name(i: usize) -> &'static str {
    crate::core::text::t(&format!(
        "tui.report.period.{}",
        PERIODS[i % PERIODS.len()].replace(' ', "_")
    ))
}

/// What `b` cycles through for a report; the first is the report's default.
pub fn groupings(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Winloss => &["owner", "source", "competitor", "reason", "tags"],
        Kind::Forecast => &["month", "week", "quarter"],
        Kind::Activity => &["owner", "day", "week", "month"],
        Kind::Customers => &["revenue", "profit"],
        Kind::Leads => &["source", "owner"],
        Kind::Receivables => &["account", "owner", "contract"],
        Kind::Collections => &["owner", "month"],
        Kind::Orders => &["product", "category", "account", "owner", "month"],
        Kind::Service => &[
            "type", "priority", "owner", "channel", "month", "product", "account",
        ],
        Kind::Pipeline | Kind::Funnel => &[],
    }
}

/// A report's name as the screen says it (`tui.report.name.<kind>`: 销售漏斗 for the
/// funnel); the command line takes `Kind::name`.
pub fn report_name(kind: Kind) -> String {
    crate::tui::view::label_of("tui.report.name", kind.name())
}

/// A grouping's name as the screen says it (`tui.report.grouping.<by>`: 负责人 for
/// `owner`); any other (a custom field's name) as it is.
pub fn grouping_name(by: &str) -> String {
    crate::tui::view::label_of("tui.report.grouping", by)
}

/// The first and last day of a period (`PERIODS[i]`), as date words where kith has
/// them, else as dates from `today`.
pub fn period_bounds(i: usize, today: chrono::NaiveDate) -> (Option<String>, Option<String>) {
    let words = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
    match i {
        1 => words("som", "eom"),
        2 => {
            use chrono::{Datelike, Months};
            let first = today.with_day(1).unwrap_or(today);
            let prev = first.checked_sub_months(Months::new(1)).unwrap_or(first);
            let last = first.pred_opt().unwrap_or(first);
            (
                Some(prev.format("%Y-%m-%d").to_string()),
                Some(last.format("%Y-%m-%d").to_string()),
            )
        }
        3 => words("soq", "eoq"),
        4 => words("soy", "eoy"),
        _ => (None, None),
    }
}

/// The reports screen: the seven reports, the selected one run with the period,
/// grouping and filter chosen.
pub struct Reports {
    /// Index in `Kind::ALL`.
    pub selected: usize,
    /// Index in `PERIODS`.
    pub period: usize,
    /// Per report (index in `Kind::ALL`), the index in its `groupings`.
    pub grouping: [usize; Kind::ALL.len()],
    /// The filter line as typed, and as parsed.
    pub filter_text: String,
    pub filter: Filter,
    /// The selected report's result; None when it failed (`error` says why).
    pub report: Option<Report>,
    pub error: Option<String>,
    /// Whether the keys move over the rows of the report's main table (else in the list
    /// of reports), and the row selected there.
    pub in_table: bool,
    pub row: usize,
    /// The report a tab of its own opened the screen on (`View::Report`), if one did.
    pub opened_on: Option<Kind>,
}

impl Reports {
    pub fn new() -> Reports {
        Reports {
            selected: 0,
            period: 0,
            grouping: [0; Kind::ALL.len()],
            filter_text: String::new(),
            filter: Filter::default(),
            report: None,
            error: None,
            in_table: false,
            row: 0,
            opened_on: None,
        }
    }

    /// The screen opened on report `kind`, from its own tab.
    pub fn on(kind: Kind) -> Reports {
        Reports {
            selected: Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0),
            opened_on: Some(kind),
            ..Reports::new()
        }
    }

    /// The rows of the report's main table (none when it has not run).
    pub fn main_rows(&self) -> &[data::Row] {
        self.report
            .as_ref()
            .and_then(|r| r.tables.first())
            .map_or(&[], |t| &t.1[..])
    }

    pub fn kind(&self) -> Kind {
        Kind::ALL[self.selected.min(Kind::ALL.len() - 1)]
    }

    /// What the selected report is grouped by, when it has a choice.
    pub fn by(&self) -> Option<&'static str> {
        groupings(self.kind())
            .get(self.grouping[self.selected])
            .copied()
    }

    pub fn params(&self, today: chrono::NaiveDate) -> Params {
        let (from, to) = period_bounds(self.period, today);
        Params {
            filter: self.filter.clone(),
            from,
            to,
            by: self.by().map(str::to_string),
            pipeline: None,
            dormant_days: None,
            as_of: None,
            basis: None,
            currency: None,
        }
    }
}

impl Default for Reports {
    fn default() -> Reports {
        Reports::new()
    }
}

/// Keys that hold a share (0–1), shown as a percentage.
fn is_rate(key: &str) -> bool {
    key.ends_with("rate") || matches!(key, "conversion" | "coverage")
}

/// A report's value as the screen shows it: amounts grouped, shares as percentages.
fn report_text(kind: Kind, key: &str, v: &data::Cell) -> String {
    use data::Cell as C;
    let number = |x: f64, id: String| {
        if is_rate(key) {
            format!("{:.1}%", x * 100.0)
        } else if key == "probability" {
            format!("{}%", format_number(x))
        } else if key.ends_with("id") {
            id
        } else if crate::app::reports::is_amount(key) {
            crate::core::money::Money::from_f64(x)
                .map(crate::core::money::Money::shown)
                .unwrap_or_else(|| number(x))
        } else {
            number(x)
        }
    };
    match v {
        C::Null => "–".into(),
        C::Bool(b) => if *b {
            crate::tr!("tui.report.yes")
        } else {
            crate::tr!("tui.report.no")
        }
        .into(),
        C::Int(i) => number(*i as f64, i.to_string()),
        C::Float(f) => number(*f, serde_json::Value::from(*f).to_string()),
        C::Text(s) if s.is_empty() => "–".into(),
        C::Text(s) if key.starts_with("last_") => crate::core::dates::display(s),
        C::Text(s) => crate::app::reports::text_shown(kind, key, s),
    }
}

/// 1280000 → "1.28M", 350000 → "350k": short enough to sit on a bar; in 万 and 亿 when
/// the run shows amounts so ("128万", "35万").
fn short_amount(v: f64) -> String {
    use crate::core::money::{amounts, Amounts, Money};
    if amounts() == Amounts::Wan {
        return Money::from_f64(v).unwrap_or_default().short_wan();
    }
    let a = v.abs();
    let (x, unit) = if a >= 1e9 {
        (v / 1e9, crate::tr!("tui.reports.unit.billions"))
    } else if a >= 1e6 {
        (v / 1e6, crate::tr!("tui.reports.unit.millions"))
    } else if a >= 1e3 {
        (v / 1e3, crate::tr!("tui.reports.unit.thousands"))
    } else {
        (v, "")
    };
    let s = if x.abs() >= 100.0 || unit.is_empty() {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}{unit}")
}

/// Columns of a report dropped first when the table is too wide, least useful first.
const REPORT_DROP_ORDER: &[&str] = &[
    "account_id",
    "recency",
    "frequency",
    "monetary",
    "won_deals",
    "last_won",
    "probability",
    "notes",
    "emails",
    "disqualified",
    "touched",
    "lost_amount",
    "profit",
    "last_activity",
    "avg_days",
    "outcome",
    "tier",
    "deals",
];

/// The columns a report table shows, their widths, and which hold numbers (right-aligned).
#[derive(Default)]
struct Shape {
    cols: Vec<String>,
    widths: Vec<u16>,
    numeric: Vec<bool>,
}

impl Shape {
    /// Its width in cells, the gaps included.
    fn width(&self) -> usize {
        self.widths.iter().map(|w| *w as usize).sum::<usize>()
            + 2 * self.widths.len().saturating_sub(1)
    }
}

/// A report table's columns and their widths in `room` cells: the least useful columns
/// dropped first when it is too wide, never the row's name or `measure` (what the chart
/// shows).
fn report_table_width(kind: Kind, rows: &[data::Row], room: usize, measure: Option<&str>) -> Shape {
    let Some(first) = rows.first() else {
        return Shape::default();
    };
    let all: Vec<String> = first.keys().map(String::from).collect();
    let natural: Vec<usize> = all
        .iter()
        .map(|k| {
            rows.iter()
                .map(|r| report_text(kind, k, r.get(k).unwrap_or(&data::Cell::Null)).width())
                .max()
                .unwrap_or(0)
                .max(header_text(k).width())
                .min(24)
        })
        .collect();
    let mut keep: Vec<usize> = (0..all.len()).collect();
    let need = |keep: &[usize]| {
        keep.iter().map(|&i| natural[i]).sum::<usize>() + 2 * keep.len().saturating_sub(1)
    };
    // The first column names the row (customers: the name after the id).
    let label = all.iter().position(|k| k == "name").unwrap_or(0);
    for name in REPORT_DROP_ORDER {
        if need(&keep) <= room || keep.len() <= 2 {
            break;
        }
        if Some(*name) == measure {
            continue;
        }
        keep.retain(|&i| all[i] != *name || i == label);
    }
    // A number is never cut (63,633.34 must not read 3,633.34): the text columns give up
    // room first, down to 12, then the last columns that are neither the row's name, the
    // measure nor what the report is about go; the room left goes back to the text.
    let numeric: Vec<bool> = all.iter().map(|k| is_numeric(rows, k)).collect();
    let kept =
        |i: usize| i == label || Some(all[i].as_str()) == measure || essential(kind, &all[i]);
    let mut widths: Vec<usize> = keep.iter().map(|&i| natural[i]).collect();
    let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
    while total(&widths) > room {
        let text = (0..widths.len())
            .filter(|&j| !numeric[keep[j]] && widths[j] > 12)
            .max_by_key(|&j| widths[j]);
        if let Some(j) = text {
            widths[j] -= 1;
            continue;
        }
        match (0..keep.len()).rev().find(|&j| !kept(keep[j])) {
            Some(j) => {
                keep.remove(j);
                widths.remove(j);
            }
            // What must stay is wider than the room: cut as any list cuts.
            None => {
                let label = keep.iter().position(|&i| i == label);
                let cut = fit_widths(widths, room, 2, label);
                return Shape {
                    numeric: keep.iter().map(|&i| numeric[i]).collect(),
                    cols: keep.into_iter().map(|i| all[i].clone()).collect(),
                    widths: cut,
                };
            }
        }
    }
    for (j, &i) in keep.iter().enumerate() {
        let spare = room.saturating_sub(total(&widths));
        widths[j] += spare.min(natural[i].saturating_sub(widths[j]));
    }
    Shape {
        numeric: keep.iter().map(|&i| numeric[i]).collect(),
        cols: keep.into_iter().map(|i| all[i].clone()).collect(),
        widths: widths.into_iter().map(|w| w as u16).collect(),
    }
}

/// The columns a report is about, kept on a narrow screen while others go: what is owed,
/// what fell due, was collected and the rate, what was sold and earned.
fn essential(kind: Kind, key: &str) -> bool {
    match kind {
        Kind::Receivables => matches!(key, "currency" | "open"),
        Kind::Collections => matches!(
            key,
            "currency" | "planned" | "collected" | "collection_rate"
        ),
        Kind::Orders => matches!(key, "currency" | "revenue" | "margin"),
        _ => false,
    }
}

/// Whether a report's column holds numbers (shown right-aligned, never cut).
fn is_numeric(rows: &[data::Row], k: &str) -> bool {
    use data::Cell as C;
    rows.iter()
        .any(|r| matches!(r.get(k), Some(C::Int(_) | C::Float(_))))
        && rows
            .iter()
            .all(|r| matches!(r.get(k), Some(C::Int(_) | C::Float(_) | C::Null) | None))
}

/// A column's header: its label (`tui.report.column.<key>`), in capitals.
fn header_text(key: &str) -> String {
    crate::tui::view::label_of("tui.report.column", key).to_uppercase()
}

/// Draw one table of a report in `area`.
fn draw_report_table(
    f: &mut Frame,
    kind: Kind,
    rows: &[data::Row],
    shape: &Shape,
    t: Theme,
    area: Rect,
    selected: Option<usize>,
) {
    let Shape {
        cols,
        widths,
        numeric,
    } = shape;
    if rows.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(crate::tr!("tui.report.nothing"), t.dim())),
            area,
        );
        return;
    }
    let align = |text: String, right: bool| {
        let line = Line::from(text);
        Cell::from(if right { line.right_aligned() } else { line })
    };
    // Headers are cut at their end, also when right-aligned.
    let header = Row::new(
        cols.iter()
            .zip(numeric)
            .zip(widths)
            .map(|((k, n), w)| align(cut(&header_text(k), *w as usize), *n)),
    )
    .style(t.header());
    let body: Vec<Row> = rows
        .iter()
        .map(|r| {
            Row::new(cols.iter().zip(numeric).map(|(k, n)| {
                align(
                    report_text(kind, k, r.get(k).unwrap_or(&data::Cell::Null)),
                    *n,
                )
            }))
        })
        .collect();
    let table = Table::new(body, widths.iter().map(|w| Constraint::Length(*w)))
        .header(header)
        .column_spacing(2)
        .row_highlight_style(t.selected());
    // The selected row (in the rows): scrolled to when the table is taller than its room.
    let mut state = ratatui::widgets::TableState::default().with_selected(selected);
    f.render_stateful_widget(table, area, &mut state);
}

/// What a report's chart shows: a title and (label, value, value as text) per bar.
struct ChartData {
    title: String,
    bars: Vec<(String, u64, String)>,
}

fn num(r: &data::Row, k: &str) -> f64 {
    r.get(k).and_then(data::Cell::as_f64).unwrap_or(0.0)
}

/// A report row's label with the currency of its sums, when it has one ("proposal CNY"):
/// rows of one stage or owner in two currencies are two bars.
fn with_currency(r: &data::Row, label: String) -> String {
    match r.get("currency").and_then(data::Cell::as_str) {
        Some(c) => format!("{label} {c}"),
        None => label,
    }
}

fn label_of(kind: Kind, r: &data::Row, k: &str) -> String {
    match r.get(k) {
        Some(data::Cell::Text(s)) if !s.is_empty() => crate::app::reports::text_shown(kind, k, s),
        Some(data::Cell::Null) | None => crate::tr!("tui.report.none").into(),
        Some(v) => report_text(kind, k, v),
    }
}

/// Sum `value` per distinct `key`, in the order the keys first appear.
fn sum_by(kind: Kind, rows: &[data::Row], key: &str, value: &str) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for r in rows {
        let k = label_of(kind, r, key);
        let v = num(r, value);
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some((_, total)) => *total += v,
            None => out.push((k, v)),
        }
    }
    out
}

/// The main measure of a report, as bars (all but the forecast, which has its own chart).
fn chart_data(r: &Reports, rows: &[data::Row]) -> ChartData {
    use crate::app::reports::Kind;
    let amount = |v: f64| (v.max(0.0).round() as u64, short_amount(v));
    let count = |v: f64| (v.max(0.0).round() as u64, number(v));
    let bars = |pairs: Vec<(String, f64)>, money: bool| {
        pairs
            .into_iter()
            .map(|(l, v)| {
                let (n, s) = if money { amount(v) } else { count(v) };
                (l, n, s)
            })
            .collect()
    };
    let first = rows
        .first()
        .and_then(|r| r.keys().next().map(String::from))
        .unwrap_or_default();
    let col = |k: &str| -> Vec<(String, f64)> {
        rows.iter()
            .map(|x| (with_currency(x, label_of(r.kind(), x, &first)), num(x, k)))
            .collect()
    };
    match r.kind() {
        Kind::Pipeline => ChartData {
            title: crate::tr!("tui.report.chart.pipeline").into(),
            bars: bars(col("amount"), true),
        },
        Kind::Funnel => ChartData {
            title: crate::tr!("tui.report.chart.funnel").into(),
            bars: bars(col("entered"), false),
        },
        Kind::Winloss => ChartData {
            title: crate::tr!("tui.report.chart.winloss", by = grouping_name(&first)),
            bars: bars(col("won_amount"), true),
        },
        Kind::Activity => {
            let by = if r.by() == Some("owner") {
                "owner"
            } else {
                "period"
            };
            ChartData {
                title: crate::tr!("tui.report.chart.activity", by = grouping_name(by)),
                bars: bars(sum_by(r.kind(), rows, by, "total"), false),
            }
        }
        Kind::Customers => {
            let key = if r.by() == Some("profit") {
                "profit"
            } else {
                "won_amount"
            };
            let top: Vec<(String, f64)> = rows
                .iter()
                .map(|x| (with_currency(x, label_of(r.kind(), x, "name")), num(x, key)))
                .filter(|(_, v)| *v > 0.0)
                .collect();
            ChartData {
                title: if key == "profit" {
                    crate::tr!("tui.report.chart.customers_profit")
                } else {
                    crate::tr!("tui.report.chart.customers_won")
                }
                .into(),
                bars: bars(top, true),
            }
        }
        Kind::Receivables => ChartData {
            title: crate::tr!("tui.report.chart.receivables", by = grouping_name(&first)),
            bars: bars(col("open"), true),
        },
        Kind::Collections => ChartData {
            title: crate::tr!("tui.report.chart.collections", by = grouping_name(&first)),
            bars: bars(col("collected"), true),
        },
        Kind::Orders => ChartData {
            title: crate::tr!("tui.report.chart.orders", by = grouping_name(&first)),
            bars: bars(col("revenue"), true),
        },
        Kind::Leads => ChartData {
            title: crate::tr!("tui.report.chart.leads", by = grouping_name(&first)),
            bars: bars(col("leads"), false),
        },
        Kind::Service => ChartData {
            title: crate::tr!("tui.report.chart.service", by = grouping_name(&first)),
            bars: bars(col("opened"), false),
        },
        Kind::Forecast => ChartData {
            title: crate::tr!("tui.report.chart.forecast").into(),
            bars: vec![],
        },
    }
}

fn draw_chart(f: &mut Frame, r: &Reports, rows: &[data::Row], t: Theme, area: Rect) {
    use ratatui::widgets::{Bar, BarChart, BarGroup, Sparkline};
    let data = chart_data(r, rows);
    let block = Block::bordered().title(Span::styled(format!(" {} ", data.title), t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    if r.kind() == crate::app::reports::Kind::Forecast {
        // Per period: best case and won side by side; below, the weighted amount as a
        // sparkline.
        let spark_h = u16::from(inner.height >= 6);
        let [bars_area, spark_area] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(spark_h)]).areas(inner);
        // A period's label ("2026-W47 CNY") fits under its two bars, so labels never run
        // into each other; the latest periods are shown (what is coming, the last year),
        // as many as fit.
        let label_w = rows
            .iter()
            .map(|p| with_currency(p, label_of(r.kind(), p, "period")).width())
            .max()
            .unwrap_or(0) as u16;
        let bar_w = 5u16.max(label_w.saturating_sub(1).div_ceil(2));
        // A group takes its two bars, a gap after each, and the gap between groups.
        let gap = 2u16;
        let stride = bar_w * 2 + 2 + gap;
        let fit = ((bars_area.width + 3) / stride).max(1) as usize;
        let shown: Vec<&data::Row> = rows.iter().skip(rows.len().saturating_sub(fit)).collect();
        let mut chart = BarChart::default()
            .bar_width(bar_w)
            .bar_gap(1)
            .group_gap(gap)
            .value_style(t.selected())
            .bar_style(t.accent());
        for p in &shown {
            let (best, won) = (num(p, "best_case"), num(p, "won_amount"));
            let bar = |label: &'static str, v: f64, style: Style| {
                Bar::default()
                    .label(Line::from(label))
                    .value(v.max(0.0).round() as u64)
                    .text_value(short_amount(v))
                    .style(style)
            };
            chart = chart.data(
                BarGroup::default()
                    .label(Line::from(with_currency(
                        p,
                        label_of(r.kind(), p, "period"),
                    )))
                    .bars(&[
                        bar(crate::tr!("tui.report.chart.best"), best, t.accent()),
                        bar(crate::tr!("tui.report.chart.won"), won, t.good()),
                    ]),
            );
        }
        f.render_widget(chart, bars_area);
        if spark_h > 0 && !shown.is_empty() {
            let label = format!("{} ", crate::tr!("tui.report.chart.weighted"));
            let [l, s] =
                Layout::horizontal([Constraint::Length(label.width() as u16), Constraint::Min(1)])
                    .areas(spark_area);
            f.render_widget(Paragraph::new(Span::styled(label, t.dim())), l);
            // Each period gets the same share of the width.
            let each = ((s.width as usize) / shown.len()).max(1);
            let values: Vec<u64> = shown
                .iter()
                .flat_map(|p| std::iter::repeat_n(num(p, "weighted").max(0.0).round() as u64, each))
                .collect();
            f.render_widget(Sparkline::default().data(&values).style(t.good()), s);
        }
        return;
    }
    if data.bars.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                crate::tr!("tui.report.nothing_to_chart"),
                t.dim(),
            )),
            inner,
        );
        return;
    }
    let longest = data
        .bars
        .iter()
        .map(|(l, _, _)| l.width())
        .max()
        .unwrap_or(0);
    let label_w = longest.min(18).min((inner.width as usize / 2).max(4));
    let bars: Vec<Bar> = data
        .bars
        .iter()
        .take(inner.height as usize)
        .map(|(label, v, text)| {
            Bar::default()
                .label(Line::from(cut(label, label_w)))
                .value(*v)
                .text_value(text.clone())
        })
        .collect();
    let chart = BarChart::horizontal(bars)
        .bar_width(1)
        .bar_gap(0)
        .bar_style(t.accent())
        .value_style(t.selected());
    f.render_widget(chart, inner);
}

pub fn draw_reports(f: &mut Frame, r: &Reports, t: Theme, area: Rect) {
    use crate::app::reports::Kind;
    // As wide as the longest name (receivables, 应收账款), with its borders and margin.
    let name_w = Kind::ALL
        .iter()
        .map(|k| report_name(*k).width())
        .max()
        .unwrap_or(10)
        .max(10);
    let list_w = (name_w as u16 + 3).min(area.width);
    let [list, main] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(1)]).areas(area);
    let lines: Vec<Line> = Kind::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let line = Line::from(format!(" {}", pad(&report_name(*k), name_w)));
            if i == r.selected && r.in_table {
                // The keys are in the rows: the report chosen stays marked.
                line.patch_style(t.accent())
            } else if i == r.selected {
                line.patch_style(t.selected())
            } else {
                line
            }
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(Span::styled(
            format!(" {} ", crate::tr!("tui.report.list")),
            t.title(),
        ))),
        list,
    );

    let kind = r.kind();
    let mut title = format!(
        " {} · {}",
        capital(&report_name(kind)),
        period_name(r.period)
    );
    if let Some(by) = r.by() {
        title.push_str(&format!(
            " · {}",
            crate::tr!("tui.report.by", by = grouping_name(by))
        ));
    }
    if !r.filter_text.is_empty() {
        title.push_str(&format!(" · / {}", r.filter_text));
    }
    title.push(' ');
    let block = Block::bordered().title(Span::styled(title, t.title()));
    let inner = block.inner(main);
    f.render_widget(block, main);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let mut lines = vec![Line::from(Span::styled(kind.about(), t.dim()))];
    // The line on what the report shows wraps on a narrow screen.
    let about_h = kind.about().width().div_ceil(inner.width as usize).max(1) as u16;
    let Some(report) = &r.report else {
        let msg = r
            .error
            .clone()
            .unwrap_or_else(|| crate::tr!("tui.report.not_run").into());
        lines.push(Line::from(Span::styled(msg, t.error())));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    };
    if !report.totals.is_empty() {
        let parts: Vec<String> = report
            .totals
            .iter()
            .map(|(k, v)| {
                let v = data::Cell::from_json(v);
                format!(
                    "{} {}",
                    crate::tui::view::label_of("tui.report.total", k),
                    report_text(kind, k, &v)
                )
            })
            .collect();
        lines.push(Line::from(Span::styled(parts.join(" · "), t.accent())));
    }
    let head_h = lines.len() as u16 + about_h - 1;
    let [head, rest] = Layout::vertical([
        Constraint::Length(head_h.min(inner.height)),
        Constraint::Min(0),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), head);

    let main_rows: &[data::Row] = report.tables.first().map(|x| &x.1[..]).unwrap_or(&[]);
    let room = rest.width as usize;
    let measure = match (kind, r.by()) {
        (Kind::Customers, Some("profit")) => Some("profit"),
        _ => None,
    };
    let shape = report_table_width(kind, main_rows, room, measure);
    let table_w = shape.width();
    // The chart beside the tables when there is room for both, else below them.
    let chart_w = if kind == Kind::Forecast {
        // Three periods at least, of two bars each.
        14 * main_rows.len().clamp(3, 6) + 2
    } else {
        34
    };
    let beside = room >= table_w.max(30) + 2 + chart_w;
    let (tables_area, chart_area) = if beside {
        let [a, b] = Layout::horizontal([
            Constraint::Length(table_w.max(30) as u16),
            Constraint::Min(1),
        ])
        .spacing(2)
        .areas(rest);
        (a, Some(b))
    } else {
        (rest, None)
    };
    // Heights: each table its rows and a header (one line when empty), a title line for
    // tables after the first; below, the chart gets what is left, if that is enough.
    let extra: Vec<&(String, Vec<data::Row>)> = report.tables.iter().skip(1).collect();
    let main_h = main_rows.len() as u16 + 1;
    let extra_h: u16 = extra.iter().map(|(_, rows)| rows.len() as u16 + 3).sum();
    let (tables_area, chart_area) = match chart_area {
        Some(c) => (tables_area, Some(c)),
        None => {
            let left = tables_area.height.saturating_sub(main_h + 1 + extra_h);
            let chart_h = if kind == Kind::Forecast {
                left.min(12)
            } else {
                left.min(chart_data(r, main_rows).bars.len().max(1) as u16 + 2)
            };
            if chart_h >= 3 {
                let [a, b] = Layout::vertical([Constraint::Min(1), Constraint::Length(chart_h)])
                    .areas(tables_area);
                (a, Some(b))
            } else {
                (tables_area, None)
            }
        }
    };
    let mut y = tables_area.y + 1;
    let bottom = tables_area.y + tables_area.height;
    let mut place = |h: u16| -> Option<Rect> {
        if y >= bottom {
            return None;
        }
        let h = h.min(bottom - y);
        let r = Rect {
            x: tables_area.x,
            y,
            width: tables_area.width,
            height: h,
        };
        y += h;
        Some(r)
    };
    if let Some(a) = place(main_h) {
        let selected = r.in_table.then_some(r.row);
        draw_report_table(f, kind, main_rows, &shape, t, a, selected);
    }
    for (name, rows) in extra {
        let _ = place(1);
        if let Some(a) = place(1) {
            let what = capital(&crate::tui::view::label_of("tui.report.table", name));
            f.render_widget(Paragraph::new(Span::styled(what, t.title())), a);
        }
        let shape = report_table_width(kind, rows, tables_area.width as usize, None);
        if let Some(a) = place(rows.len().max(1) as u16 + 1) {
            draw_report_table(f, kind, rows, &shape, t, a, None);
        }
    }
    if let Some(c) = chart_area {
        let c = if beside {
            // Beside the table, the chart is no taller than it needs to be.
            let want = if kind == Kind::Forecast {
                14
            } else {
                chart_data(r, main_rows).bars.len().max(1) as u16 + 2
            };
            Rect {
                y: c.y + 1,
                height: want.min(c.height.saturating_sub(1)),
                ..c
            }
        } else {
            c
        };
        draw_chart(f, r, main_rows, t, c);
    }
}

/// Run the selected report again.
pub fn load_report(crm: &Crm, r: &mut Reports) -> Result<()> {
    let kind = r.kind();
    match crate::app::reports::run(crm, kind, &r.params(crm.env.clock.today())) {
        Ok(report) => {
            r.report = Some(report);
            r.error = None;
            // The row selected stays, on a table that may have fewer rows now.
            let n = r.main_rows().len();
            r.row = r.row.min(n.saturating_sub(1));
            if n == 0 {
                r.in_table = false;
            }
            Ok(())
        }
        Err(e) => {
            r.report = None;
            r.error = Some(e.to_string());
            r.in_table = false;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every period has its name in the catalog (its id is made from the period).
    #[test]
    fn every_period_has_its_name_in_the_catalog() {
        for p in PERIODS {
            let id = format!("tui.report.period.{}", p.replace(' ', "_"));
            assert!(crate::core::text::has(&id), "no message {id:?}");
        }
        assert_eq!(period_name(3), "this quarter");
    }

    /// Every report and every grouping the screen offers has its name in the catalog.
    #[test]
    fn every_report_and_grouping_has_its_name_in_the_catalog() {
        for k in Kind::ALL {
            let id = format!("tui.report.name.{}", k.name());
            assert!(crate::core::text::has(&id), "no message {id:?}");
            for by in groupings(k) {
                let id = format!("tui.report.grouping.{by}");
                assert!(crate::core::text::has(&id), "no message {id:?}");
            }
        }
    }
}
