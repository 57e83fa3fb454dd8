//! The audit trail on a team register: `verify` (the chain recomputed by the core's code, with
//! the file's output: event count and head hash) and `history` (each event with the login
//! that wrote it and the person that login is tied to, `register_pg::logins`). Both read one snapshot of the trail, so appends made meanwhile by other
//! clients are neither half-seen nor mistaken for a broken chain.

use register_core::audit::Verification;
use register_core::{Error, Event, Result};
use std::collections::HashMap;

use register_pg::{assets, audit, logins, Client};

use super::Pg;
use crate::{print_history, print_json, Command};

/// Runs `verify` or `history` on the connected team register.
pub fn run(c: &mut Client, command: Command) -> Result<()> {
    match command {
        Command::Verify { json } => {
            let (check, (seq, hash)) =
                register_pg::read(c, |tx| Ok((audit::verify_chain(tx)?, audit::head(tx)?))).pg()?;
            // The head row moves with every append (a trigger): it must be where the chain ends.
            let integrity = if (seq, &hash) == (check.event_count, &check.head_hash) {
                "ok".to_string()
            } else {
                format!(
                    "the chain head says event {seq} ({hash}) but the events end at {} ({})",
                    check.event_count, check.head_hash
                )
            };
            let v = Verification {
                ok: integrity == "ok" && check.first_bad_event.is_none(),
                integrity,
                event_count: check.event_count,
                head_hash: check.head_hash,
                first_bad_event: check.first_bad_event,
            };
            if json {
                let mut out = serde_json::to_value(&v)?;
                // The file's shape; a team register holds no documents yet.
                out["document_problems"] = serde_json::Value::Array(Vec::new());
                print_json(&out)?;
            } else {
                print!("{}", v.describe());
            }
            if !v.ok {
                return Err(Error::Refused("verification failed".into()));
            }
        }
        Command::History { tag, json } => {
            let mut events: Vec<(Event, String)> = Vec::new();
            let mut people = HashMap::new();
            register_pg::read(c, |tx| {
                for t in logins::list_ties(tx)? {
                    people.insert(t.login, t.person);
                }
                let asset_id = match &tag {
                    Some(t) => Some(assets::find_asset(tx, t)?.asset.id),
                    None => None,
                };
                audit::for_each_stored(tx, |ev| {
                    if asset_id.is_none() || ev.row.asset_id == asset_id {
                        events.push((ev.row.to_event(), ev.actor));
                    }
                })
            })
            .pg()?;
            if json {
                let mut out = Vec::new();
                for (e, actor) in &events {
                    let mut v = serde_json::to_value(e)?;
                    v["actor"] = actor.as_str().into();
                    v["person"] = people.get(actor).map(String::as_str).into();
                    out.push(v);
                }
                print_json(&out)?;
            } else {
                let (list, by): (Vec<Event>, Vec<String>) = events.into_iter().unzip();
                print_history(&list, &|i| {
                    Some(match people.get(&by[i]) {
                        Some(person) => format!("{} ({person})", by[i]),
                        None => by[i].clone(),
                    })
                })?;
            }
        }
        _ => return Err(Error::Internal("not a trail command".to_string())),
    }
    Ok(())
}
