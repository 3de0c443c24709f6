//! The desktop app's Tauri edge: the builder, the commands, the OS
//! credential store and the start-up failure dialog. Nothing else in the
//! crate knows Tauri.

mod commands;
mod instance;
mod start_failure;
mod window_state;

use tauri::Manager;

use crate::accounts::{MemoryVault, SecretVault};
use crate::app::{AppConfig, AppState};

/// Starts the desktop app and blocks until its last window closes.
pub fn run() -> Result<(), String> {
    // One context: it embeds the UI, which should be in the binary once.
    let context = tauri::generate_context!("../tauri.conf.json");
    // Without WebView2 no window can be drawn: say so in words, not a crash.
    #[cfg(windows)]
    if tauri::webview_version().is_err() {
        let (title, text) = start_failure::webview2_missing(start_failure::system_lang());
        eprintln!("qrjump-admin: {title}: {text}");
        return start_failure::show_text(&title, &text, context);
    }
    let keyring = crate::vault::keyring_available();
    let vault: Box<dyn SecretVault> =
        if keyring { Box::new(crate::vault::KeyringVault) } else { Box::new(MemoryVault::default()) };
    let state = AppConfig::from_environment(vault, keyring).and_then(AppState::open);
    match state {
        Ok(state) => match instance::claim(state.data_dir()) {
            Ok(instance::Claim::First { lock, listener }) => {
                let result = run_app(state, context, Some(listener));
                drop(lock);
                result
            }
            Ok(instance::Claim::Running) => {
                eprintln!(
                    "qrjump-admin: already running on {}: brought its window to the front",
                    state.data_dir().display()
                );
                Ok(())
            }
            // A folder that cannot be locked (some network drives): run
            // anyway; the history itself copes with a second process.
            Err(error) => {
                state.note(&format!("one-app-per-folder lock unavailable: {error}"));
                run_app(state, context, None)
            }
        },
        Err(error) => {
            // For a terminal or a log first: the dialog's event loop ends the
            // process with status 1 when the admin closes it.
            eprintln!("qrjump-admin: could not start: {error}");
            start_failure::show(&error.to_string(), context)
                .map_err(|dialog| format!("could not show the start-up failure: {dialog}"))
        }
    }
}

/// Refuses every navigation away from the app's own pages (a dropped file,
/// a link, a script setting `location`): the window shows the app, nothing
/// else, whatever the page is made to do.
fn stay_on_own_pages<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("own-pages").on_navigation(|_, url| is_own_page(url)).build()
}

/// `tauri://localhost` (Linux, macOS) or `http(s)://tauri.localhost` (Windows).
fn is_own_page(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// The invoke handler of every command in commands/table.rs.
macro_rules! commands {
    ($($domain:ident: [$($command:ident),* $(,)?]),* $(,)?) => {
        tauri::generate_handler![$($(commands::$domain::$command),*),*]
    };
}

fn run_app(state: AppState, context: tauri::Context, listener: Option<instance::Listener>) -> Result<(), String> {
    let saved = state.data_dir().to_owned();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(stay_on_own_pages())
        .manage(state)
        .manage(commands::backups::OpenedBackup::default())
        .on_window_event(move |window, event| {
            if matches!(event, tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_)) {
                window_state::save(window, &saved);
            }
        })
        .setup(move |app| {
            if let Some(listener) = listener {
                let handle = app.handle().clone();
                instance::answer(listener, move || {
                    if let Some(window) = handle.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.show();
                        let _ = window.set_focus();
                    }
                    handle.state::<AppState>().note("a second start brought this window to the front");
                });
            }
            // The team history's push: every minute, and at once after a
            // delete; off until the admin sets a team database up.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let every = std::env::var("QRJUMP_TEAM_PUSH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
                handle.state::<AppState>().push_team_forever(std::time::Duration::from_secs(every)).await;
            });
            // The page shows the window when it is ready; should the page
            // fail to load at all, show it anyway rather than run invisibly.
            if let Some(window) = app.get_webview_window("main") {
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(5));
                    if !window.is_visible().unwrap_or(true) {
                        let _ = window.show();
                    }
                });
            }
            Ok(())
        })
        .invoke_handler(include!("commands/table.rs"))
        .run(context)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_pages_may_be_shown() {
        for own in [
            "tauri://localhost/",
            "tauri://localhost/index.html",
            "http://tauri.localhost/",
            "https://tauri.localhost/x",
        ] {
            assert!(is_own_page(&own.parse().unwrap()), "{own}");
        }
        for other in [
            "file:///home/a/drop.png",
            "https://evil.test/",
            "http://localhost:8080/",
            "tauri://evil/",
            "data:text/html,x",
        ] {
            assert!(!is_own_page(&other.parse().unwrap()), "{other}");
        }
    }
}
