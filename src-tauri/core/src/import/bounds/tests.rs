//! Crafted workbooks that would make calamine take gigabytes are refused before it reads them,
//! and real ones still read. Each crafted file is a few hundred bytes to a few KB.

use std::io::{Cursor, Write};

use super::{check, Limit, MAX_WORKBOOK_CELLS};
use crate::import::read_file;
use crate::import::sniff::Workbook;

/// A BIFF8 record.
fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

fn bof(kind: u16) -> Vec<u8> {
    let mut d = vec![0x00, 0x06];
    d.extend(kind.to_le_bytes());
    d.extend([0u8; 12]);
    rec(0x0809, &d)
}

/// A NUMBER cell.
fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(v.to_le_bytes());
    rec(0x0203, &d)
}

/// An Excel 97-2003 file with one sheet "Sheet1" holding `cells` (and `extra` records first).
fn xls(extra: &[Vec<u8>], cells: &[(u16, u16, f64)]) -> Vec<u8> {
    let boundsheet = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, 6, 0]);
        d.extend(b"Sheet1");
        rec(0x0085, &d)
    };
    let mut globals = bof(0x0005);
    globals.extend(rec(0x0042, &1200u16.to_le_bytes()));
    let sheet_at = (globals.len() + boundsheet(0).len() + 4) as u32;
    globals.extend(boundsheet(sheet_at));
    globals.extend(rec(0x000A, &[]));
    let mut stream = globals;
    stream.extend(bof(0x0010));
    for r in extra {
        stream.extend(r);
    }
    for &(r, c, v) in cells {
        stream.extend(number(r, c, v));
    }
    stream.extend(rec(0x000A, &[]));
    // Padded past 4 KB so it lives in ordinary sectors, as a real workbook's stream does.
    stream.resize(stream.len().max(4096), 0);
    let mut cfb =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    cfb.create_stream("Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

#[test]
fn a_real_old_excel_file_passes_and_reads() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/import-old-excel.xls"
    ))
    .unwrap();
    assert_eq!(check(&bytes, Workbook::Xls), Ok(()));
    assert!(read_file(&bytes).is_ok());
}

#[test]
fn a_built_xls_reads_so_the_crafted_ones_below_are_real_workbooks() {
    let bytes = xls(
        &[],
        &[
            (0, 0, 1.0),
            (0, 1, 2.0),
            (1, 0, 3.0),
            (1, 1, 4.0),
            (300, 5, 9.0),
        ],
    );
    assert_eq!(check(&bytes, Workbook::Xls), Ok(()));
    let parsed = read_file(&bytes).expect("calamine reads the built file");
    assert_eq!(
        parsed.headers,
        ["1", "2", "Column 3", "Column 4", "Column 5", "Column 6"]
    );
    assert_eq!(parsed.rows.len(), 2);
    assert_eq!(parsed.rows[1].line, 301);
}

#[test]
fn an_xls_with_two_cells_at_far_corners_is_refused_in_a_sentence() {
    // calamine's grid for these two cells would be 65,536 x 65,536 cells: 137 GB.
    let bytes = xls(&[], &[(0, 0, 1.0), (0, 1, 1.0), (65535, 65535, 2.0)]);
    assert!(bytes.len() < 10_000, "{} bytes", bytes.len());
    let limit = check(&bytes, Workbook::Xls).unwrap_err();
    assert_eq!(
        limit,
        Limit::TooManyCells {
            sheet: "Sheet1".into(),
            rows: 65536,
            cols: 65536
        }
    );
    let e = read_file(&bytes).unwrap_err().to_string();
    assert!(
        e.contains("\"Sheet1\" spreads over 65,536 rows by 65,536 columns")
            && e.contains("4 million cells"),
        "{e}"
    );
}

#[test]
fn an_xls_whose_dimensions_claim_billions_of_cells_is_refused() {
    // DIMENSIONS (BIFF8): rows 5 to 2, so calamine's 32-bit sum wraps to 4 billion; and rows 0
    // to 4,294,967,294 honestly claimed. Both would be a reserve of over 100 GB.
    for (first, last) in [(5u32, 3u32), (0, u32::MAX)] {
        let mut d = first.to_le_bytes().to_vec();
        d.extend(last.to_le_bytes());
        d.extend([0, 0, 4, 0, 0, 0]);
        let bytes = xls(&[rec(0x0200, &d)], &[(0, 0, 1.0), (0, 1, 1.0)]);
        assert!(
            matches!(
                check(&bytes, Workbook::Xls),
                Err(Limit::TooManyCells { .. })
            ),
            "{first}..{last}"
        );
    }
    // An honest DIMENSIONS record is no problem.
    let mut d = 0u32.to_le_bytes().to_vec();
    d.extend(2u32.to_le_bytes());
    d.extend([0, 0, 2, 0, 0, 0]);
    let bytes = xls(
        &[rec(0x0200, &d)],
        &[(0, 0, 1.0), (0, 1, 1.0), (1, 0, 2.0), (1, 1, 3.0)],
    );
    assert_eq!(check(&bytes, Workbook::Xls), Ok(()));
    assert_eq!(read_file(&bytes).unwrap().rows.len(), 1);
}

#[test]
fn an_xls_whose_directory_chain_loops_is_refused_as_damaged() {
    let mut bytes = xls(&[], &[(0, 0, 1.0), (0, 1, 2.0)]);
    // Point the directory's sector at itself in the FAT: calamine would follow it forever.
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let dir_start = u32_at(&bytes, 48);
    let fat_sector = u32_at(&bytes, 76) as usize;
    let at = 512 + fat_sector * 512 + dir_start as usize * 4;
    bytes[at..at + 4].copy_from_slice(&dir_start.to_le_bytes());
    assert_eq!(
        check(&bytes, Workbook::Xls),
        Err(Limit::Damaged("its sector table loops"))
    );
    let e = read_file(&bytes).unwrap_err().to_string();
    assert!(e.contains("damaged (its sector table loops)"), "{e}");
}

#[test]
fn an_xls_cut_short_or_pointing_past_its_end_is_refused_not_read() {
    let bytes = xls(&[], &[(0, 0, 1.0), (0, 1, 2.0)]);
    for cut in [100, 600, bytes.len() / 2] {
        assert!(read_file(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut bad = bytes.clone();
    bad[48..52].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    assert!(matches!(check(&bad, Workbook::Xls), Err(Limit::Damaged(_))));
}

/// A minimal OpenDocument spreadsheet with `table` as the body of its one table.
fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Assets">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
        .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

const CELL: &str =
    r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;

#[test]
fn a_small_ods_passes_and_reads() {
    let bytes = ods(&format!(
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Tag</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell></table:table-row><table:table-row>{CELL}{CELL}</table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
    ));
    assert_eq!(check(&bytes, Workbook::Ods), Ok(()));
    let parsed = read_file(&bytes).expect("calamine reads the built file");
    assert_eq!(parsed.headers, ["Tag", "Name"]);
    assert_eq!(parsed.rows.len(), 1);
}

#[test]
fn an_ods_repeating_a_filled_row_a_million_times_is_refused() {
    // 500 bytes of XML asking for 1,000,000 x 100 cells.
    let bytes = ods(
        r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100" office:value-type="float" office:value="1"/></table:table-row>"#,
    );
    let e = check(&bytes, Workbook::Ods).unwrap_err();
    assert_eq!(
        e,
        Limit::TooManyCells {
            sheet: "Assets".into(),
            rows: 1_000_000,
            cols: 100
        }
    );
    assert!(read_file(&bytes)
        .unwrap_err()
        .to_string()
        .contains("\"Assets\" spreads over 1,000,000 rows by 100 columns"));
}

#[test]
fn an_ods_of_many_wide_row_elements_is_refused() {
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
    let bytes = ods(&row.repeat(300));
    assert!(matches!(
        check(&bytes, Workbook::Ods),
        Err(Limit::TooManyCells { .. })
    ));
}

#[test]
fn an_xlsx_with_a_stray_cell_at_the_sheets_far_corner_reads_without_a_giant_grid() {
    // calamine's grid for this sheet would span A1:XFD1048576, 17 billion cells; the import
    // streams the cells instead and refuses the padded rows (3 rows x 16,384 columns fits).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Tag").unwrap();
    sheet.write_string(0, 1, "Name").unwrap();
    sheet.write_string(1, 0, "IT-1").unwrap();
    sheet.write_string(1, 1, "Laptop").unwrap();
    sheet.write_string(1_048_575, 16_383, "stray").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(check(&bytes, Workbook::Xlsx), Ok(()));
    let parsed = read_file(&bytes).unwrap();
    assert_eq!(parsed.headers.len(), 16_384);
    assert_eq!(parsed.rows.len(), 2);
    assert_eq!(parsed.rows[1].line, 1_048_576);

    // Many filled rows with the stray cell: the padded rows would be too many cells.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for r in 0..300u32 {
        sheet.write_string(r, 0, "a").unwrap();
        sheet.write_string(r, 1, "b").unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "stray").unwrap();
    let e = read_file(&book.save_to_buffer().unwrap())
        .unwrap_err()
        .to_string();
    assert!(e.contains("301 rows by 16,384 columns"), "{e}");
    const { assert!(301 * 16_384 > MAX_WORKBOOK_CELLS) };
}
