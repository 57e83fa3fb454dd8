//! Changing an asset: create, edit, assign, return, change status, archive and unarchive, each
//! with its audit event in the same transaction.

use rusqlite::{params, Connection, OptionalExtension};

use super::holding::{
    plan_assign, plan_location_move, plan_return, plan_status_change, Move, Names,
};
use super::list::{get_asset, live};
use super::model::*;
use super::rules::{self, check_edit, check_new_asset, Checked};
use crate::audit::Action;
use crate::audit::{self, Change, NewEvent};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::names::{self, Kind};
use crate::people;
use crate::status::Status;
use crate::values::format_date;

/// Refuses a tag or serial that another asset already uses.
pub(super) fn check_unique(conn: &Connection, v: &Valid, except: Option<i64>) -> Result<()> {
    let except = except.unwrap_or(-1);
    let tag_taken: Option<String> = conn
        .prepare_cached(
            "SELECT asset_tag FROM assets WHERE asset_tag = ?1 COLLATE NOCASE AND id != ?2",
        )?
        .query_row(params![v.asset_tag, except], |r| r.get(0))
        .optional()?;
    if let Some(existing) = tag_taken {
        return Err(Error::DuplicateTag(existing));
    }
    if let Some(key) = serial_key(&v.serial_number) {
        let on: Option<String> = conn
            .prepare_cached(
                "SELECT asset_tag FROM assets WHERE serial_key = ?1 AND archived_at IS NULL AND id != ?2")?
        .query_row(
                params![key, except],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(tag) = on {
            return Err(Error::DuplicateSerial { tag });
        }
    }
    Ok(())
}

/// The category's id and stored spelling, created on first use.
pub(super) fn category(
    tx: &mut Tx<'_>,
    category: &Option<String>,
) -> Result<(Option<i64>, Option<String>)> {
    Ok(match category.as_deref() {
        Some(c) => {
            let n = names::get_or_create(tx, Kind::Category, c)?;
            (Some(n.id), Some(n.name))
        }
        None => (None, None),
    })
}

pub(super) fn asset_event<'a>(
    a: &'a Asset,
    action: Action,
    changes: Vec<Change>,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    rules::asset_event(a.id, &a.asset_tag, action, changes, note)
}

/// Adds an asset (status Available) and records a `created` event with every field.
pub fn create_asset(tx: &mut Tx<'_>, input: &AssetInput, note: Option<&str>) -> Result<Asset> {
    let Checked { values: v, changes } = check_new_asset(input)?;
    check_unique(tx.conn(), &v, None)?;
    let (category_id, category_name) = category(tx, &v.category)?;
    let now = tx.now().to_string();
    tx.conn()
        .prepare_cached(
            "INSERT INTO assets (asset_tag, name, category_id, category_name, make, model,
            serial_number, serial_key, purchase_date, purchase_cost, supplier, warranty_expires,
            notes, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?14, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'available', ?13, ?13)",
        )?
        .execute(params![
            v.asset_tag,
            v.name,
            category_id,
            v.make,
            v.model,
            v.serial_number,
            serial_key(&v.serial_number),
            v.purchase_date.map(format_date),
            v.purchase_cost,
            v.supplier,
            v.warranty_expires.map(format_date),
            v.notes,
            now,
            category_name
        ])?;
    let asset = get_asset(tx.conn(), tx.conn().last_insert_rowid())?;
    audit::record(tx, asset_event(&asset, Action::Created, changes, note))?;
    Ok(asset)
}

/// Edits fields. Only fields whose value really changes are written and audited (field, old,
/// new); an edit that changes nothing writes nothing.
pub fn update_asset(
    tx: &mut Tx<'_>,
    id: i64,
    patch: &AssetPatch,
    note: Option<&str>,
) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    let Checked {
        values: new,
        changes,
    } = check_edit(&before, patch)?;
    if changes.is_empty() {
        return Ok(before);
    }
    check_unique(tx.conn(), &new, Some(id))?;
    let (category_id, category_name) = category(tx, &new.category)?;
    tx.conn()
        .prepare_cached(
            "UPDATE assets SET asset_tag = ?1, name = ?2, category_id = ?3, category_name = ?15,
            make = ?4, model = ?5,
            serial_number = ?6, serial_key = ?7, purchase_date = ?8, purchase_cost = ?9,
            supplier = ?10, warranty_expires = ?11, notes = ?12, updated_at = ?13
         WHERE id = ?14",
        )?
        .execute(params![
            new.asset_tag,
            new.name,
            category_id,
            new.make,
            new.model,
            new.serial_number,
            serial_key(&new.serial_number),
            new.purchase_date.map(format_date),
            new.purchase_cost,
            new.supplier,
            new.warranty_expires.map(format_date),
            new.notes,
            tx.now(),
            id,
            category_name
        ])?;
    let after = get_asset(tx.conn(), id)?;
    audit::record(tx, asset_event(&before, Action::Edited, changes, note))?;
    Ok(after)
}

/// The file's people and locations, as the rules of a move look them up: created on first use,
/// each with its `created` event.
impl Names for Tx<'_> {
    type Error = Error;

    fn person(&mut self, name: &str) -> Result<(i64, String)> {
        let p = people::get_or_create(self, name)?;
        Ok((p.id, p.name))
    }

    fn location(&mut self, name: &str) -> Result<(i64, String)> {
        let l = names::get_or_create(self, Kind::Location, name)?;
        Ok((l.id, l.name))
    }
}

/// Writes a move's holder, location and status and records its event.
fn move_asset(tx: &mut Tx<'_>, before: &Asset, m: Move, note: Option<&str>) -> Result<Asset> {
    tx.conn().prepare_cached(
        "UPDATE assets SET person_id = ?1, person_name = ?2, location_id = ?3, location_name = ?4,
            status = ?5, updated_at = ?6 WHERE id = ?7")?
        .execute(
        params![
            m.person.as_ref().map(|p| p.0),
            m.person.as_ref().map(|p| &p.1),
            m.location.as_ref().map(|l| l.0),
            m.location.as_ref().map(|l| &l.1),
            m.status.as_str(),
            tx.now(),
            before.id
        ],
    )?;
    let after = get_asset(tx.conn(), before.id)?;
    audit::record(tx, asset_event(before, m.action, m.changes, note))?;
    Ok(after)
}

/// Assigns an asset to a person or location, which deploys it, by the rules of
/// [`plan_assign`]: a person keeps the asset's location unless `PersonAt` names another or none;
/// a Retired or Lost/Stolen asset, a person who has left, and an assignment that is already so
/// are refused.
pub fn assign_asset(tx: &mut Tx<'_>, id: i64, to: &Holder, note: Option<&str>) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    let m = plan_assign(&before, to, tx)?;
    move_asset(tx, &before, m, note)
}

/// Takes an asset back: no holder, status Available, optionally at a location (kept otherwise).
/// Refused unless it is Deployed.
pub fn return_asset(
    tx: &mut Tx<'_>,
    id: i64,
    location: Option<&str>,
    note: Option<&str>,
) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    let m = plan_return(&before, location, tx)?;
    move_asset(tx, &before, m, note)
}

/// Moves an asset to the location it was found at (a stocktake's "move it here"), keeping what
/// it is, by the rules of [`plan_location_move`]. Refused when it is already there.
pub fn move_to_location(
    tx: &mut Tx<'_>,
    id: i64,
    location: &str,
    note: Option<&str>,
) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    let m = plan_location_move(&before, location, tx)?;
    move_asset(tx, &before, m, note)
}

/// Changes the status. Deployed needs a holder (use assign); any other status ends a person's
/// holding; an asset that is Retired or Lost/Stolen can be brought back to any status.
pub fn change_status(
    tx: &mut Tx<'_>,
    id: i64,
    status: Status,
    note: Option<&str>,
) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    let m = plan_status_change(&before, status)?;
    move_asset(tx, &before, m, note)
}

/// Archives (deletes from the live register) an asset. Its history stays, and its tag stays
/// reserved so the history can always be found by it.
pub fn archive_asset(tx: &mut Tx<'_>, id: i64, note: Option<&str>) -> Result<()> {
    let before = live(tx.conn(), id)?;
    tx.conn()
        .prepare_cached("UPDATE assets SET archived_at = ?1, updated_at = ?1 WHERE id = ?2")?
        .execute(params![tx.now(), id])?;
    audit::record(
        tx,
        asset_event(&before, Action::Archived, rules::archive_changes(), note),
    )?;
    Ok(())
}

/// Brings an archived asset back into the live register as it was when archived (same
/// fields, holder and status), recording a `restored` event. Refused while a live asset carries
/// its serial number, since archiving freed that serial for reuse.
pub fn unarchive_asset(tx: &mut Tx<'_>, id: i64, note: Option<&str>) -> Result<Asset> {
    let before = get_asset(tx.conn(), id)?;
    let Checked { values, changes } = rules::plan_restore(&before)?;
    check_unique(tx.conn(), &values, Some(id))?;
    tx.conn()
        .prepare_cached("UPDATE assets SET archived_at = NULL, updated_at = ?1 WHERE id = ?2")?
        .execute(params![tx.now(), id])?;
    audit::record(tx, asset_event(&before, Action::Restored, changes, note))?;
    get_asset(tx.conn(), id)
}
