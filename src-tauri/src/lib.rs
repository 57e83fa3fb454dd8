//! The desktop shell: opens the register, registers the commands and starts the window. The
//! domain lives in `register_core`; this crate only wires it to Tauri.

mod commands;
mod error;

use std::sync::Arc;

use commands::AppState;

/// Opens the register (`$ASSET_REGISTER_DB` or the OS app-data dir) and runs the app.
pub fn run() {
    let db = register_core::db::default_path()
        .and_then(|p| register_core::Db::open(&p))
        .map(Arc::new)
        .map_err(|e| e.to_string());
    if let Err(e) = &db {
        eprintln!("asset-register: {e}");
    }
    tauri::Builder::default()
        .manage(AppState { db })
        .invoke_handler(tauri::generate_handler![
            commands::register_info,
            commands::list_assets,
            commands::get_asset,
            commands::next_asset_tag,
            commands::create_asset,
            commands::update_asset,
            commands::assign_asset,
            commands::return_asset,
            commands::change_status,
            commands::archive_asset,
            commands::list_asset_history,
            commands::list_audit_events,
            commands::list_people,
            commands::get_person,
            commands::list_person_history,
            commands::create_person,
            commands::update_person,
            commands::set_person_left,
            commands::list_locations,
            commands::create_location,
            commands::rename_location,
            commands::list_categories,
            commands::get_settings,
            commands::update_settings,
            commands::get_summary,
            commands::verify_register,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Asset Register");
}
