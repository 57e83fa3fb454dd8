//! Settings → About: the version, the register it has open, its schema and history, the log
//! file, and the licences of what the app ships.

use register_core::audit;

use crate::harness::{seed_three, App, Res};

pub async fn about_names_the_version_the_register_and_the_licences() -> Res {
    let app = App::start(seed_three).await?;
    app.click("a[data-nav='settings']").await?;
    let field = |key: &str| format!("[data-about] [data-about-field='{key}']");
    app.wait_text(&field("version"), env!("CARGO_PKG_VERSION"))
        .await?;
    let path = app.db_path.display().to_string();
    app.wait_text(&field("register_path"), &path).await?;
    app.wait_text(
        &field("schema_version"),
        &register_core::schema::VERSION.to_string(),
    )
    .await?;
    let (events, head) = {
        let db = register_core::Db::open(&app.db_path)?;
        db.read(audit::head)?
    };
    let history = app.wait_text(&field("events"), &head).await?;
    assert!(history.contains(&format!("{events} events")), "{history}");
    app.wait_text(&field("licence"), "MIT").await?;
    app.wait_text(&field("log_path"), "asset-register.log")
        .await?;
    // The third-party licences are folded away until asked for.
    app.click("[data-third-party] summary").await?;
    let libs = app
        .wait_text("[data-third-party] table", "rusqlite")
        .await?;
    for name in ["tauri", "pdf-writer", "DejaVu Sans Condensed"] {
        assert!(libs.contains(name), "{name} is listed");
    }
    app.screenshot("settings-about").await?;
    app.stop().await;
    Ok(())
}
