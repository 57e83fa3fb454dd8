//! Reading documents from the team register as the core's `Document`, and their bytes. Owns the
//! column list, the row conversion and the look-up of a document's owner (its label, whether it
//! is archived) that every change takes.

use postgres::types::Type;
use postgres::{GenericClient, Row};
use register_core::documents::{check_content, DocKind, Document, Owner};

use crate::error::{Error, Result};

/// Every column of a document (`d`), the time as the file stores it (RFC 3339 in UTC with
/// microseconds).
pub(super) const COLUMNS: &str = r#"d.id, d.asset_id, d.licence_id, d.name, d.kind, d.size,
    d.sha256,
    to_char(d.added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS added_at"#;

/// A row of [`COLUMNS`].
pub(super) fn from_row(r: &Row) -> Result<Document> {
    let kind: String = r.try_get("kind")?;
    Ok(Document {
        id: r.try_get("id")?,
        asset_id: r.try_get("asset_id")?,
        licence_id: r.try_get("licence_id")?,
        name: r.try_get("name")?,
        kind: DocKind::parse(&kind)?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        added_at: r.try_get("added_at")?,
    })
}

/// The `documents` column that points at `owner`, and its id.
pub(super) fn owner_column(owner: Owner) -> (&'static str, i64) {
    match owner {
        Owner::Asset(id) => ("asset_id", id),
        Owner::Licence(id) => ("licence_id", id),
    }
}

/// The owner's label for events (an asset's tag, a licence's product) and whether it is
/// archived. `lock` takes a share lock on its row, held to the end of the change, so it is
/// neither archived nor relabelled while a change to its documents is under way.
pub(super) fn owner_label(
    client: &mut impl GenericClient,
    owner: Owner,
    lock: bool,
) -> Result<(String, bool)> {
    let (sql, id, entity) = match owner {
        Owner::Asset(id) => (
            "SELECT asset_tag AS label, archived_at IS NOT NULL AS archived
               FROM public.assets WHERE id = $1",
            id,
            "asset",
        ),
        Owner::Licence(id) => (
            "SELECT product AS label, archived_at IS NOT NULL AS archived
               FROM public.licences WHERE id = $1",
            id,
            "licence",
        ),
    };
    let sql = if lock {
        format!("{sql} FOR SHARE")
    } else {
        sql.to_string()
    };
    let row = client
        .query_typed(&sql, &[(&id, Type::INT8)])?
        .into_iter()
        .next()
        .ok_or_else(|| register_core::Error::not_found(entity, id))?;
    Ok((row.try_get("label")?, row.try_get("archived")?))
}

/// An owner's documents, oldest first, as the file's `documents_of` gives them.
pub fn documents_of(client: &mut impl GenericClient, owner: Owner) -> Result<Vec<Document>> {
    owner_label(client, owner, false)?;
    let (column, id) = owner_column(owner);
    let rows = client.query_typed(
        &format!("SELECT {COLUMNS} FROM public.documents d WHERE d.{column} = $1 ORDER BY d.id"),
        &[(&id, Type::INT8)],
    )?;
    rows.iter().map(from_row).collect()
}

/// One of an owner's documents; refused as the file refuses a document that is not the owner's.
pub fn document_of(client: &mut impl GenericClient, owner: Owner, id: i64) -> Result<Document> {
    let (column, owner_id) = owner_column(owner);
    let row = client
        .query_typed(
            &format!(
                "SELECT {COLUMNS} FROM public.documents d WHERE d.id = $1 AND d.{column} = $2"
            ),
            &[(&id, Type::INT8), (&owner_id, Type::INT8)],
        )?
        .into_iter()
        .next()
        .ok_or_else(|| register_core::Error::not_found("document", id))?;
    from_row(&row)
}

/// One of an owner's documents and its bytes, read in one statement, after checking the bytes
/// still hash to the document's key: changed bytes are refused as the file's `save_copy`
/// refuses them ("x.pdf: the stored file's content was changed (SHA-256 differs); run verify").
pub fn read_document(
    client: &mut impl GenericClient,
    owner: Owner,
    id: i64,
) -> Result<(Document, Vec<u8>)> {
    let (column, owner_id) = owner_column(owner);
    let row = client
        .query_typed(
            &format!(
                "SELECT {COLUMNS}, c.bytes FROM public.documents d
                   JOIN public.document_content c ON c.sha256 = d.sha256
                  WHERE d.id = $1 AND d.{column} = $2"
            ),
            &[(&id, Type::INT8), (&owner_id, Type::INT8)],
        )?
        .into_iter()
        .next()
        .ok_or_else(|| register_core::Error::not_found("document", id))?;
    let doc = from_row(&row)?;
    let bytes: Vec<u8> = row.try_get("bytes")?;
    if let Some(problem) = check_content(&doc.sha256, doc.size, &mut bytes.as_slice()) {
        return Err(Error::Refused(format!(
            "{}: {problem}; run verify",
            doc.name
        )));
    }
    Ok((doc, bytes))
}

/// How many documents the register holds (what `verify` prints beside the problems).
pub fn count_documents(client: &mut impl GenericClient) -> Result<i64> {
    Ok(client
        .query_typed_one("SELECT count(*) AS n FROM public.documents", &[])?
        .try_get("n")?)
}
