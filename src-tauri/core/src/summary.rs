//! The at-a-glance figures for Home: counts and value by status, warranties ending soon, and
//! Lost/Stolen items. Read-only.

use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::assets::{list_assets, Asset, ListQuery};
use crate::db::QueryAll;
use crate::error::Result;
use crate::status::Status;
use crate::values::{format_date, Money};

/// Count and purchase value of one status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusCount {
    /// The status.
    pub status: Status,
    /// Live assets in it.
    pub count: i64,
    /// Their purchase cost.
    pub value: Money,
}

/// What Home shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Live assets.
    pub asset_count: i64,
    /// Total purchase cost of live assets.
    pub total_value: Money,
    /// The register's currency code (GBP by default).
    pub currency: String,
    /// One entry per status, in lifecycle order.
    pub by_status: Vec<StatusCount>,
    /// Warranties ending in the next 30 days (not Retired/Lost), soonest first.
    pub expiring_30: Vec<Asset>,
    /// Warranties ending in 31–90 days.
    pub expiring_90: Vec<Asset>,
    /// Every Lost/Stolen asset.
    pub lost: Vec<Asset>,
}

/// Home's figures as of `today`.
pub fn summary(conn: &Connection, today: NaiveDate) -> Result<Summary> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*), coalesce(sum(purchase_cost), 0) FROM assets WHERE archived_at IS NULL AND status = ?1",
    )?;
    let mut found = Vec::new();
    for s in Status::ALL {
        let (c, v): (i64, Money) = stmt.query_row([s.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        found.push((s, c, v));
    }
    let expiring = |(from, to): (NaiveDate, NaiveDate)| -> Result<Vec<Asset>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id FROM assets WHERE archived_at IS NULL AND warranty_expires BETWEEN ?1 AND ?2
               AND status NOT IN ({}) ORDER BY warranty_expires, asset_tag LIMIT {EXPIRING_LIMIT}",
            crate::renewals::warranty_not_due_sql()
        ))?;
        let ids = stmt.query_all([format_date(from), format_date(to)], |r| r.get::<_, i64>(0))?;
        ids.into_iter()
            .map(|id| crate::assets::get_asset(conn, id))
            .collect()
    };
    let [soon, later] = expiring_windows(today);
    let lost = list_assets(conn, &lost_query())?.assets;
    Ok(Summary::new(
        status_counts(found),
        crate::settings::get_settings(conn)?.currency,
        [expiring(soon)?, expiring(later)?],
        lost,
    ))
}

/// The most warranties each of Home's lists shows (by date, then tag as stored).
pub const EXPIRING_LIMIT: i64 = 200;

/// Home's two warranty windows from `today`, each inclusive: the next 30 days, and 31–90.
pub fn expiring_windows(today: NaiveDate) -> [(NaiveDate, NaiveDate); 2] {
    let d30 = today.checked_add_days(Days::new(30)).unwrap_or(today);
    let d90 = today.checked_add_days(Days::new(90)).unwrap_or(today);
    [(today, d30), (d30.succ_opt().unwrap_or(d30), d90)]
}

/// The list Home's Lost/Stolen assets come from.
pub fn lost_query() -> ListQuery {
    ListQuery {
        status: Some(Status::LostStolen),
        limit: Some(1000),
        ..Default::default()
    }
}

/// One entry per status in lifecycle order, from (status, live assets, their cost) as found: a
/// status not found has none.
pub fn status_counts(found: impl IntoIterator<Item = (Status, i64, Money)>) -> Vec<StatusCount> {
    let found: Vec<_> = found.into_iter().collect();
    Status::ALL
        .into_iter()
        .map(|status| {
            let (count, value) = found
                .iter()
                .filter(|(s, ..)| *s == status)
                .fold((0, Money::ZERO), |(c, v), (_, n, m)| (c + n, v + *m));
            StatusCount {
                status,
                count,
                value,
            }
        })
        .collect()
}

impl Summary {
    /// Home's figures from their parts; the register's count and value are the statuses' sums.
    pub fn new(
        by_status: Vec<StatusCount>,
        currency: String,
        [expiring_30, expiring_90]: [Vec<Asset>; 2],
        lost: Vec<Asset>,
    ) -> Summary {
        Summary {
            asset_count: by_status.iter().map(|s| s.count).sum(),
            total_value: by_status.iter().map(|s| s.value).sum(),
            currency,
            by_status,
            expiring_30,
            expiring_90,
            lost,
        }
    }
}
