//! People in the team register: added, edited, marked as left or active again, listed and
//! found, each change inside the caller's transaction ([`crate::write`]) with its audit event,
//! and each checked by the core's rules (`register_core::people::check_person`, `leaving`…), so
//! the server refuses what the file refuses and records the same events. Owns the SQL of the
//! `people` table; a person is read as the core's `Person`.
//!
//! Two clients at once: marking someone as left locks their row (`FOR NO KEY UPDATE`) and only
//! then counts what they hold (assets and licence seats), and giving them an asset or a seat
//! locks it `FOR SHARE` (see [`get_or_create`]), so the one waits for the other and nobody who
//! has left ends up holding anything. A rename copies the new name onto the assets they hold
//! (the schema's trigger), so it locks those assets before the person, in the order every
//! asset change takes them (asset, then person, then the chain head).
//!
//! Each person has a row version (migration 0007), as assets and licences have: an edit, a
//! leaving and a return carry the version the client read and are refused, changing nothing,
//! naming who changed the person since (`crate::conflict`), when the person has moved on.
//!
//! Offboarding (a leaving date, each thing held resolved, then marked as left on that date) is
//! `crate::offboarding`'s, which marks them as left through [`set_left_on`].

use postgres::error::SqlState;
use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::audit::Action;
use register_core::people::{
    check_can_hold, check_person, leaving, name_taken, person_created, person_edited, person_event,
    Person, PersonInput, ValidPerson,
};
use register_core::values::format_date;

use crate::audit;
use crate::conflict::{check_version, Record};
use crate::db::Tx;
use crate::error::{Error, Result};

/// A person as stored on the server, and their version: the number of writes they have had (1
/// when added). An edit, a leaving or a return names the version it was read at, and is refused
/// if the person has moved on since (see [`crate::conflict::Conflict`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned {
    /// The person, as the file register would give them.
    pub person: Person,
    /// Their row version.
    pub version: i64,
}

/// Every column of a person, with the live assets and the licence seats they hold counted. The
/// counts are the statement's snapshot: read them in a statement of their own after any lock.
const SELECT: &str = "SELECT p.id, p.name, p.email, p.department,
        to_char(p.left_on, 'YYYY-MM-DD') AS left_on,
        (SELECT count(*) FROM public.assets a
          WHERE a.person_id = p.id AND a.archived_at IS NULL) AS asset_count,
        (SELECT count(*) FROM public.licence_seats s WHERE s.person_id = p.id) AS seat_count,
        p.version
    FROM public.people p";

/// The same name ignoring ASCII case, as the file's NOCASE (and the `people_name` index) does.
const SAME_NAME: &str = r#"lower(p.name COLLATE "C") = lower($1 COLLATE "C")"#;

fn from_row(r: &Row) -> Result<Person> {
    let left_on: Option<String> = r.try_get("left_on")?;
    Ok(Person {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        department: r.try_get("department")?,
        active: left_on.is_none(),
        left_on,
        asset_count: r.try_get("asset_count")?,
        seat_count: r.try_get("seat_count")?,
    })
}

/// A row of [`SELECT`], with its version.
fn versioned(r: &Row) -> Result<Versioned> {
    Ok(Versioned {
        person: from_row(r)?,
        version: r.try_get("version")?,
    })
}

/// Everyone, by name (ignoring ASCII case, as the file sorts them), as the file lists them: a
/// change to one reads them, with their version, by [`get_person`] or [`find_person`].
pub fn list_people(client: &mut impl GenericClient) -> Result<Vec<Person>> {
    client
        .query_typed(
            &format!(r#"{SELECT} ORDER BY lower(p.name COLLATE "C") COLLATE "C""#),
            &[],
        )?
        .iter()
        .map(from_row)
        .collect()
}

/// One person by id, with their version.
pub fn get_person(client: &mut impl GenericClient, id: i64) -> Result<Versioned> {
    let row = client.query_typed_opt(&format!("{SELECT} WHERE p.id = $1"), &[(&id, Type::INT8)])?;
    match row {
        Some(r) => versioned(&r),
        None => Err(register_core::Error::not_found("person", id).into()),
    }
}

/// One person by name, ignoring case and surrounding spaces, with their version.
pub fn find_person(client: &mut impl GenericClient, name: &str) -> Result<Option<Versioned>> {
    client
        .query_typed_opt(
            &format!("{SELECT} WHERE {SAME_NAME}"),
            &[(&name.trim(), Type::TEXT)],
        )?
        .map(|r| versioned(&r))
        .transpose()
}

/// Adds a person (version 1) and records their `created` event, as
/// `register_core::people::create_person` does in a file. A name already taken (ignoring case)
/// is refused, also when another client takes it at the same moment.
pub fn create_person(tx: &mut Tx<'_>, input: &PersonInput) -> Result<Versioned> {
    let v = check_person(input)?;
    if find_person(tx.client(), &v.name)?.is_some() {
        return Err(name_taken(&v.name).into());
    }
    let id = insert(tx, &v)?.ok_or_else(|| Error::from(name_taken(&v.name)))?;
    record_created(tx, id, &v)?;
    get_person(tx.client(), id)
}

/// Appends the `created` event of the person `id`, just inserted with the fields `v`: the event
/// that made their version 1.
pub(crate) fn record_created(tx: &mut Tx<'_>, id: i64, v: &ValidPerson) -> Result<()> {
    let event = person_event(id, &v.name, Action::Created, person_created(v), None);
    audit::record_versioned(tx, &event, Record::Person, 1)?;
    Ok(())
}

/// Inserts `v` (at version 1, the schema's trigger sets it); `None` when the name is taken (by
/// a save that committed after the check, or while this insert waited for it).
fn insert(tx: &mut Tx<'_>, v: &ValidPerson) -> Result<Option<i64>> {
    let row = tx.client().query_typed_opt(
        "INSERT INTO public.people (name, email, department, created_at)
         VALUES ($1, $2, $3, statement_timestamp())
         ON CONFLICT DO NOTHING
         RETURNING id",
        &[
            (&v.name, Type::TEXT),
            (&v.email, Type::TEXT),
            (&v.department, Type::TEXT),
        ],
    )?;
    Ok(row.map(|r| r.get("id")))
}

/// The person called `name` for an asset to be given to: (id, name as stored, and their fields
/// when this call created them, whose `created` event the caller appends). Refuses someone who
/// has left. A person found is locked `FOR SHARE` until the change commits, so they cannot be
/// marked as left under it; the lock waits for a leaving in flight and then reads its outcome.
pub(crate) fn get_or_create(
    tx: &mut Tx<'_>,
    name: &str,
) -> Result<(i64, String, Option<ValidPerson>)> {
    if let Some(p) = find_for_share(tx, name)? {
        check_can_hold(&p)?;
        return Ok((p.id, p.name, None));
    }
    let v = check_person(&PersonInput {
        name: name.to_string(),
        ..Default::default()
    })?;
    if let Some(id) = insert(tx, &v)? {
        return Ok((id, v.name.clone(), Some(v)));
    }
    // Another client added them after the look-up and has committed: theirs is the one.
    let p = find_for_share(tx, name)?.ok_or_else(|| Error::from(name_taken(&v.name)))?;
    check_can_hold(&p)?;
    Ok((p.id, p.name, None))
}

/// The person called `name` (ignoring case and surrounding spaces), locked `FOR SHARE` until the
/// change commits so they cannot be marked as left under it (the lock waits for a leaving in
/// flight, then reads its outcome). What they hold is not counted (0).
pub(crate) fn find_for_share(tx: &mut Tx<'_>, name: &str) -> Result<Option<Person>> {
    tx.client()
        .query_typed_opt(
            &format!(
                "SELECT p.id, p.name, p.email, p.department,
                        to_char(p.left_on, 'YYYY-MM-DD') AS left_on, 0::int8 AS asset_count,
                        0::int8 AS seat_count
                   FROM public.people p WHERE {SAME_NAME} FOR SHARE"
            ),
            &[(&name.trim(), Type::TEXT)],
        )?
        .map(|r| from_row(&r))
        .transpose()
}

/// Edits a person's name, e-mail and department, read at `read_version`, as
/// `register_core::people::update_person` does: only the fields that change are written and
/// recorded; an edit that changes nothing writes nothing and keeps the version. A name another
/// person has is refused; so is the edit, with [`Error::Conflict`], when the person has moved
/// on from `read_version`.
pub fn update_person(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    input: &PersonInput,
) -> Result<Versioned> {
    // A rename writes their assets (the names copied onto them): lock those first, then the
    // person, the order assignments take them in.
    tx.client().query_typed(
        "SELECT id FROM public.assets WHERE person_id = $1 ORDER BY id FOR UPDATE",
        &[(&id, Type::INT8)],
    )?;
    let current = lock_at(tx, id, read_version)?;
    let before = &current.person;
    let v = check_person(input)?;
    if let Some(other) = find_person(tx.client(), &v.name)? {
        if other.person.id != id {
            return Err(name_taken(&v.name).into());
        }
    }
    let changes = person_edited(before, &v);
    if changes.is_empty() {
        return Ok(current);
    }
    let version: i64 = tx
        .client()
        .query_typed_one(
            "UPDATE public.people SET name = $1, email = $2, department = $3 WHERE id = $4
             RETURNING version",
            &[
                (&v.name, Type::TEXT),
                (&v.email, Type::TEXT),
                (&v.department, Type::TEXT),
                (&id, Type::INT8),
            ],
        )
        .map_err(|e| taken_on_clash(e, &v.name))?
        .try_get("version")?;
    let event = person_event(id, &before.name, Action::Edited, changes, None);
    audit::record_versioned(tx, &event, Record::Person, version)?;
    get_person(tx.client(), id)
}

/// Marks a person, read at `read_version`, as left (today) or active again, as
/// `register_core::people::set_person_left` does. Leaving is refused while they still hold
/// assets or licence seats; marking them as they are already writes nothing. Refused with
/// [`Error::Conflict`] when the person has moved on from `read_version`.
pub fn set_person_left(
    tx: &mut Tx<'_>,
    id: i64,
    read_version: i64,
    left: bool,
    note: Option<&str>,
) -> Result<Versioned> {
    lock_at(tx, id, read_version)?;
    set_left_on(tx, id, left.then(register_core::today), note)
}

/// Marks the person `id` as left on `on`, or active again with `None`, by the core's rule
/// (`leaving`: refused while they hold anything; nothing written when they are so already),
/// with no version check: for a change that locked and checked them itself (finishing an
/// offboarding, which marks them as left on its leaving date, as the file's `set_left_on`).
pub(crate) fn set_left_on(
    tx: &mut Tx<'_>,
    id: i64,
    on: Option<chrono::NaiveDate>,
    note: Option<&str>,
) -> Result<Versioned> {
    let current = lock(tx, id)?;
    let before = &current.person;
    let Some((action, changes)) = leaving(before, on)? else {
        return Ok(current);
    };
    let version: i64 = tx
        .client()
        .query_typed_one(
            "UPDATE public.people SET left_on = $1::text::date WHERE id = $2 RETURNING version",
            &[(&on.map(format_date), Type::TEXT), (&id, Type::INT8)],
        )?
        .try_get("version")?;
    let event = person_event(id, &before.name, action, changes, note);
    audit::record_versioned(tx, &event, Record::Person, version)?;
    get_person(tx.client(), id)
}

/// Locks the person `id` for this change (see [`lock`]) and refuses the change, with who
/// changed what since, unless they are still at `read_version`.
fn lock_at(tx: &mut Tx<'_>, id: i64, read_version: i64) -> Result<Versioned> {
    let current = lock(tx, id)?;
    let p = &current.person;
    check_version(
        tx.client(),
        Record::Person,
        p.id,
        &p.name,
        current.version,
        read_version,
    )?;
    Ok(current)
}

/// Locks the person `id` against other changes to them and against being given assets
/// (`FOR NO KEY UPDATE`), then reads them: in a statement of its own, so what they hold is
/// counted after any assignment that held them has committed.
pub(crate) fn lock(tx: &mut Tx<'_>, id: i64) -> Result<Versioned> {
    let found = tx.client().query_typed_opt(
        "SELECT id FROM public.people WHERE id = $1 FOR NO KEY UPDATE",
        &[(&id, Type::INT8)],
    )?;
    if found.is_none() {
        return Err(register_core::Error::not_found("person", id).into());
    }
    get_person(tx.client(), id)
}

/// A name taken between the check and the write fails on the unique index: reported as the
/// check reports it.
fn taken_on_clash(e: postgres::Error, name: &str) -> Error {
    match e.as_db_error() {
        Some(db) if *db.code() == SqlState::UNIQUE_VIOLATION => name_taken(name).into(),
        _ => e.into(),
    }
}
