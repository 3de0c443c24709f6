//! Batches of deletes: plan, send, resume, cancel.

use tauri::State;
use tauri::ipc::Channel;

use super::{InLang, chosen_path, file_dialog};
use crate::app::{AppError, AppState, BatchForm, Begun, Problem};
use crate::explain::file_dialog::Choice;
use crate::service::batch::{BatchProgress, BatchStatus, Plan};

/// Asks for a text or CSV file of prefixes and reads it.
#[tauri::command(async)]
pub fn import_prefixes(app: tauri::AppHandle, state: State<'_, AppState>) -> Result<Option<Vec<String>>, Problem> {
    let lang = state.lang();
    let chosen = chosen_path("QRJUMP_IMPORT_PATH", || file_dialog(&app, Choice::PrefixList, lang).blocking_pick_file());
    let Some(path) = chosen else { return Ok(None) };
    let bytes =
        std::fs::read(&path).map_err(|source| AppError::SaveFile { path: path.clone(), source }).in_lang(lang)?;
    Ok(Some(crate::service::batch::parse_prefix_list(&String::from_utf8_lossy(&bytes))))
}

#[tauri::command]
pub async fn plan_batch(state: State<'_, AppState>, form: BatchForm) -> Result<Plan, Problem> {
    let lang = state.lang();
    state.plan_batch(&form, lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn begin_batch(state: State<'_, AppState>, form: BatchForm) -> Result<Begun, Problem> {
    let lang = state.lang();
    state.begin_batch(&form, lang).await.in_lang(lang)
}

/// Sends a begun batch, reporting before and after each item on `on_progress`.
#[tauri::command]
pub async fn run_batch(
    state: State<'_, AppState>,
    batch_id: String,
    on_progress: Channel<BatchProgress>,
) -> Result<BatchStatus, Problem> {
    let lang = state.lang();
    // A closed page is no reason to stop the batch.
    state.run_batch(&batch_id, |p| drop(on_progress.send(p)), lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn resume_batch(
    state: State<'_, AppState>,
    batch_id: String,
    on_progress: Channel<BatchProgress>,
) -> Result<BatchStatus, Problem> {
    let lang = state.lang();
    state.resume_batch(&batch_id, |p| drop(on_progress.send(p)), lang).await.in_lang(lang)
}

#[tauri::command]
pub async fn check_batch(state: State<'_, AppState>, batch_id: String) -> Result<BatchStatus, Problem> {
    let lang = state.lang();
    state.check_batch(&batch_id, lang).await.in_lang(lang)
}

#[tauri::command(async)]
pub fn cancel_batch(state: State<'_, AppState>, batch_id: String) {
    state.cancel_batch(&batch_id);
}

#[tauri::command(async)]
pub fn close_batch(state: State<'_, AppState>, batch_id: String) -> Result<(), Problem> {
    let lang = state.lang();
    state.close_batch(&batch_id).in_lang(lang)
}

#[tauri::command(async)]
pub fn unfinished_batches(state: State<'_, AppState>) -> Result<Vec<BatchStatus>, Problem> {
    let lang = state.lang();
    state.unfinished_batches().in_lang(lang)
}
