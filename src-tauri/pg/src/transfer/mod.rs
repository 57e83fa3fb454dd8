//! Getting a register to a server and back (issue #22): a file register moved into an empty team
//! register with its events kept ([`move_in`]), a team register exported to a new register file
//! ([`export_to_file`]), and a team register's backup in the file's one-file format
//! ([`backup_to`]). Owns what is moved and the counts said about it; the columns are `tables`',
//! the events' encoding the core's.

mod backup;
mod export;
mod move_in;
mod tables;

pub use backup::backup_to;
pub use export::{export_to_file, Exported};
pub use move_in::{move_in, Moved};

use tables::{Rows, TABLES};

/// How many of each kind of record were copied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// People.
    pub people: usize,
    /// Locations.
    pub locations: usize,
    /// Categories (with their depreciation defaults and replacement plans).
    pub categories: usize,
    /// Assets, archived ones included.
    pub assets: usize,
    /// Licences, archived ones included.
    pub licences: usize,
    /// Licence seats given to people.
    pub seats: usize,
    /// Documents, on assets and licences.
    pub documents: usize,
    /// Events of the audit trail, copied as stored.
    pub events: usize,
}

impl Counts {
    /// The counts of `rows` (one entry per table of `TABLES`, in its order) and `events`.
    fn of(rows: &[Rows], events: usize) -> Counts {
        let n = |name: &str| {
            TABLES
                .iter()
                .position(|t| t.name == name)
                .map_or(0, |i| rows[i].len())
        };
        Counts {
            people: n("people"),
            locations: n("locations"),
            categories: n("categories"),
            assets: n("assets"),
            licences: n("licences"),
            seats: n("licence_seats"),
            documents: n("documents"),
            events,
        }
    }

    /// In words: "3 people, 2 locations, …, 41 events".
    pub fn describe(&self) -> String {
        [
            (self.people, "people"),
            (self.locations, "locations"),
            (self.categories, "categories"),
            (self.assets, "assets"),
            (self.licences, "licences"),
            (self.seats, "seats"),
            (self.documents, "documents"),
            (self.events, "events"),
        ]
        .iter()
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}
