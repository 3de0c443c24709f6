//! The Windows installer scripts/package.sh builds, installed silently under
//! Wine as IT would (`/S`): both executables under Program Files, the
//! Start-menu shortcut, the installed `qrjump.exe` running; then uninstalled
//! silently, leaving the admin's history in %APPDATA%. And the portable zip
//! and SHA256SUMS beside it.

use std::path::{Path, PathBuf};
use std::process::Command;

use qrjump_tests::wine::Wine;

fn dist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/dist")
}

/// The one file in target/dist ending in `suffix`, which `./dev test`
/// builds with `QRJUMP_PACKAGE_PROFILE=debug scripts/package.sh`.
fn artefact(suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dist())
        .expect("target/dist: run scripts/package.sh first (./dev test does)")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "one *{suffix} in target/dist: {found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn the_installer_installs_silently_and_uninstalls_cleanly() {
    let version = env!("CARGO_PKG_VERSION");
    let setup = artefact("-x64-setup.exe");
    assert!(setup.file_name().unwrap().to_string_lossy().contains(version), "{}", setup.display());

    // The checksums name the installer and the zip, and hold.
    let sums = std::fs::read_to_string(dist().join("SHA256SUMS")).unwrap();
    assert_eq!(sums.lines().count(), 2, "{sums}");
    let checked =
        Command::new("sha256sum").args(["--check", "--quiet", "SHA256SUMS"]).current_dir(dist()).status().unwrap();
    assert!(checked.success(), "SHA256SUMS does not hold:\n{sums}");
    let zip = artefact("-x64-portable.zip");
    let listed = Command::new("python3").args(["-m", "zipfile", "-l"]).arg(&zip).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    for file in ["qrjump-admin.exe", "qrjump.exe", "WebView2Loader.dll"] {
        assert!(listed.contains(file), "{file} not in the zip: {listed}");
    }

    let wine = Wine::start();
    let status = wine.command(&setup).arg("/S").status().unwrap();
    assert!(status.success(), "silent install: {status}");
    wine.wait();
    let installed = wine.drive_c().join("Program Files/QR Jump Admin");
    for file in ["qrjump-admin.exe", "qrjump.exe", "WebView2Loader.dll", "uninstall.exe"] {
        assert!(installed.join(file).is_file(), "{file} not installed in {}", installed.display());
    }
    let shortcut =
        wine.drive_c().join("ProgramData/Microsoft/Windows/Start Menu/Programs/QR Jump Admin/QR Jump Admin.lnk");
    assert!(shortcut.is_file(), "no Start-menu shortcut at {}", shortcut.display());

    // The installed command line runs, and writes its history in %APPDATA%.
    let output = wine.command(installed.join("qrjump.exe")).arg("--version").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), format!("qrjump {version}"));
    let output = wine
        .command(installed.join("qrjump.exe"))
        .args(["history", "verify"])
        .env_remove("QRJUMP_DATA_DIR")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let history = wine.appdata().join("com.qrjump.admin");
    assert!(history.is_dir(), "no history folder in %APPDATA%");

    // Uninstalled silently: the program and its shortcut gone, the history kept.
    let status = wine.command(installed.join("uninstall.exe")).arg("/S").status().unwrap();
    assert!(status.success(), "silent uninstall: {status}");
    wine.wait();
    assert!(!installed.exists(), "{} is still there", installed.display());
    assert!(!shortcut.exists(), "the shortcut is still there");
    assert!(history.is_dir(), "the admin's history must survive an uninstall");
}
