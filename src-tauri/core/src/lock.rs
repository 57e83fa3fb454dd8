//! The app's claim on a register file: one window per register, so two windows never edit the
//! same register side by side and a restore never replaces a register that is open.
//!
//! The claim is an OS file lock on `<register>.lock` (not on the register itself: on Windows a
//! whole-file lock would also block SQLite's own byte-range locks). The OS drops it when the
//! process ends, so a crash never leaves a register locked. The CLI's ordinary commands do not
//! take it (SQLite's own locking keeps them safe next to an open window); `restore` does.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held while a window has the register open; released on drop.
#[derive(Debug)]
pub struct RegisterLock {
    file: Option<File>,
    path: PathBuf,
}

impl RegisterLock {
    /// The lock file beside `db_path`: `register.db` → `register.db.lock`.
    pub fn path_for(db_path: &Path) -> PathBuf {
        let mut name = db_path.as_os_str().to_os_string();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Claims the register at `db_path`, or says plainly that another window has it.
    pub fn acquire(db_path: &Path) -> Result<RegisterLock> {
        let path = Self::path_for(db_path);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(RegisterLock {
                file: Some(file),
                path,
            }),
            Err(TryLockError::WouldBlock) => Err(Error::Refused(format!(
                "the register {} is already open in another Asset Register window; \
                 switch to that window, or close it and try again.",
                db_path.display()
            ))),
            Err(TryLockError::Error(e)) => Err(Error::Io(e)),
        }
    }

    /// True when some process holds the register's lock right now.
    pub fn is_held(db_path: &Path) -> bool {
        let path = Self::path_for(db_path);
        let Ok(file) = OpenOptions::new().write(true).open(path) else {
            return false;
        };
        matches!(file.try_lock(), Err(TryLockError::WouldBlock))
    }
}

impl Drop for RegisterLock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock, then let go of it.
        let _ = std::fs::remove_file(&self.path);
        drop(self.file.take());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("register.db");
        let first = RegisterLock::acquire(&db).unwrap();
        assert!(RegisterLock::is_held(&db));
        let err = RegisterLock::acquire(&db).unwrap_err();
        assert!(err.to_string().contains("already open"), "{err}");
        assert_eq!(err.kind(), "refused");
        drop(first);
        assert!(!RegisterLock::is_held(&db));
        assert!(!RegisterLock::path_for(&db).exists(), "lock file removed");
        let _again = RegisterLock::acquire(&db).unwrap();
    }
}
