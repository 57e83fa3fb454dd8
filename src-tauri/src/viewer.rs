//! Opening files with the system's default application: a stored document (through a private
//! temporary copy, and only for types that are documents) or a file the app exported.

use std::path::Path;

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
