//! The web view's set-up that keeps the window light: WebKitGTK's compositing mode is turned off
//! (Linux only; the other platforms' web views are left as Tauri makes them). Owns nothing else.
//!
//! The window is plain HTML and CSS: no WebGL, video, 3D transforms or animations that need a GPU
//! compositor. With compositing on, WebKitGTK gives the page a GL compositor in the web process
//! (under Xvfb or on a machine without a GPU driver, Mesa's llvmpipe: its LLVM JIT and software
//! buffers); with it off, the web process paints the page with its CPU renderer and hands the
//! window a shared bitmap, which is all this page needs. Measured with `cargo bench --bench
//! memory` (README, "Memory at rest"): WebKitWebProcess 206 MB PSS → 116 MB at 1,000 assets,
//! under Xvfb.
//!
//! It is set as WebKitGTK's environment variable rather than the web view's
//! `hardware-acceleration-policy`: Tauri hands the web view to the app only after the page has
//! started loading, by which time the web process has built its compositor, and switching the
//! policy then left about 6 MB more in it than never starting one.

/// WebKitGTK's switch for compositing mode; `0` turns compositing back on.
#[cfg(target_os = "linux")]
const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Turns WebKitGTK's compositing mode off unless the user has set the variable themselves (a
/// machine where it misbehaves can set `WEBKIT_DISABLE_COMPOSITING_MODE=0`). Call it first in
/// `run()`, while the process has one thread (setting the environment is not thread-safe) and
/// before WebKit starts: its web and network processes inherit the variable.
pub fn prepare() {
    #[cfg(target_os = "linux")]
    if std::env::var_os(DISABLE_COMPOSITING).is_none() {
        std::env::set_var(DISABLE_COMPOSITING, "1");
    }
}
