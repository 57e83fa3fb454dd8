//! Audit commands: the latest events and the register's full check.

use register_core::documents::{verify_documents, DocumentProblem};
use register_core::{audit, Event, Verification};
use serde::Serialize;

use super::{CmdResult, St};

#[tauri::command]
pub async fn list_audit_events(state: St<'_>, limit: Option<u32>) -> CmdResult<Vec<Event>> {
    state
        .read(move |c| audit::list_audit_events(c, limit))
        .await
}

/// The register's full check: the database, the audit chain and every stored document.
#[derive(Serialize)]
pub struct RegisterCheck {
    #[serde(flatten)]
    chain: Verification,
    document_problems: Vec<DocumentProblem>,
}

#[tauri::command]
pub async fn verify_register(state: St<'_>) -> CmdResult<RegisterCheck> {
    let store = state.store.clone();
    state
        .read_long(move |c| {
            let mut chain = audit::verify(c)?;
            let document_problems = verify_documents(c, &store)?;
            chain.ok &= document_problems.is_empty();
            Ok(RegisterCheck {
                chain,
                document_problems,
            })
        })
        .await
}
