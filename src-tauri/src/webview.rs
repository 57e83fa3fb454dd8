//! The web view's start-up settings per platform. On Linux, WebKitGTK runs without accelerated
//! compositing unless the person running the app chose otherwise.
//!
//! Why: a window of forms and tables gains nothing from compositing on the GPU, and pays for it
//! in memory. Measured at rest under Xvfb (the memory benchmark, README "Memory at rest"),
//! compositing off takes WebKitWebProcess from about 207 to 116 MB of PSS with 1,000 assets. It
//! also avoids the blank or black windows WebKitGTK's GPU path gives on some drivers and
//! virtual machines. `WEBKIT_DISABLE_COMPOSITING_MODE=0` in the environment turns it back on.

/// Sets the web view's environment; call before Tauri starts (before any thread is spawned).
pub fn configure() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
