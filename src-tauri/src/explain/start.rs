//! Why the app could not start, for the native dialog shown before (or
//! instead of) its window: the reason, the data folder, what to do.

use crate::lang::Lang;

/// What an admin is told when Windows has no WebView2 runtime: what it is
/// and where to get it (the installer normally installs it).
pub fn webview2_missing(lang: Lang) -> (String, String) {
    const URL: &str = "https://developer.microsoft.com/microsoft-edge/webview2/";
    match lang {
        Lang::ZhCn => (
            "二维码跳转规则管理需要 WebView2".to_owned(),
            format!(
                "这台电脑缺少 Microsoft Edge WebView2 运行时，本程序用它来显示窗口。\n\n\
                 请从 {URL} 下载“常青版引导程序”（Evergreen Bootstrapper）并运行，或请 IT 同事安装 \
                 WebView2 运行时，然后再打开本程序。\n\n命令行工具 qrjump.exe 不需要它，可以照常使用。"
            ),
        ),
        Lang::En => (
            "QR Jump Admin needs WebView2".to_owned(),
            format!(
                "This PC does not have the Microsoft Edge WebView2 Runtime, which the app uses to draw its window.\n\n\
                 Download the Evergreen Bootstrapper from {URL} and run it, or ask IT to install the WebView2 \
                 Runtime, then open the app again.\n\nThe command line, qrjump.exe, does not need it and works as before."
            ),
        ),
    }
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
        for lang in [Lang::ZhCn, Lang::En] {
            let (title, text) = webview2_missing(lang);
            assert!(
                title.contains("WebView2") && text.contains("https://developer.microsoft.com/microsoft-edge/webview2/")
            );
        }
        let (title, text) = text(Lang::ZhCn, "x", None);
        assert_eq!(title, "二维码跳转规则管理无法启动");
        assert!(text.contains("数据文件夹：（未知）"), "{text}");
    }
}
