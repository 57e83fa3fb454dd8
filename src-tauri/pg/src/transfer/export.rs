//! Exporting a team register to a new register file: every row with its id, every document's
//! bytes into the file's document store, and every event copied as stored, read from one
//! snapshot of the server; then the file is verified and must end at the server's head. Owns
//! the refusals (an existing path, a login that cannot read the trail) and cleaning up a file
//! it could not finish.

use std::path::Path;

use postgres::Client;
use register_core::audit::{self as core_audit, Source, StoredRow};
use register_core::documents::{verify_documents, DocumentStore};
use register_core::Db;

use super::tables::{Rows, TABLES};
use super::Counts;
use crate::audit;
use crate::error::{Error, Result};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// How many of each kind of record the file holds.
    pub counts: Counts,
    /// The chain head the file verifies to, the server's: (event count, last hash).
    pub head: (i64, String),
}

/// Everything read from the server in one snapshot.
struct FromServer {
    rows: Vec<Rows>,
    events: Vec<StoredRow>,
    contents: Vec<Vec<u8>>,
    /// The settings, key and value.
    settings: Vec<(String, String)>,
}

/// Writes the team register behind `client` to a new register file at `path` (refused if
/// anything is there already), with its documents beside it in the file's document store.
/// Needs a login that reads the audit trail: an editor's or an auditor's.
pub fn export_to_file(client: &mut Client, path: &Path) -> Result<Exported> {
    if path.exists() {
        return Err(Error::Refused(format!(
            "{} already exists; export writes a new register file",
            path.display()
        )));
    }
    let server = read_server(client, true)?;
    let written = write_file(path, &server, true);
    if written.is_err() {
        remove_register(path);
    }
    written
}

/// A local copy of the team register at `path` (a new file) for reading what only the file
/// store reads so far: reports, labels, exports, the budget. Written as [`export_to_file`]
/// writes, from one snapshot, but without the documents' bytes unless `documents` (their rows
/// are always there, which is all a report lists) and without the check after writing: the
/// reads that print the chain's check (the reports) run it on the copy, which holds the
/// events exactly as the server stores them. Its head is the server's at that snapshot.
pub fn copy_for_reading(client: &mut Client, path: &Path, documents: bool) -> Result<Exported> {
    if path.exists() {
        return Err(Error::Refused(format!(
            "{} already exists; a copy is written to a new file",
            path.display()
        )));
    }
    let server = read_server(client, documents)?;
    let written = write_file(path, &server, false);
    if written.is_err() {
        remove_register(path);
    }
    written
}

/// Everything the file needs, read in one snapshot; the documents' bytes only with `contents`.
fn read_server(client: &mut Client, contents: bool) -> Result<FromServer> {
    crate::read(client, |tx| {
        let readable: bool = tx
            .query_one(
                "SELECT has_table_privilege('public.audit_log', 'SELECT')",
                &[],
            )?
            .get(0);
        if !readable {
            return Err(Error::Refused(
                "this login cannot read the audit trail (a viewer's), so it cannot export the \
                 register with its history; use an editor's or an auditor's login"
                    .to_string(),
            ));
        }
        let rows = TABLES
            .iter()
            .map(|t| t.read_server(tx))
            .collect::<Result<Vec<_>>>()?;
        let mut events = Vec::new();
        audit::for_each_stored(tx, |ev| events.push(ev.row))?;
        let contents = if contents {
            tx.query(
                "SELECT bytes FROM public.document_content ORDER BY sha256",
                &[],
            )?
            .iter()
            .map(|r| r.try_get("bytes"))
            .collect::<std::result::Result<Vec<Vec<u8>>, _>>()?
        } else {
            Vec::new()
        };
        let settings = tx
            .query("SELECT key, value FROM public.settings ORDER BY key", &[])?
            .iter()
            .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
            .collect::<Result<Vec<(String, String)>>>()?;
        Ok(FromServer {
            rows,
            events,
            contents,
            settings,
        })
    })
}

/// Writes the new file from what the server held, then (with `check`) verifies it.
fn write_file(path: &Path, server: &FromServer, check: bool) -> Result<Exported> {
    let db = Db::open(path)?;
    let store = DocumentStore::for_register(path);
    // The bytes are in the store before any row names them.
    for bytes in &server.contents {
        store.store_bytes(bytes)?;
    }
    db.write(Source::System, |tx| {
        for (table, rows) in TABLES.iter().zip(&server.rows) {
            table.write_file(tx.conn(), rows)?;
        }
        // The settings as the server has them (their changes are among the events); those
        // still at a new register's defaults are there already.
        for (key, value) in &server.settings {
            tx.conn().execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value
                 WHERE value IS NOT excluded.value",
                [key, value],
            )?;
        }
        for row in &server.events {
            core_audit::copy_stored(tx, row)?;
        }
        Ok(())
    })?;
    let head = server
        .events
        .last()
        .map_or((0, core_audit::GENESIS.to_string()), |e| {
            (e.id, e.hash.clone())
        });
    if !check {
        return Ok(Exported {
            counts: Counts::of(&server.rows, server.events.len()),
            head,
        });
    }
    let (verification, problems) =
        db.read(|conn| Ok((core_audit::verify(conn)?, verify_documents(conn, &store)?)))?;
    if !verification.ok
        || (verification.event_count, &verification.head_hash) != (head.0, &head.1)
        || !problems.is_empty()
    {
        return Err(Error::Refused(format!(
            "the exported file does not verify to the server's head (event {}, {}): {}{} \
             document problem(s)",
            head.0,
            head.1,
            verification.describe(),
            problems.len()
        )));
    }
    Ok(Exported {
        counts: Counts::of(&server.rows, server.events.len()),
        head,
    })
}

/// Removes a register file this export began and could not finish, with its documents.
fn remove_register(path: &Path) {
    let store = DocumentStore::for_register(path);
    let _ = std::fs::remove_dir_all(store.dir());
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
