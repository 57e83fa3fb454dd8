//! Replacement planning on the team register, as the file's `register_core::replacements`
//! gives it: when each live asset is due and at what cost, one asset's replacement card, and
//! the plan (the yearly inflation and every category's life and price), with the inflation set
//! inside the caller's transaction ([`crate::write`]). Owns their SQL; placing and costing each
//! replacement, the card's "why not" and what a change records are the core's pure functions
//! (`Dues`, `asset_replacement_of`, `parse_percent`, `inflation_changed`), so both stores plan
//! the same. A category's plan is `categories`'; an asset's own life is an asset change
//! (`assets::set_asset_life`, re-exported here). The inflation is a setting (`settings`).

use std::collections::HashMap;

use chrono::NaiveDate;
use postgres::types::Type;
use postgres::GenericClient;
use register_core::replacements::{
    asset_replacement_of, inflation_changed, inflation_from_setting, parse_percent, percent_text,
    AssetReplacement, Candidate, Due, Dues, Plan, Replacement, Replacements, END_OF_TIME,
    INFLATION_KEY,
};
use register_core::values::{iso_date, Money};

pub use crate::assets::set_asset_life;
use crate::audit;
use crate::categories::list_category_plans;
use crate::db::Tx;
use crate::error::Result;
use crate::settings::{lock_settings, put_setting, setting};

/// Replacements due in `[from, until]` and those overdue at `from`, for every live asset, as
/// the file's `replacements` gives them.
pub fn replacements(
    client: &mut impl GenericClient,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Replacements> {
    planned(client, from, until, None)
}

/// The asset `id`'s replacement: when it is due (also when that is past) and what it will
/// cost, or why it cannot be planned, as the file's `asset_replacement` gives it.
pub fn asset_replacement(
    client: &mut impl GenericClient,
    asset_id: i64,
    today: NaiveDate,
) -> Result<AssetReplacement> {
    let own: Option<i64> = client
        .query_typed_opt(
            "SELECT replacement_months::int8 AS own FROM public.assets WHERE id = $1",
            &[(&asset_id, Type::INT8)],
        )?
        .ok_or_else(|| register_core::Error::not_found("asset", asset_id))?
        .try_get("own")?;
    let r = planned(client, today, END_OF_TIME, Some(asset_id))?;
    Ok(asset_replacement_of(own.map(|l| l as u32), r))
}

/// The plan: the yearly inflation and every category's life and replace-with price.
pub fn plan(client: &mut impl GenericClient) -> Result<Plan> {
    Ok(Plan {
        inflation_percent: percent_text(inflation_bp(client)?),
        categories: list_category_plans(client)?,
    })
}

/// Sets the yearly inflation applied to replacement costs ("2.5" percent), as the file's
/// `set_inflation` does: refused by the core's rule before anything is written; setting the
/// one it has writes nothing.
pub fn set_inflation(tx: &mut Tx<'_>, percent: &str) -> Result<()> {
    let bp = parse_percent("inflation_percent", percent)?;
    lock_settings(tx)?;
    let old = inflation_bp(tx.client())?;
    let Some(event) = inflation_changed(old, bp) else {
        return Ok(());
    };
    put_setting(tx, INFLATION_KEY, &bp.to_string())?;
    audit::record(tx, &event)?;
    Ok(())
}

/// The yearly inflation in basis points (0 when never set).
fn inflation_bp(client: &mut impl GenericClient) -> Result<u32> {
    Ok(inflation_from_setting(
        setting(client, INFLATION_KEY)?.as_deref(),
    ))
}

/// [`replacements`] for every live asset, or only `only`, with every detail read.
fn planned(
    client: &mut impl GenericClient,
    from: NaiveDate,
    until: NaiveDate,
    only: Option<i64>,
) -> Result<Replacements> {
    let mut dues = Dues::new(from, until, inflation_bp(client)?);
    let rows = client.query_typed(
        "SELECT a.id, a.category_id, to_char(a.purchase_date, 'YYYY-MM-DD') AS purchase_date,
                a.purchase_cost, a.replacement_months::int8 AS own_life,
                c.replacement_months::int8 AS category_life,
                (CASE WHEN a.depreciation = 'straight_line' THEN a.life_months END)::int8
                    AS own_depreciation_life,
                (CASE WHEN c.depreciation = 'straight_line' THEN c.life_months END)::int8
                    AS category_depreciation_life,
                c.replace_with
           FROM public.assets a LEFT JOIN public.categories c ON c.id = a.category_id
          WHERE a.archived_at IS NULL AND a.status NOT IN ('retired', 'lost_stolen')
            AND ($1::int8 IS NULL OR a.id = $1)",
        &[(&only, Type::INT8)],
    )?;
    for r in &rows {
        let months = |column: &str| -> Result<Option<u32>> {
            let m: Option<i64> = r.try_get(column)?;
            Ok(m.map(|m| m as u32))
        };
        let money = |column: &str| -> Result<Option<Money>> {
            let m: Option<i64> = r.try_get(column)?;
            Ok(m.map(Money::from_minor))
        };
        let bought: Option<String> = r.try_get("purchase_date")?;
        dues.add(&Candidate {
            asset_id: r.try_get("id")?,
            category_id: r.try_get("category_id")?,
            purchase_date: bought.as_deref().and_then(iso_date),
            purchase_cost: money("purchase_cost")?,
            own_life: months("own_life")?,
            category_life: months("category_life")?,
            own_depreciation_life: months("own_depreciation_life")?,
            category_depreciation_life: months("category_depreciation_life")?,
            replace_with: money("replace_with")?,
        });
    }
    let dues = dues.sorted();
    let ids: Vec<i64> = dues
        .due
        .iter()
        .chain(&dues.overdue)
        .map(|d| d.asset_id)
        .collect();
    let mut details = described(client, &ids)?;
    let mut read = |list: &[Due]| -> Vec<Replacement> {
        list.iter()
            .filter_map(|d| {
                let (tag, name, category, status, holder, bought) = details.remove(&d.asset_id)?;
                Some(d.with_details(tag, name, category, status, holder, bought))
            })
            .collect()
    };
    Ok(Replacements {
        due: read(&dues.due),
        overdue: read(&dues.overdue),
        unplanned: dues.unplanned,
    })
}

/// What lists show of a planned replacement's asset: tag, name, category, status, holder and
/// purchase date (empty when it has none).
type Details = (
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
);

/// The [`Details`] of the assets `ids`, read in one statement.
fn described(client: &mut impl GenericClient, ids: &[i64]) -> Result<HashMap<i64, Details>> {
    let rows = client.query_typed(
        "SELECT id, asset_tag, name, category_name, status,
                coalesce(person_name, location_name) AS holder,
                to_char(purchase_date, 'YYYY-MM-DD') AS purchase_date
           FROM public.assets WHERE id = ANY ($1::int8[])",
        &[(&ids, Type::INT8_ARRAY)],
    )?;
    let mut out = HashMap::new();
    for r in rows {
        let bought: Option<String> = r.try_get("purchase_date")?;
        let details = (
            r.try_get("asset_tag")?,
            r.try_get("name")?,
            r.try_get("category_name")?,
            r.try_get("status")?,
            r.try_get("holder")?,
            bought.unwrap_or_default(),
        );
        out.insert(r.try_get("id")?, details);
    }
    Ok(out)
}
