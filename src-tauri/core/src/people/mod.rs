//! People (who can hold assets): create on first use, edit, mark as left, in the file. Every
//! change is audited in the caller's transaction. What a change may do and what it records is
//! in `rules`, shared with the team register on PostgreSQL; this file holds the SQL.

mod rules;

pub use rules::{
    check_can_hold, check_holds_nothing, check_person, leaving, name_taken, person_created,
    person_edited, person_event, ValidPerson,
};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Action};
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};

/// A person as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Row id.
    pub id: i64,
    /// Full name (unique, ignoring case).
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Department or team.
    pub department: Option<String>,
    /// False once the person has left.
    pub active: bool,
    /// The leaving date (YYYY-MM-DD) once they have left.
    pub left_on: Option<String>,
    /// How many live assets they hold.
    pub asset_count: i64,
    /// How many licence seats they hold.
    #[serde(default)]
    pub seat_count: i64,
}

/// What the UI or CLI sends to create or edit a person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    /// Full name (required).
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Department.
    pub department: String,
}

const SELECT: &str = "SELECT p.id, p.name, p.email, p.department, p.left_on,
        (SELECT count(*) FROM assets a WHERE a.person_id = p.id AND a.archived_at IS NULL) AS asset_count,
        (SELECT count(*) FROM licence_seats s WHERE s.person_id = p.id) AS seat_count
    FROM people p";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Person> {
    let left_on: Option<String> = r.get("left_on")?;
    Ok(Person {
        id: r.get("id")?,
        name: r.get("name")?,
        email: r.get("email")?,
        department: r.get("department")?,
        active: left_on.is_none(),
        left_on,
        asset_count: r.get("asset_count")?,
        seat_count: r.get("seat_count")?,
    })
}

/// Everyone, by name.
pub fn list_people(conn: &Connection) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY p.name COLLATE NOCASE"))?;
    stmt.query_all([], from_row)
}

/// One person by id.
pub fn get_person(conn: &Connection, id: i64) -> Result<Person> {
    conn.query_row(&format!("{SELECT} WHERE p.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("person", id))
}

/// One person by name, ignoring case and surrounding spaces.
pub fn find_person(conn: &Connection, name: &str) -> Result<Option<Person>> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE p.name = ?1 COLLATE NOCASE"),
            [name.trim()],
            from_row,
        )
        .optional()?)
}

/// Adds a person.
pub fn create_person(tx: &mut Tx<'_>, input: &PersonInput) -> Result<Person> {
    let v = check_person(input)?;
    if find_person(tx.conn(), &v.name)?.is_some() {
        return Err(name_taken(&v.name));
    }
    tx.conn().execute(
        "INSERT INTO people (name, email, department, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![v.name, v.email, v.department, tx.now()],
    )?;
    let id = tx.conn().last_insert_rowid();
    let changes = person_created(&v);
    audit::record(
        tx,
        person_event(id, &v.name, Action::Created, changes, None),
    )?;
    get_person(tx.conn(), id)
}

/// The person called `name`, created if new. Refuses someone who has left.
pub(crate) fn get_or_create(tx: &mut Tx<'_>, name: &str) -> Result<Person> {
    let found = tx
        .conn()
        .prepare_cached("SELECT id, name, email, department, left_on, 0 AS asset_count, 0 AS seat_count FROM people p WHERE name = ?1 COLLATE NOCASE")?
        .query_row([name.trim()], from_row)
        .optional()?;
    match found {
        Some(p) => {
            check_can_hold(&p)?;
            Ok(p)
        }
        None => create_person(
            tx,
            &PersonInput {
                name: name.to_string(),
                ..Default::default()
            },
        ),
    }
}

/// Edits a person's name, e-mail and department.
pub fn update_person(tx: &mut Tx<'_>, id: i64, input: &PersonInput) -> Result<Person> {
    let before = get_person(tx.conn(), id)?;
    let v = check_person(input)?;
    if let Some(other) = find_person(tx.conn(), &v.name)? {
        if other.id != id {
            return Err(name_taken(&v.name));
        }
    }
    let changes = person_edited(&before, &v);
    if changes.is_empty() {
        return Ok(before);
    }
    tx.conn().execute(
        "UPDATE people SET name = ?1, email = ?2, department = ?3 WHERE id = ?4",
        params![v.name, v.email, v.department, id],
    )?;
    audit::record(
        tx,
        person_event(id, &before.name, Action::Edited, changes, None),
    )?;
    get_person(tx.conn(), id)
}

/// Marks a person as left (today) or active again. Refuses while they still hold assets or
/// licence seats: those must be collected first.
pub fn set_person_left(tx: &mut Tx<'_>, id: i64, left: bool, note: Option<&str>) -> Result<Person> {
    let on = left.then(crate::today);
    set_left_on(tx, id, on, note)
}

/// Marks a person as left on `on` (`None`: active again), with the same refusal as
/// [`set_person_left`].
pub(crate) fn set_left_on(
    tx: &mut Tx<'_>,
    id: i64,
    on: Option<chrono::NaiveDate>,
    note: Option<&str>,
) -> Result<Person> {
    let before = get_person(tx.conn(), id)?;
    let Some((action, changes)) = leaving(&before, on)? else {
        return Ok(before);
    };
    tx.conn().execute(
        "UPDATE people SET left_on = ?1 WHERE id = ?2",
        params![on.map(crate::values::format_date), id],
    )?;
    audit::record(tx, person_event(id, &before.name, action, changes, note))?;
    get_person(tx.conn(), id)
}

/// Offboarding in one step: returns every live asset the person holds (to `location` when
/// given) and releases every licence seat they hold, each its own audited event, all in the
/// caller's transaction.
pub fn return_everything(
    tx: &mut Tx<'_>,
    person_id: i64,
    location: Option<&str>,
    note: Option<&str>,
) -> Result<(Vec<crate::Asset>, Vec<crate::licences::Seat>)> {
    let person = get_person(tx.conn(), person_id)?;
    let ids: Vec<i64> = tx
        .conn()
        .prepare(
            "SELECT id FROM assets WHERE person_id = ?1 AND archived_at IS NULL ORDER BY asset_tag",
        )?
        .query_all([person_id], |r| r.get(0))?;
    let seats = crate::licences::person_seats(tx.conn(), person_id)?;
    if ids.is_empty() && seats.is_empty() {
        return Err(crate::offboarding::nothing_to_return(&person));
    }
    let assets = ids
        .into_iter()
        .map(|id| crate::assets::return_asset(tx, id, location, note))
        .collect::<Result<Vec<_>>>()?;
    for s in &seats {
        crate::licences::release_seat(tx, s.licence_id, person_id, note)?;
    }
    Ok((assets, seats))
}
