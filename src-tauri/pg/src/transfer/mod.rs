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
pub use export::{copy_for_reading, export_to_file, Exported};
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
    /// Stocktakes, open, finished or cancelled (their items and locations with them).
    pub stocktakes: usize,
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
            stocktakes: n("stocktakes"),
            events,
        }
    }

    /// In words, leaving out what there is none of: "1 person, 2 locations, 3 assets and 41
    /// events".
    pub fn describe(&self) -> String {
        let said: Vec<String> = [
            (self.people, "person", "people"),
            (self.locations, "location", "locations"),
            (self.categories, "category", "categories"),
            (self.assets, "asset", "assets"),
            (self.licences, "licence", "licences"),
            (self.seats, "seat", "seats"),
            (self.documents, "document", "documents"),
            (self.stocktakes, "stocktake", "stocktakes"),
            (self.events, "event", "events"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        match said.split_last() {
            None => "nothing".to_string(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_said_in_words() {
        let mut c = Counts {
            people: 1,
            locations: 0,
            categories: 2,
            assets: 3,
            licences: 0,
            seats: 0,
            documents: 0,
            stocktakes: 0,
            events: 41,
        };
        assert_eq!(
            c.describe(),
            "1 person, 2 categories, 3 assets and 41 events"
        );
        c = Counts {
            people: 0,
            categories: 0,
            assets: 0,
            ..c
        };
        assert_eq!(c.describe(), "41 events");
        c.events = 0;
        assert_eq!(c.describe(), "nothing");
    }
}
