//! The histories the window shows, read from the team register as the core's `Event`: an
//! asset's, a person's or location's, a person's with the assets and seats they held, and the
//! register's most recent events. The counterparts of `register_core::audit`'s
//! `list_asset_events`, `list_entity_events`, `list_person_events` and `list_audit_events`, in
//! the same order with the same fields (an event is made by the core's
//! `StoredRow::to_event`). Owns those reads; appending and verifying are `audit`'s.
//!
//! The core's `Event` has no actor: the login that wrote each event is on the server
//! (`audit::StoredEvent::actor`), and the CLI's `history` prints it, but these lists, like the
//! file's, do not carry it; [`written_by`] gives it for a list, as the window shows it. A viewer may not read the trail (see `admin`'s privileges): each
//! of these is `Error::Denied` for one.

use postgres::types::ToSql;
use postgres::GenericClient;
use register_core::Event;

use crate::audit::{stored_from_row, STORED_COLUMNS};
use crate::error::Result;

/// The events `condition` keeps, ordered by `order`.
fn events(
    client: &mut impl GenericClient,
    condition: &str,
    order: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Event>> {
    client
        .query(
            &format!("SELECT {STORED_COLUMNS} FROM public.audit_log {condition} ORDER BY {order}"),
            params,
        )?
        .iter()
        .map(|r| Ok(stored_from_row(r)?.row.to_event()))
        .collect()
}

/// An asset's history, oldest first.
pub fn asset_events(client: &mut impl GenericClient, asset_id: i64) -> Result<Vec<Event>> {
    events(client, "WHERE asset_id = $1", "id", &[&asset_id])
}

/// The history of one record by its kind (`person`, `location`, `licence`, …) and id, oldest
/// first.
pub fn entity_events(client: &mut impl GenericClient, entity: &str, id: i64) -> Result<Vec<Event>> {
    events(
        client,
        "WHERE entity = $1 AND entity_id = $2",
        "id",
        &[&entity, &id],
    )
}

/// A person's history, oldest first: their own events and those of the assets and licence
/// seats they were given, gave back or handed on, found (as the file finds them) by every name
/// the person has had, ignoring ASCII case. A person not in the register is not found.
pub fn person_events(client: &mut impl GenericClient, person_id: i64) -> Result<Vec<Event>> {
    let current = client.query_opt(
        "SELECT name FROM public.people WHERE id = $1",
        &[&person_id],
    )?;
    let Some(current) = current else {
        return Err(register_core::Error::not_found("person", person_id).into());
    };
    let mut names: Vec<String> = vec![current.get("name")];
    for ev in entity_events(client, "person", person_id)? {
        for c in ev.changes.into_iter().filter(|c| c.field == "name") {
            names.extend(c.old);
            names.extend(c.new);
        }
    }
    // The changes as stored, in either form the core writes (see `register_core::audit`'s
    // FIELD, OLD and NEW): `[field, old, new]`, or `{"field", "old", "new"}`.
    events(
        client,
        r#"WHERE (entity = 'person' AND entity_id = $1)
              OR (entity IN ('asset', 'licence') AND EXISTS (
                  SELECT 1 FROM jsonb_array_elements(changes::jsonb) c
                   WHERE coalesce(c ->> 0, c ->> 'field') IN ('assigned_to', 'seat')
                     AND (lower(coalesce(c ->> 1, c ->> 'old') COLLATE "C")
                              IN (SELECT lower(n COLLATE "C") FROM unnest($2::text[]) n)
                       OR lower(coalesce(c ->> 2, c ->> 'new') COLLATE "C")
                              IN (SELECT lower(n COLLATE "C") FROM unnest($2::text[]) n))))"#,
        "id",
        &[&person_id, &names],
    )
}

/// The most recent `limit` events of the whole register (all of them when `None`), newest
/// first.
pub fn recent_events(client: &mut impl GenericClient, limit: Option<u32>) -> Result<Vec<Event>> {
    let limit = limit.map(i64::from);
    events(client, "", "id DESC LIMIT $1", &[&limit])
}

/// Who wrote each of `events`, by event id: the person the login is tied to and the login
/// ("Alex Editor (alex)"), or the login alone. What the window shows beside each event on a
/// team register; the core's `Event` has no actor (see the module's doc).
pub fn written_by(
    client: &mut impl GenericClient,
    events: &[Event],
) -> Result<std::collections::HashMap<i64, String>> {
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    Ok(client
        .query(
            "SELECT a.id, a.actor, p.name FROM public.audit_log a
               LEFT JOIN public.logins l ON l.login = a.actor
               LEFT JOIN public.people p ON p.id = l.person_id
              WHERE a.id = ANY($1)",
            &[&ids],
        )?
        .iter()
        .map(|r| {
            let actor: String = r.get(1);
            let name: Option<String> = r.get(2);
            let by = match name {
                Some(n) => format!("{n} ({actor})"),
                None => actor,
            };
            (r.get::<_, i64>(0), by)
        })
        .collect())
}
