//! Putting a deleted rule back from its record.

use tauri::State;

use super::{InLang, chosen_path, file_dialog};
use crate::app::{AppState, Problem, RestorePreview, SavedVerificationFile};
use crate::explain::file_dialog::Choice;
use crate::service::restore::Restored;

#[tauri::command]
pub async fn restore_preview(state: State<'_, AppState>, id: i64) -> Result<RestorePreview, Problem> {
    let lang = state.lang();
    state.restore_preview(id, lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn restore_rule(state: State<'_, AppState>, id: i64, publish: bool) -> Result<Restored, Problem> {
    let lang = state.lang();
    state.restore(id, publish, lang).await.in_lang(lang)
}

/// Asks where to save WeChat's verification file, then fetches and saves it.
#[tauri::command]
pub async fn save_verification_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<SavedVerificationFile>, Problem> {
    let lang = state.lang();
    let chosen = chosen_path("QRJUMP_VERIFICATION_PATH", || {
        file_dialog(&app, Choice::VerificationFolder, lang).blocking_pick_folder()
    });
    let Some(path) = chosen else { return Ok(None) };
    state.save_verification_file(id, &path).await.map(Some).in_lang(lang)
}
