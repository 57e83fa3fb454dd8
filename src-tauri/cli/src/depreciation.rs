//! The CLI's per-asset depreciation command: show an asset's method, book value and yearly
//! schedule, set its own method, or make it follow its category's default again.

use std::io::Write;

use clap::Subcommand;
use register_core::{assets, depreciation, values, Db, Error, Result, Source};

/// Per-asset depreciation, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum DepreciationCommand {
    /// Show or set an asset's depreciation (overriding its category's default).
    Depreciation {
        /// The asset tag.
        tag: String,
        /// straight-line, declining or none: the asset's own method.
        #[arg(long, conflicts_with = "inherit")]
        depreciation: Option<String>,
        /// Straight-line: useful life in months.
        #[arg(long)]
        life_months: Option<u32>,
        /// Straight-line: value at the end of its life (default 0).
        #[arg(long)]
        residual: Option<String>,
        /// Declining balance: yearly rate in percent, e.g. 25.
        #[arg(long)]
        rate: Option<String>,
        /// Go back to the category's default.
        #[arg(long)]
        inherit: bool,
        /// The date the book value is for (default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the command on an open register.
pub fn run(db: &Db, command: DepreciationCommand) -> Result<()> {
    let DepreciationCommand::Depreciation {
        tag,
        depreciation: method,
        life_months,
        residual,
        rate,
        inherit,
        as_of,
        note,
        json,
    } = command;
    let id = db.read(|c| assets::find_asset(c, &tag))?.id;
    let change = match (method, inherit) {
        (Some(m), _) => Some(Some(depreciation::parse_method(
            &m,
            life_months,
            residual.as_deref(),
            rate.as_deref(),
        )?)),
        (None, true) => Some(None),
        (None, false) => {
            if life_months.is_some() || residual.is_some() || rate.is_some() {
                return Err(Error::invalid(
                    "depreciation",
                    "say which method: --depreciation straight-line, declining or none",
                ));
            }
            None
        }
    };
    if let Some(own) = change {
        db.write(Source::Cli, |tx| {
            depreciation::set_asset_method(tx, id, own, note.as_deref())
        })?;
    }
    let date = match as_of {
        Some(d) => values::parse_date("as_of", &d)?
            .ok_or_else(|| Error::invalid("as_of", "give a date"))?,
        None => register_core::today(),
    };
    let d = db.read(|c| depreciation::asset_depreciation(c, id, date))?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &d)?;
        writeln!(out)?;
        return Ok(());
    }
    let whose = match &d.own_method {
        Some(_) => "its own".to_string(),
        None => match &d.category {
            Some(c) => format!("{c} default"),
            None => "no category".to_string(),
        },
    };
    let tag = tag.trim();
    writeln!(out, "{tag}: {} ({whose})", d.effective.label)?;
    match &d.book_value {
        Some(bv) => writeln!(out, "Book value on {}: {bv}", d.as_of)?,
        None if !d.missing.is_empty() => writeln!(
            out,
            "No book value: the asset has no {}",
            d.missing.join(" and no ").replace('_', " ")
        )?,
        None => writeln!(out, "Not yet bought on {}", d.as_of)?,
    }
    for r in &d.schedule {
        writeln!(
            out,
            "  year {:>2} to {}  depreciation {:>12}  book value {:>12}",
            r.year, r.year_end, r.depreciation, r.book_value
        )?;
    }
    if d.schedule_continues {
        writeln!(out, "  … and so on")?;
    }
    Ok(())
}
