//! `offboard` on a team register: what a person holds (the offboarding checklist, as text or
//! JSON), `--return-all`, and the steps of an offboarding (`--start`, `--resolve`,
//! `--resolve-seat`, `--finish`, `--cancel`) and `offboardings` (which also says who started
//! each), each printing what the file's command prints
//! (`crate::lifecycle`, `crate::offboarding`). The printable checklist (`--pdf`) is drawn from a register file only
//! so far, and is refused here before anything is read.

use register_core::offboarding::{Checklist, ItemKind};
use register_core::people::Person;
use register_core::{Error, Result};
use register_pg::{assets, licences, offboarding, people, Client};

use super::{say, write, Pg};
use crate::lifecycle::{holdings_query, print_holdings, returned_all, LifecycleCommand};
use crate::offboarding::{print_checklist, print_open, Step};

/// Whether `command` works on a team register so far: `offboard` without `--pdf`, and
/// `offboardings`.
pub fn works_on_team(command: &LifecycleCommand) -> bool {
    matches!(
        command,
        LifecycleCommand::Offboard { pdf: None, .. } | LifecycleCommand::Offboardings { .. }
    )
}

/// Why `offboard --pdf` is refused on a team register.
pub const NO_PDF: &str = "`offboard --pdf` works on a register file only so far, not on a team \
     register: print the checklist with `offboard PERSON` (or `--json`) instead; nothing was \
     changed";

/// Runs `offboard` (which [`works_on_team`]) on the connected team register.
pub fn run(c: &mut Client, command: LifecycleCommand) -> Result<()> {
    if let LifecycleCommand::Offboardings { json } = command {
        let open: Vec<_> = offboarding::list_open(c)
            .pg()?
            .into_iter()
            .map(|o| {
                let by = o.starter();
                (o.open, Some(by))
            })
            .collect();
        return print_open(&mut std::io::stdout().lock(), &open, json);
    }
    let LifecycleCommand::Offboard {
        person,
        return_all,
        location,
        pdf: None,
        note,
        json,
        steps,
    } = command
    else {
        return Err(Error::Refused(NO_PDF.to_string()));
    };
    let step = steps.step(location.as_deref())?;
    let p = people::find_person(c, &person)
        .pg()?
        .ok_or_else(|| Error::not_found("person", person.trim()))?
        .person;
    if let Some(step) = step {
        let checklist = write(c, |tx| run_step(tx, &p, &step, note.as_deref()))?;
        return print_checklist(&mut std::io::stdout().lock(), &checklist, json);
    }
    if return_all {
        let (assets, seats) = write(c, |tx| {
            offboarding::return_everything(tx, p.id, location.as_deref(), note.as_deref())
        })?;
        return say(returned_all(assets.len(), seats.len(), &p));
    }
    // One snapshot: the assets and the seats as they were at one moment.
    let (held, seats) = register_pg::read(c, |tx| {
        let held = assets::list_assets(tx, &holdings_query(&p))?.assets;
        Ok((held, licences::person_seats(tx, p.id)?))
    })
    .pg()?;
    print_holdings(&mut std::io::stdout().lock(), &p, &held, &seats, json)
}

/// `step` of `p`'s offboarding in the caller's transaction; the checklist after it.
fn run_step(
    tx: &mut register_pg::Tx<'_>,
    p: &Person,
    step: &Step,
    note: Option<&str>,
) -> register_pg::Result<Checklist> {
    match step {
        Step::Start(on) => offboarding::start_offboarding(tx, p.id, *on, note),
        Step::Resolve {
            kind,
            key,
            resolution,
        } => {
            let id = match kind {
                ItemKind::Asset => assets::find_asset(tx.client(), key)?.asset.id,
                ItemKind::Seat => licences::find_licence(tx.client(), key)?.licence.id,
            };
            offboarding::resolve_item(tx, p.id, *kind, id, resolution, note)
        }
        Step::Finish => offboarding::finish_offboarding(tx, p.id, note),
        Step::Cancel => offboarding::cancel_offboarding(tx, p.id, note),
    }
}
