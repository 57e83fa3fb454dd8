//! The memory a workbook may take to read, checked before calamine reads it: a crafted or
//! damaged `.xls`, `.xlsx` or `.ods` of a few KB can otherwise describe a sheet of billions of
//! cells, or a container that loops, and calamine would take every byte of memory the machine
//! has. Each check walks the file's structure counting what calamine would hold, and refuses in
//! one sentence before anything is allocated for it.

mod ods;
mod xls;
mod zip;

use super::sniff::Workbook;
use crate::error::Error;

/// The most cells (filled in, or the empty ones between them that a sheet's grid holds) an import
/// reads from one workbook: 4 million, at about 32 bytes each in calamine's grid, is about 130 MB.
/// A sheet of 100,000 rows by 40 columns fits.
pub(crate) const MAX_WORKBOOK_CELLS: u64 = 4_000_000;

/// The largest part of a zipped workbook (`.xlsx`, `.ods`) that is read whole, unzipped: its
/// shared strings, styles or (for OpenDocument) content. A sheet of an `.xlsx` is read as a
/// stream and is bounded by [`MAX_WORKBOOK_CELLS`] and the text it holds instead.
pub(crate) const MAX_WORKBOOK_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Why a workbook is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Limit {
    /// Its structure does not hold together (what is wrong, after "it"/"its").
    Damaged(&'static str),
    /// A sheet spreads over more cells than an import reads.
    TooManyCells { sheet: String, rows: u64, cols: u64 },
    /// A part of the zip unzips to more than [`MAX_WORKBOOK_PART_BYTES`].
    PartTooLarge { part: String, bytes: u64 },
}

impl Limit {
    /// The sentence the person reads, for a file of this kind.
    pub(crate) fn into_error(self, kind: Workbook) -> Error {
        let what = match kind {
            Workbook::Xls => "an old-style Excel workbook (.xls)",
            Workbook::Xlsx => "an Excel workbook",
            Workbook::Ods => "an OpenDocument spreadsheet",
        };
        let message = match self {
            Limit::Damaged(why) => format!(
                "This file is {what}, but it is damaged ({why}), so it is not read. Open it in a spreadsheet and save it again, or save the sheet as CSV."
            ),
            Limit::TooManyCells { sheet, rows, cols } => {
                let sheet = if sheet.is_empty() {
                    "a sheet".to_string()
                } else {
                    format!("the sheet \"{sheet}\"")
                };
                format!(
                    "This file is {what} in which {sheet} spreads over {} rows by {} columns, more than an import reads ({} cells in all). Delete the empty rows and columns around the table, or save the sheet as CSV, and import that.",
                    super::read::group(rows as usize),
                    super::read::group(cols as usize),
                    million(MAX_WORKBOOK_CELLS)
                )
            }
            Limit::PartTooLarge { part, bytes } => format!(
                "This file is {what} whose part \"{part}\" unzips to {} MB, more than an import reads ({} MB). Save the sheet as CSV and import that.",
                bytes / (1024 * 1024),
                MAX_WORKBOOK_PART_BYTES / (1024 * 1024)
            ),
        };
        Error::invalid("file", message)
    }
}

fn million(n: u64) -> String {
    format!("{} million", n / 1_000_000)
}

/// Checks a workbook before calamine opens it.
pub(crate) fn check(bytes: &[u8], kind: Workbook) -> Result<(), Limit> {
    match kind {
        Workbook::Xls => xls::check(bytes),
        Workbook::Xlsx => zip::check_parts(bytes, |name| name.starts_with("xl/worksheets/")),
        Workbook::Ods => {
            zip::check_parts(bytes, |_| false)?;
            ods::check(bytes)
        }
    }
}

#[cfg(test)]
mod tests;
