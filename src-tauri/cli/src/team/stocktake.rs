//! The `stocktake` commands on a team register: `start`, `scan`, `status`, `finish` and
//! `cancel`, each calling `register_pg::stocktake` and printing what the file's commands print
//! (`crate::stocktake`). Several people may scan into the same stocktake from their own
//! clients; each scan commits on its own, as the file's do. The report PDF is still file-only
//! ([`works_on_team`]).

use register_core::stocktake::{FinishInput, Outcome, Stocktake, StocktakeInput};
use register_core::{Error, Result};
use register_pg::{stocktake, Client};

use super::{write, Pg};
use crate::stocktake::{
    lost_ids, on_date, print_status, read_tags, scanned, summary, StocktakeCommand,
};

/// Whether `command` works on a team register so far (the report PDF does not).
pub fn works_on_team(command: &StocktakeCommand) -> bool {
    !matches!(command, StocktakeCommand::Report { .. })
}

/// The stocktake meant, as the file's commands choose it: `--id`, else the open one, else
/// (when `or_last`) the newest.
fn which(c: &mut Client, id: Option<i64>, or_last: bool) -> Result<Stocktake> {
    if let Some(id) = id {
        return stocktake::get_stocktake(c, id).pg();
    }
    if let Some(open) = stocktake::open_stocktake(c).pg()? {
        return Ok(open);
    }
    if or_last {
        if let Some(last) = stocktake::list_stocktakes(c).pg()?.into_iter().next() {
            return Ok(last);
        }
    }
    Err(Error::Refused(
        "no stocktake is open: start one with `stocktake start`".into(),
    ))
}

/// Runs a stocktake command that [`works_on_team`] on the connected team register.
pub fn run(c: &mut Client, command: StocktakeCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        StocktakeCommand::Start {
            name,
            counted_by,
            date,
            locations,
        } => {
            let input = StocktakeInput {
                name,
                on_date: on_date(date)?,
                counted_by,
                locations,
            };
            let st = write(c, |tx| stocktake::start_stocktake(tx, &input))?;
            summary(&mut out, &st)?;
        }
        StocktakeCommand::Scan {
            tags,
            room,
            move_here,
            id,
        } => {
            let st = which(c, id, false)?;
            for tag in read_tags(tags)? {
                let s = write(c, |tx| {
                    let mut s = stocktake::scan(tx, st.id, &tag, room.as_deref())?;
                    if move_here && s.move_to.is_some() && !s.repeat {
                        s.item = stocktake::move_here(tx, st.id, s.item.id)?;
                    }
                    Ok(s)
                });
                match s {
                    Ok(s) => scanned(&mut out, &s)?,
                    Err(e) => {
                        use std::io::Write;
                        writeln!(out, "{tag}: not recorded: {e}")?;
                    }
                }
            }
            summary(&mut out, &which(c, Some(st.id), false)?)?;
        }
        StocktakeCommand::Status { id, list, json } => {
            let st = which(c, id, true)?;
            let outcome = list.as_deref().map(Outcome::parse_user).transpose()?;
            let items = match outcome {
                Some(o) => Some(stocktake::list_items(c, st.id, Some(o)).pg()?),
                None => None,
            };
            print_status(&mut out, &st, items, json)?;
        }
        StocktakeCommand::Finish {
            lost_all,
            lost,
            note,
            id,
        } => {
            let st = which(c, id, false)?;
            let unseen = stocktake::list_items(c, st.id, Some(Outcome::NotSeen)).pg()?;
            let input = FinishInput {
                lost_all,
                lost: lost_ids(&unseen, &lost)?,
                note,
            };
            let done = write(c, |tx| stocktake::finish_stocktake(tx, st.id, &input))?;
            summary(&mut out, &done)?;
        }
        StocktakeCommand::Cancel { reason, id } => {
            let st = which(c, id, false)?;
            let done = write(c, |tx| {
                stocktake::cancel_stocktake(tx, st.id, reason.as_deref())
            })?;
            summary(&mut out, &done)?;
        }
        StocktakeCommand::Report { .. } => {
            return Err(Error::Internal("not a team stocktake command".to_string()))
        }
    }
    Ok(())
}
