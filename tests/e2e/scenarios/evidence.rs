//! Audit evidence: an asset disposed of with its certificate from its page, the open item on
//! Home, and the evidence pack written from Home, then checked with `verify-pack` as an auditor
//! would, and again after one byte of one member and one event line are changed.

use std::process::Command;

use register_core::{assets, Source, Status};

use crate::harness::{
    asset, centre_of, choose, drop_files, exports_dir, history_contains, open_asset, App, Res,
};
use crate::util::rewrite_member;

/// Runs `asset-register-cli verify-pack` on `pack`: (passed, what it printed).
fn verify_pack(pack: &std::path::Path) -> (bool, String) {
    let out = Command::new(crate::util::cli_bin())
        .arg("verify-pack")
        .arg(pack)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

pub async fn a_disposal_with_its_certificate_goes_into_a_pack_that_verifies() -> Res {
    let app = App::start(|db| {
        for (tag, name) in [
            ("IT-0001", "Dell Latitude 5440"),
            ("IT-0002", "HP LaserJet"),
        ] {
            let mut a = asset(tag, name, "Dell", &format!("SN-{tag}"));
            a.purchase_date = "2021-04-01".into();
            db.write(Source::Cli, |tx| assets::create_asset(tx, &a, None))
                .unwrap();
        }
        db.write(Source::Cli, |tx| {
            assets::change_status(tx, 2, Status::Retired, Some("broken"))
        })
        .unwrap();
    })
    .await?;

    // Home lists the retired printer as an open item.
    app.goto("#/home").await?;
    app.wait_text("[data-undisposed]", "IT-0002").await?;

    // The certificate is dropped on the laptop's page, then picked in Dispose….
    let dir = tempfile::tempdir()?;
    let cert = dir.path().join("Destruction certificate 118.pdf");
    std::fs::write(
        &cert,
        b"%PDF-1.4\n% certificate of data destruction C-118\n%%EOF\n",
    )?;
    open_asset(&app, 1).await?;
    let (x, y) = centre_of(&app, "[data-view='asset-detail']").await?;
    drop_files(&app, &[&cert], x, y).await?;
    app.wait_text("[data-toast]", "Attached").await?;
    app.click("[data-action='dispose']").await?;
    app.wait_for("[data-dialog='disposal']").await?;
    choose(
        &app,
        "[data-dialog='disposal'] select[name='method']",
        "destroyed",
    )
    .await?;
    app.fill(
        "[data-dialog='disposal'] input[name='recipient']",
        "SecureShred Ltd",
    )
    .await?;
    app.fill(
        "[data-dialog='disposal'] input[name='wipe_method']",
        "Disk shredded",
    )
    .await?;
    app.fill(
        "[data-dialog='disposal'] input[name='wiped_by']",
        "SecureShred Ltd",
    )
    .await?;
    app.fill(
        "[data-dialog='disposal'] input[name='certificate_number']",
        "C-118",
    )
    .await?;
    let doc = app
        .eval("return [...document.querySelectorAll(\"[data-dialog='disposal'] select[name='certificate_id'] option\")].find(o => o.textContent.startsWith('Destruction')).value")
        .await?;
    choose(
        &app,
        "[data-dialog='disposal'] select[name='certificate_id']",
        doc.as_str().unwrap(),
    )
    .await?;
    app.screenshot("disposal-dialog").await?;
    app.click("[data-dialog='disposal'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-toast]", "disposal recorded").await?;
    // The drop showed the Documents tab; the record is on Details.
    app.click("[data-tab='details']").await?;
    app.wait_text("[data-disposal-method]", "Destroyed").await?;
    app.wait_text(
        "[data-disposal-certificate]",
        "Destruction certificate 118.pdf",
    )
    .await?;
    app.wait_for("[data-status-pill]").await?;
    let pill = app.text("[data-status-pill]").await?;
    assert!(pill.contains("Retired"), "{pill}");
    app.screenshot("disposal-card").await?;
    history_contains(&app, "Disposed of: destroyed to SecureShred Ltd").await?;

    // The register agrees.
    let db = register_core::Db::open(&app.db_path)?;
    let d = db
        .read(|c| register_core::disposals::disposal_of(c, 1))?
        .expect("a disposal record");
    assert_eq!(d.certificate_number.as_deref(), Some("C-118"));
    assert_eq!(
        d.certificate.map(|c| c.name).as_deref(),
        Some("Destruction certificate 118.pdf")
    );
    drop(db);

    // The pack, from Home.
    for e in std::fs::read_dir(exports_dir())? {
        let p = e?.path();
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("evidence-pack-"))
        {
            std::fs::remove_file(p)?;
        }
    }
    app.goto("#/home").await?;
    app.wait_text("[data-undisposed]", "IT-0002").await?;
    app.click("[data-action='audit-pack']").await?;
    app.wait_for("[data-dialog='audit-pack']").await?;
    app.screenshot("audit-pack-dialog").await?;
    app.click("[data-dialog='audit-pack'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-toast]", "Evidence pack saved").await?;
    let pack = std::fs::read_dir(exports_dir())?
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("evidence-pack-"))
        })
        .expect("the pack was saved");

    let (ok, text) = verify_pack(&pack);
    assert!(ok, "{text}");
    let unzipped = dir.path().join("unzipped");
    assert!(Command::new("unzip")
        .arg("-q")
        .arg(&pack)
        .arg("-d")
        .arg(&unzipped)
        .status()?
        .success());
    assert!(unzipped
        .join("disposals/IT-0001/Destruction certificate 118.pdf")
        .is_file());
    let disposals = std::fs::read_to_string(unzipped.join("disposals.csv"))?;
    assert!(
        disposals.contains("Destroyed") && disposals.contains("C-118"),
        "{disposals}"
    );
    let open = std::fs::read_to_string(unzipped.join("open-items.csv"))?;
    assert!(open.contains("IT-0002"), "{open}");
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&unzipped)
        .output()?;
    assert!(sums.status.success());

    // One changed byte of one member is named.
    let clean = std::fs::read(&pack)?;
    rewrite_member(&pack, "register.csv", "data.replace(b'Dell', b'Dall', 1)");
    let (ok, text) = verify_pack(&pack);
    assert!(
        !ok && text.contains("register.csv: its content does not match"),
        "{text}"
    );
    // One removed event line is named.
    std::fs::write(&pack, &clean)?;
    rewrite_member(
        &pack,
        "audit-trail.jsonl",
        "b'\\n'.join(l for i, l in enumerate(data.split(b'\\n')) if i != 1)",
    );
    let (ok, text) = verify_pack(&pack);
    assert!(
        !ok && text.contains("the hash chain breaks at line 2: event 2 is missing"),
        "{text}"
    );
    std::fs::remove_file(&pack)?;
    app.stop().await;
    Ok(())
}

pub async fn a_pack_shows_its_progress_and_cancel_leaves_no_file() -> Res {
    let dir = tempfile::tempdir()?;
    let db_path = dir.path().join("register.db");
    {
        let db = register_core::Db::open(&db_path)?;
        let a = asset("IT-0001", "Dell Latitude 5440", "Dell", "SN-1");
        db.write(Source::Cli, |tx| assets::create_asset(tx, &a, None))?;
    }
    let packs = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(exports_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.contains("evidence-pack-")
                })
            })
            .collect()
    };
    for p in packs() {
        std::fs::remove_file(p)?;
    }
    let app = App::start_on_with(
        &db_path,
        &[("ASSET_REGISTER_E2E_PACK_STEP_PAUSE_MS", "400")],
    )
    .await?;
    app.goto("#/settings").await?;
    app.click("[data-action='audit-pack']").await?;
    app.wait_for("[data-dialog='audit-pack']").await?;
    app.click("[data-dialog='audit-pack'] [data-action='confirm']")
        .await?;
    app.wait_for("[data-dialog='pack-progress'] [data-pack-progress]")
        .await?;
    app.wait_text("[data-pack-progress-text]", "%").await?;
    app.screenshot("audit-pack-progress").await?;
    app.click("[data-action='cancel-pack']").await?;
    app.wait_text("[data-toast]", "cancelled; no file was written")
        .await?;
    let gone = app
        .eval("return document.querySelector(\"[data-dialog='pack-progress']\") === null")
        .await?;
    assert_eq!(gone, serde_json::json!(true));
    assert!(packs().is_empty(), "a cancelled pack left {:?}", packs());
    app.stop().await;
    Ok(())
}
