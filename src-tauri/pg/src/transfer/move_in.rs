//! Moving a file register into an empty team register: the file checked (its chain and its
//! documents), then every row and
//! every event copied as stored in one transaction, one event recording the move appended, and
//! the server's chain checked before the commit. Owns the refusals and the move's event.

use postgres::types::Type;
use postgres::Client;
use register_core::audit::{
    self as core_audit, Action, Change, Entity, NewEvent, Source, StoredRow,
};
use register_core::documents::{verify_documents, DocumentStore};
use register_core::Db;

use super::tables::{Rows, AFTER_EVENTS, NUMBERED, TABLES};
use super::Counts;
use crate::error::{Error, Result};
use crate::{audit, documents};

/// What a move copied, and the heads it joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// How many of each kind of record were copied (the move's own event not counted).
    pub counts: Counts,
    /// The file's chain head: (event count, last hash).
    pub file_head: (i64, String),
    /// The server's chain head after the move: the file's events and the move's.
    pub server_head: (i64, String),
}

/// Everything read from the file in one read.
struct FromFile {
    rows: Vec<Rows>,
    /// The rows of `AFTER_EVENTS`' tables.
    later: Vec<Rows>,
    events: Vec<StoredRow>,
    /// Each distinct document content: (SHA-256, its bytes, re-hashed on reading).
    contents: Vec<(String, Vec<u8>)>,
    /// The settings, key and value (the organisation, the currency, the plan's inflation).
    settings: Vec<(String, String)>,
    head: (i64, String),
}

/// Moves the file register `db` (its documents in `store`) into the team register behind
/// `owner`, a connection as the database's owner on a register already set up
/// (`admin::setup`) and still empty. Nothing is copied unless everything is: see the module's
/// doc. `note` goes on the move's event.
pub fn move_in(
    db: &Db,
    store: &DocumentStore,
    owner: &mut Client,
    note: Option<&str>,
) -> Result<Moved> {
    let file = read_file(db, store)?;
    let file_count = file.head.0;
    let head_changes = vec![
        Change::new("events", None, Some(file_count.to_string())),
        Change::new("head_hash", None, Some(file.head.1.clone())),
    ];
    let ev = NewEvent {
        action: Action::MovedToServer,
        entity: Entity::Register,
        entity_id: None,
        asset_id: None,
        label: "register",
        changes: head_changes,
        note,
    };
    crate::write(owner, Source::System, |tx| {
        refuse_unless_empty(tx.client())?;
        for (table, rows) in TABLES.iter().zip(&file.rows) {
            if table.name == "documents" {
                // The bytes go in before the rows that name them.
                for (sha256, bytes) in &file.contents {
                    tx.client().query_typed(
                        "INSERT INTO public.document_content (sha256, size, bytes)
                         VALUES ($1, $2, $3)",
                        &[
                            (sha256, Type::TEXT),
                            (&(bytes.len() as i64), Type::INT8),
                            (bytes, Type::BYTEA),
                        ],
                    )?;
                }
            }
            table.write_server(tx.client(), rows)?;
        }
        // The settings as the file has them, over the new register's defaults (their changes
        // are among the events copied below).
        for (key, value) in &file.settings {
            tx.client().query_typed(
                "INSERT INTO public.settings (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                 WHERE settings.value IS DISTINCT FROM EXCLUDED.value",
                &[(key, Type::TEXT), (value, Type::TEXT)],
            )?;
        }
        for name in NUMBERED {
            tx.client().batch_execute(&format!(
                "SELECT setval(pg_get_serial_sequence('public.{name}', 'id'), max(id))
                   FROM public.{name} HAVING max(id) IS NOT NULL"
            ))?;
        }
        // Copied events carry no row versions (NULL in 0003/0006/0007's columns): the rows
        // start at version 1, and a conflict on them names their latest event instead. They go
        // in 2,000 to a statement, the head moved once per statement (0011's batch mode): one
        // by one, a 100k-asset register's 133k events took minutes.
        tx.client()
            .batch_execute("SET LOCAL register.batch_append = 'on'")?;
        audit::copy_stored_all(tx, &file.events)?;
        for (table, rows) in AFTER_EVENTS.iter().zip(&file.later) {
            table.write_server(tx.client(), rows)?;
        }
        let id = audit::record(tx, &ev)?;
        // The chain and documents as they will be committed: the file's events, then the move.
        let check = audit::verify_chain(tx.client())?;
        let prev: String = tx
            .client()
            .query_typed_one(
                "SELECT prev_hash FROM public.audit_log WHERE id = $1",
                &[(&id, Type::INT8)],
            )?
            .try_get("prev_hash")?;
        if check.first_bad_event.is_some()
            || check.event_count != file_count + 1
            || id != file_count + 1
            || prev != file.head.1
        {
            return Err(Error::Refused(format!(
                "after copying, the server's chain does not continue the file's ({} events, \
                 head {}); nothing was copied",
                check.event_count, check.head_hash
            )));
        }
        let problems = documents::verify_documents(tx.client())?;
        if !problems.is_empty() {
            return Err(Error::Refused(format!(
                "{} document(s) did not arrive intact; nothing was copied",
                problems.len()
            )));
        }
        Ok(())
    })?;
    let server_head = audit::head(owner)?;
    Ok(Moved {
        counts: Counts::of(&file.rows, &file.later, file.events.len()),
        file_head: file.head,
        server_head,
    })
}

/// Reads the whole file register, after checking that its chain and documents verify.
fn read_file(db: &Db, store: &DocumentStore) -> Result<FromFile> {
    let file = db.read(|conn| {
        // One snapshot of the file (read-only, rolled back at the end): the app may be writing
        // to it meanwhile, and the rows, events and head read must be of one moment.
        let snapshot = conn.unchecked_transaction()?;
        let verification = core_audit::verify(conn)?;
        core_audit::ensure_ok(&verification).map_err(|e| {
            register_core::Error::Refused(format!(
                "{e}This register does not verify; nothing was copied"
            ))
        })?;
        let problems = verify_documents(conn, store)?;
        if let Some(p) = problems.first() {
            return Err(register_core::Error::Refused(format!(
                "{} document(s) of this register are missing or changed ({}: {}); run verify; \
                 nothing was copied",
                problems.len(),
                p.name,
                p.problem
            )));
        }
        let rows = TABLES
            .iter()
            .map(|t| t.read_file(conn))
            .collect::<register_core::Result<Vec<_>>>()?;
        let later = AFTER_EVENTS
            .iter()
            .map(|t| t.read_file(conn))
            .collect::<register_core::Result<Vec<_>>>()?;
        let mut events = Vec::new();
        core_audit::for_each_stored(conn, |r| {
            events.push(r);
            Ok(())
        })?;
        let docs = TABLES
            .iter()
            .position(|t| t.name == "documents")
            .expect("documents move");
        let (sha, size) = (
            TABLES[docs].index_of("sha256"),
            TABLES[docs].index_of("size"),
        );
        let mut contents: Vec<(String, Vec<u8>)> = Vec::new();
        for row in &rows[docs] {
            let (Some(sha256), Some(size)) = (row[sha].text(), row[size].int()) else {
                continue;
            };
            if contents.iter().all(|(s, _)| s != sha256) {
                contents.push((sha256.to_string(), store.read_verified(sha256, size)?));
            }
        }
        let settings = conn
            .prepare("SELECT key, value FROM settings ORDER BY key")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        snapshot.rollback()?;
        Ok(FromFile {
            rows,
            later,
            events,
            contents,
            settings,
            head: (verification.event_count, verification.head_hash),
        })
    })?;
    Ok(file)
}

/// Refuses a team register that already holds an event or a row. Locks the chain head first,
/// as every writer's first event does, so no change lands between this check and the copy (a
/// second move waits here, then finds the first one's events).
fn refuse_unless_empty(client: &mut impl postgres::GenericClient) -> Result<()> {
    let seq: i64 = client
        .query_one("SELECT seq FROM public.chain_head FOR UPDATE", &[])?
        .get("seq");
    let mut tables: Vec<&str> = TABLES.iter().chain(AFTER_EVENTS).map(|t| t.name).collect();
    tables.extend(["document_content", "logins"]);
    let mut held = Vec::new();
    for table in tables {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM public.{table}"), &[])?
            .get(0);
        if n > 0 {
            held.push(format!("{n} in {table}"));
        }
    }
    if seq > 0 || !held.is_empty() {
        return Err(Error::Refused(format!(
            "the team register is not empty ({seq} events; rows: {}); a register can only be \
             moved into an empty one; nothing was copied",
            if held.is_empty() {
                "none".to_string()
            } else {
                held.join(", ")
            }
        )));
    }
    Ok(())
}
