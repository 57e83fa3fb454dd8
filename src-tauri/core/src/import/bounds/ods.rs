//! The cells calamine would hold for an OpenDocument spreadsheet, counted from its
//! `content.xml` before calamine reads it. calamine reads every sheet when the file is opened,
//! repeats each row element as many times as `table:number-rows-repeated` says (up to Calc's
//! 1,048,576 rows) and each cell as `table:number-columns-repeated` says (up to 16,384
//! columns), and then makes a dense grid from the first filled row to the last: a few hundred
//! bytes of XML can ask for billions of cells.

use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{Limit, MAX_WORKBOOK_CELLS};

const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Counts the cells of every sheet. A file whose content cannot be read is left for calamine to
/// refuse in its own words.
pub(super) fn check(bytes: &[u8]) -> Result<(), Limit> {
    let Ok(mut zip) = ::zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut total: u64 = 0;
    let mut sheet = Sheet::default();
    let mut row: Option<Row> = None;
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(_) => return Ok(()),
        };
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::Eof => return Ok(()),
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                sheet = Sheet {
                    name: attr(&e, "table:name").unwrap_or_default(),
                    ..Sheet::default()
                };
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                total = total.saturating_add(sheet.cells());
                if total > MAX_WORKBOOK_CELLS {
                    let rows = sheet.last_end.saturating_sub(sheet.first.unwrap_or(0));
                    return Err(Limit::TooManyCells {
                        sheet: std::mem::take(&mut sheet.name),
                        rows,
                        cols: sheet.width,
                    });
                }
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                let repeats = count(&e, "table:number-rows-repeated");
                let repeats = repeats.min(MAX_ROWS.saturating_sub(sheet.rows));
                row = Some(Row {
                    repeats,
                    ..Row::default()
                });
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(r) = row.take() {
                    sheet.add_row(&r);
                }
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                let repeats = count(&e, "table:number-rows-repeated");
                sheet.rows += repeats.min(MAX_ROWS.saturating_sub(sheet.rows));
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let Some(r) = row.as_mut() {
                    // A cell with content is an element with children or a typed value; an
                    // empty element with only a style is an empty cell.
                    let filled = is_start
                        || attr(&e, "office:value-type").is_some()
                        || attr(&e, "table:formula").is_some();
                    r.cell(count(&e, "table:number-columns-repeated"), filled);
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    Some(a.value.into_owned())
}

/// A repeat count (1 when absent or unreadable, as calamine would fail on it anyway).
fn count(e: &BytesStart<'_>, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
}

/// One row element: the cells calamine pushes for it (up to its last filled cell).
#[derive(Default)]
struct Row {
    repeats: u64,
    /// Cells up to and including the last filled one.
    width: u64,
    /// Empty cells seen since the last filled one (pushed only if a filled one follows).
    pending: u64,
}

impl Row {
    fn cell(&mut self, repeats: u64, filled: bool) {
        if filled {
            let with_gap = self.width.saturating_add(self.pending).min(MAX_COLUMNS);
            self.width = with_gap.saturating_add(repeats).min(MAX_COLUMNS);
            self.pending = 0;
        } else {
            self.pending = self.pending.saturating_add(repeats);
        }
    }
}

/// One sheet: the rows from the first filled one to the last, and the widest.
#[derive(Default)]
struct Sheet {
    name: String,
    /// Rows so far, repeats counted.
    rows: u64,
    /// Where the first filled row starts, and where the last one ends.
    first: Option<u64>,
    last_end: u64,
    width: u64,
    /// Cells held before the grid is made: one set per row element, not per repeat.
    sparse: u64,
}

impl Sheet {
    fn add_row(&mut self, r: &Row) {
        if r.width > 0 {
            self.first.get_or_insert(self.rows);
            self.last_end = self.rows + r.repeats;
            self.width = self.width.max(r.width);
            self.sparse = self.sparse.saturating_add(r.width);
        }
        self.rows += r.repeats;
    }

    /// The grid calamine makes, and the cells it held to make it.
    fn cells(&self) -> u64 {
        let rows = self.last_end.saturating_sub(self.first.unwrap_or(0));
        rows.saturating_mul(self.width).saturating_add(self.sparse)
    }
}
