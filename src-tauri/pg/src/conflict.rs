//! What a save is told when the record it changes (an asset, a licence, a person) changed after
//! the client read it: who changed it, when, and which fields, from the events written since
//! the version the client read. Nothing is saved then; the window offers to reload (issue #22:
//! never overwrite silently). Owns the comparison of versions ([`check_version`]), the
//! refusal's data and its words for every versioned record, and where each record's events keep
//! the versions they made; each record's module locks its row and calls [`check_version`].

use std::fmt;

use postgres::GenericClient;

use crate::error::{Error, Result};

/// Which kind of record a version belongs to, and so where its events keep the versions they
/// made (`audit_log.asset_version`, 0003; `licence_version`, 0006; `person_version`, 0007).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// An asset.
    Asset,
    /// A licence.
    Licence,
    /// A person.
    Person,
}

impl Record {
    /// The entity's word, as events name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Record::Asset => "asset",
            Record::Licence => "licence",
            Record::Person => "person",
        }
    }

    /// The `audit_log` column holding the version each of this record's events made.
    pub(crate) fn version_column(self) -> &'static str {
        match self {
            Record::Asset => "asset_version",
            Record::Licence => "licence_version",
            Record::Person => "person_version",
        }
    }

    /// The condition on `audit_log` that finds this record's events (`$1`: its id).
    fn events(self) -> &'static str {
        match self {
            Record::Asset => "asset_id = $1",
            Record::Licence => "entity = 'licence' AND entity_id = $1",
            Record::Person => "entity = 'person' AND entity_id = $1",
        }
    }
}

/// Refuses a save that read `read_version` of the record `id` of `entity` (called `label`),
/// which is at `version` now (read under the caller's row lock), with [`Error::Conflict`]
/// naming who changed what since; passes one that read the latest version.
pub(crate) fn check_version(
    client: &mut impl GenericClient,
    entity: Record,
    id: i64,
    label: &str,
    version: i64,
    read_version: i64,
) -> Result<()> {
    if version == read_version {
        return Ok(());
    }
    let conflict = Conflict::since(client, entity, id, label, version, read_version)?;
    Err(Error::Conflict(Box::new(conflict)))
}

/// A save refused because the record moved on from the version the client read.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// What kind of record it is.
    pub entity: Record,
    /// Its id.
    pub id: i64,
    /// How it is called now: an asset's tag, a licence's product.
    pub label: String,
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
    /// The person that login is tied to (`logins`), when it is.
    pub person: Option<String>,
    /// When (the event's time: UTC, RFC 3339).
    pub at: String,
    /// What happened (`edited`, `status_changed`, `archived`…).
    pub action: String,
    /// The fields it changed.
    pub fields: Vec<String>,
}

impl Conflict {
    /// The conflict of a save that read `read_version` of the record `id` of `entity` (called
    /// `label`, now at `version`): the events that made the later versions. Events written
    /// before versions existed (copied from a file register) carry none; if none carries a
    /// later version, the record's latest event is named.
    fn since(
        client: &mut impl GenericClient,
        entity: Record,
        id: i64,
        label: &str,
        version: i64,
        read_version: i64,
    ) -> Result<Conflict> {
        const SELECT: &str = "SELECT actor, at, action,
                ARRAY(SELECT c->>'field' FROM json_array_elements(changes::json) c) AS fields,
                (SELECT p.name FROM public.logins l JOIN public.people p ON p.id = l.person_id
                  WHERE l.login = audit_log.actor) AS person
           FROM public.audit_log";
        let (of, made) = (entity.events(), entity.version_column());
        let mut rows = client.query(
            &format!("{SELECT} WHERE {of} AND {made} > $2 ORDER BY id"),
            &[&id, &read_version],
        )?;
        if rows.is_empty() {
            rows = client.query(
                &format!("{SELECT} WHERE {of} ORDER BY id DESC LIMIT 1"),
                &[&id],
            )?;
        }
        let changes = rows
            .iter()
            .map(|r| -> Result<ChangedBy> {
                Ok(ChangedBy {
                    actor: r.try_get("actor")?,
                    person: r.try_get("person")?,
                    at: r.try_get("at")?,
                    action: r.try_get("action")?,
                    fields: r.try_get("fields")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Conflict {
            entity,
            id,
            label: label.to_string(),
            read_version,
            version,
            changes,
        })
    }
}

impl fmt::Display for Conflict {
    /// "IT-0042 was changed after you opened it, by Alice Smith (alice) at 2026-12-02 11:55:03
    /// UTC (name, notes); nothing was saved: reload it to see that change, then make yours
    /// again." A login tied to no person is named by itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} was changed after you opened it", self.label)?;
        for (i, c) in self.changes.iter().enumerate() {
            let then = if i == 0 { "," } else { ", then" };
            // The stored time to the second, as people read it.
            let at = c.at.get(..19).unwrap_or(&c.at).replace('T', " ");
            match &c.person {
                Some(person) => write!(f, "{then} by {person} ({}) at {at} UTC", c.actor)?,
                None => write!(f, "{then} by {} at {at} UTC", c.actor)?,
            }
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
            entity: Record::Asset,
            id: 7,
            label: "IT-0042".into(),
            read_version: 2,
            version: 3,
            changes: vec![ChangedBy {
                actor: "alice".into(),
                person: None,
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
            person: Some("Bob Jones".into()),
            at: "2026-12-02T11:56:00.000001Z".into(),
            action: "status_changed".into(),
            fields: vec!["status".into()],
        });
        assert!(
            c.to_string().contains(
                "(name, notes), then by Bob Jones (bob) at 2026-12-02 11:56:00 UTC (status); \
                 nothing was saved: reload it to see those changes"
            ),
            "{c}"
        );
    }
}
