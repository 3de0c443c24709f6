//! Updates: the feed's offer, and installing it on the admin's word.

use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use super::InLang;
use crate::app::{AppState, Problem, UpdateCheck, UpdateInstalled};
use crate::update::Progress;

/// Asks the update feed (at start, daily, and on "Check for updates").
#[tauri::command]
pub async fn check_update(state: State<'_, AppState>) -> Result<UpdateCheck, Problem> {
    Ok(state.check_update().await)
}

/// Installs the version the last check offered, telling `on_progress` how the
/// download goes. When an installer takes over (Windows), the app closes
/// shortly after answering, so that the installer can replace its files.
#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    state: State<'_, AppState>,
    version: String,
    on_progress: Channel<Progress>,
) -> Result<UpdateInstalled, Problem> {
    let lang = state.lang();
    // A page gone (reloaded) only stops hearing about it.
    let mut tell = |step: Progress| {
        let _ = on_progress.send(step);
    };
    let installed = state.install_update(&version, &mut tell).await.in_lang(lang)?;
    if matches!(installed, UpdateInstalled::Handed { .. }) {
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            app.exit(0);
        });
    }
    Ok(installed)
}

/// Stops the download `install_update` is making (the dialog's Cancel).
#[tauri::command]
pub fn cancel_update(state: State<'_, AppState>) {
    state.cancel_update();
}
