//! Licences: the list, a licence's page with seats, key and documents, and the renewals forecast.

use register_core::assets;
use register_core::licences;
use register_core::{Db, Source};
use serde_json::json;

use crate::harness::{
    asset, centre_of, choose, days_from_today, drop_files, history_contains, licence, seed_three,
    App, Res,
};

pub async fn licences_list_page_seats_and_key() -> Res {
    let app = App::start(|db| {
        seed_three(db);
        let id = licence(
            db,
            "Microsoft 365 Business",
            "Microsoft",
            "3",
            &days_from_today(20).to_string(),
            "1234.56",
            "yearly",
        );
        db.write(Source::Cli, |tx| {
            licences::assign_seat(tx, id, "Sam Patel", None)
        })
        .unwrap();
        licence(
            db,
            "Adobe Acrobat Pro",
            "Adobe",
            "1",
            "2027-09-01",
            "15.99",
            "monthly",
        );
    })
    .await?;
    app.click("a[data-nav='licences']").await?;
    app.wait_count("[data-licences-table] tr[data-id]", 2)
        .await?;
    let table = app.text("[data-licences-table]").await?;
    assert!(table.contains("•••• 7Q2X"), "the key is masked: {table}");
    assert!(
        !table.contains("M365-ABCD"),
        "never in clear in the list: {table}"
    );
    assert!(table.contains("1 / 3"), "seats used / total: {table}");
    let first = "[data-licences-table] tbody tr:first-child [data-col='product']";
    app.wait_text(first, "Adobe Acrobat Pro").await?;
    // Sorting by renewal puts the one renewing in 20 days first.
    app.click("[data-licences-table] th[data-sort='renewal'] button")
        .await?;
    app.wait_text(first, "Microsoft 365 Business").await?;
    app.screenshot("licences").await?;

    // Add one through the dialog: a bad seat count is refused next to its field.
    app.click("[data-action='new-licence']").await?;
    let dlg = "dialog[data-dialog='licence']";
    app.wait_for(&format!("{dlg}[open]")).await?;
    app.fill(&format!("{dlg} [name='product']"), "Figma Professional")
        .await?;
    app.fill(&format!("{dlg} [name='seats']"), "0").await?;
    app.fill(&format!("{dlg} [name='cost']"), "12.00").await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text(&format!("{dlg} [data-error-for='seats']"), "whole number")
        .await?;
    app.fill(&format!("{dlg} [name='seats']"), "5").await?;
    app.fill(&format!("{dlg} [name='cost']"), "12.345").await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text(&format!("{dlg} [data-error-for='cost']"), "two decimal")
        .await?;
    app.screenshot("licence-dialog-error").await?;
    app.fill(&format!("{dlg} [name='cost']"), "12.00").await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text("[data-licence-title]", "Figma Professional")
        .await?;

    // The first licence's page: seats, the key on request, history.
    app.goto("#/licences/1").await?;
    app.wait_text("[data-licence-title]", "Microsoft 365 Business")
        .await?;
    app.wait_count("[data-seats] tr[data-person-id]", 1).await?;
    app.wait_text("[data-licence-key]", "•••• 7Q2X").await?;
    app.click("[data-action='show-key']").await?;
    app.wait_text("[data-licence-key]", "M365-ABCD-EFGH-7Q2X")
        .await?;
    app.click("[data-action='assign-seat']").await?;
    app.wait_for("dialog[data-dialog='assign-seat'][open]")
        .await?;
    app.fill(
        "dialog[data-dialog='assign-seat'] input[name='person']",
        "Ana Ruiz",
    )
    .await?;
    app.click("dialog[data-dialog='assign-seat'] [data-action='confirm']")
        .await?;
    app.wait_count("[data-seats] tr[data-person-id]", 2).await?;
    app.wait_text("[data-seat-count]", "2 of 3 seats").await?;
    app.screenshot("licence").await?;
    // Edit: the form opens filled in; seats cannot drop below those in use.
    app.click("[data-action='edit-licence']").await?;
    let dlg = "dialog[data-dialog='licence']";
    let product = app
        .wait_for(&format!("{dlg} [name='product']"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(product, "Microsoft 365 Business");
    app.fill(&format!("{dlg} [name='seats']"), "1").await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text(
        &format!("{dlg} [data-error-for='seats']"),
        "2 seats are in use",
    )
    .await?;
    app.fill(&format!("{dlg} [name='seats']"), "4").await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text("[data-seat-count]", "2 of 4 seats").await?;
    app.wait_text("[data-licence-key]", "•••• 7Q2X").await?;
    history_contains(&app, "Seat given to Ana Ruiz").await?;
    app.wait_text("[data-history]", "Seats: 3 → 4").await?;

    // A file dropped on the licence's page lands in its Documents tab and its history.
    let dir = tempfile::tempdir()?;
    let invoice = dir.path().join("M365 invoice 2026.pdf");
    std::fs::write(
        &invoice,
        b"%PDF-1.4\n% Microsoft invoice\ntrailer << >>\n%%EOF\n",
    )?;
    app.click("[data-tab='details']").await?;
    let (x, y) = centre_of(&app, "[data-view='licence-detail']").await?;
    drop_files(&app, &[&invoice], x, y).await?;
    app.wait_text(
        "[data-toast]",
        "Attached M365 invoice 2026.pdf to Microsoft 365 Business",
    )
    .await?;
    app.wait_count("[data-documents] [data-document]", 1)
        .await?;
    app.wait_text("[data-doc-count]", "1").await?;
    app.screenshot("licence-documents").await?;
    history_contains(&app, "M365 invoice 2026.pdf").await?;
    app.wait_text("[data-history]", "Licence added").await?;
    app.screenshot("licence-history").await?;

    // Its kind changed and then removed, with a note, as on an asset.
    app.click("[data-tab='documents']").await?;
    choose(
        &app,
        "[data-documents] [data-document] select[name='kind']",
        "receipt",
    )
    .await?;
    app.wait_text("[data-toast]", "is now marked as a receipt")
        .await?;
    app.click("[data-documents] [data-document] [data-action='remove-document']")
        .await?;
    app.wait_text(
        "dialog[data-dialog='remove-document'][open]",
        "removed from Microsoft 365 Business",
    )
    .await?;
    app.fill(
        "dialog[data-dialog='remove-document'] textarea[name='note']",
        "Wrong invoice",
    )
    .await?;
    app.click("dialog[data-dialog='remove-document'] [data-action='confirm']")
        .await?;
    app.wait_text(
        "[data-toast]",
        "Removed M365 invoice 2026.pdf from Microsoft 365 Business",
    )
    .await?;
    app.wait_text("[data-doc-count]", "0").await?;
    history_contains(&app, "Wrong invoice").await?;
    let db = Db::open(&app.db_path)?;
    let m365 = db
        .read(|c| licences::list_licences(c, false))?
        .into_iter()
        .find(|l| l.product == "Microsoft 365 Business")
        .ok_or("the licence")?;
    let kinds: Vec<String> = db
        .read(|c| register_core::audit::list_entity_events(c, "licence", m365.id))?
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| k.starts_with("document_"))
        .collect();
    assert_eq!(
        kinds,
        ["document_attached", "document_edited", "document_removed"]
    );
    app.stop().await;
    Ok(())
}

pub async fn renewals_forecast_by_month_with_totals() -> Res {
    let soon = days_from_today(40);
    let later = days_from_today(100);
    let app = App::start(|db| {
        let mut a = asset("IT-0001", "Dell Latitude 5440", "Dell", "5CD1111");
        a.warranty_expires = soon.to_string();
        db.write(Source::Cli, |tx| assets::create_asset(tx, &a, None))
            .unwrap();
        let mut b = asset("IT-0002", "MacBook Air 13", "Apple", "C02ZZ222");
        b.warranty_expires = later.to_string();
        db.write(Source::Cli, |tx| assets::create_asset(tx, &b, None))
            .unwrap();
        licence(
            db,
            "Microsoft 365 Business",
            "Microsoft",
            "10",
            &soon.to_string(),
            "1234.56",
            "yearly",
        );
        licence(
            db,
            "AutoCAD LT",
            "Autodesk",
            "1",
            &later.to_string(),
            "359.88",
            "one-off",
        );
    })
    .await?;
    app.click("a[data-nav='renewals']").await?;
    app.wait_for("[data-renewals]").await?;
    let (m1, m2) = (
        soon.format("%Y-%m").to_string(),
        later.format("%Y-%m").to_string(),
    );
    let first = app.text(&format!("[data-period='{m1}']")).await?;
    for want in [
        "IT-0001",
        "Dell Latitude 5440",
        "Warranty ends",
        "Microsoft 365 Business",
        "Licence renews",
    ] {
        assert!(first.contains(want), "{m1} lacks {want:?}: {first}");
    }
    app.wait_for(&format!(
        "[data-period='{m1}'] [data-period-total='1234.56']"
    ))
    .await?;
    let second = app.text(&format!("[data-period='{m2}']")).await?;
    for want in ["IT-0002", "AutoCAD LT", "Licence expires"] {
        assert!(second.contains(want), "{m2} lacks {want:?}: {second}");
    }
    app.wait_for(&format!(
        "[data-period='{m2}'] [data-period-total='359.88']"
    ))
    .await?;
    app.wait_for("[data-grand-total='1594.44']").await?;
    let months = app
        .eval("return document.querySelectorAll('[data-period]').length")
        .await?;
    assert_eq!(months, json!(12), "twelve months");
    app.screenshot("renewals").await?;
    // Each item links to its licence or asset.
    app.click(&format!("[data-period='{m2}'] tr[data-due='licence'] a"))
        .await?;
    app.wait_text("[data-licence-title]", "AutoCAD LT").await?;
    // Home shows what falls due within 30 and 90 days, with the cost.
    app.click("a[data-nav='home']").await?;
    app.wait_text("[data-expiring='90']", "Microsoft 365 Business")
        .await?;
    app.wait_text("[data-expiring='90']", "Dell Latitude 5440")
        .await?;
    app.screenshot("home-due").await?;
    app.stop().await;
    Ok(())
}
