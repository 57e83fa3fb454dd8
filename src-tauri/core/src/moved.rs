//! A register file moved to a team register: the mark it keeps once the move has committed on
//! the server (where it went, when, and the two chains' heads), after which it opens read-only
//! with that reason, so no change goes into the file by mistake; and taking the mark off, to use
//! the file on its own again. Both are audited events in the file's own chain.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Action, Change, Entity, NewEvent};
use crate::db::{Db, Tx};
use crate::error::{Error, Result};
use crate::values::format_date;
use crate::Source;

/// The settings key that holds the mark (JSON of [`MovedTo`]).
const KEY: &str = "moved_to";

/// Where a register file went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedTo {
    /// The team register's address, without a password.
    pub to: String,
    /// When the file was marked (UTC, RFC 3339).
    pub at: String,
    /// The team register's chain after the move: event count and head hash.
    pub server_events: i64,
    /// See `server_events`.
    pub server_head: String,
}

impl MovedTo {
    /// Why the file opens read-only: a sentence for the window's banner and every refused write.
    pub fn reason(&self) -> String {
        let day = crate::values::iso_date(&self.at[..10.min(self.at.len())])
            .map(format_date)
            .unwrap_or_else(|| self.at.clone());
        format!(
            "this register was moved to the team register {} on {day}, and changes go there \
             now; this file keeps the register as it was then",
            self.to
        )
    }
}

/// The mark, when the file has one.
pub fn moved_to(conn: &Connection) -> Result<Option<MovedTo>> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(match value {
        Some(v) => Some(serde_json::from_str(&v)?),
        None => None,
    })
}

/// Refuses to move a file that was moved already (a second team register would fork its
/// history): it must be used again first.
pub fn check_not_moved(conn: &Connection) -> Result<()> {
    match moved_to(conn)? {
        Some(m) => Err(Error::Refused(format!(
            "this register was already moved to the team register {}: use the file again first \
             if it really is to be moved a second time",
            m.to
        ))),
        None => Ok(()),
    }
}

/// Marks `db` as moved to the team register `to` (an address without a password), whose chain
/// is at `server_head` after the move, in one audited change. Refused, changing nothing, when
/// the file's chain is no longer at `file_head`, the head the move copied: a change made to the
/// file meanwhile is not on the server, and the user must be told rather than the file closed.
pub fn mark_moved(
    db: &Db,
    source: Source,
    to: &str,
    file_head: (i64, &str),
    server_head: (i64, &str),
) -> Result<MovedTo> {
    db.write(source, |tx| {
        let (count, hash) = audit::head(tx.conn())?;
        if (count, hash.as_str()) != file_head {
            return Err(Error::Refused(format!(
                "the register file changed while it was being moved (its history has {count} \
                 events, the move copied {}): those changes are not on the team register, so \
                 the file is left open for changes. Make them again on the team register.",
                file_head.0
            )));
        }
        let moved = MovedTo {
            to: without_login(to),
            at: tx.now().to_string(),
            server_events: server_head.0,
            server_head: server_head.1.to_string(),
        };
        set(tx, Some(&moved))?;
        audit::record(
            tx,
            NewEvent {
                action: Action::MovedToServer,
                entity: Entity::Register,
                entity_id: None,
                asset_id: None,
                label: "register",
                changes: vec![
                    Change::new("moved_to", None, Some(moved.to.clone())),
                    Change::new("server_events", None, Some(server_head.0.to_string())),
                    Change::new("server_head", None, Some(moved.server_head.clone())),
                ],
                note: None,
            },
        )?;
        Ok(moved)
    })
}

/// Takes the mark off the register file at `path`, so it opens for changes again (an audited
/// change; `note` says why). The team register is not touched: from here on the two are
/// separate registers. Refused when the file has no mark.
pub fn use_again(path: &Path, source: Source, note: Option<&str>) -> Result<()> {
    let db = Db::open_ignoring_move(path)?;
    db.write(source, |tx| {
        let Some(moved) = moved_to(tx.conn())? else {
            return Err(Error::Refused(
                "this register file was not moved to a team register; it is in use already".into(),
            ));
        };
        set(tx, None)?;
        audit::record(
            tx,
            NewEvent {
                action: Action::UsedAgain,
                entity: Entity::Register,
                entity_id: None,
                asset_id: None,
                label: "register",
                changes: vec![Change::new("moved_to", Some(moved.to), None)],
                note,
            },
        )?;
        Ok(())
    })
}

/// `to` without its login (`postgresql://owner@host/db` → `postgresql://host/db`): the move is
/// made as the server's owner, and everyone opens the team register with a login of their own.
fn without_login(to: &str) -> String {
    let Some((scheme, rest)) = to.split_once("://") else {
        return to.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => to.to_string(),
    }
}

fn set(tx: &mut Tx<'_>, moved: Option<&MovedTo>) -> Result<()> {
    match moved {
        Some(m) => tx.conn().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [KEY, &serde_json::to_string(m)?],
        )?,
        None => tx
            .conn()
            .execute("DELETE FROM settings WHERE key = ?1", [KEY])?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{self, AssetInput};

    fn register() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.db");
        let db = Db::open(&path).unwrap();
        let input = AssetInput {
            asset_tag: "IT-1".into(),
            name: "ThinkPad".into(),
            ..Default::default()
        };
        db.write(Source::Cli, |tx| assets::create_asset(tx, &input, None))
            .unwrap();
        (dir, path)
    }

    #[test]
    fn a_moved_file_opens_read_only_saying_where_it_went_until_it_is_used_again() {
        let (_dir, path) = register();
        let db = Db::open(&path).unwrap();
        let (count, hash) = db.read(audit::head).unwrap();
        let to = "postgresql://db.example.org/register?sslmode=verify-full";
        mark_moved(
            &db,
            Source::App,
            to,
            (count, &hash),
            (count + 1, &"a".repeat(64)),
        )
        .unwrap();
        drop(db);

        let db = Db::open(&path).unwrap();
        let reason = db
            .read_only()
            .expect("a moved file is read-only")
            .to_string();
        assert!(reason.contains(to), "{reason}");
        let input = AssetInput {
            asset_tag: "IT-2".into(),
            name: "Phone".into(),
            ..Default::default()
        };
        let refused = db
            .write(Source::Cli, |tx| assets::create_asset(tx, &input, None))
            .unwrap_err();
        assert!(matches!(&refused, Error::ReadOnly(r) if r.contains("moved to the team register")));
        assert!(db.read(check_not_moved).is_err());
        // The mark is in the file's own history, and the chain still verifies.
        let v = db.read(audit::verify).unwrap();
        assert!(v.ok);
        assert_eq!(v.event_count, count + 1);
        drop(db);

        use_again(&path, Source::Cli, Some("the server was a trial")).unwrap();
        let db = Db::open(&path).unwrap();
        assert_eq!(db.read_only(), None);
        db.write(Source::Cli, |tx| assets::create_asset(tx, &input, None))
            .unwrap();
        let events = db.read(|c| audit::list_audit_events(c, Some(3))).unwrap();
        let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
        assert!(kinds.contains(&"used_again"), "{kinds:?}");
        assert!(db.read(audit::verify).unwrap().ok);
        // Nothing to take off now.
        drop(db);
        assert!(use_again(&path, Source::Cli, None).is_err());
    }

    #[test]
    fn the_mark_keeps_the_address_without_the_owners_login() {
        assert_eq!(
            without_login("postgresql://owner@db.example.org:5433/register?sslmode=verify-full"),
            "postgresql://db.example.org:5433/register?sslmode=verify-full"
        );
        assert_eq!(
            without_login("postgresql:///register?host=/run/postgresql&user=owner"),
            "postgresql:///register?host=/run/postgresql&user=owner"
        );
        assert_eq!(without_login("postgres://db/r"), "postgres://db/r");
    }

    #[test]
    fn a_file_changed_during_the_move_is_not_marked() {
        let (_dir, path) = register();
        let db = Db::open(&path).unwrap();
        let (count, hash) = db.read(audit::head).unwrap();
        let err = mark_moved(
            &db,
            Source::App,
            "postgresql:///register",
            (count - 1, &hash),
            (count, &hash),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("changed while it was being moved"),
            "{err}"
        );
        assert_eq!(db.read(moved_to).unwrap(), None);
        assert_eq!(db.read(audit::head).unwrap(), (count, hash));
    }
}
