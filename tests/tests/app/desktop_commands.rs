//! The commands are the `#[tauri::command]` functions of
//! `src-tauri/src/desktop/commands/<domain>.rs`: build.rs reads them to
//! declare each to Tauri, register it and write its domain's permission set
//! (the compiler checks that each exists). What it cannot see is checked
//! here: a domain not granted (or granted and gone), and the UI calling a
//! command that does not exist, or never calling one that does.

use std::collections::{BTreeMap, BTreeSet};

fn read(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

mod commands {
    include!(concat!(env!("CARGO_MANIFEST_DIR"), "/../src-tauri/build_support/commands.rs"));
}

/// The domains and their commands, read as build.rs reads them.
fn table() -> BTreeMap<String, BTreeSet<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/src/desktop/commands");
    commands::command_domains(&dir)
        .into_iter()
        .map(|(domain, commands)| (domain, commands.into_iter().collect()))
        .collect()
}

#[test]
fn every_domain_is_granted_and_nothing_else() {
    let table = table();
    assert!(table.len() >= 8 && table.values().map(BTreeSet::len).sum::<usize>() > 40, "{table:?}");
    let capability: serde_json::Value = serde_json::from_str(&read("src-tauri/capabilities/default.json")).unwrap();
    let granted: BTreeSet<String> =
        capability["permissions"].as_array().unwrap().iter().filter_map(|p| p.as_str().map(str::to_owned)).collect();
    let domains: BTreeSet<String> = table.keys().cloned().collect();
    assert_eq!(granted, domains, "capabilities/default.json grants each domain of commands/, and nothing else");
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
