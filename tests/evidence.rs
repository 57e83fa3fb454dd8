//! Disposal records and the evidence pack through the CLI, as a user and an auditor use them:
//! `dispose` with a certificate, `audit-pack`, `verify-pack` on the pack and on tampered
//! copies, `sha256sum -c` on the unzipped pack, and the README's Python chain check.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{pdf_text, rewrite_member, TestDb};

/// The README's chain-check script, written out beside `dir`.
fn readme_script(dir: &Path) -> PathBuf {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- chain-check.py -->")
        .expect("the README has the script");
    let block = &readme[start..];
    let code_start = block.find("```python\n").unwrap() + "```python\n".len();
    let code_end = block[code_start..].find("```").unwrap();
    let path = dir.join("chain-check.py");
    std::fs::write(&path, &block[code_start..code_start + code_end]).unwrap();
    path
}

fn python(script: &Path, arg: &Path) -> (bool, String) {
    let out = Command::new("python3")
        .arg(script)
        .arg(arg)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn setup() -> (TestDb, tempfile::TempDir) {
    let t = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    for (tag, name) in [
        ("IT-0001", "Dell Latitude 5440"),
        ("IT-0002", "Chloë’s MacBook"),
        ("IT-0003", "Old printer"),
    ] {
        t.ok(&[
            "add",
            "--tag",
            tag,
            "--name",
            name,
            "--purchase-date",
            "2021-03-01",
        ]);
    }
    let receipt = dir.path().join("receipt.pdf");
    std::fs::write(&receipt, b"%PDF-1.4 receipt").unwrap();
    t.ok(&["attach", "IT-0001", receipt.to_str().unwrap()]);
    let cert = dir.path().join("wipe certificate.pdf");
    std::fs::write(&cert, b"%PDF-1.4 certificate of destruction").unwrap();
    let out = t.ok(&[
        "dispose",
        "IT-0002",
        "--method",
        "returned-to-lessor",
        "--to",
        "Leasing Co",
        "--wipe-method",
        "NIST 800-88 purge",
        "--wiped-by",
        "Sam",
        "--certificate-number",
        "C-118",
        "--certificate",
        cert.to_str().unwrap(),
        "--date",
        "2025-06-30",
    ]);
    assert!(
        out.contains("IT-0002: returned to lessor on 2025-06-30 to Leasing Co"),
        "{out}"
    );
    t.ok(&["status", "IT-0003", "retired"]);
    (t, dir)
}

#[test]
fn dispose_records_retires_and_is_in_the_history_and_open_items() {
    let (t, _dir) = setup();
    let show = t.json(&["show", "IT-0002", "--json"]);
    assert_eq!(show["status"], "retired");
    let history = t.ok(&["history", "IT-0002"]);
    assert!(history.contains("disposed"), "{history}");
    let list = t.json(&["disposals", "--json"]);
    assert_eq!(list["disposals"][0]["method"], "returned_to_lessor");
    assert_eq!(
        list["disposals"][0]["certificate"]["name"],
        "wipe certificate.pdf"
    );
    assert_eq!(list["retired_without_disposal"][0]["asset_tag"], "IT-0003");
    // The dossier shows the record; a retired asset without one says so.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("d.pdf");
    t.ok(&["dossier", "IT-0002", "--out", pdf.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Returned to lessor") && text.contains("C-118"),
        "{text}"
    );
    assert!(text.contains("Disposal recorded"), "{text}");
    t.ok(&["dossier", "IT-0003", "--out", pdf.to_str().unwrap()]);
    assert!(pdf_text(&pdf).contains("Retired without a disposal record"));
    // Bad input: a clear message and nothing changed.
    let before = t.snapshot();
    let err = t.fails(&["dispose", "IT-0001", "--method", "burned"]);
    assert!(
        err.contains("not a disposal method") && err.contains("--method"),
        "{err}"
    );
    let err = t.fails(&[
        "dispose",
        "IT-0001",
        "--method",
        "sold",
        "--date",
        "2020-01-01",
    ]);
    assert!(err.contains("before the asset was bought"), "{err}");
    let err = t.fails(&[
        "dispose",
        "IT-0001",
        "--method",
        "sold",
        "--certificate",
        "/no/such.pdf",
    ]);
    assert!(err.contains("/no/such.pdf"), "{err}");
    let err = t.fails(&["dispose", "NOPE-1", "--method", "sold"]);
    assert!(err.contains("NOPE-1"), "{err}");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn a_pack_verifies_with_the_cli_sha256sum_and_the_readmes_script() {
    let (t, dir) = setup();
    let pack = dir.path().join("pack.zip");
    let out = t.ok(&["audit-pack", "--out", pack.to_str().unwrap()]);
    assert!(out.contains("1 disposal record(s)"), "{out}");
    assert!(out.contains("open items: 1 retired asset(s)"), "{out}");
    let verified = t.ok(&["verify-pack", pack.to_str().unwrap()]);
    assert!(
        verified.contains("Evidence pack verified: OK"),
        "{verified}"
    );
    let head = t.json(&["verify", "--json"])["head_hash"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(verified.contains(&head), "{verified}");

    // Unzipped, `sha256sum -c` passes, and the report has its Annex A page.
    let unzipped = dir.path().join("unzipped");
    std::fs::create_dir(&unzipped).unwrap();
    assert!(Command::new("unzip")
        .arg("-q")
        .arg(&pack)
        .arg("-d")
        .arg(&unzipped)
        .status()
        .unwrap()
        .success());
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&unzipped)
        .output()
        .unwrap();
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    assert!(unzipped.join("documents/IT-0001/receipt.pdf").is_file());
    assert!(unzipped
        .join("disposals/IT-0002/wipe certificate.pdf")
        .is_file());
    let report = pdf_text(&unzipped.join("register-report.pdf"));
    assert!(report.contains("ISO/IEC 27001:2022 Annex A"), "{report}");
    assert!(report.contains("A.7.14"), "{report}");
    assert!(report.contains("not a statement that any"), "{report}");
    let readme = std::fs::read_to_string(unzipped.join("README.txt")).unwrap();
    assert!(
        readme.contains("sha256sum -c SHA256SUMS") && readme.contains(&head),
        "{readme}"
    );

    // The README's Python script agrees with the register, from the zip and from the file.
    let script = readme_script(dir.path());
    let (ok, text) = python(&script, &pack);
    assert!(ok && text.contains(&head), "{text}");
    let trail = unzipped.join("audit-trail.jsonl");
    let (ok, _) = python(&script, &trail);
    assert!(ok);
    // …and rejects a tampered trail: one edited event, one removed.
    let original = std::fs::read_to_string(&trail).unwrap();
    std::fs::write(&trail, original.replacen("Old printer", "Old scanner", 1)).unwrap();
    let (ok, text) = python(&script, &trail);
    assert!(!ok && text.contains("BROKEN at line"), "{text}");
    let without: Vec<&str> = original
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| l)
        .collect();
    std::fs::write(&trail, without.join("\n")).unwrap();
    let (ok, text) = python(&script, &trail);
    assert!(!ok && text.contains("BROKEN at line 2 (event 3)"), "{text}");
}

#[test]
fn verify_pack_names_a_changed_member_and_a_removed_event() {
    let (t, dir) = setup();
    let pack = dir.path().join("pack.zip");
    t.ok(&["audit-pack", "--out", pack.to_str().unwrap()]);
    let clean = std::fs::read(&pack).unwrap();

    rewrite_member(&pack, "documents/IT-0001/receipt.pdf", "data[:-1] + b'X'");
    let err = t.fails(&["verify-pack", pack.to_str().unwrap()]);
    assert!(
        err.contains("FAILED") || err.contains("did not verify"),
        "{err}"
    );
    let out = t.cli(&["verify-pack", pack.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("documents/IT-0001/receipt.pdf: its content does not match"),
        "{text}"
    );
    assert!(!text.contains("audit-trail"), "only that member: {text}");

    std::fs::write(&pack, &clean).unwrap();
    rewrite_member(
        &pack,
        "audit-trail.jsonl",
        "b'\\n'.join(l for i, l in enumerate(data.split(b'\\n')) if i != 2)",
    );
    let out = t.cli(&["verify-pack", "--json", pack.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = check["problems"].to_string();
    assert!(
        problems.contains("the hash chain breaks at line 3: event 3 is missing"),
        "{problems}"
    );

    // Not a pack at all.
    let err = t.fails(&[
        "verify-pack",
        dir.path().join("nothing.zip").to_str().unwrap(),
    ]);
    assert!(err.contains("cannot be opened"), "{err}");
}

#[test]
fn audit_pack_refuses_bad_options_and_leaves_no_file() {
    let (t, dir) = setup();
    let pack = dir.path().join("pack.zip");
    let err = t.fails(&[
        "audit-pack",
        "--out",
        pack.to_str().unwrap(),
        "--as-of",
        "2999-01-01",
    ]);
    assert!(
        err.contains("in the future") && err.contains("--as-of"),
        "{err}"
    );
    let err = t.fails(&[
        "audit-pack",
        "--out",
        pack.to_str().unwrap(),
        "--from",
        "2026-13-01",
    ]);
    assert!(err.contains("not a real date"), "{err}");
    let err = t.fails(&["audit-pack", "--out", "/no/such/folder/pack.zip"]);
    assert!(err.contains("does not exist"), "{err}");
    let err = t.fails(&[
        "audit-pack",
        "--out",
        pack.to_str().unwrap(),
        "--dossiers",
        "IT-0001,NOPE-9",
    ]);
    assert!(err.contains("NOPE-9"), "{err}");
    assert!(!pack.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !left.iter().any(|n| n.to_string_lossy().contains("partial")),
        "{left:?}"
    );
    // As of a past day, with dossiers.
    t.ok(&[
        "audit-pack",
        "--out",
        pack.to_str().unwrap(),
        "--dossiers",
        "IT-0001",
        "--as-of",
        &register_core::today().to_string(),
    ]);
    let verified = t.ok(&["verify-pack", pack.to_str().unwrap()]);
    assert!(verified.contains("OK"), "{verified}");
}
