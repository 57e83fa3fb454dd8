//! How the register file stores an event (schema version 11 on), and the migration that moved
//! older registers to it. What an event hashes is not changed by any of this: the stored form
//! gives back, byte for byte, the text that was hashed.
//!
//! - The hash is kept as its 32 bytes, not 64 hex characters.
//! - The previous event's hash is not kept on the row: it is the hash of the row before, so
//!   storing it again only repeated it (readers fill [`StoredRow::prev_hash`] from that row).
//! - The changes are kept as `[[field, old, new], …]`, which [`expand`] turns back into the JSON
//!   text `[{"field":…,"old":…,"new":…}, …]` that was hashed: the same strings, without the three
//!   keys repeated in every change. A text that is not the expansion of that form (none that
//!   this app wrote; an older register edited by hand, say) is kept as it is.

use std::borrow::Cow;

use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;

use super::{Change, StoredRow, GENESIS};
use crate::error::{Error, Result};

/// The stored form of `changes`.
pub(crate) fn pack(changes: &[Change]) -> String {
    let packed: Vec<(&str, Option<&str>, Option<&str>)> = changes
        .iter()
        .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
        .collect();
    serde_json::to_string(&packed).expect("strings always encode")
}

/// The changes as the event hashed them, from their stored form: the JSON text
/// `[{"field":…,"old":…,"new":…}, …]`. A stored text not in the packed form is the hashed
/// text itself and comes back unchanged.
///
/// The packed form's strings are copied as they are stored, escapes and all: they were written
/// by the same JSON encoder as the hashed text, so they are the hashed text's strings exactly,
/// and no string is decoded or encoded again (`verify` runs this on every event).
pub(crate) fn expand(stored: &str) -> Cow<'_, str> {
    match unpack(stored.as_bytes()) {
        Some(hashed) => Cow::Owned(hashed),
        None => Cow::Borrowed(stored),
    }
}

/// `[[f,o,n],…]` (strings, `o` and `n` possibly `null`, no spaces) as `[{"field":f,"old":o,"new":n},…]`.
fn unpack(b: &[u8]) -> Option<String> {
    /// The JSON string or `null` at `b[i..]`: where it ends.
    fn token(b: &[u8], i: usize, null_ok: bool) -> Option<usize> {
        if null_ok && b[i..].starts_with(b"null") {
            return Some(i + 4);
        }
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let mut j = i + 1;
        loop {
            match b.get(j)? {
                b'\\' => j += 2,
                b'"' => return Some(j + 1),
                _ => j += 1,
            }
        }
    }
    fn expect(b: &[u8], i: usize, c: u8) -> Option<usize> {
        (b.get(i) == Some(&c)).then_some(i + 1)
    }
    if !b.starts_with(b"[[") {
        return None;
    }
    let mut out = String::with_capacity(b.len() + b.len() / 2);
    out.push('[');
    let mut i = 1;
    loop {
        i = expect(b, i, b'[')?;
        let field = (i, token(b, i, false)?);
        i = expect(b, field.1, b',')?;
        let old = (i, token(b, i, true)?);
        i = expect(b, old.1, b',')?;
        let new = (i, token(b, i, true)?);
        i = expect(b, new.1, b']')?;
        // Every token starts and ends on an ASCII byte, so these are char boundaries.
        let text = |(from, to): (usize, usize)| std::str::from_utf8(&b[from..to]).ok();
        out.push_str("{\"field\":");
        out.push_str(text(field)?);
        out.push_str(",\"old\":");
        out.push_str(text(old)?);
        out.push_str(",\"new\":");
        out.push_str(text(new)?);
        out.push('}');
        match b.get(i)? {
            b',' => {
                out.push(',');
                i += 1;
            }
            b']' if i + 1 == b.len() => {
                out.push(']');
                return Some(out);
            }
            _ => return None,
        }
    }
}

/// The stored form of an event's hashed changes text: packed when packing gives back exactly
/// that text, else the text itself.
pub(crate) fn pack_hashed(hashed: &str) -> String {
    if hashed.starts_with("[{") {
        if let Ok(changes) = serde_json::from_str::<Vec<Change>>(hashed) {
            let packed = pack(&changes);
            if expand(&packed) == hashed {
                return packed;
            }
        }
    }
    hashed.to_string()
}

/// The changes of a stored event, for reading history (either stored form).
pub(crate) fn changes(stored: &str) -> Vec<Change> {
    serde_json::from_str(&expand(stored)).unwrap_or_default()
}

/// A hash as stored: its 32 bytes when it is 64 lower-case hex digits (every hash this app
/// makes), else the text as it is, so nothing an older register holds is lost.
pub(crate) fn hash_to_sql(hex: &str) -> Value {
    match from_hex(hex) {
        Some(bytes) => Value::Blob(bytes),
        None => Value::Text(hex.to_string()),
    }
}

/// A stored hash as lower-case hex.
pub(crate) fn hash_from_sql(v: ValueRef<'_>) -> rusqlite::Result<String> {
    match v {
        ValueRef::Blob(b) => Ok(super::hex(b)),
        ValueRef::Text(t) => Ok(String::from_utf8_lossy(t).into_owned()),
        other => Err(rusqlite::types::FromSqlError::InvalidType).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, other.data_type(), Box::new(e))
        }),
    }
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    bytes
        .chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

/// The columns [`read_row`] reads, in its order.
pub(crate) const ROW_COLUMNS: &str =
    "id, at, source, action, entity, entity_id, asset_id, label, changes, note, hash";

/// One stored row (selected with [`ROW_COLUMNS`]) after the event whose hash is `prev_hash`, its
/// changes still in their stored form.
pub(crate) fn read_row(r: &rusqlite::Row<'_>, prev_hash: String) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
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
        prev_hash,
        hash: hash_from_sql(r.get_ref(10)?)?,
    })
}

/// Stores `row` in `table` in the form above, `changes` already packed (or kept as hashed).
pub(crate) fn insert(conn: &Connection, table: &str, row: &StoredRow, changes: &str) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO {table} ({ROW_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(rusqlite::params![
        row.id,
        row.at,
        row.source,
        row.action,
        row.entity,
        row.entity_id,
        row.asset_id,
        row.label,
        changes,
        row.note,
        hash_to_sql(&row.hash),
    ])?;
    Ok(())
}

/// The columns of a version-10 row that [`row_v10`] reads, in its order.
const V10_COLUMNS: &str =
    "id, at, source, action, entity, entity_id, asset_id, label, changes, note, prev_hash, hash";

/// One row of version 10's `audit_log` (selected with [`V10_COLUMNS`]), every field as stored.
fn row_v10(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
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
    })
}

/// Migration 11's step: copies every event of `audit_log` (version 10: hex hashes, a stored
/// previous hash, changes as hashed) into `audit_log_compact` in the stored form above, and
/// checks that the chain verifies exactly as it did (the same count, head and first bad event),
/// or fails the migration, which then changes nothing.
pub(crate) fn compact_trail(conn: &Connection) -> Result<()> {
    let before = super::check_chain(|each| -> Result<()> {
        let mut stmt = conn.prepare(&format!(
            "SELECT {V10_COLUMNS} FROM audit_log ORDER BY rowid"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let row = row_v10(r)?;
            insert(conn, "audit_log_compact", &row, &pack_hashed(&row.changes))?;
            each(row);
        }
        Ok(())
    })?;
    let after = super::check_chain(|each| -> Result<()> {
        for_each_in(conn, "audit_log_compact", &mut |row| {
            each(row);
            Ok(())
        })
    })?;
    let bad_id = |c: &super::ChainCheck| c.first_bad_event.as_ref().map(|b| b.id);
    if (before.event_count, &before.head_hash, bad_id(&before))
        != (after.event_count, &after.head_hash, bad_id(&after))
    {
        return Err(Error::Internal(format!(
            "the audit trail would not verify the same after it was stored compactly \
             (before: {} events, head {}, first bad event {:?}; after: {} events, head {}, \
             first bad event {:?}); the register was left as it was",
            before.event_count,
            before.head_hash,
            bad_id(&before),
            after.event_count,
            after.head_hash,
            bad_id(&after)
        )));
    }
    Ok(())
}

/// Calls `each` with every event of `table` (in the stored form above) in storage order, its
/// changes expanded to the hashed text and its previous hash filled from the row before.
pub(crate) fn for_each_in(
    conn: &Connection,
    table: &str,
    each: &mut dyn FnMut(StoredRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {ROW_COLUMNS} FROM {table} ORDER BY rowid"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    while let Some(r) = rows.next()? {
        let mut row = read_row(r, std::mem::take(&mut prev))?;
        if let Cow::Owned(hashed) = expand(&row.changes) {
            row.changes = hashed;
        }
        prev.clone_from(&row.hash);
        each(row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(field: &str, old: Option<&str>, new: Option<&str>) -> Change {
        Change::new(field, old.map(Into::into), new.map(Into::into))
    }

    #[test]
    fn packed_changes_expand_to_exactly_the_hashed_text() {
        let cases = [
            vec![],
            vec![change("name", None, Some("Laptop"))],
            vec![
                change(
                    "notes",
                    Some("a \"quoted\"\nline\t\u{1}"),
                    Some("Łódź ✓ 🚀 \\ /"),
                ),
                change("status", Some("available"), None),
                change("", None, None),
            ],
        ];
        for changes in cases {
            let hashed = serde_json::to_string(&changes).unwrap();
            let packed = pack(&changes);
            assert_eq!(expand(&packed), hashed);
            assert_eq!(pack_hashed(&hashed), packed);
            assert_eq!(super::changes(&packed), changes);
            if !changes.is_empty() {
                assert!(packed.len() < hashed.len(), "{packed} is not shorter");
            }
        }
    }

    #[test]
    fn a_text_that_does_not_pack_back_is_kept_as_it_is() {
        for text in [
            r#"[{"old":null,"field":"a","new":"b"}]"#, // keys in another order
            r#"[{"field":"a","old":null,"new":"\u00e9"}]"#, // an escape serde would not write
            r#"[{"field":"a","old":null,"new":"b"}] "#,
            "not json at all",
            "[[\"a\", ",
            r#"[["a",null,"b"] ]"#,
            r#"[["a",null,"b"]]x"#,
            r#"[["a",1,"b"]]"#,
            r#"[["a",null]]"#,
            r#"[[null,null,"b"]]"#,
            r#"[["a\"]]"#,
        ] {
            assert_eq!(pack_hashed(text), text);
            assert_eq!(expand(text), text);
        }
    }

    /// A register at schema version 10 (hex hashes, stored previous hashes, changes as the
    /// hashed JSON) holding `events`, appended as version 10 appended them.
    fn version_10(events: &[(&str, Vec<Change>, Option<&str>)]) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrate_to(&mut conn, 10).unwrap();
        let mut prev = GENESIS.to_string();
        for (i, (label, changes, note)) in events.iter().enumerate() {
            let ev = super::super::NewEvent::about(
                super::super::Entity::Person,
                i as i64 + 1,
                label,
                super::super::Action::Edited,
                changes.clone(),
                *note,
            );
            let row = StoredRow::encode(
                i as i64 + 1,
                "2026-12-02T10:00:00.000001Z",
                super::super::Source::App,
                &ev,
                &prev,
            )
            .unwrap();
            insert_v10(&conn, &row);
            prev = row.hash;
        }
        conn
    }

    fn insert_v10(conn: &Connection, row: &StoredRow) {
        conn.execute(
            "INSERT INTO audit_log (id, at, source, action, entity, entity_id, asset_id, label,
                                    changes, note, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            rusqlite::params![
                row.id,
                row.at,
                row.source,
                row.action,
                row.entity,
                row.entity_id,
                row.asset_id,
                row.label,
                row.changes,
                row.note,
                row.prev_hash,
                row.hash
            ],
        )
        .unwrap();
    }

    fn rows_v10(conn: &Connection) -> Vec<StoredRow> {
        let mut stmt = conn
            .prepare(&format!("SELECT {V10_COLUMNS} FROM audit_log ORDER BY id"))
            .unwrap();
        let rows = stmt.query_map([], row_v10).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    fn rows_now(conn: &Connection) -> Vec<StoredRow> {
        let mut rows = Vec::new();
        super::super::for_each_stored(conn, |r| {
            rows.push(r);
            Ok(())
        })
        .unwrap();
        rows
    }

    fn tricky_events() -> Vec<(&'static str, Vec<Change>, Option<&'static str>)> {
        vec![
            (
                "Sam Patel",
                vec![change("name", None, Some("Sam Patel"))],
                None,
            ),
            (
                "Łódź \"office\"",
                vec![
                    change("notes", Some("line\nbreak\t\u{7}"), Some("🚀 / \\ é")),
                    change("email", Some("a@b"), None),
                ],
                Some("moved desks"),
            ),
            ("nothing", vec![], None),
        ]
    }

    #[test]
    fn migration_11_keeps_every_event_exactly_as_hashed() {
        let mut conn = version_10(&tricky_events());
        // A row written by hand in an order of keys the app never writes: kept as it is.
        let mut odd = rows_v10(&conn).pop().unwrap();
        odd.id += 1;
        odd.prev_hash.clone_from(&odd.hash);
        odd.changes = r#"[{"new":"x","field":"f","old":null}]"#.into();
        odd.hash = odd.content_hash();
        insert_v10(&conn, &odd);
        let before = rows_v10(&conn);
        let head_before = super::super::verify_chain(&conn).unwrap();
        assert!(head_before.first_bad_event.is_none());

        crate::schema::migrate(&mut conn).unwrap();
        assert_eq!(rows_now(&conn), before);
        assert_eq!(super::super::verify_chain(&conn).unwrap(), head_before);
        let stored: Vec<(String, Vec<u8>)> = conn
            .prepare("SELECT changes, hash FROM audit_log ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(stored[0].0, r#"[["name",null,"Sam Patel"]]"#);
        assert_eq!(stored[3].0, odd.changes, "kept as it was hashed");
        assert!(stored.iter().all(|(_, h)| h.len() == 32));
        assert!(crate::schema::differences(&conn).unwrap().is_empty());
    }

    #[test]
    fn migration_11_keeps_a_broken_chain_broken_at_the_same_event() {
        let mut conn = version_10(&tricky_events());
        conn.execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET note = 'rewritten' WHERE id = 2;",
        )
        .unwrap();
        let before = super::super::verify_chain(&conn).unwrap();
        assert_eq!(before.first_bad_event.as_ref().map(|b| b.id), Some(2));
        conn.execute_batch(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
                 SELECT RAISE (ABORT, 'the audit log is append-only');
             END;",
        )
        .unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let after = super::super::verify_chain(&conn).unwrap();
        assert_eq!(after.first_bad_event.map(|b| b.id), Some(2));
        assert_eq!(
            (after.event_count, after.head_hash),
            (before.event_count, before.head_hash)
        );
    }

    #[test]
    fn migration_11_keeps_imports_pointing_at_their_events() {
        let mut conn = version_10(&tricky_events());
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        conn.execute_batch(
            "INSERT INTO imports (id, file_name, sha256, at, rows, created, updated, skipped, event_id)
             VALUES (5, 'a.csv', 'ab', 't', 1, 1, 0, 0, 2)",
        )
        .unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let fk: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are enforced again");
        let event: i64 = conn
            .query_row(
                "SELECT l.id FROM imports i JOIN audit_log l ON l.id = i.event_id",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(event, 2);
        assert!(conn
            .execute("DELETE FROM audit_log WHERE id = 2", [])
            .is_err());
    }

    #[test]
    fn hashes_are_stored_as_bytes_and_read_back_as_hex() {
        let conn = Connection::open_in_memory().unwrap();
        let hash = super::super::hex(&[0xab; 32]);
        for text in [hash.as_str(), "not a hash", &hash.to_uppercase()] {
            let stored = hash_to_sql(text);
            let back: String = conn
                .query_row("SELECT ?1", [&stored], |r| hash_from_sql(r.get_ref(0)?))
                .unwrap();
            assert_eq!(back, text);
        }
        assert!(matches!(hash_to_sql(&hash), Value::Blob(b) if b.len() == 32));
    }

    /// Events copied from another register (`copy_stored`) are stored as the app stores its own:
    /// the same packed changes and hashes, so the copy verifies to the same head; one out of
    /// line or not hashing right is refused.
    #[test]
    fn copied_events_are_stored_as_the_app_stores_them() {
        use crate::people::{create_person, PersonInput};
        use crate::{Db, Source};
        // People's events: an asset's event names its asset, which the copy would need first.
        let from = Db::open_in_memory().unwrap();
        for name in ["Ana \"Quoted\" Ünï", "Sam Patel"] {
            let input = PersonInput {
                name: name.into(),
                email: "a@example.com".into(),
                ..Default::default()
            };
            from.write(Source::App, |tx| create_person(tx, &input))
                .unwrap();
        }
        let mut rows = Vec::new();
        from.read(|c| {
            crate::audit::for_each_stored(c, |r| {
                rows.push(r);
                Ok(())
            })
        })
        .unwrap();
        let to = Db::open_in_memory().unwrap();
        to.write(Source::System, |tx| {
            rows.iter()
                .try_for_each(|r| crate::audit::copy_stored(tx, r))
        })
        .unwrap();
        let stored = |db: &Db| {
            db.read(|c| {
                let mut stmt = c.prepare("SELECT changes, hash FROM audit_log ORDER BY id")?;
                let rows = stmt.query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                })?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .unwrap()
        };
        assert_eq!(stored(&to), stored(&from));
        assert_eq!(
            to.read(crate::audit::verify_chain).unwrap(),
            from.read(crate::audit::verify_chain).unwrap()
        );

        let again = to.write(Source::System, |tx| crate::audit::copy_stored(tx, &rows[0]));
        assert!(again.unwrap_err().to_string().contains("does not follow"));
        let mut forged = rows[0].clone();
        forged.id = rows.len() as i64 + 1;
        forged.prev_hash = rows.last().unwrap().hash.clone();
        let forged = to.write(Source::System, |tx| crate::audit::copy_stored(tx, &forged));
        assert!(forged
            .unwrap_err()
            .to_string()
            .contains("does not match its hash"));
    }
}
