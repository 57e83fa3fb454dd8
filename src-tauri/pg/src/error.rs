//! The team register's error type: what a PostgreSQL operation can fail with, with the cases a
//! caller acts on (refused by the server's permissions, a newer schema) apart from the rest.

use postgres::error::SqlState;

/// Everything a team-register operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The connected role may not do this (PostgreSQL's `insufficient_privilege`, raised by a
    /// REVOKE or by the append-only triggers); the text is the server's.
    #[error("not allowed for this login: {0}")]
    Denied(String),
    /// The database was set up by a newer version of Asset Register.
    #[error("this team register was set up by a newer version of Asset Register (schema {found}, this version knows {supported}); update the app to open it")]
    IncompatibleVersion {
        /// The database's `schema_version`.
        found: i64,
        /// The highest version this build knows.
        supported: i64,
    },
    /// The operation is refused; the text says why in plain words.
    #[error("{0}")]
    Refused(String),
    /// A save started from a version of the asset or licence that is no longer the latest:
    /// someone else's change came first. Nothing was saved; the conflict names who changed
    /// what, and when.
    #[error("{0}")]
    Conflict(Box<crate::conflict::Conflict>),
    /// The OS keychain could not keep or give a password (on Linux: no Secret Service running).
    #[error("the system keychain failed: {0}")]
    Keychain(String),
    /// The core failed (encoding an event, say).
    #[error(transparent)]
    Core(#[from] register_core::Error),
    /// PostgreSQL failed in a way not mapped above.
    #[error("database error: {0}")]
    Postgres(postgres::Error),
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        match e.as_db_error() {
            Some(db) if *db.code() == SqlState::INSUFFICIENT_PRIVILEGE => {
                Error::Denied(db.message().to_string())
            }
            _ => Error::Postgres(e),
        }
    }
}

impl Error {
    /// The server's SQLSTATE, when the server refused the statement.
    pub fn sql_state(&self) -> Option<&SqlState> {
        match self {
            Error::Postgres(e) => e.code(),
            Error::Denied(_) => Some(&SqlState::INSUFFICIENT_PRIVILEGE),
            _ => None,
        }
    }
}

/// The team register's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
