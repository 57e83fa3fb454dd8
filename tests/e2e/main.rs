//! End-to-end tests: the real app binary in WebKitGTK, driven through WebDriver (tauri-driver +
//! WebKitWebDriver) under Xvfb. Each scenario gets a fresh register and clicks through a
//! feature the way a user would; screenshots of the main views land in tests/artifacts/.
//!
//! Run with `xvfb-run -a cargo test --test e2e` (the README's test command does this); name
//! scenarios, or parts of their names, to run only those (`cargo test --test e2e -- licences`).
//! Without a display this refuses to pass when `CI` is set, and says it skipped otherwise.
//!
//! Each scenario runs on its own: a failed assertion, a panic, an error or a timeout fails that
//! scenario only, and the others still run. The run ends with the names of the failed ones and
//! a line `N passed, N failed`, and exits non-zero if any failed.

mod harness;
mod scenarios;
#[path = "../util.rs"]
#[allow(dead_code)]
mod util;

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// Starts one scenario.
type Start = fn() -> Pin<Box<dyn Future<Output = harness::Res> + Send>>;

/// A scenario's name and what starts it.
type Scenario = (&'static str, Start);

/// Longer than any scenario takes on a loaded machine; beyond it the scenario is stopped.
const TIMEOUT: Duration = Duration::from_secs(120);

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let has_display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !has_display {
        if std::env::var_os("CI").is_some() {
            eprintln!("e2e: no display, and CI is set: run under xvfb-run (see README). Failing.");
            std::process::exit(1);
        }
        println!("e2e: skipped, no display (run: xvfb-run -a cargo test --test e2e)");
        return;
    }
    if harness::tauri_driver().is_none() {
        eprintln!("e2e: tauri-driver is missing: cargo install tauri-driver --locked");
        std::process::exit(1);
    }
    // Scenarios that run the CLI get it from `util::cli_bin`, which asks cargo to build it: done
    // here, before any scenario's clock starts, so a cold build never counts against one.
    util::cli_bin();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut passed = 0;
    let mut failed = Vec::new();
    for (name, start) in scenarios::ALL {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let started = Instant::now();
        match rt.block_on(run_isolated(*start)) {
            Ok(()) => {
                passed += 1;
                println!(
                    "test {name} ... ok ({:.1}s)",
                    started.elapsed().as_secs_f64()
                );
            }
            Err(why) => {
                failed.push(*name);
                println!("test {name} ... FAILED: {why}");
            }
        }
    }
    if !failed.is_empty() {
        println!("\nfailed:");
        for name in &failed {
            println!("    {name}");
        }
    }
    println!("\n{passed} passed, {} failed", failed.len());
    if !failed.is_empty() || passed == 0 {
        std::process::exit(1);
    }
}

/// Runs one scenario in its own task, so that a panic (a failed `assert!`) ends that task only;
/// a scenario past `TIMEOUT` is aborted. Either way its future is dropped, and with it its
/// `App`s, whose `Drop` stops tauri-driver and the window.
async fn run_isolated(start: Start) -> Result<(), String> {
    let mut task = tokio::spawn(start());
    match tokio::time::timeout(TIMEOUT, &mut task).await {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(e))) => Err(e.to_string()),
        Ok(Err(e)) if e.is_panic() => Err(panic_message(e.into_panic())),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => {
            task.abort();
            let _ = task.await;
            Err(format!("timed out after {} s", TIMEOUT.as_secs()))
        }
    }
}

/// The message of a panic, as `assert!` and `unwrap` give it.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => match payload.downcast::<&str>() {
            Ok(s) => s.to_string(),
            Err(_) => "panicked".into(),
        },
    }
}
