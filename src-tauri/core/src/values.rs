//! The register's value types and their parsing and formatting: [`Money`] in whole minor units,
//! ISO dates, and optional text. Pure functions; every caller (UI, CLI, import) parses through
//! here.

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// Trims `s`; empty becomes `None`.
pub fn text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Parses a money amount into minor units (pence, cents). Accepts `1234.56`, `1,234.56`,
/// `£1234.5`, `1234`; refuses negatives, more than two decimals and anything else.
pub fn parse_money(field: &str, s: &str) -> Result<Option<i64>> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || {
        Error::invalid(
            field,
            format!("\"{t}\" is not an amount of money (e.g. 1249.99)"),
        )
    };
    let t = t.trim_start_matches(['£', '$', '€']).trim();
    if t.starts_with('-') {
        return Err(Error::invalid(field, "an amount cannot be negative"));
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    let whole: String = if whole.contains(',') {
        // Thousands separators must group by three: 1,234,567.
        let groups: Vec<&str> = whole.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err(bad());
        }
        groups.concat()
    } else {
        whole.to_string()
    };
    if whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if frac.len() > 2 {
        return Err(Error::invalid(
            field,
            "an amount has at most two decimal places",
        ));
    }
    let units: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .filter(|v| *v <= 1_000_000_000_000)
        .map(Some)
        .ok_or_else(|| Error::invalid(field, "that amount is too large"))
}

/// An amount of money in whole minor units (pence, cents): exact, never a float. In JSON it is
/// the plain decimal string `"1249.99"`, the form the window, the exports and the CLI's `--json`
/// have always used; it is grouped (`1,249.99`) only where people read it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    /// No money.
    pub const ZERO: Money = Money(0);

    /// The amount of `minor` units.
    pub const fn from_minor(minor: i64) -> Money {
        Money(minor)
    }

    /// The amount in minor units.
    pub const fn minor(self) -> i64 {
        self.0
    }

    /// Parses typed money (see [`parse_money`]); empty is `None`. Errors name `field`.
    pub fn parse(field: &str, s: &str) -> Result<Option<Money>> {
        Ok(parse_money(field, s)?.map(Money))
    }

    /// With thousands separators, for reading: `1,234,567.89`.
    pub fn grouped(self) -> String {
        format_money_grouped(self.0)
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&format_money(self.0))
    }
}

/// Compares with the JSON form, so `assert_eq!(total, "1249.99")` reads as the output does.
impl PartialEq<&str> for Money {
    fn eq(&self, other: &&str) -> bool {
        format_money(self.0) == *other
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        self.0 += other.0;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Money, D::Error> {
        let s = String::deserialize(d)?;
        // Stored and exported amounts may be negative (a loss); typed input never is.
        let (sign, digits) = match s.trim().strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, s.trim()),
        };
        match parse_money("amount", digits) {
            Ok(Some(m)) => Ok(Money(sign * m)),
            Ok(None) => Err(serde::de::Error::custom("an amount cannot be empty")),
            Err(e) => Err(serde::de::Error::custom(e)),
        }
    }
}

impl rusqlite::ToSql for Money {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.0.into())
    }
}

impl rusqlite::types::FromSql for Money {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Money> {
        i64::column_result(v).map(Money)
    }
}

/// Formats minor units as a plain decimal string: `124999` → `"1249.99"`.
pub fn format_money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}{}.{:02}", m / 100, m % 100)
}

/// A whole number with thousands separators: `1234567` → `"1,234,567"`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Minor units as grouped money: `123456789` → `"1,234,567.89"`.
pub fn format_money_grouped(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs() as i64;
    format!("{sign}{}.{:02}", group_thousands(m / 100), m % 100)
}

/// Parses an ISO date (YYYY-MM-DD), refusing impossible dates like 2023-02-30.
pub fn parse_date(field: &str, s: &str) -> Result<Option<NaiveDate>> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let shape_ok = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(Error::invalid(
            field,
            format!("\"{t}\" is not a date; use YYYY-MM-DD"),
        ));
    }
    // The shape is checked: read the digits directly (an import parses 200k dates).
    let num = |r: std::ops::Range<usize>| t[r].parse::<u32>().unwrap_or(0);
    let d = NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
        .ok_or_else(|| Error::invalid(field, format!("{t} is not a real date")))?;
    if d.year_ce().1 < 1900 {
        return Err(Error::invalid(field, format!("{t} is before 1900")));
    }
    Ok(Some(d))
}

use chrono::Datelike;

/// A stored `YYYY-MM-DD` date, read without a format parser (the forecast reads one per asset).
pub fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Formats a date as YYYY-MM-DD.
pub fn format_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    match d.year() {
        // What %Y-%m-%d writes, without the formatter's cost (an import formats 200k dates).
        y @ 0..=9999 => format!("{y:04}-{:02}-{:02}", d.month(), d.day()),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_as_chrono_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        while d.year() < 10_000 {
            assert_eq!(format_date(d), d.format("%Y-%m-%d").to_string());
            d = d + chrono::Days::new(997);
        }
        for d in [
            NaiveDate::from_ymd_opt(0, 2, 29).unwrap(),
            NaiveDate::from_ymd_opt(-5, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        ] {
            assert_eq!(format_date(d), d.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn money_table() {
        let ok = [
            ("1249.99", 124999),
            ("1,249.99", 124999),
            ("£1249.9", 124990),
            ("0", 0),
            ("12", 1200),
            (".5", 50),
            ("1,000,000", 100000000),
            ("  3.07 ", 307),
        ];
        for (s, v) in ok {
            assert_eq!(parse_money("cost", s).unwrap(), Some(v), "{s}");
        }
        assert_eq!(parse_money("cost", " ").unwrap(), None);
        for s in [
            "-1",
            "1.234",
            "abc",
            "1,23",
            "1e5",
            "12,34.00",
            ".",
            "1.2.3",
            "99999999999999",
        ] {
            let e = parse_money("purchase_cost", s).unwrap_err();
            assert_eq!(e.field(), Some("purchase_cost"), "{s}");
        }
        assert!(parse_money("c", "-5")
            .unwrap_err()
            .to_string()
            .contains("negative"));
    }

    #[test]
    fn money_formats_exactly() {
        assert_eq!(format_money(124999), "1249.99");
        assert_eq!(format_money(5), "0.05");
        assert_eq!(format_money(0), "0.00");
        assert_eq!(format_money(-150), "-1.50");
    }

    #[test]
    fn date_table() {
        assert_eq!(
            parse_date("d", "2024-02-29").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_date("d", "").unwrap(), None);
        for s in [
            "2023-02-29",
            "2023-02-30",
            "2023-13-01",
            "2023-1-1",
            "01/02/2023",
            "20230101",
            "0000-01-01",
        ] {
            assert!(parse_date("purchase_date", s).is_err(), "{s}");
        }
        assert!(parse_date("d", "2023-02-30")
            .unwrap_err()
            .to_string()
            .contains("not a real date"));
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(format_money_grouped(123456789), "1,234,567.89");
        assert_eq!(format_money_grouped(5), "0.05");
    }

    #[test]
    fn money_is_exact_and_keeps_its_json_form() {
        let m = Money::parse("cost", "1,249.99").unwrap().unwrap();
        assert_eq!(m.minor(), 124999);
        assert_eq!(m.to_string(), "1249.99");
        assert_eq!(m.grouped(), "1,249.99");
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"1249.99\"");
        let back: Money = serde_json::from_str("\"1249.99\"").unwrap();
        assert_eq!(back, m);
        let loss: Money = serde_json::from_str("\"-1.50\"").unwrap();
        assert_eq!(loss, Money::from_minor(-150));
        assert!(serde_json::from_str::<Money>("\"abc\"").is_err());
        assert_eq!(
            [m, Money::from_minor(1)].into_iter().sum::<Money>(),
            Money::from_minor(125000)
        );
        assert_eq!(Money::parse("cost", " ").unwrap(), None);
    }
}
