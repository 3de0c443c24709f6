//! The Tauri commands the UI may call: thin adapters over `app::AppState`.
//!
//! Commands that touch the network, the disk or the keyring are async (run
//! off the main thread) so the window never freezes.

use serde::Serialize;
use tauri::{State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;

use crate::accounts::AccountInput;
use crate::app::{AccountView, AppState, ConnectionReport, DEMO_TARGET_APPID, DeleteForm, Problem};
use crate::history::{Filter, Record, Verification};
use crate::lang::Lang;
use crate::service::DeleteOutcome;
use crate::wechat::RuleList;

/// What the About panel and the start-up need.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub api_base: String,
    pub lang: Lang,
    pub keyring_available: bool,
    pub demo_target_appid: &'static str,
}

#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    let system = sys_locale::get_locale().unwrap_or_default();
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
        api_base: state.api_base().to_owned(),
        lang: state.lang(&system),
        keyring_available: state.keyring_available,
        demo_target_appid: DEMO_TARGET_APPID,
    }
}

/// Called by the page once it is ready: the window starts hidden so the
/// admin never sees a white flash.
#[tauri::command]
pub fn ui_ready(window: WebviewWindow) -> Result<(), String> {
    // scripts/measure-startup.sh reads this line.
    if std::env::var_os("QRJUMP_REPORT_READY").is_some() {
        eprintln!("qrjump-admin: ready after {} ms", crate::since_process_start().as_millis());
    }
    window.show().map_err(|e| e.to_string())?;
    window.set_focus().map_err(|e| e.to_string())
}

#[tauri::command(async)]
pub fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<(), String> {
    state.set_lang(lang)
}

#[tauri::command(async)]
pub fn list_accounts(state: State<'_, AppState>) -> Vec<AccountView> {
    state.list_accounts()
}

#[tauri::command(async)]
pub fn save_account(state: State<'_, AppState>, account: AccountInput, lang: Lang) -> Result<AccountView, Problem> {
    state.save_account(account, lang)
}

#[tauri::command(async)]
pub fn remove_account(state: State<'_, AppState>, id: String, lang: Lang) -> Result<(), Problem> {
    state.remove_account(&id, lang)
}

#[tauri::command]
pub async fn test_account(state: State<'_, AppState>, id: String, lang: Lang) -> Result<ConnectionReport, Problem> {
    state.test_account(&id, lang).await
}

#[tauri::command(async)]
pub fn validate_delete(state: State<'_, AppState>, form: DeleteForm, lang: Lang) -> Vec<Problem> {
    state.validate(&form, lang)
}

#[tauri::command]
pub async fn list_rules(state: State<'_, AppState>, form: DeleteForm, lang: Lang) -> Result<RuleList, Problem> {
    state.list_rules(&form, lang).await
}

#[tauri::command]
pub async fn delete_rule(state: State<'_, AppState>, form: DeleteForm, lang: Lang) -> Result<DeleteOutcome, Problem> {
    state.delete(&form, lang).await
}

#[tauri::command(async)]
pub fn history_page(
    state: State<'_, AppState>,
    filter: Filter,
    before: Option<i64>,
    lang: Lang,
) -> Result<Vec<Record>, Problem> {
    state.history_page(&filter, before, lang)
}

#[tauri::command(async)]
pub fn history_record(state: State<'_, AppState>, id: i64, lang: Lang) -> Result<Option<Record>, Problem> {
    state.history_record(id, lang)
}

#[tauri::command(async)]
pub fn history_accounts(state: State<'_, AppState>, lang: Lang) -> Result<Vec<String>, Problem> {
    state.history_accounts(lang)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub path: String,
    pub records: u64,
}

/// Asks where to save with the native dialog, then writes the CSV of the
/// current filter. `None` when the admin cancels.
#[tauri::command(async)]
pub fn export_history(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: Filter,
    lang: Lang,
) -> Result<Option<Exported>, Problem> {
    let path = match export_path_for_tests() {
        Some(path) => path,
        None => {
            let name = format!("qrjump-history-{}.csv", chrono::Local::now().format("%Y%m%d-%H%M"));
            let chosen = app.dialog().file().add_filter("CSV", &["csv"]).set_file_name(name).blocking_save_file();
            match chosen.and_then(|p| p.into_path().ok()) {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    let records = state.export(&filter, &path, lang)?;
    Ok(Some(Exported { path: path.display().to_string(), records }))
}

/// WebDriver cannot drive the native save dialog, so debug builds (the
/// ones the end-to-end tests run) take the path from the environment.
fn export_path_for_tests() -> Option<std::path::PathBuf> {
    if cfg!(debug_assertions) { std::env::var_os("QRJUMP_EXPORT_PATH").map(Into::into) } else { None }
}

#[tauri::command(async)]
pub fn verify_history(state: State<'_, AppState>, lang: Lang) -> Result<Verification, Problem> {
    state.verify(lang)
}
