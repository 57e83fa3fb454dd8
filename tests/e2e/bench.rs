//! Benchmark of the real window (release build) over a 100,000-asset register: time from
//! launch to an interactive Assets list, keystroke-to-results latency of the search field, and
//! the idle memory of every process the app runs (the app and its WebKit helpers).
//!
//! Run: `xvfb-run -a cargo bench -p asset-register --bench app` (`BENCH_ASSETS=N` to change).

mod harness;

use std::time::{Duration, Instant};

use register_core::assets::{self, AssetInput, Holder};
use register_core::Source;

fn seed(db: &register_core::Db, n: usize) {
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

/// Resident memory (kB) of `root` and all its descendants.
fn tree_rss_kb(root: u32) -> (u64, Vec<String>) {
    let mut procs = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let name = stat[stat.find('(').unwrap() + 1..close].to_string();
        let ppid: u32 = stat[close + 2..]
            .split(' ')
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .map(|l| l.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap())
            })
            .unwrap_or(0);
        procs.push((pid, ppid, name, rss));
    }
    let mut ids = vec![root];
    let mut i = 0;
    while i < ids.len() {
        let p = ids[i];
        ids.extend(procs.iter().filter(|x| x.1 == p).map(|x| x.0));
        i += 1;
    }
    let mut total = 0;
    let mut names = Vec::new();
    for (pid, _, name, rss) in &procs {
        if ids.contains(pid) {
            total += rss;
            names.push(format!("{name} {} MB", rss / 1024));
        }
    }
    (total, names)
}

fn app_pid() -> Option<u32> {
    let bin = env!("CARGO_BIN_EXE_asset-register");
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_string_lossy().parse().ok()?;
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
        (exe.to_string_lossy() == bin).then_some(pid)
    })
}

const KEYSTROKE_PROBE: &str = r#"
const input = document.querySelector('input[data-search]');
const done = arguments[arguments.length - 1];
const text = arguments[0];
const rows = () => document.querySelectorAll("[data-view='assets'] tr[data-id]");
const before = document.querySelector('[data-count]').textContent;
const t0 = performance.now();
input.value = text;
input.dispatchEvent(new Event('input', { bubbles: true }));
const poll = () => {
  const now = document.querySelector('[data-count]').textContent;
  if (now !== before) {
    const dom = performance.now() - t0;
    requestAnimationFrame(() => done([dom, performance.now() - t0]));
  }
  else if (performance.now() - t0 > 5000) { done([-1, -1]); }
  else { setTimeout(poll, 1); }
};
poll();
"#;

const IPC_PROBE: &str = r#"
const done = arguments[arguments.length - 1];
const t0 = performance.now();
window.__TAURI__.core.invoke('list_assets', { query: { search: arguments[0], limit: 100 } })
  .then(() => done(performance.now() - t0), () => done(-1));
"#;

fn main() {
    if std::env::var_os("DISPLAY").is_none() {
        eprintln!("app bench: needs a display; run under xvfb-run");
        std::process::exit(1);
    }
    let n: usize = std::env::var("BENCH_ASSETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let launch = Instant::now();
        let app = harness::App::start(|_| {}).await.unwrap();
        let empty_start = launch.elapsed();
        app.stop().await;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.db");
        let t = Instant::now();
        {
            let db = register_core::Db::open(&path).unwrap();
            seed(&db, n);
        }
        let seeding = t.elapsed();
        let launch = Instant::now();
        let app = harness::App::start_on(&path).await.unwrap();
        app.click("a[data-nav='assets']").await.unwrap();
        app.wait_for("[data-view='assets'] tr[data-id]").await.unwrap();
        let to_list = launch.elapsed();

        // Let the start-up work (the background verify of the whole register) finish: this
        // measures typing in a settled window.
        app.wait_text("[data-integrity-badge]", "Verified").await.unwrap();
        let mut lat = Vec::new();
        let mut painted = Vec::new();
        for q in ["dell", "dell 1", "IT-0042", "SN0000", "person 01", "printer", "model 3", "zzzz", "lenovo", "IT-09"] {
            // Reset to the full list between probes.
            let v = app.client.execute_async(KEYSTROKE_PROBE, vec![serde_json::json!(q)]).await.unwrap();
            lat.push(v[0].as_f64().unwrap_or(-1.0));
            painted.push(v[1].as_f64().unwrap_or(-1.0));
            let _ = app.client.execute_async(KEYSTROKE_PROBE, vec![serde_json::json!("")]).await;
        }
        // The same searches as bare IPC round trips (no rendering): what the web view adds.
        let mut ipc = Vec::new();
        for q in ["dell", "dell 1", "IT-0042", "SN0000", "person 01", "printer", "model 3", "zzzz", "lenovo", "IT-09"] {
            let v = app.client.execute_async(IPC_PROBE, vec![serde_json::json!(q)]).await.unwrap();
            ipc.push(v.as_f64().unwrap_or(-1.0));
        }
        ipc.sort_by(|a, b| a.partial_cmp(b).unwrap());
        tokio::time::sleep(Duration::from_secs(5)).await;
        let (rss, names) = app_pid().map(tree_rss_kb).unwrap_or((0, vec![]));
        app.stop().await;

        lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
        painted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("register of {n} assets (seeded in {:.1} s)", seeding.as_secs_f64());
        println!("start to interactive Home, empty register     {:>7.0} ms", empty_start.as_secs_f64() * 1e3);
        println!("start to interactive Assets list, {n} assets {:>7.0} ms (WebDriver session included)", to_list.as_secs_f64() * 1e3);
        println!(
            "keystroke to updated results in the DOM        p50 {:.0} ms, max {:.0} ms over {} searches",
            lat[lat.len() / 2],
            lat[lat.len() - 1],
            lat.len()
        );
        println!(
            "keystroke to the next painted frame (Xvfb)     p50 {:.0} ms, max {:.0} ms",
            painted[painted.len() / 2],
            painted[painted.len() - 1]
        );
        println!(
            "list_assets round trip alone (IPC + query)     p50 {:.0} ms, max {:.0} ms",
            ipc[ipc.len() / 2],
            ipc[ipc.len() - 1]
        );
        println!("idle memory, all app processes                 {} MB ({})", rss / 1024, names.join(", "));
    });
}
