//! Which column feeds which field, and why: the caller's choice, else the choice remembered for
//! this header set, else what the header names (`headers`), else what the column's values show
//! (`content`). Each column says how it was matched and how sure the match is.

use rusqlite::params;

use super::register::ImportRegister;
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
    /// Its header names the field.
    Synonym,
    /// Its values show what it holds (dates, amounts, tags, status words, people).
    Content,
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
    /// How sure the match is, 0–100: 100 for the user's own choice, less for a header that
    /// names the field loosely or for a guess from the values; 0 when not matched.
    pub confidence: u8,
    /// Why, in words: "the header names the category", "38 of 40 values are dates".
    pub reason: String,
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

/// A field's name as the window says it, for reasons.
fn field_words(f: Field) -> &'static str {
    match f {
        Field::AssetTag => "the asset tag",
        Field::Name => "the name",
        Field::Category => "the category",
        Field::Make => "the make",
        Field::Model => "the model",
        Field::SerialNumber => "the serial number",
        Field::PurchaseDate => "the purchase date",
        Field::PurchaseCost => "the purchase cost",
        Field::Supplier => "the supplier",
        Field::WarrantyExpires => "the warranty's end",
        Field::Notes => "notes",
        Field::Status => "the status",
        Field::AssignedTo => "who holds it",
        Field::Location => "where it is",
        Field::Ignore => "nothing",
    }
}

/// The key a header set is remembered under: the normalised headers in order.
pub(super) fn header_set_key(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| header_key(h))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

pub(super) fn same_header(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim()) || header_key(a) == header_key(b)
}

/// The mapping remembered for this header set, if any.
pub(super) fn remembered(
    reg: &mut dyn ImportRegister,
    headers: &[String],
) -> Result<Vec<(String, Field)>> {
    let json = reg.remembered_mapping(&header_set_key(headers))?;
    Ok(match json {
        // A mapping stored by a later version with fields we do not know is ignored, not fatal.
        Some(j) => serde_json::from_str(&j).unwrap_or_default(),
        None => Vec::new(),
    })
}

/// Saves the columns the user chose (overrides and remembered choices) for this header set.
pub(super) fn remember(tx: &Tx<'_>, headers: &[String], mapping: &[ColumnMapping]) -> Result<()> {
    let Some((key, json)) = chosen_mapping(headers, mapping)? else {
        return Ok(());
    };
    tx.conn().execute(
        "INSERT INTO import_mappings (header_key, mapping, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (header_key) DO UPDATE SET mapping = excluded.mapping,
                                                updated_at = excluded.updated_at",
        params![key, json, tx.now()],
    )?;
    Ok(())
}

/// What an import remembers of its mapping: (the header set's key, JSON `[[header, field], …]`
/// of the columns the user chose), or `None` when nothing was chosen (nothing to remember).
pub fn chosen_mapping(
    headers: &[String],
    mapping: &[ColumnMapping],
) -> Result<Option<(String, String)>> {
    let chosen: Vec<(&str, Field)> = mapping
        .iter()
        .filter(|m| matches!(m.matched_by, MatchedBy::Override | MatchedBy::Remembered))
        .map(|m| (m.header.as_str(), m.field))
        .collect();
    if chosen.is_empty() {
        return Ok(None);
    }
    Ok(Some((
        header_set_key(headers),
        serde_json::to_string(&chosen)?,
    )))
}

/// Maps every column: the caller's override, else the remembered choice, else what its header
/// names, else what its values (`values[i]`: some of column i's non-empty values) show. When
/// several columns claim one field, an override beats a remembered choice beats a header beats
/// the values (the surer first, then the leftmost); the others are ignored with a note saying
/// so. A guess from the values only fills a field no header claimed.
pub(super) fn resolve(
    headers: &[String],
    values: &[Vec<&str>],
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
    let mut cols: Vec<(ColumnMapping, u16)> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let pick = |list: &[(String, Field)]| {
                list.iter()
                    .rev()
                    .find(|(c, _)| same_header(h, c))
                    .map(|(_, f)| *f)
            };
            let (field, matched_by, strength, confidence, reason) = if let Some(f) = pick(overrides)
            {
                (f, MatchedBy::Override, 0, 100, "your choice".to_string())
            } else if let Some(f) = pick(remembered) {
                (
                    f,
                    MatchedBy::Remembered,
                    1,
                    100,
                    "your choice for these columns last time".to_string(),
                )
            } else if let Some((f, score)) = super::headers::field_for(h) {
                (
                    f,
                    MatchedBy::Synonym,
                    2 + u16::from(100 - score.min(100)),
                    score,
                    format!("the header names {}", field_words(f)),
                )
            } else {
                (
                    Field::Ignore,
                    MatchedBy::Unknown,
                    u16::MAX,
                    0,
                    "neither the header nor the values say what it holds".to_string(),
                )
            };
            let m = ColumnMapping {
                column: i,
                header: h.clone(),
                field,
                matched_by,
                confidence,
                reason,
                note: None,
            };
            (m, strength)
        })
        .collect();
    settle(&mut cols)?;
    // The values speak for columns whose header did not, filling fields still free.
    for i in 0..cols.len() {
        if cols[i].0.matched_by != MatchedBy::Unknown {
            continue;
        }
        let Some(g) = values.get(i).and_then(|v| super::content::guess(v)) else {
            continue;
        };
        let free = g
            .kind
            .fields()
            .iter()
            .copied()
            .find(|f| !cols.iter().any(|(m, _)| m.field == *f));
        if let Some(f) = free {
            let m = &mut cols[i].0;
            m.field = f;
            m.matched_by = MatchedBy::Content;
            m.confidence = g.score;
            m.reason = format!("{}: {}", g.reason, field_words(f));
        }
    }
    Ok(cols.into_iter().map(|(m, _)| m).collect())
}

/// Leaves one column per field: the strongest claim (then the leftmost) wins.
fn settle(cols: &mut [(ColumnMapping, u16)]) -> Result<()> {
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
            m.reason = format!(
                "the header names {}, but \"{winner_header}\" says so more surely",
                field_words(field)
            );
            m.field = Field::Ignore;
            m.matched_by = MatchedBy::Superseded;
            m.confidence = 0;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(headers: &[&str], overrides: &[(String, Field)]) -> Vec<Field> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        resolve(&headers, &[], &[], overrides)
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
        assert!(resolve(&headers, &[], &[], &[("B".into(), Name)]).is_err());
        assert!(parse_override("A=colour").is_err());
        assert!(parse_override("no equals").is_err());
        assert_eq!(
            parse_override("A=b=ignore").unwrap(),
            ("A=b".into(), Ignore)
        );
    }

    /// (header, field) for each column of a real export, as that product writes it.
    fn check_export(columns: &[(&str, Field)]) {
        let headers: Vec<&str> = columns.iter().map(|(h, _)| *h).collect();
        let want: Vec<Field> = columns.iter().map(|(_, f)| *f).collect();
        let got = fields(&headers, &[]);
        for ((h, w), g) in headers.iter().zip(&want).zip(&got) {
            assert_eq!(w, g, "column \"{h}\"");
        }
    }

    #[test]
    fn real_exports_map_without_help() {
        use Field::*;
        // Lansweeper's asset export.
        check_export(&[
            ("AssetName", Name),
            ("AssetType", Category),
            ("IPAddress", Ignore),
            ("Domain", Ignore),
            ("Username", AssignedTo),
            ("Userdomain", Ignore),
            ("Description", Ignore),
            ("Manufacturer", Make),
            ("Model", Model),
            ("Serialnumber", SerialNumber),
            ("PurchaseDate", PurchaseDate),
            ("Warrantydate", WarrantyExpires),
            ("Location", Location),
            ("Building", Ignore),
            ("Department", Ignore),
            ("State", Status),
            ("Lastseen", Ignore),
        ]);
        // Microsoft Intune's device export.
        check_export(&[
            ("Device ID", Ignore),
            ("Device name", Name),
            ("Enrollment date", Ignore),
            ("Last check-in", Ignore),
            ("OS version", Ignore),
            ("Serial number", SerialNumber),
            ("Manufacturer", Make),
            ("Model", Model),
            ("IMEI", Ignore),
            ("Total storage", Ignore),
            ("Management name", Ignore),
            ("Category", Category),
            ("UserId", Ignore),
            ("Primary user UPN", Ignore),
            ("Primary user email address", Ignore),
            ("Primary user display name", AssignedTo),
            ("Compliance", Ignore),
            ("Ownership", Ignore),
            ("Phone number", Ignore),
        ]);
        // Jamf Pro's computer inventory export.
        check_export(&[
            ("Computer Name", Name),
            ("Serial Number", SerialNumber),
            ("Model", Model),
            ("Model Identifier", Ignore),
            ("Full Name", AssignedTo),
            ("Email Address", Ignore),
            ("Username", Ignore),
            ("Department", Ignore),
            ("Building", Location),
            ("Room", Ignore),
            ("Asset Tag", AssetTag),
            ("Bar Code 1", Ignore),
            ("PO Number", Ignore),
            ("PO Date", PurchaseDate),
            ("Vendor", Supplier),
            ("Purchase Price", PurchaseCost),
            ("Warranty Expiration", WarrantyExpires),
            ("Lease Expiration", Ignore),
            ("Last Inventory Update", Ignore),
            ("Operating System Version", Ignore),
        ]);
        // Google Workspace's ChromeOS device export.
        check_export(&[
            ("Serial Number", SerialNumber),
            ("Asset ID", AssetTag),
            ("Model", Model),
            ("Location", Location),
            ("User", AssignedTo),
            ("Notes", Notes),
            ("Status", Status),
            ("OS Version", Ignore),
            ("Last Sync", Ignore),
            ("MAC Address", Ignore),
            ("Org Unit Path", Ignore),
            ("Enrollment Time", Ignore),
        ]);
        // The Microsoft 365 admin centre's device list.
        check_export(&[
            ("Name", Name),
            ("Enabled", Ignore),
            ("OS", Ignore),
            ("Version", Ignore),
            ("Join type", Category),
            ("Owner", AssignedTo),
            ("MDM", Ignore),
            ("Compliant", Ignore),
            ("Registered", Ignore),
            ("Activity", Ignore),
        ]);
        // Xero's fixed asset import/export file.
        check_export(&[
            ("*AssetName", Name),
            ("*AssetNumber", AssetTag),
            ("PurchaseDate", PurchaseDate),
            ("PurchasePrice", PurchaseCost),
            ("AssetType", Category),
            ("Description", Ignore),
            ("TrackingCategory1", Ignore),
            ("TrackingOption1", Ignore),
            ("SerialNumber", SerialNumber),
            ("WarrantyExpiry", WarrantyExpires),
            ("Book_DepreciationStartDate", Ignore),
            ("Book_CostLimit", Ignore),
            ("Book_ResidualValue", Ignore),
            ("Book_DepreciationMethod", Ignore),
            ("Book_Rate", Ignore),
            ("Book_EffectiveLife", Ignore),
        ]);
        // QuickBooks Desktop's fixed asset item list.
        check_export(&[
            ("Item Name", Name),
            ("Purchase Date", PurchaseDate),
            ("Purchase Description", Ignore),
            ("Cost", PurchaseCost),
            ("Vendor/Payee", Supplier),
            ("Asset Description", Ignore),
            ("Location", Location),
            ("PO Number", Ignore),
            ("Serial Number", SerialNumber),
            ("Warranty Expires", WarrantyExpires),
            ("Notes", Notes),
            ("Sales Date", Ignore),
            ("Sales Price", Ignore),
        ]);
    }

    #[test]
    fn values_fill_what_headers_leave_and_say_why() {
        use Field::*;
        let headers: Vec<String> = [
            "Ref",
            "Kind",
            "Bought",
            "Warranty to",
            "Col5",
            "Who",
            "Price",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let values: Vec<Vec<&str>> = vec![
            vec!["IT-0001", "IT-0002", "IT-0003", "IT-0004"],
            vec!["Laptop", "Phone", "Laptop", "Monitor"],
            vec!["2023-01-05", "2023-02-05", "2023-03-05", "2023-04-05"],
            vec!["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05"],
            vec!["In use", "Spare", "In use", "Broken"],
            vec!["Sam Patel", "Chloë Brontë", "Sam Patel", "Jürgen Weiß"],
            vec!["1,249.99", "899.00", "35.50", "10.00"],
        ];
        let m = resolve(&headers, &values, &[], &[]).unwrap();
        let got: Vec<(Field, MatchedBy)> = m.iter().map(|c| (c.field, c.matched_by)).collect();
        assert_eq!(
            got,
            vec![
                (AssetTag, MatchedBy::Content),
                (Category, MatchedBy::Synonym),
                (PurchaseDate, MatchedBy::Synonym),
                (WarrantyExpires, MatchedBy::Synonym),
                (Status, MatchedBy::Content),
                (AssignedTo, MatchedBy::Content),
                (PurchaseCost, MatchedBy::Synonym),
            ]
        );
        assert_eq!(
            m[0].reason,
            "all 4 values are different codes shaped like tags (IT-0001…): the asset tag"
        );
        assert_eq!(m[1].reason, "the header names the category");
        assert!(m[0].confidence < m[1].confidence);
        // A guess never takes a field a header claimed: a second date column stays out.
        let headers: Vec<String> = ["Bought", "Warranty ends", "Col3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let dates = vec!["2023-01-05", "2023-02-05", "2023-03-05"];
        let m = resolve(&headers, &[dates.clone(), dates.clone(), dates], &[], &[]).unwrap();
        assert_eq!(m[2].field, Ignore);
        assert_eq!(m[2].matched_by, MatchedBy::Unknown);
        // The user's choice is the last word, and says so.
        let m = resolve(&headers, &[], &[], &[("Col3".into(), Notes)]).unwrap();
        assert_eq!(
            (m[2].field, m[2].confidence, m[2].reason.as_str()),
            (Notes, 100, "your choice")
        );
    }
}
