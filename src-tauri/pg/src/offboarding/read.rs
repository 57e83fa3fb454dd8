//! Reading offboardings from the team register: a person's checklist (what they hold, read
//! live, and what their offboarding resolved), the offboardings still open, and the rows the
//! steps lock and check. Owns the SQL that reads `offboardings` and `offboarding_items`.

use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::assets::ListQuery;
use register_core::offboarding::{
    merge_checklist, Checklist, ChecklistItem, ItemKind, Offboarding, OpenOffboarding as CoreOpen,
    Outcome,
};

use crate::error::Result;
use crate::{assets, licences, people};

/// An offboarding still open, as the file lists it, and who started it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOffboarding {
    /// Who is leaving, when, since when, how much they still hold: the file's fields.
    pub open: CoreOpen,
    /// The login (database role) that started it.
    pub started_by: String,
    /// The person that login is tied to (`logins`), when it is.
    pub started_by_person: Option<String>,
}

impl OpenOffboarding {
    /// Who started it, as people read it: "Alice Smith (alice)", or the login alone when it is
    /// tied to nobody.
    pub fn starter(&self) -> String {
        named(&self.started_by, self.started_by_person.as_deref())
    }
}

/// A login as people read it: "Alice Smith (alice)" when it is tied to a person, else the
/// login alone.
pub(super) fn named(login: &str, person: Option<&str>) -> String {
    match person {
        Some(p) => format!("{p} ({login})"),
        None => login.to_string(),
    }
}

/// The columns of an offboarding (`o`), its starter named, instants as the file writes them
/// (UTC, RFC 3339, microseconds).
const COLUMNS: &str = r#"o.id, o.person_id, p.name AS person,
    to_char(o.leaving_on, 'YYYY-MM-DD') AS leaving_on,
    to_char(o.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started_at,
    to_char(o.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS finished_at,
    o.started_by,
    (SELECT tp.name FROM public.logins l JOIN public.people tp ON tp.id = l.person_id
      WHERE l.login = o.started_by) AS started_by_person"#;

const FROM: &str = "FROM public.offboardings o JOIN public.people p ON p.id = o.person_id";

fn offboarding(r: &Row) -> Result<Offboarding> {
    Ok(Offboarding {
        id: r.try_get("id")?,
        leaving_on: r.try_get("leaving_on")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

fn open_from_row(r: &Row, held: i64) -> Result<OpenOffboarding> {
    Ok(OpenOffboarding {
        open: CoreOpen {
            person_id: r.try_get("person_id")?,
            person: r.try_get("person")?,
            leaving_on: r.try_get("leaving_on")?,
            started_at: r.try_get("started_at")?,
            held,
        },
        started_by: r.try_get("started_by")?,
        started_by_person: r.try_get("started_by_person")?,
    })
}

/// The person's open offboarding, with who started it; `None` when none is open.
pub(super) fn open_of(
    client: &mut impl GenericClient,
    person_id: i64,
) -> Result<Option<(Offboarding, OpenOffboarding)>> {
    let row = client.query_typed_opt(
        &format!("SELECT {COLUMNS} {FROM} WHERE o.person_id = $1 AND o.finished_at IS NULL"),
        &[(&person_id, Type::INT8)],
    )?;
    row.map(|r| Ok((offboarding(&r)?, open_from_row(&r, 0)?)))
        .transpose()
}

/// The open offboarding, else the last finished one, as the file's checklist shows it.
fn latest(client: &mut impl GenericClient, person_id: i64) -> Result<Option<Offboarding>> {
    client
        .query_typed_opt(
            &format!(
                "SELECT {COLUMNS} {FROM} WHERE o.person_id = $1
                  ORDER BY o.finished_at IS NULL DESC, o.id DESC LIMIT 1"
            ),
            &[(&person_id, Type::INT8)],
        )?
        .map(|r| offboarding(&r))
        .transpose()
}

/// Every open offboarding, as the file's `list_open` lists them (the earliest leaving date
/// first, then by name): who is leaving, since when, how much they still hold, and who
/// started it.
pub fn list_open(client: &mut impl GenericClient) -> Result<Vec<OpenOffboarding>> {
    let rows = client.query_typed(
        &format!(
            r#"SELECT {COLUMNS},
                   (SELECT count(*) FROM public.assets a
                     WHERE a.person_id = o.person_id AND a.archived_at IS NULL)
                 + (SELECT count(*) FROM public.licence_seats s
                     WHERE s.person_id = o.person_id) AS held
               {FROM} WHERE o.finished_at IS NULL
               ORDER BY o.leaving_on, lower(p.name COLLATE "C") COLLATE "C""#
        ),
        &[],
    )?;
    rows.iter()
        .map(|r| open_from_row(r, r.try_get("held")?))
        .collect()
}

/// The items the person still holds, as the file lists them: live assets by tag, then licence
/// seats by product.
pub(super) fn held_items(
    client: &mut impl GenericClient,
    person_id: i64,
) -> Result<Vec<ChecklistItem>> {
    let q = ListQuery {
        person_id: Some(person_id),
        limit: Some(10_000),
        sort: Some("asset_tag".into()),
        ..Default::default()
    };
    let mut items: Vec<ChecklistItem> = assets::list_assets(client, &q)?
        .assets
        .into_iter()
        .map(|a| ChecklistItem {
            kind: ItemKind::Asset,
            id: a.id,
            label: format!("{} {}", a.asset_tag, a.name),
            detail: a.serial_number,
            outcome: None,
            resolution: None,
            resolved_at: None,
        })
        .collect();
    for s in licences::person_seats(client, person_id)? {
        let l = licences::get_licence(client, s.licence_id)?.licence;
        items.push(ChecklistItem {
            kind: ItemKind::Seat,
            id: s.licence_id,
            label: format!("{} (licence seat)", l.product),
            detail: l.vendor,
            outcome: None,
            resolution: None,
            resolved_at: None,
        });
    }
    Ok(items)
}

/// How an item of an offboarding was resolved, and by whom, when it was.
pub(super) struct Resolved {
    pub(super) label: String,
    pub(super) outcome: Outcome,
    pub(super) at: String,
    pub(super) by: String,
    pub(super) by_person: Option<String>,
}

/// The resolution of the item (`kind`, `id`) of the offboarding `offboarding_id`, if any.
pub(super) fn resolved(
    client: &mut impl GenericClient,
    offboarding_id: i64,
    kind: ItemKind,
    id: i64,
) -> Result<Option<Resolved>> {
    client
        .query_typed_opt(
            r#"SELECT i.label, i.outcome, i.resolved_by,
                      to_char(i.resolved_at AT TIME ZONE 'UTC',
                              'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS resolved_at,
                      (SELECT p.name FROM public.logins l JOIN public.people p
                          ON p.id = l.person_id WHERE l.login = i.resolved_by) AS by_person
                 FROM public.offboarding_items i
                WHERE i.offboarding_id = $1 AND i.kind = $2 AND i.ref_id = $3"#,
            &[
                (&offboarding_id, Type::INT8),
                (&kind.as_str(), Type::TEXT),
                (&id, Type::INT8),
            ],
        )?
        .map(|r| {
            let outcome: String = r.try_get("outcome")?;
            Ok(Resolved {
                label: r.try_get("label")?,
                outcome: Outcome::parse(&outcome),
                at: r.try_get("resolved_at")?,
                by: r.try_get("resolved_by")?,
                by_person: r.try_get("by_person")?,
            })
        })
        .transpose()
}

/// The person's checklist, as the file's `get_checklist` gives it: what they still hold (read
/// live), then what their offboarding (the open one, else the last) resolved.
pub fn get_checklist(client: &mut impl GenericClient, person_id: i64) -> Result<Checklist> {
    let person = people::get_person(client, person_id)?.person;
    let offboarding = latest(client, person_id)?;
    let held = held_items(client, person_id)?;
    let mut resolved = Vec::new();
    if let Some(o) = &offboarding {
        let rows = client.query_typed(
            r#"SELECT kind, ref_id, label, outcome, detail,
                      to_char(resolved_at AT TIME ZONE 'UTC',
                              'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS resolved_at
                 FROM public.offboarding_items WHERE offboarding_id = $1
                ORDER BY offboarding_items.resolved_at, kind, ref_id"#,
            &[(&o.id, Type::INT8)],
        )?;
        for r in &rows {
            let kind = ItemKind::parse(&r.try_get::<_, String>("kind")?);
            let id: i64 = r.try_get("ref_id")?;
            let outcome: String = r.try_get("outcome")?;
            let detail = match kind {
                ItemKind::Asset => assets::get_asset(client, id)?.asset.serial_number,
                ItemKind::Seat => licences::get_licence(client, id)?.licence.vendor,
            };
            resolved.push(ChecklistItem {
                kind,
                id,
                label: r.try_get("label")?,
                detail,
                outcome: Some(Outcome::parse(&outcome)),
                resolution: r.try_get("detail")?,
                resolved_at: r.try_get("resolved_at")?,
            });
        }
    }
    let (items, unresolved) = merge_checklist(held, resolved);
    Ok(Checklist {
        person,
        offboarding,
        items,
        unresolved,
    })
}
