//! Which register the app opens: the one `$ASSET_REGISTER_DB` names, else the one last chosen
//! in the window (Settings → Open another register…), remembered in
//! `<data dir>/org.assetregister.app/open-register.json`, else the default register file. A
//! register is a file's path or a team register's `postgresql://` URL; a URL is remembered
//! without a password (the caller refuses one: passwords belong in the system keychain).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::db::{default_path, APP_ID, DB_ENV};
use crate::error::{Error, Result};

/// A register to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Register {
    /// A register file.
    File(PathBuf),
    /// A team register's connection URL.
    Team(String),
}

/// Where the register to open came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `$ASSET_REGISTER_DB`: the window cannot choose another (it would be overridden).
    Environment,
    /// Chosen in the window earlier.
    Remembered,
    /// Nothing chosen: the default register file.
    Default,
}

/// What `open-register.json` holds.
#[derive(Serialize, Deserialize)]
struct Remembered {
    register: String,
}

/// Whether `register` is a team register's URL (`postgresql://` or `postgres://`) rather than
/// a file's path.
pub fn is_team_url(register: &str) -> bool {
    register.starts_with("postgresql://") || register.starts_with("postgres://")
}

impl Register {
    /// A path or a URL, as typed or stored.
    pub fn parse(register: &str) -> Register {
        if is_team_url(register) {
            Register::Team(register.to_string())
        } else {
            Register::File(PathBuf::from(register))
        }
    }

    /// The path or URL as text.
    pub fn as_text(&self) -> String {
        match self {
            Register::File(p) => p.display().to_string(),
            Register::Team(url) => url.clone(),
        }
    }
}

/// The register the app opens at start, and where that came from.
pub fn at_start() -> Result<(Register, Origin)> {
    if let Some(given) = std::env::var_os(DB_ENV).filter(|v| !v.is_empty()) {
        let given = given.to_string_lossy().into_owned();
        return Ok((Register::parse(&given), Origin::Environment));
    }
    if let Some(register) = remembered(&choice_file()?) {
        return Ok((register, Origin::Remembered));
    }
    Ok((Register::File(default_path()?), Origin::Default))
}

/// Remembers `register` as the one the app opens from now on.
pub fn remember(register: &Register) -> Result<()> {
    remember_in(&choice_file()?, register)
}

/// `<data dir>/org.assetregister.app/open-register.json`.
fn choice_file() -> Result<PathBuf> {
    let base = dirs::data_dir()
        .ok_or_else(|| Error::Internal("the OS data folder is unknown (is HOME set?)".into()))?;
    Ok(base.join(APP_ID).join("open-register.json"))
}

/// The register remembered in `file`; none when there is no file or it cannot be read (the
/// default register opens, and the window can choose again).
fn remembered(file: &Path) -> Option<Register> {
    let text = std::fs::read_to_string(file).ok()?;
    let r: Remembered = serde_json::from_str(&text).ok()?;
    (!r.register.trim().is_empty()).then(|| Register::parse(r.register.trim()))
}

fn remember_in(file: &Path, register: &Register) -> Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(&Remembered {
        register: register.as_text(),
    })?;
    crate::files::write_atomically(file, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_a_team_register_and_anything_else_a_file() {
        for url in [
            "postgresql://alice@db.example.org/register?sslrootcert=ca.crt",
            "postgres://alice@db.example.org/register",
            "postgresql:///register?host=/var/run/postgresql",
        ] {
            assert_eq!(Register::parse(url), Register::Team(url.into()));
        }
        for path in [
            "register.db",
            "/home/a/postgresql://x.db",
            "./postgresql://x",
        ] {
            assert_eq!(Register::parse(path), Register::File(path.into()));
        }
    }

    #[test]
    fn a_choice_is_remembered_and_a_damaged_file_is_no_choice() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("deeper/open-register.json");
        assert_eq!(remembered(&file), None);
        let team = Register::Team("postgresql://alice@/register?host=/run/postgresql".into());
        remember_in(&file, &team).unwrap();
        assert_eq!(remembered(&file), Some(team));
        let other = Register::File(dir.path().join("other register.db"));
        remember_in(&file, &other).unwrap();
        assert_eq!(remembered(&file), Some(other));
        std::fs::write(&file, "{not json").unwrap();
        assert_eq!(remembered(&file), None);
        std::fs::write(&file, r#"{"register": "  "}"#).unwrap();
        assert_eq!(remembered(&file), None);
    }
}
