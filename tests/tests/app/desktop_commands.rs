//! The UI may call a command only if it is registered with Tauri
//! (`generate_handler!` in desktop/mod.rs), listed for the build
//! (build.rs) and granted (capabilities/default.json). A command missing
//! from one of the three fails only at run time, in the window: this
//! test catches it first.

use std::collections::BTreeSet;

fn read(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not found")) + start.len();
    let to = text[from..].find(end).unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &text[from..from + to]
}

#[test]
fn registered_built_and_granted_commands_agree() {
    let desktop = read("src-tauri/src/desktop/mod.rs");
    let registered: BTreeSet<String> = between(&desktop, "generate_handler![", "]")
        .split(',')
        .map(|item| item.trim().trim_start_matches("commands::").to_owned())
        .filter(|item| !item.is_empty())
        .collect();
    let build = read("src-tauri/build.rs");
    let built: BTreeSet<String> = between(&build, "fn qrjump_commands() -> &'static [&'static str] {", "]")
        .split(',')
        .map(|item| item.trim().trim_start_matches('&').trim_start_matches('[').trim().trim_matches('"').to_owned())
        .filter(|item| !item.is_empty())
        .collect();
    let capabilities: serde_json::Value = serde_json::from_str(&read("src-tauri/capabilities/default.json")).unwrap();
    let granted: BTreeSet<String> = capabilities["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|name| name.replace('-', "_"))
        .collect();
    let commands = read("src-tauri/src/desktop/commands.rs");
    let defined: BTreeSet<String> = commands
        .split("#[tauri::command")
        .skip(1)
        .filter_map(|item| between(item, "pub ", "(").split_whitespace().last().map(str::to_owned))
        .collect();
    assert!(registered.len() >= 15, "{registered:?}");
    assert_eq!(registered, built, "generate_handler! vs build.rs");
    assert_eq!(registered, granted, "generate_handler! vs capabilities/default.json");
    assert_eq!(registered, defined, "generate_handler! vs the #[tauri::command] functions");
    // The UI calls only commands that exist.
    let mut called = BTreeSet::new();
    for file in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui")).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap_or_default();
        for part in text.split("call('").skip(1) {
            called.insert(part.split('\'').next().unwrap_or_default().to_owned());
        }
    }
    let unknown: Vec<_> = called.difference(&registered).collect();
    assert!(unknown.is_empty(), "the UI calls commands that do not exist: {unknown:?}");
}
