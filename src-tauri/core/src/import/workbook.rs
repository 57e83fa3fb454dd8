//! Reading one sheet of an Excel (`.xlsx`, `.xlsm`, `.xls`) or OpenDocument (`.ods`) workbook
//! into the same header and rows as a CSV, so mapping, cleaning and commit do not know the
//! difference. Cells become the text a person sees in the sheet: dates as ISO dates, numbers in
//! their shortest exact form. Uses calamine; knows nothing about fields.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Ods, Range, Reader, Xls, Xlsx};

use super::bounds::{self, MAX_WORKBOOK_CELLS};
use super::read::{
    group, header_name, Parsed, SourceRow, TextEncoding, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS,
};
use super::sniff::Workbook;
use crate::error::{Error, Result};

/// Reads the sheet called `sheet` (or, without one, the first sheet with anything in it).
/// What calamine would hold is checked first ([`bounds`]): a crafted file is refused in a sentence
/// rather than taking the machine's memory.
pub(super) fn read_workbook(
    bytes: &[u8],
    kind: Workbook,
    sheet: Option<&str>,
    sha256: String,
) -> Result<Parsed> {
    bounds::check(bytes, kind).map_err(|limit| limit.into_error(kind))?;
    let unreadable = |e: &dyn std::fmt::Display| {
        let what = match kind {
            Workbook::Xls => {
                "an old-style Office file (.xls, .doc), but not an Excel workbook it can read"
            }
            Workbook::Xlsx => "an Excel workbook, but it cannot be read",
            Workbook::Ods => "an OpenDocument spreadsheet, but it cannot be read",
        };
        Error::invalid("file", format!("This file is {what} ({e}). Open it in a spreadsheet and save it again, or save the sheet as CSV."))
    };
    let mut book = Book::open(bytes, kind).map_err(|e| unreadable(&e))?;
    let sheets = book.sheet_names();
    let (name, grid) = match sheet {
        Some(want) => {
            let name = sheets
                .iter()
                .find(|s| s.as_str() == want)
                .or_else(|| sheets.iter().find(|s| s.eq_ignore_ascii_case(want)))
                .ok_or_else(|| {
                    Error::invalid(
                        "sheet",
                        format!(
                            "the workbook has no sheet called \"{want}\"; its sheets are: {}",
                            quoted(&sheets)
                        ),
                    )
                })?
                .clone();
            let grid = book.grid(&name).map_err(|e| e.into_error(&unreadable))?;
            (name, grid)
        }
        None => {
            let mut found = None;
            for name in &sheets {
                // A chart sheet or an unreadable one is passed over, like an empty one; one
                // too large to read is not.
                match book.grid(name) {
                    Ok(grid) if grid.has_text() => {
                        found = Some((name.clone(), grid));
                        break;
                    }
                    Err(e @ SheetError::TooLarge(_)) => return Err(e.into_error(&unreadable)),
                    _ => {}
                }
            }
            found.ok_or_else(|| {
                Error::invalid(
                    "file",
                    "the workbook is empty: an import needs a sheet with a header row naming its columns",
                )
            })?
        }
    };
    let (headers, rows) = rows_of(&grid, &name)?;
    let headers = headers.ok_or_else(|| {
        Error::invalid(
            "file",
            format!(
                "the sheet \"{name}\" is empty: an import needs a header row naming its columns"
            ),
        )
    })?;
    Ok(Parsed {
        headers,
        rows,
        // Workbook text is Unicode whatever the file's internals; there is no delimiter.
        encoding: TextEncoding::Utf8,
        delimiter: ',',
        sha256,
        sheet: Some(name),
        sheets,
    })
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A sheet's cells as text, by their place in the sheet (0-based row and column), in row
/// order; only cells with something in them.
struct Grid {
    cells: Vec<(u32, u32, String)>,
}

impl Grid {
    fn from_range(range: &Range<Data>) -> Grid {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, text(d)))
            .filter(|(_, _, t)| !t.is_empty())
            .collect();
        Grid { cells }
    }

    fn has_text(&self) -> bool {
        self.cells.iter().any(|(_, _, t)| !t.trim().is_empty())
    }
}

/// Why a sheet was not read.
enum SheetError {
    /// calamine could not read it (its words).
    Unreadable(String),
    /// It holds more than an import reads (the sentence to show).
    TooLarge(String),
}

impl SheetError {
    fn into_error(self, unreadable: &dyn Fn(&dyn std::fmt::Display) -> Error) -> Error {
        match self {
            SheetError::Unreadable(e) => unreadable(&e),
            SheetError::TooLarge(message) => Error::invalid("file", message),
        }
    }
}

/// The header and the data rows after it, numbered as the sheet numbers its rows; every row as
/// wide as the widest, so no row looks ragged. The header is the first row with two or more
/// cells filled in (or the first row at all, in a one-column sheet): a title typed in A1 above
/// the table is not taken for the column names. Columns start at the sheet's first used one.
fn rows_of(grid: &Grid, sheet: &str) -> Result<(Option<Vec<String>>, Vec<SourceRow>)> {
    let first_col = grid.cells.iter().map(|(_, c, _)| *c).min().unwrap_or(0);
    let width = grid
        .cells
        .iter()
        .filter(|(_, _, t)| !t.trim().is_empty())
        .map(|(_, c, _)| (c - first_col) as usize + 1)
        .max()
        .unwrap_or(0);
    // Every row is padded to the widest: refuse a sheet whose rows and columns together are
    // more than an import reads (one stray cell far to the right, say) before padding them.
    let filled_rows = grid
        .cells
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|row| row.iter().any(|(_, _, t)| !t.trim().is_empty()))
        .count();
    if (filled_rows as u64).saturating_mul(width as u64) > MAX_WORKBOOK_CELLS {
        return Err(bounds::Limit::TooManyCells {
            sheet: sheet.to_string(),
            rows: filled_rows as u64,
            cols: width as u64,
        }
        .into_error(Workbook::Xlsx));
    }
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut cells: Vec<String> = Vec::with_capacity(width);
    for row in grid.cells.chunk_by(|a, b| a.0 == b.0) {
        cells.clear();
        cells.resize(width, String::new());
        for (_, c, t) in row {
            if let Some(cell) = cells.get_mut((c - first_col) as usize) {
                cell.clone_from(t);
            }
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = u64::from(row[0].0) + 1;
        if headers.is_none()
            && width > 1
            && cells.iter().filter(|c| !c.trim().is_empty()).count() < 2
        {
            continue; // a title above the table
        } else if headers.is_none() {
            headers = Some(
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, h)| header_name(i, h))
                    .collect(),
            );
        } else if rows.len() == MAX_IMPORT_ROWS {
            return Err(too_many_rows());
        } else {
            rows.push(SourceRow::new(line, cells.iter().map(String::as_str)));
        }
    }
    Ok((headers, rows))
}

fn too_many_rows() -> Error {
    Error::invalid(
        "file",
        format!(
            "the sheet has more than {} rows; split it into smaller files and import them one after another",
            group(MAX_IMPORT_ROWS)
        ),
    )
}

/// A cell as the text the importer cleans. Dates are ISO dates (a time of day is dropped: the
/// register keeps days); numbers are as Excel shows them (see [`number`]).
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => match d.as_datetime() {
            Some(dt) => dt.date().format("%Y-%m-%d").to_string(),
            None => number(d.as_f64()),
        },
        Data::DateTime(d) => number(d.as_f64()),
        // OpenDocument stores dates as ISO text already: keep the date part.
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((date, _)) if date.len() == 10 => date.to_string(),
            _ => s.clone(),
        },
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as Excel shows it: rounded to 15 significant digits (what Excel keeps) and written
/// in the shortest form that reads back the same, so 1249.99 stays `1249.99` and a sum's
/// 1249.9899999999998 becomes `1249.99`. A whole number of 16 or more digits has lost its end
/// (Excel keeps 15), so it is written in scientific notation, `6.37702E+15`, which the cleaning
/// flags in a serial-number column as it does for a CSV.
fn number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded.fract() == 0.0 && rounded.abs() >= 1e15 {
        let e = format!("{rounded:E}");
        return match e.split_once('E') {
            Some((m, exp)) if !exp.starts_with('-') => format!("{m}E+{exp}"),
            _ => e,
        };
    }
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        return format!("{}", rounded as i64);
    }
    rounded.to_string()
}

/// The workbook formats behind one interface.
enum Book<'a> {
    Xlsx(Xlsx<Cursor<&'a [u8]>>),
    Xls(Xls<Cursor<&'a [u8]>>),
    Ods(Ods<Cursor<&'a [u8]>>),
}

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8], kind: Workbook) -> std::result::Result<Book<'a>, String> {
        let c = Cursor::new(bytes);
        let e = |e: &dyn std::fmt::Display| e.to_string();
        Ok(match kind {
            Workbook::Xlsx => {
                Book::Xlsx(open_workbook_from_rs(c).map_err(|x: calamine::XlsxError| e(&x))?)
            }
            Workbook::Xls => {
                Book::Xls(open_workbook_from_rs(c).map_err(|x: calamine::XlsError| e(&x))?)
            }
            Workbook::Ods => {
                Book::Ods(open_workbook_from_rs(c).map_err(|x: calamine::OdsError| e(&x))?)
            }
        })
    }

    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    /// One sheet's cells. An `.xlsx` sheet is read as a stream of cells (calamine's grid for it
    /// would span from its first cell to its last, however far apart), stopping at
    /// [`MAX_WORKBOOK_CELLS`] cells or [`MAX_IMPORT_BYTES`] of text; the other kinds were
    /// checked whole by [`bounds::check`].
    fn grid(&mut self, name: &str) -> std::result::Result<Grid, SheetError> {
        let unreadable = |e: &dyn std::fmt::Display| SheetError::Unreadable(e.to_string());
        match self {
            Book::Xlsx(b) => {
                let mut reader = b.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
                let mut cells = Vec::new();
                let mut text_bytes = 0u64;
                while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                    let (r, c) = cell.get_position();
                    let t = text(&Data::from(cell.get_value().clone()));
                    if t.is_empty() {
                        continue;
                    }
                    text_bytes += t.len() as u64;
                    if cells.len() as u64 >= MAX_WORKBOOK_CELLS || text_bytes > MAX_IMPORT_BYTES {
                        return Err(SheetError::TooLarge(format!(
                            "This file is an Excel workbook whose sheet \"{name}\" holds more than an import reads ({} million cells, {} MB of text). Save the sheet as CSV, split it, and import the parts one after another.",
                            MAX_WORKBOOK_CELLS / 1_000_000,
                            MAX_IMPORT_BYTES / (1024 * 1024)
                        )));
                    }
                    cells.push((r, c, t));
                }
                // Cells come in the sheet's order, but a writer may not keep it.
                if !cells.is_sorted_by_key(|(r, c, _)| (*r, *c)) {
                    cells.sort_by_key(|(r, c, _)| (*r, *c));
                }
                Ok(Grid { cells })
            }
            Book::Xls(b) => Ok(Grid::from_range(
                &b.worksheet_range(name).map_err(|e| unreadable(&e))?,
            )),
            Book::Ods(b) => Ok(Grid::from_range(
                &b.worksheet_range(name).map_err(|e| unreadable(&e))?,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_excel_shows_them() {
        for (f, s) in [
            (1249.99, "1249.99"),
            (1249.9899999999998, "1249.99"),
            (0.1 + 0.2, "0.3"),
            (45292.0, "45292"),
            (-3.5, "-3.5"),
            (637702000000000.0, "637702000000000"),
            (6377020000000000.0, "6.37702E+15"),
            (1234567890123456789.0, "1.23456789012346E+18"),
            (0.000125, "0.000125"),
        ] {
            assert_eq!(number(f), s, "{f:?}");
        }
        // What the CSV path flags, the workbook path flags too.
        assert!(super::super::clean::mangled_serial(&number(
            6377020000000001.0
        )));
    }

    #[test]
    fn excel_dates_become_iso_dates() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let d = |v: f64, is_1904: bool| {
            text(&Data::DateTime(ExcelDateTime::new(
                v,
                ExcelDateTimeType::DateTime,
                is_1904,
            )))
        };
        assert_eq!(d(45292.0, false), "2024-01-01");
        assert_eq!(d(45292.75, false), "2024-01-01");
        assert_eq!(d(43830.0, true), "2024-01-01");
        assert_eq!(
            text(&Data::DateTimeIso("2024-03-05T10:00:00".into())),
            "2024-03-05"
        );
        assert_eq!(text(&Data::DateTimeIso("2024-03-05".into())), "2024-03-05");
    }
}
