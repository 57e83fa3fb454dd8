//! The audit trail on a team register: `verify` (the chain recomputed by the core's code, with
//! the file's output: event count and head hash) and `history` (each event with the login
//! that wrote it and the person that login is tied to, `register_pg::logins`; [`History`], which
//! `licence history` reads too). Both read one snapshot of the trail, so appends made
//! meanwhile by other clients are neither half-seen nor mistaken for a broken chain.

use std::collections::HashMap;

use register_core::audit::StoredRow;
use register_core::{Error, Event, Result};
use register_pg::{assets, audit, logins, Client};

use super::Pg;
use crate::{print_document_check, print_history, print_json, Command};

/// Runs `verify` or `history` on the connected team register.
pub fn run(c: &mut Client, command: Command) -> Result<()> {
    match command {
        Command::Verify { json } => {
            let checked = register_pg::verify::verify(c).pg()?;
            let (v, problems, documents) = (
                checked.verification,
                checked.document_problems,
                checked.documents,
            );
            // The file's output: the chain, then the documents.
            if json {
                let mut out = serde_json::to_value(&v)?;
                out["document_problems"] = serde_json::to_value(&problems)?;
                out["ok"] = (v.ok && problems.is_empty()).into();
                print_json(&out)?;
            } else {
                print!("{}", v.describe());
                print_document_check(documents, &problems)?;
            }
            if !v.ok || !problems.is_empty() {
                return Err(Error::Refused("verification failed".into()));
            }
        }
        Command::History { tag, json } => {
            let history = History::read(c, |tx| {
                let asset_id = match &tag {
                    Some(t) => Some(assets::find_asset(tx, t)?.asset.id),
                    None => None,
                };
                Ok(move |row: &StoredRow| asset_id.is_none() || row.asset_id == asset_id)
            })?;
            if json {
                print_json(&history.to_json()?)?;
            } else {
                print_history(&history.events, &|i| Some(history.by(i)))?;
            }
        }
        _ => return Err(Error::Internal("not a trail command".to_string())),
    }
    Ok(())
}

/// Events of a team register, each with the login that wrote it, and the people those logins
/// are tied to: what `history` and `licence history` print.
pub(super) struct History {
    /// The events, in order.
    pub events: Vec<Event>,
    /// The login that wrote each.
    actors: Vec<String>,
    /// Each tied login's person.
    people: HashMap<String, String>,
}

impl History {
    /// The events `select` keeps, all read in one snapshot; `select` runs in it first (to find
    /// the record a history is of) and gives the test each stored event must pass.
    pub(super) fn read<K: Fn(&StoredRow) -> bool>(
        c: &mut Client,
        select: impl FnOnce(&mut register_pg::Transaction<'_>) -> register_pg::Result<K>,
    ) -> Result<History> {
        let mut history = History {
            events: Vec::new(),
            actors: Vec::new(),
            people: HashMap::new(),
        };
        register_pg::read(c, |tx| {
            for t in logins::list_ties(tx)? {
                history.people.insert(t.login, t.person);
            }
            let keep = select(tx)?;
            audit::for_each_stored(tx, |ev| {
                if keep(&ev.row) {
                    history.events.push(ev.row.to_event());
                    history.actors.push(ev.actor);
                }
            })
        })
        .pg()?;
        Ok(history)
    }

    /// Who wrote the `i`th event: the login, and its person when it is tied to one
    /// (`alice (Alice Smith)`).
    pub(super) fn by(&self, i: usize) -> String {
        match self.people.get(&self.actors[i]) {
            Some(person) => format!("{} ({person})", self.actors[i]),
            None => self.actors[i].clone(),
        }
    }

    /// The events as `--json` prints them: the file's shape, with `actor` and `person` added.
    pub(super) fn to_json(&self) -> Result<Vec<serde_json::Value>> {
        let mut out = Vec::new();
        for (e, actor) in self.events.iter().zip(&self.actors) {
            let mut v = serde_json::to_value(e)?;
            v["actor"] = actor.as_str().into();
            v["person"] = self.people.get(actor).map(String::as_str).into();
            out.push(v);
        }
        Ok(out)
    }
}
