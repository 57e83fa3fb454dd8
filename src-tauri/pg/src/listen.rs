//! Change notifications on a team register, so that other clients refresh when something
//! changes (issue #22). Every write that appended an event notifies [`CHANNEL`] with the new
//! head's sequence number, inside its own transaction (`db::write`): PostgreSQL delivers it
//! only when that transaction commits, so a rolled-back or refused change, and a read, notify
//! nobody. Owns listening: a [`Listener`] holds a connection of its own that does nothing else.
//!
//! The sequence number is a hint, not a proof: any login may `NOTIFY` on any channel, so a
//! client re-reads what it shows (and the head) rather than trusting the payload.

use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Notification};

use crate::error::Result;

/// The channel a committed change is announced on; the payload is the new head's sequence
/// number, in decimal.
pub const CHANNEL: &str = "register_changed";

/// A connection listening on [`CHANNEL`].
pub struct Listener {
    client: Client,
}

impl Listener {
    /// Starts listening on `client`, which should be a connection of its own: the
    /// notifications arrive on it, and [`Listener::wait`] blocks it.
    pub fn new(mut client: Client) -> Result<Listener> {
        client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(Listener { client })
    }

    /// Waits up to `timeout` for a change, and gives the newest head among those that have
    /// arrived by then (a burst of changes is one wake-up), or `None` when none came. A
    /// notification whose payload is not a sequence number (not one of ours) is passed over. A
    /// dropped connection is an error.
    pub fn wait(&mut self, timeout: Duration) -> Result<Option<i64>> {
        let deadline = Instant::now() + timeout;
        let mut newest: Option<i64> = None;
        {
            let mut notifications = self.client.notifications();
            while newest.is_none() {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                match notifications.timeout_iter(left).next()? {
                    Some(n) => newest = seq(&n),
                    None => break,
                }
            }
            if newest.is_some() {
                // What else has arrived: coalesced into the same wake-up, without waiting.
                let mut arrived = notifications.iter();
                while let Some(n) = arrived.next()? {
                    newest = newest.max(seq(&n));
                }
            }
        }
        if newest.is_none() && self.client.is_closed() {
            // The iterators end quietly on a closed connection; a statement says why.
            self.client.batch_execute("")?;
        }
        Ok(newest)
    }
}

/// The head a notification announces, if it is one of ours.
fn seq(n: &Notification) -> Option<i64> {
    (n.channel() == CHANNEL)
        .then(|| n.payload().parse().ok())
        .flatten()
}
