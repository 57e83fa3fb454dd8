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
    /// PostgreSQL failed in a way not mapped above. Said with its cause (see [`cause`]): the
    /// postgres crate's own text is only "db error" or "error connecting to server".
    #[error("database error: {}", cause(.0))]
    Postgres(postgres::Error),
}

/// What went wrong, in one line: the server's own words when the server refused (its severity
/// and message, then its detail and hint where it gave them), else the client's error and each
/// cause under it ("error connecting to server: Connection refused (os error 111)"). Never a
/// password: the server's words quote none, and the client's causes (I/O, TLS, a malformed
/// setting) quote neither the URL nor the password. A detail quoting a failing row ("Failing
/// row contains (…)") is left out, as that row may hold a licence key.
fn cause(e: &postgres::Error) -> String {
    let Some(db) = e.as_db_error() else {
        let mut said = e.to_string();
        let mut under = std::error::Error::source(e);
        while let Some(c) = under {
            said.push_str(&format!(": {c}"));
            under = c.source();
        }
        return said;
    };
    let mut said = format!("{}: {}", db.severity(), db.message());
    let detail = db
        .detail()
        .filter(|d| !d.starts_with("Failing row contains"));
    for (what, text) in [("detail", detail), ("hint", db.hint())] {
        if let Some(text) = text {
            said.push_str(&format!(" ({what}: {})", text.trim_end_matches('.')));
        }
    }
    said
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
    /// Whether connecting failed only because the server asked for a password the connection
    /// did not give (the caller may find one and try again).
    pub fn asks_for_password(&self) -> bool {
        match self {
            Error::Postgres(pg) => std::error::Error::source(pg)
                .is_some_and(|why| why.to_string() == "password missing"),
            _ => false,
        }
    }

    /// Whether the server turned the password down (SQLSTATE 28P01).
    pub fn wrong_password(&self) -> bool {
        self.sql_state() == Some(&SqlState::INVALID_PASSWORD)
    }

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
