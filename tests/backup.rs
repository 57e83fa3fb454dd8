//! Backup and restore through the CLI: one file with the snapshot and documents, a tampered
//! archive refused with nothing changed, and the replaced register kept.

use crate::util::TestDb;

#[test]
fn backup_restore_round_trip_with_a_document() {
    let db = TestDb::new();
    db.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
    let receipt = db.path.parent().unwrap().join("receipt.pdf");
    std::fs::write(&receipt, b"%PDF receipt").unwrap();
    db.ok(&["attach", "IT-0001", receipt.to_str().unwrap()]);
    let archive = db.path.parent().unwrap().join("backup.tar");
    let out = db.ok(&["backup", "--out", archive.to_str().unwrap()]);
    assert!(out.contains("2 file(s)"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    db.ok(&["add", "--tag", "IT-0002", "--name", "After the backup"]);
    let out = db.ok(&["restore", archive.to_str().unwrap()]);
    assert!(out.contains("kept at"), "{out}");
    let tags: Vec<String> = db
        .json(&["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["asset_tag"].as_str().unwrap().into())
        .collect();
    assert_eq!(tags, ["IT-0001"]);
    assert!(db.ok(&["verify"]).contains("OK"));
    let copy = db.path.parent().unwrap().join("copy.pdf");
    let id = db.json(&["documents", "IT-0001", "--json"])[0]["id"].to_string();
    db.ok(&[
        "save-document",
        "IT-0001",
        &id,
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(copy).unwrap(), b"%PDF receipt");
}

#[test]
fn a_damaged_backup_is_refused_and_changes_nothing() {
    let db = TestDb::new();
    db.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
    let archive = db.path.parent().unwrap().join("backup.tar");
    db.ok(&["backup", "--out", archive.to_str().unwrap()]);
    db.ok(&["add", "--tag", "IT-0002", "--name", "Kept"]);
    let mut bytes = std::fs::read(&archive).unwrap();
    // Flip a byte inside the database member (its SQLite header starts with this magic).
    let db_at = bytes
        .windows(15)
        .position(|w| w == b"SQLite format 3")
        .unwrap();
    bytes[db_at + 200] ^= 0xff;
    std::fs::write(&archive, &bytes).unwrap();
    let before = db.snapshot();
    let err = db.fails(&["restore", archive.to_str().unwrap()]);
    assert!(
        err.contains("damaged") && err.contains("Nothing was changed"),
        "{err}"
    );
    assert_eq!(db.snapshot(), before);
    assert!(db
        .fails(&["restore", "/nonexistent/backup.tar"])
        .contains("no file at"));
}

#[test]
fn a_register_whose_first_pages_are_damaged_is_restored_from_the_cli() {
    let db = TestDb::new();
    db.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
    let archive = db.path.parent().unwrap().join("backup.tar");
    db.ok(&["backup", "--out", archive.to_str().unwrap()]);
    let mut bytes = std::fs::read(&db.path).unwrap();
    bytes[..4096].fill(0);
    std::fs::write(&db.path, &bytes).unwrap();
    assert!(
        !db.cli(&["list"]).status.success(),
        "the register is damaged"
    );
    let out = db.ok(&["restore", archive.to_str().unwrap()]);
    assert!(out.contains("kept at"), "{out}");
    assert_eq!(db.json(&["list", "--json"]).as_array().unwrap().len(), 1);
    assert!(db.ok(&["verify"]).contains("OK"));
}

#[cfg(unix)]
#[test]
fn checking_a_backup_works_in_a_private_folder_not_the_shared_temporary_one() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new();
    db.ok(&["add", "--tag", "IT-0001", "--name", "Laptop"]);
    let archive = db.path.parent().unwrap().join("backup.tar");
    db.ok(&["backup", "--out", archive.to_str().unwrap()]);
    let tmp = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(crate::util::cli_bin())
        .args(["check-backup", archive.to_str().unwrap()])
        .env("TMPDIR", tmp.path())
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sound"));
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing in the shared temporary folder"
    );
    let check = home.path().join("cache/org.assetregister.app/check");
    assert_eq!(
        std::fs::metadata(&check).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(std::fs::read_dir(&check).unwrap().count(), 0, "cleaned up");
}
