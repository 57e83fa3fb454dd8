//! The audit trail as JSON Lines, one event per line with every hashed field exactly as stored,
//! and the chain recomputed from such lines: what `verify-pack` (and the README's Python
//! script) check. The hashing rule is the one in `audit`: SHA-256 of the compact JSON array
//! `[prev_hash, id, at, source, action, entity, entity_id, asset_id, label, changes, note]`,
//! where `changes` is the stored JSON text (a string, not an array).

use std::io::{BufRead, Write};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{hex, GENESIS};
use crate::error::Result;

/// One line of `audit-trail.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailLine {
    /// Sequence number, from 1.
    pub id: i64,
    /// UTC time, RFC 3339.
    pub at: String,
    /// app, cli, import or system.
    pub source: String,
    /// What happened.
    pub action: String,
    /// What kind of record.
    pub entity: String,
    /// The record's id.
    pub entity_id: Option<i64>,
    /// The asset it concerns.
    pub asset_id: Option<i64>,
    /// The tag or name when written.
    pub label: String,
    /// The field changes as the stored JSON text.
    pub changes: String,
    /// The note.
    pub note: Option<String>,
    /// The previous event's hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

impl TrailLine {
    /// The hash this line's content gives after `prev`.
    pub fn compute(&self, prev: &str) -> String {
        let canonical = serde_json::to_string(&(
            prev,
            self.id,
            &self.at,
            &self.source,
            &self.action,
            &self.entity,
            self.entity_id,
            self.asset_id,
            &self.label,
            &self.changes,
            &self.note,
        ))
        .expect("tuples of strings and integers always encode");
        hex(&Sha256::digest(canonical.as_bytes()))
    }
}

/// Writes every event, in order, one JSON object per line; returns how many.
pub fn write_trail(conn: &Connection, mut w: impl Write) -> Result<i64> {
    let mut stmt = conn.prepare(
        "SELECT id, at, source, action, entity, entity_id, asset_id, label, changes, note,
                prev_hash, hash FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let line = TrailLine {
            id: r.get(0)?,
            at: r.get(1)?,
            source: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            asset_id: r.get(6)?,
            label: r.get(7)?,
            changes: r.get(8)?,
            note: r.get(9)?,
            prev_hash: r.get(10)?,
            hash: r.get(11)?,
        };
        serde_json::to_writer(&mut w, &line)?;
        w.write_all(b"\n")?;
        n += 1;
    }
    Ok(n)
}

/// What recomputing a trail found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainCheck {
    /// How many events the lines hold.
    pub event_count: i64,
    /// The last line's hash (the genesis hash when there are none).
    pub head_hash: String,
    /// The first break, in words, naming its line and event.
    pub first_break: Option<String>,
}

/// Recomputes the chain from JSON Lines: each line must parse, carry the next sequence number,
/// link to the previous line's hash, and hash to its own `hash`.
pub fn check_trail(r: impl BufRead) -> Result<ChainCheck> {
    let mut prev = GENESIS.to_string();
    let mut expected = 1i64;
    let mut count = 0;
    let mut first_break = None;
    for (i, line) in r.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        count += 1;
        let at = i + 1;
        if first_break.is_some() {
            continue;
        }
        let ev: TrailLine = match serde_json::from_str(&line) {
            Ok(ev) => ev,
            Err(e) => {
                first_break = Some(format!("line {at} is not an event ({e})"));
                continue;
            }
        };
        let problem = if ev.id != expected {
            Some(format!(
                "line {at}: event {expected} is missing (the line holds event {}): events were removed or reordered",
                ev.id
            ))
        } else if ev.prev_hash != prev {
            Some(format!(
                "line {at}, event {}: its link to the previous event does not match",
                ev.id
            ))
        } else if ev.compute(&prev) != ev.hash {
            Some(format!(
                "line {at}, event {}: its content does not match its hash (it was edited)",
                ev.id
            ))
        } else {
            None
        };
        first_break = problem;
        prev = ev.hash;
        expected += 1;
    }
    Ok(ChainCheck {
        event_count: count,
        head_hash: prev,
        first_break,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::audit::Source;
    use crate::db::Db;

    fn register() -> Db {
        let db = Db::open_in_memory().unwrap();
        for (tag, name) in [("IT-1", "Laptop \"Pro\" — naïve café"), ("IT-2", "Phone")] {
            let input = AssetInput {
                asset_tag: tag.into(),
                name: name.into(),
                notes: "line one\nline two\t/ \\ 😀 \u{1}".into(),
                ..Default::default()
            };
            db.write(Source::Cli, |tx| {
                create_asset(tx, &input, Some("first\u{7f}"))
            })
            .unwrap();
        }
        db
    }

    #[test]
    fn the_lines_recompute_to_the_registers_head() {
        let db = register();
        let mut out = Vec::new();
        let n = db.read(|c| write_trail(c, &mut out)).unwrap();
        assert_eq!(n, 2);
        let check = check_trail(&out[..]).unwrap();
        let (count, head) = db.read(crate::audit::head).unwrap();
        assert_eq!((check.event_count, check.head_hash), (count, head));
        assert_eq!(check.first_break, None);
    }

    #[test]
    fn an_edited_or_removed_line_is_named() {
        let db = register();
        let mut out = Vec::new();
        db.read(|c| write_trail(c, &mut out)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let edited = text.replacen("Phone", "Phablet", 1);
        let check = check_trail(edited.as_bytes()).unwrap();
        assert!(
            check
                .first_break
                .as_deref()
                .unwrap()
                .contains("line 2, event 2: its content"),
            "{check:?}"
        );
        let removed: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
        let check = check_trail(removed.as_bytes()).unwrap();
        assert!(
            check
                .first_break
                .as_deref()
                .unwrap()
                .contains("line 1: event 1 is missing"),
            "{check:?}"
        );
        let garbled = format!("{text}not json\n");
        let check = check_trail(garbled.as_bytes()).unwrap();
        assert!(check
            .first_break
            .unwrap()
            .contains("line 3 is not an event"));
    }
}
