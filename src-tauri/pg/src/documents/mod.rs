//! Documents on the team register: receipts, warranties and invoices attached to assets and
//! licences, with their bytes in the database (`document_content`, one row per SHA-256), so every
//! client sees the same bytes. Reading them (`read`), attaching, removing and changing their kind
//! (`write`), each inside the caller's transaction ([`crate::write`]) with the core's events, and
//! re-hashing every stored content against its key (`verify`).
//!
//! The rules are the core's (`register_core::documents`): the 50 MB limit and its message, the
//! kinds, refusing an archived owner, the events. What is the server's: the bytes are in a
//! table, not a folder, and a removal deletes the content in the same transaction as the row
//! when no other document has the same bytes (the file deletes the stored file after its
//! commit), so the server never holds a row without its bytes, nor bytes without a row.

mod read;
mod verify;
mod write;

pub use read::{count_documents, document_of, documents_of, read_document};
pub use verify::verify_documents;
pub(crate) use write::hold_content;
pub use write::{attach_document, remove_document, set_document_kind};
