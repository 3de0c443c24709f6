//! A real forward (or reverse) proxy for the route tests: Debian's
//! tinyproxy, started on a free loopback port with a configuration of the
//! test's own, and stopped (its process group killed) when dropped.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{GroupChild, free_port, wait_until};

/// The name tinyproxy puts in the `Via` header of what it relays.
pub const VIA_NAME: &str = "qrjump-test-proxy";

pub struct Tinyproxy {
    pub port: u16,
    _dir: tempfile::TempDir,
    _child: GroupChild,
}

impl Tinyproxy {
    /// A forward proxy; with `auth`, only for that user and password.
    pub fn forward(auth: Option<(&str, &str)>) -> Tinyproxy {
        let auth = auth.map(|(user, password)| format!("BasicAuth {user} {password}\n")).unwrap_or_default();
        Tinyproxy::start(&auth)
    }

    /// A reverse proxy standing in for a company's API gateway: `/cgi-bin/`
    /// relayed to `upstream` (the simulator), nothing else.
    pub fn gateway(upstream: &str) -> Tinyproxy {
        Tinyproxy::start(&format!("ReversePath \"/cgi-bin/\" \"{upstream}/cgi-bin/\"\nReverseOnly Yes\n"))
    }

    fn start(extra: &str) -> Tinyproxy {
        let binary = PathBuf::from("/usr/bin/tinyproxy");
        assert!(binary.is_file(), "tinyproxy is missing: scripts/setup.sh test installs it");
        let dir = tempfile::tempdir().expect("a folder for tinyproxy");
        let port = free_port();
        let config = dir.path().join("tinyproxy.conf");
        // Its log names request URLs (with tokens): kept in its own folder,
        // never printed, so the test output stays free of secrets.
        let text = format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 50\nAllow 127.0.0.1\nLogLevel Warning\n\
             LogFile \"{}\"\nViaProxyName \"{VIA_NAME}\"\n{extra}",
            dir.path().join("tinyproxy.log").display()
        );
        std::fs::write(&config, text).expect("write tinyproxy.conf");
        let child = GroupChild::spawn(
            "tinyproxy",
            Command::new(&binary).arg("-d").arg("-c").arg(&config).stdout(Stdio::null()).stderr(Stdio::null()),
        )
        .expect("start tinyproxy");
        let up = wait_until(Duration::from_secs(10), || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        assert!(up, "tinyproxy did not listen on port {port}");
        Tinyproxy { port, _dir: dir, _child: child }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}
