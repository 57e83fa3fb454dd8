//! Any bytes as an import file, through the whole preview: column mapping, cleaning of dates
//! (ISO, day-first, month-first, spreadsheet serials), money, status words and serials, and
//! duplicate checks against a register. It must never panic, and every row must get a fate.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use register_core::import::{preview, read_file, DateOrder, ImportOptions, OnDuplicate};
use register_core::Db;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = read_file(data) else { return };
    // One register for every run: preview only reads, so runs cannot affect each other.
    static DB: OnceLock<Db> = OnceLock::new();
    let db = DB.get_or_init(|| Db::open_in_memory().expect("an in-memory register"));
    // The file's length picks the options, so each input also runs with a date order and a
    // duplicate rule chosen.
    let opts = ImportOptions {
        date_order: [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)][data.len() % 3],
        on_duplicate: [OnDuplicate::Skip, OnDuplicate::Update, OnDuplicate::Fail][data.len() / 3 % 3],
        skip_invalid: data.len() % 2 == 0,
        ..ImportOptions::default()
    };
    let Ok(plan) = db.read(|c| preview(c, &parsed, &opts)) else {
        return;
    };
    assert_eq!(plan.rows.len(), parsed.rows.len(), "one planned fate per row");
});
