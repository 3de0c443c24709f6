//! Hello world, timed as QR Jump Admin is: from process start to the page's
//! first command, printed as "ready after N ms" (see measure-startup.sh).

use std::time::Instant;

use tauri::Manager;

static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

#[tauri::command]
fn ready(window: tauri::WebviewWindow) {
    let _ = window.show();
    let elapsed = START.get().map(|start| start.elapsed().as_millis()).unwrap_or_default();
    eprintln!("ready after {elapsed} ms");
}

fn main() {
    START.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .setup(|app| {
            let _ = app.get_webview_window("main");
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("hello runs");
}
