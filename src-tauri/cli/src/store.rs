//! Which register a command works on: a file, named by a path, or a team register on
//! PostgreSQL, named by a `postgresql://` (or `postgres://`) URL, from `--db` or
//! `$ASSET_REGISTER_DB`. Owns that choice and nothing else: the file's commands are in `main.rs`
//! and the per-group files, the team register's in `team/`, which only builds with the `team`
//! feature (on by default).

use std::path::PathBuf;

use register_core::{db, opening, Error, Result};

use crate::Command;

/// The register a command works on.
pub enum Store {
    /// A register file.
    File(PathBuf),
    /// A team register's connection URL, as given (it may hold a password: never print it).
    Team(String),
}

/// The register `--db` names, else `$ASSET_REGISTER_DB`, else the app's register file.
pub fn choose(db: Option<PathBuf>) -> Result<Store> {
    let given = db.or_else(|| {
        std::env::var_os(db::DB_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    });
    match given {
        Some(p) if p.to_str().is_some_and(opening::is_team_url) => Ok(Store::Team(
            p.to_str().expect("checked it is text").to_string(),
        )),
        Some(p) => Ok(Store::File(p)),
        None => Ok(Store::File(db::default_path()?)),
    }
}

/// Runs `command` (called `name` on the command line) on the team register at `url`.
#[cfg(feature = "team")]
pub fn run_on_team(url: &str, name: &str, command: Command) -> Result<()> {
    crate::team::run(url, name, command)
}

/// A build without the `team` feature has no team registers.
#[cfg(not(feature = "team"))]
pub fn run_on_team(_url: &str, _name: &str, _command: Command) -> Result<()> {
    Err(Error::Refused(
        "this build of asset-register-cli has no team registers (it was built without the \
         `team` feature); give a register file's path"
            .to_string(),
    ))
}

/// The refusal for a `team` command given a register file.
pub fn needs_team(name: &str) -> Error {
    Error::Refused(format!(
        "`{name}` works on a team register: give its owner's URL with --db postgresql://…"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(db: &str) -> String {
        match choose(Some(PathBuf::from(db))).unwrap() {
            Store::File(p) => format!("file {}", p.display()),
            Store::Team(url) => format!("team {url}"),
        }
    }

    #[test]
    fn a_postgresql_url_is_a_team_register_and_anything_else_a_file() {
        for url in [
            "postgresql://alice@db.example.org/register?sslrootcert=ca.crt",
            "postgres://alice@db.example.org/register",
            "postgresql:///register?host=/var/run/postgresql",
        ] {
            assert_eq!(chosen(url), format!("team {url}"));
        }
        for path in [
            "register.db",
            "/home/alice/postgresql://x.db",
            "postgresql:register.db",
            "./postgresql://x",
        ] {
            assert_eq!(chosen(path), format!("file {path}"));
        }
    }
}
