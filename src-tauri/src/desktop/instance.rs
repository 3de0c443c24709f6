//! One app per data folder: a second start brings the running window to the
//! front and exits. A lock file in the data folder says whether an app runs
//! there; a loopback socket, whose port is written beside it, carries the
//! "show yourself" (no session bus needed, so it works on Windows and on a
//! Linux without a desktop session). `qrjump` scripts take neither.
//!
//! Any local process can connect to a loopback port, so the port file also
//! holds a random token (the file readable by this user only), a request
//! without it is ignored, and no more than a request's length is read.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

const LOCK: &str = "app.lock";
const PORT: &str = "app.port";
/// A request is `show TOKEN\n`: 5 + 32 + 1 bytes. Nothing longer is read.
const REQUEST_MAX: u64 = 64;
/// How long a second start waits for the first to answer (it may itself
/// be starting: it takes the lock before it writes its port).
const PATIENCE: Duration = Duration::from_secs(5);

/// What starting found.
pub enum Claim {
    /// This is the app of the folder: keep the lock for as long as it runs
    /// and answer later starts on the listener.
    First { lock: File, listener: Listener },
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
            let token: String = (0..16).map(|_| format!("{:02x}", rand::random::<u8>())).collect();
            crate::files::write_private(&data_dir.join(PORT), format!("{port} {token}").as_bytes())?;
            Ok(Claim::First { lock, listener: Listener { listener, token } })
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
        let door = std::fs::read_to_string(data_dir.join(PORT)).ok().and_then(|text| {
            let (port, token) = text.trim().split_once(' ')?;
            Some((port.parse::<u16>().ok()?, token.to_owned()))
        });
        let sent = door.map(|(port, token)| {
            let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
            TcpStream::connect_timeout(&address, Duration::from_secs(1))
                .and_then(|mut stream| stream.write_all(format!("show {token}\n").as_bytes()))
        });
        match sent {
            Some(Ok(())) => return Ok(()),
            _ if started.elapsed() < PATIENCE => std::thread::sleep(Duration::from_millis(100)),
            Some(Err(error)) => return Err(error),
            None => return Err(std::io::Error::other("the running app has not said where to reach it")),
        }
    }
}

/// The loopback door and the token a request must carry.
pub struct Listener {
    listener: TcpListener,
    token: String,
}

/// Calls `show` each time a later start asks, until the process ends.
pub fn answer(door: Listener, show: impl Fn() + Send + 'static) {
    let Listener { listener, token } = door;
    let expected = format!("show {token}\n").into_bytes();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = Vec::new();
            if stream.take(REQUEST_MAX).read_to_end(&mut request).is_ok() || !request.is_empty() {
                let line_end = request.iter().position(|&b| b == b'\n').map_or(request.len(), |i| i + 1);
                if request[..line_end] == expected[..] {
                    show();
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Waits up to 5 s for the first "show", then says how many came.
    fn shown_once(shown: &AtomicUsize) -> usize {
        let deadline = Instant::now() + Duration::from_secs(5);
        while shown.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        shown.load(Ordering::SeqCst)
    }

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
        assert_eq!(shown_once(&shown), 1);
        // Once the first is gone, the next start is the first again.
        drop(lock);
        assert!(matches!(claim(dir.path()).unwrap(), Claim::First { .. }));
    }

    #[test]
    fn only_a_request_with_the_token_is_obeyed_and_none_is_read_past_its_length() {
        let dir = tempfile::tempdir().unwrap();
        let Claim::First { lock, listener } = claim(dir.path()).unwrap() else { panic!("first") };
        let port = listener.listener.local_addr().unwrap().port();
        let shown = Arc::new(AtomicUsize::new(0));
        let counter = shown.clone();
        answer(listener, move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(PORT)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the port file is this user's only");
        }
        let send = |bytes: &[u8]| {
            let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
            // The listener stops reading early: a refused or stalled write is
            // fine (under Wine a closed peer does not always reset the line).
            stream.set_write_timeout(Some(Duration::from_secs(2))).unwrap();
            let _ = stream.write_all(bytes);
        };
        send(b"show\n");
        send(b"show 00000000000000000000000000000000\n");
        // 8 MB without a newline: read no further than a request's length.
        send(&vec![b'x'; 8 << 20]);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(shown.load(Ordering::SeqCst), 0, "a request without the token is ignored");
        // The door still answers the one who knows the token.
        assert!(matches!(claim(dir.path()).unwrap(), Claim::Running));
        assert_eq!(shown_once(&shown), 1);
        drop(lock);
        assert!(matches!(claim(dir.path()).unwrap(), Claim::First { .. }));
    }
}
