//! What the screens draw with: styles, and the text of fields, names, amounts and
//! columns cut to a width. The frame itself (tabs, the screen in front, the status line)
//! is drawn by `draw.rs`, above the screens.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use serde_json::Value;

use crate::model::record::{format_number, Record};
use crate::model::Entity;

/// Styles, with colour or (NO_COLOR) without.
#[derive(Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn accent(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
}

// ---------------------------------------------------------------------------------------
// What the screens share

/// The text of a record's field for display.
pub fn cell(r: &Record, field: &str) -> String {
    match r.fields.get(field) {
        Some(Value::Null) | None => String::new(),
        Some(v) => crate::model::record::value_text(v),
    }
}

/// A field of a record as the interface shows it: amounts grouped, local date-times to
/// the minute, kith's own UTC stamps in local time.
pub fn shown(r: &Record, field: &str) -> String {
    let v = cell(r, field);
    if v.is_empty() {
        return v;
    }
    match r.entity.field(field).map(|f| f.ty) {
        Some(crate::model::Ty::Money) => amount(r, field),
        Some(crate::model::Ty::Percent) => format!("{v}%"),
        Some(crate::model::Ty::When) => crate::core::dates::display(&v),
        Some(crate::model::Ty::Stamp) => local(&v),
        Some(crate::model::Ty::Enum(_) | crate::model::Ty::Bool) => {
            crate::model::record::choice_label(r.entity, field, &v)
        }
        Some(crate::model::Ty::Ref(target)) => crate::model::record::name_label(target, &v),
        _ if field == r.entity.label_field() => crate::model::record::name_label(r.entity, &v),
        _ => v,
    }
}

/// A kind of record as the interface names it ("deal"; the catalog's `tui.kind.<kind>`),
/// which may differ from the word the command line takes (`Entity::name`).
pub fn kind_name(e: Entity) -> &'static str {
    crate::core::text::t(&format!("tui.kind.{}", e.name()))
}

/// Records of a kind as the interface names them ("deals"; `tui.kinds.<kind>`).
pub fn kinds_name(e: Entity) -> &'static str {
    crate::core::text::t(&format!("tui.kinds.{}", e.name()))
}

/// What forms and detail views call a field: the catalog's `tui.field.<name>`
/// (`expected close`), or for a field the catalog does not know (one defined at run time)
/// its name with spaces for underscores.
pub fn field_label(name: &str) -> String {
    label_of("tui.field", name)
}

/// A list's column title: in English the field's name in capitals (`EXPECTED_CLOSE`, as
/// the filter line and the sort take it); in another language the field's label.
pub fn column_title(name: &str) -> String {
    if crate::core::text::language() == "en" {
        name.to_uppercase()
    } else {
        field_label(name)
    }
}

pub use crate::core::text::label_of;

/// A number of a report (a sum, an average): 1234567.5 → "1,234,567.5".
pub fn number(v: f64) -> String {
    let s = format_number(v);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, format!(".{f}")),
        None => (s.as_str(), String::new()),
    };
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    format!("{sign}{}{frac}", crate::core::money::group_digits(digits))
}

/// A record's amount, exactly as stored, as the run shows amounts
/// ([`crate::core::money::Money::shown`]): "1,234,567.5", or "123.45675万".
pub fn amount(r: &Record, field: &str) -> String {
    let v = r.get(field);
    match v.and_then(crate::core::money::Money::from_json) {
        Some(m) => m.shown(),
        // An amount the user's roles mask reads as the mask, shown as it is.
        None => match v {
            Some(Value::String(s)) => s.clone(),
            _ => crate::core::money::Money::default().shown(),
        },
    }
}

pub use crate::core::text::capital;

/// `s` and spaces after it to fill `w` cells: `{:<w$}` counting cells rather than
/// characters, so a wide (CJK) character takes two. Text wider than `w` is left whole.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.push_str(&" ".repeat(w.saturating_sub(s.width())));
    out
}

/// `s` after spaces to fill `w` cells: `{:>w$}` counting cells.
pub fn pad_left(s: &str, w: usize) -> String {
    let mut out = " ".repeat(w.saturating_sub(s.width()));
    out.push_str(s);
    out
}

/// A UTC stamp in local time, to the minute.
pub fn local(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| stamp.to_string())
}

/// Fit text in `w` cells: as it is when it fits, else cut with an ellipsis (…) in the
/// last cell, so a cut never passes for the whole (wide characters count two cells; one
/// that would straddle the edge goes).
pub fn ellipsis(s: &str, w: usize) -> String {
    if s.width() <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = cut(s, w - 1);
    out.push('…');
    out
}

/// A line fitted to `w` cells: as it is when it fits, else cut where it passes `w` with
/// an ellipsis in the last cell ([`ellipsis`], span by span, each keeping its style).
pub fn fit_line(line: Line<'_>, w: usize) -> Line<'_> {
    if line.width() <= w {
        return line;
    }
    let style = line.style;
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let sw = span.content.width();
        if used + sw < w {
            used += sw;
            spans.push(span);
            continue;
        }
        // The span that reaches the edge: cut it, and end in … there.
        let room = w - used;
        spans.push(Span::styled(ellipsis(&span.content, room), span.style));
        if ellipsis(&span.content, room) == span.content.as_ref() && room > 0 {
            // It fitted exactly: the cut is at the next span.
            spans.pop();
            let mut cut_span = cut(&span.content, room.saturating_sub(1));
            cut_span.push('…');
            spans.push(Span::styled(cut_span, span.style));
        }
        break;
    }
    Line::from(spans).style(style)
}

/// Break text into lines of at most `w` cells: at spaces, or anywhere in a word too long
/// for a line (Chinese text has no spaces; wide characters count two cells).
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for word in s.split(' ') {
        let sep = usize::from(!line.is_empty());
        if line.width() + sep + word.width() <= w {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        while rest.width() > w {
            let head = cut(rest, w);
            if head.is_empty() {
                break;
            }
            rest = &rest[head.len()..];
            lines.push(head);
        }
        line.push_str(rest);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Cut a label to `w` cells.
pub fn cut(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    out
}
/// Clear where a popup goes, and the cell left of it: a wide (CJK) character that starts
/// there would otherwise reach into the popup and hide its border.
pub fn clear(f: &mut Frame, area: Rect) {
    let grow = u16::from(area.x > 0);
    f.render_widget(
        Clear,
        Rect {
            x: area.x - grow,
            width: area.width + grow,
            ..area
        },
    );
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(number(1234567.5), "1,234,567.5");
        assert_eq!(number(999.0), "999");
        assert_eq!(number(1000.0), "1,000");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-1234.25), "-1,234.25");
    }

    /// Every kind's names are in the catalog (their ids are made at run time).
    #[test]
    fn every_kind_has_its_names_in_the_catalog() {
        for e in Entity::ALL {
            for id in [
                format!("tui.kind.{}", e.name()),
                format!("tui.kinds.{}", e.name()),
            ] {
                assert!(crate::core::text::has(&id), "no message {id:?}");
            }
        }
        assert_eq!(kinds_name(Entity::Activity), "activities");
    }

    /// Every field of every kind has its label in the catalog.
    #[test]
    fn every_field_has_its_label_in_the_catalog() {
        for e in Entity::ALL {
            for f in e.fields() {
                let id = format!("tui.field.{}", f.name);
                assert!(crate::core::text::has(&id), "no message {id:?}");
            }
        }
        assert_eq!(field_label("expected_close"), "expected close");
        assert_eq!(field_label("no_such_field"), "no such field");
    }

    #[test]
    fn padding_counts_cells() {
        assert_eq!(pad("quit", 6), "quit  ");
        assert_eq!(pad("退出", 6), "退出  ");
        assert_eq!(pad("toolong", 4), "toolong");
        assert_eq!(pad_left("7", 3), "  7");
        assert_eq!(pad_left("金额", 5), " 金额");
    }

    #[test]
    fn lines_are_fitted_with_an_ellipsis_span_by_span() {
        let text = |l: Line| {
            l.spans
                .iter()
                .map(|s| s.content.to_string())
                .collect::<String>()
        };
        let line = || {
            Line::from(vec![
                Span::raw("  ☐ "),
                Span::raw("发送报价单"),
                Span::raw("  · Acme"),
            ])
        };
        assert_eq!(text(fit_line(line(), 40)), "  ☐ 发送报价单  · Acme");
        assert_eq!(text(fit_line(line(), 20)), "  ☐ 发送报价单  · A…");
        assert_eq!(text(fit_line(line(), 10)), "  ☐ 发送…");
        assert_eq!(fit_line(line(), 10).width(), 9);
        // A span that ends at the edge with more after it: cut there.
        assert_eq!(text(fit_line(line(), 14)), "  ☐ 发送报价…");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_long_or_chinese_words() {
        assert_eq!(
            wrap("log a call, visit, meeting on the selected record", 20),
            vec!["log a call, visit,", "meeting on the", "selected record"]
        );
        assert_eq!(
            wrap("在所选记录上记录一次通话", 10),
            vec!["在所选记录", "上记录一次", "通话"]
        );
        assert_eq!(wrap("short", 20), vec!["short"]);
        assert_eq!(wrap("", 20), vec![""]);
        for l in wrap("abcdefghij klm", 4) {
            assert!(l.width() <= 4, "{l}");
        }
    }

    #[test]
    fn ellipsis_marks_a_cut_by_display_width() {
        assert_eq!(ellipsis("Cargo terminal lease", 18), "Cargo terminal le…");
        assert_eq!(ellipsis("Cargo terminal lease", 20), "Cargo terminal lease");
        assert_eq!(ellipsis("Cargo terminal lease", 19), "Cargo terminal lea…");
        // Wide characters take two cells; the one that would straddle the edge goes.
        assert_eq!(ellipsis("航站楼安检系统升级", 18), "航站楼安检系统升级");
        assert_eq!(ellipsis("航站楼安检系统升级", 17), "航站楼安检系统升…");
        assert_eq!(ellipsis("航站楼安检系统升级", 16), "航站楼安检系统…");
        assert_eq!(ellipsis("航站楼安检系统升级", 16).width(), 15);
        assert_eq!(ellipsis("abc", 1), "…");
        assert_eq!(ellipsis("abc", 0), "");
    }
}
