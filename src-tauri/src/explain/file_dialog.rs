//! The native file dialogs' titles and file-type names, in the admin's
//! language. Without them the dialogs say "Open File" or "Save File" in
//! English over a Chinese window, and the type list reads "Manifest".

use crate::lang::Lang;

/// What the admin is asked to choose, one per dialog the window opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Where to save the rule list as CSV.
    SaveRulesCsv,
    /// Where to save the rule list as JSON.
    SaveRulesJson,
    /// A backup of the rule list to restore from.
    OpenRulesBackup,
    /// A CSV or text file of prefixes to delete together.
    PrefixList,
    /// Photos or scans of QR codes to look up.
    CodeImages,
    /// A CSV or text file of the links printed on products.
    PrintedList,
    /// A folder of images of the codes printed on products.
    PrintedFolder,
    /// Where to export the history.
    ExportHistory,
    /// Where to export the team's history.
    ExportTeamHistory,
    /// The manifest saved beside an exported CSV.
    Manifest,
    /// A folder to save a rule's verification file in.
    VerificationFolder,
    /// A rule file (a rule set) to apply.
    RuleSet,
}

/// The dialog's title.
pub fn title(choice: Choice, lang: Lang) -> &'static str {
    use Choice::*;
    match choice {
        SaveRulesCsv => lang.pick("把规则列表保存为 CSV", "Save the rule list as CSV"),
        SaveRulesJson => lang.pick("把规则列表保存为 JSON", "Save the rule list as JSON"),
        OpenRulesBackup => lang.pick("选择规则列表的备份", "Choose a backup of the rule list"),
        PrefixList => lang.pick("选择前缀列表（CSV 或文本）", "Choose a list of prefixes (CSV or text)"),
        CodeImages => lang.pick("选择二维码图片", "Choose pictures of QR codes"),
        PrintedList => {
            lang.pick("选择已印刷链接的列表（CSV 或文本）", "Choose the list of printed links (CSV or text)")
        }
        PrintedFolder => lang.pick("选择已印刷二维码图片所在的文件夹", "Choose the folder of printed code pictures"),
        ExportHistory => lang.pick("把历史记录导出为 CSV", "Export the history as CSV"),
        ExportTeamHistory => lang.pick("把团队历史记录导出为 CSV", "Export the team history as CSV"),
        Manifest => lang.pick(
            "选择导出时一同保存的清单（.manifest.json）",
            "Choose the manifest saved with the export (.manifest.json)",
        ),
        VerificationFolder => lang.pick("选择保存校验文件的文件夹", "Choose a folder for the verification file"),
        RuleSet => lang.pick("选择要应用的规则文件", "Choose a rule file to apply"),
    }
}

/// The type list's one entry: its name and the extensions it shows.
/// `None` for a folder.
pub fn filter(choice: Choice, lang: Lang) -> Option<(&'static str, &'static [&'static str])> {
    use Choice::*;
    const CSV_OR_TEXT: &[&str] = &["csv", "txt"];
    const CSV_OR_JSON: &[&str] = &["csv", "json"];
    Some(match choice {
        SaveRulesCsv | ExportHistory | ExportTeamHistory => (lang.pick("CSV 表格", "CSV spreadsheet"), &["csv"]),
        SaveRulesJson => (lang.pick("JSON 文件", "JSON file"), &["json"]),
        OpenRulesBackup | RuleSet => (lang.pick("CSV 或 JSON 文件", "CSV or JSON files"), CSV_OR_JSON),
        PrefixList | PrintedList => (lang.pick("CSV 或文本文件", "CSV or text files"), CSV_OR_TEXT),
        CodeImages => (lang.pick("PNG 或 JPEG 图片", "PNG or JPEG pictures"), &["png", "jpg", "jpeg"]),
        Manifest => (lang.pick("导出清单（JSON）", "Export manifests (JSON)"), &["json"]),
        PrintedFolder | VerificationFolder => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Choice::*;

    const ALL: [Choice; 12] = [
        SaveRulesCsv,
        SaveRulesJson,
        OpenRulesBackup,
        PrefixList,
        CodeImages,
        PrintedList,
        PrintedFolder,
        ExportHistory,
        ExportTeamHistory,
        Manifest,
        VerificationFolder,
        RuleSet,
    ];

    #[test]
    fn every_dialog_has_its_own_title_in_both_languages() {
        for lang in [Lang::ZhCn, Lang::En] {
            let titles: std::collections::HashSet<_> = ALL.iter().map(|&choice| title(choice, lang)).collect();
            assert_eq!(titles.len(), ALL.len(), "{lang:?}: two dialogs share a title");
        }
        for choice in ALL {
            assert_ne!(title(choice, Lang::ZhCn), title(choice, Lang::En), "{choice:?}");
            assert!(title(choice, Lang::ZhCn).chars().any(|c| c > '\u{2e80}'), "{choice:?} in Chinese");
        }
    }

    #[test]
    fn folders_have_no_type_list_and_files_name_theirs_in_both_languages() {
        for choice in ALL {
            let folder = matches!(choice, PrintedFolder | VerificationFolder);
            match (filter(choice, Lang::ZhCn), filter(choice, Lang::En)) {
                (None, None) => assert!(folder, "{choice:?}"),
                (Some((zh, zh_exts)), Some((en, en_exts))) => {
                    assert!(!folder, "{choice:?}");
                    assert_ne!(zh, en, "{choice:?}");
                    assert_eq!(zh_exts, en_exts, "{choice:?}");
                    assert!(zh_exts.iter().all(|ext| ext.chars().all(|c| c.is_ascii_lowercase())), "{choice:?}");
                }
                other => panic!("{choice:?}: {other:?}"),
            }
        }
        assert_eq!(filter(Manifest, Lang::En), Some(("Export manifests (JSON)", &["json"][..])));
    }
}
