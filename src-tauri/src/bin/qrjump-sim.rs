//! Starts the WeChat API simulator with the demo accounts and rules, for
//! trying `qrjump` or the app by hand without WeChat credentials.

use clap::Parser;
use qrjump::sim::{DEMO_MINI_PROGRAM, DEMO_SERVICE_ACCOUNT, DEMO_SERVICE_TARGET, Demo, Simulator};

/// A local simulator of WeChat's qrcodejump API (demo data, loopback only).
#[derive(Parser)]
#[command(version, after_help = "Point the app or the CLI at it with QRJUMP_API_BASE. Stop it with Ctrl-C.")]
struct Args {
    /// Port on 127.0.0.1 to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
}

fn main() {
    let args = Args::parse();
    let sim = match Simulator::start_on(args.port) {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("qrjump-sim: cannot listen on 127.0.0.1:{}: {error}", args.port);
            std::process::exit(3);
        }
    };
    Demo::seed(&sim);
    println!("WeChat API simulator listening on {}", sim.base_url());
    println!();
    println!("  export QRJUMP_API_BASE={}", sim.base_url());
    println!("  # Mini Program (ordinary-QR mode):");
    println!("  export QRJUMP_APPID={} QRJUMP_APP_SECRET={}", DEMO_MINI_PROGRAM.0, DEMO_MINI_PROGRAM.1);
    println!("  # or the service account (service-account mode, --appid {DEMO_SERVICE_TARGET}):");
    println!("  export QRJUMP_APPID={} QRJUMP_APP_SECRET={}", DEMO_SERVICE_ACCOUNT.0, DEMO_SERVICE_ACCOUNT.1);
    // Park until Ctrl-C; the server runs on its own thread.
    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        }),
        Err(error) => {
            eprintln!("qrjump-sim: cannot wait for Ctrl-C: {error}");
            std::process::exit(3);
        }
    }
    drop(sim);
}
