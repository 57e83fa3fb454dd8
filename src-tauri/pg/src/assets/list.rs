//! The window's asset list on the team register: the counterpart of the file's
//! `register_core::assets::list_assets`, taking the same `ListQuery` and giving the same `Page`
//! for the same register. Owns the list's SQL; the sort keys are the core's
//! (`register_core::assets::sort_columns`), live assets are found by text through `search`'s
//! query (the same words, folded the same way), and each listed asset's documents are counted.
//!
//! How the file's list reads on the server:
//! - `COLLATE NOCASE` (ASCII case only) is `lower(… COLLATE "C")`, which folds ASCII only and
//!   compares bytes, as SQLite compares UTF-8;
//! - SQLite puts NULLs first going up and last going down, so each sort column says so;
//! - ties go to the id, in the sort's direction;
//! - archived assets, which the file's text index does not hold, are found by every word
//!   somewhere in the same columns (`LIKE`, ASCII case ignored, as SQLite's `LIKE`).

use postgres::types::ToSql;
use postgres::GenericClient;
use register_core::assets::{search_words, sort_columns, ListQuery, Page};
use register_core::values::{format_date, text};

use super::read::{listed_from_row, COLUMNS, DOCUMENT_COUNT};
use super::search::{text_match, TextMatch};
use crate::error::Result;

/// An archived asset's searchable text: the columns the text index holds for live ones (the
/// file's `ARCHIVED_TEXT`).
const ARCHIVED_TEXT: &str = "concat_ws(' ', a.asset_tag, a.name, a.serial_number, a.make, \
     a.model, a.person_name, a.location_name, a.notes)";

/// The condition an archived asset meets when every word of `search` is somewhere in its
/// text, its patterns passed through `arg`; `None` when `search` has no words.
fn archived_match(
    search: &str,
    arg: &mut impl FnMut(Box<dyn ToSql + Sync>) -> usize,
) -> Option<String> {
    let words: Vec<String> = search_words(search)
        .map(|w| {
            let n = arg(Box::new(format!("%{w}%")));
            format!(r#"lower({ARCHIVED_TEXT} COLLATE "C") LIKE lower(${n}::text COLLATE "C")"#)
        })
        .collect();
    (!words.is_empty()).then(|| format!("(a.archived_at IS NOT NULL AND {})", words.join(" AND ")))
}

/// Filters, searches, sorts and pages the register as the file's list does: the same rows in
/// the same order, the same `total` (the rows the query matches) and `register_total` (live
/// assets), the same default limit (100) and cap (1000).
pub fn list_assets(client: &mut impl GenericClient, q: &ListQuery) -> Result<Page> {
    let mut wheres: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    let mut arg = |v: Box<dyn ToSql + Sync>| {
        args.push(v);
        args.len()
    };
    let include_archived = q.include_archived || q.only_archived;
    if q.only_archived {
        wheres.push("a.archived_at IS NOT NULL".into());
    } else if !include_archived {
        wheres.push("a.archived_at IS NULL".into());
    }
    if let Some(search) = q.search.as_deref() {
        // No words at all lists everything, archived too, as the file's does.
        if q.only_archived {
            wheres.extend(archived_match(search, &mut arg));
        } else {
            let live = match text_match(client, search)? {
                TextMatch::All => None,
                TextMatch::Nothing => Some("false".to_string()),
                TextMatch::Query(query) => {
                    let n = arg(Box::new(query));
                    Some(format!(
                        "(a.archived_at IS NULL AND a.search @@ ${n}::text::tsquery)"
                    ))
                }
            };
            match (live, include_archived) {
                (Some(live), true) => {
                    let archived =
                        archived_match(search, &mut arg).unwrap_or_else(|| "false".to_string());
                    wheres.push(format!("({live} OR {archived})"));
                }
                (Some(live), false) => wheres.push(live),
                (None, _) => {}
            }
        }
    }
    if let Some(s) = q.status {
        let n = arg(Box::new(s.as_str().to_string()));
        wheres.push(format!("a.status = ${n}::text"));
    }
    if let Some(c) = q.category.as_deref().and_then(text) {
        let n = arg(Box::new(c));
        wheres.push(format!(
            r#"a.category_id = (SELECT id FROM public.categories
                                  WHERE lower(name COLLATE "C") = lower(${n}::text COLLATE "C"))"#
        ));
    }
    if let Some(p) = q.person_id {
        let n = arg(Box::new(p));
        wheres.push(format!("a.person_id = ${n}::int8"));
    }
    if let Some(l) = q.location_id {
        let n = arg(Box::new(l));
        wheres.push(format!("a.location_id = ${n}::int8"));
    }
    if let Some(d) = q.not_seen_since {
        let n = arg(Box::new(format_date(d)));
        wheres.push(format!(
            "(a.last_seen IS NULL OR a.last_seen < ${n}::text::date)"
        ));
    }
    let where_sql = if wheres.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wheres.join(" AND "))
    };
    let (dir, nulls) = if q.descending {
        ("DESC", "NULLS LAST")
    } else {
        ("ASC", "NULLS FIRST")
    };
    let order = sort_columns(q.sort.as_deref())?
        .iter()
        .map(|c| {
            let col = if c.ignore_case {
                format!(r#"lower(a.{} COLLATE "C")"#, c.column)
            } else {
                format!("a.{}", c.column)
            };
            format!("{col} {dir} {nulls}")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let limit = q.limit.unwrap_or(100).min(1000);
    let args: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();

    let register_total: i64 = client
        .query_one(
            "SELECT count(*) FROM public.assets WHERE archived_at IS NULL",
            &[],
        )?
        .get(0);
    let total: i64 = client
        .query_one(
            &format!("SELECT count(*) FROM public.assets a {where_sql}"),
            &args,
        )?
        .get(0);
    let rows = client.query(
        &format!(
            "SELECT {COLUMNS}, {DOCUMENT_COUNT} FROM public.assets a {where_sql}
              ORDER BY {order}, a.id {dir} LIMIT {limit} OFFSET {}",
            q.offset
        ),
        &args,
    )?;
    let assets = rows
        .iter()
        .map(listed_from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        total,
        register_total,
        offset: q.offset,
        assets,
    })
}
