//! Import: the wizard from a dropped or chosen file through review, commit, export and undo.

use register_core::assets;
use register_core::{Db, Status};
use serde_json::json;

use crate::harness::{
    centre_of, choose, drop_files, exports_dir, open_file_path, seed_three, set_value, App, Res,
};

/// The review's count for `key` (new, update, duplicate, error) once the plan is ready.
async fn review_count(app: &App, key: &str) -> Res<String> {
    app.wait_for("[data-review-state='ready']").await?;
    app.text(&format!("[data-count='{key}'] .stat-count")).await
}

const IMPORT_CSV: &str = "\
Inventory No,Description,Manufacturer,Serial No.,Purchased,Price,Warranty,Status,Kit ref
IMP-001,ThinkPad T14,Lenovo,PF-1001,2024-01-15,\"£1,249.99\",01/02/2027,In stock,KIT-7
IMP-002,Monitor 27,Dell,MON-2002,2024-02-30,199.00,01/03/2027,Spare,KIT-8
IMP-003,iPhone 15,Apple,F2LX3003,2024-03-01,799.00,01/04/2027,In stock,
IT-0001,Dell Latitude 5440 refurbished,Dell,5CD1111,2024-03-01,999.00,01/03/2027,In stock,
IMP-003,iPhone 15,Apple,F2LX3003,2024-03-01,799.00,01/04/2027,In stock,
IMP-004,Desk phone,Yealink,YL-4004,2024-04-02,89.00,02/04/2027,With engineer,
IMP-005,USB-C dock,Lenovo,PF-1001,2024-04-03,120.00,03/04/2027,In stock,
";

pub async fn import_wizard_review_commit_undo_and_export() -> Res {
    let app = App::start(seed_three).await?;
    let db = Db::open(&app.db_path)?;

    // A big CSV dropped on the Assets view (not on a row) opens the wizard; its import shows
    // progress and Cancel leaves nothing behind.
    let dir = tempfile::tempdir()?;
    let big = dir.path().join("stock-take 2024.csv");
    let mut text = String::from("Tag,Name,Serial\n");
    for i in 1..=30000 {
        text.push_str(&format!("BIG-{i:05},Thing {i},SN-BIG-{i}\n"));
    }
    std::fs::write(&big, text)?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    let (x, y) = centre_of(&app, "[data-view='assets'] h1").await?;
    drop_files(&app, &[&big], x, y).await?;
    app.wait_for("[data-view='import'] [data-step='columns']")
        .await?;
    app.click("[data-action='import-review']").await?;
    assert_eq!(review_count(&app, "new").await?, "30,000");
    app.click("[data-action='import-commit']").await?;
    app.wait_for("[data-step='importing']").await?;
    app.wait_text("[data-progress-text]", "%").await?;
    app.screenshot("import-4-progress").await?;
    app.click("[data-action='import-cancel']").await?;
    app.wait_text("[data-toast]", "cancelled").await?;
    app.wait_for("[data-step='review']").await?;
    assert_eq!(
        db.read(|c| assets::list_assets(c, &Default::default()))?
            .total,
        3
    );
    assert!(db.read(register_core::import::list_imports)?.is_empty());

    // The file step, then a file chosen in the (bypassed) open dialog.
    app.click("[data-action='import-start-over']").await?;
    app.wait_for("[data-step='file']").await?;
    app.screenshot("import-1-file").await?;
    std::fs::write(open_file_path(), IMPORT_CSV)?;
    app.click("[data-action='choose-import-file']").await?;
    app.wait_for("[data-step='columns']").await?;
    let mapped = app
        .eval("return [...document.querySelectorAll('[data-map-column]')].map((s) => s.value)")
        .await?;
    assert_eq!(
        mapped,
        json!([
            "asset_tag",
            "name",
            "make",
            "serial_number",
            "purchase_date",
            "purchase_cost",
            "warranty_expires",
            "status",
            "ignore"
        ])
    );
    // Each column says why it imports as it does, and how sure that is (#16).
    app.wait_text("[data-column='Kit ref']", "Not imported")
        .await?;
    app.wait_text(
        "[data-column='Purchased'] [data-match-reason]",
        "The header names the purchase date",
    )
    .await?;
    app.wait_for("[data-column='Inventory No'] [data-confidence='sure']")
        .await?;
    // "Warranty" alone may be a number of months: a guess, and it says so.
    app.wait_for("[data-column='Warranty'] [data-confidence='guess']")
        .await?;
    app.screenshot("import-2-columns").await?;
    let samples = app
        .eval("return document.querySelector(\"[data-column='Inventory No']\").textContent")
        .await?;
    assert!(samples.to_string().contains("IMP-001"), "{samples}");
    // Two columns on one field is refused next to the mapping.
    choose(&app, "[data-map-column='8']", "name").await?;
    app.wait_text("[data-mapping-error]", "both go to Name")
        .await?;
    choose(&app, "[data-map-column='8']", "notes").await?;
    app.screenshot("import-2-columns").await?;
    app.click("[data-action='import-review']").await?;

    // Review: the ambiguous warranty dates and the unknown status word are asked about first.
    app.wait_for("[data-review-state='ready']").await?;
    app.wait_for("[data-question='dates']").await?;
    app.wait_text("[data-question='statuses']", "With engineer")
        .await?;
    let blocked = app
        .eval("return document.querySelector('[data-action=import-commit]').disabled")
        .await?;
    assert_eq!(
        blocked,
        json!(true),
        "nothing imports while questions are open"
    );
    // No option names from inside the app in what it says (#19, item 10).
    let said = app
        .eval("return document.querySelector('[data-step=review]').textContent")
        .await?;
    let said = said.as_str().unwrap_or_default();
    assert!(
        !said.contains("date_order") && !said.contains("status_overrides"),
        "{said}"
    );
    app.click("[data-date-order='dmy']").await?;
    app.wait_for("[data-review-state='ready']").await?;
    // The answer stays on screen and can be changed (#19, item 10).
    app.wait_text("[data-question='dates'][data-answered]", "day first")
        .await?;
    app.click("[data-date-order='mdy']").await?;
    app.wait_text("[data-question='dates'][data-answered]", "month first")
        .await?;
    app.click("[data-date-order='dmy']").await?;
    app.wait_text("[data-question='dates'][data-answered]", "day first")
        .await?;
    app.wait_for("[data-review-state='ready']").await?;
    choose(&app, "[data-status-word='With engineer']", "in_maintenance").await?;
    assert_eq!(review_count(&app, "error").await?, "1");
    assert_eq!(review_count(&app, "new").await?, "3");
    assert_eq!(review_count(&app, "duplicate").await?, "3");
    // The error row with its line, column and reason.
    let error = app
        .wait_text("[data-issues='error'] tr[data-line='3']", "Purchased")
        .await?;
    assert!(error.contains("IMP-002"), "{error}");
    // Duplicates: the identical row, the tag already in the register, the serial taken in the
    // file. The register's IT-0001 is updated instead, for that row only.
    app.wait_text("[data-section='duplicates'] tr[data-line='6']", "Identical")
        .await?;
    app.wait_text("[data-section='duplicates'] tr[data-line='8']", "IMP-001")
        .await?;
    choose(&app, "[data-row-decision='5']", "update").await?;
    assert_eq!(review_count(&app, "update").await?, "1");
    assert_eq!(review_count(&app, "duplicate").await?, "2");
    app.screenshot("import-3-review").await?;
    app.click("[data-skip-invalid]").await?;
    let go = app.text("[data-action='import-commit']").await?;
    assert_eq!(go, "Import 4 assets");
    app.click("[data-action='import-commit']").await?;
    app.wait_for("[data-import-done]").await?;
    assert_eq!(app.text("[data-done-created]").await?, "3");
    app.screenshot("import-5-done").await?;

    let a1 = db.read(|c| assets::find_asset(c, "IMP-001"))?;
    assert_eq!(a1.notes.as_deref(), Some("KIT-7"));
    assert_eq!(
        a1.purchase_cost.map(|m| m.to_string()).as_deref(),
        Some("1249.99")
    );
    assert_eq!(a1.warranty_expires.as_deref(), Some("2027-02-01"));
    assert_eq!(
        db.read(|c| assets::find_asset(c, "IMP-004"))?.status,
        Status::InMaintenance
    );
    assert_eq!(
        db.read(|c| assets::find_asset(c, "IT-0001"))?.name,
        "Dell Latitude 5440 refurbished"
    );
    assert!(db.read(|c| assets::find_asset(c, "IMP-002")).is_err());

    // The list shows the new assets.
    app.click("[data-action='show-imported']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 6)
        .await?;
    app.wait_text("[data-view='assets'] tbody", "ThinkPad T14")
        .await?;

    // Export the whole register as CSV: its rows are the register's assets.
    let today = register_core::today();
    let csv_out = exports_dir().join(format!("asset-register-{today}.csv"));
    let json_out = exports_dir().join(format!("asset-register-{today}.json"));
    let _ = std::fs::remove_file(&csv_out);
    let _ = std::fs::remove_file(&json_out);
    app.click("[data-action='export-assets']").await?;
    app.wait_for("dialog[data-dialog='export-assets'][open]")
        .await?;
    app.screenshot("export-assets-dialog").await?;
    app.click("dialog[data-dialog='export-assets'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-toast]", "(6 assets)").await?;
    let bytes = std::fs::read(&csv_out)?;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for spreadsheets");
    let parsed = register_core::import::read_file(&bytes)?;
    let live = db.read(|c| register_core::export::list_all_assets(c, false))?;
    let rows: Vec<(String, String)> = parsed
        .rows
        .iter()
        .map(|r| {
            (
                r.cell(0).unwrap().to_string(),
                r.cell(1).unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = live
        .iter()
        .map(|a| (a.asset_tag.clone(), a.name.clone()))
        .collect();
    assert_eq!(rows, expected);

    // The current filter as JSON.
    app.fill("input[data-search]", "IMP").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.click("[data-action='export-assets']").await?;
    app.wait_for("dialog[data-dialog='export-assets'][open]")
        .await?;
    app.click("dialog[data-dialog='export-assets'] input[value='json']")
        .await?;
    app.click("dialog[data-dialog='export-assets'] input[value='filter']")
        .await?;
    app.click("dialog[data-dialog='export-assets'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-toast]", "(3 assets)").await?;
    let exported: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_out)?)?;
    let tags: Vec<&str> = exported
        .as_array()
        .ok_or("an array")?
        .iter()
        .filter_map(|a| a["asset_tag"].as_str())
        .collect();
    assert_eq!(tags, ["IMP-001", "IMP-003", "IMP-004"]);

    // Undo from the wizard's done step.
    app.click("a[data-nav='import']").await?;
    app.wait_for("[data-import-done]").await?;
    app.click("[data-action='undo-import']").await?;
    app.wait_for("dialog[data-dialog='undo-import'][open]")
        .await?;
    app.click("dialog[data-dialog='undo-import'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-import-undone]", "3 assets archived")
        .await?;
    // The undo is confirmed, and says the people it added stay (#19, item 10).
    app.wait_text("[data-toast]", "People it added stay")
        .await?;
    app.screenshot("import-6-undone").await?;
    // Past imports list it as undone; nothing is left to undo there.
    app.click("[data-action='import-another']").await?;
    app.wait_text("[data-past-imports] tr[data-import-id='1']", "Undone")
        .await?;
    let undo_buttons = app
        .eval("return document.querySelectorAll('[data-action=undo-past-import]').length")
        .await?;
    assert_eq!(undo_buttons, json!(0));
    app.screenshot("import-7-past-imports").await?;
    assert!(db.read(|c| assets::find_asset(c, "IMP-001"))?.archived);
    assert_eq!(
        db.read(|c| assets::find_asset(c, "IT-0001"))?.name,
        "Dell Latitude 5440"
    );

    // The same file again: the assets the undo took away come back (their tags stay reserved,
    // so they are brought back, not refused), and the review says so.
    app.click("[data-action='choose-import-file']").await?;
    app.wait_for("[data-step='columns']").await?;
    app.click("[data-action='import-review']").await?;
    app.wait_for("[data-review-state='ready']").await?;
    let has = |css: &str| format!("return document.querySelector({css:?}) !== null");
    if app.eval(&has("[data-date-order='dmy']")).await? == json!(true) {
        app.click("[data-date-order='dmy']").await?;
        app.wait_for("[data-review-state='ready']").await?;
    }
    if app.eval(&has("[data-status-word='With engineer']")).await? == json!(true) {
        choose(&app, "[data-status-word='With engineer']", "in_maintenance").await?;
    }
    assert_eq!(review_count(&app, "new").await?, "3");
    app.click("[data-section='warnings'] summary").await?;
    app.wait_text("[data-issues='warning']", "brings back IMP-001")
        .await?;
    app.screenshot("import-8-brought-back").await?;
    app.click("[data-skip-invalid]").await?;
    app.click("[data-action='import-commit']").await?;
    app.wait_for("[data-import-done]").await?;
    assert_eq!(app.text("[data-done-created]").await?, "3");
    let back = db.read(|c| assets::find_asset(c, "IMP-001"))?;
    assert!(!back.archived);
    assert_eq!(back.notes.as_deref(), Some("KIT-7"));
    assert!(db.read(register_core::audit::verify)?.ok);
    app.stop().await;
    Ok(())
}

/// A "CSV" that is really a device (a link to /dev/zero) is refused by name, before anything is
/// read: the window reads import files through the same checks and 512 MB cap as the CLI.
pub async fn a_device_posing_as_a_csv_is_refused_by_the_wizard() -> Res {
    let app = App::start(seed_three).await?;
    app.goto("#/import").await?;
    app.wait_for("[data-step='file']").await?;
    let chosen = open_file_path();
    let _ = std::fs::remove_file(&chosen);
    #[cfg(unix)]
    std::os::unix::fs::symlink("/dev/zero", &chosen)?;
    app.click("[data-action='choose-import-file']").await?;
    let refused = app
        .wait_text("[data-import-error]", "not an ordinary file")
        .await;
    std::fs::remove_file(&chosen)?;
    let msg = refused?;
    assert!(msg.contains("e2e-open-file.csv"), "{msg}");
    app.wait_for("[data-step='file']").await?;
    app.stop().await;
    Ok(())
}

/// Issue #16: a workbook dropped on the window opens the wizard, which offers its sheets; a
/// sheet with no tag column gets generated tags; a PDF chosen as the file is named and refused.
pub async fn a_workbook_imports_with_its_sheet_choice_and_generated_tags() -> Res {
    let app = App::start(seed_three).await?;
    let db = Db::open(&app.db_path)?;
    let dir = tempfile::tempdir()?;
    let book = dir.path().join("Office assets.xlsx");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import-two-sheets.xlsx"),
        &book,
    )?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    let (x, y) = centre_of(&app, "[data-view='assets'] h1").await?;
    drop_files(&app, &[&book], x, y).await?;
    app.wait_for("[data-view='import'] [data-step='columns']")
        .await?;
    let facts = "return document.querySelector('[data-import-file]').textContent";
    app.wait_for("[data-import-sheet]").await?;
    let line = app.eval(facts).await?.to_string();
    assert!(line.contains("sheet “Laptops”"), "{line}");
    let sheets = app
        .eval("return [...document.querySelectorAll('[data-import-sheet] option')].map((o) => o.value)")
        .await?;
    assert_eq!(sheets, json!(["Laptops", "Phones"]));

    // The other sheet has no tag column: the one problem is said once, with the way out.
    choose(&app, "[data-import-sheet]", "Phones").await?;
    app.wait_text("[data-mapping-error]", "have tags generated")
        .await?;
    let line = app.eval(facts).await?.to_string();
    assert!(line.contains("sheet “Phones”"), "{line}");
    set_value(&app, "[data-tag-prefix]", "PH-").await?;
    app.wait_text("[data-generate]", "PH-0001, PH-0002").await?;
    // Why each column is matched, and how surely (#16).
    app.wait_text(
        "[data-column='Held by'] [data-match-reason]",
        "The header names who holds it",
    )
    .await?;
    app.wait_text(
        "[data-column='Site'] [data-match-reason]",
        "The header names where it is",
    )
    .await?;
    app.wait_for("[data-column='Cost (£)'] [data-confidence='sure']")
        .await?;
    app.screenshot("import-workbook-columns").await?;
    app.click("[data-action='import-review']").await?;
    assert_eq!(review_count(&app, "new").await?, "2");
    assert_eq!(review_count(&app, "error").await?, "0");
    app.wait_text("[data-generated-tags]", "PH-0001 to PH-0002")
        .await?;
    app.screenshot("import-workbook-review").await?;
    app.click("[data-action='import-commit']").await?;
    app.wait_for("[data-step='done']").await?;
    let phone = db.read(|c| assets::find_asset(c, "PH-0001"))?;
    assert_eq!(phone.name, "Reception phone");
    assert_eq!(phone.purchase_date.as_deref(), Some("2024-01-01"));
    assert_eq!(
        phone.purchase_cost.map(|m| m.to_string()).as_deref(),
        Some("599.99")
    );
    assert_eq!(
        db.read(|c| assets::find_asset(c, "PH-0002"))?.name,
        "Sales phone"
    );
    // The row named a person and a site: the asset's page shows the holder and the location.
    assert_eq!(
        (phone.assigned_to.as_deref(), phone.location.as_deref()),
        (Some("Sam Patel"), Some("Manchester"))
    );
    crate::harness::open_asset(&app, phone.id).await?;
    let facts = app.wait_text(".facts-card", "Manchester").await?;
    assert!(facts.contains("Sam Patel"), "{facts}");
    app.goto("#/import").await?;

    // A PDF chosen in the open dialog (named .csv): one sentence, nothing written.
    app.click("[data-action='import-another']").await?;
    app.wait_for("[data-step='file']").await?;
    std::fs::write(open_file_path(), b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
    app.click("[data-action='choose-import-file']").await?;
    app.wait_text("[data-import-error]", "This file is a PDF document")
        .await?;

    // A Windows-1250 CSV: the detected encoding is named, and another can be chosen.
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import-windows-1250.csv"),
        open_file_path(),
    )?;
    app.click("[data-action='choose-import-file']").await?;
    app.wait_for("[data-step='columns']").await?;
    let encoding = "return document.querySelector('[data-import-encoding]').value";
    assert_eq!(app.eval(encoding).await?, json!("windows-1250"));
    app.wait_text("[data-column='Location']", "Łódź").await?;
    choose(&app, "[data-import-encoding]", "windows-1252").await?;
    app.wait_text("[data-column='Location']", "£ódŸ").await?;
    assert_eq!(app.eval(encoding).await?, json!("windows-1252"));
    std::fs::remove_file(open_file_path())?;
    assert_eq!(
        db.read(|c| assets::list_assets(c, &Default::default()))?
            .total,
        5
    );
    app.stop().await;
    Ok(())
}

/// #16: a column no field takes is named in the review with what it holds, and kept in the
/// notes in one click; a column with no header a rule knows is matched by its values, and says so.
pub async fn import_keeps_every_column_and_a_holders_site() -> Res {
    let app = App::start(|_| {}).await?;
    let db = Db::open(&app.db_path)?;
    std::fs::write(
        open_file_path(),
        "Ref,Name,Who,Kit ref,Site\nLAP-0001,ThinkPad,Sam Patel,KIT-7,Manchester\nLAP-0002,MacBook,Chloë Brontë,KIT-8,\nLAP-0003,Dock,Sam Patel,,\n",
    )?;
    app.goto("#/import").await?;
    app.click("[data-action='choose-import-file']").await?;
    app.wait_for("[data-step='columns']").await?;
    // "Ref" and "Who" say nothing a rule knows: their values do.
    app.wait_text(
        "[data-column='Ref'] [data-match-reason]",
        "shaped like tags",
    )
    .await?;
    app.wait_for("[data-column='Ref'] [data-matched-by='content']")
        .await?;
    app.wait_text("[data-column='Who'] [data-match-reason]", "people's names")
        .await?;
    app.click("[data-action='import-review']").await?;
    app.wait_for("[data-review-state='ready']").await?;
    let named = app
        .wait_text("[data-ignored-column='Kit ref']", "KIT-7")
        .await?;
    assert!(named.contains("2 rows"), "{named}");
    app.screenshot("import-ignored-columns").await?;
    app.click("[data-ignored-column='Kit ref'] [data-action='keep-in-notes']")
        .await?;
    app.wait_for("[data-ignored-column='Kit ref'][data-kept='yes']")
        .await?;
    app.wait_for("[data-review-state='ready']").await?;
    app.click("[data-action='import-commit']").await?;
    app.wait_for("[data-step='done']").await?;
    let a = db.read(|c| register_core::assets::find_asset(c, "LAP-0001"))?;
    assert_eq!(a.notes.as_deref(), Some("Kit ref: KIT-7"));
    assert_eq!(a.assigned_to.as_deref(), Some("Sam Patel"));
    // The row named a person and a site: both are kept, and the asset's page shows both.
    assert_eq!(a.location.as_deref(), Some("Manchester"));
    crate::harness::open_asset(&app, a.id).await?;
    let facts = app.wait_text(".facts-card", "Manchester").await?;
    assert!(facts.contains("Sam Patel"), "{facts}");
    app.screenshot("import-held-asset-with-location").await?;
    // Assigning to another person keeps the place unless it is changed in the dialog.
    app.click("[data-action='assign']").await?;
    app.wait_for("dialog[data-dialog='assign'][open]").await?;
    let kept = app
        .eval("return document.querySelector(\"dialog[data-dialog='assign'] input[name='kept_at']\").value")
        .await?;
    assert_eq!(kept, serde_json::json!("Manchester"));
    app.fill(
        "dialog[data-dialog='assign'] input[name='person']",
        "Chloë Brontë",
    )
    .await?;
    app.fill(
        "dialog[data-dialog='assign'] input[name='kept_at']",
        "Leeds",
    )
    .await?;
    app.click("dialog[data-dialog='assign'] [data-action='confirm']")
        .await?;
    app.wait_text(".facts-card", "Leeds").await?;
    let a = db.read(|c| register_core::assets::find_asset(c, "LAP-0001"))?;
    assert_eq!(
        (a.assigned_to.as_deref(), a.location.as_deref()),
        (Some("Chloë Brontë"), Some("Leeds"))
    );
    app.stop().await;
    Ok(())
}
