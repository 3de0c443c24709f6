//! The Windows installer scripts/package.sh builds, installed silently under
//! Wine as IT would (`/S`): both executables under Program Files, the
//! Start-menu shortcut, the installed `qrjump.exe` running; then uninstalled
//! silently, leaving the admin's history in %APPDATA%. And the portable zip
//! and SHA256SUMS beside it.

use std::process::Command;

use qrjump_tests::wine::Wine;
use qrjump_tests::{dist_artefact as artefact, dist_dir as dist};

#[test]
fn the_installer_installs_silently_and_uninstalls_cleanly() {
    let version = env!("CARGO_PKG_VERSION");
    let setup = artefact("-x64-setup.exe");
    assert!(setup.file_name().unwrap().to_string_lossy().contains(version), "{}", setup.display());

    // The checksums name the .deb, the installer, the MSI and the zip, and hold.
    let sums = std::fs::read_to_string(dist().join("SHA256SUMS")).unwrap();
    assert_eq!(sums.lines().count(), 4, "{sums}");
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
    let history = wine.check_installed_cli(&installed, version);

    // It knows it came from this installer: its updates are this installer's
    // kind (a feed with only an MSI has nothing for it).
    assert_eq!(std::fs::read_to_string(installed.join("installed-by.txt")).unwrap(), "nsis");
    let feed = qrjump_tests::feed::Feed::offering("99.0.0", "", "windows-x86_64-msi", "QRJumpAdmin-99.0.0-x64.msi");
    let out = wine
        .command(installed.join("qrjump.exe"))
        .args(["update", "check", "--feed", &feed.url()])
        .env("QRJUMP_UPDATER_PUBKEY", qrjump_tests::feed::test_key("test.key.pub"))
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no package for this install (windows-x86_64-nsis, windows-x86_64)"), "{said}");

    // Uninstalled silently: the program and its shortcut gone, the history kept.
    let status = wine.command(installed.join("uninstall.exe")).arg("/S").status().unwrap();
    assert!(status.success(), "silent uninstall: {status}");
    wine.wait();
    assert!(!installed.exists(), "{} is still there", installed.display());
    assert!(!shortcut.exists(), "the shortcut is still there");
    assert!(history.is_dir(), "the admin's history must survive an uninstall");
}

/// Wine has no WebView2: the desktop app starts, finds none, and says in
/// words what to install (on stderr here; in a message box for the admin).
#[test]
fn the_desktop_app_without_webview2_says_what_to_install() {
    let wine = Wine::start();
    for (lang, words) in [
        ("zh_CN.UTF-8", "缺少 Microsoft Edge WebView2 运行时"),
        ("en_US.UTF-8", "does not have the Microsoft Edge WebView2 Runtime"),
    ] {
        let mut child = wine
            .command(qrjump_tests::wine::windows_bin("qrjump-admin"))
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .env("QRJUMP_DATA_DIR", "C:\\users\\Public\\qrjump-data")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Headless, the message box cannot show: what it says is written first.
        let stderr = child.stderr.take().unwrap();
        let (lines, said) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let mut text = String::new();
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !text.contains("webview2/") {
            let left = until.saturating_duration_since(std::time::Instant::now());
            match said.recv_timeout(left) {
                Ok(line) => text.push_str(&format!("{line}\n")),
                Err(_) => break,
            }
        }
        let said = text;
        let _ = child.kill();
        let _ = child.wait();
        wine.stop();
        assert!(said.contains(words), "{lang}: {said}");
        assert!(said.contains("https://developer.microsoft.com/microsoft-edge/webview2/"), "{said}");
    }
}
