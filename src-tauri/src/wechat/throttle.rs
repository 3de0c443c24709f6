//! Keeps every call within WeChat's limits (`limits::LIMITS`): 5 calls a
//! second per account and API, and in service-account mode 200 a minute.
//!
//! WeChat counts per AppID, not per process, and the app and any number of
//! `qrjump` scripts may call for the same account at once. So besides the
//! in-process windows, a throttle may keep a small ledger file in the data
//! folder: each call is entered there under an exclusive file lock, and a
//! call that would exceed a limit waits, whichever process made the others.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use super::input::Mode;
use super::limits::{self, Counts, Limit};
use crate::sync::lock;

/// Added to each limit's period: requests reach the server a little later
/// than they leave, unevenly (a busy machine can stall a process between
/// the ledger and the socket), and the server counts arrivals. 100 ms drew
/// an occasional 44990 on a loaded 2-core machine; 200 ms none.
pub const MARGIN: Duration = Duration::from_millis(200);

/// The ledger's file name in the data folder.
pub const LEDGER_FILE: &str = "throttle.ledger";

/// One limit as it applies to one call: its window's key and size.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    key: String,
    calls: usize,
    span: Duration,
}

fn windows(account: &str, path: &str, mode: Mode) -> Vec<Window> {
    limits::applying(mode)
        .map(|limit: &Limit| Window {
            key: match limit.counts {
                Counts::PerApi => format!("{account} {path} {}", limit.name),
                Counts::AllQrcodeJumpApis => format!("{account} {}", limit.name),
            },
            calls: limit.calls,
            span: limit.per + MARGIN,
        })
        .collect()
}

#[derive(Debug, Default)]
pub struct Throttle {
    /// Calls sent, per window key.
    sent: tokio::sync::Mutex<HashMap<String, VecDeque<Instant>>>,
    /// One queue per account, so its callers in this process go in order.
    queues: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
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
        .or_insert_with(|| Arc::new(Throttle { ledger: Some(ledger), ..Throttle::default() }))
        .clone()
}

impl Throttle {
    /// Waits until a call for `account` on `path` in `mode` fits every
    /// limit that applies, and counts it.
    pub async fn acquire(&self, account: &str, path: &'static str, mode: Mode) {
        let queue = lock(&self.queues).entry(account.to_owned()).or_default().clone();
        let _turn = queue.lock().await;
        let windows = windows(account, path, mode);
        loop {
            let wait = {
                let mut sent = self.sent.lock().await;
                let now = Instant::now();
                let mut wait = Duration::ZERO;
                for window in &windows {
                    let calls = sent.entry(window.key.clone()).or_default();
                    while calls.front().is_some_and(|t| now.duration_since(*t) >= window.span) {
                        calls.pop_front();
                    }
                    if calls.len() >= window.calls
                        && let Some(&oldest) = calls.front()
                    {
                        wait = wait.max(oldest + window.span - now);
                    }
                }
                wait
            };
            if wait.is_zero() {
                break;
            }
            tokio::time::sleep(wait).await;
        }
        if let Some(ledger) = &self.ledger {
            loop {
                let (file, entered) = (ledger.clone(), windows.clone());
                match tokio::task::spawn_blocking(move || enter(&file, &entered)).await {
                    Ok(Ok(None)) => break,
                    Ok(Ok(Some(wait))) => tokio::time::sleep(wait).await,
                    // The ledger cannot be used (disk full, no permission):
                    // this process's own windows still hold.
                    Ok(Err(_)) | Err(_) => break,
                }
            }
        }
        let now = Instant::now();
        let mut sent = self.sent.lock().await;
        for window in &windows {
            sent.entry(window.key.clone()).or_default().push_back(now);
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default()
}

/// Enters a call in the ledger if it fits every window; else returns how
/// long to wait before trying again. The file holds one line per recent
/// call and window, `<unix ms> <key>`, and is rewritten under the lock.
fn enter(file: &Path, windows: &[Window]) -> std::io::Result<Option<Duration>> {
    let mut ledger = File::options().read(true).write(true).create(true).truncate(false).open(file)?;
    ledger.lock()?;
    let now = now_ms();
    let longest = windows.iter().map(|w| w.span.as_millis() as u64).max().unwrap_or(0).max(61_000);
    let mut text = String::new();
    ledger.read_to_string(&mut text)?;
    // Keep the calls still in some window (and drop any from a clock that
    // has since gone back).
    let recent: Vec<(u64, &str)> = text
        .lines()
        .filter_map(|line| line.split_once(' '))
        .filter_map(|(at, key)| Some((at.parse::<u64>().ok()?, key)))
        .filter(|(at, _)| *at + longest > now && *at <= now + longest)
        .collect();
    let mut wait = 0;
    for window in windows {
        let span = window.span.as_millis() as u64;
        let inside: Vec<u64> =
            recent.iter().filter(|(at, key)| *key == window.key && *at + span > now).map(|(at, _)| *at).collect();
        if inside.len() >= window.calls {
            let oldest = inside.iter().copied().min().unwrap_or(now);
            wait = wait.max((oldest + span).saturating_sub(now).max(1));
        }
    }
    if wait > 0 {
        return Ok(Some(Duration::from_millis(wait)));
    }
    let mut out = String::with_capacity(text.len() + 64);
    for (at, key) in &recent {
        out.push_str(&format!("{at} {key}\n"));
    }
    for window in windows {
        out.push_str(&format!("{now} {}\n", window.key));
    }
    ledger.seek(SeekFrom::Start(0))?;
    ledger.set_len(0)?;
    ledger.write_all(out.as_bytes())?;
    // The lock is released when the file closes.
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_millis(1200);

    #[tokio::test(start_paused = true)]
    async fn sixth_call_waits_for_the_window() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for _ in 0..5 {
            throttle.acquire("wxa", "/p", Mode::Ordinary).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        throttle.acquire("wxa", "/p", Mode::Ordinary).await;
        assert_eq!(start.elapsed(), SECOND);
        // Another path or account has its own window.
        throttle.acquire("wxa", "/q", Mode::Ordinary).await;
        throttle.acquire("wxb", "/p", Mode::Ordinary).await;
        assert_eq!(start.elapsed(), SECOND);
    }

    #[tokio::test(start_paused = true)]
    async fn service_account_mode_also_keeps_to_200_a_minute_across_its_apis() {
        let throttle = Throttle::default();
        let start = Instant::now();
        // Two APIs at 5 a second each: 10 a second together, so the 200th
        // call goes out after 19.8 s and the 201st must wait for the minute.
        for i in 0..200 {
            let path = if i % 2 == 0 { "/delete" } else { "/get" };
            throttle.acquire("wxs", path, Mode::ServiceAccount).await;
        }
        assert!(start.elapsed() < Duration::from_secs(25), "{:?}", start.elapsed());
        throttle.acquire("wxs", "/delete", Mode::ServiceAccount).await;
        assert_eq!(start.elapsed(), Duration::from_secs(60) + MARGIN);
        // Ordinary mode has no per-minute limit.
        for _ in 0..5 {
            throttle.acquire("wxo", "/delete", Mode::Ordinary).await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(60) + MARGIN);
    }

    #[test]
    fn the_ledger_refuses_a_sixth_call_in_the_window_whoever_makes_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(LEDGER_FILE);
        let w = |account| windows(account, "/p", Mode::Ordinary);
        for _ in 0..5 {
            assert_eq!(enter(&file, &w("wxa")).unwrap(), None);
        }
        let wait = enter(&file, &w("wxa")).unwrap().expect("the sixth call waits");
        assert!(wait <= SECOND && wait > Duration::ZERO, "{wait:?}");
        // Other keys are counted apart.
        assert_eq!(enter(&file, &w("wxb")).unwrap(), None);
        assert_eq!(enter(&file, &windows("wxa", "/q", Mode::Ordinary)).unwrap(), None);
    }
}
