//! This computer's history: review, export, integrity, linked records.

use tauri::State;

use super::{InLang, chosen_path, file_dialog};
use crate::app::{AppState, Linked, Problem};
use crate::explain::file_dialog::Choice;
use crate::history::{AnchorReport, Exported, Filter, Record};
use crate::service::ActionOutcome;

#[tauri::command(async)]
pub fn history_page(state: State<'_, AppState>, filter: Filter, before: Option<i64>) -> Result<Vec<Record>, Problem> {
    let lang = state.lang();
    state.history_page(&filter, before).in_lang(lang)
}

#[tauri::command(async)]
pub fn history_record(state: State<'_, AppState>, id: i64) -> Result<Option<Record>, Problem> {
    let lang = state.lang();
    state.history_record(id).in_lang(lang)
}

#[tauri::command(async)]
pub fn history_accounts(state: State<'_, AppState>) -> Result<Vec<String>, Problem> {
    let lang = state.lang();
    state.history_accounts().in_lang(lang)
}

/// Asks where to save with the native dialog, then writes the CSV of the
/// current filter and its manifest. `None` when the admin cancels.
#[tauri::command(async)]
pub fn export_history(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: Filter,
) -> Result<Option<Exported>, Problem> {
    let lang = state.lang();
    let chosen = chosen_path("QRJUMP_EXPORT_PATH", || {
        let name = format!("qrjump-history-{}.csv", chrono::Local::now().format("%Y%m%d-%H%M"));
        file_dialog(&app, Choice::ExportHistory, lang).set_file_name(name).blocking_save_file()
    });
    let Some(path) = chosen else { return Ok(None) };
    state.export(&filter, &path).map(Some).in_lang(lang)
}

#[tauri::command(async)]
pub fn verify_history(state: State<'_, AppState>) -> Result<crate::app::HistoryCheck, Problem> {
    let lang = state.lang();
    state.check_history().in_lang(lang)
}

/// Asks for the manifest of an earlier export with the native dialog, then
/// checks the history against it. `None` when the admin cancels.
#[tauri::command(async)]
pub fn verify_history_against(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<AnchorReport>, Problem> {
    let lang = state.lang();
    let chosen = chosen_path("QRJUMP_MANIFEST_PATH", || file_dialog(&app, Choice::Manifest, lang).blocking_pick_file());
    let Some(path) = chosen else { return Ok(None) };
    state.verify_against(&path).map(Some).in_lang(lang)
}

#[tauri::command(async)]
pub fn history_links(state: State<'_, AppState>, ids: Vec<i64>) -> Result<Vec<Linked>, Problem> {
    let lang = state.lang();
    state.history_links(&ids).in_lang(lang)
}

#[tauri::command]
pub async fn check_record(state: State<'_, AppState>, id: i64) -> Result<ActionOutcome, Problem> {
    let lang = state.lang();
    state.check_record(id, lang).await.in_lang(lang)
}
