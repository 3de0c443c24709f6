//! Child processes that cannot outlive the test that started them.
//!
//! Each child leads its own process group, so killing the group also takes
//! down what it started (tauri-driver starts WebKitWebDriver, which starts the
//! app). The group is killed on drop, which runs when a test fails too.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub struct GroupChild {
    name: &'static str,
    child: Child,
}

impl GroupChild {
    /// Spawns `command` as the leader of a new process group. The child is
    /// also killed by the kernel should this test process die abruptly.
    pub fn spawn(name: &'static str, command: &mut Command) -> io::Result<GroupChild> {
        command.process_group(0);
        // SAFETY: prctl is async-signal-safe and touches only the child.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().map_err(|e| io::Error::new(e.kind(), format!("cannot start {name}: {e}")))?;
        Ok(GroupChild { name, child })
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether the leader has exited (and with what), without waiting.
    pub fn try_wait(&mut self) -> io::Result<Option<std::process::ExitStatus>> {
        self.child.try_wait()
    }

    /// Whether any process of the group is still alive.
    pub fn group_alive(&self) -> bool {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: signal 0 only checks for existence.
        unsafe { libc::kill(-pgid, 0) == 0 }
    }

    /// Ends the whole group: SIGTERM, a short grace period, then SIGKILL.
    /// Returns whether every process of the group is gone.
    pub fn terminate(&mut self) -> bool {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: plain signals to a group this test created.
        unsafe { libc::kill(-pgid, libc::SIGTERM) };
        if !wait_until(Duration::from_secs(3), || {
            let _ = self.child.try_wait();
            !self.group_alive()
        }) {
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        let _ = self.child.wait();
        wait_until(Duration::from_secs(5), || !self.group_alive())
    }
}

impl Drop for GroupChild {
    fn drop(&mut self) {
        if !self.terminate() {
            eprintln!("warning: processes of {} (group {}) survived SIGKILL", self.name, self.child.id());
        }
    }
}

/// Polls `done` every 20 ms until it holds or `limit` passes.
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}
