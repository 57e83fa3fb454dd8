//! Any bytes given to the CSV reader: it decodes (UTF-8, UTF-16, Windows-1252), sniffs the
//! delimiter and parses, or says why not. It must never panic, and what it returns must hold
//! together.
#![no_main]

use libfuzzer_sys::fuzz_target;
use register_core::import::read_file;

/// Zip (xlsx, ods) and OLE2 (xls) workbooks go to calamine, not this reader. Fuzzing found
/// that a crafted 5.7 KB .xls makes calamine allocate over 2 GB (README, "Importing"): it is
/// left out here until the workbook reader bounds its memory, so this target keeps fuzzing the
/// text path.
fn is_workbook(data: &[u8]) -> bool {
    data.starts_with(b"PK\x03\x04") || data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

fuzz_target!(|data: &[u8]| {
    if is_workbook(data) {
        return;
    }
    if let Ok(parsed) = read_file(data) {
        assert!(!parsed.headers.is_empty(), "a parsed file has a header row");
        assert!(
            [',', ';', '\t', '|'].contains(&parsed.delimiter),
            "delimiter {:?}",
            parsed.delimiter
        );
        assert_eq!(parsed.sha256.len(), 64);
        let mut last = 0;
        for row in &parsed.rows {
            assert!(row.line > last, "rows come in file order");
            last = row.line;
            assert!(row.cells().any(|c| !c.trim().is_empty()), "blank rows are left out");
        }
    }
});
