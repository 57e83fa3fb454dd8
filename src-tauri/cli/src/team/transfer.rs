//! Getting a register to a server and back from the command line: `team move-in --from FILE`
//! (run with the owner's URL, `register_pg::transfer::move_in`), `team export --to FILE`
//! (`export_to_file`) and `files backup` on a team register (`backup_to`, the file's one-file
//! format). Prints what was copied and the heads; the work is register_pg's. A moved file is
//! marked as moved (`register_core::moved`), so it opens read-only from then on.

use std::path::Path;

use register_core::documents::DocumentStore;
use register_core::{moved, Db, Error, Result, Source};
use register_pg::transfer;

use super::{open, say, Pg};

/// `team move-in`: the file register at `from` into the empty team register at `url`, as its
/// owner.
pub fn move_in(url: &str, from: &Path, note: Option<&str>) -> Result<()> {
    // Opening a path that is not there would make a new, empty register to move.
    if !from.is_file() {
        return Err(Error::Refused(format!(
            "there is no register file at {}; nothing was copied",
            from.display()
        )));
    }
    let db = Db::open(from)?;
    db.read(moved::check_not_moved)?;
    let store = DocumentStore::for_register(from);
    let mut owner = open::open(url)?;
    let moved = transfer::move_in(&db, &store, &mut owner, note).pg()?;
    // From now on the file opens read-only, saying where the register went.
    let (bare, _) = register_pg::secret::strip_password(url).pg()?;
    let (file, server) = (&moved.file_head, &moved.server_head);
    moved::mark_moved(
        &db,
        Source::Cli,
        &bare,
        (file.0, &file.1),
        (server.0, &server.1),
    )?;
    say(format!(
        "Moved {} to the team register: {}",
        from.display(),
        moved.counts.describe()
    ))?;
    say(format!(
        "File head: event {}, {}",
        moved.file_head.0, moved.file_head.1
    ))?;
    say(format!(
        "Server head: event {}, {} (the move's own event; the chain verifies)",
        moved.server_head.0, moved.server_head.1
    ))?;
    say(format!(
        "{} is marked as moved and opens read-only from now on (`use-again` takes the mark off)",
        from.display()
    ))
}

/// `team export`: the team register at `url` to a new register file at `to`.
pub fn export(url: &str, to: &Path) -> Result<()> {
    let exported = transfer::export_to_file(&mut open::open(url)?, to).pg()?;
    say(format!(
        "Exported the team register to {}: {}",
        to.display(),
        exported.counts.describe()
    ))?;
    say(format!(
        "Head: event {}, {} (the file verifies to the server's head)",
        exported.head.0, exported.head.1
    ))
}

/// `files backup` on a team register: the same line the file's backup prints.
pub fn backup(url: &str, out: &Path) -> Result<()> {
    let m = transfer::backup_to(&mut open::open(url)?, out).pg()?;
    say(format!(
        "Backup written to {} ({} file(s), {} events, head {})",
        out.display(),
        m.files.len(),
        m.event_count,
        m.head_hash
    ))
}
