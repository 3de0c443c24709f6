//! The team history at 1,000,000 records from 10 installations, on a real
//! PostgreSQL 15 started for the run: review pages, filters and text
//! searches (median and worst of 21), and the whole CSV export streamed,
//! with the process's peak memory before and after it.
//!
//!     scripts/setup.sh bench
//!     cargo bench -p qrjump-tests --bench team
//!
//! Set QRJUMP_BENCH_ROWS for another size.

use std::time::{Duration, Instant};

use qrjump::history::{Filter, Status};
use qrjump::team::{TeamConfig, TeamFilter};
use qrjump_tests::postgres::Postgres;

#[tokio::main]
async fn main() {
    let rows: u64 = std::env::var("QRJUMP_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let pg = Postgres::start();
    let mut team = TeamConfig::parse(&pg.url(), None).unwrap().connect().await.expect("connect");
    let start = Instant::now();
    fill(&pg, rows);
    println!("filled {rows} records from 10 installations in {:.1} s", start.elapsed().as_secs_f64());

    let cases: Vec<(&str, TeamFilter)> = vec![
        ("newest page, no filter", TeamFilter::default()),
        (
            "failed, one account",
            TeamFilter {
                record: Filter { status: Some(Status::Failed), account: Some("Shop 3".into()), ..Filter::default() },
                ..TeamFilter::default()
            },
        ),
        ("one computer", TeamFilter { computer: Some("PC-07".into()), ..TeamFilter::default() }),
        ("one operator", TeamFilter { operator: Some("wang.fang".into()), ..TeamFilter::default() }),
        ("text, one record", text("/qr/123457/")),
        ("text, a rare errmsg", text("hint: [abc1")),
        ("text, in every record", text("EXAMPLE.COM")),
        ("text, in none", text("no-such-prefix.example.org")),
    ];
    for (name, filter) in &cases {
        let mut times = Vec::new();
        let mut found = 0;
        for i in 0..21 {
            let t = Instant::now();
            let page = team.page(filter, None, 50).await.expect("page");
            // Every other time also the page after, as the screen asks.
            if i % 2 == 1
                && let Some(last) = page.last()
            {
                team.page(filter, Some(&last.cursor()), 50).await.expect("next page");
            }
            times.push(t.elapsed() / if i % 2 == 1 { 2 } else { 1 });
            found = page.len();
        }
        times.sort();
        println!("{name:<24} {found:>3} shown   median {:>6}   worst {:>6}", ms(times[10]), ms(times[20]));
    }

    let before = peak_rss_mb();
    let t = Instant::now();
    let written = team.export_csv(&TeamFilter::default(), std::io::sink()).await.expect("export");
    println!(
        "CSV export of {written} records: {:.1} s; peak memory {before:.0} MB before, {:.0} MB after",
        t.elapsed().as_secs_f64(),
        peak_rss_mb()
    );
}

fn text(text: &str) -> TeamFilter {
    TeamFilter { record: Filter { text: Some(text.into()), ..Filter::default() }, ..TeamFilter::default() }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The process's peak resident memory (VmHWM), in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Records as ten desktops' pushes would have written them, one every 3
/// seconds of the year across the computers; about 1 in 8 failed.
fn fill(pg: &Postgres, rows: u64) {
    pg.sql(&format!(
        "INSERT INTO qrjump_records (installation_id, local_id, computer, action, started_at, finished_at, status,
            account_name, caller_appid, mode, prefix, target_appid, errcode, errmsg, explanation, error_kind,
            duration_ms, operator, app_version, rule_snapshot, demo, related_id, batch_id, conclusion, chain_seq,
            hash_version, hash)
         SELECT 'install-' || lpad((i % 10)::text, 2, '0'), i / 10 + 1, 'PC-' || lpad((i % 10)::text, 2, '0'),
            'delete',
            to_char(timestamp '2026-01-01' + i * interval '3 s', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
            to_char(timestamp '2026-01-01' + i * interval '3 s' + interval '200 ms', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
            CASE WHEN i % 8 = 0 THEN 'failed' ELSE 'ok' END,
            'Shop ' || (i % 7), 'wx0000000000' || lpad((i % 7)::text, 6, '0'), 'ordinary',
            'https://shop' || (i % 5000) || '.example.com/qr/' || i || '/', NULL,
            CASE WHEN i % 8 = 0 THEN 85068 ELSE 0 END,
            CASE WHEN i % 8 = 0 THEN 'rule not exist rid: 6f' || md5(i::text) || ' hint: [' || substr(md5(i::text), 1, 6) || ']' ELSE 'ok' END,
            NULL, NULL, 200 + i % 300,
            (ARRAY['amy','li.lei','wang.fang','chen.jie','zhao.min','sun.yu','zhou.tao','wu.hao'])[1 + i % 8],
            '0.1.0', NULL, false, NULL, NULL, NULL, i / 10 + 1, 3, md5(i::text) || md5(i::text)
         FROM generate_series(0, {} - 1) AS i;
         ANALYZE qrjump_records;",
        rows
    ));
}
