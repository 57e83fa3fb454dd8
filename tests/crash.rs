//! Crash safety, tested by breaking things on purpose: a long write (a CSV import, a burst of
//! edits, attaching large documents) runs in a child process that is SIGKILLed at a random moment; the reopened register
//! must pass `verify` (integrity check + audit chain), hold the import entirely or not at all,
//! and keep every change that was reported committed.
//!
//! `CRASH_KILLS=N` sets the number of kills per scenario (default 10; the README's soak runs
//! 1,000).

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{cli_bin, TestDb};

fn kills() -> usize {
    std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
}

/// A small time-seeded generator: each run kills at different moments.
struct Lcg(u64);
impl Lcg {
    fn new() -> Lcg {
        Lcg(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64)
    }
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn big_csv(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let mut s = String::from("Asset Tag,Name,Serial,Purchase Cost,Assigned To\n");
    for i in 0..rows {
        s.push_str(&format!(
            "CR-{i:05},Laptop {i},SN{i:07},{}.00,Person {}\n",
            500 + i % 900,
            i % 50
        ));
    }
    let p = dir.join("big.csv");
    std::fs::write(&p, s).unwrap();
    p
}

/// Runs the CLI with `args` and SIGKILLs it after `after` (or reaps it if it ended sooner).
fn run_and_kill<S: AsRef<std::ffi::OsStr>>(args: &[S], after: std::time::Duration) {
    let mut child = Command::new(cli_bin())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

fn verify_ok(db: &TestDb) -> serde_json::Value {
    let out = db.cli(&["verify", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert!(
        out.status.success() && v["ok"] == true,
        "verify after a kill: {v}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(v["integrity"], "ok");
    v
}

/// The register's indexes and triggers, by name.
fn schema_objects(db: &TestDb) -> String {
    let conn = register_core::Connection::open(&db.path).unwrap();
    conn.query_row(
        "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master
         WHERE type IN ('index', 'trigger') ORDER BY name)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn an_import_killed_at_any_moment_is_all_or_nothing() {
    // More rows than the importer's bulk threshold, so the kills also land while it has the
    // secondary indexes and search triggers dropped (inside its transaction).
    const ROWS: usize = 2500;
    let mut rng = Lcg::new();
    // How long an undisturbed import takes, to spread the kills over it.
    let probe = TestDb::new();
    let csv = big_csv(probe.path.parent().unwrap(), ROWS);
    let t = Instant::now();
    probe.ok(&["import", csv.to_str().unwrap()]);
    let full = t.elapsed();
    let (mut none, mut all) = (0, 0);
    for _ in 0..kills() {
        let db = TestDb::new();
        db.ok(&["init"]);
        let csv = big_csv(db.path.parent().unwrap(), ROWS);
        let args = [
            "--db",
            db.path.to_str().unwrap(),
            "import",
            csv.to_str().unwrap(),
        ];
        run_and_kill(&args, full.mul_f64(rng.unit() * 1.1));
        verify_ok(&db);
        assert_eq!(
            schema_objects(&db),
            schema_objects(&probe),
            "indexes and triggers intact"
        );
        let n = db.json(&["list", "--json"]).as_array().unwrap().len();
        assert!(
            n == 0 || n == ROWS,
            "a killed import left {n} of {ROWS} assets"
        );
        if n == 0 {
            none += 1
        } else {
            all += 1
        }
    }
    eprintln!("import kills: {none} left nothing, {all} had committed");
}

#[test]
fn no_reported_edit_is_lost_when_killed() {
    let mut rng = Lcg::new();
    for _ in 0..kills() {
        let db = TestDb::new();
        db.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
        // A burst of edits in one shell; each prints "ok N" only after its commit returned.
        let script = format!(
            "for i in $(seq 1 400); do \"{}\" --db \"{}\" edit IT-0001 --notes \"edit $i\" >/dev/null && echo \"ok $i\"; done",
            cli_bin().display(),
            db.path.display()
        );
        // Its own process group, so one signal stops the shell and the CLI it runs together:
        // killing them one by one would let the shell start another edit in between.
        let mut child = Command::new("bash")
            .args(["-c", &script])
            .stdout(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ok ").and_then(|n| n.parse::<u32>().ok()))
                .last()
        });
        std::thread::sleep(Duration::from_millis(200 + (rng.unit() * 1500.0) as u64));
        // Kill the whole burst at once: the shell and the CLI process it is running.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status();
        child.wait().unwrap();
        let last_reported = reader.join().unwrap().unwrap_or(0);
        verify_ok(&db);
        let notes = db.json(&["show", "IT-0001", "--json"])["notes"]
            .as_str()
            .unwrap_or("edit 0")
            .to_string();
        let stored: u32 = notes.trim_start_matches("edit ").parse().unwrap_or(0);
        assert!(
            stored == last_reported || stored == last_reported + 1,
            "reported edit {last_reported} committed, but the register holds edit {stored}"
        );
    }
}

#[test]
fn an_attach_killed_at_any_moment_leaves_no_row_without_its_bytes() {
    // Three 8 MB documents in one command: long enough to be killed while copying, syncing or
    // committing any of them.
    let mut rng = Lcg::new();
    let probe = TestDb::new();
    let dir = probe.path.parent().unwrap().to_path_buf();
    let files: Vec<std::path::PathBuf> = (0..3)
        .map(|i| {
            let p = dir.join(format!("scan-{i}.pdf"));
            let mut bytes = b"%PDF-1.4\n".to_vec();
            bytes.extend((0..8 * 1024 * 1024).map(|j: usize| ((j * 31 + i * 7) % 251) as u8));
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect();
    let attach_args = |db: &TestDb| {
        let mut a = vec![
            "--db".to_string(),
            db.path.to_string_lossy().into_owned(),
            "attach".into(),
            "IT-0001".into(),
        ];
        a.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
        a
    };
    probe.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
    let t = Instant::now();
    let out = Command::new(cli_bin())
        .args(attach_args(&probe))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = t.elapsed();
    let (mut none, mut all) = (0, 0);
    for _ in 0..kills() {
        let db = TestDb::new();
        db.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
        run_and_kill(&attach_args(&db), full.mul_f64(rng.unit() * 1.1));
        // verify re-hashes every stored document: a row whose bytes are missing or short fails.
        verify_ok(&db);
        // Each file is attached in its own transaction, in order: the rows are the first n
        // files, each complete (verify above), never a partial one.
        let docs = db.json(&["documents", "IT-0001", "--json"]);
        let mut names: Vec<String> = docs
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        let n = names.len();
        let expected: Vec<String> = (0..n).map(|i| format!("scan-{i}.pdf")).collect();
        assert_eq!(names, expected, "attached in order, whole files only");
        for d in docs.as_array().unwrap() {
            assert_eq!(d["size"], 8 * 1024 * 1024 + 9, "{d}");
        }
        if n == 0 {
            none += 1
        } else {
            all += 1
        }
    }
    eprintln!("attach kills: {none} left nothing, {all} had attached one or more");
}

#[test]
fn a_restore_killed_at_any_moment_leaves_the_old_register_or_the_restored_one() {
    // A pause before each rename (a test hook) stretches the swap, so kills land between its
    // steps as well as while the archive is read and checked.
    const PAUSE: (&str, &str) = ("ASSET_REGISTER_RESTORE_STEP_PAUSE_MS", "30");
    let mut rng = Lcg::new();
    let setup = |db: &TestDb| -> std::path::PathBuf {
        let dir = db.path.parent().unwrap().to_path_buf();
        let receipt = dir.join("receipt.pdf");
        std::fs::write(&receipt, b"%PDF-1.4 receipt").unwrap();
        db.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
        db.ok(&["add", "--tag", "IT-0002", "--name", "Phone"]);
        db.ok(&["attach", "IT-0001", receipt.to_str().unwrap()]);
        let archive = dir.join("backup.tar");
        db.ok(&["backup", "--out", archive.to_str().unwrap()]);
        db.ok(&["add", "--tag", "IT-0003", "--name", "Made after the backup"]);
        archive
    };
    let tags = |db: &TestDb| -> Vec<String> {
        let list = db.json(&["list", "--json"]);
        let mut t: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["asset_tag"].as_str().unwrap().to_string())
            .collect();
        t.sort();
        t
    };
    let restore = |db: &TestDb, archive: &std::path::Path| {
        let mut cmd = Command::new(cli_bin());
        cmd.args(["--db", db.path.to_str().unwrap(), "restore"])
            .arg(archive)
            .env(PAUSE.0, PAUSE.1)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    };
    let probe = TestDb::new();
    let archive = setup(&probe);
    let t = Instant::now();
    assert!(restore(&probe, &archive).status().unwrap().success());
    let full = t.elapsed();
    assert_eq!(tags(&probe), ["IT-0001", "IT-0002"]);

    let (mut old, mut restored) = (0, 0);
    for _ in 0..kills() {
        let db = TestDb::new();
        let archive = setup(&db);
        let mut child = restore(&db, &archive).spawn().unwrap();
        std::thread::sleep(full.mul_f64(rng.unit() * 1.1));
        child.kill().unwrap();
        child.wait().unwrap();
        // The next command opens the register: an interrupted restore is undone first.
        let now = tags(&db);
        if now.len() == 3 {
            old += 1;
        } else {
            assert_eq!(
                now,
                ["IT-0001", "IT-0002"],
                "the old register or the restored one"
            );
            restored += 1;
        }
        // Whole: the chain verifies and the receipt's bytes are there.
        verify_ok(&db);
        let docs = db.json(&["documents", "IT-0001", "--json"]);
        assert_eq!(docs.as_array().unwrap().len(), 1, "{docs}");
        let folder = db.path.parent().unwrap();
        let left: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("restore-journal"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
    eprintln!("restore kills: {old} left the old register, {restored} the restored one");
}
