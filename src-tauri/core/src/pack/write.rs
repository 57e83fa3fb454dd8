//! Writing an evidence pack. Everything is read in one read transaction (one consistent state
//! of the register, while the window goes on working), written into a temporary file beside
//! the target, and renamed into place only when complete: a cancelled or failed pack leaves no
//! file. Documents are streamed from the store (never held whole in memory) and stored as they
//! are; the generated members are deflated.

use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::path::Path;

use chrono::{Datelike, Timelike, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::trail::write_trail;
use super::{Dossiers, Manifest, Member, PackOptions, FORMAT, MANIFEST, SUMS, TRAIL};
use crate::assets::Asset;
use crate::audit::{self, hex};
use crate::db::{Db, QueryAll};
use crate::disposals::{self, Disposal};
use crate::documents::{Document, DocumentStore};
use crate::error::{Error, Result};
use crate::files::portable_file_name;
use crate::report::{self, ReportOptions};
use crate::values::format_date;

/// How far a pack is, for a progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackProgress {
    /// What is being written, in words.
    pub step: String,
    /// Work done, in units of `total`.
    pub done: u64,
    /// All the work (fixed steps count as 1 MB each, documents by their bytes).
    pub total: u64,
}

/// What a written pack holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackSummary {
    /// Where it was written.
    pub path: String,
    /// The zip's size in bytes.
    pub bytes: u64,
    /// How many members it holds.
    pub members: usize,
    /// Assets in scope (in the report).
    pub assets: usize,
    /// Documents included (certificates included).
    pub documents: usize,
    /// Disposal records.
    pub disposals: usize,
    /// Retired assets without a disposal record.
    pub open_items: usize,
    /// Offboarding checklists.
    pub checklists: usize,
    /// The name of the stocktake whose report is included, if one is.
    pub stocktake: Option<String>,
    /// Asset dossiers.
    pub dossiers: usize,
    /// The as-of day.
    pub as_of: String,
    /// The audit trail's event count.
    pub event_count: i64,
    /// Its head hash.
    pub head_hash: String,
    /// Whether the register verified.
    pub register_verified: bool,
}

/// A fixed step's weight in the progress total (as if it were 1 MB of documents).
const STEP: u64 = 1 << 20;

fn cancelled() -> Error {
    Error::Cancelled("The evidence pack was cancelled; no file was written.".into())
}

/// A writer that hashes and counts what passes through it.
struct Hashing<'a, W: Write> {
    inner: &'a mut W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The zip being written, the manifest's members so far, and the progress.
struct Pack<'p, W: Write + io::Seek> {
    zip: ZipWriter<W>,
    members: Vec<Member>,
    used: HashSet<String>,
    options: SimpleFileOptions,
    done: u64,
    total: u64,
    progress: &'p mut dyn FnMut(&PackProgress) -> bool,
}

impl<W: Write + io::Seek> Pack<'_, W> {
    /// A path not used yet: `IT-1/receipt.pdf`, then `IT-1/receipt (2).pdf`…
    fn unique(&mut self, folder: &str, name: &str) -> String {
        let name = portable_file_name(name);
        let (stem, ext) = match name.rfind('.') {
            Some(i) if i > 0 => (&name[..i], &name[i..]),
            _ => (name.as_str(), ""),
        };
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                format!("{folder}{stem}{ext}")
            } else {
                format!("{folder}{stem} ({n}){ext}")
            };
            if self.used.insert(candidate.to_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }

    fn tick(&mut self, step: &str, by: u64) -> Result<()> {
        self.done = (self.done + by).min(self.total);
        let p = PackProgress {
            step: step.to_string(),
            done: self.done,
            total: self.total,
        };
        if (self.progress)(&p) {
            Ok(())
        } else {
            Err(cancelled())
        }
    }

    /// Adds a member, its bytes written by `fill`.
    fn add(
        &mut self,
        path: &str,
        compress: bool,
        fill: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        self.used.insert(path.to_lowercase());
        let method = if compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        self.zip
            .start_file(
                path,
                self.options.compression_method(method).large_file(true),
            )
            .map_err(zip_error)?;
        let mut h = Hashing {
            inner: &mut self.zip,
            hasher: Sha256::new(),
            size: 0,
        };
        fill(&mut h)?;
        let (size, sha256) = (h.size, hex(&h.hasher.finalize()));
        self.members.push(Member {
            path: path.to_string(),
            size,
            sha256,
        });
        Ok(())
    }

    fn add_bytes(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        self.add(path, true, |w| Ok(w.write_all(bytes)?))
    }
}

fn zip_error(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(e) => Error::Io(e),
        e => Error::Internal(format!("the pack could not be written: {e}")),
    }
}

/// Writes the evidence pack to `out`. `progress` is called after every step and every
/// megabyte of documents; when it returns false the pack is abandoned (error kind
/// `cancelled`) and no file is left.
pub fn write_pack(
    db: &Db,
    store: &DocumentStore,
    out: &Path,
    opts: &PackOptions,
    progress: &mut dyn FnMut(&PackProgress) -> bool,
) -> Result<PackSummary> {
    let (from, to) = opts.period()?;
    crate::files::target_folder(out)?;
    let summary = db.read_detached(|conn| {
        // One read transaction: every member shows the same state of the register.
        conn.execute_batch("BEGIN")?;
        let r = crate::files::write_with(out, |file| {
            build(conn, store, file, opts, (from, to), progress)
        });
        let _ = conn.execute_batch("COMMIT");
        r
    })?;
    let bytes = std::fs::metadata(out)?.len();
    Ok(PackSummary {
        path: out.display().to_string(),
        bytes,
        ..summary
    })
}

/// The assets the report shows: live, or as rebuilt for the as-of day.
fn assets_in_scope(conn: &Connection, opts: &PackOptions) -> Result<Vec<Asset>> {
    match opts.as_of {
        None => crate::export::list_all_assets(conn, false),
        Some(d) => Ok(crate::snapshot::register_as_of(conn, d)?.assets),
    }
}

/// The documents of these assets attached by the end of the as-of day, by tag.
fn documents_in_scope(
    conn: &Connection,
    assets: &[Asset],
    until: &str,
) -> Result<Vec<(String, Document)>> {
    let mut stmt = conn
        .prepare("SELECT id FROM documents WHERE asset_id = ?1 AND added_at <= ?2 ORDER BY id")?;
    let mut out = Vec::new();
    for a in assets {
        let ids: Vec<i64> = stmt.query_all(rusqlite::params![a.id, until], |r| r.get(0))?;
        for id in ids {
            let doc =
                crate::documents::document_of(conn, crate::documents::Owner::Asset(a.id), id)?;
            out.push((a.asset_tag.clone(), doc));
        }
    }
    Ok(out)
}

/// The leavers of the period: people whose offboarding finished in it, or who were marked as
/// left on a day in it (with or without a checklist): (person id, name).
fn leavers(conn: &Connection, from: &str, to: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name FROM people p
         WHERE p.left_on BETWEEN ?1 AND ?2
            OR EXISTS (SELECT 1 FROM offboardings o WHERE o.person_id = p.id
                         AND o.finished_at IS NOT NULL
                         AND substr(o.finished_at, 1, 10) BETWEEN ?1 AND ?2)
         ORDER BY p.name COLLATE NOCASE",
    )?;
    stmt.query_all([from, to], |r| Ok((r.get(0)?, r.get(1)?)))
}

fn build(
    conn: &Connection,
    store: &DocumentStore,
    file: &mut std::fs::File,
    opts: &PackOptions,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
    progress: &mut dyn FnMut(&PackProgress) -> bool,
) -> Result<PackSummary> {
    let generated = Utc::now();
    let settings = crate::settings::get_settings(conn)?;
    let verification = audit::verify(conn)?;
    let (from_s, to_s) = (format_date(from), format_date(to));
    let until = format!("{to_s}T23:59:59.999999Z");

    let assets = assets_in_scope(conn, opts)?;
    let disposals: Vec<Disposal> = disposals::list_disposals(conn, None)?
        .into_iter()
        .filter(|d| d.disposed_on <= to_s)
        .collect();
    let certificate_ids: HashSet<i64> = disposals
        .iter()
        .filter_map(|d| d.certificate.as_ref().map(|c| c.id))
        .collect();
    let open_items = disposals::retired_without_disposal(conn)?;
    let documents: Vec<(String, Document)> = documents_in_scope(conn, &assets, &until)?
        .into_iter()
        .filter(|(_, d)| !certificate_ids.contains(&d.id))
        .collect();
    let checklists = leavers(conn, &from_s, &to_s)?;
    // The latest stocktake finished by the as-of day (a cancelled one proves nothing).
    let stocktake: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, name FROM stocktakes
             WHERE finished_at IS NOT NULL AND cancelled = 0 AND finished_at <= ?1
             ORDER BY finished_at DESC, id DESC LIMIT 1",
            [&until],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let dossier_ids: Vec<(i64, String)> = match &opts.dossiers {
        Dossiers::None => Vec::new(),
        Dossiers::All => assets.iter().map(|a| (a.id, a.asset_tag.clone())).collect(),
        Dossiers::Tags(tags) => {
            let mut ids = Vec::new();
            for t in tags {
                let a = crate::assets::find_asset(conn, t)?;
                ids.push((a.id, a.asset_tag));
            }
            ids
        }
    };
    let doc_bytes: u64 = documents.iter().map(|(_, d)| d.size as u64).sum::<u64>()
        + disposals
            .iter()
            .filter_map(|d| d.certificate.as_ref())
            .map(|c| c.size as u64)
            .sum::<u64>();
    let steps = 7 + checklists.len() as u64 + dossier_ids.len() as u64 / 10;

    let stamp = zip::DateTime::from_date_and_time(
        generated.year().clamp(1980, 2107) as u16,
        generated.month() as u8,
        generated.day() as u8,
        generated.hour() as u8,
        generated.minute() as u8,
        generated.second() as u8,
    )
    .unwrap_or_default();
    let mut p = Pack {
        zip: ZipWriter::new(io::BufWriter::with_capacity(1 << 20, file)),
        members: Vec::new(),
        used: [MANIFEST, SUMS, "readme.txt"]
            .iter()
            .map(|s| s.to_lowercase())
            .collect(),
        options: SimpleFileOptions::default()
            .last_modified_time(stamp)
            .unix_permissions(0o644),
        done: 0,
        total: steps * STEP + doc_bytes,
        progress,
    };
    p.tick("Starting", 0)?;

    // The report, with its Annex A page.
    let report = report::render_register_report(
        conn,
        &ReportOptions {
            as_of: opts.as_of,
            paper: opts.paper,
            iso_annex: true,
            ..Default::default()
        },
    )?;
    p.add("register-report.pdf", false, |w| {
        Ok(w.write_all(&report.bytes)?)
    })?;
    drop(report);
    p.tick("Register report", STEP)?;

    // The latest stocktake's report: when the register was last checked against the rooms.
    if let Some((id, name)) = &stocktake {
        let pdf = report::render_stocktake_report(conn, *id, opts.paper)?;
        let path = p.unique("stocktake/", &format!("{name}.pdf"));
        p.add(&path, false, |w| Ok(w.write_all(&pdf.bytes)?))?;
    }

    // The register as data.
    p.add("register.csv", true, |w| {
        crate::export::write_csv(w, &assets, true)
    })?;
    p.add("register.json", true, |w| {
        crate::export::write_json(w, &assets)
    })?;
    // Software: the live licences with who holds their seats (keys masked, as lists show them).
    let licences: Vec<serde_json::Value> = crate::licences::list_licences(conn, false)?
        .into_iter()
        .map(|l| {
            let seats = crate::licences::list_seats(conn, l.id)?;
            let mut v = serde_json::to_value(&l)?;
            v["seat_holders"] = serde_json::to_value(
                seats
                    .iter()
                    .map(|s| s.person_name.as_str())
                    .collect::<Vec<_>>(),
            )?;
            Ok(v)
        })
        .collect::<Result<_>>()?;
    p.add("licences.json", true, |w| {
        serde_json::to_writer_pretty(w, &licences)?;
        Ok(())
    })?;
    p.tick("Register as CSV and JSON", STEP)?;

    // Disposals and open items.
    p.add("disposals.csv", true, |w| {
        disposals::write_disposals_csv(w, &disposals)
    })?;
    p.add("open-items.csv", true, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(["asset_tag", "name", "retired_at", "open_item"])
            .map_err(crate::export::csv_error)?;
        for o in &open_items {
            c.write_record([
                crate::export::guard(&o.asset_tag).as_ref(),
                crate::export::guard(&o.name).as_ref(),
                o.retired_at.as_deref().unwrap_or(""),
                "retired without a disposal record",
            ])
            .map_err(crate::export::csv_error)?;
        }
        c.flush()?;
        Ok(())
    })?;
    p.tick("Disposal records", STEP)?;
    for d in &disposals {
        if let Some(cert) = &d.certificate {
            let folder = format!("disposals/{}/", portable_file_name(&d.asset_tag));
            let path = p.unique(&folder, &cert.name);
            copy_document(&mut p, store, cert, &path)?;
        }
    }

    // Offboarding checklists.
    for (person_id, name) in &checklists {
        let pdf = report::render_offboarding_checklist(conn, *person_id, opts.paper)?;
        let path = p.unique("offboarding/", &format!("{name}.pdf"));
        p.add(&path, false, |w| Ok(w.write_all(&pdf.bytes)?))?;
        p.tick("Offboarding checklists", STEP)?;
    }

    // Dossiers.
    for (i, (id, tag)) in dossier_ids.iter().enumerate() {
        let pdf = report::render_asset_dossier(conn, *id, opts.paper)?;
        let path = p.unique("dossiers/", &format!("{tag}.pdf"));
        p.add(&path, false, |w| Ok(w.write_all(&pdf.bytes)?))?;
        let by = if (i + 1) % 10 == 0 { STEP } else { 0 };
        p.tick("Asset dossiers", by)?;
    }

    // Documents.
    for (tag, doc) in &documents {
        let folder = format!("documents/{}/", portable_file_name(tag));
        let path = p.unique(&folder, &doc.name);
        copy_document(&mut p, store, doc, &path)?;
    }

    // The trail.
    let mut events = 0;
    p.add(TRAIL, true, |w| {
        let mut w = io::BufWriter::new(w);
        events = write_trail(conn, &mut w)?;
        Ok(w.flush()?)
    })?;
    p.tick("Audit trail", STEP)?;

    // README, manifest, sums.
    let live = opts.as_of.is_none();
    let readme = readme_text(&settings.organisation, &to_s, &from_s, live, &verification);
    p.add_bytes("README.txt", readme.as_bytes())?;
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: 1,
        app_version: env!("CARGO_PKG_VERSION").into(),
        generated_at: generated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        organisation: settings.organisation.clone(),
        as_of: to_s.clone(),
        live,
        period_from: from_s.clone(),
        event_count: verification.event_count,
        head_hash: verification.head_hash.clone(),
        register_verified: verification.ok,
        members: p.members.clone(),
    };
    if events != verification.event_count {
        return Err(Error::Internal(format!(
            "the trail holds {events} events but the register {}",
            verification.event_count
        )));
    }
    let manifest_json = serde_json::to_vec_pretty(&manifest)?;
    p.add_bytes(MANIFEST, &manifest_json)?;
    let sums: String = p
        .members
        .iter()
        .map(|m| format!("{}  {}\n", m.sha256, m.path))
        .collect();
    p.zip
        .start_file(
            SUMS,
            p.options.compression_method(CompressionMethod::Deflated),
        )
        .map_err(zip_error)?;
    p.zip.write_all(sums.as_bytes())?;
    p.tick("Manifest", STEP)?;
    let members = p.members.len() + 1;
    let mut inner = p.zip.finish().map_err(zip_error)?;
    inner.flush()?;
    Ok(PackSummary {
        path: String::new(),
        bytes: 0,
        members,
        assets: assets.len(),
        documents: documents.len() + certificate_ids.len(),
        disposals: disposals.len(),
        open_items: open_items.len(),
        checklists: checklists.len(),
        stocktake: stocktake.map(|(_, name)| name),
        dossiers: dossier_ids.len(),
        as_of: to_s,
        event_count: verification.event_count,
        head_hash: verification.head_hash,
        register_verified: verification.ok,
    })
}

/// Streams a stored document into the pack, checking its bytes against the register as it
/// goes: a changed or missing file fails the pack with its name.
fn copy_document<W: Write + io::Seek>(
    p: &mut Pack<'_, W>,
    store: &DocumentStore,
    doc: &Document,
    path: &str,
) -> Result<()> {
    let mut src = store.open_stored(doc)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut chunks = Vec::new();
    p.add(path, false, |w| {
        loop {
            let n = src.read(&mut buf)?;
            if n == 0 {
                break;
            }
            w.write_all(&buf[..n])?;
            chunks.push(n as u64);
        }
        Ok(())
    })?;
    let m = p.members.last().expect("just added");
    if m.sha256 != doc.sha256 || m.size != doc.size as u64 {
        return Err(Error::Refused(format!(
            "{} (a document of an asset) is not as it was attached: its stored file was changed; \
             run verify",
            doc.name
        )));
    }
    for n in chunks {
        p.tick("Documents", n)?;
    }
    Ok(())
}

/// `README.txt`: what each member is and how to check the pack.
fn readme_text(org: &str, as_of: &str, from: &str, live: bool, v: &audit::Verification) -> String {
    let org = if org.trim().is_empty() {
        "the organisation"
    } else {
        org.trim()
    };
    let state = if live {
        format!("the live register on {as_of}")
    } else {
        format!(
            "the register as it stood at the end of {as_of} (UTC), rebuilt from its audit trail"
        )
    };
    let verified = if v.ok {
        "The register verified (database integrity and the whole hash chain)\nwhen this pack was written."
    } else {
        "WARNING: the register did NOT verify when this pack was written;\nsee the first page of register-report.pdf."
    };
    let title = format!("Evidence pack: asset register of {org}");
    let rule = "=".repeat(title.chars().count());
    format!(
        "{title}
{rule}

Written by Asset Register {version}. It shows {state};
offboardings and disposals are those of the period {from} to {as_of}.

{verified}
Audit trail: {count} events, head hash
  {head}

WHAT EACH FILE IS
  register-report.pdf   The register report: cover facts (event count and head
                        hash), summaries, the inventory, and a page mapping this
                        pack to ISO/IEC 27001:2022 Annex A controls. That page is
                        evidence offered, not a statement of compliance.
  register.csv, .json   The same assets as data.
  licences.json         Software licences and subscriptions, with who holds
                        their seats (keys masked).
  disposals.csv         How retired assets left: method, date, recipient, data
                        wiping (method, by whom, certificate number).
  disposals/TAG/        The wiping or destruction certificates.
  open-items.csv        Retired assets with no disposal record yet.
  stocktake/            The report of the latest stocktake finished by the as-of
                        day (the register checked against the rooms), if any.
  offboarding/          Checklists of the period's leavers (offboarding finished,
                        or marked as left): what they held and how each item
                        was returned.
  dossiers/             Asset dossiers (full history), when asked for.
  documents/TAG/        Every document attached to the assets in scope
                        (receipts, warranties, invoices), by asset tag.
  audit-trail.jsonl     Every event of the register's history, one JSON object
                        per line, with its hash and the previous event's hash.
  manifest.json         Every file above with its size and SHA-256, the event
                        count and head hash, the as-of date and the app version.
  SHA256SUMS            The SHA-256 of every file (manifest.json included).

HOW TO CHECK THIS PACK
  1. Unzip it into an empty folder, and in that folder run
         sha256sum -c SHA256SUMS
     (macOS: shasum -a 256 -c SHA256SUMS). Every line must say OK.
  2. Or, with Asset Register installed:
         asset-register-cli verify-pack THIS-FILE.zip
     It re-hashes every file against the manifest and recomputes the hash
     chain from audit-trail.jsonl; it names anything that does not match.
  3. The chain can also be recomputed with a few lines of any language: each
     event's hash is the SHA-256 of the compact JSON array
         [prev_hash, id, at, source, action, entity, entity_id, asset_id,
          label, changes, note]
     (UTF-8, no spaces, non-ASCII characters written as they are). The first
     event's prev_hash is 64 zeros. The Asset Register README has a Python
     script that does this.
  4. To confirm the register has not been rewritten since, ask for
     \"asset-register-cli verify\" on the live register: its event count may have
     grown, but event {count} must still have the head hash above (the
     register's history shows every event's hash).
",
        version = env!("CARGO_PKG_VERSION"),
        count = v.event_count,
        head = v.head_hash,
    )
}
