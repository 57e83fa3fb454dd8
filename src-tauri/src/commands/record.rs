//! A record as the window reads it: on a team register, with the row version it was read at,
//! which a save of it names so that someone else's newer change is never silently overwritten
//! (issue #22). A register file has no row versions (one window changes it at a time).

use serde::Serialize;

use crate::error::{CmdError, CmdResult};

/// A record (an asset, a person, a licence) and, on a team register, its row version.
#[derive(Serialize)]
pub struct Read<T> {
    #[serde(flatten)]
    record: T,
    /// The version the record was read at (team registers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    row_version: Option<i64>,
}

impl<T> Read<T> {
    /// A record from a register file.
    pub fn file(record: T) -> Self {
        Read {
            record,
            row_version: None,
        }
    }

    /// A record from a team register, read at `version`.
    pub fn team(record: T, version: i64) -> Self {
        Read {
            record,
            row_version: Some(version),
        }
    }
}

impl From<register_pg::assets::Versioned> for Read<register_core::Asset> {
    fn from(v: register_pg::assets::Versioned) -> Self {
        Read::team(v.asset, v.version)
    }
}

impl From<register_pg::people::Versioned> for Read<register_core::people::Person> {
    fn from(v: register_pg::people::Versioned) -> Self {
        Read::team(v.person, v.version)
    }
}

impl From<register_pg::licences::Versioned> for Read<register_core::licences::Licence> {
    fn from(v: register_pg::licences::Versioned) -> Self {
        Read::team(v.licence, v.version)
    }
}

/// The version a save on a team register names: the one the window read. A window that sent
/// none (it read the record before the register was a team one) is asked to reload.
pub fn read_version(version: Option<i64>) -> CmdResult<i64> {
    version.ok_or_else(|| {
        CmdError::with_kind(
            "conflict",
            "This record was read without its version; reload it and make the change again. \
             Nothing was changed.",
        )
    })
}
