//! What assets are worth on the team register, as the file's `register_core::depreciation`
//! gives it: an asset's depreciation card, every category's default with its assets counted,
//! and the register's value as of a date. Owns their SQL; the figures are the core's pure
//! functions (`depreciation_of`, `Valuer`), so both stores give the same. Setting a category's
//! default is `categories`' (several at once here, all or none); setting an asset's own method
//! is an asset change (`assets::set_asset_method`, re-exported here).

use chrono::NaiveDate;
use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::depreciation::{
    depreciation_of, method_from_columns, AssetDepreciation, CategoryMethod, Method, Valuation,
    Valuer,
};

pub use crate::assets::set_asset_method;
use crate::categories::set_category_method;
use crate::db::Tx;
use crate::error::Result;
use crate::settings::get_settings;

/// The method a row holds in the columns `{prefix}depreciation`, `{prefix}life_months`,
/// `{prefix}residual` and `{prefix}rate_bp` (`None`: not set).
fn method_in(r: &Row, prefix: &str) -> Result<Option<Method>> {
    let column = |name: &str| format!("{prefix}{name}");
    Ok(method_from_columns(
        r.try_get::<_, Option<String>>(column("depreciation").as_str())?
            .as_deref(),
        r.try_get(column("life_months").as_str())?,
        r.try_get(column("residual").as_str())?,
        r.try_get(column("rate_bp").as_str())?,
    ))
}

/// The asset's own method (`a_…`) and its category's default (`c_…`, none without a category),
/// read by [`method_in`].
const METHODS: &str = "a.depreciation AS a_depreciation, a.life_months::int8 AS a_life_months,
    a.residual AS a_residual, a.rate_bp::int8 AS a_rate_bp,
    c.depreciation AS c_depreciation, c.life_months::int8 AS c_life_months,
    c.residual AS c_residual, c.rate_bp::int8 AS c_rate_bp";

/// The asset `id`'s method, book value as of `as_of` and yearly schedule, as the file's
/// `asset_depreciation` gives them (archived assets too).
pub fn asset_depreciation(
    client: &mut impl GenericClient,
    asset_id: i64,
    as_of: NaiveDate,
) -> Result<AssetDepreciation> {
    let asset = crate::assets::get_asset(client, asset_id)?.asset;
    let row = client.query_typed_one(
        &format!(
            "SELECT {METHODS} FROM public.assets a
               LEFT JOIN public.categories c ON c.id = a.category_id
              WHERE a.id = $1"
        ),
        &[(&asset_id, Type::INT8)],
    )?;
    let category = method_in(&row, "c_")?.unwrap_or_default();
    let own = method_in(&row, "a_")?;
    Ok(depreciation_of(&asset, category, own, as_of))
}

/// Every category with its default method and how many live assets it has (and of those, how
/// many have their own), by name ignoring ASCII case, as the file's `list_category_methods`.
pub fn list_category_methods(client: &mut impl GenericClient) -> Result<Vec<CategoryMethod>> {
    let rows = client.query_typed(
        r#"SELECT c.id, c.name, c.depreciation AS c_depreciation,
                  c.life_months::int8 AS c_life_months, c.residual AS c_residual,
                  c.rate_bp::int8 AS c_rate_bp,
                  (SELECT count(*) FROM public.assets a
                    WHERE a.category_id = c.id AND a.archived_at IS NULL) AS asset_count,
                  (SELECT count(*) FROM public.assets a
                    WHERE a.category_id = c.id AND a.archived_at IS NULL
                      AND a.depreciation IS NOT NULL) AS overrides
             FROM public.categories c
            ORDER BY lower(c.name COLLATE "C") COLLATE "C""#,
        &[],
    )?;
    rows.iter()
        .map(|r| {
            Ok(CategoryMethod {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                method: method_in(r, "c_")?.unwrap_or_default().into(),
                asset_count: r.try_get("asset_count")?,
                overrides: r.try_get("overrides")?,
            })
        })
        .collect()
}

/// Sets several categories' defaults in the caller's transaction (so all or none), each as
/// [`set_category_method`] sets one, as the file's `set_category_methods` does.
pub fn set_category_methods(tx: &mut Tx<'_>, methods: &[(String, Method)]) -> Result<()> {
    for (name, method) in methods {
        set_category_method(tx, name, *method)?;
    }
    Ok(())
}

/// Values every live asset as of `as_of`, as the file's `value_register` does.
pub fn value_register(client: &mut impl GenericClient, as_of: NaiveDate) -> Result<Valuation> {
    valuate(client, as_of, true)
}

/// The totals of [`value_register`] without the per-asset list, as the file's `value_totals`.
pub fn value_totals(client: &mut impl GenericClient, as_of: NaiveDate) -> Result<Valuation> {
    valuate(client, as_of, false)
}

fn valuate(
    client: &mut impl GenericClient,
    as_of: NaiveDate,
    with_assets: bool,
) -> Result<Valuation> {
    let currency = get_settings(client)?.currency;
    let rows = client.query_typed(
        &format!(
            r#"SELECT a.asset_tag, a.category_name, a.status, a.purchase_cost,
                      to_char(a.purchase_date, 'YYYY-MM-DD') AS purchase_date, {METHODS}
                 FROM public.assets a LEFT JOIN public.categories c ON c.id = a.category_id
                WHERE a.archived_at IS NULL
                ORDER BY lower(a.asset_tag COLLATE "C") COLLATE "C""#
        ),
        &[],
    )?;
    let mut valuer = Valuer::new(as_of, currency, with_assets);
    for r in &rows {
        let status: String = r.try_get("status")?;
        let bought: Option<String> = r.try_get("purchase_date")?;
        // Read whether or not the asset has a cost and a date: on a fetched row, that is free.
        let method = match method_in(r, "a_")? {
            Some(own) => own,
            None => method_in(r, "c_")?.unwrap_or_default(),
        };
        valuer.add(
            r.try_get("asset_tag")?,
            r.try_get("category_name")?,
            &status,
            r.try_get("purchase_cost")?,
            bought.as_deref(),
            || Ok(method),
        )?;
    }
    Ok(valuer.finish())
}
