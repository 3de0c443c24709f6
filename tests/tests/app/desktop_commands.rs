//! The command table (`src-tauri/src/desktop/commands/table.rs`) is the one
//! list the build declares, the handler registers and the capability grants
//! by domain; the compiler checks that each listed command exists. What it
//! cannot see is checked here: a command written but not listed (or listed
//! under another domain than its file), a domain not granted, and the UI
//! calling a command that does not exist.

use std::collections::{BTreeMap, BTreeSet};

fn read(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The table's domains and their commands.
fn table() -> BTreeMap<String, BTreeSet<String>> {
    let text = read("src-tauri/src/desktop/commands/table.rs");
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let body = code.split_once("commands! {").expect("commands! { in the table").1;
    let mut domains = BTreeMap::new();
    for entry in body.split(']') {
        let Some((domain, commands)) = entry.split_once(": [") else { continue };
        let domain = domain.trim().trim_start_matches(',').trim().to_owned();
        let commands = commands.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect();
        domains.insert(domain, commands);
    }
    domains
}

#[test]
fn every_command_is_in_the_table_under_its_domain_and_granted() {
    let table = table();
    assert!(table.len() >= 8, "{table:?}");
    for (domain, listed) in &table {
        let file = read(&format!("src-tauri/src/desktop/commands/{domain}.rs"));
        let defined: BTreeSet<String> = file
            .split("#[tauri::command")
            .skip(1)
            .filter_map(|item| {
                let signature = item.split_once("fn ")?.1;
                Some(signature.split('(').next()?.trim().to_owned())
            })
            .collect();
        assert_eq!(&defined, listed, "the #[tauri::command] functions of commands/{domain}.rs vs the table");
    }
    let capability: serde_json::Value = serde_json::from_str(&read("src-tauri/capabilities/default.json")).unwrap();
    let granted: BTreeSet<String> =
        capability["permissions"].as_array().unwrap().iter().filter_map(|p| p.as_str().map(str::to_owned)).collect();
    let domains: BTreeSet<String> = table.keys().cloned().collect();
    assert_eq!(granted, domains, "capabilities/default.json grants each domain of the table, and nothing else");
}

#[test]
fn the_ui_calls_only_commands_in_the_table_and_each_is_called() {
    let known: BTreeSet<String> = table().into_values().flatten().collect();
    let (mut called, mut ui) = (BTreeSet::new(), String::new());
    for file in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui")).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap_or_default();
        for marker in ["call('", "invoke('"] {
            for part in text.split(marker).skip(1) {
                called.insert(part.split('\'').next().unwrap_or_default().to_owned());
            }
        }
        ui.push_str(&text);
    }
    let unknown: Vec<_> = called.difference(&known).collect();
    assert!(unknown.is_empty(), "the UI calls commands that do not exist: {unknown:?}");
    // A command passed on by name (`send(id, 'run_batch')`) is called too.
    let unused: Vec<_> = known.iter().filter(|c| !ui.contains(&format!("'{c}'"))).collect();
    assert!(unused.is_empty(), "commands the UI never calls: {unused:?}");
}
