//! The rules of an offboarding that need no storage, shared by every store: when one may start,
//! be resolved, finished or cancelled (and the words of each refusal), what a resolution does
//! to an item (`ResolutionStep`), what each step's person event records, and how the live
//! checklist is put together from what is still held and what was resolved. The file's
//! functions (`mod.rs`) call them, and so does the team register on PostgreSQL
//! (`register_pg::offboarding`), so both stores refuse the same steps in the same words and
//! record the same events. Reading and writing rows stays with each store.

use chrono::NaiveDate;

use super::model::{ChecklistItem, ItemKind, Offboarding, Outcome, Resolution};
use crate::audit::{Action, Change, NewEvent};
use crate::error::{Error, Result};
use crate::people::{check_holds_nothing, person_event, Person};
use crate::values::{format_date, text};

/// Refuses to start offboarding `p` when they have already left or when `open` (their open
/// offboarding, if any) exists.
pub fn check_can_start(p: &Person, open: Option<&Offboarding>) -> Result<()> {
    if !p.active {
        return Err(Error::Refused(format!("{} has already left", p.name)));
    }
    if let Some(o) = open {
        return Err(already_open(p, o));
    }
    Ok(())
}

/// The refusal of a second open offboarding of `p`.
pub fn already_open(p: &Person, o: &Offboarding) -> Error {
    Error::Refused(format!(
        "{}'s offboarding is already open (leaving on {})",
        p.name, o.leaving_on
    ))
}

/// The open offboarding a resolution needs, or the refusal to resolve before it starts.
pub fn open_to_resolve<'o>(p: &Person, open: Option<&'o Offboarding>) -> Result<&'o Offboarding> {
    open.ok_or_else(|| Error::Refused(format!("start {}'s offboarding first", p.name)))
}

/// The open offboarding a finish or a cancel needs, or the refusal when there is none.
pub fn open_to_close<'o>(p: &Person, open: Option<&'o Offboarding>) -> Result<&'o Offboarding> {
    open.ok_or_else(|| Error::Refused(format!("{} has no offboarding open", p.name)))
}

/// The refusal to resolve an item `p` does not hold.
pub fn not_held(p: &Person, kind: ItemKind) -> Error {
    Error::Refused(format!(
        "{} does not hold that {} (any more)",
        p.name,
        kind.noun()
    ))
}

/// The refusal to return everything at once from `p`, who holds nothing.
pub fn nothing_to_return(p: &Person) -> Error {
    Error::Refused(format!("{} holds nothing to return", p.name))
}

/// What resolving an item does, for the store to carry out with its own asset and seat
/// changes (each audited as the asset's or the licence's event).
#[derive(Debug, Clone, PartialEq)]
pub enum ResolutionStep {
    /// Return the asset (to `location` when given).
    ReturnAsset {
        /// Where it goes.
        location: Option<String>,
    },
    /// Assign the asset to the person called `to`.
    AssignAsset {
        /// Who it goes to.
        to: String,
    },
    /// Mark the asset Lost/Stolen, with `note` as the status change's note.
    MarkMissing {
        /// What is known.
        note: String,
    },
    /// Take the seat back.
    ReleaseSeat,
    /// Move the seat to the person called `to`.
    ReassignSeat {
        /// Who it goes to.
        to: String,
    },
}

impl ResolutionStep {
    /// The outcome the step records.
    pub fn outcome(&self) -> Outcome {
        match self {
            ResolutionStep::ReturnAsset { .. } | ResolutionStep::ReleaseSeat => Outcome::Returned,
            ResolutionStep::AssignAsset { .. } | ResolutionStep::ReassignSeat { .. } => {
                Outcome::Reassigned
            }
            ResolutionStep::MarkMissing { .. } => Outcome::Missing,
        }
    }
}

/// What resolving an item of `kind` as `resolution` does, with `note` already trimmed (see
/// [`resolution_note`]). Refuses an asset reassigned to nobody, an asset missing without a note
/// and a seat reported missing.
pub fn plan_resolution(
    kind: ItemKind,
    resolution: &Resolution,
    note: Option<&str>,
) -> Result<ResolutionStep> {
    Ok(match (kind, resolution) {
        (ItemKind::Asset, Resolution::Returned { location }) => ResolutionStep::ReturnAsset {
            location: location.clone(),
        },
        (ItemKind::Asset, Resolution::Reassigned { to }) => {
            if text(to).is_none() {
                return Err(Error::invalid("to", "choose who it goes to"));
            }
            ResolutionStep::AssignAsset { to: to.clone() }
        }
        (ItemKind::Asset, Resolution::Missing) => {
            let Some(n) = note else {
                return Err(Error::invalid(
                    "note",
                    "say what is known (not returned, reported stolen…)",
                ));
            };
            ResolutionStep::MarkMissing {
                note: n.to_string(),
            }
        }
        (ItemKind::Seat, Resolution::Returned { .. }) => ResolutionStep::ReleaseSeat,
        (ItemKind::Seat, Resolution::Reassigned { to }) => {
            ResolutionStep::ReassignSeat { to: to.clone() }
        }
        (ItemKind::Seat, Resolution::Missing) => {
            return Err(Error::Refused(
                "a licence seat cannot go missing; release it or give it to someone else".into(),
            ))
        }
    })
}

/// A resolution's note as every step records it: trimmed, empty as none.
pub fn resolution_note(note: Option<&str>) -> Option<String> {
    note.and_then(text)
}

/// The event of starting `p`'s offboarding, leaving on `leaving_on`.
pub fn started_event<'a>(
    p: &'a Person,
    leaving_on: NaiveDate,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    let change = Change::new("leaving_on", None, Some(format_date(leaving_on)));
    person_event(
        p.id,
        &p.name,
        Action::OffboardingStarted,
        vec![change],
        note,
    )
}

/// The event of resolving the item called `label` of `p`'s offboarding: its outcome and where
/// it went (`detail`: the location, the new holder or the note), changes without a value left
/// out.
pub fn resolved_event<'a>(
    p: &'a Person,
    label: &str,
    outcome: Outcome,
    detail: Option<String>,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    let changes = vec![
        Change::new("item", None, Some(label.to_string())),
        Change::new("outcome", None, Some(outcome.as_str().into())),
        Change::new("detail", None, detail),
    ]
    .into_iter()
    .filter(|c| c.new.is_some())
    .collect();
    person_event(p.id, &p.name, Action::OffboardingResolved, changes, note)
}

/// The event of cancelling the offboarding `o` of `p`.
pub fn cancelled_event<'a>(p: &'a Person, o: &Offboarding, note: Option<&'a str>) -> NewEvent<'a> {
    let change = Change::new("leaving_on", Some(o.leaving_on.clone()), None);
    person_event(
        p.id,
        &p.name,
        Action::OffboardingCancelled,
        vec![change],
        note,
    )
}

/// The leaving date finishing `o` marks `p` as left on; refused while `p` (read with what they
/// hold counted, after any lock) still holds anything.
pub fn check_can_finish(p: &Person, o: &Offboarding) -> Result<NaiveDate> {
    check_holds_nothing(p)?;
    NaiveDate::parse_from_str(&o.leaving_on, "%Y-%m-%d")
        .map_err(|_| Error::Internal(format!("bad leaving date {}", o.leaving_on)))
}

/// The checklist's lines and how many are unresolved: everything `held` (as the store lists
/// it), then each of `resolved` (in the order resolved) that is not held again, so an item
/// resolved and then handed back to the person is shown once, as held.
pub fn merge_checklist(
    held: Vec<ChecklistItem>,
    resolved: Vec<ChecklistItem>,
) -> (Vec<ChecklistItem>, usize) {
    let unresolved = held.len();
    let mut items = held;
    for item in resolved {
        if !items[..unresolved]
            .iter()
            .any(|i| i.kind == item.kind && i.id == item.id)
        {
            items.push(item);
        }
    }
    (items, unresolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sam(active: bool, assets: i64) -> Person {
        Person {
            id: 3,
            name: "Sam Patel".into(),
            email: None,
            department: None,
            active,
            left_on: (!active).then(|| "2026-01-01".into()),
            asset_count: assets,
            seat_count: 0,
        }
    }

    fn open() -> Offboarding {
        Offboarding {
            id: 1,
            leaving_on: "2026-12-31".into(),
            started_at: "2026-12-01T09:00:00Z".into(),
            finished_at: None,
        }
    }

    fn item(kind: ItemKind, id: i64, outcome: Option<Outcome>) -> ChecklistItem {
        ChecklistItem {
            kind,
            id,
            label: format!("{id}"),
            detail: None,
            outcome,
            resolution: None,
            resolved_at: None,
        }
    }

    #[test]
    fn starting_is_refused_once_left_or_while_open() {
        assert!(check_can_start(&sam(true, 0), None).is_ok());
        let e = check_can_start(&sam(false, 0), None).unwrap_err();
        assert_eq!(e.to_string(), "Sam Patel has already left");
        let e = check_can_start(&sam(true, 0), Some(&open())).unwrap_err();
        assert!(
            e.to_string()
                .contains("already open (leaving on 2026-12-31)"),
            "{e}"
        );
    }

    #[test]
    fn a_resolution_becomes_one_step_or_a_refusal() {
        let step = |k, r: &Resolution, n| plan_resolution(k, r, n);
        let back = Resolution::Returned { location: None };
        assert_eq!(
            step(ItemKind::Seat, &back, None).unwrap().outcome(),
            Outcome::Returned
        );
        let to_nobody = Resolution::Reassigned { to: " ".into() };
        assert_eq!(
            step(ItemKind::Asset, &to_nobody, None).unwrap_err().field(),
            Some("to")
        );
        let e = step(ItemKind::Asset, &Resolution::Missing, None).unwrap_err();
        assert_eq!(e.field(), Some("note"));
        assert_eq!(
            step(ItemKind::Asset, &Resolution::Missing, Some("lost")).unwrap(),
            ResolutionStep::MarkMissing {
                note: "lost".into()
            }
        );
        let e = step(ItemKind::Seat, &Resolution::Missing, Some("?")).unwrap_err();
        assert!(e.to_string().contains("cannot go missing"), "{e}");
        assert_eq!(resolution_note(Some("  ")), None);
    }

    #[test]
    fn finishing_needs_empty_hands() {
        let e = check_can_finish(&sam(true, 2), &open()).unwrap_err();
        assert!(e.to_string().contains("still holds 2 assets"), "{e}");
        assert_eq!(
            check_can_finish(&sam(true, 0), &open()).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
    }

    #[test]
    fn an_item_held_again_is_listed_once_as_held() {
        let held = vec![item(ItemKind::Asset, 1, None)];
        let resolved = vec![
            item(ItemKind::Asset, 1, Some(Outcome::Returned)),
            item(ItemKind::Seat, 1, Some(Outcome::Returned)),
        ];
        let (items, unresolved) = merge_checklist(held, resolved);
        assert_eq!(unresolved, 1);
        assert_eq!(
            items
                .iter()
                .map(|i| (i.kind, i.outcome))
                .collect::<Vec<_>>(),
            [
                (ItemKind::Asset, None),
                (ItemKind::Seat, Some(Outcome::Returned))
            ]
        );
    }

    #[test]
    fn the_resolved_event_leaves_out_what_has_no_value() {
        let p = sam(true, 0);
        let ev = resolved_event(&p, "IT-1 Laptop", Outcome::Returned, None, None);
        let fields: Vec<&str> = ev.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["item", "outcome"]);
    }
}
