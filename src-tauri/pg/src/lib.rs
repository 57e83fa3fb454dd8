//! The team register on PostgreSQL: a register that several people keep at once on a server
//! their office already runs. No Tauri here, and no copy of the core's rules: events are encoded
//! and hashed by `register_core::audit`, so a chain verifies the same in either store.
//!
//! This crate holds, so far, the audit trail under concurrent writers: the schema and its
//! migrations ([`schema`]), the roles people connect as ([`admin`]), write transactions
//! ([`db`]), appending, copying and verifying events ([`audit`]), connecting over TLS or a
//! Unix socket ([`connect`]) and passwords in the OS keychain ([`secret`]); and the assets
//! table with its text search ([`assets`]), which finds what the file's search finds. Writing
//! assets, and the register's other tables (people, locations…), are not here yet.

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
