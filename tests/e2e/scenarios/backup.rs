//! Backups: one saved from Settings, then restored over a later change.

use std::path::PathBuf;

use register_core::assets;
use register_core::{Db, Source};

use crate::harness::{asset, exports_dir, seed_three, App, Res};

fn backups_saved() -> Vec<PathBuf> {
    std::fs::read_dir(exports_dir())
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tar"))
                .collect()
        })
        .unwrap_or_default()
}

pub async fn backup_and_restore_from_settings() -> Res {
    for old in backups_saved() {
        std::fs::remove_file(old)?;
    }
    let app = App::start(seed_three).await?;
    app.click("a[data-nav='settings']").await?;
    app.wait_for("[data-view='settings'] [data-action='backup']")
        .await?;
    app.click("[data-action='backup']").await?;
    let toast = app.wait_text("[data-toast]", "Backup saved").await?;
    assert!(toast.contains("changes, 0 documents"), "{toast}");
    let saved = backups_saved();
    assert_eq!(saved.len(), 1, "{saved:?}");
    app.screenshot("settings-backups").await?;

    // A change after the backup, made by another program (the CLI, say).
    {
        let db = Db::open(&app.db_path)?;
        let late = asset("IT-0004", "Made after the backup", "HP", "LATE004");
        db.write(Source::Cli, |tx| assets::create_asset(tx, &late, None))?;
    }
    app.click("[data-action='restore']").await?;
    app.wait_for("dialog[data-dialog='restore'][open]").await?;
    let facts = app.text("dialog[data-dialog='restore'] dl").await?;
    assert!(facts.contains("Changes recorded"), "{facts}");
    app.screenshot("restore-dialog").await?;
    app.click("dialog[data-dialog='restore'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-toast]", "Restored the backup").await?;
    app.wait_for("[data-view='home']").await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.wait_text("[data-integrity-badge]", "Verified").await?;
    // The replaced register (with IT-0004) was kept beside the restored one.
    let folder = app.db_path.parent().unwrap();
    let kept: Vec<_> = std::fs::read_dir(folder)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("register-before-restore-") && n.ends_with(".db"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let old = Db::open(&folder.join(&kept[0]))?;
    assert!(old.read(|c| assets::find_asset(c, "IT-0004")).is_ok());
    app.stop().await;
    Ok(())
}
