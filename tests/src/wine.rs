//! Runs the Windows builds under Debian's Wine, headless: each `Wine` is a
//! fresh prefix (a Windows user's C: drive) in a temporary folder, stopped
//! (`wineserver -k`) when dropped, whatever happens.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The Windows target the workspace cross-builds for.
pub const TARGET: &str = "x86_64-pc-windows-gnu";

/// `target/x86_64-pc-windows-gnu/debug/{name}.exe`: the executables the
/// installer ships, which `scripts/package.sh` (debug profile, run by
/// `./dev test`) cross-builds before the tests run.
pub fn windows_bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    let target_dir = exe.ancestors().nth(3).expect("test executables live in target/<profile>/deps");
    let path = target_dir.join(TARGET).join("debug").join(format!("{name}.exe"));
    assert!(
        path.is_file(),
        "{} is missing: cross-build it first with `QRJUMP_PACKAGE_PROFILE=debug scripts/package.sh` (./dev test does)",
        path.display()
    );
    path
}

pub struct Wine {
    prefix: tempfile::TempDir,
}

impl Wine {
    /// A new prefix, initialised, with the stand-in `bcryptprimitives.dll`
    /// (see `tests/wine/bcryptprimitives.c`) in its system32.
    pub fn start() -> Wine {
        let wine = Wine { prefix: tempfile::tempdir().expect("a folder for the Wine prefix") };
        let status = wine.command("wineboot").arg("--init").status().expect("run wineboot (is wine installed?)");
        assert!(status.success(), "wineboot --init failed: {status}");
        let system32 = wine.prefix.path().join("drive_c/windows/system32");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("wine");
        let built = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-o"])
            .arg(system32.join("bcryptprimitives.dll"))
            .arg(source.join("bcryptprimitives.c"))
            .arg(source.join("bcryptprimitives.def"))
            .arg("-ladvapi32")
            .status()
            .expect("run x86_64-w64-mingw32-gcc (scripts/setup.sh test installs it)");
        assert!(built.success(), "building the bcryptprimitives.dll stand-in failed");
        wine
    }

    /// `wine program`, with no display and none of Wine's first-run offers
    /// (Mono, Gecko), in this prefix.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new("wine");
        command
            .arg(program)
            .env("WINEPREFIX", self.prefix.path())
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null());
        command
    }

    /// Waits until every process in the prefix has exited (an NSIS
    /// uninstaller runs on from a copy of itself in %TEMP%).
    pub fn wait(&self) {
        let status = Command::new("wineserver").arg("-w").env("WINEPREFIX", self.prefix.path()).status();
        assert!(status.is_ok_and(|s| s.success()), "wineserver -w");
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
