//! Writing a finished file (a report, an export) safely: refused when the folder is missing
//! or the target is a folder, written to a temporary file beside it, synced, then renamed over
//! the target, so a crash never leaves a half-written file under the real name.

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
}
