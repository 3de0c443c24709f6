//! Every visible string of the UI exists in both languages: each key of
//! `ui/i18n.js` has a Chinese and an English text with the same
//! placeholders, and every key the HTML and the scripts use is defined.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn ui_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(ui_dir().join(name)).unwrap_or_else(|e| panic!("read ui/{name}: {e}"))
}

/// The single-quoted JavaScript strings of `line`, unescaped.
fn quoted(line: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut text = String::new();
        loop {
            match chars.next() {
                Some('\\') => text.extend(chars.next()),
                Some('\'') | None => break,
                Some(c) => text.push(c),
            }
        }
        strings.push(text);
    }
    strings
}

/// key -> [zh-CN, en], from the STRINGS table of i18n.js.
fn table() -> BTreeMap<String, Vec<String>> {
    let source = read("i18n.js");
    let start = source.find("const STRINGS = {").expect("STRINGS table in i18n.js");
    let end = start + source[start..].find("\n};").expect("end of STRINGS");
    let mut table = BTreeMap::new();
    for line in source[start..end].lines().skip(1) {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let mut strings = quoted(line);
        assert!(!strings.is_empty(), "unreadable line in STRINGS: {line}");
        let key = strings.remove(0);
        assert!(table.insert(key.clone(), strings).is_none(), "key {key} defined twice");
    }
    table
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

#[test]
fn every_key_has_chinese_and_english_with_the_same_placeholders() {
    let table = table();
    assert!(table.len() > 100, "only {} strings read from i18n.js", table.len());
    for (key, texts) in &table {
        assert_eq!(texts.len(), 2, "{key} must have exactly [zh-CN, en]: {texts:?}");
        let (zh, en) = (&texts[0], &texts[1]);
        assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{key} has an empty text");
        assert_eq!(placeholders(zh), placeholders(en), "{key}: placeholders differ between {zh:?} and {en:?}");
        // A Chinese text with no Chinese in it is an untranslated copy,
        // unless it is a product or technical name kept as is in both.
        let technical = zh == en && zh.is_ascii();
        assert!(
            technical || zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{key}: the zh-CN text {zh:?} has no Chinese"
        );
    }
}

/// The literal key (or the literal start of a template key) after each
/// occurrence of `marker` in `source`.
fn uses<'a>(source: &'a str, marker: &str, ends: &[char]) -> Vec<&'a str> {
    source
        .match_indices(marker)
        // t(' must be the call of t, not the end of showResult('.
        .filter(|(at, _)| {
            !marker.starts_with("t(") || !source[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
        })
        .map(|(at, _)| {
            let rest = &source[at + marker.len()..];
            &rest[..rest.find(|c| ends.contains(&c)).unwrap_or(rest.len())]
        })
        .collect()
}

#[test]
fn every_key_the_page_and_scripts_use_is_defined() {
    let table = table();
    let defined = |key: &str| table.contains_key(key);
    let html = read("index.html");
    let mut checked = 0;
    for marker in ["data-i18n=\"", "data-i18n-placeholder=\"", "data-i18n-label=\"", "data-i18n-aria=\""] {
        for key in uses(&html, marker, &['"']) {
            assert!(defined(key), "index.html uses {key:?}, which i18n.js does not define");
            checked += 1;
        }
    }
    for entry in std::fs::read_dir(ui_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "js") || path.ends_with("i18n.js") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        for marker in ["t('", "dataset.i18n = '", "label: '"] {
            for key in uses(&source, marker, &['\'']) {
                assert!(defined(key), "{name} uses {key:?}, which i18n.js does not define");
                checked += 1;
            }
        }
        // Template keys such as t(`status.${record.status}`): the fixed
        // start must begin at least one defined key.
        for marker in ["t(`", "dataset.i18n = `"] {
            for start in uses(&source, marker, &['$', '`']) {
                assert!(
                    table.keys().any(|key| key.starts_with(start)),
                    "{name} uses keys starting {start:?}, and i18n.js defines none"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} uses of keys found; is the scan still reading the UI?");
}

#[test]
fn every_status_mode_and_state_the_core_sends_has_a_text() {
    let table = table();
    for key in [
        "status.ok",
        "status.failed",
        "status.unknown",
        "status.pending",
        "mode.ordinary",
        "mode.service_account",
        "state.1",
        "state.2",
        "range.1",
        "range.2",
        "range.3",
        "kind.mini_program",
        "kind.service_account",
        "kind.access_token",
        "error_kind.input",
        "error_kind.http",
        "error_kind.not_json",
        "error_kind.timeout",
        "error_kind.connect",
        "error_kind.network",
        "error_kind.token_expired",
        "error_kind.interrupted",
    ] {
        assert!(table.contains_key(key), "i18n.js has no text for {key}");
    }
    // Each action a record names, each finding of the doctor, each step of an edit.
    let json_name = |value: serde_json::Value| value.as_str().unwrap().to_owned();
    use qrjump::service::rules::StepRole;
    let mut keys: Vec<String> = qrjump::history::Action::ALL.iter().map(|a| format!("action.{}", a.as_str())).collect();
    keys.extend(qrjump::doctor::Finding::ALL.iter().map(|f| format!("finding.{}", f.code())));
    let roles =
        [StepRole::Edit, StepRole::Delete, StepRole::Add, StepRole::Publish, StepRole::PutBack, StepRole::PublishBack];
    keys.extend(roles.iter().map(|r| format!("step.{}", json_name(serde_json::to_value(r).unwrap()))));
    for key in keys {
        assert!(table.contains_key(key.as_str()), "i18n.js has no text for {key}");
    }
    // Each reason the matcher gives, as the core names it, has its words.
    use qrjump::matching::Reason;
    let reasons = [
        Reason::Match,
        Reason::Unpublished,
        Reason::Protocol,
        Reason::Host,
        Reason::NotSubPath,
        Reason::Parameters,
        Reason::NoRule,
    ];
    let mut names: Vec<String> =
        reasons.iter().map(|r| serde_json::to_value(r).unwrap().as_str().unwrap().to_owned()).collect();
    names.push("no_code".into());
    for name in names {
        for key in [format!("lookup.reason.{name}"), format!("lookup.verdict.{name}")] {
            assert!(table.contains_key(&key), "i18n.js has no text for {key}");
        }
    }
}

/// Each text is in one place, the STRINGS table: the page names its texts
/// by key and carries no words of its own (the page fills them in at start,
/// before the window is shown), so a wording changes in one line.
#[test]
fn the_page_carries_no_text_of_its_own() {
    let html = read("index.html");
    for (number, line) in html.lines().enumerate() {
        // The language switch names both languages on purpose.
        if line.contains("id=\"lang-toggle\"") {
            continue;
        }
        assert!(
            !line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "index.html line {}: Chinese text belongs in i18n.js: {}",
            number + 1,
            line.trim()
        );
    }
    for marker in ["data-i18n=\"", "data-i18n-label=\"", "data-i18n-aria=\""] {
        for (at, _) in html.match_indices(marker) {
            let tag_start = html[..at].rfind('<').unwrap();
            let tag_end = at + html[at..].find('>').unwrap();
            let tag = &html[tag_start..=tag_end];
            if marker == "data-i18n=\"" {
                let name: String = tag[1..].chars().take_while(|c| c.is_alphanumeric()).collect();
                let rest = &html[tag_end + 1..];
                assert!(rest.starts_with(&format!("</{name}>")), "{tag} has text of its own in index.html");
            } else {
                assert!(
                    !tag.contains(" aria-label=\"") && !tag.contains(" title=\""),
                    "{tag} names itself in index.html"
                );
            }
        }
    }
}
