//! Assets: what an asset is, and everything done to one. Every mutation writes its audit event
//! in the caller's transaction.
//!
//! - `model`: the asset, its input and patch, and their validation;
//! - `rules`: the storage-free rules of a change (checks, the event's changes), shared with the
//!   team register on PostgreSQL;
//! - `holding`: the storage-free rules of assigning, returning, moving and status changes
//!   (what is refused, where the asset ends up, what is recorded), shared likewise;
//! - `write`: create, edit, assign, return, status changes, archival and its undoing;
//! - `placement`: assets created or brought back already held and in a status (imports);
//! - `list`: lookup, search, sorted paging and the next free tag.

mod holding;
mod list;
mod model;
mod placement;
mod rules;
mod write;

pub use holding::{plan_assign, plan_location_move, plan_return, plan_status_change, Move, Names};
pub use list::{
    find_asset, get_asset, list_asset_ids, list_assets, next_asset_tag, next_tag_after,
    search_words, sort_columns, ListQuery, Page, SortColumn,
};
pub(crate) use list::{fts_query, live};
pub use model::{serial_key, validate_input, Asset, AssetInput, AssetPatch, Holder, Valid};
pub use placement::{
    create_placed, placed_events, placed_status, restore_placed, restored_changes, Lookups,
};
pub use rules::{
    archive_changes, asset_event, check_edit, check_live, check_new_asset, check_status_change,
    moved, plan_restore, status_changes, Checked,
};
pub use write::{
    archive_asset, assign_asset, change_status, create_asset, move_to_location, return_asset,
    unarchive_asset, update_asset,
};

#[cfg(test)]
mod tests;
