//! Assets: what an asset is, and everything done to one. Every mutation writes its audit event
//! in the caller's transaction.
//!
//! - `model`: the asset, its input and patch, and their validation;
//! - `write`: create, edit, assign, return, status changes, archival and its undoing;
//! - `placement`: assets created or brought back already held and in a status (imports);
//! - `list`: lookup, search, sorted paging and the next free tag.

mod list;
mod model;
mod placement;
mod write;

pub use list::{
    find_asset, get_asset, list_asset_ids, list_assets, next_asset_tag, search_words, ListQuery,
    Page,
};
pub(crate) use list::{fts_query, live};
pub use model::{validate_input, Asset, AssetInput, AssetPatch, Holder};
pub use placement::{create_placed, restore_placed, Lookups};
pub use write::{
    archive_asset, assign_asset, change_status, create_asset, move_to_location, return_asset,
    unarchive_asset, update_asset,
};

#[cfg(test)]
mod tests;
