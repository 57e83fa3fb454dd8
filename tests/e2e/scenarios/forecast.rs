//! Renewals and replacements: a category's life and replace-with price set in Settings change
//! the forecast's totals; the horizon and grouping are chosen in the view.

use chrono::Months;
use register_core::{assets, Source};

use crate::harness::{asset, history_contains, open_asset, App, Res};

pub async fn a_categorys_life_and_price_change_the_replacement_forecast() -> Res {
    let today = register_core::today();
    // One laptop due in ten months, one in two years and a month (once laptops last 4 years),
    // a monitor that no plan covers.
    let bought = |months_ago: u32| (today - Months::new(months_ago)).to_string();
    let app = App::start(|db| {
        for (tag, name, category, ago, cost) in [
            ("IT-0101", "ThinkPad T14", "Laptops", 38, "1000.00"),
            ("IT-0102", "ThinkPad X1", "Laptops", 23, "800.00"),
            ("IT-0103", "Dell P2425", "Monitors", 12, "200.00"),
        ] {
            let mut a = asset(tag, name, "Lenovo", &format!("SN-{tag}"));
            a.category = category.into();
            a.purchase_date = bought(ago);
            a.purchase_cost = cost.into();
            a.warranty_expires = String::new();
            db.write(Source::Cli, |tx| assets::create_asset(tx, &a, None))
                .unwrap();
        }
    })
    .await?;

    app.goto("#/renewals?years=3&by=year").await?;
    app.wait_for("[data-renewals], [data-empty]").await?;
    let note = app
        .wait_text("[data-unplanned]", "no replacement life")
        .await?;
    assert!(note.contains("3 assets"), "{note}");
    app.wait_for("[data-grand-total='0.00']").await?;

    // Settings → Replacement planning, from the note's link.
    app.click("[data-unplanned] a").await?;
    let row = "[data-replacement-plan] tr[data-category='Laptops']";
    app.wait_for(row).await?;
    app.fill(&format!("{row} input[name^='life-']"), "4")
        .await?;
    app.fill(&format!("{row} input[name^='price-']"), "1,099.00")
        .await?;
    app.screenshot("settings-replacement").await?;
    app.click("[data-action='save-replacement']").await?;
    app.wait_text("[data-toast]", "Replacement plan saved")
        .await?;

    // Two laptops at today's price: 2 × 1,099.00.
    app.goto("#/renewals?years=3&by=year").await?;
    app.wait_for("[data-grand-total='2198.00']").await?;
    let first = app.text("[data-period] tr[data-due='replacement']").await?;
    assert!(first.contains("IT-0101"), "{first}");
    assert!(first.contains("replace-with price"), "{first}");
    let note = app.text("[data-unplanned]").await?;
    assert!(note.contains("1 asset has"), "the monitor is left: {note}");

    // 10 % a year: the laptop due in two years costs 1,099.00 × 1.1 × 1.1 = 1,329.79.
    app.goto("#/settings?section=replacement").await?;
    app.wait_for("[data-replacement-plan] input[name='inflation_percent']")
        .await?;
    app.fill(
        "[data-replacement-plan] input[name='inflation_percent']",
        "10",
    )
    .await?;
    app.click("[data-action='save-replacement']").await?;
    app.wait_text("[data-toast]", "Replacement plan saved")
        .await?;
    app.goto("#/renewals?years=3&by=year").await?;
    app.wait_for("[data-grand-total='2428.79']").await?;
    app.wait_text("[data-sum='replacements']", "2,428.79")
        .await?;

    // Quarters over the same horizon: the same total, more periods.
    crate::harness::choose(&app, "[data-forecast-by]", "quarter").await?;
    app.wait_for("[data-period$='-Q1']").await?;
    app.wait_for("[data-grand-total='2428.79']").await?;
    app.screenshot("renewals-replacements").await?;

    // An asset's own life, on its page: IT-0101 kept for five years is due in 22 months, one
    // whole year ahead: 1,099.00 + 10 % = 1,208.90; with IT-0102's 1,329.79, 2,538.69.
    open_asset(&app, 1).await?;
    let card = app
        .wait_text("[data-replacement]", "Its category’s life: 4 years")
        .await?;
    assert!(card.contains("1,099.00"), "{card}");
    app.click("[data-action='change-replacement']").await?;
    let dialog = "dialog[data-dialog='replacement-life'][open]";
    app.wait_for(dialog).await?;
    app.fill(&format!("{dialog} input[name='life_years']"), "5")
        .await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_text("[data-replacement]", "This asset’s own life: 5 years")
        .await?;
    app.screenshot("asset-replacement").await?;
    history_contains(&app, "replacement life").await?;
    app.goto("#/renewals?years=3&by=year").await?;
    app.wait_for("[data-grand-total='2538.69']").await?;
    app.stop().await;
    Ok(())
}
