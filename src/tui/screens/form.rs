//! A form to add or edit a record: one line per field, links chosen from a picker,
//! dates read as you type.

use chrono::NaiveDateTime;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::app::crm::Input;
use crate::core::dates::{parse_when, When};
use crate::core::error::{Error, Result};
use crate::model::custom::Custom;
use crate::model::record::{choice_label, value_text, Record};
use crate::model::Entity;
use crate::model::Ty;
use crate::tui::input::TextInput;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::screens::palette::{Pick, Picker};
use crate::tui::view::{field_label, kind_name, pad_left, Theme};

pub struct Form {
    pub entity: Entity,
    /// The record edited; None for a new one.
    pub id: Option<i64>,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// A message that names no field.
    pub error: Option<String>,
    /// The focused field is to be edited in `$EDITOR` (the event loop, which owns the
    /// terminal, runs it: [`App::editor_request`]).
    pub wants_editor: bool,
}

pub struct FormField {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub value: TextInput,
    /// The record's value (edits send only what changed); empty in a new form.
    pub original: String,
    /// The text when the form opened, prefilled values included (esc asks before it
    /// throws away a change).
    pub opened: String,
    /// The id chosen in the picker for a link field, while its text is unchanged.
    pub picked: Option<i64>,
    pub error: Option<String>,
}

impl FormField {
    /// The name shown (`tui.field.<name>`: `expected close` for expected_close).
    pub fn label(&self) -> String {
        field_label(self.name)
    }

    /// A field of several lines (notes, descriptions, an activity's body): enter adds a
    /// line, up and down move between its lines.
    pub fn multiline(&self) -> bool {
        self.ty == Ty::LongText
    }
}

/// The fields a form shows for a kind of record, in order (those `E` writes as text, in
/// the same order).
fn form_fields(e: Entity, custom: &Custom) -> Vec<&'static crate::model::Field> {
    crate::app::record_text::editable_fields(e, custom)
}

/// What date words mean, as a hint while they are typed: "Fri 2026-11-27 09:00" (the day
/// alone when `date_only`), or why they mean nothing.
pub fn when_hint(text: &str, now: NaiveDateTime, date_only: bool) -> Result<String, String> {
    let day = crate::core::dates::day_text;
    match parse_when(text, now) {
        Ok(When::Date(d)) => Ok(day(d)),
        Ok(When::DateTime(t)) if date_only => Ok(day(t.date())),
        Ok(When::DateTime(t)) => Ok(format!("{} {}", day(t.date()), t.format("%H:%M"))),
        Err(e) => Err(e.reason),
    }
}

/// The fields of a new activity's next step: the follow-up's title and its due date.
pub const NEXT: &str = "next";
pub const NEXT_DUE: &str = "next_due";

impl Form {
    /// A form for a new record, with some values given (`account` = `#12` links a record).
    pub fn new(
        e: Entity,
        custom: &Custom,
        prefill: &Input,
        lookup: impl Fn(Entity, &str) -> Option<Record>,
    ) -> Form {
        let fields = form_fields(e, custom)
            .into_iter()
            .map(|f| {
                let given = prefill.get(f.name).unwrap_or("").to_string();
                let (value, picked) = match (f.ty, given.is_empty()) {
                    (Ty::Ref(target), false) => match lookup(target, &given) {
                        Some(r) => (
                            crate::model::record::name_label(target, r.label()),
                            Some(r.id()),
                        ),
                        None => (given, None),
                    },
                    _ => (given, None),
                };
                FormField {
                    name: f.name,
                    ty: f.ty,
                    required: f.required,
                    opened: value.clone(),
                    value: TextInput::new(value),
                    original: String::new(),
                    picked,
                    error: None,
                }
            })
            .collect();
        let mut fields: Vec<FormField> = fields;
        // A new activity may set its next step, as `kith log --next … --due …` does: a
        // follow-up task made in the same write (see App::save_form).
        if e == Entity::Activity {
            for (name, ty) in [(NEXT, Ty::Text), (NEXT_DUE, Ty::When)] {
                fields.push(FormField {
                    name,
                    ty,
                    required: false,
                    value: TextInput::default(),
                    original: String::new(),
                    opened: String::new(),
                    picked: None,
                    error: None,
                });
            }
        }
        let mut form = Form {
            entity: e,
            id: None,
            fields,
            focus: 0,
            error: None,
            wants_editor: false,
        };
        // Start at the first empty field.
        form.focus = form
            .fields
            .iter()
            .position(|f| f.value.is_empty())
            .unwrap_or(0);
        form
    }

    /// A form to edit a record.
    pub fn edit(r: &Record, custom: &Custom) -> Form {
        let e = r.entity;
        let fields = form_fields(e, custom)
            .into_iter()
            .map(|f| {
                let value = r.fields.get(f.name).map(value_text).unwrap_or_default();
                // A default stage by its name in the language (方案报价), as it is shown.
                let (value, picked) = match f.ty {
                    Ty::Ref(target) => (
                        crate::model::record::name_label(target, &value),
                        r.i64(&f.id_key()),
                    ),
                    _ => (value, None),
                };
                FormField {
                    name: f.name,
                    ty: f.ty,
                    required: f.required,
                    original: value.clone(),
                    opened: value.clone(),
                    value: TextInput::new(value),
                    picked,
                    error: None,
                }
            })
            .collect();
        Form {
            entity: e,
            id: Some(r.id()),
            fields,
            focus: 0,
            error: None,
            wants_editor: false,
        }
    }

    /// Whether anything was typed or picked since the form opened.
    pub fn changed(&self) -> bool {
        self.fields.iter().any(|f| f.value != f.opened)
    }

    pub fn title(&self) -> String {
        match self.id {
            Some(id) => crate::tr!("tui.form.edit", kind = kind_name(self.entity), id = id),
            None => crate::tr!("tui.form.new", kind = kind_name(self.entity)),
        }
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// The kind a focused link field points at.
    pub fn focused_ref(&self) -> Option<Entity> {
        match self.fields.get(self.focus)?.ty {
            Ty::Ref(e) => Some(e),
            _ => None,
        }
    }

    /// The record a link field names: the one picked, else the text looked up as a
    /// reference (`lookup`: a name, `#id` or id that names one record). `None` when the
    /// form has no such field, or its text names no record.
    pub fn link_id(
        &self,
        name: &str,
        kind: Entity,
        lookup: impl Fn(Entity, &str) -> Option<i64>,
    ) -> Option<i64> {
        let f = self
            .fields
            .iter()
            .find(|f| f.name == name && f.ty == Ty::Ref(kind))?;
        let text = f.value.trim();
        if text.is_empty() {
            return None;
        }
        f.picked.or_else(|| lookup(kind, text))
    }

    /// The values a field of fixed values takes (a choice, yes or no), in order; `None`
    /// for other fields.
    pub fn fixed_values(&self, i: usize) -> Option<Vec<&'static str>> {
        self.fixed_values_of(self.fields.get(i)?)
    }

    fn fixed_values_of(&self, f: &FormField) -> Option<Vec<&'static str>> {
        match f.ty {
            Ty::Enum(c) => Some(c.to_vec()),
            Ty::Bool => Some(vec!["yes", "no"]),
            _ => None,
        }
    }

    /// The chooser of a field of fixed values: its values, the one it holds selected; a
    /// text that is none of them (typed in part) is where the chooser's narrowing starts.
    pub fn chooser(&self, i: usize) -> Option<Picker<Pick>> {
        let values = self.fixed_values(i)?;
        let f = &self.fields[i];
        let items = values
            .iter()
            .map(|v| {
                // The value as the language says it, and the stored word beside it when
                // that differs (both narrow the chooser: `won` or 赢单).
                let label = choice_label(self.entity, f.name, v);
                let word = if label == *v {
                    String::new()
                } else {
                    v.to_string()
                };
                (
                    label,
                    word,
                    Pick::Value {
                        field: i,
                        value: v.to_string(),
                    },
                )
            })
            .collect();
        let title = crate::tr!("tui.pickers.choose_value", field = f.label());
        let mut p = Picker::new(title, items);
        let text = f.value.trim();
        let held = values
            .iter()
            .find(|v| v.eq_ignore_ascii_case(text) || choice_label(self.entity, f.name, v) == text);
        match held {
            Some(v) => p.select_where(|c| matches!(c, Pick::Value { value, .. } if value == v)),
            None if !text.is_empty() => {
                p.input = text.to_string();
                p.narrow();
            }
            None => {}
        }
        Some(p)
    }

    pub fn value(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.text())
            .unwrap_or("")
    }

    /// The values to save: for a new record every filled field, for an edit every changed
    /// one (an emptied field clears it). A picked link is sent by id.
    pub fn input(&self) -> Input {
        let mut input = Input::new();
        for f in &self.fields {
            let changed = match self.id {
                Some(_) => f.value != f.original,
                None => !f.value.trim().is_empty(),
            };
            if !changed {
                continue;
            }
            let value = match f.picked {
                Some(id) if !f.value.trim().is_empty() => format!("#{id}"),
                // A fixed value typed as the language says it is saved as its word.
                _ => self
                    .fixed_values_of(f)
                    .and_then(|values| {
                        let text = f.value.trim();
                        values
                            .into_iter()
                            .find(|v| text != *v && choice_label(self.entity, f.name, v) == text)
                    })
                    .map_or_else(|| f.value.to_string(), str::to_string),
            };
            input.set(f.name, value);
        }
        input
    }

    /// Put an error from the library at the field it names, else on the form: a place
    /// of the error that is a field (its name, label or flag: `amount`, `--close`) takes
    /// the message as said inside that place; a required field missing takes "required".
    pub fn show_error(&mut self, e: &Error) {
        for f in &mut self.fields {
            f.error = None;
        }
        self.error = None;
        let field = |head: &str| {
            let head = head.trim_start_matches("--");
            self.fields.iter().position(|f| {
                f.name == head
                    || f.label() == head
                    || matches!(f.ty, Ty::List { first, .. } if first == head)
                    || (f.name == "expected_close" && head == "close")
                    // The follow-up's due date, named as the task's own field.
                    || (f.name == NEXT_DUE && head == "due")
            })
        };
        // The places, innermost first: the message as said inside the first that names a
        // field.
        let placed = e.places().iter().enumerate().find_map(|(k, at)| {
            let i = field(at)?;
            let mut text = e.message();
            for inner in &e.places()[..k] {
                text = crate::tr!("error.at", at = inner, message = text);
            }
            Some((i, text))
        });
        let required = matches!(e.code(), "records.required" | "deals.title_required")
            .then(|| field(e.arg("field").unwrap_or("title")))
            .flatten()
            .map(|i| (i, crate::tr!("tui.form.required").to_string()));
        match placed.or(required) {
            Some((i, text)) => {
                self.fields[i].error = Some(text);
                self.focus = i;
            }
            None => self.error = Some(e.to_string()),
        }
    }

    /// What a date field's text means, shown while typing: "Fri 2026-11-27 09:00".
    pub fn hint(&self, i: usize, now: NaiveDateTime) -> Option<Result<String, String>> {
        let f = self.fields.get(i)?;
        if !matches!(f.ty, Ty::Date | Ty::When) || f.value.trim().is_empty() {
            return None;
        }
        Some(when_hint(&f.value, now, f.ty == Ty::Date))
    }

    /// Words a choice field takes, shown as a hint: as the language says them, each with
    /// its stored word when that differs (`赢单 won`).
    pub fn choices(&self, i: usize) -> Option<String> {
        let f = self.fields.get(i)?;
        let said = |values: &[&str]| -> String {
            let each = values
                .iter()
                .map(|v| match choice_label(self.entity, f.name, v) {
                    label if label == *v => label,
                    label => format!("{label} {v}"),
                });
            each.collect::<Vec<_>>().join(" | ")
        };
        match f.ty {
            Ty::Enum(c) => Some(crate::tr!("tui.pickers.enter_chooses", values = said(c))),
            Ty::Bool => Some(crate::tr!(
                "tui.pickers.enter_chooses",
                values = said(&["yes", "no"])
            )),
            Ty::Ref(e) => Some(crate::tr!("tui.form.choose_link", kind = kind_name(e))),
            Ty::Tags => Some(crate::tr!("tui.form.comma_separated").into()),
            Ty::List { .. } => Some(crate::tr!("tui.form.comma_separated").into()),
            _ => None,
        }
    }
}

/// The kinds a new record made from another one carries the links to.
const CARRIED: [Entity; 4] = [Entity::Account, Entity::Contact, Entity::Lead, Entity::Deal];

/// What a new record made from `source` starts with: the account, contact, lead and deal
/// the source is or links to (`account` = `#12` …), whichever it has. A form takes those of
/// its fields it has; a deal's detail gives a new task its deal, account and contact.
pub fn links_from(source: &Record) -> Input {
    let mut input = Input::new();
    for f in source.entity.fields() {
        match f.is_ref() {
            Some(target) if CARRIED.contains(&target) && f.name == target.name() => {
                if let Some(id) = source.i64(&f.id_key()) {
                    input.set(f.name, format!("#{id}"));
                }
            }
            _ => {}
        }
    }
    if CARRIED.contains(&source.entity) {
        input.set(source.entity.name(), format!("#{}", source.id()));
    }
    input
}

/// The most lines a multi-line field shows at once.
const MULTI_ROWS: usize = 6;

pub fn draw_form(
    f: &mut Frame,
    form: &Form,
    t: Theme,
    area: Rect,
    now: chrono::NaiveDateTime,
    keys: &Keymap,
) {
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", form.title()), t.title()))
        .title_bottom(Span::styled(
            format!(
                " {} ",
                crate::tr!(
                    "tui.form.keys",
                    next = keys.first_key(Action::NextField),
                    previous = keys.first_key(Action::PrevField),
                    save = keys.first_key(Action::Save),
                    back = keys.first_key(Action::Back)
                )
            ),
            t.dim(),
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let label_w = form
        .fields
        .iter()
        .map(|x| x.label().width())
        .max()
        .unwrap_or(8)
        + 2;
    let mut lines = Vec::new();
    let mut cursor = None;
    let mut focus_line = 0;
    if let Some(e) = &form.error {
        lines.push(Line::from(Span::styled(e.clone(), t.error())));
    }
    let value_w = (inner.width as usize).saturating_sub(label_w + 1);
    for (i, fld) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let mark = if fld.required { "*" } else { " " };
        let label = format!("{}{mark} ", pad_left(&fld.label(), label_w - 1));
        let label_style = if focused { t.accent() } else { t.dim() };
        let value_style = if focused {
            t.selected()
        } else {
            Style::default()
        };
        // The field's rows: one, or for a multi-line field its lines, up to MULTI_ROWS
        // of them (around the cursor's while it is focused).
        let mut rows: Vec<Vec<Span>> = Vec::new();
        if fld.multiline() {
            let text: Vec<&str> = fld.value.split('\n').collect();
            let (cur_line, cur_col) = fld.value.cursor_line_col();
            let n = text.len().min(MULTI_ROWS);
            let first = if focused {
                (cur_line + 1).saturating_sub(n).min(text.len() - n)
            } else {
                0
            };
            for (k, l) in text[first..first + n].iter().enumerate() {
                let head = if k == 0 {
                    Span::styled(label.clone(), label_style)
                } else {
                    Span::raw(" ".repeat(label.width()))
                };
                let mut spans = vec![head, Span::styled(l.to_string(), value_style)];
                if focused && first + k == cur_line {
                    focus_line = lines.len() + k;
                    cursor = Some((label.width() + cur_col) as u16);
                    spans.push(Span::styled(" ", value_style));
                }
                rows.push(spans);
            }
            let more = text.len() - n;
            if more > 0 && !focused {
                if let Some(last) = rows.last_mut() {
                    last.push(Span::styled(
                        format!("  {}", crate::plural!("tui.input.more_lines", more)),
                        t.dim(),
                    ));
                }
            }
        } else if focused {
            let (shown, col) = fld.value.window(value_w.saturating_sub(1));
            focus_line = lines.len();
            cursor = Some((label.width() + col) as u16);
            rows.push(vec![
                Span::styled(label.clone(), label_style),
                Span::styled(shown, value_style),
                Span::styled(" ", value_style),
            ]);
        } else {
            rows.push(vec![
                Span::styled(label.clone(), label_style),
                Span::styled(fld.value.to_string(), value_style),
            ]);
        }
        let spans = &mut rows[0];
        match form.hint(i, now) {
            Some(Ok(h)) => spans.push(Span::styled(format!("  → {h}"), t.good())),
            Some(Err(e)) => spans.push(Span::styled(format!("  ✗ {e}"), t.warn())),
            None if focused && fld.multiline() => spans.push(Span::styled(
                format!(
                    "  {}",
                    crate::tr!(
                        "tui.input.multiline",
                        newline = "enter",
                        editor = keys.first_key(Action::OpenInEditor)
                    )
                ),
                t.dim(),
            )),
            None if focused => {
                if let Some(c) = form.choices(i) {
                    spans.push(Span::styled(format!("  {c}"), t.dim()));
                }
            }
            None => {}
        }
        if let Some(e) = &fld.error {
            spans.push(Span::styled(format!("  ✗ {e}"), t.error()));
        }
        lines.extend(rows.into_iter().map(Line::from));
    }
    let h = inner.height as usize;
    let scroll = focus_line.saturating_sub(h.saturating_sub(2));
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    if let Some(x) = cursor {
        let y = inner.y + (focus_line - scroll) as u16;
        let x = (inner.x + x).min(inner.x + inner.width.saturating_sub(1));
        f.set_cursor_position(Position::new(x, y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    #[test]
    fn a_date_field_hints_what_chinese_date_words_mean() {
        assert_eq!(
            when_hint("下周五下午3点", now(), false).as_deref(),
            Ok("Fri 2026-11-27 15:00")
        );
        assert_eq!(
            when_hint("月底", now(), true).as_deref(),
            Ok("Mon 2026-11-30")
        );
        assert_eq!(
            when_hint("下周八", now(), false),
            Err("'下周八' is not a day of the week; write 下周一 … 下周日".to_string())
        );
    }

    #[test]
    fn a_new_form_starts_at_the_first_empty_field_and_sends_what_is_filled() {
        let mut f = Form::new(
            Entity::Activity,
            Custom::none(),
            &Input::new().with("kind", "call"),
            |_, _| None,
        );
        assert_eq!(f.fields[0].name, "kind");
        assert_eq!(f.fields[1].name, "subject");
        assert_eq!(f.focus, 1);
        f.fields[1].value = "Follow-up call".into();
        let input = f.input();
        assert_eq!(input.get("kind"), Some("call"));
        assert_eq!(input.get("subject"), Some("Follow-up call"));
        assert_eq!(input.get("at"), None);
    }

    #[test]
    fn errors_land_on_the_field_they_name() {
        let mut f = Form::new(Entity::Contact, Custom::none(), &Input::new(), |_, _| None);
        f.show_error(&Error::invalid("'x' is not an email address").context("email"));
        let i = f.fields.iter().position(|x| x.name == "emails").unwrap();
        assert_eq!(f.focus, i);
        assert_eq!(
            f.fields[i].error.as_deref(),
            Some("'x' is not an email address")
        );
        // Inside the field, the places within it stay; outside it, none.
        f.show_error(
            &Error::invalid("not a number")
                .context("item 2")
                .context("--phone")
                .context("row 3"),
        );
        let i = f.fields.iter().position(|x| x.name == "phones").unwrap();
        assert_eq!(f.fields[i].error.as_deref(), Some("item 2: not a number"));
        f.show_error(&crate::err!(Invalid, "records.required", field = "name"));
        assert_eq!(f.fields[f.focus].name, "name");
        assert_eq!(f.fields[f.focus].error.as_deref(), Some("required"));
        // Words that only look like a field's name are not taken for one.
        f.show_error(&Error::invalid("name: something else"));
        assert_eq!(f.error.as_deref(), Some("name: something else"));
        assert!(f.fields.iter().all(|x| x.error.is_none()));
    }

    #[test]
    fn date_fields_show_what_they_mean() {
        let mut f = Form::new(Entity::Task, Custom::none(), &Input::new(), |_, _| None);
        let due = f.fields.iter().position(|x| x.name == "due").unwrap();
        f.fields[due].value = "next fri 9am".into();
        assert_eq!(f.hint(due, now()), Some(Ok("Fri 2026-11-27 09:00".into())));
        f.fields[due].value = "blursday".into();
        assert!(matches!(f.hint(due, now()), Some(Err(_))));
    }
}

#[cfg(test)]
mod custom_tests {
    use super::*;
    use crate::model::custom::Def;

    #[test]
    fn forms_have_the_custom_fields_after_the_built_in_ones() {
        let custom = Custom::new(vec![Def {
            kind: Entity::Account,
            name: "segment".into(),
            ty: "choice".into(),
            choices: vec!["gold".into(), "silver".into()],
            required: false,
            label: None,
            position: 1,
            hidden: false,
            created_at: String::new(),
        }]);
        let mut f = Form::new(Entity::Account, &custom, &Input::new(), |_, _| None);
        let last = f.fields.last_mut().unwrap();
        assert_eq!(last.name, "segment");
        last.value = "gold".into();
        assert_eq!(f.input().get("segment"), Some("gold"));
        let plain = Form::new(Entity::Account, Custom::none(), &Input::new(), |_, _| None);
        assert_eq!(plain.fields.len() + 1, f.fields.len());
    }
}
