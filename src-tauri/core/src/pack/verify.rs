//! Checking an evidence pack: every member re-hashed against the manifest, the manifest
//! against `SHA256SUMS`, nothing missing and nothing added, and the hash chain recomputed from
//! the audit trail's lines to the event count and head the manifest states. Every problem is
//! named; nothing is written.

use std::collections::BTreeMap;
use std::io::{self, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::trail::check_trail;
use super::{Manifest, FORMAT, MANIFEST, SUMS, TRAIL};
use crate::audit::hex;
use crate::error::{Error, Result};

/// What checking a pack found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackCheck {
    /// True when every member matches and the chain recomputes to the stated head.
    pub ok: bool,
    /// How many members were re-hashed.
    pub members_checked: usize,
    /// The events the trail holds.
    pub event_count: i64,
    /// The head hash the trail recomputes to.
    pub head_hash: String,
    /// The manifest's as-of day and organisation, when it could be read.
    pub as_of: Option<String>,
    /// The organisation named in the manifest.
    pub organisation: Option<String>,
    /// Each problem in words, naming the member or the line.
    pub problems: Vec<String>,
}

impl PackCheck {
    /// A short human report.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if self.ok {
            s.push_str("Evidence pack verified: OK\n");
        } else {
            s.push_str("Evidence pack FAILED verification:\n");
            for p in &self.problems {
                s.push_str(&format!("  - {p}\n"));
            }
        }
        if let Some(org) = self.organisation.as_ref().filter(|o| !o.trim().is_empty()) {
            s.push_str(&format!("Organisation: {org}\n"));
        }
        if let Some(d) = &self.as_of {
            s.push_str(&format!("As of: {d}\n"));
        }
        s.push_str(&format!(
            "Files checked: {}\nEvents: {}\nHead hash: {}\n",
            self.members_checked, self.event_count, self.head_hash
        ));
        s
    }
}

fn read_member<R: Read + io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>> {
    let f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Error::Refused(format!("{name} cannot be read: {e}"))),
    };
    let mut out = Vec::new();
    f.take(limit).read_to_end(&mut out)?;
    Ok(Some(out))
}

fn hash_member<R: Read>(r: R) -> io::Result<(u64, String)> {
    let mut h = Sha256::new();
    let n = io::copy(&mut BufReader::with_capacity(1 << 20, r), &mut h)?;
    Ok((n, hex(&h.finalize())))
}

/// Checks the pack at `path`. A file that is not a pack at all is an error; a pack that does
/// not match is a [`PackCheck`] with `ok` false and its problems.
pub fn verify_pack(path: &Path) -> Result<PackCheck> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::invalid("file", format!("{} cannot be opened: {e}", path.display())))?;
    if !file.metadata()?.is_file() {
        return Err(Error::invalid(
            "file",
            format!("{} is not a file", path.display()),
        ));
    }
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        Error::invalid(
            "file",
            format!(
                "{} is not an evidence pack (not a readable zip: {e})",
                path.display()
            ),
        )
    })?;
    let manifest_bytes = read_member(&mut zip, MANIFEST, 64 << 20)?.ok_or_else(|| {
        Error::invalid(
            "file",
            format!(
                "{} is not an evidence pack: it has no {MANIFEST}",
                path.display()
            ),
        )
    })?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| Error::invalid("file", format!("its {MANIFEST} cannot be read: {e}")))?;
    if manifest.format != FORMAT {
        return Err(Error::invalid(
            "file",
            format!(
                "{} is not an evidence pack (its manifest says {:?})",
                path.display(),
                manifest.format
            ),
        ));
    }
    let mut problems = Vec::new();

    // The manifest itself, against SHA256SUMS.
    let sums = read_member(&mut zip, SUMS, 64 << 20)?
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let sums: BTreeMap<String, String> = sums
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(h, p)| (p.to_string(), h.to_string()))
        .collect();
    if sums.is_empty() {
        problems.push(format!("{SUMS} is missing or empty"));
    }
    let manifest_hash = hex(&Sha256::digest(&manifest_bytes));
    match sums.get(MANIFEST) {
        Some(h) if *h == manifest_hash => {}
        Some(_) => problems.push(format!(
            "{MANIFEST} does not match its line in {SUMS} (one of them was changed)"
        )),
        None if !sums.is_empty() => problems.push(format!("{SUMS} has no line for {MANIFEST}")),
        None => {}
    }

    // Every member the manifest lists.
    let mut listed = std::collections::HashSet::new();
    let mut checked = 0;
    for m in &manifest.members {
        listed.insert(m.path.clone());
        if let Some(h) = sums.get(&m.path) {
            if *h != m.sha256 {
                problems.push(format!(
                    "{}: {SUMS} and {MANIFEST} disagree on its SHA-256",
                    m.path
                ));
            }
        } else if !sums.is_empty() {
            problems.push(format!("{}: not listed in {SUMS}", m.path));
        }
        let f = match zip.by_name(&m.path) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => {
                problems.push(format!("{}: missing from the pack", m.path));
                continue;
            }
            Err(e) => {
                problems.push(format!("{}: cannot be read ({e})", m.path));
                continue;
            }
        };
        match hash_member(f) {
            Ok((size, sha)) => {
                checked += 1;
                if sha != m.sha256 || size != m.size {
                    problems.push(format!(
                        "{}: its content does not match the manifest (SHA-256 {} and {} bytes, the manifest says {} and {} bytes)",
                        m.path, &sha[..12], size, &m.sha256[..m.sha256.len().min(12)], m.size
                    ));
                }
            }
            Err(e) => problems.push(format!("{}: cannot be read ({e})", m.path)),
        }
    }
    // Nothing added.
    for i in 0..zip.len() {
        let name = match zip.by_index(i) {
            Ok(f) if f.is_dir() => continue,
            Ok(f) => f.name().map(|n| n.to_string()).unwrap_or_default(),
            Err(_) => continue,
        };
        if name != MANIFEST && name != SUMS && !listed.contains(&name) {
            problems.push(format!("{name}: not in the manifest (it was added)"));
        }
    }

    // The chain.
    let (event_count, head_hash) = match zip.by_name(TRAIL) {
        Ok(f) => {
            let check = check_trail(BufReader::with_capacity(1 << 20, f))?;
            if let Some(b) = &check.first_break {
                problems.push(format!("{TRAIL}: the hash chain breaks at {b}"));
            } else {
                if check.event_count != manifest.event_count {
                    problems.push(format!(
                        "{TRAIL}: it holds {} events, the manifest says {} (events were removed or added)",
                        check.event_count, manifest.event_count
                    ));
                }
                if check.head_hash != manifest.head_hash {
                    problems.push(format!(
                        "{TRAIL}: its chain ends at {}, the manifest says {}",
                        check.head_hash, manifest.head_hash
                    ));
                }
            }
            (check.event_count, check.head_hash)
        }
        Err(_) => {
            problems.push(format!("{TRAIL}: missing from the pack"));
            (0, String::new())
        }
    };
    Ok(PackCheck {
        ok: problems.is_empty(),
        members_checked: checked,
        event_count,
        head_hash,
        as_of: Some(manifest.as_of),
        organisation: Some(manifest.organisation),
        problems,
    })
}
