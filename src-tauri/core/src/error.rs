//! The core's error type: one enum for every way a register operation can fail, with domain
//! variants the UI and CLI turn into plain-words messages. Raw SQL text never leaves as a message.

use std::fmt;

/// Everything a core operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The named record does not exist (or is archived where a live one is needed).
    #[error("{entity} {key} was not found")]
    NotFound {
        /// What kind of record: "asset", "person", "location".
        entity: &'static str,
        /// How it was named (tag, id or name).
        key: String,
    },
    /// A field's value is not acceptable; `field` is the snake_case JSON key.
    #[error("{message}")]
    Validation {
        /// The field the message is about.
        field: String,
        /// A sentence for the user.
        message: String,
    },
    /// Another asset already has this tag.
    #[error("asset tag {0} is already in use")]
    DuplicateTag(String),
    /// Another asset already has this serial number.
    #[error("this serial number is already on {tag}")]
    DuplicateSerial {
        /// The tag of the asset that has it.
        tag: String,
    },
    /// The change is not allowed in the record's current state (e.g. assigning a retired asset).
    #[error("{0}")]
    Refused(String),
    /// The user stopped a long job (an import) before it finished; nothing was written.
    #[error("{0}")]
    Cancelled(String),
    /// The register file cannot be opened as a register; `reason` says why in plain words.
    #[error("the register {} {reason}", path.display())]
    Open {
        /// The file that was to be opened.
        path: std::path::PathBuf,
        /// Why it cannot be opened ("is not an Asset Register file (not SQLite)").
        reason: String,
    },
    /// The register file was written by a newer version of the app.
    #[error("this register was written by a newer version of Asset Register (schema {found}, this version knows {supported}); update the app to open it")]
    IncompatibleVersion {
        /// The file's `user_version`.
        found: i64,
        /// The highest version this build knows.
        supported: i64,
    },
    /// The register is open read-only (its file or folder cannot be written); the reason says why.
    #[error("this register is open read-only ({0}); nothing was changed")]
    ReadOnly(String),
    /// The disk (or the register's size limit) is full; the change was rolled back.
    #[error("there is not enough disk space to save this change, so nothing was changed; free some space and try again")]
    DiskFull,
    /// SQLite found the register file damaged while working on it.
    #[error("the register file is damaged (SQLite reports a malformed database); nothing was changed. Restore the newest backup (Settings → Restore…, or `asset-register-cli restore`)")]
    Damaged,
    /// An invariant the core relies on was broken (a bug, or an outside edit).
    #[error("internal error: {0}")]
    Internal(String),
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// JSON could not be encoded or decoded.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A validation error on `field`.
    pub fn invalid(field: &str, message: impl fmt::Display) -> Self {
        Error::Validation {
            field: field.to_string(),
            message: message.to_string(),
        }
    }

    /// A not-found error.
    pub fn not_found(entity: &'static str, key: impl fmt::Display) -> Self {
        Error::NotFound {
            entity,
            key: key.to_string(),
        }
    }

    /// A short machine-readable name the UI acts on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "notFound",
            Error::Validation { .. } => "validation",
            Error::DuplicateTag(_) | Error::DuplicateSerial { .. } => "duplicate",
            Error::Refused(_) => "refused",
            Error::Cancelled(_) => "cancelled",
            Error::Open { .. } => "open",
            Error::IncompatibleVersion { .. } => "incompatibleVersion",
            Error::ReadOnly(_) => "readOnly",
            Error::DiskFull => "diskFull",
            Error::Damaged => "damaged",
            Error::Io(_) => "io",
            Error::Internal(_) | Error::Sqlite(_) | Error::Json(_) => "internal",
        }
    }

    /// The field a message concerns, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            Error::DuplicateTag(_) => Some("asset_tag"),
            Error::DuplicateSerial { .. } => Some("serial_number"),
            _ => None,
        }
    }
}
