//! Creating, editing and archiving licences in the team register, each inside the caller's
//! transaction ([`crate::write`]) with its audit event, each checked by the core's rules
//! (`register_core::licences::check_licence`, `check_licence_edit`, `plan_archive_licence`),
//! so the server refuses what the file refuses and records the same events, and each change
//! to an existing licence guarded by its row version, as assets' are (`assets::write`).
//!
//! Order, as for assets: lock the licence's row, check its version, apply the core's rules,
//! write the row, and only then hold the chain head and append the event.

use postgres::types::Type;
use register_core::audit::Action;
use register_core::licences::{
    check_licence, check_licence_edit, licence_created, licence_event, plan_archive_licence,
    LicenceInput, ValidLicence,
};

use super::read::{from_row, lock, Versioned, COLUMNS};
use crate::audit;
use crate::conflict::{check_version, Record};
use crate::db::Tx;
use crate::error::Result;

/// Records a new licence (version 1) and its `created` event, as
/// `register_core::licences::create_licence` does in a file. Its id comes from the table's
/// sequence: 1, 2, 3… as in the file.
pub fn create_licence(
    tx: &mut Tx<'_>,
    input: &LicenceInput,
    note: Option<&str>,
) -> Result<Versioned> {
    let v = check_licence(input, 0)?;
    let row = tx.client().query_typed_one(
        &format!(
            "WITH l AS (
                 INSERT INTO public.licences (product, vendor, seats, renewal_date, cost, period,
                     supplier, licence_key, notes, created_at, updated_at, cost_basis)
                 VALUES ($1, $2, $3, $4::text::date, $5, $6, $7, $8, $9, statement_timestamp(),
                         statement_timestamp(), $10)
                 RETURNING *)
             SELECT {COLUMNS} FROM l"
        ),
        &params(&v, &words(&v)),
    )?;
    let saved = from_row(&row)?;
    let event = licence_event(
        saved.licence.id,
        &v.product,
        Action::Created,
        licence_created(&v),
        note,
    );
    audit::record_versioned(tx, &event, Record::Licence, saved.version)?;
    Ok(saved)
}

/// Edits the licence `id`, which the client read at `read_version`: `None` fields keep their
/// value, `Some("")` clears one, seats cannot drop below those in use. Only the fields that
/// really change are written and recorded (the key masked); an edit that changes nothing
/// writes nothing and keeps the version. Refused with [`Error::Conflict`] when the licence has
/// moved on from `read_version`, changing nothing.
pub fn update_licence(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    patch: &LicenceInput,
    note: Option<&str>,
) -> Result<Versioned> {
    let (current, before) = lock_at(tx, id, read_version)?;
    let l = &current.licence;
    let (v, changes) = check_licence_edit(&before, l.archived, l.seats_used, patch)?;
    if changes.is_empty() {
        return Ok(current);
    }
    let words = words(&v);
    let mut values = params(&v, &words);
    values.push((&id, Type::INT8));
    let row = tx.client().query_typed_one(
        &format!(
            "WITH l AS (
                 UPDATE public.licences SET product = $1, vendor = $2, seats = $3,
                     renewal_date = $4::text::date, cost = $5, period = $6, supplier = $7,
                     licence_key = $8, notes = $9, cost_basis = $10,
                     updated_at = statement_timestamp()
                  WHERE id = $11
                 RETURNING *)
             SELECT {COLUMNS} FROM l"
        ),
        &values,
    )?;
    let after = from_row(&row)?;
    let event = licence_event(id, &before.product, Action::Edited, changes, note);
    audit::record_versioned(tx, &event, Record::Licence, after.version)?;
    Ok(after)
}

/// Archives (retires) the licence `id`, read at `read_version`, as the file's
/// `archive_licence` does: refused while seats are in use, and once archived.
pub fn archive_licence(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    note: Option<&str>,
) -> Result<Versioned> {
    let (current, _) = lock_at(tx, id, read_version)?;
    let changes = plan_archive_licence(&current.licence)?;
    let row = tx.client().query_typed_one(
        &format!(
            "WITH l AS (
                 UPDATE public.licences SET archived_at = statement_timestamp(),
                     updated_at = statement_timestamp()
                  WHERE id = $1
                 RETURNING *)
             SELECT {COLUMNS} FROM l"
        ),
        &[(&id, Type::INT8)],
    )?;
    let after = from_row(&row)?;
    let product = &current.licence.product;
    let event = licence_event(id, product, Action::Archived, changes, note);
    audit::record_versioned(tx, &event, Record::Licence, after.version)?;
    Ok(after)
}

/// Locks the licence `id` for this change and refuses the change, with who changed what since,
/// unless it is still at `read_version`.
fn lock_at(tx: &mut Tx<'_>, id: i64, read_version: i64) -> Result<(Versioned, ValidLicence)> {
    let (current, fields) = lock(tx, id)?;
    let l = &current.licence;
    check_version(
        tx.client(),
        Record::Licence,
        l.id,
        &l.product,
        current.version,
        read_version,
    )?;
    Ok((current, fields))
}

/// The stored spellings of `v`'s period and cost basis, for [`params`].
fn words(v: &ValidLicence) -> [&'static str; 2] {
    [v.period.as_str(), v.cost_basis.as_str()]
}

/// `v`'s fields as `$1`…`$10` of the insert and the update (`words`: [`words`] of `v`).
fn params<'a>(
    v: &'a ValidLicence,
    words: &'a [&'static str; 2],
) -> Vec<(&'a (dyn postgres::types::ToSql + Sync), Type)> {
    vec![
        (&v.product, Type::TEXT),
        (&v.vendor, Type::TEXT),
        (&v.seats, Type::INT8),
        (&v.renewal_date, Type::TEXT),
        (&v.cost, Type::INT8),
        (&words[0], Type::TEXT),
        (&v.supplier, Type::TEXT),
        (&v.licence_key, Type::TEXT),
        (&v.notes, Type::TEXT),
        (&words[1], Type::TEXT),
    ]
}
