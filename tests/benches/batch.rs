//! 200 deletes in one batch against the simulator, at WeChat's pace, while
//! the review screen keeps loading history pages.
//!
//!     cargo bench -p qrjump-tests --bench batch
//!
//! WeChat allows 5 calls a second per AppID and API, so 200 deletes cannot
//! take less than about 40 s: the target is 40 s ±5% with no 44990 answer.
//! While the batch runs, a history page (50 records, newest first) is asked
//! for every 250 ms through the same app state the window's commands use;
//! its times say whether the app stays responsive. QRJUMP_BENCH_DELETES sets
//! another size.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use qrjump::accounts::{AccountInput, AccountKind, MemoryVault};
use qrjump::app::{AppConfig, AppState, BatchForm};
use qrjump::history::Filter;
use qrjump::lang::Lang;
use qrjump::sim::{self, Simulator};
use qrjump::wechat::{Mode, Rule};

const MP: &str = "wx0000000000be0c01";

fn main() {
    let n: usize = std::env::var("QRJUMP_BENCH_DELETES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(bench(n));
}

async fn bench(n: usize) {
    let sim = Simulator::start().expect("simulator");
    sim.add_account(MP, "bench-secret-not-real", sim::AccountKind::MiniProgram);
    let prefixes: Vec<String> = (0..n).map(|i| format!("https://bench.example.com/qr/{i:04}/")).collect();
    for prefix in &prefixes {
        sim.add_rule(
            MP,
            None,
            Rule {
                prefix: prefix.clone(),
                path: "pages/a".into(),
                state: 2,
                open_version: Some(3),
                debug_url: Some(vec![]),
                permit_sub_rule: Some(1),
            },
        );
    }
    let data = tempfile::tempdir().expect("temporary folder");
    let app = AppState::open(AppConfig {
        data_dir: data.path().to_owned(),
        api_base: sim.base_url(),
        vault: Box::new(MemoryVault::default()),
        keyring_available: false,
    })
    .expect("app state");
    let input = AccountInput {
        id: None,
        name: "Bench".into(),
        kind: AccountKind::MiniProgram,
        appid: Some(MP.into()),
        secret: Some("bench-secret-not-real".into()),
        token_expires_at: None,
        ..Default::default()
    };
    let id = app.save_account(input).expect("account").id;
    let form = BatchForm { account_id: id, mode: Mode::Ordinary, appid: None, prefixes, text: None };

    let planned = Instant::now();
    let begun = app.begin_batch(&form, Lang::En).await.expect("begin");
    let plan_time = planned.elapsed();
    let batch = begun.status.batch.id.clone();

    let running = AtomicBool::new(true);
    let started = Instant::now();
    let mut first_call = None;
    let run = async {
        let status = app
            .run_batch(
                &batch,
                |p| {
                    if p.current.is_some() && first_call.is_none() {
                        first_call = Some(Instant::now());
                    }
                },
                Lang::En,
            )
            .await
            .expect("run");
        running.store(false, Ordering::SeqCst);
        status
    };
    let review = async {
        let mut times = Vec::new();
        while running.load(Ordering::SeqCst) {
            let t = Instant::now();
            let page = app.history_page(&Filter::default(), None).expect("history page");
            times.push((t.elapsed(), page.len()));
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        times
    };
    let (status, mut pages) = tokio::join!(run, review);
    let total = started.elapsed();
    let sending = first_call.map(|t| t.elapsed()).unwrap_or(total);

    pages.sort();
    let pct = |p: f64| pages[((pages.len() - 1) as f64 * p).round() as usize].0;
    let floor = (n as f64 / 5.0 - 1.0).max(0.0);
    println!("batch of {n} deletes, one process, shared-throttle ledger on a real data folder");
    println!("  plan + backup + batch record: {:.0} ms (one list read of {n} rules)", plan_time.as_secs_f64() * 1000.0);
    println!(
        "  sending: {:.2} s from the first delete to the last answer ({:.2} s in all); floor at 5/s is {floor:.1} s",
        sending.as_secs_f64(),
        total.as_secs_f64()
    );
    let target = n as f64 / 5.0;
    let within = (total.as_secs_f64() - target).abs() <= target * 0.05;
    println!("  target {target:.0} s ±5%: {}", if within { "met" } else { "MISSED" });
    println!(
        "  deleted {}, failed {}, unknown {}; answers of 44990 from the simulator: {}",
        status.counts.done,
        status.counts.failed,
        status.counts.unknown,
        sim.refusals()
    );
    println!(
        "  history page while sending ({} loads): median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        pages.len(),
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.95).as_secs_f64() * 1000.0,
        pages.last().unwrap().0.as_secs_f64() * 1000.0
    );
}
