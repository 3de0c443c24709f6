//! One app per data folder: a second start brings the running window to the
//! front and exits. A lock file in the data folder says whether an app runs
//! there; a loopback socket, whose port is written beside it, carries the
//! "show yourself" (no session bus needed, so it works on Windows and on a
//! Linux without a desktop session). `qrjump` scripts take neither.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

const LOCK: &str = "app.lock";
const PORT: &str = "app.port";
const SHOW: &[u8] = b"show\n";
/// How long a second start waits for the first to answer (it may itself
/// be starting: it takes the lock before it writes its port).
const PATIENCE: Duration = Duration::from_secs(5);

/// What starting found.
pub enum Claim {
    /// This is the app of the folder: keep the lock for as long as it runs
    /// and answer later starts on the listener.
    First { lock: File, listener: TcpListener },
    /// Another app runs on this folder and was asked to come to the front.
    Running,
}

/// Takes the data folder for this app, or asks the one running to show itself.
pub fn claim(data_dir: &Path) -> std::io::Result<Claim> {
    let lock = OpenOptions::new().create(true).truncate(false).write(true).open(data_dir.join(LOCK))?;
    match lock.try_lock() {
        Ok(()) => {
            let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
            let port = listener.local_addr()?.port();
            crate::files::write_replacing(&data_dir.join(PORT), port.to_string().as_bytes())?;
            Ok(Claim::First { lock, listener })
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            ask_to_show(data_dir)?;
            Ok(Claim::Running)
        }
        Err(std::fs::TryLockError::Error(error)) => Err(error),
    }
}

fn ask_to_show(data_dir: &Path) -> std::io::Result<()> {
    let started = Instant::now();
    loop {
        let port = std::fs::read_to_string(data_dir.join(PORT)).ok().and_then(|p| p.trim().parse::<u16>().ok());
        let sent = port.map(|port| {
            let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            TcpStream::connect_timeout(&address, Duration::from_secs(1)).and_then(|mut stream| stream.write_all(SHOW))
        });
        match sent {
            Some(Ok(())) => return Ok(()),
            _ if started.elapsed() < PATIENCE => std::thread::sleep(Duration::from_millis(100)),
            Some(Err(error)) => return Err(error),
            None => return Err(std::io::Error::other("the running app has not said where to reach it")),
        }
    }
}

/// Calls `show` each time a later start asks, until the process ends.
pub fn answer(listener: TcpListener, show: impl Fn() + Send + 'static) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut line = String::new();
            if BufReader::new(stream).read_line(&mut line).is_ok() && line.as_bytes() == SHOW {
                show();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_second_claim_asks_the_first_to_show() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First { lock, listener } = claim(dir.path()).unwrap() else { panic!("first") };
        let shown = Arc::new(AtomicUsize::new(0));
        let counter = shown.clone();
        answer(listener, move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        assert!(matches!(claim(dir.path()).unwrap(), Claim::Running));
        let deadline = Instant::now() + Duration::from_secs(5);
        while shown.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(shown.load(Ordering::SeqCst), 1);
        // Once the first is gone, the next start is the first again.
        drop(lock);
        assert!(matches!(claim(dir.path()).unwrap(), Claim::First { .. }));
    }
}
