//! Files entering and leaving the app: OS drag-and-drop, native dialogs, and opening a stored
//! document with the system viewer. The web view never names a path: it names a drop by the id
//! this module gave it, and dialogs run here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use tauri::{Emitter, Manager};

/// Paths the OS dropped on the window, waiting for the web view to say which asset they are for.
#[derive(Default)]
pub struct Drops {
    next: AtomicU64,
    pending: Mutex<HashMap<u64, Vec<PathBuf>>>,
}

/// What the web view is told about a drop: an id, the file names and where it landed.
#[derive(Clone, Serialize)]
pub struct DropNotice {
    drop_id: u64,
    names: Vec<String>,
    /// Logical (CSS) pixels.
    x: f64,
    y: f64,
}

impl Drops {
    /// Keeps the dropped paths and tells the web view. The OS drop handler and the end-to-end
    /// tests' stand-in both arrive here.
    pub fn register(&self, window: &tauri::Window, paths: Vec<PathBuf>, x: f64, y: f64) {
        let names = paths
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        let drop_id = self.keep(paths);
        let _ = window.emit(
            "register://drop",
            DropNotice {
                drop_id,
                names,
                x,
                y,
            },
        );
    }

    /// Keeps paths the user chose (a drop, or a native "open" dialog) under a new id, which the
    /// web view can claim once.
    pub fn keep(&self, paths: Vec<PathBuf>) -> u64 {
        let drop_id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        // Only the latest few drops can still be claimed.
        pending.retain(|id, _| *id + 16 > drop_id);
        pending.insert(drop_id, paths);
        drop_id
    }

    /// Hands over a drop's paths once.
    pub fn take(&self, drop_id: u64) -> Option<Vec<PathBuf>> {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&drop_id)
    }
}

/// The window event hook: file drops become [`Drops::register`] calls.
pub fn on_window_event(window: &tauri::Window, event: &tauri::WindowEvent) {
    if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, position }) = event {
        let scale = window.scale_factor().unwrap_or(1.0);
        let drops = window.state::<Drops>();
        drops.register(
            window,
            paths.clone(),
            position.x / scale,
            position.y / scale,
        );
    }
}

/// Extensions the system viewer may open. Anything else (executables, scripts, shortcuts) is
/// only ever saved, never launched.
const VIEWABLE: &[&str] = &[
    "pdf", "png", "jpg", "jpeg", "gif", "webp", "heic", "tif", "tiff", "bmp", "txt", "csv", "rtf",
    "doc", "docx", "xls", "xlsx", "odt", "ods", "eml", "msg",
];

/// Copies a stored document to a private temporary file named like the original and opens it
/// with the system viewer.
pub fn open_with_viewer(bytes_from: &Path, name: &str, sha256: &str) -> Result<(), String> {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !VIEWABLE.contains(&ext.as_str()) {
        return Err(format!(
            "{name} is not a document type the app opens (.{ext}); use Save a copy… instead"
        ));
    }
    let dir = std::env::temp_dir().join("asset-register-open");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    // A safe file name: the hash prefix and the extension, never the stored name itself.
    let target = dir.join(format!("{}.{ext}", &sha256[..16]));
    std::fs::copy(bytes_from, &target).map_err(|e| format!("cannot prepare {name}: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600));
    }
    open_file(&target)
}

/// Opens a file the app itself wrote with the system's default application.
pub fn open_file(target: &Path) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(target)
        .spawn()
        .map(|_| ())
        .map_err(|e| format!("no viewer could be started ({opener}: {e})"))
}
