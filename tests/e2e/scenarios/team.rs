//! A team register on PostgreSQL (issue #22) in the real window: signing in when the server
//! asks for a password, two people's windows on one register (a change in one shows in the
//! other; a save over the other's newer change is refused with their name and offers their
//! version), and a viewer, whose window says why it cannot change anything.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use register_core::assets::{self, AssetInput};
use register_core::Source;
use register_pg::admin::Role;

use crate::harness::{
    exported, exports_dir, seed_three, type_keys, App, Res, TeamRegister, TEAM_PASSWORD,
};
use crate::util::pdf_text;

/// A window on the team register as `login`; `password` in `$PGPASSWORD` (empty: none, so the
/// window asks).
async fn window(team: &TeamRegister, login: &str, password: &str) -> Res<App> {
    App::start_on_with(
        Path::new("team-register"),
        &[
            ("ASSET_REGISTER_DB", &team.url(login)),
            ("PGPASSWORD", password),
        ],
    )
    .await
}

pub async fn team_register_two_windows_sign_in_conflict_and_refresh() -> Res {
    let Some(mut team) = TeamRegister::new("two")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    let sam = team.add_person_login("sam", "Sam Editor", Role::Editor)?;
    team.add_asset(&alex, "IT-0001", "ThinkPad T14", "Laptop")?;
    team.add_asset(&alex, "IT-0002", "Dell U2720Q", "Monitor")?;

    // Alex's window finds no password (none in the URL, the keychain or $PGPASSWORD): it asks.
    let a = window(&team, &alex, "").await?;
    a.wait_for("[data-team-sign-in]").await?;
    a.wait_text("[data-team-sign-in]", "asks for a password")
        .await?;
    a.screenshot("team-sign-in").await?;
    a.fill("#sign-in-password", "not-the-password").await?;
    a.click("[data-action='sign-in']").await?;
    a.wait_text("[data-team-sign-in] [data-form-error]", "did not accept")
        .await?;
    a.fill("#sign-in-password", TEAM_PASSWORD).await?;
    a.click("[data-action='sign-in']").await?;
    a.wait_for("[data-view='home']").await?;
    a.wait_text("[data-register-name]", " on ").await?;
    a.wait_text("[data-integrity]", "Verified").await?;
    a.wait_text("[data-stat='available']", "2").await?;
    a.screenshot("team-home").await?;

    // Sam's window signs in with $PGPASSWORD.
    let b = window(&team, &sam, TEAM_PASSWORD).await?;
    b.wait_for("[data-view='home']").await?;

    // Both open IT-0001; Sam saves first.
    let name = "form[data-asset-form] [name='name']";
    let save = "form[data-asset-form] [data-action='save']";
    for w in [&a, &b] {
        w.click("a[data-nav='assets']").await?;
        w.wait_text("[data-view='assets']", "IT-0001").await?;
        w.goto("#/assets/1").await?;
        w.wait_text("[data-asset-title]", "ThinkPad T14").await?;
    }
    // Alex starts typing; Sam saves first.
    a.fill(name, "ThinkPad X1").await?;
    b.fill(name, "ThinkPad T14 Gen 3").await?;
    b.click(save).await?;
    b.wait_text("[data-asset-title]", "Gen 3").await?;
    // Alex's window does not throw away what Alex typed: it says someone else changed the
    // register.
    a.wait_text("[data-remote-change]", "Someone else changed")
        .await?;

    // Alex's window read the version before Sam's: its save is refused, naming Sam, and
    // nothing of Alex's is written.
    a.click(save).await?;
    let said = a.wait_text("[data-form-error]", "Sam Editor").await?;
    assert!(
        said.contains("name"),
        "the refusal says what changed: {said}"
    );
    a.screenshot("team-conflict").await?;
    assert_eq!(team.asset(&alex, "IT-0001")?.name, "ThinkPad T14 Gen 3");
    // It offers Sam's version.
    a.click("[data-action='reload-record']").await?;
    a.wait_text("[data-asset-title]", "Gen 3").await?;

    // A change in one window shows in the other without touching it: Sam sends IT-0002 to
    // maintenance while Alex looks at the list.
    a.click("a[data-nav='assets']").await?;
    a.wait_text("[data-view='assets']", "IT-0002").await?;
    b.goto("#/assets/2").await?;
    b.wait_text("[data-asset-title]", "Dell").await?;
    b.click("[data-action='change-status']").await?;
    b.wait_for("dialog[data-dialog='status'][open]").await?;
    b.click("dialog[data-dialog='status'] [data-action='confirm']")
        .await?;
    // The list is shown again as the notification arrives (within wait_text's 10 s).
    a.wait_text("[data-view='assets']", "In Maintenance")
        .await?;
    a.screenshot("team-refreshed").await?;
    b.stop().await;
    a.stop().await;
    Ok(())
}

pub async fn team_register_viewer_cannot_change_and_says_why() -> Res {
    let Some(mut team) = TeamRegister::new("viewer")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    let vic = team.add_person_login("vic", "Vic Viewer", Role::Viewer)?;
    team.add_asset(&alex, "IT-0001", "ThinkPad T14", "Laptop")?;

    let v = window(&team, &vic, TEAM_PASSWORD).await?;
    v.wait_for("[data-view='home']").await?;
    v.wait_text(
        "[data-read-only]",
        "Vic Viewer may look at this team register",
    )
    .await?;
    // A viewer does not read the history, so the window does not claim it was checked.
    v.wait_text("[data-integrity-badge]", "Not checked").await?;
    v.goto("#/assets/1").await?;
    v.wait_text("[data-asset-title]", "ThinkPad T14").await?;
    v.screenshot("team-viewer").await?;
    // A change sent anyway (as a stale window might) is refused by the app and the server.
    let refused = v
        .eval(
            "return window.__TAURI__.core.invoke('update_asset', \
             { id: 1, version: 1, patch: { name: 'Renamed' }, note: null }) \
             .then(() => 'saved', (e) => e.message)",
        )
        .await?;
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(
        refused.contains("may look at this register but not change it"),
        "{refused}"
    );
    assert_eq!(team.asset(&alex, "IT-0001")?.name, "ThinkPad T14");
    // An import sent anyway is refused before anything is read from the file.
    let refused = v
        .eval(
            "return window.__TAURI__.core.invoke('undo_import', { importId: 1 }) \
             .then(() => 'undone', (e) => e.message)",
        )
        .await?;
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(
        refused.contains("may look at this register but not change it"),
        "{refused}"
    );
    v.stop().await;
    Ok(())
}

/// The app as a person starts it (no ASSET_REGISTER_DB), with `home` as its home folder, and
/// `open_file` as the answer to its open dialog.
async fn as_installed(home: &Path, open_file: &Path) -> Res<App> {
    App::start_installed(
        Path::new(env!("CARGO_BIN_EXE_asset-register")),
        home,
        &[
            ("ASSET_REGISTER_E2E", "1"),
            (
                "ASSET_REGISTER_E2E_OPEN_FILE",
                &open_file.display().to_string(),
            ),
            ("PGPASSWORD", ""),
        ],
    )
    .await
}

/// Opens Settings → Open another register…, chooses `kind` (`file` or `team`).
async fn open_another(app: &App, kind: &str) -> Res {
    app.click("a[data-nav='settings']").await?;
    app.click("[data-action='open-register']").await?;
    app.wait_for("dialog[data-dialog='open-register'][open]")
        .await?;
    app.click(&format!(
        "dialog[data-dialog='open-register'] input[name='kind'][value='{kind}']"
    ))
    .await
}

/// Waits until the app has remembered `register` in `home`'s data folder (it then exits, to be
/// started again on it).
async fn remembered(home: &Path, register: &str) -> Res {
    let file: PathBuf = home
        .join(".local/share")
        .join(register_core::db::APP_ID)
        .join("open-register.json");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if text.contains(register) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{} never named {register}: {text}", file.display()).into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn team_register_opened_from_settings_and_a_file_again() -> Res {
    let Some(mut team) = TeamRegister::new("open")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    team.add_asset(&alex, "IT-0001", "Server-side ThinkPad", "Laptop")?;
    let home = tempfile::tempdir()?;
    // A second register file, to open from the team register afterwards.
    let other = home.path().join("other register.db");
    {
        let db = register_core::Db::open(&other)?;
        db.write(Source::Cli, |tx| {
            let input = AssetInput {
                asset_tag: "OF-0001".into(),
                name: "File-only printer".into(),
                category: "Printer".into(),
                ..Default::default()
            };
            assets::create_asset(tx, &input, None)
        })?;
    }

    // First start: the default register file, empty.
    let app = as_installed(home.path(), &other).await?;
    app.wait_for("[data-view='home']").await?;
    open_another(&app, "team").await?;
    let url_field = "dialog[data-dialog='open-register'] input[name='register']";
    let confirm = "dialog[data-dialog='open-register'] [data-action='confirm']";
    // Plain text over the network is refused before anything is sent, beside the address.
    app.fill(url_field, "postgresql://alex@db.example.org/register")
        .await?;
    app.click(confirm).await?;
    app.wait_text(
        "dialog[data-dialog='open-register'] [data-dialog-error]",
        "verify-full",
    )
    .await?;
    // So is an address carrying a password (it belongs in the keychain).
    let url = team.url(&alex);
    let with_password = url.replacen("_alex@", "_alex:secret@", 1);
    app.fill(url_field, &with_password).await?;
    app.click(confirm).await?;
    app.wait_text(
        "dialog[data-dialog='open-register'] [data-dialog-error]",
        "carries a password",
    )
    .await?;
    app.screenshot("team-open-register").await?;
    app.fill(url_field, &url).await?;
    app.click(confirm).await?;
    remembered(home.path(), &url).await?;
    app.stop().await;

    // Started again, it opens the team register, asking for the password.
    let app = as_installed(home.path(), &other).await?;
    app.wait_for("[data-team-sign-in]").await?;
    app.fill("#sign-in-password", TEAM_PASSWORD).await?;
    app.click("[data-action='sign-in']").await?;
    app.wait_for("[data-view='home']").await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_text("[data-view='assets']", "Server-side ThinkPad")
        .await?;
    app.click("a[data-nav='settings']").await?;
    app.wait_text("[data-team-facts]", "Alex Editor").await?;
    app.screenshot("team-settings").await?;

    // And back to a register file, chosen with the file dialog.
    open_another(&app, "file").await?;
    app.click("dialog[data-dialog='open-register'] [data-action='choose-register-file']")
        .await?;
    app.click(confirm).await?;
    remembered(home.path(), "other register.db").await?;
    app.stop().await;
    let app = as_installed(home.path(), &other).await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_text("[data-view='assets']", "File-only printer")
        .await?;
    app.stop().await;

    // A remembered register that cannot be reached says why and offers a way out, with no
    // terminal: a team register whose server is gone, a file that is not there (never replaced
    // by a new, empty one).
    let choice = home
        .path()
        .join(".local/share")
        .join(register_core::db::APP_ID)
        .join("open-register.json");
    let gone_server = format!("postgresql://alex@/gone?host={}", home.path().display());
    let gone_file = home.path().join("on a USB stick.db");
    for (remembered_register, says) in [
        (gone_server.clone(), "Could not reach the team register"),
        (gone_file.display().to_string(), "is not there"),
    ] {
        std::fs::write(
            &choice,
            serde_json::json!({ "register": remembered_register }).to_string(),
        )?;
        let app = as_installed(home.path(), &other).await?;
        app.wait_text("[data-unavailable]", says).await?;
        app.wait_for("[data-action='try-again']").await?;
        app.screenshot("team-unreachable").await?;
        app.click("[data-action='open-register']").await?;
        app.wait_for("dialog[data-dialog='open-register'][open]")
            .await?;
        app.click("dialog[data-dialog='open-register'] input[name='kind'][value='file']")
            .await?;
        app.click("dialog[data-dialog='open-register'] [data-action='choose-register-file']")
            .await?;
        app.click(confirm).await?;
        remembered(home.path(), "other register.db").await?;
        app.stop().await;
    }
    assert!(
        !gone_file.exists(),
        "no empty register was made in its place"
    );
    let app = as_installed(home.path(), &other).await?;
    app.click("a[data-nav='assets']").await?;
    app.wait_text("[data-view='assets']", "File-only printer")
        .await?;
    app.stop().await;
    Ok(())
}

pub async fn a_register_file_moves_to_a_server_and_is_copied_back() -> Res {
    let Some(mut team) = TeamRegister::new("move")? else {
        return Ok(());
    };
    let app = App::start(|db| {
        seed_three(db);
        db.write(Source::Cli, |tx| {
            register_core::people::create_person(
                tx,
                &register_core::people::PersonInput {
                    name: "Alex Editor".into(),
                    email: String::new(),
                    department: String::new(),
                },
            )
        })
        .unwrap();
    })
    .await?;
    let file_events = register_core::Db::open(&app.db_path)?
        .read(register_core::audit::head)?
        .0;
    app.click("a[data-nav='settings']").await?;
    app.click("[data-action='move-to-server']").await?;
    let dialog = "dialog[data-dialog='move-to-server']";
    app.wait_for(&format!("{dialog}[open]")).await?;
    app.fill(&format!("{dialog} input[name='url']"), &team.owner_url())
        .await?;
    // A wrong password is the server's refusal, and nothing is copied.
    app.fill(&format!("{dialog} input[name='password']"), "wrong")
        .await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_text(&format!("{dialog} [data-dialog-error]"), "password")
        .await?;
    assert_eq!(team.verify()?.0, 0, "nothing copied");
    app.fill(&format!("{dialog} input[name='password']"), TEAM_PASSWORD)
        .await?;
    app.fill(
        &format!("{dialog} textarea[name='note']"),
        "the office shares it now",
    )
    .await?;
    app.screenshot("team-move").await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    let said = app
        .wait_text("dialog[data-dialog='moved']", "3 assets")
        .await?;
    assert!(said.contains("own login"), "{said}");
    app.screenshot("team-moved").await?;
    app.click("dialog[data-dialog='moved'] [data-action='cancel']")
        .await?;
    // The file is marked as moved: it is read-only, says where the register went, and offers
    // the way there and the way back to using the file.
    let said = app
        .wait_text("[data-read-only]", "moved to the team register")
        .await?;
    assert!(
        !said.contains("_owner"),
        "the owner's login is not shown: {said}"
    );
    app.wait_for("[data-read-only] [data-action='open-moved-team']")
        .await?;
    app.screenshot("team-moved-file").await?;
    let refused = app
        .eval(
            "return window.__TAURI__.core.invoke('update_asset', \
             { id: 1, version: null, patch: { name: 'Renamed' }, note: null }) \
             .then(() => 'saved', (e) => e.message)",
        )
        .await?;
    assert!(
        refused
            .as_str()
            .unwrap_or_default()
            .contains("changes go there now"),
        "{refused}"
    );
    app.click("a[data-nav='assets']").await?;
    app.click("a[data-nav='settings']").await?;
    app.wait_for("[data-action='open-register']").await?;
    assert_eq!(
        app.eval("return document.querySelectorAll(\"[data-action='move-to-server']\").length")
            .await?,
        serde_json::json!(0),
        "a moved file is not moved twice"
    );
    // Used again, it is a register of its own (the team register is not touched).
    app.click("[data-read-only] [data-action='use-file-again']")
        .await?;
    let dialog = "dialog[data-dialog='use-file-again']";
    app.wait_for(&format!("{dialog}[open]")).await?;
    app.fill(
        &format!("{dialog} textarea[name='note']"),
        "kept as the office's own copy",
    )
    .await?;
    app.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    app.wait_count("[data-read-only]", 0).await?;
    app.wait_for("[data-view='settings'] [data-action='move-to-server']")
        .await?;
    let file = register_core::Db::open(&app.db_path)?;
    assert_eq!(file.read_only(), None);
    let last = file.read(|c| register_core::audit::list_audit_events(c, Some(2)))?;
    let kinds: Vec<_> = last
        .iter()
        .map(|e| (e.kind.as_str(), e.note.as_deref()))
        .collect();
    assert!(
        kinds.contains(&("used_again", Some("kept as the office's own copy"))),
        "{kinds:?}"
    );
    drop(file);
    app.stop().await;
    // The server holds the file's history and the move.
    let (events, head, ok) = team.verify()?;
    assert!(ok, "the team register verifies");
    assert_eq!(events, file_events + 1);

    // Alex, given a login, works on it and copies it back.
    let alex = team.grant_login("alex", "Alex Editor", Role::Editor)?;
    let a = window(&team, &alex, TEAM_PASSWORD).await?;
    a.wait_for("[data-view='home']").await?;
    a.click("a[data-nav='assets']").await?;
    a.wait_text("[data-view='assets']", "MacBook Air 13")
        .await?;
    a.click("a[data-nav='settings']").await?;
    // Named by the minute, so a backup of an earlier run may have the same name: the new one
    // is the one written after the click.
    let clicked = std::time::SystemTime::now() - Duration::from_secs(1);
    a.click("[data-action='backup-team']").await?;
    a.wait_text("[data-toast]", "Backup saved").await?;
    let backup = std::fs::read_dir(exports_dir())?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "tar"))
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= clicked)
        })
        .map(|e| e.path())
        .next()
        .ok_or("no new backup in the exports folder")?;
    let manifest = register_core::backup::check_backup(&backup)?;
    assert_eq!(
        manifest.event_count,
        events + 1,
        "the move, then Alex's tie"
    );
    let copy = exports_dir().join(format!("{}.db", team.database()));
    let _ = std::fs::remove_file(&copy);
    // The backup's toast sits over the bottom of the window: bring the button above it.
    a.eval("document.querySelector(\"[data-action='save-as-file']\").scrollIntoView({block: 'center'})")
        .await?;
    a.click("[data-action='save-as-file']").await?;
    a.wait_text("[data-toast]", "Saved as a register file")
        .await?;
    let copied = register_core::Db::open(&copy)?;
    let check = copied.read(register_core::audit::verify)?;
    assert!(check.ok, "the copy verifies");
    assert_eq!(check.event_count, events + 1);
    assert_ne!(check.head_hash, head, "the tie came after the move");

    // Settings and Value work on the server too.
    a.goto("#/settings").await?;
    a.fill(
        "form[data-settings-form] [name='organisation']",
        "Harbour Street Surgery",
    )
    .await?;
    a.click("form[data-settings-form] [data-action='save']")
        .await?;
    a.wait_text("[data-org]", "Harbour Street Surgery").await?;
    a.goto("#/value").await?;
    a.wait_text("[data-value-total]", "3").await?;
    a.wait_for("[data-depreciation-unset]").await?;
    a.screenshot("team-value").await?;

    // An asset's own depreciation is an asset change on the server: the window carries the
    // new row version, so its next save of the details is not taken for someone else's.
    a.goto("#/assets/2").await?;
    a.wait_text("[data-asset-title]", "MacBook Air 13").await?;
    a.click("[data-action='change-depreciation']").await?;
    let dialog = "dialog[data-dialog='depreciation'][open]";
    a.wait_for(dialog).await?;
    a.click(&format!("{dialog} label[data-choice='declining']"))
        .await?;
    a.fill(&format!("{dialog} input[name='rate']"), "40")
        .await?;
    a.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    a.wait_text("[data-dep-method]", "Declining balance at 40% a year")
        .await?;
    a.fill("form[data-asset-form] [name='name']", "MacBook Air 13 (M2)")
        .await?;
    a.click("form[data-asset-form] [data-action='save']")
        .await?;
    a.wait_text("[data-asset-title]", "(M2)").await?;
    a.wait_text("[data-toast]", "saved").await?;
    a.stop().await;
    let org = team.settings()?.organisation;
    assert_eq!(org, "Harbour Street Surgery");
    assert_eq!(team.asset(&alex, "IT-0002")?.name, "MacBook Air 13 (M2)");
    Ok(())
}

/// Reports, exports and the renewals forecast on a team register: made from a local copy of
/// the register with its history, a new one once someone else has changed it; a viewer's
/// window, whose login cannot read the history, leaves them out.
pub async fn team_register_reports_exports_and_renewals() -> Res {
    let Some(mut team) = TeamRegister::new("copies")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    let sam = team.add_person_login("sam", "Sam Editor", Role::Editor)?;
    let vic = team.add_person_login("vic", "Vic Viewer", Role::Viewer)?;
    team.add_asset(&alex, "IT-0001", "ThinkPad T14", "Laptop")?;
    let ends = register_core::today() + chrono::Days::new(40);
    team.add_asset_input(
        &alex,
        &AssetInput {
            asset_tag: "IT-0002".into(),
            name: "Dell U2720Q".into(),
            category: "Monitor".into(),
            purchase_cost: "420.00".into(),
            warranty_expires: ends.to_string(),
            ..Default::default()
        },
    )?;
    for old in exported("asset-register-") {
        std::fs::remove_file(old)?;
    }

    let a = window(&team, &alex, TEAM_PASSWORD).await?;
    a.wait_for("[data-view='home']").await?;
    // The register report, with the server's head on it.
    a.click("a[data-nav='assets']").await?;
    a.wait_count("[data-view='assets'] tr[data-id]", 2).await?;
    a.click("[data-action='export-report']").await?;
    a.wait_for("dialog[data-dialog='export-report'][open]")
        .await?;
    a.click("dialog[data-dialog='export-report'] [data-action='confirm']")
        .await?;
    a.wait_text("[data-toast]", "Saved asset-register-").await?;
    let files = exported("asset-register-");
    assert_eq!(files.len(), 1, "one report: {files:?}");
    let text = pdf_text(&files[0]);
    let (_, head, sound) = team.verify()?;
    assert!(sound);
    for said in ["IT-0001", "Dell U2720Q", &head[..16]] {
        assert!(text.contains(said), "the report lacks {said:?}");
    }
    std::fs::remove_file(&files[0])?;

    // Sam adds an asset; Alex's CSV export has it (a new copy, not the one kept for the report).
    team.add_asset(&sam, "IT-0003", "iPhone 15", "Phone")?;
    a.wait_count("[data-view='assets'] tr[data-id]", 3).await?;
    let csv_out = exports_dir().join(format!("asset-register-{}.csv", register_core::today()));
    let _ = std::fs::remove_file(&csv_out);
    a.click("[data-action='export-assets']").await?;
    a.wait_for("dialog[data-dialog='export-assets'][open]")
        .await?;
    a.click("dialog[data-dialog='export-assets'] [data-action='confirm']")
        .await?;
    a.wait_text("[data-toast]", "(3 assets)").await?;
    let parsed = register_core::import::read_file(&std::fs::read(&csv_out)?)?;
    let tags: Vec<&str> = parsed.rows.iter().filter_map(|r| r.cell(0)).collect();
    assert_eq!(tags, ["IT-0001", "IT-0002", "IT-0003"]);

    // The renewals forecast lists the monitor's warranty end.
    a.click("a[data-nav='renewals']").await?;
    a.wait_text("[data-view='renewals']", "IT-0002").await?;
    a.screenshot("team-renewals").await?;

    // The evidence pack carries the documents' bytes from the server, and verifies.
    let receipt = b"%PDF-1.4 the monitor's receipt".to_vec();
    team.attach(&sam, "IT-0002", "receipt.pdf", &receipt)?;
    let packs = || -> Res<Vec<PathBuf>> {
        Ok(std::fs::read_dir(exports_dir())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("evidence-pack-"))
            })
            .collect())
    };
    for old in packs()? {
        std::fs::remove_file(old)?;
    }
    a.goto("#/home").await?;
    a.click("[data-action='audit-pack']").await?;
    a.wait_for("[data-dialog='audit-pack']").await?;
    a.click("[data-dialog='audit-pack'] [data-action='confirm']")
        .await?;
    a.wait_text("[data-toast]", "Evidence pack saved").await?;
    let pack = packs()?.pop().ok_or("the pack was saved")?;
    let checked = std::process::Command::new(crate::util::cli_bin())
        .arg("verify-pack")
        .arg(&pack)
        .output()?;
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    let unzipped = tempfile::tempdir()?;
    assert!(std::process::Command::new("unzip")
        .arg("-q")
        .arg(&pack)
        .arg("-d")
        .arg(unzipped.path())
        .status()?
        .success());
    assert_eq!(
        std::fs::read(unzipped.path().join("documents/IT-0002/receipt.pdf"))?,
        receipt
    );
    a.stop().await;

    // A viewer's window offers none of them.
    let v = window(&team, &vic, TEAM_PASSWORD).await?;
    v.wait_for("[data-view='home']").await?;
    v.click("a[data-nav='assets']").await?;
    v.wait_count("[data-view='assets'] tr[data-id]", 3).await?;
    let shown = v
        .eval(
            "return ['export-report', 'export-assets', 'print-labels'].map((a) => \
             getComputedStyle(document.querySelector(`[data-action='${a}']`)).display)",
        )
        .await?;
    assert_eq!(shown, serde_json::json!(["none", "none", "none"]));
    v.stop().await;
    Ok(())
}

/// A stocktake on a team register: started in one window, it shows at once in the other's
/// (which cannot start a second); both scan into it, each seeing the other's finds without
/// losing its own; finished in one, the other says so; its report comes from the local copy.
pub async fn team_register_stocktake_in_two_windows() -> Res {
    let Some(mut team) = TeamRegister::new("stocktake")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    let sam = team.add_person_login("sam", "Sam Editor", Role::Editor)?;
    for (tag, name) in [
        ("IT-0001", "ThinkPad T14"),
        ("IT-0002", "Dell U2720Q"),
        ("IT-0003", "iPhone 15"),
        ("IT-0004", "Brother printer"),
    ] {
        team.add_asset(&alex, tag, name, "Hardware")?;
    }
    let a = window(&team, &alex, TEAM_PASSWORD).await?;
    let b = window(&team, &sam, TEAM_PASSWORD).await?;
    for w in [&a, &b] {
        w.wait_for("[data-view='home']").await?;
        w.click("a[data-nav='stocktake']").await?;
        w.wait_for("form[data-stocktake-start]").await?;
    }
    a.fill(
        "form[data-stocktake-start] input[name='counted_by']",
        "Alex",
    )
    .await?;
    a.click("[data-action='start-stocktake']").await?;
    a.wait_text("[data-stocktake-counts] [data-count='expected']", "4")
        .await?;
    // Sam's start form gives way to Alex's stocktake.
    b.wait_text("[data-stocktake-meta]", "counted by Alex")
        .await?;
    // A second start, sent anyway, is refused naming who started the open one.
    let refused = b
        .eval(
            "return window.__TAURI__.core.invoke('start_stocktake', { input: { name: 'Again', \
             counted_by: 'Sam', on_date: null, locations: [] } }).then(() => 'started', \
             (e) => e.message)",
        )
        .await?;
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(
        refused.contains("still open") && refused.contains("Alex Editor"),
        "{refused}"
    );

    // Both scan; each sees the other's finds.
    a.click("[data-scan-input]").await?;
    type_keys(&a, "IT-0001\n", None).await?;
    a.wait_for("[data-scan-feed] li[data-outcome='found'][data-tag='IT-0001']")
        .await?;
    b.click("[data-scan-input]").await?;
    type_keys(&b, "IT-0002\nIT-0003\n", None).await?;
    b.wait_for("[data-scan-feed] li[data-outcome='found'][data-tag='IT-0003']")
        .await?;
    a.wait_text("[data-stocktake-counts] [data-count='not_seen']", "1")
        .await?;
    a.wait_count("[data-unseen-list] li[data-tag]", 1).await?;
    b.wait_text("[data-stocktake-counts] [data-count='found']", "3")
        .await?;
    a.screenshot("team-stocktake").await?;

    // Alex finishes; Sam's window says so.
    a.click("[data-action='finish-stocktake']").await?;
    let dialog = "dialog[data-dialog='finish-stocktake'][open]";
    a.wait_text(&format!("{dialog} [data-finish-list]"), "IT-0004")
        .await?;
    a.click(&format!("{dialog} [data-action='confirm']"))
        .await?;
    a.wait_text("[data-stocktake-finished] [data-count='missing']", "1")
        .await?;
    b.wait_for("[data-stocktake-finished]").await?;
    b.wait_text("[data-toast]", "finished by someone else")
        .await?;

    // Its report, from the register's local copy.
    for old in exported("stocktake-") {
        std::fs::remove_file(old)?;
    }
    a.click("[data-stocktake-finished] [data-action='stocktake-report']")
        .await?;
    a.wait_text("[data-toast]", "Saved stocktake-").await?;
    let files = exported("stocktake-");
    assert_eq!(files.len(), 1, "{files:?}");
    let text = pdf_text(&files[0]);
    assert!(
        text.contains("IT-0004"),
        "the report names the missing asset"
    );
    let (_, _, sound) = team.verify()?;
    assert!(sound);
    b.stop().await;
    a.stop().await;
    Ok(())
}

/// The rest of what a team register's editor does in the window, at its smallest size
/// (1024×700): a person added, a licence added and a seat given to them, receipts dropped on an
/// asset (their bytes on the server), and every main view fitting the window's width.
pub async fn team_register_people_licences_and_documents_at_1024_by_700() -> Res {
    let Some(mut team) = TeamRegister::new("small")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    team.add_asset(&alex, "IT-0001", "ThinkPad T14", "Laptop")?;
    let a = window(&team, &alex, TEAM_PASSWORD).await?;
    a.client.set_window_size(1024, 700).await?;
    a.wait_for("[data-view='home']").await?;

    // A person, through the dialog.
    a.click("a[data-nav='people']").await?;
    a.click("[data-action='new-person']").await?;
    a.wait_for("dialog[data-dialog='person'][open]").await?;
    a.fill(
        "dialog[data-dialog='person'] input[name='name']",
        "Jürgen Weiß",
    )
    .await?;
    a.fill(
        "dialog[data-dialog='person'] input[name='email']",
        "juergen@example.org",
    )
    .await?;
    a.click("dialog[data-dialog='person'] [data-action='confirm']")
        .await?;
    a.wait_text("[data-people-table]", "Jürgen Weiß").await?;

    // A licence, and a seat for Jürgen.
    a.click("a[data-nav='licences']").await?;
    a.click("[data-action='new-licence']").await?;
    let dlg = "dialog[data-dialog='licence']";
    a.wait_for(&format!("{dlg}[open]")).await?;
    a.fill(&format!("{dlg} [name='product']"), "Figma Professional")
        .await?;
    a.fill(&format!("{dlg} [name='seats']"), "3").await?;
    a.fill(&format!("{dlg} [name='cost']"), "12.00").await?;
    a.click(&format!("{dlg} [data-action='confirm']")).await?;
    a.wait_text("[data-licence-title]", "Figma Professional")
        .await?;
    a.click("[data-action='assign-seat']").await?;
    a.wait_for("dialog[data-dialog='assign-seat'][open]")
        .await?;
    a.fill(
        "dialog[data-dialog='assign-seat'] input[name='person']",
        "Jürgen Weiß",
    )
    .await?;
    a.click("dialog[data-dialog='assign-seat'] [data-action='confirm']")
        .await?;
    a.wait_text("[data-seat-count]", "1 of 3 seats").await?;
    a.screenshot("team-licence-1024").await?;

    // Receipts dropped on the asset: their bytes are on the server.
    let dir = tempfile::tempdir()?;
    let receipt = dir.path().join("ThinkPad receipt.pdf");
    let bytes = b"%PDF-1.4\n% ThinkPad order 77 receipt\ntrailer << >>\n%%EOF\n".to_vec();
    std::fs::write(&receipt, &bytes)?;
    crate::harness::open_asset(&a, 1).await?;
    a.wait_text("[data-doc-count]", "0").await?;
    let (x, y) = crate::harness::centre_of(&a, "[data-view='asset-detail']").await?;
    crate::harness::drop_files(&a, &[&receipt], x, y).await?;
    a.wait_text("[data-toast]", "Attached").await?;
    a.wait_count("[data-documents] [data-document]", 1).await?;
    a.screenshot("team-documents-1024").await?;
    let mut problems = crate::scenarios::issue_19::overflowing(&a).await?;

    let (people, seats, docs) = team.with(&alex, |c| {
        let people = register_pg::people::list_people(c)?;
        let figma = register_pg::licences::find_licence(c, "Figma Professional")?;
        let seats = register_pg::licences::list_seats(c, figma.licence.id)?;
        let docs =
            register_pg::documents::documents_of(c, register_core::documents::Owner::Asset(1))?;
        let (_, stored) = register_pg::documents::read_document(
            c,
            register_core::documents::Owner::Asset(1),
            docs[0].id,
        )?;
        Ok((people, seats, (docs, stored)))
    })?;
    assert!(people
        .iter()
        .any(|p| p.name == "Jürgen Weiß" && p.email.as_deref() == Some("juergen@example.org")));
    assert_eq!(seats.len(), 1);
    assert_eq!(seats[0].person_name, "Jürgen Weiß");
    assert_eq!(docs.0[0].name, "ThinkPad receipt.pdf");
    assert_eq!(docs.1, bytes);

    // Every main view fits 1024 px (the documents above too).
    for (hash, ready) in [
        ("#/home", "[data-view='home']"),
        ("#/assets", "[data-view='assets'] tr[data-id]"),
        (
            "#/assets/1",
            "[data-view='asset-detail'] [data-asset-title]",
        ),
        ("#/people", "[data-view='people']"),
        ("#/licences", "[data-view='licences'] tr[data-id]"),
        (
            "#/stocktake",
            "[data-view='stocktake'] form[data-stocktake-start]",
        ),
        (
            "#/renewals",
            "[data-renewals], [data-view='renewals'] [data-empty]",
        ),
        ("#/value", "[data-view='value']"),
        ("#/settings", "[data-view='settings']"),
    ] {
        a.goto(hash).await?;
        a.wait_for(ready).await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        for p in crate::scenarios::issue_19::overflowing(&a).await? {
            problems.push(format!("{hash}: {p}"));
        }
    }
    a.goto("#/settings").await?;
    a.wait_for("[data-view='settings']").await?;
    a.screenshot("team-settings-1024").await?;
    assert!(problems.is_empty(), "{problems:?}");
    a.stop().await;
    Ok(())
}

/// An import on a team register: while Alex's runs, Sam's Import view says who imports what
/// and does not offer to start another; cancelled, it leaves nothing and Sam's view lets go;
/// a small one imported, Sam sees it among the past imports and undoes it.
pub async fn team_register_import_one_at_a_time_and_undone_by_another() -> Res {
    let Some(mut team) = TeamRegister::new("import")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    let sam = team.add_person_login("sam", "Sam Editor", Role::Editor)?;
    team.add_asset(&alex, "IT-0001", "ThinkPad T14", "Laptop")?;
    let dir = tempfile::tempdir()?;
    let big = dir.path().join("finance export.csv");
    let mut text = String::from("Tag,Name,Serial\n");
    for i in 1..=30000 {
        text.push_str(&format!("BIG-{i:05},Thing {i},SN-BIG-{i}\n"));
    }
    std::fs::write(&big, text)?;
    let small = dir.path().join("new kit.csv");
    std::fs::write(
        &small,
        "Tag,Name,Serial\nNEW-001,Dock,SN-N1\nNEW-002,Headset,SN-N2\nNEW-003,Webcam,SN-N3\n",
    )?;

    let a = window(&team, &alex, TEAM_PASSWORD).await?;
    let b = window(&team, &sam, TEAM_PASSWORD).await?;
    a.wait_for("[data-view='home']").await?;
    b.wait_for("[data-view='home']").await?;
    b.click("a[data-nav='import']").await?;
    b.wait_for("[data-step='file']").await?;

    // Alex's big import runs; Sam's Import view says so and offers no second.
    a.click("a[data-nav='assets']").await?;
    a.wait_count("[data-view='assets'] tr[data-id]", 1).await?;
    let (x, y) = crate::harness::centre_of(&a, "[data-view='assets'] h1").await?;
    crate::harness::drop_files(&a, &[&big], x, y).await?;
    a.wait_for("[data-view='import'] [data-step='columns']")
        .await?;
    a.click("[data-action='import-review']").await?;
    a.wait_for("[data-review-state='ready']").await?;
    a.click("[data-action='import-commit']").await?;
    a.wait_for("[data-step='importing']").await?;
    let said = b
        .wait_text("[data-import-running]", "is importing finance export.csv")
        .await?;
    assert!(said.contains("Alex Editor"), "{said}");
    assert_eq!(
        b.eval("return document.querySelector('[data-action=choose-import-file]').disabled")
            .await?,
        serde_json::json!(true)
    );
    b.screenshot("team-import-running").await?;
    a.click("[data-action='import-cancel']").await?;
    a.wait_text("[data-toast]", "cancelled").await?;
    // Cancelled: nothing was imported, and Sam's view lets go.
    b.wait_count("[data-import-running]:not([hidden])", 0)
        .await?;
    let (events, _, sound) = team.verify()?;
    assert!(sound);
    assert_eq!(team.asset(&alex, "IT-0001")?.name, "ThinkPad T14");

    // A small one, imported.
    a.click("[data-action='import-start-over']").await?;
    a.wait_for("[data-step='file']").await?;
    let (x, y) = crate::harness::centre_of(&a, "[data-view='import'] h1").await?;
    crate::harness::drop_files(&a, &[&small], x, y).await?;
    a.wait_for("[data-step='columns']").await?;
    a.click("[data-action='import-review']").await?;
    a.wait_for("[data-review-state='ready']").await?;
    a.click("[data-action='import-commit']").await?;
    a.wait_text("[data-import-done]", "Imported 3 new assets")
        .await?;
    assert_eq!(team.asset(&sam, "NEW-002")?.name, "Headset");
    assert!(team.verify()?.0 > events);

    // Sam sees it among the past imports, and undoes it.
    b.wait_for("[data-past-imports] tr[data-import-id='1'] [data-action='undo-past-import']")
        .await?;
    b.click("[data-past-imports] tr[data-import-id='1'] [data-action='undo-past-import']")
        .await?;
    b.wait_for("dialog[data-dialog='undo-import'][open]")
        .await?;
    b.click("dialog[data-dialog='undo-import'] [data-action='confirm']")
        .await?;
    b.wait_text("[data-past-imports] tr[data-import-id='1']", "Undone")
        .await?;
    assert!(team.asset(&alex, "NEW-002")?.archived);
    let (_, _, sound) = team.verify()?;
    assert!(sound);
    b.stop().await;
    a.stop().await;
    Ok(())
}

/// Offboarding on a team register: Alex starts Kim's and Sam's window on Kim's page shows it at
/// once; a second start and a second resolution of the same item, sent from Sam's window, are
/// refused naming Alex; Alex resolves the laptop and the seat, prints the checklist (from the
/// local copy) and finishes, and Kim is marked as left on the server.
pub async fn team_register_offboarding_seen_by_both() -> Res {
    let Some(mut team) = TeamRegister::new("offboard")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    let sam = team.add_person_login("sam", "Sam Editor", Role::Editor)?;
    team.add_asset(&alex, "IT-0001", "ThinkPad T14", "Laptop")?;
    let kim = team.with(&alex, |c| {
        let kim = register_pg::write(c, Source::Cli, |tx| {
            register_pg::people::create_person(
                tx,
                &register_core::people::PersonInput {
                    name: "Kim Lo".into(),
                    email: String::new(),
                    department: String::new(),
                },
            )
        })?;
        let it = register_pg::assets::find_asset(c, "IT-0001")?;
        register_pg::write(c, Source::Cli, |tx| {
            register_pg::assets::assign_asset(
                tx,
                it.asset.id,
                it.version,
                &register_core::assets::Holder::Person("Kim Lo".into()),
                None,
            )
        })?;
        let figma = register_pg::write(c, Source::Cli, |tx| {
            register_pg::licences::create_licence(
                tx,
                &register_core::licences::LicenceInput {
                    product: Some("Figma Professional".into()),
                    seats: Some("5".into()),
                    ..Default::default()
                },
                None,
            )
        })?;
        register_pg::write(c, Source::Cli, |tx| {
            register_pg::licences::assign_seat(tx, figma.licence.id, "Kim Lo", None)
        })?;
        Ok(kim.person.id)
    })?;

    let a = window(&team, &alex, TEAM_PASSWORD).await?;
    let b = window(&team, &sam, TEAM_PASSWORD).await?;
    for w in [&a, &b] {
        w.wait_for("[data-view='home']").await?;
        w.goto(&format!("#/people/{kim}")).await?;
        w.wait_text("[data-person-title]", "Kim Lo").await?;
    }
    a.click("[data-action='start-offboarding']").await?;
    a.wait_for("dialog[data-dialog='start-offboarding'][open]")
        .await?;
    a.click("dialog[data-dialog='start-offboarding'] [data-action='confirm']")
        .await?;
    a.wait_count("[data-offboarding] tr[data-item-kind]", 2)
        .await?;
    // Sam's window shows it without a touch.
    b.wait_for("[data-offboarding='open']").await?;
    let invoke = |cmd: &str, args: &str| {
        format!(
            "return window.__TAURI__.core.invoke('{cmd}', {args}).then(() => 'done', (e) => e.message)"
        )
    };
    let refused = b
        .eval(&invoke(
            "start_offboarding",
            &format!("{{ id: {kim}, leavingOn: '2026-12-31', note: null }}"),
        ))
        .await?;
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(
        refused.contains("already open") && refused.contains("Alex Editor"),
        "{refused}"
    );

    let row = |kind: &str, id: i64| {
        format!("[data-offboarding] tr[data-item-kind='{kind}'][data-item-id='{id}']")
    };
    a.click(&format!(
        "{} [data-action='resolve-returned']",
        row("asset", 1)
    ))
    .await?;
    let dlg = "dialog[data-dialog='resolve-returned']";
    a.wait_for(&format!("{dlg}[open]")).await?;
    a.fill(&format!("{dlg} input[name='location']"), "Store room")
        .await?;
    a.click(&format!("{dlg} [data-action='confirm']")).await?;
    a.wait_text(
        &format!(
            "{}[data-resolved='true'] [data-col='outcome']",
            row("asset", 1)
        ),
        "Returned to Store room",
    )
    .await?;
    // The same item resolved again from Sam's window: told who did it first.
    let refused = b
        .eval(&invoke(
            "resolve_offboarding_item",
            &format!(
                "{{ id: {kim}, kind: 'asset', itemId: 1, resolution: {{ outcome: 'returned', \
                 location: 'Desk 4' }}, note: null }}"
            ),
        ))
        .await?;
    let refused = refused.as_str().unwrap_or_default().to_string();
    assert!(
        refused.contains("already resolved") || refused.contains("does not hold"),
        "{refused}"
    );
    b.wait_text(
        &format!(
            "{}[data-resolved='true'] [data-col='outcome']",
            row("asset", 1)
        ),
        "Returned to Store room",
    )
    .await?;
    a.click(&format!(
        "{} [data-action='resolve-returned']",
        row("seat", 1)
    ))
    .await?;
    a.wait_for(&format!("{dlg}[open]")).await?;
    a.click(&format!("{dlg} [data-action='confirm']")).await?;
    a.wait_text(
        "[data-offboarding] [data-unresolved='0']",
        "Everything is resolved",
    )
    .await?;

    for old in exported("offboarding-") {
        std::fs::remove_file(old)?;
    }
    a.click("[data-action='export-checklist']").await?;
    a.wait_text("[data-toast]", "Saved offboarding-Kim-Lo.pdf")
        .await?;
    let files = exported("offboarding-");
    let text = pdf_text(&files[0]);
    assert!(text.contains("Returned to Store room"), "{text}");
    a.screenshot("team-offboarding").await?;
    a.click("[data-action='finish-offboarding']").await?;
    a.wait_for("[data-offboarding='finished']").await?;
    b.wait_for("[data-offboarding='finished']").await?;
    // Each event in the history says who wrote it (read as text: a long login is cut short
    // with an ellipsis on screen, which WebDriver's text leaves out).
    let mut by = serde_json::Value::Null;
    for _ in 0..50 {
        by = b
            .eval("return [...document.querySelectorAll('[data-history] [data-event-by]')].map((e) => e.textContent)")
            .await?;
        if by.to_string().contains("Alex Editor (") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(by.to_string().contains("Alex Editor ("), "{by}");
    let left = team.with(
        &sam,
        |c| Ok(register_pg::people::get_person(c, kim)?.person),
    )?;
    assert!(left.left_on.is_some(), "Kim is marked as left");
    assert!(team.verify()?.2);
    b.stop().await;
    a.stop().await;
    Ok(())
}

/// A disposal and a purchase on a team register, from the window: the certificate dropped on
/// the asset, the disposal recorded from its page (retiring it, from the version read), Home's
/// open item gone; then a purchase of two monitors with the receipt dropped on the form, tagged
/// after the server's last tag, the receipt's bytes on the server.
pub async fn team_register_disposal_and_purchase() -> Res {
    let Some(mut team) = TeamRegister::new("dispose")? else {
        return Ok(());
    };
    let alex = team.add_person_login("alex", "Alex Editor", Role::Editor)?;
    team.add_asset(&alex, "IT-0001", "Old ThinkPad", "Laptop")?;
    let dir = tempfile::tempdir()?;
    let cert = dir.path().join("Destruction certificate 118.pdf");
    std::fs::write(
        &cert,
        b"%PDF-1.4\n% certificate C-118\ntrailer << >>\n%%EOF\n",
    )?;
    let receipt = dir.path().join("Dell order 4412.pdf");
    let receipt_bytes = b"%PDF-1.4\n% Dell order 4412\ntrailer << >>\n%%EOF\n".to_vec();
    std::fs::write(&receipt, &receipt_bytes)?;

    let a = window(&team, &alex, TEAM_PASSWORD).await?;
    a.wait_for("[data-view='home']").await?;
    crate::harness::open_asset(&a, 1).await?;
    let (x, y) = crate::harness::centre_of(&a, "[data-view='asset-detail']").await?;
    crate::harness::drop_files(&a, &[&cert], x, y).await?;
    a.wait_text("[data-toast]", "Attached").await?;
    a.click("[data-action='dispose']").await?;
    a.wait_for("[data-dialog='disposal']").await?;
    crate::harness::choose(
        &a,
        "[data-dialog='disposal'] select[name='method']",
        "destroyed",
    )
    .await?;
    a.fill(
        "[data-dialog='disposal'] input[name='recipient']",
        "SecureShred Ltd",
    )
    .await?;
    a.fill(
        "[data-dialog='disposal'] input[name='wipe_method']",
        "Disk shredded",
    )
    .await?;
    let doc = a
        .eval("return [...document.querySelectorAll(\"[data-dialog='disposal'] select[name='certificate_id'] option\")].find(o => o.textContent.startsWith('Destruction')).value")
        .await?;
    crate::harness::choose(
        &a,
        "[data-dialog='disposal'] select[name='certificate_id']",
        doc.as_str().unwrap_or_default(),
    )
    .await?;
    a.click("[data-dialog='disposal'] [data-action='confirm']")
        .await?;
    a.wait_text("[data-toast]", "disposal recorded").await?;
    a.click("[data-tab='details']").await?;
    a.wait_text("[data-disposal-method]", "Destroyed").await?;
    a.wait_text(
        "[data-disposal-certificate]",
        "Destruction certificate 118.pdf",
    )
    .await?;
    let (disposal, it1) = team.with(&alex, |c| {
        Ok((
            register_pg::disposals::disposal_of(c, 1)?,
            register_pg::assets::find_asset(c, "IT-0001")?.asset,
        ))
    })?;
    let disposal = disposal.ok_or("a disposal record on the server")?;
    assert_eq!(disposal.recipient.as_deref(), Some("SecureShred Ltd"));
    assert_eq!(it1.status, register_core::Status::Retired);
    // Corrected from the same page (the version read after the record), not refused.
    a.click("[data-disposal] [data-action='record-disposal']")
        .await?;
    a.wait_for("[data-dialog='disposal']").await?;
    a.fill(
        "[data-dialog='disposal'] input[name='wiped_by']",
        "SecureShred Ltd (J. Patel)",
    )
    .await?;
    a.click("[data-dialog='disposal'] [data-action='confirm']")
        .await?;
    a.wait_text("[data-toast]", "disposal recorded").await?;
    let corrected = team.with(&alex, |c| Ok(register_pg::disposals::disposal_of(c, 1)?))?;
    assert_eq!(
        corrected.and_then(|d| d.wiped_by).as_deref(),
        Some("SecureShred Ltd (J. Patel)")
    );

    // A purchase of two monitors, the receipt dropped on the form.
    a.click("a[data-nav='assets']").await?;
    a.click("[data-action='record-purchase']").await?;
    let form = "form[data-purchase-form]";
    a.wait_for(form).await?;
    a.fill(&format!("{form} [name='supplier']"), "Dell UK")
        .await?;
    crate::harness::set_value(&a, &format!("{form} [name='purchase_date']"), "2026-11-20").await?;
    let row =
        |i: usize, field: &str| format!("{form} tr[data-item][data-index='{i}'] [name='{field}']");
    a.fill(&row(0, "name"), "Dell P2723DE monitor").await?;
    a.fill(&row(0, "category"), "Monitor").await?;
    a.fill(&row(0, "serial_number"), "CN-0A1").await?;
    a.fill(&row(0, "purchase_cost"), "289.99").await?;
    a.click("[data-action='add-same']").await?;
    a.fill(&row(1, "serial_number"), "CN-0A2").await?;
    a.click(&format!("{form} [name='supplier']")).await?;
    let (x, y) = crate::harness::centre_of(&a, "[data-receipt-drop]").await?;
    crate::harness::drop_files(&a, &[&receipt], x, y).await?;
    a.wait_text("[data-receipt-name]", "Dell order 4412.pdf")
        .await?;
    a.click(&format!("{form} [data-action='record']")).await?;
    let done = a
        .wait_text("[data-purchase-done]", "2 assets recorded")
        .await?;
    assert!(
        done.contains("IT-0002") && done.contains("IT-0003"),
        "{done}"
    );
    a.screenshot("team-purchase").await?;
    let stored = team.with(&alex, |c| {
        let it3 = register_pg::assets::find_asset(c, "IT-0003")?.asset;
        let docs = register_pg::documents::documents_of(
            c,
            register_core::documents::Owner::Asset(it3.id),
        )?;
        let (_, bytes) = register_pg::documents::read_document(
            c,
            register_core::documents::Owner::Asset(it3.id),
            docs[0].id,
        )?;
        Ok((it3.serial_number, docs[0].name.clone(), bytes))
    })?;
    assert_eq!(stored.0.as_deref(), Some("CN-0A2"));
    assert_eq!(stored.1, "Dell order 4412.pdf");
    assert_eq!(stored.2, receipt_bytes);
    assert!(team.verify()?.2);
    a.stop().await;
    Ok(())
}
