//! The desktop shell: opens the register, registers the commands and starts the window. The
//! domain lives in `register_core`; this crate only wires it to Tauri.
//!
//! - `commands/`: the commands the web view invokes, one module per domain;
//! - `state`: what they share, and the helpers that run core work off the UI thread;
//! - `error`: the `{kind, message, field}` shape of their errors;
//! - `dialogs`: the native file dialogs and their end-to-end test answers;
//! - `drops`: files dropped on the window; `viewer`: opening files in the system viewer;
//! - `lifecycle`: opening the register, the window title and the automatic backups;
//! - `team`: the window on a team register (PostgreSQL): signing in and running its work;
//! - `webview`: the web view's start-up settings (on Linux, compositing off);
//! - `logging`: the log file.

mod commands;
mod dialogs;
mod drops;
mod error;
mod lifecycle;
mod logging;
mod state;
mod team;
mod team_copy;
mod viewer;
mod webview;

use std::path::Path;

use register_core::opening::{Origin, Register};
use tauri::Manager;

use commands::*;
use state::AppState;

/// Opens the register (`$ASSET_REGISTER_DB`, else the one last chosen in the window, else the
/// register file in the OS app-data dir; a file's path or a team register's `postgresql://`
/// URL) and runs the app.
pub fn run() {
    webview::configure();
    let state = match register_core::opening::at_start() {
        Ok((Register::Team(url), origin)) => team_state(&url, origin),
        // A register chosen earlier that is not there (a drive not plugged in) is not replaced
        // by a new, empty one: the window says so and offers to try again or open another.
        Ok((Register::File(path), Origin::Remembered)) if !path.exists() => file_state(
            Err(register_core::Error::Refused(format!(
                "The register file chosen earlier, {}, is not there. If it is on a drive or a \
                 network folder, connect it and try again; or open another register.",
                path.display()
            ))),
            Origin::Remembered,
        ),
        Ok((Register::File(path), origin)) => file_state(Ok(path), origin),
        Err(e) => file_state(Err(e), Origin::Default),
    };
    let db_path = state.register.clone();
    let writable = state.writable();
    let app = tauri::Builder::default()
        .plugin(logging::plugin())
        .manage(state)
        .manage(drops::Drops::default())
        .manage(import::Imports::default())
        .manage(evidence::PackJob::default())
        .on_window_event(drops::on_window_event)
        .setup(move |app| {
            lifecycle::on_start(app.handle(), db_path.as_deref());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            about::about,
            assets::list_assets,
            assets::get_asset,
            assets::next_asset_tag,
            assets::create_asset,
            assets::update_asset,
            assets::assign_asset,
            assets::return_asset,
            assets::change_status,
            assets::archive_asset,
            assets::unarchive_asset,
            assets::list_asset_history,
            assets::list_statuses,
            audit::list_audit_events,
            audit::verify_register,
            audit::audit_head,
            backups::backup_register,
            backups::list_backups,
            backups::pick_backup,
            backups::check_backup_file,
            backups::restore_register,
            categories::list_categories,
            documents::list_documents,
            documents::attach_dropped,
            documents::pick_and_attach,
            documents::remove_document,
            documents::set_document_kind,
            documents::save_document_copy,
            documents::open_document,
            documents::e2e_drop_files,
            export::export_assets,
            import::pick_import_file,
            import::open_dropped_import,
            import::preview_import,
            import::commit_import,
            import::cancel_import,
            import::close_import_file,
            import::reopen_import_file,
            import::undo_import,
            import::list_imports,
            import::import_in_progress,
            licences::list_licences,
            licences::get_licence,
            licences::create_licence,
            licences::update_licence,
            licences::archive_licence,
            licences::reveal_licence_key,
            licences::list_licence_seats,
            licences::list_person_seats,
            licences::assign_seat,
            licences::release_seat,
            licences::list_licence_history,
            licences::get_renewals,
            forecast::get_forecast,
            forecast::get_replacement_plan,
            forecast::set_category_replacement,
            forecast::set_replacement_inflation,
            forecast::get_asset_replacement,
            forecast::set_asset_replacement_life,
            forecast::export_budget_csv,
            forecast::export_budget_pdf,
            evidence::get_disposal,
            evidence::record_disposal,
            evidence::list_undisposed,
            evidence::write_audit_pack,
            evidence::cancel_audit_pack,
            licences::get_due_soon,
            locations::list_locations,
            locations::create_location,
            locations::rename_location,
            offboarding::get_offboarding,
            offboarding::start_offboarding,
            offboarding::resolve_offboarding_item,
            offboarding::finish_offboarding,
            offboarding::cancel_offboarding,
            offboarding::export_offboarding_pdf,
            people::list_people,
            people::get_person,
            people::list_person_history,
            people::create_person,
            people::update_person,
            people::set_person_left,
            purchases::check_purchase,
            purchases::record_purchase,
            purchases::pick_receipt,
            register::register_info,
            register::get_summary,
            register::team_sign_in,
            register::pick_register_file,
            register::open_register,
            transfer::move_to_server,
            transfer::use_file_again,
            transfer::backup_team_register,
            transfer::export_team_register,
            reports::export_register_pdf,
            reports::export_dossier_pdf,
            reports::open_exported,
            labels::list_label_layouts,
            labels::export_labels_pdf,
            scan::find_asset_by_tag,
            stocktake::get_open_stocktake,
            stocktake::list_stocktakes,
            stocktake::start_stocktake,
            stocktake::scan_stocktake_tag,
            stocktake::move_stocktake_item,
            stocktake::list_stocktake_items,
            stocktake::finish_stocktake,
            stocktake::cancel_stocktake,
            stocktake::get_stocktake_summary,
            stocktake::set_stale_months,
            stocktake::export_stocktake_pdf,
            settings::get_settings,
            settings::update_settings,
            valuation::get_asset_depreciation,
            valuation::set_asset_depreciation,
            valuation::list_category_depreciation,
            valuation::set_category_depreciation,
            valuation::set_category_depreciations,
            valuation::get_valuation,
        ])
        .build(tauri::generate_context!())
        .expect("error while starting Asset Register");
    app.run(move |handle, event| {
        if let tauri::RunEvent::Exit = event {
            lifecycle::on_exit(&handle.state::<AppState>(), writable);
        }
    });
}

/// The window for the register file at `path`.
fn file_state(path: register_core::Result<std::path::PathBuf>, origin: Origin) -> AppState {
    let (db, claim) = match &path {
        Ok(p) => lifecycle::open_register(p),
        Err(e) => (Err(e.to_string()), None),
    };
    let db_path = path.as_ref().ok().cloned();
    AppState {
        db: std::sync::RwLock::new(db),
        register: db_path.clone(),
        claim: std::sync::Mutex::new(claim),
        backups: db_path.as_deref().map(lifecycle::backup_dir),
        store: register_core::documents::DocumentStore::for_register(
            db_path.as_deref().unwrap_or(Path::new("register.db")),
        ),
        dialogs: dialogs::Dialogs::from_env(),
        exported: Default::default(),
        team: None,
        origin,
    }
}

/// The window for the team register at `url`: nothing is sent to the server until the window
/// asks who is signed in (off the UI thread); a URL that does not parse shows why instead.
fn team_state(url: &str, origin: Origin) -> AppState {
    let (team, db) = match team::Team::new(url) {
        Ok(team) => (
            Some(std::sync::Arc::new(team)),
            Err(state::FILE_ONLY.to_string()),
        ),
        Err(why) => (None, Err(why)),
    };
    AppState {
        db: std::sync::RwLock::new(db),
        register: None,
        claim: std::sync::Mutex::new(None),
        backups: None,
        // Never used: every command on documents goes to the server.
        store: register_core::documents::DocumentStore::for_register(Path::new("register.db")),
        dialogs: dialogs::Dialogs::from_env(),
        exported: Default::default(),
        team,
        origin,
    }
}
