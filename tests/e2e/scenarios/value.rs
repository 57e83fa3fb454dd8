//! Value: a purchase of several assets, a depreciation override, and the value as of a date.

use register_core::assets;
use register_core::documents::{self, DocKind};
use register_core::{Db, Source};

use crate::harness::{
    asset, centre_of, drop_files, history_contains, set_value, sha256_of, App, Res,
};

pub async fn purchase_override_and_value_as_of_a_date() -> Res {
    use register_core::depreciation::{self, Method};
    let app = App::start(|db| {
        db.write(Source::Cli, |tx| {
            depreciation::set_category_method(
                tx,
                "Monitor",
                Method::StraightLine {
                    life_months: 60,
                    residual: 0,
                },
            )?;
            let mut old = asset("IT-0001", "Old monitor", "Dell", "CN-DUP");
            old.category = "Monitor".into();
            old.purchase_cost = "200.00".into();
            old.purchase_date = "2021-01-01".into();
            old.warranty_expires = String::new();
            assets::create_asset(tx, &old, None)
        })
        .unwrap();
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let receipt = dir.path().join("Dell order 4412.pdf");
    std::fs::write(
        &receipt,
        b"%PDF-1.4\n% Dell order 4412: 3 x P2723DE\ntrailer << >>\n%%EOF\n",
    )?;

    // Record purchase… from the Assets header.
    app.click("a[data-nav='assets']").await?;
    app.click("[data-action='record-purchase']").await?;
    let form = "form[data-purchase-form]";
    app.wait_for(form).await?;
    app.fill(&format!("{form} [name='supplier']"), "Dell UK")
        .await?;
    set_value(
        &app,
        &format!("{form} [name='purchase_date']"),
        "2025-11-20",
    )
    .await?;
    app.fill(&format!("{form} [name='warranty_months']"), "36")
        .await?;
    app.fill(&format!("{form} [name='reference']"), "PO-4412")
        .await?;
    let row =
        |i: usize, field: &str| format!("{form} tr[data-item][data-index='{i}'] [name='{field}']");
    app.fill(&row(0, "name"), "Dell P2723DE monitor").await?;
    app.fill(&row(0, "category"), "Monitor").await?;
    app.fill(&row(0, "make"), "Dell").await?;
    app.fill(&row(0, "model"), "P2723DE").await?;
    app.fill(&row(0, "serial_number"), "CN-0A1").await?;
    app.fill(&row(0, "purchase_cost"), "289.99").await?;
    // "Same as above" copies everything but the serial.
    app.click("[data-action='add-same']").await?;
    app.fill(&row(1, "serial_number"), "cn-dup").await?;
    app.click("[data-action='add-same']").await?;
    app.fill(&row(2, "serial_number"), "CN-0A3").await?;
    // The duplicate serial was named as soon as the field was left.
    app.wait_text(
        "[data-item-error='1']",
        "Serial number: This serial number is already on IT-0001",
    )
    .await?;
    app.screenshot("purchase-form-problem").await?;
    app.fill(&row(1, "serial_number"), "CN-0A1").await?;
    app.click(&format!("{form} [name='reference']")).await?;
    app.wait_text("[data-item-error='1']", "The same serial number as item 1")
        .await?;
    app.fill(&row(1, "serial_number"), "CN-0A2").await?;
    app.click(&format!("{form} [name='reference']")).await?;
    app.wait_count("[data-item-error]", 0).await?;
    // The receipt is dropped on the form.
    let (x, y) = centre_of(&app, "[data-receipt-drop]").await?;
    drop_files(&app, &[&receipt], x, y).await?;
    app.wait_text("[data-receipt-name]", "Dell order 4412.pdf")
        .await?;
    app.wait_text("[data-purchase-total]", "3 items").await?;
    app.wait_text("[data-purchase-total]", "869.97").await?;
    app.screenshot("purchase-form").await?;
    app.click(&format!("{form} [data-action='record']")).await?;
    let done = app
        .wait_text("[data-purchase-done]", "3 assets recorded")
        .await?;
    for needle in [
        "IT-0002",
        "IT-0003",
        "IT-0004",
        "CN-0A2",
        "Dell order 4412.pdf",
    ] {
        assert!(done.contains(needle), "{needle} in {done}");
    }
    app.screenshot("purchase-done").await?;

    // The new assets' labels are offered right there (issue 17).
    for old in crate::harness::exported("labels-") {
        std::fs::remove_file(old)?;
    }
    app.click("[data-purchase-done] [data-action='print-labels']")
        .await?;
    let dialog = "dialog[data-dialog='print-labels'][open]";
    app.wait_text(
        &format!("{dialog} [data-labels-scope]"),
        "the 3 assets just recorded (IT-0002 – IT-0004)",
    )
    .await?;
    crate::harness::choose(&app, &format!("{dialog} select[name='layout']"), "roll29").await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_text("[data-toast]", "Saved labels-").await?;
    let labels = crate::harness::exported("labels-");
    assert_eq!(labels.len(), 1, "{labels:?}");
    let codes: Vec<String> =
        crate::util::label_qr_codes(&labels[0], register_core::report::LabelLayout::Roll29)
            .into_iter()
            .map(|(_, _, tag)| tag)
            .collect();
    assert_eq!(codes, ["IT-0002", "IT-0003", "IT-0004"]);

    let db = Db::open(&app.db_path)?;
    let sha = sha256_of(&receipt)?;
    for (id, tag, serial) in [
        (2, "IT-0002", "CN-0A1"),
        (3, "IT-0003", "CN-0A2"),
        (4, "IT-0004", "CN-0A3"),
    ] {
        let a = db.read(|c| assets::get_asset(c, id))?;
        assert_eq!(
            (
                a.asset_tag.as_str(),
                a.serial_number.as_deref(),
                a.purchase_cost.map(|m| m.to_string()).as_deref()
            ),
            (tag, Some(serial), Some("289.99"))
        );
        assert_eq!(a.warranty_expires.as_deref(), Some("2028-11-20"));
        assert_eq!(a.supplier.as_deref(), Some("Dell UK"));
        let docs = db.read(|c| documents::documents_of(c, documents::Owner::Asset(id)))?;
        assert_eq!(docs.len(), 1, "{tag} has the receipt");
        assert_eq!(
            (docs[0].kind, docs[0].sha256.as_str()),
            (DocKind::Receipt, sha.as_str())
        );
    }

    // Its Documents tab shows the receipt.
    app.goto("#/assets/3?tab=documents").await?;
    app.wait_text("[data-documents]", "Dell order 4412.pdf")
        .await?;

    // The Details tab: the Monitor default and its five-year schedule; then an override.
    app.goto("#/assets/3").await?;
    app.wait_for("[data-depreciation] [data-schedule]").await?;
    app.wait_text("[data-dep-method]", "Straight-line over 60 months")
        .await?;
    app.wait_text("[data-dep-method]", "Monitor default")
        .await?;
    app.wait_count("[data-schedule] tbody tr", 5).await?;
    app.click("[data-action='change-depreciation']").await?;
    let dialog = "dialog[data-dialog='depreciation'][open]";
    app.wait_for(dialog).await?;
    app.click(&format!("{dialog} label[data-choice='declining']"))
        .await?;
    app.fill(&format!("{dialog} input[name='rate']"), "40")
        .await?;
    app.fill(
        &format!("{dialog} textarea[name='note']"),
        "Used on the trading floor",
    )
    .await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_for("[data-dep-source='own']").await?;
    app.wait_text("[data-dep-method]", "Declining balance at 40% a year")
        .await?;
    app.wait_count("[data-schedule] tbody tr", 10).await?;
    app.wait_text("[data-schedule] tr[data-year='1']", "173.99")
        .await?;
    let dep = db.read(|c| depreciation::asset_depreciation(c, 3, register_core::today()))?;
    let bv = dep.book_value.expect("bought before today").to_string();
    app.wait_text("[data-depreciation] [data-book-value]", &bv)
        .await?;
    app.wait_text(".facts-card", &format!("Book value£{bv}"))
        .await?;
    app.eval(
        "document.querySelector('[data-toast]').hidden = true;
         document.querySelector('[data-depreciation]').scrollIntoView({block: 'end'});
         return null",
    )
    .await?;
    app.screenshot("asset-depreciation").await?;
    let h = history_contains(&app, "Used on the trading floor").await?;
    assert!(
        h.contains("category default → declining balance at 40.00% a year"),
        "{h}"
    );

    // Value page, from Home's total card, as of a chosen date.
    app.click("a[data-nav='home']").await?;
    app.click("[data-stat='total']").await?;
    app.wait_for("[data-view='value'] [data-value-total]")
        .await?;
    set_value(&app, "[data-value-date]", "2026-11-20").await?;
    let want = db.read(|c| depreciation::value_totals(c, "2026-11-20".parse().unwrap()))?;
    assert_eq!(
        (
            want.total.cost.to_string().as_str(),
            want.total.book_value.to_string().as_str()
        ),
        ("1069.97", "637.97"),
        "2 × 231.99 straight-line + 173.99 declining + a fully depreciated monitor"
    );
    app.wait_text("[data-value-total]", "637.97").await?;
    app.wait_text("[data-category='Monitor']", "637.97").await?;
    app.wait_text("[data-status='available']", "1,069.97")
        .await?;
    app.wait_text("[data-value-stat='book_value']", "637.97")
        .await?;
    app.screenshot("value").await?;
    // Before the purchase, only the old monitor counts.
    set_value(&app, "[data-value-date]", "2025-06-30").await?;
    app.wait_text("[data-value-notes]", "3 assets bought after")
        .await?;
    app.wait_text("[data-value-total]", "200.00").await?;

    // A category's default is set on the same page.
    app.click("[data-category='Monitor'] [data-action='edit-default']")
        .await?;
    let dialog = "dialog[data-dialog='category-depreciation'][open]";
    app.wait_for(dialog).await?;
    app.fill(&format!("{dialog} input[name='life_months']"), "48")
        .await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_text(
        "[data-category='Monitor']",
        "Straight-line over 48 months (4 years)",
    )
    .await?;
    let cats = db.read(depreciation::list_category_methods)?;
    assert_eq!(cats[0].method.life_months, Some(48));
    assert!(db.read(register_core::audit::verify)?.ok);
    app.stop().await;
    Ok(())
}
