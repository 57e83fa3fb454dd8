//! Exporting assets as CSV (columns the importer reads back, so export → import into an empty
//! register gives the same assets) and as JSON. Writes to any `io::Write`; never picks a path.
//!
//! CSV cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//! carriage return, per OWASP's CSV-injection advice) get a leading `'`. Plain numbers such as
//! `-5` are left alone. A cell that already starts with `'` before such text gets one more, so
//! the importer's rule, "drop one leading `'` when the rest would have been neutralised", gives
//! back exactly what was exported.

use std::borrow::Cow;
use std::io::Write;

use rusqlite::Connection;

use crate::assets::{list_assets, Asset, ListQuery};
use crate::error::{Error, Result};

/// The CSV header, in column order. Each is a name the importer maps to the field of the same
/// meaning without help.
pub const CSV_HEADERS: [&str; 14] = [
    "Asset Tag",
    "Name",
    "Category",
    "Make",
    "Model",
    "Serial Number",
    "Purchase Date",
    "Purchase Cost",
    "Supplier",
    "Warranty Expires",
    "Status",
    "Assigned To",
    "Location",
    "Notes",
];

/// Writes `assets` as CSV: a header row, then one row per asset, RFC 4180 quoting and CRLF line
/// ends. With `bom`, starts with a UTF-8 byte-order mark so Excel reads accents correctly.
pub fn write_csv(mut w: impl Write, assets: &[Asset], bom: bool) -> Result<()> {
    if bom {
        w.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    out.write_record(CSV_HEADERS).map_err(csv_error)?;
    for a in assets {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let row = [
            a.asset_tag.clone(),
            a.name.clone(),
            o(&a.category),
            o(&a.make),
            o(&a.model),
            o(&a.serial_number),
            o(&a.purchase_date),
            a.purchase_cost.map(|m| m.to_string()).unwrap_or_default(),
            o(&a.supplier),
            o(&a.warranty_expires),
            a.status.label().to_string(),
            o(&a.assigned_to),
            o(&a.location),
            o(&a.notes),
        ];
        out.write_record(row.iter().map(|c| guard(c).into_owned()))
            .map_err(csv_error)?;
    }
    out.flush()?;
    Ok(())
}

/// Writes `assets` as a pretty-printed JSON array of the same objects `--json` prints.
pub fn write_json(mut w: impl Write, assets: &[Asset]) -> Result<()> {
    serde_json::to_writer_pretty(&mut w, assets)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// Every asset of the register in tag order (archived ones too when asked), for exporting.
pub fn list_all_assets(conn: &Connection, include_archived: bool) -> Result<Vec<Asset>> {
    let mut all = Vec::new();
    loop {
        let q = ListQuery {
            include_archived,
            limit: Some(1000),
            offset: all.len() as u32,
            ..Default::default()
        };
        let page = list_assets(conn, &q)?;
        let n = page.assets.len();
        all.extend(page.assets);
        if n < 1000 {
            return Ok(all);
        }
    }
}

/// Every asset a list query matches (its filters and sort; paging ignored), for exporting
/// what the list shows.
pub fn list_matching_assets(conn: &Connection, query: &ListQuery) -> Result<Vec<Asset>> {
    let mut all = Vec::new();
    loop {
        let q = ListQuery {
            limit: Some(1000),
            offset: all.len() as u32,
            ..query.clone()
        };
        let page = list_assets(conn, &q)?;
        let n = page.assets.len();
        all.extend(page.assets);
        if n < 1000 {
            return Ok(all);
        }
    }
}

pub(crate) fn csv_error(e: csv::Error) -> Error {
    Error::Io(e.into())
}

/// True when a spreadsheet would treat `s` as a formula, or `s` is `'` before such text.
fn needs_guard(s: &str) -> bool {
    match s.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !plain_number(s),
        Some('\'') => needs_guard(&s[1..]),
        _ => false,
    }
}

/// Digits with an optional sign and one decimal point: `-5`, `+3.25`.
fn plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits) && !(int.is_empty() && frac.is_none_or(str::is_empty))
}

/// Neutralises a cell for spreadsheets (see the module comment).
pub(crate) fn guard(s: &str) -> Cow<'_, str> {
    if needs_guard(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Undoes [`guard`]: drops one leading `'` when the rest would have been neutralised.
pub(crate) fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_formulas_but_not_numbers() {
        let cases = [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+44 20 7946 0000", "'+44 20 7946 0000"),
            ("-cmd", "'-cmd"),
            ("@SUM", "'@SUM"),
            ("\tx", "'\tx"),
            ("-5", "-5"),
            ("+3.25", "+3.25"),
            ("-", "'-"),
            ("-.", "'-."),
            ("'=x", "''=x"),
            ("'hello", "'hello"),
            ("Laptop", "Laptop"),
            ("", ""),
        ];
        for (raw, out) in cases {
            assert_eq!(guard(raw), out, "{raw:?}");
            assert_eq!(unguard(&guard(raw)), raw, "{raw:?} round trip");
        }
        assert_eq!(unguard("'plain"), "'plain");
    }

    #[test]
    fn writes_header_bom_and_quotes() {
        let mut buf = Vec::new();
        write_csv(&mut buf, &[], true).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(s.starts_with("\u{feff}Asset Tag,Name,"));
        assert!(s.ends_with("Notes\r\n"));
    }
}
