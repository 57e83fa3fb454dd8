//! Licences and their seats in the team register: reading them with their row version
//! (`read`), creating, editing and archiving them (`write`), and giving, moving and taking back
//! seats (`seats`), each change inside the caller's transaction ([`crate::write`]) with its
//! audit event. The rules of a change (what is refused, in which words, what an event records,
//! the key masked) are the core's, `register_core::licences::check_*` and `plan_*`, which the
//! file calls too; the SQL is this module's.
//!
//! Seats are given to people, as in the file (the file has no seats for assets). The key is
//! stored in clear, as in the file: lists and events show it masked, [`reveal_licence_key`]
//! gives it in full, and every role that reads licences may call it (see `admin`).

mod read;
mod seats;
mod write;

pub use read::{
    find_licence, get_licence, list_licences, list_seats, person_seats, reveal_licence_key,
    Versioned,
};
pub use seats::{assign_seat, reassign_seat, release_seat};
pub use write::{archive_licence, create_licence, update_licence};
