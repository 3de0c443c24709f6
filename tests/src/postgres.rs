//! A real PostgreSQL server: `initdb` into a temporary folder, `postgres` on
//! a free loopback port. [`Postgres::database`] gives a test a database of
//! its own on the one server its test binary shares (started by the first
//! test that asks, stopped and removed when the binary exits);
//! [`Postgres::start`] a server of its own, for a test that stops and
//! restarts it (stopped and removed when dropped, whatever happens).
//! PostgreSQL refuses to run as root: under root it runs as the `postgres`
//! user Debian's package creates.
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
    database: String,
    /// The folder of the server's socket (and data).
    socket: PathBuf,
    /// A server of this test's own; none on the shared one.
    server: Option<GroupChild>,
    // Last: removed after the server stopped.
    dir: Option<tempfile::TempDir>,
}

/// The test binary's shared server.
struct Shared {
    port: u16,
    socket: PathBuf,
    /// Its process group, stopped at exit.
    group: libc::pid_t,
}

static SHARED: std::sync::OnceLock<Shared> = std::sync::OnceLock::new();
static DATABASES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Stops the shared server and removes its folder as the test binary ends.
extern "C" fn stop_shared() {
    if let Some(shared) = SHARED.get() {
        // SAFETY: signals to the group this binary started.
        unsafe { libc::kill(-shared.group, libc::SIGQUIT) };
        wait_until(Duration::from_secs(5), || unsafe { libc::kill(-shared.group, 0) != 0 });
        // SAFETY: as above; a server that outlived SIGQUIT.
        unsafe { libc::kill(-shared.group, libc::SIGKILL) };
        let _ = std::fs::remove_dir_all(&shared.socket);
    }
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
    /// A database of this test's own, `audit_<n>` owned by the app role, on
    /// the server the test binary shares.
    pub fn database() -> Postgres {
        let shared = SHARED.get_or_init(|| {
            // Started from a thread that never ends: the server's guard
            // against an abrupt end (PR_SET_PDEATHSIG) follows the thread
            // that started it, and a test's thread ends with the test.
            let (sender, receiver) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let mut server = Postgres::start();
                let dir = server.dir.take().expect("a server's folder").keep();
                let child = server.server.take().expect("a started server");
                let shared = Shared { port: server.port, socket: dir, group: child.id() as libc::pid_t };
                sender.send(shared).unwrap();
                // Stopped by stop_shared at exit, not by a drop.
                std::mem::forget(child);
                loop {
                    std::thread::park();
                }
            });
            let shared = receiver.recv().expect("the shared PostgreSQL started");
            // SAFETY: registers a plain function, run once at exit.
            unsafe { libc::atexit(stop_shared) };
            shared
        });
        let n = DATABASES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let database = Postgres {
            port: shared.port,
            database: format!("{DATABASE}_{n}"),
            socket: shared.socket.clone(),
            server: None,
            dir: None,
        };
        database.superuser(&format!("CREATE DATABASE {} OWNER qrjump", database.database), "postgres");
        database
    }

    /// A server of this test's own, with the app role and its database.
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
        let socket = dir.path().to_owned();
        let mut postgres =
            Postgres { port: free_port(), database: DATABASE.into(), socket, server: None, dir: Some(dir) };
        postgres.start_server();
        postgres.superuser(&format!("CREATE ROLE qrjump LOGIN PASSWORD '{PASSWORD}'"), "postgres");
        postgres.superuser(&format!("CREATE DATABASE {DATABASE} OWNER qrjump"), "postgres");
        postgres
    }

    fn start_server(&mut self) {
        let mut command = server_command("postgres");
        command
            .arg("-D")
            .arg(self.socket.join("data"))
            .args(["-p", &self.port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .arg("-k")
            .arg(&self.socket)
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

    /// `postgres://qrjump:…@127.0.0.1:port/<database>`, the app role's address.
    pub fn url(&self) -> String {
        format!("postgres://qrjump:{PASSWORD}@127.0.0.1:{}/{}", self.port, self.database)
    }

    /// The test's database.
    pub fn name(&self) -> &str {
        &self.database
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs `sql` as the superuser in the team database; returns psql's
    /// unaligned output.
    pub fn sql(&self, sql: &str) -> String {
        self.superuser(sql, &self.database)
    }

    fn superuser(&self, sql: &str, database: &str) -> String {
        let output = Command::new(bin("psql"))
            .arg("-h")
            .arg(&self.socket)
            .args(["-p", &self.port.to_string(), "-U", SUPERUSER, "-d", database, "-AtqX", "-v", "ON_ERROR_STOP=1"])
            .args(["-c", sql])
            .stdin(Stdio::null())
            .output()
            .expect("run psql");
        assert!(output.status.success(), "psql {sql:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}
