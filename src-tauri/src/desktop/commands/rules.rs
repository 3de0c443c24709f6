//! The rules screen: an account's rules and the audited delete.

use tauri::State;
use tauri::ipc::Channel;

use super::InLang;
use crate::app::{AppState, DeleteForm, Problem};
use crate::service::ActionOutcome;
use crate::wechat::{Progress, RuleList};

#[tauri::command(async)]
pub fn validate_delete(state: State<'_, AppState>, form: DeleteForm) -> Vec<Problem> {
    let lang = state.lang();
    state.validate(&form).iter().map(|error| error.problem(lang)).collect()
}

/// The account's rules; a long listing reports each page on `on_progress`.
#[tauri::command]
pub async fn list_rules(
    state: State<'_, AppState>,
    form: DeleteForm,
    on_progress: Channel<Progress>,
) -> Result<RuleList, Problem> {
    let lang = state.lang();
    // A closed page is no reason to stop the listing.
    state.list_rules(&form, |progress| drop(on_progress.send(progress))).await.in_lang(lang)
}

#[tauri::command]
pub async fn delete_rule(state: State<'_, AppState>, form: DeleteForm) -> Result<ActionOutcome, Problem> {
    let lang = state.lang();
    state.delete(&form, lang).await.in_lang(lang)
}
