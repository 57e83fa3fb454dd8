//! Licence seats in the team register: giving one to a person, moving one to someone else and
//! taking one back, each inside the caller's transaction with its audit event, by the core's
//! rules (`register_core::licences::plan_assign_seat`, `plan_reassign_seat`,
//! `plan_release_seat`), so the server refuses what the file refuses, creates the same people
//! on first use and records the same events.
//!
//! Seats are not over-allocated by clients at once: every seat change first locks the
//! licence's row (`read::lock`) and only then counts the seats in use, so a second client
//! taking the last seat waits for the first, then finds none free. A seat change needs no read
//! version (it is checked against the licence as it is under the lock, and says so in plain
//! words), but it makes a new version of the licence, so an edit started before it is refused.
//!
//! Order of a seat change: lock the licence, look the person up (locked `FOR SHARE`, so they
//! cannot be marked as left meanwhile; one new to the register is created, its event held
//! back: see `lookup`), write the seat and the licence's row, then hold the chain head for the
//! events.

use postgres::types::Type;
use register_core::audit::Action;
use register_core::licences::{
    check_licence_live, licence_event, plan_assign_seat, plan_reassign_seat, plan_release_seat,
    SeatHolders,
};

use super::read::{from_row, lock, Versioned, COLUMNS};
use crate::audit;
use crate::conflict::Record;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::lookup::{record_created, Lookup};
use crate::people;
use register_core::assets::Names;

/// Gives a seat of the licence `licence_id` to the person called `person` (created if new), as
/// `register_core::licences::assign_seat` does in a file. Refuses an archived licence, someone
/// who has left, someone who has a seat of it, and a licence whose seats are all in use.
pub fn assign_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    person: &str,
    note: Option<&str>,
) -> Result<Versioned> {
    let (current, _) = lock(tx, licence_id)?;
    let mut seats = ServerSeats {
        lookup: Lookup::new(tx),
        licence_id,
    };
    let plan = plan_assign_seat(&current.licence, person, &mut seats)?;
    let created = seats.lookup.into_created();
    tx.client().query_typed(
        "INSERT INTO public.licence_seats (licence_id, person_id, assigned_at)
         VALUES ($1, $2, statement_timestamp())",
        &[(&licence_id, Type::INT8), (&plan.person.0, Type::INT8)],
    )?;
    let after = touch(tx, licence_id)?;
    record_created(tx, &created)?;
    let event = licence_event(
        licence_id,
        &current.licence.product,
        Action::SeatAssigned,
        plan.changes,
        note,
    );
    audit::record_versioned(tx, &event, Record::Licence, after.version)?;
    Ok(after)
}

/// Moves the seat of the licence `licence_id` that the person `from_person_id` holds to the
/// person called `to` (created if new), in one event, as the file's `reassign_seat` does.
pub fn reassign_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    from_person_id: i64,
    to: &str,
    note: Option<&str>,
) -> Result<Versioned> {
    let (current, _) = lock(tx, licence_id)?;
    check_licence_live(&current.licence)?;
    let from = people::get_person(tx.client(), from_person_id)?.person;
    let from_holds = holds_seat(tx, licence_id, from.id)?;
    let mut seats = ServerSeats {
        lookup: Lookup::new(tx),
        licence_id,
    };
    let plan = plan_reassign_seat(
        &current.licence,
        (from.id, &from.name),
        from_holds,
        to,
        &mut seats,
    )?;
    let created = seats.lookup.into_created();
    tx.client().query_typed(
        "UPDATE public.licence_seats SET person_id = $1, assigned_at = statement_timestamp()
          WHERE licence_id = $2 AND person_id = $3",
        &[
            (&plan.person.0, Type::INT8),
            (&licence_id, Type::INT8),
            (&from.id, Type::INT8),
        ],
    )?;
    let after = touch(tx, licence_id)?;
    record_created(tx, &created)?;
    let event = licence_event(
        licence_id,
        &current.licence.product,
        Action::SeatReassigned,
        plan.changes,
        note,
    );
    audit::record_versioned(tx, &event, Record::Licence, after.version)?;
    Ok(after)
}

/// Takes back the seat of the licence `licence_id` that the person `person_id` holds, as the
/// file's `release_seat` does (the seat's row is deleted; the event keeps who held it).
/// Refused when they hold none.
pub fn release_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    person_id: i64,
    note: Option<&str>,
) -> Result<Versioned> {
    let (current, _) = lock(tx, licence_id)?;
    let p = people::get_person(tx.client(), person_id)?.person;
    let holds = holds_seat(tx, licence_id, person_id)?;
    let changes = plan_release_seat(&current.licence, &p.name, holds)?;
    tx.client().query_typed(
        "DELETE FROM public.licence_seats WHERE licence_id = $1 AND person_id = $2",
        &[(&licence_id, Type::INT8), (&person_id, Type::INT8)],
    )?;
    let after = touch(tx, licence_id)?;
    let product = &current.licence.product;
    let event = licence_event(licence_id, product, Action::SeatReleased, changes, note);
    audit::record_versioned(tx, &event, Record::Licence, after.version)?;
    Ok(after)
}

/// The server's answers to what a seat change of one licence asks: people through the
/// change's [`Lookup`] (created on first use, their events held back), seats by query.
struct ServerSeats<'a, 'c> {
    lookup: Lookup<'a, 'c>,
    licence_id: i64,
}

impl SeatHolders for ServerSeats<'_, '_> {
    type Error = Error;

    fn person(&mut self, name: &str) -> Result<(i64, String)> {
        self.lookup.person(name)
    }

    fn holds_seat(&mut self, person_id: i64) -> Result<bool> {
        holds_seat(self.lookup.tx(), self.licence_id, person_id)
    }
}

fn holds_seat(tx: &mut Tx<'_>, licence_id: i64, person_id: i64) -> Result<bool> {
    Ok(tx
        .client()
        .query_typed_opt(
            "SELECT 1 FROM public.licence_seats WHERE licence_id = $1 AND person_id = $2",
            &[(&licence_id, Type::INT8), (&person_id, Type::INT8)],
        )?
        .is_some())
}

/// Moves the licence's `updated_at` (and so its version) for a seat change, and reads it back
/// with its seats counted.
fn touch(tx: &mut Tx<'_>, licence_id: i64) -> Result<Versioned> {
    let row = tx.client().query_typed_one(
        &format!(
            "WITH l AS (
                 UPDATE public.licences SET updated_at = statement_timestamp()
                  WHERE id = $1
                 RETURNING *)
             SELECT {COLUMNS} FROM l"
        ),
        &[(&licence_id, Type::INT8)],
    )?;
    from_row(&row)
}
