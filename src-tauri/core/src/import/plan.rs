//! The second half of planning an import: deciding what each cleaned row does (new, update,
//! duplicate, skip, error) against the rows before it and the register. Reads only; writing is
//! `commit`'s.

use std::collections::{HashMap, HashSet};

use super::columns::Columns;
use super::mapping::Field;
use super::register::ImportRegister;
use super::{Action, ImportOptions, OnDuplicate, PlannedRow};
use crate::assets::{self, AssetInput, AssetPatch};
use crate::error::Result;
use crate::status::Status;

/// An asset the file refers to by tag: in the register, or created by an earlier row.
struct Target {
    /// The row that created it, when it comes from the file.
    line: Option<u64>,
    /// Its fields as they will be once the earlier rows are applied.
    state: Packed,
}

/// An asset's fields in one allocation instead of eleven: the planner keeps one for every row
/// of the file, and a 100k-row file's worth of small strings costs more to free than to plan.
struct Packed {
    text: String,
    /// Where each field ends in `text`, in [`AssetInput`]'s order.
    ends: [usize; 11],
}

impl Packed {
    fn new(i: &AssetInput) -> Packed {
        let fields = [
            &i.asset_tag,
            &i.name,
            &i.category,
            &i.make,
            &i.model,
            &i.serial_number,
            &i.purchase_date,
            &i.purchase_cost,
            &i.supplier,
            &i.warranty_expires,
            &i.notes,
        ];
        let mut text = String::with_capacity(fields.iter().map(|f| f.len()).sum());
        let mut ends = [0; 11];
        for (end, f) in ends.iter_mut().zip(fields) {
            text.push_str(f);
            *end = text.len();
        }
        Packed { text, ends }
    }

    fn unpack(&self) -> AssetInput {
        let field = |n: usize| {
            let start = if n == 0 { 0 } else { self.ends[n - 1] };
            self.text[start..self.ends[n]].to_string()
        };
        AssetInput {
            asset_tag: field(0),
            name: field(1),
            category: field(2),
            make: field(3),
            model: field(4),
            serial_number: field(5),
            purchase_date: field(6),
            purchase_cost: field(7),
            supplier: field(8),
            warranty_expires: field(9),
            notes: field(10),
        }
    }
}

/// Decides each row's action in file order, remembering what the earlier rows bring.
pub(super) struct Planner {
    /// The choice for conflicts, for all rows.
    default_on_duplicate: OnDuplicate,
    /// Choices for single rows (by line), over the default.
    row_decisions: HashMap<u64, OnDuplicate>,
    /// The choice for the row being planned.
    on_duplicate: OnDuplicate,
    /// By tag, lower-cased (tags are unique ignoring ASCII case, like SQLite's NOCASE).
    targets: HashMap<String, Target>,
    /// Serial key → (line, tag) of the row that brings it.
    serials: HashMap<String, (u64, String)>,
    /// Person name (lower-cased) → has left.
    people_left: HashMap<String, bool>,
    /// The register's tags and serials, loaded with the first row.
    known: Option<Known>,
}

/// The register's tags and live serials as they were when planning began, so a row's
/// duplicate checks are hash lookups instead of two queries (the brunt of a dry run).
struct Known {
    /// Every tag, archived ones too (they stay reserved), ASCII-lower-cased like NOCASE.
    tags: HashSet<String>,
    /// Serial key → tag, live assets only (a serial is unique among those).
    serials: HashMap<String, String>,
}

impl Known {
    fn load(reg: &mut dyn ImportRegister) -> Result<Known> {
        Ok(Known {
            tags: reg.all_tags()?,
            serials: reg.live_serials()?,
        })
    }
}

/// The fields of `row` that differ from `state`: mapped, non-empty cells only (an empty cell
/// keeps the value). Categories compare ignoring case, as the register stores them.
fn diff(cols: &Columns, state: &AssetInput, row: &AssetInput) -> AssetPatch {
    let pick = |f: Field, old: &str, new: &str, fold: bool| {
        let same = if fold {
            old.to_lowercase() == new.to_lowercase()
        } else {
            old == new
        };
        (cols.mapped(f) && !new.is_empty() && !same).then(|| new.to_string())
    };
    AssetPatch {
        asset_tag: None,
        name: pick(Field::Name, &state.name, &row.name, false),
        category: pick(Field::Category, &state.category, &row.category, true),
        make: pick(Field::Make, &state.make, &row.make, false),
        model: pick(Field::Model, &state.model, &row.model, false),
        serial_number: pick(
            Field::SerialNumber,
            &state.serial_number,
            &row.serial_number,
            false,
        )
        .filter(|s| serial_key(s) != serial_key(&state.serial_number)),
        purchase_date: pick(
            Field::PurchaseDate,
            &state.purchase_date,
            &row.purchase_date,
            false,
        ),
        purchase_cost: pick(
            Field::PurchaseCost,
            &state.purchase_cost,
            &row.purchase_cost,
            false,
        ),
        supplier: pick(Field::Supplier, &state.supplier, &row.supplier, false),
        warranty_expires: pick(
            Field::WarrantyExpires,
            &state.warranty_expires,
            &row.warranty_expires,
            false,
        ),
        notes: pick(Field::Notes, state.notes.trim(), row.notes.trim(), false),
    }
}

fn serial_key(s: &str) -> String {
    s.trim().to_uppercase()
}

fn apply_patch(state: &mut AssetInput, p: &AssetPatch) {
    let set = |dst: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            dst.clone_from(v);
        }
    };
    set(&mut state.name, &p.name);
    set(&mut state.category, &p.category);
    set(&mut state.make, &p.make);
    set(&mut state.model, &p.model);
    set(&mut state.serial_number, &p.serial_number);
    set(&mut state.purchase_date, &p.purchase_date);
    set(&mut state.purchase_cost, &p.purchase_cost);
    set(&mut state.supplier, &p.supplier);
    set(&mut state.warranty_expires, &p.warranty_expires);
    set(&mut state.notes, &p.notes);
}

impl Planner {
    /// A planner for a file of `rows` data rows.
    pub(super) fn new(opts: &ImportOptions, rows: usize) -> Planner {
        Planner {
            default_on_duplicate: opts.on_duplicate,
            row_decisions: opts.row_decisions.iter().copied().collect(),
            on_duplicate: opts.on_duplicate,
            targets: HashMap::with_capacity(rows),
            serials: HashMap::with_capacity(rows),
            people_left: HashMap::new(),
            known: None,
        }
    }

    /// Decides what a cleaned row (from [`cleaned_batches`]) does, given the rows before it
    /// and the register as `conn` sees it.
    pub(super) fn decide(
        &mut self,
        reg: &mut dyn ImportRegister,
        cols: &Columns,
        mut row: PlannedRow,
    ) -> Result<PlannedRow> {
        self.on_duplicate = self
            .row_decisions
            .get(&row.line)
            .copied()
            .unwrap_or(self.default_on_duplicate);
        if self.known.is_none() {
            self.known = Some(Known::load(reg)?);
        }
        if row.errors.is_empty() {
            self.check_holder(reg, cols, &mut row)?;
        }
        // No tag (no tag column, a problem for the whole file): nothing to match it against.
        if row.errors.is_empty() && !row.values.input.asset_tag.is_empty() {
            self.classify(reg, cols, &mut row)?;
        }
        if !row.errors.is_empty() {
            row.action = Action::Error;
        }
        Ok(row)
    }

    /// Resolves who and where: a person who has left cannot be given assets, nor can a person
    /// hold an asset that is not Deployed. A person and a location both stay: the person holds
    /// it, the location is where it is kept.
    fn check_holder(
        &mut self,
        reg: &mut dyn ImportRegister,
        cols: &Columns,
        row: &mut PlannedRow,
    ) -> Result<()> {
        let line = row.line;
        let v = &mut row.values;
        // Snipe-IT writes a location an asset is checked out to in "Checked Out To" as well as
        // in "Location": that is a deployment to the place, not to a person of that name.
        if v.assigned_to.is_some()
            && v.assigned_to.as_deref().map(str::to_lowercase)
                == v.location.as_deref().map(str::to_lowercase)
        {
            v.assigned_to = None;
            v.status.get_or_insert(Status::Deployed);
        }
        if let Some(p) = &v.assigned_to {
            if matches!(
                v.status,
                Some(Status::Retired | Status::LostStolen | Status::InMaintenance)
            ) {
                let s = v.status.expect("matched above");
                row.warnings.push(cols.issue(
                    line,
                    Field::AssignedTo,
                    format!(
                        "not assigned to {p}: a {} asset is held by nobody",
                        s.label()
                    ),
                ));
                v.assigned_to = None;
            }
        }
        if let Some(p) = v.assigned_to.clone() {
            let key = p.to_lowercase();
            let left = match self.people_left.get(&key) {
                Some(l) => *l,
                None => {
                    let l = reg.person_left(&p)?.unwrap_or(false);
                    self.people_left.insert(key, l);
                    l
                }
            };
            if left {
                row.errors.push(cols.issue(
                    line,
                    Field::AssignedTo,
                    format!("{p} has left the organisation and cannot be given assets"),
                ));
            }
            if v.status == Some(Status::Available) {
                row.warnings.push(cols.issue(
                    line,
                    Field::Status,
                    format!("imported as Deployed, not Available: it is assigned to {p}"),
                ));
            }
        } else if v.status == Some(Status::Deployed) && v.location.is_none() {
            row.errors.push(cols.issue(
                line,
                Field::Status,
                "Deployed, but the row names no person (Assigned To) or location to deploy it to",
            ));
        }
        Ok(())
    }

    /// Decides New / Update / Duplicate / Skip / Error for a row whose values are valid.
    fn classify(
        &mut self,
        reg: &mut dyn ImportRegister,
        cols: &Columns,
        row: &mut PlannedRow,
    ) -> Result<()> {
        let line = row.line;
        let tag = row.values.input.asset_tag.clone();
        let tag_key = tag.to_ascii_lowercase();
        let serial = serial_key(&row.values.input.serial_number);
        let in_register = self
            .known
            .as_ref()
            .is_some_and(|k| k.tags.contains(&tag_key));
        if in_register && !self.targets.contains_key(&tag_key) {
            match reg.find_by_tag(&tag)? {
                Some(a) if a.archived => match reg.taken_back_by(a.id)? {
                    // Planned as new below: it comes back with this row's values.
                    Some(import_id) => {
                        row.restores = Some(a.id);
                        row.warnings.push(cols.issue(
                            line,
                            Field::AssetTag,
                            format!(
                                "brings back {}, which undoing import #{import_id} took away",
                                a.asset_tag
                            ),
                        ));
                    }
                    None => {
                        let msg = format!("the tag {} belongs to an archived asset (tags of archived assets stay reserved)", a.asset_tag);
                        return self.conflict(cols, row, Field::AssetTag, msg);
                    }
                },
                Some(a) => {
                    let mut state = a.to_input();
                    state.notes = state.notes.trim().to_string();
                    self.warn_unchanged_holder(cols, row, &a);
                    let state = Packed::new(&state);
                    self.targets
                        .insert(tag_key.clone(), Target { line: None, state });
                }
                None => {}
            }
        }
        if let Some(target) = self.targets.get(&tag_key) {
            let where_ = match target.line {
                Some(l) => format!("line {l}"),
                None => "the register".to_string(),
            };
            let patch = diff(cols, &target.state.unpack(), &row.values.input);
            if patch == AssetPatch::default() {
                row.action = Action::Duplicate;
                row.reason = Some(format!("same as {tag} in {where_}"));
                return Ok(());
            }
            row.conflict = true;
            if self.on_duplicate != OnDuplicate::Update {
                let msg = format!("{tag} is already in {where_} with different values");
                return self.conflict(cols, row, Field::AssetTag, msg);
            }
            if let Some(new_serial) = &patch.serial_number {
                if let Some(owner) = self.serial_owner(&serial_key(new_serial), &tag) {
                    row.errors.push(cols.issue(
                        line,
                        Field::SerialNumber,
                        format!("cannot update {tag}: this serial number is already on {owner}"),
                    ));
                    return Ok(());
                }
                self.serials
                    .insert(serial_key(new_serial), (line, tag.clone()));
            }
            let target = self.targets.get_mut(&tag_key).expect("checked above");
            let mut state = target.state.unpack();
            apply_patch(&mut state, &patch);
            target.state = Packed::new(&state);
            row.action = Action::Update;
            row.reason = Some(format!("updates {tag} from {where_}"));
            row.patch = Some(Box::new(patch));
            return Ok(());
        }
        if !serial.is_empty() {
            if let Some(owner) = self.serial_owner(&serial, &tag) {
                let msg = format!("this serial number is already on {owner}");
                let on = if self.on_duplicate == OnDuplicate::Update {
                    OnDuplicate::Fail // an update never moves a serial between tags
                } else {
                    self.on_duplicate
                };
                return conflict_as(on, cols, row, Field::SerialNumber, msg);
            }
            self.serials.insert(serial, (line, tag.clone()));
        }
        self.targets.insert(
            tag_key,
            Target {
                line: Some(line),
                state: Packed::new(&row.values.input),
            },
        );
        row.action = Action::New;
        Ok(())
    }

    fn conflict(&self, cols: &Columns, row: &mut PlannedRow, f: Field, msg: String) -> Result<()> {
        conflict_as(self.on_duplicate, cols, row, f, msg)
    }

    /// The tag of another asset (in the file or live in the register) with this serial key.
    fn serial_owner(&self, key: &str, tag: &str) -> Option<String> {
        if let Some((l, t)) = self.serials.get(key) {
            if !t.eq_ignore_ascii_case(tag) {
                return Some(format!("{t} (line {l})"));
            }
        }
        self.known
            .as_ref()
            .and_then(|k| k.serials.get(key))
            .filter(|t| !t.eq_ignore_ascii_case(tag))
            .cloned()
    }

    /// An update changes fields only: say so when the row's status or holder differ.
    fn warn_unchanged_holder(&self, cols: &Columns, row: &mut PlannedRow, a: &assets::Asset) {
        let v = &row.values;
        let differs = |new: &Option<String>, old: &Option<String>| {
            new.as_ref()
                .is_some_and(|n| !old.as_ref().is_some_and(|o| o.eq_ignore_ascii_case(n)))
        };
        if v.status.is_some_and(|s| s != a.status)
            || differs(&v.assigned_to, &a.assigned_to)
            || differs(&v.location, &a.location)
        {
            row.warnings.push(cols.issue(
                row.line,
                Field::Status,
                format!(
                    "{} is in the register as {}; an import does not change status or holder (assign it instead)",
                    a.asset_tag,
                    a.status.label()
                ),
            ));
        }
    }
}

fn conflict_as(
    on: OnDuplicate,
    cols: &Columns,
    row: &mut PlannedRow,
    f: Field,
    msg: String,
) -> Result<()> {
    row.conflict = true;
    match on {
        OnDuplicate::Skip => {
            row.action = Action::Skip;
            row.reason = Some(msg);
        }
        _ => row.errors.push(cols.issue(row.line, f, msg)),
    }
    Ok(())
}
