//! The rules of who or where holds an asset that need no storage, shared by every store:
//! assigning it (to a person, a location, or a person at a location), taking it back, moving it
//! to where it was found, and changing its status; what each refuses, where it leaves the asset
//! (holder, location, status) and what its event records. The names a move gives are looked up
//! through the store's [`Names`], in the order these rules ask for them, so both stores create
//! the same people and locations, refuse the same moves and record the same events. Reading the
//! asset, writing its row and appending the events stay with each store (the file's `write.rs`,
//! `register_pg::assets`).

use super::model::{Asset, Holder};
use super::rules::{check_status_change, moved};
use crate::audit::{Action, Change};
use crate::error::Error;
use crate::status::Status;
use crate::values::text;

/// How a store finds the people and locations a move names, as (id, name as stored): by name,
/// ignoring case and surrounding spaces, and created (with its own `created` event) when new.
pub trait Names {
    /// The store's error, which carries the core's refusals.
    type Error: From<Error>;

    /// The person called `name`; refuses someone who has left (`people::check_can_hold`).
    fn person(&mut self, name: &str) -> Result<(i64, String), Self::Error>;

    /// The location called `name`.
    fn location(&mut self, name: &str) -> Result<(i64, String), Self::Error>;
}

/// Where a move leaves an asset, and what its event records.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// The event's action: assigned, returned, moved or status_changed.
    pub action: Action,
    /// The person who holds it after the move (id, name).
    pub person: Option<(i64, String)>,
    /// Where it is kept after the move (id, name).
    pub location: Option<(i64, String)>,
    /// Its status after the move.
    pub status: Status,
    /// Holder, location and status, old → new, only those that change.
    pub changes: Vec<Change>,
}

impl Move {
    fn new(
        before: &Asset,
        action: Action,
        person: Option<(i64, String)>,
        location: Option<(i64, String)>,
        status: Status,
    ) -> Move {
        let changes = moved(
            (&before.assigned_to, &before.location, before.status),
            (
                person.as_ref().map(|p| p.1.clone()),
                location.as_ref().map(|l| l.1.clone()),
                status,
            ),
        );
        Move {
            action,
            person,
            location,
            status,
            changes,
        }
    }
}

/// Where `before` is kept now, as a move that keeps it there names it.
fn kept(before: &Asset) -> Option<(i64, String)> {
    before.location_id.zip(before.location.clone())
}

/// Assigning `before` to `to`, which deploys it. A person keeps the asset's location (where it
/// is kept) unless `PersonAt` names another or none. Refuses a Retired or Lost/Stolen asset
/// (before any name is looked up), a person who has left, and an assignment that is already so.
pub fn plan_assign<N: Names>(before: &Asset, to: &Holder, names: &mut N) -> Result<Move, N::Error> {
    if !before.status.can_assign() {
        return Err(Error::Refused(format!(
            "{} is {}; change its status back before assigning it",
            before.asset_tag,
            before.status.label()
        ))
        .into());
    }
    let (person, location) = match to {
        Holder::Person(name) | Holder::PersonAt { person: name, .. } => {
            let p = names.person(name)?;
            let location = match to {
                Holder::PersonAt { location, .. } => match text(location) {
                    Some(l) => Some(names.location(&l)?),
                    None => None,
                },
                // Assigning to a person leaves where it is kept as it was.
                _ => kept(before),
            };
            if before.person_id == Some(p.0) && location.as_ref().map(|l| l.0) == before.location_id
            {
                return Err(Error::Refused(format!(
                    "{} is already assigned to {}",
                    before.asset_tag, p.1
                ))
                .into());
            }
            (Some(p), location)
        }
        Holder::Location(name) => {
            let l = names.location(name)?;
            if before.person_id.is_none()
                && before.location_id == Some(l.0)
                && before.status == Status::Deployed
            {
                return Err(
                    Error::Refused(format!("{} is already at {}", before.asset_tag, l.1)).into(),
                );
            }
            (None, Some(l))
        }
    };
    Ok(Move::new(
        before,
        Action::Assigned,
        person,
        location,
        Status::Deployed,
    ))
}

/// Taking `before` back: no holder, status Available, at `location` when one is given (kept
/// where it was otherwise). Refuses an asset that is not Deployed: nobody holds it.
pub fn plan_return<N: Names>(
    before: &Asset,
    location: Option<&str>,
    names: &mut N,
) -> Result<Move, N::Error> {
    if before.status != Status::Deployed {
        return Err(Error::Refused(format!(
            "{} is not assigned to anyone (it is {})",
            before.asset_tag,
            before.status.label()
        ))
        .into());
    }
    let location = match location.and_then(text) {
        Some(name) => Some(names.location(&name)?),
        None => kept(before),
    };
    Ok(Move::new(
        before,
        Action::Returned,
        None,
        location,
        Status::Available,
    ))
}

/// Moving `before` to the location it was found at (a stocktake's "move it here"), keeping what
/// it is: one a person holds comes back (Available, there), one deployed at a location is
/// deployed here, any other keeps its status and is now here. Refused when it is already there.
pub fn plan_location_move<N: Names>(
    before: &Asset,
    location: &str,
    names: &mut N,
) -> Result<Move, N::Error> {
    let l = names.location(location)?;
    if before.person_id.is_none() && before.location_id == Some(l.0) {
        return Err(Error::Refused(format!("{} is already at {}", before.asset_tag, l.1)).into());
    }
    let (action, status) = match (before.person_id, before.status) {
        (Some(_), _) => (Action::Returned, Status::Available),
        (None, Status::Deployed) => (Action::Assigned, Status::Deployed),
        (None, s) => (Action::Moved, s),
    };
    Ok(Move::new(before, action, None, Some(l), status))
}

/// Changing the status of `before` (refused as [`check_status_change`] says): any person's
/// holding ends, the location stays.
pub fn plan_status_change(before: &Asset, status: Status) -> crate::Result<Move> {
    check_status_change(before, status)?;
    Ok(Move::new(
        before,
        Action::StatusChanged,
        None,
        kept(before),
        status,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names from a fixed list, recording what was asked: (kind, name).
    #[derive(Default)]
    struct Fixed {
        asked: Vec<(&'static str, String)>,
    }

    impl Names for Fixed {
        type Error = Error;
        fn person(&mut self, name: &str) -> crate::Result<(i64, String)> {
            self.asked.push(("person", name.to_string()));
            match name.trim() {
                "Gone" => Err(Error::Refused("Gone has left".into())),
                n => Ok((n.len() as i64, n.to_string())),
            }
        }
        fn location(&mut self, name: &str) -> crate::Result<(i64, String)> {
            self.asked.push(("location", name.to_string()));
            Ok((100 + name.len() as i64, name.trim().to_string()))
        }
    }

    /// The rules' test asset, with the ids `Fixed` gives its person and location.
    fn asset(status: Status, person: Option<&str>, location: Option<&str>) -> Asset {
        Asset {
            person_id: person.map(|p| p.len() as i64),
            location_id: location.map(|l| 100 + l.len() as i64),
            ..super::super::rules::tests::asset(status, person, location)
        }
    }

    #[test]
    fn assigning_deploys_and_refuses_what_it_cannot_do() {
        let mut names = Fixed::default();
        let spare = asset(Status::Available, None, Some("Leeds"));
        let m = plan_assign(&spare, &Holder::Person("Sam".into()), &mut names).unwrap();
        assert_eq!(m.status, Status::Deployed);
        assert_eq!(m.location, Some((105, "Leeds".into())));
        assert_eq!(
            m.changes,
            [
                Change::new("assigned_to", None, Some("Sam".into())),
                Change::new("status", Some("available".into()), Some("deployed".into())),
            ]
        );
        let held = asset(Status::Deployed, Some("Sam"), Some("Leeds"));
        let err = plan_assign(&held, &Holder::Person("Sam".into()), &mut names).unwrap_err();
        assert_eq!(err.to_string(), "IT-0007 is already assigned to Sam");
        let to = Holder::PersonAt {
            person: "Sam".into(),
            location: " ".into(),
        };
        let m = plan_assign(&held, &to, &mut names).unwrap();
        assert_eq!(
            m.changes,
            [Change::new("location", Some("Leeds".into()), None)]
        );

        names.asked.clear();
        let lost = asset(Status::LostStolen, None, None);
        let err = plan_assign(&lost, &Holder::Person("Sam".into()), &mut names).unwrap_err();
        assert_eq!(
            err.to_string(),
            "IT-0007 is Lost/Stolen; change its status back before assigning it"
        );
        assert!(
            names.asked.is_empty(),
            "nothing looked up for a refused asset"
        );
        let gone = plan_assign(&spare, &Holder::Person("Gone".into()), &mut names);
        assert_eq!(gone.unwrap_err().to_string(), "Gone has left");
        let there = asset(Status::Deployed, None, Some("Leeds"));
        let err = plan_assign(&there, &Holder::Location("Leeds".into()), &mut names).unwrap_err();
        assert_eq!(err.to_string(), "IT-0007 is already at Leeds");
    }

    #[test]
    fn returning_and_moving_say_where_it_ends_up() {
        let mut names = Fixed::default();
        let spare = asset(Status::Available, None, None);
        let err = plan_return(&spare, None, &mut names).unwrap_err();
        assert_eq!(
            err.to_string(),
            "IT-0007 is not assigned to anyone (it is Available)"
        );
        let held = asset(Status::Deployed, Some("Sam"), Some("Leeds"));
        let m = plan_return(&held, Some(" York "), &mut names).unwrap();
        assert_eq!((m.action, m.status), (Action::Returned, Status::Available));
        // Trimmed before it is looked up.
        assert_eq!(m.location, Some((104, "York".into())));
        let m = plan_return(&held, Some(""), &mut names).unwrap();
        assert_eq!(m.location, Some((105, "Leeds".into())));

        let m = plan_location_move(&held, "York", &mut names).unwrap();
        assert_eq!((m.action, m.status), (Action::Returned, Status::Available));
        let broken = asset(Status::InMaintenance, None, Some("Leeds"));
        let m = plan_location_move(&broken, "York", &mut names).unwrap();
        assert_eq!((m.action, m.status), (Action::Moved, Status::InMaintenance));
        let err = plan_location_move(&broken, "Leeds", &mut names).unwrap_err();
        assert_eq!(err.to_string(), "IT-0007 is already at Leeds");

        let m = plan_status_change(&held, Status::InMaintenance).unwrap();
        assert_eq!(
            (m.person, m.location.map(|l| l.1)),
            (None, Some("Leeds".into()))
        );
    }
}
