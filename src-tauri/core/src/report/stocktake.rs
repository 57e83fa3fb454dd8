//! The stocktake report, for the auditor: scope, dates and who counted; the counts of expected,
//! found, found elsewhere (and moved), unexpected and missing; each list; and the audit trail's
//! event count and head at the start and at the finish, so the report can be tied to `verify`.

use chrono::Utc;
use rusqlite::Connection;

use super::facts::{organisation, set_info, stamp, utc_text};
use super::layout::{finish, Align, Canvas, Style, Table};
use super::options::{Paper, RenderedPdf};
use super::pdf::Document;
use crate::error::Result;
use crate::settings::get_settings;
use crate::stocktake::{self, Item, Outcome};
use crate::values::group_thousands;

/// Stocktake `id` as a PDF (an open one too: its unseen items are listed as not yet seen).
pub fn render_stocktake_report(conn: &Connection, id: i64, paper: Paper) -> Result<RenderedPdf> {
    let st = stocktake::get_stocktake(conn, id)?;
    let items = stocktake::list_items(conn, id, None)?;
    let generated = Utc::now();
    let org = organisation(&get_settings(conn)?.organisation);
    let title = format!("Stocktake report: {}", st.name);
    let mut doc = Document::new(&format!("{title} — {org}"));
    set_info(&mut doc, &org, &title, generated);
    let mut c = Canvas::new(doc, paper, false)?;
    c.running = (
        format!("{org} · Stocktake · {}", st.name),
        format!("Generated {}", stamp(generated)),
    );
    c.text_line(&org, Style::regular(13.0).gray(0.35), 20.0);
    c.text_line("Stocktake report", Style::bold(26.0), 36.0);
    c.paragraph(&st.name, Style::bold(14.0).gray(0.2));
    c.gap(6.0);
    let n = |v: i64| group_thousands(v);
    let trail = |count: Option<i64>, head: Option<&str>| match (count, head) {
        (Some(k), Some(h)) => format!("{} events, head {h}", n(k)),
        _ => "Not finished yet".to_string(),
    };
    let k = st.counts;
    c.facts(
        &[
            ("Scope".to_string(), stocktake::scope_text(&st)),
            ("Date".to_string(), st.on_date.clone()),
            ("Counted by".to_string(), st.counted_by.clone()),
            (
                "Started".to_string(),
                format!("{} UTC", utc_text(&st.started_at)),
            ),
            (
                if st.cancelled {
                    "Cancelled"
                } else {
                    "Finished"
                }
                .to_string(),
                st.finished_at
                    .as_deref()
                    .map_or("Still open".to_string(), |f| format!("{} UTC", utc_text(f))),
            ),
            (
                "Audit trail at the start".to_string(),
                trail(Some(st.start_event_count), Some(&st.start_head)),
            ),
            (
                "Audit trail at the finish".to_string(),
                trail(st.finish_event_count, st.finish_head.as_deref()),
            ),
            ("Generated".to_string(), stamp(generated)),
        ],
        150.0,
    );
    c.paragraph(
        "The audit trail figures are taken just before the stocktake's first event and just \
         before its finishing event; `verify` on the register shows the same head while nothing \
         else has changed since.",
        Style::regular(9.0).gray(0.3),
    );

    c.heading("Counts");
    let t = Table::new(
        &c,
        &[("Outcome", 3.0, Align::Left), ("Items", 1.0, Align::Right)],
    );
    c.begin_table(t);
    for (label, v) in [
        ("Expected", k.expected),
        ("Found where expected", k.found),
        ("Found elsewhere", k.elsewhere),
        ("   of which moved to where found", k.moved),
        ("Unexpected", k.unexpected),
        ("   of which unknown to the register", k.unknown),
        ("Not yet seen", k.not_seen),
        ("Missing", k.missing),
        ("   of which marked Lost/Stolen", k.marked_lost),
    ] {
        if label == "Not yet seen" && st.finished_at.is_some() && !st.cancelled {
            continue;
        }
        c.row(&[label.to_string(), n(v)]);
    }
    c.end_table();

    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let of = |o: Outcome| items.iter().filter(move |i| i.outcome == o);
    let list = |c: &mut Canvas,
                title: &str,
                rows: Vec<&Item>,
                cols: &[(&str, f32, Align)],
                cells: &dyn Fn(&Item) -> Vec<String>| {
        c.heading(&format!("{title} ({})", rows.len()));
        if rows.is_empty() {
            c.paragraph("None.", Style::regular(10.0).gray(0.3));
            return;
        }
        let t = Table::new(c, cols);
        c.begin_table(t);
        for i in rows {
            c.row(&cells(i));
        }
        c.end_table();
    };
    list(
        &mut c,
        if st.cancelled {
            "Not seen (the stocktake was cancelled)"
        } else {
            "Missing"
        },
        of(Outcome::Missing).chain(of(Outcome::NotSeen)).collect(),
        &[
            ("Tag", 1.2, Align::Left),
            ("Name", 2.5, Align::Left),
            ("Register had it", 1.6, Align::Left),
            ("Outcome", 1.6, Align::Left),
            ("Note", 2.0, Align::Left),
        ],
        &|i| {
            vec![
                i.tag.clone(),
                dash(&i.name),
                dash(&i.expected_location),
                match (i.outcome, i.marked_lost) {
                    (Outcome::NotSeen, _) => "Not yet seen".into(),
                    (_, true) => "Missing, marked Lost/Stolen".into(),
                    _ => "Missing".into(),
                },
                dash(&i.note),
            ]
        },
    );
    list(
        &mut c,
        "Found elsewhere",
        of(Outcome::Elsewhere).collect(),
        &[
            ("Tag", 1.2, Align::Left),
            ("Name", 2.5, Align::Left),
            ("Register had it", 1.8, Align::Left),
            ("Found in", 1.5, Align::Left),
            ("Moved", 0.9, Align::Left),
        ],
        &|i| {
            vec![
                i.tag.clone(),
                dash(&i.name),
                dash(&i.expected_location),
                dash(&i.seen_location),
                if i.moved { "Yes".into() } else { "No".into() },
            ]
        },
    );
    list(
        &mut c,
        "Unexpected",
        of(Outcome::Unexpected).collect(),
        &[
            ("Tag", 1.2, Align::Left),
            ("Name", 2.2, Align::Left),
            ("Why", 2.4, Align::Left),
            ("Found in", 1.5, Align::Left),
        ],
        &|i| {
            vec![
                i.tag.clone(),
                dash(&i.name),
                dash(&i.note),
                dash(&i.seen_location),
            ]
        },
    );
    list(
        &mut c,
        "Found where expected",
        of(Outcome::Found).collect(),
        &[
            ("Tag", 1.2, Align::Left),
            ("Name", 2.8, Align::Left),
            ("Location", 1.8, Align::Left),
            ("Seen at (UTC)", 1.6, Align::Left),
        ],
        &|i| {
            vec![
                i.tag.clone(),
                dash(&i.name),
                dash(
                    &i.seen_location
                        .clone()
                        .or_else(|| i.expected_location.clone()),
                ),
                i.seen_at.as_deref().map(utc_text).unwrap_or_default(),
            ]
        },
    );
    let head = st.finish_head.clone().unwrap_or(st.start_head.clone());
    finish(
        c,
        &format!("Stocktake “{}” · audit trail head {head}", st.name),
    )
}
