//! Opening files with the system's default application: a stored document (through a private
//! temporary copy, and only for types that are documents) or a file the app exported.

use std::path::Path;

/// Extensions the system viewer may open. Anything else (executables, scripts, shortcuts) is
/// only ever saved, never launched.
const VIEWABLE: &[&str] = &[
    "pdf", "png", "jpg", "jpeg", "gif", "webp", "heic", "tif", "tiff", "bmp", "txt", "csv", "rtf",
    "doc", "docx", "xls", "xlsx", "odt", "ods", "eml", "msg",
];

/// Copies a stored document to a file only this user can read, named by its hash and
/// extension, and opens it with the system viewer. On Windows the copy carries the Mark of the
/// Web, so Office and Acrobat open it in Protected View as they would the original download.
pub fn open_with_viewer(
    bytes: &mut dyn std::io::Read,
    name: &str,
    sha256: &str,
) -> Result<(), String> {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !VIEWABLE.contains(&ext.as_str()) {
        return Err(format!(
            "{name} is not a document type the app opens (.{ext}); use Save a copy… instead"
        ));
    }
    let mut prepare = || -> register_core::Result<std::path::PathBuf> {
        let dir = register_core::files::private_folder("open")?;
        remove_old_copies(&dir);
        // A safe file name: the hash prefix and the extension, never the stored name itself.
        let target = dir.join(format!("{}.{ext}", &sha256[..16]));
        let mut out = register_core::files::create_private(&target)?;
        std::io::copy(bytes, &mut out)?;
        mark_of_the_web(&target)?;
        Ok(target)
    };
    let target = prepare().map_err(|e| format!("cannot prepare {name}: {e}"))?;
    open_file(&target)
}

/// Removes copies opened more than a day ago: their viewers are long done with them, and
/// the register's documents should not pile up outside it.
fn remove_old_copies(dir: &Path) {
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Marks a copy as come from the Internet (zone 3), as the browser marked the download.
#[cfg(windows)]
fn mark_of_the_web(path: &Path) -> std::io::Result<()> {
    let mut stream = path.as_os_str().to_owned();
    stream.push(":Zone.Identifier");
    std::fs::write(stream, "[ZoneTransfer]\r\nZoneId=3\r\n")
}

/// Only Windows keeps a zone with a file.
#[cfg(not(windows))]
fn mark_of_the_web(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Opens a file the app itself wrote with the system's default application, through
/// tauri-plugin-opener (`xdg-open`, `open` or the Windows shell as each OS expects).
pub fn open_file(target: &Path) -> Result<(), String> {
    tauri_plugin_opener::open_path(target, None::<&str>)
        .map_err(|e| format!("no viewer could be started: {e}"))
}
