//! A leaver's offboarding checklist: what they held, how each item was resolved, and lines to
//! sign.

use chrono::Utc;
use rusqlite::Connection;

use super::facts::{organisation, set_info, stamp};
use super::layout::{finish, Align, Canvas, Style, Table};
use super::options::{Paper, RenderedPdf};
use super::pdf::Document;
use crate::error::Result;
use crate::settings::get_settings;

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
    let mut doc = Document::new(&format!("Offboarding checklist {} — {org}", p.name));
    set_info(
        &mut doc,
        &org,
        &format!("Offboarding checklist {}", p.name),
        generated,
    );
    let mut c = Canvas::new(doc, paper, false)?;
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
    finish(c, &footer)
}
