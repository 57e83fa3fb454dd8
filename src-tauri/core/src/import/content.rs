//! What a column's values show it holds, for a column whose header does not say: unique codes
//! shaped like tags, dates, amounts with currency signs, status words, or people's names that
//! repeat across rows. Each guess says why, in words, and how sure it is (0–100).

use std::collections::HashMap;

use super::clean::{self, DateError};
use super::mapping::Field;

/// A field a column's values point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Guess {
    /// What the values look like: a date column may be the purchase date or the warranty end.
    pub kind: Kind,
    /// How sure, 0–100.
    pub score: u8,
    /// Why, for the user: "38 of 40 values are dates".
    pub reason: String,
}

/// What a column's values look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Tags,
    Dates,
    Money,
    Statuses,
    People,
}

impl Kind {
    /// The fields this kind of values can fill, in order of preference.
    pub(super) fn fields(self) -> &'static [Field] {
        match self {
            Kind::Tags => &[Field::AssetTag],
            Kind::Dates => &[Field::PurchaseDate, Field::WarrantyExpires],
            Kind::Money => &[Field::PurchaseCost],
            Kind::Statuses => &[Field::Status],
            Kind::People => &[Field::AssignedTo],
        }
    }
}

/// The fewest non-empty values worth guessing from.
const MIN_VALUES: usize = 3;

fn share(hits: usize, n: usize) -> f64 {
    hits as f64 / n as f64
}

fn of(hits: usize, n: usize) -> String {
    if hits == n {
        format!("all {n} values")
    } else {
        format!("{hits} of {n} values")
    }
}

/// A code shaped like an asset tag: 1–6 letters, an optional separator, 2–8 digits
/// (`IT-0042`, `LAP0042`, `A/123`). Returns the letters.
fn tag_prefix(v: &str) -> Option<&str> {
    let letters = v.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    if !(1..=6).contains(&letters) {
        return None;
    }
    let rest = &v[letters..];
    let digits = rest.trim_start_matches(['-', '_', '/', '.', ' ']);
    let sep = rest.len() - digits.len();
    (sep <= 1 && (2..=8).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| &v[..letters])
}

/// A person's name as registers write it: 2–4 words, each starting with a capital letter,
/// letters (and ' ’ - .) only.
fn person_shaped(v: &str) -> bool {
    let words: Vec<&str> = v.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
        })
}

/// The best guess for a column from its non-empty values (up to a few hundred), or `None`.
pub(super) fn guess(values: &[&str]) -> Option<Guess> {
    let n = values.len();
    if n < MIN_VALUES {
        return None;
    }
    let mut out: Vec<Guess> = Vec::new();

    // A date written as one: two separators or a month's name. A bare number (a spreadsheet's
    // serial date, or an amount) is not taken for one here.
    let written_as_date =
        |v: &str| v.matches(['-', '/', '.']).count() >= 2 || v.chars().any(char::is_alphabetic);
    let dates = values
        .iter()
        .filter(|v| {
            written_as_date(v)
                && matches!(
                    clean::parse_date(v, None),
                    Ok(_) | Err(DateError::Ambiguous)
                )
        })
        .count();
    if share(dates, n) >= 0.9 {
        out.push(Guess {
            kind: Kind::Dates,
            score: if dates == n { 80 } else { 65 },
            reason: format!("{} are dates", of(dates, n)),
        });
    }

    let signed = values
        .iter()
        .filter(|v| v.contains(['£', '$', '€']) && clean::normalise_money(v, None).is_ok())
        .count();
    let two_decimals = values
        .iter()
        .filter(|v| {
            let t = v.trim();
            t.rsplit_once('.').is_some_and(|(whole, cents)| {
                cents.len() == 2
                    && cents.bytes().all(|b| b.is_ascii_digit())
                    && !whole.is_empty()
                    && whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
            })
        })
        .count();
    if share(signed, n) >= 0.9 {
        out.push(Guess {
            kind: Kind::Money,
            score: 85,
            reason: format!("{} are amounts with a currency sign", of(signed, n)),
        });
    } else if share(two_decimals, n) >= 0.9 {
        out.push(Guess {
            kind: Kind::Money,
            score: 55,
            reason: format!("{} are amounts with pence", of(two_decimals, n)),
        });
    }

    let statuses: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| clean::status_word(v).is_some())
        .collect();
    if share(statuses.len(), n) >= 0.9 {
        let mut words: Vec<&str> = Vec::new();
        for s in &statuses {
            if words.len() < 3 && !words.iter().any(|w| w.eq_ignore_ascii_case(s)) {
                words.push(s);
            }
        }
        out.push(Guess {
            kind: Kind::Statuses,
            score: 85,
            reason: format!(
                "{} are status words ({})",
                of(statuses.len(), n),
                words.join(", ")
            ),
        });
    }

    let mut prefixes: HashMap<&str, usize> = HashMap::new();
    for v in values {
        if let Some(p) = tag_prefix(v.trim()) {
            *prefixes.entry(p).or_default() += 1;
        }
    }
    let distinct: std::collections::HashSet<&str> = values.iter().map(|v| v.trim()).collect();
    if let Some((prefix, count)) = prefixes.into_iter().max_by_key(|(_, c)| *c) {
        if distinct.len() == n && share(count, n) >= 0.9 {
            out.push(Guess {
                kind: Kind::Tags,
                score: 80,
                reason: format!(
                    "{} are different codes shaped like tags ({}…)",
                    of(count, n),
                    values
                        .iter()
                        .find(|v| v.starts_with(prefix))
                        .unwrap_or(&prefix)
                ),
            });
        }
    }

    let people: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| person_shaped(v.trim()))
        .collect();
    if share(people.len(), n) >= 0.8 {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for p in &people {
            *counts.entry(p.trim()).or_default() += 1;
        }
        if let Some((name, times)) = counts
            .into_iter()
            .filter(|(_, c)| *c > 1)
            .max_by_key(|(_, c)| *c)
        {
            out.push(Guess {
                kind: Kind::People,
                score: 70,
                reason: format!(
                    "{} are people's names, some on several rows ({name} on {times})",
                    of(people.len(), n)
                ),
            });
        }
    }
    out.into_iter().max_by_key(|g| g.score)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(values: &[&str]) -> Option<Kind> {
        guess(values).map(|g| g.kind)
    }

    #[test]
    fn values_say_what_a_column_holds() {
        assert_eq!(
            kind(&["IT-0001", "IT-0002", "IT-0010", "IT-0011"]),
            Some(Kind::Tags)
        );
        assert_eq!(
            kind(&["LAP001", "LAP002", "DESK003", "LAP004"]),
            None,
            "prefixes differ too much"
        );
        assert_eq!(
            kind(&["2023-01-05", "05/02/2023", "3 March 2024", "2022-12-31"]),
            Some(Kind::Dates)
        );
        assert_eq!(kind(&["£1,249.99", "£899.00", "£35.50"]), Some(Kind::Money));
        assert_eq!(kind(&["1249.99", "899.00", "35.50"]), Some(Kind::Money));
        assert_eq!(
            kind(&["In use", "Spare", "Broken", "In use"]),
            Some(Kind::Statuses)
        );
        assert_eq!(
            kind(&["Sam Patel", "Chloë Brontë", "Sam Patel", "Jürgen Weiß"]),
            Some(Kind::People)
        );
        // Names that never repeat may be anything (models, places): no guess.
        assert_eq!(kind(&["Sam Patel", "Chloë Brontë", "Jürgen Weiß"]), None);
        // Tags that repeat are not tags; serials are not shaped like tags.
        assert_eq!(kind(&["IT-0001", "IT-0001", "IT-0002"]), None);
        assert_eq!(kind(&["5CD1111", "C02ZZ222", "PF3XYZ12"]), None);
        // Too few values to say.
        assert_eq!(kind(&["IT-0001", "IT-0002"]), None);
    }

    #[test]
    fn the_reason_counts_what_it_saw() {
        let g = guess(&[
            "2023-01-05",
            "2023-02-05",
            "2023-03-05",
            "soon",
            "2023-04-05",
            "2023-05-05",
            "2023-06-05",
            "2023-07-05",
            "2023-08-05",
            "2023-09-05",
        ])
        .unwrap();
        assert_eq!(g.reason, "9 of 10 values are dates");
        assert!(g.score < 80);
        let g = guess(&["Deployed", "Retired", "Deployed"]).unwrap();
        assert_eq!(
            g.reason,
            "all 3 values are status words (Deployed, Retired)"
        );
    }
}
