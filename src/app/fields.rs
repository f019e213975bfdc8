//! Custom fields (`kith field add|list|rm`): a definition checked, stored and removed
//! through the front door. What a custom field then is — settable, listed, filtered,
//! sorted, shown — comes from the store and the toolkit, which treat it as a built-in one
//! (see crate::model::custom).

use crate::app::crm::Crm;
use crate::core::error::{Error, Result};
use crate::model::custom::{parse_type, well_formed, Custom, Def, RESERVED, TYPES};
use crate::model::{Entity, Ty};

/// A custom field as asked for: `kith field add <kind> <name> --type …`.
#[derive(Debug, Clone, Default)]
pub struct NewField {
    pub kind: String,
    pub name: String,
    pub ty: String,
    pub choices: Vec<String>,
    pub required: bool,
    pub label: Option<String>,
}

/// A record kind by name, or why not.
pub fn record_kind(name: &str) -> Result<Entity> {
    Entity::from_name(name)
        .filter(|e| e.kind().record)
        .ok_or_else(|| {
            let kinds: Vec<&str> = Entity::RECORDS.iter().map(|e| e.name()).collect();
            Error::invalid(crate::tr!(
                "field.kind.unknown",
                kind = name.trim(),
                kinds = kinds.join(", ")
            ))
        })
}

impl Crm {
    /// The custom fields of this database.
    pub fn custom(&self) -> &Custom {
        self.store.custom()
    }

    /// Define a custom field, or bring back a removed one (same type); returns its
    /// definition and whether it was brought back.
    pub fn add_field(&mut self, new: &NewField) -> Result<(Def, bool)> {
        self.require("administer")?;
        let kind = record_kind(&new.kind)?;
        let name = new.name.trim().to_string();
        if !well_formed(&name) {
            return Err(Error::invalid(crate::tr!("field.name.form", name = name)));
        }
        if let Some(old) = self.store.custom().def(kind, &name).cloned() {
            if !old.hidden {
                return Err(Error::invalid(crate::tr!(
                    "field.name.taken",
                    name = name,
                    kind = kind.name()
                )));
            }
            if old.ty != new.ty.trim().to_lowercase() {
                return Err(Error::invalid(crate::tr!(
                    "field.back.other_type",
                    name = name,
                    ty = old.ty
                )));
            }
            let at = self.env.clock.stamp();
            self.store.define_field(&old, &at)?;
            let def = self.store.custom().def(kind, &name).cloned().unwrap_or(old);
            return Ok((def, true));
        }
        let ty = new.ty.trim().to_lowercase();
        let mut choices: Vec<String> = Vec::new();
        for c in new.choices.iter().flat_map(|c| c.split(',')) {
            let c = c.trim();
            if c.is_empty() {
                continue;
            }
            crate::core::values::check_controls(c, false)?;
            if choices.iter().any(|x| x.eq_ignore_ascii_case(c)) {
                return Err(Error::invalid(crate::tr!(
                    "field.choices.twice",
                    choice = c
                )));
            }
            choices.push(c.to_string());
        }
        match parse_type(&ty, &choices) {
            None if ty.starts_with("ref:") => {
                let kinds: Vec<&str> = Entity::RECORDS.iter().map(|e| e.name()).collect();
                return Err(Error::invalid(crate::tr!(
                    "field.type.ref",
                    kind = ty.trim_start_matches("ref:"),
                    kinds = kinds.join(", ")
                )));
            }
            None => {
                return Err(Error::invalid(crate::tr!(
                    "field.type.unknown",
                    ty = ty,
                    types = TYPES.join(", ")
                )))
            }
            Some(Ty::Enum(_)) if choices.is_empty() => {
                return Err(Error::invalid(crate::tr!("field.choices.missing")))
            }
            Some(Ty::Enum(_)) => {}
            Some(_) if !choices.is_empty() => {
                return Err(Error::invalid(crate::tr!("field.choices.only")))
            }
            Some(_) => {}
        }
        let label = new
            .label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string);
        if let Some(l) = &label {
            crate::core::values::check_controls(l, false)?;
        }
        if kind.field(&name).is_some()
            || RESERVED.contains(&name.as_str())
            || kind
                .fields()
                .iter()
                .any(|f| matches!(f.ty, Ty::List { first, .. } if first == name))
        {
            return Err(Error::invalid(crate::tr!(
                "field.name.builtin",
                name = name,
                kind = kind.name()
            )));
        }
        if let Some(l) = &label {
            let lower = l.to_lowercase();
            let clash = kind.field(&lower).is_some()
                || self.store.custom().field(kind, &lower).is_some()
                || self.store.custom().label(kind, &lower).is_some();
            if clash {
                return Err(Error::invalid(crate::tr!("field.label.taken", label = l)));
            }
        }
        let def = Def {
            kind,
            name: name.clone(),
            ty,
            choices,
            required: new.required,
            label,
            position: 0,
            hidden: false,
            created_at: String::new(),
        };
        let at = self.env.clock.stamp();
        self.store.define_field(&def, &at)?;
        let def = self.store.custom().def(kind, &name).cloned().unwrap_or(def);
        Ok((def, false))
    }

    /// The custom fields defined, of one kind or all, removed ones with `all`.
    pub fn custom_fields(&self, kind: Option<Entity>, all: bool) -> Vec<Def> {
        self.store
            .custom()
            .defs()
            .iter()
            .filter(|d| kind.is_none_or(|k| d.kind == k) && (all || !d.hidden))
            .cloned()
            .collect()
    }

    /// Remove a custom field: hidden, its values kept (`field add` brings it back).
    /// Returns how many records hold a value for it.
    pub fn remove_field(&mut self, kind: &str, name: &str) -> Result<i64> {
        self.require("administer")?;
        let kind = record_kind(kind)?;
        let def = self
            .store
            .custom()
            .def(kind, name)
            .filter(|d| !d.hidden)
            .cloned()
            .ok_or_else(|| {
                Error::invalid(crate::tr!(
                    "field.missing.def",
                    name = name.trim(),
                    kind = kind.name()
                ))
            })?;
        let at = self.env.clock.stamp();
        self.store.hide_field(kind, &def.name, &at)?;
        self.store.custom_values(kind, &def.name)
    }
}
