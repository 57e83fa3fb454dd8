//! What a report shows and on which paper, and the finished PDF: the types the window and the
//! CLI pass in and get back.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::status::Status;
use chrono::NaiveDate;

/// The sheet the document is laid out on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Parses `a4` or `letter` (any case; `us-letter` too).
    pub fn parse(s: &str) -> Result<Paper> {
        match s.trim().to_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" | "us-letter" | "usletter" => Ok(Paper::Letter),
            other => Err(Error::invalid(
                "paper",
                format!("\"{other}\" is not a paper size; use a4 or letter"),
            )),
        }
    }

    /// Portrait width and height in millimetres.
    pub(super) fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

/// What a register report shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// Show the register as it stood at the end of this day (UTC), rebuilt from the audit
    /// trail. `None`: the live register.
    pub as_of: Option<NaiveDate>,
    /// Only assets in this status.
    pub status: Option<Status>,
    /// Only assets matching these words (tag, name, serial, make, model, holder, location,
    /// notes; each word a prefix, ignoring case), as the list's search box.
    pub search: Option<String>,
    /// The paper size.
    pub paper: Paper,
    /// Adds the ISO/IEC 27001 Annex A page that maps an evidence pack to the controls it
    /// offers evidence for (set by the pack, not by the window's report).
    #[serde(skip)]
    pub iso_annex: bool,
}

/// A finished PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedPdf {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub page_count: usize,
}

/// A document attached to an asset, as the dossier lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachedDocument {
    /// The file name as attached.
    pub name: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// SHA-256 of its content (hex).
    pub sha256: String,
    /// When it was attached (UTC, RFC 3339).
    pub added_at: String,
}
