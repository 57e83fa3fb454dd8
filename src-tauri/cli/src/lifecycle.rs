//! The CLI's money-and-lifecycle commands: category depreciation defaults, the register's value
//! as of a date, warranties expiring soon, and offboarding a person (its steps are
//! `crate::offboarding`'s).

use std::io::Write;

use clap::Subcommand;
use register_core::licences::Seat;
use register_core::people::Person;
use register_core::renewals::{self, DueKind};
use register_core::{
    assets, depreciation, licences, people, values, Asset, Db, Error, ListQuery, Result, Source,
};

use crate::offboarding::OffboardSteps;

/// Lifecycle commands, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum LifecycleCommand {
    /// Set a category's default depreciation (creating the category if new).
    Category {
        /// The category's name.
        name: String,
        /// straight-line, declining or none.
        #[arg(long)]
        depreciation: String,
        /// Straight-line: useful life in months.
        #[arg(long)]
        life_months: Option<u32>,
        /// Straight-line: value at the end of its life (default 0).
        #[arg(long)]
        residual: Option<String>,
        /// Declining balance: yearly rate in percent, e.g. 25.
        #[arg(long)]
        rate: Option<String>,
    },
    /// The register's cost and net book value, as of today or a date.
    Value {
        /// YYYY-MM-DD (past or future).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Print JSON (with every asset's book value).
        #[arg(long)]
        json: bool,
    },
    /// Warranty ends and licence renewals within the next DAYS days (default 90), with costs.
    Expiring {
        /// How many days ahead.
        #[arg(long, default_value_t = 90)]
        within: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// What a person holds (the offboarding checklist), or return it all in one step, or take a
    /// step of their offboarding: start it, resolve what they hold, finish or cancel it.
    Offboard {
        /// The person's name.
        person: String,
        /// Return everything they hold now.
        #[arg(long, requires = "location")]
        return_all: bool,
        /// Where returned assets go.
        #[arg(long)]
        location: Option<String>,
        /// Write the printable checklist (for the leaver to sign) as a PDF.
        #[arg(long, value_name = "FILE.pdf", conflicts_with = "return_all")]
        pdf: Option<std::path::PathBuf>,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// A step of their offboarding (see `crate::offboarding`).
        #[command(flatten)]
        steps: OffboardSteps,
    },
    /// The offboardings still open: who is leaving, when, since when, what they still hold
    /// (and on a team register, who started each).
    Offboardings {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What `category` says once a category's default depreciation is set.
pub(crate) fn depreciation_set(name: &str) -> String {
    format!("{}: depreciation set", name.trim())
}

/// Runs a lifecycle command on an open register.
pub fn run(db: &Db, command: LifecycleCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        LifecycleCommand::Category {
            name,
            depreciation: method,
            life_months,
            residual,
            rate,
        } => {
            let m = depreciation::parse_method(
                &method,
                life_months,
                residual.as_deref(),
                rate.as_deref(),
            )?;
            db.write(Source::Cli, |tx| {
                depreciation::set_category_method(tx, &name, m)
            })?;
            writeln!(out, "{}", depreciation_set(&name))?;
        }
        LifecycleCommand::Value { as_of, json } => {
            let date = match as_of {
                Some(d) => values::parse_date("as_of", &d)?
                    .ok_or_else(|| Error::invalid("as_of", "give a date"))?,
                None => register_core::today(),
            };
            let v = db.read(|c| depreciation::value_register(c, date))?;
            if json {
                serde_json::to_writer_pretty(&mut out, &v)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "Value as of {} ({}): {} asset(s), cost {}, book value {}",
                    v.as_of, v.currency, v.total.count, v.total.cost, v.total.book_value
                )?;
                for (k, t) in &v.by_category {
                    writeln!(
                        out,
                        "  {k:<24} {:>5}  cost {:>14}  book value {:>14}",
                        t.count, t.cost, t.book_value
                    )?;
                }
                if v.without_cost_or_date > 0 {
                    writeln!(
                        out,
                        "  ({} asset(s) without a cost or purchase date are not counted)",
                        v.without_cost_or_date
                    )?;
                }
            }
        }
        LifecycleCommand::Expiring { within, json } => {
            let list = db.read(|c| renewals::due_within(c, register_core::today(), within))?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for i in &list {
                    let (what, who) = match i.kind {
                        DueKind::Warranty => (
                            format!(
                                "warranty  {:<12} {}",
                                i.asset_tag.as_deref().unwrap_or(""),
                                i.name
                            ),
                            i.detail.clone().unwrap_or_else(|| "unassigned".into()),
                        ),
                        DueKind::Licence => (
                            format!("licence   {}", i.name),
                            i.cost
                                .map_or("no cost recorded".to_string(), |m| m.to_string()),
                        ),
                    };
                    writeln!(out, "{}  {what}  ({who})", i.date)?;
                }
                let warranties = list.iter().filter(|i| i.kind == DueKind::Warranty).count();
                writeln!(
                    out,
                    "{warranties} warranty(ies) end and {} licence renewal(s) fall due within {within} days",
                    list.len() - warranties
                )?;
            }
        }
        LifecycleCommand::Offboardings { json } => {
            let open = db.read(register_core::offboarding::list_open)?;
            let rows: Vec<_> = open.into_iter().map(|o| (o, None)).collect();
            crate::offboarding::print_open(&mut out, &rows, json)?;
        }
        LifecycleCommand::Offboard {
            person,
            return_all,
            location,
            pdf,
            note,
            json,
            steps,
        } => {
            let step = steps.step(location.as_deref())?;
            let p = db
                .read(|c| people::find_person(c, &person))?
                .ok_or_else(|| Error::not_found("person", person.trim()))?;
            if let Some(step) = step {
                return crate::offboarding::run_step(db, &p, &step, note.as_deref(), json);
            }
            if return_all {
                let (assets, seats) = db.write(Source::Cli, |tx| {
                    people::return_everything(tx, p.id, location.as_deref(), note.as_deref())
                })?;
                writeln!(out, "{}", returned_all(assets.len(), seats.len(), &p))?;
                return Ok(());
            }
            if let Some(out_path) = pdf {
                let doc = db.read(|c| {
                    register_core::report::render_offboarding_checklist(
                        c,
                        p.id,
                        register_core::report::Paper::A4,
                    )
                })?;
                register_core::files::write_atomically(&out_path, &doc.bytes)?;
                writeln!(
                    out,
                    "Wrote {} ({} pages)",
                    out_path.display(),
                    doc.page_count
                )?;
                return Ok(());
            }
            let held = db
                .read(|c| assets::list_assets(c, &holdings_query(&p)))?
                .assets;
            let seats = db.read(|c| licences::person_seats(c, p.id))?;
            print_holdings(&mut out, &p, &held, &seats, json)?;
        }
    }
    Ok(())
}

/// What `offboard --return-all` says once everything `p` held is back.
pub(crate) fn returned_all(assets: usize, seats: usize, p: &Person) -> String {
    format!(
        "Returned {assets} asset(s) and released {seats} licence seat(s) from {}",
        p.name
    )
}

/// The assets `offboard` lists for `p`.
pub(crate) fn holdings_query(p: &Person) -> ListQuery {
    ListQuery {
        person_id: Some(p.id),
        limit: Some(1000),
        ..Default::default()
    }
}

/// What `offboard` prints: what `p` holds (the offboarding checklist), as text or JSON.
pub(crate) fn print_holdings(
    out: &mut impl Write,
    p: &Person,
    held: &[Asset],
    seats: &[Seat],
    json: bool,
) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({ "person": p, "assets": held, "licence_seats": seats }),
        )?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} holds {} asset(s) and {} licence seat(s):",
            p.name,
            held.len(),
            seats.len()
        )?;
        for a in held {
            writeln!(
                out,
                "  [ ] {:<12} {}  serial {}",
                a.asset_tag,
                a.name,
                a.serial_number.as_deref().unwrap_or("-")
            )?;
        }
        for s in seats {
            writeln!(out, "  [ ] licence seat: {}", s.product)?;
        }
    }
    Ok(())
}
