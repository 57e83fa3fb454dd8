//! The register as an import's planning reads it (`register_core::import::ImportRegister`),
//! from the server: the same answers as the file's, tags compared ignoring ASCII case (the
//! file's NOCASE) as the server's unique index compares them.

use std::collections::{HashMap, HashSet};

use postgres::types::Type;
use postgres::GenericClient;
use register_core::assets::Asset;
use register_core::import::ImportRegister;

use crate::error::{Error, Result};

/// Reads for planning, through `client`. A server error is kept (the core's planning sees an
/// internal error) and handed back by [`Reads::result`].
pub(crate) struct Reads<'a, C: GenericClient> {
    client: &'a mut C,
    failed: Option<Error>,
}

impl<'a, C: GenericClient> Reads<'a, C> {
    pub(crate) fn new(client: &'a mut C) -> Self {
        Reads {
            client,
            failed: None,
        }
    }

    /// `r` from the core's planning, with the server's own error when a read failed.
    pub(crate) fn result<T>(&mut self, r: register_core::Result<T>) -> Result<T> {
        r.map_err(|e| self.failed.take().unwrap_or(Error::Core(e)))
    }

    fn kept<T>(&mut self, r: Result<T>) -> register_core::Result<T> {
        r.map_err(|e| {
            let message = e.to_string();
            self.failed = Some(e);
            register_core::Error::Internal(message)
        })
    }
}

impl<C: GenericClient> ImportRegister for Reads<'_, C> {
    fn remembered_mapping(&mut self, header_key: &str) -> register_core::Result<Option<String>> {
        let r = self
            .client
            .query_typed_opt(
                "SELECT mapping FROM public.import_mappings WHERE header_key = $1",
                &[(&header_key, Type::TEXT)],
            )
            .map(|r| r.map(|r| r.get("mapping")))
            .map_err(Error::from);
        self.kept(r)
    }

    fn tags_starting_with(&mut self, prefix: &str) -> register_core::Result<Vec<String>> {
        let r = self
            .client
            .query_typed(
                r#"SELECT asset_tag FROM public.assets
                    WHERE lower(left(asset_tag, char_length($1)) COLLATE "C")
                          = lower($1 COLLATE "C")"#,
                &[(&prefix, Type::TEXT)],
            )
            .map(|rows| rows.iter().map(|r| r.get("asset_tag")).collect())
            .map_err(Error::from);
        self.kept(r)
    }

    fn all_tags(&mut self) -> register_core::Result<HashSet<String>> {
        let r = self
            .client
            .query_typed("SELECT asset_tag FROM public.assets", &[])
            .map(|rows| {
                rows.iter()
                    .map(|r| r.get::<_, String>("asset_tag").to_ascii_lowercase())
                    .collect()
            })
            .map_err(Error::from);
        self.kept(r)
    }

    fn live_serials(&mut self) -> register_core::Result<HashMap<String, String>> {
        let r = self
            .client
            .query_typed(
                "SELECT serial_key, asset_tag FROM public.assets
                  WHERE serial_key IS NOT NULL AND archived_at IS NULL",
                &[],
            )
            .map(|rows| {
                rows.iter()
                    .map(|r| (r.get("serial_key"), r.get("asset_tag")))
                    .collect()
            })
            .map_err(Error::from);
        self.kept(r)
    }

    fn person_left(&mut self, name: &str) -> register_core::Result<Option<bool>> {
        let r = self
            .client
            .query_typed_opt(
                r#"SELECT left_on IS NOT NULL AS has_left FROM public.people
                    WHERE lower(name COLLATE "C") = lower($1 COLLATE "C")"#,
                &[(&name, Type::TEXT)],
            )
            .map(|r| r.map(|r| r.get("has_left")))
            .map_err(Error::from);
        self.kept(r)
    }

    fn find_by_tag(&mut self, tag: &str) -> register_core::Result<Option<Asset>> {
        let r = match crate::assets::find_asset(self.client, tag) {
            Ok(v) => Ok(Some(v.asset)),
            Err(Error::Core(register_core::Error::NotFound { .. })) => Ok(None),
            Err(e) => Err(e),
        };
        self.kept(r)
    }

    fn taken_back_by(&mut self, asset_id: i64) -> register_core::Result<Option<i64>> {
        let r = self
            .client
            .query_typed_opt(
                "SELECT i.id, i.undone_at IS NOT NULL AS undone FROM public.import_items it
                   JOIN public.imports i ON i.id = it.import_id
                  WHERE it.asset_id = $1 AND it.action = 'created'
                  ORDER BY i.id DESC LIMIT 1",
                &[(&asset_id, Type::INT8)],
            )
            .map(|r| {
                r.filter(|r| r.get::<_, bool>("undone"))
                    .map(|r| r.get::<_, i64>("id"))
            })
            .map_err(Error::from);
        self.kept(r)
    }
}
