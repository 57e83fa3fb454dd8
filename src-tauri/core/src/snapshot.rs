//! The register as it stood at a past moment, rebuilt by replaying the audit trail. Read-only;
//! it trusts the trail's content (whether the chain verifies is the report's business, which
//! prints [`crate::audit::verify`] next to any reconstruction).
//!
//! Every asset event lists its field changes with the asset's JSON keys, and a `created` event
//! lists every non-empty field, so an asset's state at any moment is the fold of its events up to
//! then. Person, location and category events are replayed too, so a holder, place or category
//! renamed before the cut-off shows under the name it had at the cut-off, as the live register
//! would have shown it then.
//!
//! Dates are interpreted in UTC, the time zone of the trail's timestamps: "as of 2024-06-30"
//! means every event stamped up to 2024-06-30T23:59:59.999999Z.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::Connection;

use crate::assets::Asset;
use crate::audit::{self, Change, GENESIS};
use crate::error::{Error, Result};
use crate::status::Status;
use crate::values::Money;

/// The register rebuilt at a cut-off.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Events stamped at or before this moment were replayed.
    pub cutoff: DateTime<Utc>,
    /// The assets that existed and were not archived at the cut-off, by tag (ignoring case).
    /// `id` is the asset's row id; `created_at`/`updated_at` are its first and last event times.
    pub assets: Vec<Asset>,
    /// How many events (of every entity) were replayed.
    pub event_count: i64,
    /// The id of the last replayed event (0 when none).
    pub last_event_id: i64,
    /// The hash of the last replayed event ([`GENESIS`] when none): the head the chain had at
    /// the cut-off, which a report printed then would have quoted.
    pub last_hash: String,
}

/// The last instant of `date` in UTC.
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    let last = NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).expect("a valid time");
    date.and_time(last).and_utc()
}

/// The register as it stood at the end of `date` (UTC).
pub fn register_as_of(conn: &Connection, date: NaiveDate) -> Result<Snapshot> {
    register_at(conn, end_of_day(date))
}

/// A renamable name table (people, locations, categories) as it stood during the replay.
#[derive(Default)]
struct Names {
    by_id: HashMap<i64, String>,
    by_key: HashMap<String, i64>,
}

impl Names {
    fn set(&mut self, id: i64, name: &str) {
        if let Some(old) = self.by_id.insert(id, name.to_string()) {
            self.by_key.remove(&old.to_lowercase());
        }
        self.by_key.insert(name.to_lowercase(), id);
    }

    /// Names are unique ignoring case, as the tables enforce.
    fn id_of(&self, name: Option<&str>) -> Option<i64> {
        name.and_then(|n| self.by_key.get(&n.to_lowercase()).copied())
    }

    /// The current spelling of `id`, else the text the event recorded.
    fn resolve(&self, id: Option<i64>, recorded: Option<String>) -> Option<String> {
        id.and_then(|i| self.by_id.get(&i).cloned()).or(recorded)
    }
}

/// One asset mid-replay: the row plus the category's id (not part of [`Asset`]).
struct Replayed {
    asset: Asset,
    category_id: Option<i64>,
}

/// The register as it stood at `cutoff`: replays, in sequence order, every event stamped at or
/// before it. (Events are appended in time order; should a clock have stepped back, an event is
/// still judged by its own stamp.)
pub fn register_at(conn: &Connection, cutoff: DateTime<Utc>) -> Result<Snapshot> {
    let mut people = Names::default();
    let mut locations = Names::default();
    let mut categories = Names::default();
    let mut assets: HashMap<i64, Replayed> = HashMap::new();
    let mut event_count = 0;
    let mut last: (i64, String) = (0, GENESIS.to_string());

    let mut stmt = conn.prepare(
        "SELECT id, at, action, entity, entity_id, changes, hash FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let stamp = DateTime::parse_from_rfc3339(&at)
            .map_err(|e| Error::Internal(format!("event {id} has an unreadable time {at:?}: {e}")))?
            .with_timezone(&Utc);
        if stamp > cutoff {
            continue;
        }
        event_count += 1;
        last = (id, audit::stored_hash(r.get_ref(6)?)?);
        let action: String = r.get(2)?;
        let entity: String = r.get(3)?;
        let Some(entity_id) = r.get::<_, Option<i64>>(4)? else {
            continue;
        };
        let stored: String = r.get(5)?;
        let changes: Vec<Change> = serde_json::from_str(&audit::hashed_changes(&stored))
            .map_err(|e| Error::Internal(format!("event {id} has unreadable changes: {e}")))?;
        let names = match entity.as_str() {
            "person" => Some(&mut people),
            "location" => Some(&mut locations),
            "category" => Some(&mut categories),
            _ => None,
        };
        if let Some(names) = names {
            for c in &changes {
                if let ("name", Some(new)) = (c.field.as_str(), &c.new) {
                    names.set(entity_id, new);
                }
            }
            continue;
        }
        if entity != "asset" {
            continue;
        }
        let a = assets.entry(entity_id).or_insert_with(|| Replayed {
            asset: blank(entity_id, &at),
            category_id: None,
        });
        // Documents change the count, not the asset's fields or its updated_at.
        match action.as_str() {
            "document_attached" => {
                a.asset.document_count += 1;
                continue;
            }
            "document_removed" => {
                a.asset.document_count -= 1;
                continue;
            }
            "document_edited" => continue,
            _ => {}
        }
        if action == "created" {
            a.asset.created_at = at.clone();
        }
        a.asset.updated_at = at;
        for c in changes {
            apply(a, c, &people, &locations, &categories)
                .map_err(|e| Error::Internal(format!("event {id}: {e}")))?;
        }
    }

    let mut list: Vec<Asset> = assets
        .into_values()
        .filter(|r| !r.asset.archived)
        .map(|r| {
            let mut a = r.asset;
            a.assigned_to = people.resolve(a.person_id, a.assigned_to.take());
            a.location = locations.resolve(a.location_id, a.location.take());
            a.category = categories.resolve(r.category_id, a.category.take());
            a
        })
        .collect();
    list.sort_by_cached_key(|a| (a.asset_tag.to_lowercase(), a.id));
    Ok(Snapshot {
        cutoff,
        assets: list,
        event_count,
        last_event_id: last.0,
        last_hash: last.1,
    })
}

/// An asset before its first event is applied.
fn blank(id: i64, at: &str) -> Asset {
    Asset {
        id,
        asset_tag: String::new(),
        name: String::new(),
        category: None,
        make: None,
        model: None,
        serial_number: None,
        purchase_date: None,
        purchase_cost: None,
        supplier: None,
        warranty_expires: None,
        status: Status::Available,
        assigned_to: None,
        location: None,
        notes: None,
        person_id: None,
        location_id: None,
        created_at: at.to_string(),
        updated_at: at.to_string(),
        archived: false,
        document_count: 0,
        last_seen: None,
    }
}

/// Applies one field change. Unknown fields are skipped, so a trail written by a newer version
/// with more fields still replays.
fn apply(
    r: &mut Replayed,
    c: Change,
    people: &Names,
    locations: &Names,
    categories: &Names,
) -> Result<()> {
    let a = &mut r.asset;
    let new = c.new;
    match c.field.as_str() {
        "asset_tag" => a.asset_tag = new.unwrap_or_default(),
        "name" => a.name = new.unwrap_or_default(),
        "category" => {
            r.category_id = categories.id_of(new.as_deref());
            a.category = new;
        }
        "make" => a.make = new,
        "model" => a.model = new,
        "serial_number" => a.serial_number = new,
        "purchase_date" => a.purchase_date = new,
        "purchase_cost" => {
            a.purchase_cost = new.and_then(|v| Money::parse("purchase_cost", &v).ok().flatten())
        }
        "supplier" => a.supplier = new,
        "warranty_expires" => a.warranty_expires = new,
        "notes" => a.notes = new,
        "status" => {
            if let Some(s) = new {
                a.status = Status::parse(&s)?;
            }
        }
        "assigned_to" => {
            a.person_id = people.id_of(new.as_deref());
            a.assigned_to = new;
        }
        "location" => {
            a.location_id = locations.id_of(new.as_deref());
            a.location = new;
        }
        "archived" => a.archived = new.is_some(),
        "last_seen" => a.last_seen = new,
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{self, AssetInput, AssetPatch, Holder, ListQuery};
    use crate::audit::{self, Source};
    use crate::db::Db;
    use crate::names::{self, Kind};

    fn laptop(tag: &str) -> AssetInput {
        AssetInput {
            asset_tag: tag.into(),
            name: format!("Laptop {tag}"),
            category: "laptop".into(),
            make: "Dell".into(),
            serial_number: format!("SN-{tag}"),
            purchase_cost: "1249.99".into(),
            notes: "first notes".into(),
            ..Default::default()
        }
    }

    /// The time of the newest event: the cut-off "just after this step".
    fn stamp(db: &Db) -> DateTime<Utc> {
        let ev = db.read(|c| audit::list_audit_events(c, Some(1))).unwrap();
        DateTime::parse_from_rfc3339(&ev[0].at)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn at(db: &Db, cutoff: DateTime<Utc>) -> Snapshot {
        db.read(|c| register_at(c, cutoff)).unwrap()
    }

    /// The fields a replay must reproduce (times differ by microseconds from the row's).
    fn shape(a: &Asset) -> Asset {
        Asset {
            created_at: String::new(),
            updated_at: String::new(),
            ..a.clone()
        }
    }

    #[test]
    fn replays_each_step_of_a_life() {
        let db = Db::open_in_memory().unwrap();
        let before_anything = Utc::now() - chrono::Duration::seconds(1);
        let id = db
            .write(Source::Cli, |tx| {
                assets::create_asset(tx, &laptop("IT-0001"), None)
            })
            .unwrap()
            .id;
        let created = stamp(&db);
        let patch = AssetPatch {
            name: Some("Renamed laptop".into()),
            notes: Some(String::new()),
            purchase_cost: Some("999".into()),
            ..Default::default()
        };
        db.write(Source::Cli, |tx| assets::update_asset(tx, id, &patch, None))
            .unwrap();
        let edited = stamp(&db);
        db.write(Source::Cli, |tx| {
            assets::assign_asset(tx, id, &Holder::Person("Chloë Brontë".into()), None)
        })
        .unwrap();
        let assigned = stamp(&db);
        db.write(Source::Cli, |tx| {
            assets::return_asset(tx, id, Some("Store room"), None)
        })
        .unwrap();
        let returned = stamp(&db);
        db.write(Source::Cli, |tx| {
            assets::change_status(tx, id, Status::InMaintenance, Some("screen"))
        })
        .unwrap();
        let repaired = stamp(&db);
        db.write(Source::Cli, |tx| assets::archive_asset(tx, id, None))
            .unwrap();
        let archived = stamp(&db);

        assert!(at(&db, before_anything).assets.is_empty());
        assert_eq!(at(&db, before_anything).last_hash, GENESIS);

        let s = at(&db, created);
        let a = &s.assets[0];
        assert_eq!((a.id, a.asset_tag.as_str()), (id, "IT-0001"));
        assert_eq!(a.name, "Laptop IT-0001");
        assert_eq!(a.category.as_deref(), Some("laptop"));
        assert_eq!(a.notes.as_deref(), Some("first notes"));
        assert_eq!(
            a.purchase_cost.map(|m| m.to_string()).as_deref(),
            Some("1249.99")
        );
        assert_eq!(a.status, Status::Available);

        let a = &at(&db, edited).assets[0];
        assert_eq!(a.name, "Renamed laptop");
        assert_eq!(a.notes, None);
        assert_eq!(
            a.purchase_cost.map(|m| m.to_string()).as_deref(),
            Some("999.00")
        );

        let a = &at(&db, assigned).assets[0];
        assert_eq!(a.status, Status::Deployed);
        assert_eq!(a.assigned_to.as_deref(), Some("Chloë Brontë"));
        assert!(a.person_id.is_some());

        let a = &at(&db, returned).assets[0];
        assert_eq!(a.status, Status::Available);
        assert_eq!(a.assigned_to, None);
        assert_eq!(a.location.as_deref(), Some("Store room"));

        let a = &at(&db, repaired).assets[0];
        assert_eq!(a.status, Status::InMaintenance);
        assert_eq!(a.location.as_deref(), Some("Store room"));

        let s = at(&db, archived);
        assert!(s.assets.is_empty(), "archived assets leave the register");
        let (count, head) = db.read(audit::head).unwrap();
        assert_eq!((s.event_count, s.last_hash), (count, head));
    }

    #[test]
    fn replay_to_now_matches_the_live_register() {
        let db = Db::open_in_memory().unwrap();
        db.write(Source::Cli, |tx| {
            for i in 1..=6 {
                assets::create_asset(tx, &laptop(&format!("IT-{i:04}")), None)?;
            }
            assets::assign_asset(tx, 1, &Holder::Person("Jürgen Weiß".into()), None)?;
            assets::assign_asset(tx, 2, &Holder::Location("Łódź office".into()), None)?;
            assets::change_status(tx, 3, Status::LostStolen, None)?;
            assets::archive_asset(tx, 4, None)?;
            // Renames after the fact must show the new names, as the live rows do.
            let cat = names::list(tx.conn(), Kind::Category)?[0].id;
            names::rename(tx, Kind::Category, cat, "Laptops")?;
            let office = names::list(tx.conn(), Kind::Location)?[0].id;
            names::rename(tx, Kind::Location, office, "Łódź HQ")?;
            Ok(())
        })
        .unwrap();
        let live = db
            .read(|c| {
                assets::list_assets(
                    c,
                    &ListQuery {
                        limit: Some(1000),
                        ..Default::default()
                    },
                )
            })
            .unwrap()
            .assets;
        let replayed = at(&db, Utc::now()).assets;
        assert_eq!(live.len(), 5);
        assert_eq!(
            replayed.iter().map(shape).collect::<Vec<_>>(),
            live.iter().map(shape).collect::<Vec<_>>()
        );
        assert_eq!(replayed[1].location.as_deref(), Some("Łódź HQ"));
        assert_eq!(replayed[0].category.as_deref(), Some("Laptops"));
    }

    #[test]
    fn end_of_day_is_the_last_microsecond_utc() {
        let d = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        assert_eq!(
            end_of_day(d).to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "2024-06-30T23:59:59.999999Z"
        );
    }
}
