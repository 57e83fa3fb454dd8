//! Benchmark: the auditor's evidence pack of a register of 10,000 assets (`BENCH_ASSETS=N`)
//! with 1,000 documents of 100 KB each (100 MB, incompressible like real PDFs;
//! `BENCH_DOCS=N`), written three times, then verified. Prints the time, the pack's size and
//! the peak memory of each write (Linux: VmHWM, reset before each run).
//!
//! Run: `cargo bench -p register_core --bench pack` (release profile).

use std::time::Instant;

use register_core::assets::{self, AssetInput};
use register_core::documents::{self, DocumentStore, Owner};
use register_core::pack::{self, PackOptions};
use register_core::{Db, Source};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory since the last reset, in MB (Linux only).
fn peak_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let n = env("BENCH_ASSETS", 10_000);
    let docs = env("BENCH_DOCS", 1_000);
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("register.db")).unwrap();
    let store = DocumentStore::for_db(&db);
    let t = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        db.write(Source::Import, |tx| {
            for &i in chunk {
                let input = AssetInput {
                    asset_tag: format!("IT-{i:06}"),
                    name: format!("Laptop {i}"),
                    category: "Laptop".into(),
                    make: "Dell".into(),
                    model: "Latitude 5440".into(),
                    serial_number: format!("SN{i:08}"),
                    purchase_date: "2024-01-15".into(),
                    purchase_cost: "1249.99".into(),
                    ..Default::default()
                };
                assets::create_asset(tx, &input, None)?;
            }
            Ok(())
        })
        .unwrap();
    }
    // Incompressible bytes, as PDFs and photos are.
    let mut state = 0x9e3779b97f4a7c15u64;
    let src = dir.path().join("doc.pdf");
    for d in 0..docs {
        let bytes: Vec<u8> = (0..100 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        std::fs::write(&src, &bytes).unwrap();
        let asset_id = (d * n / docs.max(1)) as i64 + 1;
        documents::attach_file_to(
            &db,
            &store,
            Source::Cli,
            Owner::Asset(asset_id),
            &src,
            None,
            None,
        )
        .unwrap();
    }
    println!(
        "register: {n} assets, {docs} documents of 100 KB ({} MB), built in {:.1} s",
        docs / 10,
        t.elapsed().as_secs_f64()
    );

    let out = dir.path().join("pack.zip");
    for run in 1..=3 {
        reset_peak();
        let t = Instant::now();
        let s =
            pack::write_pack(&db, &store, &out, &PackOptions::default(), &mut |_| true).unwrap();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "write pack (run {run}): {secs:.2} s, {} members, {:.1} MB, peak memory {}",
            s.members,
            s.bytes as f64 / 1e6,
            peak_mb()
                .map(|m| format!("{m:.0} MB"))
                .unwrap_or_else(|| "n/a".into())
        );
    }
    reset_peak();
    let t = Instant::now();
    let check = pack::verify_pack(&out).unwrap();
    assert!(check.ok, "{:?}", check.problems);
    println!(
        "verify pack: {:.2} s, {} members re-hashed, {} events recomputed, peak memory {}",
        t.elapsed().as_secs_f64(),
        check.members_checked,
        check.event_count,
        peak_mb()
            .map(|m| format!("{m:.0} MB"))
            .unwrap_or_else(|| "n/a".into())
    );
}
