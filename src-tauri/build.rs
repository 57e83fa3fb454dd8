fn main() {
    // The window's files are embedded at compile time: rebuild when any of them changes.
    println!("cargo:rerun-if-changed=ui");
    tauri_build::build()
}
