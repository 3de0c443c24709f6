//! Accounts and token servers.

use tauri::State;

use super::InLang;
use crate::accounts::{AccountInput, Added, Serves, TokenServerInput};
use crate::app::{AccountView, AppState, ConnectionReport, Problem, ServerView};

#[tauri::command(async)]
pub fn list_accounts(state: State<'_, AppState>) -> Vec<AccountView> {
    state.list_accounts()
}

#[tauri::command(async)]
pub fn save_account(state: State<'_, AppState>, account: AccountInput) -> Result<AccountView, Problem> {
    let lang = state.lang();
    state.save_account(account).in_lang(lang)
}

#[tauri::command(async)]
pub fn remove_account(state: State<'_, AppState>, id: String) -> Result<(), Problem> {
    let lang = state.lang();
    state.remove_account(&id).in_lang(lang)
}

#[tauri::command]
pub async fn test_account(state: State<'_, AppState>, id: String) -> Result<ConnectionReport, Problem> {
    let lang = state.lang();
    state.test_account(&id, lang).await.in_lang(lang)
}

#[tauri::command(async)]
pub fn list_servers(state: State<'_, AppState>) -> Vec<ServerView> {
    state.list_servers()
}

#[tauri::command(async)]
pub fn save_server(state: State<'_, AppState>, server: TokenServerInput) -> Result<ServerView, Problem> {
    let lang = state.lang();
    state.save_server(server).in_lang(lang)
}

#[tauri::command(async)]
pub fn remove_server(state: State<'_, AppState>, id: String) -> Result<(), Problem> {
    let lang = state.lang();
    state.remove_server(&id).in_lang(lang)
}

#[tauri::command(async)]
pub fn add_on_server(
    state: State<'_, AppState>,
    server: String,
    serves: Serves,
    appids: String,
) -> Result<Added, Problem> {
    let lang = state.lang();
    state.add_on_server(&server, serves, &appids).in_lang(lang)
}
