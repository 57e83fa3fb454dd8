//! The auditor's evidence pack: one `.zip` holding the register report (with an ISO 27001
//! Annex A page), the register as CSV and JSON, disposal records and their certificates, the
//! offboarding checklists finished in the period, every document of the assets in scope, the
//! whole audit trail as JSON Lines, a manifest of every member's size and SHA-256, a
//! `SHA256SUMS` for `sha256sum -c`, and a `README.txt` for the auditor. Also checking a pack.
//!
//! - `write`: building a pack, with progress and cancel; a failed or cancelled pack leaves no
//!   file;
//! - `verify`: re-hashing every member and recomputing the chain;
//! - `trail`: the JSON Lines encoding of the audit trail and the chain check over it.

mod trail;
mod verify;
mod write;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use trail::{check_trail, write_trail, ChainCheck, TrailLine};
pub use verify::{verify_pack, PackCheck};
pub use write::{write_pack, PackProgress, PackSummary};

use crate::error::{Error, Result};
use crate::report::Paper;

/// The `format` a pack's manifest names.
pub const FORMAT: &str = "asset-register-evidence-pack";

/// The member that lists every other (but `SHA256SUMS`).
pub const MANIFEST: &str = "manifest.json";
/// The `sha256sum -c` list of every other member.
pub const SUMS: &str = "SHA256SUMS";
/// The audit trail, one event per line.
pub const TRAIL: &str = "audit-trail.jsonl";

/// Which asset dossiers go into the pack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "tags")]
pub enum Dossiers {
    /// None (the default: the report and documents already hold what they say).
    #[default]
    None,
    /// One per asset in scope.
    All,
    /// Those of these tags.
    Tags(Vec<String>),
}

impl Dossiers {
    /// Parses `all`, `none`, or a comma-separated list of tags.
    pub fn parse(s: &str) -> Dossiers {
        match s.trim().to_lowercase().as_str() {
            "all" => Dossiers::All,
            "none" | "" => Dossiers::None,
            _ => Dossiers::Tags(
                s.split(',')
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
            ),
        }
    }
}

/// What a pack covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackOptions {
    /// The register as of the end of this day (UTC); `None`: the live register, today.
    pub as_of: Option<NaiveDate>,
    /// The start of the period whose offboardings and disposals are included; a year before
    /// the as-of day when `None`.
    pub from: Option<NaiveDate>,
    /// Which dossiers to include.
    pub dossiers: Dossiers,
    /// The paper of the PDFs.
    pub paper: Paper,
}

impl PackOptions {
    /// The period (first day, last day), checked: not in the future, not backwards.
    pub fn period(&self) -> Result<(NaiveDate, NaiveDate)> {
        let today = crate::today().max(chrono::Utc::now().date_naive());
        let to = self.as_of.unwrap_or(today);
        if to > today {
            return Err(Error::invalid(
                "as_of",
                format!("{to} is in the future; a pack can show the register up to today"),
            ));
        }
        let from = self
            .from
            .unwrap_or_else(|| to.checked_sub_months(chrono::Months::new(12)).unwrap_or(to));
        if from > to {
            return Err(Error::invalid(
                "from",
                format!("the period starts on {from}, after it ends ({to})"),
            ));
        }
        Ok((from, to))
    }
}

/// One member of a pack, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Its path inside the zip (forward slashes).
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The manifest's layout version.
    pub format_version: u32,
    /// The version of Asset Register that wrote it.
    pub app_version: String,
    /// When it was written (UTC, RFC 3339).
    pub generated_at: String,
    /// The organisation's name.
    pub organisation: String,
    /// The day the register report shows (YYYY-MM-DD), the end of the period.
    pub as_of: String,
    /// Whether the report shows the live register (`as_of` is today) or one rebuilt from the
    /// trail.
    pub live: bool,
    /// The first day of the period (offboardings, disposals).
    pub period_from: String,
    /// How many events the register's audit trail held.
    pub event_count: i64,
    /// The hash of its last event.
    pub head_hash: String,
    /// Whether the register verified (database integrity and chain) when the pack was written.
    pub register_verified: bool,
    /// Every member but this one and `SHA256SUMS`, in the order written.
    pub members: Vec<Member>,
}

#[cfg(test)]
mod tests;
