//! Reproducible packages: scripts/package.sh run again from the same commit
//! writes the same bytes as the run that made target/dist (./dev test makes
//! it, with QRJUMP_PACKAGE_PROFILE=debug): the .deb, the installer, the
//! MSI, the zip and SHA256SUMS. Unsigned: a signature holds its signing
//! time, so signed packages differ by it (README, "Reproducible packages").
//! The second run is given an update key, so it also writes the update
//! feed (latest.json and a .sig beside each package), which is checked here
//! and left out of the comparison: a minisign signature holds its time.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|entry| (entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).unwrap()))
        .collect()
}

#[test]
fn a_second_package_build_from_the_same_commit_is_the_same_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let first = files(&qrjump_tests::dist_dir());
    let again = tempfile::tempdir().unwrap();
    let key = qrjump_tests::feed::Key::generate();
    let out = Command::new(root.join("scripts/package.sh"))
        .env("QRJUMP_PACKAGE_PROFILE", "debug")
        .env("QRJUMP_DIST_DIR", again.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("QRJUMP_SIGN_PFX")
        .env_remove("QRJUMP_SIGN_PKCS11_MODULE")
        .env("TAURI_SIGNING_PRIVATE_KEY", &key.private)
        .env("TAURI_SIGNING_PRIVATE_KEY_PASSWORD", &key.password)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "scripts/package.sh: {said}");
    assert!(!said.contains(&key.password), "the key's password was printed");
    let mut second = files(again.path());

    // The feed: one entry per kind of install, each package signed.
    let feed: serde_json::Value = serde_json::from_slice(&second.remove("latest.json").expect("latest.json")).unwrap();
    assert_eq!(feed["version"], env!("CARGO_PKG_VERSION"));
    let platforms = feed["platforms"].as_object().unwrap();
    let targets: Vec<&str> = platforms.keys().map(String::as_str).collect();
    assert_eq!(targets, ["linux-x86_64-deb", "windows-x86_64", "windows-x86_64-msi", "windows-x86_64-nsis"]);
    for entry in platforms.values() {
        let name = entry["url"].as_str().unwrap();
        let sig = second.get(&format!("{name}.sig")).unwrap_or_else(|| panic!("no {name}.sig"));
        assert_eq!(entry["signature"].as_str().unwrap().as_bytes(), sig.trim_ascii(), "{name}");
        assert!(first.contains_key(name), "{name} is a package of the build");
    }
    second.retain(|name, _| !name.ends_with(".sig"));

    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>(), "the same files");
    for name in [".deb", "-setup.exe", ".msi", "-portable.zip", "SHA256SUMS"] {
        assert!(first.keys().any(|file| file.ends_with(name)), "no {name} in target/dist");
    }
    let differ: Vec<&String> = first.keys().filter(|name| first[*name] != second[*name]).collect();
    assert!(
        differ.is_empty(),
        "not the same bytes: {differ:?} (target/dist must come from this commit's `QRJUMP_PACKAGE_PROFILE=debug scripts/package.sh`, as ./dev test runs it)"
    );
}
