//! The scenarios: each clicks through one feature in the real window.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use register_core::assets::{self, AssetInput, Holder};
use register_core::documents::{self, DocKind};
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
    for i in 1..=8000 {
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
    assert_eq!(review_count(&app, "new").await?, "8,000");
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
    assert!(db.read(register_core::audit::verify)?.ok);
    app.stop().await;
    Ok(())
}
