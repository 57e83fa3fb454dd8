//! Which column feeds which field: the synonym table (ours, spreadsheets' and a Snipe-IT asset
//! export's headers), the caller's overrides, and the mapping remembered per header set.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::Tx;
use crate::error::{Error, Result};

/// A register field an import column can feed (the asset's JSON keys), or `Ignore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Asset tag (required).
    AssetTag,
    /// Name (required; made from make and model when empty).
    Name,
    /// Category.
    Category,
    /// Manufacturer.
    Make,
    /// Model.
    Model,
    /// Serial number.
    SerialNumber,
    /// Purchase date.
    PurchaseDate,
    /// Purchase cost.
    PurchaseCost,
    /// Supplier.
    Supplier,
    /// Warranty end date.
    WarrantyExpires,
    /// Notes.
    Notes,
    /// Lifecycle status.
    Status,
    /// The person holding the asset.
    AssignedTo,
    /// Where the asset is.
    Location,
    /// The column is not imported.
    Ignore,
}

impl Field {
    /// Every field, `Ignore` last.
    pub const ALL: [Field; 15] = [
        Field::AssetTag,
        Field::Name,
        Field::Category,
        Field::Make,
        Field::Model,
        Field::SerialNumber,
        Field::PurchaseDate,
        Field::PurchaseCost,
        Field::Supplier,
        Field::WarrantyExpires,
        Field::Notes,
        Field::Status,
        Field::AssignedTo,
        Field::Location,
        Field::Ignore,
    ];

    /// The JSON key (`serial_number`), or `ignore`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::AssetTag => "asset_tag",
            Field::Name => "name",
            Field::Category => "category",
            Field::Make => "make",
            Field::Model => "model",
            Field::SerialNumber => "serial_number",
            Field::PurchaseDate => "purchase_date",
            Field::PurchaseCost => "purchase_cost",
            Field::Supplier => "supplier",
            Field::WarrantyExpires => "warranty_expires",
            Field::Notes => "notes",
            Field::Status => "status",
            Field::AssignedTo => "assigned_to",
            Field::Location => "location",
            Field::Ignore => "ignore",
        }
    }

    /// Parses a JSON key (`serial_number`, also `serial-number`), or `ignore`.
    pub fn parse(s: &str) -> Result<Field> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == key)
            .ok_or_else(|| {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
                Error::invalid(
                    "mapping",
                    format!(
                        "\"{}\" is not a field; use one of {}",
                        s.trim(),
                        names.join(", ")
                    ),
                )
            })
    }
}

/// Parses a `COLUMN=FIELD` override as typed on the command line.
pub fn parse_override(s: &str) -> Result<(String, Field)> {
    let (column, field) = s.rsplit_once('=').ok_or_else(|| {
        Error::invalid(
            "mapping",
            format!("\"{s}\" should read COLUMN=FIELD, e.g. \"Inv No=asset_tag\""),
        )
    })?;
    Ok((column.trim().to_string(), Field::parse(field)?))
}

/// Why a column feeds the field it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// Its header is a known name for the field.
    Synonym,
    /// The mapping saved the last time this header set was imported.
    Remembered,
    /// The caller's override.
    Override,
    /// The header is not known: the column is ignored.
    Unknown,
    /// Another column feeds the same field and won (see `note`).
    Superseded,
}

/// One column of the file and the field it feeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Zero-based column index.
    pub column: usize,
    /// The header as written.
    pub header: String,
    /// The field it feeds (`ignore` when none).
    pub field: Field,
    /// Why.
    pub matched_by: MatchedBy,
    /// A sentence for the user when the choice needs explaining.
    pub note: Option<String>,
}

/// A header reduced to lower-case letters, digits and `#`: "Serial No." → "serialno".
fn header_key(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric() || *c == '#')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Known headers: (key, field, rank). A lower rank wins when two columns claim one field, so a
/// Snipe-IT export's "Warranty Expires" beats its "Warranty" (months) and "Model" its "Model No.".
const SYNONYMS: &[(&str, Field, u8)] = &[
    ("assettag", Field::AssetTag, 0),
    ("tag", Field::AssetTag, 1),
    ("asset#", Field::AssetTag, 1),
    ("assetno", Field::AssetTag, 1),
    ("assetnumber", Field::AssetTag, 1),
    ("tagnumber", Field::AssetTag, 1),
    ("tagno", Field::AssetTag, 1),
    ("inventorynumber", Field::AssetTag, 1),
    ("inventoryno", Field::AssetTag, 1),
    ("inventory#", Field::AssetTag, 1),
    ("inventorytag", Field::AssetTag, 1),
    ("propertytag", Field::AssetTag, 1),
    ("propertynumber", Field::AssetTag, 1),
    ("name", Field::Name, 0),
    ("assetname", Field::Name, 0),
    ("itemname", Field::Name, 1),
    ("devicename", Field::Name, 1),
    ("description", Field::Name, 2),
    ("item", Field::Name, 2),
    ("itemdescription", Field::Name, 2),
    ("category", Field::Category, 0),
    ("assettype", Field::Category, 1),
    ("devicetype", Field::Category, 1),
    ("itemtype", Field::Category, 1),
    ("make", Field::Make, 0),
    ("manufacturer", Field::Make, 0),
    ("brand", Field::Make, 1),
    ("mfr", Field::Make, 1),
    ("model", Field::Model, 0),
    ("modelname", Field::Model, 0),
    ("modelno", Field::Model, 2),
    ("modelnumber", Field::Model, 2),
    ("serialnumber", Field::SerialNumber, 0),
    ("serial", Field::SerialNumber, 0),
    ("serialno", Field::SerialNumber, 0),
    ("serial#", Field::SerialNumber, 0),
    ("sn", Field::SerialNumber, 1),
    ("servicetag", Field::SerialNumber, 2),
    ("purchasedate", Field::PurchaseDate, 0),
    ("purchased", Field::PurchaseDate, 1),
    ("purchasedon", Field::PurchaseDate, 1),
    ("dateofpurchase", Field::PurchaseDate, 1),
    ("acquired", Field::PurchaseDate, 2),
    ("acquisitiondate", Field::PurchaseDate, 2),
    ("orderdate", Field::PurchaseDate, 3),
    ("purchasecost", Field::PurchaseCost, 0),
    ("cost", Field::PurchaseCost, 1),
    ("price", Field::PurchaseCost, 1),
    ("purchaseprice", Field::PurchaseCost, 1),
    ("value", Field::PurchaseCost, 3),
    ("supplier", Field::Supplier, 0),
    ("vendor", Field::Supplier, 1),
    ("seller", Field::Supplier, 2),
    ("purchasedfrom", Field::Supplier, 2),
    ("warrantyexpires", Field::WarrantyExpires, 0),
    ("warrantyexpiry", Field::WarrantyExpires, 0),
    ("warrantyexpiration", Field::WarrantyExpires, 0),
    ("warrantyexpirationdate", Field::WarrantyExpires, 0),
    ("warrantyend", Field::WarrantyExpires, 1),
    ("warrantyenddate", Field::WarrantyExpires, 1),
    ("warrantyuntil", Field::WarrantyExpires, 1),
    ("warranty", Field::WarrantyExpires, 3),
    ("notes", Field::Notes, 0),
    ("note", Field::Notes, 1),
    ("comments", Field::Notes, 1),
    ("comment", Field::Notes, 1),
    ("remarks", Field::Notes, 2),
    ("status", Field::Status, 0),
    ("statuslabel", Field::Status, 1),
    ("state", Field::Status, 2),
    ("assignedto", Field::AssignedTo, 0),
    ("checkedoutto", Field::AssignedTo, 0),
    ("user", Field::AssignedTo, 1),
    ("assignee", Field::AssignedTo, 1),
    ("issuedto", Field::AssignedTo, 1),
    ("heldby", Field::AssignedTo, 1),
    ("holder", Field::AssignedTo, 1),
    ("employee", Field::AssignedTo, 2),
    ("owner", Field::AssignedTo, 2),
    ("location", Field::Location, 0),
    ("site", Field::Location, 1),
    ("office", Field::Location, 2),
    ("room", Field::Location, 2),
];

fn synonym(header: &str) -> Option<(Field, u8)> {
    let key = header_key(header);
    // Our own JSON keys (asset_tag, serial_number…) normalise to the same keys as the labels.
    SYNONYMS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, f, r)| (*f, *r))
}

/// The key a header set is remembered under: the normalised headers in order.
pub(super) fn header_set_key(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| header_key(h))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

fn same_header(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim()) || header_key(a) == header_key(b)
}

/// The mapping remembered for this header set, if any.
pub(super) fn remembered(conn: &Connection, headers: &[String]) -> Result<Vec<(String, Field)>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT mapping FROM import_mappings WHERE header_key = ?1",
            [header_set_key(headers)],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match json {
        // A mapping stored by a later version with fields we do not know is ignored, not fatal.
        Some(j) => serde_json::from_str(&j).unwrap_or_default(),
        None => Vec::new(),
    })
}

/// Saves the columns the user chose (overrides and remembered choices) for this header set.
pub(super) fn remember(tx: &Tx<'_>, headers: &[String], mapping: &[ColumnMapping]) -> Result<()> {
    let chosen: Vec<(&str, Field)> = mapping
        .iter()
        .filter(|m| matches!(m.matched_by, MatchedBy::Override | MatchedBy::Remembered))
        .map(|m| (m.header.as_str(), m.field))
        .collect();
    if chosen.is_empty() {
        return Ok(());
    }
    tx.conn().execute(
        "INSERT INTO import_mappings (header_key, mapping, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (header_key) DO UPDATE SET mapping = excluded.mapping,
                                                updated_at = excluded.updated_at",
        params![
            header_set_key(headers),
            serde_json::to_string(&chosen)?,
            tx.now()
        ],
    )?;
    Ok(())
}

/// Maps every column: the caller's override, else the remembered choice, else the synonym
/// table. When several columns claim one field, an override beats a remembered choice beats a
/// synonym (lowest rank, then leftmost); the others are ignored with a note saying so.
pub(super) fn resolve(
    headers: &[String],
    remembered: &[(String, Field)],
    overrides: &[(String, Field)],
) -> Result<Vec<ColumnMapping>> {
    for (col, _) in overrides {
        if !headers.iter().any(|h| same_header(h, col)) {
            return Err(Error::invalid(
                "mapping",
                format!(
                    "there is no column \"{col}\"; the columns are: {}",
                    headers.join(", ")
                ),
            ));
        }
    }
    // (mapping, strength): lower strength wins a contested field.
    let mut cols: Vec<(ColumnMapping, u8)> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let pick = |list: &[(String, Field)]| {
                list.iter()
                    .rev()
                    .find(|(c, _)| same_header(h, c))
                    .map(|(_, f)| *f)
            };
            let (field, matched_by, strength) = if let Some(f) = pick(overrides) {
                (f, MatchedBy::Override, 0)
            } else if let Some(f) = pick(remembered) {
                (f, MatchedBy::Remembered, 1)
            } else if let Some((f, rank)) = synonym(h) {
                (f, MatchedBy::Synonym, 2 + rank)
            } else {
                (Field::Ignore, MatchedBy::Unknown, u8::MAX)
            };
            let m = ColumnMapping {
                column: i,
                header: h.clone(),
                field,
                matched_by,
                note: None,
            };
            (m, strength)
        })
        .collect();
    for field in Field::ALL.into_iter().filter(|f| *f != Field::Ignore) {
        let claims: Vec<usize> = (0..cols.len())
            .filter(|&i| cols[i].0.field == field)
            .collect();
        if claims.len() < 2 {
            continue;
        }
        let overridden: Vec<&str> = claims
            .iter()
            .filter(|&&i| cols[i].0.matched_by == MatchedBy::Override)
            .map(|&i| cols[i].0.header.as_str())
            .collect();
        if overridden.len() > 1 {
            return Err(Error::invalid(
                "mapping",
                format!(
                    "columns {} are all mapped to {}; map one of them to ignore",
                    overridden.join(" and "),
                    field.as_str()
                ),
            ));
        }
        let winner = *claims
            .iter()
            .min_by_key(|&&i| (cols[i].1, i))
            .expect("at least two claims");
        let winner_header = cols[winner].0.header.clone();
        for &i in claims.iter().filter(|&&i| i != winner) {
            let m = &mut cols[i].0;
            m.note = Some(format!(
                "ignored: \"{winner_header}\" already feeds {}; to use this column instead, map \"{}={}\"",
                field.as_str(),
                m.header,
                field.as_str()
            ));
            m.field = Field::Ignore;
            m.matched_by = MatchedBy::Superseded;
        }
    }
    Ok(cols.into_iter().map(|(m, _)| m).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(headers: &[&str], overrides: &[(String, Field)]) -> Vec<Field> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        resolve(&headers, &[], overrides)
            .unwrap()
            .into_iter()
            .map(|m| m.field)
            .collect()
    }

    #[test]
    fn synonyms_map_common_headers() {
        use Field::*;
        assert_eq!(
            fields(
                &[
                    "Asset #",
                    "Description",
                    "S/N",
                    "Vendor",
                    "Site",
                    "Price",
                    "Purchased"
                ],
                &[]
            ),
            vec![
                AssetTag,
                Name,
                SerialNumber,
                Supplier,
                Location,
                PurchaseCost,
                PurchaseDate
            ]
        );
        assert_eq!(
            fields(
                &[
                    "Inventory number",
                    "Item",
                    "Serial No.",
                    "Manufacturer",
                    "User",
                    "Foo"
                ],
                &[]
            ),
            vec![AssetTag, Name, SerialNumber, Make, AssignedTo, Ignore]
        );
        assert_eq!(
            fields(
                &["asset_tag", "name", "warranty_expires", "assigned_to"],
                &[]
            ),
            vec![AssetTag, Name, WarrantyExpires, AssignedTo]
        );
    }

    #[test]
    fn snipe_it_columns_resolve_their_clashes() {
        use Field::*;
        let h = [
            "ID",
            "Company",
            "Asset Name",
            "Asset Tag",
            "Model",
            "Model No.",
            "Category",
            "Manufacturer",
            "Serial",
            "Purchase Date",
            "Purchase Cost",
            "Warranty",
            "Warranty Expires",
            "Supplier",
            "Location",
            "Checked Out To",
            "Type",
            "Username",
            "Status",
            "Notes",
        ];
        assert_eq!(
            fields(&h, &[]),
            vec![
                Ignore,
                Ignore,
                Name,
                AssetTag,
                Model,
                Ignore,
                Category,
                Make,
                SerialNumber,
                PurchaseDate,
                PurchaseCost,
                Ignore,
                WarrantyExpires,
                Supplier,
                Location,
                AssignedTo,
                Ignore,
                Ignore,
                Status,
                Notes
            ]
        );
    }

    #[test]
    fn overrides_win_and_are_checked() {
        use Field::*;
        let o = vec![
            parse_override("Description=notes").unwrap(),
            parse_override("Code=asset_tag").unwrap(),
        ];
        assert_eq!(
            fields(&["Code", "Tag", "Description", "Name"], &o),
            vec![AssetTag, Ignore, Notes, Name]
        );
        let headers = vec!["A".to_string()];
        assert!(resolve(&headers, &[], &[("B".into(), Name)]).is_err());
        assert!(parse_override("A=colour").is_err());
        assert!(parse_override("no equals").is_err());
        assert_eq!(
            parse_override("A=b=ignore").unwrap(),
            ("A=b".into(), Ignore)
        );
    }
}
