//! The app itself: its facts, readiness, language, zoom and support.

use serde::Serialize;
use tauri::{State, WebviewWindow};

use super::InLang;
use crate::app::{AppError, AppState, DEMO_TARGET_APPID, Problem};
use crate::lang::Lang;

/// What the About panel and the start-up need.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub api_base: String,
    pub lang: Lang,
    pub keyring_available: bool,
    /// False when the data folder is read-only: review only, no deletes.
    pub writable: bool,
    pub demo_target_appid: &'static str,
    /// What IT's policy fixed on this PC, and what in it did not hold (in
    /// the app's language: the page asks again when it switches).
    pub policy: &'static crate::policy::Policy,
    pub policy_problems: Vec<String>,
    /// Where updates come from, and whether the window looks on its own.
    pub updates: crate::app::UpdateSettings,
}

#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    // The page is loaded and asks its first question (asked again when the
    // language switches: reported once).
    static FIRST: std::sync::Once = std::sync::Once::new();
    FIRST.call_once(|| crate::desktop::report_startup("first call"));
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir().display().to_string(),
        api_base: state.api_base().to_owned(),
        lang: state.lang(),
        keyring_available: state.keyring_available(),
        writable: state.writable(),
        demo_target_appid: DEMO_TARGET_APPID,
        policy: &crate::policy::current().policy,
        policy_problems: crate::policy::current()
            .problems
            .iter()
            .map(|problem| crate::explain::policy::problem(problem, state.lang()))
            .collect(),
        updates: state.update_settings(),
    }
}

/// Called by the page once it is ready: the window starts hidden so the
/// admin never sees a white flash.
#[tauri::command]
pub fn ui_ready(window: WebviewWindow, state: State<'_, AppState>) -> Result<(), String> {
    // The line scripts/measure-startup.sh times.
    crate::desktop::report_startup("ready");
    // Placed before it is shown, and again once shown: GTK sometimes puts a
    // window back at its configured size when it first maps it.
    let saved = crate::desktop::window_state::saved(state.data_dir());
    crate::desktop::window_state::restore(&window, &saved);
    window.show().map_err(|e| e.to_string())?;
    crate::desktop::window_state::restore(&window, &saved);
    window.set_focus().map_err(|e| e.to_string())
}

#[tauri::command(async)]
pub fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<(), Problem> {
    state.set_lang(lang).in_lang(lang)
}

/// Scales the page (Ctrl+= / Ctrl+- / Ctrl+0), between half and double size.
#[tauri::command]
pub fn set_zoom(window: WebviewWindow, factor: f64) -> Result<(), String> {
    window.set_zoom(factor.clamp(0.5, 2.0)).map_err(|e| e.to_string())
}

/// The diagnostics an admin sends IT (no secret in them).
#[tauri::command(async)]
pub fn diagnostics(state: State<'_, AppState>) -> String {
    state.diagnostics()
}

/// Opens the data folder in the system's file manager; returns its path.
#[tauri::command(async)]
pub fn open_data_folder(state: State<'_, AppState>) -> Result<String, Problem> {
    let lang = state.lang();
    let dir = state.data_dir().to_owned();
    let program = match std::env::consts::OS {
        "windows" => "explorer",
        "macos" => "open",
        _ => "xdg-open",
    };
    // Started and left to run: the file manager outlives this call.
    let started = std::process::Command::new(program)
        .arg(&dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match started {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
            Ok(dir.display().to_string())
        }
        Err(source) => Err(AppError::OpenFolder { path: dir, source }.problem(lang)),
    }
}
