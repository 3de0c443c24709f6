//! Rule-list backups: saved, opened, restored from.

use std::path::PathBuf;

use serde::Serialize;
use tauri::State;

use super::{InLang, chosen_path, file_dialog};
use crate::app::{AppState, BackupContents, DeleteForm, Problem};
use crate::explain::file_dialog::Choice;
use crate::service::restore::Restored;

/// A rule-list backup as saved.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupSaved {
    pub path: String,
    pub rules: usize,
}

/// Asks where to save, then writes the account's whole rule list as CSV or JSON.
#[tauri::command]
pub async fn backup_rules(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    form: DeleteForm,
    format: String,
) -> Result<Option<BackupSaved>, Problem> {
    let lang = state.lang();
    let extension = if format == "json" { "json" } else { "csv" };
    let chosen = chosen_path("QRJUMP_BACKUP_PATH", || {
        let name = format!("qrjump-rules-{}.{extension}", chrono::Local::now().format("%Y%m%d-%H%M"));
        let choice = if extension == "json" { Choice::SaveRulesJson } else { Choice::SaveRulesCsv };
        file_dialog(&app, choice, lang).set_file_name(name).blocking_save_file()
    });
    let Some(path) = chosen else { return Ok(None) };
    let rules = state.backup_rules(&form, &path).await.in_lang(lang)?;
    Ok(Some(BackupSaved { path: path.display().to_string(), rules }))
}

/// The backup file the admin picked in the dialog. The page restores from
/// "the backup it opened", never from a path it names: a script in the
/// page must not choose which file the app reads.
#[derive(Default)]
pub struct OpenedBackup(std::sync::Mutex<Option<PathBuf>>);

/// Asks for a rule backup (CSV or JSON) and reads it against the current list.
#[tauri::command]
pub async fn open_backup(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    opened: State<'_, OpenedBackup>,
    form: DeleteForm,
) -> Result<Option<BackupContents>, Problem> {
    let lang = state.lang();
    let chosen =
        chosen_path("QRJUMP_RESTORE_PATH", || file_dialog(&app, Choice::OpenRulesBackup, lang).blocking_pick_file());
    let Some(path) = chosen else { return Ok(None) };
    let contents = state.open_backup(&form, &path).await.in_lang(lang)?;
    *opened.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(path);
    Ok(Some(contents))
}

/// Restores `prefixes` from the backup last opened through the dialog.
#[tauri::command]
pub async fn restore_from_backup(
    state: State<'_, AppState>,
    opened: State<'_, OpenedBackup>,
    form: DeleteForm,
    prefixes: Vec<String>,
    publish: bool,
) -> Result<Vec<Restored>, Problem> {
    let lang = state.lang();
    let path = opened.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(path) = path else {
        return Err(Problem::no_backup_open(lang));
    };
    state.restore_from_backup(&form, &path, &prefixes, publish, lang).await.in_lang(lang)
}
