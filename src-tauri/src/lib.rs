//! QR Jump Admin: delete WeChat Mini Program "QR code jump rules" and keep an
//! audit history of every attempt.
//!
//! The crate is one library with three front ends: the desktop app
//! (`qrjump-admin`, Tauri, behind the `desktop` feature), the command line
//! (`qrjump`) and a simulator of WeChat's API (`qrjump-sim`). Tauri appears
//! only in this file and in `commands`.

pub mod accounts;
pub mod app;
pub mod config;
pub mod history;
pub mod lang;
pub mod service;
pub mod sim;
pub mod wechat;

#[cfg(feature = "desktop")]
mod commands;
#[cfg(feature = "desktop")]
mod vault;

static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes when the process started, for the start-up measurement.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(std::time::Instant::now);
}

/// Time since [`mark_process_start`].
pub fn since_process_start() -> std::time::Duration {
    PROCESS_START.get().map(|start| start.elapsed()).unwrap_or_default()
}

/// Starts the desktop app and blocks until its last window closes.
#[cfg(feature = "desktop")]
pub fn run() -> Result<(), String> {
    use tauri::Manager;

    let keyring = vault::keyring_available();
    let vault: Box<dyn accounts::SecretVault> = if keyring { Box::new(vault::KeyringVault) } else { Box::new(accounts::MemoryVault::default()) };
    let state = app::AppState::open(vault, keyring)?;
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
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
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::ui_ready,
            commands::set_language,
            commands::list_accounts,
            commands::save_account,
            commands::remove_account,
            commands::test_account,
            commands::validate_delete,
            commands::list_rules,
            commands::delete_rule,
            commands::history_page,
            commands::history_record,
            commands::history_accounts,
            commands::export_history,
            commands::verify_history,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .map_err(|e| e.to_string())
}
