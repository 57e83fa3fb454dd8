//! Reading disposal records from the team register as the core's `Disposal` and `Undisposed`.
//! Owns the SQL that reads `disposals`.

use chrono::NaiveDate;
use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::disposals::{Disposal, Method, Undisposed};
use register_core::documents::Owner;
use register_core::values::format_date;

use crate::error::Result;
use crate::{assets, documents};

/// The columns of a record (`d`) and its asset (`a`), dates and instants as the file writes
/// them.
const COLUMNS: &str = r#"d.asset_id, a.asset_tag, a.name, a.serial_number, d.method,
    to_char(d.disposed_on, 'YYYY-MM-DD') AS disposed_on, d.recipient, d.wipe_method, d.wiped_by,
    d.certificate_number, d.certificate_id, d.note,
    to_char(d.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at"#;

const FROM: &str = "FROM public.disposals d JOIN public.assets a ON a.id = d.asset_id";

fn from_row(client: &mut impl GenericClient, r: &Row) -> Result<Disposal> {
    let method: String = r.try_get("method")?;
    let method = Method::parse(&method)?;
    let asset_id: i64 = r.try_get("asset_id")?;
    let certificate = match r.try_get::<_, Option<i64>>("certificate_id")? {
        Some(id) => Some(documents::document_of(client, Owner::Asset(asset_id), id)?),
        None => None,
    };
    Ok(Disposal {
        asset_id,
        asset_tag: r.try_get("asset_tag")?,
        asset_name: r.try_get("name")?,
        serial_number: r.try_get("serial_number")?,
        method,
        method_label: method.label().to_string(),
        disposed_on: r.try_get("disposed_on")?,
        recipient: r.try_get("recipient")?,
        wipe_method: r.try_get("wipe_method")?,
        wiped_by: r.try_get("wiped_by")?,
        certificate_number: r.try_get("certificate_number")?,
        certificate,
        note: r.try_get("note")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

/// The asset's disposal record, if it has one (archived assets included), as the file's
/// `disposal_of`: an asset that does not exist is not found.
pub fn disposal_of(client: &mut impl GenericClient, asset_id: i64) -> Result<Option<Disposal>> {
    assets::get_asset(client, asset_id)?;
    let row = client.query_typed_opt(
        &format!("SELECT {COLUMNS} {FROM} WHERE d.asset_id = $1"),
        &[(&asset_id, Type::INT8)],
    )?;
    match row {
        Some(r) => Ok(Some(from_row(client, &r)?)),
        None => Ok(None),
    }
}

/// Every disposal record, archived assets included, most recent disposal first, as the file's
/// `list_disposals`. With `between`, only disposals on those days (inclusive).
pub fn list_disposals(
    client: &mut impl GenericClient,
    between: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<Disposal>> {
    let (from, to) = match between {
        Some((a, b)) => (Some(format_date(a)), Some(format_date(b))),
        None => (None, None),
    };
    // The file orders tags by its NOCASE collation: ASCII case folded, then bytes.
    let rows = client.query_typed(
        &format!(
            r#"SELECT {COLUMNS} {FROM}
                WHERE ($1::text IS NULL OR d.disposed_on >= $1::text::date)
                  AND ($2::text IS NULL OR d.disposed_on <= $2::text::date)
                ORDER BY d.disposed_on DESC, lower(a.asset_tag COLLATE "C"),
                         a.asset_tag COLLATE "C""#
        ),
        &[(&from, Type::TEXT), (&to, Type::TEXT)],
    )?;
    rows.iter().map(|r| from_row(client, r)).collect()
}

/// Live retired assets with no disposal record, oldest retirement first, as the file's
/// `retired_without_disposal`; when each was last set to Retired comes from its history.
pub fn retired_without_disposal(client: &mut impl GenericClient) -> Result<Vec<Undisposed>> {
    // The changes as stored, in either form the core writes (see `register_core::audit`'s
    // FIELD and NEW): `[field, old, new]`, or `{"field", "old", "new"}`.
    let rows = client.query_typed(
        r#"SELECT * FROM (SELECT a.id, a.asset_tag, a.name,
                  (SELECT max(l.at) FROM public.audit_log l
                    WHERE l.asset_id = a.id
                      AND EXISTS (SELECT 1 FROM jsonb_array_elements(l.changes::jsonb) c
                                   WHERE coalesce(c ->> 0, c ->> 'field') = 'status'
                                     AND coalesce(c ->> 2, c ->> 'new') = 'retired'))
                      AS retired_at
             FROM public.assets a
            WHERE a.archived_at IS NULL AND a.status = 'retired'
              AND NOT EXISTS (SELECT 1 FROM public.disposals d WHERE d.asset_id = a.id)) u
            ORDER BY retired_at IS NULL, retired_at COLLATE "C",
                     lower(asset_tag COLLATE "C"), asset_tag COLLATE "C""#,
        &[],
    )?;
    rows.iter()
        .map(|r| {
            Ok(Undisposed {
                asset_id: r.try_get("id")?,
                asset_tag: r.try_get("asset_tag")?,
                name: r.try_get("name")?,
                retired_at: r.try_get("retired_at")?,
            })
        })
        .collect()
}

/// Every disposal record as the file's disposals CSV (`register_core::disposals::
/// write_disposals_csv`, the same writer).
pub fn write_disposals_csv(client: &mut impl GenericClient, w: impl std::io::Write) -> Result<()> {
    let rows = list_disposals(client, None)?;
    Ok(register_core::disposals::write_disposals_csv(w, &rows)?)
}

/// Who recorded (or last corrected) the asset's disposal record and when, as people read them
/// ("Alice Smith (alice)", "2026-12-03 14:05:09"); `None` when it has none.
pub(super) fn recorder(
    client: &mut impl GenericClient,
    asset_id: i64,
) -> Result<Option<(String, String)>> {
    let row = client.query_typed_opt(
        r#"SELECT d.recorded_by,
                  (SELECT p.name FROM public.logins l JOIN public.people p ON p.id = l.person_id
                    WHERE l.login = d.recorded_by) AS person,
                  to_char(d.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS at
             FROM public.disposals d WHERE d.asset_id = $1"#,
        &[(&asset_id, Type::INT8)],
    )?;
    let Some(r) = row else {
        return Ok(None);
    };
    let login: String = r.try_get("recorded_by")?;
    let by = match r.try_get::<_, Option<String>>("person")? {
        Some(p) => format!("{p} ({login})"),
        None => login,
    };
    Ok(Some((by, r.try_get("at")?)))
}
