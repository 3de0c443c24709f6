//! How this copy of the app was installed, and handing a verified package
//! to that installer: dpkg for the .deb, msiexec for the MSI, the NSIS
//! installer for its own installs. A copy run from a folder (the portable
//! zip, a build) is not installed: the admin is told what to run.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Error;

/// The file the Windows installers put beside the programs, naming which
/// of them installed it (`msi` or `nsis`): an update comes the same way.
pub const MARKER: &str = "installed-by.txt";

/// How this copy was installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    /// From the .deb, into `root` (`/`, or a scratch root dpkg manages with `--root`).
    Deb {
        root: PathBuf,
    },
    Msi,
    Nsis,
    /// Not installed: run from a folder.
    Portable,
}

impl Install {
    /// This program's install, from where it runs.
    pub fn current() -> Install {
        match std::env::current_exe().and_then(|exe| exe.canonicalize()) {
            Ok(exe) => Install::of(&exe),
            Err(_) => Install::Portable,
        }
    }

    /// The install a program at `exe` belongs to.
    pub fn of(exe: &Path) -> Install {
        let dir = exe.parent();
        if cfg!(windows) {
            let marker = dir.map(|d| d.join(MARKER));
            let said = marker.and_then(|m| crate::files::read_capped(&m, 64).ok()).unwrap_or_default();
            return match String::from_utf8_lossy(&said).trim() {
                "msi" => Install::Msi,
                "nsis" => Install::Nsis,
                _ => Install::Portable,
            };
        }
        // dpkg puts the programs in <root>/usr/bin, and knows them in
        // <root>/var/lib/dpkg.
        let root = dir.filter(|d| d.ends_with("usr/bin")).and_then(|d| d.parent()).and_then(Path::parent);
        match root {
            Some(root) if root.join("var/lib/dpkg/status").is_file() => Install::Deb { root: root.to_path_buf() },
            _ => Install::Portable,
        }
    }

    /// The file name a package for this install is saved under (never a
    /// name the feed chose).
    pub fn file_name(&self, version: &semver::Version) -> String {
        match self {
            Install::Deb { .. } => format!("qr-jump-admin_{version}_amd64.deb"),
            Install::Portable if !cfg!(windows) => format!("qr-jump-admin_{version}_amd64.deb"),
            Install::Msi => format!("QRJumpAdmin-{version}-x64.msi"),
            Install::Nsis | Install::Portable => format!("QRJumpAdmin-{version}-x64-setup.exe"),
        }
    }

    /// Whether `bytes` are the kind of package this install takes (the
    /// signature proves who made them; this, that the right installer runs).
    pub fn takes(&self, bytes: &[u8]) -> bool {
        match self {
            Install::Deb { .. } => bytes.starts_with(b"!<arch>\ndebian-binary"),
            Install::Portable if !cfg!(windows) => bytes.starts_with(b"!<arch>\ndebian-binary"),
            Install::Msi => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            Install::Nsis | Install::Portable => bytes.starts_with(b"MZ"),
        }
    }
}

/// What became of the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// Installed, and done (dpkg).
    Done,
    /// The installer is running: this program should exit, so that its
    /// files can be replaced.
    Handed,
    /// This program cannot install it: the command for the admin to run.
    RunThis(String),
}

/// How the installer is asked to show itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    /// A progress bar, no questions (the window's update).
    Passive,
    /// Nothing shown (`qrjump update install`).
    Quiet,
}

/// Hands `package` (verified, saved) to this install's installer.
pub fn install(install: &Install, package: &Path, ui: Ui) -> Result<Installed, Error> {
    let shown = package.display().to_string();
    match install {
        Install::Deb { root } => {
            let mut dpkg = Command::new("dpkg");
            if root != Path::new("/") {
                dpkg.arg(format!("--root={}", root.display()));
            }
            dpkg.arg("--install").arg(package);
            if !is_root() {
                let asked = if root == Path::new("/") {
                    format!("sudo apt install {shown}")
                } else {
                    format!("sudo dpkg --root={} --install {shown}", root.display())
                };
                return Ok(Installed::RunThis(asked));
            }
            let output = dpkg.output().map_err(|e| Error::Installer(format!("dpkg could not start: {e}")))?;
            if !output.status.success() {
                let said = String::from_utf8_lossy(&output.stderr);
                let tail: Vec<&str> = said.lines().rev().take(3).collect();
                return Err(Error::Installer(tail.into_iter().rev().collect::<Vec<_>>().join(" ")));
            }
            Ok(Installed::Done)
        }
        Install::Portable if !cfg!(windows) => Ok(Installed::RunThis(format!("sudo apt install {shown}"))),
        Install::Portable => Ok(Installed::RunThis(shown)),
        Install::Msi => {
            let flag = match ui {
                Ui::Passive => "/passive",
                Ui::Quiet => "/qn",
            };
            spawn(Command::new(msiexec()).arg("/i").arg(package).args([flag, "/norestart"]))
        }
        Install::Nsis => {
            let mut installer = Command::new(package);
            if ui == Ui::Quiet {
                installer.arg("/S");
            }
            spawn(&mut installer)
        }
    }
}

/// Starts an installer that outlives this program (it replaces its files).
fn spawn(command: &mut Command) -> Result<Installed, Error> {
    command.spawn().map_err(|e| Error::Installer(format!("the installer could not start: {e}")))?;
    Ok(Installed::Handed)
}

fn msiexec() -> PathBuf {
    match std::env::var_os("SYSTEMROOT") {
        Some(root) => PathBuf::from(root).join("System32").join("msiexec.exe"),
        None => PathBuf::from("msiexec.exe"),
    }
}

/// Whether this process may install system packages (Linux: effective uid 0).
fn is_root() -> bool {
    if cfg!(windows) {
        return false;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let effective = status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|ids| ids.split_whitespace().nth(1));
    effective == Some("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_in_a_dpkg_root_is_a_deb_install_and_elsewhere_portable() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("usr/bin")).unwrap();
        let exe = root.path().join("usr/bin/qrjump");
        if cfg!(windows) {
            return;
        }
        assert_eq!(Install::of(&exe), Install::Portable, "no dpkg database: not installed by dpkg");
        std::fs::create_dir_all(root.path().join("var/lib/dpkg")).unwrap();
        std::fs::write(root.path().join("var/lib/dpkg/status"), "").unwrap();
        assert_eq!(Install::of(&exe), Install::Deb { root: root.path().to_path_buf() });
        assert_eq!(Install::of(Path::new("/work/target/debug/qrjump")), Install::Portable);
    }

    #[test]
    fn each_install_takes_only_its_own_kind_of_package() {
        let deb = Install::Deb { root: "/".into() };
        assert!(deb.takes(b"!<arch>\ndebian-binary   1342"));
        assert!(!deb.takes(b"MZ\x90\0"));
        assert!(Install::Msi.takes(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]));
        assert!(!Install::Msi.takes(b"MZ"));
        assert!(Install::Nsis.takes(b"MZ\x90\0"));
        let version = semver::Version::new(0, 2, 0);
        assert_eq!(deb.file_name(&version), "qr-jump-admin_0.2.0_amd64.deb");
        assert_eq!(Install::Msi.file_name(&version), "QRJumpAdmin-0.2.0-x64.msi");
    }
}
