//! Who or where holds an asset in the team register: assigning it, taking it back and moving
//! it to where it was found, each inside the caller's transaction with its audit event, by the
//! core's rules (`register_core::assets::plan_assign`, `plan_return`, `plan_location_move`), so
//! the server refuses what the file refuses, creates the same people and locations on first use
//! and records the same events. Each is guarded by the asset's row version like every other
//! write (`write.rs`): two clients assigning the same asset from the same version, one wins and
//! the other is told who came first.
//!
//! Order of a move: lock the asset's row and check its version (`write::lock_at`), look up the
//! names (a person is locked `FOR SHARE`, so they cannot be marked as left meanwhile; one new to
//! the register is created, its event held back: see `lookup`), write the row, then hold the
//! chain head for the events.

use postgres::types::Type;
use register_core::assets::{
    asset_event, plan_assign, plan_location_move, plan_return, Asset, Holder, Move,
};

use super::read::{from_row, Versioned, COLUMNS};
use super::write::lock_at;
use crate::audit;
use crate::conflict::Record;
use crate::db::Tx;
use crate::error::Result;
use crate::lookup::{record_created, Lookup};

/// Assigns the asset `id`, read at `read_version`, to a person, a location or a person at a
/// location, which deploys it, as `register_core::assets::assign_asset` does in a file. A
/// Retired or Lost/Stolen asset, a person who has left and an assignment that is already so
/// are refused, changing nothing.
pub fn assign_asset(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    to: &Holder,
    note: Option<&str>,
) -> Result<Versioned> {
    move_asset(tx, id, read_version, note, |before, names| {
        plan_assign(before, to, names)
    })
}

/// Takes the asset `id`, read at `read_version`, back: nobody holds it, it is Available, at
/// `location` when one is given (where it was kept otherwise), as the file's `return_asset`
/// does. Refused unless it is Deployed.
pub fn return_asset(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    location: Option<&str>,
    note: Option<&str>,
) -> Result<Versioned> {
    move_asset(tx, id, read_version, note, |before, names| {
        plan_return(before, location, names)
    })
}

/// Moves the asset `id`, read at `read_version`, to the location it was found at, keeping what
/// it is (one a person holds comes back there), as the file's `move_to_location` does. Refused
/// when it is there already.
pub fn move_to_location(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    location: &str,
    note: Option<&str>,
) -> Result<Versioned> {
    move_asset(tx, id, read_version, note, |before, names| {
        plan_location_move(before, location, names)
    })
}

/// Locks the asset at `read_version`, plans the move with the core's rules, writes it and
/// appends the events: those of what the look-ups created, then the move's.
fn move_asset(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    note: Option<&str>,
    plan: impl FnOnce(&Asset, &mut Lookup<'_, '_>) -> Result<Move>,
) -> Result<Versioned> {
    let current = lock_at(tx, id, read_version)?;
    let mut lookup = Lookup::new(tx);
    let m = plan(&current.asset, &mut lookup)?;
    let created = lookup.into_created();
    let row = tx.client().query_typed_one(
        &format!(
            "UPDATE public.assets SET person_id = $1, person_name = $2, location_id = $3,
                 location_name = $4, status = $5, updated_at = statement_timestamp()
             WHERE id = $6
             RETURNING {COLUMNS}"
        ),
        &[
            (&m.person.as_ref().map(|p| p.0), Type::INT8),
            (&m.person.as_ref().map(|p| &p.1), Type::TEXT),
            (&m.location.as_ref().map(|l| l.0), Type::INT8),
            (&m.location.as_ref().map(|l| &l.1), Type::TEXT),
            (&m.status.as_str(), Type::TEXT),
            (&id, Type::INT8),
        ],
    )?;
    let after = from_row(&row)?;
    record_created(tx, &created)?;
    let tag = &current.asset.asset_tag;
    let event = asset_event(id, tag, m.action, m.changes, note);
    audit::record_versioned(tx, &event, Record::Asset, after.version)?;
    Ok(after)
}
