//! A real PostgreSQL server for one test: `initdb` into a temporary folder,
//! `postgres` on a free loopback port, stopped (and its folder removed) when
//! dropped, whatever happens. PostgreSQL refuses to run as root: under root
//! it runs as the `postgres` user Debian's package creates.
//!
//! The app connects as `qrjump` with a password over TCP; the test's
//! superuser connects through the Unix socket, to play the forger.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::process::{GroupChild, free_port, wait_until};

/// The app role's password: a test secret, searched for in the output.
pub const PASSWORD: &str = "TESTSECRET-team-db";
pub const DATABASE: &str = "audit";
const SUPERUSER: &str = "qrjump_super";

pub struct Postgres {
    port: u16,
    server: Option<GroupChild>,
    // Last: removed after the server stopped.
    dir: tempfile::TempDir,
}

fn bin(name: &str) -> PathBuf {
    // Debian keeps the server's programs out of PATH.
    let debian = Path::new("/usr/lib/postgresql/15/bin").join(name);
    if debian.is_file() { debian } else { PathBuf::from(name) }
}

fn as_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// `program` as the user the server runs as.
fn server_command(program: &str) -> Command {
    if as_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(bin(program));
        command
    } else {
        Command::new(bin(program))
    }
}

impl Postgres {
    pub fn start() -> Postgres {
        let dir = tempfile::tempdir().expect("a folder for the database");
        if as_root() {
            let status = Command::new("chown").args(["postgres:postgres"]).arg(dir.path()).status().unwrap();
            assert!(status.success(), "chown the database folder to postgres (scripts/setup.sh test installs it)");
        }
        let output = server_command("initdb")
            .arg("-D")
            .arg(dir.path().join("data"))
            .args(["-U", SUPERUSER, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"])
            .args(["--locale=C.UTF-8"])
            .stdin(Stdio::null())
            .output()
            .expect("run initdb (scripts/setup.sh test installs postgresql)");
        assert!(output.status.success(), "initdb: {}", String::from_utf8_lossy(&output.stderr));
        let mut postgres = Postgres { port: free_port(), server: None, dir };
        postgres.start_server();
        postgres.superuser(&format!("CREATE ROLE qrjump LOGIN PASSWORD '{PASSWORD}'"), "postgres");
        postgres.superuser(&format!("CREATE DATABASE {DATABASE} OWNER qrjump"), "postgres");
        postgres
    }

    fn start_server(&mut self) {
        let mut command = server_command("postgres");
        command
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-p", &self.port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .arg("-k")
            .arg(self.dir.path())
            // A test's server: no fsync (a clean stop still writes everything).
            .args(["-c", "fsync=off", "-c", "log_min_messages=fatal"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.server = Some(GroupChild::spawn("postgres", &mut command).expect("start postgres"));
        let ready = wait_until(Duration::from_secs(30), || {
            Command::new(bin("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success())
        });
        assert!(ready, "postgres did not accept connections on port {}", self.port);
    }

    /// Stops the server (fast shutdown: connections are cut, as when the
    /// server or the network goes away); `restart` brings it back with its data.
    pub fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            assert!(server.terminate(), "postgres did not stop");
        }
    }

    pub fn restart(&mut self) {
        self.stop();
        self.start_server();
    }

    /// `postgres://qrjump:…@127.0.0.1:port/audit`, the app role's address.
    pub fn url(&self) -> String {
        format!("postgres://qrjump:{PASSWORD}@127.0.0.1:{}/{DATABASE}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs `sql` as the superuser in the team database; returns psql's
    /// unaligned output.
    pub fn sql(&self, sql: &str) -> String {
        self.superuser(sql, DATABASE)
    }

    fn superuser(&self, sql: &str, database: &str) -> String {
        let output = Command::new(bin("psql"))
            .arg("-h")
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", SUPERUSER, "-d", database, "-AtqX", "-v", "ON_ERROR_STOP=1"])
            .args(["-c", sql])
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        assert!(output.status.success(), "psql {sql:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}
