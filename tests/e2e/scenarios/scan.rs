//! Scan to find: a barcode scanner's fast keys and Enter open the asset with that tag from
//! anywhere in the window (nothing focused, or the search field); an unknown tag says so; the
//! same keys typed at a person's pace do nothing of the kind and stay where they were typed.

use std::time::Duration;

use serde_json::json;

use crate::harness::{scan_with_shift, seed_three, type_keys, App, Res};

const SLOW: Option<Duration> = Some(Duration::from_millis(150));

async fn hash(app: &App) -> Res<serde_json::Value> {
    app.eval("return location.hash").await
}

pub async fn a_scanned_tag_opens_its_asset_and_typing_never_does() -> Res {
    let app = App::start(seed_three).await?;
    app.wait_for("[data-view='home']").await?;
    let id_of = |tag: &str| {
        let db = register_core::Db::open(&app.db_path).unwrap();
        db.read(|c| register_core::assets::find_asset(c, tag))
            .unwrap()
            .id
    };

    // Nothing focused (Home): the scan opens the asset, whatever the case of the label.
    app.eval("document.activeElement.blur(); return true")
        .await?;
    type_keys(&app, "it-0002\n", None).await?;
    app.wait_text("[data-view='asset-detail'] [data-asset-title]", "IT-0002")
        .await?;
    assert_eq!(
        hash(&app).await?,
        json!(format!("#/assets/{}", id_of("IT-0002")))
    );

    // Typed slowly on Home, the same keys and Enter do nothing.
    app.goto("#/home").await?;
    app.wait_for("[data-view='home']").await?;
    app.eval("document.activeElement.blur(); return true")
        .await?;
    type_keys(&app, "IT-0003\n", SLOW).await?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(hash(&app).await?, json!("#/home"), "typing is not a scan");
    let toast = app
        .eval("const t = document.querySelector('[data-toast]'); return t.hidden ? '' : t.textContent")
        .await?;
    assert!(!toast.as_str().unwrap_or("").contains("tag"), "{toast}");

    // In the search field, typed slowly, the text stays in the field as typed.
    app.goto("#/assets").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.click("[data-view='assets'] input[data-search]").await?;
    type_keys(&app, "Dell", SLOW).await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 2)
        .await?;
    let typed = app
        .eval("return document.querySelector('[data-view=assets] input[data-search]').value")
        .await?;
    assert_eq!(typed, json!("Dell"));

    // A scan into the search field opens the asset and leaves the field as it was.
    app.click("[data-view='assets'] input[data-search]").await?;
    app.eval(
        "document.querySelector('[data-view=assets] input[data-search]').value = ''; return true",
    )
    .await?;
    type_keys(&app, "IT-0003\n", None).await?;
    app.wait_text("[data-view='asset-detail'] [data-asset-title]", "IT-0003")
        .await?;

    // A scanner that holds Shift for capitals, as most do in keyboard mode.
    app.goto("#/home").await?;
    app.wait_for("[data-view='home']").await?;
    app.eval("document.activeElement.blur(); return true")
        .await?;
    scan_with_shift(&app, "IT-0001").await?;
    app.wait_text("[data-view='asset-detail'] [data-asset-title]", "IT-0001")
        .await?;

    // Scanned into a new asset's tag field, a pre-printed label's code stays there.
    app.goto("#/assets/new").await?;
    app.wait_for("input[name='asset_tag']").await?;
    app.fill("input[name='asset_tag']", "").await?;
    // WebDriver's clear leaves the field; a click puts the cursor back in it.
    app.click("input[name='asset_tag']").await?;
    type_keys(&app, "LBL-0500\n", None).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let tag = app
        .eval("return document.querySelector(\"input[name='asset_tag']\").value")
        .await?;
    assert_eq!(tag, json!("LBL-0500"));
    assert_eq!(
        hash(&app).await?,
        json!("#/assets/new"),
        "the form stays, unsent"
    );
    app.fill("input[name='asset_tag']", "").await?;

    // An unknown tag says so and goes nowhere.
    let before = hash(&app).await?;
    app.eval("document.activeElement.blur(); return true")
        .await?;
    type_keys(&app, "ZZ-9999\n", None).await?;
    app.wait_text("[data-toast]", "No asset has the tag “ZZ-9999”")
        .await?;
    assert_eq!(hash(&app).await?, before);
    app.stop().await;
    Ok(())
}
