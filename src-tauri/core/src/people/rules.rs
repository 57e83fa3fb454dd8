//! The rules of changing a person that need no storage, shared by every store: checking a
//! person's fields, when a change is refused (a name already taken, an asset given to someone
//! who has left, leaving while still holding something), and what each change's event records.
//! The file's functions in this module call them, and so does the team register on PostgreSQL
//! (`register_pg`), so both stores refuse the same changes and record the same events. Nothing
//! here reads or writes a database: finding the person, counting what they hold and writing
//! the row stay with each store.

use chrono::NaiveDate;

use super::{Person, PersonInput};
use crate::audit::{Action, Change, Entity, NewEvent};
use crate::error::{Error, Result};
use crate::values::{format_date, text};

/// A person's fields as they are to be stored: trimmed, empty text as `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPerson {
    /// The name (required, at most 200 characters).
    pub name: String,
    /// The e-mail address.
    pub email: Option<String>,
    /// The department or team.
    pub department: Option<String>,
}

/// Checks what the window or the CLI sends for a person. Whether the name is taken is the
/// store's to check (and to refuse with [`name_taken`]).
pub fn check_person(input: &PersonInput) -> Result<ValidPerson> {
    let name = text(&input.name).ok_or_else(|| Error::invalid("name", "a person needs a name"))?;
    if name.chars().count() > 200 {
        return Err(Error::invalid("name", "a name is at most 200 characters"));
    }
    let email = text(&input.email);
    if let Some(e) = &email {
        if !e.contains('@') || e.contains(char::is_whitespace) {
            return Err(Error::invalid(
                "email",
                format!("\"{e}\" is not an e-mail address"),
            ));
        }
    }
    Ok(ValidPerson {
        name,
        email,
        department: text(&input.department),
    })
}

/// The refusal of a name another person already has (ignoring case).
pub fn name_taken(name: &str) -> Error {
    Error::invalid("name", format!("{name} is already in the register"))
}

/// What adding `v` records: the fields given.
pub fn person_created(v: &ValidPerson) -> Vec<Change> {
    [
        Change::new("name", None, Some(v.name.clone())),
        Change::new("email", None, v.email.clone()),
        Change::new("department", None, v.department.clone()),
    ]
    .into_iter()
    .filter(|c| c.new.is_some())
    .collect()
}

/// What an edit of `before` to `v` records: only the fields that really change (none: the edit
/// writes and records nothing).
pub fn person_edited(before: &Person, v: &ValidPerson) -> Vec<Change> {
    [
        Change::new("name", Some(before.name.clone()), Some(v.name.clone())),
        Change::new("email", before.email.clone(), v.email.clone()),
        Change::new(
            "department",
            before.department.clone(),
            v.department.clone(),
        ),
    ]
    .into_iter()
    .filter(|c| c.old != c.new)
    .collect()
}

/// Refuses to give `p` anything once they have left.
pub fn check_can_hold(p: &Person) -> Result<()> {
    if p.active {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "{} has left the organisation; mark them as active again to give them assets",
        p.name
    )))
}

/// Refuses, in plain words, while `p` still holds assets or licence seats (their counts say
/// what they hold).
pub fn check_holds_nothing(p: &Person) -> Result<()> {
    let mut held = Vec::new();
    let n = |count: i64, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    if p.asset_count > 0 {
        held.push(n(p.asset_count, "asset", "assets"));
    }
    if p.seat_count > 0 {
        held.push(n(p.seat_count, "licence seat", "licence seats"));
    }
    if held.is_empty() {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "{} still holds {}; return, reassign or release {} before marking them as left",
        p.name,
        held.join(" and "),
        if p.asset_count + p.seat_count == 1 {
            "it"
        } else {
            "them"
        }
    )))
}

/// Marking `before` as left on `on` (`None`: active again): the action and changes it records,
/// or `None` when they are so already (nothing to write). Leaving is refused while they still
/// hold something.
pub fn leaving(before: &Person, on: Option<NaiveDate>) -> Result<Option<(Action, Vec<Change>)>> {
    let left = on.is_some();
    if left != before.active {
        return Ok(None);
    }
    if left {
        check_holds_nothing(before)?;
    }
    let action = if left { Action::Left } else { Action::Rejoined };
    let change = Change::new("left_on", before.left_on.clone(), on.map(format_date));
    Ok(Some((action, vec![change])))
}

/// The event that records `action` on the person `id`, labelled with their name as it was
/// before the change.
pub fn person_event<'a>(
    id: i64,
    name: &'a str,
    action: Action,
    changes: Vec<Change>,
    note: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent::about(Entity::Person, id, name, action, changes, note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(left_on: Option<&str>, assets: i64, seats: i64) -> Person {
        Person {
            id: 3,
            name: "Sam Patel".into(),
            email: Some("sam@example.org".into()),
            department: None,
            active: left_on.is_none(),
            left_on: left_on.map(str::to_string),
            asset_count: assets,
            seat_count: seats,
        }
    }

    #[test]
    fn fields_are_checked_and_only_changes_are_recorded() {
        let input = |name: &str, email: &str| PersonInput {
            name: name.into(),
            email: email.into(),
            department: " IT ".into(),
        };
        assert_eq!(
            check_person(&input("  ", "")).unwrap_err().to_string(),
            "a person needs a name"
        );
        let err = check_person(&input("Sam", "sam at home")).unwrap_err();
        assert_eq!(err.field(), Some("email"));
        let v = check_person(&input(" Sam Patel ", "")).unwrap();
        assert_eq!(
            person_created(&v),
            [
                Change::new("name", None, Some("Sam Patel".into())),
                Change::new("department", None, Some("IT".into())),
            ]
        );
        assert_eq!(
            person_edited(&person(None, 0, 0), &v),
            [
                Change::new("email", Some("sam@example.org".into()), None),
                Change::new("department", None, Some("IT".into())),
            ]
        );
    }

    #[test]
    fn leaving_is_refused_while_holding_and_recorded_once() {
        let on = NaiveDate::from_ymd_opt(2026, 12, 2);
        let err = leaving(&person(None, 1, 2), on).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Sam Patel still holds 1 asset and 2 licence seats; return, reassign or release \
             them before marking them as left"
        );
        let (action, changes) = leaving(&person(None, 0, 0), on).unwrap().unwrap();
        assert_eq!(action, Action::Left);
        assert_eq!(
            changes,
            [Change::new("left_on", None, Some("2026-12-02".into()))]
        );
        let gone = person(Some("2026-12-02"), 0, 0);
        assert_eq!(leaving(&gone, on).unwrap(), None);
        assert!(check_can_hold(&gone).is_err());
        let (action, _) = leaving(&gone, None).unwrap().unwrap();
        assert_eq!(action, Action::Rejoined);
    }
}
