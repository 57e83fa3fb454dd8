//! Offboarding in the team register, as the file does it (`register_core::offboarding`): start
//! with a leaving date, resolve everything the person holds (assets and licence seats) as
//! returned, reassigned or missing, finish (marked as left on the leaving date; refused while
//! anything is still held) or cancel. The checklist is read live from `assets` and
//! `licence_seats`, as the file reads it, so nothing handed to the person meanwhile is missed.
//! Reading the checklist and the open offboardings is `read`; the steps are `write`, with
//! returning everything at once ([`return_everything`], the CLI's `offboard --return-all`).
//!
//! The rules (refusals and their words, what a resolution does, the events, the checklist's
//! merge) are the core's `offboarding::rules`; a resolution goes through this crate's own asset
//! and seat changes, so it records the same asset and licence events as the file and checks and
//! makes the same row versions. Every step appends the same person events as the file, so a
//! chain re-hashes to the same head in either store.
//!
//! Several people at once: every step locks the person's row first (`FOR NO KEY UPDATE`; a
//! resolution locks the asset or licence before, in the order every asset change takes them),
//! so two steps on one person's offboarding run one after the other, and the second reads what
//! the first committed: a second start is refused naming who started the first and when
//! (migration 0011's partial unique index refuses it even to a client that skipped the lock), a
//! second resolution of one item is told who resolved it, and a finish waits for an asset being
//! handed to the person and then counts it.

mod read;
mod write;

pub use read::{get_checklist, list_open, OpenOffboarding};
pub use write::{
    cancel_offboarding, finish_offboarding, resolve_item, return_everything, start_offboarding,
};
