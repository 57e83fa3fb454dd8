//! Disposal records in the team register, as the file keeps them (`register_core::disposals`):
//! how a retired asset left (method, date, to whom), how its data was wiped and by whom, the
//! wiping certificate's number and file. Recording one retires the asset in the same transaction
//! and attaches the certificate's bytes as one of its documents; correcting one is an audited
//! edit. Reading one, the list, retired assets with no record (the open item an auditor asks
//! about) and the CSV through the core's writer is `read`; recording and correcting is `write`.
//!
//! The rules (refusals and their words, the changes, the events, the retirement a record
//! implies) are the core's `disposals::rules`; the retirement goes through this crate's
//! `assets::change_status` and the certificate through `documents::attach_document`, so a record
//! makes the same events as the file, and a chain re-hashes to the same head in either store.
//!
//! Several people at once: a record or a correction locks the asset first (`FOR UPDATE`, as
//! every asset change does), then reads its record, so two people recording a disposal of one
//! asset run one after the other and the second is told it has one already, by whom and when.
//! Each write moves the asset's row version on, so a correction made from an out-of-date read
//! of the asset is refused naming who changed it since, as other asset changes are.

mod read;
mod write;

pub use read::{disposal_of, list_disposals, retired_without_disposal, write_disposals_csv};
pub use write::{correct_disposal, record_disposal, Certificate};
