//! What an asset is: the stored asset, the input a form, the CLI or an import row sends, a
//! partial edit, a holder, and the validation that turns input into typed values.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::Change;
use crate::error::{Error, Result};
use crate::status::Status;
use crate::values::{format_date, parse_date, text, Money};

/// An asset as the UI, CLI and exports see it (`--json` keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// Row id.
    pub id: i64,
    /// The unique asset tag (e.g. IT-0042).
    pub asset_tag: String,
    /// What it is called.
    pub name: String,
    /// Laptop, Phone, Monitor…
    pub category: Option<String>,
    /// Manufacturer.
    pub make: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial number as entered.
    pub serial_number: Option<String>,
    /// YYYY-MM-DD.
    pub purchase_date: Option<String>,
    /// What it cost ("1249.99" in JSON).
    pub purchase_cost: Option<Money>,
    /// Who sold it.
    pub supplier: Option<String>,
    /// YYYY-MM-DD.
    pub warranty_expires: Option<String>,
    /// Lifecycle status.
    pub status: Status,
    /// The person holding it.
    pub assigned_to: Option<String>,
    /// Where it is.
    pub location: Option<String>,
    /// Free text.
    pub notes: Option<String>,
    /// The holder's id.
    pub person_id: Option<i64>,
    /// The location's id.
    pub location_id: Option<i64>,
    /// When it was created (UTC, RFC 3339).
    pub created_at: String,
    /// When it last changed (UTC, RFC 3339).
    pub updated_at: String,
    /// True once archived (deleted from the live register; history kept).
    pub archived: bool,
    /// How many documents are attached.
    #[serde(default)]
    pub document_count: i64,
    /// The day a stocktake last saw it (YYYY-MM-DD); `None`: never.
    #[serde(default)]
    pub last_seen: Option<String>,
}

/// What a form, the CLI or an import row sends: text fields, validated by the core.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetInput {
    /// Required, unique.
    pub asset_tag: String,
    /// Required.
    pub name: String,
    /// Created on first use.
    pub category: String,
    /// Manufacturer.
    pub make: String,
    /// Model.
    pub model: String,
    /// Unique among live assets, ignoring case and surrounding spaces.
    pub serial_number: String,
    /// YYYY-MM-DD.
    pub purchase_date: String,
    /// e.g. 1249.99; never negative.
    pub purchase_cost: String,
    /// Who sold it.
    pub supplier: String,
    /// YYYY-MM-DD.
    pub warranty_expires: String,
    /// Free text.
    pub notes: String,
}

/// A partial edit: `None` keeps a field, `Some("")` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetPatch {
    /// New tag.
    pub asset_tag: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New category.
    pub category: Option<String>,
    /// New make.
    pub make: Option<String>,
    /// New model.
    pub model: Option<String>,
    /// New serial.
    pub serial_number: Option<String>,
    /// New purchase date.
    pub purchase_date: Option<String>,
    /// New cost.
    pub purchase_cost: Option<String>,
    /// New supplier.
    pub supplier: Option<String>,
    /// New warranty expiry.
    pub warranty_expires: Option<String>,
    /// New notes.
    pub notes: Option<String>,
}

/// Who or where an asset is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// A person, by name (created on first use). Where the asset is kept (its location) stays
    /// as it was.
    Person(String),
    /// A location, by name (created on first use): deployed there, held by no person.
    Location(String),
    /// A person, and where the asset is kept or the office it belongs to (an empty location
    /// clears it): `{"person_at": {"person": "Sam Patel", "location": "Manchester"}}`.
    PersonAt {
        /// The person's name.
        person: String,
        /// The location's name; empty for none.
        location: String,
    },
}

/// The validated, typed form of [`AssetInput`]: what a store writes (empty text is `None`).
/// Stores take it from the checks in `rules` (`check_new_asset`, `check_edit`), never build one.
#[derive(Debug, Clone, PartialEq)]
pub struct Valid {
    /// The tag, trimmed.
    pub asset_tag: String,
    /// The name, trimmed.
    pub name: String,
    /// The category's name as typed (a store resolves it to its record).
    pub category: Option<String>,
    /// Manufacturer.
    pub make: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial number as entered (see [`serial_key`] for its uniqueness key).
    pub serial_number: Option<String>,
    /// Purchase date.
    pub purchase_date: Option<NaiveDate>,
    /// What it cost.
    pub purchase_cost: Option<Money>,
    /// Who sold it.
    pub supplier: Option<String>,
    /// When the warranty ends (never before the purchase date).
    pub warranty_expires: Option<NaiveDate>,
    /// Free text.
    pub notes: Option<String>,
}

pub(super) const MAX_TEXT: usize = 200;
pub(super) const MAX_NOTES: usize = 10_000;

pub(super) fn bounded(field: &str, s: &str, max: usize) -> Result<Option<String>> {
    let t = text(s);
    if let Some(t) = &t {
        if t.chars().count() > max {
            return Err(Error::invalid(field, format!("at most {max} characters")));
        }
        if field != "notes" && t.chars().any(char::is_control) {
            return Err(Error::invalid(
                field,
                "line breaks and control characters are not allowed here",
            ));
        }
    }
    Ok(t)
}

impl Valid {
    pub(super) fn from_input(i: &AssetInput) -> Result<Valid> {
        let asset_tag = bounded("asset_tag", &i.asset_tag, 64)?
            .ok_or_else(|| Error::invalid("asset_tag", "an asset needs a tag (e.g. IT-0001)"))?;
        let name = bounded("name", &i.name, MAX_TEXT)?
            .ok_or_else(|| Error::invalid("name", "an asset needs a name"))?;
        let purchase_date = parse_date("purchase_date", &i.purchase_date)?;
        let warranty_expires = parse_date("warranty_expires", &i.warranty_expires)?;
        if let (Some(p), Some(w)) = (purchase_date, warranty_expires) {
            if w < p {
                return Err(Error::invalid(
                    "warranty_expires",
                    "the warranty cannot end before the purchase date",
                ));
            }
        }
        Ok(Valid {
            asset_tag,
            name,
            category: bounded("category", &i.category, MAX_TEXT)?,
            make: bounded("make", &i.make, MAX_TEXT)?,
            model: bounded("model", &i.model, MAX_TEXT)?,
            serial_number: bounded("serial_number", &i.serial_number, MAX_TEXT)?,
            purchase_date,
            purchase_cost: Money::parse("purchase_cost", &i.purchase_cost)?,
            supplier: bounded("supplier", &i.supplier, MAX_TEXT)?,
            warranty_expires,
            notes: bounded("notes", &i.notes, MAX_NOTES)?,
        })
    }

    /// A `created` event's changes: every field given, and the status a new asset starts in.
    pub(super) fn created(&self) -> Vec<Change> {
        let mut changes: Vec<Change> = self
            .fields()
            .into_iter()
            .filter(|(_, val)| val.is_some())
            .map(|(f, val)| Change::new(f, None, val))
            .collect();
        changes.push(Change::new(
            "status",
            None,
            Some(Status::Available.as_str().into()),
        ));
        changes
    }

    /// The fields that differ in `new`, old → new, in a fixed order.
    pub(super) fn changes_to(&self, new: &Valid) -> Vec<Change> {
        self.fields()
            .into_iter()
            .zip(new.fields())
            .filter(|((_, o), (_, n))| o != n)
            .map(|((f, o), (_, n))| Change::new(f, o, n))
            .collect()
    }

    /// Each field as display text, for audit diffs, in a fixed order.
    pub(super) fn fields(&self) -> [(&'static str, Option<String>); 11] {
        [
            ("asset_tag", Some(self.asset_tag.clone())),
            ("name", Some(self.name.clone())),
            ("category", self.category.clone()),
            ("make", self.make.clone()),
            ("model", self.model.clone()),
            ("serial_number", self.serial_number.clone()),
            ("purchase_date", self.purchase_date.map(format_date)),
            ("purchase_cost", self.purchase_cost.map(|m| m.to_string())),
            ("supplier", self.supplier.clone()),
            ("warranty_expires", self.warranty_expires.map(format_date)),
            ("notes", self.notes.clone()),
        ]
    }
}

impl Asset {
    /// The asset's editable fields as an input (for forms and patches).
    pub fn to_input(&self) -> AssetInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        AssetInput {
            asset_tag: self.asset_tag.clone(),
            name: self.name.clone(),
            category: s(&self.category),
            make: s(&self.make),
            model: s(&self.model),
            serial_number: s(&self.serial_number),
            purchase_date: s(&self.purchase_date),
            purchase_cost: self
                .purchase_cost
                .map(|m| m.to_string())
                .unwrap_or_default(),
            supplier: s(&self.supplier),
            warranty_expires: s(&self.warranty_expires),
            notes: s(&self.notes),
        }
    }

    /// Who or where holds it, for display: the person, else the location.
    pub fn holder(&self) -> Option<&str> {
        self.assigned_to.as_deref().or(self.location.as_deref())
    }
}

impl AssetPatch {
    pub(super) fn apply(&self, mut i: AssetInput) -> AssetInput {
        let set = |dst: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *dst = v.clone();
            }
        };
        set(&mut i.asset_tag, &self.asset_tag);
        set(&mut i.name, &self.name);
        set(&mut i.category, &self.category);
        set(&mut i.make, &self.make);
        set(&mut i.model, &self.model);
        set(&mut i.serial_number, &self.serial_number);
        set(&mut i.purchase_date, &self.purchase_date);
        set(&mut i.purchase_cost, &self.purchase_cost);
        set(&mut i.supplier, &self.supplier);
        set(&mut i.warranty_expires, &self.warranty_expires);
        set(&mut i.notes, &self.notes);
        i
    }
}

/// Checks an input's fields the way [`create_asset`] will (not the tag's or serial's
/// uniqueness), so a form of several rows can report each row's problem before saving.
pub fn validate_input(input: &AssetInput) -> Result<()> {
    Valid::from_input(input).map(|_| ())
}

/// The serial's uniqueness key: trimmed and upper-cased.
pub fn serial_key(serial: &Option<String>) -> Option<String> {
    serial.as_ref().map(|s| s.trim().to_uppercase())
}
