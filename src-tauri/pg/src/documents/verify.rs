//! Checking the team register's stored documents: every document's bytes re-hashed against its
//! key, reported as the file's `verify_documents` reports them (its owner's tag, or "licence"
//! and the product, the document's id and name, and what is wrong, in the same words).

use std::collections::HashMap;

use postgres::types::Type;
use postgres::GenericClient;
use register_core::documents::{check_content, DocumentProblem};

use crate::error::Result;

/// Re-hashes every stored document; returns each one whose bytes are missing or changed. Each
/// distinct content is read and hashed once, one at a time (never all in memory at once). Run
/// it in one snapshot ([`crate::read`]) to check the register as of one moment.
pub fn verify_documents(client: &mut impl GenericClient) -> Result<Vec<DocumentProblem>> {
    let docs = client.query_typed(
        "SELECT d.id, d.name, d.size, d.sha256,
                coalesce(a.asset_tag, 'licence ' || l.product, '?') AS owner
           FROM public.documents d
           LEFT JOIN public.assets a ON a.id = d.asset_id
           LEFT JOIN public.licences l ON l.id = d.licence_id
          ORDER BY d.id",
        &[],
    )?;
    let mut checked: HashMap<(String, i64), Option<String>> = HashMap::new();
    let mut problems = Vec::new();
    for d in &docs {
        let sha256: String = d.try_get("sha256")?;
        let size: i64 = d.try_get("size")?;
        let key = (sha256, size);
        if !checked.contains_key(&key) {
            let content = client.query_typed(
                "SELECT bytes FROM public.document_content WHERE sha256 = $1",
                &[(&key.0, Type::TEXT)],
            )?;
            let problem = match content.first() {
                None => Some("the stored file is missing".to_string()),
                Some(r) => {
                    let bytes: Vec<u8> = r.try_get("bytes")?;
                    check_content(&key.0, size, &mut bytes.as_slice())
                }
            };
            checked.insert(key.clone(), problem);
        }
        if let Some(problem) = &checked[&key] {
            problems.push(DocumentProblem {
                asset_tag: d.try_get("owner")?,
                document_id: d.try_get("id")?,
                name: d.try_get("name")?,
                problem: problem.clone(),
            });
        }
    }
    Ok(problems)
}
