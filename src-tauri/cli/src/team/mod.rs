//! The CLI's commands on a team register (PostgreSQL, through `register_pg`): which commands
//! work there so far, each sent to its file here, and the refusal for every other one, given
//! before anything is sent to the server. Each command says and prints what its file
//! counterpart does, so a script reads both the same.

mod admin;
mod assets;
mod categories;
mod disposals;
mod documents;
mod imports;
mod licences;
mod offboarding;
mod open;
mod people;
mod purchase;
mod stocktake;
mod trail;
mod transfer;

use std::fmt::Display;
use std::io::Write;

use register_core::{Error, Result, Source};
use register_pg::Client;

use crate::files::FileCommand;
use crate::{Command, TeamCommand};

/// Runs `command` (called `name` on the command line) on the team register at `url`.
pub fn run(url: &str, name: &str, command: Command) -> Result<()> {
    match command {
        Command::Team(TeamCommand::MoveIn { from, note }) => {
            transfer::move_in(url, &from, note.as_deref())
        }
        Command::Team(TeamCommand::Export { to }) => transfer::export(url, &to),
        Command::Team(t) => admin::run(url, t),
        Command::Files(FileCommand::Backup { out }) => transfer::backup(url, &out),
        Command::Init
        | Command::List { .. }
        | Command::Show { .. }
        | Command::Add(_)
        | Command::Edit(_)
        | Command::Status { .. }
        | Command::Archive { .. }
        | Command::Unarchive { .. }
        | Command::Assign { .. }
        | Command::Return { .. }
        | Command::Move { .. } => assets::run(&mut open::open(url)?, url, command),
        Command::People { .. }
        | Command::Person(_)
        | Command::Locations { .. }
        | Command::Categories { .. } => people::run(&mut open::open(url)?, command),
        Command::Verify { .. } | Command::History { .. } => {
            trail::run(&mut open::open(url)?, command)
        }
        ref c if categories::works_on_team(c) => categories::run(&mut open::open(url)?, command),
        Command::Files(f) if documents::works_on_team(&f) => {
            documents::run(&mut open::open(url)?, f)
        }
        Command::Transfer(t) if imports::works_on_team(&t) => {
            imports::run(&mut open::open(url)?, t)
        }
        Command::Licences(l) if licences::works_on_team(&l) => {
            licences::run(&mut open::open(url)?, l)
        }
        Command::Lifecycle(l) if offboarding::works_on_team(&l) => {
            offboarding::run(&mut open::open(url)?, l)
        }
        Command::Lifecycle(crate::lifecycle::LifecycleCommand::Offboard { .. }) => {
            Err(Error::Refused(offboarding::NO_PDF.to_string()))
        }
        Command::Purchase(p) => purchase::run(&mut open::open(url)?, p),
        Command::Evidence(e) if disposals::works_on_team(&e) => {
            disposals::run(&mut open::open(url)?, e)
        }
        Command::Stocktake(s) if stocktake::works_on_team(&s) => {
            stocktake::run(&mut open::open(url)?, s)
        }
        _ => Err(Error::Refused(format!(
            "`{name}` works on a register file only so far, not on a team register; nothing \
             was changed"
        ))),
    }
}

/// A team-register result as the CLI reports it: the core's errors as they are (so a field's
/// flag is named, as for a file), the server's in `register_pg`'s words (which say a database
/// error's cause).
trait Pg<T> {
    fn pg(self) -> Result<T>;
}

impl<T> Pg<T> for register_pg::Result<T> {
    fn pg(self) -> Result<T> {
        self.map_err(|e| match e {
            register_pg::Error::Core(core) => core,
            other => Error::Refused(other.to_string()),
        })
    }
}

/// One audited change on the server, made as the CLI (`source` cli in its events).
fn write<T>(
    c: &mut Client,
    f: impl FnOnce(&mut register_pg::Tx<'_>) -> register_pg::Result<T>,
) -> Result<T> {
    register_pg::write(c, Source::Cli, f).pg()
}

/// Prints one line (a closed stdout comes back as an error, as `say!` does for the file).
fn say(line: impl Display) -> Result<()> {
    writeln!(std::io::stdout(), "{line}")?;
    Ok(())
}
