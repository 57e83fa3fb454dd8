//! Files the window writes, and fingerprints checked with an independent tool.

use std::path::{Path, PathBuf};

use super::{exports_dir, Res};

/// The PDFs in the exports folder whose names start with `prefix`.
pub fn exported(prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(exports_dir())
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    name.starts_with(prefix) && name.ends_with(".pdf")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `sha256sum FILE`, to check the register's fingerprint against an independent tool.
pub fn sha256_of(path: &Path) -> Res<String> {
    let out = std::process::Command::new("sha256sum").arg(path).output()?;
    let text = String::from_utf8(out.stdout)?;
    Ok(text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string())
}
