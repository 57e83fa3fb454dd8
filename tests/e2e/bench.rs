//! Benchmark of the real window (release build) over a 100,000-asset register: time from
//! launch to an interactive Assets list, keystroke-to-results latency of the search field, and
//! the idle memory of every process the app runs (the app and its WebKit helpers).
//!
//! Run: `xvfb-run -a cargo bench -p asset-register --bench app` (`BENCH_ASSETS=N` to change).

mod harness;

use std::time::{Duration, Instant};

use register_core::Source;

/// Milliseconds since the app process started, from /proc (10 ms resolution).
fn process_age_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = &stat[stat.rfind(')').map_or(0, |i| i + 2)..];
    // Field 22 (starttime, clock ticks since boot) is the 20th after the command name.
    let ticks: f64 = after
        .split(' ')
        .nth(19)
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.0);
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|u| u.split(' ').next().and_then(|x| x.parse().ok()))
        .unwrap_or(0.0);
    // USER_HZ, the unit of starttime, is 100 on every Linux architecture.
    (uptime - ticks / 100.0) * 1e3
}

/// How long after its process started the app showed `view` ready (`ready:<view>` mark).
async fn start_to_ready(app: &harness::App, view: &str) -> f64 {
    let mark = format!("ready:{view}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let v = app
            .client
            .execute(MARK_AGE, vec![serde_json::json!(mark)])
            .await
            .unwrap();
        if let Some(since_mark) = v.as_f64() {
            let age = harness::app_pid().map(process_age_ms).unwrap_or(f64::NAN);
            return age - since_mark;
        }
        assert!(Instant::now() < deadline, "{mark} never came");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// From a click on Assets in the sidebar to the list on screen, in the page's own clock.
const CLICK_TO_LIST: &str = r#"
const done = arguments[arguments.length - 1];
performance.clearMarks('ready:assets');
const t0 = performance.now();
document.querySelector("a[data-nav='assets']").click();
const poll = () => {
  const m = performance.getEntriesByName('ready:assets');
  if (m.length) done(m[0].startTime - t0);
  else if (performance.now() - t0 > 10000) done(-1);
  else setTimeout(poll, 2);
};
poll();
"#;

/// From asking for the 5-year monthly forecast (a hash change) to it on screen, in ms, and how
/// many periods and replacements it shows.
const FORECAST_PROBE: &str = r#"
const done = arguments[arguments.length - 1];
performance.clearMarks('ready:renewals');
const t0 = performance.now();
location.hash = '#/renewals?years=5&by=month';
const poll = () => {
  const m = performance.getEntriesByName('ready:renewals');
  if (m.length) {
    const sum = document.querySelector("[data-sum='replacements']");
    done([m[0].startTime - t0, document.querySelectorAll('[data-period]').length, sum ? sum.textContent : '']);
  }
  else if (performance.now() - t0 > 20000) done([-1, 0, '']);
  else setTimeout(poll, 2);
};
poll();
"#;

/// Milliseconds from `performance.mark(name)` to now, in the page.
const MARK_AGE: &str = r#"
const m = performance.getEntriesByName(arguments[0]);
return m.length ? performance.now() - m[0].startTime : null;
"#;

/// Types `arguments[0]` into the search field (one input event) and returns, in ms from then:
/// the count's text changed (results in the DOM), the next frame, and the list's own marks for
/// the request sent (`assets:asked`), the answer back (`answered`) and the rows filled (`shown`).
const KEYSTROKE_PROBE: &str = r#"
const input = document.querySelector('input[data-search]');
const done = arguments[arguments.length - 1];
const count = document.querySelector('[data-count]');
const since = (name, t0) => {
  const m = performance.getEntriesByName(name);
  return m.length && m[m.length - 1].startTime >= t0 ? m[m.length - 1].startTime - t0 : -1;
};
let t0 = 0;
const obs = new MutationObserver(() => {
  obs.disconnect();
  const dom = performance.now() - t0;
  requestAnimationFrame(() => done([dom, performance.now() - t0,
    since('assets:asked', t0), since('assets:answered', t0), since('assets:shown', t0)]));
});
obs.observe(count, { childList: true, characterData: true, subtree: true });
setTimeout(() => { obs.disconnect(); done([-1, -1, -1, -1, -1]); }, 5000);
t0 = performance.now();
input.value = arguments[0];
input.dispatchEvent(new Event('input', { bubbles: true }));
"#;

const IPC_PROBE: &str = r#"
const done = arguments[arguments.length - 1];
const t0 = performance.now();
window.__TAURI__.core.invoke('list_assets', { query: { search: arguments[0], limit: 50 } })
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
        let empty_session = launch.elapsed();
        let empty_home = start_to_ready(&app, "home").await;
        app.stop().await;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.db");
        let t = Instant::now();
        // BENCH_REGISTER=path benchmarks a copy of an existing register instead of seeding one.
        if let Some(existing) = std::env::var_os("BENCH_REGISTER") {
            std::fs::copy(existing, &path).unwrap();
        } else {
            let db = register_core::Db::open(&path).unwrap();
            harness::seed_bench(&db, n);
            // Replacement lives, so the forecast has tens of thousands of replacements to place.
            db.write(Source::Cli, |tx| {
                for (category, months) in [("Laptop", 48), ("Phone", 36), ("Monitor", 72), ("Printer", 60)] {
                    register_core::replacements::set_category_plan(tx, category, Some(months), None)?;
                }
                register_core::replacements::set_inflation(tx, "3")
            })
            .unwrap();
        }
        let seeding = t.elapsed();
        let launch = Instant::now();
        let app = harness::App::start_on(&path).await.unwrap();
        let home = start_to_ready(&app, "home").await;
        let click_to_list = app
            .client
            .execute_async(CLICK_TO_LIST, vec![])
            .await
            .unwrap()
            .as_f64()
            .unwrap_or(-1.0);
        app.wait_for("[data-view='assets'] tr[data-id]").await.unwrap();
        let to_list = launch.elapsed();

        // Let the start-up work (the background verify of the whole register) finish: this
        // measures typing in a settled window.
        // (A minute at most: on a loaded machine the 100k verify can outlast wait_text's 10 s.)
        let settled = Instant::now() + Duration::from_secs(60);
        while app.wait_text("[data-integrity-badge]", "Verified").await.is_err() {
            assert!(Instant::now() < settled, "the start-up verify never finished");
        }
        let mut lat = Vec::new();
        let mut painted = Vec::new();
        let mut ipc = Vec::new();
        const QUERIES: [&str; 10] = [
            "dell", "dell 1", "IT-0042", "SN0000", "person 01", "printer", "model 3", "zzzz",
            "lenovo", "IT-09",
        ];
        let mut per_query: Vec<(Vec<f64>, Vec<f64>)> = vec![(vec![], vec![]); QUERIES.len()];
        // Where each keystroke's time goes: to the request, the answer, the rows filled.
        let (mut to_ask, mut to_answer, mut to_fill) = (Vec::new(), Vec::new(), Vec::new());
        for _round in 0..3 {
            for (i, q) in QUERIES.iter().enumerate() {
                let v = app.client.execute_async(KEYSTROKE_PROBE, vec![serde_json::json!(q)]).await.unwrap();
                let dom = v[0].as_f64().unwrap_or(-1.0);
                lat.push(dom);
                painted.push(v[1].as_f64().unwrap_or(-1.0));
                let at = |i: usize| v[i].as_f64().unwrap_or(-1.0);
                if at(2) >= 0.0 && at(3) >= at(2) && at(4) >= at(3) {
                    to_ask.push(at(2));
                    to_answer.push(at(3) - at(2));
                    to_fill.push(at(4) - at(3));
                }
                per_query[i].0.push(dom);
                // Reset to the full list between probes.
                let _ = app.client.execute_async(KEYSTROKE_PROBE, vec![serde_json::json!("")]).await;
                // The same search as a bare IPC round trip (no rendering): what the web view adds.
                let v = app.client.execute_async(IPC_PROBE, vec![serde_json::json!(q)]).await.unwrap();
                let t = v.as_f64().unwrap_or(-1.0);
                ipc.push(t);
                per_query[i].1.push(t);
            }
        }
        for (q, (dom, ipc)) in QUERIES.iter().zip(&per_query) {
            let show = |v: &Vec<f64>| v.iter().map(|x| format!("{x:.0}")).collect::<Vec<_>>().join("/");
            println!("  {q:<10} to the DOM {:>12} ms   IPC alone {:>10} ms", show(dom), show(ipc));
        }
        ipc.sort_by(|a, b| a.partial_cmp(b).unwrap());
        // The 5-year forecast, by month, three times (each from a fresh hash change).
        let mut forecast = Vec::new();
        let mut forecast_shape = (0, String::new());
        for _ in 0..3 {
            let _ = app.client.execute("location.hash = '#/home'", vec![]).await;
            app.wait_for("[data-view='home']").await.unwrap();
            let v = app.client.execute_async(FORECAST_PROBE, vec![]).await.unwrap();
            forecast.push(v[0].as_f64().unwrap_or(-1.0));
            forecast_shape = (v[1].as_u64().unwrap_or(0), v[2].as_str().unwrap_or("").to_string());
        }
        let _ = app.client.execute("location.hash = '#/home'", vec![]).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        let procs = harness::app_memory();
        let rss: u64 = procs.iter().map(|p| p.2.rss).sum();
        let names: Vec<String> = procs.iter().map(|p| format!("{} {} MB", p.1, p.2.rss / 1024)).collect();
        app.stop().await;

        lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
        painted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("register of {n} assets (seeded in {:.1} s)", seeding.as_secs_f64());
        println!(
            "start to interactive Home, empty register       {empty_home:>6.0} ms after the process started ({:.0} ms with the WebDriver session)",
            empty_session.as_secs_f64() * 1e3
        );
        println!("start to interactive Home, {n} assets      {home:>6.0} ms after the process started");
        println!("click on Assets to the list on screen          {click_to_list:>6.0} ms");
        println!(
            "start to interactive Assets list               {:>6.0} ms (Home, then a click; {:.0} ms with the WebDriver session)",
            home + click_to_list,
            to_list.as_secs_f64() * 1e3
        );
        println!(
            "keystroke to updated results in the DOM        p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms over {} searches",
            lat[lat.len() / 2],
            lat[lat.len() * 95 / 100],
            lat[lat.len() - 1],
            lat.len()
        );
        let pct = |v: &mut Vec<f64>| {
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            if v.is_empty() {
                return "none measured".to_string();
            }
            format!("p50 {:.1}, p95 {:.1}, max {:.1} ms", v[v.len() / 2], v[v.len() * 95 / 100], v[v.len() - 1])
        };
        println!("  of which: input to request sent             {}", pct(&mut to_ask));
        println!("            request to answer (IPC + query)   {}", pct(&mut to_answer));
        println!("            answer to rows filled             {}", pct(&mut to_fill));
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
        println!(
            "5-year forecast by month to the screen         {} ms ({} periods, replacements {})",
            forecast.iter().map(|x| format!("{x:.0}")).collect::<Vec<_>>().join("/"),
            forecast_shape.0,
            forecast_shape.1
        );
        println!("idle memory, all app processes                 {} MB ({})", rss / 1024, names.join(", "));
    });
}
