//! QR Jump Admin: delete WeChat Mini Program "QR code jump rules" and keep an
//! audit history of every attempt.
//!
//! One library, three front ends: the desktop app (`qrjump-admin`, Tauri,
//! behind the `desktop` feature), the command line (`qrjump`) and a
//! simulator of WeChat's API (`qrjump-sim`). The layers point one way:
//!
//! - `wechat`: the API client, validated inputs, errors explained; no SQLite, no Tauri.
//! - `history`: the audit log in SQLite, its chain, CSV and manifest; no HTTP, no Tauri.
//! - `service`: one audited pipeline that every admin action runs through.
//! - `doctor`: fetches WeChat's verification file from each place WeChat looks, as WeChat would.
//! - `explain`: every verdict and error in the admin's words, for the window and the CLI.
//! - `accounts`, `app`: the desktop's accounts and its state and actions, without Tauri.
//! - `desktop`: the Tauri edge (commands, credential store, window, start-up failure).
//! - `policy`: the settings IT fixes for every user of a PC (registry or /etc).
//! - `update`: newer versions from a signed feed (Tauri's updater format), installed on the admin's word.
//! - `sim`: the simulator the tests and the demo talk to.

pub mod accounts;
pub mod app;
pub mod config;
pub mod doctor;
pub mod explain;
pub mod files;
pub mod history;
pub mod lang;
pub mod matching;
pub mod net;
pub mod policy;
pub mod printed;
pub mod qr_image;
pub mod service;
pub mod sim;
pub mod support_log;
mod sync;
pub mod team;
pub mod update;
pub mod wechat;

#[cfg(feature = "desktop")]
mod desktop;
#[cfg(feature = "desktop")]
pub mod vault;
#[cfg(feature = "desktop")]
pub use desktop::{prepare_environment, run};

static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes when the process started, for the start-up measurement.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(std::time::Instant::now);
}

/// Time since [`mark_process_start`].
pub fn since_process_start() -> std::time::Duration {
    PROCESS_START.get().map(|start| start.elapsed()).unwrap_or_default()
}
