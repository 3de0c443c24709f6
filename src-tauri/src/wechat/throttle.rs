//! At most 5 calls in any one-second window per calling account and API
//! path (WeChat answers 44990 beyond that).
//!
//! WeChat counts per AppID, not per process, and the app and any number of
//! `qrjump` scripts may call for the same account at once. So besides the
//! in-process queue, a throttle may keep a small ledger file in the data
//! folder: each call is entered there under an exclusive file lock, and a
//! call that would be the sixth in the window waits, whichever process
//! made the other five.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use crate::sync::lock;

pub const CALLS_PER_WINDOW: usize = 5;
/// One second plus a margin: requests reach the server a little later than
/// they leave, unevenly, and the server counts arrivals.
pub const WINDOW: Duration = Duration::from_millis(1100);

/// The ledger's file name in the data folder.
pub const LEDGER_FILE: &str = "throttle.ledger";

type Slot = Arc<tokio::sync::Mutex<VecDeque<Instant>>>;

#[derive(Debug, Default)]
pub struct Throttle {
    slots: Mutex<HashMap<(String, &'static str), Slot>>,
    /// Shared with other processes, when the throttle has a data folder.
    ledger: Option<PathBuf>,
}

/// The in-process throttle for clients without a data folder (tests, the demo).
pub fn global() -> Arc<Throttle> {
    static GLOBAL: LazyLock<Arc<Throttle>> = LazyLock::new(Arc::default);
    GLOBAL.clone()
}

/// The throttle shared by every process using `data_dir`; one per folder
/// within this process too.
pub fn shared(data_dir: &Path) -> Arc<Throttle> {
    static SHARED: LazyLock<Mutex<HashMap<PathBuf, Arc<Throttle>>>> = LazyLock::new(Mutex::default);
    let ledger = data_dir.join(LEDGER_FILE);
    lock(&SHARED)
        .entry(ledger.clone())
        .or_insert_with(|| Arc::new(Throttle { slots: Mutex::default(), ledger: Some(ledger) }))
        .clone()
}

impl Throttle {
    /// Waits until a call for `account` on `path` fits in the window, and
    /// counts it. Callers in this process queue in order on the slot's lock.
    pub async fn acquire(&self, account: &str, path: &'static str) {
        let slot = {
            let mut slots = lock(&self.slots);
            slots.entry((account.to_owned(), path)).or_default().clone()
        };
        let mut sent = slot.lock().await;
        loop {
            let now = Instant::now();
            while sent.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                sent.pop_front();
            }
            match sent.front() {
                // The window is full: wait until its oldest call leaves it.
                Some(&oldest) if sent.len() >= CALLS_PER_WINDOW => tokio::time::sleep_until(oldest + WINDOW).await,
                _ => break,
            }
        }
        if let Some(ledger) = &self.ledger {
            let key = format!("{account} {path}");
            loop {
                let (file, key_) = (ledger.clone(), key.clone());
                let wait = tokio::task::spawn_blocking(move || enter(&file, &key_)).await;
                match wait {
                    Ok(Ok(None)) => break,
                    Ok(Ok(Some(wait))) => tokio::time::sleep(wait).await,
                    // The ledger cannot be used (disk full, no permission):
                    // this process's own queue above still holds.
                    Ok(Err(_)) | Err(_) => break,
                }
            }
        }
        sent.push_back(Instant::now());
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default()
}

/// Enters a call for `key` in the ledger if it fits in the window; else
/// returns how long to wait before trying again. The file holds one line
/// per recent call, `<unix ms> <key>`, and is rewritten under the lock.
fn enter(file: &Path, key: &str) -> std::io::Result<Option<Duration>> {
    let mut ledger = File::options().read(true).write(true).create(true).truncate(false).open(file)?;
    ledger.lock()?;
    let now = now_ms();
    let window = WINDOW.as_millis() as u64;
    let mut text = String::new();
    ledger.read_to_string(&mut text)?;
    // Keep the calls still in the window (and drop any from a clock that
    // has since gone back).
    let recent: Vec<(u64, &str)> = text
        .lines()
        .filter_map(|line| line.split_once(' '))
        .filter_map(|(at, k)| Some((at.parse::<u64>().ok()?, k)))
        .filter(|(at, _)| *at + window > now && *at <= now + window)
        .collect();
    let mine: Vec<u64> = recent.iter().filter(|(_, k)| *k == key).map(|(at, _)| *at).collect();
    if mine.len() >= CALLS_PER_WINDOW {
        let oldest = mine.iter().copied().min().unwrap_or(now);
        return Ok(Some(Duration::from_millis((oldest + window).saturating_sub(now).max(1))));
    }
    let mut out = String::with_capacity(text.len() + key.len() + 16);
    for (at, k) in &recent {
        out.push_str(&format!("{at} {k}\n"));
    }
    out.push_str(&format!("{now} {key}\n"));
    ledger.seek(SeekFrom::Start(0))?;
    ledger.set_len(0)?;
    ledger.write_all(out.as_bytes())?;
    // The lock is released when the file closes.
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn sixth_call_waits_for_the_window() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for _ in 0..5 {
            throttle.acquire("wxa", "/p").await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        throttle.acquire("wxa", "/p").await;
        assert_eq!(start.elapsed(), WINDOW);
        // Another path or account has its own window.
        throttle.acquire("wxa", "/q").await;
        throttle.acquire("wxb", "/p").await;
        assert_eq!(start.elapsed(), WINDOW);
    }

    #[test]
    fn the_ledger_refuses_a_sixth_call_in_the_window_whoever_makes_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(LEDGER_FILE);
        for _ in 0..CALLS_PER_WINDOW {
            assert_eq!(enter(&file, "wxa /p").unwrap(), None);
        }
        let wait = enter(&file, "wxa /p").unwrap().expect("the sixth call waits");
        assert!(wait <= WINDOW && wait > Duration::ZERO, "{wait:?}");
        // Other keys are counted apart.
        assert_eq!(enter(&file, "wxb /p").unwrap(), None);
        assert_eq!(enter(&file, "wxa /q").unwrap(), None);
    }
}
