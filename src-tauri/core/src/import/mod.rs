//! Import from CSV files and workbooks: read a file ([`read_file`]), map its columns and clean its values, list what each
//! row would do ([`preview`], which writes nothing), then write it all in the caller's
//! transaction ([`commit`]) or nothing, and take it back later as one step ([`undo_import`]).
//!
//! Owns the `imports`, `import_items` and `import_mappings` tables. Assets are written only
//! through [`crate::assets`], so every change is validated by the core and audited with the
//! transaction's source (`import`) and a note naming the file and its SHA-256. Picking or
//! opening the file is the caller's business: this module takes bytes.
//!
//! - `sniff`: what the file really is (text, a workbook, or something named and refused);
//! - `read`: bytes to rows (encoding, delimiter, line numbers);
//! - `workbook`: one sheet of an `.xlsx`, `.xls` or `.ods` to the same rows;
//! - `mapping`: columns to fields, remembered per header set;
//! - `headers`: what a header names, read as people write headers;
//! - `content`: what a column's values show it holds, for headers that do not say;
//! - `clean`: cell values to the register's forms;
//! - `columns`: the per-column decisions and each row's cleaning;
//! - `plan`: what each row will do (the preview);
//! - `register`: the register as planning reads it, for either store;
//! - `rules`: what both stores' commits and undos say and record alike;
//! - `types`: the options, the plan and the summaries the callers see;
//! - `commit`: writing a file in one transaction;
//! - `undo`: past imports and taking one back.

mod bounds;
mod clean;
mod columns;
mod commit;
mod content;
mod headers;
mod mapping;
mod plan;
mod read;
mod register;
mod rules;
mod sniff;
mod types;
mod undo;
mod workbook;

use rusqlite::Connection;

use crate::error::Result;

pub use clean::DateOrder;
pub use commit::{commit, commit_with_progress};
pub use mapping::{chosen_mapping, parse_override, ColumnMapping, Field, MatchedBy};
pub use read::{
    read_file, read_path, read_with, Parsed, ReadOptions, SourceRow, TextEncoding,
    MAX_IMPORT_BYTES, MAX_IMPORT_ROWS,
};
pub use register::ImportRegister;
pub use rules::*;
pub use types::*;
pub use undo::{list_imports, undo_import};

/// Maps the columns and reads every row, reporting each way it would fail or change, without
/// writing. Uses the mapping remembered for this header set, under the caller's overrides.
pub fn preview(conn: &Connection, parsed: &Parsed, opts: &ImportOptions) -> Result<Plan> {
    preview_in(&mut { conn }, parsed, opts)
}

/// [`preview`] against any store's register (a team register's too).
pub fn preview_in(
    reg: &mut dyn ImportRegister,
    parsed: &Parsed,
    opts: &ImportOptions,
) -> Result<Plan> {
    let cols = columns::analyse(reg, parsed, opts)?;
    let mut planner = plan::Planner::new(opts, parsed.rows.len());
    let mut rows = Vec::with_capacity(parsed.rows.len());
    let mut counts = Counts {
        rows: parsed.rows.len(),
        ..Counts::default()
    };
    columns::cleaned_batches(&cols, &parsed.rows, |batch| {
        for row in batch {
            let row = planner.decide(reg, &cols, row)?;
            counts.add(row.action);
            rows.push(row);
        }
        Ok(())
    })?;
    let generated_tags = cols.generated_range(parsed.rows.len());
    let ignored_columns = columns::ignored_columns(&cols, parsed);
    Ok(Plan {
        file_name: opts.file_name.clone(),
        sha256: parsed.sha256.clone(),
        encoding: parsed.encoding,
        delimiter: parsed.delimiter,
        mapping: cols.mapping,
        rows,
        counts,
        ambiguous_date_columns: cols.ambiguous,
        unknown_statuses: cols.unknown,
        generated_tags,
        problems: cols.problems,
        omitted_rows: 0,
        sheet: parsed.sheet.clone(),
        ignored_columns,
    })
}

/// The column mapping alone (remembered choices under `overrides`), for a mapping step that
/// should not wait for every row to be planned.
pub fn mapping_for(
    conn: &Connection,
    parsed: &Parsed,
    overrides: &[(String, Field)],
) -> Result<Vec<ColumnMapping>> {
    mapping_for_in(&mut { conn }, parsed, overrides)
}

/// [`mapping_for`] against any store's register.
pub fn mapping_for_in(
    reg: &mut dyn ImportRegister,
    parsed: &Parsed,
    overrides: &[(String, Field)],
) -> Result<Vec<ColumnMapping>> {
    let remembered = mapping::remembered(reg, &parsed.headers)?;
    mapping::resolve(
        &parsed.headers,
        &parsed.column_values(columns::CONTENT_SAMPLE),
        &remembered,
        overrides,
    )
}

/// A commit's planning for a store that writes in batches of its own (a team register): the
/// file's column decisions, then each row decided, in file order, against the register as it
/// was when the import began and the rows before it, exactly as [`commit`] decides them.
pub struct Planning {
    cols: columns::Columns,
    planner: plan::Planner,
}

impl Planning {
    /// Maps and analyses the columns of `parsed`.
    pub fn new(
        reg: &mut dyn ImportRegister,
        parsed: &Parsed,
        opts: &ImportOptions,
    ) -> Result<Planning> {
        Ok(Planning {
            cols: columns::analyse(reg, parsed, opts)?,
            planner: plan::Planner::new(opts, parsed.rows.len()),
        })
    }

    /// Problems with the whole file (the import is refused while there are any).
    pub fn problems(&self) -> &[String] {
        &self.cols.problems
    }

    /// The column mapping.
    pub fn mapping(&self) -> &[ColumnMapping] {
        &self.cols.mapping
    }

    /// Cleans and decides the data rows `rows` (indexes into `parsed.rows`), which must follow
    /// the ones decided before.
    pub fn decide(
        &mut self,
        reg: &mut dyn ImportRegister,
        parsed: &Parsed,
        rows: std::ops::Range<usize>,
    ) -> Result<Vec<PlannedRow>> {
        let start = rows.start;
        parsed.rows[rows]
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let row = columns::clean_row(&self.cols, r, start + i);
                self.planner.decide(reg, &self.cols, row)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
