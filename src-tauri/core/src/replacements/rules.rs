//! The rules of changing the replacement plan that need no storage, shared by every store: what
//! life is accepted, what changing a category's life and replace-with price, an asset's own
//! life or the yearly inflation records, and how the inflation is kept as a setting. The
//! file's functions in this module call them, and so does the team register on PostgreSQL
//! (`register_pg`), so both refuse the same plans in the same words and record the same events.
//! Nothing here reads or writes a database.

use super::MAX_LIFE_MONTHS;
use crate::audit::{Action, Change, NewEvent};
use crate::error::{Error, Result};
use crate::values::Money;

/// Refuses a replacement life outside 1 to [`MAX_LIFE_MONTHS`] months (`None`, no life, is
/// accepted).
pub fn check_life(life: Option<u32>) -> Result<()> {
    if life.is_some_and(|l| l == 0 || l > MAX_LIFE_MONTHS) {
        return Err(Error::invalid(
            "life_months",
            format!("a life is 1 to {MAX_LIFE_MONTHS} months"),
        ));
    }
    Ok(())
}

/// A life in words, as events record it: "3 year(s)", "30 months".
pub(super) fn life_words(life: Option<u32>) -> Option<String> {
    life.map(|l| match (l / 12, l % 12) {
        (y, 0) => format!("{y} year(s)"),
        _ => format!("{l} months"),
    })
}

/// The event that records changing the plan of the category `id` (called `name`) from `old` to
/// `new`, each a (replacement life in months, replace-with price): only what changes, or `None`
/// when nothing does (nothing to write). The life is checked first by [`check_life`].
pub fn category_plan_changed(
    id: i64,
    name: &str,
    old: (Option<u32>, Option<Money>),
    new: (Option<u32>, Option<Money>),
) -> Option<NewEvent<'_>> {
    let changes: Vec<Change> = [
        Change::new("replacement life", life_words(old.0), life_words(new.0)),
        Change::new(
            "replace with",
            old.1.map(|p| p.to_string()),
            new.1.map(|p| p.to_string()),
        ),
    ]
    .into_iter()
    .filter(|c| c.old != c.new)
    .collect();
    (!changes.is_empty()).then(|| NewEvent::category_edited(id, name, changes))
}

/// The settings key the yearly inflation is kept under, in basis points.
pub const INFLATION_KEY: &str = "inflation_bp";

/// The yearly inflation in basis points from its setting (0 when never set or unreadable).
pub fn inflation_from_setting(value: Option<&str>) -> u32 {
    value.and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// `bp` basis points as a percentage: 250 → "2.5".
pub fn percent_text(bp: u32) -> String {
    let s = format!("{}.{:02}", bp / 100, bp % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The event that records changing the yearly inflation from `old` to `new` basis points, or
/// `None` when it is the same (nothing to write).
pub fn inflation_changed(old: u32, new: u32) -> Option<NewEvent<'static>> {
    (old != new).then(|| {
        NewEvent::settings_edited(vec![Change::new(
            "replacement inflation",
            Some(format!("{} %", percent_text(old))),
            Some(format!("{} %", percent_text(new))),
        )])
    })
}

/// The event that records changing the own replacement life of the asset `id` (tagged `tag`)
/// from `old` to `new` (`None`: it follows its category), an edit of the asset, or `None` when
/// it is the same. The life is checked first by [`check_life`].
pub fn asset_life_changed<'a>(
    id: i64,
    tag: &'a str,
    old: Option<u32>,
    new: Option<u32>,
    note: Option<&'a str>,
) -> Option<NewEvent<'a>> {
    if old == new {
        return None;
    }
    let words = |l: Option<u32>| life_words(l).or_else(|| Some("category's".into()));
    let change = Change::new("replacement life", words(old), words(new));
    Some(NewEvent::for_asset(
        id,
        tag,
        Action::Edited,
        vec![change],
        note,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_records_only_what_changes_and_refuses_a_life_out_of_range() {
        assert!(check_life(Some(0)).is_err());
        assert_eq!(
            check_life(Some(601)).unwrap_err().to_string(),
            "a life is 1 to 600 months"
        );
        assert!(check_life(None).and(check_life(Some(600))).is_ok());
        let price = Money::from_minor(109_900);
        assert!(category_plan_changed(1, "Laptops", (Some(36), None), (Some(36), None)).is_none());
        let event =
            category_plan_changed(1, "Laptops", (Some(36), None), (Some(36), Some(price))).unwrap();
        assert_eq!(
            event.changes,
            [Change::new("replace with", None, Some(price.to_string()))]
        );
        assert!(inflation_changed(250, 250).is_none());
        assert_eq!(
            inflation_changed(0, 250).unwrap().changes,
            [Change::new(
                "replacement inflation",
                Some("0 %".into()),
                Some("2.5 %".into())
            )]
        );
        assert_eq!(inflation_from_setting(Some("250")), 250);
        assert_eq!(inflation_from_setting(None), 0);
        assert!(asset_life_changed(7, "IT-0007", Some(24), Some(24), None).is_none());
        assert_eq!(
            asset_life_changed(7, "IT-0007", None, Some(24), None)
                .unwrap()
                .changes,
            [Change::new(
                "replacement life",
                Some("category's".into()),
                Some("2 year(s)".into())
            )]
        );
        let event =
            category_plan_changed(1, "Laptops", (Some(36), None), (Some(30), None)).unwrap();
        assert_eq!(
            event.changes,
            [Change::new(
                "replacement life",
                Some("3 year(s)".into()),
                Some("30 months".into())
            )]
        );
    }
}
