//! Assets placed in one step, as an import needs: created or brought back already held and in
//! a status, with the events create, assign and status change would have recorded, and names
//! looked up once per import.

use std::collections::HashMap;

use rusqlite::ToSql;

use super::list::*;
use super::model::*;
use super::rules::moved;
use super::write::*;
use crate::audit::Action;
use crate::audit::{self, Change, NewEvent};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::names::{self, Kind};
use crate::people;
use crate::status::Status;
use crate::values::format_date;

/// People, locations and categories already looked up while creating many assets (an
/// import), by name folded the way the register compares names (ASCII case, like NOCASE): each
/// is read, or created and audited, once.
#[derive(Debug, Default)]
pub struct Lookups {
    people: HashMap<String, (i64, String)>,
    locations: HashMap<String, (i64, String)>,
    categories: HashMap<String, (i64, String)>,
}

impl Lookups {
    pub(super) fn person(&mut self, tx: &mut Tx<'_>, name: &str) -> Result<(i64, String)> {
        let key = name.trim().to_ascii_lowercase();
        if let Some(p) = self.people.get(&key) {
            return Ok(p.clone());
        }
        let p = people::get_or_create(tx, name)?;
        self.people.insert(key, (p.id, p.name.clone()));
        Ok((p.id, p.name))
    }

    pub(super) fn named(
        &mut self,
        tx: &mut Tx<'_>,
        kind: Kind,
        name: &str,
    ) -> Result<(i64, String)> {
        let map = match kind {
            Kind::Location => &mut self.locations,
            Kind::Category => &mut self.categories,
        };
        let key = name.trim().to_ascii_lowercase();
        if let Some(n) = map.get(&key) {
            return Ok(n.clone());
        }
        let n = names::get_or_create(tx, kind, name)?;
        map.insert(key, (n.id, n.name.clone()));
        Ok((n.id, n.name))
    }
}

/// Where an asset placed by an import ends up: its category, holder and status.
pub(super) struct Placement {
    category: Option<(i64, String)>,
    person: Option<(i64, String)>,
    location: Option<(i64, String)>,
    end: Status,
}

impl Placement {
    /// Resolves names (creating what is new, audited) and the status the asset ends in: a
    /// person deploys it; at a location it is in `status` there (no status: in stock there);
    /// held by nobody, Deployed is refused.
    pub(super) fn resolve(
        tx: &mut Tx<'_>,
        v: &Valid,
        holder: Option<&Holder>,
        status: Option<Status>,
        lookups: &mut Lookups,
    ) -> Result<Placement> {
        let category = match &v.category {
            Some(c) => Some(lookups.named(tx, Kind::Category, c)?),
            None => None,
        };
        let (person, location) = match holder {
            Some(Holder::Person(p)) => (Some(lookups.person(tx, p)?), None),
            Some(Holder::PersonAt { person, location }) => (
                Some(lookups.person(tx, person)?),
                match crate::values::text(location) {
                    Some(l) => Some(lookups.named(tx, Kind::Location, &l)?),
                    None => None,
                },
            ),
            Some(Holder::Location(l)) => (None, Some(lookups.named(tx, Kind::Location, l)?)),
            None => (None, None),
        };
        let end = placed_status(&v.asset_tag, person.is_some(), location.is_some(), status)?;
        Ok(Placement {
            category,
            person,
            location,
            end,
        })
    }

    /// Writes `v` placed so: a new row (`restore: None`), or over the archived asset `restore`,
    /// bringing it back. Tag and serial clashes fail on the unique indexes.
    pub(super) fn write(
        &self,
        tx: &Tx<'_>,
        v: &Valid,
        restore: Option<i64>,
    ) -> rusqlite::Result<usize> {
        macro_rules! placed_columns {
            () => {
                "asset_tag, name, category_id, category_name, make, model, serial_number,
                 serial_key, purchase_date, purchase_cost, supplier, warranty_expires, notes,
                 status, person_id, person_name, location_id, location_name"
            };
        }
        let values = [
            serial_key(&v.serial_number),
            v.purchase_date.map(format_date),
            v.warranty_expires.map(format_date),
        ];
        fn id_name(x: &Option<(i64, String)>) -> (Option<i64>, Option<&str>) {
            (x.as_ref().map(|x| x.0), x.as_ref().map(|x| x.1.as_str()))
        }
        let [(category_id, category_name), (person_id, person_name), (location_id, location_name)] =
            [&self.category, &self.person, &self.location].map(id_name);
        let params: [&dyn ToSql; 20] = [
            &v.asset_tag,
            &v.name,
            &category_id,
            &category_name,
            &v.make,
            &v.model,
            &v.serial_number,
            &values[0],
            &values[1],
            &v.purchase_cost,
            &v.supplier,
            &values[2],
            &v.notes,
            &self.end.as_str(),
            &person_id,
            &person_name,
            &location_id,
            &location_name,
            &tx.now(),
            &restore,
        ];
        match restore {
            None => tx
                .conn()
                .prepare_cached(concat!(
                    "INSERT INTO assets (",
                    placed_columns!(),
                    ", created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                     ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)"
                ))?
                .execute(&params[..19]),
            Some(_) => tx
                .conn()
                .prepare_cached(concat!(
                    "UPDATE assets SET (",
                    placed_columns!(),
                    ") = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17, ?18), archived_at = NULL, updated_at = ?19 WHERE id = ?20"
                ))?
                .execute(&params[..]),
        }
    }
}

/// Brings back an archived asset with `input`'s fields, held and in a status as
/// [`create_placed`] would place a new one, and records one `restored` event listing every
/// change (archived, fields, holder, status). For an import that brings back assets an undone
/// import took away: their tags stay reserved, so they come back instead of being created again.
pub fn restore_placed(
    tx: &mut Tx<'_>,
    id: i64,
    input: &AssetInput,
    (holder, status): (Option<&Holder>, Option<Status>),
    note: Option<&str>,
    lookups: &mut Lookups,
) -> Result<()> {
    let before = get_asset(tx.conn(), id)?;
    if !before.archived {
        return Err(Error::Refused(format!(
            "{} is in the register already",
            before.asset_tag
        )));
    }
    let old = Valid::from_input(&before.to_input())?;
    let v = Valid::from_input(input)?;
    check_unique(tx.conn(), &v, Some(id))?;
    let placement = Placement::resolve(tx, &v, holder, status, lookups)?;
    placement.write(tx, &v, Some(id))?;
    let Placement {
        person,
        location,
        end,
        ..
    } = placement;
    let changes = restored_changes(
        &before,
        &old,
        &v,
        (person.map(|p| p.1), location.map(|l| l.1), end),
    );
    audit::record(tx, asset_event(&before, Action::Restored, changes, note))?;
    Ok(())
}

/// Adds an asset that starts out held or in a status: what [`create_asset`] followed by
/// [`assign_asset`] (a person or a location) and [`change_status`] (`status`, when not
/// Deployed) would write, with the same checks and the same events in the asset's history, but
/// as one row insert with nothing read back. (A person, place or category it names for the
/// first time is created, and audited, before the asset rather than between its events.) For
/// imports, which create thousands: the tag's and serial's uniqueness is left to the register's
/// unique indexes (a clash is reported as by `create_asset`), and names are looked up once
/// through `lookups`. Returns the new asset's id.
pub fn create_placed(
    tx: &mut Tx<'_>,
    input: &AssetInput,
    holder: Option<&Holder>,
    status: Option<Status>,
    note: Option<&str>,
    lookups: &mut Lookups,
) -> Result<i64> {
    let v = Valid::from_input(input)?;
    let placement = Placement::resolve(tx, &v, holder, status, lookups)?;
    let inserted = placement.write(tx, &v, None);
    if let Err(e) = inserted {
        // A clash on the unique tag or serial index: name it as `create_asset` would.
        check_unique(tx.conn(), &v, None)?;
        return Err(e.into());
    }
    let id = tx.conn().last_insert_rowid();
    let Placement {
        person,
        location,
        end,
        ..
    } = placement;
    let holder_names = (person.map(|p| p.1), location.map(|l| l.1));
    for event in placed_events(id, &v.asset_tag, v.created(), holder_names, end, note) {
        audit::record(tx, event)?;
    }
    Ok(id)
}

/// The status an asset placed by an import ends in: a person deploys it; at a location it is
/// in `status` there (no status: in stock there); held by nobody, Deployed is refused.
pub fn placed_status(
    tag: &str,
    person: bool,
    location: bool,
    status: Option<Status>,
) -> Result<Status> {
    Ok(match (person, location) {
        (true, _) => Status::Deployed,
        (false, true) => status.unwrap_or(Status::Available),
        (false, false) => match status.unwrap_or(Status::Available) {
            Status::Deployed => {
                return Err(Error::Refused(format!(
                    "to deploy {tag}, assign it to a person or a location"
                )))
            }
            s => s,
        },
    })
}

/// The events of an asset placed in one step ([`create_placed`]), in order: `created` (with
/// `created`, its fields' changes), then what assigning it to `(person, location)` and
/// changing its status to `end` would have recorded.
pub fn placed_events<'a>(
    id: i64,
    tag: &'a str,
    created: Vec<Change>,
    (person, location): (Option<String>, Option<String>),
    end: Status,
    note: Option<&'a str>,
) -> Vec<NewEvent<'a>> {
    let none = None;
    let event = |action, changes| NewEvent::for_asset(id, tag, action, changes, note);
    let mut events = vec![event(Action::Created, created)];
    let available = (&none, &none, Status::Available);
    // Kept at a location in a status that is not in use (a Disposed row at Leeds): one status
    // change that places it there. It was never deployed, so its history must not say
    // "Assigned to Leeds" first.
    let kept_out_of_use = person.is_none()
        && location.is_some()
        && !matches!(end, Status::Deployed | Status::Available);
    if kept_out_of_use {
        let changes = moved(available, (None, location, end));
        events.push(event(Action::StatusChanged, changes));
    } else if person.is_some() || location.is_some() {
        let at = location.clone();
        let changes = moved(available, (person, location, Status::Deployed));
        events.push(event(Action::Assigned, changes));
        if end != Status::Deployed {
            let changes = moved((&none, &at, Status::Deployed), (None, at.clone(), end));
            events.push(event(Action::StatusChanged, changes));
        }
    } else if end != Status::Available {
        events.push(event(
            Action::StatusChanged,
            moved(available, (None, None, end)),
        ));
    }
    events
}

/// The changes of an archived asset `before` (its fields `old`, validated from it) brought back by an import with
/// the fields `new`, held and in a status as `(person, location, end)`: archived, the fields,
/// the holder and status.
pub fn restored_changes(
    before: &Asset,
    old: &Valid,
    new: &Valid,
    (person, location, end): (Option<String>, Option<String>, Status),
) -> Vec<Change> {
    let mut changes = vec![Change::new("archived", Some("yes".into()), None)];
    changes.extend(old.changes_to(new));
    changes.extend(moved(
        (&before.assigned_to, &before.location, before.status),
        (person, location, end),
    ));
    changes
}
