//! The storage-free rules of a disposal record, shared by the file (`disposals`) and the team
//! register on PostgreSQL: which assets can be disposed of, checking what the user typed, what a
//! record or a correction records (the changes, the event, the retirement it implies, the
//! certificate it links) and the refusal of a correction that changes nothing. No SQL here.

use chrono::NaiveDate;

use super::model::{Disposal, DisposalInput, Method};
use crate::assets::{check_live, Asset};
use crate::audit::{Action, Change, NewEvent};
use crate::documents::DocKind;
use crate::error::{Error, Result};
use crate::status::Status;
use crate::values::{format_date, parse_date, text};

/// The kind a certificate file is attached as.
pub const CERTIFICATE_KIND: DocKind = DocKind::Other;

/// The note of a certificate file's `document_attached` event.
pub const CERTIFICATE_NOTE: &str = "disposal certificate";

/// The note of the `status_changed` event of an asset retired by its disposal record.
pub const RETIRED_NOTE: &str = "disposed of";

/// The checked fields of a disposal.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDisposal {
    /// How it left.
    pub method: Method,
    /// The day it left.
    pub disposed_on: NaiveDate,
    /// To whom it went.
    pub recipient: Option<String>,
    /// How its data was wiped.
    pub wipe_method: Option<String>,
    /// Who wiped it.
    pub wiped_by: Option<String>,
    /// The certificate's number.
    pub certificate_number: Option<String>,
    /// Anything else.
    pub note: Option<String>,
}

const MAX_TEXT: usize = 500;

fn short(field: &str, v: &Option<String>) -> Result<Option<String>> {
    let v = v.as_deref().and_then(text);
    if v.as_ref().is_some_and(|s| s.chars().count() > MAX_TEXT) {
        return Err(Error::invalid(
            field,
            format!("keep it under {MAX_TEXT} characters"),
        ));
    }
    Ok(v)
}

/// Refuses an asset that cannot be disposed of: an archived one, and one that is Lost/Stolen
/// (nothing can be disposed of that cannot be found: bring it back first).
pub fn check_disposable(asset: &Asset) -> Result<()> {
    check_live(asset)?;
    if asset.status == Status::LostStolen {
        return Err(Error::Refused(format!(
            "{} is Lost/Stolen: it cannot be disposed of until it is found",
            asset.asset_tag
        )));
    }
    Ok(())
}

/// Checks what the user typed about a disposal of an asset bought on `purchased` (as stored):
/// a known method, a date (today when empty) neither in the future nor before the purchase,
/// texts under 500 characters.
pub fn check_disposal(input: &DisposalInput, purchased: Option<&str>) -> Result<ValidDisposal> {
    let method = Method::parse(&input.method)?;
    let disposed_on = parse_date("disposed_on", &input.disposed_on)?.unwrap_or_else(crate::today);
    let latest = crate::today().max(chrono::Utc::now().date_naive());
    if disposed_on > latest {
        return Err(Error::invalid(
            "disposed_on",
            format!("{disposed_on} is in the future; record a disposal once it has happened"),
        ));
    }
    if let Some(bought) = purchased.and_then(crate::values::iso_date) {
        if disposed_on < bought {
            return Err(Error::invalid(
                "disposed_on",
                format!("{disposed_on} is before the asset was bought ({bought})"),
            ));
        }
    }
    Ok(ValidDisposal {
        method,
        disposed_on,
        recipient: short("recipient", &input.recipient)?,
        wipe_method: short("wipe_method", &input.wipe_method)?,
        wiped_by: short("wiped_by", &input.wiped_by)?,
        certificate_number: short("certificate_number", &input.certificate_number)?,
        note: short("note", &input.note)?,
    })
}

impl ValidDisposal {
    /// The fields as an event records them, in a fixed order.
    pub fn fields(&self) -> [(&'static str, Option<String>); 7] {
        [
            ("disposal_method", Some(self.method.label().to_string())),
            ("disposed_on", Some(format_date(self.disposed_on))),
            ("disposed_to", self.recipient.clone()),
            ("wipe_method", self.wipe_method.clone()),
            ("wiped_by", self.wiped_by.clone()),
            ("wipe_certificate_number", self.certificate_number.clone()),
            ("disposal_note", self.note.clone()),
        ]
    }

    /// A stored record's fields, checked as they were typed (the purchase date aside).
    pub fn of_stored(d: &Disposal) -> Result<ValidDisposal> {
        check_disposal(
            &DisposalInput {
                method: d.method.as_str().into(),
                disposed_on: d.disposed_on.clone(),
                recipient: d.recipient.clone(),
                wipe_method: d.wipe_method.clone(),
                wiped_by: d.wiped_by.clone(),
                certificate_number: d.certificate_number.clone(),
                note: d.note.clone(),
                certificate_id: None,
            },
            None,
        )
    }
}

/// What recording `v` over the record `before` (none for a first record) changes, certificate
/// aside: every field given for a first record, the fields that differ for a correction.
pub fn disposal_changes(before: Option<&Disposal>, v: &ValidDisposal) -> Result<Vec<Change>> {
    Ok(match before {
        None => v
            .fields()
            .into_iter()
            .filter(|(_, new)| new.is_some())
            .map(|(f, new)| Change::new(f, None, new))
            .collect(),
        Some(old) => ValidDisposal::of_stored(old)?
            .fields()
            .into_iter()
            .zip(v.fields())
            .filter(|((_, o), (_, n))| o != n)
            .map(|((f, o), (_, n))| Change::new(f, o, n))
            .collect(),
    })
}

/// The status a disposal record moves the asset to, when it is not there yet: Retired.
pub fn retirement(asset: &Asset) -> Option<Status> {
    (asset.status != Status::Retired).then_some(Status::Retired)
}

/// The asset's document to link as the certificate when no new file is given: the one the
/// input names, unless the record already links it.
pub fn certificate_to_link(before: Option<&Disposal>, input: &DisposalInput) -> Option<i64> {
    let linked = before.and_then(|b| b.certificate.as_ref()).map(|d| d.id);
    input.certificate_id.filter(|id| linked != Some(*id))
}

/// The change of the record's certificate file to the one called `name`.
pub fn certificate_change(before: Option<&Disposal>, name: &str) -> Change {
    Change::new(
        "disposal_certificate",
        before
            .and_then(|b| b.certificate.as_ref())
            .map(|d| d.name.clone()),
        Some(name.to_string()),
    )
}

/// The refusal of a correction that changes nothing.
pub fn unchanged(asset_tag: &str) -> Error {
    Error::Refused(format!(
        "{asset_tag}'s disposal record already says exactly this"
    ))
}

/// The event of a first record (`disposed`) or of a correction (`edited`) of the asset `id`.
pub fn disposal_event(id: i64, tag: &str, first: bool, changes: Vec<Change>) -> NewEvent<'_> {
    let action = if first {
        Action::Disposed
    } else {
        Action::Edited
    };
    NewEvent::for_asset(id, tag, action, changes, None)
}
