//! The MSI scripts/package.sh builds with wixl, as IT deploys it, under
//! Wine's msiexec: installed silently per machine with policy given as
//! public properties (written to HKLM\Software\Policies\QRJumpAdmin and
//! followed by the installed qrjump.exe), upgraded in place by a newer MSI
//! of the same upgrade code, a downgrade refused, uninstalled silently with
//! the admin's history left where it is.

use std::path::Path;
use std::process::Command;

use qrjump_tests::dist_artefact as artefact;
use qrjump_tests::wine::Wine;

const MP: &str = "wx00000000000d3301";
const UNINSTALL: &str = "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall";

/// `msiinfo export MSI Property`, as name → value.
fn properties(msi: &Path) -> std::collections::HashMap<String, String> {
    let out = Command::new("msiinfo").args(["export"]).arg(msi).arg("Property").output().expect("msiinfo (msitools)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(3)
        .filter_map(|line| line.split_once('\t'))
        .map(|(k, v)| (k.to_owned(), v.trim_end().to_owned()))
        .collect()
}

/// The Apps & features entries named QR Jump Admin, with their versions.
fn entries(wine: &Wine) -> Vec<String> {
    let out = wine.command("reg").args(["query", UNINSTALL, "/s"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    let mut versions = Vec::new();
    // `reg query /s` prints one block a key, separated by a blank line.
    for block in text.split("\n\n").filter(|block| block.contains("QR Jump Admin")) {
        if let Some(line) = block.lines().find(|l| l.trim_start().starts_with("DisplayVersion")) {
            versions.push(line.split_whitespace().last().unwrap_or("").to_owned());
        }
    }
    versions
}

fn msiexec(wine: &Wine, args: &[&str], msi: &Path) -> bool {
    msiexec_with(wine, args, msi, &[])
}

fn msiexec_with(wine: &Wine, args: &[&str], msi: &Path, properties: &[String]) -> bool {
    let status = wine.command("msiexec").args(args).arg(msi).args(["/qn"]).args(properties).status().unwrap();
    wine.wait();
    status.success()
}

#[test]
fn the_msi_installs_upgrades_in_place_refuses_a_downgrade_and_uninstalls_silently() {
    let version = env!("CARGO_PKG_VERSION");
    let msi = artefact("-x64.msi");
    let props = properties(&msi);
    assert_eq!(props.get("ProductVersion").map(String::as_str), Some(version));
    assert_eq!(props.get("UpgradeCode").map(String::as_str), Some("{7EAEFA10-7839-49B5-948D-3210920AC0FA}"));
    assert_eq!(props.get("ALLUSERS").map(String::as_str), Some("1"), "per machine");

    // Policy for the PC as public properties: the API gateway, locked.
    let sim = qrjump::sim::Simulator::start().unwrap();
    let secret = qrjump_tests::secrets::app_secret("msi-policy");
    sim.add_account(MP, &secret, qrjump::sim::AccountKind::MiniProgram);
    sim.add_rule(MP, None, qrjump_tests::rules::published("https://msi.example.com/a/"));
    let wine = Wine::start();
    let properties = [format!("APIBASE={}", sim.base_url()), "LOCKED=1".to_owned()];
    assert!(msiexec_with(&wine, &["/i"], &msi, &properties), "silent install");
    let out = wine.command("reg").args(["query", "HKLM\\Software\\Policies\\QRJumpAdmin"]).output().unwrap();
    let policy = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(policy.contains("APIBASE") && policy.contains("LOCKED"), "{policy}");
    assert!(!policy.contains("SHOWDEMO") && !policy.contains("PROXYURL"), "only the properties given: {policy}");
    let installed = wine.drive_c().join("Program Files/QR Jump Admin");
    for file in ["qrjump-admin.exe", "qrjump.exe", "WebView2Loader.dll"] {
        assert!(installed.join(file).is_file(), "{file} not installed in {}", installed.display());
    }
    // ALLUSERS=1 puts it in the common Start menu on Windows; Wine's msi
    // puts a per-machine product's shortcut in the installing user's.
    let menu = "Microsoft/Windows/Start Menu/Programs/QR Jump Admin/QR Jump Admin.lnk";
    let shortcut = [wine.drive_c().join("ProgramData").join(menu), wine.appdata().join(menu)]
        .into_iter()
        .find(|path| path.is_file())
        .expect("no Start-menu shortcut");
    assert_eq!(entries(&wine), [version], "one Apps & features entry");
    let marker = std::fs::read_to_string(installed.join("installed-by.txt")).unwrap();
    assert_eq!(marker, "msi", "updates of an MSI install come as an MSI");
    let history = wine.check_installed_cli(&installed, version);
    // The installed CLI follows the locked gateway, whatever its environment says.
    let out = wine
        .command(installed.join("qrjump.exe"))
        .args(["rules", "--json"])
        .env("QRJUMP_API_BASE", format!("http://127.0.0.1:{}", qrjump_tests::process::free_port()))
        .env("QRJUMP_TIMEOUT", "5")
        .env_remove("QRJUMP_DATA_DIR")
        .env("QRJUMP_APPID", MP)
        .env("QRJUMP_APP_SECRET", &secret)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("https://msi.example.com/a/"), "{listed}{}", String::from_utf8_lossy(&out.stderr));

    // A newer MSI from the same .wxs and the same files, published in a
    // signed feed: the installed CLI's update runs it, and it replaces this one.
    let newer_version = qrjump_tests::next_version();
    let build = tempfile::tempdir().unwrap();
    for file in ["qrjump-admin.exe", "qrjump.exe", "WebView2Loader.dll"] {
        std::fs::copy(installed.join(file), build.path().join(file)).unwrap();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::copy(root.join("packaging/windows/qrjump-admin.wxs"), build.path().join("qrjump-admin.wxs")).unwrap();
    std::fs::copy(root.join("src-tauri/icons/icon.ico"), build.path().join("icon.ico")).unwrap();
    std::fs::write(build.path().join("installed-by.txt"), "msi").unwrap();
    let newer = build.path().join("newer.msi");
    let made = Command::new("wixl")
        .args([
            "-a",
            "x64",
            "-D",
            &format!("Version={newer_version}"),
            "-D",
            "ProductCode=9D7F3C8E-3B0A-5C7E-8F21-6A4B2C1D0E9F",
        ])
        .args(["-D", "SrcDir=.", "-D", "Icon=icon.ico", "-o", "newer.msi", "qrjump-admin.wxs"])
        .current_dir(build.path())
        .status()
        .unwrap();
    assert!(made.success(), "wixl built no newer MSI");
    let key = qrjump_tests::feed::Key::generate();
    let name = format!("QRJumpAdmin-{newer_version}-x64.msi");
    let feed = qrjump_tests::feed::Feed::publish(&key, &newer_version, "- Signed updates.", &[(&name, &newer)]);
    let out = wine
        .command(installed.join("qrjump.exe"))
        .args(["update", "install", "--yes", "--feed", &feed.url()])
        .env("QRJUMP_UPDATER_PUBKEY", &key.public)
        .env_remove("QRJUMP_DATA_DIR")
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.contains("is running (signature checked)"), "{said}");
    assert!(feed.requests().contains(&format!("/{name}")), "the MSI was downloaded: {:?}", feed.requests());
    wine.wait();
    assert_eq!(
        entries(&wine),
        [newer_version.as_str()],
        "upgraded in place by the update: one entry, the newer version"
    );
    assert!(installed.join("qrjump.exe").is_file());

    // The older one over it is refused, and changes nothing.
    assert!(!msiexec(&wine, &["/i"], &msi), "a downgrade must be refused");
    assert_eq!(entries(&wine), [newer_version.as_str()]);

    // Uninstalled silently: the program, its shortcut and its entry gone, the history kept.
    assert!(msiexec(&wine, &["/x"], &newer), "silent uninstall");
    assert!(!installed.join("qrjump-admin.exe").exists(), "{} is still there", installed.display());
    assert!(!shortcut.exists(), "the shortcut is still there");
    assert!(entries(&wine).is_empty(), "the Apps & features entry is still there");
    assert!(history.is_dir(), "the admin's history must survive an uninstall");
}
