//! Test helpers: a temporary register on disk, a runner for the real CLI binary, and the text of
//! a PDF. The e2e tests include this file too (`#[path = "../util.rs"]`), for `pdf_text`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use register_core::Db;

/// A register file in its own temporary folder, removed on drop.
pub struct TestDb {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TestDb {
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.db");
        TestDb { _dir: dir, path }
    }

    /// Opens the register in-process.
    pub fn open(&self) -> Db {
        Db::open(&self.path).unwrap()
    }

    /// Runs the CLI on this register.
    pub fn cli(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(cli_bin());
        cmd.arg("--db")
            .arg(&self.path)
            .args(args)
            .env_remove("ASSET_REGISTER_DB");
        cmd.output().unwrap()
    }

    /// Runs the CLI with `input` on its standard input.
    pub fn cli_with_stdin(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = Command::new(cli_bin())
            .arg("--db")
            .arg(&self.path)
            .args(args)
            .env_remove("ASSET_REGISTER_DB")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs the CLI and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs the CLI and asserts failure; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cli(args);
        assert!(
            !out.status.success(),
            "{args:?} should have failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    /// `--json` output parsed.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// The whole file's bytes plus its WAL, to prove a refusal changed nothing.
    pub fn snapshot(&self) -> Vec<(String, serde_json::Value)> {
        let out = self.json(&["list", "--json"]);
        let hist = self.json(&["history", "--json"]);
        vec![("assets".into(), out), ("history".into(), hist)]
    }
}

/// The CLI binary next to this test binary, built on first use if missing.
pub fn cli_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
        let bin = profile_dir.join(format!(
            "asset-register-cli{}",
            std::env::consts::EXE_SUFFIX
        ));
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args([
            "build",
            "--quiet",
            "-p",
            "asset-register-cli",
            "--bin",
            "asset-register-cli",
        ]);
        if release {
            cmd.arg("--release");
        }
        // Always ask cargo: it is a no-op when the binary is current, and never tests a stale one.
        let status = cmd
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success(), "building asset-register-cli failed");
        assert!(bin.exists(), "{} missing after build", bin.display());
        bin
    })
}

/// A path to a file in tests/fixtures.
#[allow(dead_code)]
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The text of a PDF, by `pdftotext` (poppler-utils), as a reader would copy it.
pub fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "{} is a PDF", path.display());
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The QR code printed on each label of a label PDF, as `(page, position, text)` with pages
/// and positions counted from 1 (positions across, then down). Each label is cut out of its
/// page by `pdftoppm` (poppler-utils) at 300 dpi and decoded alone by `zbarimg` (zbar-tools), as
/// a scanner reads one printed label; empty positions give nothing.
#[allow(dead_code)]
pub fn label_qr_codes(
    path: &Path,
    layout: register_core::report::LabelLayout,
) -> Vec<(usize, u32, String)> {
    let info = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo (poppler-utils) is installed");
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{} is a PDF", path.display()));
    let sheet = layout.sheet();
    let dpi = 300.0;
    let px = |mm: f32| ((mm / 25.4 * dpi).round() as i64).to_string();
    let dir = tempfile::tempdir().unwrap();
    let mut codes = Vec::new();
    for page in 1..=pages {
        for slot in 0..sheet.capacity() {
            let col = (slot % sheet.columns) as f32;
            let row = (slot / sheet.columns) as f32;
            let x = sheet.origin_mm.0 + col * sheet.pitch_mm.0;
            let y = sheet.origin_mm.1 + row * sheet.pitch_mm.1;
            let png = dir.path().join(format!("p{page}-{slot}"));
            let render = Command::new("pdftoppm")
                .args(["-r", "300", "-png", "-singlefile"])
                .args(["-f", &page.to_string(), "-l", &page.to_string()])
                .args(["-x", &px(x), "-y", &px(y)])
                .args(["-W", &px(sheet.label_mm.0), "-H", &px(sheet.label_mm.1)])
                .arg(path)
                .arg(&png)
                .status()
                .expect("pdftoppm (poppler-utils) is installed");
            assert!(render.success(), "pdftoppm failed on {}", path.display());
            let out = Command::new("zbarimg")
                .args(["-q", "--raw", "-Sdisable", "-Sqrcode.enable"])
                .arg(png.with_extension("png"))
                .output()
                .expect("zbarimg (zbar-tools) is installed");
            // zbarimg exits 4 when the image holds no code.
            assert!(
                out.status.success() || out.status.code() == Some(4),
                "zbarimg failed on page {page} position {}",
                slot + 1
            );
            for text in String::from_utf8(out.stdout).unwrap().lines() {
                codes.push((page, slot + 1, text.to_string()));
            }
        }
    }
    codes
}

/// Rewrites one member of a zip with Python's zipfile, as someone tampering with an evidence
/// pack would: `edit` is a Python expression over `data`, the member's bytes.
#[allow(dead_code)]
pub fn rewrite_member(zip: &Path, member: &str, edit: &str) {
    let code = format!(
        "import zipfile, sys
src = zipfile.ZipFile(sys.argv[1])
items = [(i, src.read(i.filename)) for i in src.infolist()]
src.close()
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as out:
    for info, data in items:
        if info.filename == {member:?}:
            data = {edit}
        out.writestr(info, data)
"
    );
    let ok = Command::new("python3")
        .args(["-c", &code])
        .arg(zip)
        .status()
        .unwrap()
        .success();
    assert!(ok, "rewriting {member} failed");
}
