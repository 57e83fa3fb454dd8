//! Transactions on a team register: [`write`] runs a change in one PostgreSQL transaction
//! that commits only when the change returns `Ok`, as `register_core::Db::write` does for the
//! file; [`read`] runs reads on one snapshot, as `Db::read` does. Owns the transactions and what
//! a write holds of the chain; appending is `audit`'s. A write that appended events announces
//! its new head to listening clients (`listen`) in the same transaction.

use postgres::types::Type;
use postgres::{Client, IsolationLevel, Transaction};
use register_core::audit::Source;

use crate::error::Result;

/// A change's transaction. Once it has appended an event it holds the chain head's row lock
/// until it ends, so the head it remembers stays the real one.
pub struct Tx<'c> {
    inner: Transaction<'c>,
    source: Source,
    pub(crate) held: Option<HeldHead>,
}

/// The chain head as this transaction holds it locked, and the time its events carry.
pub(crate) struct HeldHead {
    pub(crate) seq: i64,
    pub(crate) hash: String,
    pub(crate) at: String,
}

impl<'c> Tx<'c> {
    /// Who is making this change.
    pub fn source(&self) -> Source {
        self.source
    }

    /// The PostgreSQL transaction, for the change's own statements.
    pub fn client(&mut self) -> &mut Transaction<'c> {
        &mut self.inner
    }
}

/// Runs `f` in one transaction and commits only if it returns `Ok` (dropping the transaction
/// rolls it back, events included). When `f` appended events, the new head's sequence number
/// is sent on `listen::CHANNEL` before the commit: PostgreSQL delivers it when the transaction
/// commits, and never for one rolled back, so listeners hear of exactly the changes made.
pub fn write<T>(
    client: &mut Client,
    source: Source,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
) -> Result<T> {
    let mut tx = Tx {
        inner: client.transaction()?,
        source,
        held: None,
    };
    let out = f(&mut tx)?;
    if let Some(head) = &tx.held {
        tx.inner.query_typed(
            "SELECT pg_notify($1, $2)",
            &[
                (&crate::listen::CHANNEL, Type::TEXT),
                (&head.seq.to_string(), Type::TEXT),
            ],
        )?;
    }
    tx.inner.commit()?;
    Ok(out)
}

/// Runs `f` in one read-only transaction that sees one snapshot of the register (`REPEATABLE
/// READ`): a verify, or a history read meanwhile, sees none of the appends other clients make.
pub fn read<T>(
    client: &mut Client,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<T>,
) -> Result<T> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let out = f(&mut tx)?;
    tx.commit()?;
    Ok(out)
}
