// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    qrjump::mark_process_start();
    #[cfg(target_os = "linux")]
    {
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            eprintln!(
                "qrjump-admin: no display found (DISPLAY and WAYLAND_DISPLAY are unset); to run it headless use: xvfb-run -a qrjump-admin"
            );
            return ExitCode::from(2);
        }
    }
    qrjump::prepare_environment();
    match qrjump::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("qrjump-admin: {error}");
            ExitCode::FAILURE
        }
    }
}
