//! The rules of depreciation methods that need no storage, shared by every store: how a method
//! is kept in the four columns both stores' `categories` and `assets` have, and what changing a
//! category's default or an asset's own method records. The file's `store` calls them, and so
//! does the team register on PostgreSQL (`register_pg`), so both record the same event for the
//! same change. Nothing here reads or writes a database.

use super::calc::Method;
use crate::audit::{Action, Change, NewEvent};

/// A method from its stored columns (`depreciation, life_months, residual, rate_bp`); `None`
/// when the method column is NULL (an asset that follows its category).
pub fn method_from_columns(
    m: Option<&str>,
    life: Option<i64>,
    residual: Option<i64>,
    rate: Option<i64>,
) -> Option<Method> {
    Some(match m? {
        "straight_line" => Method::StraightLine {
            life_months: life.unwrap_or(1) as u32,
            residual: residual.unwrap_or(0),
        },
        "declining" => Method::Declining {
            rate_bp: rate.unwrap_or(0) as u32,
        },
        _ => Method::None,
    })
}

/// The stored columns of a method: `(depreciation, life_months, residual, rate_bp)`.
pub fn method_columns(method: Method) -> (&'static str, Option<i64>, Option<i64>, Option<i64>) {
    match method {
        Method::None => ("none", None, None, None),
        Method::StraightLine {
            life_months,
            residual,
        } => (
            "straight_line",
            Some(i64::from(life_months)),
            Some(residual),
            None,
        ),
        Method::Declining { rate_bp } => ("declining", None, None, Some(i64::from(rate_bp))),
    }
}

/// The event that records changing the default of the category `id` (called `name`) from
/// `before` to `method`, or `None` when it is the same (nothing to write).
pub fn category_method_changed(
    id: i64,
    name: &str,
    before: Method,
    method: Method,
) -> Option<NewEvent<'_>> {
    if before == method {
        return None;
    }
    let change = Change::new(
        "depreciation",
        Some(before.describe()),
        Some(method.describe()),
    );
    Some(NewEvent::category_edited(id, name, vec![change]))
}

/// What an asset's depreciation says in History: its own method, or its category's default.
fn asset_method_words(own: Option<Method>) -> String {
    match own {
        Some(m) => m.describe(),
        None => "category default".into(),
    }
}

/// The event that records changing the own method of the asset `id` (tagged `tag`) from
/// `before` to `method` (`None`: it follows its category), an edit of the asset, or `None`
/// when it is the same (nothing to write).
pub fn asset_method_changed<'a>(
    id: i64,
    tag: &'a str,
    before: Option<Method>,
    method: Option<Method>,
    note: Option<&'a str>,
) -> Option<NewEvent<'a>> {
    if before == method {
        return None;
    }
    let change = Change::new(
        "depreciation",
        Some(asset_method_words(before)),
        Some(asset_method_words(method)),
    );
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
    fn a_method_round_trips_through_its_columns_and_a_change_is_recorded_once() {
        let straight = Method::StraightLine {
            life_months: 36,
            residual: 10_000,
        };
        for m in [Method::None, straight, Method::Declining { rate_bp: 2_500 }] {
            let (k, life, residual, rate) = method_columns(m);
            assert_eq!(method_from_columns(Some(k), life, residual, rate), Some(m));
        }
        assert_eq!(method_from_columns(None, None, None, None), None);
        assert!(category_method_changed(3, "Laptops", straight, straight).is_none());
        assert!(asset_method_changed(7, "IT-0007", None, None, None).is_none());
        let own = asset_method_changed(7, "IT-0007", None, Some(straight), Some("why")).unwrap();
        assert_eq!(
            (own.asset_id, own.note, own.changes),
            (
                Some(7),
                Some("why"),
                vec![Change::new(
                    "depreciation",
                    Some("category default".into()),
                    Some(straight.describe())
                )]
            )
        );
        let event = category_method_changed(3, "Laptops", Method::None, straight).unwrap();
        assert_eq!(
            event.changes,
            [Change::new(
                "depreciation",
                Some(Method::None.describe()),
                Some(straight.describe())
            )]
        );
    }
}
