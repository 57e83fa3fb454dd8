//! What the callers of an import pass and get back: options, the per-row plan, counts, and
//! the summaries of an import and of its undo.

use serde::{Deserialize, Serialize};

use crate::assets::{AssetInput, AssetPatch};
use crate::status::Status;

use super::{ColumnMapping, DateOrder, Field, TextEncoding};

/// What to do with a row whose asset tag or serial number is already taken (in the register or
/// earlier in the file) by an asset with different values. Identical rows are always reported
/// as duplicates and left out, whatever this says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDuplicate {
    /// Leave the row out.
    #[default]
    Skip,
    /// Update the existing asset's fields from the row's non-empty cells (same tag only).
    Update,
    /// Count the row as an error.
    Fail,
}

/// How to import a file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// The file's name, recorded with the import and in every event's note.
    pub file_name: String,
    /// `(column header, field)` choices that beat the automatic mapping; remembered for the
    /// next file with the same headers.
    pub mapping_overrides: Vec<(String, Field)>,
    /// `(status word, status)` for words the importer does not know (see
    /// [`Plan::unknown_statuses`]).
    pub status_overrides: Vec<(String, Status)>,
    /// Tag or serial conflicts.
    pub on_duplicate: OnDuplicate,
    /// `(line, choice)` for single conflicting rows, over `on_duplicate`.
    pub row_decisions: Vec<(u64, OnDuplicate)>,
    /// Import the valid rows and leave out the invalid ones, instead of importing nothing.
    pub skip_invalid: bool,
    /// How to read dates like 03/04/2024 in columns whose values do not prove an order.
    pub date_order: Option<DateOrder>,
    /// When no column is the asset tag: give each row a tag made of this prefix and the next
    /// free number, in file order (`"IT-"` gives IT-0001, IT-0002, … or, when the register
    /// already has IT-0041, IT-0042 onwards).
    pub generate_tags: Option<String>,
    /// Headers of columns not imported as a field whose values are kept in each asset's notes
    /// instead, as lines "Header: value" after the notes the file gives.
    pub keep_in_notes: Vec<String>,
}

/// A column the import leaves out (mapped to no field), named with what it holds, so nothing
/// in the file is dropped without the user knowing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredColumn {
    /// Zero-based column index.
    pub column: usize,
    /// The header.
    pub header: String,
    /// How many rows have a value in it.
    pub rows: usize,
    /// Up to three distinct values.
    pub samples: Vec<String>,
    /// True when its values go into the notes (`keep_in_notes`).
    pub kept_in_notes: bool,
}

/// What a row will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Create a new asset.
    New,
    /// Update an existing asset (or one created by an earlier row).
    Update,
    /// Same as an asset already in the register or earlier in the file: nothing to do.
    Duplicate,
    /// A conflicting duplicate left out (`on_duplicate: skip`).
    Skip,
    /// The row cannot be imported (see its errors).
    Error,
}

/// A problem or remark about one row, located by line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    /// The line the row starts on.
    pub line: u64,
    /// The column's header, when the issue concerns one cell.
    pub column: Option<String>,
    /// The field that column feeds.
    pub field: Option<Field>,
    /// A sentence for the user.
    pub message: String,
}

/// A row's values after cleaning, in the register's forms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CleanRow {
    /// The asset fields (ISO dates, `1234.56` amounts).
    pub input: AssetInput,
    /// The status, when the row gives one.
    pub status: Option<Status>,
    /// The person to assign the asset to.
    pub assigned_to: Option<String>,
    /// The location to place it at.
    pub location: Option<String>,
}

/// One row of the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedRow {
    /// The line the row starts on.
    pub line: u64,
    /// What it will do.
    pub action: Action,
    /// The asset tag (as cleaned; may be empty on an error row).
    pub asset_tag: String,
    /// Why a row is a duplicate, skipped or an update, in words.
    pub reason: Option<String>,
    /// The row's tag or serial is already taken (in the register or earlier in the file) by
    /// an asset with other values: `on_duplicate` (or the row's decision) says what it does.
    #[serde(default)]
    pub conflict: bool,
    /// For updates: the fields that will change (boxed: most rows are new, and an inline patch
    /// made every planned row about 700 bytes, 70 MB of a 100,000-row preview).
    pub patch: Option<Box<AssetPatch>>,
    /// For a new row whose tag is an asset an undone import took away (archived, its tag
    /// reserved): that asset's id, brought back with the row's values instead of a new one.
    #[serde(default)]
    pub restores: Option<i64>,
    /// Why the row cannot be imported (non-empty exactly when `action` is `error`).
    pub errors: Vec<RowIssue>,
    /// Remarks that do not stop the row (a value left out, a name made up).
    pub warnings: Vec<RowIssue>,
    /// The cleaned values.
    pub values: CleanRow,
}

/// How many rows will do what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Data rows in the file.
    pub rows: usize,
    /// New assets.
    pub new: usize,
    /// Updates.
    pub update: usize,
    /// Identical duplicates.
    pub duplicate: usize,
    /// Conflicts skipped.
    pub skip: usize,
    /// Rows with errors.
    pub error: usize,
}

/// A date column whose day/month order is not known: the caller must choose `date_order`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbiguousDates {
    /// The column's header.
    pub column: String,
    /// A few of its values that read either way.
    pub examples: Vec<String>,
    /// A sentence for the user.
    pub message: String,
}

/// A status word the importer does not know, for the user to map (`status_overrides`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownStatus {
    /// The word as written.
    pub word: String,
    /// How many rows use it.
    pub rows: usize,
    /// The first line it is on.
    pub first_line: u64,
}

/// The preview of an import: the mapping used and what every row will do. Nothing is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// How it was decoded.
    pub encoding: TextEncoding,
    /// Its delimiter.
    pub delimiter: char,
    /// Which column feeds which field.
    pub mapping: Vec<ColumnMapping>,
    /// Every data row, in file order.
    pub rows: Vec<PlannedRow>,
    /// Totals by action.
    pub counts: Counts,
    /// Date columns that need `date_order`.
    pub ambiguous_date_columns: Vec<AmbiguousDates>,
    /// Status words that need `status_overrides`.
    pub unknown_statuses: Vec<UnknownStatus>,
    /// Problems with the whole file that block the import until resolved (in words).
    pub problems: Vec<String>,
    /// Rows planned but not listed in `rows` (see [`Plan::trimmed`]).
    #[serde(default)]
    pub omitted_rows: usize,
    /// For a workbook: the sheet read.
    #[serde(default)]
    pub sheet: Option<String>,
    /// The tags `generate_tags` gives, first and last ("IT-0001 to IT-0040").
    #[serde(default)]
    pub generated_tags: Option<String>,
    /// Columns with values that no field takes, and whether they are kept in the notes.
    #[serde(default)]
    pub ignored_columns: Vec<IgnoredColumn>,
}

/// One issue that several rows share (the same column, the same words), said once with the
/// lines it is on, so a file with the same mistake on every row reads as one line, not 400.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupedIssue {
    /// The column's header, when the issue concerns one cell.
    pub column: Option<String>,
    /// A sentence for the user.
    pub message: String,
    /// The lines it is on, in file order.
    pub lines: Vec<u64>,
}

/// Groups issues that say the same about the same column, in the order each first appears.
pub fn group_issues<'a>(issues: impl IntoIterator<Item = &'a RowIssue>) -> Vec<GroupedIssue> {
    let mut groups: Vec<GroupedIssue> = Vec::new();
    let mut index: std::collections::HashMap<(Option<&str>, &str), usize> = Default::default();
    for i in issues {
        let key = (i.column.as_deref(), i.message.as_str());
        match index.get(&key) {
            Some(&g) => groups[g].lines.push(i.line),
            None => {
                index.insert(key, groups.len());
                groups.push(GroupedIssue {
                    column: i.column.clone(),
                    message: i.message.clone(),
                    lines: vec![i.line],
                });
            }
        }
    }
    groups
}

impl Plan {
    /// The errors of the listed rows, each said once with the lines it is on.
    pub fn grouped_errors(&self) -> Vec<GroupedIssue> {
        group_issues(self.rows.iter().flat_map(|r| &r.errors))
    }

    /// The plan with only the rows worth reviewing (errors, duplicates, conflicts, updates,
    /// rows with warnings), at most `max` of them; the counts stay those of the whole file.
    /// A 100k-row preview is then small enough to show.
    pub fn trimmed(mut self, max: usize) -> Plan {
        let total = self.rows.len();
        let mut kept: Vec<PlannedRow> = self
            .rows
            .into_iter()
            .filter(|r| r.action != Action::New || r.conflict || !r.warnings.is_empty())
            .collect();
        kept.truncate(max);
        self.omitted_rows = total - kept.len();
        self.rows = kept;
        self
    }
}

/// What a committed import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// The import's id (for [`undo_import`]).
    pub import_id: i64,
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Data rows read.
    pub rows: usize,
    /// Assets created.
    pub created: usize,
    /// Assets updated.
    pub updated: usize,
    /// Identical duplicates left out.
    pub duplicates: usize,
    /// Conflicts skipped.
    pub skipped: usize,
    /// Rows left out because they are invalid (only with `skip_invalid`).
    pub invalid: Vec<RowIssue>,
}

/// A past import, as listed for undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRecord {
    /// Its id.
    pub id: i64,
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// When it was committed (UTC, RFC 3339).
    pub at: String,
    /// Data rows read.
    pub rows: i64,
    /// Assets created.
    pub created: i64,
    /// Assets updated.
    pub updated: i64,
    /// Rows left out (duplicates, skipped, invalid).
    pub skipped: i64,
    /// When it was undone, if it was.
    pub undone_at: Option<String>,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoSummary {
    /// The import undone.
    pub import_id: i64,
    /// Assets it had created, now archived.
    pub archived: usize,
    /// Assets it had updated, now back to their earlier values.
    pub reverted: usize,
}

impl Counts {
    pub(super) fn add(&mut self, a: Action) {
        *match a {
            Action::New => &mut self.new,
            Action::Update => &mut self.update,
            Action::Duplicate => &mut self.duplicate,
            Action::Skip => &mut self.skip,
            Action::Error => &mut self.error,
        } += 1;
    }
}
