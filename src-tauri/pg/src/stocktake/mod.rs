//! Stocktakes in the team register: checking the register against the rooms, with several
//! people scanning at once. Reading a stocktake, the open one, the list, its items and Home's
//! card (`read`); starting, scanning, moving what was found elsewhere, finishing and cancelling
//! (`write`), each inside the caller's transaction ([`crate::write`]) with the same events as
//! the file, by the core's rules (`register_core::stocktake`'s `check_*`, `plan_*` and
//! `*_event`), so the same stocktake gives the same items and a chain that re-hashes to the
//! same head in either store.
//!
//! Several people at once: at most one stocktake is open, which the server enforces (the
//! partial unique index `stocktakes_open`, 0010), and a second start is told which stocktake is
//! open, who started it and when. Every change to a stocktake locks its row first, so scans
//! from several clients into one stocktake queue up there (none lost, none doubled) and a scan
//! into one someone has just finished or cancelled is refused. A sighting writes the asset's
//! `last_seen`, which moves its row version on like every asset change, so an editor's form
//! opened before it is told of the sighting instead of overwriting it.

mod read;
mod write;

pub use read::{
    get_stocktake, last_finished, last_seen, list_items, list_stocktakes, not_seen_since,
    open_stocktake, stale_months, stocktake_summary,
};
pub use write::{
    cancel_stocktake, finish_stocktake, move_here, scan, set_stale_months, start_stocktake,
};
