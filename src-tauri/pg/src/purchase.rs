//! Recording a purchase in the team register, as the file does it (`register_core::purchase`):
//! one receipt, several items; every problem found at once ([`check_purchase`], the core's
//! checks with the server's look-up of serial numbers), then all the assets created with the
//! next free tags in one transaction, each with its `created` event (the note names the
//! purchase), and the receipt's bytes attached to each (`document_attached`), through this
//! crate's `assets::create_asset` and `documents::attach_document`, so the events are the
//! file's and a chain re-hashes to the same head in either store.
//!
//! Several people at once: a purchase takes a transaction-scoped advisory lock before it checks
//! and numbers anything, so two purchases run one after the other and the second numbers its
//! assets after the first's, and sees its serial numbers. The lock is taken before any row and
//! before the chain head, so it waits for nothing a writer holding the head could wait on. (A
//! single asset created at the same moment with the tag a purchase picks is refused by the tag's
//! unique index, in the core's words, and changes nothing.)

use std::path::Path;

use postgres::types::Type;
use postgres::GenericClient;
use register_core::audit::Source;
use register_core::documents::Owner;
use register_core::purchase::{
    check_purchase_with, plan_purchase, Problem, PurchaseInput, Purchased, RECEIPT_KIND,
};

use crate::db::Tx;
use crate::error::Result;
use crate::{assets, documents};

/// Any constant, the same in every build: purchases of one register queue up on it.
const PURCHASE_LOCK: i64 = 0x5055_5243_4841_5345; // "PURCHASE"

/// A receipt to attach to every new asset: its file name and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Receipt<'a> {
    /// The file's name ("Dell order 4412.pdf").
    pub name: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// Every problem with a purchase, as the file's `check_purchase` finds them: top-level fields
/// first, then row by row; a serial number already on a live asset is named with its tag.
/// Empty when it can be recorded.
pub fn check_purchase(
    client: &mut impl GenericClient,
    input: &PurchaseInput,
) -> Result<Vec<Problem>> {
    let mut failed = None;
    let problems = check_purchase_with(input, |key| {
        match client.query_typed_opt(
            "SELECT asset_tag FROM public.assets WHERE serial_key = $1 AND archived_at IS NULL",
            &[(&key, Type::TEXT)],
        ) {
            Ok(row) => Ok(row.map(|r| r.get("asset_tag"))),
            Err(e) => {
                // The first one kept, to report as the server's error, not the core's (those
                // after it only say the transaction is aborted).
                failed.get_or_insert(e);
                Ok(None)
            }
        }
    })?;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(problems),
    }
}

/// Creates every item of a purchase in the caller's transaction, as the file's
/// `record_purchase` does: the next free tags, a `created` event each (the note names the
/// purchase), and `receipt` attached to each as a receipt. Refuses the whole purchase, naming
/// the first problem, when any row has one, changing nothing.
pub fn record_purchase(
    tx: &mut Tx<'_>,
    input: &PurchaseInput,
    receipt: Option<Receipt<'_>>,
) -> Result<Purchased> {
    tx.client().query_typed(
        "SELECT pg_advisory_xact_lock($1)",
        &[(&PURCHASE_LOCK, Type::INT8)],
    )?;
    if let Some(p) = check_purchase(tx.client(), input)?.into_iter().next() {
        return Err(register_core::Error::invalid(&p.path(), p.message).into());
    }
    let (items, note) = plan_purchase(input)?;
    if let Some(r) = &receipt {
        register_core::documents::check_new_document(
            r.name,
            r.bytes.len() as u64,
            register_core::documents::DEFAULT_MAX_BYTES,
        )?;
        // Taken before the first asset's event holds the chain head.
        documents::hold_content(tx, r.bytes)?;
    }
    let mut created = Vec::with_capacity(items.len());
    for mut a in items {
        a.asset_tag = assets::next_asset_tag(tx.client())?;
        let id = assets::create_asset(tx, &a, Some(&note))?.asset.id;
        if let Some(r) = &receipt {
            documents::attach_document(
                tx,
                Owner::Asset(id),
                r.name,
                r.bytes,
                Some(RECEIPT_KIND),
                Some(&note),
            )?;
        }
        created.push(assets::get_asset(tx.client(), id)?.asset);
    }
    Ok(Purchased {
        assets: created,
        receipt: receipt.map(|r| r.name.to_string()),
    })
}

/// Records a purchase with the receipt file at `receipt` (if any), as the file's
/// `record_purchase_with_receipt` does: checks the purchase first, so a purchase that would be
/// refused sends no bytes, then reads the receipt and creates everything in one transaction.
pub fn record_purchase_with_receipt(
    client: &mut postgres::Client,
    source: Source,
    input: &PurchaseInput,
    receipt: Option<&Path>,
) -> Result<Purchased> {
    if let Some(p) = crate::read(client, |tx| check_purchase(tx, input))?
        .into_iter()
        .next()
    {
        return Err(register_core::Error::invalid(&p.path(), p.message).into());
    }
    let file = match receipt {
        Some(path) => {
            register_core::documents::check_attachable(path)?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| {
                    register_core::Error::invalid(
                        "receipt",
                        format!("{} is not a file", path.display()),
                    )
                })?;
            let bytes = std::fs::read(path).map_err(register_core::Error::from)?;
            Some((name, bytes))
        }
        None => None,
    };
    let receipt = file.as_ref().map(|(name, bytes)| Receipt { name, bytes });
    crate::write(client, source, |tx| record_purchase(tx, input, receipt))
}
