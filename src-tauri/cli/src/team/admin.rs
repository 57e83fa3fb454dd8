//! The `team` commands, run with the database owner's URL: `team setup` (the schema and the
//! three group roles, `register_pg::admin::setup`) and `team grant` (a login's role and the
//! person it is tied to, `register_pg::logins::grant`). Creating a login and its password stays
//! with the server's administrator (`createuser --pwprompt`): no password passes through here.

use register_core::{Result, Source};
use register_pg::admin::{self, Role, Roles};
use register_pg::{logins, schema};

use super::{open, say, Pg};
use crate::TeamCommand;

/// Runs a `team` command on the database at `url`, connected as its owner.
pub fn run(url: &str, command: TeamCommand) -> Result<()> {
    match command {
        TeamCommand::Setup { prefix } => {
            let roles = Roles::new(&prefix).pg()?;
            let mut owner = open::connect(url)?;
            admin::setup(&mut owner, &roles).pg()?;
            let names = Role::ALL.map(|r| roles.name(r)).join(", ");
            say(format!(
                "Team register set up (schema version {}); roles: {names}. Give each login \
                 one with `team grant`.",
                schema::VERSION
            ))
        }
        TeamCommand::Grant {
            login,
            role,
            person,
            prefix,
        } => {
            let roles = Roles::new(&prefix).pg()?;
            let role = Role::parse(&role).pg()?;
            let mut owner = open::connect(url)?;
            let tie = logins::grant(
                &mut owner,
                &roles,
                &login,
                role,
                person.as_deref(),
                Source::Cli,
            )
            .pg()?;
            let whose = match tie {
                Some(t) => format!("signs in as {}", t.person),
                None => "is tied to no person yet (the history names the login only)".to_string(),
            };
            say(format!(
                "{login} is now {} {} ({}) and {whose}",
                if role == Role::Viewer { "a" } else { "an" },
                role.as_str(),
                roles.name(role)
            ))
        }
        TeamCommand::MoveIn { .. } | TeamCommand::Export { .. } => {
            unreachable!("run by team::transfer")
        }
    }
}
