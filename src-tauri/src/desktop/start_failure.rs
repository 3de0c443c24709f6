//! When the app cannot start, an admin who started it from a menu sees no
//! terminal: the reason is shown in a native dialog, then the app ends.

use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::lang::Lang;

/// Shows why the app could not start in a native error dialog (no main
/// window, no UI) and returns when the admin closes it.
pub fn show(error: &str, mut context: tauri::Context) -> Result<(), String> {
    let lang = Lang::from_locale(&sys_locale::get_locale().unwrap_or_default());
    let (title, text) = text(lang, error, crate::config::data_dir().ok().as_deref());
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
pub fn text(lang: Lang, error: &str, data_dir: Option<&std::path::Path>) -> (String, String) {
    let folder =
        data_dir.map(|d| d.display().to_string()).unwrap_or_else(|| lang.pick("（未知）", "(unknown)").to_owned());
    match lang {
        Lang::ZhCn => (
            "二维码跳转规则管理无法启动".to_owned(),
            format!(
                "原因：{error}\n\n数据文件夹：{folder}\n\n没有任何记录被改动。请确认该文件夹存在、可以写入，且磁盘没有写满；\
                 若问题依旧，请把这段文字发给 IT 同事。"
            ),
        ),
        Lang::En => (
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
        for lang in [Lang::ZhCn, Lang::En] {
            let (title, text) = text(lang, "the history database: disk full", Some(folder));
            assert!(!title.is_empty());
            assert!(text.contains("the history database: disk full") && text.contains("/data/qrjump"), "{text}");
        }
        let (title, text) = text(Lang::ZhCn, "x", None);
        assert_eq!(title, "二维码跳转规则管理无法启动");
        assert!(text.contains("数据文件夹：（未知）"), "{text}");
    }
}
