//! What the commands share: the open register (swapped by Restore…), the document store, the
//! dialogs, and the helpers that run core work on a blocking thread and map its error, so no
//! command writes its own `spawn_blocking` chain.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use register_core::db::Tx;
use register_core::documents::DocumentStore;
use register_core::lock::RegisterLock;
use register_core::{Connection, Db, Source};

use crate::dialogs::Dialogs;
use crate::error::{CmdError, CmdResult};

/// Shared app state: the open register, or why it could not be opened.
pub struct AppState {
    /// The register, or the message explaining why it is unavailable. Behind a lock only so
    /// that Restore… can close it, swap the files and open the restored one.
    pub db: RwLock<Result<Arc<Db>, String>>,
    /// The register file this window is for (`None` when even its path is unknown).
    pub register: Option<PathBuf>,
    /// This window's claim on the register file, held until the app exits (none when
    /// read-only or unavailable; taken when Restore… brings an unavailable register back).
    pub claim: Mutex<Option<RegisterLock>>,
    /// Where the automatic backups go.
    pub backups: Option<PathBuf>,
    /// Where its documents are stored.
    pub store: DocumentStore,
    /// The native dialogs, or their answers in end-to-end tests.
    pub dialogs: Dialogs,
    /// Files this session exported, the only paths `open_exported` will open.
    pub exported: Mutex<Vec<PathBuf>>,
}

impl AppState {
    /// The open register, or `unavailable` with the reason it is not open.
    pub fn db(&self) -> CmdResult<Arc<Db>> {
        let db = self.db.read().unwrap_or_else(|e| e.into_inner());
        db.clone().map_err(CmdError::unavailable)
    }

    /// True when the register is open and can be changed.
    pub fn writable(&self) -> bool {
        self.db().is_ok_and(|d| d.read_only().is_none())
    }

    /// Runs `f` with the open register on a blocking thread.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Db) -> register_core::Result<T> + Send + 'static,
    ) -> CmdResult<T> {
        let db = self.db()?;
        blocking(move || f(&db)).await
    }

    /// Runs a read on a blocking thread.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> register_core::Result<T> + Send + 'static,
    ) -> CmdResult<T> {
        self.blocking(move |db| db.read(f)).await
    }

    /// Runs a long read (verify, reports) on its own connection, on a blocking thread.
    pub async fn read_long<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> register_core::Result<T> + Send + 'static,
    ) -> CmdResult<T> {
        self.blocking(move |db| db.read_detached(f)).await
    }

    /// Runs a write (tagged with source `app`) on a blocking thread.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> register_core::Result<T> + Send + 'static,
    ) -> CmdResult<T> {
        self.blocking(move |db| db.write(Source::App, f)).await
    }

    /// Remembers a file this session wrote, so `open_exported` may open it.
    pub fn remember_export(&self, path: PathBuf) {
        self.exported
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path);
    }
}

/// Runs core work that needs no register (checking a backup, copying a file) on a blocking
/// thread. A panic there becomes an `internal` error.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> register_core::Result<T> + Send + 'static,
) -> CmdResult<T> {
    Ok(tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(CmdError::internal)??)
}
