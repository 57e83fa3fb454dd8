//! The rules of the register's two name tables that need no storage, shared by every store:
//! which table a [`Kind`] is, what a valid name is, when a name is refused as taken, and what
//! adding and renaming record. The file's functions in this module call them, and so does the
//! team register on PostgreSQL (`register_pg`). Nothing here reads or writes a database.

use crate::audit::{Action, Change, Entity, NewEvent};
use crate::error::{Error, Result};
use crate::values::text;

/// The two name tables: locations and categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `locations`, referenced by `assets.location_id`.
    Location,
    /// `categories`, referenced by `assets.category_id`.
    Category,
}

impl Kind {
    /// What its events are about.
    fn audit_entity(self) -> Entity {
        match self {
            Kind::Location => Entity::Location,
            Kind::Category => Entity::Category,
        }
    }

    /// The audit entity name.
    pub fn entity(self) -> &'static str {
        match self {
            Kind::Location => "location",
            Kind::Category => "category",
        }
    }
}

/// A location's or category's name as it is stored: trimmed, required, at most 200 characters.
pub fn check_name(kind: Kind, name: &str) -> Result<String> {
    let name = text(name)
        .ok_or_else(|| Error::invalid("name", format!("a {} needs a name", kind.entity())))?;
    if name.chars().count() > 200 {
        return Err(Error::invalid("name", "a name is at most 200 characters"));
    }
    Ok(name)
}

/// The refusal of a name another location (or category) already has, ignoring case.
pub fn name_exists(name: &str) -> Error {
    Error::invalid("name", format!("{name} already exists"))
}

/// The event that records adding the location or category `id`, named `name`.
pub fn named_created(kind: Kind, id: i64, name: &str) -> NewEvent<'_> {
    let changes = vec![Change::new("name", None, Some(name.to_string()))];
    NewEvent::about(
        kind.audit_entity(),
        id,
        name,
        Action::Created,
        changes,
        None,
    )
}

/// The event that records renaming the location or category `id` from `old` to `new`, or
/// `None` when the name does not change (nothing to write).
pub fn renamed<'a>(kind: Kind, id: i64, old: &'a str, new: &str) -> Option<NewEvent<'a>> {
    if old == new {
        return None;
    }
    let changes = vec![Change::new("name", Some(old.into()), Some(new.into()))];
    Some(NewEvent::about(
        kind.audit_entity(),
        id,
        old,
        Action::Renamed,
        changes,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_renames_recorded_only_when_they_change() {
        assert_eq!(check_name(Kind::Location, " Leeds ").unwrap(), "Leeds");
        let err = check_name(Kind::Category, "  ").unwrap_err();
        assert_eq!(err.to_string(), "a category needs a name");
        assert!(check_name(Kind::Location, &"x".repeat(201)).is_err());
        assert!(renamed(Kind::Location, 2, "Leeds", "Leeds").is_none());
        let ev = renamed(Kind::Location, 2, "Leeds", "leeds").unwrap();
        assert_eq!(
            (ev.action, ev.entity, ev.label),
            (Action::Renamed, Entity::Location, "Leeds")
        );
        let ev = named_created(Kind::Category, 4, "Laptop");
        assert_eq!((ev.entity_id, ev.changes.len()), (Some(4), 1));
    }
}
