//! The team register's full check, as the file's `verify` gives it: the chain recomputed, its
//! head row compared with where the events end (the counterpart of the file's database check),
//! and every stored document re-hashed, all read in one snapshot. Owns putting those together
//! into the core's `Verification`; the CLI prints it and the window shows it.

use postgres::Client;
use register_core::audit::Verification;
use register_core::documents::DocumentProblem;

use crate::error::Result;
use crate::{audit, db, documents};

/// A full check of a team register.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The chain and the head row (`integrity` says whether they agree).
    pub verification: Verification,
    /// Documents whose bytes no longer hash to what was recorded.
    pub document_problems: Vec<DocumentProblem>,
    /// How many documents were re-hashed.
    pub documents: i64,
}

impl Checked {
    /// Whether everything checked is sound: the chain, its head and every document.
    pub fn ok(&self) -> bool {
        self.verification.ok && self.document_problems.is_empty()
    }
}

/// Checks the whole register in one snapshot (see the module's doc).
pub fn verify(client: &mut Client) -> Result<Checked> {
    let (check, (seq, hash), document_problems, documents) = db::read(client, |tx| {
        Ok((
            audit::verify_chain(tx)?,
            audit::head(tx)?,
            documents::verify_documents(tx)?,
            documents::count_documents(tx)?,
        ))
    })?;
    // The head row moves with every append (a trigger): it must be where the chain ends.
    let integrity = if (seq, &hash) == (check.event_count, &check.head_hash) {
        "ok".to_string()
    } else {
        format!(
            "the chain head says event {seq} ({hash}) but the events end at {} ({})",
            check.event_count, check.head_hash
        )
    };
    Ok(Checked {
        verification: Verification {
            ok: integrity == "ok" && check.first_bad_event.is_none(),
            integrity,
            event_count: check.event_count,
            head_hash: check.head_hash,
            first_bad_event: check.first_bad_event,
        },
        document_problems,
        documents,
    })
}
