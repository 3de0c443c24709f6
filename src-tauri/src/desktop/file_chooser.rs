//! The native file dialogs, owned by the app's window, with a title and a
//! type list (from `explain::file_dialog`). Each call blocks its command's
//! thread until the admin answers; the dialog itself runs where the window
//! runs.
//!
//! On Linux the dialog is GTK's own, made on the thread that runs GTK. The
//! dialog plugin's GTK back end (rfd) starts a thread of its own that
//! iterates GTK's main loop for the rest of the app's life, beside Tauri's:
//! from the first dialog on, the window's events (WebKit's too) could be
//! handled on that thread, which GTK does not allow. Windows shows the
//! system's dialog through the plugin.

use std::path::PathBuf;

/// What the dialog asks for.
#[derive(Debug, Clone)]
enum Ask {
    File,
    Files,
    Folder,
    /// Where to save, starting from this file name.
    Save(String),
}

/// A file dialog about to be shown.
pub struct FileChooser {
    app: tauri::AppHandle,
    title: String,
    /// The type list's one entry: its name and extensions.
    filter: Option<(String, Vec<String>)>,
    name: Option<String>,
}

impl FileChooser {
    pub fn new(app: &tauri::AppHandle, title: &str, filter: Option<(&str, &[&str])>) -> FileChooser {
        let filter =
            filter.map(|(name, extensions)| (name.to_owned(), extensions.iter().map(|e| (*e).to_owned()).collect()));
        FileChooser { app: app.clone(), title: title.to_owned(), filter, name: None }
    }

    /// The file name a save dialog starts with.
    pub fn set_file_name(mut self, name: impl Into<String>) -> FileChooser {
        self.name = Some(name.into());
        self
    }

    pub fn blocking_pick_file(self) -> Option<PathBuf> {
        self.ask(Ask::File).into_iter().next()
    }

    /// `None` when the admin cancelled.
    pub fn blocking_pick_files(self) -> Option<Vec<PathBuf>> {
        Some(self.ask(Ask::Files)).filter(|chosen| !chosen.is_empty())
    }

    pub fn blocking_pick_folder(self) -> Option<PathBuf> {
        self.ask(Ask::Folder).into_iter().next()
    }

    pub fn blocking_save_file(mut self) -> Option<PathBuf> {
        let name = self.name.take().unwrap_or_default();
        self.ask(Ask::Save(name)).into_iter().next()
    }

    /// Shows the dialog on GTK's thread and waits for the answer (none:
    /// cancelled, or the window is gone).
    #[cfg(target_os = "linux")]
    fn ask(self, ask: Ask) -> Vec<PathBuf> {
        use gtk::prelude::*;
        use tauri::Manager;

        let (answer, answered) = std::sync::mpsc::channel();
        let FileChooser { app, title, filter, .. } = self;
        let window = app.get_webview_window("main");
        let shown = app.run_on_main_thread(move || {
            let parent = window.and_then(|window| window.gtk_window().ok());
            let action = match ask {
                Ask::Folder => gtk::FileChooserAction::SelectFolder,
                Ask::Save(_) => gtk::FileChooserAction::Save,
                Ask::File | Ask::Files => gtk::FileChooserAction::Open,
            };
            // Button labels left to GTK, which has them in the desktop's language.
            let chooser = gtk::FileChooserNative::new(Some(&title), parent.as_ref(), action, None, None);
            chooser.set_modal(true);
            if let Some((name, extensions)) = filter {
                let types = gtk::FileFilter::new();
                types.set_name(Some(&name));
                for extension in extensions {
                    types.add_pattern(&format!("*.{extension}"));
                }
                chooser.add_filter(types);
            }
            chooser.set_select_multiple(matches!(ask, Ask::Files));
            if let Ask::Save(name) = &ask {
                chooser.set_current_name(name);
                chooser.set_do_overwrite_confirmation(true);
            }
            // The dialog lives until it is answered: the handler holds it
            // and lets it go then.
            let held = std::cell::RefCell::new(Some(chooser.clone()));
            chooser.connect_response(move |chooser, response| {
                let chosen = if response == gtk::ResponseType::Accept { chooser.filenames() } else { Vec::new() };
                let _ = answer.send(chosen);
                held.borrow_mut().take();
            });
            chooser.show();
        });
        if shown.is_err() {
            return Vec::new();
        }
        answered.recv().unwrap_or_default()
    }

    #[cfg(not(target_os = "linux"))]
    fn ask(self, ask: Ask) -> Vec<PathBuf> {
        use tauri::Manager;
        use tauri_plugin_dialog::{DialogExt, FilePath};

        let mut dialog = self.app.dialog().file().set_title(&self.title);
        if let Some((name, extensions)) = &self.filter {
            let extensions: Vec<&str> = extensions.iter().map(String::as_str).collect();
            dialog = dialog.add_filter(name, &extensions);
        }
        if let Some(window) = self.app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        let paths = |chosen: Option<Vec<FilePath>>| -> Vec<PathBuf> {
            chosen.unwrap_or_default().into_iter().filter_map(|path| path.into_path().ok()).collect()
        };
        match ask {
            Ask::File => paths(dialog.blocking_pick_file().map(|path| vec![path])),
            Ask::Files => paths(dialog.blocking_pick_files()),
            Ask::Folder => paths(dialog.blocking_pick_folder().map(|path| vec![path])),
            Ask::Save(name) => paths(dialog.set_file_name(name).blocking_save_file().map(|path| vec![path])),
        }
    }
}
