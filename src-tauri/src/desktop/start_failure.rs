//! When the app cannot start, an admin who started it from a menu sees no
//! terminal: the reason is shown in a native dialog, then the app ends.
//!
//! On Linux the dialog is GTK's own, made on the thread that runs GTK: the
//! dialog plugin's GTK back end (rfd) runs a second GTK loop on a thread of
//! its own beside Tauri's, and now and then that showed no dialog at all
//! (the window test caught it under load). Windows shows a message box.

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
    // `setup` runs on the thread that runs GTK (and the event loop).
    #[cfg(target_os = "linux")]
    gtk_dialog::open(&title, &text, move || handle.exit(1));
    #[cfg(not(target_os = "linux"))]
    {
        use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
        app.dialog().message(text).title(title).kind(MessageDialogKind::Error).show(move |_| handle.exit(1));
    }
}

/// Shows `text` in a native error dialog, then ends the process with
/// status 1 (no window, no event loop of Tauri's).
#[cfg(target_os = "linux")]
pub fn show_text(title: &str, text: &str, _context: tauri::Context) -> Result<(), String> {
    gtk::init().map_err(|e| e.to_string())?;
    gtk_dialog::open(title, text, gtk::main_quit);
    gtk::main();
    std::process::exit(1)
}

/// Shows `text` in a native error dialog: a message box, which needs no
/// WebView2, so it can also say that WebView2 is missing.
#[cfg(not(target_os = "linux"))]
pub fn show_text(title: &str, text: &str, mut context: tauri::Context) -> Result<(), String> {
    use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
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

#[cfg(target_os = "linux")]
mod gtk_dialog {
    use gtk::prelude::*;

    /// Opens an error dialog: `title` as its heading and window title (what
    /// a window list shows), `text` below it, selectable so that the admin
    /// can copy it for IT. Call on GTK's thread; `closed` runs once the
    /// admin has closed it.
    pub fn open(title: &str, text: &str, closed: impl Fn() + 'static) {
        let dialog = gtk::MessageDialog::new(
            None::<&gtk::Window>,
            gtk::DialogFlags::MODAL,
            gtk::MessageType::Error,
            gtk::ButtonsType::Ok,
            title,
        );
        dialog.set_title(title);
        dialog.set_secondary_text(Some(text));
        let area = dialog.message_area().downcast::<gtk::Container>().ok();
        for label in area.map(|area| area.children()).unwrap_or_default() {
            if let Ok(label) = label.downcast::<gtk::Label>() {
                label.set_selectable(true);
            }
        }
        dialog.connect_response(move |dialog, _| {
            dialog.hide();
            closed();
        });
        dialog.show_all();
    }
}
