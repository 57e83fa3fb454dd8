//! The import commands on a team register: `import` (with `--dry-run`), `imports` and
//! `undo-import`, each through `register_pg::imports`, printing what the file's print
//! (`crate::transfer`, which runs them on either store). An import in progress elsewhere is
//! refused, naming who imports what. `export` is still file-only ([`works_on_team`]).

use register_core::import::{
    ImportOptions, ImportRecord, ImportSummary, Parsed, Plan, UndoSummary,
};
use register_core::{Result, Source};
use register_pg::{imports, Client};

use super::{write, Pg};
use crate::transfer::{run_import, ImportStore, TransferCommand};

/// Whether `command` works on a team register so far (`export` does not).
pub fn works_on_team(command: &TransferCommand) -> bool {
    !matches!(command, TransferCommand::Export { .. })
}

/// Runs an import command that [`works_on_team`] on the connected team register.
pub fn run(c: &mut Client, command: TransferCommand) -> Result<()> {
    run_import(&mut Team(c), command)
}

struct Team<'c>(&'c mut Client);

impl ImportStore for Team<'_> {
    fn preview(&mut self, parsed: &Parsed, opts: &ImportOptions) -> Result<Plan> {
        imports::preview(self.0, parsed, opts).pg()
    }

    fn commit(&mut self, parsed: &Parsed, opts: &ImportOptions) -> Result<ImportSummary> {
        imports::commit(self.0, Source::Import, parsed, opts).pg()
    }

    fn list(&mut self) -> Result<Vec<ImportRecord>> {
        imports::list_imports(self.0).pg()
    }

    fn undo(&mut self, id: i64) -> Result<UndoSummary> {
        write(self.0, |tx| imports::undo_import(tx, id))
    }
}
