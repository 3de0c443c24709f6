// How the UI's commands are found in the code: included by build.rs (which
// declares, registers and grants them) and by the test that checks the
// grants and the UI's calls, so that both read the code the same way.

/// The commands in `dir`, by domain (the file's name), in file order: each
/// function after a `#[tauri::command]` attribute line of `<domain>.rs`.
pub fn command_domains(dir: &std::path::Path) -> Vec<(String, Vec<String>)> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a file of the commands folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut domains = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        let commands = commands_in(&text);
        if !commands.is_empty() {
            let domain = file.file_stem().expect("a file name").to_string_lossy().into_owned();
            domains.push((domain, commands));
        }
    }
    domains
}

/// The name of the first `fn` after each attribute line that starts with
/// `#[tauri::command` (a doc comment naming the attribute is not one).
fn commands_in(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut after_attribute = false;
    for line in text.lines().map(str::trim_start) {
        if line.starts_with("#[tauri::command") {
            after_attribute = true;
        } else if after_attribute && let Some((_, rest)) = line.split_once("fn ") {
            let name = rest.split(['(', '<']).next().unwrap_or(rest);
            commands.push(name.trim().to_owned());
            after_attribute = false;
        }
    }
    commands
}
