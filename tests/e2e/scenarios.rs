//! The scenarios: each clicks through one feature in the real window.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use register_core::assets::{self, AssetInput, Holder};
use register_core::documents::{self, DocKind};
use register_core::licences::{self, LicenceInput};
use register_core::{Db, Source, Status};
use serde_json::json;

use crate::harness::{exports_dir, open_file_path, App, Res};
use crate::Scenario;

macro_rules! scenario {
    ($name:ident) => {
        (
            stringify!($name),
            || -> Pin<Box<dyn Future<Output = Res> + Send>> { Box::pin($name()) },
        )
    };
}

pub const ALL: &[Scenario] = &[
    scenario!(empty_register_teaches_and_creates_an_asset),
    scenario!(edit_assign_return_and_status_show_in_history),
    scenario!(refused_actions_show_their_message),
    scenario!(search_and_filter_narrow_the_list),
    scenario!(hostile_names_render_as_text),
    scenario!(people_home_and_offboarding_question),
    scenario!(documents_attach_by_drop_show_remove_and_history),
    scenario!(export_pdf_from_the_window),
    scenario!(backup_and_restore_from_settings),
    scenario!(a_read_only_register_says_so_and_refuses_changes),
    scenario!(a_second_window_on_the_same_register_is_refused),
    scenario!(purchase_override_and_value_as_of_a_date),
    scenario!(licences_list_page_seats_and_key),
    scenario!(renewals_forecast_by_month_with_totals),
    scenario!(offboarding_two_assets_and_a_licence_seat),
    scenario!(import_wizard_review_commit_undo_and_export),
];

fn asset(tag: &str, name: &str, make: &str, serial: &str) -> AssetInput {
    AssetInput {
        asset_tag: tag.into(),
        name: name.into(),
        category: "Laptop".into(),
        make: make.into(),
        model: "Model X".into(),
        serial_number: serial.into(),
        purchase_date: "2024-03-01".into(),
        purchase_cost: "999.00".into(),
        supplier: "Insight UK".into(),
        warranty_expires: "2027-03-01".into(),
        notes: String::new(),
    }
}

fn seed_three(db: &Db) {
    for (t, n, m, s) in [
        ("IT-0001", "Dell Latitude 5440", "Dell", "5CD1111"),
        ("IT-0002", "MacBook Air 13", "Apple", "C02ZZ222"),
        ("IT-0003", "Dell UltraSharp monitor", "Dell", "CN0333"),
    ] {
        db.write(Source::Cli, |tx| {
            assets::create_asset(tx, &asset(t, n, m, s), None)
        })
        .unwrap();
    }
}

async fn open_asset(app: &App, id: i64) -> Res {
    app.goto(&format!("#/assets/{id}")).await?;
    app.wait_for("[data-view='asset-detail'] [data-asset-title]")
        .await?;
    Ok(())
}

async fn history_contains(app: &App, needle: &str) -> Res<String> {
    app.click("[data-tab='history']").await?;
    app.wait_text("[data-history]", needle).await
}

async fn empty_register_teaches_and_creates_an_asset() -> Res {
    let app = App::start(|_| {}).await?;
    app.wait_for("[data-view='home']").await?;
    app.screenshot("home-empty").await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_for("[data-view='assets'] [data-empty]").await?;
    app.screenshot("assets-empty").await?;
    app.click("[data-action='new-asset']").await?;
    app.wait_for("[data-view='asset-new'] form[data-asset-form]")
        .await?;
    let tag = app
        .wait_for("form[data-asset-form] [name='asset_tag']")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(tag, "IT-0001", "the next free tag is suggested");
    let form = "form[data-asset-form]";
    app.fill(&format!("{form} [name='name']"), "ThinkPad X1 Carbon")
        .await?;
    app.fill(&format!("{form} [name='category']"), "Laptop")
        .await?;
    app.fill(&format!("{form} [name='make']"), "Lenovo").await?;
    app.fill(&format!("{form} [name='model']"), "X1 Carbon Gen 11")
        .await?;
    app.fill(&format!("{form} [name='serial_number']"), "PF4ABC12")
        .await?;
    app.fill(&format!("{form} [name='purchase_cost']"), "1,349.00")
        .await?;
    app.fill(&format!("{form} [name='supplier']"), "Insight UK")
        .await?;
    app.screenshot("asset-new").await?;
    app.click(&format!("{form} [data-action='save']")).await?;
    app.wait_text(
        "[data-view='asset-detail'] [data-asset-title]",
        "ThinkPad X1 Carbon",
    )
    .await?;
    app.wait_text("[data-status-pill]", "Available").await?;
    let db = Db::open(&app.db_path)?;
    let a = db.read(|c| assets::find_asset(c, "IT-0001"))?;
    assert_eq!(a.purchase_cost.as_deref(), Some("1349.00"));
    assert_eq!(a.serial_number.as_deref(), Some("PF4ABC12"));
    history_contains(&app, "Created").await?;
    app.stop().await;
    Ok(())
}

async fn edit_assign_return_and_status_show_in_history() -> Res {
    let app = App::start(seed_three).await?;
    open_asset(&app, 1).await?;
    // Edit a field.
    app.click("[data-tab='details']").await?;
    app.fill("form[data-asset-form] [name='supplier']", "CDW")
        .await?;
    app.click("form[data-asset-form] [data-action='save']")
        .await?;
    app.wait_text("[data-toast]", "").await?;
    // Assign to a person with a note.
    app.click("[data-action='assign']").await?;
    app.wait_for("dialog[data-dialog='assign'][open]").await?;
    app.fill(
        "dialog[data-dialog='assign'] input[name='person']",
        "Sam Patel",
    )
    .await?;
    app.fill(
        "dialog[data-dialog='assign'] textarea[name='note']",
        "New starter kit",
    )
    .await?;
    app.click("dialog[data-dialog='assign'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-status-pill]", "Deployed").await?;
    app.wait_text("[data-holder]", "Sam Patel").await?;
    app.screenshot("asset-detail-deployed").await?;
    // Return.
    app.click("[data-action='return']").await?;
    app.wait_for("dialog[data-dialog='return'][open]").await?;
    app.fill(
        "dialog[data-dialog='return'] textarea[name='note']",
        "Swapped for a newer model",
    )
    .await?;
    app.click("dialog[data-dialog='return'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-status-pill]", "Available").await?;
    // Change status with a note.
    app.click("[data-action='change-status']").await?;
    app.wait_for("dialog[data-dialog='status'][open]").await?;
    app.wait_for("dialog[data-dialog='status'] select[name='status']")
        .await?
        .select_by_value("in_maintenance")
        .await?;
    app.fill(
        "dialog[data-dialog='status'] textarea[name='note']",
        "Hinge cracked, sent to Dell",
    )
    .await?;
    app.click("dialog[data-dialog='status'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-status-pill]", "In Maintenance")
        .await?;
    // Every step is in History, in words, with notes and the source.
    let h = history_contains(&app, "Assigned to Sam Patel").await?;
    for needle in [
        "Insight UK",
        "CDW",
        "New starter kit",
        "Returned",
        "Swapped for a newer model",
        "In Maintenance",
        "Hinge cracked, sent to Dell",
        "app",
    ] {
        assert!(h.contains(needle), "history lacks {needle:?}:\n{h}");
    }
    app.screenshot("asset-history").await?;
    let db = Db::open(&app.db_path)?;
    let events = db.read(|c| register_core::audit::list_asset_events(c, 1))?;
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "edited",
            "assigned",
            "returned",
            "status_changed"
        ]
    );
    assert!(events[1..].iter().all(|e| e.source == "app"));
    app.stop().await;
    Ok(())
}

async fn refused_actions_show_their_message() -> Res {
    let app = App::start(|db| {
        seed_three(db);
        db.write(Source::Cli, |tx| {
            assets::change_status(tx, 2, Status::Retired, None)
        })
        .unwrap();
    })
    .await?;
    // Assigning a retired asset is refused in the dialog, which stays open.
    open_asset(&app, 2).await?;
    app.click("[data-action='assign']").await?;
    app.fill(
        "dialog[data-dialog='assign'] input[name='person']",
        "Alex Morgan",
    )
    .await?;
    app.click("dialog[data-dialog='assign'] [data-action='confirm']")
        .await?;
    let msg = app
        .wait_text(
            "dialog[data-dialog='assign'] [data-dialog-error]",
            "Retired",
        )
        .await?;
    assert!(!msg.contains("SQL"), "{msg}");
    app.wait_for("dialog[data-dialog='assign'][open]").await?;
    app.screenshot("refused-assign").await?;
    app.client
        .execute(
            "document.querySelector(\"dialog[data-dialog='assign']\").close()",
            vec![],
        )
        .await?;
    // A duplicate serial is shown next to the field, and nothing is created.
    app.goto("#/assets/new").await?;
    app.wait_for("[data-view='asset-new'] form[data-asset-form]")
        .await?;
    app.fill("form[data-asset-form] [name='name']", "Another laptop")
        .await?;
    app.fill("form[data-asset-form] [name='serial_number']", " 5cd1111 ")
        .await?;
    app.click("form[data-asset-form] [data-action='save']")
        .await?;
    app.wait_text("[data-error-for='serial_number']", "IT-0001")
        .await?;
    // An impossible date is refused by the form or by the core, never stored.
    app.screenshot("refused-duplicate-serial").await?;
    let db = Db::open(&app.db_path)?;
    assert_eq!(
        db.read(|c| assets::list_assets(c, &Default::default()))?
            .total,
        3
    );
    assert!(db
        .read(|c| register_core::people::find_person(c, "Alex Morgan"))?
        .is_none());
    app.stop().await;
    Ok(())
}

async fn search_and_filter_narrow_the_list() -> Res {
    let app = App::start(|db| {
        seed_three(db);
        db.write(Source::Cli, |tx| {
            assets::assign_asset(tx, 2, &Holder::Person("Chloë Brontë".into()), None)
        })
        .unwrap();
    })
    .await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.wait_text("[data-count]", "3").await?;
    app.screenshot("assets").await?;
    app.fill("input[data-search]", "dell").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 2)
        .await?;
    app.wait_text("[data-count]", "2 of 3").await?;
    app.fill("input[data-search]", "chloe").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 1)
        .await?;
    let row = app
        .text("[data-view='assets'] tr[data-id] [data-col='asset_tag']")
        .await?;
    assert_eq!(row, "IT-0002");
    app.fill("input[data-search]", "").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.wait_for("select[data-filter='status']")
        .await?
        .select_by_value("deployed")
        .await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 1)
        .await?;
    // Sorting by name puts the Dell monitor before the MacBook.
    app.wait_for("select[data-filter='status']")
        .await?
        .select_by_value("")
        .await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.click("th[data-sort='name']").await?;
    app.click("th[data-sort='name']").await?; // second click: descending
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let first = app
        .text("[data-view='assets'] tr[data-id] [data-col='name']")
        .await?;
    assert_eq!(first, "MacBook Air 13", "descending by name");
    // Enter on a selected row opens it.
    app.click("[data-view='assets'] tr[data-id] [data-col='name']")
        .await?;
    app.wait_for("[data-view='asset-detail']").await?;
    app.stop().await;
    Ok(())
}

async fn hostile_names_render_as_text() -> Res {
    let hostile = "<img src=x onerror=\"window.__pwned=1\"><b>bold</b>";
    let app = App::start(|db| {
        let mut a = asset(
            "IT-0666",
            hostile,
            "<script>window.__pwned=2</script>",
            "X<1>",
        );
        a.notes = "<iframe src=javascript:window.__pwned=3>".into();
        db.write(Source::Cli, |tx| assets::create_asset(tx, &a, None))
            .unwrap();
        db.write(Source::Cli, |tx| {
            assets::assign_asset(
                tx,
                1,
                &Holder::Person("<svg onload=window.__pwned=4>".into()),
                None,
            )
        })
        .unwrap();
    })
    .await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 1)
        .await?;
    let name = app
        .text("[data-view='assets'] tr[data-id] [data-col='name']")
        .await?;
    assert_eq!(name, hostile, "markup shows as text");
    open_asset(&app, 1).await?;
    app.wait_text("[data-asset-title]", "<img").await?;
    app.click("[data-tab='history']").await?;
    app.wait_text("[data-history]", "<svg").await?;
    app.click("a[data-nav='people']").await?;
    app.wait_text("[data-people-table]", "<svg onload").await?;
    let pwned = app.eval("return [window.__pwned === undefined, document.querySelectorAll('main img, main script, main iframe, main svg[onload], [data-view] img[src=x]').length]").await?;
    assert_eq!(
        pwned,
        serde_json::json!([true, 0]),
        "no injected element exists and no handler ran"
    );
    app.screenshot("hostile-text").await?;
    app.stop().await;
    Ok(())
}

async fn people_home_and_offboarding_question() -> Res {
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

/// The centre of the part of `css` that is inside the window, in CSS pixels.
async fn centre_of(app: &App, css: &str) -> Res<(f64, f64)> {
    let v = app
        .client
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, window.innerHeight);
             return [r.left + r.width / 2, (top + bottom) / 2];",
            vec![json!(css)],
        )
        .await?;
    Ok((v[0].as_f64().ok_or("no x")?, v[1].as_f64().ok_or("no y")?))
}

/// Drops files at a point of the window through the app's stand-in for an OS drop, which goes
/// through the same Rust handler and emits the same `register://drop` event.
async fn drop_files(app: &App, paths: &[&Path], x: f64, y: f64) -> Res {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let refused = app
        .client
        .execute_async(
            "window.__TAURI__.core.invoke('e2e_drop_files', {paths: arguments[0], x: arguments[1], y: arguments[2]})
               .then(() => arguments[3](null), (e) => arguments[3](String((e && e.message) || e)))",
            vec![json!(paths), json!(x), json!(y)],
        )
        .await?;
    match refused {
        serde_json::Value::Null => Ok(()),
        other => Err(format!("the drop stand-in refused: {other}").into()),
    }
}

/// `sha256sum FILE`, to check the register's fingerprint against an independent tool.
fn sha256_of(path: &Path) -> Res<String> {
    let out = std::process::Command::new("sha256sum").arg(path).output()?;
    let text = String::from_utf8(out.stdout)?;
    Ok(text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string())
}

async fn documents_attach_by_drop_show_remove_and_history() -> Res {
    let app = App::start(|db| {
        for (t, n, m, s) in [
            ("IT-0001", "Dell Latitude 5440", "Dell", "5CD1111"),
            ("IT-0002", "MacBook Air 13", "Apple", "C02ZZ222"),
        ] {
            db.write(Source::Cli, |tx| {
                assets::create_asset(tx, &asset(t, n, m, s), None)
            })
            .unwrap();
        }
    })
    .await?;
    let dir = tempfile::tempdir()?;
    let receipt = dir.path().join("Dell receipt.pdf");
    std::fs::write(
        &receipt,
        b"%PDF-1.4\n% Dell order 4412 receipt\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )?;
    // A file name cannot hold a '/', so the markup is an element without a closing tag.
    let warranty = dir
        .path()
        .join("warranty <img src=x onerror=window.__pwned=1>.pdf");
    std::fs::write(
        &warranty,
        b"%PDF-1.4\n% ProSupport 3 years\ntrailer << >>\n%%EOF\n",
    )?;
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"")?;

    // Both files dropped on the asset's page land in its Documents tab, kinds guessed.
    open_asset(&app, 1).await?;
    app.wait_text("[data-doc-count]", "0").await?;
    let (x, y) = centre_of(&app, "[data-view='asset-detail']").await?;
    drop_files(&app, &[&receipt, &warranty], x, y).await?;
    app.wait_text("[data-toast]", "Attached 2 files to IT-0001")
        .await?;
    app.wait_count("[data-documents] [data-document]", 2)
        .await?;
    app.wait_text("[data-doc-count]", "2").await?;
    let shown = app
        .eval(
            "return [...document.querySelectorAll('[data-documents] [data-document]')].map(tr =>
               [tr.querySelector('[data-col=name]').textContent, tr.querySelector('select[name=kind]').value])",
        )
        .await?;
    assert_eq!(
        shown,
        json!([
            ["Dell receipt.pdf", "receipt"],
            [
                "warranty <img src=x onerror=window.__pwned=1>.pdf",
                "warranty"
            ]
        ]),
        "names as text, kinds guessed from the names"
    );
    let injected = app
        .eval("return [window.__pwned === undefined, document.querySelectorAll('main img, [data-toast] img').length]")
        .await?;
    assert_eq!(
        injected,
        json!([true, 0]),
        "a file name's markup stays text"
    );
    let db = Db::open(&app.db_path)?;
    let docs = db.read(|c| documents::list_documents(c, 1))?;
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].kind, DocKind::Receipt);
    assert_eq!(docs[1].kind, DocKind::Warranty);
    assert_eq!(docs[0].sha256, sha256_of(&receipt)?);
    assert_eq!(docs[0].size as u64, std::fs::metadata(&receipt)?.len());
    let row0 = format!("[data-document='{}']", docs[0].id);
    let hash_cell = app.text(&format!("{row0} [data-col='sha256']")).await?;
    assert_eq!(hash_cell, docs[0].sha256[..12], "the short SHA-256");
    app.screenshot("asset-documents").await?;

    // The list shows a paperclip with the count on that row only.
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 2)
        .await?;
    app.wait_text("tr[data-id='1'] [data-paperclip]", "2")
        .await?;
    app.wait_count("tr[data-id='2'] [data-paperclip]", 0)
        .await?;

    // Remove the warranty with a note, through the confirm dialog.
    app.goto("#/assets/1?tab=documents").await?;
    app.wait_count("[data-documents] [data-document]", 2)
        .await?;
    let row1 = format!("[data-document='{}']", docs[1].id);
    app.click(&format!("{row1} [data-action='remove-document']"))
        .await?;
    app.wait_for("dialog[data-dialog='remove-document'][open]")
        .await?;
    app.fill(
        "dialog[data-dialog='remove-document'] textarea[name='note']",
        "Superseded by the extended warranty",
    )
    .await?;
    app.click("dialog[data-dialog='remove-document'] [data-action='confirm']")
        .await?;
    app.wait_count("[data-documents] [data-document]", 1)
        .await?;
    app.wait_text("[data-doc-count]", "1").await?;
    let h = history_contains(
        &app,
        "Removed warranty <img src=x onerror=window.__pwned=1>.pdf",
    )
    .await?;
    for needle in [
        "Attached receipt Dell receipt.pdf (",
        "Attached warranty warranty <img src=x onerror=window.__pwned=1>.pdf (",
        &docs[0].sha256[..12],
        "Superseded by the extended warranty",
    ] {
        assert!(h.contains(needle), "history lacks {needle:?}:\n{h}");
    }
    let injected = app
        .eval("return [window.__pwned === undefined, document.querySelectorAll('main img').length]")
        .await?;
    assert_eq!(
        injected,
        json!([true, 0]),
        "the history shows the name as text"
    );
    app.screenshot("document-history").await?;

    // A drop on the list's empty space (below the rows) attaches nothing and says where to drop.
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 2)
        .await?;
    let spot = app
        .eval(
            "const wrap = document.querySelector('[data-view=assets] .table-wrap').getBoundingClientRect();
             const rows = document.querySelectorAll('[data-view=assets] tr[data-id]');
             const last = rows[rows.length - 1].getBoundingClientRect();
             const x = wrap.left + 60, y = (last.bottom + wrap.bottom) / 2;
             const el = document.elementFromPoint(x, y);
             return [x, y, Boolean(el && el.closest('.table-wrap') && !el.closest('tr'))];",
        )
        .await?;
    assert_eq!(spot[2], json!(true), "the point is the list's empty space");
    let (x, y) = (spot[0].as_f64().unwrap(), spot[1].as_f64().unwrap());
    drop_files(&app, &[&receipt], x, y).await?;
    app.wait_text(
        "[data-toast]",
        "Drop files on an asset in the list or on an asset’s page",
    )
    .await?;

    // An empty file dropped on a row is refused, with its reason.
    let (x, y) = centre_of(&app, "[data-view='assets'] tr[data-id='2']").await?;
    drop_files(&app, &[&empty], x, y).await?;
    app.wait_text("[data-toast]", "empty.pdf is empty").await?;
    app.wait_count("tr[data-id='2'] [data-paperclip]", 0)
        .await?;

    // An asset without documents teaches how to add them.
    app.goto("#/assets/2?tab=documents").await?;
    app.wait_text("[data-documents-empty]", "No documents yet")
        .await?;
    app.screenshot("asset-documents-empty").await?;

    let docs = db.read(|c| documents::list_documents(c, 1))?;
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].name, "Dell receipt.pdf");
    assert!(db.read(|c| documents::list_documents(c, 2))?.is_empty());
    let kinds: Vec<String> = db
        .read(|c| register_core::audit::list_asset_events(c, 1))?
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "document_attached",
            "document_attached",
            "document_removed"
        ]
    );
    app.stop().await;
    Ok(())
}

/// The PDFs in the exports folder whose names start with `prefix`.
fn exported(prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(exports_dir())
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let name = p.file_name().unwrap_or_default().to_string_lossy();
                    name.starts_with(prefix) && name.ends_with(".pdf")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The text of a PDF, by `pdftotext` (poppler-utils).
fn pdf_text(path: &Path) -> Res<String> {
    let bytes = std::fs::read(path)?;
    assert!(bytes.starts_with(b"%PDF"), "{} is a PDF", path.display());
    let out = std::process::Command::new("pdftotext")
        .args([path.as_os_str(), "-".as_ref()])
        .output()?;
    assert!(out.status.success(), "pdftotext read {}", path.display());
    Ok(String::from_utf8(out.stdout)?)
}

async fn export_pdf_from_the_window() -> Res {
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
    let text = pdf_text(&files[0])?;
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
    let text = pdf_text(&files[0])?;
    assert!(text.contains("IT-0004"), "the dossier names its asset");
    app.stop().await;
    Ok(())
}

fn backups_saved() -> Vec<PathBuf> {
    std::fs::read_dir(exports_dir())
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tar"))
                .collect()
        })
        .unwrap_or_default()
}

async fn backup_and_restore_from_settings() -> Res {
    for old in backups_saved() {
        std::fs::remove_file(old)?;
    }
    let app = App::start(seed_three).await?;
    app.click("a[data-nav='settings']").await?;
    app.wait_for("[data-view='settings'] [data-action='backup']")
        .await?;
    app.click("[data-action='backup']").await?;
    let toast = app.wait_text("[data-toast]", "Backup saved").await?;
    assert!(toast.contains("changes, 0 documents"), "{toast}");
    let saved = backups_saved();
    assert_eq!(saved.len(), 1, "{saved:?}");
    app.screenshot("settings-backups").await?;

    // A change after the backup, made by another program (the CLI, say).
    {
        let db = Db::open(&app.db_path)?;
        let late = asset("IT-0004", "Made after the backup", "HP", "LATE004");
        db.write(Source::Cli, |tx| assets::create_asset(tx, &late, None))?;
    }
    app.click("[data-action='restore']").await?;
    app.wait_for("dialog[data-dialog='restore'][open]").await?;
    let facts = app.text("dialog[data-dialog='restore'] dl").await?;
    assert!(facts.contains("Changes recorded"), "{facts}");
    app.screenshot("restore-dialog").await?;
    app.click("dialog[data-dialog='restore'] [data-action='confirm']")
        .await?;
    app.wait_text("[data-toast]", "Restored the backup").await?;
    app.wait_for("[data-view='home']").await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 3)
        .await?;
    app.wait_text("[data-integrity-badge]", "Verified").await?;
    // The replaced register (with IT-0004) was kept beside the restored one.
    let folder = app.db_path.parent().unwrap();
    let kept: Vec<_> = std::fs::read_dir(folder)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("register.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let old = Db::open(&folder.join(&kept[0]))?;
    assert!(old.read(|c| assets::find_asset(c, "IT-0004")).is_ok());
    app.stop().await;
    Ok(())
}

async fn a_read_only_register_says_so_and_refuses_changes() -> Res {
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

async fn a_second_window_on_the_same_register_is_refused() -> Res {
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

/// Sets a field's value as a picker would (WebDriver cannot type into every native date
/// control) and fires `input` and `change`.
async fn set_value(app: &App, css: &str, value: &str) -> Res {
    app.wait_for(css).await?;
    app.client
        .execute(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1];
             el.dispatchEvent(new Event('input', {bubbles: true}));
             el.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![json!(css), json!(value)],
        )
        .await?;
    Ok(())
}

async fn purchase_override_and_value_as_of_a_date() -> Res {
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
                a.purchase_cost.as_deref()
            ),
            (tag, Some(serial), Some("289.99"))
        );
        assert_eq!(a.warranty_expires.as_deref(), Some("2028-11-20"));
        assert_eq!(a.supplier.as_deref(), Some("Dell UK"));
        let docs = db.read(|c| documents::list_documents(c, id))?;
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
    let bv = dep.book_value.expect("bought before today");
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
        (want.total.cost.as_str(), want.total.book_value.as_str()),
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

fn licence(
    db: &Db,
    product: &str,
    vendor: &str,
    seats: &str,
    renewal: &str,
    cost: &str,
    period: &str,
) -> i64 {
    db.write(Source::Cli, |tx| {
        licences::create_licence(
            tx,
            &LicenceInput {
                product: Some(product.into()),
                vendor: Some(vendor.into()),
                seats: Some(seats.into()),
                renewal_date: Some(renewal.into()),
                cost: Some(cost.into()),
                period: Some(period.into()),
                licence_key: Some("M365-ABCD-EFGH-7Q2X".into()),
                ..Default::default()
            },
            None,
        )
    })
    .unwrap()
    .id
}

fn days_from_today(n: u64) -> chrono::NaiveDate {
    register_core::today() + chrono::Days::new(n)
}

async fn licences_list_page_seats_and_key() -> Res {
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

async fn renewals_forecast_by_month_with_totals() -> Res {
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
    let first = app.text(&format!("[data-month='{m1}']")).await?;
    for want in [
        "IT-0001",
        "Dell Latitude 5440",
        "Warranty ends",
        "Microsoft 365 Business",
        "Licence renews",
    ] {
        assert!(first.contains(want), "{m1} lacks {want:?}: {first}");
    }
    app.wait_for(&format!("[data-month='{m1}'] [data-month-total='1234.56']"))
        .await?;
    let second = app.text(&format!("[data-month='{m2}']")).await?;
    for want in ["IT-0002", "AutoCAD LT", "Licence expires"] {
        assert!(second.contains(want), "{m2} lacks {want:?}: {second}");
    }
    app.wait_for(&format!("[data-month='{m2}'] [data-month-total='359.88']"))
        .await?;
    app.wait_for("[data-grand-total='1594.44']").await?;
    let months = app
        .eval("return document.querySelectorAll('[data-month]').length")
        .await?;
    assert_eq!(months, json!(12), "twelve months");
    app.screenshot("renewals").await?;
    // Each item links to its licence or asset.
    app.click(&format!("[data-month='{m2}'] tr[data-due='licence'] a"))
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

async fn offboarding_two_assets_and_a_licence_seat() -> Res {
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
    let text = pdf_text(&files[0])?;
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

/// Sets a `<select>` (or any input) and fires `change`, as a user's choice does.
async fn choose(app: &App, css: &str, value: &str) -> Res {
    let done = app
        .client
        .execute(
            "const el = document.querySelector(arguments[0]);
             if (!el) return false;
             el.value = arguments[1];
             el.dispatchEvent(new Event('change', { bubbles: true }));
             return el.value === arguments[1];",
            vec![json!(css), json!(value)],
        )
        .await?;
    if done != json!(true) {
        return Err(format!("cannot choose {value:?} in {css}").into());
    }
    Ok(())
}

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

async fn import_wizard_review_commit_undo_and_export() -> Res {
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
    app.wait_text("[data-column='Kit ref']", "Not recognised")
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
    app.click("[data-date-order='dmy']").await?;
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
    assert_eq!(a1.purchase_cost.as_deref(), Some("1249.99"));
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
        .map(|r| (r.cells[0].clone(), r.cells[1].clone()))
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
