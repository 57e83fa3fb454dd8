//! Home's reads on the team register: the at-a-glance figures (`summary`, the counterpart of
//! `register_core::summary::summary`) and what falls due soon (`due_soon`, the counterpart of
//! `register_core::renewals::due_soon`: warranty ends and licence renewals). Owns their SQL;
//! the windows, the statuses left out, the order, the renewal dates and costs and the split at
//! 30 days are the core's pure functions, so both stores give the same figures.
//!
//! Amounts are in the register's currency (`settings`).

use chrono::NaiveDate;
use postgres::GenericClient;
use register_core::renewals::{
    licence_items, sort_items, split_due_soon, DueItem, DueKind, DueSoon, SOON_DAYS,
    WARRANTY_NOT_DUE,
};
use register_core::status::Status;
use register_core::summary::{
    expiring_windows, lost_query, status_counts, Summary, EXPIRING_LIMIT,
};
use register_core::values::{format_date, Money};

use crate::assets::{list_assets, listed_from_row, COLUMNS, DOCUMENT_COUNT};
use crate::error::Result;
use crate::licences::list_licences;
use crate::settings::get_settings;

/// The statuses whose warranties are not due, as text for a `text[]` parameter.
fn not_due() -> Vec<&'static str> {
    WARRANTY_NOT_DUE.iter().map(|s| s.as_str()).collect()
}

/// Home's figures as of `today`: live assets and their purchase cost by status, warranties
/// ending in the next 30 days and in 31–90 days (not Retired or Lost/Stolen; soonest first,
/// then by tag as stored), and every Lost/Stolen asset.
pub fn summary(client: &mut impl GenericClient, today: NaiveDate) -> Result<Summary> {
    let mut found = Vec::new();
    for r in client.query(
        "SELECT status, count(*) AS count, coalesce(sum(purchase_cost), 0)::int8 AS value
           FROM public.assets WHERE archived_at IS NULL GROUP BY status",
        &[],
    )? {
        let status: String = r.try_get("status")?;
        let value: i64 = r.try_get("value")?;
        found.push((
            Status::parse(&status)?,
            r.try_get("count")?,
            Money::from_minor(value),
        ));
    }
    let not_due = not_due();
    let mut expiring = |(from, to): (NaiveDate, NaiveDate)| -> Result<_> {
        client
            .query(
                &format!(
                    r#"SELECT {COLUMNS}, {DOCUMENT_COUNT} FROM public.assets a
                        WHERE a.archived_at IS NULL
                          AND a.warranty_expires BETWEEN $1::text::date AND $2::text::date
                          AND a.status <> ALL ($3::text[])
                        ORDER BY a.warranty_expires, a.asset_tag COLLATE "C"
                        LIMIT {EXPIRING_LIMIT}"#
                ),
                &[&format_date(from), &format_date(to), &not_due],
            )?
            .iter()
            .map(listed_from_row)
            .collect()
    };
    let [soon, later] = expiring_windows(today);
    let expiring = [expiring(soon)?, expiring(later)?];
    let lost = list_assets(client, &lost_query())?.assets;
    Ok(Summary::new(
        status_counts(found),
        get_settings(client)?.currency,
        expiring,
        lost,
    ))
}

/// Home's lists of what falls due: warranty ends (live assets, not Retired or Lost/Stolen)
/// and licence renewals (live licences) from `today` to 30 days on, and from 31 to 90 days on,
/// each with what the renewals cost.
pub fn due_soon(client: &mut impl GenericClient, today: NaiveDate) -> Result<DueSoon> {
    let until = today
        .checked_add_days(chrono::Days::new(u64::from(SOON_DAYS)))
        .unwrap_or(today);
    let mut items = client
        .query(
            "SELECT id, asset_tag, name, to_char(warranty_expires, 'YYYY-MM-DD') AS date,
                    coalesce(person_name, location_name) AS detail, purchase_cost
               FROM public.assets
              WHERE archived_at IS NULL
                AND warranty_expires BETWEEN $1::text::date AND $2::text::date
                AND status <> ALL ($3::text[])",
            &[&format_date(today), &format_date(until), &not_due()],
        )?
        .iter()
        .map(|r| {
            let cost: Option<i64> = r.try_get("purchase_cost")?;
            Ok(DueItem {
                kind: DueKind::Warranty,
                date: r.try_get("date")?,
                id: r.try_get("id")?,
                asset_tag: r.try_get("asset_tag")?,
                name: r.try_get("name")?,
                detail: r.try_get("detail")?,
                cost: None,
                per_seat: None,
                period: None,
                purchase_cost: cost.map(Money::from_minor),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let licences: Vec<_> = list_licences(client, false)?
        .into_iter()
        .map(|v| v.licence)
        .collect();
    items.extend(licence_items(&licences, today, until));
    sort_items(&mut items);
    let currency = get_settings(client)?.currency;
    Ok(split_due_soon(today, items, currency))
}
