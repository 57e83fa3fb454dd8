//! CSV and workbook imports on a team register: the preview ([`preview`], writing nothing),
//! the commit in one transaction with progress and cancel ([`commit`],
//! [`commit_with_progress`]), past imports ([`list_imports`]) and taking one back
//! ([`undo_import`]). The planning is the core's (`register_core::import::Planning`, reading
//! the server through `reads`), so every row is decided as in a file; the events are the
//! core's too, so the same import into a file and onto the server re-hashes to the same head.
//!
//! What the server adds: speed and other people. A commit holds the chain head from its start
//! (every other writer queues behind it) and writes new assets, their events and their import
//! items in batches of one statement each, events hashed here; and an import in progress is
//! visible to every client and refused to a second one ([`in_progress`], `running`).
//!
//! - `reads`: the register as planning reads it;
//! - `commit`: writing a file;
//! - `names`: the people, places and categories its rows name;
//! - `running`: the import in progress, and refusing a second;
//! - `undo`: past imports, and taking one back.

mod commit;
mod names;
mod reads;
mod running;
mod undo;

pub use commit::{commit, commit_with_progress};
pub use running::{in_progress, Running};
pub use undo::{list_imports, undo_import};

use postgres::Client;
use register_core::import::{
    self as core_import, ColumnMapping, Field, ImportOptions, Parsed, Plan,
};

use crate::error::Result;

/// Maps the columns and reads every row, reporting what each would do, without writing, as
/// `register_core::import::preview` does for a file; on one snapshot of the register.
pub fn preview(client: &mut Client, parsed: &Parsed, opts: &ImportOptions) -> Result<Plan> {
    crate::read(client, |tx| {
        let mut reg = reads::Reads::new(tx);
        let plan = core_import::preview_in(&mut reg, parsed, opts);
        reg.result(plan)
    })
}

/// The columns' automatic (or remembered) mapping for `parsed`, as
/// `register_core::import::mapping_for` gives it for a file: what the window's Columns step
/// starts from.
pub fn mapping_for(
    client: &mut Client,
    parsed: &Parsed,
    overrides: &[(String, Field)],
) -> Result<Vec<ColumnMapping>> {
    crate::read(client, |tx| {
        let mut reg = reads::Reads::new(tx);
        let mapping = core_import::mapping_for_in(&mut reg, parsed, overrides);
        reg.result(mapping)
    })
}
