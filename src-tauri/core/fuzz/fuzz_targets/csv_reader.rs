//! Any bytes given to the CSV reader: it decodes (UTF-8, UTF-16, Windows-1252), sniffs the
//! delimiter and parses, or says why not. It must never panic, and what it returns must hold
//! together.
#![no_main]

use libfuzzer_sys::fuzz_target;
use register_core::import::read_file;

fuzz_target!(|data: &[u8]| {
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
