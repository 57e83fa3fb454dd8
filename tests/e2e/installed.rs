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

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

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
    let s = Session::start(app, &home, &[]).await?;
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
    s.stop().await;
    closed(&db_path).await?;

    // Second start, on the register the first one made: the asset is listed, the sidebar says
    // the chain verifies. ASSET_REGISTER_E2E turns on the stand-in for an OS file drop only.
    let s = Session::start(app, &home, &[("ASSET_REGISTER_E2E", "1")]).await?;
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
    s.stop().await;
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

/// One run of the app under tauri-driver.
struct Session {
    client: Client,
    driver: Child,
}

impl Session {
    /// Starts tauri-driver with `HOME` at `home` and none of the variables that would point the
    /// app elsewhere, then the app through it.
    async fn start(app: &Path, home: &Path, env: &[(&str, &str)]) -> Res<Session> {
        let driver_bin = tauri_driver().ok_or("tauri-driver not found")?;
        let port = free_port();
        let mut cmd = Command::new(driver_bin);
        cmd.args(["--port", &port.to_string()])
            .args(["--native-port", &free_port().to_string()])
            .env("HOME", home)
            .env_remove("ASSET_REGISTER_DB")
            .env_remove("ASSET_REGISTER_E2E")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_CACHE_HOME")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Ok(native) = std::env::var("WEBKIT_WEBDRIVER") {
            cmd.args(["--native-driver", &native]);
        }
        let mut driver = cmd.spawn()?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                terminate(&mut driver);
                return Err("tauri-driver did not start listening".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": app }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = match ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => c,
            Err(e) => {
                terminate(&mut driver);
                return Err(e.into());
            }
        };
        let s = Session { client, driver };
        s.wait_for("[data-view], [data-unavailable]").await?;
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

    /// Closes the window (the app exits) and stops tauri-driver.
    async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        terminate(&mut self.driver);
    }

    async fn wait_for(&self, css: &str) -> Res<Element> {
        Ok(self
            .client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("waiting for {css}: {e}"))?)
    }

    async fn click(&self, css: &str) -> Res {
        self.wait_for(css)
            .await?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e}"))?;
        Ok(())
    }

    async fn fill(&self, css: &str, text: &str) -> Res {
        let el = self.wait_for(css).await?;
        el.clear().await?;
        el.send_keys(text)
            .await
            .map_err(|e| format!("type into {css}: {e}"))?;
        Ok(())
    }

    async fn text(&self, css: &str) -> Res<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    async fn goto(&self, hash: &str) -> Res {
        self.client
            .execute("location.hash = arguments[0]", vec![json!(hash)])
            .await?;
        Ok(())
    }

    /// Waits until `css`'s text contains `needle`.
    async fn wait_text(&self, css: &str, needle: &str) -> Res<String> {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return Ok(last);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("{css} never showed {needle:?}; last text: {last:?}").into())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        terminate(&mut self.driver);
    }
}

/// `$TAURI_DRIVER`, else `tauri-driver` on PATH or in ~/.cargo/bin (looked up before HOME moves).
fn tauri_driver() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return Some(p.into());
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("tauri-driver"))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// SIGTERM, so tauri-driver stops WebKitWebDriver and the app too; SIGKILL after 5 s.
fn terminate(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}
