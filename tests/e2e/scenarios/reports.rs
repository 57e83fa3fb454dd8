//! PDF reports saved from the window: the register report and one asset's dossier.

use register_core::assets;
use register_core::Source;
use serde_json::json;

use crate::harness::{asset, exported, open_asset, seed_three, App, Res};
use crate::util::pdf_text;

pub async fn export_pdf_from_the_window() -> Res {
    for old in exported("asset-register-")
        .into_iter()
        .chain(exported("dossier-"))
    {
        std::fs::remove_file(old)?;
    }
    let app = App::start(|db| {
        seed_three(db);
        let mut printer = asset("IT-0004", "Łódź office printer", "Brother", "E7Y004");
        printer.category = "Printer".into();
        db.write(Source::Cli, |tx| assets::create_asset(tx, &printer, None))
            .unwrap();
    })
    .await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 4)
        .await?;
    app.click("[data-action='export-report']").await?;
    app.wait_for("dialog[data-dialog='export-report'][open]")
        .await?;
    app.wait_text("[data-report-scope]", "status filter and search")
        .await?;
    app.screenshot("export-report-dialog").await?;
    app.click("dialog[data-dialog='export-report'] [data-action='confirm']")
        .await?;
    let toast = app
        .wait_text("[data-toast]", "Saved asset-register-")
        .await?;
    assert!(toast.contains("page"), "{toast}");
    app.wait_for("[data-toast] [data-toast-action]").await?;
    app.screenshot("export-toast").await?;
    let files = exported("asset-register-");
    assert_eq!(files.len(), 1, "one report: {files:?}");
    let text = pdf_text(&files[0]);
    for tag in [
        "IT-0001",
        "IT-0002",
        "IT-0003",
        "IT-0004",
        "Łódź office printer",
    ] {
        assert!(text.contains(tag), "the report lacks {tag:?}");
    }
    let ready = app
        .eval("const b = document.querySelector('[data-action=export-report]'); return [b.disabled, b.textContent]")
        .await?;
    assert_eq!(ready, json!([false, "Export PDF"]), "the button is back");

    // One asset's dossier, from its page.
    open_asset(&app, 4).await?;
    app.click("[data-action='export-dossier']").await?;
    app.wait_text("[data-toast]", "Saved dossier-IT-0004.pdf")
        .await?;
    let files = exported("dossier-");
    assert_eq!(files.len(), 1, "one dossier: {files:?}");
    let text = pdf_text(&files[0]);
    assert!(text.contains("IT-0004"), "the dossier names its asset");
    app.stop().await;
    Ok(())
}
