//! Cleaning spreadsheet values into the register's forms: dates (ISO, day-first, month-first,
//! month names, spreadsheet serial numbers), money (currency signs, thousands separators,
//! decimal commas), status words, and serials mangled into scientific notation. Pure functions;
//! the caller decides what a failure means for the row.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::status::Status;

/// The order of day and month in dates like 03/04/2024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Day first: 03/04/2024 is 3 April (UK, most of the world).
    Dmy,
    /// Month first: 03/04/2024 is 4 March (US).
    Mdy,
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DateError {
    /// Day and month could be either way round and the column does not say which.
    Ambiguous,
    /// Not a date at all (the message says why).
    Invalid(String),
}

/// What a column's numeric dates prove about their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct OrderEvidence {
    /// Some value's first part is above 12 (so it is the day).
    pub day_first: bool,
    /// Some value's second part is above 12.
    pub month_first: bool,
    /// Up to three values readable either way, to show the user.
    pub ambiguous: Vec<String>,
}

impl OrderEvidence {
    /// Adds one value's evidence.
    pub fn add(&mut self, value: &str) {
        if let Some((a, b, _)) = numeric_parts(value) {
            if a > 12 && b <= 12 {
                self.day_first = true;
            } else if b > 12 && a <= 12 {
                self.month_first = true;
            } else if a <= 12 && b <= 12 && a != b && self.ambiguous.len() < 3 {
                self.ambiguous.push(value.trim().to_string());
            }
        }
    }

    /// The order the values prove, if exactly one is proven.
    pub fn proven(&self) -> Option<DateOrder> {
        match (self.day_first, self.month_first) {
            (true, false) => Some(DateOrder::Dmy),
            (false, true) => Some(DateOrder::Mdy),
            _ => None,
        }
    }
}

/// Strips a time of day after the date: "2024-01-15 10:30", "2024-01-15T10:30:00Z".
fn date_part(s: &str) -> &str {
    let t = s.trim();
    if let Some((d, time)) = t.split_once(['T', ' ']) {
        if time.contains(':') {
            return d.trim();
        }
    }
    t
}

/// `a/b/y`, `a-b-y`, `a.b.y` with a year of two or four digits (not year-first).
fn numeric_parts(s: &str) -> Option<(u32, u32, i32)> {
    let t = date_part(s);
    let sep = t.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = t.split(sep).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts[0].len() > 2 || parts[1].len() > 2 || !matches!(parts[2].len(), 2 | 4) {
        return None;
    }
    let year: i32 = parts[2].parse().ok()?;
    let year = if parts[2].len() == 2 {
        two_digit_year(year)
    } else {
        year
    };
    Some((parts[0].parse().ok()?, parts[1].parse().ok()?, year))
}

/// 24 → 2024, 85 → 1985: spreadsheets' own cut-off for two-digit years.
fn two_digit_year(y: i32) -> i32 {
    if y < 70 {
        2000 + y
    } else {
        1900 + y
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "15 Jan 2024", "15-Jan-24", "January 15, 2024", "Jan 15 2024".
fn named_month(s: &str) -> Option<Result<NaiveDate, DateError>> {
    let tokens: Vec<&str> = date_part(s)
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | '/' | '.'))
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() != 3 {
        return None;
    }
    let month_at = tokens
        .iter()
        .position(|t| t.chars().all(char::is_alphabetic))?;
    let name = tokens[month_at].to_lowercase();
    // A month's name or any abbreviation of three letters or more: "Jan", "Sept", "March".
    let month = MONTHS
        .iter()
        .position(|m| name.chars().count() >= 3 && m.starts_with(name.as_str()))?
        as u32
        + 1;
    let rest: Vec<&str> = tokens
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != month_at)
        .map(|(_, t)| *t)
        .collect();
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if !rest.iter().all(|t| digits(t)) {
        return None;
    }
    // The year is the four-digit token, else the last one.
    let (day, year) = if rest[0].len() == 4 {
        (rest[1], rest[0])
    } else {
        (rest[0], rest[1])
    };
    let day: u32 = day.parse().ok()?;
    let mut year: i32 = year.parse().ok()?;
    if year < 100 {
        year = two_digit_year(year);
    }
    Some(real_date(year, month, day, s))
}

fn real_date(y: i32, m: u32, d: u32, original: &str) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| DateError::Invalid(format!("\"{}\" is not a real date", original.trim())))
}

/// The first day of the spreadsheet date system: serial 1 is 1900-01-01, and the system counts
/// a 29 February 1900 that never was, so from serial 61 on, day 0 is 1899-12-30.
fn spreadsheet_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date")
}

/// Reads a date in any of the supported spellings. `order` decides dates like 03/04/2024;
/// without it they are [`DateError::Ambiguous`] (unless day and month are equal).
pub(super) fn parse_date(s: &str, order: Option<DateOrder>) -> Result<NaiveDate, DateError> {
    let t = date_part(s);
    let bad = || DateError::Invalid(format!("\"{}\" is not a date", s.trim()));
    // Year first: 2024-01-15, 2024/1/15, 2024.01.15.
    if let Some(sep) = t.chars().nth(4).filter(|c| matches!(c, '-' | '/' | '.')) {
        let parts: Vec<&str> = t.split(sep).collect();
        if parts.len() == 3 && parts[0].len() == 4 {
            let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if n.len() == 3 && parts[1].len() <= 2 && parts[2].len() <= 2 {
                return real_date(n[0] as i32, n[1], n[2], s);
            }
        }
        return Err(bad());
    }
    if !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && t.matches('.').count() <= 1
    {
        let whole = t.split('.').next().unwrap_or("");
        // 20240115: compact ISO.
        if whole.len() == 8 && !t.contains('.') {
            let n: u32 = whole.parse().map_err(|_| bad())?;
            return real_date((n / 10000) as i32, n / 100 % 100, n % 100, s);
        }
        // A spreadsheet serial (the integer part; a fraction is the time of day).
        let serial: u64 = whole.parse().map_err(|_| bad())?;
        if (61..=2_958_465).contains(&serial) {
            return spreadsheet_epoch()
                .checked_add_days(Days::new(serial))
                .ok_or_else(bad);
        }
        return Err(bad());
    }
    if let Some((a, b, y)) = numeric_parts(t) {
        let (d, m) = match order {
            _ if a == b => (a, b),
            _ if a > 12 && b <= 12 => (a, b),
            _ if b > 12 && a <= 12 => (b, a),
            Some(DateOrder::Dmy) => (a, b),
            Some(DateOrder::Mdy) => (b, a),
            None => return Err(DateError::Ambiguous),
        };
        if let Some(o) = order {
            // A value that contradicts the column's order is wrong, not a different order.
            let contradicts = match o {
                DateOrder::Dmy => b > 12,
                DateOrder::Mdy => a > 12,
            };
            if contradicts {
                return Err(DateError::Invalid(format!(
                    "\"{}\" is not a real date when read {}",
                    s.trim(),
                    describe(o)
                )));
            }
        }
        return real_date(y, m, d, s);
    }
    named_month(t).unwrap_or_else(|| Err(bad()))
}

/// "day first (DD/MM/YYYY)" or "month first (MM/DD/YYYY)".
pub(super) fn describe(o: DateOrder) -> &'static str {
    match o {
        DateOrder::Dmy => "day first (DD/MM/YYYY)",
        DateOrder::Mdy => "month first (MM/DD/YYYY)",
    }
}

/// Removes currency signs and codes and the spaces and apostrophes used to group thousands.
fn strip_money(s: &str) -> String {
    let mut t = s.trim().to_string();
    if t.bytes().any(|b| b.is_ascii_alphabetic()) {
        for code in ["GBP", "EUR", "USD", "CHF", "gbp", "eur", "usd", "chf"] {
            if t.contains(code) {
                t = t.replace(code, "");
            }
        }
    }
    t.retain(|c| {
        !matches!(
            c,
            '£' | '$' | '€' | '¥' | '\'' | '’' | '\u{a0}' | '\u{202f}'
        ) && !c.is_whitespace()
    });
    t
}

/// The decimal separator a value shows, if it shows one unambiguously: a single `,` or `.`
/// followed by one or two digits at the end.
pub(super) fn decimal_hint(s: &str) -> Option<char> {
    let t = strip_money(s);
    let (pos, sep) = t
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, ',' | '.'))?;
    let frac = &t[pos + 1..];
    let only_one = t.matches(sep).count() == 1;
    let other = if sep == ',' { '.' } else { ',' };
    (only_one
        && !t.contains(other)
        && (1..=2).contains(&frac.len())
        && frac.bytes().all(|b| b.is_ascii_digit()))
    .then_some(sep)
}

/// Normalises an amount to `1234.56` for the core to validate. `decimal` is the column's
/// decimal separator when its values prove one; it decides values like `1.234`.
pub(super) fn normalise_money(s: &str, decimal: Option<char>) -> Result<String, String> {
    let t = strip_money(s);
    let bad = || format!("\"{}\" is not an amount of money", s.trim());
    if t.starts_with('-') || (t.starts_with('(') && t.ends_with(')')) {
        return Err("an amount cannot be negative".into());
    }
    let t = t.strip_prefix('+').unwrap_or(&t);
    let last_dot = t.rfind('.');
    let last_comma = t.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(p), None) | (None, Some(p)) => {
            let sep = t.as_bytes()[p] as char;
            let frac_len = t.len() - p - 1;
            // Repeated (1,234,567) or followed by three digits (1,234): thousands separators,
            // unless the column's values show this is its decimal separator.
            let thousands = t.matches(sep).count() > 1 || (frac_len == 3 && decimal != Some(sep));
            (!thousands).then_some(p)
        }
        (None, None) => None,
    };
    let (whole, frac) = match decimal_at {
        Some(p) => (&t[..p], &t[p + 1..]),
        None => (t, ""),
    };
    let whole: String = whole.chars().filter(|c| !matches!(c, ',' | '.')).collect();
    if (whole.is_empty() && frac.is_empty())
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    Ok(if frac.is_empty() {
        whole
    } else {
        format!("{whole}.{frac}")
    })
}

/// Maps a status word to a status. Beyond the register's own spellings it knows the words
/// spreadsheets and Snipe-IT use. "Broken" means In Maintenance (it may be repaired: retiring
/// is a decision for a person); "Broken - not fixable" means Retired.
pub(super) fn status_word(s: &str) -> Option<Status> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let lookup = |k: &str| -> Option<Status> {
        Some(match k {
            "available" | "instock" | "stock" | "spare" | "readytodeploy" | "ready" | "rtd"
            | "unassigned" | "instorage" | "free" => Status::Available,
            "deployed" | "issued" | "inuse" | "assigned" | "checkedout" | "allocated"
            | "inservice" | "active" => Status::Deployed,
            "inmaintenance" | "maintenance" | "repair" | "inrepair" | "underrepair"
            | "outforrepair" | "outfordiagnostics" | "awaitingrepair" | "broken" | "faulty"
            | "servicing" => Status::InMaintenance,
            "retired" | "disposed" | "archived" | "decommissioned" | "scrapped" | "recycled"
            | "sold" | "writtenoff" | "endoflife" | "eol" | "brokennotfixable" | "beyondrepair"
            | "donated" => Status::Retired,
            "loststolen" | "lost" | "stolen" | "missing" => Status::LostStolen,
            _ => return None,
        })
    };
    let t = s.trim();
    if let Some(st) = lookup(&key(t)) {
        return Some(st);
    }
    // "Ready to Deploy (Deployed)": the word in brackets, then the one before them.
    let (outer, inner) = t.split_once('(')?;
    lookup(&key(inner.trim_end_matches(')'))).or_else(|| lookup(&key(outer)))
}

/// True for a serial a spreadsheet turned into scientific notation: `6.37702E+15`.
pub(super) fn mangled_serial(s: &str) -> bool {
    let t = s.trim().to_ascii_uppercase();
    let Some((mantissa, exp)) = t.split_once("E+") else {
        return false;
    };
    let mut m = mantissa.splitn(2, ['.', ',']);
    let int = m.next().unwrap_or("");
    let frac = m.next().unwrap_or("0");
    int.len() == 1
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !exp.is_empty()
        && exp.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_every_spelling() {
        let ok: [(&str, Option<DateOrder>, NaiveDate); 14] = [
            ("2024-01-15", None, d(2024, 1, 15)),
            ("2024/1/5", None, d(2024, 1, 5)),
            ("2024-01-15 00:00:00", None, d(2024, 1, 15)),
            ("2024-01-15T10:30:00Z", None, d(2024, 1, 15)),
            ("20240115", None, d(2024, 1, 15)),
            ("45292", None, d(2024, 1, 1)),
            ("45292.75", None, d(2024, 1, 1)),
            ("31/01/2024", None, d(2024, 1, 31)),
            ("01/31/2024", None, d(2024, 1, 31)),
            ("03/04/2024", Some(DateOrder::Dmy), d(2024, 4, 3)),
            ("03/04/2024", Some(DateOrder::Mdy), d(2024, 3, 4)),
            ("5.6.24", Some(DateOrder::Dmy), d(2024, 6, 5)),
            ("15 Jan 2024", None, d(2024, 1, 15)),
            ("January 15, 2024", None, d(2024, 1, 15)),
        ];
        for (s, o, want) in ok {
            assert_eq!(parse_date(s, o), Ok(want), "{s}");
        }
        assert_eq!(parse_date("15-Jan-24", None), Ok(d(2024, 1, 15)));
        assert_eq!(parse_date("07/07/2024", None), Ok(d(2024, 7, 7)));
        assert_eq!(parse_date("03/04/2024", None), Err(DateError::Ambiguous));
        for bad in [
            "31/02/2024",
            "yesterday",
            "2024-13-01",
            "12",
            "13/13/2024",
            "Foo 3 2024",
        ] {
            assert!(
                matches!(parse_date(bad, None), Err(DateError::Invalid(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            parse_date("13/01/2024", Some(DateOrder::Mdy)),
            Err(DateError::Invalid(_))
        ));
    }

    #[test]
    fn order_evidence() {
        let mut e = OrderEvidence::default();
        for v in ["03/04/2024", "2024-01-01", "05/06/2024"] {
            e.add(v);
        }
        assert_eq!(e.proven(), None);
        assert_eq!(e.ambiguous, vec!["03/04/2024", "05/06/2024"]);
        e.add("25/12/2023");
        assert_eq!(e.proven(), Some(DateOrder::Dmy));
        e.add("12/25/2023");
        assert_eq!(e.proven(), None, "mixed columns prove nothing");
    }

    #[test]
    fn money_in_every_spelling() {
        let ok: [(&str, Option<char>, &str); 12] = [
            ("1249.99", None, "1249.99"),
            ("£1,249.99", None, "1249.99"),
            ("1.234,56 €", None, "1234.56"),
            ("1 234,56", None, "1234.56"),
            ("1\u{a0}234,5", None, "1234.5"),
            ("EUR 12", None, "12"),
            ("$1,234", None, "1234"),
            ("1.234", Some(','), "1234"),
            ("1,5", None, "1.5"),
            ("1'234.50 CHF", None, "1234.50"),
            ("1.234.567,00", None, "1234567.00"),
            ("+3", None, "3"),
        ];
        for (s, dec, want) in ok {
            assert_eq!(normalise_money(s, dec).as_deref(), Ok(want), "{s}");
        }
        for bad in ["-5", "(12.00)", "abc", "1.2.3,4.5x", ""] {
            assert!(normalise_money(bad, None).is_err(), "{bad}");
        }
        assert_eq!(decimal_hint("12,50 €"), Some(','));
        assert_eq!(decimal_hint("1249.9"), Some('.'));
        assert_eq!(decimal_hint("1,234"), None);
        assert_eq!(decimal_hint("1.234,56"), None);
    }

    #[test]
    fn status_words() {
        let cases = [
            ("In stock", Status::Available),
            ("Ready to Deploy", Status::Available),
            ("Issued", Status::Deployed),
            ("in use", Status::Deployed),
            ("Out for Repair", Status::InMaintenance),
            ("Broken", Status::InMaintenance),
            ("Broken - Not Fixable", Status::Retired),
            ("Disposed", Status::Retired),
            ("Archived", Status::Retired),
            ("Lost/Stolen", Status::LostStolen),
            ("Stolen", Status::LostStolen),
            ("Ready to Deploy (Deployed)", Status::Deployed),
        ];
        for (w, s) in cases {
            assert_eq!(status_word(w), Some(s), "{w}");
        }
        assert_eq!(status_word("Pending"), None);
    }

    #[test]
    fn mangled_serials() {
        for s in ["6.37702E+15", "1.2e+10", "6,37702E+15"] {
            assert!(mangled_serial(s), "{s}");
        }
        for s in ["5CD1234XYZ", "1E5", "12.5E+3X", "E+15", "637702000000000"] {
            assert!(!mangled_serial(s), "{s}");
        }
    }
}
