//! The Tauri commands the UI may call: thin adapters over `app::AppState`,
//! one module per domain. The code is the list: build.rs reads each
//! `#[tauri::command]` function here to declare it to Tauri, register it
//! and put it in its domain's permission set.
//! Errors become the UI's `Problem`, in the window's language (kept in
//! the app's state, not sent with each call), here and only here.
//!
//! Commands that touch the network, the disk or the keyring are async (run
//! off the main thread) so the window never freezes.

use std::path::PathBuf;

use super::file_chooser::FileChooser;

use crate::app::{AppError, Problem};
use crate::explain::{self, file_dialog::Choice};
use crate::lang::Lang;

pub mod accounts;
pub mod app;
pub mod backups;
pub mod batch;
pub mod codes;
pub mod history;
pub mod owners;
pub mod restore;
pub mod rules;
pub mod team;
pub mod update;

/// The one conversion from the app's errors to what the UI shows.
trait InLang<T> {
    fn in_lang(self, lang: Lang) -> Result<T, Problem>;
}

impl<T> InLang<T> for Result<T, AppError> {
    fn in_lang(self, lang: Lang) -> Result<T, Problem> {
        self.map_err(|error| error.problem(lang))
    }
}

/// A native file dialog for `choice`: titled and typed in the admin's
/// language, and owned by the app's window.
fn file_dialog(app: &tauri::AppHandle, choice: Choice, lang: Lang) -> FileChooser {
    FileChooser::new(app, explain::file_dialog::title(choice, lang), explain::file_dialog::filter(choice, lang))
}

/// The files the admin chose in a native dialog (none: cancelled); for
/// tests, `variable` holds them joined like `PATH`.
fn chosen_paths(variable: &str, dialog: impl FnOnce() -> Option<Vec<PathBuf>>) -> Vec<PathBuf> {
    let for_tests = if cfg!(debug_assertions) { std::env::var_os(variable) } else { None };
    match for_tests {
        Some(joined) => std::env::split_paths(&joined).collect(),
        None => dialog().unwrap_or_default(),
    }
}

/// The file the admin chose in a native dialog (`None`: cancelled).
/// WebDriver cannot drive native dialogs, so debug builds (the ones the
/// end-to-end tests run) take the path from `variable` when it is set.
fn chosen_path(variable: &str, dialog: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
    let for_tests = if cfg!(debug_assertions) { std::env::var_os(variable).map(PathBuf::from) } else { None };
    for_tests.or_else(dialog)
}
