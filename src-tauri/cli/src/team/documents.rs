//! The document commands on a team register: `attach`, `documents`, `detach` and
//! `save-document`, each on `register_pg::documents`, printing what the file's commands print
//! (`crate::files`). The bytes go to the server: every client then sees the same ones. Backups
//! and restores stay file-only.

use std::path::Path;

use register_core::documents::{DocKind, Owner};
use register_core::{Error, Result};
use register_pg::{assets, documents, Client};

use super::{say, write, Pg};
use crate::files::{print_documents, said_attached, FileCommand};

/// Whether `command` works on a team register so far (backups do not).
pub fn works_on_team(command: &FileCommand) -> bool {
    matches!(
        command,
        FileCommand::Attach { .. }
            | FileCommand::Documents { .. }
            | FileCommand::Detach { .. }
            | FileCommand::SaveDocument { .. }
    )
}

/// Runs a document command that [`works_on_team`] on the connected team register.
pub fn run(c: &mut Client, command: FileCommand) -> Result<()> {
    let asset = |c: &mut Client, tag: &str| {
        assets::find_asset(c, tag)
            .pg()
            .map(|a| Owner::Asset(a.asset.id))
    };
    match command {
        FileCommand::Attach {
            tag,
            files,
            kind,
            note,
        } => {
            let owner = asset(c, &tag)?;
            let kind = kind.as_deref().map(DocKind::parse).transpose()?;
            // All or nothing, as for a file: every file is checked and read before any is sent,
            // and all are attached in one transaction.
            let mut read = Vec::new();
            for f in &files {
                register_core::documents::check_attachable(f)?;
                read.push((name_of(f)?, std::fs::read(f)?));
            }
            let attached = write(c, |tx| {
                read.iter()
                    .map(|(name, bytes)| {
                        documents::attach_document(tx, owner, name, bytes, kind, note.as_deref())
                    })
                    .collect::<register_pg::Result<Vec<_>>>()
            })?;
            for d in &attached {
                say(said_attached(d, &tag))?;
            }
        }
        FileCommand::Documents { tag, json } => {
            let docs = register_pg::read(c, |tx| {
                let owner = Owner::Asset(assets::find_asset(tx, &tag)?.asset.id);
                documents::documents_of(tx, owner)
            })
            .pg()?;
            print_documents(&mut std::io::stdout().lock(), &docs, json)?;
        }
        FileCommand::Detach {
            tag,
            document_id,
            note,
        } => {
            let owner = asset(c, &tag)?;
            let d = write(c, |tx| {
                documents::remove_document(tx, owner, document_id, note.as_deref())
            })?;
            say(format!("Removed {} from {}", d.name, tag.trim()))?;
        }
        FileCommand::SaveDocument {
            tag,
            document_id,
            out,
        } => {
            let owner = asset(c, &tag)?;
            let (d, bytes) = documents::read_document(c, owner, document_id).pg()?;
            register_core::files::write_atomically(&out, &bytes)?;
            say(format!("Saved {} to {}", d.name, out.display()))?;
        }
        _ => return Err(Error::Internal("not a team document command".to_string())),
    }
    Ok(())
}

/// The file name a document keeps, as the file's store takes it.
pub(super) fn name_of(f: &Path) -> Result<String> {
    f.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::invalid("file", format!("{} is not a file", f.display())))
}
