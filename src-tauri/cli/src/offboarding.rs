//! The steps of an offboarding from the command line: `offboard PERSON --start DATE`,
//! `--resolve TAG` / `--resolve-seat LICENCE` (returned, `--to` someone, or `--missing`),
//! `--finish` and `--cancel`. Owns the flags ([`OffboardSteps`]), the step they ask for
//! ([`Step`]) and the checklist each step prints ([`print_checklist`]), the same for a file and
//! a team register, and the list of open offboardings `offboardings` prints ([`print_open`]); the file's steps run here, the team register's in `team::offboarding`.

use std::io::Write;

use chrono::NaiveDate;
use clap::Args;
use register_core::offboarding::{self, Checklist, ItemKind, OpenOffboarding, Resolution};
use register_core::people::Person;
use register_core::{assets, licences, values, Db, Error, Result, Source};

/// `offboard`'s step flags (at most one step per run; none prints what the person holds).
#[derive(Args, Clone, Default)]
pub struct OffboardSteps {
    /// Start offboarding them: they leave on this date (marked as left when it is finished).
    #[arg(long, value_name = "YYYY-MM-DD",
          conflicts_with_all = ["return_all", "pdf", "resolve", "resolve_seat", "finish", "cancel"])]
    pub start: Option<String>,
    /// Resolve an asset they hold, by tag: returned (to --location when given), given --to
    /// someone, or --missing (say what is known in --note).
    #[arg(long, value_name = "TAG",
          conflicts_with_all = ["return_all", "pdf", "resolve_seat", "finish", "cancel"])]
    pub resolve: Option<String>,
    /// Resolve their seat of a licence (by product or #id): released, or given --to someone.
    #[arg(long, value_name = "LICENCE",
          conflicts_with_all = ["return_all", "pdf", "finish", "cancel"])]
    pub resolve_seat: Option<String>,
    /// With --resolve or --resolve-seat: who it goes to (added if new).
    #[arg(long, value_name = "NAME", conflicts_with = "missing")]
    pub to: Option<String>,
    /// With --resolve: the asset was not returned and becomes Lost/Stolen (needs a --note).
    #[arg(long)]
    pub missing: bool,
    /// Finish the offboarding: they are marked as left on the leaving date (refused while they
    /// still hold anything).
    #[arg(long, conflicts_with_all = ["return_all", "pdf", "cancel"])]
    pub finish: bool,
    /// Cancel the open offboarding (what was resolved stays resolved).
    #[arg(long, conflicts_with_all = ["return_all", "pdf"])]
    pub cancel: bool,
}

/// One step of an offboarding.
pub enum Step {
    /// Start it, leaving on the date.
    Start(NaiveDate),
    /// Resolve the asset (by tag) or the seat (by licence) `key`.
    Resolve {
        /// Asset or seat.
        kind: ItemKind,
        /// The asset's tag, or the licence's product or #id.
        key: String,
        /// What becomes of it.
        resolution: Resolution,
    },
    /// Finish it.
    Finish,
    /// Cancel it.
    Cancel,
}

impl OffboardSteps {
    /// The step these flags ask for (`location`: `--location`, where a returned asset goes);
    /// `None` when they ask for none.
    pub fn step(&self, location: Option<&str>) -> Result<Option<Step>> {
        let resolving = self.resolve.is_some() || self.resolve_seat.is_some();
        if (self.to.is_some() || self.missing) && !resolving {
            return Err(Error::invalid(
                if self.missing { "missing" } else { "to" },
                "--to and --missing go with --resolve or --resolve-seat",
            ));
        }
        if let Some(on) = &self.start {
            let on = values::parse_date("start", on)?
                .ok_or_else(|| Error::invalid("start", "give the leaving date"))?;
            return Ok(Some(Step::Start(on)));
        }
        let resolution = if self.missing {
            Resolution::Missing
        } else if let Some(to) = &self.to {
            Resolution::Reassigned { to: to.clone() }
        } else {
            Resolution::Returned {
                location: location.map(str::to_string),
            }
        };
        let item = match (&self.resolve, &self.resolve_seat) {
            (Some(tag), _) => Some((ItemKind::Asset, tag)),
            (None, Some(licence)) => Some((ItemKind::Seat, licence)),
            (None, None) => None,
        };
        Ok(if let Some((kind, key)) = item {
            Some(Step::Resolve {
                kind,
                key: key.clone(),
                resolution,
            })
        } else if self.finish {
            Some(Step::Finish)
        } else if self.cancel {
            Some(Step::Cancel)
        } else {
            None
        })
    }
}

/// Runs `step` of `p`'s offboarding on the register file, and prints the checklist after it.
pub fn run_step(db: &Db, p: &Person, step: &Step, note: Option<&str>, json: bool) -> Result<()> {
    let checklist = db.write(Source::Cli, |tx| match step {
        Step::Start(on) => offboarding::start_offboarding(tx, p.id, *on, note),
        Step::Resolve {
            kind,
            key,
            resolution,
        } => {
            let id = match kind {
                ItemKind::Asset => assets::find_asset(tx.conn(), key)?.id,
                ItemKind::Seat => licences::find_licence(tx.conn(), key)?.id,
            };
            offboarding::resolve_item(tx, p.id, *kind, id, resolution, note)
        }
        Step::Finish => offboarding::finish_offboarding(tx, p.id, note),
        Step::Cancel => offboarding::cancel_offboarding(tx, p.id, note),
    })?;
    print_checklist(&mut std::io::stdout().lock(), &checklist, json)
}

/// What a step prints: the person's checklist, as JSON or as lines ("[ ]" still held, "[x]"
/// resolved, with how and where it went).
pub fn print_checklist(out: &mut impl Write, c: &Checklist, json: bool) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, c)?;
        writeln!(out)?;
        return Ok(());
    }
    let p = &c.person;
    let state = match (&c.offboarding, &p.left_on) {
        (None, _) => "no offboarding".to_string(),
        (Some(o), _) if o.finished_at.is_none() => {
            format!("offboarding open, leaving on {}", o.leaving_on)
        }
        (Some(_), Some(on)) => format!("offboarded, left on {on}"),
        (Some(_), None) => "offboarding cancelled".to_string(),
    };
    writeln!(
        out,
        "{}: {state}; {} of {} item(s) still held",
        p.name,
        c.unresolved,
        c.items.len()
    )?;
    for i in &c.items {
        match i.outcome {
            None => writeln!(
                out,
                "  [ ] {}  {}",
                i.label,
                i.detail.as_deref().unwrap_or("-")
            )?,
            Some(o) => writeln!(
                out,
                "  [x] {}  {}: {}",
                i.label,
                o.as_str(),
                i.resolution.as_deref().unwrap_or("-")
            )?,
        }
    }
    Ok(())
}

/// What `offboardings` prints: each open offboarding, with who started it when the store
/// knows (a team register: "Alice Smith (alice)"; a file keeps no logins), as lines or JSON.
pub fn print_open(
    out: &mut impl Write,
    open: &[(OpenOffboarding, Option<String>)],
    json: bool,
) -> Result<()> {
    if json {
        let list: Vec<serde_json::Value> = open
            .iter()
            .map(|(o, by)| {
                let mut v = serde_json::to_value(o)?;
                if let Some(by) = by {
                    v["started_by"] = serde_json::Value::from(by.as_str());
                }
                Ok(v)
            })
            .collect::<serde_json::Result<_>>()?;
        serde_json::to_writer_pretty(&mut *out, &list)?;
        writeln!(out)?;
        return Ok(());
    }
    for (o, by) in open {
        // The stored time to the minute, as people read it.
        let since = o
            .started_at
            .get(..16)
            .unwrap_or(&o.started_at)
            .replace('T', " ");
        write!(
            out,
            "{:<24} leaving on {}  open since {since} UTC  {} item(s) still held",
            o.person, o.leaving_on, o.held
        )?;
        match by {
            Some(by) => writeln!(out, "  started by {by}")?,
            None => writeln!(out)?,
        }
    }
    writeln!(out, "{} offboarding(s) open", open.len())?;
    Ok(())
}
