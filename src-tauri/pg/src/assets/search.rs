//! Finding assets in the team register by text: the counterpart of the file register's search
//! (`register_core::assets::list_assets` with `search`), finding the same live assets for the
//! same typed text. Owns the query side; the index itself (a generated `tsvector` over the
//! folded text, with a GIN index) is built by `migrations/0002_assets.sql`.
//!
//! How a search runs, step for step as in the file:
//! - the typed text is split into words by the core's own `search_words` (runs of letters and
//!   digits), so punctuation, quotes and operators are never query syntax in either store;
//! - each word is folded on the server by the function that folds the indexed text;
//! - each word must start a word of the asset (`:*`, a prefix: `websearch_to_tsquery` would
//!   drop it), in any of the searched columns; all words are required;
//! - no words at all (empty, or only punctuation) lists every live asset, as the file does;
//! - archived assets are never found.
//!
//! The folding is the file's (see `register_search_text` in the migration): accents come off
//! ASCII letters only, as FTS5's `remove_diacritics` does, so "Lodz" does not find "Łódź" in
//! either store; PostgreSQL's `unaccent` would fold `ł`, `ß`, `ø`, `ё`… too and is not used.
//! Serial fragments from the middle (`pg_trgm`) are deliberately not searched: the file matches
//! a serial only from its start, and finding more on the server would make the two registers
//! disagree.

use postgres::GenericClient;
use register_core::assets::search_words;

use crate::error::Result;

/// An asset a search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The asset's id.
    pub id: i64,
    /// Its tag.
    pub asset_tag: String,
}

/// The live assets matching `search`, at most `limit`, in tag order (ignoring ASCII case, as
/// the file's list does).
pub fn search_assets(
    client: &mut impl GenericClient,
    search: &str,
    limit: i64,
) -> Result<Vec<Found>> {
    const ORDER: &str = "ORDER BY lower(asset_tag COLLATE \"C\"), id LIMIT $1";
    let rows = match text_match(client, search)? {
        TextMatch::All => client.query(
            &format!("SELECT id, asset_tag FROM public.assets WHERE archived_at IS NULL {ORDER}"),
            &[&limit],
        )?,
        TextMatch::Nothing => return Ok(Vec::new()),
        TextMatch::Query(query) => client.query(
            &format!(
                "SELECT id, asset_tag FROM public.assets
                  WHERE archived_at IS NULL AND search @@ $2::text::tsquery {ORDER}"
            ),
            &[&limit, &query],
        )?,
    };
    Ok(rows
        .iter()
        .map(|r| Found {
            id: r.get("id"),
            asset_tag: r.get("asset_tag"),
        })
        .collect())
}

/// What typed text finds among live assets, as the file's text index finds them.
pub(super) enum TextMatch {
    /// No words: every live asset.
    All,
    /// Words that folded to nothing: no live asset.
    Nothing,
    /// The assets whose `search` matches this tsquery (text, to cast to `tsquery`).
    Query(String),
}

/// The words of `search` folded on the server by the index's own function, made into the
/// query the index answers.
pub(super) fn text_match(client: &mut impl GenericClient, search: &str) -> Result<TextMatch> {
    let words: Vec<&str> = search_words(search).collect();
    if words.is_empty() {
        return Ok(TextMatch::All);
    }
    let folded: Vec<String> = client
        .query(
            "SELECT public.register_search_text(w)
               FROM unnest($1::text[]) WITH ORDINALITY AS u(w, n) ORDER BY n",
            &[&words],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(ts_query(&folded).map_or(TextMatch::Nothing, TextMatch::Query))
}

/// The tsquery for folded words, read as it is (no text-search parser, as the index has none):
/// each word a prefix, all required. A word the folding split in pieces (around a character
/// Rust counts as a letter and FTS5 does not, such as a combining mark) requires each piece,
/// the last as a prefix; FTS5 reads its quoted `"…"*` as a phrase, so it also wants them side
/// by side. `None` when folding left no piece at all: FTS5 matches nothing then either.
fn ts_query(folded: &[String]) -> Option<String> {
    let terms: Vec<String> = folded
        .iter()
        .filter_map(|word| {
            let pieces: Vec<String> = word.split_whitespace().map(quote).collect();
            (!pieces.is_empty()).then(|| format!("({}:*)", pieces.join(" & ")))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" & "))
}

/// `piece` as a quoted tsquery lexeme. Folded pieces hold only letters and digits, but the
/// quoting does not rely on that: `'` is doubled and `\` escaped, so no text is syntax.
fn quote(piece: &str) -> String {
    format!("'{}'", piece.replace('\\', "\\\\").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_is_a_required_prefix() {
        let words = ["it".to_string(), "0042".to_string(), "a b".to_string()];
        assert_eq!(
            ts_query(&words).unwrap(),
            "('it':*) & ('0042':*) & ('a' & 'b':*)"
        );
        assert_eq!(ts_query(&[" ".to_string()]), None);
        assert_eq!(quote(r"o'b\"), r"'o''b\\'");
    }
}
