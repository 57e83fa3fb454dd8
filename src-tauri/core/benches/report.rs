//! Benchmark: the register report (`asset-register-cli report --out`) of 10,000 and 100,000
//! assets: time, peak memory, file size and pages. Issue #20, goal 4: peak memory at most
//! 150 MB at 100k, about the same at 10k, time linear.
//!
//! The registers are seeded as the window bench seeds them (a third of the assets assigned to
//! people). Each report is rendered in a fresh process (this bench started again) doing what the
//! CLI does: open the register, render on its reader, write the file. Its peak memory is that
//! process's VmHWM (Linux), the same figure `/usr/bin/time -f %M` gives the CLI: the register's
//! pages SQLite maps while reading count in it, as they do for the CLI.
//!
//! Run: `cargo bench -p register_core --bench report` (release profile). `BENCH_SIZES=10000,…`
//! for other sizes, `BENCH_RUNS=N` for more runs of each, `BENCH_KEEP=dir` keeps the PDFs and
//! the registers (a register kept there is used again instead of seeding a new one).

use std::path::{Path, PathBuf};
use std::time::Instant;

use register_core::assets::{self, AssetInput, Holder};
use register_core::report::{self, ReportOptions};
use register_core::{Db, Source};

/// The window bench's register (tests/e2e/harness/seed.rs, `seed_bench`).
fn seed(db: &Db, n: usize) {
    let makes = ["Dell", "Lenovo", "Apple", "HP", "Samsung"];
    let people: Vec<String> = (0..300).map(|i| format!("Person {i:03} Example")).collect();
    for chunk in 0..n.div_ceil(10_000) {
        db.write(Source::Import, |tx| {
            for i in chunk * 10_000..((chunk + 1) * 10_000).min(n) {
                let make = makes[i % makes.len()];
                let input = AssetInput {
                    asset_tag: format!("IT-{i:06}"),
                    name: format!("{make} device {i}"),
                    category: ["Laptop", "Phone", "Monitor", "Printer"][i % 4].into(),
                    make: make.into(),
                    model: format!("Model {}", i % 37),
                    serial_number: format!("SN{:09}", i * 7919 % 1_000_000_007),
                    purchase_date: format!("20{:02}-{:02}-15", 18 + i % 8, 1 + i % 12),
                    purchase_cost: format!("{}.00", 100 + i % 2000),
                    supplier: "Insight UK".into(),
                    warranty_expires: format!("20{:02}-{:02}-15", 27 + i % 3, 1 + i % 12),
                    notes: String::new(),
                };
                let a = assets::create_asset(tx, &input, None)?;
                if i % 3 == 0 {
                    assets::assign_asset(
                        tx,
                        a.id,
                        &Holder::Person(people[i % people.len()].clone()),
                        None,
                    )?;
                }
            }
            Ok(())
        })
        .unwrap();
    }
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

/// The report alone, in this process, as `asset-register-cli report --out` makes it.
fn report_as_cli(register: &Path, out: &Path) {
    let t = Instant::now();
    let db = Db::open(register).unwrap();
    let pdf = db
        .read(|c| report::render_register_report(c, &ReportOptions::default()))
        .unwrap();
    register_core::files::write_atomically(out, &pdf.bytes).unwrap();
    println!("secs={:.3}", t.elapsed().as_secs_f64());
    println!("pages={}", pdf.page_count);
    println!("peak_mb={:.1}", peak_mb().unwrap_or(-1.0));
}

struct Run {
    secs: f64,
    peak_mb: f64,
    pages: usize,
    bytes: u64,
}

/// Runs [`report_as_cli`] in a fresh process.
fn report_in_child(register: &Path, out: &Path) -> Run {
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .env("BENCH_REPORT_REGISTER", register)
        .env("BENCH_REPORT_OUT", out)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success(),
        "the report failed: {text}{}",
        String::from_utf8_lossy(&child.stderr)
    );
    let get = |k: &str| -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1.0)
    };
    Run {
        secs: get("secs="),
        peak_mb: get("peak_mb="),
        pages: get("pages=") as usize,
        bytes: std::fs::metadata(out).map(|m| m.len()).unwrap_or(0),
    }
}

fn main() {
    if let Some(register) = std::env::var_os("BENCH_REPORT_REGISTER") {
        let out = PathBuf::from(std::env::var_os("BENCH_REPORT_OUT").expect("BENCH_REPORT_OUT"));
        report_as_cli(Path::new(&register), &out);
        return;
    }
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("BENCH_KEEP").map(PathBuf::from);
    println!("register report (release build), each run in a fresh process as the CLI runs it");
    for n in sizes {
        let register = keep
            .as_deref()
            .unwrap_or(dir.path())
            .join(format!("register-{n}.db"));
        if register.exists() {
            println!("{n} assets: the register kept in {}", register.display());
        } else {
            let t = Instant::now();
            let db = Db::open(&register).unwrap();
            seed(&db, n);
            drop(db);
            println!(
                "{n} assets seeded in {:.1} s ({:.0} MB register)",
                t.elapsed().as_secs_f64(),
                std::fs::metadata(&register).unwrap().len() as f64 / 1e6
            );
        }
        let out = keep
            .as_deref()
            .unwrap_or(dir.path())
            .join(format!("report-{n}.pdf"));
        for run in 1..=runs {
            let r = report_in_child(&register, &out);
            println!(
                "report of {n} assets (run {run}): {:.2} s, peak memory {:.0} MB, {:.2} MB, {} pages",
                r.secs,
                r.peak_mb,
                r.bytes as f64 / 1e6,
                r.pages
            );
        }
    }
}
