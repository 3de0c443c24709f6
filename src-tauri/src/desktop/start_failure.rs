//! When the app cannot start, an admin who started it from a menu sees no
//! terminal: the reason is shown in a native dialog, then the app ends.

use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::explain::start::text;
use crate::lang::Lang;

/// The system's language, for what is said before the window exists.
pub fn system_lang() -> Lang {
    Lang::from_locale(&sys_locale::get_locale().unwrap_or_default())
}

/// Shows why the app could not start in a native error dialog (no main
/// window, no UI) and returns when the admin closes it.
pub fn show(error: &str, context: tauri::Context) -> Result<(), String> {
    let (title, text) = text(system_lang(), error, crate::config::data_dir().ok().as_deref());
    show_text(&title, &text, context)
}

static SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether [`show_in`] is showing its dialog.
pub fn shown() -> bool {
    SHOWN.load(std::sync::atomic::Ordering::SeqCst)
}

/// Shows why the app could not start, from the app's own `setup` (the
/// state is opened beside the window): the window goes, the dialog stays
/// until the admin closes it, and the process ends with status 1.
pub fn show_in(app: &tauri::App, error: &str, data_dir: &std::path::Path) {
    SHOWN.store(true, std::sync::atomic::Ordering::SeqCst);
    if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
        let _ = window.destroy();
    }
    let (title, text) = text(system_lang(), error, Some(data_dir));
    let handle = app.handle().clone();
    app.dialog().message(text).title(title).kind(MessageDialogKind::Error).show(move |_| handle.exit(1));
}

/// Shows `text` in a native error dialog: a message box, which needs no
/// WebView2, so it can also say that WebView2 is missing.
pub fn show_text(title: &str, text: &str, mut context: tauri::Context) -> Result<(), String> {
    let (title, text) = (title.to_owned(), text.to_owned());
    context.config_mut().app.windows.clear();
    let app =
        tauri::Builder::default().plugin(tauri_plugin_dialog::init()).build(context).map_err(|e| e.to_string())?;
    let handle = app.handle().clone();
    app.dialog().message(text).title(title).kind(MessageDialogKind::Error).show(move |_| handle.exit(1));
    // No window: the loop runs until the dialog's callback ends the process.
    app.run(|_, _| {});
    Ok(())
}
