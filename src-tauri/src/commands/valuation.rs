//! Value commands: an asset's depreciation, the categories' methods and the register's totals.

use register_core::depreciation::{
    self, AssetDepreciation, CategoryMethod, MethodInput, Valuation,
};

use super::{CmdResult, St};

#[tauri::command]
pub async fn get_asset_depreciation(state: St<'_>, id: i64) -> CmdResult<AssetDepreciation> {
    state
        .read(move |c| depreciation::asset_depreciation(c, id, register_core::today()))
        .await
}

/// Sets an asset's own method, or (`method: null`) makes it follow its category again.
#[tauri::command]
pub async fn set_asset_depreciation(
    state: St<'_>,
    id: i64,
    method: Option<MethodInput>,
    note: Option<String>,
) -> CmdResult<AssetDepreciation> {
    state
        .write(move |tx| {
            let own = method.map(|m| m.parse()).transpose()?;
            depreciation::set_asset_method(tx, id, own, note.as_deref())
        })
        .await?;
    get_asset_depreciation(state, id).await
}

#[tauri::command]
pub async fn list_category_depreciation(state: St<'_>) -> CmdResult<Vec<CategoryMethod>> {
    state.read(depreciation::list_category_methods).await
}

#[tauri::command]
pub async fn set_category_depreciation(
    state: St<'_>,
    name: String,
    method: MethodInput,
) -> CmdResult<Vec<CategoryMethod>> {
    state
        .write(move |tx| depreciation::set_category_method(tx, &name, method.parse()?))
        .await?;
    list_category_depreciation(state).await
}

/// Several categories' defaults at once, all or none (Value's "Set up depreciation…").
#[tauri::command]
pub async fn set_category_depreciations(
    state: St<'_>,
    methods: Vec<(String, MethodInput)>,
) -> CmdResult<Vec<CategoryMethod>> {
    state
        .write(move |tx| {
            let parsed = methods
                .iter()
                .map(|(name, m)| Ok((name.clone(), m.parse()?)))
                .collect::<register_core::Result<Vec<_>>>()?;
            depreciation::set_category_methods(tx, &parsed)
        })
        .await?;
    list_category_depreciation(state).await
}

/// The register's totals (no per-asset list) as of a date, today by default.
#[tauri::command]
pub async fn get_valuation(state: St<'_>, as_of: Option<String>) -> CmdResult<Valuation> {
    state
        .read(move |c| {
            let date = register_core::values::parse_date("as_of", as_of.as_deref().unwrap_or(""))?
                .unwrap_or_else(register_core::today);
            depreciation::value_totals(c, date)
        })
        .await
}
