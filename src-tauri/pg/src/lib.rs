//! The team register on PostgreSQL: a register that several people keep at once on a server
//! their office already runs. No Tauri here, and no copy of the core's rules: events are encoded
//! and hashed by `register_core::audit`, so a chain verifies the same in either store.
//!
//! This crate holds, so far, the audit trail under concurrent writers: the schema and its
//! migrations ([`schema`]), the roles people connect as ([`admin`]), write transactions
//! ([`db`]), appending, copying and verifying events ([`audit`]), connecting over TLS or a
//! Unix socket ([`connect`]) and passwords in the OS keychain ([`secret`]); and assets
//! ([`assets`]): created, edited, their status changed and archived with the core's rules and
//! events, guarded by row versions, and found by text as the file's search finds them. The
//! register's other tables (people, locations, categories…) are not here yet.

#![deny(missing_docs)]

pub mod admin;
pub mod assets;
pub mod audit;
pub mod connect;
pub mod db;
pub mod error;
pub mod schema;
pub mod secret;

pub use connect::connect;
pub use db::{write, Tx};
pub use error::{Error, Result};
pub use postgres::Client;
