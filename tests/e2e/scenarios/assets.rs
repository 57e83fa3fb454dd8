//! Assets: the first one in an empty register, edits and hand-overs in the history, refusals,
//! search and filters, a long list searched, walked with the keyboard and scrolled, and names that
//! hold markup.

use register_core::assets::{self, Holder};
use register_core::{Db, Source, Status};

use crate::harness::{asset, history_contains, open_asset, seed_three, App, Res};

pub async fn empty_register_teaches_and_creates_an_asset() -> Res {
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
    assert_eq!(
        a.purchase_cost.map(|m| m.to_string()).as_deref(),
        Some("1349.00")
    );
    assert_eq!(a.serial_number.as_deref(), Some("PF4ABC12"));
    history_contains(&app, "Created").await?;
    app.stop().await;
    Ok(())
}

pub async fn edit_assign_return_and_status_show_in_history() -> Res {
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

pub async fn refused_actions_show_their_message() -> Res {
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

pub async fn search_and_filter_narrow_the_list() -> Res {
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

/// The rows of the list in the page, in order: (index, tag, hidden) for every row.
const LIST_ROWS: &str = r#"
return [...document.querySelectorAll("[data-view='assets'] tbody tr")].map((tr) =>
  [tr.dataset.index ?? null, tr.dataset.tag ?? null, tr.hidden]);
"#;

/// A search fills the rows in view at once and the rest of the page just after (see
/// `refill`): whatever the moment, no row shows an asset from an earlier search, and the page
/// ends up whole, in order. Then the keyboard walks past the rows first in view, and scrolling
/// loads the next page.
pub async fn a_long_list_searched_walked_and_scrolled() -> Res {
    let app = App::start(|db| {
        db.write(Source::Cli, |tx| {
            for i in 0..400 {
                let (make, name) = if i % 2 == 0 {
                    ("Dell", "Dell Latitude 5440")
                } else {
                    ("Lenovo", "Lenovo ThinkPad T14")
                };
                let tag = format!("IT-{i:04}");
                assets::create_asset(tx, &asset(&tag, name, make, &format!("SN{i:05}")), None)?;
            }
            Ok(())
        })
        .unwrap();
    })
    .await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 50)
        .await?;
    let check = |rows: &serde_json::Value, want: &str| -> Result<usize, String> {
        let mut shown = 0;
        for (i, row) in rows.as_array().unwrap().iter().enumerate() {
            let (index, tag, hidden) = (&row[0], &row[1], row[2].as_bool().unwrap());
            if hidden {
                if !tag.is_null() {
                    return Err(format!("hidden row {i} still holds {tag}"));
                }
                continue;
            }
            if index.as_str() != Some(&i.to_string()) {
                return Err(format!("row {i} has index {index}"));
            }
            let shown_tag = tag.as_str().unwrap_or_default().to_string();
            let n: usize = shown_tag[3..]
                .parse()
                .map_err(|_| format!("row {i}: {shown_tag}"))?;
            let parity = if want == "lenovo" { 1 } else { 0 };
            if n % 2 != parity {
                return Err(format!("row {i} shows {shown_tag}, not a {want}"));
            }
            shown += 1;
        }
        Ok(shown)
    };
    // Typed one after another, each search's rows are right from the first moment.
    for want in ["dell", "lenovo", "dell"] {
        app.fill("input[data-search]", want).await?;
        app.wait_text("[data-count]", "200 of 400").await?;
        let rows = app.eval(LIST_ROWS).await?;
        check(&rows, want).map_err(|e| format!("just after \"{want}\": {e}"))?;
    }
    let rows = whole_page(&app, "IT-0000").await?;
    app.screenshot("assets-long-list").await?;
    assert_eq!(check(&rows, "dell")?, 50, "{rows}");
    assert_eq!(rows[49][1], serde_json::json!("IT-0098"));

    // Down past the rows first in view: the 30th row is selected and on screen.
    // (The first Down selects the first row.)
    app.eval("document.querySelector('.table-wrap').focus(); return true")
        .await?;
    let down = "\u{e015}".repeat(30);
    crate::harness::type_keys(&app, &down, None).await?;
    app.wait_for("[data-view='assets'] tr[aria-selected='true'][data-index='29']")
        .await?;
    let on_screen = app
        .eval(
            "const w = document.querySelector('.table-wrap').getBoundingClientRect(); \
             const r = document.querySelector(\"tr[aria-selected='true']\").getBoundingClientRect(); \
             return r.top >= w.top && r.bottom <= w.bottom;",
        )
        .await?;
    assert_eq!(
        on_screen,
        serde_json::json!(true),
        "the selected row is in view"
    );

    // Scrolled to the bottom, the next page comes in after the first, in order.
    app.eval("const w = document.querySelector('.table-wrap'); w.scrollTop = w.scrollHeight; return true")
        .await?;
    app.wait_count("[data-view='assets'] tr[data-id]", 100)
        .await?;
    let rows = app.eval(LIST_ROWS).await?;
    assert_eq!(check(&rows, "dell")?, 100, "{rows}");
    assert_eq!(rows[99][1], serde_json::json!("IT-0198"));
    // A new search from down there starts at the top with its first row.
    app.fill("input[data-search]", "lenovo").await?;
    let rows = whole_page(&app, "IT-0001").await?;
    let top = app
        .eval("return document.querySelector('.table-wrap').scrollTop")
        .await?;
    assert_eq!(top, serde_json::json!(0));
    assert_eq!(check(&rows, "lenovo")?, 50, "{rows}");
    assert_eq!(rows[0][1], serde_json::json!("IT-0001"));
    app.stop().await;
    Ok(())
}

/// The list's rows once it shows a whole page of 50 (none hidden) starting at `first`.
async fn whole_page(app: &App, first: &str) -> Res<serde_json::Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let rows = app.eval(LIST_ROWS).await?;
        let list = rows.as_array().cloned().unwrap_or_default();
        let whole = list.len() == 50 && list.iter().all(|r| r[2] == serde_json::json!(false));
        if whole && list[0][1] == serde_json::json!(first) {
            return Ok(rows);
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("the list never showed a whole page from {first}: {rows}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

pub async fn hostile_names_render_as_text() -> Res {
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
