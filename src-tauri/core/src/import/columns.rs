//! The first half of planning an import: the per-column decisions made once per file (mapping,
//! date order, decimal separator, status words) and cleaning each row's cells into the
//! register's forms, batch by batch. Reads only.

use std::collections::HashMap;

use super::clean::{self, DateOrder};
use super::mapping::{self, ColumnMapping, Field};
use super::register::ImportRegister;
use super::{
    Action, AmbiguousDates, CleanRow, ImportOptions, Parsed, PlannedRow, RowIssue, SourceRow,
    UnknownStatus,
};
use crate::assets::AssetInput;
use crate::error::{Error, Result};
use crate::status::Status;
use crate::values;

/// How many of a column's values are looked at to guess what it holds.
pub(super) const CONTENT_SAMPLE: usize = 200;

/// The decisions made once per file: the mapping and what each column's values prove.
pub(super) struct Columns {
    /// The header's width.
    pub(super) width: usize,
    /// Which column feeds which field.
    pub mapping: Vec<ColumnMapping>,
    pub(super) by_field: HashMap<Field, usize>,
    pub(super) date_orders: HashMap<Field, Option<DateOrder>>,
    pub(super) decimal: Option<char>,
    pub(super) statuses: HashMap<String, Status>,
    /// Problems with the whole file, in words; the import is refused while there are any.
    pub problems: Vec<String>,
    /// Date columns that need a `date_order`.
    pub ambiguous: Vec<AmbiguousDates>,
    /// Status words nobody has mapped.
    pub unknown: Vec<UnknownStatus>,
    /// Generated tags: the prefix and the first row's number.
    pub(super) generate: Option<(String, u64)>,
    /// Ignored columns kept in the notes: (column, header).
    pub(super) keep: Vec<(usize, String)>,
}

/// Maps the columns (remembered choices under the caller's overrides) and decides, from all of
/// a column's values, its date order, its decimal separator and its unknown status words.
pub(super) fn analyse(
    reg: &mut dyn ImportRegister,
    parsed: &Parsed,
    opts: &ImportOptions,
) -> Result<Columns> {
    let remembered = mapping::remembered(reg, &parsed.headers)?;
    let mut mapping = mapping::resolve(
        &parsed.headers,
        &parsed.column_values(CONTENT_SAMPLE),
        &remembered,
        &opts.mapping_overrides,
    )?;
    let by_field: HashMap<Field, usize> = mapping
        .iter()
        .filter(|m| m.field != Field::Ignore)
        .map(|m| (m.field, m.column))
        .collect();
    let mut problems = Vec::new();
    let mut keep: Vec<(usize, String)> = Vec::new();
    for header in &opts.keep_in_notes {
        match mapping.iter().find(|m| mapping::same_header(&m.header, header)) {
            None => {
                return Err(Error::invalid(
                    "keep_in_notes",
                    format!(
                        "there is no column \"{header}\"; the columns are: {}",
                        parsed.headers.join(", ")
                    ),
                ))
            }
            Some(m) if m.field != Field::Ignore => problems.push(format!(
                "The column \"{}\" is imported as {}; it can be kept in the notes only when it is not imported as a field.",
                m.header,
                m.field.as_str()
            )),
            Some(m) => {
                if !keep.iter().any(|(c, _)| *c == m.column) {
                    keep.push((m.column, m.header.clone()));
                }
            }
        }
    }
    let tag_column = by_field.get(&Field::AssetTag).map(|&c| &mapping[c].header);
    let generate = match (opts.generate_tags.as_deref().map(str::trim), tag_column) {
        (None, Some(_)) => None,
        // Said once for the file: every row's tag would otherwise be "empty".
        (None, None) => {
            problems.push(format!(
                "No column is mapped to asset_tag (the columns are: {}); map one, e.g. \"{}=asset_tag\", or generate tags (generate_tags: a prefix such as \"IT-\" gives IT-0001, IT-0002, …).",
                parsed.headers.join(", "),
                parsed.headers.first().map_or("Tag", String::as_str)
            ));
            None
        }
        (Some(_), Some(header)) => {
            problems.push(format!(
                "The column \"{header}\" is already the asset tag; tags are generated only for a file without one (map \"{header}\" to ignore to replace its tags)."
            ));
            None
        }
        (Some(prefix), None) => match tag_prefix_problem(prefix) {
            Some(p) => {
                problems.push(p);
                None
            }
            None => Some((prefix.to_string(), next_free_number(reg, prefix)?)),
        },
    };
    let values = |f: Field| {
        let col = by_field.get(&f).copied();
        parsed.rows.iter().filter_map(move |r| {
            col.and_then(|c| r.cell(c))
                .map(|v| (r.line, v.trim()))
                .filter(|(_, v)| !v.is_empty())
        })
    };

    let mut ambiguous = Vec::new();
    let mut date_orders = HashMap::new();
    for f in [Field::PurchaseDate, Field::WarrantyExpires] {
        let Some(&col) = by_field.get(&f) else {
            continue;
        };
        let mut evidence = clean::OrderEvidence::default();
        values(f).for_each(|(_, v)| evidence.add(v));
        let header = &mapping[col].header;
        let order = evidence.proven().or(opts.date_order);
        let mixed = evidence.day_first && evidence.month_first;
        if let Some(o) = order {
            mapping[col].note = Some(format!("dates read {}", clean::describe(o)));
        } else if mixed || !evidence.ambiguous.is_empty() {
            let message = if mixed {
                format!("\"{header}\" mixes day-first and month-first dates; say which order the file uses and fix the values that do not fit.")
            } else {
                format!("\"{header}\" has dates like {} that read either day first or month first; say which order the file uses.", evidence.ambiguous[0])
            };
            problems.push(message.clone());
            ambiguous.push(AmbiguousDates {
                column: header.clone(),
                examples: evidence.ambiguous.clone(),
                message,
            });
        }
        date_orders.insert(f, order);
    }

    let mut hints: Vec<char> = values(Field::PurchaseCost)
        .filter_map(|(_, v)| clean::decimal_hint(v))
        .collect();
    hints.sort_unstable();
    hints.dedup();
    let decimal = match hints.as_slice() {
        [one] => Some(*one),
        _ => None,
    };

    let statuses: HashMap<String, Status> = opts
        .status_overrides
        .iter()
        .map(|(w, s)| (w.trim().to_lowercase(), *s))
        .collect();
    let mut unknown: Vec<UnknownStatus> = Vec::new();
    for (line, word) in values(Field::Status) {
        let word = crate::export::unguard(word).trim();
        if statuses.contains_key(&word.to_lowercase()) || clean::status_word(word).is_some() {
            continue;
        }
        match unknown
            .iter_mut()
            .find(|u| u.word.eq_ignore_ascii_case(word))
        {
            Some(u) => u.rows += 1,
            None => unknown.push(UnknownStatus {
                word: word.to_string(),
                rows: 1,
                first_line: line,
            }),
        }
    }
    for u in &unknown {
        problems.push(format!(
            "The status \"{}\" ({} row{}, first on line {}) is not one the register knows; say which status it means, or leave the column out.",
            u.word,
            u.rows,
            if u.rows == 1 { "" } else { "s" },
            u.first_line
        ));
    }
    Ok(Columns {
        width: parsed.headers.len(),
        mapping,
        by_field,
        date_orders,
        decimal,
        statuses,
        problems,
        ambiguous,
        unknown,
        generate,
        keep,
    })
}

/// The columns no field takes that have values: named for the review, with samples and
/// whether they are kept in the notes.
pub(super) fn ignored_columns(cols: &Columns, parsed: &Parsed) -> Vec<super::IgnoredColumn> {
    let samples = parsed.samples(3);
    cols.mapping
        .iter()
        .filter(|m| m.field == Field::Ignore)
        .filter_map(|m| {
            let rows = parsed
                .rows
                .iter()
                .filter(|r| r.cell(m.column).is_some_and(|c| !c.trim().is_empty()))
                .count();
            (rows > 0).then(|| super::IgnoredColumn {
                column: m.column,
                header: m.header.clone(),
                rows,
                samples: samples.get(m.column).cloned().unwrap_or_default(),
                kept_in_notes: cols.keep.iter().any(|(c, _)| *c == m.column),
            })
        })
        .collect()
}

/// The row's notes, then a line "Header: value" for each kept column with a value.
fn notes_with_kept(cols: &Columns, src: &SourceRow) -> String {
    let mut notes = cols.cell(src, Field::Notes).to_string();
    for (c, header) in &cols.keep {
        let v = src
            .cell(*c)
            .map(|raw| crate::export::unguard(raw.trim()).trim())
            .unwrap_or("");
        if !v.is_empty() {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(header);
            notes.push_str(": ");
            notes.push_str(v);
        }
    }
    notes
}

/// Why `prefix` cannot start generated tags, if it cannot.
fn tag_prefix_problem(prefix: &str) -> Option<String> {
    if prefix.is_empty() {
        Some("The prefix for generated tags is empty; give one such as \"IT-\".".into())
    } else if prefix.chars().count() > 20 || prefix.chars().any(char::is_control) {
        Some(format!(
            "\"{}\" cannot start a tag: a prefix has at most 20 characters and no line breaks.",
            prefix.escape_debug()
        ))
    } else {
        None
    }
}

/// One more than the highest number after `prefix` among the register's tags (archived ones
/// too: their tags stay reserved), or 1.
fn next_free_number(reg: &mut dyn ImportRegister, prefix: &str) -> Result<u64> {
    let tags = reg.tags_starting_with(prefix)?;
    let mut highest = 0u64;
    for tag in tags {
        let rest = tag.get(prefix.len()..).unwrap_or("");
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            highest = highest.max(rest.parse().unwrap_or(u64::MAX - 1));
        }
    }
    Ok(highest + 1)
}

impl Columns {
    /// The tag generated for the data row at `index` (0 = the first).
    fn generated_tag(&self, index: usize) -> Option<String> {
        let (prefix, first) = self.generate.as_ref()?;
        Some(format!("{prefix}{:04}", first + index as u64))
    }

    /// "IT-0001 to IT-0040" for a file of `rows` rows, when tags are generated.
    pub(super) fn generated_range(&self, rows: usize) -> Option<String> {
        match rows {
            0 => None,
            1 => self.generated_tag(0),
            n => Some(format!(
                "{} to {}",
                self.generated_tag(0)?,
                self.generated_tag(n - 1)?
            )),
        }
    }

    pub(super) fn cell<'r>(&self, row: &'r SourceRow, f: Field) -> &'r str {
        match self.by_field.get(&f).and_then(|&c| row.cell(c)) {
            Some(raw) => crate::export::unguard(raw.trim()).trim(),
            None => "",
        }
    }

    pub(super) fn header(&self, f: Field) -> Option<String> {
        self.by_field
            .get(&f)
            .map(|&c| self.mapping[c].header.clone())
    }

    pub(super) fn mapped(&self, f: Field) -> bool {
        self.by_field.contains_key(&f)
    }

    pub(super) fn issue(&self, line: u64, f: Field, message: impl Into<String>) -> RowIssue {
        RowIssue {
            line,
            column: self.header(f),
            field: Some(f),
            message: message.into(),
        }
    }
}

/// Single-line fields lose the line breaks and tabs a spreadsheet cell can hold.
pub(super) fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r', '\t']) {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        s.to_string()
    }
}

pub(super) const MAX_TAG: usize = 64;
pub(super) const MAX_TEXT: usize = 200;
pub(super) const MAX_NOTES: usize = 10_000;

/// Cleans one row's cells and checks them as the core will, so the preview shows every error
/// the commit would meet.
pub(super) fn clean_row(cols: &Columns, src: &SourceRow, index: usize) -> PlannedRow {
    let line = src.line;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let width = cols.width;
    let extra_filled = src.cells().skip(width).any(|c| !c.trim().is_empty());
    if src.len() < width || extra_filled {
        errors.push(RowIssue {
            line,
            column: None,
            field: None,
            message: format!(
                "this row has {} cells but the header has {} columns (a missing or extra delimiter, or an unclosed quote)",
                src.len(),
                width
            ),
        });
    }
    let text = |f: Field| one_line(cols.cell(src, f));
    let mut input = AssetInput {
        asset_tag: cols
            .generated_tag(index)
            .unwrap_or_else(|| text(Field::AssetTag)),
        name: text(Field::Name),
        category: text(Field::Category),
        make: text(Field::Make),
        model: text(Field::Model),
        serial_number: text(Field::SerialNumber),
        supplier: text(Field::Supplier),
        notes: notes_with_kept(cols, src),
        ..AssetInput::default()
    };
    if input.name.is_empty() && !(input.make.is_empty() && input.model.is_empty()) {
        input.name = format!("{} {}", input.make, input.model).trim().to_string();
        warnings.push(cols.issue(
            line,
            Field::Name,
            format!(
                "no name given: named \"{}\" from make and model",
                input.name
            ),
        ));
    }
    for (f, value, max) in [
        (Field::AssetTag, &input.asset_tag, MAX_TAG),
        (Field::Name, &input.name, MAX_TEXT),
        (Field::Category, &input.category, MAX_TEXT),
        (Field::Make, &input.make, MAX_TEXT),
        (Field::Model, &input.model, MAX_TEXT),
        (Field::SerialNumber, &input.serial_number, MAX_TEXT),
        (Field::Supplier, &input.supplier, MAX_TEXT),
        (Field::Notes, &input.notes, MAX_NOTES),
    ] {
        if value.chars().count() > max {
            errors.push(cols.issue(line, f, format!("at most {max} characters")));
        } else if f != Field::Notes && value.chars().any(char::is_control) {
            errors.push(cols.issue(line, f, "control characters are not allowed here"));
        }
    }
    // With no tag column the file has one problem (see `analyse`), not one per row.
    if input.asset_tag.is_empty() && cols.mapped(Field::AssetTag) {
        errors.push(cols.issue(line, Field::AssetTag, "the asset tag is empty"));
    }
    if input.name.is_empty() {
        errors.push(cols.issue(
            line,
            Field::Name,
            "the name is empty (and there is no make or model to name it from)",
        ));
    }
    if clean::mangled_serial(&input.serial_number) {
        errors.push(cols.issue(
            line,
            Field::SerialNumber,
            format!(
                "\"{}\" was mangled by a spreadsheet (scientific notation): the real serial is lost; correct it in the file",
                input.serial_number
            ),
        ));
    }
    for f in [Field::PurchaseDate, Field::WarrantyExpires] {
        let raw = cols.cell(src, f);
        if raw.is_empty() {
            continue;
        }
        let order = cols.date_orders.get(&f).copied().flatten();
        let iso = match clean::parse_date(raw, order) {
            Ok(d) => values::format_date(d),
            Err(clean::DateError::Ambiguous) => {
                errors.push(cols.issue(
                    line,
                    f,
                    format!("\"{raw}\" could be day first or month first; choose the date order"),
                ));
                continue;
            }
            Err(clean::DateError::Invalid(m)) => {
                errors.push(cols.issue(line, f, m));
                continue;
            }
        };
        if let Err(e) = values::parse_date(f.as_str(), &iso) {
            errors.push(cols.issue(line, f, e.to_string()));
        }
        match f {
            Field::PurchaseDate => input.purchase_date = iso,
            _ => input.warranty_expires = iso,
        }
    }
    if !input.purchase_date.is_empty()
        && !input.warranty_expires.is_empty()
        && input.warranty_expires < input.purchase_date
    {
        errors.push(cols.issue(
            line,
            Field::WarrantyExpires,
            "the warranty cannot end before the purchase date",
        ));
    }
    let cost = cols.cell(src, Field::PurchaseCost);
    if !cost.is_empty() {
        match clean::normalise_money(cost, cols.decimal)
            .map_err(|m| Error::invalid("purchase_cost", m))
            .and_then(|n| values::parse_money("purchase_cost", &n))
        {
            Ok(minor) => input.purchase_cost = minor.map(values::format_money).unwrap_or_default(),
            Err(e) => errors.push(cols.issue(line, Field::PurchaseCost, e.to_string())),
        }
    }
    let word = cols.cell(src, Field::Status);
    let status = if word.is_empty() {
        None
    } else {
        let s = cols
            .statuses
            .get(&word.to_lowercase())
            .copied()
            .or_else(|| clean::status_word(word));
        if s.is_none() {
            errors.push(cols.issue(
                line,
                Field::Status,
                format!("\"{word}\" is not a status the register knows; say which status it means"),
            ));
        }
        s
    };
    let person = values::text(&text(Field::AssignedTo));
    let location = values::text(&text(Field::Location));
    PlannedRow {
        line,
        action: Action::New,
        asset_tag: input.asset_tag.clone(),
        reason: None,
        conflict: false,
        patch: None,
        restores: None,
        errors,
        warnings,
        values: CleanRow {
            input,
            status,
            assigned_to: person,
            location,
        },
    }
}

/// Rows cleaned per batch by [`cleaned_batches`].
pub(super) const BATCH: usize = 4096;

/// Cleans the rows ([`clean_row`]) and hands them to `each` in file order, a batch at a time.
/// Cleaning needs no database, so for a big file it runs on a second thread, a batch ahead of
/// `each` (which decides and writes): on two cores the cleaning costs next to nothing. Stops at
/// `each`'s first error and returns it.
pub(super) fn cleaned_batches(
    cols: &Columns,
    rows: &[SourceRow],
    mut each: impl FnMut(Vec<PlannedRow>) -> Result<()>,
) -> Result<()> {
    let clean = |offset: usize, batch: &[SourceRow]| {
        batch
            .iter()
            .enumerate()
            .map(|(i, r)| clean_row(cols, r, offset + i))
            .collect()
    };
    if rows.len() <= BATCH {
        return each(clean(0, rows));
    }
    std::thread::scope(|scope| {
        // One batch in the channel and one being cleaned: memory stays a few batches.
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<PlannedRow>>(1);
        scope.spawn(move || {
            for (n, batch) in rows.chunks(BATCH).enumerate() {
                if send.send(clean(n * BATCH, batch)).is_err() {
                    break; // `each` failed: nobody is listening
                }
            }
        });
        for batch in receive {
            each(batch)?;
        }
        Ok(())
    })
}
