//! Reading assets: by id or tag, the searched, filtered, sorted and paged list, and the next
//! free tag.

use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::model::*;
use crate::db::QueryAll;
use crate::error::{Error, Result};
use crate::status::Status;
use crate::values::{text, Money};

pub(super) const SELECT: &str =
    "SELECT a.id, a.asset_tag, a.name, a.category_name, a.make, a.model,
        a.serial_number, a.purchase_date, a.purchase_cost, a.supplier, a.warranty_expires, a.status,
        a.person_name, a.location_name, a.notes, a.person_id, a.location_id, a.created_at,
        a.updated_at, a.archived_at, a.last_seen,
        (SELECT count(*) FROM documents d WHERE d.asset_id = a.id) AS document_count
    FROM assets a";

pub(super) fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Asset> {
    let status: String = r.get("status")?;
    let cost: Option<Money> = r.get("purchase_cost")?;
    let archived: Option<String> = r.get("archived_at")?;
    Ok(Asset {
        id: r.get("id")?,
        asset_tag: r.get("asset_tag")?,
        name: r.get("name")?,
        category: r.get("category_name")?,
        make: r.get("make")?,
        model: r.get("model")?,
        serial_number: r.get("serial_number")?,
        purchase_date: r.get("purchase_date")?,
        purchase_cost: cost,
        supplier: r.get("supplier")?,
        warranty_expires: r.get("warranty_expires")?,
        status: Status::parse(&status).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(11, rusqlite::types::Type::Text, e.into())
        })?,
        assigned_to: r.get("person_name")?,
        location: r.get("location_name")?,
        notes: r.get("notes")?,
        person_id: r.get("person_id")?,
        location_id: r.get("location_id")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        archived: archived.is_some(),
        document_count: r.get("document_count")?,
        last_seen: r.get("last_seen")?,
    })
}

/// One asset by id (archived ones included).
pub fn get_asset(conn: &Connection, id: i64) -> Result<Asset> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("asset", id))
}

/// One asset by tag, ignoring case (archived ones included).
pub fn find_asset(conn: &Connection, tag: &str) -> Result<Asset> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.asset_tag = ?1 COLLATE NOCASE"))?
        .query_row([tag.trim()], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("asset", tag.trim()))
}

/// A live (not archived) asset, for changes.
pub(crate) fn live(conn: &Connection, id: i64) -> Result<Asset> {
    let a = get_asset(conn, id)?;
    super::rules::check_live(&a)?;
    Ok(a)
}

/// Suggests the next free tag, following the most recent tag's pattern (IT-0041 → IT-0042).
pub fn next_asset_tag(conn: &Connection) -> Result<String> {
    let last: Option<String> = conn
        .query_row(
            "SELECT asset_tag FROM assets ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM assets WHERE asset_tag = ?1 COLLATE NOCASE")?;
    next_tag_after(last.as_deref(), |tag| Ok(stmt.exists([tag])?))
}

/// The tag after `last` (the newest asset's, `None` in an empty register: IT-0001): its number
/// plus one at the same width, skipping the tags `taken` says are in use. The rule both stores
/// follow.
pub fn next_tag_after(
    last: Option<&str>,
    mut taken: impl FnMut(&str) -> Result<bool>,
) -> Result<String> {
    let last = last.unwrap_or("IT-0000");
    let digits = last
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let (prefix, num) = last.split_at(last.len() - digits);
    let (prefix, width, mut n) = if digits == 0 {
        (format!("{last}-"), 4, 0u64)
    } else {
        (prefix.to_string(), digits, num.parse::<u64>().unwrap_or(0))
    };
    loop {
        n += 1;
        let tag = format!("{prefix}{n:0width$}");
        if !taken(&tag)? {
            return Ok(tag);
        }
    }
}

/// A list request: filters, text search, sort and page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// Words to find in tag, name, serial, make, model, holder, location and notes (prefixes).
    pub search: Option<String>,
    /// Only this status.
    pub status: Option<Status>,
    /// Only this category (by name).
    pub category: Option<String>,
    /// Only assets held by this person (id).
    pub person_id: Option<i64>,
    /// Only assets at this location (id).
    pub location_id: Option<i64>,
    /// Sort key: any `Asset` field name (asset_tag, name, category, make, serial_number,
    /// assigned_to, location, status, purchase_date, purchase_cost, warranty_expires,
    /// last_seen, updated_at). Default asset_tag.
    pub sort: Option<String>,
    /// Sort descending.
    pub descending: bool,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return (default 100, at most 1000).
    pub limit: Option<u32>,
    /// Include archived assets (a search then finds them too).
    pub include_archived: bool,
    /// Only archived assets (implies `include_archived`).
    pub only_archived: bool,
    /// Only assets a stocktake has not seen since this day (never seen ones included).
    pub not_seen_since: Option<chrono::NaiveDate>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Rows matching the query.
    pub total: i64,
    /// Live assets in the whole register (the M of "N of M").
    pub register_total: i64,
    /// The offset this page starts at.
    pub offset: u32,
    /// The rows.
    pub assets: Vec<Asset>,
}

/// The words of a search: runs of letters and digits. Each must start a word of a matching
/// asset; the team register's search splits typed text with this too, so both stores agree.
pub fn search_words(search: &str) -> impl Iterator<Item = &str> {
    search
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// An archived asset's searchable text: the columns the text index holds for live ones.
const ARCHIVED_TEXT: &str = "concat_ws(' ', a.asset_tag, a.name, a.serial_number, a.make, \
     a.model, a.person_name, a.location_name, a.notes)";

/// Turns typed words into an FTS5 query: each word a quoted prefix, all required.
pub(crate) fn fts_query(search: &str) -> Option<String> {
    let words: Vec<String> = search_words(search).map(|w| format!("\"{w}\"*")).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// One column a list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortColumn {
    /// The `assets` column (the same name in both stores).
    pub column: &'static str,
    /// Compared ignoring ASCII case (SQLite's `NOCASE`), else as stored.
    pub ignore_case: bool,
}

/// A `SortColumn` literal (a literal, so that `&[…]` of them is a constant).
macro_rules! by {
    ($column:literal, $ignore_case:literal) => {
        SortColumn {
            column: $column,
            ignore_case: $ignore_case,
        }
    };
}

/// The columns a list sorts by for a sort key (`ListQuery::sort`, default `asset_tag`), first
/// to last, before the id that breaks ties; an unknown key is refused in the `sort` field. Both
/// stores order their lists by these.
pub fn sort_columns(key: Option<&str>) -> Result<&'static [SortColumn]> {
    Ok(sort_key(key)?.0)
}

/// A sort key's columns, and the index that delivers rows in that order.
fn sort_key(key: Option<&str>) -> Result<(&'static [SortColumn], &'static str)> {
    Ok(match key.unwrap_or("asset_tag") {
        "asset_tag" | "tag" => (&[by!("asset_tag", true)], "assets_tag"),
        "name" => (&[by!("name", true)], "assets_name"),
        "category" => (&[by!("category_name", true)], "assets_category_name"),
        "make" | "model" | "make_model" => {
            (&[by!("make", true), by!("model", true)], "assets_make")
        }
        "serial_number" => (&[by!("serial_number", true)], "assets_serial_sort"),
        "assigned_to" | "holder" => (&[by!("person_name", true)], "assets_person_name"),
        "location" => (&[by!("location_name", true)], "assets_location_name"),
        "status" => (&[by!("status", false)], "assets_status"),
        "purchase_date" => (&[by!("purchase_date", false)], "assets_purchase_date"),
        "purchase_cost" => (&[by!("purchase_cost", false)], "assets_cost"),
        "warranty_expires" => (&[by!("warranty_expires", false)], "assets_warranty"),
        "last_seen" => (&[by!("last_seen", false)], "assets_last_seen"),
        other => {
            return Err(Error::invalid(
                "sort",
                format!("cannot sort by \"{other}\""),
            ))
        }
    })
}

/// The ORDER BY columns for a sort key (comma-separated, no direction), and the index that
/// delivers rows in that order.
pub(super) fn sort_sql(key: Option<&str>) -> Result<(String, &'static str)> {
    let (columns, index) = sort_key(key)?;
    let order = columns
        .iter()
        .map(|c| {
            let nocase = if c.ignore_case { " COLLATE NOCASE" } else { "" };
            format!("a.{}{nocase}", c.column)
        })
        .collect::<Vec<_>>()
        .join(", ");
    Ok((order, index))
}

/// Above this many matches, walking the sort index and testing each row beats sorting the
/// matches (measured on 100k assets; see the README's benchmark).
pub(super) const DENSE_MATCHES: i64 = 2000;

/// Archived assets are few (they have left the register), so a query for them alone reads them
/// by the archived index. Left to itself, SQLite reads every asset to count them and walks the
/// whole sort index to page them: 30-35 ms each at 100k, for the hint the list shows after
/// every keystroke, on the connection the next keystroke's search waits for.
fn archived_index(q: &ListQuery) -> &'static str {
    if q.only_archived {
        "INDEXED BY assets_archived"
    } else {
        ""
    }
}

/// Counts the matches of a query the text index cannot count alone.
pub(super) fn count_sql(q: &ListQuery, where_sql: &str) -> String {
    format!(
        "SELECT count(*) FROM assets a {} {where_sql}",
        archived_index(q)
    )
}

/// The ids of one page of a query with `total` matches. Sort only ids, then load the page's
/// rows: sorting whole rows would drag every column of every match through the sorter. Many
/// matches: walk the sort index and stop after the page. Few: let SQLite fetch the matches and
/// sort them.
pub(super) fn page_sql(
    q: &ListQuery,
    total: i64,
    where_sql: &str,
    order: &str,
    index: &str,
    dir: &str,
    limit: u32,
) -> String {
    let indexed = if q.only_archived {
        archived_index(q).to_string()
    } else if total > DENSE_MATCHES {
        format!("INDEXED BY {index}")
    } else {
        String::new()
    };
    format!(
        "SELECT a.id FROM assets a {indexed} {where_sql} ORDER BY {order}, a.id {dir} LIMIT {limit} OFFSET {}",
        q.offset
    )
}

/// A query's WHERE clause with its arguments, and its ORDER BY.
pub(super) struct Filter {
    pub(super) wheres: Vec<String>,
    pub(super) args: Vec<rusqlite::types::Value>,
    pub(super) fts: Option<String>,
    pub(super) include_archived: bool,
    pub(super) where_sql: String,
    /// The ORDER BY columns with their direction, before the `a.id` tie-break.
    pub(super) order: String,
    /// The index that delivers rows in that order.
    pub(super) index: &'static str,
    pub(super) dir: &'static str,
}

/// The WHERE and ORDER BY of a list query (its offset and limit aside).
pub(super) fn filter(q: &ListQuery) -> Result<Filter> {
    let mut wheres: Vec<String> = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut arg = |v: rusqlite::types::Value| {
        args.push(v);
        args.len()
    };
    let include_archived = q.include_archived || q.only_archived;
    if q.only_archived {
        wheres.push("a.archived_at IS NOT NULL".into());
    } else if !include_archived {
        // `+` keeps the planner from picking the archived index over the sort index.
        wheres.push("+a.archived_at IS NULL".into());
    }
    let fts = q.search.as_deref().and_then(fts_query);
    if let Some(fts) = fts.clone() {
        let n = arg(fts.into());
        let live = format!("a.id IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?{n})");
        if include_archived {
            // Archived assets left the text index (it serves the live list, which must stay
            // fast); the few there are are matched by substring: every word somewhere in the
            // fields the index holds.
            let words = search_words(q.search.as_deref().unwrap_or_default())
                .map(|w| {
                    let n = arg(format!("%{w}%").into());
                    format!("{ARCHIVED_TEXT} LIKE ?{n}")
                })
                .collect::<Vec<_>>()
                .join(" AND ");
            let archived = format!("(a.archived_at IS NOT NULL AND {words})");
            wheres.push(if q.only_archived {
                archived
            } else {
                format!("({live} OR {archived})")
            });
        } else {
            wheres.push(live);
        }
    }
    if let Some(s) = q.status {
        let n = arg(s.as_str().to_string().into());
        wheres.push(format!("a.status = ?{n}"));
    }
    if let Some(c) = q.category.as_deref().and_then(text) {
        let n = arg(c.into());
        wheres.push(format!(
            "a.category_id = (SELECT id FROM categories WHERE name = ?{n} COLLATE NOCASE)"
        ));
    }
    if let Some(p) = q.person_id {
        let n = arg(p.into());
        wheres.push(format!("a.person_id = ?{n}"));
    }
    if let Some(l) = q.location_id {
        let n = arg(l.into());
        wheres.push(format!("a.location_id = ?{n}"));
    }
    if let Some(d) = q.not_seen_since {
        let n = arg(crate::values::format_date(d).into());
        wheres.push(format!("(a.last_seen IS NULL OR a.last_seen < ?{n})"));
    }
    let where_sql = if wheres.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wheres.join(" AND "))
    };
    let (order, index) = sort_sql(q.sort.as_deref())?;
    let dir = if q.descending { "DESC" } else { "ASC" };
    let order = order
        .split(", ")
        .map(|col| format!("{col} {dir}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Filter {
        wheres,
        args,
        fts,
        include_archived,
        where_sql,
        order,
        index,
        dir,
    })
}

/// Every asset id matching a list query's search and filters, in its order (its offset and
/// limit are ignored): for reading a long list once, row by row with [`get_asset`], where
/// paging by offset would skip over the rows before each page again.
pub fn list_asset_ids(conn: &Connection, q: &ListQuery) -> Result<Vec<i64>> {
    let Filter {
        args,
        where_sql,
        order,
        dir,
        ..
    } = filter(q)?;
    let sql = format!(
        "SELECT a.id FROM assets a {} {where_sql} ORDER BY {order}, a.id {dir}",
        archived_index(q)
    );
    conn.prepare(&sql)?
        .query_all(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))
}

/// Filters, searches, sorts and pages the register.
pub fn list_assets(conn: &Connection, q: &ListQuery) -> Result<Page> {
    let Filter {
        wheres,
        args,
        fts,
        include_archived,
        where_sql,
        order,
        index,
        dir,
    } = filter(q)?;
    let limit = q.limit.unwrap_or(100).min(1000);

    let register_total: i64 = conn
        .prepare_cached("SELECT live FROM asset_count")?
        .query_row([], |r| r.get(0))?;
    let total: i64 = if wheres.len() == 1 && !include_archived {
        register_total
    } else if wheres.len() == 2 && fts.is_some() && !include_archived {
        // Archived assets are not in the index, so the index alone counts live matches.
        conn.prepare_cached("SELECT count(*) FROM assets_fts WHERE assets_fts MATCH ?1")?
            .query_row([fts.as_deref()], |r| r.get(0))?
    } else {
        conn.prepare_cached(&count_sql(q, &where_sql))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?
    };
    let sql = page_sql(q, total, &where_sql, &order, index, dir, limit);
    let ids = conn
        .prepare_cached(&sql)?
        .query_all(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?;
    let assets = ids
        .into_iter()
        .map(|id| get_asset(conn, id))
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        total,
        register_total,
        offset: q.offset,
        assets,
    })
}
