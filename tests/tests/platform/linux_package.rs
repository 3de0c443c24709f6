//! The Linux package scripts/package.sh builds with Tauri's bundler: what
//! dpkg says of it, dependencies that cover what the binaries link, a desktop
//! entry that validates, and the programs run from a scratch root where it
//! is unpacked (the desktop app under Xvfb, on its demo account).

use std::path::{Path, PathBuf};
use std::process::Command;

use qrjump_tests::desktop::{Desktop, Options};
use qrjump_tests::dist_artefact;
use qrjump_tests::screens::{english, wait_rows};

const BINARIES: [&str; 3] = ["qrjump-admin", "qrjump", "qrjump-sim"];
const DESKTOP_ENTRY: &str = "usr/share/applications/QR Jump Admin.desktop";

fn deb() -> PathBuf {
    let deb = dist_artefact("_amd64.deb");
    let name = deb.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name, format!("qr-jump-admin_{}_amd64.deb", env!("CARGO_PKG_VERSION")));
    deb
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?}: {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn field(deb: &Path, name: &str) -> String {
    run(Command::new("dpkg-deb").arg("--field").arg(deb).arg(name)).trim().to_string()
}

/// `dpkg-deb -x` into a new temporary folder: the package's files, as
/// installed, without touching this machine's system.
fn unpack(deb: &Path) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    run(Command::new("dpkg-deb").arg("-x").arg(deb).arg(root.path()));
    root
}

/// A Depends line as (package, minimum version), alternatives not used here.
fn depends(line: &str) -> Vec<(String, Option<String>)> {
    line.split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            assert!(!d.contains('|'), "no alternatives expected: {d}");
            match d.split_once(" (>= ") {
                Some((name, version)) => (name.to_string(), Some(version.trim_end_matches(')').to_string())),
                None => (d.to_string(), None),
            }
        })
        .collect()
}

#[test]
fn dpkg_describes_the_package_and_lists_its_files() {
    let deb = deb();
    assert_eq!(field(&deb, "Package"), "qr-jump-admin");
    assert_eq!(field(&deb, "Version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(field(&deb, "Architecture"), "amd64");
    assert_eq!(field(&deb, "Section"), "utils");
    let description = field(&deb, "Description");
    assert!(description.starts_with("Delete WeChat Mini Program QR code jump rules"), "{description}");
    assert!(description.contains("qrjump command line"), "the long description: {description}");

    let info = run(Command::new("dpkg-deb").arg("--info").arg(&deb));
    assert!(info.contains("Depends: "), "{info}");

    let contents = run(Command::new("dpkg-deb").arg("--contents").arg(&deb));
    let listed = |path: &str| contents.lines().any(|line| line.ends_with(&format!("./{path}")) || line.ends_with(path));
    for binary in BINARIES {
        assert!(listed(&format!("usr/bin/{binary}")), "usr/bin/{binary} not in the package:\n{contents}");
    }
    for size in ["32x32", "128x128", "256x256"] {
        let icon = format!("usr/share/icons/hicolor/{size}/apps/qrjump-admin.png");
        assert!(listed(&icon), "{icon} not in the package:\n{contents}");
    }
    assert!(listed(DESKTOP_ENTRY), "no desktop entry:\n{contents}");
}

/// Every library the three programs link comes from a package the .deb
/// depends on, at least at the version dpkg-shlibdeps asks for: a new
/// dependency of the build cannot go undeclared.
#[test]
fn the_declared_dependencies_cover_what_the_binaries_link() {
    let deb = deb();
    let declared = depends(&field(&deb, "Depends"));
    let root = unpack(&deb);

    // dpkg-shlibdeps works inside a source package: a minimal one will do.
    let source = tempfile::tempdir().unwrap();
    std::fs::create_dir(source.path().join("debian")).unwrap();
    std::fs::write(source.path().join("debian/control"), "Source: x\n\nPackage: x\nArchitecture: any\n").unwrap();
    let mut shlibdeps = Command::new("dpkg-shlibdeps");
    shlibdeps.arg("-O").current_dir(source.path());
    for binary in BINARIES {
        shlibdeps.arg(root.path().join("usr/bin").join(binary));
    }
    let computed = run(&mut shlibdeps);
    let computed = computed.trim().strip_prefix("shlibs:Depends=").unwrap_or_else(|| panic!("{computed}"));

    for (package, needed) in depends(computed) {
        let found = declared.iter().find(|(name, _)| *name == package);
        let Some((_, given)) = found else {
            panic!("the binaries need {package} (dpkg-shlibdeps: {computed}); tauri.conf.json does not declare it")
        };
        if let (Some(needed), Some(given)) = (&needed, given) {
            let at_least = Command::new("dpkg").args(["--compare-versions", given, "ge", needed]).status().unwrap();
            assert!(at_least.success(), "{package}: declared >= {given}, the binaries need >= {needed}");
        }
    }

    // And apt would install it here: every dependency resolves.
    let simulated = run(Command::new("apt-get").args(["install", "--simulate", "--no-install-recommends"]).arg(&deb));
    assert!(simulated.contains("Inst qr-jump-admin"), "{simulated}");
}

#[test]
fn the_desktop_entry_validates_and_names_the_app_in_both_languages() {
    let root = unpack(&deb());
    let entry = root.path().join(DESKTOP_ENTRY);
    run(Command::new("desktop-file-validate").arg(&entry));
    let text = std::fs::read_to_string(&entry).unwrap();
    for line in [
        "Exec=qrjump-admin",
        "Icon=qrjump-admin",
        "Name=QR Jump Admin",
        "Name[zh_CN]=二维码跳转规则管理",
        "Comment[zh_CN]=删除微信小程序的二维码跳转规则，保留审计记录",
        "Terminal=false",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} not in the desktop entry:\n{text}");
    }

    // Each icon is a PNG of the size its folder says (the PNG header's IHDR).
    for size in [32u32, 128, 256] {
        let icon = root.path().join(format!("usr/share/icons/hicolor/{size}x{size}/apps/qrjump-admin.png"));
        let bytes = std::fs::read(&icon).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{} is no PNG", icon.display());
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (size, size), "{}", icon.display());
    }
}

#[test]
fn the_unpacked_command_line_runs_and_keeps_its_history_in_the_users_data_folder() {
    let root = unpack(&deb());
    let qrjump = root.path().join("usr/bin/qrjump");
    let version = run(Command::new(&qrjump).arg("--version"));
    assert_eq!(version.trim(), format!("qrjump {}", env!("CARGO_PKG_VERSION")));

    // Without QRJUMP_DATA_DIR the history lives where the app keeps it on
    // Linux: $XDG_DATA_HOME, else ~/.local/share, under the app's identifier.
    let home = tempfile::tempdir().unwrap();
    run(Command::new(&qrjump)
        .args(["history", "verify"])
        .env_remove("QRJUMP_DATA_DIR")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home.path()));
    let data = home.path().join(".local/share/com.qrjump.admin");
    assert!(data.is_dir(), "no history folder at {}", data.display());

    let sim = run(Command::new(root.path().join("usr/bin/qrjump-sim")).arg("--help"));
    assert!(sim.to_lowercase().contains("simulator"), "{sim}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_unpacked_desktop_app_opens_on_its_demo_account() {
    let root = unpack(&deb());
    let binary = root.path().join("usr/bin/qrjump-admin");
    let desktop = Desktop::launch(Options { binary: Some(binary), ..english(None, vec![]) }).await;
    desktop.wait_visible("#demo-banner").await;
    wait_rows(&desktop, "#rules-table tbody tr", 38).await;
    let version = {
        desktop.click("#about-button").await;
        desktop.wait_text("#about-version", "a version", |text| !text.is_empty()).await
    };
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    assert!(desktop.close().await, "a process of the session survived");
}

/// The README's pictures of the app installed from the .deb:
/// scripts/deb-screenshots.sh installs it for real and runs this with
/// QRJUMP_APP_BINARY=/usr/bin/qrjump-admin.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes the README's screenshots; run scripts/deb-screenshots.sh"]
async fn screenshots_of_the_installed_app() {
    let dir = PathBuf::from(std::env::var("QRJUMP_SCREENSHOT_DIR").expect("QRJUMP_SCREENSHOT_DIR"));
    for (lang, locale) in [("zh-CN", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")] {
        // A new user's first start: the app's own data folder in a fresh home.
        let home = tempfile::tempdir().unwrap();
        let env = [
            ("LANG", locale.to_string()),
            ("LC_ALL", locale.to_string()),
            ("HOME", home.path().display().to_string()),
            ("XDG_DATA_HOME", home.path().join(".local/share").display().to_string()),
            // Empty: the app's default folder, as installed.
            ("QRJUMP_DATA_DIR", String::new()),
        ];
        let options = Options { env: env.map(|(k, v)| (k.to_string(), v)).to_vec(), ..Options::default() };
        let desktop = Desktop::launch(options).await;
        desktop.wait_visible("#demo-banner").await;
        wait_rows(&desktop, "#rules-table tbody tr", 38).await;
        desktop.screenshot(&dir.join(format!("linux-installed-{lang}.png"))).await;
        desktop.click("#about-button").await;
        let data = desktop.wait_text("#about-data-dir", "the data folder", |t| !t.is_empty()).await;
        assert!(data.ends_with(".local/share/com.qrjump.admin"), "{data}");
        desktop.screenshot(&dir.join(format!("linux-installed-about-{lang}.png"))).await;
        assert!(desktop.close().await, "a process of the session survived");
    }
}

/// A scratch root dpkg manages (`dpkg --root`), knowing the packages this
/// machine has, so the .deb's dependencies resolve as they would here.
fn dpkg_root() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("var/lib/dpkg");
    for dir in ["info", "updates", "triggers"] {
        std::fs::create_dir_all(db.join(dir)).unwrap();
    }
    std::fs::copy("/var/lib/dpkg/status", db.join("status")).unwrap();
    std::fs::write(db.join("available"), "").unwrap();
    root
}

fn installed_version(root: &Path) -> String {
    let status =
        Command::new("dpkg").arg(format!("--root={}", root.display())).args(["-s", "qr-jump-admin"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    text.lines().find_map(|l| l.strip_prefix("Version: ")).unwrap_or("").to_owned()
}

/// The installed CLI updates its own install from a signed feed: a package
/// changed after signing is refused and nothing changes; the signed one is
/// installed by dpkg into the same root.
#[test]
fn the_installed_deb_updates_itself_from_a_signed_feed_and_refuses_a_changed_package() {
    let deb = deb();
    let root = dpkg_root();
    run(Command::new("dpkg").arg(format!("--root={}", root.path().display())).arg("--install").arg(&deb));
    assert_eq!(installed_version(root.path()), env!("CARGO_PKG_VERSION"));

    // The next release: the same package with a higher version.
    let newer = qrjump_tests::next_version();
    let work = tempfile::tempdir().unwrap();
    let tree = work.path().join("tree");
    run(Command::new("dpkg-deb").arg("-R").arg(&deb).arg(&tree));
    let control = tree.join("DEBIAN/control");
    let text = std::fs::read_to_string(&control).unwrap();
    std::fs::write(
        &control,
        text.replace(&format!("Version: {}", env!("CARGO_PKG_VERSION")), &format!("Version: {newer}")),
    )
    .unwrap();
    let newer_deb = work.path().join("newer.deb");
    run(Command::new("dpkg-deb").args(["--root-owner-group", "-Zgzip", "-b"]).arg(&tree).arg(&newer_deb));

    let key = qrjump_tests::feed::Key::generate();
    let name = format!("qr-jump-admin_{newer}_amd64.deb");
    let feed = qrjump_tests::feed::Feed::publish(&key, &newer, "- Faster rule lists.", &[(&name, &newer_deb)]);
    assert_eq!(feed.latest()["platforms"]["linux-x86_64-deb"]["url"], name.as_str());
    let data = tempfile::tempdir().unwrap();
    let update = |args: &[&str]| {
        Command::new(root.path().join("usr/bin/qrjump"))
            .args(["update"])
            .args(args)
            .args(["--feed", &feed.url()])
            .env("QRJUMP_DATA_DIR", data.path())
            .env("QRJUMP_UPDATER_PUBKEY", &key.public)
            .env("LANG", "en_US.UTF-8")
            .output()
            .unwrap()
    };

    let checked = update(&["check"]);
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success() && said.contains(&format!("QR Jump Admin {newer} is available")), "{said}");
    assert!(said.contains("Faster rule lists."), "the notes: {said}");

    // Changed after signing: refused, not saved, not installed.
    let signed = std::fs::read(feed.path(&name)).unwrap();
    let mut changed = signed.clone();
    let last = changed.len() - 1;
    changed[last] ^= 0x55;
    std::fs::write(feed.path(&name), &changed).unwrap();
    let refused = update(&["install", "--yes"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(3), "{said}");
    assert!(said.contains("does not match its signature") && said.contains("not installed"), "{said}");
    assert!(!data.path().join("updates").join(&name).exists(), "a refused package is not kept");
    assert_eq!(installed_version(root.path()), env!("CARGO_PKG_VERSION"));

    // As signed: installed by dpkg into the install's own root.
    std::fs::write(feed.path(&name), &signed).unwrap();
    let installed = update(&["install", "--yes"]);
    let said = format!("{}{}", String::from_utf8_lossy(&installed.stdout), String::from_utf8_lossy(&installed.stderr));
    assert!(installed.status.success(), "{said}");
    assert!(said.contains(&format!("Installed {newer}")), "{said}");
    assert_eq!(installed_version(root.path()), newer);
    assert_eq!(std::fs::read(data.path().join("updates").join(&name)).unwrap(), signed);
}
