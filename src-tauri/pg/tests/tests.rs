//! The team register against a real PostgreSQL server: one test binary. The server comes from
//! `REGISTER_PG_TEST_URL` (a role that may create databases and roles), or else libpq's
//! `PGHOST`/`PGPORT`/`PGUSER`/`PGPASSWORD`/`PGDATABASE`, which `pg_virtualenv` sets:
//!
//! ```text
//! pg_virtualenv cargo test -p register_pg
//! ```
//!
//! With neither set, every test prints that it was skipped and passes. Each test works in a
//! database and roles of its own, dropped when it ends. The CLI's tests (`cli`) run the built
//! `asset-register-cli` too: `cargo build -p asset-register-cli` first (`.ci/pg` does).

mod twins;
mod util;

mod actor;
mod asset_writes;
mod categories;
mod chain;
mod cli;
mod disposals;
mod documents;
mod errors;
mod history_parity;
mod holders;
mod imports;
mod licences;
mod list_parity;
mod listen;
mod logins;
mod offboarding;
mod parity;
mod purchase;
mod roles;
mod schema;
mod search_parity;
mod settings;
mod stocktake;
mod summary_parity;
mod tls;
mod transfer;
mod values_parity;
mod versions;
