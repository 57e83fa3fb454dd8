//! Recording a purchase: one receipt, several items. Checks every row at once (so a form can
//! show each problem beside its row), then creates all the assets with the next free tags in
//! one transaction, each with its `created` event, and attaches the receipt to each. The
//! receipt's bytes are stored once (the store is content-addressed) before that transaction,
//! as for any attachment.

//!
//! - `rules`: the storage-free rules (every check, the assets a purchase becomes and the note
//!   their events carry), shared with the team register on PostgreSQL;
//! - this file: the types, and the file's look-ups and writes.

mod rules;

pub use rules::{check_purchase_with, plan_purchase, RECEIPT_KIND};

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::assets::{self, Asset};
use crate::audit::Source;
use crate::db::{Db, Tx};
use crate::documents::{self, DocumentStore, StoredBlob};
use crate::error::{Error, Result};

/// The most items one purchase may create.
pub const MAX_ITEMS: usize = 500;

/// One receipt: what applies to every item, and the items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseInput {
    /// Who sold it all.
    pub supplier: String,
    /// YYYY-MM-DD; required.
    pub purchase_date: String,
    /// YYYY-MM-DD, or blank.
    pub warranty_expires: String,
    /// Whole months from the purchase date, instead of `warranty_expires`.
    pub warranty_months: String,
    /// Order or invoice number, kept in each asset's history.
    pub reference: String,
    /// The items, one asset each.
    pub items: Vec<PurchaseItem>,
}

/// One item on the receipt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurchaseItem {
    /// Required.
    pub name: String,
    /// Created on first use.
    pub category: String,
    /// Manufacturer.
    pub make: String,
    /// Model.
    pub model: String,
    /// Unique within the purchase and among live assets.
    pub serial_number: String,
    /// What this one item cost; required (0 for a free one).
    pub purchase_cost: String,
}

/// A problem with the purchase: `row` is the item's index (from 0), or `None` for the
/// purchase's own fields; `field` is the JSON key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The item, or none for supplier/date/warranty.
    pub row: Option<usize>,
    /// The field.
    pub field: String,
    /// A sentence for the user.
    pub message: String,
}

impl Problem {
    /// The field as one path: `items.2.serial_number`, or `purchase_date`.
    pub fn path(&self) -> String {
        match self.row {
            Some(r) => format!("items.{r}.{}", self.field),
            None => self.field.clone(),
        }
    }
}

/// What a recorded purchase created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Purchased {
    /// The new assets, in the receipt's order.
    pub assets: Vec<Asset>,
    /// The receipt's file name, when one was attached.
    pub receipt: Option<String>,
}

/// Every problem with a purchase, top-level fields first, then row by row (one per row and
/// field). Empty when it can be recorded.
pub fn check_purchase(conn: &Connection, input: &PurchaseInput) -> Result<Vec<Problem>> {
    let mut on_register = conn.prepare_cached(
        "SELECT asset_tag FROM assets WHERE serial_key = ?1 AND archived_at IS NULL",
    )?;
    check_purchase_with(input, |key| {
        Ok(on_register.query_row([key], |r| r.get(0)).optional()?)
    })
}

/// Creates every item of a purchase in the caller's transaction: the next free tags, a
/// `created` event each (the note names the purchase), and the receipt attached to each.
/// Refuses the whole purchase, naming the first problem, when any row has one.
pub fn record_purchase(
    tx: &mut Tx<'_>,
    input: &PurchaseInput,
    receipt: Option<&StoredBlob>,
) -> Result<Purchased> {
    if let Some(p) = check_purchase(tx.conn(), input)?.into_iter().next() {
        return Err(Error::invalid(&p.path(), p.message));
    }
    let (items, note) = plan_purchase(input)?;
    let mut created = Vec::with_capacity(items.len());
    for mut a in items {
        a.asset_tag = assets::next_asset_tag(tx.conn())?;
        let asset = assets::create_asset(tx, &a, Some(&note))?;
        if let Some(blob) = receipt {
            documents::attach_to(
                tx,
                documents::Owner::Asset(asset.id),
                blob,
                Some(RECEIPT_KIND),
                Some(&note),
            )?;
        }
        created.push(assets::get_asset(tx.conn(), asset.id)?);
    }
    Ok(Purchased {
        assets: created,
        receipt: receipt.map(|b| b.name.clone()),
    })
}

/// Records a purchase with the receipt at `receipt` (if any): checks the purchase first, so
/// nothing is copied for a purchase that would be refused, then stores the receipt's bytes
/// once and creates everything in one transaction.
pub fn record_purchase_with_receipt(
    db: &Db,
    store: &DocumentStore,
    source: Source,
    input: &PurchaseInput,
    receipt: Option<&Path>,
) -> Result<Purchased> {
    if let Some(p) = db.read(|c| check_purchase(c, input))?.into_iter().next() {
        return Err(Error::invalid(&p.path(), p.message));
    }
    let blob = receipt.map(|p| store.store_file(p)).transpose()?;
    db.write(source, |tx| {
        if let (Some(blob), Some(path)) = (&blob, receipt) {
            // A removal between the copy and this transaction may have deleted identical bytes.
            if store.check(&blob.sha256, blob.size as i64).is_some() {
                let again = store.store_file(path)?;
                if again.sha256 != blob.sha256 {
                    return Err(Error::Refused(format!(
                        "{} changed while it was being attached; try again",
                        blob.name
                    )));
                }
            }
        }
        record_purchase(tx, input, blob.as_ref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::AssetInput;
    use crate::documents::DocKind;

    fn monitor(serial: &str) -> PurchaseItem {
        PurchaseItem {
            name: "Dell P2723DE".into(),
            category: "Monitor".into(),
            make: "Dell".into(),
            model: "P2723DE".into(),
            serial_number: serial.into(),
            purchase_cost: "289.99".into(),
        }
    }

    fn purchase(items: Vec<PurchaseItem>) -> PurchaseInput {
        PurchaseInput {
            supplier: "Dell UK".into(),
            purchase_date: "2026-11-20".into(),
            warranty_months: "36".into(),
            reference: "PO-4412".into(),
            items,
            ..Default::default()
        }
    }

    fn events(db: &Db) -> i64 {
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?))
            .unwrap()
    }

    #[test]
    fn three_monitors_one_receipt_one_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("r.db")).unwrap();
        let store = DocumentStore::for_db(&db);
        db.write(Source::Cli, |tx| {
            assets::create_asset(
                tx,
                &AssetInput {
                    asset_tag: "IT-0041".into(),
                    name: "Old laptop".into(),
                    ..Default::default()
                },
                None,
            )
        })
        .unwrap();
        let receipt = dir.path().join("Dell order 4412.pdf");
        std::fs::write(&receipt, b"%PDF-1.4 receipt").unwrap();
        let p = purchase(vec![monitor("CN-1"), monitor("CN-2"), monitor("CN-3")]);
        let out =
            record_purchase_with_receipt(&db, &store, Source::App, &p, Some(&receipt)).unwrap();
        let tags: Vec<_> = out.assets.iter().map(|a| a.asset_tag.as_str()).collect();
        assert_eq!(
            tags,
            ["IT-0042", "IT-0043", "IT-0044"],
            "the next free tags"
        );
        for a in &out.assets {
            assert_eq!(a.warranty_expires.as_deref(), Some("2029-11-20"));
            assert_eq!(a.supplier.as_deref(), Some("Dell UK"));
            assert_eq!(
                a.purchase_cost.map(|m| m.to_string()).as_deref(),
                Some("289.99")
            );
            assert_eq!(a.document_count, 1);
            let docs = db
                .read(|c| documents::documents_of(c, documents::Owner::Asset(a.id)))
                .unwrap();
            assert_eq!(docs[0].kind, DocKind::Receipt);
            let hist = db
                .read(|c| crate::audit::list_asset_events(c, a.id))
                .unwrap();
            assert_eq!(
                hist.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
                ["created", "document_attached"]
            );
            assert_eq!(
                hist[0].note.as_deref(),
                Some("Purchase of 3 items from Dell UK, reference PO-4412")
            );
        }
        let blobs = walk(store.dir());
        assert_eq!(blobs, 1, "one stored copy of the receipt");
        assert!(db.read(crate::audit::verify).unwrap().ok);
    }

    fn walk(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| {
                if e.path().is_dir() {
                    walk(&e.path())
                } else {
                    1
                }
            })
            .sum()
    }

    #[test]
    fn every_problem_is_named_and_nothing_is_written() {
        let db = Db::open_in_memory().unwrap();
        db.write(Source::Cli, |tx| {
            assets::create_asset(
                tx,
                &AssetInput {
                    asset_tag: "IT-0001".into(),
                    name: "Monitor".into(),
                    serial_number: "cn-9".into(),
                    ..Default::default()
                },
                None,
            )
        })
        .unwrap();
        let before = events(&db);
        let mut p = purchase(vec![
            monitor("CN-1"),
            monitor(" cn-1 "),
            monitor("CN-9"),
            PurchaseItem {
                name: "".into(),
                purchase_cost: "".into(),
                ..monitor("")
            },
            PurchaseItem {
                purchase_cost: "-4".into(),
                ..monitor("CN-5")
            },
        ]);
        p.warranty_expires = "2027-01-01".into();
        let problems = db.read(|c| check_purchase(c, &p)).unwrap();
        let got: Vec<(String, &str)> = problems
            .iter()
            .map(|p| (p.path(), p.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "warranty_months".into(),
                    "give the warranty as a date or as months, not both"
                ),
                (
                    "items.1.serial_number".into(),
                    "the same serial number as item 1"
                ),
                (
                    "items.2.serial_number".into(),
                    "this serial number is already on IT-0001"
                ),
                (
                    "items.3.purchase_cost".into(),
                    "what did this item cost? (0 for a free one)"
                ),
                ("items.3.name".into(), "an asset needs a name"),
                (
                    "items.4.purchase_cost".into(),
                    "an amount cannot be negative"
                ),
            ]
        );
        let e = db
            .write(Source::App, |tx| record_purchase(tx, &p, None))
            .unwrap_err();
        assert_eq!(e.field(), Some("warranty_months"));
        assert_eq!(events(&db), before, "nothing written");
        let e = db
            .write(Source::App, |tx| {
                record_purchase(tx, &purchase(vec![]), None)
            })
            .unwrap_err();
        assert_eq!(e.field(), Some("items"));
        let mut p = purchase(vec![monitor("X")]);
        p.reference = "x".repeat(201);
        let problems = db.read(|c| check_purchase(c, &p)).unwrap();
        assert_eq!(problems[0].path(), "reference");
        p.reference.clear();
        p.purchase_date = "".into();
        let problems = db.read(|c| check_purchase(c, &p)).unwrap();
        assert_eq!(problems[0].path(), "purchase_date");
    }
}
