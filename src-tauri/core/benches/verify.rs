//! Benchmark: `verify` of a register with 1,000,000 events (`BENCH_EVENTS=N`): the hash chain
//! recomputed (`audit::verify_chain`, the rows read in order and re-hashed on every core) and the
//! database checks (`PRAGMA integrity_check` and the rest of `audit::verify`), timed apart, three
//! runs each.
//!
//! Run: `cargo bench -p register_core --bench verify` (release profile).

use std::time::Instant;

use register_core::{audit, replacements, Db, Source};

fn main() {
    let n: usize = std::env::var("BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let db = Db::open(&path).unwrap();
    let t = Instant::now();
    let mut written = 0;
    while written < n {
        let batch = (n - written).min(20_000);
        db.write(Source::Cli, |tx| {
            for i in 0..batch {
                // Each change of the inflation rate is one audited settings event.
                let pct = format!("{}.{}", (written + i) % 7 + 1, (written + i) % 10);
                replacements::set_inflation(tx, &pct)?;
            }
            Ok(())
        })
        .unwrap();
        written += batch;
    }
    let (count, _) = db.read(audit::head).unwrap();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "register: {count} events, {:.0} MB, built in {:.1} s",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    drop(db);
    let db = Db::open(&path).unwrap();
    for run in 1..=3 {
        let t = Instant::now();
        let chain = db.read_detached(audit::verify_chain).unwrap();
        let chain_s = t.elapsed().as_secs_f64();
        assert!(chain.first_bad_event.is_none());
        let t = Instant::now();
        let all = db.read_detached(audit::verify).unwrap();
        let all_s = t.elapsed().as_secs_f64();
        assert!(all.ok, "{all:?}");
        println!(
            "run {run}: chain of {} events {chain_s:.2} s; whole verify (integrity check and chain) {all_s:.2} s, so the database checks {:.2} s",
            chain.event_count,
            (all_s - chain_s).max(0.0)
        );
    }
}
