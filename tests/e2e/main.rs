//! End-to-end tests: the real app binary in WebKitGTK, driven through WebDriver (tauri-driver +
//! WebKitWebDriver) under Xvfb. Each scenario gets a fresh register and clicks through a
//! feature the way a user would; screenshots of the main views land in tests/artifacts/.
//!
//! Run with `xvfb-run -a cargo test --test e2e` (the README's test command does this). Without a
//! display this refuses to pass when `CI` is set, and says it skipped otherwise.

mod harness;
mod scenarios;

use std::future::Future;
use std::pin::Pin;

type Scenario = (
    &'static str,
    fn() -> Pin<Box<dyn Future<Output = harness::Res> + Send>>,
);

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
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (mut passed, mut failed) = (0, 0);
    for (name, f) in scenarios::ALL {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let started = std::time::Instant::now();
        let result = rt.block_on(async {
            tokio::time::timeout(std::time::Duration::from_secs(120), f()).await
        });
        match result {
            Ok(Ok(())) => {
                passed += 1;
                println!(
                    "test {name} ... ok ({:.1}s)",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(Err(e)) => {
                failed += 1;
                println!("test {name} ... FAILED: {e}");
            }
            Err(_) => {
                failed += 1;
                println!("test {name} ... FAILED: timed out");
            }
        }
    }
    println!("\ne2e: {passed} passed, {failed} failed");
    if failed > 0 || passed == 0 {
        std::process::exit(1);
    }
}
