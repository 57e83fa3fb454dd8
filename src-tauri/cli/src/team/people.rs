//! People, locations and categories on a team register: `people`, `person add|edit|leave|
//! rejoin`, `locations` and `categories`, each one `register_pg` call, printing what the file's
//! commands print (`crate::people` owns the flags' meaning and the sentences).

use register_core::names::Kind;
use register_core::{Error, Result};
use register_pg::{names, people, Client};

use super::{say, write, Pg};
use crate::people::{added, edited, left, new_person, updated, PersonCommand};
use crate::{print_named, print_people, Command};

/// Runs a people, locations or categories command on the connected team register.
pub fn run(c: &mut Client, command: Command) -> Result<()> {
    match command {
        Command::People { json } => print_people(&people::list_people(c).pg()?, json),
        Command::Locations { json } => print_named(&names::list(c, Kind::Location).pg()?, json),
        Command::Categories { json } => print_named(&names::list(c, Kind::Category).pg()?, json),
        Command::Person(p) => person(c, p),
        _ => Err(Error::Internal("not a people command".to_string())),
    }
}

fn person(c: &mut Client, command: PersonCommand) -> Result<()> {
    // A change carries the version the person was read at: a change made in between by
    // someone else refuses it, naming them.
    let find = |c: &mut Client, name: &str| -> Result<people::Versioned> {
        people::find_person(c, name)
            .pg()?
            .ok_or_else(|| Error::not_found("person", name.trim()))
    };
    let said = match command {
        PersonCommand::Add {
            name,
            email,
            department,
        } => {
            let input = new_person(name, email, department);
            added(&write(c, |tx| people::create_person(tx, &input))?.person)
        }
        PersonCommand::Edit {
            name,
            new_name,
            email,
            department,
        } => {
            let read = find(c, &name)?;
            let before = &read.person;
            let input = edited(before, new_name, email, department);
            let after = write(c, |tx| {
                people::update_person(tx, before.id, read.version, &input)
            })?;
            updated(before, &after.person)
        }
        PersonCommand::Leave { name, note } => {
            let p = find(c, &name)?;
            left(
                &write(c, |tx| {
                    people::set_person_left(tx, p.person.id, p.version, true, note.as_deref())
                })?
                .person,
            )
        }
        PersonCommand::Rejoin { name, note } => {
            let p = find(c, &name)?;
            left(
                &write(c, |tx| {
                    people::set_person_left(tx, p.person.id, p.version, false, note.as_deref())
                })?
                .person,
            )
        }
    };
    say(said)
}
