//! The team history on PostgreSQL.

use std::path::PathBuf;

use serde::Serialize;
use tauri::State;

use super::{InLang, chosen_path, file_dialog};
use crate::app::{AppState, Problem, TeamForm, TeamStatus};
use crate::explain::file_dialog::Choice;
use crate::team::{Cursor, Pushed, TeamFilter, TeamNames, TeamRecord, TeamVerification};

/// The team history's setting and where its push stands.
#[tauri::command(async)]
pub fn team_status(state: State<'_, AppState>) -> Result<TeamStatus, Problem> {
    let lang = state.lang();
    state.team_status().in_lang(lang)
}

/// Connects with the form's settings (setting the schema up), then saves them.
#[tauri::command]
pub async fn save_team(state: State<'_, AppState>, form: TeamForm) -> Result<TeamStatus, Problem> {
    let lang = state.lang();
    let status = state.save_team(form).await.in_lang(lang)?;
    state.wake_team_push();
    Ok(status)
}

#[tauri::command(async)]
pub fn forget_team(state: State<'_, AppState>) -> Result<(), Problem> {
    let lang = state.lang();
    state.forget_team().in_lang(lang)
}

/// "Push now".
#[tauri::command]
pub async fn push_team(state: State<'_, AppState>) -> Result<Option<Pushed>, Problem> {
    let lang = state.lang();
    state.push_team().await.in_lang(lang)
}

#[tauri::command]
pub async fn team_page(
    state: State<'_, AppState>,
    filter: TeamFilter,
    before: Option<Cursor>,
) -> Result<Vec<TeamRecord>, Problem> {
    let lang = state.lang();
    state.team_page(&filter, before.as_ref()).await.in_lang(lang)
}

#[tauri::command]
pub async fn team_names(state: State<'_, AppState>) -> Result<TeamNames, Problem> {
    let lang = state.lang();
    state.team_names().await.in_lang(lang)
}

/// "Verify integrity" on the team history: every installation's chain.
#[tauri::command]
pub async fn verify_team(state: State<'_, AppState>) -> Result<TeamVerification, Problem> {
    let lang = state.lang();
    state.verify_team().await.in_lang(lang)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamExported {
    records: u64,
    path: PathBuf,
}

/// Asks where to save, then streams the team CSV of the filter there.
/// `None` when the admin cancels.
#[tauri::command]
pub async fn export_team_history(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: TeamFilter,
) -> Result<Option<TeamExported>, Problem> {
    let lang = state.lang();
    let ask = app.clone();
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        chosen_path("QRJUMP_EXPORT_PATH", || {
            let name = format!("qrjump-team-history-{}.csv", chrono::Local::now().format("%Y%m%d-%H%M"));
            file_dialog(&ask, Choice::ExportTeamHistory, lang).set_file_name(name).blocking_save_file()
        })
    })
    .await
    .ok()
    .flatten();
    let Some(path) = chosen else { return Ok(None) };
    let records = state.export_team(&filter, &path).await.in_lang(lang)?;
    Ok(Some(TeamExported { records, path }))
}
