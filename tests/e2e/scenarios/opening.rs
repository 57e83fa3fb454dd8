//! Opening a register: read-only on request, and refused while another window has it.

use register_core::Db;
use register_core::{assets, backup};

use crate::harness::{seed_three, App, Res};

pub async fn a_read_only_register_says_so_and_refuses_changes() -> Res {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.db");
    seed_three(&Db::open(&path)?);
    let app = App::start_on_with(&path, &[("ASSET_REGISTER_READ_ONLY", "1")]).await?;
    app.wait_text("[data-read-only]", "Read-only").await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.screenshot("read-only").await?;
    app.click("[data-action='new-asset']").await?;
    let form = "form[data-asset-form]";
    app.wait_for(form).await?;
    app.fill(&format!("{form} [name='name']"), "Not allowed")
        .await?;
    app.click(&format!("{form} [data-action='save']")).await?;
    let msg = app
        .wait_text("[data-view='asset-new']", "open read-only")
        .await?;
    assert!(msg.contains("nothing was changed"), "{msg}");
    app.goto("#/settings").await?;
    let restore = app.wait_for("[data-action='restore']").await?;
    assert!(restore.attr("disabled").await?.is_some(), "Restore… is off");
    app.stop().await;
    let db = Db::open(&path)?;
    assert_eq!(
        db.read(|c| assets::list_assets(c, &Default::default()))?
            .total,
        3
    );
    Ok(())
}

pub async fn a_second_window_on_the_same_register_is_refused() -> Res {
    let first = App::start(seed_three).await?;
    first.wait_for("[data-view='home']").await?;
    let second = App::start_on(&first.db_path).await?;
    let msg = second
        .wait_text(
            "[data-unavailable]",
            "already open in another Asset Register window",
        )
        .await?;
    assert!(msg.contains("register.db"), "{msg}");
    // Restoring is for a damaged register, not one that another window has.
    let offered = second
        .eval("return !document.querySelector('[data-restore-offer]').hidden")
        .await?;
    assert_eq!(offered, serde_json::json!(false));
    second.screenshot("second-window").await?;
    second.stop().await;
    // A read-only window (to look without changing anything) opens beside it.
    let viewer = App::start_on_with(&first.db_path, &[("ASSET_REGISTER_READ_ONLY", "1")]).await?;
    viewer.wait_text("[data-read-only]", "Read-only").await?;
    viewer.click("a[data-nav='assets']").await?;
    viewer
        .wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    viewer.stop().await;
    // The first window carries on as if nothing happened.
    first.click("a[data-nav='assets']").await?;
    first
        .wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    first.stop().await;
    Ok(())
}

pub async fn a_damaged_register_is_restored_from_the_error_screen() -> Res {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("register.db");
    {
        let db = Db::open(&path)?;
        seed_three(&db);
        let store = register_core::documents::DocumentStore::for_db(&db);
        backup::auto_backup(&db, &store, &dir.path().join("register-backups"), 10)?;
    }
    // Its first pages overwritten: SQLite no longer recognises the file.
    let mut bytes = std::fs::read(&path)?;
    bytes[..4096].fill(0);
    std::fs::write(&path, &bytes)?;

    let app = App::start_on(&path).await?;
    app.wait_text("[data-unavailable]", "could not be opened")
        .await?;
    app.wait_for("[data-backups] [data-action='restore-backup']")
        .await?;
    app.screenshot("unavailable-restore").await?;
    app.click("[data-backups] [data-action='restore-backup']")
        .await?;
    app.wait_for("dialog[data-dialog='restore'][open]").await?;
    let facts = app.text("dialog[data-dialog='restore'] dl").await?;
    assert!(facts.contains("Changes recorded"), "{facts}");
    app.click("dialog[data-dialog='restore'] [data-action='confirm']")
        .await?;
    // The window starts over on the restored register.
    app.wait_for("[data-view='home']").await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.wait_text("[data-integrity-badge]", "Verified").await?;
    app.stop().await;
    // The damaged file was kept, not deleted.
    let kept: Vec<_> = std::fs::read_dir(dir.path())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("register-before-restore-"))
                && p.extension().is_some_and(|x| x == "db")
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0])?, bytes);
    Ok(())
}
