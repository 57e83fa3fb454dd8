//! The team register's audit trail: appending events under concurrent writers, copying a file
//! register's events in, and verifying the chain. Encoding and hashing are the core's
//! (`register_core::audit::StoredRow`); this file only stores and reads rows.
//!
//! Appends from every client queue up on the one-row `chain_head`: the first event of a change
//! locks it (`SELECT … FOR UPDATE`) in the change's own transaction and holds it until commit,
//! so the next writer reads the head only after this one's events are in. The schema's
//! `UNIQUE (prev_hash)`, primary key on `id` and head trigger refuse any insert that would fork
//! the chain even if a client skipped the lock.

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::audit::{check_chain, ChainCheck, NewEvent, StoredRow};

use crate::conflict::Record;
use crate::db::{HeldHead, Tx};
use crate::error::{Error, Result};

/// An event as the team register stores it: the hashed row, and the role that wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// The event's hashed fields, exactly as in the file register.
    pub row: StoredRow,
    /// The database role (`current_user`) that appended it. Set by the server, not the client,
    /// and not covered by the hash: the encoding is the file's, which has no actor.
    pub actor: String,
}

/// Appends `ev` to the chain inside the change's transaction and returns its sequence number.
/// Every event of one change carries the same time: the server's clock when the change first
/// held the head, so times along the chain never go back whatever the clients' clocks say.
pub fn record(tx: &mut Tx<'_>, ev: &NewEvent<'_>) -> Result<i64> {
    append(tx, ev, None)
}

/// [`record`] for an event that made `version` of its `record` (an asset's, a licence's or a
/// person's, see `conflict`): the version is stored beside the event, outside the hash, so a
/// save refused for being out of date can say which events came after the version it started
/// from.
pub(crate) fn record_versioned(
    tx: &mut Tx<'_>,
    ev: &NewEvent<'_>,
    record: Record,
    version: i64,
) -> Result<i64> {
    append(tx, ev, Some((record, version)))
}

/// The row version an event made, kept beside it outside the hash; `None` when its record has
/// no versions (a place, the register) or the event was copied in.
pub(crate) type Made = Option<(Record, i64)>;

fn append(tx: &mut Tx<'_>, ev: &NewEvent<'_>, made: Made) -> Result<i64> {
    let source = tx.source();
    let held = hold_head(tx)?;
    let row = StoredRow::encode(held.seq + 1, &held.at, source, ev, &held.hash)?;
    insert(tx, &row, made)?;
    Ok(row.id)
}

/// Appends an event that was stored elsewhere (a file register's, moved to the server), keeping
/// its time, source and hash. Refused unless it hashes right and follows the current head.
pub fn copy_stored(tx: &mut Tx<'_>, row: &StoredRow) -> Result<()> {
    let held = hold_head(tx)?;
    if row.id != held.seq + 1 || row.prev_hash != held.hash {
        return Err(Error::Refused(format!(
            "event {} does not follow the last event of the team register ({})",
            row.id, held.seq
        )));
    }
    if !row.hashes_right() {
        return Err(Error::Refused(format!(
            "event {}'s content does not match its hash",
            row.id
        )));
    }
    insert(tx, row, None)
}

/// Holds the chain head for this transaction, as its first append would, and gives it: (event
/// count, last hash). For a change that keeps the head its next event extends (a stocktake's
/// start and finish, as the file's `audit::head` before that event): once held, no other
/// writer can move it until this transaction ends.
pub(crate) fn hold(tx: &mut Tx<'_>) -> Result<(i64, String)> {
    let held = hold_head(tx)?;
    Ok((held.seq, held.hash.clone()))
}

/// Events appended in one statement: each is hashed here as it is pushed (numbered on from the
/// head this transaction holds) and all are inserted by [`EventBatch::finish`], arrays unnested
/// in order. For a transaction that has set `register.batch_append` (migration 0011), which
/// moves the head once for the statement; nothing else may append between `start` and
/// `finish`.
pub(crate) struct EventBatch {
    source: register_core::audit::Source,
    at: String,
    seq: i64,
    prev: String,
    cols: Batch,
}

impl EventBatch {
    /// A batch that follows the head (taken now if this transaction does not hold it yet).
    pub(crate) fn start(tx: &mut Tx<'_>) -> Result<EventBatch> {
        let source = tx.source();
        let held = hold_head(tx)?;
        Ok(EventBatch {
            source,
            at: held.at.clone(),
            seq: held.seq,
            prev: held.hash.clone(),
            cols: Batch::default(),
        })
    }

    /// Adds `ev`, which made `made` (a record's row version, or none).
    pub(crate) fn push(&mut self, ev: &NewEvent<'_>, made: Made) -> Result<()> {
        self.seq += 1;
        let row = StoredRow::encode(self.seq, &self.at, self.source, ev, &self.prev)?;
        let made_of = |r: Record| made.filter(|m| m.0 == r).map(|m| m.1);
        self.cols.asset_version.push(made_of(Record::Asset));
        self.cols.licence_version.push(made_of(Record::Licence));
        self.cols.person_version.push(made_of(Record::Person));
        self.prev.clone_from(&row.hash);
        self.cols.push(row);
        Ok(())
    }

    /// Inserts the events pushed, and moves what the transaction holds of the head past them.
    pub(crate) fn finish(self, tx: &mut Tx<'_>) -> Result<()> {
        if self.cols.id.is_empty() {
            return Ok(());
        }
        insert_batch(tx, &self.cols)?;
        let held = tx.held.as_mut().expect("held since start");
        held.seq = self.seq;
        held.hash = self.prev;
        Ok(())
    }
}

/// Inserts a batch's events in one statement, in their order.
fn insert_batch(tx: &mut Tx<'_>, cols: &Batch) -> Result<()> {
    tx.client().query_typed(
        "INSERT INTO public.audit_log (id, at, source, action, entity, entity_id, asset_id,
                                       label, changes, note, prev_hash, hash, asset_version,
                                       licence_version, person_version)
         SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::text[],
                              $6::int8[], $7::int8[], $8::text[], $9::text[], $10::text[],
                              $11::text[], $12::text[], $13::int8[], $14::int8[],
                              $15::int8[])
         ORDER BY 1",
        &[
            (&cols.id, Type::INT8_ARRAY),
            (&cols.at, Type::TEXT_ARRAY),
            (&cols.source, Type::TEXT_ARRAY),
            (&cols.action, Type::TEXT_ARRAY),
            (&cols.entity, Type::TEXT_ARRAY),
            (&cols.entity_id, Type::INT8_ARRAY),
            (&cols.asset_id, Type::INT8_ARRAY),
            (&cols.label, Type::TEXT_ARRAY),
            (&cols.changes, Type::TEXT_ARRAY),
            (&cols.note, Type::TEXT_ARRAY),
            (&cols.prev_hash, Type::TEXT_ARRAY),
            (&cols.hash, Type::TEXT_ARRAY),
            (&cols.asset_version, Type::INT8_ARRAY),
            (&cols.licence_version, Type::INT8_ARRAY),
            (&cols.person_version, Type::INT8_ARRAY),
        ],
    )?;
    Ok(())
}

/// Appends events stored elsewhere (a file register's, moved to the server), keeping their
/// time, source and hash, as [`copy_stored`] does one by one, [`COPY_BATCH`] to a statement:
/// for a transaction that has set `register.batch_append` (migration 0011), whose statement
/// trigger checks each statement's events against the head and moves it once. Each is refused
/// unless it hashes right and follows the one before (the first, the head).
pub(crate) fn copy_stored_all(tx: &mut Tx<'_>, rows: &[StoredRow]) -> Result<()> {
    let held = hold_head(tx)?;
    let (mut seq, mut prev) = (held.seq, held.hash.clone());
    for chunk in rows.chunks(COPY_BATCH) {
        let mut cols = Batch::default();
        for row in chunk {
            if row.id != seq + 1 || row.prev_hash != prev {
                return Err(Error::Refused(format!(
                    "event {} does not follow the last event of the team register ({seq})",
                    row.id
                )));
            }
            if !row.hashes_right() {
                return Err(Error::Refused(format!(
                    "event {}'s content does not match its hash",
                    row.id
                )));
            }
            seq = row.id;
            prev.clone_from(&row.hash);
            // Copied events carry no row versions, as `copy_stored`'s.
            cols.asset_version.push(None);
            cols.licence_version.push(None);
            cols.person_version.push(None);
            cols.push(row.clone());
        }
        insert_batch(tx, &cols)?;
        let held = tx.held.as_mut().expect("held above");
        held.seq = seq;
        held.hash.clone_from(&prev);
    }
    Ok(())
}

/// Events copied per statement by [`copy_stored_all`].
const COPY_BATCH: usize = 2_000;

/// The columns of a batch of events, as arrays.
#[derive(Default)]
struct Batch {
    id: Vec<i64>,
    at: Vec<String>,
    source: Vec<String>,
    action: Vec<String>,
    entity: Vec<String>,
    entity_id: Vec<Option<i64>>,
    asset_id: Vec<Option<i64>>,
    label: Vec<String>,
    changes: Vec<String>,
    note: Vec<Option<String>>,
    prev_hash: Vec<String>,
    hash: Vec<String>,
    asset_version: Vec<Option<i64>>,
    licence_version: Vec<Option<i64>>,
    person_version: Vec<Option<i64>>,
}

impl Batch {
    fn push(&mut self, r: StoredRow) {
        self.id.push(r.id);
        self.at.push(r.at);
        self.source.push(r.source);
        self.action.push(r.action);
        self.entity.push(r.entity);
        self.entity_id.push(r.entity_id);
        self.asset_id.push(r.asset_id);
        self.label.push(r.label);
        self.changes.push(r.changes);
        self.note.push(r.note);
        self.prev_hash.push(r.prev_hash);
        self.hash.push(r.hash);
    }
}

/// Locks the chain head for this transaction on its first append; later appends use what it
/// already holds.
fn hold_head<'t>(tx: &'t mut Tx<'_>) -> Result<&'t mut HeldHead> {
    if tx.held.is_none() {
        // The time is read after the lock is granted (the outer SELECT runs on the locked row),
        // so it is later than every event already in the chain.
        // Typed queries go out in one round trip (no prepare): the head is held meanwhile.
        let r = tx.client().query_typed_one(
            "WITH head AS (SELECT seq, hash FROM public.chain_head FOR UPDATE)
             SELECT seq, hash,
                    to_char(clock_timestamp() AT TIME ZONE 'UTC',
                            'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at
               FROM head",
            &[],
        )?;
        tx.held = Some(HeldHead {
            seq: r.get("seq"),
            hash: r.get("hash"),
            at: r.get("at"),
        });
    }
    Ok(tx.held.as_mut().expect("held above"))
}

/// Inserts `row` (the schema's trigger moves the head) and remembers the new head.
fn insert(tx: &mut Tx<'_>, row: &StoredRow, made: Made) -> Result<()> {
    // Each version column holds the versions of one kind of record (see `conflict::Record`).
    let made_of = |r: Record| made.filter(|m| m.0 == r).map(|m| m.1);
    let (asset_version, licence_version, person_version) = (
        made_of(Record::Asset),
        made_of(Record::Licence),
        made_of(Record::Person),
    );
    tx.client().query_typed(
        "INSERT INTO public.audit_log (id, at, source, action, entity, entity_id, asset_id,
                                       label, changes, note, prev_hash, hash, asset_version,
                                       licence_version, person_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        &[
            (&row.id, Type::INT8),
            (&row.at, Type::TEXT),
            (&row.source, Type::TEXT),
            (&row.action, Type::TEXT),
            (&row.entity, Type::TEXT),
            (&row.entity_id, Type::INT8),
            (&row.asset_id, Type::INT8),
            (&row.label, Type::TEXT),
            (&row.changes, Type::TEXT),
            (&row.note, Type::TEXT),
            (&row.prev_hash, Type::TEXT),
            (&row.hash, Type::TEXT),
            (&asset_version, Type::INT8),
            (&licence_version, Type::INT8),
            (&person_version, Type::INT8),
        ],
    )?;
    let held = tx.held.as_mut().expect("the head is held before an insert");
    held.seq = row.id;
    held.hash.clone_from(&row.hash);
    Ok(())
}

/// Calls `each` with every stored event in sequence order, streaming (a million events are
/// never held in memory at once).
pub fn for_each_stored(
    client: &mut impl GenericClient,
    mut each: impl FnMut(StoredEvent),
) -> Result<()> {
    let mut rows = client.query_raw(
        &format!("SELECT {STORED_COLUMNS} FROM public.audit_log ORDER BY id"),
        std::iter::empty::<i64>(),
    )?;
    while let Some(r) = rows.next()? {
        each(stored_from_row(&r)?);
    }
    Ok(())
}

/// Every column of a stored event, for [`stored_from_row`].
pub(crate) const STORED_COLUMNS: &str = "id, at, source, action, entity, entity_id, asset_id, \
     label, changes, note, prev_hash, hash, actor";

/// A row of [`STORED_COLUMNS`].
pub(crate) fn stored_from_row(r: &Row) -> Result<StoredEvent> {
    Ok(StoredEvent {
        row: StoredRow {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            source: r.try_get("source")?,
            action: r.try_get("action")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            asset_id: r.try_get("asset_id")?,
            label: r.try_get("label")?,
            changes: r.try_get("changes")?,
            note: r.try_get("note")?,
            prev_hash: r.try_get("prev_hash")?,
            hash: r.try_get("hash")?,
        },
        actor: r.try_get("actor")?,
    })
}

/// Recomputes the whole chain with the core's check: the same count, head and first bad event
/// as `register_core::audit::verify_chain` gives for the same events in a file.
pub fn verify_chain(client: &mut impl GenericClient) -> Result<ChainCheck> {
    check_chain(|each| for_each_stored(client, |ev| each(ev.row)))
}

/// The head without recomputing the chain: (event count, last hash), from `chain_head` (the
/// genesis hash while the trail is empty).
pub fn head(client: &mut impl GenericClient) -> Result<(i64, String)> {
    let r = client.query_one("SELECT seq, hash FROM public.chain_head", &[])?;
    Ok((r.get("seq"), r.get("hash")))
}
