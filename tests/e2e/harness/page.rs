//! Steps several scenarios take in the window: opening an asset, reading its history, setting
//! fields the way pickers do, and dropping files as the OS would.

use std::path::Path;

use serde_json::json;

use super::{App, Res};

pub async fn open_asset(app: &App, id: i64) -> Res {
    app.goto(&format!("#/assets/{id}")).await?;
    app.wait_for("[data-view='asset-detail'] [data-asset-title]")
        .await?;
    Ok(())
}

pub async fn history_contains(app: &App, needle: &str) -> Res<String> {
    app.click("[data-tab='history']").await?;
    app.wait_text("[data-history]", needle).await
}

/// The centre of the part of `css` that is inside the window, in CSS pixels.
pub async fn centre_of(app: &App, css: &str) -> Res<(f64, f64)> {
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
pub async fn drop_files(app: &App, paths: &[&Path], x: f64, y: f64) -> Res {
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

/// Sets a field's value as a picker would (WebDriver cannot type into every native date
/// control) and fires `input` and `change`.
pub async fn set_value(app: &App, css: &str, value: &str) -> Res {
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

/// Sets a `<select>` (or any input) and fires `change`, as a user's choice does.
pub async fn choose(app: &App, css: &str, value: &str) -> Res {
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

/// Types `text` into whatever has focus, as a keyboard does (`\n` is Enter): real key events
/// through WebDriver's actions. `pause` between keys: none is a barcode scanner (a few ms a key),
/// 150 ms a person typing.
pub async fn type_keys(app: &App, text: &str, pause: Option<std::time::Duration>) -> Res {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut keys = KeyActions::new("keyboard".into());
    for c in text.chars().map(|c| if c == '\n' { '\u{e007}' } else { c }) {
        keys = keys
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
        if let Some(p) = pause {
            keys = keys.pause(p);
        }
    }
    app.client.perform_actions(keys).await?;
    Ok(())
}

/// Types `text` and Enter as a barcode scanner in keyboard mode does: Shift held for each
/// capital letter (its own key events), every key a few ms apart.
pub async fn scan_with_shift(app: &App, text: &str) -> Res {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    const SHIFT: char = '\u{e008}';
    let mut keys = KeyActions::new("scanner".into());
    for c in text.chars() {
        if c.is_ascii_uppercase() {
            keys = keys
                .then(KeyAction::Down { value: SHIFT })
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c })
                .then(KeyAction::Up { value: SHIFT });
        } else {
            keys = keys
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
    }
    keys = keys
        .then(KeyAction::Down { value: '\u{e007}' })
        .then(KeyAction::Up { value: '\u{e007}' });
    app.client.perform_actions(keys).await?;
    Ok(())
}
