//! The rules of changing an asset that need no storage, shared by every store: checking a new
//! asset and an edit, when a status change is refused, and what each change records (the
//! event's action, label and changes). The file's write paths (`write.rs`) call them, and so
//! does the team register on PostgreSQL (`register_pg`), so both stores refuse the same changes
//! and record the same events for them. Nothing here reads or writes a database: reading the
//! asset, checking uniqueness and writing the row stay with each store.

use super::model::{Asset, AssetInput, AssetPatch, Valid};
use crate::audit::{Action, Change, NewEvent};
use crate::error::{Error, Result};
use crate::status::Status;

/// A change that passed the rules: the asset's fields as they are to be stored, and the
/// changes its event lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The fields to store.
    pub values: Valid,
    /// What the event records, old → new, in a fixed order. Empty for an edit that changes
    /// nothing: such an edit writes and records nothing.
    pub changes: Vec<Change>,
}

/// A new asset: its fields validated, and its `created` event's changes (every field given,
/// then the status a new asset starts in, Available). Uniqueness of the tag and serial is the
/// store's to check.
pub fn check_new_asset(input: &AssetInput) -> Result<Checked> {
    let values = Valid::from_input(input)?;
    let changes = values.created();
    Ok(Checked { values, changes })
}

/// An edit of `before` by `patch`: the fields after it, and those that really change.
pub fn check_edit(before: &Asset, patch: &AssetPatch) -> Result<Checked> {
    let old = Valid::from_input(&before.to_input())?;
    let values = Valid::from_input(&patch.apply(before.to_input()))?;
    let changes = old.changes_to(&values);
    Ok(Checked { values, changes })
}

/// Refuses any change to an archived asset (its history stays; it is no longer in the
/// register).
pub fn check_live(asset: &Asset) -> Result<()> {
    if asset.archived {
        return Err(Error::Refused(format!(
            "{} is archived and cannot be changed",
            asset.asset_tag
        )));
    }
    Ok(())
}

/// Refuses a status change of `before` to `status`: to the status it has already, and to
/// Deployed, which needs a holder (an assignment). Any other status may follow any other.
pub fn check_status_change(before: &Asset, status: Status) -> Result<()> {
    if before.status == status {
        return Err(Error::Refused(format!(
            "{} is already {}",
            before.asset_tag,
            status.label()
        )));
    }
    if status == Status::Deployed {
        return Err(Error::Refused(format!(
            "to deploy {}, assign it to a person or a location",
            before.asset_tag
        )));
    }
    Ok(())
}

/// What a status change of `before` records: any person's holding ends, the location (where
/// it is kept) stays, and the status changes.
pub fn status_changes(before: &Asset, status: Status) -> Vec<Change> {
    moved(
        (&before.assigned_to, &before.location, before.status),
        (None, before.location.clone(), status),
    )
}

/// What archiving an asset records.
pub fn archive_changes() -> Vec<Change> {
    vec![Change::new("archived", None, Some("yes".into()))]
}

/// Bringing the archived asset `before` back into the live register as it was (same fields,
/// holder and status): its fields, for the store to check that no live asset has taken its
/// serial since (archiving freed it), and what its `restored` event records. Refused unless it
/// is archived.
pub fn plan_restore(before: &Asset) -> Result<Checked> {
    if !before.archived {
        return Err(Error::Refused(format!(
            "{} is not archived",
            before.asset_tag
        )));
    }
    Ok(Checked {
        values: Valid::from_input(&before.to_input())?,
        changes: vec![Change::new("archived", Some("yes".into()), None)],
    })
}

/// What a move changes: holder, location and status, old → new, only those that differ.
pub fn moved(
    (person, location, status): (&Option<String>, &Option<String>, Status),
    (new_person, new_location, new_status): (Option<String>, Option<String>, Status),
) -> Vec<Change> {
    [
        Change::new("assigned_to", person.clone(), new_person),
        Change::new("location", location.clone(), new_location),
        Change::new(
            "status",
            Some(status.as_str().into()),
            Some(new_status.as_str().into()),
        ),
    ]
    .into_iter()
    .filter(|c| c.old != c.new)
    .collect()
}

/// The event that records `action` on the asset `id`, labelled with its tag as it was before
/// the change (`tag`).
pub fn asset_event<'a>(
    id: i64,
    tag: &'a str,
    action: Action,
    changes: Vec<Change>,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent::for_asset(id, tag, action, changes, note)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An asset for rule tests: id 7, tag IT-0007, held by `person` (id 1) at `location` (id 2).
    pub(in crate::assets) fn asset(
        status: Status,
        person: Option<&str>,
        location: Option<&str>,
    ) -> Asset {
        Asset {
            id: 7,
            asset_tag: "IT-0007".into(),
            name: "Laptop".into(),
            category: None,
            make: None,
            model: None,
            serial_number: None,
            purchase_date: None,
            purchase_cost: None,
            supplier: None,
            warranty_expires: None,
            status,
            assigned_to: person.map(str::to_string),
            location: location.map(str::to_string),
            notes: None,
            person_id: person.map(|_| 1),
            location_id: location.map(|_| 2),
            created_at: String::new(),
            updated_at: String::new(),
            archived: false,
            document_count: 0,
            last_seen: None,
        }
    }

    #[test]
    fn a_status_change_ends_a_holding_and_keeps_the_location() {
        let held = asset(Status::Deployed, Some("Sam"), Some("Leeds"));
        check_status_change(&held, Status::InMaintenance).unwrap();
        let changes = status_changes(&held, Status::InMaintenance);
        assert_eq!(
            changes,
            [
                Change::new("assigned_to", Some("Sam".into()), None),
                Change::new(
                    "status",
                    Some("deployed".into()),
                    Some("in_maintenance".into())
                ),
            ]
        );
        let err = check_status_change(&held, Status::Deployed).unwrap_err();
        assert_eq!(err.to_string(), "IT-0007 is already Deployed");
        let spare = asset(Status::Available, None, None);
        let err = check_status_change(&spare, Status::Available).unwrap_err();
        assert_eq!(err.to_string(), "IT-0007 is already Available");
        let err = check_status_change(&spare, Status::Deployed).unwrap_err();
        assert_eq!(
            err.to_string(),
            "to deploy IT-0007, assign it to a person or a location"
        );
    }

    #[test]
    fn only_an_archived_asset_is_restored_and_as_it_was() {
        let mut held = asset(Status::Deployed, Some("Sam Patel"), Some("Leeds"));
        assert_eq!(
            plan_restore(&held).unwrap_err().to_string(),
            "IT-0007 is not archived"
        );
        held.archived = true;
        let Checked { values, changes } = plan_restore(&held).unwrap();
        assert_eq!(values, Valid::from_input(&held.to_input()).unwrap());
        assert_eq!(changes, [Change::new("archived", Some("yes".into()), None)]);
    }

    #[test]
    fn an_edit_lists_only_what_changes() {
        let before = asset(Status::Available, None, None);
        let same = check_edit(
            &before,
            &AssetPatch {
                name: Some(" Laptop ".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(same.changes.is_empty());
        let renamed = check_edit(
            &before,
            &AssetPatch {
                name: Some("Laptop 14".into()),
                purchase_cost: Some("1,249.5".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            renamed.changes,
            [
                Change::new("name", Some("Laptop".into()), Some("Laptop 14".into())),
                Change::new("purchase_cost", None, Some("1249.50".into())),
            ]
        );
        let mut archived = before.clone();
        archived.archived = true;
        assert!(check_live(&archived).is_err());
    }
}
