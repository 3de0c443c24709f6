//! The history at 1,000,000 records: one filtered review page, text
//! searches, and the full CSV export beside the sqlite3 shell's.
//!
//!     cargo build --release --bin qrjump
//!     cargo bench -p qrjump-tests --bench history
//!
//! Set QRJUMP_BENCH_ROWS for another size.

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use qrjump::history::{Filter, History, Status};
use qrjump::wechat::Mode;

fn main() {
    record_one_attempt();
    let rows: u64 = std::env::var("QRJUMP_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary folder");
    let history = History::open(dir.path()).expect("open the history");
    let start = Instant::now();
    fill(history.path(), rows);
    println!("filled {rows} records in {:.1} s ({:.0} MB)", start.elapsed().as_secs_f64(), file_mb(history.path()));

    let page = |name: &str, filter: Filter| {
        let mut times = Vec::new();
        let mut before = None;
        let mut found = 0;
        for i in 0..30 {
            // Half first pages, half the page after, as the review screen asks.
            let t = Instant::now();
            let records = history.page(&filter, if i % 2 == 1 { before } else { None }, 50).expect("page");
            times.push(t.elapsed());
            if i % 2 == 0 {
                before = records.last().map(|r| r.id);
            }
            found = found.max(records.len());
        }
        times.sort();
        println!(
            "{name:<48} median {:>7.2} ms   max {:>7.2} ms   ({found} rows/page)",
            ms(times[times.len() / 2]),
            ms(*times.last().unwrap())
        );
    };
    page("page: newest, no filter", Filter::default());
    page(
        "page: failed + service-account",
        Filter { status: Some(Status::Failed), mode: Some(Mode::ServiceAccount), ..Filter::default() },
    );
    page(
        "page: unknown, one account, since 2024-01-20",
        Filter {
            status: Some(Status::Unknown),
            account: Some("Brand Mini Program".into()),
            from: Some("2024-01-20T00:00:00Z".into()),
            ..Filter::default()
        },
    );
    page("search: \"promo/77\" (rare)", Filter { text: Some("promo/77".into()), ..Filter::default() });
    page("search: \"rid: 5f\" (common)", Filter { text: Some("rid: 5f".into()), ..Filter::default() });
    page("search: \"wx\" (2 chars, LIKE)", Filter { text: Some("wx".into()), ..Filter::default() });
    page(
        "search + filter: \"weixin\" failed",
        Filter { text: Some("weixin".into()), status: Some(Status::Failed), ..Filter::default() },
    );
    drop(history);

    // The export, each in its own process so peak memory is its own.
    let ours = dir.path().join("ours.csv");
    let (ours_time, ours_rss) = measure(
        Command::new(qrjump_tests::workspace_bin("qrjump"))
            .args(["history", "export", "--out"])
            .arg(&ours)
            .env("QRJUMP_DATA_DIR", dir.path()),
    );
    let shell = dir.path().join("shell.csv");
    let (shell_time, shell_rss) = measure(
        Command::new("sqlite3")
            .args(["-csv", "-header"])
            .arg(dir.path().join(qrjump::history::FILE_NAME))
            .arg(format!(".output {}", shell.display()))
            // The same columns as the audit CSV, for a fair comparison.
            .arg(format!("SELECT {} FROM attempts ORDER BY id", csv_columns())),
    );
    println!(
        "export: qrjump history export   {:>7.2} s   peak RSS {:>6.1} MB   {:.0} MB file",
        ours_time.as_secs_f64(),
        ours_rss,
        file_mb(&ours)
    );
    println!(
        "export: sqlite3 -csv            {:>7.2} s   peak RSS {:>6.1} MB   {:.0} MB file",
        shell_time.as_secs_f64(),
        shell_rss,
        file_mb(&shell)
    );
    println!("export ratio (ours / sqlite3): {:.2}", ours_time.as_secs_f64() / shell_time.as_secs_f64());
}

/// What `synchronous=FULL` costs: writing one attempt's pending record and
/// completing it (two transactions, each synced to disk), as every delete does.
fn record_one_attempt() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut history = History::open(dir.path()).expect("open the history");
    let attempt = qrjump_tests::history_data::attempt("Shop", Mode::Ordinary, "https://a.com/qr/");
    let outcome = qrjump_tests::history_data::outcome(0, "ok");
    let mut times: Vec<Duration> = (0..300)
        .map(|_| {
            let t = Instant::now();
            let id = history.start(&attempt).expect("start");
            history.finish(id, Status::Ok, &outcome).expect("finish");
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "record one attempt (start + finish, synchronous={}) median {:>6.2} ms   p99 {:>6.2} ms",
        history.synchronous().unwrap_or_default(),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100])
    );
}

/// The table columns the audit CSV holds: every one a record reads but the
/// hash version.
fn csv_columns() -> String {
    let fields = qrjump::history::fields::FIELDS.iter().filter(|f| f.csv != qrjump::history::fields::Csv::No);
    fields.map(|f| f.name).collect::<Vec<_>>().join(", ")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0)
}

/// Runs `command` to the end; returns its wall time and peak RSS in MB.
fn measure(command: &mut Command) -> (Duration, f64) {
    let start = Instant::now();
    // Reaped by wait4 below, which also reports the child's peak memory.
    #[allow(clippy::zombie_processes)]
    let child = command.stdout(Stdio::null()).spawn().expect("start the exporter");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(pid, child.id() as libc::pid_t, "wait4");
    assert!(std::process::ExitStatus::from_raw(status).success(), "{command:?} failed");
    (elapsed, usage.ru_maxrss as f64 / 1024.0)
}

/// Writes `rows` completed records straight into the file in one
/// transaction (the app writes one at a time; this is only the fill).
fn fill(file: &Path, rows: u64) {
    let mut conn = rusqlite::Connection::open(file).expect("open");
    let tx = conn.transaction().expect("transaction");
    {
        let mut insert = tx.prepare(
            "INSERT INTO attempts (started_at, finished_at, status, account_name, caller_appid, mode, prefix, target_appid, errcode, errmsg, explanation, error_kind, duration_ms, operator, app_version, demo, chain_seq, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, '0.1.0', 0, ?15, ?16)",
        ).expect("prepare");
        let accounts = ["Shop Mini Program", "Brand Mini Program", "Service Account", "Events", "Third party"];
        let base = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap();
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        for i in 0..rows {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let started = base + chrono::Duration::seconds(i as i64 * 3);
            let service = seed.is_multiple_of(5);
            let (status, errcode, errmsg) = match seed % 20 {
                0..=13 => ("ok", Some(0), "ok".to_owned()),
                14..=17 => (
                    "failed",
                    Some(if service { 85066 } else { 40097 }),
                    format!("invalid args rid: {:x}-{:x}", seed & 0xffff, i),
                ),
                18 => (
                    "failed",
                    Some(40164),
                    format!("invalid ip 203.0.113.{}, not in whitelist rid: {:x}", seed % 255, i),
                ),
                _ => ("unknown", None, String::new()),
            };
            let prefix = if service {
                format!("http://weixin.qq.com/q/02P5KzM_{:08x}", seed & 0xffff_ffff)
            } else {
                format!("https://shop.example.com/qr/promo/{}/", seed % 100_000)
            };
            insert
                .execute(rusqlite::params![
                    started.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    (started + chrono::Duration::milliseconds(120))
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    status,
                    accounts[(seed >> 8) as usize % accounts.len()],
                    "wx00000000000000aa",
                    if service { "service_account" } else { "ordinary" },
                    prefix,
                    service.then_some("wx00000000000000bb"),
                    errcode,
                    (!errmsg.is_empty()).then_some(errmsg),
                    "Invalid arguments. Check the prefix.",
                    (status == "unknown").then_some("timeout"),
                    120,
                    "operator",
                    i as i64 + 1,
                    format!("{:064x}", seed as u128 * 31),
                ])
                .expect("insert");
        }
    }
    tx.commit().expect("commit");
}
