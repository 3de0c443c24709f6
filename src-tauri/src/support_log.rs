//! The support log: what the app did (starts, calls with their path,
//! errcode and time taken, faults), for an admin to send IT when something
//! goes wrong. One file a day under `logs/` in the data folder, a new part
//! when one grows past [`MAX_BYTES`], the last [`KEEP_DAYS`] days kept.
//!
//! Lines are built from structured facts (a path, an errcode, a kind of
//! fault), never from a request or an answer, and pass through `redact`
//! anyway: no secret can reach the file.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use crate::sync::lock;
use crate::wechat::{self, CallObserver};

/// A day's file is continued in a new part past this size.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// Files older than this many days are removed at start.
pub const KEEP_DAYS: i64 = 14;

pub struct SupportLog {
    dir: PathBuf,
    current: Mutex<Option<Current>>,
}

struct Current {
    day: NaiveDate,
    path: PathBuf,
    file: File,
    size: u64,
}

impl SupportLog {
    /// The log of `data_dir`; old days are removed. A folder that cannot be
    /// written makes a log that writes nothing: the app still works.
    pub fn open(data_dir: &Path) -> SupportLog {
        let dir = data_dir.join("logs");
        let _ = crate::files::create_private_dir(&dir);
        let log = SupportLog { dir, current: Mutex::new(None) };
        log.remove_old(Utc::now().date_naive());
        log
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one line, dated now.
    pub fn write(&self, line: &str) {
        self.write_at(Utc::now(), line);
    }

    fn write_at(&self, now: DateTime<Utc>, line: &str) {
        let text = format!(
            "{} {}\n",
            now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            wechat::redact(line.trim_end(), &[])
        );
        let mut current = lock(&self.current);
        let day = now.date_naive();
        let stale = match &*current {
            Some(open) => open.day != day || open.size + text.len() as u64 > MAX_BYTES,
            None => true,
        };
        if stale {
            if let Some(open) = current.take()
                && open.day == day
            {
                // Past the size: this part is set aside under the next free number.
                let _ = std::fs::rename(&open.path, self.free_part(day));
            }
            *current = self.open_day(day);
        }
        if let Some(open) = &mut *current
            && open.file.write_all(text.as_bytes()).is_ok()
        {
            open.size += text.len() as u64;
        }
    }

    fn day_file(&self, day: NaiveDate) -> PathBuf {
        self.dir.join(format!("qrjump-{day}.log"))
    }

    fn free_part(&self, day: NaiveDate) -> PathBuf {
        (1..).map(|n| self.dir.join(format!("qrjump-{day}.{n}.log"))).find(|p| !p.exists()).unwrap_or_default()
    }

    fn open_day(&self, day: NaiveDate) -> Option<Current> {
        let path = self.day_file(day);
        let file = OpenOptions::new().create(true).append(true).open(&path).ok()?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Some(Current { day, path, file, size })
    }

    /// Removes the files of days before the last [`KEEP_DAYS`].
    fn remove_old(&self, today: NaiveDate) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let day = name.strip_prefix("qrjump-").and_then(|rest| rest.get(..10));
            let Some(day) = day.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else { continue };
            if (today - day).num_days() >= KEEP_DAYS {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// The last `n` lines written, oldest first (from today's file and, if
    /// needed, the one before).
    pub fn last_lines(&self, n: usize) -> Vec<String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| is_log(p)).collect())
            .unwrap_or_default();
        // Parts sort before their day's current file: qrjump-DAY.N.log < qrjump-DAY.log
        // is not true of names, so order by modification time.
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        let mut lines: Vec<String> = Vec::new();
        for path in files.iter().rev() {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let mut these: Vec<String> = text.lines().map(str::to_owned).collect();
            these.append(&mut lines);
            lines = these;
            if lines.len() >= n {
                break;
            }
        }
        let skip = lines.len().saturating_sub(n);
        lines.split_off(skip)
    }
}

fn is_log(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("qrjump-") && n.ends_with(".log"))
}

/// Every WeChat call, as the client reports it.
impl CallObserver for SupportLog {
    fn call(&self, path: &str, result: Result<(), &wechat::Error>, took: Duration) {
        let ms = took.as_millis();
        let line = match result {
            Ok(()) => format!("call {path} errcode 0 in {ms} ms"),
            Err(wechat::Error::Api { errcode, .. }) => format!("call {path} errcode {errcode} in {ms} ms"),
            Err(error) => format!("call {path} fault {} in {ms} ms", error.kind().as_str()),
        };
        self.write(&line);
    }

    fn token_server(&self, host: &str, result: Result<(), &wechat::Error>, took: Duration) {
        let ms = took.as_millis();
        match result {
            Ok(()) => self.write(&format!("token server {host} answered in {ms} ms")),
            Err(error) => self.write(&format!("token server {host} fault {} in {ms} ms", error.kind().as_str())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_file_a_day_and_parts_past_the_size() {
        let dir = tempfile::tempdir().unwrap();
        let log = SupportLog::open(dir.path());
        log.write_at(at("2026-11-28T23:59:59Z"), "start");
        log.write_at(at("2026-11-29T00:00:01Z"), "call /cgi-bin/x errcode 0 in 3 ms");
        let long = "x".repeat(1000);
        for _ in 0..(MAX_BYTES / 1000 + 5) {
            log.write_at(at("2026-11-29T10:00:00Z"), &long);
        }
        let mut names: Vec<String> =
            std::fs::read_dir(log.dir()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["qrjump-2026-11-28.log", "qrjump-2026-11-29.1.log", "qrjump-2026-11-29.log"]);
        for name in &names {
            assert!(std::fs::metadata(log.dir().join(name)).unwrap().len() <= MAX_BYTES, "{name}");
        }
        let last = log.last_lines(3);
        assert_eq!(last.len(), 3);
        assert!(last.iter().all(|l| l.ends_with(&long)), "{last:?}");
    }

    #[test]
    fn tokens_never_reach_the_file_and_old_days_go() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("logs")).unwrap();
        std::fs::write(dir.path().join("logs/qrjump-2020-01-01.log"), "old\n").unwrap();
        let log = SupportLog::open(dir.path());
        assert!(!log.dir().join("qrjump-2020-01-01.log").exists());
        log.write("GET https://api.weixin.qq.com/cgi-bin/x?access_token=SIMTOKEN-abc&y=1");
        let text = log.last_lines(1).join("\n");
        assert!(text.contains("access_token=***&y=1") && !text.contains("SIMTOKEN"), "{text}");
    }
}
