//! The facts the documents state and the small formatters they share: the organisation, the
//! document metadata, the audit trail's cover lines, the filters, and an asset's cells.

use chrono::{DateTime, Utc};

use super::options::ReportOptions;
use super::pdf::Document;
use crate::assets::Asset;
use crate::audit::Verification;
use crate::snapshot::Snapshot;
use crate::values::{group_thousands, Money};

pub(super) fn organisation(name: &str) -> String {
    match name.trim() {
        "" => "Your organisation".to_string(),
        n => n.to_string(),
    }
}

pub(super) fn set_info(doc: &mut Document, org: &str, subject: &str, at: DateTime<Utc>) {
    let info = &mut doc.info;
    info.author = org.to_string();
    info.subject = subject.to_string();
    info.created = Some(at);
}

/// The cover lines about the audit trail.
pub(super) fn trail_facts(v: &Verification, snap: Option<&Snapshot>) -> Vec<(String, String)> {
    let mut f = vec![
        (
            "Audit trail".to_string(),
            format!("{} events", group_thousands(v.event_count)),
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
                    group_thousands(s.event_count),
                    s.last_event_id,
                    s.last_hash
                )
            },
        ));
    }
    f
}

pub(super) fn describe_filters(opts: &ReportOptions) -> String {
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

pub(super) fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub(super) fn make_model(a: &Asset) -> String {
    match (a.make.as_deref(), a.model.as_deref()) {
        (Some(m), Some(n)) => format!("{m} {n}"),
        (Some(m), None) => m.to_string(),
        (None, Some(n)) => n.to_string(),
        (None, None) => String::new(),
    }
}

pub(super) fn minor_cost(a: &Asset) -> Option<i64> {
    a.purchase_cost.map(Money::minor)
}

pub(super) fn cost(a: &Asset) -> String {
    a.purchase_cost.map(Money::grouped).unwrap_or_default()
}

pub(super) fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A stored RFC 3339 time as `YYYY-MM-DD HH:MM:SS` (UTC), or as stored when unreadable.
pub(super) fn utc_text(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&Utc)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}
