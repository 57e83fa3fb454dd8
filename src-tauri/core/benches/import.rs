//! Benchmark: importing a CSV of 100,000 assets (default; `BENCH_ROWS=N` to change) into an
//! empty register: reading, the dry run (preview) and the commit (validation, de-duplication
//! and audit events included), against the `sqlite3` shell's `.import` of the same file into a
//! bare table, measured in the same run. Prints the times, the ratio and the peak memory.
//!
//! Then the same rows as an `.xlsx` workbook (dates and costs as typed cells, the rest text),
//! read and committed into a fresh register, against the CSV's read and commit.
//!
//! Then the peak memory of the import alone, as the CLI runs it and as the window runs it: each
//! in a fresh process (this bench started again), so nothing the bench itself built counts.
//!
//! Run: `cargo bench -p register_core --bench import` (release profile). `BENCH_CSV=path`
//! keeps the generated file.

use std::time::Instant;

use register_core::import::{self, ImportOptions};
use register_core::{Db, Source};

const MAKES: &[(&str, &[&str])] = &[
    ("Dell", &["Latitude 5440", "XPS 13", "OptiPlex 7010"]),
    ("Lenovo", &["ThinkPad X1 Carbon", "ThinkPad T14"]),
    ("Apple", &["MacBook Air 13", "iPhone 15", "iPad Air"]),
    ("HP", &["EliteBook 840", "LaserJet Pro M404"]),
];
const CATEGORIES: &[&str] = &["Laptop", "Desktop", "Phone", "Tablet", "Monitor", "Printer"];
const SUPPLIERS: &[&str] = &["Insight UK", "CDW", "Dell Direct", "Apple Store", "Misco"];
const LOCATIONS: &[&str] = &["London HQ", "Leeds", "Store room", "Manchester"];

/// A CSV in the export's columns, with the mix a real register has: a third assigned to
/// people, some at locations, some retired or in repair, notes on every fifth row.
fn make_csv(n: usize) -> String {
    let mut s = String::with_capacity(n * 140);
    s.push_str("Asset Tag,Name,Category,Make,Model,Serial Number,Purchase Date,Purchase Cost,Supplier,Warranty Expires,Status,Assigned To,Location,Notes\n");
    let mut x: u64 = 42;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    for i in 0..n {
        let (make, models) = MAKES[next() as usize % MAKES.len()];
        let model = models[next() as usize % models.len()];
        let (status, person, location) = match i % 10 {
            0..=2 => ("Deployed", format!("Person {}", next() % 400), ""),
            3 | 4 => (
                "In stock",
                String::new(),
                LOCATIONS[next() as usize % LOCATIONS.len()],
            ),
            5 => ("Repair", String::new(), ""),
            6 => ("Retired", String::new(), ""),
            _ => ("Available", String::new(), ""),
        };
        s.push_str(&format!(
            "IT-{i:06},{make} {model},{},{make},{model},{}{:07}{i},20{:02}-{:02}-{:02},{}.{:02},{},20{:02}-{:02}-{:02},{status},{person},{location},{}\n",
            CATEGORIES[next() as usize % CATEGORIES.len()],
            &make[..2].to_uppercase(),
            next() % 10_000_000,
            18 + next() % 7,
            1 + next() % 12,
            1 + next() % 28,
            100 + next() % 2400,
            next() % 100,
            SUPPLIERS[next() as usize % SUPPLIERS.len()],
            26 + next() % 4,
            1 + next() % 12,
            1 + next() % 28,
            if i % 5 == 0 { "Spare charger in drawer" } else { "" },
        ));
    }
    s
}

/// A sqlite3 shell script doing the commit's writes by SQL alone: the CSV into a staging table,
/// then assets (with holder and status), the search index, one audit row per event the import
/// records (created; assigned; status changed) with its JSON changes, and the import's items,
/// in one transaction with the secondary indexes and the triggers paused as the import pauses
/// them. Hashes are random bytes: SQL has no SHA-256.
fn sql_floor_script(csv: &std::path::Path) -> String {
    format!(
        r#"PRAGMA cache_size = -65536;
CREATE TEMP TABLE s (tag, name, category, make, model, serial, bought, cost, supplier, warranty,
    status, person, location, notes);
.mode csv
.import --skip 1 '{csv}' s
.mode list
BEGIN IMMEDIATE;
CREATE TEMP TABLE paused AS SELECT type, name, sql FROM sqlite_master
  WHERE (type = 'trigger' AND tbl_name = 'assets' AND (sql LIKE '%assets_fts%' OR name = 'asset_count_insert'))
     OR (type = 'index' AND tbl_name IN ('assets', 'audit_log') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%');
.output '{drop}'
SELECT 'DROP ' || type || ' ' || name || ';' FROM paused;
.output '{create}'
SELECT sql || ';' FROM paused;
.output stdout
.read '{drop}'
INSERT INTO people (name, created_at) SELECT DISTINCT person, '2026-01-01' FROM s WHERE person != '';
INSERT INTO locations (name, created_at) SELECT DISTINCT location, '2026-01-01' FROM s WHERE location != '';
INSERT INTO categories (name, created_at) SELECT DISTINCT category, '2026-01-01' FROM s WHERE category != '';
INSERT INTO imports (file_name, sha256, at, rows, created, updated, skipped)
  VALUES ('import.csv', '0', '2026-01-01', 0, 0, 0, 0);
INSERT INTO assets (asset_tag, name, category_id, category_name, make, model, serial_number,
    serial_key, purchase_date, purchase_cost, supplier, warranty_expires, notes, status,
    person_id, person_name, location_id, location_name, created_at, updated_at)
  SELECT tag, s.name, c.id, c.name, make, model, serial, upper(serial), bought,
    CAST(round(cost * 100) AS INTEGER), supplier, warranty, nullif(notes, ''),
    CASE WHEN p.id IS NOT NULL OR status = 'Deployed' THEN 'deployed'
         WHEN status = 'Repair' THEN 'in_maintenance' WHEN status = 'Retired' THEN 'retired'
         ELSE 'available' END,
    p.id, p.name, l.id, l.name, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
  FROM s LEFT JOIN categories c ON c.name = s.category LEFT JOIN people p ON p.name = s.person
    LEFT JOIN locations l ON l.name = s.location;
UPDATE asset_count SET live = live + (SELECT count(*) FROM assets);
INSERT INTO assets_fts (rowid, asset_tag, name, serial_number, make, model, holder, notes)
  SELECT id, asset_tag, name, serial_number, make, model, coalesce(person_name, location_name),
    notes FROM assets;
CREATE TEMP TABLE ev AS
  SELECT id AS asset_id, 0 AS k, 'created' AS action, json_array(
    json_object('field', 'asset_tag', 'old', NULL, 'new', asset_tag),
    json_object('field', 'name', 'old', NULL, 'new', name),
    json_object('field', 'category', 'old', NULL, 'new', category_name),
    json_object('field', 'make', 'old', NULL, 'new', make),
    json_object('field', 'model', 'old', NULL, 'new', model),
    json_object('field', 'serial_number', 'old', NULL, 'new', serial_number),
    json_object('field', 'purchase_date', 'old', NULL, 'new', purchase_date),
    json_object('field', 'purchase_cost', 'old', NULL, 'new', printf('%.2f', purchase_cost / 100.0)),
    json_object('field', 'supplier', 'old', NULL, 'new', supplier),
    json_object('field', 'warranty_expires', 'old', NULL, 'new', warranty_expires),
    json_object('field', 'notes', 'old', NULL, 'new', notes),
    json_object('field', 'status', 'old', NULL, 'new', 'available')) AS changes FROM assets
  UNION ALL SELECT id, 1, 'assigned', json_array(
    json_object('field', CASE WHEN person_id IS NULL THEN 'location' ELSE 'assigned_to' END,
                'old', NULL, 'new', coalesce(person_name, location_name)),
    json_object('field', 'status', 'old', 'available', 'new', 'deployed'))
    FROM assets WHERE person_id IS NOT NULL OR location_id IS NOT NULL
  UNION ALL SELECT id, 2, 'status_changed', json_array(json_object('field', 'status',
    'old', CASE WHEN location_id IS NULL THEN 'available' ELSE 'deployed' END, 'new', status))
    FROM assets WHERE person_id IS NULL AND status != 'deployed'
      AND (location_id IS NOT NULL OR status != 'available');
INSERT INTO audit_log (id, at, source, action, entity, entity_id, asset_id, label, changes,
    note, prev_hash, hash)
  SELECT row_number() OVER (ORDER BY ev.asset_id, k), '2026-01-01T00:00:00.000000Z', 'import',
    action, 'asset', ev.asset_id, ev.asset_id, a.asset_tag, changes,
    'Imported from import.csv (import #1, sha256 0123456789ab…)',
    lower(hex(randomblob(32))), lower(hex(randomblob(32)))
  FROM ev JOIN assets a ON a.id = ev.asset_id;
INSERT INTO import_items (import_id, asset_id, action) SELECT 1, id, 'created' FROM assets;
.read '{create}'
COMMIT;
"#,
        csv = csv.display(),
        drop = csv.with_extension("drop.sql").display(),
        create = csv.with_extension("create.sql").display(),
    )
}

/// Peak resident memory of this process so far (Linux), in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// The import alone, in this process, as `kind` ("cli" or "window") runs it: the same core calls
/// in the same order, holding what each holds. Prints the process's peak memory.
fn import_as(kind: &str, csv: &std::path::Path, register: &std::path::Path) {
    let opts = ImportOptions {
        file_name: "import.csv".into(),
        ..Default::default()
    };
    let bytes = import::read_path(csv).unwrap();
    let parsed = import::read_with(&bytes, &Default::default()).unwrap();
    drop(bytes);
    let db = Db::open(register).unwrap();
    let summary = match kind {
        // asset-register-cli import: the preview of every row (for its refusal and --dry-run),
        // dropped before the commit.
        "cli" => {
            let plan = db.read(|c| import::preview(c, &parsed, &opts)).unwrap();
            assert!(plan.problems.is_empty());
            drop(plan);
            db.write(Source::Import, |tx| import::commit(tx, &parsed, &opts))
                .unwrap()
        }
        // The window: the review step's preview, trimmed to the 500 rows it shows and turned
        // into JSON for the web view; then the commit with progress events. The parsed file
        // stays open in the shell throughout, as here.
        _ => {
            let plan = db
                .read(|c| import::preview(c, &parsed, &opts).map(|p| p.trimmed(500)))
                .unwrap();
            let ipc = serde_json::to_vec(&plan).unwrap();
            drop((plan, ipc));
            let mut progress = |_: usize, _: usize| true;
            db.write(Source::Import, |tx| {
                import::commit_with_progress(tx, &parsed, &opts, &mut progress)
            })
            .unwrap()
        }
    };
    assert_eq!(summary.created, parsed.rows.len());
    println!("peak_mb={:.0}", peak_mb().unwrap_or(-1.0));
}

/// Runs [`import_as`] in a fresh process and returns its peak memory (MB).
fn import_in_child(kind: &str, csv: &std::path::Path, register: &std::path::Path) -> Option<f64> {
    let out = std::process::Command::new(std::env::current_exe().ok()?)
        .env("BENCH_IMPORT_AS", kind)
        .env("BENCH_IMPORT_CSV", csv)
        .env("BENCH_IMPORT_REGISTER", register)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("peak_mb="))
        .and_then(|v| v.parse().ok())
        .filter(|v: &f64| *v > 0.0)
}

fn main() {
    if let Ok(kind) = std::env::var("BENCH_IMPORT_AS") {
        let var = |k: &str| std::path::PathBuf::from(std::env::var_os(k).expect(k));
        import_as(
            &kind,
            &var("BENCH_IMPORT_CSV"),
            &var("BENCH_IMPORT_REGISTER"),
        );
        return;
    }
    let n: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let csv_path = std::env::var_os("BENCH_CSV")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("import.csv"));
    std::fs::write(&csv_path, make_csv(n)).unwrap();
    let size = std::fs::metadata(&csv_path).unwrap().len();
    println!(
        "import of {n} rows ({:.1} MB), release build",
        size as f64 / 1e6
    );

    // The yardstick: the sqlite3 shell's .import into a bare table (one text column per header).
    let bare = dir.path().join("bare.db");
    let t = Instant::now();
    let out = std::process::Command::new("sqlite3")
        .arg(&bare)
        .arg(".mode csv")
        .arg(format!(".import {} assets", csv_path.display()))
        .output();
    let sqlite = t.elapsed();
    let sqlite_ok = out.is_ok_and(|o| o.status.success());
    if sqlite_ok {
        println!(
            "sqlite3 .import into a bare table: {:.2} s",
            sqlite.as_secs_f64()
        );
    } else {
        println!("sqlite3 .import: the sqlite3 shell is not available");
    }
    let ratio = |secs: f64| {
        if sqlite_ok {
            format!(" ({:.1}× sqlite3 .import)", secs / sqlite.as_secs_f64())
        } else {
            String::new()
        }
    };

    // What the commit's writes cost with no Rust at all: the sqlite3 shell loading the file
    // into a fresh register's real schema by SQL alone (same triggers paused and indexes
    // rebuilt at the end, the same search index and the same 190k audit rows with their JSON),
    // leaving out only what SQL cannot do: validation, de-duplication and the hash chain.
    let floor_db = dir.path().join("floor.db");
    drop(Db::open(&floor_db).unwrap());
    let t = Instant::now();
    let out = std::process::Command::new("sqlite3")
        .arg(&floor_db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            let script = sql_floor_script(&csv_path);
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(script.as_bytes())?;
            child.wait_with_output()
        });
    let floor = t.elapsed().as_secs_f64();
    let floor = match out {
        Ok(o) if o.status.success() && o.stderr.is_empty() => {
            let (assets, events, indexed): (i64, i64, i64) = Db::open(&floor_db)
                .unwrap()
                .read(|c| {
                    Ok(c.query_row(
                        "SELECT (SELECT count(*) FROM assets), (SELECT count(*) FROM audit_log),
                                (SELECT count(*) FROM assets_fts)",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )?)
                })
                .unwrap();
            println!(
                "the same writes by SQL alone in the sqlite3 shell ({assets} assets, {events} audit rows, {indexed} searchable): {floor:.2} s{}",
                ratio(floor)
            );
            Some(floor)
        }
        Ok(o) => {
            println!(
                "SQL-only load: the sqlite3 shell failed: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            None
        }
        Err(_) => None,
    };

    let t = Instant::now();
    let bytes = std::fs::read(&csv_path).unwrap();
    let parsed = import::read_file(&bytes).unwrap();
    drop(bytes);
    let read = t.elapsed().as_secs_f64();
    println!("read and parse: {read:.2} s{}", ratio(read));
    let xlsx = make_xlsx(&parsed);

    let db = Db::open(&dir.path().join("register.db")).unwrap();
    let opts = ImportOptions {
        file_name: "import.csv".into(),
        ..Default::default()
    };
    let t = Instant::now();
    let plan = db.read(|c| import::preview(c, &parsed, &opts)).unwrap();
    let dry = t.elapsed().as_secs_f64();
    assert_eq!(plan.counts.new, n, "every row is new: {:?}", plan.counts);
    drop(plan);
    println!("dry run (preview of every row): {dry:.2} s{}", ratio(dry));
    let after_dry = peak_mb();

    let t = Instant::now();
    let summary = db
        .write(Source::Import, |tx| import::commit(tx, &parsed, &opts))
        .unwrap();
    let commit = t.elapsed().as_secs_f64();
    assert_eq!(summary.created, n);
    println!(
        "commit (validation, de-duplication, audit events, one transaction): {commit:.2} s{}",
        ratio(commit)
    );
    if let Some(f) = floor {
        println!("  = {:.1}× the SQL-only load", commit / f);
    }
    let after_commit = peak_mb();
    let t = Instant::now();
    let verified = db.read(register_core::audit::verify).unwrap();
    assert!(verified.ok, "the audit chain verifies after the import");
    println!(
        "verify afterwards: {:.2} s ({} events)",
        t.elapsed().as_secs_f64(),
        verified.event_count
    );
    // VmHWM counts the register's pages mapped in by reads (mmap), so verify's full read of
    // the file shows in the last figure. These include what the bench built before (the CSV,
    // the SQL-only script, the workbook): the import's own peaks are measured below.
    match (after_dry, after_commit, peak_mb()) {
        (Some(d), Some(c), Some(v)) => println!(
            "peak memory of this process: {d:.0} MB after the dry run, {c:.0} MB after the commit, {v:.0} MB after verify"
        ),
        _ => println!("peak memory: not available on this OS"),
    }
    // The import alone, in fresh processes, into fresh registers.
    for kind in ["cli", "window"] {
        let register = dir.path().join(format!("register-{kind}.db"));
        match import_in_child(kind, &csv_path, &register) {
            Some(mb) => println!(
                "peak memory of the import alone, as the {} runs it (a fresh process): {mb:.0} MB",
                if kind == "cli" { "CLI" } else { "window" }
            ),
            None => println!("peak memory of the import as the {kind} runs it: not available"),
        }
    }
    // The way back: undoing the whole import.
    let t = Instant::now();
    let undone = db
        .write(Source::App, |tx| import::undo_import(tx, summary.import_id))
        .unwrap();
    assert_eq!(undone.archived, n);
    println!(
        "undo of the import (every asset archived, one transaction): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    drop(db);

    // The same rows as a workbook, into a fresh register: read, then commit.
    let t = Instant::now();
    let book = import::read_file(&xlsx).unwrap();
    let xlsx_read = t.elapsed().as_secs_f64();
    assert_eq!(book.rows.len(), n);
    let db = Db::open(&dir.path().join("register-xlsx.db")).unwrap();
    let t = Instant::now();
    let summary = db
        .write(Source::Import, |tx| import::commit(tx, &book, &opts))
        .unwrap();
    let xlsx_commit = t.elapsed().as_secs_f64();
    assert_eq!(summary.created, n);
    println!(
        "the same rows as .xlsx ({:.1} MB): read {xlsx_read:.2} s, commit {xlsx_commit:.2} s = {:.2}× the CSV's read and commit",
        xlsx.len() as f64 / 1e6,
        (xlsx_read + xlsx_commit) / (read + commit)
    );
}

/// The parsed CSV's rows as an `.xlsx`: purchase and warranty dates as date cells, the cost as a
/// number, everything else as text, the way a spreadsheet holds a register.
fn make_xlsx(parsed: &import::Parsed) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    for (c, h) in parsed.headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in parsed.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.cells().enumerate() {
            let (h, c) = (parsed.headers[c].as_str(), c as u16);
            if cell.is_empty() {
                continue;
            }
            match h {
                "Purchase Date" | "Warranty Expires" => {
                    let d = chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").unwrap();
                    let serial = (d - epoch).num_days() as f64;
                    sheet.write_number_with_format(r, c, serial, &date).unwrap();
                }
                "Purchase Cost" => {
                    sheet
                        .write_number(r, c, cell.parse::<f64>().unwrap())
                        .unwrap();
                }
                _ => {
                    sheet.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}
