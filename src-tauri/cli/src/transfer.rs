//! The CLI's import and export commands: import of a CSV file or a workbook (with a dry run that writes nothing), undo of an import,
//! the list of past imports, and export to CSV or JSON. Each calls the core's import/export.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use register_core::import::{
    self, DateOrder, ImportOptions, ImportRecord, ImportSummary, OnDuplicate, Parsed, Plan,
    ReadOptions, TextEncoding, UndoSummary,
};
use register_core::{export, files, Db, Error, Result, Source};

/// What to do with a row whose tag or serial is already in the register.
#[derive(Clone, Copy, ValueEnum)]
pub enum Dup {
    /// Leave the existing asset as it is.
    Skip,
    /// Update the existing asset's fields from the row.
    Update,
    /// Treat the row as an error.
    Fail,
}

/// The order of day and month in ambiguous dates.
#[derive(Clone, Copy, ValueEnum)]
pub enum Order {
    /// Day first (03/04/2024 is 3 April).
    Dmy,
    /// Month first (03/04/2024 is 4 March).
    Mdy,
}

/// Export format.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// CSV that `import` reads back.
    Csv,
    /// A JSON array of assets.
    Json,
}

/// CSV commands, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum TransferCommand {
    /// Import assets from a CSV file or a workbook (all or nothing; see --dry-run).
    Import {
        /// The CSV file (UTF-8, UTF-16 or Windows-1252; , ; tab or | separated), or an Excel
        /// (.xlsx, .xlsm, .xls) or OpenDocument (.ods) workbook.
        file: PathBuf,
        /// The workbook's sheet to read (default: the first one with anything in it).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// The CSV's encoding (windows-1250, ISO-8859-2, UTF-8…) when the detected one is wrong.
        #[arg(long, value_name = "LABEL")]
        encoding: Option<String>,
        /// When no column is the asset tag, make tags from this prefix and the next free
        /// numbers: "IT-" gives IT-0001, IT-0002, …
        #[arg(long, value_name = "PREFIX")]
        generate_tags: Option<String>,
        /// Show what would happen and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Map a column to a field: "Serial No.=serial_number" (or =ignore). Repeatable.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// Keep a column that no field takes in the notes, as "COLUMN: value". Repeatable.
        #[arg(long = "keep-in-notes", value_name = "COLUMN")]
        keep_in_notes: Vec<String>,
        /// What to do with a row whose tag or serial is already in the register.
        #[arg(long, value_enum, default_value = "skip")]
        on_duplicate: Dup,
        /// Import the valid rows and leave out the invalid ones (listed).
        #[arg(long)]
        skip_invalid: bool,
        /// How to read dates like 03/04/2024 when the file does not make it clear.
        #[arg(long, value_enum)]
        date_order: Option<Order>,
        /// Print JSON (the plan with --dry-run, else the summary).
        #[arg(long)]
        json: bool,
    },
    /// List past imports.
    Imports {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Undo an import as one audited step (see `imports` for ids).
    UndoImport {
        /// The import's id.
        id: i64,
    },
    /// Export the register (CSV that `import` reads back, or JSON).
    Export {
        /// csv or json.
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Start the CSV with a byte-order mark (helps some spreadsheets detect UTF-8).
        #[arg(long)]
        bom: bool,
        /// Include archived assets.
        #[arg(long)]
        include_archived: bool,
    },
}

/// Where the import commands read and write: a register file, or a team register
/// (`team::imports`). The commands print the same for both.
pub trait ImportStore {
    /// What every row would do, writing nothing.
    fn preview(&mut self, parsed: &Parsed, opts: &ImportOptions) -> Result<Plan>;
    /// The import, in one transaction.
    fn commit(&mut self, parsed: &Parsed, opts: &ImportOptions) -> Result<ImportSummary>;
    /// Past imports, newest first.
    fn list(&mut self) -> Result<Vec<ImportRecord>>;
    /// Takes an import back.
    fn undo(&mut self, id: i64) -> Result<UndoSummary>;
}

impl ImportStore for &Db {
    fn preview(&mut self, parsed: &Parsed, opts: &ImportOptions) -> Result<Plan> {
        self.read(|c| import::preview(c, parsed, opts))
    }

    fn commit(&mut self, parsed: &Parsed, opts: &ImportOptions) -> Result<ImportSummary> {
        self.write(Source::Import, |tx| import::commit(tx, parsed, opts))
    }

    fn list(&mut self) -> Result<Vec<ImportRecord>> {
        self.read(import::list_imports)
    }

    fn undo(&mut self, id: i64) -> Result<UndoSummary> {
        self.write(Source::Cli, |tx| import::undo_import(tx, id))
    }
}

/// Runs a CSV command on an open register.
pub fn run(db: &Db, command: TransferCommand) -> Result<()> {
    match command {
        TransferCommand::Export {
            format,
            out: target,
            bom,
            include_archived,
        } => export_assets(db, format, target, bom, include_archived),
        other => run_import(&mut { db }, other),
    }
}

/// Runs `import`, `imports` or `undo-import` on `store`.
pub fn run_import(store: &mut dyn ImportStore, command: TransferCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        TransferCommand::Import {
            file,
            sheet,
            encoding,
            generate_tags,
            dry_run,
            map,
            keep_in_notes,
            on_duplicate,
            skip_invalid,
            date_order,
            json,
        } => {
            let bytes = import::read_path(&file)?;
            let forced = encoding.is_some();
            let parsed = import::read_with(&bytes, &ReadOptions { sheet, encoding })?;
            drop(bytes);
            if !forced
                && matches!(
                    parsed.encoding,
                    TextEncoding::Windows1252 | TextEncoding::Legacy(_)
                )
            {
                eprintln!(
                    "The file is not UTF-8: read as {} (detected from its bytes); check accented names with --dry-run, and choose another with --encoding",
                    parsed.encoding.name()
                );
            }
            if let Some(used) = &parsed.sheet {
                let others: Vec<String> = parsed
                    .sheets
                    .iter()
                    .filter(|s| *s != used)
                    .map(|s| format!("{s:?}"))
                    .collect();
                // On standard error, so --json output stays JSON.
                eprintln!(
                    "Reading sheet {used:?}{}",
                    if others.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; other sheets: {} (choose with --sheet)",
                            others.join(", ")
                        )
                    }
                );
            }
            let opts = ImportOptions {
                file_name: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                mapping_overrides: map
                    .iter()
                    .map(|m| import::parse_override(m))
                    .collect::<Result<_>>()?,
                status_overrides: Vec::new(),
                on_duplicate: match on_duplicate {
                    Dup::Skip => OnDuplicate::Skip,
                    Dup::Update => OnDuplicate::Update,
                    Dup::Fail => OnDuplicate::Fail,
                },
                skip_invalid,
                date_order: date_order.map(|o| match o {
                    Order::Dmy => DateOrder::Dmy,
                    Order::Mdy => DateOrder::Mdy,
                }),
                generate_tags,
                keep_in_notes,
                ..ImportOptions::default()
            };
            let plan = store.preview(&parsed, &opts)?;
            let blocked = !plan.problems.is_empty() || (plan.counts.error > 0 && !skip_invalid);
            if dry_run || blocked {
                if json {
                    serde_json::to_writer_pretty(&mut out, &plan)?;
                    writeln!(out)?;
                } else {
                    print_plan(&mut out, &plan, dry_run)?;
                }
                if blocked {
                    return Err(Error::Refused(format!(
                        "nothing was imported: {} row(s) have errors{}",
                        plan.counts.error,
                        if plan.problems.is_empty() {
                            String::new()
                        } else {
                            format!("; {}", plan.problems.join(" "))
                        }
                    )));
                }
                return Ok(());
            }
            // The commit plans each row again as it writes it: the preview of every row (about
            // 70 MB at 100,000 rows) is not kept while it does.
            drop(plan);
            let summary = store.commit(&parsed, &opts)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &summary)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "Imported {} (import #{}, sha256 {}): {} created, {} updated, {} duplicate(s), {} skipped, {} invalid left out",
                    summary.file_name,
                    summary.import_id,
                    summary.sha256,
                    summary.created,
                    summary.updated,
                    summary.duplicates,
                    summary.skipped,
                    summary.invalid.len()
                )?;
                for i in &summary.invalid {
                    writeln!(out, "  line {}: {}", i.line, i.message)?;
                }
            }
        }
        TransferCommand::Imports { json } => {
            let list = store.list()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                for i in &list {
                    writeln!(
                        out,
                        "#{} {} {} ({} created, {} updated){}",
                        i.id,
                        i.at,
                        i.file_name,
                        i.created,
                        i.updated,
                        if i.undone_at.is_some() {
                            " — undone"
                        } else {
                            ""
                        }
                    )?;
                }
                writeln!(out, "{} import(s)", list.len())?;
            }
        }
        TransferCommand::UndoImport { id } => {
            let s = store.undo(id)?;
            writeln!(out, "Undid import #{id}: {}", serde_json::to_string(&s)?)?;
        }
        TransferCommand::Export { .. } => {
            return Err(Error::Internal(
                "export is not an import command".to_string(),
            ))
        }
    }
    Ok(())
}

fn export_assets(
    db: &Db,
    format: Format,
    target: Option<PathBuf>,
    bom: bool,
    include_archived: bool,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let assets = db.read(|c| export::list_all_assets(c, include_archived))?;
    let mut buf = Vec::new();
    match format {
        Format::Csv => export::write_csv(&mut buf, &assets, bom)?,
        Format::Json => export::write_json(&mut buf, &assets)?,
    }
    match target {
        Some(path) => {
            files::write_atomically(&path, &buf)?;
            writeln!(
                out,
                "Exported {} asset(s) to {}",
                assets.len(),
                path.display()
            )?;
        }
        None => out.write_all(&buf)?,
    }
    Ok(())
}

fn print_plan(out: &mut impl Write, plan: &Plan, dry_run: bool) -> Result<()> {
    let c = &plan.counts;
    let source = match &plan.sheet {
        Some(sheet) => format!("sheet {sheet:?}"),
        None => format!("{}, delimiter {:?}", plan.encoding.name(), plan.delimiter),
    };
    writeln!(
        out,
        "{}{} rows in {} ({source}): {} new, {} update(s), {} duplicate(s), {} skipped, {} error(s)",
        if dry_run { "Dry run, nothing written. " } else { "" },
        c.rows,
        plan.file_name,
        c.new,
        c.update,
        c.duplicate,
        c.skip,
        c.error
    )?;
    for m in &plan.mapping {
        let sure = match m.confidence {
            90.. => "sure",
            60..=89 => "likely",
            1..=59 => "a guess",
            0 => "not imported",
        };
        writeln!(
            out,
            "  column {:?} -> {} ({}; {sure})",
            m.header,
            serde_json::to_string(&m.field)?.trim_matches('"'),
            m.reason
        )?;
    }
    if let Some(tags) = &plan.generated_tags {
        writeln!(out, "  generated tags: {tags}")?;
    }
    for c in &plan.ignored_columns {
        if c.kept_in_notes {
            writeln!(
                out,
                "  column {:?} kept in the notes ({} rows)",
                c.header, c.rows
            )?;
        } else {
            writeln!(
                out,
                "  column {:?} is not imported: {} rows have a value ({}); --keep-in-notes {:?} keeps it in the notes",
                c.header,
                c.rows,
                c.samples.join(", "),
                c.header
            )?;
        }
    }
    for p in &plan.problems {
        writeln!(out, "  problem: {p}")?;
    }
    // The core says what to decide; here is how to say it on the command line.
    if !plan.ambiguous_date_columns.is_empty() {
        writeln!(
            out,
            "  hint: add --date-order dmy (day first) or --date-order mdy"
        )?;
    }
    if !plan.unknown_statuses.is_empty() {
        writeln!(
            out,
            "  hint: change those words in the file, or leave the column out with --map \"COLUMN=ignore\""
        )?;
    }
    // The same error on many rows is said once, with how many and where.
    for e in plan.grouped_errors() {
        let col = e
            .column
            .as_deref()
            .map(|c| format!(", column {c:?}"))
            .unwrap_or_default();
        match e.lines.as_slice() {
            [line] => writeln!(out, "  error: line {line}{col}: {}", e.message)?,
            lines => writeln!(
                out,
                "  error: {} rows{col}: {} ({})",
                lines.len(),
                e.message,
                line_list(lines)
            )?,
        }
    }
    Ok(())
}

/// "lines 2, 3 and 7", or the first five and how many more.
fn line_list(lines: &[u64]) -> String {
    const SHOWN: usize = 5;
    let first: Vec<String> = lines.iter().take(SHOWN).map(u64::to_string).collect();
    if lines.len() > SHOWN {
        format!(
            "lines {} and {} more",
            first.join(", "),
            lines.len() - SHOWN
        )
    } else {
        let (last, rest) = first.split_last().expect("two or more lines");
        format!("lines {} and {last}", rest.join(", "))
    }
}
