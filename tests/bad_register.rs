//! Opening a register that is not fine: a read-only file or folder, a damaged file, a file that
//! is not a register, and a register another window has open. Each gets a clear message and a
//! safe outcome (read-only mode, or refuse) and leaves the file as it was. (A full disk and a
//! newer schema are covered in `db.rs` and `cli.rs`.)

#[cfg(unix)]
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::process::Command;
use std::process::Output;

#[cfg(unix)]
use crate::util::cli_bin;
use crate::util::TestDb;

#[cfg(unix)]
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[cfg(unix)]
fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// What cannot be written. Root ignores permissions, so as root the CLI runs as `nobody`
/// (setpriv) on files owned by root; as anyone else the permission bits alone do it.
#[cfg(unix)]
#[derive(Clone, Copy)]
enum ReadOnly {
    File,
    Folder,
}

/// A register with two assets, made read-only in the way asked; runs the CLI as a reader.
#[cfg(unix)]
struct Locked {
    db: TestDb,
    dir: PathBuf,
    bin: PathBuf,
    root: bool,
}

#[cfg(unix)]
impl Locked {
    fn new(what: ReadOnly) -> Locked {
        let db = TestDb::new();
        db.ok(&["add", "--tag", "IT-0001", "--name", "Dell Latitude 5440"]);
        db.ok(&["add", "--tag", "IT-0002", "--name", "MacBook Air 13"]);
        let dir = db.path.parent().unwrap().to_path_buf();
        let root = is_root();
        // `nobody` may not be able to reach the build folder: give it its own copy of the CLI.
        let bin = dir.join("asset-register-cli");
        std::fs::copy(cli_bin(), &bin).unwrap();
        chmod(&bin, 0o755);
        match (what, root) {
            (ReadOnly::File, true) => {
                chmod(&dir, 0o777);
                chmod(&db.path, 0o644);
            }
            (ReadOnly::Folder, true) => {
                chmod(&dir, 0o755);
                chmod(&db.path, 0o666);
            }
            (ReadOnly::File, false) => chmod(&db.path, 0o444),
            (ReadOnly::Folder, false) => chmod(&dir, 0o555),
        }
        Locked { db, dir, bin, root }
    }

    fn cli(&self, path: &Path, args: &[&str]) -> Output {
        let mut cmd = if self.root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&self.bin);
            c
        } else {
            Command::new(&self.bin)
        };
        cmd.arg("--db")
            .arg(path)
            .args(args)
            .env_remove("ASSET_REGISTER_DB")
            .env("HOME", &self.dir)
            .output()
            .unwrap()
    }
}

#[cfg(unix)]
impl Drop for Locked {
    fn drop(&mut self) {
        chmod(&self.dir, 0o755);
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The register file's bytes (hashed) and the names of the other files beside it, apart from
/// SQLite's own `-wal`/`-shm` (a reader may create those).
#[cfg(unix)]
fn state_of(dir: &Path) -> (u64, Vec<String>) {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::fs::read(dir.join("register.db"))
        .unwrap_or_default()
        .hash(&mut h);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "asset-register-cli" && !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect();
    names.sort();
    (h.finish(), names)
}

#[cfg(unix)]
fn opens_read_only(what: ReadOnly, reason: &str) {
    let l = Locked::new(what);
    let before = state_of(&l.dir);
    let list = l.cli(&l.db.path, &["list"]);
    assert!(list.status.success(), "list: {}", text(&list));
    assert!(text(&list).contains("MacBook Air 13"), "{}", text(&list));
    let verify = l.cli(&l.db.path, &["verify"]);
    assert!(verify.status.success(), "verify: {}", text(&verify));
    let add = l.cli(&l.db.path, &["add", "--tag", "IT-0003", "--name", "New"]);
    assert!(!add.status.success());
    let msg = text(&add);
    assert!(
        msg.contains(&format!("open read-only ({reason}); nothing was changed")),
        "{msg}"
    );
    assert!(!msg.contains("SQL"), "{msg}");
    assert_eq!(
        state_of(&l.dir),
        before,
        "the register is exactly as it was, nothing added beside it"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_register_file_opens_read_only() {
    opens_read_only(ReadOnly::File, "the file is read-only");
}

#[cfg(unix)]
#[test]
fn a_register_in_a_read_only_folder_opens_read_only() {
    opens_read_only(ReadOnly::Folder, "its folder is read-only");
}

#[cfg(unix)]
#[test]
fn a_new_register_in_a_read_only_folder_is_refused_clearly() {
    let l = Locked::new(ReadOnly::Folder);
    let before = state_of(&l.dir);
    let out = l.cli(&l.dir.join("new.db"), &["list"]);
    assert!(!out.status.success());
    let msg = text(&out);
    assert!(msg.contains("new.db"), "{msg}");
    assert!(msg.contains("cannot be"), "{msg}");
    assert_eq!(
        state_of(&l.dir),
        before,
        "no half-made register left behind"
    );
}

#[test]
fn a_damaged_register_says_so_and_is_not_changed_further() {
    let db = TestDb::new();
    for i in 0..300 {
        let tag = format!("IT-{i:04}");
        db.ok(&[
            "add",
            "--tag",
            &tag,
            "--name",
            &format!("Laptop {i} {}", "x".repeat(100)),
        ]);
    }
    // Scribble over the middle of the file, leaving the header intact.
    let mut bytes = std::fs::read(&db.path).unwrap();
    let page = 4096;
    for b in &mut bytes[page * 3..page * 12] {
        *b = 0xA5;
    }
    std::fs::write(&db.path, &bytes).unwrap();
    let damaged = std::fs::read(&db.path).unwrap();
    let verify = db.cli(&["verify"]);
    assert!(
        !verify.status.success(),
        "verify must fail on a damaged file"
    );
    let list = db.cli(&["list"]);
    let add = db.cli(&["add", "--tag", "IT-9999", "--name", "x"]);
    for out in [&list, &add] {
        if out.status.success() {
            continue; // that page may have survived; the failing ones must say why
        }
        let msg = text(out);
        assert!(
            msg.contains("damaged") || msg.contains("malformed"),
            "unclear message: {msg}"
        );
        assert!(!msg.contains("panicked"), "{msg}");
    }
    assert!(
        !list.status.success() || !add.status.success() || !verify.status.success(),
        "the damage went unnoticed"
    );
    assert_eq!(
        std::fs::read(&db.path).unwrap().len(),
        damaged.len(),
        "nothing appended to a damaged file"
    );
}

#[test]
fn restore_refuses_while_a_window_has_the_register_open() {
    let db = TestDb::new();
    db.ok(&["add", "--tag", "IT-0001", "--name", "Dell"]);
    let archive = db.path.parent().unwrap().join("b.tar");
    db.ok(&["backup", "--out", archive.to_str().unwrap()]);
    db.ok(&["add", "--tag", "IT-0002", "--name", "Later"]);
    let lock = register_core::lock::RegisterLock::acquire(&db.path).unwrap();
    let msg = db.fails(&["restore", archive.to_str().unwrap()]);
    assert!(
        msg.contains("already open in another Asset Register window"),
        "{msg}"
    );
    assert!(db.ok(&["list"]).contains("Later"), "register not replaced");
    drop(lock);
    db.ok(&["restore", archive.to_str().unwrap()]);
    assert!(!db.ok(&["list"]).contains("Later"));
}
