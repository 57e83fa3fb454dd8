//! Writing a finished file (a report, an export) safely: refused when the folder is missing
//! or the target is a folder, written to a temporary file beside it, synced, then renamed over
//! the target, so a crash never leaves a half-written file under the real name. Also the one
//! place a name from the register (a document's, say) becomes a file name every OS accepts.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The folder a new file at `out` will go into, refusing clearly a missing folder or an
/// `out` that is itself a folder. Shared by every "write a file there" path.
pub fn target_folder(out: &Path) -> Result<PathBuf> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::invalid(
            "out",
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    if out.is_dir() {
        return Err(Error::invalid(
            "out",
            format!("{} is a folder; give a file name", out.display()),
        ));
    }
    Ok(dir.to_path_buf())
}

/// `name` as a file name Windows, macOS and Linux all accept, for suggesting where to save a
/// copy of something whose name came from the register: the characters Windows refuses
/// (`<>:"/\|?*` and control characters) become `_`, trailing dots and spaces go, a name Windows
/// reserves for a device (`CON`, `NUL`, `COM1`… with any extension) gets a leading `_`, and an
/// empty result becomes `file`.
pub fn portable_file_name(name: &str) -> String {
    let out: String = name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let out = out.trim_start().trim_end_matches(['.', ' ']).to_string();
    if out.is_empty() {
        return "file".to_string();
    }
    let stem = out
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0');
    if reserved {
        format!("_{out}")
    } else {
        out
    }
}

/// A folder only this user can read, for short-lived copies the app hands to another program
/// (a document opened in its viewer): `<user cache dir>/org.assetregister.app/<purpose>`, made
/// `0700` on Unix; on Windows the user's local app-data folder is already theirs alone. Never
/// the shared temporary folder, where other users could list or read what the register holds.
pub fn private_folder(purpose: &str) -> Result<PathBuf> {
    let base = dirs::cache_dir()
        .or_else(dirs::data_local_dir)
        .ok_or_else(|| Error::Internal("the OS cache folder is unknown (is HOME set?)".into()))?;
    let dir = base.join(crate::db::APP_ID).join(purpose);
    private_dir(&dir)?;
    Ok(dir)
}

/// A new, empty folder `<prefix>-<pid>-<n>` inside `parent`, this user's alone (`0700` on Unix
/// from the moment it exists). Never an existing folder or link: the name is created fresh, so
/// a folder or symbolic link planted under that name beforehand makes this fail, not follow it.
pub fn private_dir_in(parent: &Path, prefix: &str) -> Result<PathBuf> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    std::fs::create_dir_all(parent)?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = parent.join(format!("{prefix}-{}-{nanos}-{n}", std::process::id()));
        #[cfg(unix)]
        let builder = {
            use std::os::unix::fs::DirBuilderExt;
            let mut b = std::fs::DirBuilder::new();
            b.mode(0o700);
            b
        };
        #[cfg(not(unix))]
        let builder = std::fs::DirBuilder::new();
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(Error::Io(std::io::Error::new(
                    e.kind(),
                    format!("cannot make a working folder in {}: {e}", parent.display()),
                )))
            }
        }
    }
    Err(Error::Internal(format!(
        "cannot find a free working folder name in {}",
        parent.display()
    )))
}

/// Makes `dir` (and any missing parents) and restricts `dir` itself to this user (`0700` on
/// Unix), also when it already existed with wider permissions.
pub fn private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Creates (or replaces) `path` for writing, readable by this user only from its first byte
/// (`0600` on Unix: never briefly readable by others, as a copy-then-chmod would be). Whatever
/// was at `path` is removed first and the file is created new, so a symbolic link planted there
/// is replaced, never followed.
pub fn create_private(path: &Path) -> Result<std::fs::File> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    Ok(options.open(path)?)
}

/// Writes `bytes` to `out` atomically and durably.
pub fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    target_folder(out)?;
    let name = out
        .file_name()
        .ok_or_else(|| Error::invalid("out", format!("{} is not a file name", out.display())))?;
    let tmp = out.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, out)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", out.display()),
        )));
    }
    Ok(())
}

/// Writes `out` through `fill`, atomically and durably: `fill` writes a temporary file beside
/// it, which is synced and renamed over `out` only when `fill` succeeds. A failed or cancelled
/// `fill` leaves no file behind (nor changes an `out` that was already there).
pub fn write_with<T>(out: &Path, fill: impl FnOnce(&mut std::fs::File) -> Result<T>) -> Result<T> {
    target_folder(out)?;
    let name = out
        .file_name()
        .ok_or_else(|| Error::invalid("out", format!("{} is not a file name", out.display())))?;
    let tmp = out.with_file_name(format!(
        ".{}.{}.partial",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .read(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        let value = fill(&mut f)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, out).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot write {}: {e}", out.display()),
            ))
        })?;
        Ok(value)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_refuses_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.pdf");
        write_atomically(&out, b"one").unwrap();
        write_atomically(&out, b"two").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"two");
        let e = write_atomically(&dir.path().join("no/r.pdf"), b"x").unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let e = write_atomically(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn names_from_the_register_become_portable_file_names() {
        for (name, want) in [
            ("receipt.pdf", "receipt.pdf"),
            ("Q3: invoice?.pdf", "Q3_ invoice_.pdf"),
            ("a/b\\c|d*e<f>g\"h.txt", "a_b_c_d_e_f_g_h.txt"),
            ("CON", "_CON"),
            ("nul.txt", "_nul.txt"),
            ("com1.pdf", "_com1.pdf"),
            ("COM0.pdf", "COM0.pdf"),
            ("console.pdf", "console.pdf"),
            ("report. . .", "report"),
            ("  notes.txt  ", "notes.txt"),
            ("tab\there", "tab_here"),
            ("...", "file"),
            ("", "file"),
            ("Chloë’s receipt.pdf", "Chloë’s receipt.pdf"),
        ] {
            assert_eq!(portable_file_name(name), want, "{name:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_the_users_alone_from_the_start() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("copy.pdf");
        create_private(&p).unwrap().write_all(b"%PDF").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);

        // A link planted where the copy goes is replaced, and its target left alone.
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"precious").unwrap();
        let planted = dir.path().join("planted.pdf");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        create_private(&planted)
            .unwrap()
            .write_all(b"%PDF")
            .unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(!std::fs::symlink_metadata(&planted).unwrap().is_symlink());

        // Working folders are new, 0700, and never a planted link.
        let work = private_dir_in(dir.path(), ".check").unwrap();
        let mode = std::fs::metadata(&work).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        assert_ne!(private_dir_in(dir.path(), ".check").unwrap(), work);
        let wide = dir.path().join("wide");
        std::fs::create_dir(&wide).unwrap();
        std::fs::set_permissions(&wide, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&wide).unwrap();
        let mode = std::fs::metadata(&wide).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
