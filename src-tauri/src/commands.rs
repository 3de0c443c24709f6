//! The Tauri commands the UI may call: thin adapters over the library.
//!
//! Each command is async (or `async` in its attribute) so that no I/O ever
//! runs on the main thread, where it would freeze the window.

use serde::Serialize;
use tauri::WebviewWindow;

/// What the About panel shows: which build this is and where it keeps data.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub api_base: String,
}

#[tauri::command(async)]
pub fn app_info() -> Result<AppInfo, String> {
    let data_dir = crate::config::data_dir().map_err(|e| e.to_string())?;
    let api_base = crate::config::api_base().map_err(|e| e.to_string())?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: data_dir.display().to_string(),
        api_base,
    })
}

/// Called by the page once it has painted: the window starts hidden so the
/// admin never sees a white flash.
#[tauri::command]
pub fn ui_ready(window: WebviewWindow) -> Result<(), String> {
    window.show().map_err(|e| e.to_string())?;
    window.set_focus().map_err(|e| e.to_string())
}
