//! The ISO/IEC 27001:2022 Annex A page of an evidence pack's register report: which controls
//! the pack offers evidence for, and where in the pack that evidence is. Worded as evidence
//! offered to an auditor, never as a claim of compliance.

use rusqlite::Connection;

use super::layout::{Align, Canvas, Style, Table};
use crate::audit::Verification;
use crate::error::Result;
use crate::values::group_thousands;

/// The figures the annex quotes, read from the register.
struct Figures {
    live: i64,
    held: i64,
    offboardings: i64,
    open_offboardings: i64,
    disposals: i64,
    undisposed: i64,
    last_stocktake: Option<String>,
}

fn figures(conn: &Connection) -> Result<Figures> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM assets WHERE archived_at IS NULL),
                (SELECT count(*) FROM assets WHERE archived_at IS NULL
                    AND (person_id IS NOT NULL OR location_id IS NOT NULL)),
                (SELECT count(*) FROM offboardings WHERE finished_at IS NOT NULL),
                (SELECT count(*) FROM offboardings WHERE finished_at IS NULL),
                (SELECT count(*) FROM disposals),
                (SELECT count(*) FROM assets a WHERE a.archived_at IS NULL AND a.status = 'retired'
                    AND NOT EXISTS (SELECT 1 FROM disposals d WHERE d.asset_id = a.id)),
                (SELECT on_date FROM stocktakes WHERE finished_at IS NOT NULL AND cancelled = 0
                    ORDER BY finished_at DESC, id DESC LIMIT 1)",
        [],
        |r| {
            Ok(Figures {
                live: r.get(0)?,
                held: r.get(1)?,
                offboardings: r.get(2)?,
                open_offboardings: r.get(3)?,
                disposals: r.get(4)?,
                undisposed: r.get(5)?,
                last_stocktake: r.get(6)?,
            })
        },
    )?)
}

/// Adds the annex on a new page.
pub(super) fn annex_page(c: &mut Canvas, conn: &Connection, v: &Verification) -> Result<()> {
    let f = figures(conn)?;
    let n = group_thousands;
    c.new_page();
    c.heading("ISO/IEC 27001:2022 Annex A: evidence in this pack");
    c.paragraph(
        "This page maps the files of this evidence pack to the controls they offer evidence \
         for. It is evidence offered for an auditor to examine, not a statement that any \
         control is met or a certificate of compliance; that judgement is the auditor's.",
        Style::regular(9.5).gray(0.3),
    );
    c.gap(4.0);
    let mut t = Table::new(
        c,
        &[
            ("Control", 20.0, Align::Left),
            ("Evidence offered", 45.0, Align::Left),
            ("In the pack", 35.0, Align::Left),
        ],
    );
    t.size = 8.5;
    c.begin_table(t);
    let chain = if v.ok {
        "verified when the pack was written"
    } else {
        "FAILED verification when the pack was written"
    };
    let rows = [
        (
            "A.5.9 Inventory of information and other associated assets".to_string(),
            format!(
                "The register of {} live assets, each with its holder or location ({} held), \
                 category, serial number, purchase and warranty facts. {}",
                n(f.live),
                n(f.held),
                match &f.last_stocktake {
                    Some(d) => format!("Last checked against the rooms by a stocktake on {d}."),
                    None => "No stocktake has checked it against the rooms yet.".to_string(),
                }
            ),
            "register-report.pdf, register.csv, register.json; stocktake/ (the latest \
             stocktake's report); documents/ (receipts, warranties, invoices per asset)"
                .to_string(),
        ),
        (
            "A.5.11 Return of assets".to_string(),
            format!(
                "{} finished offboarding checklist(s) in the register, each item returned, \
                 reassigned or written off; {} offboarding(s) still open.",
                n(f.offboardings),
                n(f.open_offboardings)
            ),
            "offboarding/ (the checklists finished in the pack's period)".to_string(),
        ),
        (
            "A.7.14 Secure disposal or re-use of equipment".to_string(),
            format!(
                "{} disposal record(s): method, date, recipient, how data was wiped, by whom, \
                 the certificate number and file. {} retired asset(s) have no disposal record \
                 yet (listed as open items).",
                n(f.disposals),
                n(f.undisposed)
            ),
            "disposals.csv, disposals/ (certificates), open-items.csv".to_string(),
        ),
        (
            "A.8.15 Logging".to_string(),
            format!(
                "Every change to the register is an event in a SHA-256 hash chain: {} events, \
                 head {}, {chain}.",
                n(v.event_count),
                v.head_hash
            ),
            "audit-trail.jsonl (recompute it with the README's script or \
             asset-register-cli verify-pack), manifest.json"
                .to_string(),
        ),
        (
            "Cyber Essentials: asset inventory (device and software scope)".to_string(),
            "The devices in scope with their make, model, serial number, holder and status; \
             the software licences and subscriptions with who holds their seats."
                .to_string(),
            "register-report.pdf, register.csv, licences.json".to_string(),
        ),
    ];
    for (control, evidence, files) in rows {
        c.row(&[control, evidence, files]);
    }
    c.end_table();
    c.gap(8.0);
    c.paragraph(
        "Every file's size and SHA-256 are listed in manifest.json and SHA256SUMS. \
         README.txt explains how to check them.",
        Style::regular(9.0).gray(0.35),
    );
    Ok(())
}
