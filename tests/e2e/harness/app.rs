//! Starts the real app under WebDriver: `tauri-driver` in front of `WebKitWebDriver`, one fresh
//! register per scenario, and small helpers over fantoccini for finding, typing and screenshots.
//! Dropping an `App` stops its driver and window, so a scenario that fails midway leaves none
//! running.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Where screenshots go (ignored by git; CI keeps them as artifacts).
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where the app's "save" dialogs write during tests (WebDriver cannot drive native dialogs).
pub fn exports_dir() -> PathBuf {
    let dir = artifacts_dir().join("exports");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The file the app's "open" dialog answers with during tests.
pub fn open_file_path() -> PathBuf {
    artifacts_dir().join("e2e-open-file.csv")
}

/// Finds `tauri-driver`: $TAURI_DRIVER, PATH, then ~/.cargo/bin.
pub fn tauri_driver() -> Option<PathBuf> {
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

/// A tauri-driver command, found by [`tauri_driver`].
fn driver_command() -> Res<Command> {
    let bin =
        tauri_driver().ok_or("tauri-driver not found (cargo install tauri-driver --locked)")?;
    Ok(Command::new(bin))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One running app with its own register file.
pub struct App {
    pub client: Client,
    driver: Child,
    pub db_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl App {
    /// Starts the app on a fresh register, after `seed` has filled it (in-process, via the core).
    pub async fn start(seed: impl FnOnce(&register_core::Db)) -> Res<App> {
        Self::start_with(seed, &[]).await
    }

    /// Starts the app as [`App::start`] does, with extra environment variables (a locale, say).
    pub async fn start_with(
        seed: impl FnOnce(&register_core::Db),
        env: &[(&str, &str)],
    ) -> Res<App> {
        let dir = tempfile::tempdir()?;
        let db_path = dir.path().join("register.db");
        {
            let db = register_core::Db::open(&db_path)?;
            seed(&db);
        }
        Self::launch(db_path, dir, env).await
    }

    /// Starts the app on an existing register file.
    pub async fn start_on(path: &Path) -> Res<App> {
        Self::launch(path.to_path_buf(), tempfile::tempdir()?, &[]).await
    }

    /// Starts the app on an existing register file with extra environment variables.
    pub async fn start_on_with(path: &Path, env: &[(&str, &str)]) -> Res<App> {
        Self::launch(path.to_path_buf(), tempfile::tempdir()?, env).await
    }

    async fn launch(db_path: PathBuf, dir: tempfile::TempDir, env: &[(&str, &str)]) -> Res<App> {
        let mut cmd = driver_command()?;
        cmd.env("ASSET_REGISTER_DB", &db_path)
            // Enables the stand-in for OS file drops and answers save dialogs with exports_dir():
            // WebDriver can drive neither.
            .env("ASSET_REGISTER_E2E", "1")
            .env("ASSET_REGISTER_E2E_SAVE_DIR", exports_dir())
            .envs(env.iter().copied())
            // The import wizard's open dialog "chooses" this file (scenarios write it first).
            .env("ASSET_REGISTER_E2E_OPEN_FILE", open_file_path());
        let application = Path::new(env!("CARGO_BIN_EXE_asset-register"));
        Self::connect(cmd, application, db_path, dir).await
    }

    /// Starts an installed app (`application`) the way a person does: `HOME` at `home`, none
    /// of the variables that would point it at another register, plus `env`. Its register is
    /// the one in the OS data folder under that `HOME`.
    pub async fn start_installed(
        application: &Path,
        home: &Path,
        env: &[(&str, &str)],
    ) -> Res<App> {
        let mut cmd = driver_command()?;
        cmd.env("HOME", home)
            .env_remove("ASSET_REGISTER_DB")
            .env_remove("ASSET_REGISTER_E2E")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_CACHE_HOME")
            .envs(env.iter().copied());
        let db_path = home
            .join(".local/share")
            .join(register_core::db::APP_ID)
            .join("register.db");
        Self::connect(cmd, application, db_path, tempfile::tempdir()?).await
    }

    /// Starts `cmd` (tauri-driver) on free ports, then `application` through it, and waits for
    /// a view or the screen that says why the register could not be opened.
    async fn connect(
        mut cmd: Command,
        application: &Path,
        db_path: PathBuf,
        dir: tempfile::TempDir,
    ) -> Res<App> {
        let port = free_port();
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &free_port().to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        if let Ok(native) = std::env::var("WEBKIT_WEBDRIVER") {
            cmd.args(["--native-driver", &native]);
        }
        let driver = cmd.spawn()?;
        let mut guard = DriverGuard(Some(driver));
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("tauri-driver did not start listening".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": application }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&url)
            .await?;
        let app = App {
            client,
            driver: guard.0.take().unwrap(),
            db_path,
            _dir: dir,
        };
        app.wait_for("[data-view], [data-unavailable], [data-team-sign-in]")
            .await?;
        Ok(app)
    }

    /// Ends the session and stops tauri-driver with SIGTERM (it then stops WebKitWebDriver).
    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        terminate(&mut self.driver);
    }

    /// Waits up to 10 s for an element.
    pub async fn wait_for(&self, css: &str) -> Res<Element> {
        Ok(self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("waiting for {css}: {e}"))?)
    }

    /// Clicks an element.
    pub async fn click(&self, css: &str) -> Res {
        self.wait_for(css)
            .await?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e}"))?;
        Ok(())
    }

    /// Replaces an input's value by typing, as a user would.
    pub async fn fill(&self, css: &str, text: &str) -> Res {
        let el = self.wait_for(css).await?;
        el.clear().await.map_err(|e| format!("clear {css}: {e}"))?;
        if !text.is_empty() {
            el.send_keys(text)
                .await
                .map_err(|e| format!("type into {css}: {e}"))?;
        }
        Ok(())
    }

    /// The element's visible text.
    pub async fn text(&self, css: &str) -> Res<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// Waits until `css`'s text contains `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str) -> Res<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
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

    /// Waits until exactly `n` elements match.
    pub async fn wait_count(&self, css: &str, n: usize) -> Res {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = 0;
        while Instant::now() < deadline {
            last = self.client.find_all(Locator::Css(css)).await?.len();
            if last == n {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("expected {n} of {css}, found {last}").into())
    }

    /// Navigates inside the app.
    pub async fn goto(&self, hash: &str) -> Res {
        self.client
            .execute("location.hash = arguments[0]", vec![json!(hash)])
            .await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        Ok(())
    }

    /// Evaluates a script and returns its value.
    pub async fn eval(&self, script: &str) -> Res<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Saves a screenshot of the window under tests/artifacts.
    pub async fn screenshot(&self, name: &str) -> Res {
        // Let the last DOM change paint first.
        tokio::time::sleep(Duration::from_millis(300)).await;
        // WebKitWebDriver takes the picture at the page's next paint. Without accelerated
        // compositing (how the app runs on Linux, see src-tauri/src/webview.rs) an idle page
        // does not paint again, and the screenshot would wait for ever: a mark of one pixel in a
        // corner, all but transparent, flickers until the picture is taken.
        self.client.execute(PAINT_UNTIL_SHOT, vec![]).await?;
        let png = self.client.screenshot().await;
        self.client
            .execute("window.__shot?.remove(); return true", vec![])
            .await?;
        std::fs::write(artifacts_dir().join(format!("{name}.png")), png?)?;
        Ok(())
    }
}

/// Keeps the page painting (see [`App::screenshot`]) until `window.__shot` is removed.
const PAINT_UNTIL_SHOT: &str = "
    const mark = document.createElement('div');
    mark.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;'
      + 'pointer-events:none;z-index:2147483647;background:#000;opacity:0.01';
    document.documentElement.append(mark);
    window.__shot = mark;
    let n = 0;
    const flicker = () => {
      if (!mark.isConnected) return;
      mark.style.opacity = ++n % 2 ? '0.02' : '0.01';
      setTimeout(flicker, 40);
    };
    setTimeout(flicker, 10);
    return true;
";

struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(c) = &mut self.0 {
            terminate(c);
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        terminate(&mut self.driver);
    }
}

fn terminate(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    // The processes under tauri-driver (WebKitWebDriver, the app, WebKit's helpers), taken
    // before they are told to stop: the driver can exit before the app has, and an app still
    // shutting down still holds its register's lock, so a scenario that opens the register again
    // at once would find it "already open in another window".
    let under: Vec<u32> = super::procs::process_tree(child.id())
        .into_iter()
        .skip(1)
        .map(|(pid, _)| pid)
        .collect();
    // SIGTERM lets tauri-driver stop WebKitWebDriver and the app too; SIGKILL would orphan them.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut exited = false;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            exited = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if !exited {
        let _ = child.kill();
        let _ = child.wait();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while under.iter().any(|&pid| running(pid)) {
        if Instant::now() > deadline {
            for pid in under.iter().filter(|&&pid| running(pid)) {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// True while `pid` exists and is not a zombie (a zombie has released its files and locks).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|close| stat[close + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}
