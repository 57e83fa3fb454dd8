//! An asset's dossier: cover facts, every field, its full history in words and its documents.

use chrono::Utc;
use rusqlite::Connection;

use super::facts::{minor_cost, organisation, set_info, stamp, trail_facts, utc_text};
use super::layout::{finish, Align, Canvas, Style, Table};
use super::options::{AttachedDocument, Paper, RenderedPdf};
use super::pdf::Document;
use crate::assets;
use crate::audit::{self, Event};
use crate::error::Result;
use crate::settings::get_settings;
use crate::status::Status;
use crate::values::{format_money_grouped, group_thousands, parse_money};

/// The dossier of one asset: cover facts, every field, the full history and its documents.
pub fn render_asset_dossier(conn: &Connection, asset_id: i64, paper: Paper) -> Result<RenderedPdf> {
    let a = assets::get_asset(conn, asset_id)?;
    let events = audit::list_asset_events(conn, asset_id)?;
    let generated = Utc::now();
    let settings = get_settings(conn)?;
    let verification = audit::verify(conn)?;
    let org = organisation(&settings.organisation);
    let currency = settings.currency;

    let mut doc = Document::new(&format!("Asset dossier {} — {org}", a.asset_tag));
    set_info(
        &mut doc,
        &org,
        &format!("Asset dossier {}", a.asset_tag),
        generated,
    );
    let mut c = Canvas::new(doc, paper, false)?;
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
            format!(
                "{} events about this asset",
                group_thousands(events.len() as i64)
            ),
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
                Some(m) => format!("{currency} {}", format_money_grouped(m)),
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

    if let Some(d) = crate::disposals::disposal_of(conn, asset_id)? {
        c.heading("Disposal");
        let mut rows = vec![
            ("How it left".to_string(), d.method_label.clone()),
            ("On".to_string(), d.disposed_on.clone()),
            ("To".to_string(), dash(&d.recipient)),
            ("Data wiped".to_string(), dash(&d.wipe_method)),
            ("Wiped by".to_string(), dash(&d.wiped_by)),
            (
                "Certificate number".to_string(),
                dash(&d.certificate_number),
            ),
            (
                "Certificate file".to_string(),
                d.certificate
                    .as_ref()
                    .map(|c| format!("{} (SHA-256 {})", c.name, c.sha256))
                    .unwrap_or_else(|| "—".into()),
            ),
        ];
        if let Some(n) = &d.note {
            rows.push(("Note".to_string(), n.clone()));
        }
        rows.push(("Recorded".to_string(), utc_text(&d.recorded_at)));
        c.facts(&rows, 130.0);
    } else if a.status == crate::status::Status::Retired && !a.archived {
        c.heading("Disposal");
        c.paragraph(
            "Retired without a disposal record: how it left and whether its data was wiped \
             are not recorded.",
            Style::regular(10.0),
        );
    }

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

    let docs: Vec<AttachedDocument> =
        crate::documents::documents_of(conn, crate::documents::Owner::Asset(asset_id))?
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
    finish(c, &footer)
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
            format!("{} bytes", group_thousands(d.size_bytes as i64)),
            utc_text(&d.added_at),
            d.sha256.clone(),
        ]);
    }
    c.end_table();
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
        "disposed" => "Disposal recorded".to_string(),
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
                    Ok(Some(m)) => format!("{currency} {}", format_money_grouped(m)),
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
