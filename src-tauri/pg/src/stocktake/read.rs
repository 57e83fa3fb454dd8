//! Reading stocktakes from the team register as the core's `Stocktake`, `Item`, `Unseen` and
//! `StocktakeSummary`, as the file's reads give them: the same order (names and tags ignoring
//! ASCII case, as the file's NOCASE), the same counts, times as the file writes them (RFC 3339
//! in UTC with microseconds). Owns the column lists and the row conversions.

use chrono::NaiveDate;
use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::stocktake::{
    stale_months_of, stale_since, Counts, Item, Outcome, Stocktake, StocktakeSummary, Unseen,
    STALE_MONTHS_KEY,
};
use register_core::values::format_date;

use crate::error::Result;
use crate::settings::setting;

/// An instant as the file writes it.
macro_rules! instant {
    ($col:literal) => {
        concat!(
            "to_char(",
            $col,
            r#" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "#,
            $col
        )
    };
}

/// Every column of a stocktake, without its locations and counts.
const HEADER: &str = concat!(
    "SELECT id, name, to_char(on_date, 'YYYY-MM-DD') AS on_date, counted_by, all_locations, ",
    instant!("started_at"),
    ", ",
    instant!("finished_at"),
    ", start_event_count, start_head, finish_event_count, finish_head, cancelled
       FROM public.stocktakes"
);

/// Every column of an item.
pub(super) const ITEM: &str = concat!(
    "SELECT id, asset_id, tag, name, expected, expected_location, outcome, ",
    instant!("seen_at"),
    ", seen_location, moved, marked_lost, note FROM public.stocktake_items"
);

fn header_from_row(r: &Row) -> Result<Stocktake> {
    Ok(Stocktake {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        on_date: r.try_get("on_date")?,
        counted_by: r.try_get("counted_by")?,
        all_locations: r.try_get("all_locations")?,
        locations: Vec::new(),
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        start_event_count: r.try_get("start_event_count")?,
        start_head: r.try_get("start_head")?,
        finish_event_count: r.try_get("finish_event_count")?,
        finish_head: r.try_get("finish_head")?,
        cancelled: r.try_get("cancelled")?,
        counts: Counts::default(),
    })
}

/// A row of [`ITEM`].
pub(super) fn item_from_row(r: &Row) -> Result<Item> {
    let outcome: String = r.try_get("outcome")?;
    Ok(Item {
        id: r.try_get("id")?,
        asset_id: r.try_get("asset_id")?,
        tag: r.try_get("tag")?,
        name: r.try_get("name")?,
        expected: r.try_get("expected")?,
        expected_location: r.try_get("expected_location")?,
        outcome: Outcome::parse(&outcome)?,
        seen_at: r.try_get("seen_at")?,
        seen_location: r.try_get("seen_location")?,
        moved: r.try_get("moved")?,
        marked_lost: r.try_get("marked_lost")?,
        note: r.try_get("note")?,
    })
}

/// A stocktake by id, with its locations and counts.
pub fn get_stocktake(client: &mut impl GenericClient, id: i64) -> Result<Stocktake> {
    let mut st = header(client, id, false)?;
    st.counts = counts(client, id)?;
    Ok(st)
}

/// A stocktake with its locations, without its counts; with `lock`, its row locked for this
/// transaction's change (`FOR UPDATE`: every change to a stocktake queues up here, and one that
/// waited reads the stocktake as the change before it left it).
pub(super) fn header(client: &mut impl GenericClient, id: i64, lock: bool) -> Result<Stocktake> {
    let sql = format!(
        "{HEADER} WHERE id = $1{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    let row = client
        .query_typed_opt(&sql, &[(&id, Type::INT8)])?
        .ok_or_else(|| register_core::Error::not_found("stocktake", id))?;
    let mut st = header_from_row(&row)?;
    st.locations = client
        .query_typed(
            r#"SELECT l.name FROM public.stocktake_locations s
                 JOIN public.locations l ON l.id = s.location_id
                WHERE s.stocktake_id = $1 ORDER BY lower(l.name COLLATE "C") COLLATE "C""#,
            &[(&id, Type::INT8)],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()?;
    Ok(st)
}

/// How many items of stocktake `id` have each outcome.
pub(super) fn counts(client: &mut impl GenericClient, id: i64) -> Result<Counts> {
    let r = client.query_typed_one(
        "SELECT count(*) FILTER (WHERE expected) AS expected,
                count(*) FILTER (WHERE outcome = 'found') AS found,
                count(*) FILTER (WHERE outcome = 'elsewhere') AS elsewhere,
                count(*) FILTER (WHERE moved) AS moved,
                count(*) FILTER (WHERE outcome = 'unexpected') AS unexpected,
                count(*) FILTER (WHERE outcome = 'unexpected' AND asset_id IS NULL) AS unknown,
                count(*) FILTER (WHERE outcome = 'not_seen') AS not_seen,
                count(*) FILTER (WHERE outcome = 'missing') AS missing,
                count(*) FILTER (WHERE marked_lost) AS marked_lost
           FROM public.stocktake_items WHERE stocktake_id = $1",
        &[(&id, Type::INT8)],
    )?;
    Ok(Counts {
        expected: r.try_get("expected")?,
        found: r.try_get("found")?,
        elsewhere: r.try_get("elsewhere")?,
        moved: r.try_get("moved")?,
        unexpected: r.try_get("unexpected")?,
        unknown: r.try_get("unknown")?,
        not_seen: r.try_get("not_seen")?,
        missing: r.try_get("missing")?,
        marked_lost: r.try_get("marked_lost")?,
    })
}

/// The first id `sql` gives, as a stocktake with its counts.
fn first(client: &mut impl GenericClient, sql: &str) -> Result<Option<Stocktake>> {
    let id: Option<i64> = client.query_typed_opt(sql, &[])?.map(|r| r.get(0));
    id.map(|id| get_stocktake(client, id)).transpose()
}

/// The open stocktake, if there is one (the server keeps at most one open).
pub fn open_stocktake(client: &mut impl GenericClient) -> Result<Option<Stocktake>> {
    first(
        client,
        "SELECT id FROM public.stocktakes WHERE finished_at IS NULL",
    )
}

/// The last finished stocktake (not a cancelled one), for Home.
pub fn last_finished(client: &mut impl GenericClient) -> Result<Option<Stocktake>> {
    first(
        client,
        "SELECT id FROM public.stocktakes WHERE finished_at IS NOT NULL AND NOT cancelled
          ORDER BY finished_at DESC, id DESC LIMIT 1",
    )
}

/// Every stocktake, newest first.
pub fn list_stocktakes(client: &mut impl GenericClient) -> Result<Vec<Stocktake>> {
    let ids: Vec<i64> = client
        .query_typed(
            "SELECT id FROM public.stocktakes ORDER BY started_at DESC, id DESC",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    ids.into_iter()
        .map(|id| get_stocktake(client, id))
        .collect()
}

/// The items of stocktake `id`, by tag; only those with `outcome` when given.
pub fn list_items(
    client: &mut impl GenericClient,
    id: i64,
    outcome: Option<Outcome>,
) -> Result<Vec<Item>> {
    header(client, id, false)?;
    client
        .query_typed(
            &format!(
                r#"{ITEM} WHERE stocktake_id = $1 AND ($2::text IS NULL OR outcome = $2)
                    ORDER BY lower(tag COLLATE "C") COLLATE "C", id"#
            ),
            &[
                (&id, Type::INT8),
                (&outcome.map(Outcome::as_str), Type::TEXT),
            ],
        )?
        .iter()
        .map(item_from_row)
        .collect()
}

/// Live assets (not Retired, Lost/Stolen or archived) not seen since `before` (never seen
/// counts as not seen): how many, and the first `limit`, longest unseen first.
pub fn not_seen_since(
    client: &mut impl GenericClient,
    before: NaiveDate,
    limit: u32,
) -> Result<(i64, Vec<Unseen>)> {
    const FILTER: &str = "archived_at IS NULL AND status NOT IN ('retired', 'lost_stolen')
        AND (last_seen IS NULL OR last_seen < $1::text::date)";
    let day = format_date(before);
    let total: i64 = client
        .query_typed_one(
            &format!("SELECT count(*) FROM public.assets WHERE {FILTER}"),
            &[(&day, Type::TEXT)],
        )?
        .get(0);
    let rows = client.query_typed(
        &format!(
            r#"SELECT id, asset_tag, name, to_char(last_seen, 'YYYY-MM-DD') AS last_seen
                 FROM public.assets WHERE {FILTER}
                ORDER BY last_seen IS NOT NULL, last_seen,
                         lower(asset_tag COLLATE "C") COLLATE "C"
                LIMIT $2"#
        ),
        &[(&day, Type::TEXT), (&i64::from(limit), Type::INT8)],
    )?;
    let unseen = rows
        .iter()
        .map(|r| -> Result<Unseen> {
            Ok(Unseen {
                id: r.try_get("id")?,
                asset_tag: r.try_get("asset_tag")?,
                name: r.try_get("name")?,
                last_seen: r.try_get("last_seen")?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((total, unseen))
}

/// How many months without a sighting make Home list an asset (the setting `stale_months`,
/// kept in `settings` as in the file).
pub fn stale_months(client: &mut impl GenericClient) -> Result<u32> {
    Ok(stale_months_of(
        setting(client, STALE_MONTHS_KEY)?.as_deref(),
    ))
}

/// Home's stocktake card as of `today`, as the file's `stocktake_summary` gives it.
pub fn stocktake_summary(
    client: &mut impl GenericClient,
    today: NaiveDate,
) -> Result<StocktakeSummary> {
    let months = stale_months(client)?;
    let (unseen_total, unseen) = not_seen_since(client, stale_since(today, months), 5)?;
    Ok(StocktakeSummary {
        open: open_stocktake(client)?,
        last: last_finished(client)?,
        stale_months: months,
        unseen_total,
        unseen,
    })
}

/// The day the asset `asset_id` was last seen in a stocktake.
pub fn last_seen(client: &mut impl GenericClient, asset_id: i64) -> Result<Option<String>> {
    client
        .query_typed_opt(
            "SELECT to_char(last_seen, 'YYYY-MM-DD') FROM public.assets WHERE id = $1",
            &[(&asset_id, Type::INT8)],
        )?
        .map(|r| r.get(0))
        .ok_or_else(|| register_core::Error::not_found("asset", asset_id).into())
}
