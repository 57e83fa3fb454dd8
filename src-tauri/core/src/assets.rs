//! Assets: validation, create, edit, assign, return, status changes, archival, lookup, search
//! and sorted paging. Every mutation writes its audit event in the caller's transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, ToSql};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change, NewEvent};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::locations::{self, Kind};
use crate::people;
use crate::status::Status;
use crate::values::{format_date, format_money, parse_date, parse_money, text};

/// An asset as the UI, CLI and exports see it (`--json` keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// Row id.
    pub id: i64,
    /// The unique asset tag (e.g. IT-0042).
    pub asset_tag: String,
    /// What it is called.
    pub name: String,
    /// Laptop, Phone, Monitor…
    pub category: Option<String>,
    /// Manufacturer.
    pub make: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Serial number as entered.
    pub serial_number: Option<String>,
    /// YYYY-MM-DD.
    pub purchase_date: Option<String>,
    /// Decimal string, e.g. "1249.99".
    pub purchase_cost: Option<String>,
    /// Who sold it.
    pub supplier: Option<String>,
    /// YYYY-MM-DD.
    pub warranty_expires: Option<String>,
    /// Lifecycle status.
    pub status: Status,
    /// The person holding it.
    pub assigned_to: Option<String>,
    /// Where it is.
    pub location: Option<String>,
    /// Free text.
    pub notes: Option<String>,
    /// The holder's id.
    pub person_id: Option<i64>,
    /// The location's id.
    pub location_id: Option<i64>,
    /// When it was created (UTC, RFC 3339).
    pub created_at: String,
    /// When it last changed (UTC, RFC 3339).
    pub updated_at: String,
    /// True once archived (deleted from the live register; history kept).
    pub archived: bool,
    /// How many documents are attached.
    #[serde(default)]
    pub document_count: i64,
}

/// What a form, the CLI or an import row sends: text fields, validated by the core.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetInput {
    /// Required, unique.
    pub asset_tag: String,
    /// Required.
    pub name: String,
    /// Created on first use.
    pub category: String,
    /// Manufacturer.
    pub make: String,
    /// Model.
    pub model: String,
    /// Unique among live assets, ignoring case and surrounding spaces.
    pub serial_number: String,
    /// YYYY-MM-DD.
    pub purchase_date: String,
    /// e.g. 1249.99; never negative.
    pub purchase_cost: String,
    /// Who sold it.
    pub supplier: String,
    /// YYYY-MM-DD.
    pub warranty_expires: String,
    /// Free text.
    pub notes: String,
}

/// A partial edit: `None` keeps a field, `Some("")` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetPatch {
    /// New tag.
    pub asset_tag: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New category.
    pub category: Option<String>,
    /// New make.
    pub make: Option<String>,
    /// New model.
    pub model: Option<String>,
    /// New serial.
    pub serial_number: Option<String>,
    /// New purchase date.
    pub purchase_date: Option<String>,
    /// New cost.
    pub purchase_cost: Option<String>,
    /// New supplier.
    pub supplier: Option<String>,
    /// New warranty expiry.
    pub warranty_expires: Option<String>,
    /// New notes.
    pub notes: Option<String>,
}

/// Who or where an asset is assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// A person, by name (created on first use).
    Person(String),
    /// A location, by name (created on first use).
    Location(String),
}

/// The validated, typed form of [`AssetInput`].
#[derive(Debug, Clone, PartialEq)]
struct Valid {
    asset_tag: String,
    name: String,
    category: Option<String>,
    make: Option<String>,
    model: Option<String>,
    serial_number: Option<String>,
    purchase_date: Option<NaiveDate>,
    purchase_cost: Option<i64>,
    supplier: Option<String>,
    warranty_expires: Option<NaiveDate>,
    notes: Option<String>,
}

const MAX_TEXT: usize = 200;
const MAX_NOTES: usize = 10_000;

fn bounded(field: &str, s: &str, max: usize) -> Result<Option<String>> {
    let t = text(s);
    if let Some(t) = &t {
        if t.chars().count() > max {
            return Err(Error::invalid(field, format!("at most {max} characters")));
        }
        if field != "notes" && t.chars().any(char::is_control) {
            return Err(Error::invalid(
                field,
                "line breaks and control characters are not allowed here",
            ));
        }
    }
    Ok(t)
}

impl Valid {
    fn from_input(i: &AssetInput) -> Result<Valid> {
        let asset_tag = bounded("asset_tag", &i.asset_tag, 64)?
            .ok_or_else(|| Error::invalid("asset_tag", "an asset needs a tag (e.g. IT-0001)"))?;
        let name = bounded("name", &i.name, MAX_TEXT)?
            .ok_or_else(|| Error::invalid("name", "an asset needs a name"))?;
        let purchase_date = parse_date("purchase_date", &i.purchase_date)?;
        let warranty_expires = parse_date("warranty_expires", &i.warranty_expires)?;
        if let (Some(p), Some(w)) = (purchase_date, warranty_expires) {
            if w < p {
                return Err(Error::invalid(
                    "warranty_expires",
                    "the warranty cannot end before the purchase date",
                ));
            }
        }
        Ok(Valid {
            asset_tag,
            name,
            category: bounded("category", &i.category, MAX_TEXT)?,
            make: bounded("make", &i.make, MAX_TEXT)?,
            model: bounded("model", &i.model, MAX_TEXT)?,
            serial_number: bounded("serial_number", &i.serial_number, MAX_TEXT)?,
            purchase_date,
            purchase_cost: parse_money("purchase_cost", &i.purchase_cost)?,
            supplier: bounded("supplier", &i.supplier, MAX_TEXT)?,
            warranty_expires,
            notes: bounded("notes", &i.notes, MAX_NOTES)?,
        })
    }

    /// A `created` event's changes: every field given, and the status a new asset starts in.
    fn created(&self) -> Vec<Change> {
        let mut changes: Vec<Change> = self
            .fields()
            .into_iter()
            .filter(|(_, val)| val.is_some())
            .map(|(f, val)| Change::new(f, None, val))
            .collect();
        changes.push(Change::new(
            "status",
            None,
            Some(Status::Available.as_str().into()),
        ));
        changes
    }

    /// The fields that differ in `new`, old → new, in a fixed order.
    fn changes_to(&self, new: &Valid) -> Vec<Change> {
        self.fields()
            .into_iter()
            .zip(new.fields())
            .filter(|((_, o), (_, n))| o != n)
            .map(|((f, o), (_, n))| Change::new(f, o, n))
            .collect()
    }

    /// Each field as display text, for audit diffs, in a fixed order.
    fn fields(&self) -> [(&'static str, Option<String>); 11] {
        [
            ("asset_tag", Some(self.asset_tag.clone())),
            ("name", Some(self.name.clone())),
            ("category", self.category.clone()),
            ("make", self.make.clone()),
            ("model", self.model.clone()),
            ("serial_number", self.serial_number.clone()),
            ("purchase_date", self.purchase_date.map(format_date)),
            ("purchase_cost", self.purchase_cost.map(format_money)),
            ("supplier", self.supplier.clone()),
            ("warranty_expires", self.warranty_expires.map(format_date)),
            ("notes", self.notes.clone()),
        ]
    }
}

impl Asset {
    /// The asset's editable fields as an input (for forms and patches).
    pub fn to_input(&self) -> AssetInput {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        AssetInput {
            asset_tag: self.asset_tag.clone(),
            name: self.name.clone(),
            category: s(&self.category),
            make: s(&self.make),
            model: s(&self.model),
            serial_number: s(&self.serial_number),
            purchase_date: s(&self.purchase_date),
            purchase_cost: s(&self.purchase_cost),
            supplier: s(&self.supplier),
            warranty_expires: s(&self.warranty_expires),
            notes: s(&self.notes),
        }
    }

    /// Who or where holds it, for display: the person, else the location.
    pub fn holder(&self) -> Option<&str> {
        self.assigned_to.as_deref().or(self.location.as_deref())
    }
}

impl AssetPatch {
    fn apply(&self, mut i: AssetInput) -> AssetInput {
        let set = |dst: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *dst = v.clone();
            }
        };
        set(&mut i.asset_tag, &self.asset_tag);
        set(&mut i.name, &self.name);
        set(&mut i.category, &self.category);
        set(&mut i.make, &self.make);
        set(&mut i.model, &self.model);
        set(&mut i.serial_number, &self.serial_number);
        set(&mut i.purchase_date, &self.purchase_date);
        set(&mut i.purchase_cost, &self.purchase_cost);
        set(&mut i.supplier, &self.supplier);
        set(&mut i.warranty_expires, &self.warranty_expires);
        set(&mut i.notes, &self.notes);
        i
    }
}

/// Checks an input's fields the way [`create_asset`] will (not the tag's or serial's
/// uniqueness), so a form of several rows can report each row's problem before saving.
pub fn validate_input(input: &AssetInput) -> Result<()> {
    Valid::from_input(input).map(|_| ())
}

/// The serial's uniqueness key: trimmed and upper-cased.
fn serial_key(serial: &Option<String>) -> Option<String> {
    serial.as_ref().map(|s| s.trim().to_uppercase())
}

const SELECT: &str = "SELECT a.id, a.asset_tag, a.name, a.category_name, a.make, a.model,
        a.serial_number, a.purchase_date, a.purchase_cost, a.supplier, a.warranty_expires, a.status,
        a.person_name, a.location_name, a.notes, a.person_id, a.location_id, a.created_at,
        a.updated_at, a.archived_at,
        (SELECT count(*) FROM documents d WHERE d.asset_id = a.id)
    FROM assets a";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Asset> {
    let status: String = r.get(11)?;
    let cost: Option<i64> = r.get(8)?;
    let archived: Option<String> = r.get(19)?;
    Ok(Asset {
        id: r.get(0)?,
        asset_tag: r.get(1)?,
        name: r.get(2)?,
        category: r.get(3)?,
        make: r.get(4)?,
        model: r.get(5)?,
        serial_number: r.get(6)?,
        purchase_date: r.get(7)?,
        purchase_cost: cost.map(format_money),
        supplier: r.get(9)?,
        warranty_expires: r.get(10)?,
        status: Status::parse(&status).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(11, rusqlite::types::Type::Text, e.into())
        })?,
        assigned_to: r.get(12)?,
        location: r.get(13)?,
        notes: r.get(14)?,
        person_id: r.get(15)?,
        location_id: r.get(16)?,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
        archived: archived.is_some(),
        document_count: r.get(20)?,
    })
}

/// One asset by id (archived ones included).
pub fn get_asset(conn: &Connection, id: i64) -> Result<Asset> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("asset", id))
}

/// One asset by tag, ignoring case (archived ones included).
pub fn find_asset(conn: &Connection, tag: &str) -> Result<Asset> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.asset_tag = ?1 COLLATE NOCASE"))?
        .query_row([tag.trim()], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("asset", tag.trim()))
}

/// A live (not archived) asset, for changes.
fn live(conn: &Connection, id: i64) -> Result<Asset> {
    let a = get_asset(conn, id)?;
    if a.archived {
        return Err(Error::Refused(format!(
            "{} is archived and cannot be changed",
            a.asset_tag
        )));
    }
    Ok(a)
}

/// Refuses a tag or serial that another asset already uses.
fn check_unique(conn: &Connection, v: &Valid, except: Option<i64>) -> Result<()> {
    let except = except.unwrap_or(-1);
    let tag_taken: Option<String> = conn
        .prepare_cached(
            "SELECT asset_tag FROM assets WHERE asset_tag = ?1 COLLATE NOCASE AND id != ?2",
        )?
        .query_row(params![v.asset_tag, except], |r| r.get(0))
        .optional()?;
    if let Some(existing) = tag_taken {
        return Err(Error::DuplicateTag(existing));
    }
    if let Some(key) = serial_key(&v.serial_number) {
        let on: Option<String> = conn
            .prepare_cached(
                "SELECT asset_tag FROM assets WHERE serial_key = ?1 AND archived_at IS NULL AND id != ?2")?
        .query_row(
                params![key, except],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(tag) = on {
            return Err(Error::DuplicateSerial { tag });
        }
    }
    Ok(())
}

/// The category's id and stored spelling, created on first use.
fn category(tx: &mut Tx<'_>, category: &Option<String>) -> Result<(Option<i64>, Option<String>)> {
    Ok(match category.as_deref() {
        Some(c) => {
            let n = locations::get_or_create(tx, Kind::Category, c)?;
            (Some(n.id), Some(n.name))
        }
        None => (None, None),
    })
}

fn asset_event<'a>(
    a: &'a Asset,
    action: &'a str,
    changes: Vec<Change>,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent::for_asset(a.id, &a.asset_tag, action, changes, note)
}

/// Adds an asset (status Available) and records a `created` event with every field.
pub fn create_asset(tx: &mut Tx<'_>, input: &AssetInput, note: Option<&str>) -> Result<Asset> {
    let v = Valid::from_input(input)?;
    check_unique(tx.conn(), &v, None)?;
    let (category_id, category_name) = category(tx, &v.category)?;
    let now = crate::now();
    tx.conn()
        .prepare_cached(
            "INSERT INTO assets (asset_tag, name, category_id, category_name, make, model,
            serial_number, serial_key, purchase_date, purchase_cost, supplier, warranty_expires,
            notes, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?14, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'available', ?13, ?13)",
        )?
        .execute(params![
            v.asset_tag,
            v.name,
            category_id,
            v.make,
            v.model,
            v.serial_number,
            serial_key(&v.serial_number),
            v.purchase_date.map(format_date),
            v.purchase_cost,
            v.supplier,
            v.warranty_expires.map(format_date),
            v.notes,
            now,
            category_name
        ])?;
    let asset = get_asset(tx.conn(), tx.conn().last_insert_rowid())?;
    audit::record(tx, asset_event(&asset, "created", v.created(), note))?;
    Ok(asset)
}

/// Edits fields. Only fields whose value really changes are written and audited (field, old,
/// new); an edit that changes nothing writes nothing.
pub fn update_asset(
    tx: &mut Tx<'_>,
    id: i64,
    patch: &AssetPatch,
    note: Option<&str>,
) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    let old = Valid::from_input(&before.to_input())?;
    let new = Valid::from_input(&patch.apply(before.to_input()))?;
    let changes = old.changes_to(&new);
    if changes.is_empty() {
        return Ok(before);
    }
    check_unique(tx.conn(), &new, Some(id))?;
    let (category_id, category_name) = category(tx, &new.category)?;
    tx.conn()
        .prepare_cached(
            "UPDATE assets SET asset_tag = ?1, name = ?2, category_id = ?3, category_name = ?15,
            make = ?4, model = ?5,
            serial_number = ?6, serial_key = ?7, purchase_date = ?8, purchase_cost = ?9,
            supplier = ?10, warranty_expires = ?11, notes = ?12, updated_at = ?13
         WHERE id = ?14",
        )?
        .execute(params![
            new.asset_tag,
            new.name,
            category_id,
            new.make,
            new.model,
            new.serial_number,
            serial_key(&new.serial_number),
            new.purchase_date.map(format_date),
            new.purchase_cost,
            new.supplier,
            new.warranty_expires.map(format_date),
            new.notes,
            crate::now(),
            id,
            category_name
        ])?;
    let after = get_asset(tx.conn(), id)?;
    audit::record(tx, asset_event(&before, "edited", changes, note))?;
    Ok(after)
}

/// Writes a new holder/location/status and records the event with what changed.
fn move_asset(
    tx: &mut Tx<'_>,
    before: &Asset,
    action: &str,
    person: Option<(i64, String)>,
    location: Option<(i64, String)>,
    status: Status,
    note: Option<&str>,
) -> Result<Asset> {
    tx.conn().prepare_cached(
        "UPDATE assets SET person_id = ?1, person_name = ?2, location_id = ?3, location_name = ?4,
            status = ?5, updated_at = ?6 WHERE id = ?7")?
        .execute(
        params![
            person.as_ref().map(|p| p.0),
            person.as_ref().map(|p| &p.1),
            location.as_ref().map(|l| l.0),
            location.as_ref().map(|l| &l.1),
            status.as_str(),
            crate::now(),
            before.id
        ],
    )?;
    let changes = moved(
        (&before.assigned_to, &before.location, before.status),
        (person.map(|p| p.1), location.map(|l| l.1), status),
    );
    let after = get_asset(tx.conn(), before.id)?;
    audit::record(tx, asset_event(before, action, changes, note))?;
    Ok(after)
}

/// What a move changes: holder, location and status, old → new, only those that differ.
fn moved(
    (person, location, status): (&Option<String>, &Option<String>, Status),
    (new_person, new_location, new_status): (Option<String>, Option<String>, Status),
) -> Vec<Change> {
    [
        Change::new("assigned_to", person.clone(), new_person),
        Change::new("location", location.clone(), new_location),
        Change::new(
            "status",
            Some(status.as_str().into()),
            Some(new_status.as_str().into()),
        ),
    ]
    .into_iter()
    .filter(|c| c.old != c.new)
    .collect()
}

/// Assigns an asset to a person or location, which deploys it. Refuses a Retired or Lost/Stolen
/// asset, a person who has left, and an assignment that is already so.
pub fn assign_asset(tx: &mut Tx<'_>, id: i64, to: &Holder, note: Option<&str>) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    if !before.status.can_assign() {
        return Err(Error::Refused(format!(
            "{} is {}; change its status back before assigning it",
            before.asset_tag,
            before.status.label()
        )));
    }
    let (person, location) = match to {
        Holder::Person(name) => {
            let p = people::get_or_create(tx, name)?;
            if before.person_id == Some(p.id) {
                return Err(Error::Refused(format!(
                    "{} is already assigned to {}",
                    before.asset_tag, p.name
                )));
            }
            (Some((p.id, p.name)), None)
        }
        Holder::Location(name) => {
            let l = locations::get_or_create(tx, Kind::Location, name)?;
            if before.person_id.is_none()
                && before.location_id == Some(l.id)
                && before.status == Status::Deployed
            {
                return Err(Error::Refused(format!(
                    "{} is already at {}",
                    before.asset_tag, l.name
                )));
            }
            (None, Some((l.id, l.name)))
        }
    };
    move_asset(
        tx,
        &before,
        "assigned",
        person,
        location,
        Status::Deployed,
        note,
    )
}

/// Takes an asset back: no holder, status Available, optionally at a location (kept otherwise).
pub fn return_asset(
    tx: &mut Tx<'_>,
    id: i64,
    location: Option<&str>,
    note: Option<&str>,
) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    if before.status != Status::Deployed {
        return Err(Error::Refused(format!(
            "{} is not assigned to anyone (it is {})",
            before.asset_tag,
            before.status.label()
        )));
    }
    let location = match location.and_then(text) {
        Some(name) => {
            let l = locations::get_or_create(tx, Kind::Location, &name)?;
            Some((l.id, l.name))
        }
        None => before.location_id.zip(before.location.clone()),
    };
    move_asset(
        tx,
        &before,
        "returned",
        None,
        location,
        Status::Available,
        note,
    )
}

/// Changes the status. Deployed needs a holder (use assign); any other status ends a person's
/// holding; an asset that is Retired or Lost/Stolen can be brought back to any status.
pub fn change_status(
    tx: &mut Tx<'_>,
    id: i64,
    status: Status,
    note: Option<&str>,
) -> Result<Asset> {
    let before = live(tx.conn(), id)?;
    if before.status == status {
        return Err(Error::Refused(format!(
            "{} is already {}",
            before.asset_tag,
            status.label()
        )));
    }
    if status == Status::Deployed {
        return Err(Error::Refused(format!(
            "to deploy {}, assign it to a person or a location",
            before.asset_tag
        )));
    }
    let location = before.location_id.zip(before.location.clone());
    move_asset(tx, &before, "status_changed", None, location, status, note)
}

/// People, locations and categories already looked up while creating many assets (an
/// import), by name folded the way the register compares names (ASCII case, like NOCASE): each
/// is read, or created and audited, once.
#[derive(Debug, Default)]
pub struct Lookups {
    people: HashMap<String, (i64, String)>,
    locations: HashMap<String, (i64, String)>,
    categories: HashMap<String, (i64, String)>,
}

impl Lookups {
    fn person(&mut self, tx: &mut Tx<'_>, name: &str) -> Result<(i64, String)> {
        let key = name.trim().to_ascii_lowercase();
        if let Some(p) = self.people.get(&key) {
            return Ok(p.clone());
        }
        let p = people::get_or_create(tx, name)?;
        self.people.insert(key, (p.id, p.name.clone()));
        Ok((p.id, p.name))
    }

    fn named(&mut self, tx: &mut Tx<'_>, kind: Kind, name: &str) -> Result<(i64, String)> {
        let map = match kind {
            Kind::Location => &mut self.locations,
            Kind::Category => &mut self.categories,
        };
        let key = name.trim().to_ascii_lowercase();
        if let Some(n) = map.get(&key) {
            return Ok(n.clone());
        }
        let n = locations::get_or_create(tx, kind, name)?;
        map.insert(key, (n.id, n.name.clone()));
        Ok((n.id, n.name))
    }
}

/// Where an asset placed by an import ends up: its category, holder and status.
struct Placement {
    category: Option<(i64, String)>,
    person: Option<(i64, String)>,
    location: Option<(i64, String)>,
    end: Status,
}

impl Placement {
    /// Resolves names (creating what is new, audited) and the status the asset ends in: a
    /// person deploys it; at a location it is in `status` there (no status: in stock there);
    /// held by nobody, Deployed is refused.
    fn resolve(
        tx: &mut Tx<'_>,
        v: &Valid,
        holder: Option<&Holder>,
        status: Option<Status>,
        lookups: &mut Lookups,
    ) -> Result<Placement> {
        let category = match &v.category {
            Some(c) => Some(lookups.named(tx, Kind::Category, c)?),
            None => None,
        };
        let (person, location) = match holder {
            Some(Holder::Person(p)) => (Some(lookups.person(tx, p)?), None),
            Some(Holder::Location(l)) => (None, Some(lookups.named(tx, Kind::Location, l)?)),
            None => (None, None),
        };
        let end = match (&person, &location) {
            (Some(_), _) => Status::Deployed,
            (None, Some(_)) => status.unwrap_or(Status::Available),
            (None, None) => match status.unwrap_or(Status::Available) {
                Status::Deployed => {
                    return Err(Error::Refused(format!(
                        "to deploy {}, assign it to a person or a location",
                        v.asset_tag
                    )))
                }
                s => s,
            },
        };
        Ok(Placement {
            category,
            person,
            location,
            end,
        })
    }

    /// Writes `v` placed so: a new row (`restore: None`), or over the archived asset `restore`,
    /// bringing it back. Tag and serial clashes fail on the unique indexes.
    fn write(&self, tx: &Tx<'_>, v: &Valid, restore: Option<i64>) -> rusqlite::Result<usize> {
        macro_rules! placed_columns {
            () => {
                "asset_tag, name, category_id, category_name, make, model, serial_number,
                 serial_key, purchase_date, purchase_cost, supplier, warranty_expires, notes,
                 status, person_id, person_name, location_id, location_name"
            };
        }
        let values = [
            serial_key(&v.serial_number),
            v.purchase_date.map(format_date),
            v.warranty_expires.map(format_date),
        ];
        fn id_name(x: &Option<(i64, String)>) -> (Option<i64>, Option<&str>) {
            (x.as_ref().map(|x| x.0), x.as_ref().map(|x| x.1.as_str()))
        }
        let [(category_id, category_name), (person_id, person_name), (location_id, location_name)] =
            [&self.category, &self.person, &self.location].map(id_name);
        let params: [&dyn ToSql; 20] = [
            &v.asset_tag,
            &v.name,
            &category_id,
            &category_name,
            &v.make,
            &v.model,
            &v.serial_number,
            &values[0],
            &values[1],
            &v.purchase_cost,
            &v.supplier,
            &values[2],
            &v.notes,
            &self.end.as_str(),
            &person_id,
            &person_name,
            &location_id,
            &location_name,
            &tx.now(),
            &restore,
        ];
        match restore {
            None => tx
                .conn()
                .prepare_cached(concat!(
                    "INSERT INTO assets (",
                    placed_columns!(),
                    ", created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                     ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19)"
                ))?
                .execute(&params[..19]),
            Some(_) => tx
                .conn()
                .prepare_cached(concat!(
                    "UPDATE assets SET (",
                    placed_columns!(),
                    ") = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                     ?17, ?18), archived_at = NULL, updated_at = ?19 WHERE id = ?20"
                ))?
                .execute(&params[..]),
        }
    }
}

/// Brings back an archived asset with `input`'s fields, held and in a status as
/// [`create_placed`] would place a new one, and records one `restored` event listing every
/// change (archived, fields, holder, status). For an import that brings back assets an undone
/// import took away: their tags stay reserved, so they come back instead of being created again.
pub fn restore_placed(
    tx: &mut Tx<'_>,
    id: i64,
    input: &AssetInput,
    (holder, status): (Option<&Holder>, Option<Status>),
    note: Option<&str>,
    lookups: &mut Lookups,
) -> Result<()> {
    let before = get_asset(tx.conn(), id)?;
    if !before.archived {
        return Err(Error::Refused(format!(
            "{} is in the register already",
            before.asset_tag
        )));
    }
    let old = Valid::from_input(&before.to_input())?;
    let v = Valid::from_input(input)?;
    check_unique(tx.conn(), &v, Some(id))?;
    let placement = Placement::resolve(tx, &v, holder, status, lookups)?;
    placement.write(tx, &v, Some(id))?;
    let Placement {
        person,
        location,
        end,
        ..
    } = placement;
    let mut changes = vec![Change::new("archived", Some("yes".into()), None)];
    changes.extend(old.changes_to(&v));
    changes.extend(moved(
        (&before.assigned_to, &before.location, before.status),
        (person.map(|p| p.1), location.map(|l| l.1), end),
    ));
    audit::record(tx, asset_event(&before, "restored", changes, note))?;
    Ok(())
}

/// Adds an asset that starts out held or in a status: what [`create_asset`] followed by
/// [`assign_asset`] (a person or a location) and [`change_status`] (`status`, when not
/// Deployed) would write, with the same checks and the same events in the asset's history, but
/// as one row insert with nothing read back. (A person, place or category it names for the
/// first time is created, and audited, before the asset rather than between its events.) For
/// imports, which create thousands: the tag's and serial's uniqueness is left to the register's
/// unique indexes (a clash is reported as by `create_asset`), and names are looked up once
/// through `lookups`. Returns the new asset's id.
pub fn create_placed(
    tx: &mut Tx<'_>,
    input: &AssetInput,
    holder: Option<&Holder>,
    status: Option<Status>,
    note: Option<&str>,
    lookups: &mut Lookups,
) -> Result<i64> {
    let v = Valid::from_input(input)?;
    let placement = Placement::resolve(tx, &v, holder, status, lookups)?;
    let inserted = placement.write(tx, &v, None);
    if let Err(e) = inserted {
        // A clash on the unique tag or serial index: name it as `create_asset` would.
        check_unique(tx.conn(), &v, None)?;
        return Err(e.into());
    }
    let id = tx.conn().last_insert_rowid();
    let Placement {
        person,
        location,
        end,
        ..
    } = placement;
    let (tag, none) = (v.asset_tag.as_str(), None);
    let event = |action, changes| NewEvent::for_asset(id, tag, action, changes, note);
    audit::record(tx, event("created", v.created()))?;
    let available = (&none, &none, Status::Available);
    let holder_names = (person.map(|p| p.1), location.as_ref().map(|l| l.1.clone()));
    if holder_names.0.is_some() || holder_names.1.is_some() {
        let changes = moved(
            available,
            (holder_names.0, holder_names.1, Status::Deployed),
        );
        audit::record(tx, event("assigned", changes))?;
        if end != Status::Deployed {
            let at = location.map(|l| l.1);
            let changes = moved((&none, &at, Status::Deployed), (None, at.clone(), end));
            audit::record(tx, event("status_changed", changes))?;
        }
    } else if end != Status::Available {
        audit::record(
            tx,
            event("status_changed", moved(available, (None, None, end))),
        )?;
    }
    Ok(id)
}

/// Archives (deletes from the live register) an asset. Its history stays, and its tag stays
/// reserved so the history can always be found by it.
pub fn archive_asset(tx: &mut Tx<'_>, id: i64, note: Option<&str>) -> Result<()> {
    let before = live(tx.conn(), id)?;
    tx.conn()
        .prepare_cached("UPDATE assets SET archived_at = ?1, updated_at = ?1 WHERE id = ?2")?
        .execute(params![crate::now(), id])?;
    audit::record(
        tx,
        asset_event(
            &before,
            "archived",
            vec![Change::new("archived", None, Some("yes".into()))],
            note,
        ),
    )?;
    Ok(())
}

/// Suggests the next free tag, following the most recent tag's pattern (IT-0041 → IT-0042).
pub fn next_asset_tag(conn: &Connection) -> Result<String> {
    let last: Option<String> = conn
        .query_row(
            "SELECT asset_tag FROM assets ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let last = last.unwrap_or_else(|| "IT-0000".into());
    let digits = last
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let (prefix, num) = last.split_at(last.len() - digits);
    let (prefix, width, mut n) = if digits == 0 {
        (format!("{last}-"), 4, 0u64)
    } else {
        (prefix.to_string(), digits, num.parse::<u64>().unwrap_or(0))
    };
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM assets WHERE asset_tag = ?1 COLLATE NOCASE")?;
    loop {
        n += 1;
        let tag = format!("{prefix}{n:0width$}");
        if !stmt.exists([&tag])? {
            return Ok(tag);
        }
    }
}

/// A list request: filters, text search, sort and page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// Words to find in tag, name, serial, make, model, holder, location and notes (prefixes).
    pub search: Option<String>,
    /// Only this status.
    pub status: Option<Status>,
    /// Only this category (by name).
    pub category: Option<String>,
    /// Only assets held by this person (id).
    pub person_id: Option<i64>,
    /// Only assets at this location (id).
    pub location_id: Option<i64>,
    /// Sort key: any `Asset` field name (asset_tag, name, category, make, serial_number,
    /// assigned_to, location, status, purchase_date, purchase_cost, warranty_expires,
    /// updated_at). Default asset_tag.
    pub sort: Option<String>,
    /// Sort descending.
    pub descending: bool,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return (default 100, at most 1000).
    pub limit: Option<u32>,
    /// Include archived assets.
    pub include_archived: bool,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Rows matching the query.
    pub total: i64,
    /// Live assets in the whole register (the M of "N of M").
    pub register_total: i64,
    /// The offset this page starts at.
    pub offset: u32,
    /// The rows.
    pub assets: Vec<Asset>,
}

/// Turns typed words into an FTS5 query: each word a quoted prefix, all required.
fn fts_query(search: &str) -> Option<String> {
    let words: Vec<String> = search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The ORDER BY columns for a sort key, and the index that delivers rows in that order.
fn sort_sql(key: Option<&str>) -> Result<(&'static str, &'static str)> {
    Ok(match key.unwrap_or("asset_tag") {
        "asset_tag" | "tag" => ("a.asset_tag COLLATE NOCASE", "assets_tag"),
        "name" => ("a.name COLLATE NOCASE", "assets_name"),
        "category" => ("a.category_name COLLATE NOCASE", "assets_category_name"),
        "make" | "model" | "make_model" => (
            "a.make COLLATE NOCASE, a.model COLLATE NOCASE",
            "assets_make",
        ),
        "serial_number" => ("a.serial_number COLLATE NOCASE", "assets_serial_sort"),
        "assigned_to" | "holder" => ("a.person_name COLLATE NOCASE", "assets_person_name"),
        "location" => ("a.location_name COLLATE NOCASE", "assets_location_name"),
        "status" => ("a.status", "assets_status"),
        "purchase_date" => ("a.purchase_date", "assets_purchase_date"),
        "purchase_cost" => ("a.purchase_cost", "assets_cost"),
        "warranty_expires" => ("a.warranty_expires", "assets_warranty"),
        other => {
            return Err(Error::invalid(
                "sort",
                format!("cannot sort by \"{other}\""),
            ))
        }
    })
}

/// Above this many matches, walking the sort index and testing each row beats sorting the
/// matches (measured on 100k assets; see the README's benchmark).
const DENSE_MATCHES: i64 = 2000;

/// Filters, searches, sorts and pages the register.
pub fn list_assets(conn: &Connection, q: &ListQuery) -> Result<Page> {
    let mut wheres: Vec<String> = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut arg = |v: rusqlite::types::Value| {
        args.push(v);
        args.len()
    };
    if !q.include_archived {
        // `+` keeps the planner from picking the archived index over the sort index.
        wheres.push("+a.archived_at IS NULL".into());
    }
    let fts = q.search.as_deref().and_then(fts_query);
    if let Some(fts) = fts.clone() {
        let n = arg(fts.into());
        wheres.push(format!(
            "a.id IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?{n})"
        ));
    }
    if let Some(s) = q.status {
        let n = arg(s.as_str().to_string().into());
        wheres.push(format!("a.status = ?{n}"));
    }
    if let Some(c) = q.category.as_deref().and_then(text) {
        let n = arg(c.into());
        wheres.push(format!(
            "a.category_id = (SELECT id FROM categories WHERE name = ?{n} COLLATE NOCASE)"
        ));
    }
    if let Some(p) = q.person_id {
        let n = arg(p.into());
        wheres.push(format!("a.person_id = ?{n}"));
    }
    if let Some(l) = q.location_id {
        let n = arg(l.into());
        wheres.push(format!("a.location_id = ?{n}"));
    }
    let where_sql = if wheres.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wheres.join(" AND "))
    };
    let (order, index) = sort_sql(q.sort.as_deref())?;
    let dir = if q.descending { "DESC" } else { "ASC" };
    let order = order
        .split(", ")
        .map(|col| format!("{col} {dir}"))
        .collect::<Vec<_>>()
        .join(", ");
    let limit = q.limit.unwrap_or(100).min(1000);

    let register_total: i64 = conn
        .prepare_cached("SELECT live FROM asset_count")?
        .query_row([], |r| r.get(0))?;
    let only_live = usize::from(!q.include_archived);
    let total: i64 = if wheres.len() == only_live && !q.include_archived {
        register_total
    } else if wheres.len() == only_live + 1 && fts.is_some() {
        // Archived assets are not in the index, so the index alone counts live matches.
        conn.prepare_cached("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH ?1")?
            .query_row([fts.as_deref()], |r| r.get(0))?
    } else {
        conn.prepare_cached(&format!("SELECT count(*) FROM assets a {where_sql}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?
    };

    // Sort only ids, then load the page's rows: sorting whole rows would drag every column of
    // every match through the sorter. Many matches: walk the sort index and stop after the page.
    // Few: let SQLite fetch the matches and sort them.
    let indexed = if total > DENSE_MATCHES {
        format!("INDEXED BY {index}")
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT a.id FROM assets a {indexed} {where_sql} ORDER BY {order}, a.id {dir} LIMIT {limit} OFFSET {}",
        q.offset
    );
    let ids = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let assets = ids
        .into_iter()
        .map(|id| get_asset(conn, id))
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        total,
        register_total,
        offset: q.offset,
        assets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Source;
    use crate::db::Db;

    fn input(tag: &str, serial: &str) -> AssetInput {
        AssetInput {
            asset_tag: tag.into(),
            name: format!("Laptop {tag}"),
            category: "Laptop".into(),
            make: "Dell".into(),
            model: "Latitude 5440".into(),
            serial_number: serial.into(),
            purchase_date: "2024-01-15".into(),
            purchase_cost: "1249.99".into(),
            supplier: "Insight UK".into(),
            warranty_expires: "2027-01-15".into(),
            notes: "".into(),
        }
    }

    fn db_with(tags: &[(&str, &str)]) -> Db {
        let db = Db::open_in_memory().unwrap();
        for (t, s) in tags {
            db.write(Source::Cli, |tx| create_asset(tx, &input(t, s), None))
                .unwrap();
        }
        db
    }

    fn count_events(db: &Db) -> i64 {
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?))
            .unwrap()
    }

    /// `create_placed` writes what create + assign + status change write: the same asset and,
    /// event by event, the same actions and changes.
    #[test]
    fn create_placed_matches_the_step_by_step_path() {
        use crate::audit::list_asset_events;
        let cases: Vec<(Option<Holder>, Option<Status>)> = vec![
            (None, None),
            (None, Some(Status::Available)),
            (None, Some(Status::Retired)),
            (None, Some(Status::InMaintenance)),
            (Some(Holder::Person("Ann Lee".into())), None),
            (
                Some(Holder::Person("ann lee".into())),
                Some(Status::Deployed),
            ),
            (Some(Holder::Location("Store room".into())), None),
            (
                Some(Holder::Location("Store room".into())),
                Some(Status::Deployed),
            ),
            (
                Some(Holder::Location("Leeds".into())),
                Some(Status::InMaintenance),
            ),
        ];
        let db = Db::open_in_memory().unwrap();
        let mut lookups = Lookups::default();
        for (n, (holder, status)) in cases.into_iter().enumerate() {
            let (a, b) = (format!("A-{n}"), format!("B-{n}"));
            let (stepwise, placed) = db
                .write(Source::Import, |tx| {
                    let asset = create_asset(tx, &input(&a, &a), Some("n"))?;
                    match &holder {
                        Some(h @ Holder::Person(_)) => {
                            assign_asset(tx, asset.id, h, Some("n"))?;
                        }
                        Some(h @ Holder::Location(_)) => {
                            assign_asset(tx, asset.id, h, Some("n"))?;
                            let s = status.unwrap_or(Status::Available);
                            if s != Status::Deployed {
                                change_status(tx, asset.id, s, Some("n"))?;
                            }
                        }
                        None => {
                            if let Some(s) = status.filter(|s| *s != Status::Available) {
                                change_status(tx, asset.id, s, Some("n"))?;
                            }
                        }
                    }
                    let placed = create_placed(
                        tx,
                        &input(&b, &b),
                        holder.as_ref(),
                        status,
                        Some("n"),
                        &mut lookups,
                    )?;
                    Ok((asset.id, placed))
                })
                .unwrap();
            let (x, y) = db
                .read(|c| Ok((get_asset(c, stepwise)?, get_asset(c, placed)?)))
                .unwrap();
            assert_eq!(
                (
                    x.status,
                    &x.assigned_to,
                    &x.location,
                    x.person_id,
                    x.location_id
                ),
                (
                    y.status,
                    &y.assigned_to,
                    &y.location,
                    y.person_id,
                    y.location_id
                ),
                "case {n}"
            );
            assert_eq!(x.category, y.category);
            let events = |id: i64, tag: &str| {
                db.read(|c| list_asset_events(c, id))
                    .unwrap()
                    .into_iter()
                    .map(|e| {
                        let changes: Vec<Change> = e
                            .changes
                            .into_iter()
                            .map(|mut c| {
                                for v in [&mut c.old, &mut c.new].into_iter().flatten() {
                                    *v = v.replace(tag, "TAG");
                                }
                                c
                            })
                            .collect();
                        (e.kind, e.source, changes, e.note)
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(events(stepwise, &a), events(placed, &b), "case {n}");
        }
        db.read(|c| {
            let v = crate::audit::verify(c)?;
            assert!(v.ok, "{v:?}");
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn create_placed_refuses_what_the_steps_refuse() {
        let db = db_with(&[("IT-1", "SN-1")]);
        let mut lookups = Lookups::default();
        let before = count_events(&db);
        let try_place = |lookups: &mut Lookups, i: AssetInput, h: Option<Holder>, s| {
            db.write(Source::Import, |tx| {
                create_placed(tx, &i, h.as_ref(), s, None, lookups)
            })
            .unwrap_err()
        };
        let e = try_place(&mut lookups, input("it-1", "X"), None, None);
        assert!(
            matches!(e, Error::DuplicateTag(ref t) if t == "IT-1"),
            "{e}"
        );
        let e = try_place(&mut lookups, input("IT-2", " sn-1 "), None, None);
        assert!(
            matches!(e, Error::DuplicateSerial { ref tag } if tag == "IT-1"),
            "{e}"
        );
        let e = try_place(
            &mut lookups,
            input("IT-2", "X"),
            None,
            Some(Status::Deployed),
        );
        assert!(matches!(e, Error::Refused(_)), "{e}");
        let mut bad = input("IT-2", "X");
        bad.warranty_expires = "2020-01-01".into();
        let e = try_place(&mut lookups, bad, None, None);
        assert_eq!(e.field(), Some("warranty_expires"), "{e}");
        db.write(Source::Cli, |tx| {
            let p = people::get_or_create(tx, "Gone Person")?;
            tx.conn().execute(
                "UPDATE people SET left_on = '2024-01-01' WHERE id = ?1",
                [p.id],
            )?;
            Ok(())
        })
        .unwrap();
        let e = try_place(
            &mut Lookups::default(),
            input("IT-2", "X"),
            Some(Holder::Person("gone person".into())),
            None,
        );
        assert!(
            matches!(e, Error::Refused(ref m) if m.contains("has left")),
            "{e}"
        );
        assert_eq!(
            count_events(&db),
            before + 1,
            "only the person's creation was written"
        );
    }

    #[test]
    fn create_round_trips_every_field() {
        let db = db_with(&[("IT-0001", "SN1")]);
        let a = db.read(|c| find_asset(c, "it-0001")).unwrap();
        assert_eq!(a.to_input(), input("IT-0001", "SN1"));
        assert_eq!(a.status, Status::Available);
        assert_eq!(a.purchase_cost.as_deref(), Some("1249.99"));
    }

    #[test]
    fn duplicate_tag_and_serial_variants_are_refused() {
        let db = db_with(&[("IT-0001", "5CD1234XYZ")]);
        let before = count_events(&db);
        let e = db
            .write(Source::Cli, |tx| {
                create_asset(tx, &input("it-0001", "OTHER"), None)
            })
            .unwrap_err();
        assert!(matches!(e, Error::DuplicateTag(_)), "{e}");
        let e = db
            .write(Source::Cli, |tx| {
                create_asset(tx, &input("IT-0002", "  5cd1234xyz "), None)
            })
            .unwrap_err();
        assert_eq!(e.to_string(), "this serial number is already on IT-0001");
        assert_eq!(count_events(&db), before);
    }

    #[test]
    fn edit_records_old_and_new_and_skips_no_ops() {
        let db = db_with(&[("IT-0001", "SN1")]);
        let patch = AssetPatch {
            supplier: Some("CDW".into()),
            ..Default::default()
        };
        let a = db
            .write(Source::App, |tx| {
                update_asset(tx, 1, &patch, Some("new contract"))
            })
            .unwrap();
        assert_eq!(a.supplier.as_deref(), Some("CDW"));
        let events = db.read(|c| audit::list_asset_events(c, 1)).unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.kind, "edited");
        assert_eq!(
            last.changes,
            vec![Change::new(
                "supplier",
                Some("Insight UK".into()),
                Some("CDW".into())
            )]
        );
        assert_eq!(last.note.as_deref(), Some("new contract"));
        assert_eq!(last.source, "app");
        let n = count_events(&db);
        db.write(Source::App, |tx| update_asset(tx, 1, &patch, None))
            .unwrap();
        assert_eq!(
            count_events(&db),
            n,
            "an edit that changes nothing records nothing"
        );
    }

    #[test]
    fn lifecycle_rules() {
        let db = db_with(&[("IT-0001", "SN1")]);
        let a = db
            .write(Source::Cli, |tx| {
                assign_asset(tx, 1, &Holder::Person("Sam Patel".into()), None)
            })
            .unwrap();
        assert_eq!(
            (a.status, a.assigned_to.as_deref()),
            (Status::Deployed, Some("Sam Patel"))
        );
        let a = db
            .write(Source::Cli, |tx| {
                return_asset(tx, 1, Some("Store room"), Some("back"))
            })
            .unwrap();
        assert_eq!(
            (a.status, a.assigned_to, a.location.as_deref()),
            (Status::Available, None, Some("Store room"))
        );
        let e = db
            .write(Source::Cli, |tx| return_asset(tx, 1, None, None))
            .unwrap_err();
        assert!(e.to_string().contains("not assigned"), "{e}");
        let e = db
            .write(Source::Cli, |tx| {
                change_status(tx, 1, Status::Deployed, None)
            })
            .unwrap_err();
        assert!(e.to_string().contains("assign it"), "{e}");
        db.write(Source::Cli, |tx| {
            change_status(tx, 1, Status::Retired, Some("end of life"))
        })
        .unwrap();
        let n = count_events(&db);
        let e = db
            .write(Source::Cli, |tx| {
                assign_asset(tx, 1, &Holder::Person("Alex New".into()), None)
            })
            .unwrap_err();
        assert!(e.to_string().contains("is Retired"), "{e}");
        assert_eq!(
            count_events(&db),
            n,
            "a refused assignment writes nothing, not even the person"
        );
        assert!(db
            .read(|c| people::find_person(c, "Alex New"))
            .unwrap()
            .is_none());
        db.write(Source::Cli, |tx| {
            change_status(tx, 1, Status::Available, None)
        })
        .unwrap();
        db.write(Source::Cli, |tx| {
            assign_asset(tx, 1, &Holder::Location("Reception".into()), None)
        })
        .unwrap();
    }

    #[test]
    fn status_change_away_from_deployed_ends_holding() {
        let db = db_with(&[("IT-0001", "SN1")]);
        db.write(Source::Cli, |tx| {
            assign_asset(tx, 1, &Holder::Person("Sam".into()), None)
        })
        .unwrap();
        let a = db
            .write(Source::Cli, |tx| {
                change_status(tx, 1, Status::LostStolen, Some("left on train"))
            })
            .unwrap();
        assert_eq!(a.assigned_to, None);
        let ev = db.read(|c| audit::list_asset_events(c, 1)).unwrap();
        let last = ev.last().unwrap();
        assert!(last
            .changes
            .contains(&Change::new("assigned_to", Some("Sam".into()), None)));
    }

    #[test]
    fn a_person_who_left_cannot_be_assigned_and_cannot_leave_holding() {
        let db = db_with(&[("IT-0001", "SN1")]);
        db.write(Source::Cli, |tx| {
            assign_asset(tx, 1, &Holder::Person("Sam".into()), None)
        })
        .unwrap();
        let sam = db.read(|c| people::find_person(c, "sam")).unwrap().unwrap();
        let e = db
            .write(Source::Cli, |tx| {
                people::set_person_left(tx, sam.id, true, None)
            })
            .unwrap_err();
        assert!(e.to_string().contains("still holds 1 asset"), "{e}");
        db.write(Source::Cli, |tx| return_asset(tx, 1, None, None))
            .unwrap();
        db.write(Source::Cli, |tx| {
            people::set_person_left(tx, sam.id, true, None)
        })
        .unwrap();
        let e = db
            .write(Source::Cli, |tx| {
                assign_asset(tx, 1, &Holder::Person("SAM".into()), None)
            })
            .unwrap_err();
        assert!(e.to_string().contains("has left"), "{e}");
    }

    #[test]
    fn archive_hides_but_keeps_history_and_tag() {
        let db = db_with(&[("IT-0001", "SN1"), ("IT-0002", "SN2")]);
        db.write(Source::Cli, |tx| archive_asset(tx, 1, Some("sold")))
            .unwrap();
        let page = db.read(|c| list_assets(c, &ListQuery::default())).unwrap();
        assert_eq!((page.total, page.register_total), (1, 1));
        assert!(db.read(|c| find_asset(c, "IT-0001")).unwrap().archived);
        let e = db
            .write(Source::Cli, |tx| {
                update_asset(
                    tx,
                    1,
                    &AssetPatch {
                        name: Some("x".into()),
                        ..Default::default()
                    },
                    None,
                )
            })
            .unwrap_err();
        assert!(e.to_string().contains("archived"), "{e}");
        // The serial of an archived asset may be reused; its tag may not.
        db.write(Source::Cli, |tx| {
            create_asset(tx, &input("IT-0003", "SN1"), None)
        })
        .unwrap();
        assert!(db
            .write(Source::Cli, |tx| create_asset(
                tx,
                &input("IT-0001", "SN9"),
                None
            ))
            .is_err());
    }

    #[test]
    fn search_sort_and_page() {
        let db = db_with(&[
            ("IT-0001", "AAA111"),
            ("IT-0002", "BBB222"),
            ("IT-0003", "CCC333"),
        ]);
        db.write(Source::Cli, |tx| {
            assign_asset(tx, 2, &Holder::Person("Chloë Brontë".into()), None)
        })
        .unwrap();
        let q = |s: &str| {
            let q = ListQuery {
                search: Some(s.into()),
                ..Default::default()
            };
            db.read(|c| list_assets(c, &q))
                .unwrap()
                .assets
                .into_iter()
                .map(|a| a.asset_tag)
                .collect::<Vec<_>>()
        };
        assert_eq!(q("bbb2"), vec!["IT-0002"]);
        assert_eq!(q("chloe"), vec!["IT-0002"], "diacritics fold");
        assert_eq!(q("it-0003"), vec!["IT-0003"]);
        assert_eq!(q("dell latitude").len(), 3);
        assert_eq!(q("\"unbalanced ( OR"), Vec::<String>::new());
        let q = ListQuery {
            sort: Some("asset_tag".into()),
            descending: true,
            limit: Some(2),
            offset: 1,
            ..Default::default()
        };
        let page = db.read(|c| list_assets(c, &q)).unwrap();
        assert_eq!(page.total, 3);
        assert_eq!(
            page.assets
                .iter()
                .map(|a| a.asset_tag.as_str())
                .collect::<Vec<_>>(),
            vec!["IT-0002", "IT-0001"]
        );
        let q = ListQuery {
            status: Some(Status::Deployed),
            ..Default::default()
        };
        assert_eq!(db.read(|c| list_assets(c, &q)).unwrap().total, 1);
        let q = ListQuery {
            sort: Some("nonsense; DROP".into()),
            ..Default::default()
        };
        assert!(db.read(|c| list_assets(c, &q)).is_err());
    }

    #[test]
    fn next_tag_follows_the_pattern() {
        let db = Db::open_in_memory().unwrap();
        assert_eq!(db.read(next_asset_tag).unwrap(), "IT-0001");
        let db = db_with(&[("IT-0041", "A"), ("LAP-9", "B")]);
        assert_eq!(db.read(next_asset_tag).unwrap(), "LAP-10");
    }

    #[test]
    fn validation_messages_name_the_field() {
        let db = Db::open_in_memory().unwrap();
        let cases = [
            (
                AssetInput {
                    name: "x".into(),
                    ..Default::default()
                },
                "asset_tag",
            ),
            (
                AssetInput {
                    asset_tag: "T".into(),
                    ..Default::default()
                },
                "name",
            ),
            (
                AssetInput {
                    purchase_date: "2023-02-30".into(),
                    ..input("T", "")
                },
                "purchase_date",
            ),
            (
                AssetInput {
                    purchase_cost: "-3".into(),
                    ..input("T", "")
                },
                "purchase_cost",
            ),
            (
                AssetInput {
                    warranty_expires: "2020-01-01".into(),
                    ..input("T", "")
                },
                "warranty_expires",
            ),
        ];
        for (i, field) in cases {
            let e = db
                .write(Source::Cli, |tx| create_asset(tx, &i, None))
                .unwrap_err();
            assert_eq!(e.field(), Some(field), "{e}");
        }
        assert_eq!(count_events(&db), 0);
    }
}
