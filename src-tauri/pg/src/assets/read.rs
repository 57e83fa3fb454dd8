//! Reading an asset from the team register as the core's `Asset`, with its row version. Owns
//! the column list and the row conversion; every read and `RETURNING` of an asset uses them.

use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::assets::{check_live, Asset};
use register_core::status::Status;
use register_core::values::Money;

use crate::error::Result;

/// An asset as stored on the server, and its version: the number of writes it has had (1 when
/// created). A change to it names the version it was read at, and is refused if the asset has
/// moved on since (see [`crate::conflict::Conflict`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned {
    /// The asset, as the file register would give it.
    pub asset: Asset,
    /// Its row version.
    pub version: i64,
}

/// Every column of an asset (all statements on assets are typed, `query_typed`: one round trip
/// each, where a statement prepared first takes three), dates and times as the file stores them (`YYYY-MM-DD`, RFC 3339 in
/// UTC with microseconds).
pub(crate) const COLUMNS: &str = r#"id, asset_tag, name, category_name, make, model,
    serial_number, to_char(purchase_date, 'YYYY-MM-DD') AS purchase_date, purchase_cost,
    supplier, to_char(warranty_expires, 'YYYY-MM-DD') AS warranty_expires, status, person_name,
    location_name, notes, person_id, location_id,
    to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
    to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at,
    archived_at IS NOT NULL AS archived, to_char(last_seen, 'YYYY-MM-DD') AS last_seen, version"#;

/// A row of [`COLUMNS`].
pub(super) fn from_row(r: &Row) -> Result<Versioned> {
    let status: String = r.try_get("status")?;
    let cost: Option<i64> = r.try_get("purchase_cost")?;
    Ok(Versioned {
        asset: Asset {
            id: r.try_get("id")?,
            asset_tag: r.try_get("asset_tag")?,
            name: r.try_get("name")?,
            category: r.try_get("category_name")?,
            make: r.try_get("make")?,
            model: r.try_get("model")?,
            serial_number: r.try_get("serial_number")?,
            purchase_date: r.try_get("purchase_date")?,
            purchase_cost: cost.map(Money::from_minor),
            supplier: r.try_get("supplier")?,
            warranty_expires: r.try_get("warranty_expires")?,
            status: Status::parse(&status)?,
            assigned_to: r.try_get("person_name")?,
            location: r.try_get("location_name")?,
            notes: r.try_get("notes")?,
            person_id: r.try_get("person_id")?,
            location_id: r.try_get("location_id")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            archived: r.try_get("archived")?,
            // Counted by the reads that show it (`DOCUMENT_COUNT`), not by a change's.
            document_count: 0,
            last_seen: r.try_get("last_seen")?,
        },
        version: r.try_get("version")?,
    })
}

/// The documents of asset `a`, counted: what lists and one asset's reads take beside
/// [`COLUMNS`] (the window shows the count, where an asset read for a change does not need it).
pub(crate) const DOCUMENT_COUNT: &str =
    "(SELECT count(*) FROM public.documents d WHERE d.asset_id = a.id) AS document_count";

/// A row of [`COLUMNS`] and [`DOCUMENT_COUNT`]: the asset with its documents counted.
pub(crate) fn listed_from_row(r: &Row) -> Result<Asset> {
    let mut asset = from_row(r)?.asset;
    asset.document_count = r.try_get("document_count")?;
    Ok(asset)
}

/// One asset by id (archived ones included), with its version and its documents counted.
pub fn get_asset(client: &mut impl GenericClient, id: i64) -> Result<Versioned> {
    let row = client.query_typed_opt(
        &format!("SELECT {COLUMNS}, {DOCUMENT_COUNT} FROM public.assets a WHERE a.id = $1"),
        &[(&id, Type::INT8)],
    )?;
    match row {
        Some(r) => counted_from_row(&r),
        None => Err(register_core::Error::not_found("asset", id).into()),
    }
}

/// A row of [`COLUMNS`] and [`DOCUMENT_COUNT`], with its version.
fn counted_from_row(r: &Row) -> Result<Versioned> {
    let mut v = from_row(r)?;
    v.asset.document_count = r.try_get("document_count")?;
    Ok(v)
}

/// One asset by tag, ignoring ASCII case and surrounding spaces as the file's `find_asset` does
/// (archived ones included), with its version and its documents counted.
pub fn find_asset(client: &mut impl GenericClient, tag: &str) -> Result<Versioned> {
    let row = client.query_typed_opt(
        &format!(
            r#"SELECT {COLUMNS}, {DOCUMENT_COUNT} FROM public.assets a
                WHERE lower(asset_tag COLLATE "C") = lower($1 COLLATE "C")"#
        ),
        &[(&tag.trim(), Type::TEXT)],
    )?;
    match row {
        Some(r) => counted_from_row(&r),
        None => Err(register_core::Error::not_found("asset", tag.trim()).into()),
    }
}

/// The assets `ids` (as a search gives them), in that order; an id no longer there is left out.
pub fn get_assets(client: &mut impl GenericClient, ids: &[i64]) -> Result<Vec<Versioned>> {
    let rows = client.query_typed(
        &format!(
            "SELECT {COLUMNS} FROM public.assets a
               JOIN unnest($1::int8[]) WITH ORDINALITY AS wanted(id, n) USING (id)
              ORDER BY wanted.n"
        ),
        &[(&ids, Type::INT8_ARRAY)],
    )?;
    rows.iter().map(from_row).collect()
}

/// The asset `id` locked for this transaction's change (`FOR UPDATE`: another writer of it
/// waits until this one commits, then reads the new version). Not found is an error; an
/// archived asset is returned, for the caller to refuse after checking the version.
pub(crate) fn lock(client: &mut impl GenericClient, id: i64) -> Result<Versioned> {
    let row = client.query_typed_opt(
        &format!("SELECT {COLUMNS} FROM public.assets WHERE id = $1 FOR UPDATE"),
        &[(&id, Type::INT8)],
    )?;
    match row {
        Some(r) => from_row(&r),
        None => Err(register_core::Error::not_found("asset", id).into()),
    }
}

/// Refuses a change to an archived asset, by the core's rule.
pub(super) fn live(v: &Versioned) -> Result<()> {
    Ok(check_live(&v.asset)?)
}

/// Suggests the next free tag after the newest asset's (IT-0041 → IT-0042), as the file does
/// (`register_core::assets::next_tag_after`): a tag in use in any case is skipped.
pub fn next_asset_tag(client: &mut impl GenericClient) -> Result<String> {
    let last: Option<String> = client
        .query_typed_opt(
            "SELECT asset_tag FROM public.assets ORDER BY id DESC LIMIT 1",
            &[],
        )?
        .map(|r| r.get(0));
    let mut taken = |tag: &str| -> register_core::Result<bool> {
        client
            .query_typed_opt(
                "SELECT 1 FROM public.assets WHERE lower(asset_tag COLLATE \"C\") = lower($1::text COLLATE \"C\")",
                &[(&tag, Type::TEXT)],
            )
            .map(|r| r.is_some())
            .map_err(|e| register_core::Error::Internal(format!("database error: {e}")))
    };
    Ok(register_core::assets::next_tag_after(
        last.as_deref(),
        &mut taken,
    )?)
}
