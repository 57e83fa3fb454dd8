//! The budget forecast page: per calendar year, per category, what replacements and licence
//! renewals will cost, with each year's total, ready for a budget meeting.

use chrono::{NaiveDate, Utc};
use rusqlite::Connection;

use super::facts::{organisation, set_info, stamp};
use super::layout::{finish, Align, Canvas, Style, Table};
use super::options::{Paper, RenderedPdf};
use super::pdf::Document;
use crate::error::Result;
use crate::forecast::{budget, LICENCES_ROW};
use crate::settings::get_settings;

/// The budget table for `years` years from `from` as a PDF.
pub fn render_budget(
    conn: &Connection,
    from: NaiveDate,
    years: u32,
    paper: Paper,
) -> Result<RenderedPdf> {
    let b = budget(conn, from, years)?;
    let generated = Utc::now();
    let org = organisation(&get_settings(conn)?.organisation);
    let title = "Budget forecast: replacements and renewals";
    let mut doc = Document::new(&format!("{title} — {org}"));
    set_info(&mut doc, &org, title, generated);
    let mut c = Canvas::new(doc, paper, false)?;
    c.running = (
        format!("{org} · Budget forecast"),
        format!("Generated {}", stamp(generated)),
    );
    c.text_line(&org, Style::regular(13.0).gray(0.35), 20.0);
    c.text_line("Budget forecast", Style::bold(26.0), 36.0);
    c.paragraph(
        &format!(
            "Replacements and licence renewals from {} to {}, in {}.",
            b.from, b.until, b.currency
        ),
        Style::bold(12.0).gray(0.2),
    );
    c.gap(4.0);
    let inflation = if b.inflation_percent == "0" {
        "no inflation".to_string()
    } else {
        format!("{} % a year, compounded", b.inflation_percent)
    };
    c.paragraph(
        &format!(
            "An asset is due for replacement at its purchase date plus its life (its own, its \
             category's, or its straight-line depreciation life). It costs its category's \
             replace-with price where one is set, else what it cost, plus {inflation}. Assets \
             already past their life count in the first year. Retired, Lost/Stolen and archived \
             assets are never forecast. Licences cost what they cost each period."
        ),
        Style::regular(9.5).gray(0.3),
    );
    let money = |m: crate::values::Money| m.grouped();
    let mut year = None;
    for l in &b.lines {
        if year != Some(l.year) {
            if year.is_some() {
                c.end_table();
            }
            year = Some(l.year);
            c.heading(&l.year.to_string());
            let t = Table::new(
                &c,
                &[
                    ("Category", 27.0, Align::Left),
                    ("Replacements", 18.0, Align::Right),
                    ("Replacement cost", 18.0, Align::Right),
                    ("Licence renewals", 15.0, Align::Right),
                    ("Licence cost", 14.0, Align::Right),
                    ("Total", 14.0, Align::Right),
                ],
            );
            c.begin_table(t);
        }
        let cells = [
            l.category.clone(),
            if l.category == LICENCES_ROW {
                "—".into()
            } else {
                l.replacements.to_string()
            },
            money(l.replacement_cost),
            l.licence_renewals.to_string(),
            money(l.licence_cost),
            money(l.total),
        ];
        if l.category == "Total" {
            c.total_row(&cells);
        } else {
            c.row(&cells);
        }
    }
    if year.is_some() {
        c.end_table();
    }
    finish(c, "Budget forecast")
}
