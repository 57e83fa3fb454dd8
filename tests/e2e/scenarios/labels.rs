//! Asset labels printed from the window: three rows picked in the Assets list (Ctrl+click), the
//! dialog's stock, start position and line, and the QR codes decoded from the saved PDF; a start
//! position off the sheet is refused inside the dialog; an asset's page prints its own label.

use register_core::report::LabelLayout;
use register_core::{assets, Source};
use serde_json::json;

use crate::harness::{asset, choose, exported, open_asset, seed_three, App, Res};
use crate::util::{label_qr_codes, pdf_text};

/// Ctrl+click on the list row of `tag`, as a user picks several rows.
async fn ctrl_click(app: &App, tag: &str) -> Res {
    let done = app
        .client
        .execute(
            "const tr = document.querySelector(`[data-view='assets'] tr[data-tag='${arguments[0]}']`);
             if (!tr) return false;
             tr.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true }));
             return true;",
            vec![json!(tag)],
        )
        .await?;
    if done != json!(true) {
        return Err(format!("no row for {tag}").into());
    }
    Ok(())
}

pub async fn print_labels_for_three_assets_and_decode_them() -> Res {
    for old in exported("labels-") {
        std::fs::remove_file(old)?;
    }
    let app = App::start(|db| {
        seed_three(db);
        let printer = asset("IT-0004", "Brother laser printer", "Brother", "E7Y004");
        db.write(Source::Cli, |tx| assets::create_asset(tx, &printer, None))
            .unwrap();
    })
    .await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 4)
        .await?;
    for tag in ["IT-0001", "IT-0002", "IT-0004"] {
        ctrl_click(&app, tag).await?;
    }
    app.wait_text("[data-picked-count]", "3 assets selected")
        .await?;
    app.wait_count("[data-view='assets'] tr.picked", 3).await?;
    assert!(
        app.eval("return location.hash").await?.as_str() == Some("#/assets"),
        "Ctrl+click picks rows and opens none"
    );

    app.click("[data-view='assets'] [data-action='print-labels']")
        .await?;
    let dialog = "dialog[data-dialog='print-labels'][open]";
    app.wait_for(dialog).await?;
    let first_scope = app
        .text(&format!("{dialog} [role='radiogroup'] label:first-of-type"))
        .await?;
    assert!(first_scope.contains("3 selected assets"), "{first_scope}");
    choose(&app, &format!("{dialog} select[name='layout']"), "l7163").await?;
    // A start position off the sheet is refused in the dialog, which stays open.
    app.fill(&format!("{dialog} input[name='start']"), "15")
        .await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_text(&format!("{dialog} [data-dialog-error]"), "from 1 to 14")
        .await?;
    assert!(exported("labels-").is_empty(), "nothing saved");
    app.fill(&format!("{dialog} input[name='start']"), "3")
        .await?;
    app.fill(
        &format!("{dialog} input[name='line']"),
        "Property of Acme — if found call 01234 567890",
    )
    .await?;
    app.screenshot("labels-dialog").await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_text("[data-toast]", "Saved labels-").await?;
    let files = exported("labels-");
    assert_eq!(files.len(), 1, "one labels PDF: {files:?}");
    let codes = label_qr_codes(&files[0], LabelLayout::L7163);
    let want: Vec<(usize, u32, String)> = vec![
        (1, 3, "IT-0001".into()),
        (1, 4, "IT-0002".into()),
        (1, 5, "IT-0004".into()),
    ];
    assert_eq!(codes, want, "from position 3, in the order picked");
    let text = pdf_text(&files[0]);
    for needle in [
        "Dell Latitude 5440",
        "Brother laser printer",
        "if found call",
    ] {
        assert!(text.contains(needle), "the labels lack {needle:?}: {text}");
    }
    assert!(!text.contains("IT-0003"));
    std::fs::remove_file(&files[0])?;

    // An asset's page prints its own label, on the stock chosen last time.
    open_asset(&app, 3).await?;
    app.click("[data-view='asset-detail'] [data-action='print-labels']")
        .await?;
    app.wait_text(&format!("{dialog} [data-labels-scope]"), "IT-0003")
        .await?;
    let stock = app
        .eval("return document.querySelector(\"dialog[data-dialog='print-labels'] select[name='layout']\").value")
        .await?;
    assert_eq!(stock, json!("l7163"), "the stock is remembered");
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_text("[data-toast]", "Saved labels-IT-0003.pdf")
        .await?;
    let files = exported("labels-IT-0003");
    assert_eq!(files.len(), 1);
    let codes = label_qr_codes(&files[0], LabelLayout::L7163);
    assert_eq!(codes, vec![(1, 1, "IT-0003".to_string())]);
    app.stop().await;
    Ok(())
}
