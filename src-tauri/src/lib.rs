//! The desktop shell: opens the register, registers the commands and starts the window. The
//! domain lives in `register_core`; this crate only wires it to Tauri.

mod backups;
mod commands;
mod documents;
mod error;
mod transfer;

use std::path::Path;
use std::sync::Arc;

use tauri::Manager;

use commands::AppState;

/// Opens the register (`$ASSET_REGISTER_DB` or the OS app-data dir) and runs the app.
pub fn run() {
    let path = register_core::db::default_path();
    // One writable window per register, claimed before the register is opened, so a second
    // window neither opens nor migrates a register another window has. A read-only window
    // takes no claim (it cannot change anything), so it opens beside a writable one.
    let claim = path
        .as_ref()
        .ok()
        .filter(|p| register_core::db::read_only_reason(p).is_none())
        .map(|p| {
            if let Some(dir) = p.parent() {
                let _ = std::fs::create_dir_all(dir); // a failure is reported by the open below
            }
            register_core::lock::RegisterLock::acquire(p)
        });
    let (db, claim) = match claim {
        Some(Err(e @ register_core::Error::Refused(_))) => (Err(capitalised(&e.to_string())), None),
        claim => {
            let db = path
                .as_ref()
                .map_err(|e| e.to_string())
                .and_then(|p| register_core::Db::open(p).map_err(|e| e.to_string()))
                .map(Arc::new);
            match (db, claim) {
                (Ok(db), Some(Ok(claim))) if db.read_only().is_none() => (Ok(db), Some(claim)),
                (Ok(db), Some(Err(e))) if db.read_only().is_none() => {
                    (Err(capitalised(&e.to_string())), None)
                }
                (db, _) => (db, None),
            }
        }
    };
    if let Err(e) = &db {
        eprintln!("asset-register: {e}");
    }
    let writable = db.as_ref().is_ok_and(|d| d.read_only().is_none());
    let store = register_core::documents::DocumentStore::for_register(
        path.as_deref().unwrap_or(Path::new("register.db")),
    );
    let e2e = std::env::var("ASSET_REGISTER_E2E").is_ok_and(|v| v == "1");
    let e2e_save_dir = std::env::var_os("ASSET_REGISTER_E2E_SAVE_DIR").map(Into::into);
    let backups = path.as_deref().ok().map(backup_dir);
    if let (Ok(db), Some(dir), true) = (&db, &backups, writable) {
        // A daily safety net: back up at start when the newest automatic backup is a day old.
        let (db, store, dir) = (db.clone(), store.clone(), dir.clone());
        std::thread::spawn(move || {
            let stale = register_core::backup::newest_auto_backup_age(&dir)
                .is_none_or(|age| age > std::time::Duration::from_secs(24 * 3600));
            if stale {
                auto_backup(&db, &store, &dir);
            }
        });
    }
    let app = tauri::Builder::default()
        .manage(AppState {
            db: std::sync::RwLock::new(db),
            _claim: claim,
            backups,
            store,
            e2e,
            e2e_save_dir,
            exported: Default::default(),
        })
        .manage(documents::Drops::default())
        .manage(transfer::Imports::default())
        .on_window_event(documents::on_window_event)
        .invoke_handler(tauri::generate_handler![
            backups::backup_register,
            backups::list_backups,
            backups::pick_backup,
            backups::check_backup_file,
            backups::restore_register,
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
            commands::documents::list_documents,
            commands::documents::attach_dropped,
            commands::documents::pick_and_attach,
            commands::documents::remove_document,
            commands::documents::set_document_kind,
            commands::documents::save_document_copy,
            commands::documents::open_document,
            commands::e2e_drop_files,
            commands::export_register_pdf,
            commands::export_dossier_pdf,
            commands::open_exported,
            commands::get_asset_depreciation,
            commands::set_asset_depreciation,
            commands::list_category_depreciation,
            commands::set_category_depreciation,
            commands::get_valuation,
            commands::check_purchase,
            commands::record_purchase,
            commands::pick_receipt,
            commands::licences::list_licences,
            commands::licences::get_licence,
            commands::licences::create_licence,
            commands::licences::update_licence,
            commands::licences::archive_licence,
            commands::licences::reveal_licence_key,
            commands::licences::list_licence_seats,
            commands::licences::list_person_seats,
            commands::licences::assign_seat,
            commands::licences::release_seat,
            commands::licences::list_licence_history,
            commands::licences::get_renewals,
            commands::licences::get_due_soon,
            commands::licences::get_offboarding,
            commands::licences::start_offboarding,
            commands::licences::resolve_offboarding_item,
            commands::licences::finish_offboarding,
            commands::licences::cancel_offboarding,
            commands::licences::export_offboarding_pdf,
            transfer::pick_import_file,
            transfer::open_dropped_import,
            transfer::preview_import,
            transfer::commit_import,
            transfer::cancel_import,
            transfer::close_import_file,
            transfer::undo_import,
            transfer::list_imports,
            transfer::export_assets,
        ])
        .build(tauri::generate_context!())
        .expect("error while starting Asset Register");
    app.run(move |handle, event| {
        if let tauri::RunEvent::Exit = event {
            // On close: a backup if anything changed since the last one.
            let state = handle.state::<AppState>();
            if let (Ok(db), Some(dir), true) = (state.db(), &state.backups, writable) {
                auto_backup(&db, &state.store, dir);
            }
        }
    });
}

/// How many automatic backups are kept.
const KEEP_BACKUPS: usize = 10;

/// `<register folder>/<register name>-backups/`.
fn backup_dir(db_path: &Path) -> std::path::PathBuf {
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    db_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{stem}-backups"))
}

fn auto_backup(
    db: &register_core::Db,
    store: &register_core::documents::DocumentStore,
    dir: &Path,
) {
    match register_core::backup::auto_backup(db, store, dir, KEEP_BACKUPS) {
        Ok(Some(p)) => eprintln!("asset-register: backup written to {}", p.display()),
        Ok(None) => {}
        Err(e) => eprintln!("asset-register: automatic backup failed: {e}"),
    }
}

/// "the register … is already open" → "The register … is already open".
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
