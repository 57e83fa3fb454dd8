//! The rules of a document change that do not depend on where the bytes live, shared by the
//! file's store (`store`, `records`) and the team register (`register_pg::documents`, which keeps
//! the bytes in its database): which new bytes are refused and in which words, how stored bytes
//! are checked against their SHA-256, and the events attaching, removing and changing a
//! document's kind record. Pure: no SQL, no filesystem.

use std::io::{self, Read};

use sha2::{Digest, Sha256};

use super::records::{doc_changes, human_size, DocKind, Document, Owner};
use crate::audit::{hex, Action, Change, NewEvent};
use crate::error::{Error, Result};

/// The longest file name a document may carry, in characters.
pub const MAX_NAME_CHARS: usize = 1000;

/// Refuses bytes that cannot become a document, before anything is written: none at all, more
/// than `max_bytes` (the file's message: "x.pdf is 60.0 MB; the limit is 50.0 MB per file"), or
/// a name longer than [`MAX_NAME_CHARS`].
pub fn check_new_document(name: &str, size: u64, max_bytes: u64) -> Result<()> {
    if size == 0 {
        return Err(Error::invalid("file", format!("{name} is empty")));
    }
    if size > max_bytes {
        return Err(too_big(name, size, max_bytes));
    }
    check_name(name)
}

/// Refuses a file name longer than [`MAX_NAME_CHARS`].
pub(super) fn check_name(name: &str) -> Result<()> {
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "file",
            "that file name is longer than 1000 characters",
        ));
    }
    Ok(())
}

/// The refusal of `name`, `size` bytes, over the limit of `max_bytes`.
pub fn too_big(name: &str, size: u64, max_bytes: u64) -> Error {
    Error::invalid(
        "file",
        format!(
            "{name} is {}; the limit is {} per file",
            human_size(size),
            human_size(max_bytes)
        ),
    )
}

/// The SHA-256 of `bytes`, lower-case hex: a document's key.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `None` when `content` holds exactly `size` bytes hashing to `sha256`, else the problem in the
/// words `verify` prints.
pub fn check_content(sha256: &str, size: i64, content: &mut impl Read) -> Option<String> {
    let mut hasher = Sha256::new();
    let n = match io::copy(content, &mut hasher) {
        Ok(n) => n,
        Err(e) => return Some(format!("the stored file cannot be read: {e}")),
    };
    if n as i64 != size {
        return Some(format!(
            "the stored file has {n} bytes, not {size} (it was changed)"
        ));
    }
    if hex(&hasher.finalize()) != sha256 {
        return Some("the stored file's content was changed (SHA-256 differs)".into());
    }
    None
}

/// Refuses adding a document to an archived owner (`label`: its tag or product).
pub fn check_owner_live(label: &str, archived: bool) -> Result<()> {
    if archived {
        return Err(Error::Refused(format!(
            "{label} is archived; documents cannot be added"
        )));
    }
    Ok(())
}

/// The event of attaching `doc` to `owner` (`label`: its tag or product).
pub fn document_attached<'a>(
    owner: Owner,
    label: &'a str,
    doc: &Document,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    let changes = doc_changes(&doc.name, &doc.sha256, doc.size, doc.kind, false);
    owner.event(label, Action::DocumentAttached, changes, note)
}

/// The event of removing `doc` from `owner`.
pub fn document_removed<'a>(
    owner: Owner,
    label: &'a str,
    doc: &Document,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    let changes = doc_changes(&doc.name, &doc.sha256, doc.size, doc.kind, true);
    owner.event(label, Action::DocumentRemoved, changes, note)
}

/// The event of changing `doc`'s kind to `kind` (no event is due when it is already `kind`).
pub fn document_kind_changed<'a>(
    owner: Owner,
    label: &'a str,
    doc: &Document,
    kind: DocKind,
) -> NewEvent<'a> {
    let changes = vec![
        Change::new("document", Some(doc.name.clone()), Some(doc.name.clone())),
        Change::new(
            "document_kind",
            Some(doc.kind.as_str().into()),
            Some(kind.as_str().into()),
        ),
    ];
    owner.event(label, Action::DocumentEdited, changes, None)
}
