//! The CLI's `person` commands on a register file: add a person, edit one, mark one as left or
//! active again, each one core function in one audited write. Also owns the flags' meaning
//! (what `edit` keeps and clears) and the sentences printed, which the team register's
//! counterparts (`team/people.rs`) share.

use std::io::Write;

use clap::Subcommand;
use register_core::people::{self, Person, PersonInput};
use register_core::{Db, Error, Result, Source};

/// People: add, edit, mark as left or active again.
#[derive(Subcommand)]
pub enum PersonCommand {
    /// Add a person.
    Add {
        /// Their full name (unique, ignoring case).
        name: String,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Department or team.
        #[arg(long)]
        department: Option<String>,
    },
    /// Change a person's name, e-mail or department ("" clears the last two).
    Edit {
        /// Their name now.
        name: String,
        /// A new name.
        #[arg(long = "name", id = "new_name", value_name = "NEW_NAME")]
        new_name: Option<String>,
        /// A new e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// A new department.
        #[arg(long)]
        department: Option<String>,
    },
    /// Mark a person as left today (refused while they hold assets).
    Leave {
        /// Their name.
        name: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Mark a person who had left as active again.
    Rejoin {
        /// Their name.
        name: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
}

/// Runs a `person` command on a register file.
pub fn run(db: &Db, command: PersonCommand) -> Result<()> {
    let find = |name: &str| -> Result<Person> {
        db.read(|c| people::find_person(c, name))?
            .ok_or_else(|| Error::not_found("person", name.trim()))
    };
    let said = match command {
        PersonCommand::Add {
            name,
            email,
            department,
        } => {
            let input = new_person(name, email, department);
            let p = db.write(Source::Cli, |tx| people::create_person(tx, &input))?;
            added(&p)
        }
        PersonCommand::Edit {
            name,
            new_name,
            email,
            department,
        } => {
            let before = find(&name)?;
            let input = edited(&before, new_name, email, department);
            let after = db.write(Source::Cli, |tx| {
                people::update_person(tx, before.id, &input)
            })?;
            updated(&before, &after)
        }
        PersonCommand::Leave { name, note } => {
            let p = find(&name)?;
            let p = db.write(Source::Cli, |tx| {
                people::set_person_left(tx, p.id, true, note.as_deref())
            })?;
            left(&p)
        }
        PersonCommand::Rejoin { name, note } => {
            let p = find(&name)?;
            let p = db.write(Source::Cli, |tx| {
                people::set_person_left(tx, p.id, false, note.as_deref())
            })?;
            left(&p)
        }
    };
    writeln!(std::io::stdout(), "{said}")?;
    Ok(())
}

/// What `person add` asks for.
pub fn new_person(name: String, email: Option<String>, department: Option<String>) -> PersonInput {
    PersonInput {
        name,
        email: email.unwrap_or_default(),
        department: department.unwrap_or_default(),
    }
}

/// `before` with the fields `person edit` was given; the others kept.
pub fn edited(
    before: &Person,
    name: Option<String>,
    email: Option<String>,
    department: Option<String>,
) -> PersonInput {
    PersonInput {
        name: name.unwrap_or_else(|| before.name.clone()),
        email: email.unwrap_or_else(|| before.email.clone().unwrap_or_default()),
        department: department.unwrap_or_else(|| before.department.clone().unwrap_or_default()),
    }
}

/// The line `person add` prints.
pub fn added(p: &Person) -> String {
    format!("Added {}", p.name)
}

/// The line `person edit` prints.
pub fn updated(before: &Person, after: &Person) -> String {
    if before == after {
        format!("{}: nothing changed", after.name)
    } else {
        format!("Updated {}", after.name)
    }
}

/// The line `person leave` and `person rejoin` print: where the person stands now.
pub fn left(p: &Person) -> String {
    match &p.left_on {
        Some(on) => format!("{} has left ({on})", p.name),
        None => format!("{} is active", p.name),
    }
}
