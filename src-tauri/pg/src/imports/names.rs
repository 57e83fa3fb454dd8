//! The people, locations and categories an import's rows name, looked up once per import (as
//! the file's `register_core::assets::Lookups` does) or created on first use, and the
//! `created` events of those created, which come before the asset's that named them first.

use std::collections::HashMap;

use register_core::audit::Action;
use register_core::import::PlannedRow;
use register_core::names::{named_created, Kind};
use register_core::people::{person_created, person_event, ValidPerson};

use crate::audit::EventBatch;
use crate::conflict::Record;
use crate::db::Tx;
use crate::error::Result;
use crate::{names, people};

/// A person, location or category the import created, whose event comes before the asset's.
pub(super) enum Created {
    Person(i64, ValidPerson),
    Named(Kind, i64, String),
}

/// What the import has looked up by name (folded as the file folds them): each read, or
/// created and audited, once.
#[derive(Default)]
pub(super) struct Names {
    people: HashMap<String, (i64, String)>,
    locations: HashMap<String, (i64, String)>,
    categories: HashMap<String, (i64, String)>,
}

/// Where a row's asset goes: its category, holder and location (id, name as stored).
pub(super) struct Placed {
    pub(super) category: Option<(i64, String)>,
    pub(super) person: Option<(i64, String)>,
    pub(super) location: Option<(i64, String)>,
}

impl Names {
    fn person(
        &mut self,
        tx: &mut Tx<'_>,
        name: &str,
        created: &mut Vec<Created>,
    ) -> Result<(i64, String)> {
        let key = name.trim().to_ascii_lowercase();
        if let Some(p) = self.people.get(&key) {
            return Ok(p.clone());
        }
        let (id, stored, new) = people::get_or_create(tx, name)?;
        if let Some(v) = new {
            created.push(Created::Person(id, v));
        }
        self.people.insert(key, (id, stored.clone()));
        Ok((id, stored))
    }

    fn named(
        &mut self,
        tx: &mut Tx<'_>,
        kind: Kind,
        name: &str,
        created: &mut Vec<Created>,
    ) -> Result<(i64, String)> {
        let map = match kind {
            Kind::Location => &mut self.locations,
            Kind::Category => &mut self.categories,
        };
        let key = name.trim().to_ascii_lowercase();
        if let Some(n) = map.get(&key) {
            return Ok(n.clone());
        }
        let (id, stored, new) = names::get_or_create(tx, kind, name)?;
        if new {
            created.push(Created::Named(kind, id, stored.clone()));
        }
        map.insert(key, (id, stored.clone()));
        Ok((id, stored))
    }

    /// The category, then the person, then the location, in the file's order (so new ones get
    /// the file's ids and their events come in its order).
    pub(super) fn place(
        &mut self,
        tx: &mut Tx<'_>,
        category: Option<&str>,
        person: Option<&str>,
        location: Option<&str>,
        created: &mut Vec<Created>,
    ) -> Result<Placed> {
        let category = match category {
            Some(c) => Some(self.named(tx, Kind::Category, c, created)?),
            None => None,
        };
        let person = match person {
            Some(p) => Some(self.person(tx, p, created)?),
            None => None,
        };
        let location = match location {
            Some(l) => Some(self.named(tx, Kind::Location, l, created)?),
            None => None,
        };
        Ok(Placed {
            category,
            person,
            location,
        })
    }
}

/// The holder's names of a row as the file's import places it: a location beside a person is
/// where the person keeps it (a blank one is none).
pub(super) fn holder(row: &PlannedRow) -> (Option<String>, Option<String>) {
    let v = &row.values;
    match (&v.assigned_to, &v.location) {
        (Some(p), Some(l)) => (Some(p.clone()), register_core::values::text(l)),
        (p, l) => (p.clone(), l.clone()),
    }
}

/// Appends the `created` events of what a row's look-ups created, in order.
pub(super) fn push_created(batch: &mut EventBatch, created: &[Created]) -> Result<()> {
    for c in created {
        match c {
            Created::Person(id, v) => {
                let ev = person_event(*id, &v.name, Action::Created, person_created(v), None);
                batch.push(&ev, Some((Record::Person, 1)))?;
            }
            Created::Named(kind, id, name) => batch.push(&named_created(*kind, *id, name), None)?,
        }
    }
    Ok(())
}
