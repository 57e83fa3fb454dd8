//! The CLI's `purchase`: one receipt, several items, recorded as one transaction (the same core
//! function the window's Record purchase form uses). Every problem is listed before anything
//! is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use register_core::documents::DocumentStore;
use register_core::purchase::{self, Problem, PurchaseInput, PurchaseItem, Purchased};
use register_core::{Db, Error, Result, Source};

/// The purchase command, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum PurchaseCommand {
    /// Record one receipt's items as new assets (next free tags), the receipt attached to each.
    Purchase {
        /// Who sold it.
        #[arg(long)]
        supplier: Option<String>,
        /// The purchase date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Warranty length in months from the purchase date.
        #[arg(long, conflicts_with = "warranty_expires")]
        warranty_months: Option<u32>,
        /// Warranty end date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        warranty_expires: Option<String>,
        /// Order or invoice number, kept in each asset's history.
        #[arg(long)]
        reference: Option<String>,
        /// The receipt file to attach to every item.
        #[arg(long, value_name = "FILE")]
        receipt: Option<PathBuf>,
        /// One item: "name=…;category=…;make=…;model=…;serial=…;cost=…" (name and cost needed).
        #[arg(long = "item", value_name = "KEY=VALUE;…", required = true)]
        items: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Parses `name=Dell P2723DE;serial=CN1;cost=289.99`.
fn parse_item(n: usize, spec: &str) -> Result<PurchaseItem> {
    let mut item = PurchaseItem::default();
    for part in spec.split(';').filter(|p| !p.trim().is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            Error::invalid("item", format!("item {n}: \"{part}\" is not KEY=VALUE"))
        })?;
        let v = v.trim().to_string();
        match k.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "name" => item.name = v,
            "category" => item.category = v,
            "make" => item.make = v,
            "model" => item.model = v,
            "serial" | "serial_number" => item.serial_number = v,
            "cost" | "purchase_cost" => item.purchase_cost = v,
            other => {
                return Err(Error::invalid(
                    "item",
                    format!(
                        "item {n}: unknown key \"{other}\"; use name, category, make, model, serial, cost"
                    ),
                ))
            }
        }
    }
    Ok(item)
}

/// What the command asks for: the purchase, its receipt file, and whether to print JSON.
pub(crate) struct Asked {
    pub(crate) input: PurchaseInput,
    pub(crate) receipt: Option<PathBuf>,
    pub(crate) json: bool,
}

/// The purchase the command line describes.
pub(crate) fn asked(command: PurchaseCommand) -> Result<Asked> {
    let PurchaseCommand::Purchase {
        supplier,
        date,
        warranty_months,
        warranty_expires,
        reference,
        receipt,
        items,
        json,
    } = command;
    let input = PurchaseInput {
        supplier: supplier.unwrap_or_default(),
        purchase_date: date,
        warranty_expires: warranty_expires.unwrap_or_default(),
        warranty_months: warranty_months.map(|m| m.to_string()).unwrap_or_default(),
        reference: reference.unwrap_or_default(),
        items: items
            .iter()
            .enumerate()
            .map(|(i, s)| parse_item(i + 1, s))
            .collect::<Result<_>>()?,
    };
    Ok(Asked {
        input,
        receipt,
        json,
    })
}

/// Lists every problem on stderr and refuses, for a file and a team register alike.
pub(crate) fn refuse_problems(problems: &[Problem]) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    for p in problems {
        match p.row {
            Some(r) => eprintln!("item {}: {}: {}", r + 1, p.field, p.message),
            None => eprintln!("{}: {}", p.field, p.message),
        }
    }
    Err(Error::Refused(format!(
        "nothing recorded: {} problem(s)",
        problems.len()
    )))
}

/// Runs the command on an open register at `path`.
pub fn run(db: &Db, path: &Path, command: PurchaseCommand) -> Result<()> {
    let Asked {
        input,
        receipt,
        json,
    } = asked(command)?;
    refuse_problems(&db.read(|c| purchase::check_purchase(c, &input))?)?;
    let store = DocumentStore::for_register(path);
    let out = purchase::record_purchase_with_receipt(
        db,
        &store,
        Source::Cli,
        &input,
        receipt.as_deref(),
    )?;
    print_purchased(&out, json)
}

/// What `purchase` prints, for a file and a team register: each new asset, then what was
/// recorded; or the whole as JSON.
pub(crate) fn print_purchased(out: &Purchased, json: bool) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut stdout, &out)?;
        writeln!(stdout)?;
        return Ok(());
    }
    for a in &out.assets {
        writeln!(
            stdout,
            "{}  {}  serial {}  {}",
            a.asset_tag,
            a.name,
            a.serial_number.as_deref().unwrap_or("-"),
            a.purchase_cost.map_or("-".to_string(), |m| m.to_string())
        )?;
    }
    match &out.receipt {
        Some(r) => writeln!(
            stdout,
            "Recorded {} asset(s); {r} attached to each",
            out.assets.len()
        )?,
        None => writeln!(stdout, "Recorded {} asset(s)", out.assets.len())?,
    }
    Ok(())
}
