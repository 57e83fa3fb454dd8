//! Licences and subscriptions: product, vendor, seats given to people, renewal or expiry date,
//! cost per period (per seat or in total), supplier, notes and a licence key that lists only ever show masked. Every
//! change is audited in the caller's transaction, as entity `licence`, so a licence's history
//! lives in the same hash chain as the assets'.
//!
//! Rules: seats in use never exceed the licence's seats; a person who has left cannot be given a
//! seat; an archived licence holds no seats. The key is never written to the audit trail in
//! clear: its changes are recorded masked.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change, NewEvent};
use crate::audit::{Action, Entity};
use crate::db::{QueryAll, Tx};
use crate::error::{Error, Result};
use crate::people;
use crate::values::{format_date, format_money, parse_date, parse_money, text, Money};

/// The most seats a licence can have (a typo guard, not a business limit).
pub const MAX_SEATS: i64 = 100_000;

/// How often a licence's cost is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Every month, from the renewal date.
    Monthly,
    /// Every year, on the renewal date.
    #[default]
    Yearly,
    /// Paid once; the date is the expiry.
    OneOff,
}

impl Period {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Yearly => "yearly",
            Period::OneOff => "one_off",
        }
    }

    /// How it reads: "a month", "a year", "one-off".
    pub fn label(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Yearly => "yearly",
            Period::OneOff => "one-off",
        }
    }

    /// Parses `monthly`, `yearly` (or `annual`), `one-off` (or `one_off`, `once`, `perpetual`).
    pub fn parse(s: &str) -> Result<Period> {
        match s.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "monthly" | "month" => Ok(Period::Monthly),
            "yearly" | "year" | "annual" | "annually" | "" => Ok(Period::Yearly),
            "one_off" | "oneoff" | "once" | "perpetual" => Ok(Period::OneOff),
            other => Err(Error::invalid(
                "period",
                format!("\"{other}\" is not a period; use monthly, yearly or one-off"),
            )),
        }
    }
}

/// Whether a licence's cost is for each seat or for the whole licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// The cost is for the whole licence (every licence recorded before the choice existed).
    #[default]
    Total,
    /// The cost is for one seat: a period costs it times the seats bought.
    PerSeat,
}

impl CostBasis {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CostBasis::Total => "total",
            CostBasis::PerSeat => "per_seat",
        }
    }

    /// Parses `total` (or empty) and `per-seat` (or `per_seat`, `seat`, `per-user`).
    pub fn parse(s: &str) -> Result<CostBasis> {
        match s.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "total" | "in_total" | "whole" | "" => Ok(CostBasis::Total),
            "per_seat" | "seat" | "per_user" | "user" => Ok(CostBasis::PerSeat),
            other => Err(Error::invalid(
                "cost_basis",
                format!("\"{other}\" is not a way to price a licence; use per-seat or total"),
            )),
        }
    }
}

/// A licence as lists and pages show it (the key masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Licence {
    /// Row id.
    pub id: i64,
    /// What it licenses (Microsoft 365 Business, Adobe Acrobat…).
    pub product: String,
    /// Who makes it.
    pub vendor: Option<String>,
    /// Seats bought.
    pub seats: i64,
    /// Seats given to people.
    pub seats_used: i64,
    /// The next renewal, or the expiry of a one-off licence (YYYY-MM-DD).
    pub renewal_date: Option<String>,
    /// Cost per period ("12.50" in JSON), per seat or in total as `cost_basis` says.
    pub cost: Option<Money>,
    /// Whether `cost` is per seat or for the whole licence.
    pub cost_basis: CostBasis,
    /// What one period costs for the whole licence: `cost`, times the seats when per seat.
    pub period_cost: Option<Money>,
    /// How often the cost is paid.
    pub period: Period,
    /// Who sold it.
    pub supplier: Option<String>,
    /// The key masked ("•••• 7Q2X"), or `None` when no key is stored.
    pub key_hint: Option<String>,
    /// Free text.
    pub notes: Option<String>,
    /// True once archived (retired).
    pub archived: bool,
    /// Documents attached.
    pub document_count: i64,
    /// When it was recorded.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// What a form or the CLI sends. Creating: every field is read (`None` = empty). Editing:
/// `None` keeps a field, `Some("")` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LicenceInput {
    /// Required.
    pub product: Option<String>,
    /// Vendor.
    pub vendor: Option<String>,
    /// A whole number of seats, at least 1 (and at least the seats in use).
    pub seats: Option<String>,
    /// YYYY-MM-DD.
    pub renewal_date: Option<String>,
    /// Cost per period, e.g. 12.50.
    pub cost: Option<String>,
    /// `total` (the default) or `per_seat`.
    pub cost_basis: Option<String>,
    /// monthly, yearly or one-off.
    pub period: Option<String>,
    /// Supplier.
    pub supplier: Option<String>,
    /// The licence key (stored as given; lists show it masked).
    pub licence_key: Option<String>,
    /// Free text.
    pub notes: Option<String>,
}

/// A seat in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seat {
    /// The licence.
    pub licence_id: i64,
    /// Its product.
    pub product: String,
    /// The person holding it.
    pub person_id: i64,
    /// Their name.
    pub person_name: String,
    /// False once the person has left (only possible for seats given before this rule).
    pub person_active: bool,
    /// When the seat was given (UTC).
    pub assigned_at: String,
}

/// The validated, typed fields.
#[derive(Debug, Clone, PartialEq)]
struct Fields {
    product: String,
    vendor: Option<String>,
    seats: i64,
    renewal_date: Option<String>,
    cost: Option<i64>,
    cost_basis: CostBasis,
    period: Period,
    supplier: Option<String>,
    licence_key: Option<String>,
    notes: Option<String>,
}

/// The key as lists show it: the last four characters of a key of eight or more, else only dots.
pub fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.trim().chars().collect();
    if chars.len() >= 8 {
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("•••• {tail}")
    } else {
        "••••".to_string()
    }
}

const SELECT: &str = "SELECT l.id, l.product, l.vendor, l.seats,
        (SELECT count(*) FROM licence_seats s WHERE s.licence_id = l.id) AS seats_used,
        l.renewal_date, l.cost, l.cost_basis, l.period, l.supplier, l.licence_key, l.notes, l.archived_at,
        l.created_at, l.updated_at,
        (SELECT count(*) FROM documents d WHERE d.licence_id = l.id) AS document_count
    FROM licences l";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Licence> {
    let cost: Option<Money> = r.get("cost")?;
    let cost_basis: String = r.get("cost_basis")?;
    let cost_basis = CostBasis::parse(&cost_basis).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, e.into())
    })?;
    let seats: i64 = r.get("seats")?;
    let period: String = r.get("period")?;
    let key: Option<String> = r.get("licence_key")?;
    let archived: Option<String> = r.get("archived_at")?;
    Ok(Licence {
        id: r.get("id")?,
        product: r.get("product")?,
        vendor: r.get("vendor")?,
        seats,
        seats_used: r.get("seats_used")?,
        renewal_date: r.get("renewal_date")?,
        cost,
        cost_basis,
        period_cost: cost.map(|c| match cost_basis {
            CostBasis::Total => c,
            CostBasis::PerSeat => Money::from_minor(c.minor().saturating_mul(seats)),
        }),
        period: Period::parse(&period).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, e.into())
        })?,
        supplier: r.get("supplier")?,
        key_hint: key.as_deref().map(mask_key),
        notes: r.get("notes")?,
        archived: archived.is_some(),
        document_count: r.get("document_count")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

/// Every live licence (and archived ones when asked), by product.
pub fn list_licences(conn: &Connection, include_archived: bool) -> Result<Vec<Licence>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE ?1 OR l.archived_at IS NULL ORDER BY l.product COLLATE NOCASE, l.id"
    ))?;
    stmt.query_all([include_archived], from_row)
}

/// One licence by id (archived ones too).
pub fn get_licence(conn: &Connection, id: i64) -> Result<Licence> {
    conn.query_row(&format!("{SELECT} WHERE l.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("licence", id))
}

/// A licence by its id (`7` or `#7`) or by its product's name (ignoring case), for the CLI. A
/// name shared by several live licences is refused with their ids.
pub fn find_licence(conn: &Connection, key: &str) -> Result<Licence> {
    let k = key.trim();
    if let Ok(id) = k.trim_start_matches('#').parse::<i64>() {
        if let Ok(l) = get_licence(conn, id) {
            return Ok(l);
        }
    }
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM licences WHERE product = ?1 COLLATE NOCASE
             ORDER BY archived_at IS NOT NULL, id",
        )?
        .query_all([k], |r| r.get(0))?;
    match ids.as_slice() {
        [] => Err(Error::not_found("licence", k)),
        [id] => get_licence(conn, *id),
        many => {
            let live: Vec<Licence> = many
                .iter()
                .map(|id| get_licence(conn, *id))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .filter(|l| !l.archived)
                .collect();
            match live.as_slice() {
                [one] => Ok(one.clone()),
                _ => Err(Error::Refused(format!(
                    "several licences are called {k}; name one by its id: {}",
                    many.iter()
                        .map(|i| format!("#{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
    }
}

/// The stored key in clear, for the licence's page when the user asks to see it.
pub fn reveal_licence_key(conn: &Connection, id: i64) -> Result<Option<String>> {
    conn.query_row(
        "SELECT licence_key FROM licences WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::not_found("licence", id))
}

/// The seats of a licence, by person.
pub fn list_seats(conn: &Connection, licence_id: i64) -> Result<Vec<Seat>> {
    seats_where(conn, "s.licence_id = ?1", licence_id)
}

/// The seats a person holds, by product.
pub fn person_seats(conn: &Connection, person_id: i64) -> Result<Vec<Seat>> {
    seats_where(conn, "s.person_id = ?1", person_id)
}

fn seats_where(conn: &Connection, filter: &str, id: i64) -> Result<Vec<Seat>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.licence_id, l.product, s.person_id, p.name, p.left_on IS NULL, s.assigned_at
         FROM licence_seats s JOIN licences l ON l.id = s.licence_id
         JOIN people p ON p.id = s.person_id
         WHERE {filter} ORDER BY l.product COLLATE NOCASE, p.name COLLATE NOCASE"
    ))?;
    stmt.query_all([id], |r| {
        Ok(Seat {
            licence_id: r.get(0)?,
            product: r.get(1)?,
            person_id: r.get(2)?,
            person_name: r.get(3)?,
            person_active: r.get(4)?,
            assigned_at: r.get(5)?,
        })
    })
}

fn validate(input: &LicenceInput, seats_used: i64) -> Result<Fields> {
    let s = |v: &Option<String>| v.as_deref().and_then(text);
    let product = s(&input.product)
        .ok_or_else(|| Error::invalid("product", "a licence needs a product name"))?;
    if product.chars().count() > 200 {
        return Err(Error::invalid(
            "product",
            "a product name is at most 200 characters",
        ));
    }
    let seats_text = s(&input.seats).ok_or_else(|| Error::invalid("seats", "how many seats?"))?;
    let seats: i64 = seats_text.parse().map_err(|_| {
        Error::invalid(
            "seats",
            format!("\"{seats_text}\" is not a whole number of seats"),
        )
    })?;
    if !(1..=MAX_SEATS).contains(&seats) {
        return Err(Error::invalid(
            "seats",
            format!("a licence has between 1 and {MAX_SEATS} seats"),
        ));
    }
    if seats < seats_used {
        return Err(Error::invalid(
            "seats",
            format!(
                "{seats_used} seats are in use; release {} before reducing to {seats}",
                seats_used - seats
            ),
        ));
    }
    let renewal_date =
        parse_date("renewal_date", input.renewal_date.as_deref().unwrap_or(""))?.map(format_date);
    let cost = parse_money("cost", input.cost.as_deref().unwrap_or(""))?;
    let cost_basis = CostBasis::parse(input.cost_basis.as_deref().unwrap_or(""))?;
    let period = Period::parse(input.period.as_deref().unwrap_or(""))?;
    let licence_key = s(&input.licence_key);
    if licence_key
        .as_ref()
        .is_some_and(|k| k.chars().count() > 2000)
    {
        return Err(Error::invalid(
            "licence_key",
            "a key is at most 2000 characters",
        ));
    }
    Ok(Fields {
        product,
        vendor: s(&input.vendor),
        seats,
        renewal_date,
        cost,
        cost_basis,
        period,
        supplier: s(&input.supplier),
        licence_key,
        notes: s(&input.notes),
    })
}

/// The stored fields of a licence, key in clear (core only).
fn stored(conn: &Connection, id: i64) -> Result<(Fields, bool, i64)> {
    conn.query_row(
        "SELECT product, vendor, seats, renewal_date, cost, period, supplier, licence_key, notes,
                archived_at IS NOT NULL,
                (SELECT count(*) FROM licence_seats s WHERE s.licence_id = licences.id),
                cost_basis
         FROM licences WHERE id = ?1",
        [id],
        |r| {
            let period: String = r.get(5)?;
            Ok((
                Fields {
                    product: r.get(0)?,
                    vendor: r.get(1)?,
                    seats: r.get(2)?,
                    renewal_date: r.get(3)?,
                    cost: r.get(4)?,
                    cost_basis: CostBasis::parse(&r.get::<_, String>("cost_basis")?)
                        .unwrap_or_default(),
                    period: Period::parse(&period).unwrap_or_default(),
                    supplier: r.get(6)?,
                    licence_key: r.get(7)?,
                    notes: r.get(8)?,
                },
                r.get(9)?,
                r.get(10)?,
            ))
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found("licence", id))
}

/// The changes from `old` to `new` (all fields when `old` is `None`), the key masked.
fn diff(old: Option<&Fields>, new: &Fields) -> Vec<Change> {
    let o = |f: fn(&Fields) -> Option<String>| old.and_then(f);
    let mut changes = vec![
        Change::new(
            "product",
            o(|f| Some(f.product.clone())),
            Some(new.product.clone()),
        ),
        Change::new("vendor", o(|f| f.vendor.clone()), new.vendor.clone()),
        Change::new(
            "seats",
            o(|f| Some(f.seats.to_string())),
            Some(new.seats.to_string()),
        ),
        Change::new(
            "renewal_date",
            o(|f| f.renewal_date.clone()),
            new.renewal_date.clone(),
        ),
        Change::new(
            "cost",
            o(|f| f.cost.map(format_money)),
            new.cost.map(format_money),
        ),
        // Recorded when it is per seat, or changes: "total" is what a cost always meant.
        Change::new(
            "cost_basis",
            o(|f| Some(f.cost_basis.as_str().to_string()))
                .or(Some(CostBasis::Total.as_str().to_string())),
            Some(new.cost_basis.as_str().to_string()),
        ),
        Change::new(
            "period",
            o(|f| Some(f.period.as_str().to_string())),
            Some(new.period.as_str().to_string()),
        ),
        Change::new("supplier", o(|f| f.supplier.clone()), new.supplier.clone()),
        Change::new("notes", o(|f| f.notes.clone()), new.notes.clone()),
    ];
    let old_key = old.and_then(|f| f.licence_key.clone());
    if old_key != new.licence_key {
        let old_mask = old_key.as_deref().map(mask_key);
        let mut new_mask = new.licence_key.as_deref().map(mask_key);
        if old_mask == new_mask {
            new_mask = new_mask.map(|m| format!("{m} (changed)"));
        }
        changes.push(Change::new("licence_key", old_mask, new_mask));
    }
    changes
        .into_iter()
        .filter(|c| c.old != c.new && (old.is_some() || c.new.is_some()))
        .collect()
}

fn licence_event<'a>(
    id: i64,
    product: &'a str,
    action: Action,
    changes: Vec<Change>,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent::about(Entity::Licence, id, product, action, changes, note)
}

/// Records a new licence.
pub fn create_licence(
    tx: &mut Tx<'_>,
    input: &LicenceInput,
    note: Option<&str>,
) -> Result<Licence> {
    let f = validate(input, 0)?;
    let now = tx.now().to_string();
    tx.conn().execute(
        "INSERT INTO licences (product, vendor, seats, renewal_date, cost, period, supplier,
                               licence_key, notes, created_at, updated_at, cost_basis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
        params![
            f.product,
            f.vendor,
            f.seats,
            f.renewal_date,
            f.cost,
            f.period.as_str(),
            f.supplier,
            f.licence_key,
            f.notes,
            now,
            f.cost_basis.as_str()
        ],
    )?;
    let id = tx.conn().last_insert_rowid();
    audit::record(
        tx,
        licence_event(id, &f.product, Action::Created, diff(None, &f), note),
    )?;
    get_licence(tx.conn(), id)
}

/// Edits a licence: `None` fields keep their value, `Some("")` clears one. Seats cannot drop
/// below the seats in use. An edit that changes nothing writes nothing.
pub fn update_licence(
    tx: &mut Tx<'_>,
    id: i64,
    patch: &LicenceInput,
    note: Option<&str>,
) -> Result<Licence> {
    let (before, archived, used) = stored(tx.conn(), id)?;
    if archived {
        return Err(Error::Refused(format!(
            "{} is archived; it can no longer be edited",
            before.product
        )));
    }
    let keep = |new: &Option<String>, old: Option<String>| new.clone().or(old);
    let merged = LicenceInput {
        product: keep(&patch.product, Some(before.product.clone())),
        vendor: keep(&patch.vendor, before.vendor.clone()),
        seats: keep(&patch.seats, Some(before.seats.to_string())),
        renewal_date: keep(&patch.renewal_date, before.renewal_date.clone()),
        cost: keep(&patch.cost, before.cost.map(format_money)),
        cost_basis: keep(
            &patch.cost_basis,
            Some(before.cost_basis.as_str().to_string()),
        ),
        period: keep(&patch.period, Some(before.period.as_str().to_string())),
        supplier: keep(&patch.supplier, before.supplier.clone()),
        licence_key: keep(&patch.licence_key, before.licence_key.clone()),
        notes: keep(&patch.notes, before.notes.clone()),
    };
    let f = validate(&merged, used)?;
    let changes = diff(Some(&before), &f);
    if changes.is_empty() {
        return get_licence(tx.conn(), id);
    }
    tx.conn().execute(
        "UPDATE licences SET product = ?1, vendor = ?2, seats = ?3, renewal_date = ?4, cost = ?5,
                period = ?6, supplier = ?7, licence_key = ?8, notes = ?9, updated_at = ?10,
                cost_basis = ?12
         WHERE id = ?11",
        params![
            f.product,
            f.vendor,
            f.seats,
            f.renewal_date,
            f.cost,
            f.period.as_str(),
            f.supplier,
            f.licence_key,
            f.notes,
            tx.now(),
            id,
            f.cost_basis.as_str()
        ],
    )?;
    audit::record(
        tx,
        licence_event(id, &before.product, Action::Edited, changes, note),
    )?;
    get_licence(tx.conn(), id)
}

/// A live licence, or a refusal naming why it cannot be used.
fn live(conn: &Connection, id: i64) -> Result<Licence> {
    let l = get_licence(conn, id)?;
    if l.archived {
        return Err(Error::Refused(format!("{} is archived", l.product)));
    }
    Ok(l)
}

fn touch(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.conn().execute(
        "UPDATE licences SET updated_at = ?1 WHERE id = ?2",
        params![tx.now(), id],
    )?;
    Ok(())
}

/// Gives a seat to the person called `person` (created if new). Refuses a person who has left,
/// one who already has a seat of it, and a licence whose seats are all in use.
pub fn assign_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    person: &str,
    note: Option<&str>,
) -> Result<Licence> {
    let l = live(tx.conn(), licence_id)?;
    if text(person).is_none() {
        return Err(Error::invalid("person", "choose who gets the seat"));
    }
    let p = people::get_or_create(tx, person)?;
    if holds_seat(tx.conn(), licence_id, p.id)? {
        return Err(Error::Refused(format!(
            "{} already has a seat of {}",
            p.name, l.product
        )));
    }
    if l.seats_used >= l.seats {
        return Err(Error::Refused(format!(
            "all {} seats of {} are in use; add seats or release one first",
            l.seats, l.product
        )));
    }
    tx.conn().execute(
        "INSERT INTO licence_seats (licence_id, person_id, assigned_at) VALUES (?1, ?2, ?3)",
        params![licence_id, p.id, tx.now()],
    )?;
    touch(tx, licence_id)?;
    audit::record(
        tx,
        licence_event(
            licence_id,
            &l.product,
            Action::SeatAssigned,
            vec![Change::new("seat", None, Some(p.name.clone()))],
            note,
        ),
    )?;
    get_licence(tx.conn(), licence_id)
}

fn holds_seat(conn: &Connection, licence_id: i64, person_id: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM licence_seats WHERE licence_id = ?1 AND person_id = ?2",
            [licence_id, person_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Takes a seat back from a person.
pub fn release_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    person_id: i64,
    note: Option<&str>,
) -> Result<Licence> {
    let l = get_licence(tx.conn(), licence_id)?;
    let p = people::get_person(tx.conn(), person_id)?;
    if !holds_seat(tx.conn(), licence_id, person_id)? {
        return Err(Error::Refused(format!(
            "{} has no seat of {}",
            p.name, l.product
        )));
    }
    tx.conn().execute(
        "DELETE FROM licence_seats WHERE licence_id = ?1 AND person_id = ?2",
        [licence_id, person_id],
    )?;
    touch(tx, licence_id)?;
    audit::record(
        tx,
        licence_event(
            licence_id,
            &l.product,
            Action::SeatReleased,
            vec![Change::new("seat", Some(p.name.clone()), None)],
            note,
        ),
    )?;
    get_licence(tx.conn(), licence_id)
}

/// Moves a seat from one person to another (named; created if new) in one audited event.
pub fn reassign_seat(
    tx: &mut Tx<'_>,
    licence_id: i64,
    from_person_id: i64,
    to: &str,
    note: Option<&str>,
) -> Result<Licence> {
    let l = live(tx.conn(), licence_id)?;
    let from = people::get_person(tx.conn(), from_person_id)?;
    if !holds_seat(tx.conn(), licence_id, from.id)? {
        return Err(Error::Refused(format!(
            "{} has no seat of {}",
            from.name, l.product
        )));
    }
    if text(to).is_none() {
        return Err(Error::invalid("person", "choose who gets the seat"));
    }
    let p = people::get_or_create(tx, to)?;
    if p.id == from.id || holds_seat(tx.conn(), licence_id, p.id)? {
        return Err(Error::Refused(format!(
            "{} already has a seat of {}",
            p.name, l.product
        )));
    }
    tx.conn().execute(
        "UPDATE licence_seats SET person_id = ?1, assigned_at = ?2
         WHERE licence_id = ?3 AND person_id = ?4",
        params![p.id, tx.now(), licence_id, from.id],
    )?;
    touch(tx, licence_id)?;
    audit::record(
        tx,
        licence_event(
            licence_id,
            &l.product,
            Action::SeatReassigned,
            vec![Change::new(
                "seat",
                Some(from.name.clone()),
                Some(p.name.clone()),
            )],
            note,
        ),
    )?;
    get_licence(tx.conn(), licence_id)
}

/// Archives (retires) a licence. Refused while seats are in use: release them first, so nobody
/// silently loses access on paper while still using it.
pub fn archive_licence(tx: &mut Tx<'_>, id: i64, note: Option<&str>) -> Result<Licence> {
    let l = live(tx.conn(), id)?;
    if l.seats_used > 0 {
        return Err(Error::Refused(format!(
            "{} still has {} seat{} in use; release {} before archiving it",
            l.product,
            l.seats_used,
            if l.seats_used == 1 { "" } else { "s" },
            if l.seats_used == 1 { "it" } else { "them" }
        )));
    }
    let now = tx.now().to_string();
    tx.conn().execute(
        "UPDATE licences SET archived_at = ?1, updated_at = ?1 WHERE id = ?2",
        params![now, id],
    )?;
    audit::record(
        tx,
        licence_event(
            id,
            &l.product,
            Action::Archived,
            vec![Change::new("archived", None, Some("yes".into()))],
            note,
        ),
    )?;
    get_licence(tx.conn(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{audit::Source, Db};

    fn input(product: &str, seats: &str) -> LicenceInput {
        LicenceInput {
            product: Some(product.into()),
            seats: Some(seats.into()),
            ..Default::default()
        }
    }

    fn add(db: &Db, i: &LicenceInput) -> Result<Licence> {
        db.write(Source::Cli, |tx| create_licence(tx, i, None))
    }

    #[test]
    fn creates_and_validates_fields() {
        let db = Db::open_in_memory().unwrap();
        let l = add(
            &db,
            &LicenceInput {
                product: Some(" Microsoft 365 ".into()),
                vendor: Some("Microsoft".into()),
                seats: Some("10".into()),
                renewal_date: Some("2027-03-01".into()),
                cost: Some("1,234.50".into()),
                period: Some("yearly".into()),
                licence_key: Some("ABCD-EFGH-IJKL-7Q2X".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(l.product, "Microsoft 365");
        assert_eq!(l.cost.map(|m| m.to_string()).as_deref(), Some("1234.50"));
        assert_eq!(l.key_hint.as_deref(), Some("•••• 7Q2X"));
        assert_eq!((l.seats, l.seats_used), (10, 0));
        let cases = [
            (input("", "1"), "product"),
            (input("X", ""), "seats"),
            (input("X", "0"), "seats"),
            (input("X", "2.5"), "seats"),
            (input("X", "100001"), "seats"),
            (
                LicenceInput {
                    renewal_date: Some("2027-02-30".into()),
                    ..input("X", "1")
                },
                "renewal_date",
            ),
            (
                LicenceInput {
                    cost: Some("-3".into()),
                    ..input("X", "1")
                },
                "cost",
            ),
            (
                LicenceInput {
                    period: Some("weekly".into()),
                    ..input("X", "1")
                },
                "period",
            ),
        ];
        for (i, field) in cases {
            let e = add(&db, &i).unwrap_err();
            assert_eq!(e.field(), Some(field), "{i:?}: {e}");
        }
    }

    #[test]
    fn masks_short_and_long_keys() {
        assert_eq!(mask_key("1234567"), "••••");
        assert_eq!(mask_key("12345678"), "•••• 5678");
        assert_eq!(mask_key("  ÄÖÜ-ßéèê "), "•••• ßéèê");
    }

    #[test]
    fn seats_never_exceed_the_licence_and_leavers_get_none() {
        let db = Db::open_in_memory().unwrap();
        let l = add(&db, &input("Acrobat", "2")).unwrap();
        for who in ["Sam Patel", "Ana Ruiz"] {
            db.write(Source::Cli, |tx| assign_seat(tx, l.id, who, None))
                .unwrap();
        }
        let e = db
            .write(Source::Cli, |tx| {
                assign_seat(tx, l.id, "Third Person", None)
            })
            .unwrap_err();
        assert!(e.to_string().contains("all 2 seats"), "{e}");
        assert!(
            db.read(|c| people::find_person(c, "Third Person"))
                .unwrap()
                .is_none(),
            "the refused assignment created nobody"
        );
        let e = db
            .write(Source::Cli, |tx| assign_seat(tx, l.id, "sam patel", None))
            .unwrap_err();
        assert!(e.to_string().contains("already has a seat"), "{e}");
        // Seats cannot drop below those in use.
        let e = db
            .write(Source::Cli, |tx| {
                update_licence(
                    tx,
                    l.id,
                    &LicenceInput {
                        seats: Some("1".into()),
                        ..Default::default()
                    },
                    None,
                )
            })
            .unwrap_err();
        assert_eq!(e.field(), Some("seats"));
        // A person who has left cannot get a seat.
        let sam = db
            .read(|c| people::find_person(c, "Sam Patel"))
            .unwrap()
            .unwrap();
        db.write(Source::Cli, |tx| {
            release_seat(tx, l.id, sam.id, Some("left"))
        })
        .unwrap();
        db.write(Source::Cli, |tx| {
            people::set_person_left(tx, sam.id, true, None)
        })
        .unwrap();
        let e = db
            .write(Source::Cli, |tx| assign_seat(tx, l.id, "Sam Patel", None))
            .unwrap_err();
        assert!(e.to_string().contains("has left"), "{e}");
        let seats = db.read(|c| list_seats(c, l.id)).unwrap();
        assert_eq!(seats.len(), 1);
        assert_eq!(seats[0].person_name, "Ana Ruiz");
    }

    #[test]
    fn every_change_is_audited_with_the_key_masked() {
        let db = Db::open_in_memory().unwrap();
        let l = add(
            &db,
            &LicenceInput {
                licence_key: Some("SECRET-KEY-0001".into()),
                ..input("Figma", "3")
            },
        )
        .unwrap();
        db.write(Source::Cli, |tx| {
            update_licence(
                tx,
                l.id,
                &LicenceInput {
                    licence_key: Some("SECRET-KEY-9991".into()),
                    cost: Some("15".into()),
                    period: Some("monthly".into()),
                    ..Default::default()
                },
                Some("new key"),
            )
        })
        .unwrap();
        // An edit that changes nothing writes nothing.
        let before = db.read(audit::head).unwrap();
        db.write(Source::Cli, |tx| {
            update_licence(tx, l.id, &input("Figma", "3"), None)
        })
        .unwrap();
        assert_eq!(db.read(audit::head).unwrap(), before);
        db.write(Source::Cli, |tx| assign_seat(tx, l.id, "Ana Ruiz", None))
            .unwrap();
        let ana = db
            .read(|c| people::find_person(c, "Ana Ruiz"))
            .unwrap()
            .unwrap();
        db.write(Source::Cli, |tx| {
            reassign_seat(tx, l.id, ana.id, "Bo Chen", None)
        })
        .unwrap();
        let e = db
            .write(Source::Cli, |tx| archive_licence(tx, l.id, None))
            .unwrap_err();
        assert!(e.to_string().contains("release it"), "{e}");
        let bo = db
            .read(|c| people::find_person(c, "Bo Chen"))
            .unwrap()
            .unwrap();
        db.write(Source::Cli, |tx| release_seat(tx, l.id, bo.id, None))
            .unwrap();
        db.write(Source::Cli, |tx| archive_licence(tx, l.id, None))
            .unwrap();
        let events = db
            .read(|c| audit::list_entity_events(c, "licence", l.id))
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "created",
                "edited",
                "seat_assigned",
                "seat_reassigned",
                "seat_released",
                "archived"
            ]
        );
        let all = serde_json::to_string(&events).unwrap();
        assert!(
            !all.contains("SECRET"),
            "the key never reaches the trail: {all}"
        );
        assert!(all.contains("•••• 9991"));
        assert_eq!(
            db.read(|c| reveal_licence_key(c, l.id)).unwrap().as_deref(),
            Some("SECRET-KEY-9991")
        );
        assert!(db.read(audit::verify).unwrap().ok);
        let e = db
            .write(Source::Cli, |tx| assign_seat(tx, l.id, "Ana Ruiz", None))
            .unwrap_err();
        assert!(e.to_string().contains("archived"), "{e}");
    }

    #[test]
    fn finds_by_id_or_product() {
        let db = Db::open_in_memory().unwrap();
        let a = add(&db, &input("Slack", "5")).unwrap();
        let b = add(&db, &input("slack", "5")).unwrap();
        db.read(|c| {
            assert_eq!(find_licence(c, &format!("#{}", a.id))?.id, a.id);
            let e = find_licence(c, "SLACK").unwrap_err();
            assert!(e.to_string().contains("several"), "{e}");
            assert!(matches!(
                find_licence(c, "Zoom"),
                Err(Error::NotFound { .. })
            ));
            Ok(())
        })
        .unwrap();
        db.write(Source::Cli, |tx| archive_licence(tx, a.id, None))
            .unwrap();
        assert_eq!(db.read(|c| find_licence(c, "Slack")).unwrap().id, b.id);
    }
}
