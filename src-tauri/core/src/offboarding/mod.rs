//! Offboarding a person: start it with a leaving date, then resolve everything they hold (assets
//! and licence seats) as returned, reassigned or missing, then finish, which marks them as left
//! on the leaving date. Finishing is refused while anything is still held.
//!
//! The checklist is read live: what the person still holds comes from `assets` and
//! `licence_seats` (so nothing handed to them during the offboarding can be missed), what was
//! resolved from `offboarding_items`. Every step is audited: the asset's or licence's own event
//! (returned, assigned, status changed, seat released…) and a person event naming the item and
//! its outcome, all in one transaction.
//!
//! - `model`: the offboarding, its items and outcomes, the checklist;
//! - `rules`: the storage-free rules of each step (refusals, what a resolution does, the
//!   events, the checklist's merge), shared with the team register on PostgreSQL;
//! - this file: the SQL of the file's `offboardings` and `offboarding_items` tables.

mod model;
mod rules;

pub use model::{
    Checklist, ChecklistItem, ItemKind, Offboarding, OpenOffboarding, Outcome, Resolution,
};
pub use rules::{
    already_open, cancelled_event, check_can_finish, check_can_start, merge_checklist, not_held,
    nothing_to_return, open_to_close, open_to_resolve, plan_resolution, resolution_note,
    resolved_event, started_event, ResolutionStep,
};

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::assets::{self, Holder, ListQuery};
use crate::audit;
use crate::db::Tx;
use crate::error::Result;
use crate::licences;
use crate::people;
use crate::status::Status;
use crate::values::format_date;

fn offboarding_where(conn: &Connection, person_id: i64, open: bool) -> Result<Option<Offboarding>> {
    let sql = if open {
        "SELECT id, leaving_on, started_at, finished_at FROM offboardings
         WHERE person_id = ?1 AND finished_at IS NULL"
    } else {
        "SELECT id, leaving_on, started_at, finished_at FROM offboardings
         WHERE person_id = ?1 ORDER BY finished_at IS NULL DESC, id DESC LIMIT 1"
    };
    Ok(conn
        .query_row(sql, [person_id], |r| {
            Ok(Offboarding {
                id: r.get(0)?,
                leaving_on: r.get(1)?,
                started_at: r.get(2)?,
                finished_at: r.get(3)?,
            })
        })
        .optional()?)
}

/// The items a person still holds: live assets by tag, then licence seats by product.
fn held_items(conn: &Connection, person_id: i64) -> Result<Vec<ChecklistItem>> {
    let q = ListQuery {
        person_id: Some(person_id),
        limit: Some(10_000),
        sort: Some("asset_tag".into()),
        ..Default::default()
    };
    let mut items: Vec<ChecklistItem> = assets::list_assets(conn, &q)?
        .assets
        .into_iter()
        .map(|a| ChecklistItem {
            kind: ItemKind::Asset,
            id: a.id,
            label: format!("{} {}", a.asset_tag, a.name),
            detail: a.serial_number,
            outcome: None,
            resolution: None,
            resolved_at: None,
        })
        .collect();
    for s in licences::person_seats(conn, person_id)? {
        let l = licences::get_licence(conn, s.licence_id)?;
        items.push(ChecklistItem {
            kind: ItemKind::Seat,
            id: s.licence_id,
            label: format!("{} (licence seat)", l.product),
            detail: l.vendor,
            outcome: None,
            resolution: None,
            resolved_at: None,
        });
    }
    Ok(items)
}

/// The person's checklist: what they still hold, and what the offboarding resolved.
pub fn get_checklist(conn: &Connection, person_id: i64) -> Result<Checklist> {
    let person = people::get_person(conn, person_id)?;
    let offboarding = offboarding_where(conn, person_id, false)?;
    let held = held_items(conn, person_id)?;
    let mut resolved = Vec::new();
    if let Some(o) = &offboarding {
        let mut stmt = conn.prepare_cached(
            "SELECT kind, ref_id, label, outcome, detail, resolved_at FROM offboarding_items
             WHERE offboarding_id = ?1 ORDER BY resolved_at",
        )?;
        let rows = stmt.query_map([o.id], |r| {
            let kind: String = r.get(0)?;
            let outcome: String = r.get(3)?;
            Ok(ChecklistItem {
                kind: ItemKind::parse(&kind),
                id: r.get(1)?,
                label: r.get(2)?,
                detail: None,
                outcome: Some(Outcome::parse(&outcome)),
                resolution: r.get(4)?,
                resolved_at: r.get(5)?,
            })
        })?;
        for row in rows {
            let mut item = row?;
            item.detail = match item.kind {
                ItemKind::Asset => assets::get_asset(conn, item.id)?.serial_number,
                ItemKind::Seat => licences::get_licence(conn, item.id)?.vendor,
            };
            resolved.push(item);
        }
    }
    let (items, unresolved) = merge_checklist(held, resolved);
    Ok(Checklist {
        person,
        offboarding,
        items,
        unresolved,
    })
}

/// Every open offboarding, the earliest leaving date first (then by name, ignoring case): who
/// is leaving, when, since when, and how much they still hold.
pub fn list_open(conn: &Connection) -> Result<Vec<OpenOffboarding>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.person_id, p.name, o.leaving_on, o.started_at,
                (SELECT count(*) FROM assets a
                  WHERE a.person_id = o.person_id AND a.archived_at IS NULL)
              + (SELECT count(*) FROM licence_seats s WHERE s.person_id = o.person_id) AS held
           FROM offboardings o JOIN people p ON p.id = o.person_id
          WHERE o.finished_at IS NULL
          ORDER BY o.leaving_on, p.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OpenOffboarding {
            person_id: r.get("person_id")?,
            person: r.get("name")?,
            leaving_on: r.get("leaving_on")?,
            started_at: r.get("started_at")?,
            held: r.get("held")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Starts offboarding a person who leaves on `leaving_on`. Refuses someone who has already left
/// or whose offboarding is already open.
pub fn start_offboarding(
    tx: &mut Tx<'_>,
    person_id: i64,
    leaving_on: NaiveDate,
    note: Option<&str>,
) -> Result<Checklist> {
    let p = people::get_person(tx.conn(), person_id)?;
    check_can_start(&p, offboarding_where(tx.conn(), person_id, true)?.as_ref())?;
    tx.conn().execute(
        "INSERT INTO offboardings (person_id, leaving_on, started_at) VALUES (?1, ?2, ?3)",
        params![person_id, format_date(leaving_on), tx.now()],
    )?;
    audit::record(tx, started_event(&p, leaving_on, note))?;
    get_checklist(tx.conn(), person_id)
}

/// Resolves one item the person holds: returns, reassigns or reports it missing (see
/// [`Resolution`]). Needs an open offboarding.
pub fn resolve_item(
    tx: &mut Tx<'_>,
    person_id: i64,
    kind: ItemKind,
    id: i64,
    resolution: &Resolution,
    note: Option<&str>,
) -> Result<Checklist> {
    let p = people::get_person(tx.conn(), person_id)?;
    let open = offboarding_where(tx.conn(), person_id, true)?;
    let o = open_to_resolve(&p, open.as_ref())?;
    let item = held_items(tx.conn(), person_id)?
        .into_iter()
        .find(|i| i.kind == kind && i.id == id)
        .ok_or_else(|| not_held(&p, kind))?;
    let note = resolution_note(note);
    let step = plan_resolution(kind, resolution, note.as_deref())?;
    let detail = match &step {
        ResolutionStep::ReturnAsset { location } => {
            assets::return_asset(tx, id, location.as_deref(), note.as_deref())?.location
        }
        ResolutionStep::AssignAsset { to } => {
            let to = Holder::Person(to.clone());
            assets::assign_asset(tx, id, &to, note.as_deref())?.assigned_to
        }
        ResolutionStep::MarkMissing { note } => {
            assets::change_status(tx, id, Status::LostStolen, Some(note))?;
            Some(note.clone())
        }
        ResolutionStep::ReleaseSeat => {
            licences::release_seat(tx, id, person_id, note.as_deref())?;
            None
        }
        ResolutionStep::ReassignSeat { to } => {
            licences::reassign_seat(tx, id, person_id, to, note.as_deref())?;
            people::find_person(tx.conn(), to)?.map(|p| p.name)
        }
    };
    let outcome = step.outcome();
    tx.conn().execute(
        "INSERT OR REPLACE INTO offboarding_items
            (offboarding_id, kind, ref_id, label, outcome, detail, resolved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            o.id,
            kind.as_str(),
            id,
            item.label,
            outcome.as_str(),
            detail,
            tx.now()
        ],
    )?;
    audit::record(
        tx,
        resolved_event(&p, &item.label, outcome, detail, note.as_deref()),
    )?;
    get_checklist(tx.conn(), person_id)
}

/// Finishes the offboarding: marks the person as left on the leaving date. Refused while they
/// still hold anything.
pub fn finish_offboarding(
    tx: &mut Tx<'_>,
    person_id: i64,
    note: Option<&str>,
) -> Result<Checklist> {
    let p = people::get_person(tx.conn(), person_id)?;
    let open = offboarding_where(tx.conn(), person_id, true)?;
    let o = open_to_close(&p, open.as_ref())?;
    let leaving = check_can_finish(&p, o)?;
    tx.conn().execute(
        "UPDATE offboardings SET finished_at = ?1 WHERE id = ?2",
        params![tx.now(), o.id],
    )?;
    people::set_left_on(tx, person_id, Some(leaving), note)?;
    get_checklist(tx.conn(), person_id)
}

/// Cancels an open offboarding (started by mistake). What was already resolved stays resolved.
pub fn cancel_offboarding(
    tx: &mut Tx<'_>,
    person_id: i64,
    note: Option<&str>,
) -> Result<Checklist> {
    let p = people::get_person(tx.conn(), person_id)?;
    let open = offboarding_where(tx.conn(), person_id, true)?;
    let o = open_to_close(&p, open.as_ref())?;
    // Kept as finished-without-leaving: the trail and the resolved items stay explainable.
    tx.conn().execute(
        "UPDATE offboardings SET finished_at = ?1 WHERE id = ?2",
        params![tx.now(), o.id],
    )?;
    audit::record(tx, cancelled_event(&p, o, note))?;
    get_checklist(tx.conn(), person_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::licences::{assign_seat, create_licence, LicenceInput};
    use crate::{audit::Source, Db};

    fn setup() -> (Db, i64, i64, i64, i64) {
        let db = Db::open_in_memory().unwrap();
        let (a1, a2, lic) = db
            .write(Source::App, |tx| {
                let mut ids = Vec::new();
                for (tag, serial) in [("IT-1", "S1"), ("IT-2", "S2")] {
                    let a = create_asset(
                        tx,
                        &AssetInput {
                            asset_tag: tag.into(),
                            name: format!("Laptop {tag}"),
                            serial_number: serial.into(),
                            ..Default::default()
                        },
                        None,
                    )?;
                    assets::assign_asset(tx, a.id, &Holder::Person("Sam Patel".into()), None)?;
                    ids.push(a.id);
                }
                let l = create_licence(
                    tx,
                    &LicenceInput {
                        product: Some("Figma".into()),
                        seats: Some("2".into()),
                        ..Default::default()
                    },
                    None,
                )?;
                assign_seat(tx, l.id, "Sam Patel", None)?;
                Ok((ids[0], ids[1], l.id))
            })
            .unwrap();
        let sam = db
            .read(|c| people::find_person(c, "Sam Patel"))
            .unwrap()
            .unwrap();
        (db, sam.id, a1, a2, lic)
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn offboarding_resolves_every_item_then_finishes_on_the_leaving_date() {
        let (db, sam, a1, a2, lic) = setup();
        let w = |f: &dyn Fn(&mut Tx<'_>) -> Result<Checklist>| db.write(Source::App, f);
        // Nothing can be resolved before the offboarding starts.
        let e = w(&|tx| {
            resolve_item(
                tx,
                sam,
                ItemKind::Asset,
                a1,
                &Resolution::Missing,
                Some("x"),
            )
        })
        .unwrap_err();
        assert!(e.to_string().contains("start"), "{e}");
        let c = w(&|tx| start_offboarding(tx, sam, date("2026-12-31"), None)).unwrap();
        assert_eq!((c.items.len(), c.unresolved), (3, 3));
        assert_eq!(c.items[2].kind, ItemKind::Seat);
        let e = w(&|tx| start_offboarding(tx, sam, date("2026-12-31"), None)).unwrap_err();
        assert!(e.to_string().contains("already open"), "{e}");
        // Finishing is refused while anything is held.
        let e = w(&|tx| finish_offboarding(tx, sam, None)).unwrap_err();
        assert!(
            e.to_string()
                .contains("still holds 2 assets and 1 licence seat"),
            "{e}"
        );
        let returned = Resolution::Returned {
            location: Some("Store room".into()),
        };
        w(&|tx| resolve_item(tx, sam, ItemKind::Asset, a1, &returned, None)).unwrap();
        // Missing needs a note; a seat cannot go missing.
        let e = w(&|tx| resolve_item(tx, sam, ItemKind::Asset, a2, &Resolution::Missing, None))
            .unwrap_err();
        assert_eq!(e.field(), Some("note"));
        let e = w(&|tx| {
            resolve_item(
                tx,
                sam,
                ItemKind::Seat,
                lic,
                &Resolution::Missing,
                Some("?"),
            )
        })
        .unwrap_err();
        assert!(e.to_string().contains("cannot go missing"), "{e}");
        w(&|tx| {
            resolve_item(
                tx,
                sam,
                ItemKind::Asset,
                a2,
                &Resolution::Missing,
                Some("not returned"),
            )
        })
        .unwrap();
        let c = w(&|tx| {
            resolve_item(
                tx,
                sam,
                ItemKind::Seat,
                lic,
                &Resolution::Reassigned {
                    to: "Ana Ruiz".into(),
                },
                None,
            )
        })
        .unwrap();
        assert_eq!(c.unresolved, 0);
        let outcomes: Vec<(Option<Outcome>, Option<&str>)> = c
            .items
            .iter()
            .map(|i| (i.outcome, i.resolution.as_deref()))
            .collect();
        assert_eq!(
            outcomes,
            [
                (Some(Outcome::Returned), Some("Store room")),
                (Some(Outcome::Missing), Some("not returned")),
                (Some(Outcome::Reassigned), Some("Ana Ruiz")),
            ]
        );
        db.read(|c| {
            let a = assets::get_asset(c, a1)?;
            assert_eq!(
                (a.status, a.location.as_deref()),
                (Status::Available, Some("Store room"))
            );
            assert_eq!(assets::get_asset(c, a2)?.status, Status::LostStolen);
            let seats = licences::list_seats(c, lic)?;
            assert_eq!(seats[0].person_name, "Ana Ruiz");
            Ok(())
        })
        .unwrap();
        let c = w(&|tx| finish_offboarding(tx, sam, Some("all done"))).unwrap();
        assert!(!c.person.active);
        assert_eq!(c.person.left_on.as_deref(), Some("2026-12-31"));
        assert!(c.offboarding.unwrap().finished_at.is_some());
        let events = db
            .read(|c| audit::list_entity_events(c, "person", sam))
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            &kinds[kinds.len() - 5..],
            [
                "offboarding_started",
                "offboarding_resolved",
                "offboarding_resolved",
                "offboarding_resolved",
                "left"
            ]
        );
        assert!(db.read(audit::verify).unwrap().ok);
    }

    #[test]
    fn something_handed_over_during_offboarding_joins_the_checklist() {
        let (db, sam, a1, _a2, _lic) = setup();
        db.write(Source::App, |tx| {
            start_offboarding(tx, sam, date("2026-12-31"), None)?;
            resolve_item(
                tx,
                sam,
                ItemKind::Asset,
                a1,
                &Resolution::Returned { location: None },
                None,
            )?;
            // Given back to Sam after being returned: held again, listed once, unresolved.
            assets::assign_asset(tx, a1, &Holder::Person("Sam Patel".into()), None)
        })
        .unwrap();
        let c = db.read(|c| get_checklist(c, sam)).unwrap();
        assert_eq!((c.items.len(), c.unresolved), (3, 3));
        db.write(Source::App, |tx| cancel_offboarding(tx, sam, None))
            .unwrap();
        let e = db
            .write(Source::App, |tx| finish_offboarding(tx, sam, None))
            .unwrap_err();
        assert!(e.to_string().contains("no offboarding open"), "{e}");
    }
}
