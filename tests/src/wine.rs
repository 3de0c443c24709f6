//! Runs the Windows builds under Debian's Wine, headless: each `Wine` is a
//! fresh prefix (a Windows user's C: drive) in a temporary folder, stopped
//! (`wineserver -k`) when dropped, whatever happens. Each is a copy of one
//! prefix that `wineboot --init` made (ten seconds, most of it waiting),
//! kept in the target folder for as long as Wine and the stand-in DLL stay
//! the same.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The Windows target the workspace cross-builds for.
pub const TARGET: &str = "x86_64-pc-windows-gnu";

/// `target/x86_64-pc-windows-gnu/debug/{name}.exe`: the executables the
/// installer ships, which `scripts/package.sh` (debug profile, run by
/// `./dev test`) cross-builds before the tests run.
pub fn windows_bin(name: &str) -> PathBuf {
    let path = target_dir().join(TARGET).join("debug").join(format!("{name}.exe"));
    assert!(
        path.is_file(),
        "{} is missing: cross-build it first with `QRJUMP_PACKAGE_PROFILE=debug scripts/package.sh` (./dev test does)",
        path.display()
    );
    path
}

/// The workspace's target folder, where this test executable was built.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    exe.ancestors().nth(3).expect("test executables live in target/<profile>/deps").to_owned()
}

pub struct Wine {
    prefix: tempfile::TempDir,
}

impl Wine {
    /// A new prefix, initialised, with the stand-in `bcryptprimitives.dll`
    /// (see `tests/wine/bcryptprimitives.c`) in its system32.
    pub fn start() -> Wine {
        let wine = Wine { prefix: tempfile::tempdir().expect("a folder for the Wine prefix") };
        copy_prefix(template(), wine.prefix.path());
        wine.boot();
        wine
    }

    /// Starts the prefix's server and services with no pipe of ours: started
    /// by a test's program instead, they would hold its output open, and the
    /// test would wait for them to end, seconds after the program. The server
    /// lingers one second once the last program has ended (three by default),
    /// which is what `wait` waits for.
    fn boot(&self) {
        let server = Command::new("wineserver")
            .arg("-p1")
            .env("WINEPREFIX", self.prefix.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        assert!(server.is_ok_and(|s| s.success()), "wineserver -p1");
        let status = self
            .command("wineboot")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run wineboot (is wine installed?)");
        assert!(status.success(), "wineboot failed: {status}");
    }

    /// `wine program`, with no display and none of Wine's first-run offers
    /// (Mono, Gecko), in this prefix.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new("wine");
        command.arg(program);
        wine_env(&mut command, self.prefix.path());
        command
    }

    /// Waits until every program in the prefix has ended (an NSIS
    /// uninstaller runs on from a copy of itself in %TEMP%): until its server
    /// has, then starts it again for the next.
    pub fn wait(&self) {
        let status = Command::new("wineserver").arg("-w").env("WINEPREFIX", self.prefix.path()).status();
        assert!(status.is_ok_and(|s| s.success()), "wineserver -w");
        self.boot();
    }

    /// Ends every process in the prefix now.
    pub fn stop(&self) {
        let _ = Command::new("wineserver")
            .arg("-k")
            .env("WINEPREFIX", self.prefix.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// Checks the installed `qrjump.exe` in `dir`: it says `version`, and
    /// `history verify` with no data folder given writes the history where
    /// Windows keeps app data; returns that folder.
    pub fn check_installed_cli(&self, dir: &Path, version: &str) -> PathBuf {
        let output = self.command(dir.join("qrjump.exe")).arg("--version").output().unwrap();
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), format!("qrjump {version}"));
        let output = self
            .command(dir.join("qrjump.exe"))
            .args(["history", "verify"])
            .env_remove("QRJUMP_DATA_DIR")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let history = self.appdata().join("com.qrjump.admin");
        assert!(history.is_dir(), "no history folder in %APPDATA%");
        history
    }

    /// The prefix's C: drive.
    pub fn drive_c(&self) -> PathBuf {
        self.prefix.path().join("drive_c")
    }

    /// The Windows user's roaming app-data folder (`%APPDATA%`).
    pub fn appdata(&self) -> PathBuf {
        let users = self.drive_c().join("users");
        let user = std::fs::read_dir(&users)
            .expect("the prefix has users")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().is_some_and(|n| n != "Public"))
            .expect("the prefix has a user");
        user.join("AppData").join("Roaming")
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `wine`'s environment for a prefix: no display and none of Wine's
/// first-run offers (Mono, Gecko).
fn wine_env(command: &mut Command, prefix: &Path) {
    command
        .env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null());
}

fn copy_prefix(from: &Path, to: &Path) {
    let status = Command::new("cp").arg("-a").arg(from.join(".")).arg(to).status().expect("run cp");
    assert!(status.success(), "copying the Wine prefix {} failed", from.display());
}

/// `target/wine-prefix`: the prefix every test's is copied from, made when
/// missing or when its `stamp` (Wine's version and the stand-in's source)
/// no longer matches.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let target_dir = target_dir();
        let template = target_dir.join("wine-prefix");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("wine");
        let version = Command::new("wine").arg("--version").output().expect("run wine --version (is wine installed?)");
        let mut stamp = String::from_utf8_lossy(&version.stdout).into_owned();
        for file in ["bcryptprimitives.c", "bcryptprimitives.def"] {
            stamp.push_str(&std::fs::read_to_string(source.join(file)).expect("the stand-in's source"));
        }
        if std::fs::read_to_string(template.join("stamp")).is_ok_and(|made| made == stamp) {
            return template;
        }
        // Made beside it and renamed into place, so that a prefix half made
        // (an interrupted run) is never taken for the template.
        let making = tempfile::Builder::new()
            .prefix("wine-prefix.")
            .tempdir_in(&target_dir)
            .expect("a folder beside target/wine-prefix");
        let prefix = making.path().join("prefix");
        let mut wineboot = Command::new("wine");
        wineboot.arg("wineboot").arg("--init");
        wine_env(&mut wineboot, &prefix);
        let status = wineboot.status().expect("run wineboot (is wine installed?)");
        assert!(status.success(), "wineboot --init failed: {status}");
        let built = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-o"])
            .arg(prefix.join("drive_c/windows/system32/bcryptprimitives.dll"))
            .arg(source.join("bcryptprimitives.c"))
            .arg(source.join("bcryptprimitives.def"))
            .arg("-ladvapi32")
            .status()
            .expect("run x86_64-w64-mingw32-gcc (scripts/setup.sh test installs it)");
        assert!(built.success(), "building the bcryptprimitives.dll stand-in failed");
        // The registry is on disk once the prefix's server has exited.
        let status = Command::new("wineserver").arg("-w").env("WINEPREFIX", &prefix).status();
        assert!(status.is_ok_and(|s| s.success()), "wineserver -w");
        std::fs::write(prefix.join("stamp"), &stamp).expect("write the prefix's stamp");
        let _ = std::fs::remove_dir_all(&template);
        std::fs::rename(&prefix, &template).expect("move the Wine prefix into target/wine-prefix");
        template
    })
}
