//! The error shape the web view receives: `{ kind, message, field? }`, and the result alias every
//! command returns. Messages are the core's plain-words sentences; SQL text and panics never
//! reach the UI (they go to the log).

use serde::Serialize;

/// What every command returns.
pub type CmdResult<T> = Result<T, CmdError>;

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
    fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self::with_kind(kind, message)
    }

    /// An error of a kind of its own (`conflict`, `needsPassword`, `fileOnly`…).
    pub fn with_kind(kind: &'static str, message: impl Into<String>) -> Self {
        CmdError {
            kind,
            message: message.into(),
            field: None,
        }
    }

    /// An error the user cannot act on.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::new("internal", format!("Something went wrong: {e}"))
    }

    /// The app will not do this (the sentence says why).
    pub fn refused(message: impl Into<String>) -> Self {
        Self::new("refused", message)
    }

    /// What the command names is gone (an expired drop, a closed import file…).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("notFound", message)
    }

    /// The register is not open (the sentence says why).
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new("unavailable", message)
    }

    /// The same error, shown beside `field`.
    pub fn on_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }
}

impl From<register_core::Error> for CmdError {
    fn from(e: register_core::Error) -> Self {
        let message = match &e {
            // SQLite's own text stays in the log, not in front of the user.
            register_core::Error::Sqlite(inner) => {
                log::error!("database error: {inner}");
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
pub fn capitalise(s: &str) -> String {
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
