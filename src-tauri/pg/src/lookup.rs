//! The people, locations and categories a change to an asset or a licence's seat names, looked
//! up by name or created on first use, as the file does (`register_core::assets::Names`). A
//! name created here is written at once but its `created` event waits: the change appends it,
//! then its own event, after the asset's (or seat's) row is written. So the events come in the
//! file's order (the new person first, then the assignment), and every row and index entry a
//! change takes is taken before it holds the chain head, the order `assets::write` explains: no
//! two changes can wait for each other in a circle.

use register_core::assets::Names;
use register_core::names::{named_created, Kind};
use register_core::people::ValidPerson;

use crate::audit;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::{names, people};

/// A row this change created, whose event is still to be appended.
#[derive(Debug)]
pub(crate) enum Created {
    /// A person, created by name alone.
    Person(i64, ValidPerson),
    /// A location or category.
    Named(Kind, i64, String),
}

/// Looks names up for one change, remembering what it created.
pub(crate) struct Lookup<'a, 'c> {
    tx: &'a mut Tx<'c>,
    created: Vec<Created>,
}

impl<'a, 'c> Lookup<'a, 'c> {
    pub(crate) fn new(tx: &'a mut Tx<'c>) -> Self {
        Lookup {
            tx,
            created: Vec::new(),
        }
    }

    /// The category called `name` (id, name as stored), created if new.
    pub(crate) fn category(&mut self, name: &str) -> Result<(i64, String)> {
        self.named(Kind::Category, name)
    }

    fn named(&mut self, kind: Kind, name: &str) -> Result<(i64, String)> {
        let (id, stored, new) = names::get_or_create(self.tx, kind, name)?;
        if new {
            self.created.push(Created::Named(kind, id, stored.clone()));
        }
        Ok((id, stored))
    }

    /// The change's transaction, for the look-ups a caller adds (whether someone holds a
    /// licence's seat, say).
    pub(crate) fn tx(&mut self) -> &mut Tx<'c> {
        self.tx
    }

    /// What was created, in order, for [`record_created`].
    pub(crate) fn into_created(self) -> Vec<Created> {
        self.created
    }
}

impl Names for Lookup<'_, '_> {
    type Error = Error;

    fn person(&mut self, name: &str) -> Result<(i64, String)> {
        let (id, stored, created) = people::get_or_create(self.tx, name)?;
        if let Some(v) = created {
            self.created.push(Created::Person(id, v));
        }
        Ok((id, stored))
    }

    fn location(&mut self, name: &str) -> Result<(i64, String)> {
        self.named(Kind::Location, name)
    }
}

/// Appends the `created` events of what a lookup created, in the order it was created.
pub(crate) fn record_created(tx: &mut Tx<'_>, created: &[Created]) -> Result<()> {
    for c in created {
        match c {
            Created::Person(id, v) => people::record_created(tx, *id, v)?,
            Created::Named(kind, id, name) => {
                audit::record(tx, &named_created(*kind, *id, name))?;
            }
        }
    }
    Ok(())
}
