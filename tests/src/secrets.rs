//! Secret values the tests use, made easy to search for: every AppSecret
//! starts with `TESTSECRET` and every simulator token with `SIMTOKEN`.
//! `./dev test` searches everything the suite prints for both.

use std::path::Path;

pub const MARKERS: [&str; 2] = ["TESTSECRET", "SIMTOKEN"];

/// A fresh AppSecret for a test account.
pub fn app_secret(label: &str) -> String {
    format!("TESTSECRET-{label}-7f3a9c")
}

/// Panics if `text` holds a secret marker.
pub fn assert_clean(what: &str, text: &str) {
    for marker in MARKERS {
        assert!(!text.contains(marker), "{what} contains a secret ({marker}...)");
    }
}

/// Panics if any file under `dir` holds a secret marker (SQLite pages
/// and CSV files alike: the bytes are searched, not parsed).
pub fn assert_dir_clean(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            assert_dir_clean(&path);
        } else if let Ok(bytes) = std::fs::read(&path) {
            assert_clean(&path.display().to_string(), &String::from_utf8_lossy(&bytes));
        }
    }
}
