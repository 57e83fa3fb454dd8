//! The rules of a stocktake that need no storage, shared by every store: what starting one
//! needs, when a scan, a move, a finish or a cancel is refused, what a scanned tag becomes
//! (found, found elsewhere, unexpected) and the notes each outcome leaves in an asset's history,
//! and what every stocktake event records. The file's functions (`mod.rs`) call them, and so
//! does the team register on PostgreSQL (`register_pg::stocktake`), so both stores refuse the
//! same things in the same words and record the same events. Nothing here reads or writes a
//! database: finding the stocktake, its items, the assets and the locations, and writing the
//! rows, stay with each store.

use chrono::NaiveDate;

use super::{FinishInput, Item, Outcome, Stocktake, StocktakeInput};
use crate::assets::Asset;
use crate::audit::{Action, Change, Entity, NewEvent};
use crate::error::{Error, Result};
use crate::status::Status;
use crate::values::{format_date, text};

/// The settings key of [`super::stale_months`].
pub const STALE_MONTHS_KEY: &str = "stale_months";

/// How many months without a sighting make Home list an asset, by default.
pub const DEFAULT_STALE_MONTHS: u32 = 12;

/// A stocktake's start as it is stored: its name and counter checked, its day (today when none
/// was given), and the names of the locations it covers as typed (trimmed, blanks left out;
/// each store looks them up, see [`no_location`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidStart {
    /// Its name, at most 200 characters.
    pub name: String,
    /// Who is counting, at most 200 characters.
    pub counted_by: String,
    /// The day it is for, YYYY-MM-DD.
    pub on_date: String,
    /// The locations asked for; empty for everything.
    pub locations: Vec<String>,
}

/// The checked text of a required field.
fn required(field: &str, what: &str, s: &str) -> Result<String> {
    let t = text(s).ok_or_else(|| Error::invalid(field, format!("enter {what}")))?;
    if t.chars().count() > 200 {
        return Err(Error::invalid(field, "at most 200 characters"));
    }
    Ok(t)
}

/// Checks what starts a stocktake: a name and who is counting are required.
pub fn check_start(input: &StocktakeInput) -> Result<ValidStart> {
    Ok(ValidStart {
        name: required("name", "a name for the stocktake", &input.name)?,
        counted_by: required("counted_by", "who is counting", &input.counted_by)?,
        on_date: format_date(input.on_date.unwrap_or_else(crate::today)),
        locations: input.locations.iter().filter_map(|l| text(l)).collect(),
    })
}

/// The refusal of a second stocktake while `open` is still open (at most one is open at a time).
pub fn still_open(open: &str) -> Error {
    Error::Refused(format!(
        "the stocktake “{open}” is still open: finish it before starting another"
    ))
}

/// The refusal of a location the register does not have, named in `field` (`locations` when
/// starting, `room` when scanning).
pub fn no_location(field: &str, name: &str) -> Error {
    Error::invalid(field, format!("there is no location called “{name}”"))
}

/// Refuses a change to a stocktake that has finished (or was cancelled).
pub fn check_open(st: &Stocktake) -> Result<()> {
    if st.finished_at.is_some() {
        return Err(Error::Refused(format!(
            "the stocktake “{}” is finished; start a new one",
            st.name
        )));
    }
    Ok(())
}

/// "Everything", or the locations' names.
pub fn scope_text(st: &Stocktake) -> String {
    if st.all_locations {
        "Everything".to_string()
    } else {
        st.locations.join(", ")
    }
}

/// Where the register has an asset, as an item's `expected_location` says it: its location, or
/// "with" the person who holds it. Listing the expected assets at the start says the same in
/// each store's SQL (`COALESCE(location_name, 'with ' || person_name)`).
pub fn where_registered(a: &Asset) -> Option<String> {
    a.location
        .clone()
        .or_else(|| a.assigned_to.as_ref().map(|p| format!("with {p}")))
}

/// The started event, once the expected items are listed (`st` read back with its counts).
pub fn started_event(st: &Stocktake) -> NewEvent<'_> {
    NewEvent::about_stocktake(
        st.id,
        &st.name,
        Action::StocktakeStarted,
        vec![
            Change::new("scope", None, Some(scope_text(st))),
            Change::new("on_date", None, Some(st.on_date.clone())),
            Change::new("counted_by", None, Some(st.counted_by.clone())),
            Change::new("expected", None, Some(st.counts.expected.to_string())),
        ],
        None,
    )
}

/// A scanned or typed tag, trimmed: required, at most 100 characters.
pub fn check_tag(tag: &str) -> Result<String> {
    let tag = text(tag).ok_or_else(|| Error::invalid("tag", "scan or type a tag"))?;
    if tag.chars().count() > 100 {
        return Err(Error::invalid("tag", "a tag is at most 100 characters"));
    }
    Ok(tag)
}

/// The room a scan names, trimmed (`None`: not said).
pub fn room_asked(room: Option<&str>) -> Option<String> {
    room.and_then(text)
}

/// The room of a scan that names none: the scope's only location, else unknown.
pub fn default_room(st: &Stocktake) -> Option<String> {
    match st.locations.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The room `asked` for a scan, given `found`, the name of the location the register has by
/// that name (`None` when it has none): refused unless it is one, and in the stocktake's scope.
pub fn check_room(st: &Stocktake, asked: &str, found: Option<String>) -> Result<String> {
    let known = found.ok_or_else(|| no_location("room", asked))?;
    if !st.all_locations && !st.locations.iter().any(|l| l.eq_ignore_ascii_case(&known)) {
        return Err(Error::invalid(
            "room",
            format!(
                "{known} is not in this stocktake (it covers {})",
                scope_text(st)
            ),
        ));
    }
    Ok(known)
}

/// What scanning an expected item that was not seen yet makes of it, and the note of its
/// asset's `seen` event.
#[derive(Debug, Clone, PartialEq)]
pub struct Sighting {
    /// Found, or found elsewhere when the room differs from where the register has it.
    pub outcome: Outcome,
    /// The note on the asset's `seen` event.
    pub note: String,
}

/// Scanning the expected, not yet seen `item` in `room` of the stocktake called `name`.
pub fn plan_sighting(item: &Item, room: Option<&str>, name: &str) -> Sighting {
    let elsewhere = match (room, item.expected_location.as_deref()) {
        (Some(r), Some(e)) => !r.eq_ignore_ascii_case(e),
        (Some(_), None) => true,
        (None, _) => false,
    };
    let note = match (elsewhere, room) {
        (true, Some(r)) => format!(
            "Found in {r} in the stocktake “{name}”; the register has it {}",
            where_text(item.expected_location.as_deref())
        ),
        (_, Some(r)) => format!("Found in {r} in the stocktake “{name}”"),
        (_, None) => format!("Found in the stocktake “{name}”"),
    };
    Sighting {
        outcome: if elsewhere {
            Outcome::Elsewhere
        } else {
            Outcome::Found
        },
        note,
    }
}

/// What scanning a tag the stocktake did not list makes of it: a new item, and its note.
#[derive(Debug, Clone, PartialEq)]
pub struct Unlisted {
    /// The tag as the register spells it (as scanned when the register does not know it).
    pub tag: String,
    /// Found elsewhere (a live asset not expected here), or unexpected.
    pub outcome: Outcome,
    /// Why, as the item's note: "Not expected here", "Archived", "Registered as Retired"…
    pub why: String,
    /// Where the register has the asset.
    pub expected_location: Option<String>,
    /// The note of the event: on the asset's `seen` event when [`Unlisted::sights`], else on
    /// the stocktake's own event.
    pub note: String,
    /// Whether the asset is sighted (a live asset: its `last_seen` is set and its history says
    /// so); an unknown or archived tag is noted on the stocktake instead.
    pub sights: bool,
}

/// Scanning `tag`, which the stocktake called `name` did not list, in `room`: `asset` is the
/// asset the register has with that tag, if any (archived ones included).
pub fn plan_unlisted(tag: &str, asset: Option<&Asset>, room: Option<&str>, name: &str) -> Unlisted {
    let (outcome, why) = match asset {
        None => (
            Outcome::Unexpected,
            "No asset in the register has this tag".to_string(),
        ),
        Some(a) if a.archived => (Outcome::Unexpected, "Archived".to_string()),
        Some(a) if matches!(a.status, Status::Retired | Status::LostStolen) => (
            Outcome::Unexpected,
            format!("Registered as {}", a.status.label()),
        ),
        Some(_) => (Outcome::Elsewhere, "Not expected here".to_string()),
    };
    let expected_location = asset.and_then(where_registered);
    let tag = asset.map_or(tag.to_string(), |a| a.asset_tag.clone());
    let sights = asset.is_some_and(|a| !a.archived);
    let note = if sights {
        let place = room.map_or(String::new(), |r| format!(" in {r}"));
        if outcome == Outcome::Elsewhere {
            format!(
                "Found{place} in the stocktake “{name}”; the register has it {}",
                where_text(expected_location.as_deref())
            )
        } else {
            format!(
                "Found{place} in the stocktake “{name}”; {}",
                why.to_lowercase()
            )
        }
    } else {
        format!("Tag {tag} scanned: {}", why.to_lowercase())
    };
    Unlisted {
        tag,
        outcome,
        why,
        expected_location,
        note,
        sights,
    }
}

fn where_text(loc: Option<&str>) -> String {
    match loc {
        Some(l) if l.starts_with("with ") => l.to_string(),
        Some(l) => format!("at {l}"),
        None => "nowhere in particular".to_string(),
    }
}

/// The `seen` event of asset `a`, sighted on `day` (its `last_seen` was `old`), with `note`.
pub fn seen_event<'a>(a: &'a Asset, old: Option<String>, day: &str, note: &'a str) -> NewEvent<'a> {
    let changes = vec![Change::new("last_seen", old, Some(day.to_string()))]
        .into_iter()
        .filter(|c| c.old != c.new)
        .collect();
    NewEvent::for_asset(a.id, &a.asset_tag, Action::Seen, changes, Some(note))
}

/// The stocktake's own `seen` event for a tag with no live asset to note it on (unknown, or
/// archived: then `asset_id` names it).
pub fn tag_seen_event<'a>(st: &'a Stocktake, asset_id: Option<i64>, note: &'a str) -> NewEvent<'a> {
    NewEvent {
        action: Action::Seen,
        entity: Entity::Stocktake,
        entity_id: Some(st.id),
        asset_id,
        label: &st.name,
        changes: Vec::new(),
        note: Some(note),
    }
}

/// Found elsewhere, in a known room, and not moved yet: offer to move it there.
pub fn offer_move(item: &Item, room: Option<&str>) -> Option<String> {
    (item.outcome == Outcome::Elsewhere && !item.moved && item.asset_id.is_some())
        .then(|| {
            item.seen_location
                .clone()
                .or_else(|| room.map(String::from))
        })
        .flatten()
}

/// Checks that `item` can be moved to where it was found: the asset and the room it was found
/// in, or why not.
pub fn check_move(item: &Item) -> Result<(i64, String)> {
    let (Some(aid), Some(room)) = (item.asset_id, item.seen_location.clone()) else {
        return Err(Error::Refused(format!(
            "{} cannot be moved: {}",
            item.tag,
            if item.asset_id.is_none() {
                "the register does not know it"
            } else {
                "the room it was found in is not known"
            }
        )));
    };
    if item.outcome != Outcome::Elsewhere || item.moved {
        return Err(Error::Refused(format!(
            "{} was not found elsewhere, or is already moved",
            item.tag
        )));
    }
    Ok((aid, room))
}

/// The note of the move of an item found in the stocktake called `name`.
pub fn moved_note(name: &str) -> String {
    format!("Moved to where it was found in the stocktake “{name}”")
}

/// Checks a finish against the items still `unseen`: every item to mark Lost/Stolen must be
/// one of them. Gives the note, trimmed.
pub fn check_finish(unseen: &[Item], input: &FinishInput) -> Result<Option<String>> {
    for lid in &input.lost {
        if !unseen.iter().any(|i| i.id == *lid) {
            return Err(Error::invalid(
                "lost",
                format!("item {lid} is not an unseen item of this stocktake"),
            ));
        }
    }
    Ok(input.note.as_deref().and_then(text))
}

/// Whether a finish marks the unseen item `item_id` Lost/Stolen.
pub fn marks_lost(input: &FinishInput, item_id: i64) -> bool {
    input.lost_all || input.lost.contains(&item_id)
}

/// The note of a missing asset's `not_seen` event (and of its status change, when marked).
pub fn missing_note(name: &str, note: Option<&str>) -> String {
    match note {
        Some(n) => format!("Not seen in the stocktake “{name}”: {n}"),
        None => format!("Not seen in the stocktake “{name}”"),
    }
}

/// A missing asset's `not_seen` event.
pub fn not_seen_event<'a>(a: &'a Asset, why: &'a str) -> NewEvent<'a> {
    NewEvent::for_asset(a.id, &a.asset_tag, Action::NotSeen, Vec::new(), Some(why))
}

/// Whether marking the missing asset `a` Lost/Stolen changes its status (not when archived, or
/// Lost/Stolen already).
pub fn becomes_lost(a: &Asset) -> bool {
    !a.archived && a.status != Status::LostStolen
}

/// The finished event, with its counts (`done` read back after the finish) and the note.
pub fn finished_event<'a>(done: &'a Stocktake, note: Option<&'a str>) -> NewEvent<'a> {
    let c = done.counts;
    NewEvent::about_stocktake(
        done.id,
        &done.name,
        Action::StocktakeFinished,
        vec![Change::new(
            "result",
            None,
            Some(format!(
                "{} expected: {} found, {} elsewhere ({} moved), {} unexpected, {} missing ({} \
                 marked Lost/Stolen)",
                c.expected, c.found, c.elsewhere, c.moved, c.unexpected, c.missing, c.marked_lost
            )),
        )],
        note,
    )
}

/// The cancelled event (`done` read back after it closed), with the reason.
pub fn cancelled_event<'a>(done: &'a Stocktake, reason: Option<&'a str>) -> NewEvent<'a> {
    NewEvent::about_stocktake(
        done.id,
        &done.name,
        Action::StocktakeCancelled,
        vec![Change::new(
            "result",
            None,
            Some(format!(
                "{} of {} expected seen; the {} not seen were not marked missing",
                done.counts.found + done.counts.elsewhere,
                done.counts.expected,
                done.counts.not_seen
            )),
        )],
        reason,
    )
}

/// The setting as stored (`None`: never set), or the default.
pub fn stale_months_of(value: Option<&str>) -> u32 {
    value
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_STALE_MONTHS)
}

/// The day before which an asset counts as not seen lately, `months` before `today`.
pub fn stale_since(today: NaiveDate, months: u32) -> NaiveDate {
    today
        .checked_sub_months(chrono::Months::new(months))
        .unwrap_or(today)
}

/// Checks a new stale-months setting, 1 to 120, and gives the event that records changing it
/// from `old`; `None` when it does not change (nothing to write).
pub fn stale_months_changed(old: u32, months: u32) -> Result<Option<NewEvent<'static>>> {
    if !(1..=120).contains(&months) {
        return Err(Error::invalid(
            "stale_months",
            "give a number of months from 1 to 120",
        ));
    }
    Ok((old != months).then(|| {
        NewEvent::settings_edited(vec![Change::new(
            STALE_MONTHS_KEY,
            Some(old.to_string()),
            Some(months.to_string()),
        )])
    }))
}

/// [`still_open`] as the team register says it, where several people share the register: also
/// who started the open stocktake (`who`: the login's person and the login, or the login) and
/// when (its `started_at`, shown to the second in UTC).
pub fn still_open_by(open: &Stocktake, who: &str) -> Error {
    let at = open.started_at.get(..19).unwrap_or(&open.started_at);
    Error::Refused(format!(
        "the stocktake “{}” is still open, started by {who} at {} UTC: finish it (or cancel \
         it) before starting another",
        open.name,
        at.replace('T', " ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stocktake::Counts;

    fn asset(status: Status, archived: bool) -> Asset {
        Asset {
            id: 7,
            asset_tag: "IT-7".into(),
            name: "Laptop".into(),
            category: None,
            make: None,
            model: None,
            serial_number: None,
            purchase_date: None,
            purchase_cost: None,
            supplier: None,
            warranty_expires: None,
            status,
            assigned_to: Some("Sam Patel".into()),
            location: None,
            notes: None,
            person_id: Some(1),
            location_id: None,
            created_at: String::new(),
            updated_at: String::new(),
            archived,
            document_count: 0,
            last_seen: None,
        }
    }

    fn stocktake(locations: &[&str]) -> Stocktake {
        Stocktake {
            id: 1,
            name: "Q4".into(),
            on_date: "2026-12-01".into(),
            counted_by: "Alex".into(),
            all_locations: locations.is_empty(),
            locations: locations.iter().map(|l| l.to_string()).collect(),
            started_at: "2026-12-01T09:30:05.123456Z".into(),
            finished_at: None,
            start_event_count: 0,
            start_head: String::new(),
            finish_event_count: None,
            finish_head: None,
            cancelled: false,
            counts: Counts::default(),
        }
    }

    #[test]
    fn an_unlisted_tag_is_elsewhere_when_live_and_unexpected_otherwise() {
        let live = plan_unlisted("it-7", Some(&asset(Status::Deployed, false)), None, "Q4");
        assert_eq!(
            (live.outcome, live.tag.as_str(), live.sights),
            (Outcome::Elsewhere, "IT-7", true)
        );
        assert_eq!(
            live.note,
            "Found in the stocktake “Q4”; the register has it with Sam Patel"
        );
        let retired = plan_unlisted(
            "IT-7",
            Some(&asset(Status::Retired, false)),
            Some("Room 1"),
            "Q4",
        );
        assert_eq!(
            (retired.outcome, retired.why.as_str(), retired.sights),
            (Outcome::Unexpected, "Registered as Retired", true)
        );
        let archived = plan_unlisted("IT-7", Some(&asset(Status::Available, true)), None, "Q4");
        assert_eq!(
            (archived.sights, archived.note.as_str()),
            (false, "Tag IT-7 scanned: archived")
        );
        let unknown = plan_unlisted("NEW-1", None, None, "Q4");
        assert_eq!(
            (unknown.outcome, unknown.tag.as_str(), unknown.sights),
            (Outcome::Unexpected, "NEW-1", false)
        );
    }

    #[test]
    fn rooms_and_refusals_are_said_the_same_in_every_store() {
        let st = stocktake(&["Room 1", "Room 2"]);
        assert_eq!(default_room(&st), None);
        assert_eq!(
            default_room(&stocktake(&["Room 1"])).as_deref(),
            Some("Room 1")
        );
        let e = check_room(&st, "garage", Some("Garage".into())).unwrap_err();
        assert_eq!(e.field(), Some("room"));
        assert!(e
            .to_string()
            .contains("Garage is not in this stocktake (it covers Room 1, Room 2)"));
        assert_eq!(
            check_room(&st, "room 2", Some("Room 2".into())).unwrap(),
            "Room 2"
        );
        assert_eq!(
            still_open_by(&st, "Alice Smith (alice)").to_string(),
            "the stocktake “Q4” is still open, started by Alice Smith (alice) at 2026-12-01 \
             09:30:05 UTC: finish it (or cancel it) before starting another"
        );
        assert_eq!(check_tag("  it-1 ").unwrap(), "it-1");
        assert_eq!(check_tag(" ").unwrap_err().field(), Some("tag"));
        assert_eq!(
            stale_months_changed(12, 12)
                .unwrap()
                .map(|e| e.changes.len()),
            None
        );
        assert_eq!(
            stale_months_changed(12, 121).unwrap_err().field(),
            Some("stale_months")
        );
    }
}
