//! Writing an import onto the server in one transaction, as `register_core::import::commit`
//! writes one into a file: the same rows decided the same way (the core's `Planning`), the same
//! assets, people, places and categories with the same ids, the same events, the same import
//! items and remembered mapping. Refused, writing nothing, for the same reasons.
//!
//! How it is fast: the transaction takes the chain head at its start and holds it to the end (no
//! other change can commit meanwhile, so the register the rows were planned against stays as it
//! was; other writers wait for the head), and sets `register.batch_append` so the head moves
//! once per statement (see migration 0011). New assets then go in [`BATCH`] at a time: their
//! names looked up once per import (new ones created one by one, they are few), one `INSERT …
//! SELECT FROM unnest(…)` for the assets, their events hashed here and inserted in one statement,
//! one for their import items. Updates and brought-back assets, rare, go one by one through the
//! same code as an edit.
//!
//! What other writers meet: they wait. Every change appends an event, so each queues on the
//! head the import holds and goes ahead, unchanged, when the import commits or rolls back (a
//! 100k-row import holds it for its whole length). One that had already changed an asset the
//! import then reaches waits for the head while the import waits for that asset's row:
//! PostgreSQL finds the circle within its `deadlock_timeout` (a second) and fails one of the
//! two, which changes nothing; the other goes ahead.

use std::collections::HashMap;

use postgres::types::Type;
use postgres::Client;
use register_core::assets::{
    asset_event, check_new_asset, placed_events, placed_status, restored_changes, serial_key,
    AssetPatch, Checked, Valid,
};
use register_core::audit::{Action, Source};
use register_core::import::{
    at_line, cancelled, chosen_mapping, describe_errors, file_problems, import_file_name,
    import_note, imported_event, imported_note, updated_before, Field, ImportOptions,
    ImportSummary, Parsed, PlannedRow, Planning, RowIssue,
};
use register_core::status::Status;
use register_core::values::format_date;

use super::names::{holder, push_created, Names, Placed};
use super::reads::Reads;
use super::running;
use crate::assets;
use crate::audit::{self, EventBatch, Made};
use crate::conflict::Record;
use crate::db::Tx;
use crate::error::{Error, Result};

/// Rows planned, and new assets written, per statement.
const BATCH: usize = 2_000;

/// Writes the file in one transaction on the server, as the CLI or the window's `source`;
/// see [`commit_with_progress`].
pub fn commit(
    client: &mut Client,
    source: Source,
    parsed: &Parsed,
    opts: &ImportOptions,
) -> Result<ImportSummary> {
    commit_with_progress(client, source, parsed, opts, &mut |_, _| true)
}

/// Writes the file in one transaction, planning each row just before it is written, calling
/// `progress(rows done, rows)` after each row: when it returns false the import stops with the
/// core's `Cancelled` error and the transaction rolls back, leaving nothing. Refused, writing
/// nothing, when another import is in progress (naming it), when the file has problems, or
/// when any row has errors and `skip_invalid` is off. Every client sees the import in progress
/// meanwhile (`in_progress`).
pub fn commit_with_progress(
    client: &mut Client,
    source: Source,
    parsed: &Parsed,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportSummary> {
    running::start(client, import_file_name(opts), parsed.rows.len())?;
    let written = crate::write(client, source, |tx| commit_in(tx, parsed, opts, progress));
    let ended = running::end(client);
    let summary = written?;
    ended?;
    Ok(summary)
}

fn commit_in(
    tx: &mut Tx<'_>,
    parsed: &Parsed,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportSummary> {
    // The head first: every change that could commit under the import waits for it from here.
    audit::hold(tx)?;
    tx.client()
        .batch_execute("SET LOCAL register.batch_append = 'on'")?;
    let mut planning = {
        let mut reg = Reads::new(tx.client());
        let planning = Planning::new(&mut reg, parsed, opts);
        reg.result(planning)?
    };
    if !planning.problems().is_empty() {
        return Err(file_problems(planning.problems()).into());
    }
    let file_name = import_file_name(opts);
    let at = tx.held.as_ref().expect("held above").at.clone();
    let import_id: i64 = tx
        .client()
        .query_typed_one(
            "INSERT INTO public.imports (id, file_name, sha256, at, rows, created, updated,
                                         skipped)
             SELECT coalesce(max(id), 0) + 1, $1, $2, $3::text::timestamptz, $4, 0, 0, 0
               FROM public.imports
             RETURNING id",
            &[
                (&file_name, Type::TEXT),
                (&parsed.sha256, Type::TEXT),
                (&at, Type::TEXT),
                (&(parsed.rows.len() as i64), Type::INT8),
            ],
        )?
        .get("id");
    let note = import_note(file_name, import_id, &parsed.sha256);
    let mut summary = ImportSummary {
        import_id,
        file_name: file_name.to_string(),
        sha256: parsed.sha256.clone(),
        rows: parsed.rows.len(),
        created: 0,
        updated: 0,
        duplicates: 0,
        skipped: 0,
        invalid: Vec::new(),
    };
    let mut w = Writer {
        import_id,
        note: &note,
        names: Names::default(),
        pending: Vec::with_capacity(BATCH),
    };
    let total = parsed.rows.len();
    let (mut done, mut error_rows) = (0, 0);
    for start in (0..total).step_by(BATCH) {
        let rows = {
            let mut reg = Reads::new(tx.client());
            let rows = planning.decide(&mut reg, parsed, start..(start + BATCH).min(total));
            reg.result(rows)?
        };
        for row in rows {
            if !progress(done, total) {
                return Err(cancelled().into());
            }
            done += 1;
            // Once a row has failed without skip_invalid, the rest are only checked: nothing
            // will be committed, and every error is returned.
            let writing = error_rows == 0 || opts.skip_invalid;
            let written = match row.action {
                register_core::import::Action::Duplicate => {
                    summary.duplicates += 1;
                    continue;
                }
                register_core::import::Action::Skip => {
                    summary.skipped += 1;
                    continue;
                }
                register_core::import::Action::Error => {
                    error_rows += 1;
                    summary.invalid.extend(row.errors);
                    if !opts.skip_invalid {
                        w.pending.clear();
                    }
                    continue;
                }
                _ if !writing => continue,
                register_core::import::Action::New if row.restores.is_none() => {
                    let queued = w.queue(&row);
                    if w.pending.len() >= BATCH {
                        w.flush(tx)?;
                    }
                    queued.map(|()| true)
                }
                _ => {
                    w.flush(tx)?;
                    one_by_one(tx, &mut w, &row, opts.skip_invalid)
                }
            };
            match written {
                Ok(true) => summary.created += 1,
                Ok(false) => summary.updated += 1,
                Err(e) if opts.skip_invalid && row_error(&e) => {
                    error_rows += 1;
                    let e = core_error(e);
                    summary.invalid.push(RowIssue {
                        line: row.line,
                        column: None,
                        field: e.field().and_then(|f| Field::parse(f).ok()),
                        message: e.to_string(),
                    });
                }
                Err(Error::Core(e)) => return Err(at_line(row.line, e).into()),
                Err(e) => return Err(e),
            }
        }
    }
    if !progress(total, total) {
        return Err(cancelled().into());
    }
    if error_rows > 0 && !opts.skip_invalid {
        let issues: Vec<&RowIssue> = summary.invalid.iter().collect();
        return Err(
            register_core::Error::invalid("file", describe_errors(error_rows, &issues)).into(),
        );
    }
    w.flush(tx)?;
    if let Some((key, json)) = chosen_mapping(&parsed.headers, planning.mapping())? {
        tx.client().query_typed(
            "INSERT INTO public.import_mappings (header_key, mapping, updated_at)
             VALUES ($1, $2, statement_timestamp())
             ON CONFLICT (header_key) DO UPDATE SET mapping = excluded.mapping,
                                                    updated_at = excluded.updated_at",
            &[(&key, Type::TEXT), (&json, Type::TEXT)],
        )?;
    }
    let left_out = summary.duplicates + summary.skipped + error_rows;
    let full_note = imported_note(&parsed.sha256);
    let event_id = audit::record(tx, &imported_event(&summary, left_out, &full_note))?;
    tx.client().query_typed(
        "UPDATE public.imports SET created = $1, updated = $2, skipped = $3, event_id = $4
          WHERE id = $5",
        &[
            (&(summary.created as i64), Type::INT8),
            (&(summary.updated as i64), Type::INT8),
            (&(left_out as i64), Type::INT8),
            (&event_id, Type::INT8),
            (&import_id, Type::INT8),
        ],
    )?;
    Ok(summary)
}

/// An error the core raised about one row's values (left out with `skip_invalid`), not one of
/// the server's.
fn row_error(e: &Error) -> bool {
    match e {
        Error::Core(c) => !matches!(
            c,
            register_core::Error::Sqlite(_) | register_core::Error::Internal(_)
        ),
        Error::Conflict(_) => true,
        _ => false,
    }
}

fn core_error(e: Error) -> register_core::Error {
    match e {
        Error::Core(c) => c,
        other => register_core::Error::Refused(other.to_string()),
    }
}

/// An update or a brought-back asset, written alone; with `skip_invalid` inside a savepoint, so
/// a row refused after all is rolled back alone. True when it brought an asset back.
fn one_by_one(
    tx: &mut Tx<'_>,
    w: &mut Writer<'_>,
    row: &PlannedRow,
    skip_invalid: bool,
) -> Result<bool> {
    if !skip_invalid {
        return w.write_one(tx, row);
    }
    tx.client().batch_execute("SAVEPOINT import_row")?;
    let written = w.write_one(tx, row);
    if written.is_err() {
        tx.client()
            .batch_execute("ROLLBACK TO import_row; RELEASE import_row")?;
        // A person or place the row created went with it.
        w.names = Names::default();
    } else {
        tx.client().batch_execute("RELEASE import_row")?;
    }
    written
}

/// A new asset checked and waiting for its batch.
struct NewRow {
    values: Valid,
    changes: Vec<register_core::audit::Change>,
    person: Option<String>,
    location: Option<String>,
    end: Status,
}

/// Writes the import's rows: new assets in batches, the others one by one.
struct Writer<'n> {
    import_id: i64,
    note: &'n str,
    names: Names,
    pending: Vec<NewRow>,
}

impl Writer<'_> {
    /// Checks a new row (nothing is written yet) and queues it for the next batch.
    fn queue(&mut self, row: &PlannedRow) -> Result<()> {
        let Checked { values, changes } = check_new_asset(&row.values.input)?;
        let (person, location) = holder(row);
        let end = placed_status(
            &values.asset_tag,
            person.is_some(),
            location.is_some(),
            row.values.status,
        )?;
        self.pending.push(NewRow {
            values,
            changes,
            person,
            location,
            end,
        });
        Ok(())
    }

    /// Writes the queued assets: names, then the assets in one statement, then their events in
    /// one, then their import items in one.
    fn flush(&mut self, tx: &mut Tx<'_>) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let mut created = Vec::with_capacity(pending.len());
        let mut placed = Vec::with_capacity(pending.len());
        for r in &pending {
            let mut made = Vec::new();
            let p = self.names.place(
                tx,
                r.values.category.as_deref(),
                r.person.as_deref(),
                r.location.as_deref(),
                &mut made,
            )?;
            created.push(made);
            placed.push(p);
        }
        let ids = insert_assets(tx, &pending, &placed)?;
        let mut batch = EventBatch::start(tx)?;
        for ((r, p), (id, made)) in pending.iter().zip(&placed).zip(ids.iter().zip(&created)) {
            push_created(&mut batch, made)?;
            let holder = (
                p.person.as_ref().map(|x| x.1.clone()),
                p.location.as_ref().map(|x| x.1.clone()),
            );
            let tag = &r.values.asset_tag;
            let changes = r.changes.clone();
            for ev in placed_events(*id, tag, changes, holder, r.end, Some(self.note)) {
                batch.push(&ev, Some((Record::Asset, 1)))?;
            }
        }
        batch.finish(tx)?;
        tx.client().query_typed(
            "INSERT INTO public.import_items (import_id, asset_id, action)
             SELECT $1, id, 'created' FROM unnest($2::int8[]) AS u(id)
             ON CONFLICT DO NOTHING",
            &[(&self.import_id, Type::INT8), (&ids, Type::INT8_ARRAY)],
        )?;
        Ok(())
    }

    /// An update, or a new row that brings back an asset an undone import took away. True when
    /// it brought one back.
    fn write_one(&mut self, tx: &mut Tx<'_>, row: &PlannedRow) -> Result<bool> {
        match row.restores {
            Some(id) => self.restore(tx, id, row).map(|()| true),
            None => self.update(tx, row).map(|()| false),
        }
    }

    fn update(&mut self, tx: &mut Tx<'_>, row: &PlannedRow) -> Result<()> {
        let before = assets::find_asset(tx.client(), &row.values.input.asset_tag)?;
        let patch: AssetPatch = row.patch.as_deref().cloned().unwrap_or_default();
        let after =
            assets::update_asset(tx, before.asset.id, before.version, &patch, Some(self.note))?;
        let changed = updated_before(&before.asset.to_input(), &after.asset.to_input())?;
        self.item(tx, before.asset.id, "updated", Some(changed))
    }

    /// As the file's `restore_placed`: the archived asset comes back with the row's values,
    /// held and in a status as a new one would be, with one `restored` event.
    fn restore(&mut self, tx: &mut Tx<'_>, id: i64, row: &PlannedRow) -> Result<()> {
        let before = assets::get_asset(tx.client(), id)?.asset;
        if !before.archived {
            return Err(register_core::Error::Refused(format!(
                "{} is in the register already",
                before.asset_tag
            ))
            .into());
        }
        let old = check_new_asset(&before.to_input())?.values;
        let new = check_new_asset(&row.values.input)?.values;
        let (person, location) = holder(row);
        let end = placed_status(
            &new.asset_tag,
            person.is_some(),
            location.is_some(),
            row.values.status,
        )?;
        let mut made = Vec::new();
        let p = self.names.place(
            tx,
            new.category.as_deref(),
            person.as_deref(),
            location.as_deref(),
            &mut made,
        )?;
        let version: i64 = tx
            .client()
            .query_typed_one(
                "UPDATE public.assets SET (asset_tag, name, category_id, category_name, make,
                     model, serial_number, serial_key, purchase_date, purchase_cost, supplier,
                     warranty_expires, notes, status, person_id, person_name, location_id,
                     location_name)
                   = ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::date, $10, $11,
                      $12::text::date, $13, $14, $15, $16, $17, $18),
                     archived_at = NULL, updated_at = statement_timestamp()
                 WHERE id = $19
                 RETURNING version",
                &[
                    (&new.asset_tag, Type::TEXT),
                    (&new.name, Type::TEXT),
                    (&p.category.as_ref().map(|c| c.0), Type::INT8),
                    (&p.category.as_ref().map(|c| &c.1), Type::TEXT),
                    (&new.make, Type::TEXT),
                    (&new.model, Type::TEXT),
                    (&new.serial_number, Type::TEXT),
                    (&serial_key(&new.serial_number), Type::TEXT),
                    (&new.purchase_date.map(format_date), Type::TEXT),
                    (&new.purchase_cost.map(|m| m.minor()), Type::INT8),
                    (&new.supplier, Type::TEXT),
                    (&new.warranty_expires.map(format_date), Type::TEXT),
                    (&new.notes, Type::TEXT),
                    (&end.as_str(), Type::TEXT),
                    (&p.person.as_ref().map(|x| x.0), Type::INT8),
                    (&p.person.as_ref().map(|x| &x.1), Type::TEXT),
                    (&p.location.as_ref().map(|x| x.0), Type::INT8),
                    (&p.location.as_ref().map(|x| &x.1), Type::TEXT),
                    (&id, Type::INT8),
                ],
            )?
            .get("version");
        let holder = (
            p.person.as_ref().map(|x| x.1.clone()),
            p.location.as_ref().map(|x| x.1.clone()),
            end,
        );
        let changes = restored_changes(&before, &old, &new, holder);
        let mut batch = EventBatch::start(tx)?;
        push_created(&mut batch, &made)?;
        let ev = asset_event(
            id,
            &before.asset_tag,
            Action::Restored,
            changes,
            Some(self.note),
        );
        let made: Made = Some((Record::Asset, version));
        batch.push(&ev, made)?;
        batch.finish(tx)?;
        self.item(tx, id, "created", None)
    }

    /// Records what the import did to an asset; the first record of an asset wins, as in the
    /// file.
    fn item(
        &self,
        tx: &mut Tx<'_>,
        asset_id: i64,
        action: &str,
        before: Option<String>,
    ) -> Result<()> {
        tx.client().query_typed(
            "INSERT INTO public.import_items (import_id, asset_id, action, before)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[
                (&self.import_id, Type::INT8),
                (&asset_id, Type::INT8),
                (&action, Type::TEXT),
                (&before, Type::TEXT),
            ],
        )?;
        Ok(())
    }
}

/// Inserts the batch's assets in one statement, in order (so the table's sequence numbers them
/// as the file would), and returns their ids in that order.
fn insert_assets(tx: &mut Tx<'_>, rows: &[NewRow], placed: &[Placed]) -> Result<Vec<i64>> {
    let n = rows.len();
    let mut tag = Vec::with_capacity(n);
    let mut name = Vec::with_capacity(n);
    let mut category_id = Vec::with_capacity(n);
    let mut category_name = Vec::with_capacity(n);
    let mut make = Vec::with_capacity(n);
    let mut model = Vec::with_capacity(n);
    let mut serial = Vec::with_capacity(n);
    let mut key = Vec::with_capacity(n);
    let mut bought = Vec::with_capacity(n);
    let mut cost = Vec::with_capacity(n);
    let mut supplier = Vec::with_capacity(n);
    let mut warranty = Vec::with_capacity(n);
    let mut notes = Vec::with_capacity(n);
    let mut status = Vec::with_capacity(n);
    let mut person_id = Vec::with_capacity(n);
    let mut person_name = Vec::with_capacity(n);
    let mut location_id = Vec::with_capacity(n);
    let mut location_name = Vec::with_capacity(n);
    for (r, p) in rows.iter().zip(placed) {
        let v = &r.values;
        tag.push(v.asset_tag.as_str());
        name.push(v.name.as_str());
        category_id.push(p.category.as_ref().map(|c| c.0));
        category_name.push(p.category.as_ref().map(|c| c.1.as_str()));
        make.push(v.make.as_deref());
        model.push(v.model.as_deref());
        serial.push(v.serial_number.as_deref());
        key.push(serial_key(&v.serial_number));
        bought.push(v.purchase_date.map(format_date));
        cost.push(v.purchase_cost.map(|m| m.minor()));
        supplier.push(v.supplier.as_deref());
        warranty.push(v.warranty_expires.map(format_date));
        notes.push(v.notes.as_deref());
        status.push(r.end.as_str());
        person_id.push(p.person.as_ref().map(|x| x.0));
        person_name.push(p.person.as_ref().map(|x| x.1.as_str()));
        location_id.push(p.location.as_ref().map(|x| x.0));
        location_name.push(p.location.as_ref().map(|x| x.1.as_str()));
    }
    let rows = tx.client().query_typed(
        "INSERT INTO public.assets (asset_tag, name, category_id, category_name, make, model,
             serial_number, serial_key, purchase_date, purchase_cost, supplier,
             warranty_expires, notes, status, person_id, person_name, location_id,
             location_name, created_at, updated_at)
         SELECT t, nm, ci, cn, mk, md, sn, sk, pd::date, pc, sp, we::date, nt, st, pi, pn, li,
                ln, statement_timestamp(), statement_timestamp()
           FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::int8[], $11::text[],
                       $12::text[], $13::text[], $14::text[], $15::int8[], $16::text[],
                       $17::int8[], $18::text[])
                WITH ORDINALITY AS u(t, nm, ci, cn, mk, md, sn, sk, pd, pc, sp, we, nt, st,
                                     pi, pn, li, ln, n)
          ORDER BY n
         RETURNING id, asset_tag",
        &[
            (&tag, Type::TEXT_ARRAY),
            (&name, Type::TEXT_ARRAY),
            (&category_id, Type::INT8_ARRAY),
            (&category_name, Type::TEXT_ARRAY),
            (&make, Type::TEXT_ARRAY),
            (&model, Type::TEXT_ARRAY),
            (&serial, Type::TEXT_ARRAY),
            (&key, Type::TEXT_ARRAY),
            (&bought, Type::TEXT_ARRAY),
            (&cost, Type::INT8_ARRAY),
            (&supplier, Type::TEXT_ARRAY),
            (&warranty, Type::TEXT_ARRAY),
            (&notes, Type::TEXT_ARRAY),
            (&status, Type::TEXT_ARRAY),
            (&person_id, Type::INT8_ARRAY),
            (&person_name, Type::TEXT_ARRAY),
            (&location_id, Type::INT8_ARRAY),
            (&location_name, Type::TEXT_ARRAY),
        ],
    )?;
    // RETURNING gives the rows as inserted; each is matched by its tag all the same.
    let by_tag: HashMap<&str, i64> = rows
        .iter()
        .map(|r| (r.get::<_, &str>("asset_tag"), r.get::<_, i64>("id")))
        .collect();
    tag.iter()
        .map(|t| {
            by_tag.get(t).copied().ok_or_else(|| {
                Error::Refused(format!("the asset {t} was not saved; nothing was imported"))
            })
        })
        .collect()
}
