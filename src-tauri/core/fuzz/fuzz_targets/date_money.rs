//! Any text as a money amount or a date, the way forms and the CLI parse them. Never a panic;
//! an amount that parses prints back to text that parses to the same amount, and a date that
//! parses prints as ISO 8601 that parses to the same date.
#![no_main]

use libfuzzer_sys::fuzz_target;
use register_core::values::{format_date, format_money, parse_date, parse_money};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(Some(minor)) = parse_money("purchase_cost", s) {
        let printed = format_money(minor);
        assert_eq!(
            parse_money("purchase_cost", &printed).ok().flatten(),
            Some(minor),
            "{s:?} → {minor} → {printed:?}"
        );
    }
    if let Ok(Some(date)) = parse_date("purchase_date", s) {
        let printed = format_date(date);
        assert_eq!(
            parse_date("purchase_date", &printed).ok().flatten(),
            Some(date),
            "{s:?} → {printed:?}"
        );
    }
});
