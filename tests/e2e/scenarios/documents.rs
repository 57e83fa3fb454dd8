//! Documents: files dropped on an asset, shown, removed with a note, and in the history.

use register_core::assets;
use register_core::documents::{self, DocKind};
use register_core::{Db, Source};
use serde_json::json;

use crate::harness::{
    asset, centre_of, drop_files, history_contains, open_asset, sha256_of, App, Res,
};

pub async fn documents_attach_by_drop_show_remove_and_history() -> Res {
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
    let docs = db.read(|c| documents::documents_of(c, documents::Owner::Asset(1)))?;
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

    let docs = db.read(|c| documents::documents_of(c, documents::Owner::Asset(1)))?;
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].name, "Dell receipt.pdf");
    assert!(db
        .read(|c| documents::documents_of(c, documents::Owner::Asset(2)))?
        .is_empty());
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
