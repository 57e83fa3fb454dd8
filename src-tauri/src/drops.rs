//! Files dropped on the window from the OS. The web view never names a path: it names a drop
//! by the id this module gave it (files chosen in a native "open" dialog are kept the same way).

use std::collections::HashMap;
use std::path::PathBuf;
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
            .map(|p| crate::commands::file_name(p))
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
