//! Recording and correcting a disposal record in the team register, inside the caller's
//! transaction ([`crate::write`]) with the file's events: the asset's `status_changed` when a
//! record retires it, the certificate's `document_attached`, then `disposed` (a first record) or
//! `edited` (a correction). The rules are the core's (`register_core::disposals`).
//!
//! Order: lock the asset (`FOR UPDATE`, as every asset change does), read its record (a second
//! record is refused here, naming who made the first), check the version the client read, check
//! the input, take the certificate's content row, and only then retire the asset (its event
//! holds the chain head), attach, write the record and append its event. So every row is taken
//! before the head, and no two changes wait for each other in a circle.

use postgres::types::Type;
use register_core::disposals::{
    certificate_change, certificate_to_link, check_disposable, check_disposal, disposal_changes,
    disposal_event, retirement, unchanged, Disposal, DisposalInput, CERTIFICATE_KIND,
    CERTIFICATE_NOTE, RETIRED_NOTE,
};
use register_core::documents::{check_new_document, Owner, DEFAULT_MAX_BYTES};
use register_core::values::format_date;

use super::read::{disposal_of, recorder};
use crate::conflict::{check_version, Record};
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::{assets, audit, documents};

/// A certificate file to attach to the asset and link as its record's certificate: its name
/// and its bytes, which go to the server as one of the asset's documents.
#[derive(Debug, Clone, Copy)]
pub struct Certificate<'a> {
    /// The file's name ("wipe-certificate.pdf").
    pub name: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// Records how the asset `asset_id`, read at `read_version`, left, as the file's
/// `record_disposal` does for an asset without a record: an asset not yet Retired is retired
/// (its own `status_changed` event, which also ends a holding), `certificate` is attached to it
/// (`document_attached`) and linked, and a `disposed` event records every field given. Refused,
/// changing nothing: an asset that has a record already (naming who recorded it, and when: also
/// when two people record one at once, the second waits for the first and is told), an asset
/// changed since `read_version` (naming who changed it), an archived or Lost/Stolen asset, and
/// bad input, in the core's words.
pub fn record_disposal(
    tx: &mut Tx<'_>,
    asset_id: i64,
    read_version: i64,
    input: &DisposalInput,
    certificate: Option<Certificate<'_>>,
) -> Result<Disposal> {
    write_disposal(tx, asset_id, read_version, input, certificate, true)
}

/// Corrects the disposal record of the asset `asset_id`, read at `read_version`, as the file's
/// `record_disposal` does for an asset with a record: an `edited` event with the fields that
/// changed (a new `certificate` attached and linked, or `input.certificate_id` linking one of
/// the asset's documents), refused when nothing did, when the asset has no record yet, and when
/// it changed since `read_version` (naming who changed it: another correction moves it on too).
pub fn correct_disposal(
    tx: &mut Tx<'_>,
    asset_id: i64,
    read_version: i64,
    input: &DisposalInput,
    certificate: Option<Certificate<'_>>,
) -> Result<Disposal> {
    write_disposal(tx, asset_id, read_version, input, certificate, false)
}

fn write_disposal(
    tx: &mut Tx<'_>,
    asset_id: i64,
    read_version: i64,
    input: &DisposalInput,
    certificate: Option<Certificate<'_>>,
    first: bool,
) -> Result<Disposal> {
    let current = assets::lock(tx.client(), asset_id)?;
    let tag = current.asset.asset_tag.clone();
    match (first, recorder(tx.client(), asset_id)?) {
        (true, Some((by, at))) => {
            return Err(Error::Refused(format!(
                "{tag} has a disposal record already, recorded by {by} at {at} UTC; correct it \
                 instead; nothing was changed"
            )))
        }
        (false, None) => {
            return Err(Error::Refused(format!(
                "{tag} has no disposal record to correct: record one first; nothing was changed"
            )))
        }
        _ => {}
    }
    check_version(
        tx.client(),
        Record::Asset,
        asset_id,
        &tag,
        current.version,
        read_version,
    )?;
    let asset = &current.asset;
    check_disposable(asset)?;
    let v = check_disposal(input, asset.purchase_date.as_deref())?;
    if let Some(c) = &certificate {
        check_new_document(c.name, c.bytes.len() as u64, DEFAULT_MAX_BYTES)?;
        documents::hold_content(tx, c.bytes)?;
    }
    let before = disposal_of(tx.client(), asset_id)?;
    let mut changes = disposal_changes(before.as_ref(), &v)?;
    if let Some(status) = retirement(asset) {
        assets::change_status(tx, asset_id, current.version, status, Some(RETIRED_NOTE))?;
    }
    let linked = match (&certificate, certificate_to_link(before.as_ref(), input)) {
        (None, Some(doc_id)) => Some(documents::document_of(
            tx.client(),
            Owner::Asset(asset_id),
            doc_id,
        )?),
        _ => None,
    };
    if changes.is_empty() && certificate.is_none() && linked.is_none() {
        return Err(unchanged(&tag).into());
    }
    let doc = match (certificate, linked) {
        (Some(c), _) => Some(documents::attach_document(
            tx,
            Owner::Asset(asset_id),
            c.name,
            c.bytes,
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
    tx.client().query_typed(
        "INSERT INTO public.disposals (asset_id, method, disposed_on, recipient, wipe_method,
             wiped_by, certificate_number, certificate_id, note, recorded_at, recorded_by)
         VALUES ($1, $2, $3::text::date, $4, $5, $6, $7, $8, $9, statement_timestamp(),
                 current_user)
         ON CONFLICT (asset_id) DO UPDATE SET
            method = EXCLUDED.method, disposed_on = EXCLUDED.disposed_on,
            recipient = EXCLUDED.recipient, wipe_method = EXCLUDED.wipe_method,
            wiped_by = EXCLUDED.wiped_by, certificate_number = EXCLUDED.certificate_number,
            certificate_id = EXCLUDED.certificate_id, note = EXCLUDED.note,
            recorded_at = EXCLUDED.recorded_at",
        &[
            (&asset_id, Type::INT8),
            (&v.method.as_str(), Type::TEXT),
            (&format_date(v.disposed_on), Type::TEXT),
            (&v.recipient, Type::TEXT),
            (&v.wipe_method, Type::TEXT),
            (&v.wiped_by, Type::TEXT),
            (&v.certificate_number, Type::TEXT),
            (&certificate_id, Type::INT8),
            (&v.note, Type::TEXT),
        ],
    )?;
    // The record is part of the asset: writing it makes a new version of the asset (the
    // trigger moves it on), so a save from an older read is refused and told of this event.
    let version: i64 = tx
        .client()
        .query_typed_one(
            "UPDATE public.assets SET id = id WHERE id = $1 RETURNING version",
            &[(&asset_id, Type::INT8)],
        )?
        .try_get("version")?;
    let event = disposal_event(asset_id, &tag, before.is_none(), changes);
    audit::record_versioned(tx, &event, Record::Asset, version)?;
    disposal_of(tx.client(), asset_id)?
        .ok_or_else(|| Error::Refused("the disposal record was not written".into()))
}
