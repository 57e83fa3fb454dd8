//! The CLI's `stocktake` commands: start one, scan tags (as arguments or one per line on
//! standard input), see where it stands, finish it and write its report. Each calls one core
//! function; without --id they work on the open stocktake.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::Subcommand;
use register_core::stocktake::{self, FinishInput, Outcome, Stocktake, StocktakeInput};
use register_core::{files, report, values, Db, Error, Result, Source};

/// `stocktake …`, a group of its own.
#[derive(Subcommand)]
pub enum StocktakeCommand {
    /// Start a stocktake of some locations (or everything) and list what is expected.
    Start {
        /// Its name, e.g. "Q3 check, 2nd floor".
        #[arg(long)]
        name: String,
        /// Who is counting.
        #[arg(long = "by")]
        counted_by: String,
        /// The day it is for (default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// A location to check (repeat for several); none checks everything.
        #[arg(long = "location")]
        locations: Vec<String>,
    },
    /// Record scanned tags (arguments, or one per line on standard input with `-`).
    Scan {
        /// The tags scanned; `-` reads them from standard input.
        #[arg(required = true)]
        tags: Vec<String>,
        /// The room they were found in (one of the stocktake's locations).
        #[arg(long)]
        room: Option<String>,
        /// Move assets found elsewhere to the room they were found in.
        #[arg(long = "move")]
        move_here: bool,
        /// The stocktake (default: the open one).
        #[arg(long)]
        id: Option<i64>,
    },
    /// Counts so far, and the items with an outcome (--list not-seen, found, elsewhere…).
    Status {
        /// The stocktake (default: the open one, else the last).
        #[arg(long)]
        id: Option<i64>,
        /// List the items with this outcome: not-seen, found, elsewhere, unexpected, missing.
        #[arg(long)]
        list: Option<String>,
        /// Print JSON (the stocktake, and its items with --list).
        #[arg(long)]
        json: bool,
    },
    /// Finish: what was not seen becomes missing; optionally mark it Lost/Stolen.
    Finish {
        /// Mark every unseen asset Lost/Stolen.
        #[arg(long, conflicts_with = "lost")]
        lost_all: bool,
        /// Mark these unseen tags Lost/Stolen (comma-separated or repeated).
        #[arg(long, value_delimiter = ',')]
        lost: Vec<String>,
        /// A note for each missing asset's history.
        #[arg(long)]
        note: Option<String>,
        /// The stocktake (default: the open one).
        #[arg(long)]
        id: Option<i64>,
    },
    /// Call off the open stocktake: nothing unseen becomes missing.
    Cancel {
        /// Why (kept in the audit trail).
        #[arg(long)]
        reason: Option<String>,
        /// The stocktake (default: the open one).
        #[arg(long)]
        id: Option<i64>,
    },
    /// Write the stocktake report PDF for the auditor.
    Report {
        /// The PDF to write.
        #[arg(long)]
        out: PathBuf,
        /// The stocktake (default: the open one, else the last).
        #[arg(long)]
        id: Option<i64>,
        /// a4 or letter.
        #[arg(long, default_value = "a4")]
        paper: String,
    },
}

/// The stocktake meant: `--id`, else the open one, else (when `or_last`) the newest.
fn which(db: &Db, id: Option<i64>, or_last: bool) -> Result<Stocktake> {
    if let Some(id) = id {
        return db.read(|c| stocktake::get_stocktake(c, id));
    }
    if let Some(open) = db.read(stocktake::open_stocktake)? {
        return Ok(open);
    }
    if or_last {
        if let Some(last) = db.read(stocktake::list_stocktakes)?.into_iter().next() {
            return Ok(last);
        }
    }
    Err(Error::Refused(
        "no stocktake is open: start one with `stocktake start`".into(),
    ))
}

/// The two lines that say where a stocktake stands (a team register's prints the same).
pub(crate) fn summary(out: &mut impl Write, st: &Stocktake) -> Result<()> {
    let c = st.counts;
    writeln!(
        out,
        "Stocktake #{} “{}” ({}), {} by {}: {}",
        st.id,
        st.name,
        stocktake::scope_text(st),
        st.on_date,
        st.counted_by,
        match (&st.finished_at, st.cancelled) {
            (None, _) => "open",
            (Some(_), true) => "cancelled",
            (Some(_), false) => "finished",
        }
    )?;
    writeln!(
        out,
        "  expected {}, found {}, elsewhere {} (moved {}), unexpected {} (unknown {}), not yet seen {}, missing {} (Lost/Stolen {})",
        c.expected, c.found, c.elsewhere, c.moved, c.unexpected, c.unknown, c.not_seen, c.missing, c.marked_lost
    )?;
    Ok(())
}

/// The line a scan prints: the tag and what it was (a team register's prints the same).
pub(crate) fn scanned(out: &mut impl Write, s: &stocktake::Scan) -> Result<()> {
    let i = &s.item;
    let what = match (i.outcome, s.repeat) {
        (_, true) => "already scanned".to_string(),
        (Outcome::Found, _) => "found".to_string(),
        (Outcome::Elsewhere, _) => format!(
            "found elsewhere (the register has it {}){}",
            i.expected_location
                .as_deref()
                .map_or("nowhere".into(), |l| {
                    if l.starts_with("with ") {
                        l.to_string()
                    } else {
                        format!("at {l}")
                    }
                }),
            if i.moved {
                format!("; moved to {}", i.seen_location.as_deref().unwrap_or("-"))
            } else {
                String::new()
            }
        ),
        (Outcome::Unexpected, _) => {
            format!("unexpected: {}", i.note.as_deref().unwrap_or("-"))
        }
        (o, _) => format!("{o:?}"),
    };
    writeln!(out, "{}: {what}", i.tag)?;
    Ok(())
}

/// Reads the tags of `stocktake scan`: the arguments, and for `-` standard input's lines.
pub(crate) fn read_tags(tags: Vec<String>) -> Result<Vec<String>> {
    let mut all = Vec::new();
    for t in tags {
        if t == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line?;
                if !line.trim().is_empty() {
                    all.push(line.trim().to_string());
                }
            }
        } else {
            all.push(t);
        }
    }
    Ok(all)
}

/// The items to print with `status --list` (a team register's prints the same).
pub(crate) fn print_status(
    out: &mut impl Write,
    st: &Stocktake,
    items: Option<Vec<stocktake::Item>>,
    json: bool,
) -> Result<()> {
    if json {
        let v = serde_json::json!({ "stocktake": st, "items": items });
        serde_json::to_writer_pretty(&mut *out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    summary(out, st)?;
    for i in items.unwrap_or_default() {
        writeln!(
            out,
            "{:<12} {:<32} {}",
            i.tag,
            i.name.unwrap_or_default(),
            i.expected_location.unwrap_or_default()
        )?;
    }
    Ok(())
}

/// The day `--date` gives, if any.
pub(crate) fn on_date(date: Option<String>) -> Result<Option<chrono::NaiveDate>> {
    date.map(|d| {
        values::parse_date("on_date", &d)?
            .ok_or_else(|| Error::invalid("on_date", "--date needs a date"))
    })
    .transpose()
}

/// The ids of the unseen items tagged `lost` (refused for a tag that is not one).
pub(crate) fn lost_ids(unseen: &[stocktake::Item], lost: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for t in lost.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let item = unseen
            .iter()
            .find(|i| i.tag.eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                Error::invalid(
                    "lost",
                    format!("{t} is not an unseen item of this stocktake"),
                )
            })?;
        ids.push(item.id);
    }
    Ok(ids)
}

/// Runs the command on an open register.
pub fn run(db: &Db, command: StocktakeCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        StocktakeCommand::Start {
            name,
            counted_by,
            date,
            locations,
        } => {
            let on_date = on_date(date)?;
            let st = db.write(Source::Cli, |tx| {
                stocktake::start_stocktake(
                    tx,
                    &StocktakeInput {
                        name,
                        on_date,
                        counted_by,
                        locations,
                    },
                )
            })?;
            summary(&mut out, &st)?;
        }
        StocktakeCommand::Scan {
            tags,
            room,
            move_here,
            id,
        } => {
            let st = which(db, id, false)?;
            for tag in read_tags(tags)? {
                // Each scan commits on its own, as the window's do: a bad tag later in the
                // list does not undo the good ones before it.
                let s = db.write(Source::Cli, |tx| {
                    let mut s = stocktake::scan(tx, st.id, &tag, room.as_deref())?;
                    if move_here && s.move_to.is_some() && !s.repeat {
                        s.item = stocktake::move_here(tx, st.id, s.item.id)?;
                    }
                    Ok(s)
                });
                let s = match s {
                    Ok(s) => s,
                    Err(e) => {
                        writeln!(out, "{tag}: not recorded: {e}")?;
                        continue;
                    }
                };
                scanned(&mut out, &s)?;
            }
            summary(&mut out, &which(db, Some(st.id), false)?)?;
        }
        StocktakeCommand::Status { id, list, json } => {
            let st = which(db, id, true)?;
            let outcome = list.as_deref().map(Outcome::parse_user).transpose()?;
            let items = match outcome {
                Some(o) => Some(db.read(|c| stocktake::list_items(c, st.id, Some(o)))?),
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
            let st = which(db, id, false)?;
            let unseen = db.read(|c| stocktake::list_items(c, st.id, Some(Outcome::NotSeen)))?;
            let ids = lost_ids(&unseen, &lost)?;
            let done = db.write(Source::Cli, |tx| {
                stocktake::finish_stocktake(
                    tx,
                    st.id,
                    &FinishInput {
                        lost_all,
                        lost: ids,
                        note,
                    },
                )
            })?;
            summary(&mut out, &done)?;
        }
        StocktakeCommand::Cancel { reason, id } => {
            let st = which(db, id, false)?;
            let done = db.write(Source::Cli, |tx| {
                stocktake::cancel_stocktake(tx, st.id, reason.as_deref())
            })?;
            summary(&mut out, &done)?;
        }
        StocktakeCommand::Report {
            out: path,
            id,
            paper,
        } => {
            files::target_folder(&path)?;
            let paper = report::Paper::parse(&paper)?;
            let st = which(db, id, true)?;
            let pdf = db.read(|c| report::render_stocktake_report(c, st.id, paper))?;
            files::write_atomically(&path, &pdf.bytes)?;
            writeln!(out, "Wrote {} ({} pages)", path.display(), pdf.page_count)?;
        }
    }
    Ok(())
}
