//! The register report: cover facts, summary tables and the inventory, live or as of a past day
//! (rebuilt from the audit trail and searched with the same full-text search as the live list).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, Utc};
use rusqlite::Connection;

use super::facts::{
    cost, describe_filters, make_model, minor_cost, opt, organisation, set_info, stamp, trail_facts,
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
    let settings = get_settings(conn)?;
    let verification = audit::verify(conn)?;
    let (rows, snap) = match opts.as_of {
        None => (live_rows(conn, opts)?, None),
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
            (rows, Some(s))
        }
    };
    let org = organisation(&settings.organisation);
    let currency = settings.currency;
    let day = opts.as_of.unwrap_or_else(crate::today);

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
            group_thousands(rows.len() as i64),
        ),
        (
            "Total purchase value".to_string(),
            format!("{currency} {}", format_money_grouped(total)),
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
    summary_tables(&mut c, &rows, &currency, day);

    // Inventory.
    c.new_page();
    c.heading(&format!(
        "Inventory ({} assets)",
        group_thousands(rows.len() as i64)
    ));
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
                holder_and_place(a),
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
        c.row(&[
            s.label().into(),
            group_thousands(of.len() as i64),
            format_money_grouped(value),
        ]);
    }
    c.total_row(&["Total".into(), group_thousands(n), format_money_grouped(v)]);
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
        c.row(&[
            name.clone(),
            group_thousands(*count),
            format_money_grouped(*value),
        ]);
    }
    c.total_row(&["Total".into(), group_thousands(n), format_money_grouped(v)]);
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
                holder_and_place(a),
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
                holder_and_place(a),
                cost(a),
            ]);
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
        let names = ["Łódź projector", "Αθηνά's laptop", "Дмитрий phone", "Jürgen Weiß dock"];
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
        let pages: Vec<&str> = text.split('\x0c').filter(|p| !p.trim().is_empty()).collect();
        assert_eq!(pages.len(), r.page_count);
        assert!(r.page_count >= 10, "{} pages", r.page_count);
        for (i, page) in pages.iter().enumerate() {
            let n = i + 1;
            assert!(page.contains(&format!("Page {n} of {}", r.page_count)), "page {n}");
        }
        // The inventory starts on page 3; each of its pages repeats the table's header.
        for (i, page) in pages.iter().enumerate().skip(2) {
            assert!(page.contains("Serial number"), "page {} has the header", i + 1);
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
