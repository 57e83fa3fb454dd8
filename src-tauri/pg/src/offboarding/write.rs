//! The steps of an offboarding in the team register, each inside the caller's transaction
//! ([`crate::write`]) with the same events as the file: starting, resolving an item, finishing
//! and cancelling. The rules are the core's (`register_core::offboarding`); an item is resolved
//! through this crate's asset and seat changes (`assets::return_asset`, `assign_asset`,
//! `change_status`, `licences::release_seat`, `reassign_seat`), which lock what they change,
//! check its row version and record its own event.
//!
//! Order of a step: for a resolution, lock the asset or the licence first (every asset change
//! locks the asset before the people it names); then lock the person (`people::lock`, `FOR NO
//! KEY UPDATE`: it waits for a step or an assignment to them in flight, and what they hold is
//! counted after it); then read their open offboarding, apply the core's rules, write, and only
//! then hold the chain head for the events.

use chrono::NaiveDate;
use postgres::error::SqlState;
use postgres::types::Type;
use register_core::assets::Holder;
use register_core::licences::Seat;
use register_core::offboarding::{
    already_open, cancelled_event, check_can_finish, check_can_start, not_held, nothing_to_return,
    open_to_close, open_to_resolve, plan_resolution, resolution_note, resolved_event,
    started_event, Checklist, ItemKind, Offboarding, Resolution, ResolutionStep,
};
use register_core::people::Person;
use register_core::status::Status;
use register_core::values::format_date;

use super::read::{get_checklist, held_items, named, open_of, resolved, OpenOffboarding};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::{assets, audit, licences, people};

/// Starts offboarding the person `person_id`, who leaves on `leaving_on`, as the file's
/// `start_offboarding` does. Refuses someone who has already left, and someone whose
/// offboarding is already open, naming who started it and when (also when two clients start
/// it at once: the second waits for the first, then is refused).
pub fn start_offboarding(
    tx: &mut Tx<'_>,
    person_id: i64,
    leaving_on: NaiveDate,
    note: Option<&str>,
) -> Result<Checklist> {
    let p = people::lock(tx, person_id)?.person;
    // The core's checks, in its order: someone who has left, then an open offboarding (the
    // server's refusal of that one also names who started it, when).
    check_can_start(&p, None)?;
    if let Some((o, by)) = open_of(tx.client(), person_id)? {
        return Err(open_already(&p, &o, &by));
    }
    let inserted = tx.client().query_typed(
        "INSERT INTO public.offboardings (person_id, leaving_on, started_at, started_by)
         VALUES ($1, $2::text::date, statement_timestamp(), current_user)",
        &[
            (&person_id, Type::INT8),
            (&format_date(leaving_on), Type::TEXT),
        ],
    );
    if let Err(e) = inserted {
        // Only a client that skipped the person's lock gets here: the index refused it.
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            return Err(Error::Refused(format!(
                "{}'s offboarding is already open: someone started it at the same moment; \
                 nothing was changed",
                p.name
            )));
        }
        return Err(e.into());
    }
    audit::record(tx, &started_event(&p, leaving_on, note))?;
    get_checklist(tx.client(), person_id)
}

/// The refusal of a second start, with the core's words and who started the open one, when.
fn open_already(p: &Person, o: &Offboarding, by: &OpenOffboarding) -> Error {
    Error::Refused(format!(
        "{}, started by {} at {} UTC",
        already_open(p, o),
        by.starter(),
        readable(&by.open.started_at)
    ))
}

/// A stored instant to the second, as people read it ("2026-12-03 14:05:09").
fn readable(at: &str) -> String {
    at.get(..19).unwrap_or(at).replace('T', " ")
}

/// Resolves one item the person holds (an asset, or a seat of the licence `id`) as returned,
/// reassigned or missing, as the file's `resolve_item` does: the asset's or the licence's own
/// change and event, then the person's `offboarding_resolved` event. Needs an open
/// offboarding. An item someone else resolved first (they held the lock) is refused, naming
/// who resolved it, how and when.
pub fn resolve_item(
    tx: &mut Tx<'_>,
    person_id: i64,
    kind: ItemKind,
    id: i64,
    resolution: &Resolution,
    note: Option<&str>,
) -> Result<Checklist> {
    // The item first, then the person: the order every asset and seat change locks them in.
    // One that does not exist is refused below as not held, in the file's words.
    let table = match kind {
        ItemKind::Asset => "assets",
        ItemKind::Seat => "licences",
    };
    tx.client().query_typed(
        &format!("SELECT id FROM public.{table} WHERE id = $1 FOR UPDATE"),
        &[(&id, Type::INT8)],
    )?;
    let p = people::lock(tx, person_id)?.person;
    let open = open_of(tx.client(), person_id)?;
    let o = open_to_resolve(&p, open.as_ref().map(|(o, _)| o))?.clone();
    let Some(item) = held_items(tx.client(), person_id)?
        .into_iter()
        .find(|i| i.kind == kind && i.id == id)
    else {
        return Err(match resolved(tx.client(), o.id, kind, id)? {
            Some(r) => Error::Refused(format!(
                "{} was already resolved ({}) by {} at {} UTC; nothing was changed",
                r.label,
                r.outcome.as_str(),
                named(&r.by, r.by_person.as_deref()),
                readable(&r.at)
            )),
            None => not_held(&p, kind).into(),
        });
    };
    let note = resolution_note(note);
    let step = plan_resolution(kind, resolution, note.as_deref())?;
    let detail = match &step {
        ResolutionStep::ReturnAsset { location } => {
            let v = assets::get_asset(tx.client(), id)?.version;
            let a = assets::return_asset(tx, id, v, location.as_deref(), note.as_deref())?;
            a.asset.location
        }
        ResolutionStep::AssignAsset { to } => {
            let v = assets::get_asset(tx.client(), id)?.version;
            let to = Holder::Person(to.clone());
            let a = assets::assign_asset(tx, id, v, &to, note.as_deref())?;
            a.asset.assigned_to
        }
        ResolutionStep::MarkMissing { note } => {
            let v = assets::get_asset(tx.client(), id)?.version;
            assets::change_status(tx, id, v, Status::LostStolen, Some(note))?;
            Some(note.clone())
        }
        ResolutionStep::ReleaseSeat => {
            licences::release_seat(tx, id, person_id, note.as_deref())?;
            None
        }
        ResolutionStep::ReassignSeat { to } => {
            licences::reassign_seat(tx, id, person_id, to, note.as_deref())?;
            people::find_person(tx.client(), to)?.map(|v| v.person.name)
        }
    };
    let outcome = step.outcome();
    // Resolved again after being handed back: replaced, as the file's INSERT OR REPLACE does.
    tx.client().query_typed(
        "INSERT INTO public.offboarding_items
             (offboarding_id, kind, ref_id, label, outcome, detail, resolved_at, resolved_by)
         VALUES ($1, $2, $3, $4, $5, $6, statement_timestamp(), current_user)
         ON CONFLICT (offboarding_id, kind, ref_id) DO UPDATE
            SET label = EXCLUDED.label, outcome = EXCLUDED.outcome, detail = EXCLUDED.detail,
                resolved_at = EXCLUDED.resolved_at",
        &[
            (&o.id, Type::INT8),
            (&kind.as_str(), Type::TEXT),
            (&id, Type::INT8),
            (&item.label, Type::TEXT),
            (&outcome.as_str(), Type::TEXT),
            (&detail, Type::TEXT),
        ],
    )?;
    let event = resolved_event(&p, &item.label, outcome, detail, note.as_deref());
    audit::record(tx, &event)?;
    get_checklist(tx.client(), person_id)
}

/// Finishes the person's offboarding, as the file's `finish_offboarding` does: marks them as
/// left on its leaving date. Refused while they still hold anything, counted after the person
/// is locked, so an asset handed to them by a change still in flight is counted too.
pub fn finish_offboarding(
    tx: &mut Tx<'_>,
    person_id: i64,
    note: Option<&str>,
) -> Result<Checklist> {
    let p = people::lock(tx, person_id)?.person;
    let open = open_of(tx.client(), person_id)?;
    let o = open_to_close(&p, open.as_ref().map(|(o, _)| o))?;
    let leaving = check_can_finish(&p, o)?;
    close(tx, o.id)?;
    people::set_left_on(tx, person_id, Some(leaving), note)?;
    get_checklist(tx.client(), person_id)
}

/// Cancels the person's open offboarding, as the file's `cancel_offboarding` does: kept as
/// finished without leaving, what was resolved stays resolved.
pub fn cancel_offboarding(
    tx: &mut Tx<'_>,
    person_id: i64,
    note: Option<&str>,
) -> Result<Checklist> {
    let p = people::lock(tx, person_id)?.person;
    let open = open_of(tx.client(), person_id)?;
    let o = open_to_close(&p, open.as_ref().map(|(o, _)| o))?;
    close(tx, o.id)?;
    audit::record(tx, &cancelled_event(&p, o, note))?;
    get_checklist(tx.client(), person_id)
}

/// Marks the offboarding `id` finished (or cancelled) now.
fn close(tx: &mut Tx<'_>, id: i64) -> Result<()> {
    tx.client().query_typed(
        "UPDATE public.offboardings SET finished_at = statement_timestamp() WHERE id = $1",
        &[(&id, Type::INT8)],
    )?;
    Ok(())
}

/// Offboarding in one step, as the file's `register_core::people::return_everything`: returns
/// every live asset the person holds (by tag; to `location` when given) and releases every
/// licence seat they hold, each its own change and event. Refused when they hold nothing.
pub fn return_everything(
    tx: &mut Tx<'_>,
    person_id: i64,
    location: Option<&str>,
    note: Option<&str>,
) -> Result<(Vec<assets::Versioned>, Vec<Seat>)> {
    let p = people::get_person(tx.client(), person_id)?.person;
    let ids: Vec<i64> = tx
        .client()
        .query_typed(
            r#"SELECT id FROM public.assets WHERE person_id = $1 AND archived_at IS NULL
                ORDER BY asset_tag COLLATE "C""#,
            &[(&person_id, Type::INT8)],
        )?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
    let seats = licences::person_seats(tx.client(), person_id)?;
    if ids.is_empty() && seats.is_empty() {
        return Err(nothing_to_return(&p).into());
    }
    let mut returned = Vec::new();
    for id in ids {
        let v = assets::get_asset(tx.client(), id)?.version;
        returned.push(assets::return_asset(tx, id, v, location, note)?);
    }
    for s in &seats {
        licences::release_seat(tx, s.licence_id, person_id, note)?;
    }
    Ok((returned, seats))
}
