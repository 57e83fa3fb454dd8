//! Licences and subscriptions in the file: product, vendor, seats given to people, renewal or
//! expiry date, cost per period (per seat or in total), supplier, notes and a licence key that
//! lists only ever show masked. Every change is audited in the caller's transaction, as entity
//! `licence`, so a licence's history lives in the same hash chain as the assets'.
//!
//! - `model`: the licence, its input, a seat, the period and cost basis;
//! - `rules`: the storage-free rules of a change (checks, refusals, the event's changes),
//!   shared with the team register on PostgreSQL;
//! - this file: the SQL of the file's `licences` and `licence_seats` tables.
//!
//! Rules: seats in use never exceed the licence's seats; a person who has left cannot be given a
//! seat; an archived licence holds no seats. The key is never written to the audit trail in
//! clear: its changes are recorded masked.

mod model;
mod rules;

pub use model::{CostBasis, Licence, LicenceInput, Period, Seat, MAX_SEATS};
pub use rules::{
    check_licence, check_licence_edit, check_licence_live, choose_named, licence_created,
    licence_event, mask_key, period_cost, plan_archive_licence, plan_assign_seat,
    plan_reassign_seat, plan_release_seat, SeatHolders, SeatPlan, ValidLicence,
};

use rusqlite::{params, Connection, OptionalExtension};

use crate::audit::{self, Action};
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};
use crate::people;
use crate::values::Money;

const SELECT: &str = "SELECT l.id, l.product, l.vendor, l.seats,
        (SELECT count(*) FROM licence_seats s WHERE s.licence_id = l.id) AS seats_used,
        l.renewal_date, l.cost, l.cost_basis, l.period, l.supplier, l.licence_key, l.notes, l.archived_at,
        l.created_at, l.updated_at,
        (SELECT count(*) FROM documents d WHERE d.licence_id = l.id) AS document_count
    FROM licences l";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Licence> {
    let cost: Option<Money> = r.get("cost")?;
    let cost_basis: String = r.get("cost_basis")?;
    let cost_basis = CostBasis::parse(&cost_basis).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, e.into())
    })?;
    let seats: i64 = r.get("seats")?;
    let period: String = r.get("period")?;
    let key: Option<String> = r.get("licence_key")?;
    let archived: Option<String> = r.get("archived_at")?;
    Ok(Licence {
        id: r.get("id")?,
        product: r.get("product")?,
        vendor: r.get("vendor")?,
        seats,
        seats_used: r.get("seats_used")?,
        renewal_date: r.get("renewal_date")?,
        cost,
        cost_basis,
        period_cost: period_cost(cost, cost_basis, seats),
        period: Period::parse(&period).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, e.into())
        })?,
        supplier: r.get("supplier")?,
        key_hint: key.as_deref().map(mask_key),
        notes: r.get("notes")?,
        archived: archived.is_some(),
        document_count: r.get("document_count")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// Every live licence (and archived ones when asked), by product.
pub fn list_licences(conn: &Connection, include_archived: bool) -> Result<Vec<Licence>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE ?1 OR l.archived_at IS NULL ORDER BY l.product COLLATE NOCASE, l.id"
    ))?;
    stmt.query_all([include_archived], from_row)
}

/// One licence by id (archived ones too).
pub fn get_licence(conn: &Connection, id: i64) -> Result<Licence> {
    conn.query_row(&format!("{SELECT} WHERE l.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("licence", id))
}

/// A licence by its id (`7` or `#7`) or by its product's name (ignoring case), for the CLI. A
/// name shared by several live licences is refused with their ids.
pub fn find_licence(conn: &Connection, key: &str) -> Result<Licence> {
    let k = key.trim();
    if let Ok(id) = k.trim_start_matches('#').parse::<i64>() {
        if let Ok(l) = get_licence(conn, id) {
            return Ok(l);
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE l.product = ?1 COLLATE NOCASE ORDER BY l.archived_at IS NOT NULL, l.id"
    ))?;
    choose_named(k, stmt.query_all([k], from_row)?)
}

/// The stored key in clear, for the licence's page when the user asks to see it.
pub fn reveal_licence_key(conn: &Connection, id: i64) -> Result<Option<String>> {
    conn.query_row(
        "SELECT licence_key FROM licences WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::not_found("licence", id))
}

/// The seats of a licence, by person.
pub fn list_seats(conn: &Connection, licence_id: i64) -> Result<Vec<Seat>> {
    seats_where(conn, "s.licence_id = ?1", licence_id)
}

/// The seats a person holds, by product.
pub fn person_seats(conn: &Connection, person_id: i64) -> Result<Vec<Seat>> {
    seats_where(conn, "s.person_id = ?1", person_id)
}

fn seats_where(conn: &Connection, filter: &str, id: i64) -> Result<Vec<Seat>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.licence_id, l.product, s.person_id, p.name, p.left_on IS NULL, s.assigned_at
         FROM licence_seats s JOIN licences l ON l.id = s.licence_id
         JOIN people p ON p.id = s.person_id
         WHERE {filter} ORDER BY l.product COLLATE NOCASE, p.name COLLATE NOCASE"
    ))?;
    stmt.query_all([id], |r| {
        Ok(Seat {
            licence_id: r.get(0)?,
            product: r.get(1)?,
            person_id: r.get(2)?,
            person_name: r.get(3)?,
            person_active: r.get(4)?,
            assigned_at: r.get(5)?,
        })
    })
}

/// The stored fields of a licence, key in clear (core only), whether it is archived, and its
/// seats in use.
fn stored(conn: &Connection, id: i64) -> Result<(ValidLicence, bool, i64)> {
    conn.query_row(
        "SELECT product, vendor, seats, renewal_date, cost, period, supplier, licence_key, notes,
                archived_at IS NOT NULL AS archived,
                (SELECT count(*) FROM licence_seats s WHERE s.licence_id = licences.id) AS used,
                cost_basis
         FROM licences WHERE id = ?1",
        [id],
        |r| {
            let period: String = r.get("period")?;
            Ok((
                ValidLicence {
                    product: r.get("product")?,
                    vendor: r.get("vendor")?,
                    seats: r.get("seats")?,
                    renewal_date: r.get("renewal_date")?,
                    cost: r.get("cost")?,
                    cost_basis: CostBasis::parse(&r.get::<_, String>("cost_basis")?)
                        .unwrap_or_default(),
                    period: Period::parse(&period).unwrap_or_default(),
                    supplier: r.get("supplier")?,
                    licence_key: r.get("licence_key")?,
                    notes: r.get("notes")?,
                },
                r.get("archived")?,
                r.get("used")?,
            ))
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found("licence", id))
}

/// Records a new licence.
pub fn create_licence(
    tx: &mut Tx<'_>,
    input: &LicenceInput,
    note: Option<&str>,
) -> Result<Licence> {
    let f = check_licence(input, 0)?;
    let now = tx.now().to_string();
    tx.conn().execute(
        "INSERT INTO licences (product, vendor, seats, renewal_date, cost, period, supplier,
                               licence_key, notes, created_at, updated_at, cost_basis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
        params![
            f.product,
            f.vendor,
            f.seats,
            f.renewal_date,
            f.cost,
            f.period.as_str(),
            f.supplier,
            f.licence_key,
            f.notes,
            now,
            f.cost_basis.as_str()
        ],
    )?;
    let id = tx.conn().last_insert_rowid();
    audit::record(
        tx,
        licence_event(id, &f.product, Action::Created, licence_created(&f), note),
    )?;
    get_licence(tx.conn(), id)
}

/// Edits a licence: `None` fields keep their value, `Some("")` clears one. Seats cannot drop
/// below the seats in use. An edit that changes nothing writes nothing.
pub fn update_licence(
    tx: &mut Tx<'_>,
    id: i64,
    patch: &LicenceInput,
    note: Option<&str>,
) -> Result<Licence> {
    let (before, archived, used) = stored(tx.conn(), id)?;
    let (f, changes) = check_licence_edit(&before, archived, used, patch)?;
    if changes.is_empty() {
        return get_licence(tx.conn(), id);
    }
    tx.conn().execute(
        "UPDATE licences SET product = ?1, vendor = ?2, seats = ?3, renewal_date = ?4, cost = ?5,
                period = ?6, supplier = ?7, licence_key = ?8, notes = ?9, updated_at = ?10,
                cost_basis = ?12
         WHERE id = ?11",
        params![
            f.product,
            f.vendor,
            f.seats,
            f.renewal_date,
            f.cost,
            f.period.as_str(),
            f.supplier,
            f.licence_key,
            f.notes,
            tx.now(),
            id,
            f.cost_basis.as_str()
        ],
    )?;
    audit::record(
        tx,
        licence_event(id, &before.product, Action::Edited, changes, note),
    )?;
    get_licence(tx.conn(), id)
}

fn touch(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.conn().execute(
        "UPDATE licences SET updated_at = ?1 WHERE id = ?2",
        params![tx.now(), id],
    )?;
    Ok(())
}

/// The file's answers to what giving a seat of one licence asks.
struct FileSeats<'a, 'b> {
    tx: &'a mut Tx<'b>,
    licence_id: i64,
}

impl SeatHolders for FileSeats<'_, '_> {
    type Error = Error;

    fn person(&mut self, name: &str) -> Result<(i64, String)> {
        let p = people::get_or_create(self.tx, name)?;
        Ok((p.id, p.name))
    }

    fn holds_seat(&mut self, person_id: i64) -> Result<bool> {
        holds_seat(self.tx.conn(), self.licence_id, person_id)
    }
}

/// Gives a seat to the person called `person` (created if new). Refuses a person who has left,
/// one who already has a seat of it, and a licence whose seats are all in use.
pub fn assign_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    person: &str,
    note: Option<&str>,
) -> Result<Licence> {
    let l = get_licence(tx.conn(), licence_id)?;
    let plan = plan_assign_seat(&l, person, &mut FileSeats { tx, licence_id })?;
    tx.conn().execute(
        "INSERT INTO licence_seats (licence_id, person_id, assigned_at) VALUES (?1, ?2, ?3)",
        params![licence_id, plan.person.0, tx.now()],
    )?;
    touch(tx, licence_id)?;
    audit::record(
        tx,
        licence_event(
            licence_id,
            &l.product,
            Action::SeatAssigned,
            plan.changes,
            note,
        ),
    )?;
    get_licence(tx.conn(), licence_id)
}

fn holds_seat(conn: &Connection, licence_id: i64, person_id: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM licence_seats WHERE licence_id = ?1 AND person_id = ?2",
            [licence_id, person_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Takes a seat back from a person.
pub fn release_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    person_id: i64,
    note: Option<&str>,
) -> Result<Licence> {
    let l = get_licence(tx.conn(), licence_id)?;
    let p = people::get_person(tx.conn(), person_id)?;
    let holds = holds_seat(tx.conn(), licence_id, person_id)?;
    let changes = plan_release_seat(&l, &p.name, holds)?;
    tx.conn().execute(
        "DELETE FROM licence_seats WHERE licence_id = ?1 AND person_id = ?2",
        [licence_id, person_id],
    )?;
    touch(tx, licence_id)?;
    audit::record(
        tx,
        licence_event(licence_id, &l.product, Action::SeatReleased, changes, note),
    )?;
    get_licence(tx.conn(), licence_id)
}

/// Moves a seat from one person to another (named; created if new) in one audited event.
pub fn reassign_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    from_person_id: i64,
    to: &str,
    note: Option<&str>,
) -> Result<Licence> {
    let l = get_licence(tx.conn(), licence_id)?;
    check_licence_live(&l)?;
    let from = people::get_person(tx.conn(), from_person_id)?;
    let from_holds = holds_seat(tx.conn(), licence_id, from.id)?;
    let plan = plan_reassign_seat(
        &l,
        (from.id, &from.name),
        from_holds,
        to,
        &mut FileSeats { tx, licence_id },
    )?;
    tx.conn().execute(
        "UPDATE licence_seats SET person_id = ?1, assigned_at = ?2
         WHERE licence_id = ?3 AND person_id = ?4",
        params![plan.person.0, tx.now(), licence_id, from.id],
    )?;
    touch(tx, licence_id)?;
    audit::record(
        tx,
        licence_event(
            licence_id,
            &l.product,
            Action::SeatReassigned,
            plan.changes,
            note,
        ),
    )?;
    get_licence(tx.conn(), licence_id)
}

/// Archives (retires) a licence. Refused while seats are in use: release them first, so nobody
/// silently loses access on paper while still using it.
pub fn archive_licence(tx: &mut Tx<'_>, id: i64, note: Option<&str>) -> Result<Licence> {
    let l = get_licence(tx.conn(), id)?;
    let changes = plan_archive_licence(&l)?;
    let now = tx.now().to_string();
    tx.conn().execute(
        "UPDATE licences SET archived_at = ?1, updated_at = ?1 WHERE id = ?2",
        params![now, id],
    )?;
    audit::record(
        tx,
        licence_event(id, &l.product, Action::Archived, changes, note),
    )?;
    get_licence(tx.conn(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{audit::Source, Db};

    fn input(product: &str, seats: &str) -> LicenceInput {
        LicenceInput {
            product: Some(product.into()),
            seats: Some(seats.into()),
            ..Default::default()
        }
    }

    fn add(db: &Db, i: &LicenceInput) -> Result<Licence> {
        db.write(Source::Cli, |tx| create_licence(tx, i, None))
    }

    #[test]
    fn creates_and_validates_fields() {
        let db = Db::open_in_memory().unwrap();
        let l = add(
            &db,
            &LicenceInput {
                product: Some(" Microsoft 365 ".into()),
                vendor: Some("Microsoft".into()),
                seats: Some("10".into()),
                renewal_date: Some("2027-03-01".into()),
                cost: Some("1,234.50".into()),
                period: Some("yearly".into()),
                licence_key: Some("ABCD-EFGH-IJKL-7Q2X".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(l.product, "Microsoft 365");
        assert_eq!(l.cost.map(|m| m.to_string()).as_deref(), Some("1234.50"));
        assert_eq!(l.key_hint.as_deref(), Some("•••• 7Q2X"));
        assert_eq!((l.seats, l.seats_used), (10, 0));
        let cases = [
            (input("", "1"), "product"),
            (input("X", ""), "seats"),
            (input("X", "0"), "seats"),
            (input("X", "2.5"), "seats"),
            (input("X", "100001"), "seats"),
            (
                LicenceInput {
                    renewal_date: Some("2027-02-30".into()),
                    ..input("X", "1")
                },
                "renewal_date",
            ),
            (
                LicenceInput {
                    cost: Some("-3".into()),
                    ..input("X", "1")
                },
                "cost",
            ),
            (
                LicenceInput {
                    period: Some("weekly".into()),
                    ..input("X", "1")
                },
                "period",
            ),
        ];
        for (i, field) in cases {
            let e = add(&db, &i).unwrap_err();
            assert_eq!(e.field(), Some(field), "{i:?}: {e}");
        }
    }

    #[test]
    fn masks_short_and_long_keys() {
        assert_eq!(mask_key("1234567"), "••••");
        assert_eq!(mask_key("12345678"), "•••• 5678");
        assert_eq!(mask_key("  ÄÖÜ-ßéèê "), "•••• ßéèê");
    }

    #[test]
    fn seats_never_exceed_the_licence_and_leavers_get_none() {
        let db = Db::open_in_memory().unwrap();
        let l = add(&db, &input("Acrobat", "2")).unwrap();
        for who in ["Sam Patel", "Ana Ruiz"] {
            db.write(Source::Cli, |tx| assign_seat(tx, l.id, who, None))
                .unwrap();
        }
        let e = db
            .write(Source::Cli, |tx| {
                assign_seat(tx, l.id, "Third Person", None)
            })
            .unwrap_err();
        assert!(e.to_string().contains("all 2 seats"), "{e}");
        assert!(
            db.read(|c| people::find_person(c, "Third Person"))
                .unwrap()
                .is_none(),
            "the refused assignment created nobody"
        );
        let e = db
            .write(Source::Cli, |tx| assign_seat(tx, l.id, "sam patel", None))
            .unwrap_err();
        assert!(e.to_string().contains("already has a seat"), "{e}");
        // Seats cannot drop below those in use.
        let e = db
            .write(Source::Cli, |tx| {
                update_licence(
                    tx,
                    l.id,
                    &LicenceInput {
                        seats: Some("1".into()),
                        ..Default::default()
                    },
                    None,
                )
            })
            .unwrap_err();
        assert_eq!(e.field(), Some("seats"));
        // A person who has left cannot get a seat.
        let sam = db
            .read(|c| people::find_person(c, "Sam Patel"))
            .unwrap()
            .unwrap();
        db.write(Source::Cli, |tx| {
            release_seat(tx, l.id, sam.id, Some("left"))
        })
        .unwrap();
        db.write(Source::Cli, |tx| {
            people::set_person_left(tx, sam.id, true, None)
        })
        .unwrap();
        let e = db
            .write(Source::Cli, |tx| assign_seat(tx, l.id, "Sam Patel", None))
            .unwrap_err();
        assert!(e.to_string().contains("has left"), "{e}");
        let seats = db.read(|c| list_seats(c, l.id)).unwrap();
        assert_eq!(seats.len(), 1);
        assert_eq!(seats[0].person_name, "Ana Ruiz");
    }

    #[test]
    fn every_change_is_audited_with_the_key_masked() {
        let db = Db::open_in_memory().unwrap();
        let l = add(
            &db,
            &LicenceInput {
                licence_key: Some("SECRET-KEY-0001".into()),
                ..input("Figma", "3")
            },
        )
        .unwrap();
        db.write(Source::Cli, |tx| {
            update_licence(
                tx,
                l.id,
                &LicenceInput {
                    licence_key: Some("SECRET-KEY-9991".into()),
                    cost: Some("15".into()),
                    period: Some("monthly".into()),
                    ..Default::default()
                },
                Some("new key"),
            )
        })
        .unwrap();
        // An edit that changes nothing writes nothing.
        let before = db.read(audit::head).unwrap();
        db.write(Source::Cli, |tx| {
            update_licence(tx, l.id, &input("Figma", "3"), None)
        })
        .unwrap();
        assert_eq!(db.read(audit::head).unwrap(), before);
        db.write(Source::Cli, |tx| assign_seat(tx, l.id, "Ana Ruiz", None))
            .unwrap();
        let ana = db
            .read(|c| people::find_person(c, "Ana Ruiz"))
            .unwrap()
            .unwrap();
        db.write(Source::Cli, |tx| {
            reassign_seat(tx, l.id, ana.id, "Bo Chen", None)
        })
        .unwrap();
        let e = db
            .write(Source::Cli, |tx| archive_licence(tx, l.id, None))
            .unwrap_err();
        assert!(e.to_string().contains("release it"), "{e}");
        let bo = db
            .read(|c| people::find_person(c, "Bo Chen"))
            .unwrap()
            .unwrap();
        db.write(Source::Cli, |tx| release_seat(tx, l.id, bo.id, None))
            .unwrap();
        db.write(Source::Cli, |tx| archive_licence(tx, l.id, None))
            .unwrap();
        let events = db
            .read(|c| audit::list_entity_events(c, "licence", l.id))
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "created",
                "edited",
                "seat_assigned",
                "seat_reassigned",
                "seat_released",
                "archived"
            ]
        );
        let all = serde_json::to_string(&events).unwrap();
        assert!(
            !all.contains("SECRET"),
            "the key never reaches the trail: {all}"
        );
        assert!(all.contains("•••• 9991"));
        assert_eq!(
            db.read(|c| reveal_licence_key(c, l.id)).unwrap().as_deref(),
            Some("SECRET-KEY-9991")
        );
        assert!(db.read(audit::verify).unwrap().ok);
        let e = db
            .write(Source::Cli, |tx| assign_seat(tx, l.id, "Ana Ruiz", None))
            .unwrap_err();
        assert!(e.to_string().contains("archived"), "{e}");
    }

    #[test]
    fn finds_by_id_or_product() {
        let db = Db::open_in_memory().unwrap();
        let a = add(&db, &input("Slack", "5")).unwrap();
        let b = add(&db, &input("slack", "5")).unwrap();
        db.read(|c| {
            assert_eq!(find_licence(c, &format!("#{}", a.id))?.id, a.id);
            let e = find_licence(c, "SLACK").unwrap_err();
            assert!(e.to_string().contains("several"), "{e}");
            assert!(matches!(
                find_licence(c, "Zoom"),
                Err(Error::NotFound { .. })
            ));
            Ok(())
        })
        .unwrap();
        db.write(Source::Cli, |tx| archive_licence(tx, a.id, None))
            .unwrap();
        assert_eq!(db.read(|c| find_licence(c, "Slack")).unwrap().id, b.id);
    }
}
