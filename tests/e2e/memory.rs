//! Benchmark of the window's memory at rest (issue #20, goal 1): the real app (release build)
//! is started on a register of each size, left a minute on Home once its start-up verify has
//! finished, and then every process it runs (the app, WebKitWebProcess, WebKitNetworkProcess and
//! any other WebKit helper) is read from `/proc/<pid>/smaps_rollup`. The figure the goal is set
//! on is PSS summed over those processes: a library mapped by several of them is counted once.
//!
//! Run: `xvfb-run -a cargo bench -p asset-register --bench memory`
//! - `BENCH_SIZES=1000,100000` (the default): the registers measured, in assets;
//! - `BENCH_IDLE=60`: seconds left idle on Home before measuring;
//! - `BENCH_REGISTERS=dir`: keep the generated registers in `dir` and reuse them next time
//!   (building the 100k one takes about 25 s); the app always runs on a copy;
//! - `BENCH_ENV=NAME=value,…`: extra environment for the app (to try WebKit's variables);
//! - `BENCH_FLOOR=1`: also measure the same window after it navigated to an empty page, the
//!   floor of what WebKit keeps for any page.

mod harness;

use std::path::{Path, PathBuf};
use std::time::Duration;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.into())
}

/// A register of `n` assets: `dir/assets-<n>.db` when kept and already there, else built.
fn register(n: usize, keep: Option<&Path>, scratch: &Path) -> PathBuf {
    let kept = keep.map(|d| d.join(format!("assets-{n}.db")));
    if let Some(k) = kept.as_ref().filter(|k| k.exists()) {
        return k.clone();
    }
    let path = kept.unwrap_or_else(|| scratch.join(format!("assets-{n}.db")));
    let db = register_core::Db::open(&path).unwrap();
    harness::seed_bench(&db, n);
    drop(db);
    path
}

fn mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

/// Prints one table of the app's processes and returns their total.
fn report(title: &str) -> harness::Memory {
    let procs = harness::app_memory();
    println!("{title}");
    println!(
        "  {:<22} {:>8} {:>8} {:>9} {:>9} {:>8}",
        "process (MB)", "RSS", "PSS", "PSS anon", "PSS file", "anon"
    );
    let mut total = harness::Memory::default();
    for (pid, name, m) in &procs {
        let label = format!("{name} {pid}");
        println!(
            "  {label:<22} {:>8} {:>8} {:>9} {:>9} {:>8}",
            mb(m.rss),
            mb(m.pss),
            mb(m.pss_anon),
            mb(m.pss_file),
            mb(m.anon)
        );
        total = total.add(*m);
    }
    println!(
        "  {:<22} {:>8} {:>8} {:>9} {:>9} {:>8}",
        "all processes",
        mb(total.rss),
        mb(total.pss),
        mb(total.pss_anon),
        mb(total.pss_file),
        mb(total.anon)
    );
    let others = harness::other_webkit_processes();
    if !others.is_empty() {
        println!(
            "  (other WebKit processes were running, sharing libraries, so PSS reads low: {})",
            others.join(", ")
        );
    }
    total
}

fn main() {
    if std::env::var_os("DISPLAY").is_none() {
        eprintln!("memory bench: needs a display; run under xvfb-run");
        std::process::exit(1);
    }
    let sizes: Vec<usize> = env_or("BENCH_SIZES", "1000,100000")
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let idle = Duration::from_secs(env_or("BENCH_IDLE", "60").parse().unwrap_or(60));
    let keep = std::env::var_os("BENCH_REGISTERS").map(PathBuf::from);
    let extra = env_or("BENCH_ENV", "");
    let extra: Vec<(&str, &str)> = extra
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .collect();
    let floor = std::env::var_os("BENCH_FLOOR").is_some();
    if let Some(k) = &keep {
        std::fs::create_dir_all(k).unwrap();
    }
    let scratch = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut totals = Vec::new();
    for &n in &sizes {
        let source = register(n, keep.as_deref(), scratch.path());
        let run = tempfile::tempdir().unwrap();
        let path = run.path().join("register.db");
        std::fs::copy(&source, &path).unwrap();
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        rt.block_on(async {
            let app = harness::App::start_on_with(&path, &extra).await.unwrap();
            app.wait_for("[data-view='home']").await.unwrap();
            // Idle means after the start-up work: the background verify has read the register.
            app.wait_text("[data-integrity-badge]", "Verified")
                .await
                .unwrap();
            tokio::time::sleep(idle).await;
            let title = format!(
                "{n} assets ({:.0} MB register), {} s idle on Home{}",
                size as f64 / 1e6,
                idle.as_secs(),
                if extra.is_empty() {
                    String::new()
                } else {
                    format!(", with {extra:?}")
                }
            );
            totals.push((n, report(&title)));
            if floor {
                app.client
                    .execute("location.href = 'about:blank'", vec![])
                    .await
                    .unwrap();
                tokio::time::sleep(idle).await;
                report(&format!(
                    "the same window on an empty page, {} s later",
                    idle.as_secs()
                ));
            }
            app.stop().await;
        });
    }
    for (n, t) in totals {
        println!(
            "idle memory at {n} assets: PSS {} MB over all processes (RSS {} MB)",
            mb(t.pss),
            mb(t.rss)
        );
    }
}
