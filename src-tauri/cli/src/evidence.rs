//! The CLI's audit-evidence commands: recording how a retired asset left (`dispose`), writing
//! the auditor's evidence pack (`audit-pack`) and checking one (`verify-pack`).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use register_core::disposals::{self, Disposal, DisposalInput, Undisposed};
use register_core::documents::DocumentStore;
use register_core::pack::{self, Dossiers, PackOptions};
use register_core::{assets, report, values, Db, Error, Result, Source};

/// Evidence commands, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Record how an asset left (retiring it if it is not yet Retired), or correct the record.
    Dispose {
        /// The asset tag.
        tag: String,
        /// recycled, sold, returned-to-lessor, destroyed or donated.
        #[arg(long)]
        method: String,
        /// The day it left, YYYY-MM-DD (default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// To whom it went (recycler, buyer, lessor, charity).
        #[arg(long)]
        to: Option<String>,
        /// How its data was wiped ("NIST 800-88 purge", "disk shredded", "no storage").
        #[arg(long)]
        wipe_method: Option<String>,
        /// Who wiped it.
        #[arg(long)]
        wiped_by: Option<String>,
        /// The wiping or destruction certificate's number.
        #[arg(long)]
        certificate_number: Option<String>,
        /// The certificate file, attached to the asset.
        #[arg(long, value_name = "FILE")]
        certificate: Option<PathBuf>,
        /// Anything else.
        #[arg(long)]
        note: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List disposal records, and retired assets that have none.
    Disposals {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the auditor's evidence pack: one .zip with the report, exports, disposals,
    /// offboarding checklists, documents, the audit trail and a manifest of SHA-256s.
    AuditPack {
        /// Where to write the .zip.
        #[arg(long, value_name = "FILE.zip")]
        out: PathBuf,
        /// The register as of the end of this day (default: the live register).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// The start of the period for offboardings and disposals (default a year before).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Asset dossiers to include: all, none, or tags separated by commas.
        #[arg(long, default_value = "none")]
        dossiers: String,
        /// a4 or letter.
        #[arg(long, default_value = "a4")]
        paper: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check an evidence pack: every file against its SHA-256, and the audit trail's chain.
    VerifyPack {
        /// The pack (.zip).
        file: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn date(field: &str, s: Option<String>) -> Result<Option<chrono::NaiveDate>> {
    match s {
        Some(s) => values::parse_date(field, &s),
        None => Ok(None),
    }
}

/// Runs an evidence command; `path` is the register's file.
pub fn run(path: &Path, command: EvidenceCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if let EvidenceCommand::VerifyPack { file, json } = command {
        let check = pack::verify_pack(&file)?;
        if json {
            serde_json::to_writer_pretty(&mut out, &check)?;
            writeln!(out)?;
        } else {
            write!(out, "{}", check.describe())?;
        }
        if !check.ok {
            return Err(Error::Refused("the evidence pack did not verify".into()));
        }
        return Ok(());
    }
    let db = Db::open(path)?;
    let store = DocumentStore::for_register(path);
    match command {
        EvidenceCommand::VerifyPack { .. } => unreachable!("handled above"),
        EvidenceCommand::Dispose {
            tag,
            method,
            date,
            to,
            wipe_method,
            wiped_by,
            certificate_number,
            certificate,
            note,
            json,
        } => {
            let id = db.read(|c| assets::find_asset(c, &tag))?.id;
            let input = disposal_input(
                method,
                date,
                to,
                (wipe_method, wiped_by, certificate_number),
                note,
            );
            let d =
                disposals::dispose(&db, &store, Source::Cli, id, &input, certificate.as_deref())?;
            print_disposal(&mut out, &d, json)?;
        }
        EvidenceCommand::Disposals { json } => {
            let list = db.read(|c| disposals::list_disposals(c, None))?;
            let open = db.read(disposals::retired_without_disposal)?;
            print_disposals(&mut out, &list, &open, json)?;
        }
        EvidenceCommand::AuditPack {
            out: file,
            as_of,
            from,
            dossiers,
            paper,
            json,
        } => {
            let opts = PackOptions {
                as_of: date("as_of", as_of)?,
                from: date("from", from)?,
                dossiers: Dossiers::parse(&dossiers),
                paper: report::Paper::parse(&paper)?,
            };
            let s = pack::write_pack(&db, &store, &file, &opts, &mut |_| true)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &s)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "Evidence pack written to {} ({} files, {})",
                    s.path,
                    s.members,
                    register_core::documents::human_size(s.bytes)
                )?;
                writeln!(
                    out,
                    "  as of {}: {} assets, {} documents, {} disposal record(s), {} offboarding checklist(s)",
                    s.as_of, s.assets, s.documents, s.disposals, s.checklists
                )?;
                if s.open_items > 0 {
                    writeln!(
                        out,
                        "  open items: {} retired asset(s) without a disposal record",
                        s.open_items
                    )?;
                }
                writeln!(out, "  events {}, head {}", s.event_count, s.head_hash)?;
                if !s.register_verified {
                    writeln!(
                        out,
                        "  WARNING: the register did not verify; see the report"
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// What `dispose` prints, for a file and a team register: the record in one line and its
/// certificate, or the record as JSON.
pub(crate) fn print_disposal(out: &mut impl Write, d: &Disposal, json: bool) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, d)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} on {}{}",
        d.asset_tag,
        d.method_label.to_lowercase(),
        d.disposed_on,
        d.recipient
            .as_deref()
            .map(|r| format!(" to {r}"))
            .unwrap_or_default()
    )?;
    if let Some(c) = &d.certificate {
        writeln!(out, "  certificate {} attached", c.name)?;
    }
    Ok(())
}

/// What `disposals` prints, for a file and a team register: each record in one line, then the
/// retired assets without one; or both as JSON.
pub(crate) fn print_disposals(
    out: &mut impl Write,
    list: &[Disposal],
    open: &[Undisposed],
    json: bool,
) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({ "disposals": list, "retired_without_disposal": open }),
        )?;
        writeln!(out)?;
        return Ok(());
    }
    for d in list {
        writeln!(
            out,
            "{:<12} {:<20} {}  {}",
            d.asset_tag,
            d.method_label,
            d.disposed_on,
            d.wipe_method.as_deref().unwrap_or("(no wiping recorded)")
        )?;
    }
    if !open.is_empty() {
        writeln!(out, "Retired without a disposal record: {}", open.len())?;
        for o in open {
            writeln!(out, "  {:<12} {}", o.asset_tag, o.name)?;
        }
    }
    Ok(())
}

/// `dispose`'s flags as the core's input (the file's and the team register's commands alike):
/// the wipe as (method, by whom, certificate number); the certificate file is attached apart.
pub(crate) fn disposal_input(
    method: String,
    date: Option<String>,
    to: Option<String>,
    (wipe_method, wiped_by, certificate_number): (Option<String>, Option<String>, Option<String>),
    note: Option<String>,
) -> DisposalInput {
    DisposalInput {
        method,
        disposed_on: date.unwrap_or_default(),
        recipient: to,
        wipe_method,
        wiped_by,
        certificate_number,
        note,
        certificate_id: None,
    }
}
