//! The installed app's first run, end to end: the binary a package put on the system
//! (`$ASSET_REGISTER_APP`, default /usr/bin/asset-register), started through tauri-driver the
//! way a person starts it, with `HOME` at an empty folder (`$ASSET_REGISTER_HOME`, else a new
//! temporary one) and no `ASSET_REGISTER_DB`:
//! - the first start creates the register in the OS data folder and shows the empty state;
//! - an asset added through the form is there after a restart, and the chain verifies;
//! - a document dropped on it lands beside the register.
//!
//! `.ci/installed` builds and installs the .deb, runs this, then checks what the package put on
//! the system and that removing it leaves the register alone. It prints the register's folder
//! last (`register-dir: PATH`) for that check.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::json;

#[path = "harness/mod.rs"]
mod harness;

use harness::{App, Res};

fn main() {
    let app = std::env::var_os("ASSET_REGISTER_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/asset-register".into());
    if !app.is_file() {
        if std::env::var_os("CI").is_some() {
            eprintln!(
                "installed: {} is missing and CI is set. Failing.",
                app.display()
            );
            std::process::exit(1);
        }
        println!(
            "installed: skipped, {} is not installed (see .ci/installed)",
            app.display()
        );
        return;
    }
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !display {
        eprintln!("installed: no display: run under xvfb-run. Failing.");
        std::process::exit(1);
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let started = Instant::now();
    let result = rt
        .block_on(async { tokio::time::timeout(Duration::from_secs(180), first_run(&app)).await });
    let name = "installed_app_first_run_keeps_an_asset_across_restarts";
    let failed = match result {
        Ok(Ok(dir)) => {
            println!(
                "test {name} ... ok ({:.1}s)",
                started.elapsed().as_secs_f64()
            );
            println!("register-dir: {}", dir.display());
            0
        }
        Ok(Err(e)) => {
            println!("test {name} ... FAILED: {e}");
            1
        }
        Err(_) => {
            println!("test {name} ... FAILED: timed out");
            1
        }
    };
    println!("\ninstalled: {} passed, {failed} failed", 1 - failed);
    std::process::exit(failed);
}

/// The scenario. Returns the folder that holds the register.
async fn first_run(app: &Path) -> Res<PathBuf> {
    let (home, _keep) = match std::env::var_os("ASSET_REGISTER_HOME") {
        Some(h) => (PathBuf::from(h), None),
        None => {
            let t = tempfile::tempdir()?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    std::fs::create_dir_all(&home)?;
    if std::fs::read_dir(&home)?.next().is_some() {
        return Err(format!(
            "{} is not empty: a first run needs a fresh HOME",
            home.display()
        )
        .into());
    }
    let dir = home.join(".local/share").join(register_core::db::APP_ID);
    let db_path = dir.join("register.db");

    // First start: no register yet. The app makes one and teaches the empty state.
    let s = start(app, &home, &[]).await?;
    s.wait_for("[data-view='home']").await?;
    if !db_path.is_file() {
        return Err(format!("the first start made no register at {}", db_path.display()).into());
    }
    s.click("a[data-nav='assets']").await?;
    s.wait_for("[data-view='assets'] [data-empty]").await?;
    s.click("[data-action='new-asset']").await?;
    let form = "form[data-asset-form]";
    s.fill(&format!("{form} [name='name']"), "ThinkPad X1 Carbon")
        .await?;
    s.fill(&format!("{form} [name='category']"), "Laptop")
        .await?;
    s.fill(&format!("{form} [name='serial_number']"), "PF4ABC12")
        .await?;
    s.click(&format!("{form} [data-action='save']")).await?;
    s.wait_text(
        "[data-view='asset-detail'] [data-asset-title]",
        "ThinkPad X1 Carbon",
    )
    .await?;
    close_window(s).await;
    closed(&db_path).await?;

    // Second start, on the register the first one made: the asset is listed, the sidebar says
    // the chain verifies. ASSET_REGISTER_E2E turns on the stand-in for an OS file drop only.
    let s = start(app, &home, &[("ASSET_REGISTER_E2E", "1")]).await?;
    s.wait_text("[data-integrity-badge][data-state='ok']", "Verified")
        .await?;
    s.click("a[data-nav='assets']").await?;
    s.wait_text("[data-view='assets']", "ThinkPad X1 Carbon")
        .await?;
    s.goto("#/assets/1").await?;
    s.wait_text("[data-view='asset-detail'] [data-asset-title]", "IT-0001")
        .await?;
    let receipt = home.join("Lenovo receipt.pdf");
    std::fs::write(
        &receipt,
        b"%PDF-1.4\n% Lenovo receipt\ntrailer << >>\n%%EOF\n",
    )?;
    let dropped = s
        .client
        .execute_async(
            "window.__TAURI__.core.invoke('e2e_drop_files', {paths: arguments[0], x: innerWidth / 2, y: innerHeight / 2})
               .then(() => arguments[1](null), (e) => arguments[1](String((e && e.message) || e)))",
            vec![json!([receipt.display().to_string()])],
        )
        .await?;
    if !dropped.is_null() {
        return Err(format!("the drop stand-in refused: {dropped}").into());
    }
    s.wait_text("[data-toast]", "Attached").await?;
    close_window(s).await;
    closed(&db_path).await?;
    std::fs::remove_file(&receipt)?;

    // What the window showed, checked in the file itself.
    let db = register_core::Db::open(&db_path)?;
    let asset = db.read(|c| register_core::assets::find_asset(c, "IT-0001"))?;
    if asset.serial_number.as_deref() != Some("PF4ABC12") {
        return Err(format!("IT-0001 has serial {:?}", asset.serial_number).into());
    }
    let v = db.read(register_core::audit::verify)?;
    if !v.ok {
        return Err("the register's chain does not verify".into());
    }
    let docs = db.read(|c| {
        register_core::documents::documents_of(c, register_core::documents::Owner::Asset(asset.id))
    })?;
    if docs.len() != 1 {
        return Err(format!("IT-0001 has {} documents, not 1", docs.len()).into());
    }
    Ok(dir)
}

/// Closes the window as a person does: a close request, as the title bar's button makes (the app
/// may ask about unsaved changes first; here there are none), then ends the WebDriver session.
/// Ending the session alone can leave the app waiting on a window the driver took away.
async fn close_window(s: App) {
    let _ = s
        .client
        .execute(
            "window.__TAURI__.window.getCurrentWindow().close(); return true;",
            vec![],
        )
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    s.stop().await;
}

/// Waits until the app that had the register open has exited (its claim on it is gone).
async fn closed(db_path: &Path) -> Res {
    let deadline = Instant::now() + Duration::from_secs(15);
    while register_core::lock::RegisterLock::is_held(db_path) {
        if Instant::now() > deadline {
            return Err("the app still holds the register 15 s after its window closed".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Starts the installed app on `home`; an app that could not open its register is an error.
async fn start(app: &Path, home: &Path, env: &[(&str, &str)]) -> Res<App> {
    let s = App::start_installed(app, home, env).await?;
    if s.client
        .find(Locator::Css("[data-unavailable]"))
        .await
        .is_ok()
    {
        let why = s.text("[data-unavailable]").await.unwrap_or_default();
        return Err(format!("the app could not open its register: {why}").into());
    }
    Ok(s)
}
