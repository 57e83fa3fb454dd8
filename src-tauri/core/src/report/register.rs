//! The register report: cover facts, summary tables and the inventory, live or as of a past day
//! (rebuilt from the audit trail and searched with the same full-text search as the live list).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::facts::{
    cost as cost_text, describe_filters, make_model, minor_cost, opt, organisation, set_info,
    stamp, trail_facts,
};
use super::layout::{finish, Align, Canvas, Style, Table};
use super::options::{RenderedPdf, ReportOptions};
use super::pdf::Document;
use crate::assets::{self, Asset, ListQuery};
use crate::audit;
use crate::db::QueryAll;
use crate::error::{Error, Result};
use crate::settings::get_settings;
use crate::snapshot;
use crate::status::Status;
use crate::values::{format_money_grouped, group_thousands};

/// How far ahead the summary looks for warranties that end.
const WARRANTY_DAYS: u64 = 90;

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
    // One read transaction: the cover's counts, the summary and the inventory read the rows in
    // separate passes, and must all see the same register.
    let _snapshot = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    // Read through SQLite's page cache, not a memory map: the integrity check and the passes
    // over the rows touch every page of the register, and every mapped page would stay resident
    // for the whole report (a 100k register is about 190 MB).
    let _unmapped = Unmapped::new(conn)?;
    let settings = get_settings(conn)?;
    let verification = audit::verify(conn)?;
    let (rows, snap) = match opts.as_of {
        None => (Rows::Live(live_ids(conn, opts)?), None),
        Some(d) => {
            let mut s = snapshot::register_as_of(conn, d)?;
            let rows: Vec<Asset> = std::mem::take(&mut s.assets)
                .into_iter()
                .filter(|a| opts.status.is_none_or(|st| a.status == st))
                .collect();
            let rows = match opts.search.as_deref() {
                Some(q) => search_rows(conn, rows, q)?,
                None => rows,
            };
            (Rows::Past(rows), Some(s))
        }
    };
    let org = organisation(&settings.organisation);
    let currency = settings.currency;
    let day = opts.as_of.unwrap_or_else(crate::today);
    let mut tally = Tally::new(day);
    rows.for_each(conn, |a| tally.add(a))?;

    let mut doc = Document::new(&format!("Asset register — {org}"));
    set_info(&mut doc, &org, "Asset register", generated);
    let mut c = Canvas::new(doc, opts.paper, true)?;
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
            group_thousands(tally.count),
        ),
        (
            "Total purchase value".to_string(),
            format!("{currency} {}", format_money_grouped(tally.value)),
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
            group_thousands(verification.event_count)
        ),
        Style::regular(9.0).gray(0.35),
    );

    // Summary.
    c.new_page();
    c.heading("Summary");
    summary_tables(&mut c, &tally, &currency, day);

    // Inventory.
    c.new_page();
    c.heading(&format!(
        "Inventory ({} assets)",
        group_thousands(tally.count)
    ));
    if tally.count == 0 {
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
        // The second pass: each row is drawn as it is read, and each page written as it fills.
        rows.for_each(conn, |a| {
            c.row(&[
                a.asset_tag.clone(),
                a.name.clone(),
                opt(&a.category),
                make_model(a),
                opt(&a.serial_number),
                holder_and_place(a),
                a.status.label().to_string(),
                opt(&a.purchase_date),
                cost_text(a),
                opt(&a.warranty_expires),
            ]);
        })?;
        c.end_table();
    }
    drop(rows);
    if opts.iso_annex {
        super::annex::annex_page(&mut c, conn, &verification)?;
    }
    let footer = format!("Audit trail head {}", verification.head_hash);
    finish(c, &footer)
}

/// Who holds it, and where it is kept when that is said too: "Sam Patel (Manchester)".
fn holder_and_place(a: &Asset) -> String {
    match (&a.assigned_to, &a.location) {
        (Some(p), Some(l)) => format!("{p} ({l})"),
        _ => a.holder().unwrap_or("").to_string(),
    }
}

/// The rows a report shows: the live register's, each read when it is needed (never all held
/// at once), or a register reconstructed as of a past day.
enum Rows {
    /// The matching assets' ids, in the list's order (by tag).
    Live(Vec<i64>),
    Past(Vec<Asset>),
}

impl Rows {
    /// Calls `f` with every row, by tag.
    fn for_each(&self, conn: &Connection, mut f: impl FnMut(&Asset)) -> Result<()> {
        match self {
            Rows::Past(rows) => rows.iter().for_each(f),
            Rows::Live(ids) => {
                for id in ids {
                    f(&assets::get_asset(conn, *id)?);
                }
            }
        }
        Ok(())
    }
}

/// The ids of the live assets matching the report's filters, as the list finds them, by tag.
fn live_ids(conn: &Connection, opts: &ReportOptions) -> Result<Vec<i64>> {
    let q = ListQuery {
        search: opts.search.clone(),
        status: opts.status,
        ..Default::default()
    };
    assets::list_asset_ids(conn, &q)
}

/// Turns the connection's memory map off for as long as it lives, and back to what it was after.
/// (An in-memory database has no map: its `mmap_size` reads as nothing, and stays so.)
struct Unmapped<'a> {
    conn: &'a Connection,
    was: Option<i64>,
}

impl<'a> Unmapped<'a> {
    fn new(conn: &'a Connection) -> Result<Unmapped<'a>> {
        let was: Option<i64> = conn
            .query_row("PRAGMA mmap_size", [], |r| r.get(0))
            .optional()?;
        if was.is_some() {
            conn.pragma_update(None, "mmap_size", 0)?;
        }
        Ok(Unmapped { conn, was })
    }
}

impl Drop for Unmapped<'_> {
    fn drop(&mut self) {
        if let Some(was) = self.was {
            // Only a hint to SQLite: if it fails, reads stay unmapped, which is still correct.
            let _ = self.conn.pragma_update(None, "mmap_size", was);
        }
    }
}

/// What the cover and the summary say about the rows, gathered in one pass over them: counts
/// and value by status and category, and the few rows the summary lists.
struct Tally {
    day: NaiveDate,
    until: NaiveDate,
    count: i64,
    value: i64,
    /// Count and value per status, in `Status::ALL` order.
    by_status: [(i64, i64); Status::ALL.len()],
    /// Name as first met, count and value, by lower-cased category name.
    by_category: BTreeMap<String, (String, i64, i64)>,
    /// Live assets whose warranty ends in the window: its end, then the table's cells.
    soon: Vec<(NaiveDate, [String; 5])>,
    /// The Lost/Stolen assets' cells.
    lost: Vec<[String; 5]>,
}

impl Tally {
    fn new(day: NaiveDate) -> Tally {
        Tally {
            day,
            until: day
                .checked_add_days(Days::new(WARRANTY_DAYS))
                .unwrap_or(day),
            count: 0,
            value: 0,
            by_status: [(0, 0); Status::ALL.len()],
            by_category: BTreeMap::new(),
            soon: Vec::new(),
            lost: Vec::new(),
        }
    }

    fn add(&mut self, a: &Asset) {
        let cost = minor_cost(a).unwrap_or(0);
        self.count += 1;
        self.value += cost;
        if let Some(i) = Status::ALL.iter().position(|s| *s == a.status) {
            self.by_status[i].0 += 1;
            self.by_status[i].1 += cost;
        }
        let name = a.category.clone().unwrap_or_else(|| "(no category)".into());
        let e = self
            .by_category
            .entry(name.to_lowercase())
            .or_insert((name, 0, 0));
        e.1 += 1;
        e.2 += cost;
        if !matches!(a.status, Status::Retired | Status::LostStolen) {
            let ends = a
                .warranty_expires
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            if let Some(d) = ends.filter(|d| self.day <= *d && *d <= self.until) {
                self.soon.push((
                    d,
                    [
                        d.to_string(),
                        a.asset_tag.clone(),
                        a.name.clone(),
                        holder_and_place(a),
                        a.status.label().to_string(),
                    ],
                ));
            }
        }
        if a.status == Status::LostStolen {
            self.lost.push([
                a.asset_tag.clone(),
                a.name.clone(),
                opt(&a.serial_number),
                holder_and_place(a),
                cost_text(a),
            ]);
        }
    }
}

/// The assets of a reconstructed register that match the list's search. They are put into an
/// in-memory SQLite database with the register's own full-text table (its definition read from
/// the register), and searched with the list's query, so a past-date report filters exactly as
/// the live list does: the same words, prefixes, case and accent folding.
fn search_rows(conn: &Connection, rows: Vec<Asset>, q: &str) -> Result<Vec<Asset>> {
    let Some(query) = assets::fts_query(q) else {
        return Ok(rows);
    };
    let ddl: String = conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'assets_fts'",
        [],
        |r| r.get(0),
    )?;
    let mem = Connection::open_in_memory()?;
    mem.execute_batch(&ddl)?;
    {
        let mut insert = mem.prepare(
            "INSERT INTO assets_fts (rowid, asset_tag, name, serial_number, make, model, holder, notes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (i, a) in rows.iter().enumerate() {
            let holder = [a.assigned_to.as_deref(), a.location.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            insert.execute(rusqlite::params![
                i as i64,
                a.asset_tag,
                a.name,
                a.serial_number,
                a.make,
                a.model,
                holder,
                a.notes
            ])?;
        }
    }
    let hits: std::collections::HashSet<i64> = mem
        .prepare("SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?1")?
        .query_all([query], |r| r.get(0))?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .enumerate()
        .filter(|(i, _)| hits.contains(&(*i as i64)))
        .map(|(_, a)| a)
        .collect())
}

/// Counts and value by status and category, warranties ending soon and Lost/Stolen assets.
fn summary_tables(c: &mut Canvas, tally: &Tally, currency: &str, day: NaiveDate) {
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
    for (s, (n, value)) in Status::ALL.iter().zip(tally.by_status) {
        c.row(&[
            s.label().into(),
            group_thousands(n),
            format_money_grouped(value),
        ]);
    }
    let (n, v) = (tally.count, tally.value);
    c.total_row(&["Total".into(), group_thousands(n), format_money_grouped(v)]);
    c.end_table();

    c.subheading("By category");
    let mut cols_cat = cols;
    cols_cat[0].0 = "Category";
    let mut t = Table::new(c, &cols_cat);
    t.scale_to(360.0);
    c.begin_table(t);
    for (name, count, value) in tally.by_category.values() {
        c.row(&[
            name.clone(),
            group_thousands(*count),
            format_money_grouped(*value),
        ]);
    }
    c.total_row(&["Total".into(), group_thousands(n), format_money_grouped(v)]);
    c.end_table();

    let until = tally.until;
    c.subheading(&format!(
        "Warranties ending in the next {WARRANTY_DAYS} days ({day} to {until})"
    ));
    let mut soon: Vec<&(NaiveDate, [String; 5])> = tally.soon.iter().collect();
    soon.sort_by(|x, y| (x.0, &x.1[1]).cmp(&(y.0, &y.1[1])));
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
        for (_, cells) in soon {
            c.row(cells);
        }
        c.end_table();
    }

    c.subheading("Lost/Stolen assets");
    if tally.lost.is_empty() {
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
        for cells in &tally.lost {
            c.row(cells);
        }
        c.end_table();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{create_asset, AssetInput};
    use crate::audit::Source;
    use crate::db::Db;
    use crate::report::{render_asset_dossier, Paper};

    /// The text of a PDF as a reader copies it (`pdftotext`, poppler-utils).
    pub(crate) fn pdftotext(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        assert!(out.status.success(), "pdftotext reads the PDF");
        String::from_utf8(out.stdout).unwrap()
    }

    /// `qpdf --check` finds nothing wrong: no warnings, no errors.
    pub(crate) fn qpdf_check(pdf: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .expect("qpdf is installed");
        let said = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && !said.contains("WARNING"), "{said}");
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
    fn a_pdf_embeds_only_the_glyphs_it_draws() {
        let db = Db::open_in_memory().unwrap();
        db.write(Source::Cli, |tx| {
            create_asset(
                tx,
                &AssetInput {
                    asset_tag: "IT-0001".into(),
                    name: "Łódź projector — “boardroom” ✓".into(),
                    ..Default::default()
                },
                None,
            )
        })
        .unwrap();
        let d = db.read(|c| render_asset_dossier(c, 1, Paper::A4)).unwrap();
        // Both DejaVu faces whole were about 0.65 MB: a dossier is now tens of kB.
        assert!(d.bytes.len() < 100_000, "{} bytes", d.bytes.len());
        // The glyphs kept still draw the text: the ToUnicode map gives them back, so the name
        // comes out of the page as it went in.
        let text = pdftotext(&d.bytes);
        assert!(text.contains("Łódź projector — “boardroom” ✓"), "{text}");
    }

    #[test]
    fn a_long_report_reads_back_page_by_page() {
        let names = [
            "Łódź projector",
            "Αθηνά's laptop",
            "Дмитрий phone",
            "Jürgen Weiß dock",
        ];
        let db = Db::open_in_memory().unwrap();
        db.write(Source::Cli, |tx| {
            for i in 1..=400 {
                create_asset(
                    tx,
                    &AssetInput {
                        asset_tag: format!("IT-{i:04}"),
                        name: format!("{} {i}", names[i % names.len()]),
                        serial_number: format!("SN-{i:06}"),
                        purchase_cost: "100".into(),
                        ..Default::default()
                    },
                    None,
                )?;
            }
            Ok(())
        })
        .unwrap();
        let r = db
            .read(|c| render_register_report(c, &ReportOptions::default()))
            .unwrap();
        qpdf_check(&r.bytes);
        let text = pdftotext(&r.bytes);
        // pdftotext ends every page with a form feed.
        let pages: Vec<&str> = text
            .split('\x0c')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert_eq!(pages.len(), r.page_count);
        assert!(r.page_count >= 10, "{} pages", r.page_count);
        for (i, page) in pages.iter().enumerate() {
            let n = i + 1;
            assert!(
                page.contains(&format!("Page {n} of {}", r.page_count)),
                "page {n}"
            );
        }
        // The inventory starts on page 3; each of its pages repeats the table's header.
        for (i, page) in pages.iter().enumerate().skip(2) {
            assert!(
                page.contains("Serial number"),
                "page {} has the header",
                i + 1
            );
        }
        for i in 1..=400 {
            let name = format!("{} {i}", names[i % names.len()]);
            assert!(text.contains(&name), "{name} reads back");
            assert!(text.contains(&format!("IT-{i:04}")));
        }
        assert!(text.contains("Assets in this report"));
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
        let matches_search = |a: &Asset, q: &str| {
            db.read(|c| search_rows(c, vec![a.clone()], q))
                .unwrap()
                .len()
                == 1
        };
        assert!(matches_search(&a, "think jurg"));
        assert!(matches_search(&a, "LENO it-00"));
        assert!(!matches_search(&a, "dell"));
        assert!(matches_search(&a, "  "));
    }
}
