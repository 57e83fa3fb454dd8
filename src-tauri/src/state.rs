//! What the commands share: the open register (a file, swapped by Restore…, or a team register
//! on a server), the document store, the dialogs, and the helpers that run core work (or the
//! team register's) on a blocking thread and map its error, so no command writes its own
//! `spawn_blocking` chain.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use register_core::db::Tx;
use register_core::documents::DocumentStore;
use register_core::lock::RegisterLock;
use register_core::{Connection, Db, Source};

use crate::dialogs::Dialogs;
use crate::error::{CmdError, CmdResult};
use crate::team::Team;

/// Why a command that needs a register file refuses on a team register.
pub const FILE_ONLY: &str =
    "This works on a register file only so far, not yet on a team register on a server.";

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
    /// The team register this window is for, when it is for one rather than a file (then `db`
    /// holds [`FILE_ONLY`]'s refusal for the commands that need a file).
    pub team: Option<Arc<Team>>,
    /// Where the register came from (`$ASSET_REGISTER_DB` fixes it: the window cannot open
    /// another).
    pub origin: register_core::opening::Origin,
}

impl AppState {
    /// The open register, or `unavailable` with the reason it is not open.
    pub fn db(&self) -> CmdResult<Arc<Db>> {
        if self.team.is_some() {
            return Err(CmdError::with_kind("fileOnly", FILE_ONLY));
        }
        let db = self.db.read().unwrap_or_else(|e| e.into_inner());
        db.clone().map_err(CmdError::unavailable)
    }

    /// True when the register is open and can be changed.
    pub fn writable(&self) -> bool {
        match &self.team {
            Some(team) => team.access().is_some_and(|a| a.can_edit),
            None => self.db().is_ok_and(|d| d.read_only().is_none()),
        }
    }

    /// The team register, when the window is for one.
    pub fn team(&self) -> Option<Arc<Team>> {
        self.team.clone()
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

    /// Runs a read that only the file store has so far (a report, labels, an export, the
    /// budget) on its own connection, on a blocking thread: on a register file as
    /// [`AppState::read_long`]; on a team register on a local copy of it as it is now
    /// ([`crate::team_copy`]).
    pub async fn read_copy<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> register_core::Result<T> + Send + 'static,
    ) -> CmdResult<T> {
        self.with_copy(false, move |db, _| db.read_detached(f))
            .await
    }

    /// [`AppState::read_copy`] for work that takes the register and its documents (the
    /// evidence pack); on a team register the copy holds the documents' bytes when
    /// `documents`.
    pub async fn with_copy<T: Send + 'static>(
        &self,
        documents: bool,
        f: impl FnOnce(&Db, &DocumentStore) -> register_core::Result<T> + Send + 'static,
    ) -> CmdResult<T> {
        if let Some(team) = self.team() {
            return on_team(team, move |t| {
                let copy = t.local_copy(documents)?;
                Ok(f(&copy.db, &copy.store)?)
            })
            .await;
        }
        let store = self.store.clone();
        self.blocking(move |db| f(db, &store)).await
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

/// Runs a read on the team register on a blocking thread.
pub async fn team_read<T: Send + 'static>(
    team: Arc<Team>,
    f: impl FnOnce(&mut register_pg::Transaction<'_>) -> register_pg::Result<T> + Send + 'static,
) -> CmdResult<T> {
    on_team(team, move |t| t.read(f)).await
}

/// Runs one audited change on the team register on a blocking thread.
pub async fn team_write<T: Send + 'static>(
    team: Arc<Team>,
    f: impl FnOnce(&mut register_pg::Tx<'_>) -> register_pg::Result<T> + Send + 'static,
) -> CmdResult<T> {
    on_team(team, move |t| t.write(f)).await
}

/// Runs `f` with the team register on a blocking thread (a sign-in, a read, a change).
pub async fn on_team<T: Send + 'static>(
    team: Arc<Team>,
    f: impl FnOnce(&Team) -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&team))
        .await
        .map_err(CmdError::internal)?
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
