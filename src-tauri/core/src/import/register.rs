//! The register as an import sees it: the few reads the column analysis and the planner make,
//! behind one trait so the same planning code runs against a register file (the
//! `rusqlite::Connection` below) and a team register (`register_pg::imports`). Reads only.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension};

use crate::assets::{self, Asset};
use crate::db::QueryAll;
use crate::error::{Error, Result};

/// What planning an import reads of the register. Each store answers in the file's terms: tags
/// compared ignoring ASCII case (the file's NOCASE), serials by their key.
pub trait ImportRegister {
    /// The mapping remembered for the header set `header_key` (JSON `[[header, field], …]`).
    fn remembered_mapping(&mut self, header_key: &str) -> Result<Option<String>>;
    /// Every tag that starts with `prefix`, ignoring ASCII case (archived assets' too).
    fn tags_starting_with(&mut self, prefix: &str) -> Result<Vec<String>>;
    /// Every tag, archived ones too, ASCII-lower-cased.
    fn all_tags(&mut self) -> Result<HashSet<String>>;
    /// Serial key → tag, of live assets.
    fn live_serials(&mut self) -> Result<HashMap<String, String>>;
    /// Whether the person called `name` (ignoring case) has left; `None` for nobody so called.
    fn person_left(&mut self, name: &str) -> Result<Option<bool>>;
    /// The asset with this tag (ignoring ASCII case), archived or not.
    fn find_by_tag(&mut self, tag: &str) -> Result<Option<Asset>>;
    /// The import that last created (or brought back) this archived asset, when undoing that
    /// import is what took it away.
    fn taken_back_by(&mut self, asset_id: i64) -> Result<Option<i64>>;
}

impl ImportRegister for &Connection {
    fn remembered_mapping(&mut self, header_key: &str) -> Result<Option<String>> {
        Ok(self
            .query_row(
                "SELECT mapping FROM import_mappings WHERE header_key = ?1",
                [header_key],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn tags_starting_with(&mut self, prefix: &str) -> Result<Vec<String>> {
        let pattern = format!(
            "{}%",
            prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        self.prepare("SELECT asset_tag FROM assets WHERE asset_tag LIKE ?1 ESCAPE '\\'")?
            .query_all([pattern], |r| r.get("asset_tag"))
    }

    fn all_tags(&mut self) -> Result<HashSet<String>> {
        Ok(self
            .prepare("SELECT asset_tag FROM assets")?
            .query_map([], |r| r.get::<_, String>(0))?
            .map(|t| t.map(|t| t.to_ascii_lowercase()))
            .collect::<rusqlite::Result<_>>()?)
    }

    fn live_serials(&mut self) -> Result<HashMap<String, String>> {
        Ok(self
            .prepare(
                "SELECT serial_key, asset_tag FROM assets
                 WHERE serial_key IS NOT NULL AND archived_at IS NULL",
            )?
            .query_all([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .into_iter()
            .collect())
    }

    fn person_left(&mut self, name: &str) -> Result<Option<bool>> {
        Ok(self
            .prepare_cached(
                "SELECT left_on IS NOT NULL FROM people WHERE name = ?1 COLLATE NOCASE",
            )?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    fn find_by_tag(&mut self, tag: &str) -> Result<Option<Asset>> {
        match assets::find_asset(self, tag) {
            Ok(a) => Ok(Some(a)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn taken_back_by(&mut self, asset_id: i64) -> Result<Option<i64>> {
        let last: Option<(i64, bool)> = self
            .prepare_cached(
                "SELECT i.id, i.undone_at IS NOT NULL FROM import_items it
                   JOIN imports i ON i.id = it.import_id
                 WHERE it.asset_id = ?1 AND it.action = 'created'
                 ORDER BY i.id DESC LIMIT 1",
            )?
            .query_row([asset_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(last.filter(|(_, undone)| *undone).map(|(id, _)| id))
    }
}
