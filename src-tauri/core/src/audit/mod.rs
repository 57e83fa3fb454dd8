//! The audit trail: recording events inside the caller's transaction, reading history, and
//! verifying the SHA-256 hash chain. Owns the canonical event encoding; nothing else hashes.
//!
//! Each event's hash covers its sequence number, time, source, action, entity, label, changes,
//! note and the previous event's hash. Editing, deleting or reordering rows with an outside tool
//! therefore breaks the chain at that row. Cutting events off the end leaves a shorter valid
//! chain: that is exposed by comparing with a head hash quoted earlier (in a report, say).
//!
//! How the file stores an event (compactly, giving back exactly what was hashed) is in
//! [`stored`].

mod stored;

pub(crate) use stored::{compact_trail, expand as hashed_changes, hash_from_sql as stored_hash};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};

/// The hash that precedes the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The desktop app.
    App,
    /// The command-line tool.
    Cli,
    /// A CSV import.
    Import,
    /// The register itself (migrations, maintenance).
    System,
}

impl Source {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::App => "app",
            Source::Cli => "cli",
            Source::Import => "import",
            Source::System => "system",
        }
    }
}

/// One field's change: old and new values as display text (`None` = empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The snake_case field name (the JSON key of the record).
    pub field: String,
    /// The value before.
    pub old: Option<String>,
    /// The value after.
    pub new: Option<String>,
}

impl Change {
    /// A change of `field` from `old` to `new`.
    pub fn new(field: &str, old: Option<String>, new: Option<String>) -> Change {
        Change {
            field: field.to_string(),
            old,
            new,
        }
    }
}

/// Declares a closed set of stored words: the enum, and its stored spelling.
macro_rules! stored_words {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// The stored spelling (in `audit_log`, hashed, and in the JSON of an event).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }
        }
    };
}

stored_words! {
    /// What happened, as an event records it.
    Action {
        /// A record was added.
        Created = "created",
        /// Fields of a record were edited.
        Edited = "edited",
        /// An asset was assigned to a person or a location.
        Assigned = "assigned",
        /// An asset was taken back.
        Returned = "returned",
        /// An asset's status changed.
        StatusChanged = "status_changed",
        /// An asset was archived (removed from the live register).
        Archived = "archived",
        /// An archived asset was brought back.
        Restored = "restored",
        /// A location or category was renamed.
        Renamed = "renamed",
        /// A person left the organisation.
        Left = "left",
        /// A person who had left came back.
        Rejoined = "rejoined",
        /// A file was imported.
        Imported = "imported",
        /// An import was taken back.
        Undone = "undone",
        /// A document was attached.
        DocumentAttached = "document_attached",
        /// A document's kind was changed.
        DocumentEdited = "document_edited",
        /// A document was removed.
        DocumentRemoved = "document_removed",
        /// A licence seat was given to a person.
        SeatAssigned = "seat_assigned",
        /// A licence seat was freed.
        SeatReleased = "seat_released",
        /// A licence seat moved to another person.
        SeatReassigned = "seat_reassigned",
        /// Someone's offboarding began.
        OffboardingStarted = "offboarding_started",
        /// One item of an offboarding checklist was resolved.
        OffboardingResolved = "offboarding_resolved",
        /// An offboarding was called off.
        OffboardingCancelled = "offboarding_cancelled",
        /// How a retired asset left was recorded (its disposal record).
        Disposed = "disposed",
        /// An asset was moved to another location, keeping its status.
        Moved = "moved",
        /// A stocktake began.
        StocktakeStarted = "stocktake_started",
        /// A stocktake saw an asset (or a tag the register does not know).
        Seen = "seen",
        /// A finished stocktake did not see an asset.
        NotSeen = "not_seen",
        /// A stocktake was finished.
        StocktakeFinished = "stocktake_finished",
        /// A stocktake was called off.
        StocktakeCancelled = "stocktake_cancelled",
        /// The whole register was moved from a file to a team register on a server (on the
        /// server: the move's own event; in the file: the mark that it was moved).
        MovedToServer = "moved_to_server",
        /// A register file marked as moved to a team register was taken back into use.
        UsedAgain = "used_again",
    }
}

stored_words! {
    /// What kind of record an event is about.
    Entity {
        /// An asset.
        Asset = "asset",
        /// A person.
        Person = "person",
        /// A location.
        Location = "location",
        /// A category.
        Category = "category",
        /// A licence or subscription.
        Licence = "licence",
        /// An import of a file.
        Import = "import",
        /// The register's settings.
        Settings = "settings",
        /// A stocktake.
        Stocktake = "stocktake",
        /// The register as a whole (its move to a server, a moved file used again).
        Register = "register",
    }
}

/// What an event says happened, before it is stored.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    /// What happened.
    pub action: Action,
    /// What kind of record it happened to.
    pub entity: Entity,
    /// The record's id.
    pub entity_id: Option<i64>,
    /// The asset it concerns, for asset events (indexed for history).
    pub asset_id: Option<i64>,
    /// The tag or name of the record as it was.
    pub label: &'a str,
    /// Field changes.
    pub changes: Vec<Change>,
    /// The user's note.
    pub note: Option<&'a str>,
}

impl<'a> NewEvent<'a> {
    /// An event about the asset `asset_id` (tag `tag`).
    pub(crate) fn for_asset(
        asset_id: i64,
        tag: &'a str,
        action: Action,
        changes: Vec<Change>,
        note: Option<&'a str>,
    ) -> NewEvent<'a> {
        NewEvent {
            action,
            entity: Entity::Asset,
            entity_id: Some(asset_id),
            asset_id: Some(asset_id),
            label: tag,
            changes,
            note,
        }
    }

    /// An edit of the category `id` (named `name`): its depreciation default, its replacement
    /// plan.
    pub(crate) fn category_edited(id: i64, name: &'a str, changes: Vec<Change>) -> NewEvent<'a> {
        NewEvent::about(Entity::Category, id, name, Action::Edited, changes, None)
    }

    /// An event of the stocktake `id` (named `name`) itself: started, finished, cancelled.
    pub(crate) fn about_stocktake(
        id: i64,
        name: &'a str,
        action: Action,
        changes: Vec<Change>,
        note: Option<&'a str>,
    ) -> NewEvent<'a> {
        NewEvent::about(Entity::Stocktake, id, name, action, changes, note)
    }

    /// An event about the record `id` of `entity` (labelled `label`) that is not an asset: a
    /// person, a licence, a category, a stocktake.
    pub(crate) fn about(
        entity: Entity,
        id: i64,
        label: &'a str,
        action: Action,
        changes: Vec<Change>,
        note: Option<&'a str>,
    ) -> NewEvent<'a> {
        NewEvent {
            action,
            entity,
            entity_id: Some(id),
            asset_id: None,
            label,
            changes,
            note,
        }
    }

    /// An edit of the register-wide settings.
    pub(crate) fn settings_edited(changes: Vec<Change>) -> NewEvent<'a> {
        NewEvent {
            action: Action::Edited,
            entity: Entity::Settings,
            entity_id: None,
            asset_id: None,
            label: "settings",
            changes,
            note: None,
        }
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Sequence number, from 1.
    pub id: i64,
    /// UTC time, RFC 3339.
    pub at: String,
    /// app, cli, import or system.
    pub source: String,
    /// What happened (created, edited, assigned…).
    pub kind: String,
    /// What kind of record.
    pub entity: String,
    /// The record's id.
    pub entity_id: Option<i64>,
    /// The asset's tag or the record's name when the event was written.
    pub label: String,
    /// Field changes, old → new.
    pub changes: Vec<Change>,
    /// The note given with the change.
    pub note: Option<String>,
    /// This event's hash.
    pub hash: String,
}

/// Appends an event to the chain inside the caller's transaction, so the event commits or rolls
/// back with the change it describes. Only the core can call this.
pub(crate) fn record(tx: &mut Tx<'_>, ev: NewEvent<'_>) -> Result<i64> {
    let (last_id, prev) = last_event(tx.conn())?;
    let row = StoredRow::encode(last_id + 1, tx.now(), tx.source(), &ev, &prev)?;
    // Stored as `stored` says: the changes packed, the hash as bytes, no copy of `prev`.
    stored::insert(tx.conn(), "audit_log", &row, &stored::pack(&ev.changes))?;
    tx.note_audited();
    Ok(row.id)
}

/// Appends an event that was stored elsewhere (a team register's, exported to a file), keeping
/// its time, source and hash: the file's counterpart of `register_pg::audit::copy_stored`.
/// Refused unless it hashes right and follows the last event. It counts as the transaction's
/// event, so rows copied with it may commit.
pub fn copy_stored(tx: &mut Tx<'_>, row: &StoredRow) -> Result<()> {
    let (last_id, prev) = last_event(tx.conn())?;
    if row.id != last_id + 1 || row.prev_hash != prev {
        return Err(Error::Refused(format!(
            "event {} does not follow the last event of the register ({last_id})",
            row.id
        )));
    }
    if !row.hashes_right() {
        return Err(Error::Refused(format!(
            "event {}'s content does not match its hash",
            row.id
        )));
    }
    stored::insert(
        tx.conn(),
        "audit_log",
        row,
        &stored::pack_hashed(&row.changes),
    )?;
    tx.note_audited();
    Ok(())
}

/// The last event's sequence number and hash (0 and the genesis hash for an empty trail).
fn last_event(conn: &Connection) -> Result<(i64, String)> {
    Ok(conn
        .prepare_cached("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| {
            Ok((r.get(0)?, stored::hash_from_sql(r.get_ref(1)?)?))
        })
        .optional()?
        .unwrap_or((0, GENESIS.to_string())))
}

/// The hashed content of an event, exactly as hashed.
#[derive(Serialize)]
struct StoredEvent<'a> {
    id: i64,
    at: &'a str,
    source: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<i64>,
    asset_id: Option<i64>,
    label: &'a str,
    changes: &'a str,
    note: Option<&'a str>,
}

impl StoredEvent<'_> {
    /// SHA-256 over the JSON array `[prev, id, at, …]`: JSON quoting makes the encoding
    /// unambiguous whatever the fields contain.
    fn hash(&self, prev: &str) -> String {
        let canonical = serde_json::to_string(&(
            prev,
            self.id,
            self.at,
            self.source,
            self.action,
            self.entity,
            self.entity_id,
            self.asset_id,
            self.label,
            self.changes,
            self.note,
        ))
        .expect("tuples of strings and integers always encode");
        hex(&Sha256::digest(canonical.as_bytes()))
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    s
}

const EVENT_COLUMNS: &str =
    "id, at, source, action, entity, entity_id, label, changes, note, hash FROM audit_log";

fn event_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    let changes: String = r.get("changes")?;
    Ok(Event {
        id: r.get("id")?,
        at: r.get("at")?,
        source: r.get("source")?,
        kind: r.get("action")?,
        entity: r.get("entity")?,
        entity_id: r.get("entity_id")?,
        label: r.get("label")?,
        changes: stored::changes(&changes),
        note: r.get("note")?,
        hash: stored::hash_from_sql(r.get_ref("hash")?)?,
    })
}

/// SQL for one change `c` of `json_each(changes)`: its field, old and new value, whichever form
/// the event is stored in (packed `[field, old, new]`, or the hashed JSON object; see `stored`).
pub(crate) const FIELD: &str = "coalesce(c.value ->> 0, c.value ->> '$.field')";
/// See [`FIELD`].
pub(crate) const OLD: &str = "coalesce(c.value ->> 1, c.value ->> '$.old')";
/// See [`FIELD`].
pub(crate) const NEW: &str = "coalesce(c.value ->> 2, c.value ->> '$.new')";

/// An asset's history, oldest first.
pub fn list_asset_events(conn: &Connection, asset_id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} WHERE asset_id = ?1 ORDER BY id"
    ))?;
    stmt.query_all([asset_id], event_from_row)
}

/// A person's or location's history, oldest first.
pub fn list_entity_events(conn: &Connection, entity: &str, id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} WHERE entity = ?1 AND entity_id = ?2 ORDER BY id"
    ))?;
    stmt.query_all(params![entity, id], event_from_row)
}

/// A person's history, oldest first: their own events (added, edited, left, offboarding) and
/// those of the assets and licence seats they were given, gave back or handed on. Asset and
/// seat events name the holder, not their id, so they are found by every name the person has
/// had (their own `name` changes), ignoring case.
pub fn list_person_events(conn: &Connection, person_id: i64) -> Result<Vec<Event>> {
    let current: Option<String> = conn
        .query_row("SELECT name FROM people WHERE id = ?1", [person_id], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(current) = current else {
        return Err(Error::not_found("person", person_id));
    };
    let mut names = vec![current];
    for ev in list_entity_events(conn, "person", person_id)? {
        for c in ev.changes.into_iter().filter(|c| c.field == "name") {
            names.extend(c.old);
            names.extend(c.new);
        }
    }
    let names = serde_json::to_string(&names)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS}
         WHERE (entity = 'person' AND entity_id = ?1)
            OR (entity IN ('asset', 'licence') AND EXISTS (
                SELECT 1 FROM json_each(audit_log.changes) c
                WHERE {FIELD} IN ('assigned_to', 'seat')
                  AND (lower({OLD}) IN (SELECT lower(value) FROM json_each(?2))
                    OR lower({NEW}) IN (SELECT lower(value) FROM json_each(?2)))))
         ORDER BY id"
    ))?;
    stmt.query_all(params![person_id, names], event_from_row)
}

/// The most recent `limit` events of the whole register, newest first.
pub fn list_audit_events(conn: &Connection, limit: Option<u32>) -> Result<Vec<Event>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {EVENT_COLUMNS} ORDER BY id DESC LIMIT ?1"))?;
    stmt.query_all([limit.map(i64::from).unwrap_or(-1)], event_from_row)
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// True when the database and the chain are both sound.
    pub ok: bool,
    /// The result of `PRAGMA integrity_check` ("ok" when sound).
    pub integrity: String,
    /// How many events the chain holds.
    pub event_count: i64,
    /// The last event's hash (the genesis hash for an empty trail).
    pub head_hash: String,
    /// The first event that does not verify, with the reason.
    pub first_bad_event: Option<BadEvent>,
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadEvent {
    /// The stored row's id (or the id the chain expected there).
    pub id: i64,
    /// What is wrong, in words.
    pub reason: String,
}

/// Runs `PRAGMA integrity_check` and recomputes the whole hash chain.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines: Vec<String> = stmt.query_all([], |r| r.get(0))?;
    let mut integrity = lines.join("; ");
    // The copied names must match the rows they copy (see the assets table).
    let stale: i64 = conn.query_row(
        "SELECT count(*) FROM assets a
           LEFT JOIN people p ON p.id = a.person_id
           LEFT JOIN locations l ON l.id = a.location_id
           LEFT JOIN categories c ON c.id = a.category_id
         WHERE a.person_name IS NOT p.name OR a.location_name IS NOT l.name
            OR a.category_name IS NOT c.name",
        [],
        |r| r.get(0),
    )?;
    let (counted, live): (i64, i64) = conn.query_row(
        "SELECT (SELECT live FROM asset_count), (SELECT count(*) FROM assets WHERE archived_at IS NULL)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if counted != live {
        let note = format!("the live-asset counter says {counted} but there are {live}");
        integrity = if integrity == "ok" {
            note
        } else {
            format!("{integrity}; {note}")
        };
    }
    // A register of this version must have exactly the schema this version creates (an older
    // one is migrated before it is used, and checked then).
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == crate::schema::VERSION {
        let diffs = crate::schema::differences(conn)?;
        if !diffs.is_empty() {
            let note = format!(
                "its schema differs from what this version creates: {}",
                diffs.join(", ")
            );
            integrity = if integrity == "ok" {
                note
            } else {
                format!("{integrity}; {note}")
            };
        }
    }
    if stale > 0 {
        let note = format!("{stale} asset(s) show a holder, location or category name that does not match its record");
        integrity = if integrity == "ok" {
            note
        } else {
            format!("{integrity}; {note}")
        };
    }

    let chain = verify_chain(conn)?;
    let (count, prev, bad) = (chain.event_count, chain.head_hash, chain.first_bad_event);
    Ok(Verification {
        ok: integrity == "ok" && bad.is_none(),
        integrity,
        event_count: count,
        head_hash: prev,
        first_bad_event: bad,
    })
}

/// The hash chain recomputed, without the database checks of [`verify`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainCheck {
    /// How many events the chain holds.
    pub event_count: i64,
    /// The last event's hash (the genesis hash for an empty trail).
    pub head_hash: String,
    /// The first event that does not verify, with the reason.
    pub first_bad_event: Option<BadEvent>,
}

/// One stored event, every hashed field exactly as it was hashed, with its previous hash and its own:
/// what `verify` checks, and what an evidence pack's `audit-trail.jsonl` holds one per line (so
/// the field names are part of that file's format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRow {
    /// Sequence number, from 1.
    pub id: i64,
    /// UTC time, RFC 3339.
    pub at: String,
    /// app, cli, import or system.
    pub source: String,
    /// What happened.
    pub action: String,
    /// What kind of record.
    pub entity: String,
    /// The record's id.
    pub entity_id: Option<i64>,
    /// The asset it concerns.
    pub asset_id: Option<i64>,
    /// The tag or name when written.
    pub label: String,
    /// The field changes as the JSON text that was hashed, `[{"field":…,"old":…,"new":…}]` (a
    /// string, not an array; the file stores it packed, see `stored`).
    pub changes: String,
    /// The note.
    pub note: Option<String>,
    /// The previous event's hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

impl StoredRow {
    /// Event `id` as stored: `ev` made at `at` by `source`, after the event whose hash is `prev_hash`,
    /// its changes and note encoded and the whole hashed as every store keeps them. Public so
    /// that another store (the team register on PostgreSQL) appends with this one encoding.
    pub fn encode(
        id: i64,
        at: &str,
        source: Source,
        ev: &NewEvent<'_>,
        prev_hash: &str,
    ) -> Result<StoredRow> {
        let mut row = StoredRow {
            id,
            at: at.to_string(),
            source: source.as_str().to_string(),
            action: ev.action.as_str().to_string(),
            entity: ev.entity.as_str().to_string(),
            entity_id: ev.entity_id,
            asset_id: ev.asset_id,
            label: ev.label.to_string(),
            changes: serde_json::to_string(&ev.changes)?,
            note: ev
                .note
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        row.hash = row.content_hash();
        Ok(row)
    }

    /// The event as history shows it, its changes read from their stored text. Public so that
    /// another store (the team register on PostgreSQL) shows its history the file's way.
    pub fn to_event(&self) -> Event {
        Event {
            id: self.id,
            at: self.at.clone(),
            source: self.source.clone(),
            kind: self.action.clone(),
            entity: self.entity.clone(),
            entity_id: self.entity_id,
            label: self.label.clone(),
            changes: stored::changes(&self.changes),
            note: self.note.clone(),
            hash: self.hash.clone(),
        }
    }

    /// Whether the row's content hashes, after its own stored previous hash, to its stored hash.
    pub fn hashes_right(&self) -> bool {
        self.content_hash() == self.hash
    }

    /// The hash this row's content must carry after its stored previous hash (its `hash` field is
    /// not read). Public so that another store (the team register on PostgreSQL) appends and
    /// checks events with this one canonical encoding instead of a copy of it.
    pub fn content_hash(&self) -> String {
        hash_of(self, &self.changes)
    }
}

/// The hash of `row`'s content after its stored previous hash, with `changes` as its changes'
/// hashed text (its `hash` field is not read).
fn hash_of(row: &StoredRow, changes: &str) -> String {
    let ev = StoredEvent {
        id: row.id,
        at: &row.at,
        source: &row.source,
        action: &row.action,
        entity: &row.entity,
        entity_id: row.entity_id,
        asset_id: row.asset_id,
        label: &row.label,
        changes,
        note: row.note.as_deref(),
    };
    ev.hash(&row.prev_hash)
}

/// Calls `each` with every stored event, in order, every hashed field as it was hashed (the
/// changes as their JSON text, the previous hash filled from the event before).
pub fn for_each_stored(
    conn: &Connection,
    mut each: impl FnMut(StoredRow) -> Result<()>,
) -> Result<()> {
    stored::for_each_in(conn, "audit_log", &mut each)
}

/// Rows hashed per batch on a worker thread.
const CHAIN_BATCH: usize = 8192;

/// Recomputes the whole hash chain. The rows are read in order on this thread, which checks the
/// sequence numbers and that each row's stored previous hash is the hash stored on the row
/// before it; the SHA-256 of each row (its content after its own stored previous hash) is
/// recomputed on the other cores, a batch at a time. Together that is exactly the chain: every
/// link matches and every hash is right. The first problem in row order is reported.
pub fn verify_chain(conn: &Connection) -> Result<ChainCheck> {
    // The rows' changes stay in their stored form here and are expanded on the worker threads,
    // beside the hashing, so the reading thread does no more than read.
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM audit_log ORDER BY rowid",
        stored::ROW_COLUMNS
    ))?;
    let read = |each: &mut dyn FnMut(StoredRow)| -> Result<()> {
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_string();
        while let Some(r) = rows.next()? {
            let row = stored::read_row(r, std::mem::take(&mut prev))?;
            prev.clone_from(&row.hash);
            each(row);
        }
        Ok(())
    };
    check_rows(read, |row| {
        row.hash == hash_of(row, &stored::expand(&row.changes))
    })
}

/// The check of [`verify_chain`] over any store's events: `read_rows` calls `each` with every
/// stored event in storage order (the SQLite file's rowid order, the team register's sequence
/// order), and the result is the same for the same rows whichever store they came from.
pub fn check_chain<E>(
    read_rows: impl FnOnce(&mut dyn FnMut(StoredRow)) -> std::result::Result<(), E>,
) -> std::result::Result<ChainCheck, E> {
    check_rows(read_rows, StoredRow::hashes_right)
}

/// [`check_chain`], with each row's hash checked by `hashes_right` on a worker thread.
fn check_rows<E>(
    read_rows: impl FnOnce(&mut dyn FnMut(StoredRow)) -> std::result::Result<(), E>,
    hashes_right: fn(&StoredRow) -> bool,
) -> std::result::Result<ChainCheck, E> {
    use std::sync::mpsc;
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    // (batch number, first row's index, rows) out; (batch number, index of its first bad hash) back.
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<StoredRow>)>(workers * 2);
    let work_rx = std::sync::Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Option<usize>)>();
    std::thread::scope(|scope| -> std::result::Result<ChainCheck, E> {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || loop {
                let next = work_rx.lock().map(|rx| rx.recv());
                let Ok(Ok((n, batch))) = next else { break };
                let bad = batch.iter().position(|r| !hashes_right(r));
                if done_tx.send((n, bad)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let mut prev = GENESIS.to_string();
        let mut expected_id = 1;
        let mut count = 0i64;
        // The first broken link or numbering, by event number.
        let mut link_bad: Option<BadEvent> = None;
        let mut batch: Vec<StoredRow> = Vec::with_capacity(CHAIN_BATCH);
        let mut batch_first: Vec<i64> = Vec::new(); // each batch's first expected id
        let send = |batch: &mut Vec<StoredRow>, first: i64, firsts: &mut Vec<i64>| {
            if batch.is_empty() {
                return;
            }
            firsts.push(first);
            let full = std::mem::replace(batch, Vec::with_capacity(CHAIN_BATCH));
            let _ = work_tx.send((firsts.len() - 1, full));
        };
        let mut first_of_batch = 1;
        // The head is the last stored hash, linked or not (after a break the rest is not linked).
        let mut head_hash = GENESIS.to_string();
        read_rows(&mut |row: StoredRow| {
            count += 1;
            head_hash.clone_from(&row.hash);
            if link_bad.is_some() {
                return;
            }
            if row.id != expected_id {
                link_bad = Some(BadEvent {
                    id: expected_id,
                    reason: format!(
                        "it is missing: the next stored event is {} (events were deleted or renumbered)",
                        row.id
                    ),
                });
                return;
            }
            if row.prev_hash != prev {
                link_bad = Some(BadEvent {
                    id: expected_id,
                    reason: "its link to the previous event does not match (an event before it was deleted, changed or reordered)".to_string(),
                });
                return;
            }
            prev.clone_from(&row.hash);
            expected_id += 1;
            batch.push(row);
            if batch.len() == CHAIN_BATCH {
                send(&mut batch, first_of_batch, &mut batch_first);
                first_of_batch = expected_id;
            }
        })?;
        send(&mut batch, first_of_batch, &mut batch_first);
        drop(work_tx);
        // The first bad hash, by event number, among the rows checked.
        let mut hash_bad: Option<i64> = None;
        for (n, bad) in done_rx {
            if let Some(i) = bad {
                let id = batch_first[n] + i as i64;
                hash_bad = Some(hash_bad.map_or(id, |h| h.min(id)));
            }
        }
        let hash_bad = hash_bad.map(|id| BadEvent {
            id,
            // In the file the previous hash is the row before's, so a row before that was
            // edited and given a new hash shows here too.
            reason: "its content does not match its hash (it was edited, or the event before it was replaced)".to_string(),
        });
        // Rows are checked up to the first broken link, so a bad hash found is before it.
        let first_bad_event = hash_bad.or(link_bad);
        Ok(ChainCheck {
            event_count: count,
            head_hash,
            first_bad_event,
        })
    })
}

/// The head of the chain without recomputing it: (event count, last hash).
pub fn head(conn: &Connection) -> Result<(i64, String)> {
    let head: Option<String> = conn
        .query_row(
            "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| stored::hash_from_sql(r.get_ref(0)?),
        )
        .optional()?;
    let count: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
    Ok((count, head.unwrap_or_else(|| GENESIS.to_string())))
}

impl Verification {
    /// A one-paragraph human summary.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if self.integrity != "ok" {
            s.push_str(&format!(
                "Database integrity check FAILED: {}\n",
                self.integrity
            ));
        }
        match &self.first_bad_event {
            Some(b) => s.push_str(&format!(
                "Audit trail FAILED at event {}: {}\n",
                b.id, b.reason
            )),
            None if self.integrity == "ok" => s.push_str("Register verified: OK\n"),
            None => {}
        }
        s.push_str(&format!(
            "Events: {}\nHead hash: {}\n",
            self.event_count, self.head_hash
        ));
        s
    }
}

/// Refuses with a clear message when `v` is not sound (used before trusting a register).
pub fn ensure_ok(v: &Verification) -> Result<()> {
    if v.ok {
        Ok(())
    } else {
        Err(Error::Refused(v.describe()))
    }
}
