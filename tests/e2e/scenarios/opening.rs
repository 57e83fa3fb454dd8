//! Opening a register: read-only on request, and refused while another window has it.

use register_core::assets;
use register_core::Db;

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
