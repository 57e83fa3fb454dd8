//! Reading licences and seats from the team register as the core's `Licence` and `Seat`, with
//! the licence's row version. Owns the column list, the row conversions and the row lock every
//! change to a licence takes.

use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::licences::{
    choose_named, mask_key, period_cost, CostBasis, Licence, Period, Seat, ValidLicence,
};
use register_core::values::Money;

use crate::db::Tx;
use crate::error::Result;

/// A licence as stored on the server, and its version: the number of writes it has had (1 when
/// created; every change to it, its seats' included, makes one). An edit or an archive names
/// the version it was read at, and is refused if the licence has moved on since (see
/// [`crate::conflict::Conflict`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned {
    /// The licence, as the file register would give it (the key masked).
    pub licence: Licence,
    /// Its row version.
    pub version: i64,
}

/// Every column of a licence (`l`), with its seats in use and its documents counted, dates and
/// times as the file stores them. The count is the statement's snapshot: after a lock, read it in a statement of
/// its own.
pub(super) const COLUMNS: &str = r#"l.id, l.product, l.vendor, l.seats,
    (SELECT count(*) FROM public.licence_seats s WHERE s.licence_id = l.id) AS seats_used,
    (SELECT count(*) FROM public.documents d WHERE d.licence_id = l.id) AS document_count,
    to_char(l.renewal_date, 'YYYY-MM-DD') AS renewal_date, l.cost, l.cost_basis, l.period,
    l.supplier, l.licence_key, l.notes, l.archived_at IS NOT NULL AS archived,
    to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
    to_char(l.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at,
    l.version"#;

/// A row of [`COLUMNS`].
pub(super) fn from_row(r: &Row) -> Result<Versioned> {
    let f = fields(r)?;
    Ok(Versioned {
        licence: Licence {
            id: r.try_get("id")?,
            seats_used: r.try_get("seats_used")?,
            period_cost: period_cost(f.cost.map(Money::from_minor), f.cost_basis, f.seats),
            key_hint: f.licence_key.as_deref().map(mask_key),
            archived: r.try_get("archived")?,
            document_count: r.try_get("document_count")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            product: f.product,
            vendor: f.vendor,
            seats: f.seats,
            renewal_date: f.renewal_date,
            cost: f.cost.map(Money::from_minor),
            cost_basis: f.cost_basis,
            period: f.period,
            supplier: f.supplier,
            notes: f.notes,
        },
        version: r.try_get("version")?,
    })
}

/// The stored fields of a row of [`COLUMNS`], the key in clear, as the core's rules take them.
pub(super) fn fields(r: &Row) -> Result<ValidLicence> {
    let basis: String = r.try_get("cost_basis")?;
    let period: String = r.try_get("period")?;
    Ok(ValidLicence {
        product: r.try_get("product")?,
        vendor: r.try_get("vendor")?,
        seats: r.try_get("seats")?,
        renewal_date: r.try_get("renewal_date")?,
        cost: r.try_get("cost")?,
        cost_basis: CostBasis::parse(&basis)?,
        period: Period::parse(&period)?,
        supplier: r.try_get("supplier")?,
        licence_key: r.try_get("licence_key")?,
        notes: r.try_get("notes")?,
    })
}

/// Every live licence (and archived ones when asked), by product ignoring ASCII case as the
/// file sorts them, then by id.
pub fn list_licences(
    client: &mut impl GenericClient,
    include_archived: bool,
) -> Result<Vec<Versioned>> {
    client
        .query_typed(
            &format!(
                r#"SELECT {COLUMNS} FROM public.licences l
                    WHERE $1 OR l.archived_at IS NULL
                    ORDER BY lower(l.product COLLATE "C") COLLATE "C", l.id"#
            ),
            &[(&include_archived, Type::BOOL)],
        )?
        .iter()
        .map(from_row)
        .collect()
}

/// One licence by id (archived ones too), with its version.
pub fn get_licence(client: &mut impl GenericClient, id: i64) -> Result<Versioned> {
    let row = client.query_typed_opt(
        &format!("SELECT {COLUMNS} FROM public.licences l WHERE l.id = $1"),
        &[(&id, Type::INT8)],
    )?;
    match row {
        Some(r) => from_row(&r),
        None => Err(register_core::Error::not_found("licence", id).into()),
    }
}

/// A licence by its id (`7` or `#7`) or by its product (ignoring ASCII case), as the file's
/// `find_licence` finds it for the CLI: a product several live licences share is refused with
/// their ids (`register_core::licences::choose_named`).
pub fn find_licence(client: &mut impl GenericClient, key: &str) -> Result<Versioned> {
    let k = key.trim();
    if let Ok(id) = k.trim_start_matches('#').parse::<i64>() {
        if let Ok(l) = get_licence(client, id) {
            return Ok(l);
        }
    }
    let named = client
        .query_typed(
            &format!(
                r#"SELECT {COLUMNS} FROM public.licences l
                    WHERE lower(l.product COLLATE "C") = lower($1 COLLATE "C")
                    ORDER BY l.archived_at IS NOT NULL, l.id"#
            ),
            &[(&k, Type::TEXT)],
        )?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>>>()?;
    let chosen = choose_named(k, named.iter().map(|v| v.licence.clone()).collect())?;
    Ok(named
        .into_iter()
        .find(|v| v.licence.id == chosen.id)
        .expect("chosen from these"))
}

/// The stored key in clear, for the licence's page when the user asks to see it. Any role that
/// reads licences may (see `admin`).
pub fn reveal_licence_key(client: &mut impl GenericClient, id: i64) -> Result<Option<String>> {
    let row = client.query_typed_opt(
        "SELECT licence_key FROM public.licences WHERE id = $1",
        &[(&id, Type::INT8)],
    )?;
    match row {
        Some(r) => Ok(r.try_get("licence_key")?),
        None => Err(register_core::Error::not_found("licence", id).into()),
    }
}

/// The seats of a licence, by person.
pub fn list_seats(client: &mut impl GenericClient, licence_id: i64) -> Result<Vec<Seat>> {
    seats_where(client, "s.licence_id = $1", licence_id)
}

/// The seats a person holds, by product.
pub fn person_seats(client: &mut impl GenericClient, person_id: i64) -> Result<Vec<Seat>> {
    seats_where(client, "s.person_id = $1", person_id)
}

fn seats_where(client: &mut impl GenericClient, filter: &str, id: i64) -> Result<Vec<Seat>> {
    client
        .query_typed(
            &format!(
                r#"SELECT s.licence_id, l.product, s.person_id, p.name AS person_name,
                          p.left_on IS NULL AS person_active,
                          to_char(s.assigned_at AT TIME ZONE 'UTC',
                                  'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS assigned_at
                     FROM public.licence_seats s
                     JOIN public.licences l ON l.id = s.licence_id
                     JOIN public.people p ON p.id = s.person_id
                    WHERE {filter}
                    ORDER BY lower(l.product COLLATE "C") COLLATE "C",
                             lower(p.name COLLATE "C") COLLATE "C""#
            ),
            &[(&id, Type::INT8)],
        )?
        .iter()
        .map(|r| {
            Ok(Seat {
                licence_id: r.try_get("licence_id")?,
                product: r.try_get("product")?,
                person_id: r.try_get("person_id")?,
                person_name: r.try_get("person_name")?,
                person_active: r.try_get("person_active")?,
                assigned_at: r.try_get("assigned_at")?,
            })
        })
        .collect()
}

/// The licence `id` locked for this transaction's change (`FOR UPDATE`: another change to it,
/// a seat taken or given back included, waits until this one commits), then read with its
/// fields, key in clear. The lock and the read are two statements, so the seats in use are
/// counted after any change that held the lock has committed: two clients cannot both take the
/// last seat. Not found is an error; an archived licence is returned, for the caller to refuse.
pub(super) fn lock(tx: &mut Tx<'_>, id: i64) -> Result<(Versioned, ValidLicence)> {
    let found = tx.client().query_typed_opt(
        "SELECT id FROM public.licences WHERE id = $1 FOR UPDATE",
        &[(&id, Type::INT8)],
    )?;
    if found.is_none() {
        return Err(register_core::Error::not_found("licence", id).into());
    }
    let row = tx.client().query_typed_one(
        &format!("SELECT {COLUMNS} FROM public.licences l WHERE l.id = $1"),
        &[(&id, Type::INT8)],
    )?;
    Ok((from_row(&row)?, fields(&row)?))
}
