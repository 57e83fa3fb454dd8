//! Assets in the team register: reading one with its row version (`read`), finding them by
//! text (`search`), the window's searched, filtered, sorted and paged list (`list`), changing
//! them with their audit events (`write`: create, edit, status, archive, restore), assigning,
//! returning and moving them (`holding`), setting their own depreciation method and
//! replacement life (`lives`); what a save that started from an out-of-date version
//! is told is `crate::conflict`'s. The rules of a change (what is refused, what an event
//! records) are the core's, `register_core::assets::check_*` and `plan_*`; the SQL is this
//! module's.

mod holding;
mod list;
mod lives;
mod read;
mod search;
mod write;

pub use crate::conflict::{ChangedBy, Conflict};
pub use holding::{assign_asset, move_to_location, return_asset};
pub use list::list_assets;
pub use lives::{set_asset_life, set_asset_method};
pub use read::{find_asset, get_asset, get_assets, next_asset_tag, Versioned};
pub(crate) use read::{listed_from_row, lock, COLUMNS, DOCUMENT_COUNT};
pub use search::{search_assets, Found};
pub use write::{archive_asset, change_status, create_asset, unarchive_asset, update_asset};
