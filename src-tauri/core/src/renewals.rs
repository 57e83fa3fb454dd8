//! What falls due: warranty ends and licence renewals in a window, and the 12-month budget
//! forecast grouped by month with monthly totals. Read-only; money stays in minor units until it
//! is formatted.
//!
//! Rules: a monthly or yearly licence renews on its renewal date and then every month or year
//! after it (a renewal date already past rolls forward, since subscriptions renew themselves); a
//! one-off licence falls due once, on its expiry date. Each renewal costs the licence's cost per
//! period, times its seats when it is priced per seat. A warranty end has no cost of its own
//! (the asset's purchase cost is given for reference and is not added to totals). Retired and Lost/Stolen assets and archived licences
//! are left out.

use chrono::{Datelike, Days, Months, NaiveDate};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::licences::{list_licences, CostBasis, Licence, Period};
use crate::status::Status;
use crate::values::{format_date, Money};

/// What kind of thing falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// An asset's warranty ends.
    Warranty,
    /// A licence renews (or, one-off, expires).
    Licence,
}

/// One thing falling due on one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueItem {
    /// Warranty or licence.
    pub kind: DueKind,
    /// When (YYYY-MM-DD).
    pub date: String,
    /// The asset's or the licence's id.
    pub id: i64,
    /// The asset's tag (warranties only).
    pub asset_tag: Option<String>,
    /// The asset's name or the licence's product.
    pub name: String,
    /// Who holds the asset, or the licence's vendor.
    pub detail: Option<String>,
    /// What the renewal costs for the whole licence (licences with a cost only).
    pub cost: Option<Money>,
    /// For a licence priced per seat: the price of one seat, and the seats it is multiplied by.
    #[serde(default)]
    pub per_seat: Option<(Money, i64)>,
    /// The licence's period.
    pub period: Option<Period>,
    /// The asset's purchase cost, for reference (warranties only; never added to totals).
    pub purchase_cost: Option<Money>,
}

/// One calendar month of the forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthDue {
    /// YYYY-MM.
    pub month: String,
    /// What falls due in it, by date.
    pub items: Vec<DueItem>,
    /// The month's renewal costs.
    pub total: Money,
}

/// The budget forecast: this month and the next eleven.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The first day counted (YYYY-MM-DD).
    pub from: String,
    /// The last day counted (YYYY-MM-DD).
    pub until: String,
    /// The register's currency code.
    pub currency: String,
    /// Twelve months, in order (empty ones included).
    pub months: Vec<MonthDue>,
    /// All twelve months' costs.
    pub total: Money,
}

/// What Home shows: due in the next 30 days, and in 31–90 days, with their costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueSoon {
    /// Due from today to today + 30 days.
    pub within_30: Vec<DueItem>,
    /// Their renewal cost.
    pub cost_30: Money,
    /// Due from today + 31 to today + 90 days.
    pub within_90: Vec<DueItem>,
    /// Their renewal cost.
    pub cost_90: Money,
    /// The register's currency code.
    pub currency: String,
}

/// Statuses whose warranty ends are not due: a Retired or Lost/Stolen asset's warranty no
/// longer matters (Home and the forecast leave them out).
pub const WARRANTY_NOT_DUE: [Status; 2] = [Status::Retired, Status::LostStolen];

/// [`WARRANTY_NOT_DUE`] as a SQL list of quoted status names (`'retired', 'lost_stolen'`).
pub(crate) fn warranty_not_due_sql() -> String {
    WARRANTY_NOT_DUE
        .map(|s| format!("'{}'", s.as_str()))
        .join(", ")
}

/// The dates in `[from, to]` on which `l` falls due.
fn renewals_of(l: &Licence, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let Some(anchor) = l
        .renewal_date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return Vec::new();
    };
    let step = match l.period {
        Period::OneOff => {
            return if (from..=to).contains(&anchor) {
                vec![anchor]
            } else {
                Vec::new()
            }
        }
        Period::Monthly => 1,
        Period::Yearly => 12,
    };
    // Each occurrence is counted from the anchor (not from the previous one), so a renewal on
    // the 31st falls on the last day of shorter months and returns to the 31st after them.
    let mut dates = Vec::new();
    let mut k: u32 = 0;
    if anchor < from {
        // Skip whole periods quickly: months from the anchor to `from`, rounded down to a step.
        let months =
            (from.year() - anchor.year()) * 12 + from.month() as i32 - anchor.month() as i32;
        k = (months.max(1) as u32 - 1) / step;
    }
    while let Some(d) = anchor.checked_add_months(Months::new(k * step)) {
        if d > to {
            break;
        }
        if d >= from {
            dates.push(d);
        }
        k += 1;
    }
    dates
}

/// Everything falling due in `[from, to]`, by date then name.
pub fn due_between(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<DueItem>> {
    let mut items = Vec::new();
    for (_, id) in warranty_ends(conn, from, to)? {
        items.push(warranty_item(conn, id)?);
    }
    items.extend(licence_renewals(conn, from, to)?);
    sort_items(&mut items);
    Ok(items)
}

/// Due items by date, then name (lower-cased), then id: the order every list of them has.
pub fn sort_items(items: &mut [DueItem]) {
    // One lower-cased name per item, not one per comparison.
    items.sort_by_cached_key(|i| (i.date.clone(), i.name.to_lowercase(), i.id));
}

/// The live assets whose warranty ends in `[from, to]`, as (date, asset id) by date then id:
/// only what it takes to place and count them (the forecast reads 100k of these).
pub(crate) fn warranty_ends(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT warranty_expires, id FROM assets
         WHERE archived_at IS NULL AND warranty_expires BETWEEN ?1 AND ?2
           AND status NOT IN ({})
         ORDER BY warranty_expires, id",
        warranty_not_due_sql()
    ))?;
    let mut rows = stmt.query([format_date(from), format_date(to)])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        if let Some(d) = r
            .get_ref(0)?
            .as_str()
            .ok()
            .and_then(crate::values::iso_date)
        {
            out.push((d, r.get(1)?));
        }
    }
    Ok(out)
}

/// One asset's warranty end as a due item.
pub(crate) fn warranty_item(conn: &Connection, asset_id: i64) -> Result<DueItem> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, asset_tag, name, warranty_expires, coalesce(person_name, location_name),
                purchase_cost
         FROM assets WHERE id = ?1",
    )?;
    Ok(stmt.query_row([asset_id], |r| {
        Ok(DueItem {
            kind: DueKind::Warranty,
            id: r.get(0)?,
            asset_tag: r.get(1)?,
            name: r.get(2)?,
            date: r.get(3)?,
            detail: r.get(4)?,
            cost: None,
            per_seat: None,
            period: None,
            purchase_cost: r.get(5)?,
        })
    })?)
}

/// Every licence renewal (or one-off expiry) in `[from, to]`, by date then product.
pub(crate) fn licence_renewals(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DueItem>> {
    Ok(licence_items(&list_licences(conn, false)?, from, to))
}

/// The renewals (or one-off expiries) of `licences` in `[from, to]`, by date then product:
/// each at the whole licence's cost for the period (a per-seat price times its seats). The
/// caller gives the live licences.
pub fn licence_items(licences: &[Licence], from: NaiveDate, to: NaiveDate) -> Vec<DueItem> {
    let mut items = Vec::new();
    for l in licences {
        for d in renewals_of(l, from, to) {
            items.push(DueItem {
                kind: DueKind::Licence,
                date: format_date(d),
                id: l.id,
                asset_tag: None,
                name: l.product.clone(),
                detail: l.vendor.clone(),
                cost: l.period_cost,
                per_seat: match (l.cost_basis, l.cost) {
                    (CostBasis::PerSeat, Some(c)) => Some((c, l.seats)),
                    _ => None,
                },
                period: Some(l.period),
                purchase_cost: None,
            });
        }
    }
    sort_items(&mut items);
    items
}

/// Everything falling due from `today` to `today + within_days`.
pub fn due_within(conn: &Connection, today: NaiveDate, within_days: u32) -> Result<Vec<DueItem>> {
    let to = today
        .checked_add_days(Days::new(u64::from(within_days)))
        .unwrap_or(today);
    due_between(conn, today, to)
}

/// What the items cost: their renewal costs (a warranty's purchase cost is not a cost due).
fn total(items: &[DueItem]) -> Money {
    items.iter().filter_map(|i| i.cost).sum()
}

/// How far ahead Home looks for things falling due.
pub const SOON_DAYS: u32 = 90;

/// Home's lists: due within 30 days, and in 31–90 days.
pub fn due_soon(conn: &Connection, today: NaiveDate) -> Result<DueSoon> {
    let all = due_within(conn, today, SOON_DAYS)?;
    Ok(split_due_soon(
        today,
        all,
        crate::settings::get_settings(conn)?.currency,
    ))
}

/// Home's lists from everything due in the next [`SOON_DAYS`] days (sorted by
/// [`sort_items`]): up to today + 30 days, and after, each with its renewal cost.
pub fn split_due_soon(today: NaiveDate, all: Vec<DueItem>, currency: String) -> DueSoon {
    let d30 = today.checked_add_days(Days::new(30)).unwrap_or(today);
    let cut = format_date(d30);
    let (within_30, within_90): (Vec<_>, Vec<_>) = all.into_iter().partition(|i| i.date <= cut);
    DueSoon {
        cost_30: total(&within_30),
        cost_90: total(&within_90),
        within_30,
        within_90,
        currency,
    }
}

/// The 12-month forecast from `from`: the rest of `from`'s month and the eleven months after
/// it, grouped by month with monthly totals and a grand total.
pub fn forecast(conn: &Connection, from: NaiveDate) -> Result<Forecast> {
    let first = from.with_day(1).unwrap_or(from);
    let end = first
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(from);
    let items = due_between(conn, from, end)?;
    let mut months: Vec<MonthDue> = (0..12)
        .filter_map(|k| first.checked_add_months(Months::new(k)))
        .map(|m| MonthDue {
            month: m.format("%Y-%m").to_string(),
            items: Vec::new(),
            total: Money::ZERO,
        })
        .collect();
    let grand = total(&items);
    for item in items {
        if let Some(m) = months.iter_mut().find(|m| item.date.starts_with(&m.month)) {
            m.items.push(item);
        }
    }
    for m in &mut months {
        m.total = total(&m.items);
    }
    Ok(Forecast {
        from: format_date(from),
        until: format_date(end),
        currency: crate::settings::get_settings(conn)?.currency,
        months,
        total: grand,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::licences::{create_licence, LicenceInput};
    use crate::{audit::Source, Db};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn licence(db: &Db, product: &str, date: &str, cost: &str, period: &str) {
        db.write(Source::Cli, |tx| {
            create_licence(
                tx,
                &LicenceInput {
                    product: Some(product.into()),
                    seats: Some("1".into()),
                    renewal_date: Some(date.into()),
                    cost: Some(cost.into()),
                    period: Some(period.into()),
                    ..Default::default()
                },
                None,
            )
        })
        .unwrap();
    }

    fn asset(db: &Db, tag: &str, warranty: &str, cost: &str) {
        db.write(Source::Cli, |tx| {
            create_asset(
                tx,
                &AssetInput {
                    asset_tag: tag.into(),
                    name: format!("Laptop {tag}"),
                    warranty_expires: warranty.into(),
                    purchase_cost: cost.into(),
                    ..Default::default()
                },
                None,
            )
        })
        .unwrap();
    }

    #[test]
    fn recurring_renewals_roll_forward_and_clamp_to_month_ends() {
        let l = |date: &str, period| Licence {
            id: 1,
            product: "X".into(),
            vendor: None,
            seats: 1,
            seats_used: 0,
            renewal_date: Some(date.into()),
            cost: None,
            cost_basis: Default::default(),
            period_cost: None,
            period,
            supplier: None,
            key_hint: None,
            notes: None,
            archived: false,
            document_count: 0,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let dates = |lic: &Licence, a, b| -> Vec<String> {
            renewals_of(lic, d(a), d(b))
                .into_iter()
                .map(format_date)
                .collect()
        };
        assert_eq!(
            dates(
                &l("2026-01-31", Period::Monthly),
                "2026-01-01",
                "2026-04-30"
            ),
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
        );
        // A yearly renewal set years ago rolls forward to its next anniversary.
        assert_eq!(
            dates(&l("2020-02-29", Period::Yearly), "2026-01-01", "2027-12-31"),
            ["2026-02-28", "2027-02-28"]
        );
        assert_eq!(
            dates(&l("2026-06-15", Period::Yearly), "2026-06-15", "2026-06-15"),
            ["2026-06-15"]
        );
        // One-off: only its own date; once past, nothing.
        assert_eq!(
            dates(&l("2026-03-01", Period::OneOff), "2026-01-01", "2026-12-31"),
            ["2026-03-01"]
        );
        assert!(dates(&l("2025-03-01", Period::OneOff), "2026-01-01", "2026-12-31").is_empty());
        // A renewal after the window is not counted.
        assert!(dates(
            &l("2028-01-01", Period::Monthly),
            "2026-01-01",
            "2026-12-31"
        )
        .is_empty());
    }

    #[test]
    fn forecast_groups_twelve_months_with_exact_totals() {
        let db = Db::open_in_memory().unwrap();
        licence(&db, "Slack", "2026-12-10", "8.25", "monthly");
        licence(&db, "Microsoft 365", "2027-03-01", "1234.56", "yearly");
        licence(&db, "Old CAD", "2027-02-14", "0.10", "one-off");
        licence(&db, "Too far", "2027-12-01", "999", "yearly");
        asset(&db, "IT-1", "2027-03-20", "899.00");
        asset(&db, "IT-2", "2026-11-15", ""); // before `from`: left out
        let f = db.read(|c| forecast(c, d("2026-11-20"))).unwrap();
        assert_eq!(
            (f.from.as_str(), f.until.as_str()),
            ("2026-11-20", "2027-10-31")
        );
        let months: Vec<&str> = f.months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(months.len(), 12);
        assert_eq!((months[0], months[11]), ("2026-11", "2027-10"));
        let m = |k: &str| f.months.iter().find(|m| m.month == k).unwrap();
        assert!(m("2026-11").items.is_empty());
        assert_eq!(m("2026-11").total, "0.00");
        assert_eq!(m("2026-12").total, "8.25");
        assert_eq!(m("2027-02").total, "8.35");
        let march = m("2027-03");
        let names: Vec<&str> = march.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["Microsoft 365", "Slack", "Laptop IT-1"]);
        assert_eq!(
            march.total, "1242.81",
            "the warranty's purchase cost is not added"
        );
        assert_eq!(
            march.items[2]
                .purchase_cost
                .map(|m| m.to_string())
                .as_deref(),
            Some("899.00")
        );
        assert_eq!(march.items[2].kind, DueKind::Warranty);
        // 11 Slack renewals (Dec–Oct) + M365 + the one-off.
        assert_eq!(f.total, "1325.41");
        let all = serde_json::to_value(&f).unwrap();
        assert!(all.to_string().contains("\"kind\":\"licence\""));
    }

    #[test]
    fn due_soon_splits_at_thirty_days() {
        let db = Db::open_in_memory().unwrap();
        licence(&db, "A", "2026-01-10", "10", "yearly");
        licence(&db, "B", "2026-02-20", "20.5", "one-off");
        asset(&db, "IT-1", "2026-01-31", "1");
        asset(&db, "IT-2", "2026-04-30", "1");
        let s = db.read(|c| due_soon(c, d("2026-01-01"))).unwrap();
        assert_eq!(s.within_30.len(), 2);
        assert_eq!(s.cost_30, "10.00");
        assert_eq!(s.within_90.len(), 1);
        assert_eq!(s.cost_90, "20.50");
    }

    // See: issue #19, item 7 (£10.30 per user per month for 10 users showed as £10.30 a month)
    #[test]
    fn a_per_seat_price_is_multiplied_by_the_seats_and_a_total_is_not() {
        let db = Db::open_in_memory().unwrap();
        for (product, basis) in [("Per seat", "per-seat"), ("In total", ""), ("Old", "total")] {
            db.write(Source::Cli, |tx| {
                create_licence(
                    tx,
                    &LicenceInput {
                        product: Some(product.into()),
                        seats: Some("10".into()),
                        renewal_date: Some("2026-03-01".into()),
                        cost: Some("10.30".into()),
                        cost_basis: Some(basis.into()),
                        period: Some("monthly".into()),
                        ..Default::default()
                    },
                    None,
                )
            })
            .unwrap();
        }
        let items = db
            .read(|c| due_between(c, d("2026-03-01"), d("2026-03-31")))
            .unwrap();
        let costs: Vec<(&str, String)> = items
            .iter()
            .map(|i| (i.name.as_str(), i.cost.unwrap().to_string()))
            .collect();
        assert_eq!(
            costs,
            [
                ("In total", "10.30".to_string()),
                ("Old", "10.30".to_string()),
                ("Per seat", "103.00".to_string()),
            ]
        );
        let l = db.read(|c| crate::licences::get_licence(c, 1)).unwrap();
        assert_eq!(l.cost_basis, crate::licences::CostBasis::PerSeat);
        assert_eq!(l.period_cost.unwrap().to_string(), "103.00");
    }
}
