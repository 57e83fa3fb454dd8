//! The CLI's commands that move files in and out of a register: documents (attach, list,
//! detach, save a copy) and backups (backup, check-backup, restore). Each calls one core function.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use register_core::backup;
use register_core::documents::{self, DocKind, Document, DocumentStore};
use register_core::{assets, Db, Result, Source};

/// File commands, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum FileCommand {
    /// Attach files (receipts, warranties, invoices) to an asset.
    Attach {
        /// The asset tag.
        tag: String,
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// receipt | warranty | invoice | other (default: guessed from each file name).
        #[arg(long)]
        kind: Option<String>,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// List an asset's documents.
    Documents {
        /// The asset tag.
        tag: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a document from an asset (the removal is recorded in its history).
    Detach {
        /// The asset tag.
        tag: String,
        /// The document's id (see `documents TAG`).
        document_id: i64,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Save a copy of a stored document.
    SaveDocument {
        /// The asset tag.
        tag: String,
        /// The document's id.
        document_id: i64,
        /// Where to write the copy.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write one backup file: a consistent snapshot, every document, and a manifest of hashes.
    /// On a team register: the register exported (`team export`) and backed up the same way,
    /// so `check-backup` and `restore` take it (needs an editor's or an auditor's login).
    Backup {
        /// The backup file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a backup completely (every file's hash, the database, its schema and history)
    /// without restoring it.
    CheckBackup {
        /// The backup file.
        file: PathBuf,
    },
    /// Replace the register with a backup, after checking it completely; the replaced
    /// register is kept beside it. Entirely or not at all; works also when the register is
    /// damaged or missing. Close the app first.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Use a register file that was moved to a team register again: takes off the mark that
    /// makes it read-only since `team move-in`. The team register is not touched; from then on
    /// the two are separate registers.
    UseAgain {
        /// Why, for the history.
        #[arg(long)]
        note: Option<String>,
    },
}

/// Runs a file command on the register at `path`.
pub fn run(path: &Path, command: FileCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if let FileCommand::CheckBackup { file } = &command {
        // Needs no register at all.
        let m = backup::check_backup(file)?;
        let documents = m
            .files
            .keys()
            .filter(|k| k.starts_with("documents/"))
            .count();
        writeln!(
            out,
            "{}: sound. Taken {}, schema {}, {} events (head {}), {} document(s).",
            file.display(),
            m.created_at,
            m.schema_version,
            m.event_count,
            m.head_hash,
            documents
        )?;
        return Ok(());
    }
    if let FileCommand::Restore { file } = &command {
        // Restore must not hold the register open while it swaps files, and must not swap
        // them under a window that has it open.
        let _claim = register_core::lock::RegisterLock::acquire(path)?;
        let r = backup::restore_backup(file, path)?;
        writeln!(
            out,
            "Restored {} ({} events, head {})",
            path.display(),
            r.manifest.event_count,
            r.manifest.head_hash
        )?;
        if let Some(kept) = r.previous_kept_at {
            writeln!(
                out,
                "The register it replaced is kept at {}",
                kept.display()
            )?;
        }
        return Ok(());
    }
    if let FileCommand::UseAgain { note } = &command {
        let _claim = register_core::lock::RegisterLock::acquire(path)?;
        register_core::moved::use_again(path, Source::Cli, note.as_deref())?;
        writeln!(
            out,
            "{} is in use again as a register of its own; the team register is as it was",
            path.display()
        )?;
        return Ok(());
    }
    let db = Db::open(path)?;
    let store = DocumentStore::for_register(path);
    let asset_id = |tag: &str| db.read(|c| assets::find_asset(c, tag)).map(|a| a.id);
    match command {
        FileCommand::Attach {
            tag,
            files,
            kind,
            note,
        } => {
            let id = asset_id(&tag)?;
            let kind = kind.as_deref().map(DocKind::parse).transpose()?;
            // All or nothing: check every file before attaching any.
            for f in &files {
                documents::check_attachable(f)?;
            }
            for f in &files {
                let d = documents::attach_file_to(
                    &db,
                    &store,
                    Source::Cli,
                    documents::Owner::Asset(id),
                    f,
                    kind,
                    note.as_deref(),
                )?;
                writeln!(out, "{}", said_attached(&d, &tag))?;
            }
        }
        FileCommand::Documents { tag, json } => {
            let id = asset_id(&tag)?;
            let docs = db.read(|c| documents::documents_of(c, documents::Owner::Asset(id)))?;
            print_documents(&mut out, &docs, json)?;
        }
        FileCommand::Detach {
            tag,
            document_id,
            note,
        } => {
            let id = asset_id(&tag)?;
            let d = documents::remove_from(
                &db,
                &store,
                Source::Cli,
                documents::Owner::Asset(id),
                document_id,
                note.as_deref(),
            )?;
            writeln!(out, "Removed {} from {}", d.name, tag.trim())?;
        }
        FileCommand::SaveDocument {
            tag,
            document_id,
            out: target,
        } => {
            let id = asset_id(&tag)?;
            let d =
                db.read(|c| documents::document_of(c, documents::Owner::Asset(id), document_id))?;
            store.save_copy(&d, &target)?;
            writeln!(out, "Saved {} to {}", d.name, target.display())?;
        }
        FileCommand::Backup { out: target } => {
            let m = backup::write_backup(&db, &store, &target)?;
            writeln!(
                out,
                "Backup written to {} ({} file(s), {} events, head {})",
                target.display(),
                m.files.len(),
                m.event_count,
                m.head_hash
            )?;
        }
        FileCommand::Restore { .. }
        | FileCommand::CheckBackup { .. }
        | FileCommand::UseAgain { .. } => {
            unreachable!("handled above")
        }
    }
    Ok(())
}

/// What `attach` prints for each document attached to the asset `tag` (a team register's too).
pub(crate) fn said_attached(d: &Document, tag: &str) -> String {
    format!(
        "Attached {} to {} as {} ({} bytes, sha256 {})",
        d.name,
        tag.trim(),
        d.kind.as_str(),
        d.size,
        d.sha256
    )
}

/// What `documents` prints: a line per document and the count, or JSON (a team register's too).
pub(crate) fn print_documents(out: &mut impl Write, docs: &[Document], json: bool) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, docs)?;
        writeln!(out)?;
    } else {
        for d in docs {
            writeln!(
                out,
                "{:>4}  {:<9} {:>10}  {}  {}  {}",
                d.id,
                d.kind.as_str(),
                d.size,
                &d.sha256[..12],
                d.added_at,
                d.name
            )?;
        }
        writeln!(out, "{} document(s)", docs.len())?;
    }
    Ok(())
}
