//! Stocktakes: checking the register against the rooms. Starting one lists what the register
//! expects in its scope (some locations, or everything); each scan or tick records what was
//! found, and where; finishing turns what was not seen into missing, optionally marking it
//! Lost/Stolen. The stocktake lives in its own tables, so it is paused and resumed across
//! restarts simply by being open.
//!
//! Every outcome on an asset is also an audited event on that asset (`seen`, `not_seen`, and the
//! move or status change the user chose), written in the same transaction as the stocktake's
//! own row; each sighting sets the asset's `last_seen` day. A scan is one indexed lookup and a
//! handful of writes, whatever the stocktake's size. The report PDF is `report::stocktake`.
//!
//! The rules that need no storage (checks, outcomes, events) are in [`rules`], which the team
//! register calls too; this file holds the file register's SQL.

mod rules;

pub use rules::*;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::assets::{self, Asset};
use crate::audit;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::names::{self, Kind};
use crate::status::Status;
use crate::values::{format_date, text};

/// What starts a stocktake.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StocktakeInput {
    /// What it is called, e.g. "Q3 check, 2nd floor".
    pub name: String,
    /// The day it is for (default today).
    pub on_date: Option<NaiveDate>,
    /// Who is counting.
    pub counted_by: String,
    /// The locations it covers, by name; empty for everything.
    pub locations: Vec<String>,
}

/// What became of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Expected and not scanned yet.
    NotSeen,
    /// Found where the register has it.
    Found,
    /// A known asset found somewhere other than where the register has it.
    Elsewhere,
    /// A tag the register does not expect here: unknown, archived, Retired or Lost/Stolen.
    Unexpected,
    /// Not seen by the time the stocktake finished.
    Missing,
}

impl Outcome {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotSeen => "not_seen",
            Outcome::Found => "found",
            Outcome::Elsewhere => "elsewhere",
            Outcome::Unexpected => "unexpected",
            Outcome::Missing => "missing",
        }
    }

    /// Parses the stored word.
    pub fn parse(s: &str) -> Result<Outcome> {
        Ok(match s {
            "not_seen" => Outcome::NotSeen,
            "found" => Outcome::Found,
            "elsewhere" => Outcome::Elsewhere,
            "unexpected" => Outcome::Unexpected,
            "missing" => Outcome::Missing,
            other => {
                return Err(Error::invalid(
                    "outcome",
                    format!("\"{other}\" is not an outcome; use not_seen, found, elsewhere, unexpected or missing"),
                ))
            }
        })
    }

    /// Parses an outcome as the CLI and the window spell it (`not-seen` too).
    pub fn parse_user(s: &str) -> Result<Outcome> {
        Outcome::parse(&s.trim().to_lowercase().replace('-', "_"))
    }
}

/// How many items have each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Listed at the start.
    pub expected: i64,
    /// Found where expected.
    pub found: i64,
    /// Found somewhere else.
    pub elsewhere: i64,
    /// Of those, moved to where they were found.
    pub moved: i64,
    /// Not expected, or not known at all.
    pub unexpected: i64,
    /// Of those, tags the register does not know.
    pub unknown: i64,
    /// Expected and not scanned yet.
    pub not_seen: i64,
    /// Not seen by the finish.
    pub missing: i64,
    /// Of those, marked Lost/Stolen.
    pub marked_lost: i64,
}

/// A stocktake with its counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stocktake {
    /// Row id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The day it is for (YYYY-MM-DD).
    pub on_date: String,
    /// Who counted.
    pub counted_by: String,
    /// Whether it covers everything.
    pub all_locations: bool,
    /// The locations it covers (empty when everything).
    pub locations: Vec<String>,
    /// When it started (UTC, RFC 3339).
    pub started_at: String,
    /// When it finished; `None` while open.
    pub finished_at: Option<String>,
    /// Audit events before its first event.
    pub start_event_count: i64,
    /// The audit head then.
    pub start_head: String,
    /// Audit events before its finishing event.
    pub finish_event_count: Option<i64>,
    /// The audit head then.
    pub finish_head: Option<String>,
    /// Called off: nothing unseen was made missing.
    pub cancelled: bool,
    /// What became of its items.
    pub counts: Counts,
}

/// One expected asset, or one tag scanned that was not expected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Row id.
    pub id: i64,
    /// The asset, unless the register does not know the tag.
    pub asset_id: Option<i64>,
    /// The tag as listed or scanned.
    pub tag: String,
    /// The asset's name.
    pub name: Option<String>,
    /// Listed at the start.
    pub expected: bool,
    /// Where the register had it (a location, or "with" a person).
    pub expected_location: Option<String>,
    /// What became of it.
    pub outcome: Outcome,
    /// When it was scanned or ticked.
    pub seen_at: Option<String>,
    /// The room it was found in, when known.
    pub seen_location: Option<String>,
    /// Moved to where it was found.
    pub moved: bool,
    /// Marked Lost/Stolen at the finish.
    pub marked_lost: bool,
    /// Why it is unexpected, or the note given at the finish.
    pub note: Option<String>,
}

/// What one scan did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    /// The item as it is now.
    pub item: Item,
    /// It had been scanned before: nothing changed.
    pub repeat: bool,
    /// The room to offer moving it to (found elsewhere, room known).
    pub move_to: Option<String>,
    /// The stocktake's counts after the scan.
    pub counts: Counts,
}

/// How a stocktake finishes: which unseen items become Lost/Stolen, and the note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FinishInput {
    /// Mark every unseen asset Lost/Stolen.
    pub lost_all: bool,
    /// Mark these items (ids) Lost/Stolen.
    pub lost: Vec<i64>,
    /// A note for each missing asset's history.
    pub note: Option<String>,
}

const ITEM: &str = "SELECT id, asset_id, tag, name, expected, expected_location, outcome, seen_at,
    seen_location, moved, marked_lost, note FROM stocktake_items";

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<Item> {
    let outcome: String = r.get("outcome")?;
    Ok(Item {
        id: r.get("id")?,
        asset_id: r.get("asset_id")?,
        tag: r.get("tag")?,
        name: r.get("name")?,
        expected: r.get("expected")?,
        expected_location: r.get("expected_location")?,
        outcome: Outcome::parse(&outcome).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })?,
        seen_at: r.get("seen_at")?,
        seen_location: r.get("seen_location")?,
        moved: r.get("moved")?,
        marked_lost: r.get("marked_lost")?,
        note: r.get("note")?,
    })
}

/// A stocktake by id.
pub fn get_stocktake(conn: &Connection, id: i64) -> Result<Stocktake> {
    let mut st = header(conn, id)?;
    st.counts = counts(conn, id)?;
    Ok(st)
}

/// A stocktake without its counts (which read every item: a scan counts once, at its end).
fn header(conn: &Connection, id: i64) -> Result<Stocktake> {
    let mut st = conn
        .prepare_cached(
            "SELECT id, name, on_date, counted_by, all_locations, started_at, finished_at,
                start_event_count, start_head, finish_event_count, finish_head, cancelled
             FROM stocktakes WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Stocktake {
                id: r.get("id")?,
                name: r.get("name")?,
                on_date: r.get("on_date")?,
                counted_by: r.get("counted_by")?,
                all_locations: r.get("all_locations")?,
                locations: Vec::new(),
                started_at: r.get("started_at")?,
                finished_at: r.get("finished_at")?,
                start_event_count: r.get("start_event_count")?,
                start_head: r.get("start_head")?,
                finish_event_count: r.get("finish_event_count")?,
                finish_head: r.get("finish_head")?,
                cancelled: r.get("cancelled")?,
                counts: Counts::default(),
            })
        })
        .optional()?
        .ok_or_else(|| Error::not_found("stocktake", id))?;
    st.locations = conn
        .prepare_cached(
            "SELECT l.name FROM stocktake_locations s JOIN locations l ON l.id = s.location_id
             WHERE s.stocktake_id = ?1 ORDER BY l.name COLLATE NOCASE",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(st)
}

fn counts(conn: &Connection, id: i64) -> Result<Counts> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FILTER (WHERE expected = 1),
                    count(*) FILTER (WHERE outcome = 'found'),
                    count(*) FILTER (WHERE outcome = 'elsewhere'),
                    count(*) FILTER (WHERE moved = 1),
                    count(*) FILTER (WHERE outcome = 'unexpected'),
                    count(*) FILTER (WHERE outcome = 'unexpected' AND asset_id IS NULL),
                    count(*) FILTER (WHERE outcome = 'not_seen'),
                    count(*) FILTER (WHERE outcome = 'missing'),
                    count(*) FILTER (WHERE marked_lost = 1)
             FROM stocktake_items WHERE stocktake_id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Counts {
                expected: r.get(0)?,
                found: r.get(1)?,
                elsewhere: r.get(2)?,
                moved: r.get(3)?,
                unexpected: r.get(4)?,
                unknown: r.get(5)?,
                not_seen: r.get(6)?,
                missing: r.get(7)?,
                marked_lost: r.get(8)?,
            })
        })?)
}

/// The open stocktake, if there is one (at most one is open at a time).
pub fn open_stocktake(conn: &Connection) -> Result<Option<Stocktake>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM stocktakes WHERE finished_at IS NULL",
            [],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| get_stocktake(conn, id)).transpose()
}

/// Every stocktake, newest first.
pub fn list_stocktakes(conn: &Connection) -> Result<Vec<Stocktake>> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM stocktakes ORDER BY started_at DESC, id DESC")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| get_stocktake(conn, id)).collect()
}

/// The items of a stocktake, by tag; only those with `outcome` when given.
pub fn list_items(conn: &Connection, id: i64, outcome: Option<Outcome>) -> Result<Vec<Item>> {
    get_stocktake(conn, id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{ITEM} WHERE stocktake_id = ?1 AND (?2 IS NULL OR outcome = ?2) ORDER BY tag COLLATE NOCASE"
    ))?;
    let rows = stmt
        .query_map(params![id, outcome.map(Outcome::as_str)], item_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn get_item(conn: &Connection, id: i64) -> Result<Item> {
    conn.prepare_cached(&format!("{ITEM} WHERE id = ?1"))?
        .query_row([id], item_from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("stocktake item", id))
}

/// Starts a stocktake and lists what the register expects in its scope: every live asset that
/// is not Retired or Lost/Stolen, at one of its locations (or anywhere, for everything).
/// Refused while another stocktake is open, or for a location the register does not have.
pub fn start_stocktake(tx: &mut Tx<'_>, input: &StocktakeInput) -> Result<Stocktake> {
    let ValidStart {
        name,
        counted_by,
        on_date,
        locations,
    } = check_start(input)?;
    if let Some(open) = open_stocktake(tx.conn())? {
        return Err(still_open(&open.name));
    }
    let mut found = Vec::new();
    for l in &locations {
        let n = names::find(tx.conn(), Kind::Location, l)?
            .ok_or_else(|| no_location("locations", l))?;
        if !found.iter().any(|(id, _)| *id == n.id) {
            found.push((n.id, n.name));
        }
    }
    let locations = found;
    let (count, head) = audit::head(tx.conn())?;
    let now = tx.now().to_string();
    let conn = tx.conn();
    conn.prepare_cached(
        "INSERT INTO stocktakes (name, on_date, counted_by, all_locations, started_at,
            start_event_count, start_head) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        name,
        on_date,
        counted_by,
        locations.is_empty(),
        now,
        count,
        head
    ])?;
    let id = conn.last_insert_rowid();
    for (lid, _) in &locations {
        conn.prepare_cached(
            "INSERT INTO stocktake_locations (stocktake_id, location_id) VALUES (?1, ?2)",
        )?
        .execute([id, *lid])?;
    }
    conn.prepare_cached(
        "INSERT INTO stocktake_items (stocktake_id, asset_id, tag, name, expected, expected_location)
         SELECT ?1, a.id, a.asset_tag, a.name, 1,
                COALESCE(a.location_name, 'with ' || a.person_name)
         FROM assets a
         WHERE a.archived_at IS NULL AND a.status NOT IN ('retired', 'lost_stolen')
           AND (?2 OR a.location_id IN
                (SELECT location_id FROM stocktake_locations WHERE stocktake_id = ?1))",
    )?
    .execute(params![id, locations.is_empty()])?;
    let st = get_stocktake(tx.conn(), id)?;
    audit::record(tx, started_event(&st))?;
    Ok(st)
}

fn open_for_change(conn: &Connection, id: i64) -> Result<Stocktake> {
    let st = header(conn, id)?;
    check_open(&st)?;
    Ok(st)
}

/// Records an asset's sighting: its `last_seen` day and a `seen` event with `note`.
fn sight(tx: &mut Tx<'_>, a: &Asset, day: &str, note: &str) -> Result<()> {
    let old: Option<String> = tx
        .conn()
        .prepare_cached("SELECT last_seen FROM assets WHERE id = ?1")?
        .query_row([a.id], |r| r.get(0))?;
    let now = tx.now().to_string();
    tx.conn()
        .prepare_cached("UPDATE assets SET last_seen = ?1, updated_at = ?2 WHERE id = ?3")?
        .execute(params![day, now, a.id])?;
    audit::record(tx, seen_event(a, old, day, note))?;
    Ok(())
}

/// The room a scan was made in: the one given (which must be in the scope), else the scope's
/// only location, else unknown.
fn room_of(conn: &Connection, st: &Stocktake, room: Option<&str>) -> Result<Option<String>> {
    let Some(room) = room_asked(room) else {
        return Ok(default_room(st));
    };
    let found = names::find(conn, Kind::Location, &room)?.map(|n| n.name);
    check_room(st, &room, found).map(Some)
}

/// Records one scanned (or ticked) tag in stocktake `id`, found in `room` (see [`room_of`]).
///
/// An expected asset is found, or found elsewhere when the room differs from where the register
/// has it; a known asset that was not expected is found elsewhere (or unexpected when archived,
/// Retired or Lost/Stolen); an unknown tag is unexpected. A tag scanned twice changes nothing.
/// What each becomes, and the notes, are the rules' ([`plan_sighting`], [`plan_unlisted`]).
pub fn scan(tx: &mut Tx<'_>, id: i64, tag: &str, room: Option<&str>) -> Result<Scan> {
    let st = open_for_change(tx.conn(), id)?;
    let tag = check_tag(tag)?;
    let room = room_of(tx.conn(), &st, room)?;
    let day = format_date(crate::today());
    let now = tx.now().to_string();
    let existing: Option<Item> = tx
        .conn()
        .prepare_cached(&format!(
            "{ITEM} WHERE stocktake_id = ?1 AND tag = ?2 COLLATE NOCASE"
        ))?
        .query_row(params![id, tag], item_from_row)
        .optional()?;
    let item_id = match existing {
        Some(item) if item.outcome != Outcome::NotSeen => {
            let move_to = offer_move(&item, room.as_deref());
            return Ok(Scan {
                item,
                repeat: true,
                move_to,
                counts: counts(tx.conn(), id)?,
            });
        }
        Some(item) => {
            let seen = plan_sighting(&item, room.as_deref(), &st.name);
            tx.conn()
                .prepare_cached(
                    "UPDATE stocktake_items SET outcome = ?1, seen_at = ?2, seen_location = ?3
                     WHERE id = ?4",
                )?
                .execute(params![seen.outcome.as_str(), now, room, item.id])?;
            if let Some(aid) = item.asset_id {
                let a = assets::get_asset(tx.conn(), aid)?;
                sight(tx, &a, &day, &seen.note)?;
            }
            item.id
        }
        None => {
            let asset = match assets::find_asset(tx.conn(), &tag) {
                Ok(a) => Some(a),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            let new = plan_unlisted(&tag, asset.as_ref(), room.as_deref(), &st.name);
            tx.conn()
                .prepare_cached(
                    "INSERT INTO stocktake_items (stocktake_id, asset_id, tag, name, expected,
                        expected_location, outcome, seen_at, seen_location, note)
                     VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    id,
                    asset.as_ref().map(|a| a.id),
                    new.tag,
                    asset.as_ref().map(|a| a.name.clone()),
                    new.expected_location,
                    new.outcome.as_str(),
                    now,
                    room,
                    new.why
                ])?;
            let item_id = tx.conn().last_insert_rowid();
            match &asset {
                Some(a) if new.sights => sight(tx, a, &day, &new.note)?,
                _ => {
                    let event = tag_seen_event(&st, asset.as_ref().map(|a| a.id), &new.note);
                    audit::record(tx, event)?;
                }
            }
            item_id
        }
    };
    let item = get_item(tx.conn(), item_id)?;
    let move_to = offer_move(&item, room.as_deref());
    Ok(Scan {
        item,
        repeat: false,
        move_to,
        counts: counts(tx.conn(), id)?,
    })
}

/// Moves an item found elsewhere to the room it was found in (see
/// [`assets::move_to_location`]), and marks it moved.
pub fn move_here(tx: &mut Tx<'_>, id: i64, item_id: i64) -> Result<Item> {
    let st = open_for_change(tx.conn(), id)?;
    let item = get_item(tx.conn(), item_id)?;
    let owned = tx
        .conn()
        .prepare_cached("SELECT 1 FROM stocktake_items WHERE id = ?1 AND stocktake_id = ?2")?
        .exists([item_id, id])?;
    if !owned {
        return Err(Error::not_found("stocktake item", item_id));
    }
    let (aid, room) = check_move(&item)?;
    let note = moved_note(&st.name);
    assets::move_to_location(tx, aid, &room, Some(&note))?;
    tx.conn()
        .prepare_cached("UPDATE stocktake_items SET moved = 1 WHERE id = ?1")?
        .execute([item_id])?;
    get_item(tx.conn(), item_id)
}

/// Finishes stocktake `id`: every item not seen becomes missing, with a `not_seen` event on its
/// asset; those chosen (or all) are also marked Lost/Stolen, with the note. Records the audit
/// trail's head, then a `stocktake_finished` event with the counts.
pub fn finish_stocktake(tx: &mut Tx<'_>, id: i64, input: &FinishInput) -> Result<Stocktake> {
    let st = open_for_change(tx.conn(), id)?;
    let unseen = list_items(tx.conn(), id, Some(Outcome::NotSeen))?;
    let note = check_finish(&unseen, input)?;
    for item in &unseen {
        let lost = marks_lost(input, item.id);
        tx.conn()
            .prepare_cached(
                "UPDATE stocktake_items SET outcome = 'missing', marked_lost = ?1, note = ?2
                 WHERE id = ?3",
            )?
            .execute(params![lost, note, item.id])?;
        let Some(aid) = item.asset_id else { continue };
        let a = assets::get_asset(tx.conn(), aid)?;
        // Like every asset event, this one dates the asset's last change (as a replay of the
        // trail for an as-of report does).
        let now = tx.now().to_string();
        tx.conn()
            .prepare_cached("UPDATE assets SET updated_at = ?1 WHERE id = ?2")?
            .execute(params![now, aid])?;
        let why = missing_note(&st.name, note.as_deref());
        audit::record(tx, not_seen_event(&a, &why))?;
        if lost && becomes_lost(&a) {
            assets::change_status(tx, aid, Status::LostStolen, Some(&why))?;
        }
    }
    let (count, head) = audit::head(tx.conn())?;
    let now = tx.now().to_string();
    tx.conn()
        .prepare_cached(
            "UPDATE stocktakes SET finished_at = ?1, finish_event_count = ?2, finish_head = ?3
             WHERE id = ?4",
        )?
        .execute(params![now, count, head, id])?;
    let done = get_stocktake(tx.conn(), id)?;
    audit::record(tx, finished_event(&done, note.as_deref()))?;
    Ok(done)
}

/// Calls off stocktake `id` (started by mistake, say): it closes without making anything
/// missing; what was seen stays seen (those sightings happened). Audited with the reason.
pub fn cancel_stocktake(tx: &mut Tx<'_>, id: i64, reason: Option<&str>) -> Result<Stocktake> {
    open_for_change(tx.conn(), id)?;
    let (count, head) = audit::head(tx.conn())?;
    let now = tx.now().to_string();
    tx.conn()
        .prepare_cached(
            "UPDATE stocktakes SET finished_at = ?1, finish_event_count = ?2, finish_head = ?3,
                cancelled = 1 WHERE id = ?4",
        )?
        .execute(params![now, count, head, id])?;
    let done = get_stocktake(tx.conn(), id)?;
    let reason = reason.and_then(text);
    audit::record(tx, cancelled_event(&done, reason.as_deref()))?;
    Ok(done)
}

/// The last finished stocktake (not a cancelled one), for Home.
pub fn last_finished(conn: &Connection) -> Result<Option<Stocktake>> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM stocktakes WHERE finished_at IS NOT NULL AND cancelled = 0
             ORDER BY finished_at DESC, id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|id| get_stocktake(conn, id)).transpose()
}

/// An asset not seen lately, as Home lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unseen {
    /// Asset id.
    pub id: i64,
    /// Its tag.
    pub asset_tag: String,
    /// Its name.
    pub name: String,
    /// The day it was last seen; `None`: never in a stocktake.
    pub last_seen: Option<String>,
}

/// Live assets (not Retired, Lost/Stolen or archived) not seen since `before` (never seen
/// counts as not seen): how many, and the first `limit`, longest unseen first.
pub fn not_seen_since(
    conn: &Connection,
    before: NaiveDate,
    limit: u32,
) -> Result<(i64, Vec<Unseen>)> {
    let day = format_date(before);
    let filter = "archived_at IS NULL AND status NOT IN ('retired', 'lost_stolen')
                  AND (last_seen IS NULL OR last_seen < ?1)";
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM assets WHERE {filter}"),
        [&day],
        |r| r.get(0),
    )?;
    let rows = conn
        .prepare_cached(&format!(
            "SELECT id, asset_tag, name, last_seen FROM assets WHERE {filter}
             ORDER BY last_seen IS NOT NULL, last_seen, asset_tag COLLATE NOCASE LIMIT ?2"
        ))?
        .query_map(params![day, limit], |r| {
            Ok(Unseen {
                id: r.get("id")?,
                asset_tag: r.get("asset_tag")?,
                name: r.get("name")?,
                last_seen: r.get("last_seen")?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((total, rows))
}

/// How many months without a sighting make Home list an asset (setting `stale_months`).
pub fn stale_months(conn: &Connection) -> Result<u32> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'stale_months'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(stale_months_of(v.as_deref()))
}

/// Sets [`stale_months`] (1 to 120); audited as a settings change.
pub fn set_stale_months(tx: &mut Tx<'_>, months: u32) -> Result<u32> {
    let old = stale_months(tx.conn())?;
    let Some(event) = stale_months_changed(old, months)? else {
        return Ok(months);
    };
    tx.conn().execute(
        "INSERT INTO settings (key, value) VALUES ('stale_months', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [months.to_string()],
    )?;
    audit::record(tx, event)?;
    Ok(months)
}

/// What Home shows: the open stocktake, the last finished one, and the assets not seen for
/// more than [`stale_months`] months (how many, and the longest unseen few).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StocktakeSummary {
    /// The stocktake in progress.
    pub open: Option<Stocktake>,
    /// The last finished one.
    pub last: Option<Stocktake>,
    /// The setting.
    pub stale_months: u32,
    /// Live assets not seen since then (never seen included).
    pub unseen_total: i64,
    /// The first few of them, longest unseen first.
    pub unseen: Vec<Unseen>,
}

/// Home's stocktake card, as of `today`.
pub fn stocktake_summary(conn: &Connection, today: NaiveDate) -> Result<StocktakeSummary> {
    let months = stale_months(conn)?;
    let since = stale_since(today, months);
    let (unseen_total, unseen) = not_seen_since(conn, since, 5)?;
    Ok(StocktakeSummary {
        open: open_stocktake(conn)?,
        last: last_finished(conn)?,
        stale_months: months,
        unseen_total,
        unseen,
    })
}

/// The day an asset was last seen in a stocktake.
pub fn last_seen(conn: &Connection, asset_id: i64) -> Result<Option<String>> {
    conn.prepare_cached("SELECT last_seen FROM assets WHERE id = ?1")?
        .query_row([asset_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("asset", asset_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{AssetInput, Holder};
    use crate::db::Db;
    use crate::Source;

    /// Room 1 holds IT-1 and IT-3, Room 2 holds IT-2; IT-4 is with a person; IT-5 is retired.
    fn register() -> (Db, Vec<i64>) {
        let db = Db::open_in_memory().unwrap();
        let ids = db
            .write(Source::Cli, |tx| {
                let mut ids = Vec::new();
                for (tag, holder) in [
                    ("IT-1", Holder::Location("Room 1".into())),
                    ("IT-2", Holder::Location("Room 2".into())),
                    ("IT-3", Holder::Location("Room 1".into())),
                    ("IT-4", Holder::Person("Sam Patel".into())),
                    ("IT-5", Holder::Location("Room 1".into())),
                ] {
                    let a = assets::create_asset(
                        tx,
                        &AssetInput {
                            asset_tag: tag.into(),
                            name: format!("Laptop {tag}"),
                            ..Default::default()
                        },
                        None,
                    )?;
                    assets::assign_asset(tx, a.id, &holder, None)?;
                    ids.push(a.id);
                }
                assets::change_status(tx, ids[4], Status::Retired, None)?;
                Ok(ids)
            })
            .unwrap();
        (db, ids)
    }

    fn start(db: &Db, locations: &[&str]) -> Result<Stocktake> {
        db.write(Source::Cli, |tx| {
            start_stocktake(
                tx,
                &StocktakeInput {
                    name: "Q3 check".into(),
                    on_date: None,
                    counted_by: "Alex".into(),
                    locations: locations.iter().map(|s| s.to_string()).collect(),
                },
            )
        })
    }

    fn history(db: &Db, id: i64) -> Vec<(String, Option<String>)> {
        db.read(|c| audit::list_asset_events(c, id))
            .unwrap()
            .into_iter()
            .map(|e| (e.kind, e.note))
            .collect()
    }

    #[test]
    fn a_stocktake_of_one_room_from_start_to_finish() {
        let (db, ids) = register();
        let st = start(&db, &["room 1"]).unwrap();
        assert_eq!(st.locations, ["Room 1"]);
        assert_eq!(
            st.counts.expected, 2,
            "IT-1 and IT-3; the retired IT-5 is not expected"
        );
        let scan_tag = |tag: &str| {
            db.write(Source::Cli, |tx| scan(tx, st.id, tag, None))
                .unwrap()
        };

        let s = scan_tag("it-1");
        assert_eq!((s.item.outcome, s.repeat), (Outcome::Found, false));
        assert_eq!(s.counts.found, 1);
        assert!(scan_tag("IT-1").repeat, "a second scan changes nothing");

        let s = scan_tag("IT-2");
        assert_eq!(s.item.outcome, Outcome::Elsewhere);
        assert_eq!(s.item.expected_location.as_deref(), Some("Room 2"));
        assert_eq!(s.move_to.as_deref(), Some("Room 1"));
        let moved = db
            .write(Source::Cli, |tx| move_here(tx, st.id, s.item.id))
            .unwrap();
        assert!(moved.moved);
        let it2 = db.read(|c| assets::get_asset(c, ids[1])).unwrap();
        assert_eq!(it2.location.as_deref(), Some("Room 1"));
        assert_eq!(
            it2.status,
            Status::Deployed,
            "deployed at a location stays deployed"
        );

        let s = scan_tag("NEW-999");
        assert_eq!(s.item.outcome, Outcome::Unexpected);
        assert_eq!(s.item.asset_id, None);
        let s = scan_tag("IT-5");
        assert_eq!(s.item.outcome, Outcome::Unexpected);
        assert_eq!(s.item.note.as_deref(), Some("Registered as Retired"));

        // Paused and resumed: the open stocktake is read back as it was.
        let open = db.read(open_stocktake).unwrap().unwrap();
        assert_eq!(open.id, st.id);
        assert_eq!(open.counts.not_seen, 1);

        let unseen = db
            .read(|c| list_items(c, st.id, Some(Outcome::NotSeen)))
            .unwrap();
        assert_eq!(unseen.len(), 1);
        assert_eq!(unseen[0].tag, "IT-3");
        let done = db
            .write(Source::Cli, |tx| {
                finish_stocktake(
                    tx,
                    st.id,
                    &FinishInput {
                        lost_all: false,
                        lost: vec![unseen[0].id],
                        note: Some("Not in the cupboard either".into()),
                    },
                )
            })
            .unwrap();
        let c = done.counts;
        assert_eq!(
            (
                c.expected,
                c.found,
                c.elsewhere,
                c.moved,
                c.unexpected,
                c.unknown,
                c.missing,
                c.marked_lost
            ),
            (2, 1, 1, 1, 2, 1, 1, 1)
        );
        assert!(done.finished_at.is_some() && done.finish_head.is_some());
        assert!(done.finish_event_count.unwrap() > done.start_event_count);
        let it3 = db.read(|c| assets::get_asset(c, ids[2])).unwrap();
        assert_eq!(it3.status, Status::LostStolen);

        let today = format_date(crate::today());
        for (id, seen) in [
            (ids[0], true),
            (ids[1], true),
            (ids[2], false),
            (ids[3], false),
        ] {
            let got = db.read(|c| last_seen(c, id)).unwrap();
            assert_eq!(got.is_some(), seen, "asset {id}");
            if seen {
                assert_eq!(got.as_deref(), Some(today.as_str()));
            }
        }
        let h1 = history(&db, ids[0]);
        assert!(h1.iter().any(|(k, n)| k == "seen"
            && n.as_deref() == Some("Found in Room 1 in the stocktake “Q3 check”")));
        let h2 = history(&db, ids[1]);
        assert!(h2.iter().any(|(k, n)| k == "seen"
            && n.as_deref()
                .unwrap()
                .contains("the register has it at Room 2")));
        assert!(h2.iter().any(|(k, _)| k == "assigned"), "moved: {h2:?}");
        let h3 = history(&db, ids[2]);
        assert!(h3.iter().any(|(k, n)| k == "not_seen"
            && n.as_deref().unwrap().contains("Not in the cupboard either")));
        assert!(h3.iter().any(|(k, _)| k == "status_changed"));
        assert!(db.read(audit::verify).unwrap().ok);

        // Finished: no more scans, and a new one may start (and be called off).
        let e = db
            .write(Source::Cli, |tx| scan(tx, st.id, "IT-3", None))
            .unwrap_err();
        assert!(e.to_string().contains("finished"), "{e}");
        let again = start(&db, &[]).unwrap();
        let off = db
            .write(Source::Cli, |tx| {
                cancel_stocktake(tx, again.id, Some("Started by mistake"))
            })
            .unwrap();
        assert!(off.cancelled && off.finished_at.is_some());
        assert_eq!(
            (off.counts.missing, off.counts.not_seen),
            (0, off.counts.expected)
        );
        assert_eq!(
            db.read(last_finished).unwrap().unwrap().id,
            st.id,
            "not the cancelled one"
        );
        assert!(db.read(open_stocktake).unwrap().is_none());
        let e = db
            .write(Source::Cli, |tx| cancel_stocktake(tx, again.id, None))
            .unwrap_err();
        assert!(e.to_string().contains("finished"), "{e}");
    }

    #[test]
    fn the_list_filters_and_sorts_by_last_seen_and_home_counts_the_unseen() {
        let (db, ids) = register();
        let st = start(&db, &[]).unwrap();
        for tag in ["IT-1", "IT-4"] {
            db.write(Source::Cli, |tx| scan(tx, st.id, tag, None))
                .unwrap();
        }
        let today = crate::today();
        let list = |q: assets::ListQuery| {
            db.read(|c| assets::list_assets(c, &q))
                .unwrap()
                .assets
                .into_iter()
                .map(|a| a.asset_tag)
                .collect::<Vec<_>>()
        };
        let unseen = list(assets::ListQuery {
            not_seen_since: Some(today),
            ..Default::default()
        });
        // IT-5 is retired but still listed: the list filter is by sighting only.
        assert_eq!(unseen, ["IT-2", "IT-3", "IT-5"]);
        let by_seen = list(assets::ListQuery {
            sort: Some("last_seen".into()),
            descending: true,
            ..Default::default()
        });
        let mut seen_first = by_seen[..2].to_vec();
        seen_first.sort();
        assert_eq!(
            seen_first,
            ["IT-1", "IT-4"],
            "the seen ones first: {by_seen:?}"
        );
        let summary = db.read(|c| stocktake_summary(c, today)).unwrap();
        assert_eq!(summary.stale_months, DEFAULT_STALE_MONTHS);
        assert_eq!(summary.open.as_ref().map(|s| s.id), Some(st.id));
        // Never seen counts as not seen; Retired and Lost/Stolen assets are not listed.
        let tags: Vec<&str> = summary
            .unseen
            .iter()
            .map(|u| u.asset_tag.as_str())
            .collect();
        assert_eq!((summary.unseen_total, tags), (2, vec!["IT-2", "IT-3"]));
        // A year on, what was seen today is stale too.
        let later = today.checked_add_months(chrono::Months::new(13)).unwrap();
        assert_eq!(
            db.read(|c| stocktake_summary(c, later))
                .unwrap()
                .unseen_total,
            4
        );
        db.write(Source::App, |tx| set_stale_months(tx, 24))
            .unwrap();
        assert_eq!(
            db.read(|c| stocktake_summary(c, later))
                .unwrap()
                .unseen_total,
            2
        );
        let e = db
            .write(Source::App, |tx| set_stale_months(tx, 0))
            .unwrap_err();
        assert_eq!(e.field(), Some("stale_months"));
        assert!(db.read(|c| last_seen(c, ids[0])).unwrap().is_some());
    }

    #[test]
    fn refusals_change_nothing() {
        let (db, _) = register();
        let before = db.read(audit::head).unwrap();
        let e = start(&db, &["Attic"]).unwrap_err();
        assert!(e.to_string().contains("no location called “Attic”"), "{e}");
        let e = db
            .write(Source::Cli, |tx| {
                start_stocktake(
                    tx,
                    &StocktakeInput {
                        name: " ".into(),
                        counted_by: "Alex".into(),
                        ..Default::default()
                    },
                )
            })
            .unwrap_err();
        assert_eq!(e.field(), Some("name"));
        assert_eq!(db.read(audit::head).unwrap(), before);

        let st = start(&db, &["Room 1", "Room 2"]).unwrap();
        assert_eq!(st.counts.expected, 3);
        let e = start(&db, &[]).unwrap_err();
        assert!(e.to_string().contains("still open"), "{e}");
        let head = db.read(audit::head).unwrap();
        let e = db
            .write(Source::Cli, |tx| scan(tx, st.id, "IT-1", Some("Garage")))
            .unwrap_err();
        assert_eq!(e.field(), Some("room"));
        let e = db
            .write(Source::Cli, |tx| scan(tx, st.id, "  ", None))
            .unwrap_err();
        assert_eq!(e.field(), Some("tag"));
        let e = db
            .write(Source::Cli, |tx| {
                finish_stocktake(
                    tx,
                    st.id,
                    &FinishInput {
                        lost: vec![9999],
                        ..Default::default()
                    },
                )
            })
            .unwrap_err();
        assert_eq!(e.field(), Some("lost"));
        assert_eq!(db.read(audit::head).unwrap(), head);

        // With several rooms, the room scanned in decides found or elsewhere.
        let s = db
            .write(Source::Cli, |tx| scan(tx, st.id, "IT-2", Some("room 1")))
            .unwrap();
        assert_eq!(s.item.outcome, Outcome::Elsewhere);
        let s = db
            .write(Source::Cli, |tx| scan(tx, st.id, "IT-1", Some("Room 1")))
            .unwrap();
        assert_eq!(s.item.outcome, Outcome::Found);
        let s = db
            .write(Source::Cli, |tx| scan(tx, st.id, "IT-4", Some("Room 2")))
            .unwrap();
        assert_eq!(s.item.outcome, Outcome::Elsewhere);
        assert_eq!(s.item.expected_location.as_deref(), Some("with Sam Patel"));
        let moved = db
            .write(Source::Cli, |tx| move_here(tx, st.id, s.item.id))
            .unwrap();
        assert!(moved.moved);
        let a = db.read(|c| assets::find_asset(c, "IT-4")).unwrap();
        assert_eq!(
            (a.status, a.location.as_deref()),
            (Status::Available, Some("Room 2"))
        );
    }
}
