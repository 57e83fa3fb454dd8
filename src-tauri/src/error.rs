//! The error shape the web view receives: `{ kind, message, field? }`. Messages are the core's
//! plain-words sentences; SQL text and panics never reach the UI.

use serde::Serialize;

/// A command's error as the front end sees it.
#[derive(Debug, Serialize)]
pub struct CmdError {
    /// What the UI can act on: validation, duplicate, refused, notFound, unavailable, internal…
    pub kind: &'static str,
    /// A sentence for the user.
    pub message: String,
    /// The field the message concerns (snake_case), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl CmdError {
    /// An error the user cannot act on.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        CmdError {
            kind: "internal",
            message: format!("Something went wrong: {e}"),
            field: None,
        }
    }
}

impl From<register_core::Error> for CmdError {
    fn from(e: register_core::Error) -> Self {
        let message = match &e {
            // SQLite's own text stays in the log, not in front of the user.
            register_core::Error::Sqlite(inner) => {
                eprintln!("database error: {inner}");
                "The register could not complete that change; nothing was saved.".to_string()
            }
            other => capitalise(&other.to_string()),
        };
        CmdError {
            kind: e.kind(),
            message,
            field: e.field().map(str::to_string),
        }
    }
}

/// Capitalises a sentence, but not one that starts with a name (a file name like
/// "empty.pdf is empty" keeps its spelling).
fn capitalise(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    if first_word.contains(['.', '/', '\\', '"', '\''])
        || first_word.chars().any(|c| c.is_ascii_digit())
    {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
