//! Benchmark: importing a CSV of 100,000 assets (default; `BENCH_ROWS=N` to change) into an
//! empty register: reading, the dry run (preview) and the commit (validation, de-duplication
//! and audit events included), against the `sqlite3` shell's `.import` of the same file into a
//! bare table, measured in the same run. Prints the times, the ratio and the peak memory.
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

fn main() {
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

    let t = Instant::now();
    let bytes = std::fs::read(&csv_path).unwrap();
    let parsed = import::read_file(&bytes).unwrap();
    drop(bytes);
    let read = t.elapsed().as_secs_f64();
    println!("read and parse: {read:.2} s{}", ratio(read));

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
    // the file shows in the last figure.
    match (after_dry, after_commit, peak_mb()) {
        (Some(d), Some(c), Some(v)) => println!(
            "peak memory: {d:.0} MB after the dry run, {c:.0} MB after the commit, {v:.0} MB after verify"
        ),
        _ => println!("peak memory: not available on this OS"),
    }
}
