//! The storage-free rules of a purchase, shared by the file (`purchase`) and the team register
//! on PostgreSQL: every problem with it (the store looks up serial numbers already on the
//! register), the warranty's end, the assets its items become, and the note their events carry.
//! No SQL here.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};

use super::{Problem, PurchaseInput, MAX_ITEMS};
use crate::assets::{self, AssetInput};
use crate::documents::DocKind;
use crate::error::{Error, Result};
use crate::values::{format_date, parse_date, text};

/// The kind the receipt is attached as, to every new asset.
pub const RECEIPT_KIND: DocKind = DocKind::Receipt;

/// The warranty's end: the date given, or the purchase date plus the months given.
fn warranty(input: &PurchaseInput, bought: Option<NaiveDate>) -> Result<Option<NaiveDate>> {
    let date = parse_date("warranty_expires", &input.warranty_expires)?;
    let months = input.warranty_months.trim();
    if months.is_empty() {
        return Ok(date);
    }
    let n: u32 = months
        .parse()
        .ok()
        .filter(|n| (1..=600).contains(n))
        .ok_or_else(|| {
            Error::invalid(
                "warranty_months",
                format!("\"{months}\" is not a number of months (e.g. 36)"),
            )
        })?;
    let Some(bought) = bought else {
        return Ok(None);
    };
    let end = bought
        .checked_add_months(Months::new(n))
        .ok_or_else(|| Error::invalid("warranty_months", "that is too far ahead"))?;
    if date.is_some_and(|d| d != end) {
        return Err(Error::invalid(
            "warranty_months",
            "give the warranty as a date or as months, not both",
        ));
    }
    Ok(Some(end))
}

/// Each item as the asset it will become (tag left blank).
fn asset_inputs(input: &PurchaseInput, warranty: Option<NaiveDate>) -> Vec<AssetInput> {
    input
        .items
        .iter()
        .map(|i| AssetInput {
            asset_tag: String::new(),
            name: i.name.clone(),
            category: i.category.clone(),
            make: i.make.clone(),
            model: i.model.clone(),
            serial_number: i.serial_number.clone(),
            purchase_date: input.purchase_date.clone(),
            purchase_cost: i.purchase_cost.clone(),
            supplier: input.supplier.clone(),
            warranty_expires: warranty.map(format_date).unwrap_or_default(),
            notes: String::new(),
        })
        .collect()
}

/// Every problem with a purchase, top-level fields first, then row by row (one per row and
/// field). Empty when it can be recorded. `serial_on_register` gives the tag of the live asset
/// whose serial key (upper case) is the one given, if any: the store's own look-up.
pub fn check_purchase_with(
    input: &PurchaseInput,
    mut serial_on_register: impl FnMut(&str) -> Result<Option<String>>,
) -> Result<Vec<Problem>> {
    let mut out = Vec::new();
    let mut top = |field: &str, message: String| {
        out.push(Problem {
            row: None,
            field: field.into(),
            message,
        })
    };
    let bought = match parse_date("purchase_date", &input.purchase_date) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            top("purchase_date", "a purchase needs its date".into());
            None
        }
        Err(e) => {
            top("purchase_date", e.to_string());
            None
        }
    };
    let warranty = match warranty(input, bought) {
        Ok(w) => w,
        Err(e) => {
            top(e.field().unwrap_or("warranty_expires"), e.to_string());
            None
        }
    };
    if let (Some(b), Some(w)) = (bought, warranty) {
        if w < b {
            top(
                "warranty_expires",
                "the warranty cannot end before the purchase date".into(),
            );
        }
    }
    for (field, value) in [
        ("supplier", &input.supplier),
        ("reference", &input.reference),
    ] {
        if text(value).is_some_and(|s| s.chars().count() > 200) {
            top(field, "at most 200 characters".into());
        }
    }
    if input.items.is_empty() {
        top("items", "add at least one item".into());
    }
    if input.items.len() > MAX_ITEMS {
        top(
            "items",
            format!("at most {MAX_ITEMS} items in one purchase"),
        );
    }
    let mut row_problem = |row: usize, field: &str, message: String| {
        out.push(Problem {
            row: Some(row),
            field: field.into(),
            message,
        })
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    // Date and warranty problems are reported once, above, not on every row.
    let mut rows = asset_inputs(input, None);
    for (row, a) in rows.iter_mut().enumerate() {
        a.asset_tag = "NEW".into();
        a.purchase_date.clear();
        if text(&a.purchase_cost).is_none() {
            row_problem(
                row,
                "purchase_cost",
                "what did this item cost? (0 for a free one)".into(),
            );
        }
        if let Err(e) = assets::validate_input(a) {
            let field = e.field().unwrap_or("name").to_string();
            if !(field == "purchase_cost" && text(&a.purchase_cost).is_none()) {
                row_problem(row, &field, e.to_string());
            }
        }
        let Some(serial) = text(&a.serial_number) else {
            continue;
        };
        let key = serial.to_uppercase();
        if let Some(first) = seen.get(&key) {
            row_problem(
                row,
                "serial_number",
                format!("the same serial number as item {}", first + 1),
            );
            continue;
        }
        seen.insert(key.clone(), row);
        let taken = serial_on_register(&key)?;
        if let Some(tag) = taken {
            row_problem(
                row,
                "serial_number",
                format!("this serial number is already on {tag}"),
            );
        }
    }
    Ok(out)
}

/// What a purchase without problems becomes: each item as the asset it will be (its tag left
/// blank, for the store's next free one), and the note of their events ("Purchase of 3 items
/// from Dell UK, reference PO-4412").
pub fn plan_purchase(input: &PurchaseInput) -> Result<(Vec<AssetInput>, String)> {
    let bought = parse_date("purchase_date", &input.purchase_date)?;
    let warranty = warranty(input, bought)?;
    let n = input.items.len();
    let mut note = format!(
        "Purchase of {n} item{}{}",
        if n == 1 { "" } else { "s" },
        text(&input.supplier)
            .map(|s| format!(" from {s}"))
            .unwrap_or_default()
    );
    if let Some(r) = text(&input.reference) {
        note.push_str(&format!(", reference {r}"));
    }
    Ok((asset_inputs(input, warranty), note))
}
