//! Which person in the register signs in with which login (migration 0005's `logins`), so that
//! the login each event records as its actor names a person. Owns tying a login to a person
//! (with the owner's connection, in one transaction with the role's grant and the tie's event)
//! and reading the ties back.
//!
//! The tie's event uses the core's vocabulary as it is, so the hash's definition is unchanged:
//! the person `edited`, field `login`, from nothing to the login's name. A tie is never moved
//! or undone (the table's trigger refuses it): the events a login wrote keep naming the person
//! who wrote them. Someone who needs another login gets a new one tied to them.

use postgres::types::Type;
use postgres::{Client, GenericClient};
use register_core::audit::{Action, Change, Source};
use register_core::people::{person_event, Person};

use crate::admin::{grant_login_in, Role, Roles};
use crate::db::{write, Tx};
use crate::error::{Error, Result};
use crate::{audit, people, schema};

/// A login and the person it is tied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The PostgreSQL login.
    pub login: String,
    /// The person's id.
    pub person_id: i64,
    /// The person's name now.
    pub person: String,
}

/// Gives `login` the role `role` (taking the other two, as `admin::grant_login` does) and, with
/// `person`, ties it to the person of that name, recording the tie as an event of theirs: all
/// in one transaction, run as the database's owner. Refused, changing nothing, when the login
/// does not exist, the person does not or has left, or the login is tied to someone else.
/// Returns the login's tie after the grant (`None` when it has none).
pub fn grant(
    owner: &mut Client,
    roles: &Roles,
    login: &str,
    role: Role,
    person: Option<&str>,
    source: Source,
) -> Result<Option<Tie>> {
    write(owner, source, |tx| {
        schema::check(tx.client())?;
        grant_login_in(tx.client(), roles, login, role)?;
        if let Some(name) = person {
            tie(tx, login, name)?;
        }
        tie_of(tx.client(), login)
    })
}

/// Ties `login` to the person called `name`, with the event; nothing when it already is.
fn tie(tx: &mut Tx<'_>, login: &str, name: &str) -> Result<()> {
    // Locked FOR SHARE: they cannot be marked as left until this commits.
    let p: Person = people::find_for_share(tx, name)?.ok_or_else(|| {
        Error::Refused(format!(
            "there is no person called {} in this register; add them first (`person add`), \
             then tie the login to them",
            name.trim()
        ))
    })?;
    if let Some(on) = &p.left_on {
        return Err(Error::Refused(format!(
            "{} left on {on}; a login cannot be tied to someone who has left",
            p.name
        )));
    }
    if let Some(t) = tie_of(tx.client(), login)? {
        if t.person_id == p.id {
            return Ok(());
        }
        return Err(Error::Refused(format!(
            "{login} is tied to {} already, and a login stays with its person so that the \
             history keeps naming who wrote it; give {} a login of their own",
            t.person, p.name
        )));
    }
    tx.client().query_typed(
        "INSERT INTO public.logins (login, person_id, tied_at)
         VALUES ($1, $2, statement_timestamp())",
        &[(&login, Type::TEXT), (&p.id, Type::INT8)],
    )?;
    let changes = vec![Change::new("login", None, Some(login.to_string()))];
    audit::record(
        tx,
        &person_event(p.id, &p.name, Action::Edited, changes, None),
    )?;
    Ok(())
}

/// The person `login` is tied to, if any.
pub fn tie_of(client: &mut impl GenericClient, login: &str) -> Result<Option<Tie>> {
    client
        .query_typed_opt(
            &format!("{SELECT} WHERE l.login = $1"),
            &[(&login, Type::TEXT)],
        )?
        .map(|r| from_row(&r))
        .transpose()
}

/// Every tie, by login: what a history needs to name the person beside each event's actor.
pub fn list_ties(client: &mut impl GenericClient) -> Result<Vec<Tie>> {
    client
        .query_typed(&format!("{SELECT} ORDER BY l.login"), &[])?
        .iter()
        .map(from_row)
        .collect()
}

const SELECT: &str = "SELECT l.login, l.person_id, p.name
    FROM public.logins l JOIN public.people p ON p.id = l.person_id";

fn from_row(r: &postgres::Row) -> Result<Tie> {
    Ok(Tie {
        login: r.try_get("login")?,
        person_id: r.try_get("person_id")?,
        person: r.try_get("name")?,
    })
}
