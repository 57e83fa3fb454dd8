//! The PDF register report and the per-asset dossier. Builds PDF bytes with printpdf; never
//! touches the filesystem (the shell or CLI writes the bytes where the user chose).
//!
//! Both documents open with the facts that pin down which state of the register they show:
//! organisation, generation time, the "as of" moment, the filters, the audit trail's event count,
//! its full head hash and whether it verifies. The head hash is repeated in every page footer.
//!
//! Layout is done here, not by printpdf: text is measured with the embedded font's glyph
//! advances and wrapped inside its table column (never clipped, never spilling into the next
//! column); table rows that do not fit move to the next page, where the header row is drawn
//! again. Text is DejaVu Sans Condensed (see `fonts/LICENSE`), embedded as a subset by printpdf;
//! characters it has no glyph for are drawn as U+FFFD, so they stay visible and never vanish.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, OffsetDateTime, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::assets::{self, Asset, ListQuery};
use crate::audit::{self, Event, Verification};
use crate::error::{Error, Result};
use crate::settings::get_settings;
use crate::snapshot::{self, Snapshot};
use crate::status::Status;
use crate::values::parse_money;

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed-Bold.ttf");

/// How far ahead the summary looks for warranties that end.
const WARRANTY_DAYS: u64 = 90;

/// The sheet the document is laid out on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Parses `a4` or `letter` (any case; `us-letter` too).
    pub fn parse(s: &str) -> Result<Paper> {
        match s.trim().to_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" | "us-letter" | "usletter" => Ok(Paper::Letter),
            other => Err(Error::invalid(
                "paper",
                format!("\"{other}\" is not a paper size; use a4 or letter"),
            )),
        }
    }

    /// Portrait width and height in millimetres.
    fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

/// What a register report shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// Show the register as it stood at the end of this day (UTC), rebuilt from the audit
    /// trail. `None`: the live register.
    pub as_of: Option<NaiveDate>,
    /// Only assets in this status.
    pub status: Option<Status>,
    /// Only assets matching these words (tag, name, serial, make, model, holder, location,
    /// notes; each word a prefix, ignoring case), as the list's search box.
    pub search: Option<String>,
    /// The paper size.
    pub paper: Paper,
}

/// A finished PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedPdf {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub page_count: usize,
}

/// A document attached to an asset, as the dossier lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachedDocument {
    /// The file name as attached.
    pub name: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// SHA-256 of its content (hex).
    pub sha256: String,
    /// When it was attached (UTC, RFC 3339).
    pub added_at: String,
}

/// The register report: cover facts, summary, and the inventory table, as a PDF.
pub fn render_register_report(conn: &Connection, opts: &ReportOptions) -> Result<RenderedPdf> {
    if let Some(d) = opts.as_of {
        // The UTC date can be a day ahead of the local one: allow whichever is later.
        if d > crate::today().max(Utc::now().date_naive()) {
            return Err(Error::invalid(
                "as_of",
                format!("{d} is in the future; a report can show the register up to today"),
            ));
        }
    }
    let generated = Utc::now();
    let settings = get_settings(conn)?;
    let verification = audit::verify(conn)?;
    let (rows, snap) = match opts.as_of {
        None => (live_rows(conn, opts)?, None),
        Some(d) => {
            let mut s = snapshot::register_as_of(conn, d)?;
            let rows = std::mem::take(&mut s.assets)
                .into_iter()
                .filter(|a| opts.status.is_none_or(|st| a.status == st))
                .filter(|a| opts.search.as_deref().is_none_or(|q| matches_search(a, q)))
                .collect();
            (rows, Some(s))
        }
    };
    let org = organisation(&settings.organisation);
    let currency = settings.currency;
    let day = opts.as_of.unwrap_or_else(crate::today);

    let mut doc = PdfDocument::new(&format!("Asset register — {org}"));
    set_info(&mut doc, &org, "Asset register", generated);
    let mut c = Canvas::new(&mut doc, opts.paper, true)?;
    let as_of_short = match opts.as_of {
        Some(d) => format!("As of the end of {d} (UTC)"),
        None => format!("Live register, {}", stamp(generated)),
    };
    c.running = (format!("{org} · Asset register"), as_of_short);

    // Cover.
    c.text_line(&org, Style::regular(15.0).gray(0.35), 24.0);
    c.text_line("Asset register", Style::bold(30.0), 44.0);
    let sub = match opts.as_of {
        Some(d) => format!(
            "The register as it stood at the end of {d} (UTC), reconstructed from the audit trail"
        ),
        None => format!("The live register at {}", stamp(generated)),
    };
    c.text_line(&sub, Style::regular(12.0).gray(0.25), 20.0);
    c.gap(18.0);
    let total: i64 = rows.iter().filter_map(minor_cost).sum();
    let mut facts = vec![
        ("Organisation".to_string(), org.clone()),
        ("Generated".to_string(), stamp(generated)),
        (
            "As of".to_string(),
            match opts.as_of {
                Some(d) => format!("End of {d} (23:59:59 UTC)"),
                None => "Generation time (live register)".to_string(),
            },
        ),
        ("Filters".to_string(), describe_filters(opts)),
        (
            "Assets in this report".to_string(),
            group(rows.len() as i64),
        ),
        (
            "Total purchase value".to_string(),
            format!("{currency} {}", money(total)),
        ),
    ];
    facts.extend(trail_facts(&verification, snap.as_ref()));
    c.facts(&facts, 170.0);
    c.gap(14.0);
    c.paragraph(
        &format!(
            "To check this report later, run “asset-register-cli verify” on the register: while \
             nothing has changed it prints the same event count ({}) and head hash. Every change \
             appends an event, so the count grows and the head hash changes; an edited or deleted \
             event makes verification fail.",
            group(verification.event_count)
        ),
        Style::regular(9.0).gray(0.35),
    );

    // Summary.
    c.new_page();
    c.heading("Summary");
    summary_tables(&mut c, &rows, &currency, day);

    // Inventory.
    c.new_page();
    c.heading(&format!("Inventory ({} assets)", group(rows.len() as i64)));
    if rows.is_empty() {
        c.paragraph("No assets match.", Style::regular(10.0));
    } else {
        let cost_title = format!("Cost ({currency})");
        let mut t = Table::new(
            &c,
            &[
                ("Tag", 7.0, Align::Left),
                ("Name", 16.5, Align::Left),
                ("Category", 8.0, Align::Left),
                ("Make / model", 14.0, Align::Left),
                ("Serial number", 10.5, Align::Left),
                ("Holder / location", 13.0, Align::Left),
                ("Status", 9.0, Align::Left),
                ("Purchased", 7.0, Align::Left),
                (cost_title.as_str(), 8.0, Align::Right),
                ("Warranty ends", 7.0, Align::Left),
            ],
        );
        t.size = 8.0;
        c.begin_table(t);
        for a in &rows {
            c.row(&[
                a.asset_tag.clone(),
                a.name.clone(),
                opt(&a.category),
                make_model(a),
                opt(&a.serial_number),
                a.holder().unwrap_or("").to_string(),
                a.status.label().to_string(),
                opt(&a.purchase_date),
                cost(a),
                opt(&a.warranty_expires),
            ]);
        }
        c.end_table();
    }
    // The rows are laid out: free them before the document is serialised.
    drop(rows);
    let footer = format!("Audit trail head {}", verification.head_hash);
    finish(doc, c, &footer)
}

/// The dossier of one asset: cover facts, every field, the full history and its documents.
pub fn render_asset_dossier(conn: &Connection, asset_id: i64, paper: Paper) -> Result<RenderedPdf> {
    let a = assets::get_asset(conn, asset_id)?;
    let events = audit::list_asset_events(conn, asset_id)?;
    let generated = Utc::now();
    let settings = get_settings(conn)?;
    let verification = audit::verify(conn)?;
    let org = organisation(&settings.organisation);
    let currency = settings.currency;

    let mut doc = PdfDocument::new(&format!("Asset dossier {} — {org}", a.asset_tag));
    set_info(
        &mut doc,
        &org,
        &format!("Asset dossier {}", a.asset_tag),
        generated,
    );
    let mut c = Canvas::new(&mut doc, paper, false)?;
    c.running = (
        format!("{org} · Asset dossier · {}", a.asset_tag),
        format!("Live register, {}", stamp(generated)),
    );
    c.text_line(&org, Style::regular(13.0).gray(0.35), 20.0);
    c.text_line("Asset dossier", Style::bold(26.0), 36.0);
    c.paragraph(
        &format!("{} — {}", a.asset_tag, a.name),
        Style::bold(14.0).gray(0.2),
    );
    c.gap(10.0);
    let mut facts = vec![
        ("Organisation".to_string(), org.clone()),
        ("Generated".to_string(), stamp(generated)),
        (
            "As of".to_string(),
            "Generation time (live register)".to_string(),
        ),
        (
            "History".to_string(),
            format!("{} events about this asset", group(events.len() as i64)),
        ),
    ];
    facts.extend(trail_facts(&verification, None));
    c.facts(&facts, 130.0);

    c.heading("Details");
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let fields = vec![
        ("Asset tag".to_string(), a.asset_tag.clone()),
        ("Name".to_string(), a.name.clone()),
        ("Status".to_string(), a.status.label().to_string()),
        ("Assigned to".to_string(), dash(&a.assigned_to)),
        ("Location".to_string(), dash(&a.location)),
        ("Category".to_string(), dash(&a.category)),
        ("Make".to_string(), dash(&a.make)),
        ("Model".to_string(), dash(&a.model)),
        ("Serial number".to_string(), dash(&a.serial_number)),
        ("Purchase date".to_string(), dash(&a.purchase_date)),
        (
            "Purchase cost".to_string(),
            match minor_cost(&a) {
                Some(m) => format!("{currency} {}", money(m)),
                None => "—".into(),
            },
        ),
        ("Supplier".to_string(), dash(&a.supplier)),
        ("Warranty expires".to_string(), dash(&a.warranty_expires)),
        ("Notes".to_string(), dash(&a.notes)),
        (
            "In the register".to_string(),
            if a.archived {
                "No — archived (its history is kept)".to_string()
            } else {
                "Yes".to_string()
            },
        ),
        ("Created".to_string(), utc_text(&a.created_at)),
        ("Last changed".to_string(), utc_text(&a.updated_at)),
    ];
    c.facts(&fields, 130.0);

    c.heading("History");
    if events.is_empty() {
        c.paragraph("No recorded events.", Style::regular(10.0));
    } else {
        let mut t = Table::new(
            &c,
            &[
                ("Event", 7.0, Align::Right),
                ("When (UTC)", 17.0, Align::Left),
                ("Source", 7.5, Align::Left),
                ("What happened", 45.5, Align::Left),
                ("Note", 23.0, Align::Left),
            ],
        );
        t.size = 8.5;
        c.begin_table(t);
        for e in &events {
            c.row(&[
                format!("#{}", e.id),
                utc_text(&e.at),
                source_label(&e.source).to_string(),
                describe_event(e, &currency),
                e.note.clone().unwrap_or_default(),
            ]);
        }
        c.end_table();
    }

    let docs: Vec<AttachedDocument> = crate::documents::list_documents(conn, asset_id)?
        .into_iter()
        .map(|d| AttachedDocument {
            name: d.name,
            size_bytes: d.size as u64,
            sha256: d.sha256,
            added_at: d.added_at,
        })
        .collect();
    draw_documents(&mut c, &docs);
    let footer = format!("Audit trail head {}", verification.head_hash);
    finish(doc, c, &footer)
}

/// The offboarding checklist a leaver signs: who, the leaving date, one line per thing they
/// held (asset or licence seat) with how it was resolved or a box to tick, then signature and
/// date lines for the leaver and for whoever collected the items.
pub fn render_offboarding_checklist(
    conn: &Connection,
    person_id: i64,
    paper: Paper,
) -> Result<RenderedPdf> {
    use crate::offboarding::{self, ItemKind, Outcome};
    let list = offboarding::get_checklist(conn, person_id)?;
    let p = &list.person;
    let generated = Utc::now();
    let settings = get_settings(conn)?;
    let org = organisation(&settings.organisation);
    let mut doc = PdfDocument::new(&format!("Offboarding checklist {} — {org}", p.name));
    set_info(
        &mut doc,
        &org,
        &format!("Offboarding checklist {}", p.name),
        generated,
    );
    let mut c = Canvas::new(&mut doc, paper, false)?;
    c.running = (
        format!("{org} · Offboarding checklist · {}", p.name),
        format!("Generated {}", stamp(generated)),
    );
    c.text_line(&org, Style::regular(13.0).gray(0.35), 20.0);
    c.text_line("Offboarding checklist", Style::bold(26.0), 36.0);
    c.paragraph(&p.name, Style::bold(14.0).gray(0.2));
    c.gap(6.0);
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let leaving = list
        .offboarding
        .as_ref()
        .map(|o| o.leaving_on.clone())
        .or_else(|| p.left_on.clone());
    let state = match (&list.offboarding, p.active) {
        (_, false) => format!("Left on {}", dash(&p.left_on)),
        (Some(o), true) if o.finished_at.is_none() => "Offboarding in progress".to_string(),
        _ => "Active".to_string(),
    };
    c.facts(
        &[
            ("Person".to_string(), p.name.clone()),
            ("Email".to_string(), dash(&p.email)),
            ("Department".to_string(), dash(&p.department)),
            ("Leaving date".to_string(), dash(&leaving)),
            ("State".to_string(), state),
            (
                "Items".to_string(),
                format!(
                    "{} in all, {} still to collect",
                    list.items.len(),
                    list.unresolved
                ),
            ),
            ("Generated".to_string(), stamp(generated)),
        ],
        130.0,
    );

    c.heading("Items");
    if list.items.is_empty() {
        c.paragraph(
            &format!("{} holds no assets and no licence seats.", p.name),
            Style::regular(10.0),
        );
    } else {
        let t = Table::new(
            &c,
            &[
                ("#", 5.0, Align::Right),
                ("Item", 33.0, Align::Left),
                ("Kind", 13.0, Align::Left),
                ("Serial / vendor", 16.0, Align::Left),
                ("Outcome", 33.0, Align::Left),
            ],
        );
        c.begin_table(t);
        for (i, item) in list.items.iter().enumerate() {
            let outcome = match (item.outcome, &item.resolution) {
                (None, _) if item.kind == ItemKind::Seat => "☐ released   ☐ reassigned".to_string(),
                (None, _) => "☐ returned   ☐ reassigned   ☐ missing".to_string(),
                (Some(Outcome::Returned), Some(r)) if item.kind == ItemKind::Asset => {
                    format!("Returned to {r}")
                }
                (Some(Outcome::Returned), _) if item.kind == ItemKind::Seat => {
                    "Seat released".to_string()
                }
                (Some(Outcome::Returned), _) => "Returned".to_string(),
                (Some(Outcome::Reassigned), r) => format!("Reassigned to {}", dash(r)),
                (Some(Outcome::Missing), Some(r)) => format!("Missing (Lost/Stolen): {r}"),
                (Some(Outcome::Missing), None) => "Missing (Lost/Stolen)".to_string(),
            };
            c.row(&[
                format!("{}", i + 1),
                item.label.clone(),
                match item.kind {
                    ItemKind::Asset => "Asset".to_string(),
                    ItemKind::Seat => "Licence seat".to_string(),
                },
                dash(&item.detail),
                outcome,
            ]);
        }
        c.end_table();
    }

    c.heading("Signatures");
    c.paragraph(
        "I confirm that the items above are returned, handed over or reported missing as stated.",
        Style::regular(10.0),
    );
    for who in [format!("Leaver: {}", p.name), "Collected by".to_string()] {
        c.ensure(70.0);
        c.gap(30.0);
        let st = Style::regular(9.5).gray(0.3);
        let left = c.margin;
        let split = c.margin + c.text_width() * 0.62;
        let y = c.y;
        c.rule(left, split - 16.0, y, 0.7, 0.2);
        c.rule(split, c.width - c.margin, y, 0.7, 0.2);
        c.draw_text(left, y + 12.0, &format!("{who} — signature"), st);
        c.draw_text(split, y + 12.0, "Date", st);
        c.y = y + 18.0;
    }
    let footer = format!("Offboarding checklist · {}", p.name);
    finish(doc, c, &footer)
}

/// The dossier's documents section: each document with its size and full SHA-256, so a
/// printed dossier can prove a stored receipt is the one attached.
fn draw_documents(c: &mut Canvas, docs: &[AttachedDocument]) {
    c.heading("Documents");
    if docs.is_empty() {
        c.paragraph("No documents attached.", Style::regular(10.0));
        return;
    }
    let t = Table::new(
        c,
        &[
            ("File", 34.0, Align::Left),
            ("Size", 10.0, Align::Right),
            ("Attached (UTC)", 18.0, Align::Left),
            ("SHA-256", 38.0, Align::Left),
        ],
    );
    c.begin_table(t);
    for d in docs {
        c.row(&[
            d.name.clone(),
            format!("{} bytes", group(d.size_bytes as i64)),
            utc_text(&d.added_at),
            d.sha256.clone(),
        ]);
    }
    c.end_table();
}

/// Every live asset matching the report's filters, by tag, page by page.
fn live_rows(conn: &Connection, opts: &ReportOptions) -> Result<Vec<Asset>> {
    let mut q = ListQuery {
        search: opts.search.clone(),
        status: opts.status,
        limit: Some(1000),
        ..Default::default()
    };
    let mut rows = Vec::new();
    loop {
        let page = assets::list_assets(conn, &q)?;
        let n = page.assets.len();
        rows.extend(page.assets);
        if n < 1000 {
            return Ok(rows);
        }
        q.offset += 1000;
    }
}

/// The in-memory twin of the list's search, for reconstructed registers: every word of `q`
/// must begin a word of the tag, name, serial, make, model, holder, location or notes,
/// ignoring case and common accents.
fn matches_search(a: &Asset, q: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().flat_map(char::to_lowercase).map(fold).collect())
            .collect()
    };
    let wanted = words(q);
    if wanted.is_empty() {
        return true;
    }
    let fields = [
        Some(&a.asset_tag),
        Some(&a.name),
        a.serial_number.as_ref(),
        a.make.as_ref(),
        a.model.as_ref(),
        a.assigned_to.as_ref(),
        a.location.as_ref(),
        a.notes.as_ref(),
    ];
    let have: Vec<String> = fields
        .into_iter()
        .flatten()
        .flat_map(|f| words(f))
        .collect();
    wanted
        .iter()
        .all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
}

/// Folds the accented Latin letters people type without their accents.
fn fold(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' => 'd',
        'è'..='ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'ī' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' => 't',
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => c,
    }
}

fn organisation(name: &str) -> String {
    match name.trim() {
        "" => "Your organisation".to_string(),
        n => n.to_string(),
    }
}

fn set_info(doc: &mut PdfDocument, org: &str, subject: &str, at: DateTime<Utc>) {
    let info = &mut doc.metadata.info;
    info.author = org.to_string();
    info.subject = subject.to_string();
    info.creator = "Asset Register".to_string();
    info.producer = "Asset Register (printpdf)".to_string();
    if let Ok(t) = OffsetDateTime::from_unix_timestamp(at.timestamp()) {
        info.creation_date = t;
        info.modification_date = t;
        info.metadata_date = t;
    }
}

/// The cover lines about the audit trail.
fn trail_facts(v: &Verification, snap: Option<&Snapshot>) -> Vec<(String, String)> {
    let mut f = vec![
        (
            "Audit trail".to_string(),
            format!("{} events", group(v.event_count)),
        ),
        ("Head hash".to_string(), v.head_hash.clone()),
        (
            "Verification".to_string(),
            if v.ok {
                "Passed: the database integrity check is clean and every event's hash checks out"
                    .to_string()
            } else {
                format!("FAILED. {}", v.describe().trim().replace('\n', ". "))
            },
        ),
    ];
    if let Some(s) = snap {
        f.push((
            "Reconstructed from".to_string(),
            if s.event_count == 0 {
                "No events: the register was empty then".to_string()
            } else {
                format!(
                    "{} events up to event #{}, whose hash is {}",
                    group(s.event_count),
                    s.last_event_id,
                    s.last_hash
                )
            },
        ));
    }
    f
}

fn describe_filters(opts: &ReportOptions) -> String {
    let mut f = Vec::new();
    if let Some(s) = opts.status {
        f.push(format!("Status is {}", s.label()));
    }
    if let Some(q) = opts
        .search
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        f.push(format!("Search “{q}”"));
    }
    if f.is_empty() {
        "None: every asset in the register".to_string()
    } else {
        f.join("; ")
    }
}

/// Counts and value by status and category, warranties ending soon and Lost/Stolen assets.
fn summary_tables(c: &mut Canvas, rows: &[Asset], currency: &str, day: NaiveDate) {
    let value_title = format!("Purchase value ({currency})");
    let cols = [
        ("Status", 40.0, Align::Left),
        ("Assets", 20.0, Align::Right),
        (value_title.as_str(), 40.0, Align::Right),
    ];
    c.subheading("By status");
    let mut t = Table::new(c, &cols);
    t.scale_to(360.0);
    c.begin_table(t);
    let (mut n, mut v) = (0i64, 0i64);
    for s in Status::ALL {
        let of: Vec<&Asset> = rows.iter().filter(|a| a.status == s).collect();
        let value: i64 = of.iter().filter_map(|a| minor_cost(a)).sum();
        n += of.len() as i64;
        v += value;
        c.row(&[s.label().into(), group(of.len() as i64), money(value)]);
    }
    c.total_row(&["Total".into(), group(n), money(v)]);
    c.end_table();

    c.subheading("By category");
    let mut by_cat: BTreeMap<String, (String, i64, i64)> = BTreeMap::new();
    for a in rows {
        let name = a.category.clone().unwrap_or_else(|| "(no category)".into());
        let e = by_cat.entry(name.to_lowercase()).or_insert((name, 0, 0));
        e.1 += 1;
        e.2 += minor_cost(a).unwrap_or(0);
    }
    let mut cols_cat = cols;
    cols_cat[0].0 = "Category";
    let mut t = Table::new(c, &cols_cat);
    t.scale_to(360.0);
    c.begin_table(t);
    for (name, count, value) in by_cat.values() {
        c.row(&[name.clone(), group(*count), money(*value)]);
    }
    c.total_row(&["Total".into(), group(n), money(v)]);
    c.end_table();

    let until = day
        .checked_add_days(Days::new(WARRANTY_DAYS))
        .unwrap_or(day);
    c.subheading(&format!(
        "Warranties ending in the next {WARRANTY_DAYS} days ({day} to {until})"
    ));
    let mut soon: Vec<(NaiveDate, &Asset)> = rows
        .iter()
        .filter(|a| !matches!(a.status, Status::Retired | Status::LostStolen))
        .filter_map(|a| {
            let d = NaiveDate::parse_from_str(a.warranty_expires.as_deref()?, "%Y-%m-%d").ok()?;
            (day <= d && d <= until).then_some((d, a))
        })
        .collect();
    soon.sort_by(|x, y| (x.0, &x.1.asset_tag).cmp(&(y.0, &y.1.asset_tag)));
    if soon.is_empty() {
        c.paragraph("None.", Style::regular(9.0));
    } else {
        let mut t = Table::new(
            c,
            &[
                ("Warranty ends", 12.0, Align::Left),
                ("Tag", 12.0, Align::Left),
                ("Name", 32.0, Align::Left),
                ("Holder / location", 28.0, Align::Left),
                ("Status", 16.0, Align::Left),
            ],
        );
        t.size = 8.5;
        c.begin_table(t);
        for (d, a) in soon {
            c.row(&[
                d.to_string(),
                a.asset_tag.clone(),
                a.name.clone(),
                a.holder().unwrap_or("").to_string(),
                a.status.label().to_string(),
            ]);
        }
        c.end_table();
    }

    c.subheading("Lost/Stolen assets");
    let lost: Vec<&Asset> = rows
        .iter()
        .filter(|a| a.status == Status::LostStolen)
        .collect();
    if lost.is_empty() {
        c.paragraph("None.", Style::regular(9.0));
    } else {
        let cost_title = format!("Cost ({currency})");
        let mut t = Table::new(
            c,
            &[
                ("Tag", 12.0, Align::Left),
                ("Name", 30.0, Align::Left),
                ("Serial number", 18.0, Align::Left),
                ("Last holder / location", 26.0, Align::Left),
                (cost_title.as_str(), 14.0, Align::Right),
            ],
        );
        t.size = 8.5;
        c.begin_table(t);
        for a in lost {
            c.row(&[
                a.asset_tag.clone(),
                a.name.clone(),
                opt(&a.serial_number),
                a.holder().unwrap_or("").to_string(),
                cost(a),
            ]);
        }
        c.end_table();
    }
}

/// An event as sentences: a headline, then each field's change as "Field: old → new".
fn describe_event(e: &Event, currency: &str) -> String {
    let new_of = |f: &str| {
        e.changes
            .iter()
            .find(|c| c.field == f)
            .and_then(|c| c.new.clone())
    };
    let mut lines = vec![match e.kind.as_str() {
        "created" => "Added to the register".to_string(),
        "edited" => "Details edited".to_string(),
        "assigned" => match new_of("assigned_to").or_else(|| new_of("location")) {
            Some(h) => format!("Assigned to {h}"),
            None => "Assigned".to_string(),
        },
        "returned" => "Returned (now Available)".to_string(),
        "status_changed" => match new_of("status").map(|s| status_text(&s)) {
            Some(s) => format!("Status changed to {s}"),
            None => "Status changed".to_string(),
        },
        "archived" => "Archived: removed from the live register, history kept".to_string(),
        "restored" => "Brought back into the live register".to_string(),
        other => {
            let mut s = other.replace('_', " ");
            if let Some(f) = s.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            s
        }
    }];
    for ch in &e.changes {
        if ch.field == "archived" {
            continue;
        }
        let show = |v: &Option<String>| match v {
            None => "(empty)".to_string(),
            Some(v) => match ch.field.as_str() {
                "status" => status_text(v),
                "purchase_cost" => match parse_money("purchase_cost", v) {
                    Ok(Some(m)) => format!("{currency} {}", money(m)),
                    _ => v.clone(),
                },
                _ => v.clone(),
            },
        };
        let label = field_label(&ch.field);
        if e.kind == "created" {
            lines.push(format!("{label}: {}", show(&ch.new)));
        } else {
            lines.push(format!("{label}: {} → {}", show(&ch.old), show(&ch.new)));
        }
    }
    lines.join("\n")
}

fn status_text(s: &str) -> String {
    Status::parse(s)
        .map(|s| s.label().to_string())
        .unwrap_or_else(|_| s.to_string())
}

fn field_label(field: &str) -> String {
    match field {
        "asset_tag" => "Tag",
        "name" => "Name",
        "category" => "Category",
        "make" => "Make",
        "model" => "Model",
        "serial_number" => "Serial number",
        "purchase_date" => "Purchase date",
        "purchase_cost" => "Purchase cost",
        "supplier" => "Supplier",
        "warranty_expires" => "Warranty expires",
        "notes" => "Notes",
        "status" => "Status",
        "assigned_to" => "Assigned to",
        "location" => "Location",
        other => return other.replace('_', " "),
    }
    .to_string()
}

fn source_label(s: &str) -> &str {
    match s {
        "app" => "App",
        "cli" => "CLI",
        "import" => "Import",
        "system" => "System",
        other => other,
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn make_model(a: &Asset) -> String {
    match (a.make.as_deref(), a.model.as_deref()) {
        (Some(m), Some(n)) => format!("{m} {n}"),
        (Some(m), None) => m.to_string(),
        (None, Some(n)) => n.to_string(),
        (None, None) => String::new(),
    }
}

fn minor_cost(a: &Asset) -> Option<i64> {
    parse_money("purchase_cost", a.purchase_cost.as_deref()?).ok()?
}

fn cost(a: &Asset) -> String {
    match (minor_cost(a), &a.purchase_cost) {
        (Some(m), _) => money(m),
        (None, Some(raw)) => raw.clone(),
        (None, None) => String::new(),
    }
}

/// `1234567` → `"1,234,567"`.
fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Minor units as grouped money: `123456789` → `"1,234,567.89"`.
fn money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs() as i64;
    format!("{sign}{}.{:02}", group(m / 100), m % 100)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A stored RFC 3339 time as `YYYY-MM-DD HH:MM:SS` (UTC), or as stored when unreadable.
fn utc_text(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&Utc)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

/// Closes the last page, adds every page's footer and serialises the document.
fn finish(mut doc: PdfDocument, c: Canvas, footer: &str) -> Result<RenderedPdf> {
    let (w, h) = c.size_mm;
    let pages: Vec<PdfPage> = c
        .finish(footer)
        .into_iter()
        .map(|ops| PdfPage::new(Mm(w), Mm(h), ops))
        .collect();
    let page_count = pages.len();
    doc.with_pages(pages);
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let bytes = doc.save(&opts, &mut warnings);
    if bytes.is_empty() {
        return Err(Error::Internal(format!(
            "the PDF could not be written: {:?}",
            warnings.first().map(|w| &w.msg)
        )));
    }
    Ok(RenderedPdf { bytes, page_count })
}

// ---------------------------------------------------------------------------------------------
// Layout: fonts, measuring, wrapping, pages and tables.

/// A font face registered with the document, with its advances for measuring.
struct Face {
    id: FontId,
    /// Advance widths by BMP code point in thousandths of an em, truncated exactly as printpdf
    /// writes the font's `/W` array, so measured and drawn widths agree; `NO_GLYPH` where the
    /// font has none.
    bmp: Vec<u16>,
    /// Advances beyond the BMP.
    astral: HashMap<u32, u16>,
    /// What stands in for a character the font lacks: U+FFFD, else `?`.
    placeholder: char,
}

const NO_GLYPH: u16 = u16::MAX;

impl Face {
    fn load(doc: &mut PdfDocument, bytes: &[u8], name: &str) -> Result<Face> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| {
            Error::Internal(format!(
                "the embedded font {name} cannot be read: {warnings:?}"
            ))
        })?;
        let mut bmp = vec![NO_GLYPH; 0x1_0000];
        let mut astral = HashMap::new();
        let scale = 1000.0 / f32::from(font.pdf_font_metrics.units_per_em.max(1));
        for (&cp, &gid) in &font.codepoint_to_glyph {
            // Glyph 0 is .notdef: a mapping to it means "no glyph".
            if gid == 0 {
                continue;
            }
            let units = f32::from(font.get_glyph_width(gid).unwrap_or(0));
            let adv = ((units * scale) as u16).min(NO_GLYPH - 1);
            match usize::try_from(cp) {
                Ok(i) if i < bmp.len() => bmp[i] = adv,
                _ => {
                    astral.insert(cp, adv);
                }
            }
        }
        let id = doc.add_font(&font);
        let placeholder = if bmp[0xFFFD] != NO_GLYPH {
            '\u{FFFD}'
        } else {
            '?'
        };
        Ok(Face {
            id,
            bmp,
            astral,
            placeholder,
        })
    }

    fn advance(&self, c: char) -> Option<u16> {
        let cp = c as u32;
        let adv = match self.bmp.get(cp as usize) {
            Some(&a) => a,
            None => *self.astral.get(&cp)?,
        };
        (adv != NO_GLYPH).then_some(adv)
    }

    /// The character as drawn: itself when the font has it, a space for a tab, else the
    /// placeholder.
    fn printable(&self, c: char) -> char {
        if c == '\t' {
            ' '
        } else if !c.is_control() && self.advance(c).is_some() {
            c
        } else {
            self.placeholder
        }
    }

    /// The width of already-printable text in points.
    fn width(&self, s: &str, size: f32) -> f32 {
        let milli: u32 = s
            .chars()
            .map(|c| u32::from(self.advance(c).unwrap_or(0)))
            .sum();
        milli as f32 * size / 1000.0
    }

    /// Splits `text` into lines no wider than `max` points: at spaces where possible, inside a
    /// word only when the word alone is wider than a line. Line breaks in the text are kept.
    /// Characters the font lacks become the placeholder, so nothing is dropped. Always returns
    /// at least one line.
    fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let per_milli = size / 1000.0;
        let adv = |c: char| f32::from(self.advance(c).unwrap_or(0)) * per_milli;
        let space = adv(' ');
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let para: String = para
                .strip_suffix('\r')
                .unwrap_or(para)
                .chars()
                .map(|c| self.printable(c))
                .collect();
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let word_w: f32 = word.chars().map(adv).sum();
                if !line.is_empty() && line_w + space + word_w <= max {
                    line.push(' ');
                    line.push_str(word);
                    line_w += space + word_w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                if word_w <= max {
                    line.push_str(word);
                    line_w = word_w;
                    continue;
                }
                // A word wider than the line: break it between characters.
                for ch in word.chars() {
                    let w = adv(ch);
                    if !line.is_empty() && line_w + w > max {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(ch);
                    line_w += w;
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    bold: bool,
    size: f32,
    rgb: [f32; 3],
}

impl Style {
    fn regular(size: f32) -> Style {
        Style {
            bold: false,
            size,
            rgb: INK,
        }
    }
    fn bold(size: f32) -> Style {
        Style {
            bold: true,
            ..Style::regular(size)
        }
    }
    fn gray(self, g: f32) -> Style {
        Style {
            rgb: [g, g, g],
            ..self
        }
    }
    fn rgb(self, rgb: [f32; 3]) -> Style {
        Style { rgb, ..self }
    }
    /// Baseline-to-baseline distance.
    fn leading(self) -> f32 {
        self.size * 1.25
    }
}

const INK: [f32; 3] = [0.1, 0.1, 0.12];
const ALERT: [f32; 3] = [0.7, 0.05, 0.05];
const HEADER_FILL: f32 = 0.86;
const ZEBRA_FILL: f32 = 0.955;
const TOTAL_FILL: f32 = 0.92;
/// Padding inside a table cell, left/right and top/bottom.
const PAD_X: f32 = 3.5;
const PAD_Y: f32 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

/// A table being drawn: its columns and whether the rows are striped.
#[derive(Debug, Clone)]
struct Table {
    titles: Vec<String>,
    widths: Vec<f32>,
    aligns: Vec<Align>,
    size: f32,
    /// Bold first column, no header row: a list of facts.
    facts: bool,
    /// Rows drawn so far (for the stripes).
    rows: usize,
    /// The header's wrapped titles and height (none for facts), set by `begin_table`.
    head: Vec<Vec<String>>,
    head_h: f32,
}

impl Table {
    /// Columns sized by weight to the page's text width.
    fn new(c: &Canvas, cols: &[(&str, f32, Align)]) -> Table {
        let total: f32 = cols.iter().map(|c| c.1).sum();
        let width = c.text_width();
        Table {
            titles: cols.iter().map(|c| c.0.to_string()).collect(),
            widths: cols.iter().map(|c| c.1 / total * width).collect(),
            aligns: cols.iter().map(|c| c.2).collect(),
            size: 9.0,
            facts: false,
            rows: 0,
            head: Vec::new(),
            head_h: 0.0,
        }
    }

    /// Rescales the columns to `width` points (no wider than the page).
    fn scale_to(&mut self, width: f32) {
        let total: f32 = self.widths.iter().sum();
        for w in &mut self.widths {
            *w *= width / total;
        }
    }
}

/// The pen's state in the current content stream, to skip redundant operators.
#[derive(Debug, Default)]
struct Pen {
    in_text: bool,
    font: Option<(bool, u32)>,
    fill: Option<[u32; 3]>,
}

/// Pages being laid out, top to bottom. Coordinates are points from the page's top-left;
/// they are flipped to PDF's bottom-left origin only when operators are written.
struct Canvas {
    regular: Face,
    bold: Face,
    size_mm: (f32, f32),
    width: f32,
    height: f32,
    margin: f32,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    pen: Pen,
    /// Where the next block starts (from the top).
    y: f32,
    /// The running head of every page after the first: left and right text.
    running: (String, String),
    table: Option<Table>,
}

impl Canvas {
    fn new(doc: &mut PdfDocument, paper: Paper, landscape: bool) -> Result<Canvas> {
        let (w, h) = paper.size_mm();
        let size_mm = if landscape { (h, w) } else { (w, h) };
        let pt = |mm: f32| mm * 72.0 / 25.4;
        let margin = 40.0;
        Ok(Canvas {
            regular: Face::load(doc, REGULAR_TTF, "DejaVu Sans Condensed")?,
            bold: Face::load(doc, BOLD_TTF, "DejaVu Sans Condensed Bold")?,
            size_mm,
            width: pt(size_mm.0),
            height: pt(size_mm.1),
            margin,
            pages: Vec::new(),
            ops: Vec::new(),
            pen: Pen::default(),
            y: margin + 8.0,
            running: (String::new(), String::new()),
            table: None,
        })
    }

    fn text_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    fn bottom(&self) -> f32 {
        self.height - self.margin - 14.0
    }

    fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    // -- Operators -------------------------------------------------------------------------

    fn fill(&mut self, rgb: [f32; 3]) {
        let key = rgb.map(f32::to_bits);
        if self.pen.fill != Some(key) {
            self.ops.push(Op::SetFillColor {
                col: Color::Rgb(Rgb::new(rgb[0], rgb[1], rgb[2], None)),
            });
            self.pen.fill = Some(key);
        }
    }

    fn end_text(&mut self) {
        if self.pen.in_text {
            self.ops.push(Op::EndTextSection);
            self.pen.in_text = false;
        }
    }

    /// Draws one line of printable text with its baseline `baseline` points from the top.
    fn draw_text(&mut self, x: f32, baseline: f32, s: &str, st: Style) {
        if !s.is_empty() {
            self.draw_run(baseline, &[(x, s)], st);
        }
    }

    /// Draws pieces of text on one baseline, each starting at its own `x`, as one text
    /// operator: the gaps between pieces are offsets, computed from the same advances the
    /// font's `/W` array gives the viewer.
    fn draw_run(&mut self, baseline: f32, pieces: &[(f32, &str)], st: Style) {
        let Some(&(x0, _)) = pieces.first() else {
            return;
        };
        if !self.pen.in_text {
            self.ops.push(Op::StartTextSection);
            self.pen.in_text = true;
        }
        let font = (st.bold, st.size.to_bits());
        if self.pen.font != Some(font) {
            let id = self.face(st.bold).id.clone();
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(st.size),
            });
            self.pen.font = Some(font);
        }
        self.fill(st.rgb);
        let face = self.face(st.bold);
        let mut items = Vec::with_capacity(pieces.len() * 2);
        let mut pen = x0;
        for &(x, s) in pieces {
            if x != pen {
                // TJ offsets are thousandths of an em; negative moves right.
                items.push(TextItem::Offset(-(x - pen) * 1000.0 / st.size));
            }
            items.push(TextItem::Text(s.to_string()));
            pen = x + face.width(s, st.size);
        }
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x0), Pt(self.height - baseline)),
        });
        self.ops.push(Op::ShowText { items });
    }

    /// Fills a rectangle whose top-left corner is (`x`, `top`).
    fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, gray: f32) {
        self.end_text();
        self.fill([gray; 3]);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(self.height - top - h),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    /// A horizontal rule `y` points from the top.
    fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, gray: f32) {
        self.end_text();
        let g = Color::Rgb(Rgb::new(gray, gray, gray, None));
        self.ops.push(Op::SetOutlineColor { col: g });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        let p = |x: f32| LinePoint {
            p: Point {
                x: Pt(x),
                y: Pt(self.height - y),
            },
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![p(x1), p(x2)],
                is_closed: false,
            },
        });
    }

    // -- Pages -----------------------------------------------------------------------------

    /// Ends the page and starts the next, with its running head and, inside a table, the
    /// table's header row again.
    fn new_page(&mut self) {
        self.end_text();
        let cap = self.ops.capacity();
        let done = std::mem::replace(&mut self.ops, Vec::with_capacity(cap));
        self.pages.push(done);
        self.pen = Pen::default();
        let (left, right) = self.running.clone();
        let top = self.margin - 8.0;
        let base = top + 9.0;
        let st = Style::bold(9.0).gray(0.25);
        let left = self.fit(&left, st, self.text_width() * 0.6);
        self.draw_text(self.margin, base, &left, st);
        let st = Style::regular(8.5).gray(0.35);
        let right = self.fit(&right, st, self.text_width() * 0.38);
        let rw = self.regular.width(&right, st.size);
        self.draw_text(self.width - self.margin - rw, base, &right, st);
        self.rule(self.margin, self.width - self.margin, base + 5.0, 0.6, 0.55);
        self.y = base + 17.0;
        if let Some(t) = self.table.take() {
            if !t.facts {
                self.header_row(&t);
            }
            self.table = Some(t);
        }
    }

    /// The first line of `s` that fits `max` points, cut with an ellipsis if it had to be.
    fn fit(&self, s: &str, st: Style, max: f32) -> String {
        let face = self.face(st.bold);
        let lines = face.wrap(s, st.size, max);
        if lines.len() <= 1 {
            return lines.into_iter().next().unwrap_or_default();
        }
        let mut first = lines[0].clone();
        while !first.is_empty() && face.width(&format!("{first}…"), st.size) > max {
            first.pop();
        }
        format!("{first}…")
    }

    /// Starts a new page unless `h` points still fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom() {
            self.new_page();
        }
    }

    fn gap(&mut self, h: f32) {
        self.y += h;
    }

    /// One line of text (wrapped if it must be) advancing by `advance` points per line.
    fn text_line(&mut self, s: &str, st: Style, advance: f32) {
        let lines = self.face(st.bold).wrap(s, st.size, self.text_width());
        for l in lines {
            self.ensure(advance);
            let base = self.y + st.size;
            self.draw_text(self.margin, base, &l, st);
            self.y += advance;
        }
    }

    /// A wrapped paragraph across the text width.
    fn paragraph(&mut self, s: &str, st: Style) {
        self.text_line(s, st, st.leading());
        self.gap(st.size * 0.4);
    }

    fn heading(&mut self, s: &str) {
        // Keep the heading with at least a few lines of what follows it.
        self.ensure(80.0);
        self.gap(4.0);
        let st = Style::bold(16.0);
        self.text_line(s, st, 20.0);
        self.rule(
            self.margin,
            self.width - self.margin,
            self.y - 1.0,
            0.8,
            0.3,
        );
        self.gap(10.0);
    }

    fn subheading(&mut self, s: &str) {
        self.ensure(60.0);
        self.gap(8.0);
        self.text_line(s, Style::bold(11.5).gray(0.15), 17.0);
    }

    // -- Tables ----------------------------------------------------------------------------

    fn begin_table(&mut self, mut t: Table) {
        if !t.facts {
            let st = Style::bold(t.size);
            t.head = t
                .titles
                .iter()
                .zip(&t.widths)
                .map(|(s, w)| self.bold.wrap(s, t.size, w - 2.0 * PAD_X))
                .collect();
            let lines = t.head.iter().map(Vec::len).max().unwrap_or(1);
            t.head_h = lines as f32 * st.leading() + 2.0 * PAD_Y;
            // The header and at least one line of the first row, or a fresh page.
            self.ensure(t.head_h + Style::regular(t.size).leading() + 2.0 * PAD_Y);
            self.header_row(&t);
        }
        self.table = Some(t);
    }

    fn end_table(&mut self) {
        self.table = None;
        self.gap(6.0);
    }

    fn header_row(&mut self, t: &Table) {
        let st = Style::bold(t.size).gray(0.1);
        let lines = t.head.iter().map(Vec::len).max().unwrap_or(1);
        let width: f32 = t.widths.iter().sum();
        self.rect(self.margin, self.y, width, t.head_h, HEADER_FILL);
        self.draw_cells(t, &t.head, 0..lines, st, &[]);
        self.y += t.head_h;
    }

    /// A table row: cells wrap inside their columns; a row taller than what is left of the
    /// page continues on the next one (under a repeated header), or moves there whole when it
    /// would fit on a fresh page.
    fn row(&mut self, cells: &[String]) {
        self.table_row(cells, false);
    }

    /// A row set apart as a total (bold, shaded).
    fn total_row(&mut self, cells: &[String]) {
        self.table_row(cells, true);
    }

    fn table_row(&mut self, cells: &[String], total: bool) {
        let Some(mut t) = self.table.take() else {
            return;
        };
        let st = Style::regular(t.size);
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(&t.widths)
            .enumerate()
            .map(|(i, (s, w))| {
                let bold = total || (t.facts && i == 0);
                self.face(bold).wrap(s, t.size, w - 2.0 * PAD_X)
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let lead = st.leading();
        let fill = if total {
            Some(TOTAL_FILL)
        } else {
            (t.rows % 2 == 1).then_some(ZEBRA_FILL)
        };
        let bold_cols: Vec<bool> = (0..t.widths.len())
            .map(|i| total || (t.facts && i == 0))
            .collect();
        let mut from = 0;
        let mut fresh = false;
        while from < lines {
            let room = ((self.bottom() - self.y - 2.0 * PAD_Y) / lead)
                .floor()
                .max(0.0) as usize;
            let left = lines - from;
            let page_lines = ((self.bottom() - self.top_after_header(&t) - 2.0 * PAD_Y) / lead)
                .floor()
                .max(1.0) as usize;
            if room < left && !fresh && (room == 0 || (from == 0 && left <= page_lines)) {
                self.table = Some(t);
                self.new_page();
                t = self.table.take().expect("the table survives a page break");
                fresh = true;
                continue;
            }
            let n = left.min(room.max(1));
            let h = n as f32 * lead + 2.0 * PAD_Y;
            if let Some(g) = fill {
                let width: f32 = t.widths.iter().sum();
                self.rect(self.margin, self.y, width, h, g);
            }
            self.draw_cells(&t, &wrapped, from..from + n, st, &bold_cols);
            self.y += h;
            from += n;
            fresh = false;
        }
        t.rows += 1;
        self.table = Some(t);
    }

    /// Where rows start on a fresh page: below the running head and the table's header.
    fn top_after_header(&self, t: &Table) -> f32 {
        self.margin + 18.0 + t.head_h
    }

    /// Draws lines `range` of each cell, from the current `y`. The cells of one line that share
    /// a style go out as one text run (positions set by offsets inside it): one operator per
    /// table line instead of two per cell keeps long reports small in memory.
    fn draw_cells(
        &mut self,
        t: &Table,
        cells: &[Vec<String>],
        range: std::ops::Range<usize>,
        st: Style,
        bold_cols: &[bool],
    ) {
        let lead = st.leading();
        let styles: Vec<Style> = cells
            .iter()
            .enumerate()
            .map(|(i, lines)| {
                let mut cst = st;
                cst.bold = st.bold || bold_cols.get(i).copied().unwrap_or(false);
                if t.facts && i == 0 {
                    cst = cst.gray(0.3);
                }
                if t.facts && i == 1 && lines.first().is_some_and(|l| l.starts_with("FAILED")) {
                    cst = cst.rgb(ALERT);
                }
                cst
            })
            .collect();
        for k in range.clone() {
            let base = self.y + PAD_Y + (k - range.start) as f32 * lead + st.size * 0.98;
            let mut run: Vec<(f32, &str)> = Vec::new();
            let mut run_style = st;
            let mut x = self.margin;
            for (i, lines) in cells.iter().enumerate() {
                let w = t.widths[i];
                let cst = styles[i];
                if let Some(line) = lines.get(k).filter(|l| !l.is_empty()) {
                    let lx = match t.aligns[i] {
                        Align::Left => x + PAD_X,
                        Align::Right => x + w - PAD_X - self.face(cst.bold).width(line, cst.size),
                    };
                    if !run.is_empty() && cst != run_style {
                        self.draw_run(base, &run, run_style);
                        run.clear();
                    }
                    run_style = cst;
                    run.push((lx, line));
                }
                x += w;
            }
            if !run.is_empty() {
                self.draw_run(base, &run, run_style);
            }
        }
    }

    /// Label/value pairs: a two-column table without header.
    fn facts(&mut self, pairs: &[(String, String)], label_width: f32) {
        let value_width = self.text_width() - label_width;
        let t = Table {
            titles: vec![String::new(), String::new()],
            widths: vec![label_width, value_width],
            aligns: vec![Align::Left, Align::Left],
            size: 10.0,
            facts: true,
            rows: 0,
            head: Vec::new(),
            head_h: 0.0,
        };
        self.begin_table(t);
        for (k, v) in pairs {
            self.row(&[k.clone(), v.clone()]);
        }
        self.end_table();
    }

    /// Closes the last page and adds "Page X of Y" and `footer` to every page.
    fn finish(mut self, footer: &str) -> Vec<Vec<Op>> {
        self.end_text();
        let last = std::mem::take(&mut self.ops);
        self.pages.push(last);
        let n = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        let st = Style::regular(7.5).gray(0.35);
        let base = self.height - self.margin + 6.0;
        let left = self.fit(footer, st, self.text_width() * 0.8);
        for (i, page) in pages.iter_mut().enumerate() {
            self.ops = std::mem::take(page);
            self.pen = Pen::default();
            self.rule(self.margin, self.width - self.margin, base - 10.0, 0.4, 0.7);
            self.draw_text(self.margin, base, &left, st);
            let right = format!("Page {} of {n}", i + 1);
            let rw = self.regular.width(&right, st.size);
            self.draw_text(self.width - self.margin - rw, base, &right, st);
            self.end_text();
            *page = std::mem::take(&mut self.ops);
        }
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::audit::Source;
    use crate::db::Db;

    fn canvas() -> (PdfDocument, Canvas) {
        let mut doc = PdfDocument::new("test");
        let c = Canvas::new(&mut doc, Paper::A4, true).unwrap();
        (doc, c)
    }

    /// The text each page shows, in drawing order.
    fn page_texts(pages: &[Vec<Op>]) -> Vec<Vec<String>> {
        pages
            .iter()
            .map(|ops| {
                ops.iter()
                    .flat_map(|op| match op {
                        Op::ShowText { items } => items.as_slice(),
                        _ => &[],
                    })
                    .filter_map(|item| match item {
                        TextItem::Text(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn wrapping_never_exceeds_the_width_and_drops_nothing() {
        let (_doc, c) = canvas();
        let f = &c.regular;
        let text = "Dell Latitude 5440 with docking station and a very-long-serial-\
                    ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJ Chloë Brontë Łódź Αθηνά Дмитрий";
        for max in [30.0, 60.0, 120.0, 400.0] {
            let lines = f.wrap(text, 8.0, max);
            for l in &lines {
                assert!(f.width(l, 8.0) <= max + 0.01, "{l:?} wider than {max}");
            }
            let joined: String = lines.concat().split_whitespace().collect();
            let want: String = text.split_whitespace().collect();
            assert_eq!(joined, want, "nothing lost at {max}");
        }
        assert_eq!(f.wrap("one\ntwo", 8.0, 400.0), vec!["one", "two"]);
        assert_eq!(f.wrap("", 8.0, 400.0), vec![""]);
        assert_eq!(f.wrap("a b", 8.0, 400.0), vec!["a b"]);
    }

    #[test]
    fn characters_without_a_glyph_become_a_visible_placeholder() {
        let (_doc, c) = canvas();
        let lines = c.regular.wrap("漢字 ok\u{7}", 8.0, 400.0);
        assert_eq!(lines, vec!["\u{FFFD}\u{FFFD} ok\u{FFFD}"]);
        for s in [
            "Chloë Brontë",
            "Łódź",
            "Jürgen Weiß",
            "Αθηνά",
            "Дмитрий",
            "→ “”",
        ] {
            assert_eq!(c.regular.wrap(s, 8.0, 400.0), vec![s], "{s} has glyphs");
            assert_eq!(c.bold.wrap(s, 8.0, 400.0), vec![s], "{s} has bold glyphs");
        }
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let (_doc, mut c) = canvas();
        c.running = ("Org · Asset register".into(), "Live".into());
        let t = Table::new(
            &c,
            &[
                ("Tag", 1.0, Align::Left),
                ("Name", 3.0, Align::Left),
                ("Cost", 1.0, Align::Right),
            ],
        );
        c.begin_table(t);
        for i in 0..120 {
            let name = if i % 7 == 0 {
                "A name long enough to wrap over several lines of its narrow column ".repeat(3)
            } else {
                format!("Asset {i}")
            };
            c.row(&[format!("IT-{i:04}"), name, "1,249.99".into()]);
        }
        c.end_table();
        let pages = c.finish("Audit trail head abc");
        assert!(pages.len() >= 4, "{} pages", pages.len());
        let texts = page_texts(&pages);
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(
                t.iter().filter(|s| *s == "Tag").count(),
                1,
                "page {} has the header once",
                i + 1
            );
            assert!(t.contains(&format!("Page {} of {}", i + 1, pages.len())));
        }
        let all: Vec<&String> = texts.iter().flatten().collect();
        for i in 0..120 {
            let tag = format!("IT-{i:04}");
            assert_eq!(all.iter().filter(|s| ***s == tag).count(), 1, "{tag} once");
        }
    }

    #[test]
    fn a_row_taller_than_a_page_continues_on_the_next() {
        let (_doc, mut c) = canvas();
        let t = Table::new(
            &c,
            &[("Field", 1.0, Align::Left), ("Value", 1.0, Align::Left)],
        );
        c.begin_table(t);
        let long = (0..400)
            .map(|i| format!("word{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        c.row(&["Notes".into(), long]);
        c.end_table();
        let pages = c.finish("f");
        assert!(pages.len() >= 2);
        let texts: Vec<String> = page_texts(&pages).concat();
        let joined = texts.join(" ");
        assert!(joined.contains("word0 ") && joined.contains("word399"));
    }

    #[test]
    fn report_and_dossier_render_on_both_papers() {
        let db = Db::open_in_memory().unwrap();
        db.write(Source::Cli, |tx| {
            for i in 1..=30 {
                create_asset(
                    tx,
                    &AssetInput {
                        asset_tag: format!("IT-{i:04}"),
                        name: format!("Laptop {i}"),
                        purchase_cost: "100".into(),
                        ..Default::default()
                    },
                    None,
                )?;
            }
            Ok(())
        })
        .unwrap();
        for paper in [Paper::A4, Paper::Letter] {
            let opts = ReportOptions {
                paper,
                ..Default::default()
            };
            let r = db.read(|c| render_register_report(c, &opts)).unwrap();
            assert!(r.bytes.starts_with(b"%PDF-"));
            assert!(r.page_count >= 3, "cover, summary, inventory");
            let d = db.read(|c| render_asset_dossier(c, 1, paper)).unwrap();
            assert!(d.bytes.starts_with(b"%PDF-"));
        }
        let future = ReportOptions {
            as_of: crate::today().succ_opt(),
            ..Default::default()
        };
        let e = db.read(|c| render_register_report(c, &future)).unwrap_err();
        assert_eq!(e.field(), Some("as_of"));
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1234567), "1,234,567");
        assert_eq!(money(123456789), "1,234,567.89");
        assert_eq!(money(5), "0.05");
    }

    #[test]
    fn search_matches_word_prefixes_ignoring_case_and_accents() {
        let db = Db::open_in_memory().unwrap();
        let a = db
            .write(Source::Cli, |tx| {
                create_asset(
                    tx,
                    &AssetInput {
                        asset_tag: "IT-0001".into(),
                        name: "ThinkPad for Jürgen".into(),
                        make: "Lenovo".into(),
                        ..Default::default()
                    },
                    None,
                )
            })
            .unwrap();
        assert!(matches_search(&a, "think jurg"));
        assert!(matches_search(&a, "LENO it-00"));
        assert!(!matches_search(&a, "dell"));
        assert!(matches_search(&a, "  "));
    }
}
