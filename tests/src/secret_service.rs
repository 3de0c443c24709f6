//! A Linux desktop session's credential store for one test: a private D-Bus
//! session bus with GNOME Keyring's Secret Service on it, its login keyring
//! created and unlocked, everything in a temporary home and stopped when
//! dropped. The app finds it through `DBUS_SESSION_BUS_ADDRESS`, as in a
//! desktop session.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{GroupChild, wait_until};

pub struct SecretService {
    address: String,
    // Fields drop in order: the keyring, then its bus, then their home.
    _keyring: GroupChild,
    _bus: GroupChild,
    home: tempfile::TempDir,
}

/// The bus's own configuration: a session bus that starts no services on
/// demand, so the one Secret Service is ours, unlocked.
const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>ADDRESS</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

impl SecretService {
    pub fn start() -> SecretService {
        let home = tempfile::tempdir().expect("a home for the keyring");
        let socket = home.path().join("bus");
        let address = format!("unix:path={}", socket.display());
        let config = home.path().join("bus.conf");
        std::fs::write(&config, BUS_CONFIG.replace("ADDRESS", &address)).unwrap();
        let bus = GroupChild::spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .arg(format!("--config-file={}", config.display()))
                .args(["--nofork", "--nopidfile"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .expect("start dbus-daemon");
        assert!(wait_until(Duration::from_secs(10), || socket.exists()), "the session bus did not start");

        // --unlock reads the login keyring's password from stdin (creating
        // the keyring with it): as a desktop login does.
        let run = home.path().join("run");
        std::fs::create_dir(&run).unwrap();
        std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        let mut command = Command::new("sh");
        command
            .args(["-c", "printf test-login | exec gnome-keyring-daemon --foreground --unlock --components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_RUNTIME_DIR", &run)
            .env_remove("DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let keyring = GroupChild::spawn("gnome-keyring-daemon", &mut command)
            .expect("start gnome-keyring-daemon (scripts/setup.sh test installs gnome-keyring)");
        let service = SecretService { address, _keyring: keyring, _bus: bus, home };
        assert!(
            wait_until(Duration::from_secs(10), || service.owned("org.freedesktop.secrets")),
            "GNOME Keyring did not take org.freedesktop.secrets on the bus"
        );
        service
    }

    /// `DBUS_SESSION_BUS_ADDRESS` for programs that should use this store.
    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// What `secret-tool search --all` finds for these attributes, secrets
    /// included: compare it, never print it.
    pub fn search(&self, attributes: &[(&str, &str)]) -> String {
        let mut command = Command::new("secret-tool");
        command.args(["search", "--all", "--unlock"]);
        for (key, value) in attributes {
            command.args([key, value]);
        }
        let output = command
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdin(Stdio::null())
            .output()
            .expect("run secret-tool (package libsecret-tools)");
        // secret-tool writes the attributes to stderr and the secret to stdout.
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
    }

    fn owned(&self, name: &str) -> bool {
        Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args(["--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
            .args(["org.freedesktop.DBus.NameHasOwner", &format!("string:{name}")])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
    }
}
