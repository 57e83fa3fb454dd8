//! The native file dialogs (rfd) and, for the end-to-end tests, their stand-in answers. WebDriver
//! can drive neither a native dialog nor an OS file drop, so a window started with
//! `ASSET_REGISTER_E2E=1` answers them itself:
//! - a save dialog with `$ASSET_REGISTER_E2E_SAVE_DIR/<suggested name>`;
//! - the import dialog and Open another register…'s with `$ASSET_REGISTER_E2E_OPEN_FILE`;
//! - the restore dialog with the newest `.tar` in the save folder.
//!
//! No other module reads those variables or opens a dialog.

use std::path::{Path, PathBuf};

/// The answers a window started for end-to-end tests gives instead of showing a dialog.
struct TestAnswers {
    save_dir: Option<PathBuf>,
    open_file: Option<PathBuf>,
}

/// The app's dialogs, or their test-mode answers.
pub struct Dialogs {
    test: Option<TestAnswers>,
}

/// A file type a dialog offers: its name and extensions (without dots).
pub type Filter<'a> = (&'a str, &'a [&'a str]);

impl Dialogs {
    /// Reads the test-mode variables once, at start.
    pub fn from_env() -> Dialogs {
        let test = std::env::var("ASSET_REGISTER_E2E")
            .is_ok_and(|v| v == "1")
            .then(|| TestAnswers {
                save_dir: std::env::var_os("ASSET_REGISTER_E2E_SAVE_DIR").map(Into::into),
                open_file: std::env::var_os("ASSET_REGISTER_E2E_OPEN_FILE").map(Into::into),
            });
        Dialogs { test }
    }

    /// True in a window started for end-to-end tests; it also enables the stand-in for an OS
    /// file drop.
    pub fn test_mode(&self) -> bool {
        self.test.is_some()
    }

    /// "Save as": where to write a file suggested as `file_name`, offering `filter` when given;
    /// `None` when cancelled.
    pub async fn save(
        &self,
        title: &str,
        file_name: &str,
        filter: Option<Filter<'_>>,
    ) -> Option<PathBuf> {
        // The suggestion may be a name from the register (a document's): make it one every OS
        // takes, or Windows' dialog refuses `CON` or `invoice?.pdf`.
        let file_name = register_core::files::portable_file_name(file_name);
        if let Some(dir) = self.test.as_ref().and_then(|t| t.save_dir.as_ref()) {
            return Some(dir.join(file_name));
        }
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title(title)
            .set_file_name(file_name);
        if let Some((name, extensions)) = filter {
            dialog = dialog.add_filter(name, extensions);
        }
        dialog.save_file().await.map(|f| f.path().to_path_buf())
    }

    /// One file of any type; `None` when cancelled.
    pub async fn pick_file(&self, title: &str) -> Option<PathBuf> {
        rfd::AsyncFileDialog::new()
            .set_title(title)
            .pick_file()
            .await
            .map(|f| f.path().to_path_buf())
    }

    /// Any number of files of any type; none when cancelled.
    pub async fn pick_files(&self, title: &str) -> Vec<PathBuf> {
        rfd::AsyncFileDialog::new()
            .set_title(title)
            .pick_files()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.path().to_path_buf())
            .collect()
    }

    /// The CSV file or workbook to import; `None` when cancelled.
    pub async fn pick_import_file(&self) -> Option<PathBuf> {
        if let Some(path) = self.test.as_ref().and_then(|t| t.open_file.clone()) {
            return Some(path);
        }
        rfd::AsyncFileDialog::new()
            .set_title("Import a CSV file or a workbook")
            .add_filter(
                "CSV file or workbook",
                &["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"],
            )
            .pick_file()
            .await
            .map(|f| f.path().to_path_buf())
    }

    /// A register file to open instead of this one; `None` when cancelled.
    pub async fn pick_register(&self) -> Option<PathBuf> {
        if let Some(path) = self.test.as_ref().and_then(|t| t.open_file.clone()) {
            return Some(path);
        }
        rfd::AsyncFileDialog::new()
            .set_title("Open a register file")
            .add_filter("Asset Register file", &["db"])
            .pick_file()
            .await
            .map(|f| f.path().to_path_buf())
    }

    /// The backup to restore, opening in `backups` when that folder exists; `None` when
    /// cancelled.
    pub async fn pick_backup(&self, backups: Option<&Path>) -> Option<PathBuf> {
        if let Some(dir) = self.test.as_ref().and_then(|t| t.save_dir.as_ref()) {
            return newest_backup(dir);
        }
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title("Restore from a backup")
            .add_filter(BACKUP_FILTER.0, BACKUP_FILTER.1);
        if let Some(dir) = backups.filter(|d| d.is_dir()) {
            dialog = dialog.set_directory(dir);
        }
        dialog.pick_file().await.map(|f| f.path().to_path_buf())
    }
}

/// The one-file backups the app writes and restores.
pub const BACKUP_FILTER: Filter<'static> = ("Asset Register backup", &["tar"]);

/// The newest backup in `dir` (the test-mode answer to the restore dialog).
fn newest_backup(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tar"))
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
}
