//! Disposal records: how a retired asset left the organisation (method, date, to whom), how its
//! data was wiped and by whom, the wiping certificate's number and file. Recording one retires
//! the asset in the same transaction; correcting one is an audited edit. Also the open item an
//! auditor asks about: retired assets with no disposal record.
//!
//! - `model`: the record, its method, what the user types, a retired asset with none;
//! - `rules`: the storage-free rules (checks, changes, events, the retirement it implies),
//!   shared with the team register on PostgreSQL;
//! - this file: the SQL of the file's `disposals` table.

mod model;
mod rules;

pub use model::{Disposal, DisposalInput, Method, Undisposed};
pub use rules::{
    certificate_change, certificate_to_link, check_disposable, check_disposal, disposal_changes,
    disposal_event, retirement, unchanged, ValidDisposal, CERTIFICATE_KIND, CERTIFICATE_NOTE,
    RETIRED_NOTE,
};

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::assets::{self, live};
use crate::audit::{self, Source};
use crate::db::{Db, QueryAll, Tx};
use crate::documents::{attach_to, DocumentStore, Owner};
use crate::error::{Error, Result};
use crate::values::format_date;

const SELECT: &str = "SELECT d.asset_id, a.asset_tag, a.name, a.serial_number, d.method,
        d.disposed_on, d.recipient, d.wipe_method, d.wiped_by, d.certificate_number,
        d.certificate_id, d.note, d.recorded_at
    FROM disposals d JOIN assets a ON a.id = d.asset_id";

fn from_row(conn: &Connection, r: &rusqlite::Row<'_>) -> Result<Disposal> {
    let method: String = r.get(4)?;
    let method = Method::parse(&method)?;
    let certificate_id: Option<i64> = r.get(10)?;
    let asset_id: i64 = r.get(0)?;
    let certificate = match certificate_id {
        Some(id) => Some(crate::documents::document_of(
            conn,
            Owner::Asset(asset_id),
            id,
        )?),
        None => None,
    };
    Ok(Disposal {
        asset_id,
        asset_tag: r.get(1)?,
        asset_name: r.get(2)?,
        serial_number: r.get(3)?,
        method,
        method_label: method.label().to_string(),
        disposed_on: r.get(5)?,
        recipient: r.get(6)?,
        wipe_method: r.get(7)?,
        wiped_by: r.get(8)?,
        certificate_number: r.get(9)?,
        certificate,
        note: r.get(11)?,
        recorded_at: r.get(12)?,
    })
}

/// The asset's disposal record, if it has one (archived assets included).
pub fn disposal_of(conn: &Connection, asset_id: i64) -> Result<Option<Disposal>> {
    assets::get_asset(conn, asset_id)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE d.asset_id = ?1"))?;
    let mut rows = stmt.query([asset_id])?;
    match rows.next()? {
        Some(r) => Ok(Some(from_row(conn, r)?)),
        None => Ok(None),
    }
}

/// Every disposal record, archived assets included, most recent disposal first. With
/// `between`, only disposals on those days (inclusive).
pub fn list_disposals(
    conn: &Connection,
    between: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<Disposal>> {
    let (from, to) = between
        .map(|(a, b)| (format_date(a), format_date(b)))
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE d.disposed_on BETWEEN ?1 AND ?2 ORDER BY d.disposed_on DESC, a.asset_tag"
    ))?;
    let mut rows = stmt.query(params![from, to])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(from_row(conn, r)?);
    }
    Ok(out)
}

/// Live retired assets with no disposal record, oldest retirement first.
pub fn retired_without_disposal(conn: &Connection) -> Result<Vec<Undisposed>> {
    use crate::audit::{FIELD, NEW};
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.asset_tag, a.name,
                (SELECT max(l.at) FROM audit_log l
                  WHERE l.asset_id = a.id
                    AND EXISTS (SELECT 1 FROM json_each(l.changes) c
                                WHERE {FIELD} = 'status' AND {NEW} = 'retired')) AS retired_at
         FROM assets a
         WHERE a.archived_at IS NULL AND a.status = 'retired'
           AND NOT EXISTS (SELECT 1 FROM disposals d WHERE d.asset_id = a.id)
         ORDER BY retired_at IS NULL, retired_at, a.asset_tag"
    ))?;
    stmt.query_all([], |r| {
        Ok(Undisposed {
            asset_id: r.get(0)?,
            asset_tag: r.get(1)?,
            name: r.get(2)?,
            retired_at: r.get(3)?,
        })
    })
}

/// Records (or corrects) how the asset `asset_id` left, in the caller's transaction:
/// - an asset that is not yet Retired is retired first (its own `status_changed` event, which
///   also ends a holding);
/// - the first record writes a `disposed` event with every field; a correction writes an
///   `edited` event with the fields that changed, and is refused when nothing did;
/// - `certificate`, bytes already in the document store, is attached to the asset (its own
///   `document_attached` event) and linked as the record's certificate.
///
/// Refuses an archived asset, and one that is Lost/Stolen (nothing can be disposed of that
/// cannot be found: bring it back first).
pub fn record_disposal(
    tx: &mut Tx<'_>,
    asset_id: i64,
    input: &DisposalInput,
    certificate: Option<&crate::documents::StoredBlob>,
) -> Result<Disposal> {
    let asset = live(tx.conn(), asset_id)?;
    check_disposable(&asset)?;
    let v = check_disposal(input, asset.purchase_date.as_deref())?;
    let before = disposal_of(tx.conn(), asset_id)?;
    let mut changes = disposal_changes(before.as_ref(), &v)?;
    if let Some(status) = retirement(&asset) {
        assets::change_status(tx, asset_id, status, Some(RETIRED_NOTE))?;
    }
    let linked = match (certificate, certificate_to_link(before.as_ref(), input)) {
        (None, Some(doc_id)) => Some(crate::documents::document_of(
            tx.conn(),
            Owner::Asset(asset_id),
            doc_id,
        )?),
        _ => None,
    };
    if changes.is_empty() && certificate.is_none() && linked.is_none() {
        return Err(unchanged(&asset.asset_tag));
    }
    let doc = match (certificate, linked) {
        (Some(blob), _) => Some(attach_to(
            tx,
            Owner::Asset(asset_id),
            blob,
            Some(CERTIFICATE_KIND),
            Some(CERTIFICATE_NOTE),
        )?),
        (None, linked) => linked,
    };
    let certificate_id = match &doc {
        Some(doc) => {
            changes.push(certificate_change(before.as_ref(), &doc.name));
            Some(doc.id)
        }
        None => before
            .as_ref()
            .and_then(|b| b.certificate.as_ref())
            .map(|d| d.id),
    };
    tx.conn()
        .prepare_cached(
            "INSERT INTO disposals (asset_id, method, disposed_on, recipient, wipe_method, wiped_by,
                                    certificate_number, certificate_id, note, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (asset_id) DO UPDATE SET
                method = excluded.method, disposed_on = excluded.disposed_on,
                recipient = excluded.recipient, wipe_method = excluded.wipe_method,
                wiped_by = excluded.wiped_by, certificate_number = excluded.certificate_number,
                certificate_id = excluded.certificate_id, note = excluded.note,
                recorded_at = excluded.recorded_at",
        )?
        .execute(params![
            asset_id,
            v.method.as_str(),
            format_date(v.disposed_on),
            v.recipient,
            v.wipe_method,
            v.wiped_by,
            v.certificate_number,
            certificate_id,
            v.note,
            tx.now(),
        ])?;
    let tag = asset.asset_tag.clone();
    audit::record(
        tx,
        disposal_event(asset_id, &tag, before.is_none(), changes),
    )?;
    disposal_of(tx.conn(), asset_id)?
        .ok_or_else(|| Error::Internal("the disposal record was not written".into()))
}

/// Records a disposal with an optional certificate file: the file's bytes are stored first
/// (durable), then the record, the retirement and the attachment commit together.
pub fn dispose(
    db: &Db,
    store: &DocumentStore,
    source: Source,
    asset_id: i64,
    input: &DisposalInput,
    certificate: Option<&Path>,
) -> Result<Disposal> {
    // Check everything that can be checked before copying a file in.
    db.read(|c| {
        let a = live(c, asset_id)?;
        check_disposal(input, a.purchase_date.as_deref()).map(|_| ())
    })?;
    let blob = match certificate {
        Some(p) => Some(store.store_file(p)?),
        None => None,
    };
    db.write(source, |tx| {
        if let (Some(b), Some(p)) = (&blob, certificate) {
            // A removal between the copy and this transaction may have deleted identical bytes.
            if store.check(&b.sha256, b.size as i64).is_some() {
                store.store_file(p)?;
            }
        }
        record_disposal(tx, asset_id, input, blob.as_ref())
    })
}

/// The disposals as CSV, for the evidence pack and exports.
pub fn write_disposals_csv(w: impl std::io::Write, rows: &[Disposal]) -> Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "asset_tag",
        "name",
        "serial_number",
        "method",
        "disposed_on",
        "disposed_to",
        "wipe_method",
        "wiped_by",
        "certificate_number",
        "certificate_file",
        "certificate_sha256",
        "note",
        "recorded_at",
    ])
    .map_err(crate::export::csv_error)?;
    for d in rows {
        let cert = d.certificate.as_ref();
        out.write_record([
            crate::export::guard(&d.asset_tag).as_ref(),
            crate::export::guard(&d.asset_name).as_ref(),
            crate::export::guard(d.serial_number.as_deref().unwrap_or("")).as_ref(),
            d.method_label.as_str(),
            d.disposed_on.as_str(),
            crate::export::guard(d.recipient.as_deref().unwrap_or("")).as_ref(),
            crate::export::guard(d.wipe_method.as_deref().unwrap_or("")).as_ref(),
            crate::export::guard(d.wiped_by.as_deref().unwrap_or("")).as_ref(),
            crate::export::guard(d.certificate_number.as_deref().unwrap_or("")).as_ref(),
            crate::export::guard(cert.map(|c| c.name.as_str()).unwrap_or("")).as_ref(),
            cert.map(|c| c.sha256.as_str()).unwrap_or(""),
            crate::export::guard(d.note.as_deref().unwrap_or("")).as_ref(),
            d.recorded_at.as_str(),
        ])
        .map_err(crate::export::csv_error)?;
    }
    out.flush()?;
    Ok(())
}

/// Whether the asset has a disposal record (cheap; for the asset page).
pub fn has_disposal(conn: &Connection, asset_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM disposals WHERE asset_id = ?1")?
        .query_row([asset_id], |_| Ok(()))
        .optional()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::documents::documents_of;
    use crate::status::Status;

    fn fixture() -> (tempfile::TempDir, Db, DocumentStore) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("register.db")).unwrap();
        for (tag, bought) in [("IT-1", "2022-01-10"), ("IT-2", "")] {
            let input = AssetInput {
                asset_tag: tag.into(),
                name: "Laptop".into(),
                serial_number: format!("SN-{tag}"),
                purchase_date: bought.into(),
                ..Default::default()
            };
            db.write(Source::Cli, |tx| create_asset(tx, &input, None))
                .unwrap();
        }
        let store = DocumentStore::for_db(&db);
        (dir, db, store)
    }

    fn input(method: &str, on: &str) -> DisposalInput {
        DisposalInput {
            method: method.into(),
            disposed_on: on.into(),
            recipient: Some("GreenIT Recycling Ltd".into()),
            wipe_method: Some("NIST 800-88 purge".into()),
            wiped_by: Some("Sam Okafor".into()),
            certificate_number: Some("CERT-7781".into()),
            note: None,
            certificate_id: None,
        }
    }

    fn events(db: &Db, id: i64) -> Vec<crate::audit::Event> {
        db.read(|c| crate::audit::list_asset_events(c, id)).unwrap()
    }

    #[test]
    fn disposing_retires_attaches_the_certificate_and_audits_every_field() {
        let (dir, db, store) = fixture();
        let cert = dir.path().join("wipe-certificate.pdf");
        std::fs::write(&cert, b"%PDF-1.4 certificate").unwrap();
        let d = dispose(
            &db,
            &store,
            Source::App,
            1,
            &input("recycled", "2025-03-01"),
            Some(&cert),
        )
        .unwrap();
        assert_eq!(d.method, Method::Recycled);
        assert_eq!(d.disposed_on, "2025-03-01");
        assert_eq!(d.certificate.as_ref().unwrap().name, "wipe-certificate.pdf");
        let a = db.read(|c| assets::get_asset(c, 1)).unwrap();
        assert_eq!(a.status, Status::Retired);
        let kinds: Vec<String> = events(&db, 1).into_iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            ["created", "status_changed", "document_attached", "disposed"]
        );
        let last = events(&db, 1).pop().unwrap();
        let fields: Vec<&str> = last.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "disposal_method",
                "disposed_on",
                "disposed_to",
                "wipe_method",
                "wiped_by",
                "wipe_certificate_number",
                "disposal_certificate"
            ]
        );
        assert!(db.read(crate::audit::verify).unwrap().ok);
        assert_eq!(
            db.read(|c| documents_of(c, Owner::Asset(1))).unwrap().len(),
            1
        );
        // Listed, and no longer an open item.
        assert_eq!(db.read(|c| list_disposals(c, None)).unwrap().len(), 1);
        assert!(db.read(retired_without_disposal).unwrap().is_empty());
    }

    #[test]
    fn a_correction_records_only_what_changed_and_an_unchanged_one_is_refused() {
        let (_dir, db, store) = fixture();
        dispose(
            &db,
            &store,
            Source::App,
            1,
            &input("sold", "2025-03-01"),
            None,
        )
        .unwrap();
        let mut again = input("sold", "2025-03-01");
        again.recipient = Some("J. Smith".into());
        dispose(&db, &store, Source::App, 1, &again, None).unwrap();
        let last = events(&db, 1).pop().unwrap();
        assert_eq!(last.kind, "edited");
        assert_eq!(last.changes.len(), 1);
        assert_eq!(last.changes[0].field, "disposed_to");
        assert_eq!(
            last.changes[0].old.as_deref(),
            Some("GreenIT Recycling Ltd")
        );
        let count = events(&db, 1).len();
        let err = dispose(&db, &store, Source::App, 1, &again, None).unwrap_err();
        assert!(
            err.to_string().contains("already says exactly this"),
            "{err}"
        );
        assert_eq!(events(&db, 1).len(), count);
    }

    #[test]
    fn bad_input_is_refused_and_changes_nothing() {
        let (dir, db, store) = fixture();
        let before = db.read(crate::audit::head).unwrap();
        let cases = [
            (input("burned", "2025-03-01"), "not a disposal method"),
            (input("sold", "2999-01-01"), "in the future"),
            (input("sold", "2021-12-31"), "before the asset was bought"),
            (input("sold", "01/03/2025"), "use YYYY-MM-DD"),
        ];
        for (i, message) in cases {
            let err = dispose(&db, &store, Source::App, 1, &i, None).unwrap_err();
            assert!(err.to_string().contains(message), "{err}");
        }
        let mut long = input("sold", "");
        long.recipient = Some("x".repeat(600));
        assert!(dispose(&db, &store, Source::App, 1, &long, None).is_err());
        // A certificate that is not there: nothing retired, nothing recorded.
        let missing = dir.path().join("nope.pdf");
        assert!(dispose(
            &db,
            &store,
            Source::App,
            1,
            &input("sold", ""),
            Some(&missing)
        )
        .is_err());
        // Lost/Stolen and archived assets are refused.
        db.write(Source::App, |tx| {
            assets::change_status(tx, 2, Status::LostStolen, None)
        })
        .unwrap();
        let err = dispose(&db, &store, Source::App, 2, &input("sold", ""), None).unwrap_err();
        assert!(err.to_string().contains("Lost/Stolen"), "{err}");
        let after_lost = db.read(crate::audit::head).unwrap();
        assert_eq!(after_lost.0, before.0 + 1);
        assert_eq!(
            db.read(|c| assets::get_asset(c, 1)).unwrap().status,
            Status::Available
        );
        assert!(db.read(|c| disposal_of(c, 1)).unwrap().is_none());
    }

    #[test]
    fn retired_assets_without_a_record_are_open_items_until_disposed() {
        let (_dir, db, store) = fixture();
        db.write(Source::App, |tx| {
            assets::change_status(tx, 2, Status::Retired, None)
        })
        .unwrap();
        let open = db.read(retired_without_disposal).unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].asset_tag, "IT-2");
        assert!(open[0].retired_at.is_some());
        dispose(&db, &store, Source::App, 2, &input("destroyed", ""), None).unwrap();
        assert!(db.read(retired_without_disposal).unwrap().is_empty());
        // Retiring it again was not needed: no second status event.
        let statuses = events(&db, 2)
            .into_iter()
            .filter(|e| e.kind == "status_changed")
            .count();
        assert_eq!(statuses, 1);
    }

    #[test]
    fn the_csv_names_the_certificate_and_guards_formulas() {
        let (dir, db, store) = fixture();
        let cert = dir.path().join("cert.pdf");
        std::fs::write(&cert, b"%PDF cert").unwrap();
        let mut i = input("donated", "2025-01-01");
        i.recipient = Some("=HYPERLINK(\"x\")".into());
        dispose(&db, &store, Source::App, 1, &i, Some(&cert)).unwrap();
        let rows = db.read(|c| list_disposals(c, None)).unwrap();
        let mut out = Vec::new();
        write_disposals_csv(&mut out, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("IT-1,Laptop,SN-IT-1,Donated,2025-01-01,"),
            "{text}"
        );
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains("cert.pdf"), "{text}");
    }

    #[test]
    fn a_document_already_attached_can_be_linked_as_the_certificate() {
        let (dir, db, store) = fixture();
        let p = dir.path().join("destruction.pdf");
        std::fs::write(&p, b"%PDF destroyed").unwrap();
        let doc = crate::documents::attach_file_to(
            &db,
            &store,
            Source::App,
            Owner::Asset(1),
            &p,
            None,
            None,
        )
        .unwrap();
        let mut i = input("destroyed", "");
        i.certificate_id = Some(doc.id);
        let d = dispose(&db, &store, Source::App, 1, &i, None).unwrap();
        assert_eq!(d.certificate.unwrap().id, doc.id);
        // Another asset's document is not found on this one.
        let mut other = input("sold", "");
        other.certificate_id = Some(doc.id);
        assert!(dispose(&db, &store, Source::App, 2, &other, None).is_err());
    }

    #[test]
    fn methods_parse_as_typed() {
        for (s, m) in [
            ("Returned to lessor", Method::ReturnedToLessor),
            ("returned-to-lessor", Method::ReturnedToLessor),
            ("RECYCLED", Method::Recycled),
            ("donate", Method::Donated),
        ] {
            assert_eq!(Method::parse(s).unwrap(), m);
        }
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()).unwrap(), m);
        }
    }
}
