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
    let mut by_status = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT count(*), coalesce(sum(purchase_cost), 0) FROM assets WHERE archived_at IS NULL AND status = ?1",
    )?;
    let (mut count, mut value) = (0, Money::ZERO);
    for s in Status::ALL {
        let (c, v): (i64, Money) = stmt.query_row([s.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        count += c;
        value += v;
        by_status.push(StatusCount {
            status: s,
            count: c,
            value: v,
        });
    }
    let expiring = |from: NaiveDate, to: NaiveDate| -> Result<Vec<Asset>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM assets WHERE archived_at IS NULL AND warranty_expires BETWEEN ?1 AND ?2
               AND status NOT IN ('retired', 'lost_stolen') ORDER BY warranty_expires, asset_tag LIMIT 200",
        )?;
        let ids = stmt.query_all([format_date(from), format_date(to)], |r| r.get::<_, i64>(0))?;
        ids.into_iter()
            .map(|id| crate::assets::get_asset(conn, id))
            .collect()
    };
    let d30 = today.checked_add_days(Days::new(30)).unwrap_or(today);
    let d90 = today.checked_add_days(Days::new(90)).unwrap_or(today);
    let lost = list_assets(
        conn,
        &ListQuery {
            status: Some(Status::LostStolen),
            limit: Some(1000),
            ..Default::default()
        },
    )?
    .assets;
    Ok(Summary {
        asset_count: count,
        total_value: value,
        currency: crate::settings::get_settings(conn)?.currency,
        by_status,
        expiring_30: expiring(today, d30)?,
        expiring_90: expiring(d30.succ_opt().unwrap_or(d30), d90)?,
        lost,
    })
}
