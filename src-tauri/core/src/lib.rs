//! Asset Register's domain: a register of IT assets in one SQLite file, with people,
//! locations, categories and a tamper-evident audit trail. No Tauri here: the desktop shell and
//! the CLI both call these functions.
//!
//! Reads take a `&Connection` from [`db::Db::read`]; writes take a `&mut Tx` from
//! [`db::Db::write`], which commits only when the change also wrote its audit event.

#![deny(missing_docs)]

pub mod assets;
pub mod audit;
pub mod backup;
pub mod db;
pub mod depreciation;
pub mod disposals;
pub mod documents;
pub mod error;
pub mod export;
pub mod files;
pub mod forecast;
pub mod import;
pub mod licences;
pub mod lock;
pub mod moved;
pub mod names;
pub mod offboarding;
pub mod opening;
pub mod pack;
pub mod people;
pub mod purchase;
pub mod renewals;
pub mod replacements;
pub mod report;
pub mod schema;
pub mod settings;
pub mod snapshot;
pub mod status;
pub mod stocktake;
pub mod summary;
pub mod values;

pub use assets::{Asset, AssetInput, AssetPatch, Holder, ListQuery, Page};
pub use audit::{Event, Source, Verification};
pub use db::Db;
pub use error::{Error, Result};
pub use rusqlite::Connection;
pub use status::Status;

/// The current UTC time as stored everywhere: RFC 3339 with microseconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Today's date in the user's time zone.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
