//! The desktop app's Tauri edge: the builder, the commands, the OS
//! credential store and the start-up failure dialog. Nothing else in the
//! crate knows Tauri.

mod commands;
mod environment;
mod file_chooser;
mod instance;
mod start_failure;
mod webview;
mod window_state;

use tauri::Manager;

use crate::accounts::{MemoryVault, SecretVault};
use crate::app::{AppConfig, AppError, AppState};

pub use environment::prepare as prepare_environment;

/// Starts the desktop app and blocks until its last window closes.
pub fn run() -> Result<(), String> {
    // One context: it embeds the UI, which should be in the binary once.
    let context = tauri::generate_context!("../tauri.conf.json");
    // Without WebView2 no window can be drawn: say so in words, not a crash.
    #[cfg(windows)]
    if tauri::webview_version().is_err() {
        let (title, text) = crate::explain::start::webview2_missing(start_failure::system_lang());
        eprintln!("qrjump-admin: {title}: {text}");
        return start_failure::show_text(&title, &text, context);
    }
    let data_dir = match crate::config::data_dir() {
        Ok(dir) => dir,
        Err(error) => return could_not_start(&error.to_string(), context),
    };
    // The folder may not exist on a first start; if it cannot be made, opening
    // the history says why below.
    let _ = std::fs::create_dir_all(&data_dir);
    let (lock, listener, unlocked) = match instance::claim(&data_dir) {
        Ok(instance::Claim::First { lock, listener }) => (Some(lock), Some(listener), None),
        Ok(instance::Claim::Running) => {
            eprintln!("qrjump-admin: already running on {}: brought its window to the front", data_dir.display());
            return Ok(());
        }
        // A folder that cannot be locked (some network drives): run anyway;
        // the history itself copes with a second process.
        Err(error) => (None, None, Some(error)),
    };
    // Asking the credential store (a D-Bus round trip or more), opening the
    // history and the accounts: beside GTK and WebKit starting. The page's
    // first call waits for the event loop, which runs after `setup` has put
    // the state in place.
    let opening = std::thread::spawn(|| {
        let keyring = crate::vault::keyring_available();
        let vault: Box<dyn SecretVault> =
            if keyring { Box::new(crate::vault::KeyringVault) } else { Box::new(MemoryVault::default()) };
        AppConfig::from_environment(vault, keyring).and_then(AppState::open)
    });
    let opening = Opening { thread: opening, listener, unlocked };
    let result = run_app(data_dir, context, opening);
    drop(lock);
    result
}

/// What `run` started for `setup` to finish: the state being opened, and
/// the single-instance door.
struct Opening {
    thread: std::thread::JoinHandle<Result<AppState, AppError>>,
    listener: Option<instance::Listener>,
    unlocked: Option<std::io::Error>,
}

/// For a terminal or a log first; then the dialog, whose event loop ends
/// the process with status 1 when the admin closes it.
fn could_not_start(error: &str, context: tauri::Context) -> Result<(), String> {
    eprintln!("qrjump-admin: could not start: {error}");
    start_failure::show(error, context).map_err(|dialog| format!("could not show the start-up failure: {dialog}"))
}

/// Says how far start-up is, for `scripts/measure-startup.sh`, when
/// `QRJUMP_REPORT_READY` is set: "qrjump-admin: <step> after <n> ms".
pub(crate) fn report_startup(step: &str) {
    if std::env::var_os("QRJUMP_REPORT_READY").is_some() {
        eprintln!("qrjump-admin: {step} after {} ms", crate::since_process_start().as_millis());
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

/// The invoke handler of every command of commands/<domain>.rs, listed by
/// build.rs.
macro_rules! commands {
    ($($domain:ident: [$($command:ident),* $(,)?]),* $(,)?) => {
        tauri::generate_handler![$($(commands::$domain::$command),*),*]
    };
}

fn run_app(data_dir: std::path::PathBuf, context: tauri::Context, opening: Opening) -> Result<(), String> {
    let saved = data_dir.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(stay_on_own_pages())
        .manage(commands::backups::OpenedBackup::default())
        .on_window_event(move |window, event| {
            if matches!(event, tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_)) {
                window_state::save(window, &saved);
            }
        })
        .setup(move |app| {
            // GTK is up and the window made.
            report_startup("setup");
            let Opening { thread, listener, unlocked } = opening;
            let state = match thread.join() {
                Ok(Ok(state)) => state,
                failed => {
                    // The log gets the error as it is; the admin, its words
                    // in the system's language.
                    let (logged, said) = match failed {
                        Ok(Err(error)) => (error.to_string(), error.problem(start_failure::system_lang()).message),
                        _ => ("the start-up thread stopped".to_owned(), "the start-up thread stopped".to_owned()),
                    };
                    eprintln!("qrjump-admin: could not start: {logged}");
                    start_failure::show_in(app, &said, &data_dir);
                    return Ok(());
                }
            };
            if let Some(error) = unlocked {
                state.note(&format!("one-app-per-folder lock unavailable: {error}"));
            }
            app.manage(state);
            if let Some(window) = app.get_webview_window("main") {
                webview::lighten(&window);
            }
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
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/commands.rs")))
        .build(context)
        .map_err(|e| e.to_string())?
        .run(|_, event| {
            // Closing the failed start's window is not the end: its dialog
            // ends the process when the admin has read it.
            if let tauri::RunEvent::ExitRequested { code: None, api, .. } = event
                && start_failure::shown()
            {
                api.prevent_exit();
            }
        });
    Ok(())
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
