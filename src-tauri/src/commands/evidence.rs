//! Audit-evidence commands: an asset's disposal record (read, record or correct), the retired
//! assets that have none, and the evidence pack, written with progress events and Cancel. On a
//! team register the records are `register_pg::disposals`' and the pack is written from the
//! register's local copy.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use register_core::disposals::{self, Disposal, DisposalInput, Undisposed};
use register_core::pack::{self, PackOptions, PackProgress, PackSummary};
use register_core::Source;
use tauri::{Emitter, State};

use register_pg::disposals as pg;

use super::record::read_version;
use super::{CmdResult, St};
use crate::state::{team_read, team_write};

/// The running pack's Cancel flag.
#[derive(Default)]
pub struct PackJob {
    cancel: Arc<AtomicBool>,
}

#[tauri::command]
pub async fn get_disposal(state: St<'_>, asset_id: i64) -> CmdResult<Option<Disposal>> {
    if let Some(team) = state.team() {
        return team_read(team, move |tx| pg::disposal_of(tx, asset_id)).await;
    }
    state
        .read(move |c| disposals::disposal_of(c, asset_id))
        .await
}

/// Records how the asset left (retiring it if need be), or corrects the record.
#[tauri::command]
pub async fn record_disposal(
    state: St<'_>,
    asset_id: i64,
    input: DisposalInput,
    version: Option<i64>,
) -> CmdResult<Disposal> {
    if let Some(team) = state.team() {
        // From the asset's version the window read: a change someone made since is named, not
        // overwritten. The certificate is one of the asset's documents, already on the server.
        let read = read_version(version)?;
        return team_write(team, move |tx| {
            match pg::disposal_of(tx.client(), asset_id)? {
                Some(_) => pg::correct_disposal(tx, asset_id, read, &input, None),
                None => pg::record_disposal(tx, asset_id, read, &input, None),
            }
        })
        .await;
    }
    let store = state.store.clone();
    state
        .blocking(move |db| disposals::dispose(db, &store, Source::App, asset_id, &input, None))
        .await
}

#[tauri::command]
pub async fn list_undisposed(state: St<'_>) -> CmdResult<Vec<Undisposed>> {
    if let Some(team) = state.team() {
        return team_read(team, |tx| pg::retired_without_disposal(tx)).await;
    }
    state.read(disposals::retired_without_disposal).await
}

/// Asks where to save the evidence pack, then writes it, sending `pack://progress` about ten
/// times a second; `None` when the user cancels the dialog. [`cancel_audit_pack`] stops it and
/// no file is left (error kind `cancelled`).
#[tauri::command]
pub async fn write_audit_pack(
    state: St<'_>,
    job: State<'_, PackJob>,
    window: tauri::Window,
    options: PackOptions,
) -> CmdResult<Option<PackSummary>> {
    let (_, to) = options.period()?;
    let name = format!("evidence-pack-{to}.zip");
    let Some(out) = state
        .dialogs
        .save(
            "Save the evidence pack",
            &name,
            Some(("Zip archive", &["zip"])),
        )
        .await
    else {
        return Ok(None);
    };
    let cancel = job.cancel.clone();
    // End-to-end tests slow each step down to have time to press Cancel.
    let pause = state
        .dialogs
        .test_mode()
        .then(|| std::env::var("ASSET_REGISTER_E2E_PACK_STEP_PAUSE_MS").ok())
        .flatten()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis);
    cancel.store(false, Ordering::SeqCst);
    let target = out.clone();
    let summary = state
        .with_copy(true, move |db, store| {
            let mut last = Instant::now() - Duration::from_secs(1);
            let mut report = |p: &PackProgress| {
                if p.done == p.total || last.elapsed() >= Duration::from_millis(100) {
                    last = Instant::now();
                    let _ = window.emit("pack://progress", p.clone());
                }
                if let Some(p) = pause {
                    std::thread::sleep(p);
                }
                !cancel.load(Ordering::SeqCst)
            };
            pack::write_pack(db, store, &target, &options, &mut report)
        })
        .await?;
    state.remember_export(out);
    Ok(Some(summary))
}

/// Asks a running [`write_audit_pack`] to stop.
#[tauri::command]
pub fn cancel_audit_pack(job: State<'_, PackJob>) {
    job.cancel.store(true, Ordering::SeqCst);
}
