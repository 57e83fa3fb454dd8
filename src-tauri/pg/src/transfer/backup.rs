//! A team register's backup: exported to a register file in a private temporary folder beside
//! the backup, then backed up by the core, so it is the file's one-file format and
//! `register_core::backup::check_backup` and `restore_backup` take it as they take any backup.

use std::path::Path;

use postgres::Client;
use register_core::backup::{write_backup, Manifest};
use register_core::documents::DocumentStore;
use register_core::Db;

use super::export::export_to_file;
use crate::error::Result;

/// Backs up the team register behind `client` into the one file `out` (see the module's doc).
/// Needs a login that reads the audit trail, as [`export_to_file`] does.
pub fn backup_to(client: &mut Client, out: &Path) -> Result<Manifest> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = register_core::files::private_dir_in(parent, ".team-backup")?;
    let result = (|| {
        let path = dir.join("register.db");
        export_to_file(client, &path)?;
        let db = Db::open(&path)?;
        Ok(write_backup(&db, &DocumentStore::for_register(&path), out)?)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
