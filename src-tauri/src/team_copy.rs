//! A local, read-only copy of a team register for what only the file store reads so far: the
//! PDF reports, labels, CSV and JSON exports, the renewals and budget forecast, the evidence
//! pack. Written from one snapshot of the server (`register_pg::transfer::copy_for_reading`)
//! into a private temporary folder, on its own connection so the window stays free; kept while
//! the server's chain head stays where it was (every change moves it, so a kept copy is exactly
//! the register as it is now), and removed when it is replaced or the app exits.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use register_core::documents::DocumentStore;
use register_core::Db;
use tempfile::TempDir;

use crate::error::{CmdError, CmdResult};
use crate::team::{pg_error, Team};

/// One copy, at one head.
pub struct LocalCopy {
    /// The register file (the folder goes when the copy is dropped).
    pub db: Db,
    /// Its documents; empty unless the copy was made with their bytes.
    pub store: DocumentStore,
    /// The server's head when it was made: (event count, last hash).
    head: (i64, String),
    /// Whether the documents' bytes are in `store`.
    documents: bool,
    /// The private folder it lives in; removed on drop.
    _dir: TempDir,
}

/// The copy a window keeps (at most one).
#[derive(Default)]
pub struct Copies {
    current: Mutex<Option<Arc<LocalCopy>>>,
}

/// Why a login that cannot read the trail gets no copy.
const VIEWERS: &str = "Reports, labels, exports and the budget are made from the register with \
                       its history, which a viewer's login cannot read. Ask the register's \
                       owner for an auditor's login to print them.";

impl Copies {
    /// The register as it is now, as a local file: the kept copy when the server's head has not
    /// moved since it was made (and it holds the documents' bytes if `documents`), else a new
    /// one. Blocking; two callers at once wait for one copy.
    pub fn get(&self, team: &Team, documents: bool) -> CmdResult<Arc<LocalCopy>> {
        let access = team.access().ok_or_else(|| {
            CmdError::with_kind("needsPassword", "Sign in to the team register first.")
        })?;
        if !access.reads_trail {
            return Err(CmdError::refused(VIEWERS));
        }
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let head = team.read(|tx| register_pg::audit::head(tx))?;
        if let Some(copy) = current.as_ref() {
            if copy.head == head && (copy.documents || !documents) {
                return Ok(Arc::clone(copy));
            }
        }
        // The old copy goes first: two copies of a big register need not be on disk at once.
        *current = None;
        let dir = tempfile::Builder::new()
            .prefix("asset-register-copy-")
            .tempdir()
            .map_err(|e| CmdError::internal(format!("cannot make a folder for the copy: {e}")))?;
        let path: PathBuf = dir.path().join("register.db");
        let mut client = team.connect_again().map_err(pg_error)?;
        let made = register_pg::transfer::copy_for_reading(&mut client, &path, documents)
            .map_err(pg_error)?;
        log::info!(
            "team register: local copy for reading at event {} ({} assets{})",
            made.head.0,
            made.counts.assets,
            if documents { ", with documents" } else { "" }
        );
        let copy = Arc::new(LocalCopy {
            db: Db::open(&path)?,
            store: DocumentStore::for_register(&path),
            head: made.head,
            documents,
            _dir: dir,
        });
        *current = Some(Arc::clone(&copy));
        Ok(copy)
    }
}
