//! What an import's commit and undo say and record, the same in both stores: the note on every
//! event, the summary events, what an updated asset's item keeps to be undone, and the
//! refusals' words. Pure functions; the writing is each store's (`commit`, `undo` here,
//! `register_pg::imports` on a server).

use super::types::{ImportOptions, ImportSummary, RowIssue, UndoSummary};
use crate::assets::{AssetInput, AssetPatch};
use crate::audit::{self, Change, NewEvent};
use crate::error::{Error, Result};

/// The name an import is recorded under: the file's, or `import.csv` when none is given.
pub fn import_file_name(opts: &ImportOptions) -> &str {
    match opts.file_name.trim() {
        "" => "import.csv",
        n => n,
    }
}

/// The note every asset event of an import carries.
pub fn import_note(file_name: &str, import_id: i64, sha256: &str) -> String {
    format!(
        "Imported from {file_name} (import #{import_id}, sha256 {}…)",
        &sha256[..12.min(sha256.len())]
    )
}

/// The note of an import's summary event (its `note` argument must live as long as the event).
pub fn imported_note(sha256: &str) -> String {
    format!("sha256 {sha256}")
}

/// The import's summary event, recorded after its rows: how many rows, created, updated and
/// left out (duplicates, skipped and invalid rows).
pub fn imported_event<'a>(
    summary: &'a ImportSummary,
    left_out: usize,
    note: &'a str,
) -> NewEvent<'a> {
    let count = |f: &str, n: usize| Change::new(f, None, Some(n.to_string()));
    NewEvent {
        action: audit::Action::Imported,
        entity: audit::Entity::Import,
        entity_id: Some(summary.import_id),
        asset_id: None,
        label: &summary.file_name,
        changes: vec![
            count("rows", summary.rows),
            count("created", summary.created),
            count("updated", summary.updated),
            count("left_out", left_out),
        ],
        note: Some(note),
    }
}

/// The note of an undo's events.
pub fn undo_note(import_id: i64, file_name: &str) -> String {
    format!("Undo of import #{import_id} ({file_name})")
}

/// The undo's summary event.
pub fn undone_event<'a>(summary: &UndoSummary, file_name: &'a str, note: &'a str) -> NewEvent<'a> {
    let count = |f: &str, n: usize| Change::new(f, None, Some(n.to_string()));
    NewEvent {
        action: audit::Action::Undone,
        entity: audit::Entity::Import,
        entity_id: Some(summary.import_id),
        asset_id: None,
        label: file_name,
        changes: vec![
            count("archived", summary.archived),
            count("reverted", summary.reverted),
        ],
        note: Some(note),
    }
}

/// What an updated asset's import item keeps to be undone: JSON `{field: old value}` of the
/// fields the update changed (`old` before it, `new` after).
pub fn updated_before(old: &AssetInput, new: &AssetInput) -> Result<String> {
    let fields = [
        ("name", &old.name, &new.name),
        ("category", &old.category, &new.category),
        ("make", &old.make, &new.make),
        ("model", &old.model, &new.model),
        ("serial_number", &old.serial_number, &new.serial_number),
        ("purchase_date", &old.purchase_date, &new.purchase_date),
        ("purchase_cost", &old.purchase_cost, &new.purchase_cost),
        ("supplier", &old.supplier, &new.supplier),
        (
            "warranty_expires",
            &old.warranty_expires,
            &new.warranty_expires,
        ),
        ("notes", &old.notes, &new.notes),
    ];
    let changed: serde_json::Map<String, serde_json::Value> = fields
        .into_iter()
        .filter(|(_, o, n)| o != n)
        .map(|(f, o, _)| (f.to_string(), serde_json::Value::from(o.as_str())))
        .collect();
    Ok(serde_json::to_string(&changed)?)
}

/// The edit that puts an updated asset back, from its import item's `before`
/// ([`updated_before`]).
pub fn undo_patch(before: Option<&str>) -> Result<AssetPatch> {
    Ok(serde_json::from_str(before.unwrap_or("{}"))?)
}

/// The refusal of undoing an import a second time (`at`: when it was undone, RFC 3339).
pub fn already_undone(import_id: i64, file_name: &str, at: &str) -> Error {
    Error::Refused(format!(
        "import #{import_id} ({file_name}) was already undone on {}",
        &at[..10.min(at.len())]
    ))
}

/// The refusal of undoing an import some of whose assets (`changed`, their tags in order)
/// changed since.
pub fn changed_since(import_id: i64, file_name: &str, changed: &[String]) -> Error {
    let shown: Vec<&str> = changed.iter().take(10).map(String::as_str).collect();
    Error::Refused(format!(
        "import #{import_id} ({file_name}) cannot be undone: {} of its assets {} changed since ({}{}). Undo needs them exactly as the import left them; change them back or edit them by hand.",
        changed.len(),
        if changed.len() == 1 { "has" } else { "have" },
        shown.join(", "),
        if changed.len() > shown.len() { ", …" } else { "" }
    ))
}

/// The error of a cancelled import.
pub fn cancelled() -> Error {
    Error::Cancelled("The import was cancelled; nothing was imported.".into())
}

/// The refusal of a file with whole-file problems.
pub fn file_problems(problems: &[String]) -> Error {
    Error::invalid(
        "file",
        format!("Nothing was imported. {}", problems.join(" ")),
    )
}

/// "Nothing was imported: 3 rows have problems. Line 4, Purchase Date: …"
pub fn describe_errors(rows: usize, issues: &[&RowIssue]) -> String {
    const SHOWN: usize = 20;
    let mut s = format!(
        "Nothing was imported: {rows} row{} {} problems.",
        if rows == 1 { "" } else { "s" },
        if rows == 1 { "has" } else { "have" }
    );
    for i in issues.iter().take(SHOWN) {
        match &i.column {
            Some(c) => s.push_str(&format!(" Line {}, {c}: {}.", i.line, i.message)),
            None => s.push_str(&format!(" Line {}: {}.", i.line, i.message)),
        }
    }
    if issues.len() > SHOWN {
        s.push_str(&format!(" …and {} more.", issues.len() - SHOWN));
    }
    s.push_str(" Fix the file, or import with skip_invalid to leave those rows out.");
    s
}

/// Prefixes the row's line to an error the core raised while writing it.
pub fn at_line(line: u64, e: Error) -> Error {
    match e {
        Error::Validation { field, message } => Error::Validation {
            field,
            message: format!("line {line}: {message}"),
        },
        Error::DuplicateTag(_) | Error::DuplicateSerial { .. } | Error::NotFound { .. } => {
            Error::invalid(e.field().unwrap_or("file"), format!("line {line}: {e}"))
        }
        Error::Refused(m) => Error::Refused(format!("line {line}: {m}")),
        other => other,
    }
}
