//! The team register on PostgreSQL: a register that several people keep at once on a server
//! their office already runs. No Tauri here, and no copy of the core's rules: events are encoded
//! and hashed by `register_core::audit`, so a chain verifies the same in either store.
//!
//! This crate holds, so far, the audit trail under concurrent writers: the schema and its
//! migrations ([`schema`]), the roles people connect as ([`admin`]), write transactions
//! ([`db`]), appending, copying and verifying events ([`audit`]), connecting over TLS or a
//! Unix socket ([`connect`]) and passwords in the OS keychain ([`secret`]); assets
//! ([`assets`]): created, edited, their status changed, archived and restored, assigned to a
//! person or a location, returned and moved, with the core's rules and events, guarded by row
//! versions, found by text as the file's search finds them, and listed as the window lists
//! them (searched, filtered, sorted and paged, with their documents counted); people ([`people`]): added,
//! edited, marked as left or active again, guarded by row versions; locations and categories
//! ([`names`]): added, renamed, and created on first use by the changes that name them; a
//! category's depreciation default and replacement plan ([`categories`]); the register's
//! settings, its organisation and currency ([`settings`]); what assets are worth
//! ([`depreciation`]): an asset's depreciation card, its own method (an asset change, guarded
//! by its row version), every category's default, the register's value as of a date; the
//! replacement plan ([`replacements`]): when each asset is due and at what cost, an asset's
//! own life (an asset change too), the yearly inflation; licences
//! ([`licences`]): created, edited, archived, their seats given to people, moved and taken
//! back, with the core's rules and events, guarded by row versions, never more seats given than
//! bought; comparing row versions and what a save over a newer version of an asset, a licence
//! or a person is told ([`conflict`]); which person signs in with which login
//! ([`logins`]), so each event's actor names a person; documents ([`documents`]): attached
//! to assets and licences with their bytes in the database, stored once per SHA-256 under the
//! file's 50 MB limit, removed, their kind changed, read back and re-hashed by verify; the
//! histories the window shows ([`history`]): an asset's, a record's, a person's with what they
//! held, and the most recent events, as the core's `Event`s; Home's reads ([`summary`]):
//! the figures by status, warranties ending soon, Lost/Stolen assets, and what falls due
//! (warranty ends and licence renewals) with its costs, by the core's rules; and change
//! notifications ([`listen`]): each committed change announces the new head, so other clients
//! refresh; the register's full check ([`verify`]): the chain, its head and every document
//! in one snapshot; and getting there and back ([`transfer`]): a file register moved into an
//! empty team register with every row and event (the chain goes on from the file's head, one
//! `moved_to_server` event after it), a team register exported to a new register file that
//! verifies to the server's head, and its backup in the file's one-file format.
//!
//! Stocktakes ([`stocktake`]): started, scanned into from several clients at once, items moved
//! to where they were found, finished (what was not seen made missing, or Lost/Stolen) or
//! cancelled, with the file's events by the core's rules; at most one open, which the server
//! enforces and a second start is told who started the open one and when; Home's stocktake
//! card and the stale-months setting; a file register's stocktakes move in and export with it.
//!
//! CSV and workbook imports ([`imports`]): previewed, committed in one transaction (planned by
//! the core's code against the server, written in batches with the file's events, so the same
//! import re-hashes to the same head), listed and undone; an import in progress is seen by
//! every client and a second one is refused, naming who imports what.
//!
//! Offboarding ([`offboarding`]): a leaving date, everything the person holds resolved as
//! returned, reassigned or missing through the asset and seat changes above, then marked as
//! left on that date, with the file's rules and events; the checklist read live; at most one
//! open offboarding per person, the steps on one person taken one at a time, and a refusal
//! that names who came first; moved in from a file and exported to one with the rest.
//!
//! Disposal records ([`disposals`]): how a retired asset left and how its data was wiped,
//! recorded (retiring the asset, its certificate's bytes attached as one of its documents) and
//! corrected with the file's rules and events, guarded by the asset's row version; two people
//! recording one asset's disposal at once: the second is told who came first; the list,
//! retired assets without a record, and the CSV; moved in from a file and exported to one.
//!
//! Purchases ([`purchase`]): one receipt's items checked at once by the core's rules, then
//! created with the next free tags in one transaction, the receipt's bytes attached to each,
//! with the file's events; two purchases at once are numbered one after the other.

#![deny(missing_docs)]

pub mod admin;
pub mod assets;
pub mod audit;
pub mod categories;
pub mod conflict;
pub mod connect;
pub mod db;
pub mod depreciation;
pub mod disposals;
pub mod documents;
pub mod error;
pub mod history;
pub mod imports;
pub mod licences;
pub mod listen;
pub mod logins;
mod lookup;
pub mod names;
pub mod offboarding;
pub mod people;
pub mod purchase;
pub mod replacements;
pub mod schema;
pub mod secret;
pub mod settings;
pub mod stocktake;
pub mod summary;
pub mod transfer;
pub mod verify;

pub use connect::connect;
pub use db::{read, write, Tx};
pub use error::{Error, Result};
pub use postgres::{Client, Transaction};
