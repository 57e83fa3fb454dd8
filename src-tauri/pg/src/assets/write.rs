//! Changing assets in the team register: create, edit, change status, archive and restore
//! (unarchive), each inside
//! the caller's transaction ([`crate::write`]) with its audit event, each checked by the core's
//! rules (`register_core::assets::check_*`), so the server refuses what the file refuses and
//! records the same events, and each guarded by the asset's row version.
//!
//! Order of a change to an existing asset: lock its row (`FOR UPDATE`), refuse it if its
//! version is not the one the client read, apply the core's checks, write the row, and only
//! then hold the chain head and append the event. The head is the one lock every writer of the
//! register queues on, so it is held for as little as can be: the append and the commit. (Held
//! from before the row's write, so that the row carried the event's time, 8 editors made 126
//! edits/s where this order makes 222/s on the same loaded machine.) The row's `updated_at` is
//! the server's clock when the row is written, a moment before its event's time. A create
//! writes its row first too, numbered by the table's sequence. So every writer takes its row
//! (and its tag's and serial's index entries) before the head, and the one holding the head
//! waits for nothing else: no two changes can wait for each other in a circle.
//!
//! A change that names a category the register does not have yet creates it, as the file does,
//! with its own `created` event before the asset's (see `lookup` for why that event waits for
//! the asset's row). Assigning, returning and moving an asset are in `holding`.

use postgres::error::SqlState;
use postgres::types::Type;
use register_core::assets::{
    archive_changes, asset_event, check_edit, check_new_asset, check_status_change, plan_restore,
    serial_key, status_changes, AssetInput, AssetPatch, Checked, Valid,
};
use register_core::audit::Action;
use register_core::status::Status;
use register_core::values::format_date;

use super::read::{from_row, live, lock, Versioned, COLUMNS};
use crate::audit;
use crate::conflict::{check_version, Record};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::lookup::{record_created, Lookup};

/// Adds an asset (status Available, version 1) and records its `created` event, as
/// `register_core::assets::create_asset` does in a file. Its id comes from the table's
/// sequence: 1, 2, 3… as in the file.
pub fn create_asset(tx: &mut Tx<'_>, input: &AssetInput, note: Option<&str>) -> Result<Versioned> {
    let Checked { values: v, changes } = check_new_asset(input)?;
    check_unique(tx, &v, None)?;
    // The category, created when new (the file's `category`).
    let mut lookup = Lookup::new(tx);
    let category = v
        .category
        .as_deref()
        .map(|c| lookup.category(c))
        .transpose()?;
    let created = lookup.into_created();
    let row = tx
        .client()
        .query_typed_one(
            &format!(
                "INSERT INTO public.assets (asset_tag, name, make, model, serial_number,
                     serial_key, purchase_date, purchase_cost, supplier, warranty_expires, notes,
                     status, created_at, updated_at, category_id, category_name)
                 VALUES ($1, $2, $3, $4, $5, $6, $7::text::date, $8, $9, $10::text::date, $11,
                         'available', statement_timestamp(), statement_timestamp(), $12, $13)
                 RETURNING {COLUMNS}"
            ),
            &[
                (&v.asset_tag, Type::TEXT),
                (&v.name, Type::TEXT),
                (&v.make, Type::TEXT),
                (&v.model, Type::TEXT),
                (&v.serial_number, Type::TEXT),
                (&serial_key(&v.serial_number), Type::TEXT),
                (&v.purchase_date.map(format_date), Type::TEXT),
                (&v.purchase_cost.map(|m| m.minor()), Type::INT8),
                (&v.supplier, Type::TEXT),
                (&v.warranty_expires.map(format_date), Type::TEXT),
                (&v.notes, Type::TEXT),
                (&category.as_ref().map(|c| c.0), Type::INT8),
                (&category.as_ref().map(|c| &c.1), Type::TEXT),
            ],
        )
        .map_err(|e| clash(e, &v))?;
    let saved = from_row(&row)?;
    record_created(tx, &created)?;
    let a = &saved.asset;
    let event = asset_event(a.id, &a.asset_tag, Action::Created, changes, note);
    audit::record_versioned(tx, &event, Record::Asset, saved.version)?;
    Ok(saved)
}

/// Edits fields of the asset `id`, which the client read at version `read_version`. Only the
/// fields whose value really changes are written and audited (field, old, new); an edit that
/// changes nothing writes nothing and keeps the version. Refused with [`Error::Conflict`] when
/// the asset has moved on from `read_version`, changing nothing.
pub fn update_asset(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    patch: &AssetPatch,
    note: Option<&str>,
) -> Result<Versioned> {
    let current = lock_at(tx, id, read_version)?;
    let before = &current.asset;
    let Checked {
        values: new,
        changes,
    } = check_edit(before, patch)?;
    if changes.is_empty() {
        return Ok(current);
    }
    // Unchanged, they are unique already (the indexes say so).
    if new.asset_tag != before.asset_tag
        || serial_key(&new.serial_number) != serial_key(&before.serial_number)
    {
        check_unique(tx, &new, Some(id))?;
    }
    let mut lookup = Lookup::new(tx);
    let category = new
        .category
        .as_deref()
        .map(|c| lookup.category(c))
        .transpose()?;
    let created = lookup.into_created();
    let row = tx
        .client()
        .query_typed_one(
            &format!(
                "UPDATE public.assets SET asset_tag = $1, name = $2, category_name = $3,
                     category_id = $14,
                     make = $4, model = $5, serial_number = $6, serial_key = $7,
                     purchase_date = $8::text::date, purchase_cost = $9, supplier = $10,
                     warranty_expires = $11::text::date, notes = $12,
                     updated_at = statement_timestamp()
                 WHERE id = $13
                 RETURNING {COLUMNS}"
            ),
            &[
                (&new.asset_tag, Type::TEXT),
                (&new.name, Type::TEXT),
                (&category.as_ref().map(|c| &c.1), Type::TEXT),
                (&new.make, Type::TEXT),
                (&new.model, Type::TEXT),
                (&new.serial_number, Type::TEXT),
                (&serial_key(&new.serial_number), Type::TEXT),
                (&new.purchase_date.map(format_date), Type::TEXT),
                (&new.purchase_cost.map(|m| m.minor()), Type::INT8),
                (&new.supplier, Type::TEXT),
                (&new.warranty_expires.map(format_date), Type::TEXT),
                (&new.notes, Type::TEXT),
                (&id, Type::INT8),
                (&category.as_ref().map(|c| c.0), Type::INT8),
            ],
        )
        .map_err(|e| clash(e, &new))?;
    let after = from_row(&row)?;
    record_created(tx, &created)?;
    let event = asset_event(id, &before.asset_tag, Action::Edited, changes, note);
    audit::record_versioned(tx, &event, Record::Asset, after.version)?;
    Ok(after)
}

/// Changes the status of the asset `id`, read at `read_version`, by the core's rule: not to the
/// status it has, not to Deployed (which needs a holder); any person's holding ends, the
/// location stays. Retiring an asset is this, with [`Status::Retired`].
pub fn change_status(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    status: Status,
    note: Option<&str>,
) -> Result<Versioned> {
    let current = lock_at(tx, id, read_version)?;
    let before = &current.asset;
    check_status_change(before, status)?;
    let changes = status_changes(before, status);
    let row = tx.client().query_typed_one(
        &format!(
            "UPDATE public.assets SET person_id = NULL, person_name = NULL, status = $1,
                 updated_at = statement_timestamp()
             WHERE id = $2
             RETURNING {COLUMNS}"
        ),
        &[(&status.as_str(), Type::TEXT), (&id, Type::INT8)],
    )?;
    let after = from_row(&row)?;
    let event = asset_event(id, &before.asset_tag, Action::StatusChanged, changes, note);
    audit::record_versioned(tx, &event, Record::Asset, after.version)?;
    Ok(after)
}

/// Archives the asset `id`, read at `read_version` (takes it out of the live register; its
/// history stays and its tag stays reserved), as the file's `archive_asset` does.
pub fn archive_asset(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    note: Option<&str>,
) -> Result<Versioned> {
    let current = lock_at(tx, id, read_version)?;
    let row = tx.client().query_typed_one(
        &format!(
            "UPDATE public.assets SET archived_at = statement_timestamp(),
                 updated_at = statement_timestamp()
             WHERE id = $1
             RETURNING {COLUMNS}"
        ),
        &[(&id, Type::INT8)],
    )?;
    let after = from_row(&row)?;
    let tag = &current.asset.asset_tag;
    let event = asset_event(id, tag, Action::Archived, archive_changes(), note);
    audit::record_versioned(tx, &event, Record::Asset, after.version)?;
    Ok(after)
}

/// Brings the archived asset `id`, read at `read_version`, back into the live register as it
/// was when archived (same fields, holder and status), with a `restored` event, as the file's
/// `unarchive_asset` does: refused unless it is archived, and while a live asset carries its
/// serial (archiving freed it for reuse).
pub fn unarchive_asset(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    note: Option<&str>,
) -> Result<Versioned> {
    let current = lock_read(tx, id, read_version)?;
    let Checked { values, changes } = plan_restore(&current.asset)?;
    check_unique(tx, &values, Some(id))?;
    let row = tx
        .client()
        .query_typed_one(
            &format!(
                "UPDATE public.assets SET archived_at = NULL, updated_at = statement_timestamp()
                 WHERE id = $1
                 RETURNING {COLUMNS}"
            ),
            &[(&id, Type::INT8)],
        )
        .map_err(|e| clash(e, &values))?;
    let after = from_row(&row)?;
    let tag = &current.asset.asset_tag;
    let event = asset_event(id, tag, Action::Restored, changes, note);
    audit::record_versioned(tx, &event, Record::Asset, after.version)?;
    Ok(after)
}

/// Locks the asset `id` for this change and refuses the change, with who changed what since,
/// unless it is still at `read_version`; then refuses it if it is archived. The version is
/// checked first so that a client whose asset was archived under it is told by whom.
pub(super) fn lock_at(tx: &mut Tx<'_>, id: i64, read_version: i64) -> Result<Versioned> {
    let current = lock_read(tx, id, read_version)?;
    live(&current)?;
    Ok(current)
}

/// [`lock_at`] for an archived asset too (restoring one).
fn lock_read(tx: &mut Tx<'_>, id: i64, read_version: i64) -> Result<Versioned> {
    let current = lock(tx.client(), id)?;
    let a = &current.asset;
    check_version(
        tx.client(),
        Record::Asset,
        a.id,
        &a.asset_tag,
        current.version,
        read_version,
    )?;
    Ok(current)
}

/// Refuses a tag or serial another asset already uses, with the core's errors: the tag ignoring
/// ASCII case (the file's NOCASE), the serial by its key among live assets.
fn check_unique(tx: &mut Tx<'_>, v: &Valid, except: Option<i64>) -> Result<()> {
    let row = tx.client().query_typed_one(
        r#"SELECT
             (SELECT asset_tag FROM public.assets
               WHERE lower(asset_tag COLLATE "C") = lower($1 COLLATE "C") AND id <> $2) AS tag,
             (SELECT asset_tag FROM public.assets
               WHERE serial_key = $3 AND archived_at IS NULL AND id <> $2 LIMIT 1) AS serial"#,
        &[
            (&v.asset_tag, Type::TEXT),
            (&except.unwrap_or(-1), Type::INT8),
            (&serial_key(&v.serial_number), Type::TEXT),
        ],
    )?;
    if let Some(tag) = row.try_get::<_, Option<String>>("tag")? {
        return Err(register_core::Error::DuplicateTag(tag).into());
    }
    if let Some(tag) = row.try_get::<_, Option<String>>("serial")? {
        return Err(register_core::Error::DuplicateSerial { tag }.into());
    }
    Ok(())
}

/// A tag or serial taken between the check and the write (another client's save that
/// committed in between) fails on the unique indexes: reported as the check reports it.
fn clash(e: postgres::Error, v: &Valid) -> Error {
    let Some(db) = e.as_db_error() else {
        return e.into();
    };
    if *db.code() != SqlState::UNIQUE_VIOLATION {
        return e.into();
    }
    match db.constraint() {
        Some("assets_tag") => register_core::Error::DuplicateTag(v.asset_tag.clone()).into(),
        Some("assets_serial") => register_core::Error::DuplicateSerial {
            tag: "another asset saved just now".into(),
        }
        .into(),
        _ => e.into(),
    }
}
