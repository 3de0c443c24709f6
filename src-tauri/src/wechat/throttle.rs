//! Keeps every call within WeChat's limits (`limits::LIMITS`): 5 calls a
//! second per account and API, and in service-account mode 200 a minute.
//!
//! WeChat counts per AppID, not per process, and the app and any number of
//! `qrjump` scripts may call for the same account at once. So besides the
//! in-process windows, a throttle may keep a small ledger file in the data
//! folder: each call is entered there under an exclusive file lock, and a
//! call that would exceed a limit waits, whichever process made the others.
//!
//! WeChat counts calls when they *arrive*, which can be well after they
//! were entered here (a busy machine stalls a process between the ledger
//! and the socket). So a call holds its place until its answer is back, and
//! is then dated by that answer: the sixth call goes out a whole window
//! after the first one's answer, hence after its arrival, whatever the delays.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use super::input::Mode;
use super::limits::{self, Counts, Limit};
use crate::sync::lock;

/// Added to each limit's period. A call is dated by its answer, which comes
/// after WeChat saw it arrive, so the windows are already conservative by a
/// round trip; the margin covers the ledger's whole milliseconds and timer
/// rounding. It was 100 ms: that made 200 deletes take 43 s where WeChat's
/// own limit allows 40 s (see the batch benchmark in the README).
pub const MARGIN: Duration = Duration::from_millis(25);

/// How far ahead a call is dated in the ledger until its answer re-dates it.
/// A process killed while its call is in flight never re-dates it, and
/// WeChat may see that call arrive later than it was sent: dated at the
/// send, the next process could squeeze a sixth call into WeChat's second
/// (seen once in a fresh-clone run of cli/batch.rs, a batch killed in the
/// middle: 44990 on a resumed script's fifth call).
pub const PENDING_GRACE: Duration = Duration::from_millis(250);

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

/// A call's place in the windows, from before it is sent until its answer
/// is back; give it to [`Throttle::release`] then.
#[derive(Debug)]
pub struct Permit {
    windows: Vec<Window>,
    /// Names this call's place in this process's windows.
    id: u64,
    /// Whether the call is in the ledger too.
    in_ledger: bool,
}

#[derive(Debug, Default)]
pub struct Throttle {
    /// Calls per window key: (call id, when sent or answered).
    sent: tokio::sync::Mutex<HashMap<String, Vec<(u64, Instant)>>>,
    /// One queue per account, so its callers in this process go in order.
    queues: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Shared with other processes, when the throttle has a data folder.
    ledger: Option<PathBuf>,
    next_id: AtomicU64,
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

/// Names a call in the ledger: this process and its call id.
fn ledger_id(id: u64) -> String {
    format!("{}.{id}", std::process::id())
}

impl Throttle {
    /// Waits until a call for `account` on `path` in `mode` fits every
    /// limit that applies, and takes its place.
    pub async fn acquire(&self, account: &str, path: &'static str, mode: Mode) -> Permit {
        let queue = lock(&self.queues).entry(account.to_owned()).or_default().clone();
        let _turn = queue.lock().await;
        let windows = windows(account, path, mode);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        loop {
            let wait = {
                let mut sent = self.sent.lock().await;
                let now = Instant::now();
                let mut wait = Duration::ZERO;
                for window in &windows {
                    let calls = sent.entry(window.key.clone()).or_default();
                    calls.retain(|(_, at)| now.duration_since(*at) < window.span);
                    if calls.len() >= window.calls
                        && let Some(oldest) = calls.iter().map(|(_, at)| *at).min()
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
        let mut in_ledger = false;
        if let Some(ledger) = &self.ledger {
            loop {
                let (file, entered, name) = (ledger.clone(), windows.clone(), ledger_id(id));
                match tokio::task::spawn_blocking(move || enter(&file, &entered, &name)).await {
                    Ok(Ok(None)) => {
                        in_ledger = true;
                        break;
                    }
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
            sent.entry(window.key.clone()).or_default().push((id, now));
        }
        Permit { windows, id, in_ledger }
    }

    /// The call's answer is back (or it failed): its place is dated now.
    pub async fn release(&self, permit: Permit) {
        let now = Instant::now();
        {
            let mut sent = self.sent.lock().await;
            for window in &permit.windows {
                for call in sent.entry(window.key.clone()).or_default().iter_mut().filter(|(id, _)| *id == permit.id) {
                    call.1 = now;
                }
            }
        }
        if permit.in_ledger
            && let Some(ledger) = &self.ledger
        {
            let (file, name) = (ledger.clone(), ledger_id(permit.id));
            // Should the update fail, the call stays dated when it was sent.
            let _ = tokio::task::spawn_blocking(move || answered(&file, &name)).await;
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default()
}

/// One line of the ledger: `<unix ms> <call> <window key>`.
struct Line<'a> {
    at: u64,
    call: &'a str,
    key: &'a str,
}

/// Opens and locks the ledger, and reads it into `text`.
fn open_ledger(file: &Path, text: &mut String) -> std::io::Result<File> {
    let mut ledger = File::options().read(true).write(true).create(true).truncate(false).open(file)?;
    ledger.lock()?;
    ledger.read_to_string(text)?;
    Ok(ledger)
}

/// The lines still inside some window (dropping any from a clock that has
/// since gone back).
fn recent(text: &str, now: u64) -> Vec<Line<'_>> {
    // The longest window is a minute (and its margin).
    let longest = 61_000 + MARGIN.as_millis() as u64;
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            Some(Line { at: parts.next()?.parse().ok()?, call: parts.next()?, key: parts.next()? })
        })
        .filter(|line| line.at + longest > now && line.at <= now + longest)
        .collect()
}

fn rewrite(mut ledger: File, lines: &[Line<'_>]) -> std::io::Result<()> {
    let mut out = String::with_capacity(lines.len() * 48);
    for line in lines {
        out.push_str(&format!("{} {} {}\n", line.at, line.call, line.key));
    }
    ledger.seek(SeekFrom::Start(0))?;
    ledger.set_len(0)?;
    ledger.write_all(out.as_bytes())
    // The lock is released when the file closes.
}

/// Enters call `name` in the ledger if it fits every window; else returns
/// how long to wait before trying again.
fn enter(file: &Path, windows: &[Window], name: &str) -> std::io::Result<Option<Duration>> {
    let now = now_ms();
    let mut text = String::new();
    let ledger = open_ledger(file, &mut text)?;
    let mut lines = recent(&text, now);
    let mut wait = 0;
    for window in windows {
        let span = window.span.as_millis() as u64;
        let inside: Vec<u64> =
            lines.iter().filter(|l| l.key == window.key && l.at + span > now).map(|l| l.at).collect();
        if inside.len() >= window.calls {
            let oldest = inside.iter().copied().min().unwrap_or(now);
            wait = wait.max((oldest + span).saturating_sub(now).max(1));
        }
    }
    if wait > 0 {
        return Ok(Some(Duration::from_millis(wait)));
    }
    let pending = now + PENDING_GRACE.as_millis() as u64;
    lines.extend(windows.iter().map(|w| Line { at: pending, call: name, key: &w.key }));
    rewrite(ledger, &lines)?;
    Ok(None)
}

/// Dates call `name` by its answer, now.
fn answered(file: &Path, name: &str) -> std::io::Result<()> {
    let now = now_ms();
    let mut text = String::new();
    let ledger = open_ledger(file, &mut text)?;
    let mut lines = recent(&text, now);
    for line in lines.iter_mut().filter(|l| l.call == name) {
        line.at = now;
    }
    rewrite(ledger, &lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window as the throttle keeps it: a second and the margin.
    const SECOND: Duration = Duration::from_millis(1000 + MARGIN.as_millis() as u64);

    async fn call(throttle: &Throttle, account: &str, path: &'static str, mode: Mode) {
        let permit = throttle.acquire(account, path, mode).await;
        throttle.release(permit).await;
    }

    #[tokio::test(start_paused = true)]
    async fn sixth_call_waits_for_the_window() {
        let throttle = Throttle::default();
        let start = Instant::now();
        for _ in 0..5 {
            call(&throttle, "wxa", "/p", Mode::Ordinary).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        call(&throttle, "wxa", "/p", Mode::Ordinary).await;
        assert_eq!(start.elapsed(), SECOND);
        // Another path or account has its own window.
        call(&throttle, "wxa", "/q", Mode::Ordinary).await;
        call(&throttle, "wxb", "/p", Mode::Ordinary).await;
        assert_eq!(start.elapsed(), SECOND);
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_is_dated_by_its_answer() {
        let throttle = Throttle::default();
        let start = Instant::now();
        // The first call's answer takes 300 ms: its place counts from then,
        // so with four more calls made then, the sixth waits for 0.3 s + the
        // window (dated when sent, it could have gone after the window alone).
        let slow = throttle.acquire("wxa", "/p", Mode::Ordinary).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        throttle.release(slow).await;
        for _ in 0..4 {
            call(&throttle, "wxa", "/p", Mode::Ordinary).await;
        }
        call(&throttle, "wxa", "/p", Mode::Ordinary).await;
        assert_eq!(start.elapsed(), Duration::from_millis(300) + SECOND);
    }

    #[tokio::test(start_paused = true)]
    async fn service_account_mode_also_keeps_to_200_a_minute_across_its_apis() {
        let throttle = Throttle::default();
        let start = Instant::now();
        // Two APIs at 5 a second each: 10 a second together, so the 200th
        // call goes out after about 20 s and the 201st must wait for the minute.
        for i in 0..200 {
            let path = if i % 2 == 0 { "/delete" } else { "/get" };
            call(&throttle, "wxs", path, Mode::ServiceAccount).await;
        }
        assert!(start.elapsed() < Duration::from_secs(25), "{:?}", start.elapsed());
        call(&throttle, "wxs", "/delete", Mode::ServiceAccount).await;
        assert_eq!(start.elapsed(), Duration::from_secs(60) + MARGIN);
        // Ordinary mode has no per-minute limit.
        for _ in 0..5 {
            call(&throttle, "wxo", "/delete", Mode::Ordinary).await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(60) + MARGIN);
    }

    #[test]
    fn the_ledger_refuses_a_sixth_call_in_the_window_whoever_makes_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(LEDGER_FILE);
        let w = |account| windows(account, "/p", Mode::Ordinary);
        for i in 0..5 {
            assert_eq!(enter(&file, &w("wxa"), &format!("1.{i}")).unwrap(), None);
        }
        let wait = enter(&file, &w("wxa"), "1.5").unwrap().expect("the sixth call waits");
        // Unanswered, the five are dated ahead by the grace.
        assert!(wait <= SECOND + PENDING_GRACE && wait > PENDING_GRACE, "{wait:?}");
        // Other keys are counted apart.
        assert_eq!(enter(&file, &w("wxb"), "1.6").unwrap(), None);
        assert_eq!(enter(&file, &windows("wxa", "/q", Mode::Ordinary), "1.7").unwrap(), None);
        // An answer re-dates its call to the answer, and only that one; the
        // unanswered one stays dated ahead.
        std::thread::sleep(Duration::from_millis(20));
        answered(&file, "1.0").unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let dated: Vec<u64> = text
            .lines()
            .filter(|l| l.split(' ').nth(1) == Some("1.0") || l.split(' ').nth(1) == Some("1.1"))
            .map(|l| l.split(' ').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(dated.len(), 2);
        assert!(dated[0] < dated[1], "{text}");
    }
}
