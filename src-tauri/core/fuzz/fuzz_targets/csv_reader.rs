//! Any bytes given to the import reader: it decodes text (UTF-8, UTF-16, legacy code pages),
//! sniffs the delimiter and parses, or reads a workbook within its bounds, or says why not. It
//! must never panic, and what it returns must hold together.
#![no_main]

use libfuzzer_sys::fuzz_target;
use register_core::import::read_file;

fuzz_target!(|data: &[u8]| {
    // Workbooks (a zip or OLE2 start) go through import::bounds and then calamine: fuzzing
    // found a 5.7 KB .xls that made calamine allocate over 2 GB before the bounds existed.
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
