//! The disposal record's types: how an asset left ([`Method`]), what the user records
//! ([`DisposalInput`]), a stored record ([`Disposal`]) and a retired asset with none
//! ([`Undisposed`]). No rules and no SQL: the rules are `rules`', the file's SQL is `mod.rs`'s.

use serde::{Deserialize, Serialize};

use crate::documents::Document;
use crate::error::{Error, Result};

/// How an asset left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Given to a recycler (WEEE).
    Recycled,
    /// Sold.
    Sold,
    /// Returned to the company it was leased from.
    ReturnedToLessor,
    /// Physically destroyed.
    Destroyed,
    /// Given to a charity, school or person.
    Donated,
}

impl Method {
    /// Every method, in the order the window offers them.
    pub const ALL: [Method; 5] = [
        Method::Recycled,
        Method::Sold,
        Method::ReturnedToLessor,
        Method::Destroyed,
        Method::Donated,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Recycled => "recycled",
            Method::Sold => "sold",
            Method::ReturnedToLessor => "returned_to_lessor",
            Method::Destroyed => "destroyed",
            Method::Donated => "donated",
        }
    }

    /// In words: "Returned to lessor".
    pub fn label(self) -> &'static str {
        match self {
            Method::Recycled => "Recycled",
            Method::Sold => "Sold",
            Method::ReturnedToLessor => "Returned to lessor",
            Method::Destroyed => "Destroyed",
            Method::Donated => "Donated",
        }
    }

    /// Parses a method as stored, as labelled, or as typed on a command line
    /// (`returned-to-lessor`, `returned`, `lessor`), ignoring case.
    pub fn parse(s: &str) -> Result<Method> {
        let key = s.trim().to_lowercase().replace(['-', ' '], "_");
        Ok(match key.as_str() {
            "recycled" | "recycle" | "weee" => Method::Recycled,
            "sold" | "sell" | "sale" => Method::Sold,
            "returned_to_lessor" | "returned" | "lessor" | "return_to_lessor" => {
                Method::ReturnedToLessor
            }
            "destroyed" | "destroy" | "shredded" => Method::Destroyed,
            "donated" | "donate" | "donation" => Method::Donated,
            _ => {
                return Err(Error::invalid(
                    "method",
                    format!(
                        "\"{}\" is not a disposal method; use recycled, sold, returned-to-lessor, destroyed or donated",
                        s.trim()
                    ),
                ))
            }
        })
    }
}

/// What the user records about a disposal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisposalInput {
    /// recycled, sold, returned_to_lessor, destroyed or donated.
    pub method: String,
    /// The day it left (YYYY-MM-DD); today when empty.
    pub disposed_on: String,
    /// To whom it went.
    pub recipient: Option<String>,
    /// How its data was wiped ("NIST 800-88 purge", "disk shredded", "no storage").
    pub wipe_method: Option<String>,
    /// Who wiped it.
    pub wiped_by: Option<String>,
    /// The wiping or destruction certificate's number.
    pub certificate_number: Option<String>,
    /// Anything else.
    pub note: Option<String>,
    /// One of the asset's documents to link as the certificate (the window attaches the file
    /// first, by drop or dialog); a new certificate file given to [`dispose`] takes precedence.
    pub certificate_id: Option<i64>,
}

/// A stored disposal record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disposal {
    /// The asset's id.
    pub asset_id: i64,
    /// Its tag.
    pub asset_tag: String,
    /// Its name.
    pub asset_name: String,
    /// Its serial number.
    pub serial_number: Option<String>,
    /// How it left.
    pub method: Method,
    /// The method in words.
    pub method_label: String,
    /// The day it left (YYYY-MM-DD).
    pub disposed_on: String,
    /// To whom it went.
    pub recipient: Option<String>,
    /// How its data was wiped.
    pub wipe_method: Option<String>,
    /// Who wiped it.
    pub wiped_by: Option<String>,
    /// The certificate's number.
    pub certificate_number: Option<String>,
    /// The certificate file, one of the asset's documents.
    pub certificate: Option<Document>,
    /// Anything else.
    pub note: Option<String>,
    /// When the record was written or last corrected (UTC, RFC 3339).
    pub recorded_at: String,
}

/// A retired asset that has no disposal record: an open item for the auditor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Undisposed {
    /// The asset's id.
    pub asset_id: i64,
    /// Its tag.
    pub asset_tag: String,
    /// Its name.
    pub name: String,
    /// When it was last set to Retired (UTC, RFC 3339), from its history.
    pub retired_at: Option<String>,
}
