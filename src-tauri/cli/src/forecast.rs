//! The CLI's budget commands: `forecast` (renewals and replacements over 1–5 years), `budget`
//! (the per-year, per-category table as CSV or PDF) and `replacement` (the plan: lives,
//! replace-with prices, inflation). Each calls one core function.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use register_core::forecast::{self, ForecastOptions, Grouping};
use register_core::replacements::{self, CategoryPlan, Replacement};
use register_core::values::{self, Money};
use register_core::{assets, report, Db, Error, Result, Source};

/// Budget commands, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum ForecastCommand {
    /// What falls due over the next years: licence renewals, warranty ends and replacements,
    /// by month, quarter or year with subtotals, and the replacements already overdue.
    Forecast {
        /// How many years ahead (1 to 5).
        #[arg(long, default_value_t = 1)]
        years: u32,
        /// month, quarter or year.
        #[arg(long, default_value = "month")]
        by: String,
        /// The first day counted (default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Print JSON (every item; the text lists up to 10 of each kind per period).
        #[arg(long)]
        json: bool,
    },
    /// The budget table, per calendar year and category: replacements and licence renewals
    /// with their costs. CSV on standard output, or --out FILE.csv / FILE.pdf.
    Budget {
        /// How many years ahead (1 to 5).
        #[arg(long, default_value_t = 3)]
        years: u32,
        /// The first day counted (default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Write to this file: .csv for a spreadsheet, .pdf for the meeting.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Paper for the PDF: a4 or letter.
        #[arg(long, default_value = "a4")]
        paper: String,
    },
    /// The replacement plan: show it, or set a category's life and replace-with price, an
    /// asset's own life, or the yearly inflation.
    #[command(subcommand)]
    Replacement(ReplacementCommand),
}

/// `replacement …`.
#[derive(Subcommand)]
pub enum ReplacementCommand {
    /// Every category's replacement life and replace-with price, and the inflation.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set a category's replacement life and what a replacement costs today ("" clears).
    Category {
        /// The category (created if new).
        name: String,
        /// Its assets' useful life in months ("" clears).
        #[arg(long)]
        life_months: Option<String>,
        /// Today's price of a replacement, e.g. 1099.00 ("" clears).
        #[arg(long)]
        replace_with: Option<String>,
    },
    /// Give an asset its own replacement life, or make it follow its category again.
    Asset {
        /// The asset tag.
        tag: String,
        /// Its useful life in months.
        #[arg(long, conflicts_with = "inherit", required_unless_present = "inherit")]
        life_months: Option<u32>,
        /// Follow its category's life again.
        #[arg(long)]
        inherit: bool,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Set the yearly inflation applied to replacement costs, in percent (0 for none).
    Inflation {
        /// e.g. 2.5
        percent: String,
    },
}

/// `--from`, or today.
fn start(from: Option<String>) -> Result<chrono::NaiveDate> {
    match from {
        Some(d) => values::parse_date("from", &d)?
            .ok_or_else(|| Error::invalid("from", "--from needs a date")),
        None => Ok(register_core::today()),
    }
}

fn money(m: Money, currency: &str) -> String {
    format!("{} {currency}", m.grouped())
}

fn replacement_line(out: &mut impl Write, r: &Replacement, currency: &str) -> Result<()> {
    let cost = match r.cost {
        Some(c) => format!(
            "{} ({}{})",
            money(c, currency),
            r.basis.label(),
            if r.inflated { ", with inflation" } else { "" }
        ),
        None => "no cost known".into(),
    };
    writeln!(
        out,
        "    {}  replace {} {} ({}; bought {}, {} months): {cost}",
        r.due,
        r.asset_tag,
        r.name,
        r.category.as_deref().unwrap_or("no category"),
        r.purchase_date,
        r.life_months
    )?;
    Ok(())
}

/// Runs a budget command on an open register.
pub fn run(db: &Db, command: ForecastCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        ForecastCommand::Forecast {
            years,
            by,
            from,
            json,
        } => {
            let opts = ForecastOptions {
                from: start(from)?,
                years,
                grouping: Grouping::parse(&by)?,
                items_per_period: if json { None } else { Some(10) },
            };
            let f = db.read(|c| forecast::forecast(c, &opts))?;
            if json {
                serde_json::to_writer_pretty(&mut out, &f)?;
                writeln!(out)?;
                return Ok(());
            }
            let cur = &f.currency;
            writeln!(out, "Forecast from {} to {} ({cur})", f.from, f.until)?;
            if f.overdue_count > 0 {
                writeln!(
                    out,
                    "Overdue: {} asset(s) past their life, {} to replace",
                    f.overdue_count,
                    money(f.overdue_cost, cur)
                )?;
                for r in &f.overdue {
                    replacement_line(&mut out, r, cur)?;
                }
            }
            for p in &f.periods {
                if p.renewal_count + p.replacement_count == 0 {
                    continue;
                }
                writeln!(
                    out,
                    "{} ({} to {}): {} — renewals {}, replacements {}",
                    p.key,
                    p.start,
                    p.end,
                    money(p.total, cur),
                    money(p.renewal_cost, cur),
                    money(p.replacement_cost, cur)
                )?;
                for i in &p.renewals {
                    let what = match (&i.asset_tag, i.cost) {
                        (Some(tag), _) => format!("warranty ends {tag} {}", i.name),
                        (None, Some(c)) => format!("renews {}: {}", i.name, money(c, cur)),
                        (None, None) => format!("renews {}", i.name),
                    };
                    writeln!(out, "    {}  {what}", i.date)?;
                }
                for r in &p.replacements {
                    replacement_line(&mut out, r, cur)?;
                }
                let more = (p.renewal_count - p.renewals.len())
                    + (p.replacement_count - p.replacements.len());
                if more > 0 {
                    writeln!(out, "    … and {more} more (--json lists all)")?;
                }
            }
            writeln!(
                out,
                "Total: {} (renewals {}, replacements {}; inflation {} %)",
                money(f.total, cur),
                money(f.renewal_cost, cur),
                money(f.replacement_cost, cur),
                f.inflation_percent
            )?;
            let u = f.unplanned;
            if u.no_life + u.no_purchase_date > 0 {
                writeln!(
                    out,
                    "Not planned: {} asset(s) with no replacement life (set one per category: \
                     replacement category NAME --life-months N), {} with no purchase date",
                    u.no_life, u.no_purchase_date
                )?;
            }
        }
        ForecastCommand::Budget {
            years,
            from,
            out: target,
            paper,
        } => {
            let from = start(from)?;
            let is_pdf = target
                .as_ref()
                .and_then(|p| p.extension())
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
            if is_pdf {
                let target = target.expect("checked above");
                let paper = report::Paper::parse(&paper)?;
                let pdf = db.read_detached(|c| report::render_budget(c, from, years, paper))?;
                register_core::files::write_atomically(&target, &pdf.bytes)?;
                writeln!(
                    out,
                    "Wrote {} ({} page(s))",
                    target.display(),
                    pdf.page_count
                )?;
            } else {
                let b = db.read(|c| forecast::budget(c, from, years))?;
                match target {
                    Some(t) => {
                        let mut buf = Vec::new();
                        forecast::write_budget_csv(&mut buf, &b)?;
                        register_core::files::write_atomically(&t, &buf)?;
                        writeln!(out, "Wrote {}", t.display())?;
                    }
                    None => forecast::write_budget_csv(&mut out, &b)?,
                }
            }
        }
        ForecastCommand::Replacement(r) => run_plan(db, r, &mut out)?,
    }
    Ok(())
}

/// "" clears; anything else must be a whole number of months.
fn parse_life(s: &str) -> Result<Option<u32>> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| Error::invalid("life_months", "give the life in whole months, e.g. 48"))
}

/// What `replacement category` sets: the life and price given (`""` clears one), the
/// category's `current` plan for those not given (a file's and a team register's alike).
pub(crate) fn category_plan(
    life_months: Option<String>,
    replace_with: Option<String>,
    current: Option<&CategoryPlan>,
) -> Result<(Option<u32>, Option<Money>)> {
    let life = match life_months {
        Some(s) => parse_life(&s)?,
        None => current.and_then(|c| c.life_months),
    };
    let price = match replace_with {
        Some(s) => Money::parse("replace_with", &s)?,
        None => current.and_then(|c| c.replace_with),
    };
    Ok((life, price))
}

/// What `replacement category` says once saved.
pub(crate) fn plan_saved(name: &str) -> String {
    format!("Replacement plan for {} saved", name.trim())
}

fn run_plan(db: &Db, command: ReplacementCommand, out: &mut impl Write) -> Result<()> {
    match command {
        ReplacementCommand::Show { json } => {
            let plan = db.read(replacements::plan)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &plan)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(out, "Inflation: {} % a year", plan.inflation_percent)?;
            for c in &plan.categories {
                let life = match (c.life_months, c.depreciation_months) {
                    (Some(l), _) => format!("{l} months"),
                    (None, Some(d)) => format!("{d} months (its depreciation life)"),
                    (None, None) => "no life set".into(),
                };
                let price = c
                    .replace_with
                    .map(|p| format!("replace with {}", p.grouped()))
                    .unwrap_or_else(|| "replace at purchase cost".into());
                writeln!(
                    out,
                    "{}: {life}, {price} ({} live asset(s))",
                    c.name, c.asset_count
                )?;
            }
        }
        ReplacementCommand::Category {
            name,
            life_months,
            replace_with,
        } => {
            let current = db
                .read(replacements::plan)?
                .categories
                .into_iter()
                .find(|c| c.name.eq_ignore_ascii_case(name.trim()));
            let (life, price) = category_plan(life_months, replace_with, current.as_ref())?;
            db.write(Source::Cli, |tx| {
                replacements::set_category_plan(tx, &name, life, price)
            })?;
            writeln!(out, "{}", plan_saved(&name))?;
        }
        ReplacementCommand::Asset {
            tag,
            life_months,
            inherit,
            note,
        } => {
            let id = db.read(|c| assets::find_asset(c, &tag))?.id;
            let life = if inherit { None } else { life_months };
            db.write(Source::Cli, |tx| {
                replacements::set_asset_life(tx, id, life, note.as_deref())
            })?;
            match life {
                Some(l) => writeln!(out, "{} is replaced after {l} months", tag.trim())?,
                None => writeln!(out, "{} follows its category's life", tag.trim())?,
            }
        }
        ReplacementCommand::Inflation { percent } => {
            db.write(Source::Cli, |tx| replacements::set_inflation(tx, &percent))?;
            let now = db.read(replacements::plan_inflation_text)?;
            writeln!(out, "Replacement costs rise {now} % a year")?;
        }
    }
    Ok(())
}
