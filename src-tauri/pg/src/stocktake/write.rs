//! Starting, scanning into, moving from, finishing and cancelling a stocktake in the team
//! register, and its stale-months setting, each inside the caller's transaction
//! ([`crate::write`]) with the file's events, by the core's rules.
//!
//! Order of every change, as for assets (`assets::write`): the rows first (the stocktake's
//! row, locked `FOR UPDATE`, then the assets it touches, locked in id order), and only then
//! the chain head, which a change holds until it commits; so the one holding the head waits for
//! nothing else, and no two changes wait for each other in a circle. A start needs no lock of
//! its own: the partial unique index refuses a second open stocktake (a start waits there for
//! the other start to commit or roll back), and the start's `start_head` is written once it
//! holds the head, just before its event, as the file's is.

use postgres::types::Type;
use register_core::assets::Asset;
use register_core::names::Kind;
use register_core::status::Status;
use register_core::stocktake::{
    becomes_lost, cancelled_event, check_finish, check_move, check_open, check_room, check_start,
    check_tag, default_room, finished_event, marks_lost, missing_note, moved_note, no_location,
    not_seen_event, offer_move, plan_sighting, plan_unlisted, room_asked, seen_event,
    stale_months_changed, started_event, still_open_by, tag_seen_event, FinishInput, Item, Outcome,
    Scan, Stocktake, StocktakeInput, ValidStart, STALE_MONTHS_KEY,
};
use register_core::values::{format_date, text};

use super::read::{counts, get_stocktake, header, item_from_row, list_items, ITEM};
use crate::assets::{self, lock, Versioned};
use crate::audit;
use crate::conflict::Record;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::names;
use crate::settings::{lock_settings, put_setting};

/// Starts a stocktake and lists what the register expects in its scope (every live asset that
/// is not Retired or Lost/Stolen, at one of its locations, or anywhere), as the file's
/// `start_stocktake` does. Refused, changing nothing, for a location the register does not
/// have, and while another stocktake is open: then the refusal names it, who started it and
/// when, also when the other was started a moment ago by another client.
pub fn start_stocktake(tx: &mut Tx<'_>, input: &StocktakeInput) -> Result<Stocktake> {
    let ValidStart {
        name,
        counted_by,
        on_date,
        locations: asked,
    } = check_start(input)?;
    if let Some(open) = super::open_stocktake(tx.client())? {
        return Err(refuse_second(tx, &open)?);
    }
    let mut locations: Vec<(i64, String)> = Vec::new();
    for l in &asked {
        let found = names::find(tx.client(), Kind::Location, l)?
            .ok_or_else(|| no_location("locations", l))?;
        if !locations.iter().any(|(id, _)| *id == found.id) {
            locations.push((found.id, found.name));
        }
    }
    let all = locations.is_empty();
    // The head is written once held, below; until then the row says nothing of it.
    let id: Option<i64> = tx
        .client()
        .query_typed_opt(
            "INSERT INTO public.stocktakes (name, on_date, counted_by, all_locations,
                 started_at, start_event_count, start_head)
             VALUES ($1, $2::text::date, $3, $4, statement_timestamp(), 0, '')
             ON CONFLICT ((finished_at IS NULL)) WHERE finished_at IS NULL DO NOTHING
             RETURNING id",
            &[
                (&name, Type::TEXT),
                (&on_date, Type::TEXT),
                (&counted_by, Type::TEXT),
                (&all, Type::BOOL),
            ],
        )?
        .map(|r| r.get(0));
    let Some(id) = id else {
        // Another client's start committed while this one waited on the index.
        let open = super::open_stocktake(tx.client())?.ok_or_else(|| {
            Error::Refused("another stocktake was started at the same moment".into())
        })?;
        return Err(refuse_second(tx, &open)?);
    };
    let ids: Vec<i64> = locations.iter().map(|l| l.0).collect();
    tx.client().query_typed(
        "INSERT INTO public.stocktake_locations (stocktake_id, location_id)
         SELECT $1, unnest($2::int8[])",
        &[(&id, Type::INT8), (&ids, Type::INT8_ARRAY)],
    )?;
    tx.client().query_typed(
        "INSERT INTO public.stocktake_items (stocktake_id, asset_id, tag, name, expected,
             expected_location)
         SELECT $1, a.id, a.asset_tag, a.name, true,
                COALESCE(a.location_name, 'with ' || a.person_name)
           FROM public.assets a
          WHERE a.archived_at IS NULL AND a.status NOT IN ('retired', 'lost_stolen')
            AND ($2 OR a.location_id = ANY ($3::int8[]))
          ORDER BY a.id",
        &[
            (&id, Type::INT8),
            (&all, Type::BOOL),
            (&ids, Type::INT8_ARRAY),
        ],
    )?;
    let (count, head) = audit::hold(tx)?;
    tx.client().query_typed(
        "UPDATE public.stocktakes SET start_event_count = $1, start_head = $2 WHERE id = $3",
        &[(&count, Type::INT8), (&head, Type::TEXT), (&id, Type::INT8)],
    )?;
    let st = get_stocktake(tx.client(), id)?;
    audit::record(tx, &started_event(&st))?;
    Ok(st)
}

/// The refusal of a start while `open` is open: which, who started it (the login's person, as
/// a refused save names people, see `conflict`) and when.
fn refuse_second(tx: &mut Tx<'_>, open: &Stocktake) -> Result<Error> {
    let who = tx
        .client()
        .query_typed_opt(
            "SELECT e.actor, (SELECT p.name FROM public.logins l
                                JOIN public.people p ON p.id = l.person_id
                               WHERE l.login = e.actor) AS person
               FROM public.audit_log e
              WHERE e.entity = 'stocktake' AND e.entity_id = $1
                AND e.action = 'stocktake_started'
              ORDER BY e.id LIMIT 1",
            &[(&open.id, Type::INT8)],
        )?
        .map(|r| -> Result<String> {
            let actor: String = r.try_get("actor")?;
            Ok(match r.try_get::<_, Option<String>>("person")? {
                Some(person) => format!("{person} ({actor})"),
                None => actor,
            })
        })
        .transpose()?
        .unwrap_or_else(|| "someone".to_string());
    Ok(still_open_by(open, &who).into())
}

/// The stocktake `id`, locked for this change, refused unless it is open.
fn lock_open(tx: &mut Tx<'_>, id: i64) -> Result<Stocktake> {
    let st = header(tx.client(), id, true)?;
    check_open(&st)?;
    Ok(st)
}

/// The room a scan was made in, by the core's rules: the one given (a location of the
/// register, in the scope), else the scope's only location, else unknown.
fn room_of(tx: &mut Tx<'_>, st: &Stocktake, room: Option<&str>) -> Result<Option<String>> {
    let Some(asked) = room_asked(room) else {
        return Ok(default_room(st));
    };
    let found = names::find(tx.client(), Kind::Location, &asked)?.map(|n| n.name);
    Ok(Some(check_room(st, &asked, found)?))
}

/// Records `a`'s sighting on `day`: its `last_seen` (which moves its row version on, so a form
/// opened before is told of it) and a `seen` event naming that version. `a` is locked.
fn sight(tx: &mut Tx<'_>, a: &Asset, day: &str, note: &str) -> Result<()> {
    let version: i64 = tx
        .client()
        .query_typed_one(
            "UPDATE public.assets SET last_seen = $1::text::date, updated_at = statement_timestamp()
              WHERE id = $2 RETURNING version",
            &[(&day, Type::TEXT), (&a.id, Type::INT8)],
        )?
        .get(0);
    let event = seen_event(a, a.last_seen.clone(), day, note);
    audit::record_versioned(tx, &event, Record::Asset, version)?;
    Ok(())
}

/// Records one scanned (or ticked) tag in stocktake `id`, found in `room`, as the file's `scan`
/// does (what it becomes is the core's `plan_sighting` and `plan_unlisted`). Refused when the
/// stocktake is finished or cancelled, also by someone else a moment ago. Scans from several
/// clients into one stocktake are applied one after the other, each seeing the ones before.
pub fn scan(tx: &mut Tx<'_>, id: i64, tag: &str, room: Option<&str>) -> Result<Scan> {
    let st = lock_open(tx, id)?;
    let tag = check_tag(tag)?;
    let room = room_of(tx, &st, room)?;
    let day = format_date(register_core::today());
    let existing = tx
        .client()
        .query_typed_opt(
            &format!(
                r#"{ITEM} WHERE stocktake_id = $1
                     AND lower(tag COLLATE "C") = lower($2 COLLATE "C")"#
            ),
            &[(&id, Type::INT8), (&tag, Type::TEXT)],
        )?
        .map(|r| item_from_row(&r))
        .transpose()?;
    let item_id = match existing {
        Some(item) if item.outcome != Outcome::NotSeen => {
            let move_to = offer_move(&item, room.as_deref());
            return Ok(Scan {
                item,
                repeat: true,
                move_to,
                counts: counts(tx.client(), id)?,
            });
        }
        Some(item) => {
            let seen = plan_sighting(&item, room.as_deref(), &st.name);
            let asset = item
                .asset_id
                .map(|aid| lock(tx.client(), aid))
                .transpose()?;
            set_seen(tx, item.id, seen.outcome, room.as_deref())?;
            if let Some(a) = asset {
                sight(tx, &a.asset, &day, &seen.note)?;
            }
            item.id
        }
        None => {
            let asset = match assets::find_asset(tx.client(), &tag) {
                Ok(found) => Some(lock(tx.client(), found.asset.id)?.asset),
                Err(Error::Core(register_core::Error::NotFound { .. })) => None,
                Err(e) => return Err(e),
            };
            let new = plan_unlisted(&tag, asset.as_ref(), room.as_deref(), &st.name);
            let item_id: i64 = tx
                .client()
                .query_typed_one(
                    "INSERT INTO public.stocktake_items (stocktake_id, asset_id, tag, name,
                         expected, expected_location, outcome, seen_at, seen_location, note)
                     VALUES ($1, $2, $3, $4, false, $5, $6, statement_timestamp(), $7, $8)
                     RETURNING id",
                    &[
                        (&id, Type::INT8),
                        (&asset.as_ref().map(|a| a.id), Type::INT8),
                        (&new.tag, Type::TEXT),
                        (&asset.as_ref().map(|a| a.name.clone()), Type::TEXT),
                        (&new.expected_location, Type::TEXT),
                        (&new.outcome.as_str(), Type::TEXT),
                        (&room, Type::TEXT),
                        (&new.why, Type::TEXT),
                    ],
                )?
                .get(0);
            match &asset {
                Some(a) if new.sights => sight(tx, a, &day, &new.note)?,
                _ => {
                    let event = tag_seen_event(&st, asset.as_ref().map(|a| a.id), &new.note);
                    audit::record(tx, &event)?;
                }
            }
            item_id
        }
    };
    let item = get_item(tx, item_id)?;
    let move_to = offer_move(&item, room.as_deref());
    Ok(Scan {
        item,
        repeat: false,
        move_to,
        counts: counts(tx.client(), id)?,
    })
}

/// Marks the item `item_id` seen now, with `outcome`, in `room`.
fn set_seen(tx: &mut Tx<'_>, item_id: i64, outcome: Outcome, room: Option<&str>) -> Result<()> {
    tx.client().query_typed(
        "UPDATE public.stocktake_items SET outcome = $1, seen_at = statement_timestamp(),
             seen_location = $2
         WHERE id = $3",
        &[
            (&outcome.as_str(), Type::TEXT),
            (&room, Type::TEXT),
            (&item_id, Type::INT8),
        ],
    )?;
    Ok(())
}

/// The item `item_id`.
fn get_item(tx: &mut Tx<'_>, item_id: i64) -> Result<Item> {
    tx.client()
        .query_typed_opt(&format!("{ITEM} WHERE id = $1"), &[(&item_id, Type::INT8)])?
        .map(|r| item_from_row(&r))
        .transpose()?
        .ok_or_else(|| register_core::Error::not_found("stocktake item", item_id).into())
}

/// Moves the item `item_id` of stocktake `id`, found elsewhere, to the room it was found in
/// (`assets::move_to_location`, with the file's note), and marks it moved, as the file's
/// `move_here` does.
pub fn move_here(tx: &mut Tx<'_>, id: i64, item_id: i64) -> Result<Item> {
    let st = lock_open(tx, id)?;
    let item = get_item(tx, item_id)?;
    let owned: bool = tx
        .client()
        .query_typed_one(
            "SELECT EXISTS (SELECT 1 FROM public.stocktake_items
                             WHERE id = $1 AND stocktake_id = $2)",
            &[(&item_id, Type::INT8), (&id, Type::INT8)],
        )?
        .get(0);
    if !owned {
        return Err(register_core::Error::not_found("stocktake item", item_id).into());
    }
    let (aid, room) = check_move(&item)?;
    // The move is the stocktake's, not a form's: it starts from the version it finds.
    let Versioned { version, .. } = lock(tx.client(), aid)?;
    assets::move_to_location(tx, aid, version, &room, Some(&moved_note(&st.name)))?;
    tx.client().query_typed(
        "UPDATE public.stocktake_items SET moved = true WHERE id = $1",
        &[(&item_id, Type::INT8)],
    )?;
    get_item(tx, item_id)
}

/// Finishes stocktake `id`, as the file's `finish_stocktake` does: every item not seen becomes
/// missing, with a `not_seen` event on its asset; those chosen (or all) are also marked
/// Lost/Stolen, with the note. Keeps the audit trail's head, then records `stocktake_finished`
/// with the counts.
pub fn finish_stocktake(tx: &mut Tx<'_>, id: i64, input: &FinishInput) -> Result<Stocktake> {
    let st = lock_open(tx, id)?;
    let unseen = list_items(tx.client(), id, Some(Outcome::NotSeen))?;
    let note = check_finish(&unseen, input)?;
    // Every asset first, in id order, before the head is held by the first event.
    let mut ids: Vec<i64> = unseen.iter().filter_map(|i| i.asset_id).collect();
    ids.sort_unstable();
    tx.client().query_typed(
        "SELECT id FROM public.assets WHERE id = ANY ($1::int8[]) ORDER BY id FOR UPDATE",
        &[(&ids, Type::INT8_ARRAY)],
    )?;
    for item in &unseen {
        let lost = marks_lost(input, item.id);
        tx.client().query_typed(
            "UPDATE public.stocktake_items SET outcome = 'missing', marked_lost = $1, note = $2
              WHERE id = $3",
            &[
                (&lost, Type::BOOL),
                (&note, Type::TEXT),
                (&item.id, Type::INT8),
            ],
        )?;
        let Some(aid) = item.asset_id else { continue };
        // Like every asset event, this one dates the asset's last change, and moves its version.
        tx.client().query_typed(
            "UPDATE public.assets SET updated_at = statement_timestamp() WHERE id = $1",
            &[(&aid, Type::INT8)],
        )?;
        let Versioned { asset: a, version } = lock(tx.client(), aid)?;
        let why = missing_note(&st.name, note.as_deref());
        audit::record_versioned(tx, &not_seen_event(&a, &why), Record::Asset, version)?;
        if lost && becomes_lost(&a) {
            assets::change_status(tx, aid, version, Status::LostStolen, Some(&why))?;
        }
    }
    let (count, head) = audit::hold(tx)?;
    tx.client().query_typed(
        "UPDATE public.stocktakes SET finished_at = statement_timestamp(),
             finish_event_count = $1, finish_head = $2
          WHERE id = $3",
        &[(&count, Type::INT8), (&head, Type::TEXT), (&id, Type::INT8)],
    )?;
    let done = get_stocktake(tx.client(), id)?;
    audit::record(tx, &finished_event(&done, note.as_deref()))?;
    Ok(done)
}

/// Calls off stocktake `id`, as the file's `cancel_stocktake` does: it closes without making
/// anything missing; what was seen stays seen. Audited with the reason.
pub fn cancel_stocktake(tx: &mut Tx<'_>, id: i64, reason: Option<&str>) -> Result<Stocktake> {
    lock_open(tx, id)?;
    let (count, head) = audit::hold(tx)?;
    tx.client().query_typed(
        "UPDATE public.stocktakes SET finished_at = statement_timestamp(),
             finish_event_count = $1, finish_head = $2, cancelled = true
          WHERE id = $3",
        &[(&count, Type::INT8), (&head, Type::TEXT), (&id, Type::INT8)],
    )?;
    let done = get_stocktake(tx.client(), id)?;
    let reason = reason.and_then(text);
    audit::record(tx, &cancelled_event(&done, reason.as_deref()))?;
    Ok(done)
}

/// Sets how many months without a sighting make Home list an asset (1 to 120), as the file's
/// `set_stale_months` does: audited as a settings change, nothing written when it is so
/// already. Settings are locked as `settings` locks them.
pub fn set_stale_months(tx: &mut Tx<'_>, months: u32) -> Result<u32> {
    lock_settings(tx)?;
    let old = super::stale_months(tx.client())?;
    let Some(event) = stale_months_changed(old, months)? else {
        return Ok(months);
    };
    put_setting(tx, STALE_MONTHS_KEY, &months.to_string())?;
    audit::record(tx, &event)?;
    Ok(months)
}
