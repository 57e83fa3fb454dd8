//! What an offboarding is made of, in every store: the offboarding, the things to collect, how
//! each was resolved, and the checklist that lists them. No storage here.

use serde::{Deserialize, Serialize};

use crate::people::Person;

/// An offboarding as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offboarding {
    /// Row id.
    pub id: i64,
    /// The leaving date (YYYY-MM-DD): the person is marked as left on it.
    pub leaving_on: String,
    /// When it was started (UTC).
    pub started_at: String,
    /// When it was finished (UTC), once finished.
    pub finished_at: Option<String>,
}

/// An offboarding still open, as the list of who is leaving shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenOffboarding {
    /// The person leaving.
    pub person_id: i64,
    /// Their name.
    pub person: String,
    /// The leaving date (YYYY-MM-DD).
    pub leaving_on: String,
    /// When it was started (UTC).
    pub started_at: String,
    /// How many things they still hold (live assets and licence seats).
    pub held: i64,
}

/// A thing to collect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// An asset (its id).
    Asset,
    /// A seat of a licence (the licence's id).
    Seat,
}

impl ItemKind {
    /// The stored spelling (`offboarding_items.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Asset => "asset",
            ItemKind::Seat => "seat",
        }
    }

    /// A stored spelling back (anything but `seat` is an asset, as the file always read it).
    pub fn parse(s: &str) -> ItemKind {
        if s == "seat" {
            ItemKind::Seat
        } else {
            ItemKind::Asset
        }
    }

    /// What the item is called in a message: "asset" or "licence seat".
    pub fn noun(self) -> &'static str {
        match self {
            ItemKind::Asset => "asset",
            ItemKind::Seat => "licence seat",
        }
    }
}

/// How an item was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The asset came back (Available), or the seat was released.
    Returned,
    /// Handed to another person.
    Reassigned,
    /// Not returned: the asset is now Lost/Stolen.
    Missing,
}

impl Outcome {
    /// The stored spelling (`offboarding_items.outcome`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Returned => "returned",
            Outcome::Reassigned => "reassigned",
            Outcome::Missing => "missing",
        }
    }

    /// A stored spelling back (anything unknown reads as returned, as the file always read it).
    pub fn parse(s: &str) -> Outcome {
        match s {
            "reassigned" => Outcome::Reassigned,
            "missing" => Outcome::Missing,
            _ => Outcome::Returned,
        }
    }
}

/// What to do with one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Resolution {
    /// Asset back to Available (at `location` when given; kept otherwise); seat released.
    Returned {
        /// Where the asset goes.
        #[serde(default)]
        location: Option<String>,
    },
    /// Given to another person (created if new; not someone who has left).
    Reassigned {
        /// The person's name.
        to: String,
    },
    /// Not returned: the asset becomes Lost/Stolen. Needs a note saying what is known.
    Missing,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Asset or seat.
    pub kind: ItemKind,
    /// The asset's id, or the licence's id for a seat.
    pub id: i64,
    /// The asset's tag and name, or the licence's product.
    pub label: String,
    /// The serial number (assets) or the vendor (seats).
    pub detail: Option<String>,
    /// How it was resolved; `None` while it is still held.
    pub outcome: Option<Outcome>,
    /// Where it went, to whom, or the note given for a missing item.
    pub resolution: Option<String>,
    /// When it was resolved (UTC).
    pub resolved_at: Option<String>,
}

/// A person's offboarding checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    /// The person.
    pub person: Person,
    /// The open offboarding, else the last finished one, else none.
    pub offboarding: Option<Offboarding>,
    /// Everything still held first (assets by tag, then seats), then what was resolved.
    pub items: Vec<ChecklistItem>,
    /// How many items are still held.
    pub unresolved: usize,
}
