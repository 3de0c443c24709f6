//! QR Jump Admin: delete WeChat Mini Program "QR code jump rules" and keep an
//! audit history of every attempt.
//!
//! The crate is one library with three front ends: the desktop app
//! (`qrjump-admin`, Tauri, behind the `desktop` feature), the command line
//! (`qrjump`) and a simulator of WeChat's API (`qrjump-sim`). Tauri appears
//! only in this file and in `commands`.

pub mod config;
pub mod history;
pub mod lang;
pub mod service;
pub mod sim;
pub mod wechat;

#[cfg(feature = "desktop")]
mod commands;

/// Starts the desktop app and blocks until its last window closes.
#[cfg(feature = "desktop")]
pub fn run() -> Result<(), tauri::Error> {
    use tauri::Manager;
    tauri::Builder::default()
        .setup(|app| {
            // The page shows the window when it is ready; should the page
            // fail to load at all, show it anyway rather than run invisibly.
            if let Some(window) = app.get_webview_window("main") {
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(5));
                    if !window.is_visible().unwrap_or(true) {
                        let _ = window.show();
                    }
                });
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::app_info, commands::ui_ready])
        .run(tauri::generate_context!("../tauri.conf.json"))
}
