//! Which account holds a prefix.

use tauri::State;

use super::InLang;
use crate::app::{AppState, Problem};
use crate::service::owners::OwnerSearch;

#[tauri::command]
pub async fn find_owner(
    state: State<'_, AppState>,
    prefix: String,
    appid: Option<String>,
) -> Result<OwnerSearch, Problem> {
    let lang = state.lang();
    state.find_owner(&prefix, appid.as_deref(), lang).await.in_lang(lang)
}
