//! Documents attached to assets and licences: receipts, warranty certificates, invoices. Owns the on-disk
//! store (content-addressed by SHA-256 in the register's documents folder), the `documents`
//! rows, their audit events, and checking that stored bytes are unchanged.
//!
//! Ordering is what keeps it safe: the bytes are written, synced and renamed into place
//! *before* the transaction that inserts the row pointing at them; on removal the row goes
//! first, and the bytes are deleted only after that commit and only when no other row uses
//! them. A crash at any point can leave an orphaned file (harmless), never a row pointing at
//! missing bytes. File names are stored as data and never used to build a path.
//!
//! - `store`: the content-addressed file store on disk;
//! - `records`: the `documents` rows of an owner (asset or licence), their events and checks;
//! - `rules`: what new bytes are refused, checking bytes against their hash, and the events, with
//!   no SQL or files (the team register applies them too).

mod records;
mod rules;
mod store;

pub use records::*;
pub use rules::*;
pub use store::{check_attachable, DocumentStore, StoredBlob};

/// The default largest file that can be attached: 50 MB.
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

#[cfg(test)]
mod tests;
