//! People: the list, a person's page, and offboarding a leaver to a signed checklist.

use register_core::assets::{self, Holder};
use register_core::licences;
use register_core::{Source, Status};

use crate::harness::{exported, licence, open_asset, seed_three, App, Res};
use crate::util::pdf_text;

pub async fn people_home_and_offboarding_question() -> Res {
    let app = App::start(|db| {
        seed_three(db);
        for id in [1, 3] {
            db.write(Source::Cli, |tx| {
                assets::assign_asset(tx, id, &Holder::Person("Sam Patel".into()), None)
            })
            .unwrap();
        }
        db.write(Source::Cli, |tx| {
            assets::change_status(tx, 2, Status::LostStolen, Some("left on a train"))
        })
        .unwrap();
    })
    .await?;
    app.wait_for("[data-view='home']").await?;
    app.wait_text("[data-stat='deployed']", "2").await?;
    app.wait_text("[data-stat='lost_stolen']", "1").await?;
    app.wait_text("[data-lost]", "MacBook Air 13").await?;
    app.wait_text("[data-integrity]", "Verified").await?;
    app.screenshot("home").await?;
    app.click("a[data-nav='people']").await?;
    app.wait_count("[data-people-table] tr[data-id]", 1).await?;
    app.screenshot("people").await?;
    app.click("[data-people-table] tr[data-id]").await?;
    app.wait_text("[data-person-title]", "Sam Patel").await?;
    app.wait_count("[data-person-assets] tr[data-id]", 2)
        .await?;
    // Marking Sam as left is refused while Sam still holds assets.
    app.click("[data-action='mark-left']").await?;
    app.wait_text("[data-person-error]", "still holds 2 assets")
        .await?;
    app.screenshot("person").await?;
    // Add a person through the dialog.
    app.click("a[data-nav='people']").await?;
    app.click("[data-action='new-person']").await?;
    app.wait_for("dialog[data-dialog='person'][open]").await?;
    app.fill(
        "dialog[data-dialog='person'] input[name='name']",
        "Jürgen Weiß",
    )
    .await?;
    app.fill(
        "dialog[data-dialog='person'] input[name='email']",
        "juergen@example.org",
    )
    .await?;
    app.click("dialog[data-dialog='person'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-people-table]", "Jürgen Weiß").await?;
    app.click("a[data-nav='locations']").await?;
    app.wait_for("[data-view='locations']").await?;
    app.screenshot("locations").await?;
    app.stop().await;
    Ok(())
}

pub async fn offboarding_two_assets_and_a_licence_seat() -> Res {
    for old in exported("offboarding-") {
        std::fs::remove_file(old)?;
    }
    let app = App::start(|db| {
        seed_three(db);
        for id in [1, 2] {
            db.write(Source::Cli, |tx| {
                assets::assign_asset(tx, id, &Holder::Person("Sam Patel".into()), None)
            })
            .unwrap();
        }
        let l = licence(
            db,
            "Figma Professional",
            "Figma",
            "5",
            "2027-06-01",
            "144.00",
            "yearly",
        );
        db.write(Source::Cli, |tx| {
            licences::assign_seat(tx, l, "Sam Patel", None)
        })
        .unwrap();
    })
    .await?;
    app.click("a[data-nav='people']").await?;
    app.click("[data-people-table] tr[data-id]").await?;
    app.wait_text("[data-person-title]", "Sam Patel").await?;
    app.wait_text("[data-person-seats]", "Figma Professional")
        .await?;
    app.click("[data-action='start-offboarding']").await?;
    app.wait_for("dialog[data-dialog='start-offboarding'][open]")
        .await?;
    app.click("dialog[data-dialog='start-offboarding'] [data-action='confirm']")
        .await?;
    app.wait_for("[data-offboarding='open']").await?;
    app.wait_count("[data-offboarding] tr[data-item-kind]", 3)
        .await?;
    app.screenshot("offboarding-checklist").await?;
    let row = |kind: &str, id: i64| {
        format!("[data-offboarding] tr[data-item-kind='{kind}'][data-item-id='{id}']")
    };
    let outcome = |kind: &str, id: i64| {
        format!(
            "{}[data-resolved='true'] [data-col='outcome']",
            row(kind, id)
        )
    };

    // IT-0001 comes back to the store room.
    app.click(&format!(
        "{} [data-action='resolve-returned']",
        row("asset", 1)
    ))
    .await?;
    let dlg = "dialog[data-dialog='resolve-returned']";
    app.wait_for(&format!("{dlg}[open]")).await?;
    app.fill(&format!("{dlg} input[name='location']"), "Store room")
        .await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text(&outcome("asset", 1), "Returned to Store room")
        .await?;
    // Finishing is refused while anything is still held.
    app.click("[data-action='finish-offboarding']").await?;
    app.wait_text(
        "[data-offboarding-error]",
        "still holds 1 asset and 1 licence seat",
    )
    .await?;

    // IT-0002 is missing: a note is required.
    app.click(&format!(
        "{} [data-action='resolve-missing']",
        row("asset", 2)
    ))
    .await?;
    let dlg = "dialog[data-dialog='resolve-missing']";
    app.wait_for(&format!("{dlg}[open]")).await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text(&format!("{dlg} [data-dialog-error]"), "Say what is known")
        .await?;
    app.fill(
        &format!("{dlg} textarea[name='note']"),
        "Not returned; reported stolen",
    )
    .await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text(&outcome("asset", 2), "Missing (Lost/Stolen)")
        .await?;

    // The seat is released.
    app.click(&format!(
        "{} [data-action='resolve-returned']",
        row("seat", 1)
    ))
    .await?;
    let dlg = "dialog[data-dialog='resolve-returned']";
    app.wait_for(&format!("{dlg}[open]")).await?;
    app.click(&format!("{dlg} [data-action='confirm']")).await?;
    app.wait_text(&outcome("seat", 1), "Seat released").await?;
    app.wait_text(
        "[data-offboarding] [data-unresolved='0']",
        "Everything is resolved",
    )
    .await?;

    // The checklist PDF for the leaver to sign.
    app.click("[data-action='export-checklist']").await?;
    app.wait_text("[data-toast]", "Saved offboarding-Sam-Patel.pdf")
        .await?;
    let files = exported("offboarding-");
    assert_eq!(files.len(), 1, "one checklist: {files:?}");
    let text = pdf_text(&files[0]);
    for want in [
        "Offboarding checklist",
        "Sam Patel",
        "IT-0001 Dell Latitude 5440",
        "Returned to Store room",
        "IT-0002 MacBook Air 13",
        "Missing (Lost/Stolen)",
        "Figma Professional",
        "Seat released",
        "signature",
    ] {
        assert!(text.contains(want), "the checklist lacks {want:?}:\n{text}");
    }
    app.screenshot("offboarding-resolved").await?;

    app.click("[data-action='finish-offboarding']").await?;
    app.wait_for("[data-offboarding='finished']").await?;
    app.wait_text("[data-view='person-detail'] .title-row", "Left on")
        .await?;
    app.wait_text("[data-history]", "Offboarding started")
        .await?;
    app.screenshot("offboarding-finished").await?;
    open_asset(&app, 2).await?;
    app.wait_text("[data-status-pill]", "Lost/Stolen").await?;
    open_asset(&app, 1).await?;
    app.wait_text("[data-holder]", "Store room").await?;
    app.click("a[data-nav='people']").await?;
    app.wait_text("[data-people-table]", "Left on").await?;
    app.stop().await;
    Ok(())
}
