//! Starts the WeChat API simulator with the demo accounts and rules, for
//! trying `qrjump` or the app by hand without WeChat credentials.

use clap::Parser;
use qrjump::sim::{
    DEMO_MINI_PROGRAM, DEMO_SERVICE_ACCOUNT, DEMO_SERVICE_TARGET, DEMO_TOKEN_SERVER_KEY, DEMO_UNVERIFIED_HOST, Demo,
    Simulator, TOKEN_SERVER_HEADER,
};

/// A local simulator of WeChat's qrcodejump API (demo data, loopback only).
#[derive(Parser)]
#[command(version, after_help = "Point the app or the CLI at it with QRJUMP_API_BASE. Stop it with Ctrl-C.")]
struct Args {
    /// Port on 127.0.0.1 to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Enforce an IP whitelist, as WeChat does: APPID=IP[,IP...] (an empty
    /// list refuses every caller). Calls from elsewhere get errcode 40164.
    #[arg(long, value_name = "APPID=IPS")]
    whitelist: Vec<String>,
    /// Act as if HOST's web server lacked WeChat's verification file: adds
    /// of ordinary-mode rules there answer 85069 (repeatable).
    #[arg(long, value_name = "HOST")]
    without_verification_file: Vec<String>,
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
    for rule in &args.whitelist {
        let (appid, ips) = rule.split_once('=').unwrap_or((rule, ""));
        let ips: Vec<&str> = ips.split(',').map(str::trim).filter(|ip| !ip.is_empty()).collect();
        sim.enforce_ip_whitelist(appid.trim(), &ips);
    }
    for host in &args.without_verification_file {
        sim.require_verification_file(host.trim(), true);
    }
    println!("WeChat API simulator listening on {}", sim.base_url());
    println!();
    println!("  export QRJUMP_API_BASE={}", sim.base_url());
    println!("  # Mini Program (ordinary-QR mode):");
    println!("  export QRJUMP_APPID={} QRJUMP_APP_SECRET={}", DEMO_MINI_PROGRAM.0, DEMO_MINI_PROGRAM.1);
    println!("  # or the service account (service-account mode, --appid {DEMO_SERVICE_TARGET}):");
    println!("  export QRJUMP_APPID={} QRJUMP_APP_SECRET={}", DEMO_SERVICE_ACCOUNT.0, DEMO_SERVICE_ACCOUNT.1);
    println!("  # adding a rule on {DEMO_UNVERIFIED_HOST} meets 85069: its verification file is not in place");
    println!("  # or the company token server (no AppSecret on this computer):");
    println!("  export QRJUMP_APPID={} QRJUMP_TOKEN_URL='{}'", DEMO_MINI_PROGRAM.0, sim.token_server_url());
    println!(
        "  export QRJUMP_TOKEN_HEADER='{TOKEN_SERVER_HEADER}: {DEMO_TOKEN_SERVER_KEY}' QRJUMP_TOKEN_POINTER=/data/access_token"
    );
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
