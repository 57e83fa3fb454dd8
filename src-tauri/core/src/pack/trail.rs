//! The audit trail as JSON Lines, one stored event per line ([`StoredRow`], every hashed field
//! exactly as hashed), and the chain recomputed from such lines: what `verify-pack` (and the
//! README's Python script) check. The hashing itself stays in `audit`: SHA-256 of the compact
//! JSON array `[prev_hash, id, at, source, action, entity, entity_id, asset_id, label, changes,
//! note]`, where `changes` is the JSON text that was hashed (a string, not an array).

use std::io::{BufRead, Write};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::audit::{for_each_stored, StoredRow, GENESIS};
use crate::error::Result;

/// One line of `audit-trail.jsonl`: a stored event as the audit trail holds it.
pub type TrailLine = StoredRow;

/// Writes every event, in order, one JSON object per line; returns how many.
pub fn write_trail(conn: &Connection, mut w: impl Write) -> Result<i64> {
    let mut n = 0;
    for_each_stored(conn, |line| {
        serde_json::to_writer(&mut w, &line)?;
        w.write_all(b"\n")?;
        n += 1;
        Ok(())
    })?;
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
        let ev: StoredRow = match serde_json::from_str(&line) {
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
        } else if !ev.hashes_right() {
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
