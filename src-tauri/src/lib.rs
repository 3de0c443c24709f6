//! QR Jump Admin: delete WeChat Mini Program "QR code jump rules" and keep an
//! audit history of every attempt.
//!
//! The crate is one library with three front ends: the desktop app
//! (`qrjump-admin`, Tauri, behind the `desktop` feature), the command line
//! (`qrjump`) and a simulator of WeChat's API (`qrjump-sim`). Tauri appears
//! only in this file and in `commands`.

pub mod accounts;
pub mod app;
pub mod config;
pub mod history;
pub mod lang;
pub mod service;
pub mod sim;
mod sync;
pub mod wechat;

#[cfg(feature = "desktop")]
mod commands;
#[cfg(feature = "desktop")]
mod vault;

static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes when the process started, for the start-up measurement.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(std::time::Instant::now);
}

/// Time since [`mark_process_start`].
pub fn since_process_start() -> std::time::Duration {
    PROCESS_START.get().map(|start| start.elapsed()).unwrap_or_default()
}

/// Starts the desktop app and blocks until its last window closes.
///
/// When the app cannot start (the history file cannot be opened, the data
/// folder is not writable...), an admin who started it from a menu sees no
/// terminal: the reason is shown in a native dialog, then the app ends.
#[cfg(feature = "desktop")]
pub fn run() -> Result<(), String> {
    // One context: it embeds the UI, which should be in the binary once.
    let context = tauri::generate_context!("../tauri.conf.json");
    let keyring = vault::keyring_available();
    let vault: Box<dyn accounts::SecretVault> =
        if keyring { Box::new(vault::KeyringVault) } else { Box::new(accounts::MemoryVault::default()) };
    match app::AppState::open(vault, keyring) {
        Ok(state) => run_app(state, context),
        Err(error) => {
            // For a terminal or a log first: the dialog's event loop ends the
            // process with status 1 when the admin closes it.
            eprintln!("qrjump-admin: could not start: {error}");
            show_start_failure(&error, context)
                .map_err(|dialog| format!("could not show the start-up failure: {dialog}"))
        }
    }
}

#[cfg(feature = "desktop")]
fn run_app(state: app::AppState, context: tauri::Context) -> Result<(), String> {
    use tauri::Manager;

    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(|app| {
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
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::ui_ready,
            commands::set_language,
            commands::list_accounts,
            commands::save_account,
            commands::remove_account,
            commands::test_account,
            commands::validate_delete,
            commands::list_rules,
            commands::delete_rule,
            commands::history_page,
            commands::history_record,
            commands::history_accounts,
            commands::export_history,
            commands::verify_history,
        ])
        .run(context)
        .map_err(|e| e.to_string())
}

/// Shows why the app could not start in a native error dialog (no main
/// window, no UI) and returns when the admin closes it.
#[cfg(feature = "desktop")]
fn show_start_failure(error: &str, mut context: tauri::Context) -> Result<(), String> {
    use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

    let lang = lang::Lang::from_locale(&sys_locale::get_locale().unwrap_or_default());
    let (title, text) = start_failure_text(lang, error, config::data_dir().ok().as_deref());
    context.config_mut().app.windows.clear();
    let app =
        tauri::Builder::default().plugin(tauri_plugin_dialog::init()).build(context).map_err(|e| e.to_string())?;
    let handle = app.handle().clone();
    app.dialog().message(text).title(title).kind(MessageDialogKind::Error).show(move |_| handle.exit(1));
    // No window: the loop runs until the dialog's callback ends the process.
    app.run(|_, _| {});
    Ok(())
}

/// The title and text of the start-up failure dialog.
pub fn start_failure_text(lang: lang::Lang, error: &str, data_dir: Option<&std::path::Path>) -> (String, String) {
    let folder =
        data_dir.map(|d| d.display().to_string()).unwrap_or_else(|| lang.pick("（未知）", "(unknown)").to_owned());
    match lang {
        lang::Lang::ZhCn => (
            "二维码跳转规则管理无法启动".to_owned(),
            format!(
                "原因：{error}\n\n数据文件夹：{folder}\n\n没有任何记录被改动。请确认该文件夹存在、可以写入，且磁盘没有写满；\
                 若问题依旧，请把这段文字发给 IT 同事。"
            ),
        ),
        lang::Lang::En => (
            "QR Jump Admin could not start".to_owned(),
            format!(
                "Reason: {error}\n\nData folder: {folder}\n\nNo record was changed. Check that the folder exists, \
                 can be written to and that the disk is not full; if the problem stays, send this text to your IT colleague."
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_failure_names_the_reason_and_the_folder_in_both_languages() {
        let folder = std::path::Path::new("/data/qrjump");
        for lang in [lang::Lang::ZhCn, lang::Lang::En] {
            let (title, text) = start_failure_text(lang, "the history database: disk full", Some(folder));
            assert!(!title.is_empty());
            assert!(text.contains("the history database: disk full") && text.contains("/data/qrjump"), "{text}");
        }
        let (title, text) = start_failure_text(lang::Lang::ZhCn, "x", None);
        assert_eq!(title, "二维码跳转规则管理无法启动");
        assert!(text.contains("数据文件夹：（未知）"), "{text}");
    }
}
