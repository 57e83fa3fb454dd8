//! What a save is told when the asset changed after the client read it: who changed it, when,
//! and which fields, from the events written since the version the client read. Nothing is
//! saved then; the window offers to reload (issue #22: never overwrite silently).

use std::fmt;

use postgres::GenericClient;

use super::read::Versioned;
use crate::error::Result;

/// A save refused because the asset moved on from the version the client read.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The asset's id.
    pub asset_id: i64,
    /// Its tag now.
    pub asset_tag: String,
    /// The version the client read (and its save started from).
    pub read_version: i64,
    /// The version it has now.
    pub version: i64,
    /// The writes since the client's version, oldest first (the last is the latest).
    pub changes: Vec<ChangedBy>,
}

/// One write the client has not seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedBy {
    /// The database role that made it (the event's `actor`).
    pub actor: String,
    /// When (the event's time: UTC, RFC 3339).
    pub at: String,
    /// What happened (`edited`, `status_changed`, `archived`…).
    pub action: String,
    /// The fields it changed.
    pub fields: Vec<String>,
}

impl Conflict {
    /// The conflict of a save that read `read_version` of `current`: the events that made the
    /// later versions. Events written before versions existed (copied from a file register)
    /// carry none; if none carries a later version, the asset's latest event is named.
    pub(super) fn since(
        client: &mut impl GenericClient,
        current: &Versioned,
        read_version: i64,
    ) -> Result<Conflict> {
        const SELECT: &str = "SELECT actor, at, action,
                ARRAY(SELECT c->>'field' FROM json_array_elements(changes::json) c) AS fields
           FROM public.audit_log";
        let id = current.asset.id;
        let mut rows = client.query(
            &format!("{SELECT} WHERE asset_id = $1 AND asset_version > $2 ORDER BY id"),
            &[&id, &read_version],
        )?;
        if rows.is_empty() {
            rows = client.query(
                &format!("{SELECT} WHERE asset_id = $1 ORDER BY id DESC LIMIT 1"),
                &[&id],
            )?;
        }
        let changes = rows
            .iter()
            .map(|r| -> Result<ChangedBy> {
                Ok(ChangedBy {
                    actor: r.try_get("actor")?,
                    at: r.try_get("at")?,
                    action: r.try_get("action")?,
                    fields: r.try_get("fields")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Conflict {
            asset_id: id,
            asset_tag: current.asset.asset_tag.clone(),
            read_version,
            version: current.version,
            changes,
        })
    }
}

impl fmt::Display for Conflict {
    /// "IT-0042 was changed after you opened it, by alice at 2026-12-02 11:55:03 UTC (name,
    /// notes); nothing was saved: reload it to see that change, then make yours again."
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} was changed after you opened it", self.asset_tag)?;
        for (i, c) in self.changes.iter().enumerate() {
            let then = if i == 0 { "," } else { ", then" };
            // The stored time to the second, as people read it.
            let at = c.at.get(..19).unwrap_or(&c.at).replace('T', " ");
            write!(f, "{then} by {} at {at} UTC", c.actor)?;
            if !c.fields.is_empty() {
                write!(f, " ({})", c.fields.join(", "))?;
            }
        }
        let which = if self.changes.len() > 1 {
            "those changes"
        } else {
            "that change"
        };
        write!(
            f,
            "; nothing was saved: reload it to see {which}, then make yours again"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_who_when_and_what() {
        let mut c = Conflict {
            asset_id: 7,
            asset_tag: "IT-0042".into(),
            read_version: 2,
            version: 3,
            changes: vec![ChangedBy {
                actor: "alice".into(),
                at: "2026-12-02T11:55:03.123456Z".into(),
                action: "edited".into(),
                fields: vec!["name".into(), "notes".into()],
            }],
        };
        assert_eq!(
            c.to_string(),
            "IT-0042 was changed after you opened it, by alice at 2026-12-02 11:55:03 UTC \
             (name, notes); nothing was saved: reload it to see that change, then make yours \
             again"
        );
        c.changes.push(ChangedBy {
            actor: "bob".into(),
            at: "2026-12-02T11:56:00.000001Z".into(),
            action: "status_changed".into(),
            fields: vec!["status".into()],
        });
        assert!(
            c.to_string().contains(
                "(name, notes), then by bob at 2026-12-02 11:56:00 UTC (status); nothing was \
                 saved: reload it to see those changes"
            ),
            "{c}"
        );
    }
}
