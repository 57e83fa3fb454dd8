//! The CLI's licence commands (`licence add|list|show|edit|assign|unassign|archive|history`,
//! `attach|documents|detach`) and the 12-month renewals forecast (`renewals`) on a register
//! file, and what each prints, which the same commands on a team register print too
//! (`team/licences.rs`).

use std::io::Write;

use clap::{Args, Subcommand};
use register_core::licences::{self, CostBasis, Licence, LicenceInput, Seat};
use register_core::{audit, documents, people, renewals, values, Db, Error, Event, Result, Source};

/// Licence commands, flattened into the top-level command list.
#[derive(Subcommand)]
pub enum LicenceCommand {
    /// Licences and subscriptions: add, list, show, edit, assign and release seats, archive.
    Licence {
        #[command(subcommand)]
        command: Box<LicenceAction>,
    },
    /// The next 12 months of warranty ends and licence renewals, by month, with their costs.
    Renewals {
        /// The first day (default today), YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `licence …` subcommands.
#[derive(Subcommand)]
pub enum LicenceAction {
    /// Record a licence or subscription.
    Add {
        /// What it licenses, e.g. "Microsoft 365 Business".
        #[arg(long)]
        product: String,
        /// How many seats were bought.
        #[arg(long)]
        seats: String,
        #[command(flatten)]
        fields: LicenceFields,
    },
    /// List licences with seats used, masked key, renewal and cost.
    List {
        /// Include archived licences.
        #[arg(long)]
        all: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one licence (by id or product) with its seats.
    Show {
        /// The licence's id (e.g. 3 or #3) or product name.
        licence: String,
        /// Print the licence key in clear.
        #[arg(long)]
        reveal_key: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change fields of a licence ("" clears a field).
    Edit {
        /// The licence's id or product name.
        licence: String,
        /// A new product name.
        #[arg(long)]
        product: Option<String>,
        /// A new number of seats (not below the seats in use).
        #[arg(long)]
        seats: Option<String>,
        #[command(flatten)]
        fields: LicenceFields,
    },
    /// Give a seat to a person (created if new; not someone who has left).
    Assign {
        /// The licence's id or product name.
        licence: String,
        /// The person's name.
        person: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Take a seat back from a person.
    Unassign {
        /// The licence's id or product name.
        licence: String,
        /// The person's name.
        person: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Archive (retire) a licence; its seats must be released first.
    Archive {
        /// The licence's id or product name.
        licence: String,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// Attach files (invoices, contracts, certificates) to a licence.
    Attach {
        /// The licence's id or product name.
        licence: String,
        /// The files.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// receipt, warranty, invoice or other (default: guessed from the name).
        #[arg(long)]
        kind: Option<String>,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// List a licence's documents.
    Documents {
        /// The licence's id or product name.
        licence: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a document from a licence.
    Detach {
        /// The licence's id or product name.
        licence: String,
        /// The document's id (see `licence documents`).
        document: i64,
        /// A note for the history.
        #[arg(long)]
        note: Option<String>,
    },
    /// A licence's history.
    History {
        /// The licence's id or product name.
        licence: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The optional fields shared by `licence add` and `licence edit`.
#[derive(Args)]
pub struct LicenceFields {
    /// Who makes it.
    #[arg(long)]
    vendor: Option<String>,
    /// The next renewal date, or the expiry of a one-off licence.
    #[arg(long, value_name = "YYYY-MM-DD")]
    renewal: Option<String>,
    /// Cost per period, e.g. 12.50: for the whole licence, or per seat with --per-seat.
    #[arg(long, allow_hyphen_values = true)]
    cost: Option<String>,
    /// The cost is per seat (a renewal costs it times the seats).
    #[arg(long, conflicts_with = "total")]
    per_seat: bool,
    /// The cost is for the whole licence (the default).
    #[arg(long)]
    total: bool,
    /// monthly, yearly or one-off (default yearly).
    #[arg(long)]
    period: Option<String>,
    /// Who sold it.
    #[arg(long)]
    supplier: Option<String>,
    /// The licence key (stored; shown masked). Give `-` to read it from standard input, or to
    /// be asked for it at a terminal: a key typed on the command line shows in `ps` and stays
    /// in the shell's history.
    #[arg(long, value_name = "KEY|-", allow_hyphen_values = true)]
    key: Option<String>,
    /// Free text.
    #[arg(long)]
    notes: Option<String>,
    /// A note for the history.
    #[arg(long)]
    pub(crate) note: Option<String>,
}

impl LicenceFields {
    /// What `licence add` or `licence edit` sends, with the product and seats given.
    pub(crate) fn input(
        &self,
        product: Option<String>,
        seats: Option<String>,
    ) -> Result<LicenceInput> {
        Ok(LicenceInput {
            product,
            seats,
            vendor: self.vendor.clone(),
            renewal_date: self.renewal.clone(),
            cost: self.cost.clone(),
            // Neither flag keeps what is stored (on add: total).
            cost_basis: match (self.per_seat, self.total) {
                (true, _) => Some("per_seat".into()),
                (_, true) => Some("total".into()),
                _ => None,
            },
            period: self.period.clone(),
            supplier: self.supplier.clone(),
            licence_key: self.key()?,
            notes: self.notes.clone(),
        })
    }

    /// The key: as given, or with `--key -` one line from standard input (asked for at a
    /// terminal).
    fn key(&self) -> Result<Option<String>> {
        use std::io::{BufRead, IsTerminal, Write};
        if self.key.as_deref() != Some("-") {
            return Ok(self.key.clone());
        }
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprint!("Licence key: ");
            std::io::stderr().flush()?;
        }
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        let key = line.trim_end_matches(['\n', '\r']).to_string();
        if key.trim().is_empty() {
            return Err(Error::invalid(
                "licence_key",
                "--key - reads the key from standard input, and none was given",
            ));
        }
        Ok(Some(key))
    }
}

fn dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("-")
}

/// "120.00 yearly", or "10.30 per seat monthly (103.00 for 10 seats)".
fn cost_text(l: &Licence) -> String {
    match (&l.cost, l.cost_basis, &l.period_cost) {
        (Some(c), CostBasis::PerSeat, Some(all)) => format!(
            "{c} per seat {} ({all} for {} seats)",
            l.period.label(),
            l.seats
        ),
        (Some(c), _, _) => format!("{c} {}", l.period.label()),
        (None, _, _) => "-".into(),
    }
}

fn person_id(db: &Db, name: &str) -> Result<i64> {
    db.read(|c| people::find_person(c, name))?
        .map(|p| p.id)
        .ok_or_else(|| Error::not_found("person", name.trim()))
}

/// Runs a licence command on an open register.
pub fn run(db: &Db, command: LicenceCommand) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let find = |key: &str| db.read(|c| licences::find_licence(c, key));
    let sub = match command {
        LicenceCommand::Renewals { from, json } => {
            let from = match from {
                Some(d) => values::parse_date("from", &d)?
                    .ok_or_else(|| Error::invalid("from", "give a date"))?,
                None => register_core::today(),
            };
            let f = db.read(|c| renewals::forecast(c, from))?;
            if json {
                serde_json::to_writer_pretty(&mut out, &f)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(
                out,
                "Renewals from {} to {} ({})",
                f.from, f.until, f.currency
            )?;
            for m in &f.months {
                writeln!(out, "{}  total {:>12}", m.month, m.total)?;
                for i in &m.items {
                    let what = match i.kind {
                        renewals::DueKind::Warranty => format!(
                            "warranty ends  {} {}",
                            i.asset_tag.as_deref().unwrap_or(""),
                            i.name
                        ),
                        renewals::DueKind::Licence => format!("licence renews {}", i.name),
                    };
                    writeln!(
                        out,
                        "  {}  {:<48} {:>12}",
                        i.date,
                        what,
                        i.cost.map_or("-".to_string(), |m| m.to_string())
                    )?;
                }
            }
            writeln!(out, "Total {}", f.total)?;
            return Ok(());
        }
        LicenceCommand::Licence { command } => *command,
    };
    match sub {
        LicenceAction::Add {
            product,
            seats,
            fields,
        } => {
            let input = fields.input(Some(product), Some(seats))?;
            let l = db.write(Source::Cli, |tx| {
                licences::create_licence(tx, &input, fields.note.as_deref())
            })?;
            say(said::added(&l))?;
        }
        LicenceAction::List { all, json } => {
            print_licences(&db.read(|c| licences::list_licences(c, all))?, json)?;
        }
        LicenceAction::Show {
            licence,
            reveal_key,
            json,
        } => {
            let l = find(&licence)?;
            let seats = db.read(|c| licences::list_seats(c, l.id))?;
            let key = if reveal_key {
                Some(db.read(|c| licences::reveal_licence_key(c, l.id))?)
            } else {
                None
            };
            print_licence(&l, &seats, key, json)?;
        }
        LicenceAction::Edit {
            licence,
            product,
            seats,
            fields,
        } => {
            let l = find(&licence)?;
            let input = fields.input(product, seats)?;
            let after = db.write(Source::Cli, |tx| {
                licences::update_licence(tx, l.id, &input, fields.note.as_deref())
            })?;
            say(said::updated(&after, after != l))?;
        }
        LicenceAction::Assign {
            licence,
            person,
            note,
        } => {
            let l = find(&licence)?;
            let after = db.write(Source::Cli, |tx| {
                licences::assign_seat(tx, l.id, &person, note.as_deref())
            })?;
            say(said::assigned(&person, &after))?;
        }
        LicenceAction::Unassign {
            licence,
            person,
            note,
        } => {
            let l = find(&licence)?;
            let pid = person_id(db, &person)?;
            let after = db.write(Source::Cli, |tx| {
                licences::release_seat(tx, l.id, pid, note.as_deref())
            })?;
            say(said::released(&person, &after))?;
        }
        LicenceAction::Archive { licence, note } => {
            let l = find(&licence)?;
            db.write(Source::Cli, |tx| {
                licences::archive_licence(tx, l.id, note.as_deref())
            })?;
            say(said::archived(&l))?;
        }
        LicenceAction::Attach {
            licence,
            files,
            kind,
            note,
        } => {
            let l = find(&licence)?;
            let kind = kind.as_deref().map(documents::DocKind::parse).transpose()?;
            let store = documents::DocumentStore::for_db(db);
            for f in &files {
                // Refused before it is read, in the words `attach` uses for an asset's.
                documents::check_attachable(f)?;
                let d = documents::attach_file_to(
                    db,
                    &store,
                    Source::Cli,
                    documents::Owner::Licence(l.id),
                    f,
                    kind,
                    note.as_deref(),
                )?;
                writeln!(out, "{}", said::attached(&d, &l.product))?;
            }
        }
        LicenceAction::Documents { licence, json } => {
            let l = find(&licence)?;
            let docs = db.read(|c| documents::documents_of(c, documents::Owner::Licence(l.id)))?;
            print_licence_documents(&mut out, &docs, json)?;
        }
        LicenceAction::Detach {
            licence,
            document,
            note,
        } => {
            let l = find(&licence)?;
            let store = documents::DocumentStore::for_db(db);
            let d = documents::remove_from(
                db,
                &store,
                Source::Cli,
                documents::Owner::Licence(l.id),
                document,
                note.as_deref(),
            )?;
            writeln!(out, "{}", said::removed(&d, &l.product))?;
        }
        LicenceAction::History { licence, json } => {
            let l = find(&licence)?;
            let events = db.read(|c| audit::list_entity_events(c, "licence", l.id))?;
            if json {
                crate::print_json(&events)?;
            } else {
                print_licence_history(&events, &|_| None)?;
            }
        }
    }
    Ok(())
}

/// A licence's documents, as `licence documents` prints them (on a file or a team register).
pub(crate) fn print_licence_documents(
    out: &mut impl Write,
    docs: &[documents::Document],
    json: bool,
) -> Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, docs)?;
        writeln!(out)?;
        return Ok(());
    }
    for d in docs {
        writeln!(
            out,
            "#{} {} ({}, {} bytes, sha256 {})",
            d.id,
            d.name,
            d.kind.as_str(),
            d.size,
            d.sha256
        )?;
    }
    writeln!(out, "{} document(s)", docs.len())?;
    Ok(())
}

/// Prints one line (a closed stdout comes back as an error).
fn say(line: impl std::fmt::Display) -> Result<()> {
    writeln!(std::io::stdout(), "{line}")?;
    Ok(())
}

/// The line each licence change prints, the same for a file and a team register.
pub(crate) mod said {
    use register_core::documents::Document;
    use register_core::licences::Licence;

    pub fn added(l: &Licence) -> String {
        format!("Added licence #{} {} ({} seats)", l.id, l.product, l.seats)
    }

    pub fn updated(l: &Licence, changed: bool) -> String {
        if changed {
            format!("Updated licence #{} {}", l.id, l.product)
        } else {
            format!("{}: nothing changed", l.product)
        }
    }

    pub fn assigned(person: &str, l: &Licence) -> String {
        format!(
            "{} now has a seat of {} ({} of {} in use)",
            person.trim(),
            l.product,
            l.seats_used,
            l.seats
        )
    }

    pub fn released(person: &str, l: &Licence) -> String {
        format!(
            "Released {}'s seat of {} ({} of {} in use)",
            person.trim(),
            l.product,
            l.seats_used,
            l.seats
        )
    }

    pub fn archived(l: &Licence) -> String {
        format!(
            "Archived licence #{} {}; its history is kept",
            l.id, l.product
        )
    }

    pub fn attached(d: &Document, product: &str) -> String {
        format!(
            "Attached {} to {} as document #{} ({}, sha256 {})",
            d.name,
            product,
            d.id,
            d.kind.as_str(),
            d.sha256
        )
    }

    pub fn removed(d: &Document, product: &str) -> String {
        format!("Removed {} from {}", d.name, product)
    }
}

/// Licences as `licence list` prints them: a table with seats used, masked keys, renewals and
/// costs, or JSON.
pub(crate) fn print_licences(list: &[Licence], json: bool) -> Result<()> {
    if json {
        return crate::print_json(&list);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<5} {:<28} {:<16} {:>9}  {:<11} {:<10} COST",
        "ID", "PRODUCT", "VENDOR", "SEATS", "KEY", "RENEWAL"
    )?;
    for l in list {
        let product: String = l.product.chars().take(28).collect();
        let vendor: String = dash(&l.vendor).chars().take(16).collect();
        writeln!(
            out,
            "{:<5} {:<28} {:<16} {:>9}  {:<11} {:<10} {}{}",
            format!("#{}", l.id),
            product,
            vendor,
            format!("{}/{}", l.seats_used, l.seats),
            dash(&l.key_hint),
            dash(&l.renewal_date),
            cost_text(l),
            if l.archived { " (archived)" } else { "" }
        )?;
    }
    writeln!(out, "{} licence(s)", list.len())?;
    Ok(())
}

/// One licence as `licence show` prints it, with its seats; `key` is `Some` (the stored key,
/// if any) when `--reveal-key` asked for it in clear.
pub(crate) fn print_licence(
    l: &Licence,
    seats: &[Seat],
    key: Option<Option<String>>,
    json: bool,
) -> Result<()> {
    if json {
        let mut v = serde_json::to_value(l)?;
        v["seat_holders"] = serde_json::to_value(seats)?;
        if let Some(key) = &key {
            v["licence_key"] = serde_json::to_value(key)?;
        }
        return crate::print_json(&v);
    }
    let key_line = match key {
        Some(key) => key.unwrap_or_else(|| "-".into()),
        None => dash(&l.key_hint).to_string(),
    };
    let rows = [
        ("Licence", format!("#{}", l.id)),
        ("Product", l.product.clone()),
        ("Vendor", dash(&l.vendor).into()),
        ("Seats", format!("{} of {} in use", l.seats_used, l.seats)),
        ("Renewal", dash(&l.renewal_date).into()),
        ("Cost", cost_text(l)),
        ("Supplier", dash(&l.supplier).into()),
        ("Key", key_line),
        ("Notes", dash(&l.notes).into()),
        ("Archived", if l.archived { "yes" } else { "no" }.into()),
    ];
    let mut out = std::io::stdout().lock();
    for (k, v) in rows {
        writeln!(out, "{k:<9} {v}")?;
    }
    for s in seats {
        writeln!(
            out,
            "  seat: {} (since {})",
            s.person_name,
            &s.assigned_at[..10]
        )?;
    }
    Ok(())
}

/// A licence's events one a line, as `licence history` prints them; `by(i)` is who wrote the
/// `i`th, where the register knows (a team register's login), beside its source:
/// `[cli by alice]`.
pub(crate) fn print_licence_history(
    events: &[Event],
    by: &dyn Fn(usize) -> Option<String>,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for (i, e) in events.iter().enumerate() {
        let source = match by(i) {
            Some(who) => format!("{} by {who}", e.source),
            None => e.source.clone(),
        };
        write!(out, "#{} {} [{source}] {}", e.id, e.at, e.kind)?;
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
