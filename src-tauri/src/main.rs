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
        // WebKitGTK's DMA-BUF renderer shows a blank window on NVIDIA and some
        // Wayland set-ups; the fallback renders everywhere. Respect a user's
        // own setting. Safe: no other thread exists yet.
        if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
            unsafe { std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1") };
        }
        // Without that renderer, and with the web view drawing in software
        // (desktop/webview.rs), nothing in this process draws with OpenGL;
        // but GTK probes GLX when it opens an X display, loading the GL
        // driver: ~20 ms of every start. Only when the renderer is off (a
        // user who turned it back on may need GL) and GDK_GL is the user's
        // own choice otherwise.
        let dmabuf_off = std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_some_and(|value| value != "0");
        if dmabuf_off && std::env::var_os("GDK_GL").is_none() {
            unsafe { std::env::set_var("GDK_GL", "disable") };
        }
        // The page is the app's own forms and tables (the work is in Rust),
        // never a web site: JavaScriptCore's JIT compilers buy it nothing but
        // ~10 MB in the web process (which inherits this) and the attack
        // surface of writable code. Its interpreter shows the first screen as
        // soon (scripts/measure-startup.sh).
        if std::env::var_os("JSC_useJIT").is_none() {
            unsafe { std::env::set_var("JSC_useJIT", "0") };
        }
    }
    match qrjump::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("qrjump-admin: {error}");
            ExitCode::FAILURE
        }
    }
}
