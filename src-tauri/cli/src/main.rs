//! `asset-register-cli`: the register from a terminal. Parses arguments, opens the register
//! (a file, or a team register on PostgreSQL: see `store`), calls one core function per command
//! and prints text or JSON. No domain logic lives here.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod depreciation;
mod evidence;
mod files;
mod forecast;
mod labels;
mod licences;
mod lifecycle;
mod offboarding;
mod people;
mod purchase;
mod stocktake;
mod store;
#[cfg(feature = "team")]
mod team;
mod transfer;

/// `println!` that hands a failed write (stdout closed: `| head`, `| grep -q`) back as an
/// error instead of panicking, so `main` can end quietly.
macro_rules! say {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout(), $($arg)*)?
    };
}

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use register_core::names::{self, Kind, Named};
use register_core::people::Person;
use register_core::{
    assets, audit, documents, report, values, AssetInput, AssetPatch, Db, Error, Event, Holder,
    ListQuery, Source, Status,
};
use store::Store;

#[derive(Parser)]
#[command(
    name = "asset-register-cli",
    version,
    about = "Keep an organisation's register of IT assets"
)]
struct Cli {
    /// The register: a file's path, or a team register's postgresql:// URL (default:
    /// $ASSET_REGISTER_DB, else the app's register file in the OS data folder).
    ///
    /// A team register's URL goes over TLS with the server's certificate checked
    /// (postgresql://LOGIN@HOST/DB?sslmode=verify-full&sslrootcert=CA.crt) or through the
    /// server's socket (postgresql://LOGIN@/DB?host=/var/run/postgresql); any other is refused.
    /// Without a password in it, the one the system keychain keeps for the URL is used, else
    /// $PGPASSWORD. The commands that work on a team register so far are init, list, show, add,
    /// edit, status, archive, unarchive, assign, return, move, history, people, person,
    /// locations, categories, category, replacement category, licence (all but renewals),
    /// attach, documents, detach, save-document, verify, backup (the file's backup format, via
    /// an export), stocktake (all but report), import (one at a time: a second is refused,
    /// naming who imports what), imports, undo-import, offboard (all but --pdf), offboardings,
    /// dispose, disposals, purchase and team (setup, grant, move-in, export); the others refuse
    /// and change nothing.
    #[arg(long, global = true, value_name = "PATH|URL")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the register file (or check an existing one opens) and print where it is.
    Init,
    #[command(flatten)]
    Files(files::FileCommand),
    #[command(flatten)]
    Transfer(transfer::TransferCommand),
    #[command(flatten)]
    Lifecycle(lifecycle::LifecycleCommand),
    #[command(flatten)]
    Depreciation(depreciation::DepreciationCommand),
    #[command(flatten)]
    Purchase(purchase::PurchaseCommand),
    #[command(flatten)]
    Licences(licences::LicenceCommand),
    #[command(flatten)]
    Forecast(forecast::ForecastCommand),
    #[command(flatten)]
    Evidence(evidence::EvidenceCommand),
    #[command(flatten)]
    Labels(labels::LabelCommand),
    /// Stocktakes: start, scan, status, finish, report.
    #[command(subcommand)]
    Stocktake(stocktake::StocktakeCommand),
    /// Add an asset.
    Add(AddArgs),
    /// Change fields of an asset.
    Edit(EditArgs),
    /// Assign an asset to a person or a location (deploys it). With both, the person holds it
    /// and the location is where it is kept; a person alone leaves its location as it was.
    Assign {
        /// The asset tag.
        tag: String,
        /// The person's name (created if new).
        #[arg(long, required_unless_present = "location")]
        person: Option<String>,
        /// The location's name (created if new); "" with --person clears it.
        #[arg(long)]
        location: Option<String>,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Move an asset to the location it was found at: one a person holds comes back there
    /// (Available), one deployed at a location is deployed here, any other keeps its status.
    Move {
        /// The asset tag.
        tag: String,
        /// The location's name (created if new).
        #[arg(long)]
        location: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Take an asset back (status Available).
    Return {
        /// The asset tag.
        tag: String,
        /// Where it goes back to.
        #[arg(long)]
        location: Option<String>,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Change an asset's status: available, deployed, in-maintenance, retired, lost-stolen.
    Status {
        /// The asset tag.
        tag: String,
        /// The new status (labels like "Lost/Stolen" are accepted too).
        status: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Archive (delete) an asset; its history stays.
    Archive {
        /// The asset tag.
        tag: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Bring an archived asset back into the register as it was when archived (same fields,
    /// holder and status). Refused while a live asset carries its serial number.
    Unarchive {
        /// The asset tag.
        tag: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// List assets.
    List {
        /// Words to search for (tag, name, serial, make, model, holder, notes).
        #[arg(long)]
        search: Option<String>,
        /// Only this status.
        #[arg(long)]
        status: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one asset.
    Show {
        /// The asset tag.
        tag: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the history of one asset, or of the whole register.
    History {
        /// The asset tag (omit for every event).
        tag: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List people and what they hold.
    People {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// People: add, edit, mark as left or active again.
    #[command(subcommand)]
    Person(people::PersonCommand),
    /// List locations and how many live assets each has.
    Locations {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List categories and how many live assets each has.
    Categories {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set up a team register on PostgreSQL, give a login a role in it, move a register file
    /// into it, or export it to a register file. Run setup, grant and move-in with the database
    /// owner's URL in --db (the owner sets up; people never connect as the owner).
    #[command(subcommand)]
    Team(TeamCommand),
    /// Check the database and the audit trail's hash chain; print the event count and head hash.
    Verify {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the register report as a PDF: the facts that pin down the register's state (audit
    /// trail head hash, verification), a summary, and the inventory.
    Report {
        /// The PDF file to write (its folder must exist).
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Show the register as it stood at the end of this day (UTC), rebuilt from the audit
        /// trail.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Only this status.
        #[arg(long)]
        status: Option<String>,
        /// Only assets matching these words (tag, name, serial, make, model, holder, notes).
        #[arg(long)]
        search: Option<String>,
        /// Paper size: a4 or letter.
        #[arg(long, default_value = "a4")]
        paper: String,
    },
    /// Write one asset's dossier as a PDF: every field, its full history and its documents.
    Dossier {
        /// The asset tag.
        tag: String,
        /// The PDF file to write (its folder must exist).
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Paper size: a4 or letter.
        #[arg(long, default_value = "a4")]
        paper: String,
    },
}

/// The team register's admin commands, run as the database's owner.
#[derive(Subcommand)]
enum TeamCommand {
    /// Create or upgrade the team register's schema in the database --db names, and its three
    /// group roles PREFIX_viewer, PREFIX_editor and PREFIX_auditor (roles are shared by the whole
    /// server, hence the prefix). Safe to run again: after an upgrade it migrates and grants on
    /// the new tables.
    Setup {
        /// The roles' prefix: lower-case letters, digits and _, starting with a letter.
        #[arg(long, default_value = "register")]
        prefix: String,
    },
    /// Give an existing login (made by the server's administrator, e.g. `createuser --pwprompt
    /// alice`) one of the three roles, taking the other two from it, and tie it to a person in
    /// the register, so the history names that person beside the login. A login once tied to
    /// a person stays theirs.
    Grant {
        /// The login (a PostgreSQL role that can log in).
        #[arg(long)]
        login: String,
        /// viewer (reads the register), editor (changes it) or auditor (reads it and its
        /// history, changes nothing).
        #[arg(long, value_parser = ["viewer", "editor", "auditor"])]
        role: String,
        /// The person in the register who signs in with this login (must exist and not have
        /// left).
        #[arg(long)]
        person: Option<String>,
        /// The roles' prefix given to `team setup`.
        #[arg(long, default_value = "register")]
        prefix: String,
    },
    /// Move a register file into this team register, run with the owner's URL after `team
    /// setup` and before anything else: the file's chain and documents are verified, then
    /// every person, location, category, asset, licence, seat, document (with its bytes),
    /// stocktake and offboarding (with their items), disposal record and import (with what it did, so it can be
    /// undone there, and the column mappings it remembered) is copied with its id, its
    /// settings, and every event as it is stored, in one transaction; one `moved_to_server`
    /// event is appended and the server's chain checked before it commits. The file is then
    /// marked as moved, so it opens read-only from then on (`use-again` takes the mark off).
    /// Refused, copying nothing, when the team register is not empty, the file does not verify
    /// or was moved already. The file is only read (opening an older one brings it up to this version
    /// first, as any command does).
    MoveIn {
        /// The register file to move.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// A note for the move's event.
        #[arg(long)]
        note: Option<String>,
    },
    /// Export this team register to a new register file (refused if FILE exists), its
    /// documents beside it: every row with its id and every event as stored, read in one
    /// snapshot; the file must verify to the server's head. Needs an editor's or an auditor's
    /// login (a viewer cannot read the audit trail). `backup` on a team register writes the
    /// same register as one backup file.
    Export {
        /// The new register file.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
}

#[derive(Args)]
struct AddArgs {
    /// The unique asset tag, e.g. IT-0042.
    #[arg(long)]
    tag: String,
    /// What it is called.
    #[arg(long)]
    name: String,
    #[command(flatten)]
    fields: Fields,
}

#[derive(Args)]
struct EditArgs {
    /// The asset tag.
    tag: String,
    /// A new tag.
    #[arg(long = "tag", id = "new_tag", value_name = "NEW_TAG")]
    new_tag: Option<String>,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    fields: Fields,
}

/// The optional fields shared by `add` and `edit` (an empty value clears a field in `edit`).
#[derive(Args)]
struct Fields {
    /// Laptop, Phone, Monitor…
    #[arg(long)]
    category: Option<String>,
    /// Manufacturer.
    #[arg(long)]
    make: Option<String>,
    /// Model.
    #[arg(long)]
    model: Option<String>,
    /// Serial number (unique).
    #[arg(long)]
    serial: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    purchase_date: Option<String>,
    /// e.g. 1234.56
    #[arg(long, allow_hyphen_values = true)]
    cost: Option<String>,
    /// Who sold it.
    #[arg(long)]
    supplier: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    warranty_expires: Option<String>,
    /// Free text.
    #[arg(long)]
    notes: Option<String>,
    /// A note for the history.
    #[arg(long)]
    note: Option<String>,
}

impl Fields {
    fn patch(self, asset_tag: Option<String>, name: Option<String>) -> AssetPatch {
        AssetPatch {
            asset_tag,
            name,
            category: self.category,
            make: self.make,
            model: self.model,
            serial_number: self.serial,
            purchase_date: self.purchase_date,
            purchase_cost: self.cost,
            supplier: self.supplier,
            warranty_expires: self.warranty_expires,
            notes: self.notes,
        }
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let name = command_name(&matches);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match run(cli, &name) {
        Ok(()) => ExitCode::SUCCESS,
        // Whoever read the output stopped (`| head`, `| grep -q`): nothing is wrong, and
        // there is no one left to tell.
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", with_flag(&e));
            ExitCode::FAILURE
        }
    }
}

/// The command as typed, without its arguments: `list`, `licence add`, `team grant`.
fn command_name(matches: &ArgMatches) -> String {
    let mut words = Vec::new();
    let mut m = matches;
    while let Some((word, sub)) = m.subcommand() {
        words.push(word);
        m = sub;
    }
    words.join(" ")
}

/// Whether `e` is a write to a pipe whose reader has gone.
fn closed_pipe(e: &Error) -> bool {
    let kind = match e {
        Error::Io(io) => Some(io.kind()),
        Error::Json(json) => json.io_error_kind(),
        _ => None,
    };
    kind == Some(std::io::ErrorKind::BrokenPipe)
}

/// The core names the field a message is about; here it is named as the flag that sets it.
fn with_flag(e: &register_core::Error) -> String {
    let flag = match e.field() {
        Some("life_months") => "--life-months",
        Some("residual") => "--residual",
        Some("rate") => "--rate",
        Some("depreciation") => "--depreciation",
        Some("purchase_cost") => "--cost",
        Some("purchase_date") => "--purchase-date",
        Some("warranty_expires") => "--warranty-expires",
        Some("serial_number") => "--serial",
        Some("as_of") => "--as-of",
        Some("paper") => "--paper",
        Some("years") => "--years",
        Some("by") => "--by",
        Some("replace_with") => "--replace-with",
        Some("out") => "--out",
        Some("method") => "--method",
        Some("disposed_on") => "--date",
        Some("from") => "--from",
        Some("layout") => "--layout",
        Some("start") => "--start",
        Some("line") => "--line",
        Some("tags") => "--tags",
        Some("room") => "--room",
        Some("outcome") => "--list",
        Some("lost") => "--lost",
        Some("on_date") => "--date",
        Some("counted_by") => "--by",
        Some("locations") => "--location",
        _ => return e.to_string(),
    };
    format!("{e} ({flag})")
}

/// What `verify` prints about documents after the chain (a team register's too): how many, and
/// each one whose stored bytes are missing or changed.
fn print_document_check(
    count: i64,
    problems: &[documents::DocumentProblem],
) -> register_core::Result<()> {
    if problems.is_empty() {
        say!("Documents: {count}, all unchanged");
    } else {
        say!("Documents: {count}, {} FAILED", problems.len());
        for p in problems {
            say!(
                "  {} / {} (document {}): {}",
                p.asset_tag,
                p.name,
                p.document_id,
                p.problem
            );
        }
    }
    Ok(())
}

fn print_json<T: serde::Serialize>(v: &T) -> register_core::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

fn run(cli: Cli, name: &str) -> register_core::Result<()> {
    match store::choose(cli.db)? {
        Store::Team(url) => store::run_on_team(&url, name, cli.command),
        Store::File(path) => run_on_file(&path, name, cli.command),
    }
}

fn run_on_file(path: &std::path::Path, name: &str, command: Command) -> register_core::Result<()> {
    let path = path.to_path_buf();
    let command = match command {
        Command::Team(_) => return Err(store::needs_team(name)),
        // File commands open the register themselves (restore must not hold it open).
        Command::Files(f) => return files::run(&path, f),
        // Evidence commands open the register themselves (verify-pack needs none).
        Command::Evidence(e) => return evidence::run(&path, e),
        other => other,
    };
    let db = Db::open(&path)?;
    let tag_id = |tag: &str| db.read(|c| assets::find_asset(c, tag)).map(|a| a.id);
    match command {
        Command::Files(_) | Command::Evidence(_) | Command::Team(_) => {
            unreachable!("handled above")
        }
        Command::Transfer(t) => transfer::run(&db, t)?,
        Command::Lifecycle(l) => lifecycle::run(&db, l)?,
        Command::Depreciation(d) => depreciation::run(&db, d)?,
        Command::Purchase(p) => purchase::run(&db, &path, p)?,
        Command::Licences(l) => licences::run(&db, l)?,
        Command::Forecast(f) => forecast::run(&db, f)?,
        Command::Labels(l) => labels::run(&db, l)?,
        Command::Stocktake(s) => stocktake::run(&db, s)?,
        Command::Init => say!("Register ready at {}", path.display()),
        Command::Add(a) => {
            let input = AssetPatch::apply_to_default(a.fields_patch());
            let note = a.fields.note.clone();
            let asset = db.write(Source::Cli, |tx| {
                assets::create_asset(tx, &input, note.as_deref())
            })?;
            say!("{}", said::added(&asset));
        }
        Command::Edit(e) => {
            let id = tag_id(&e.tag)?;
            let note = e.fields.note.clone();
            let patch = e.fields.patch(e.new_tag, e.name);
            let before = db.read(|c| assets::get_asset(c, id))?;
            let after = db.write(Source::Cli, |tx| {
                assets::update_asset(tx, id, &patch, note.as_deref())
            })?;
            say!("{}", said::updated(&after, before != after));
        }
        Command::Assign {
            tag,
            person,
            location,
            note,
        } => {
            let id = tag_id(&tag)?;
            let to = holder(person, location);
            let a = db.write(Source::Cli, |tx| {
                assets::assign_asset(tx, id, &to, note.as_deref())
            })?;
            say!("{}", said::assigned(&a));
        }
        Command::Move {
            tag,
            location,
            note,
        } => {
            let id = tag_id(&tag)?;
            let a = db.write(Source::Cli, |tx| {
                assets::move_to_location(tx, id, &location, note.as_deref())
            })?;
            say!("{}", said::moved(&a));
        }
        Command::Return {
            tag,
            location,
            note,
        } => {
            let id = tag_id(&tag)?;
            let a = db.write(Source::Cli, |tx| {
                assets::return_asset(tx, id, location.as_deref(), note.as_deref())
            })?;
            say!("{}", said::returned(&a));
        }
        Command::Status { tag, status, note } => {
            let id = tag_id(&tag)?;
            let status = Status::parse(&status)?;
            let a = db.write(Source::Cli, |tx| {
                assets::change_status(tx, id, status, note.as_deref())
            })?;
            say!("{}", said::status(&a));
        }
        Command::Archive { tag, note } => {
            let id = tag_id(&tag)?;
            db.write(Source::Cli, |tx| {
                assets::archive_asset(tx, id, note.as_deref())
            })?;
            say!("{}", said::archived(&tag));
        }
        Command::Unarchive { tag, note } => {
            let id = tag_id(&tag)?;
            let a = db.write(Source::Cli, |tx| {
                assets::unarchive_asset(tx, id, note.as_deref())
            })?;
            say!("{}", said::unarchived(&a));
        }
        Command::List {
            search,
            status,
            json,
        } => {
            let status = status.as_deref().map(Status::parse).transpose()?;
            let rows = list_all(
                &db,
                ListQuery {
                    search,
                    status,
                    ..Default::default()
                },
            )?;
            if json {
                print_json(&rows)?;
            } else {
                print_table(&rows)?;
            }
        }
        Command::Show { tag, json } => {
            let a = db.read(|c| assets::find_asset(c, &tag))?;
            let docs = db.read(|c| documents::documents_of(c, documents::Owner::Asset(a.id)))?;
            if json {
                let mut v = serde_json::to_value(&a)?;
                v["documents"] = serde_json::to_value(&docs)?;
                print_json(&v)?;
            } else {
                print_asset(&a)?;
                say!("{:<17} {}", "Documents", docs.len());
                for d in &docs {
                    say!(
                        "  #{} {} ({}, {} bytes, sha256 {})",
                        d.id,
                        d.name,
                        d.kind.as_str(),
                        d.size,
                        d.sha256
                    );
                }
            }
        }
        Command::History { tag, json } => {
            let events = match tag {
                Some(t) => {
                    let id = tag_id(&t)?;
                    db.read(|c| audit::list_asset_events(c, id))?
                }
                None => {
                    let mut all = db.read(|c| audit::list_audit_events(c, None))?;
                    all.reverse();
                    all
                }
            };
            if json {
                print_json(&events)?;
            } else {
                print_history(&events, &|_| None)?;
            }
        }
        Command::People { json } => {
            let list = db.read(register_core::people::list_people)?;
            print_people(&list, json)?;
        }
        Command::Person(p) => people::run(&db, p)?,
        Command::Locations { json } => {
            print_named(&db.read(|c| names::list(c, Kind::Location))?, json)?;
        }
        Command::Categories { json } => {
            print_named(&db.read(|c| names::list(c, Kind::Category))?, json)?;
        }
        Command::Verify { json } => {
            let v = db.read(audit::verify)?;
            let store = documents::DocumentStore::for_register(&path);
            let problems = db.read(|c| documents::verify_documents(c, &store))?;
            if json {
                let mut out = serde_json::to_value(&v)?;
                out["document_problems"] = serde_json::to_value(&problems)?;
                out["ok"] = (v.ok && problems.is_empty()).into();
                print_json(&out)?;
            } else {
                print!("{}", v.describe());
                let n = db.read(|c| {
                    Ok(c.query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))?)
                })?;
                print_document_check(n, &problems)?;
            }
            if !v.ok || !problems.is_empty() {
                return Err(register_core::Error::Refused("verification failed".into()));
            }
        }
        Command::Report {
            out,
            as_of,
            status,
            search,
            paper,
        } => {
            let opts = report::ReportOptions {
                as_of: match as_of {
                    Some(d) => Some(
                        values::parse_date("as_of", &d)?
                            .ok_or_else(|| Error::invalid("as_of", "--as-of needs a date"))?,
                    ),
                    None => None,
                },
                status: status.as_deref().map(Status::parse).transpose()?,
                search,
                paper: report::Paper::parse(&paper)?,
                iso_annex: false,
            };

            let pdf = db.read(|c| report::render_register_report(c, &opts))?;
            register_core::files::write_atomically(&out, &pdf.bytes)?;
            say!("Wrote {} ({} pages)", out.display(), pdf.page_count);
        }
        Command::Dossier { tag, out, paper } => {
            let paper = report::Paper::parse(&paper)?;

            let id = tag_id(&tag)?;
            let pdf = db.read(|c| report::render_asset_dossier(c, id, paper))?;
            register_core::files::write_atomically(&out, &pdf.bytes)?;
            say!("Wrote {} ({} pages)", out.display(), pdf.page_count);
        }
    }
    Ok(())
}

impl AddArgs {
    fn fields_patch(&self) -> AssetPatch {
        let f = &self.fields;
        AssetPatch {
            asset_tag: Some(self.tag.clone()),
            name: Some(self.name.clone()),
            category: f.category.clone(),
            make: f.make.clone(),
            model: f.model.clone(),
            serial_number: f.serial.clone(),
            purchase_date: f.purchase_date.clone(),
            purchase_cost: f.cost.clone(),
            supplier: f.supplier.clone(),
            warranty_expires: f.warranty_expires.clone(),
            notes: f.notes.clone(),
        }
    }
}

trait ApplyToDefault {
    fn apply_to_default(self) -> AssetInput;
}

impl ApplyToDefault for AssetPatch {
    fn apply_to_default(self) -> AssetInput {
        let s = |v: Option<String>| v.unwrap_or_default();
        AssetInput {
            asset_tag: s(self.asset_tag),
            name: s(self.name),
            category: s(self.category),
            make: s(self.make),
            model: s(self.model),
            serial_number: s(self.serial_number),
            purchase_date: s(self.purchase_date),
            purchase_cost: s(self.purchase_cost),
            supplier: s(self.supplier),
            warranty_expires: s(self.warranty_expires),
            notes: s(self.notes),
        }
    }
}

/// Every matching asset, page by page.
fn list_all(db: &Db, mut q: ListQuery) -> register_core::Result<Vec<register_core::Asset>> {
    let mut rows = Vec::new();
    q.limit = Some(1000);
    loop {
        let page = db.read(|c| assets::list_assets(c, &q))?;
        let n = page.assets.len();
        rows.extend(page.assets);
        if n < 1000 {
            return Ok(rows);
        }
        q.offset += 1000;
    }
}

/// Who or where `assign` gives an asset to, from its flags (clap requires one of them).
fn holder(person: Option<String>, location: Option<String>) -> Holder {
    match (person, location) {
        (Some(person), Some(location)) => Holder::PersonAt { person, location },
        (Some(p), None) => Holder::Person(p),
        (None, Some(l)) => Holder::Location(l),
        (None, None) => unreachable!("clap requires one"),
    }
}

/// The line each asset command prints, the same for a file and a team register.
mod said {
    use register_core::Asset;

    pub fn added(a: &Asset) -> String {
        format!("Added {} ({})", a.asset_tag, a.name)
    }

    pub fn updated(a: &Asset, changed: bool) -> String {
        if changed {
            format!("Updated {}", a.asset_tag)
        } else {
            format!("{}: nothing changed", a.asset_tag)
        }
    }

    pub fn assigned(a: &Asset) -> String {
        format!("{} assigned to {}", a.asset_tag, a.holder().unwrap_or("-"))
    }

    pub fn moved(a: &Asset) -> String {
        format!(
            "{} moved to {}",
            a.asset_tag,
            a.location.as_deref().unwrap_or("-")
        )
    }

    pub fn returned(a: &Asset) -> String {
        format!("{} returned (Available)", a.asset_tag)
    }

    pub fn status(a: &Asset) -> String {
        format!("{} is now {}", a.asset_tag, a.status.label())
    }

    pub fn archived(tag: &str) -> String {
        format!("{} archived; its history is kept", tag.trim())
    }

    pub fn unarchived(a: &Asset) -> String {
        format!(
            "{} is back in the register ({})",
            a.asset_tag,
            a.status.label()
        )
    }
}

/// People and what they hold, as `people` prints them.
fn print_people(list: &[Person], json: bool) -> register_core::Result<()> {
    if json {
        return print_json(&list);
    }
    let mut out = std::io::stdout().lock();
    for p in list {
        let state = if p.active {
            String::new()
        } else {
            format!(" (left {})", p.left_on.as_deref().unwrap_or_default())
        };
        writeln!(out, "{}{}: {} asset(s)", p.name, state, p.asset_count)?;
    }
    Ok(())
}

/// Locations or categories with their live assets, as `locations` and `categories` print them.
fn print_named(list: &[Named], json: bool) -> register_core::Result<()> {
    if json {
        return print_json(&list);
    }
    let mut out = std::io::stdout().lock();
    for n in list {
        writeln!(out, "{}: {} asset(s)", n.name, n.asset_count)?;
    }
    Ok(())
}

fn dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

fn print_table(rows: &[register_core::Asset]) -> register_core::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<12} {:<32} {:<15} {:<24} SERIAL",
        "TAG", "NAME", "STATUS", "HOLDER"
    )?;
    for a in rows {
        let name: String = a.name.chars().take(32).collect();
        writeln!(
            out,
            "{:<12} {:<32} {:<15} {:<24} {}",
            a.asset_tag,
            name,
            a.status.label(),
            a.holder().unwrap_or("-"),
            dash(&a.serial_number)
        )?;
    }
    writeln!(out, "{} asset(s)", rows.len())?;
    Ok(())
}

fn print_asset(a: &register_core::Asset) -> register_core::Result<()> {
    let mut out = std::io::stdout().lock();
    let cost = a.purchase_cost.map(|m| m.to_string());
    let rows: [(&str, &str); 15] = [
        ("Tag", &a.asset_tag),
        ("Name", &a.name),
        ("Status", a.status.label()),
        ("Assigned to", dash(&a.assigned_to)),
        ("Location", dash(&a.location)),
        ("Category", dash(&a.category)),
        ("Make", dash(&a.make)),
        ("Model", dash(&a.model)),
        ("Serial number", dash(&a.serial_number)),
        ("Purchase date", dash(&a.purchase_date)),
        ("Purchase cost", dash(&cost)),
        ("Supplier", dash(&a.supplier)),
        ("Warranty expires", dash(&a.warranty_expires)),
        ("Notes", dash(&a.notes)),
        ("Archived", if a.archived { "yes" } else { "no" }),
    ];
    for (k, v) in rows {
        writeln!(out, "{k:<17} {v}")?;
    }
    Ok(())
}

/// Events one a line; `by(i)` is who wrote the `i`th, where the register knows (a team
/// register's login), shown beside its source: `[cli by alice]`.
fn print_history(
    events: &[Event],
    by: &dyn Fn(usize) -> Option<String>,
) -> register_core::Result<()> {
    let mut out = std::io::stdout().lock();
    for (i, e) in events.iter().enumerate() {
        let source = match by(i) {
            Some(who) => format!("{} by {who}", e.source),
            None => e.source.clone(),
        };
        write!(
            out,
            "#{} {} [{source}] {} {} {}",
            e.id, e.at, e.entity, e.label, e.kind
        )?;
        for c in &e.changes {
            write!(out, "; {}: {} -> {}", c.field, dash(&c.old), dash(&c.new))?;
        }
        if let Some(n) = &e.note {
            write!(out, " (note: {n})")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
