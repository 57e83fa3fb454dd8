//! The asset lifecycle statuses, their spellings (stored, CLI, labels) and parsing.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Where an asset is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In stock, ready to hand out.
    Available,
    /// With a person or at a location.
    Deployed,
    /// Away for repair.
    InMaintenance,
    /// Disposed of; kept for the record.
    Retired,
    /// Missing.
    LostStolen,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 5] = [
        Status::Available,
        Status::Deployed,
        Status::InMaintenance,
        Status::Retired,
        Status::LostStolen,
    ];

    /// The stored and JSON spelling: `in_maintenance`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Available => "available",
            Status::Deployed => "deployed",
            Status::InMaintenance => "in_maintenance",
            Status::Retired => "retired",
            Status::LostStolen => "lost_stolen",
        }
    }

    /// The label people read: `In Maintenance`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Available => "Available",
            Status::Deployed => "Deployed",
            Status::InMaintenance => "In Maintenance",
            Status::Retired => "Retired",
            Status::LostStolen => "Lost/Stolen",
        }
    }

    /// Parses any of the spellings: `in-maintenance`, `in_maintenance`, `In Maintenance`,
    /// `Lost/Stolen`, `lost-stolen`…, ignoring case.
    pub fn parse(s: &str) -> Result<Status> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Ok(match key.as_str() {
            "available" => Status::Available,
            "deployed" => Status::Deployed,
            "inmaintenance" | "maintenance" => Status::InMaintenance,
            "retired" => Status::Retired,
            "loststolen" | "lost" | "stolen" => Status::LostStolen,
            _ => {
                return Err(Error::invalid(
                    "status",
                    format!(
                        "\"{}\" is not a status; use available, deployed, in-maintenance, retired or lost-stolen",
                        s.trim()
                    ),
                ))
            }
        })
    }

    /// Whether an asset in this status can be handed to someone.
    pub fn can_assign(self) -> bool {
        !matches!(self, Status::Retired | Status::LostStolen)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()).unwrap(), s);
            assert_eq!(Status::parse(s.label()).unwrap(), s);
            assert_eq!(Status::parse(&s.as_str().replace('_', "-")).unwrap(), s);
        }
        assert_eq!(Status::parse(" LOST/STOLEN ").unwrap(), Status::LostStolen);
        assert!(Status::parse("broken").is_err());
    }
}
